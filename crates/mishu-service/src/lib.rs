//! Mishu's use cases. Each domain module opens a transaction, loads state through its
//! private `store`, asks the pure rules in `mishu_domain`, saves, appends audit records
//! in the same transaction and commits. Pages, the API and the CLI all call these.

pub mod archives;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod clock;
pub mod db;
pub mod demo;
pub mod files;
pub mod forms;
pub mod incoming;
pub mod keys;
pub mod labels;
pub mod leader_tasks;
pub mod meetings;
pub mod org;
pub mod outgoing;
pub mod phrases;
pub mod seals;
pub mod search;
pub mod settings;
pub mod tasks;

use crate::clock::Clock;
use crate::db::{Db, DbError};
use mishu_domain::archives::ArchiveError;
use mishu_domain::incoming::IncomingError;
use mishu_domain::leader_tasks::LeaderTaskError;
use mishu_domain::meetings::MeetingError;
use mishu_domain::org::OrgError;
use mishu_domain::outgoing::OutgoingError;
use mishu_domain::password::PasswordError;
use mishu_domain::seals::SealError;
use mishu_domain::tasks::TaskError;
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;

/// Everything a use case needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub audit_key: Arc<Vec<u8>>,
    pub data_dir: PathBuf,
    /// Stored files (scans, attachments, signed copies) under `<data_dir>/files/`.
    pub blobs: files::Blobs,
    pub auth: auth::AuthLimits,
    /// Per-node cache of the settings read on every request; shared by clones of `Services`.
    pub settings: Arc<settings::SettingsCache>,
    /// Per-node copy of the organisation's short lists, checked against `org_version`.
    pub org_cache: Arc<org::cache::OrgCache>,
    /// This node's search index (architecture §6). In memory until `serve` or `reindex`
    /// opens the one in the data folder (`search::SearchIndex::open`).
    pub search: Arc<search::SearchIndex>,
    /// The PDF renderer for official documents, shared by clones; built on first use.
    pub renderer: Arc<PdfRenderer>,
}

/// One `mishu_render::Renderer` per process, created on the first print (fonts load once,
/// and processes that never print never pay for it), with the licensed faces an
/// administrator put into `<data>/fonts/` (fonts/FONTS.md).
#[derive(Default)]
pub struct PdfRenderer {
    cell: std::sync::OnceLock<Option<mishu_render::Renderer>>,
    font_dirs: Vec<PathBuf>,
}

impl PdfRenderer {
    /// A renderer that will also load every font file directly inside `dir`.
    pub fn with_font_dir(dir: PathBuf) -> PdfRenderer {
        PdfRenderer { cell: std::sync::OnceLock::new(), font_dirs: vec![dir] }
    }

    /// Where the renderer looks for an administrator's fonts.
    pub fn font_dirs(&self) -> &[PathBuf] {
        &self.font_dirs
    }

    fn get(&self) -> Result<&mishu_render::Renderer, mishu_render::RenderError> {
        self.cell
            .get_or_init(|| mishu_render::Renderer::with_font_dirs(&self.font_dirs).ok())
            .as_ref()
            .ok_or(mishu_render::RenderError::Unavailable)
    }
    pub fn render(&self, doc: &mishu_render::OfficialDocument) -> Result<Vec<u8>, mishu_render::RenderError> {
        self.render_checked(doc).map(|r| r.pdf)
    }

    /// The PDF with its page count (the archives record 页数).
    pub fn render_checked(
        &self,
        doc: &mishu_render::OfficialDocument,
    ) -> Result<mishu_render::Rendered, mishu_render::RenderError> {
        self.get()?.render_checked(doc)
    }

    /// A printable form (收文处理单, 发文稿纸).
    pub fn render_form(&self, form: &mishu_render::FormSheet) -> Result<Vec<u8>, mishu_render::RenderError> {
        self.get()?.render_form(form)
    }

    /// A printable list (归档文件目录, 大事记).
    pub fn render_table(&self, sheet: &mishu_render::TableSheet) -> Result<Vec<u8>, mishu_render::RenderError> {
        self.get()?.render_table(sheet)
    }
}

impl std::fmt::Debug for PdfRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PdfRenderer")
    }
}

impl Services {
    pub fn new(db: Db, clock: Arc<dyn Clock>, audit_key: Vec<u8>, data_dir: PathBuf) -> Services {
        Services {
            db,
            clock,
            audit_key: Arc::new(audit_key),
            renderer: Arc::new(PdfRenderer::with_font_dir(data_dir.join("fonts"))),
            blobs: files::Blobs::on_disk(data_dir.clone()),
            data_dir,
            auth: auth::AuthLimits::default(),
            settings: Arc::default(),
            org_cache: Arc::default(),
            search: Arc::new(search::SearchIndex::in_ram()),
        }
    }
}

/// Errors from use cases. The web layer maps each to a status and a code in one place.
#[derive(Debug, Error)]
pub enum ServiceError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error(transparent)]
    Task(#[from] TaskError),
    #[error(transparent)]
    LeaderTask(#[from] LeaderTaskError),
    #[error(transparent)]
    Incoming(#[from] IncomingError),
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error(transparent)]
    Outgoing(#[from] OutgoingError),
    #[error(transparent)]
    Render(#[from] outgoing::RenderFailure),
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    #[error(transparent)]
    Esign(#[from] seals::esign::EsignError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Auth(#[from] auth::AuthError),
    /// The node's search index failed (a disk problem); the index is a cache, rebuildable.
    #[error("search index: {0}")]
    Search(String),
    /// The object's 密级 no longer matches its MAC: changed in the database behind the
    /// service's back (T18). Refused whoever asks; already audited.
    #[error("the security label of {kind} {id} fails its integrity check")]
    LabelIntegrity { kind: &'static str, id: i64 },
    #[error("import: {0} row(s) have errors; nothing was stored")]
    ImportRejected(usize),
}

impl ServiceError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ServiceError::Invalid { field, message: message.into() }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Db(DbError::Sqlx(e))
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// A multi-line text field the service checks itself, under the domain's one character
/// rule (`mishu_domain::text`), refused naming the field.
pub(crate) fn multiline(field: &'static str, text: &str) -> ServiceResult<()> {
    mishu_domain::text::check_multiline(text).map_err(|m| ServiceError::invalid(field, m))
}
