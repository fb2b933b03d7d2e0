//! Official documents (公文) to PDF in the GB/T 9704-2012 layout. The input is a plain
//! value (`model::OfficialDocument`) that services build from their own records; this
//! crate knows nothing of databases or the web.

pub mod model;

pub use model::{Attachment, Block, Format, OfficialDocument};

/// What can go wrong while rendering. The message is safe to show to an operator.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the document cannot be laid out: {0}")]
    Layout(String),
    #[error("the PDF renderer is not available in this build")]
    Unavailable,
}

/// Renders official documents. One long-lived value per process: fonts are loaded once.
pub struct Renderer {
    _private: (),
}

impl Renderer {
    pub fn new() -> Result<Self, RenderError> {
        Ok(Self { _private: () })
    }

    /// One document to PDF bytes.
    pub fn render(&self, _doc: &OfficialDocument) -> Result<Vec<u8>, RenderError> {
        Err(RenderError::Unavailable)
    }
}
