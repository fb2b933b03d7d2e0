//! Static assets, compiled into the binary: offices run on closed networks.

use crate::error::AppError;
use crate::routes::Routes;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub fn routes(r: Routes) -> Routes {
    r.get("/assets/{file}", asset)
}

const FILES: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../assets/app.js")),
];

async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, mime, body) = FILES.iter().find(|(name, _, _)| *name == file).ok_or(AppError::NotFound)?;
    let mut res = (*body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(res)
}
