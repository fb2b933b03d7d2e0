//! Printable forms as PDF (收文处理单, 发文稿纸): what the domains share to print one. The
//! labels come from the caller in the viewer's language (the catalogue lives in the web
//! crate, which this crate may not depend on); the layout is `mishu_render`'s form
//! template; rendering is CPU work and runs on the blocking pool.

use crate::outgoing::RenderFailure;
use crate::{PdfRenderer, ServiceError, ServiceResult, Services};
use mishu_domain::Timestamp;
use mishu_render::{FormSheet, RenderError, TableSheet};

/// The catalogue, in the viewer's language, as a form sees it.
pub trait Labels: Send + Sync {
    /// The text for `key`, each `{name}` placeholder replaced by its value in `args`.
    fn tf(&self, key: &str, args: &[(&str, &str)]) -> String;

    fn t(&self, key: &str) -> String {
        self.tf(key, &[])
    }

    /// A key built from a prefix and a stored code: `tk("clearance", "secret")`.
    fn tk(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}.{code}"))
    }
}

/// An instant as the printable pages show it (office time, to the minute); empty for none.
pub(crate) fn time(ms: Option<i64>) -> String {
    ms.map(|m| Timestamp(m).local_display()).unwrap_or_default()
}

/// The line under an opinion: who, then when, as on paper ("张敏　2026-11-20 09:30").
pub(crate) fn sign_line(name: &str, when: &str) -> String {
    format!("{name}\u{3000}{when}").trim().to_string()
}

/// One form to PDF bytes, off the async runtime.
pub(crate) async fn render(s: &Services, form: FormSheet) -> ServiceResult<Vec<u8>> {
    off_runtime(s, move |r| r.render_form(&form)).await
}

/// One printable list (a catalogue, a chronicle) to PDF bytes, off the async runtime.
pub(crate) async fn render_table(s: &Services, sheet: TableSheet) -> ServiceResult<Vec<u8>> {
    off_runtime(s, move |r| r.render_table(&sheet)).await
}

/// Runs a typst render on the blocking pool (it is CPU work of tens of milliseconds): the one
/// place every printed PDF (forms, official documents, archived originals) goes through.
pub(crate) async fn off_runtime<T: Send + 'static>(
    s: &Services,
    job: impl FnOnce(&PdfRenderer) -> Result<T, RenderError> + Send + 'static,
) -> ServiceResult<T> {
    let renderer = s.renderer.clone();
    let out = tokio::task::spawn_blocking(move || job(&renderer))
        .await
        .map_err(|e| ServiceError::Conflict(format!("renderer stopped: {e}")))?;
    Ok(out.map_err(RenderFailure::from)?)
}
