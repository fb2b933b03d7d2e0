//! Official documents (公文) to PDF in the GB/T 9704-2012 layout, in-process. The input
//! is a plain value (`model::OfficialDocument`) that services build from their own
//! records; this crate knows nothing of databases or the web.
//!
//! How: one long-lived typst compiler state (`Renderer`) with the fonts loaded once; the
//! layout lives in `templates/document.typ`, which receives the document as a data
//! dictionary (never as spliced markup, so any user text prints literally). Fonts: the
//! shipped Fandol faces (fonts/FONTS.md), Noto CJK from the system for rare characters
//! when present, and licensed faces from an administrator's fonts directory, which win
//! by family name. After every compile the memo caches are evicted (`comemo::evict`) so
//! a long-running server does not grow.

mod data;
mod fonts;
pub mod form;
pub mod model;
pub mod sample;
pub mod table;

use std::path::PathBuf;
use std::sync::OnceLock;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::Dict;
use typst::layout::Frame;
use typst::layout::FrameItem;
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;

pub use data::chinese_date;
pub use form::{FormCell, FormRow, FormSheet};
pub use model::{Attachment, Block, Format, OfficialDocument, SealImpression};
pub use table::{TableColumn, TableSheet};

const DOCUMENT_TEMPLATE: &str = include_str!("../templates/document.typ");
const DOCUMENT_FILE: &str = "document.typ";
const FORM_TEMPLATE: &str = include_str!("../templates/form.typ");
const FORM_FILE: &str = "form.typ";
const TABLE_TEMPLATE: &str = include_str!("../templates/table.typ");
const TABLE_FILE: &str = "table.typ";

/// What can go wrong while rendering. The message is safe to show to an operator.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the document cannot be laid out: {0}")]
    Layout(String),
    #[error("the PDF renderer is not available in this build")]
    Unavailable,
}

/// A rendered PDF and what the renderer noticed on the way.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Characters no loaded font could draw (they would print as empty boxes).
    pub missing_glyphs: Vec<char>,
    /// typst's warnings (an unknown font family, say); empty for a clean layout.
    pub warnings: Vec<String>,
}

/// Renders official documents. One long-lived value per process (share it in an `Arc`):
/// fonts are loaded once; rendering takes `&self` and may run on several threads.
pub struct Renderer {
    primary: Engine,
    base: fonts::FontSet,
    /// The same faces plus Noto CJK, built the first time a document needs it.
    fallback: OnceLock<Option<Engine>>,
}

/// A typst compiler state over one font set, and the families each role may use in it.
struct Engine {
    engine: TypstEngine,
    fonts: Dict,
}

impl Engine {
    fn new(set: &fonts::FontSet) -> Engine {
        let engine = TypstEngine::builder()
            .fonts(set.fonts.clone())
            .with_static_source_file_resolver([
                (DOCUMENT_FILE, DOCUMENT_TEMPLATE),
                (FORM_FILE, FORM_TEMPLATE),
                (TABLE_FILE, TABLE_TEMPLATE),
            ])
            // Evict typst's memo caches after each compile (typst-as-lib does it on
            // success and error alike); see also `evict` below for the PDF export.
            .comemo_evict_max_age(Some(0))
            .build();
        Engine { engine, fonts: set.roles.clone() }
    }

    fn compile(&self, file: &str, inputs: Dict) -> Result<Rendered, RenderError> {
        let Warned { output, warnings } = self.engine.compile_with_input::<_, _, PagedDocument>(file, inputs);
        let result = output.map_err(layout_error).and_then(|paged| {
            let pdf = typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default()).map_err(|d| diagnostics(&d))?;
            let mut missing = Vec::new();
            for page in paged.pages() {
                missing_glyphs(&page.frame, &mut missing);
            }
            missing.sort_unstable();
            missing.dedup();
            Ok(Rendered {
                pdf,
                pages: paged.pages().len(),
                missing_glyphs: missing,
                warnings: warnings.iter().map(|w| w.message.to_string()).collect(),
            })
        });
        // The PDF export memoizes too; without eviction a server's memory only grows
        // (stack.md §2, typst issue #8628).
        comemo::evict(0);
        result
    }
}

impl Renderer {
    /// The shipped fonts plus the system's Noto CJK fallback when installed.
    pub fn new() -> Result<Self, RenderError> {
        Self::with_font_dirs(&[])
    }

    /// As `new`, also loading every font file directly inside `dirs` (for example
    /// `<data>/fonts/`): an administrator's licensed 方正小标宋 / 仿宋_GB2312 / 楷体_GB2312 /
    /// 黑体 are then preferred over the Fandol substitutes.
    pub fn with_font_dirs(dirs: &[PathBuf]) -> Result<Self, RenderError> {
        let base = fonts::FontSet::load(dirs);
        Ok(Self { primary: Engine::new(&base), base, fallback: OnceLock::new() })
    }

    /// One document to PDF bytes.
    pub fn render(&self, doc: &OfficialDocument) -> Result<Vec<u8>, RenderError> {
        self.render_checked(doc).map(|r| r.pdf)
    }

    /// One document to PDF, with the page count and any character that had no glyph.
    pub fn render_checked(&self, doc: &OfficialDocument) -> Result<Rendered, RenderError> {
        self.compile(DOCUMENT_FILE, &|fonts| data::document(doc, fonts))
    }

    /// A printable form (收文处理单, 发文稿纸) to PDF bytes.
    pub fn render_form(&self, form: &FormSheet) -> Result<Vec<u8>, RenderError> {
        self.compile(FORM_FILE, &|fonts| form::data(form, fonts)).map(|r| r.pdf)
    }

    /// A printable list (a catalogue, a chronicle) to PDF.
    pub fn render_table(&self, sheet: &TableSheet) -> Result<Vec<u8>, RenderError> {
        self.compile(TABLE_FILE, &|fonts| table::data(sheet, fonts)).map(|r| r.pdf)
    }

    /// Lays out with the shipped (and administrator's) faces; only a text with a character
    /// they cannot draw (䶮, 𠮷…) is laid out again with Noto CJK added, so the large
    /// fallback faces stay out of memory until a document needs them.
    fn compile(&self, file: &str, inputs: &dyn Fn(&Dict) -> Dict) -> Result<Rendered, RenderError> {
        let first = self.primary.compile(file, inputs(&self.primary.fonts))?;
        if first.missing_glyphs.is_empty() {
            return Ok(first);
        }
        match self.fallback.get_or_init(|| self.base.with_system_fallbacks().map(|set| Engine::new(&set))) {
            Some(wider) => wider.compile(file, inputs(&wider.fonts)),
            None => Ok(first),
        }
    }
}

/// Glyph id 0 is `.notdef`: the font chosen (after fallback) has no drawing for it.
fn missing_glyphs(frame: &Frame, out: &mut Vec<char>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => missing_glyphs(&group.frame, out),
            FrameItem::Text(text) => {
                for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                    let chars = text.text.get(glyph.range()).unwrap_or_default();
                    out.extend(chars.chars().filter(|c| !c.is_whitespace()));
                }
            }
            _ => {}
        }
    }
}

fn layout_error(err: TypstAsLibError) -> RenderError {
    match err {
        TypstAsLibError::TypstSource(diags) => diagnostics(&diags),
        other => RenderError::Layout(other.to_string()),
    }
}

fn diagnostics(diags: &[SourceDiagnostic]) -> RenderError {
    let text: Vec<String> = diags.iter().map(|d| d.message.to_string()).collect();
    RenderError::Layout(text.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renderer_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Renderer>();
    }

    /// An administrator's fonts directory is read into the first set: a face there that
    /// draws 喆 needs no fallback (here Noto itself, linked in, stands for a licensed face).
    #[test]
    fn faces_in_a_font_directory_join_the_first_set() {
        let noto = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
        if !noto.exists() {
            eprintln!("skipped: no Noto CJK to stand in for a licensed face");
            return;
        }
        let dir = std::env::temp_dir().join(format!("mishu-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let link = dir.join("licensed.ttc");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(noto, &link).unwrap();
        let r = Renderer::with_font_dirs(std::slice::from_ref(&dir)).unwrap();
        let mut doc = sample::sample_document();
        doc.body.push(Block::Paragraph { text: "联系人：张喆".into() });
        let out = r.render_checked(&doc).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(out.missing_glyphs.is_empty(), "{:?}", out.missing_glyphs);
        assert!(r.fallback.get().is_none(), "drawn from the directory's face, not the fallback");
    }

    /// Names such as 王䶮 or 张喆 are beyond Fandol: the Noto faces are loaded for them, and
    /// only for them (they are ~70 MB of a server's private memory).
    #[test]
    fn the_system_fallback_is_loaded_only_for_a_character_fandol_lacks() {
        let r = Renderer::new().unwrap();
        let plain = r.render_checked(&sample::sample_document()).unwrap();
        assert!(plain.missing_glyphs.is_empty());
        assert!(r.fallback.get().is_none(), "a plain document needs no fallback");
        let noto = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists();
        let mut doc = sample::sample_document();
        doc.body.push(Block::Paragraph { text: "联系人：王䶮、张喆".into() });
        let rare = r.render_checked(&doc).unwrap();
        if noto {
            assert!(rare.missing_glyphs.is_empty(), "drawn from Noto: {:?}", rare.missing_glyphs);
            assert!(r.fallback.get().is_some_and(Option::is_some));
        } else {
            assert_eq!(rare.missing_glyphs, vec!['䶮', '喆'], "reported without Noto");
        }
    }
}
