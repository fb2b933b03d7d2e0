//! Forms that may carry files (registration, a department's reply): read either as
//! multipart (CSRF token in the query, own body limit) or as a plain urlencoded form, and
//! the download of an attachment with its Chinese filename kept.

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Form, RequestExt};
use mishu_domain::IncomingId;
use mishu_service::files::{FileKind, MAX_FILE_BYTES, Upload};
use mishu_service::incoming;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// The body limit of routes that take files: two files at the limit plus the envelope. A
/// single file over the limit still gets through to the check that names it.
pub const UPLOAD_LIMIT: usize = 2 * MAX_FILE_BYTES + 1024 * 1024;

/// The text fields of a form, as pairs (checkboxes may repeat), and its files.
pub struct WithFiles {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl<S: Send + Sync> FromRequest<S> for WithFiles {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, AppError> {
        let bad = |message: String| AppError::BadRequest { field: "files", message };
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let Form(fields) = req
                .extract::<Form<Vec<(String, String)>>, _>()
                .await
                .map_err(|e| AppError::BadRequest { field: "form", message: e.body_text() })?;
            return Ok(WithFiles { fields, files: vec![] });
        }
        let mut mp = req.extract::<Multipart, _>().await.map_err(|e| bad(e.body_text()))?;
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(filename) => {
                    let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                    // A file input left empty still sends a part with no name and no bytes.
                    if !(filename.is_empty() && bytes.is_empty()) {
                        files.push(Upload { field: "files", filename, bytes: bytes.to_vec() });
                    }
                }
                None => fields.push((name, field.text().await.map_err(|e| bad(e.body_text()))?)),
            }
        }
        Ok(WithFiles { fields, files })
    }
}

/// An attachment, through the document's access check; saved under its own name.
pub async fn download(
    State(st): State<AppState>,
    user: User,
    Path((id, file_id)): Path<(IncomingId, i64)>,
) -> AppResult<Response> {
    let (row, bytes) = incoming::files::download(&st.services, &user.actor, id, file_id, &user.ctx.source_ip).await?;
    let content_type = FileKind::parse(&row.kind).map_or("application/octet-stream", FileKind::content_type);
    let disposition = format!("attachment; filename*=UTF-8''{}", utf8_percent_encode(&row.filename, NON_ALPHANUMERIC));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
