//! Pages for electronic seals: making one for a seal, the seal's impression image, the
//! keeper's electronic stamping of an approved application's PDF or of the outgoing document it
//! names, the sealed file's download (also from the outgoing document's page), and the verify
//! page any business user can bring a sealed PDF to.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::incoming::upload::{UPLOAD_LIMIT, WithFiles};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::handler::Handler;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use mishu_domain::{OutgoingId, SealApplicationId, SealId};
use mishu_service::files::Upload;
use mishu_service::seals::esign::{self, SignatureRow, Verdict};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

pub fn routes(r: Routes) -> Routes {
    r.post("/seals/{id}/eseal", create)
        .get("/seals/{id}/impression.svg", impression)
        .post("/seals/applications/{id}/esign", stamp.layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
        .get("/seals/applications/{id}/sealed.pdf", sealed)
        .post("/seals/applications/{id}/esign-outgoing", stamp_outgoing)
        .get("/outgoing/{id}/sealed/{application}", sealed_outgoing)
        .get("/seals/verify", verify_form)
        .post("/seals/verify", verify.layer(DefaultBodyLimit::max(UPLOAD_LIMIT)))
}

async fn create(State(st): State<AppState>, user: User, Path(id): Path<SealId>) -> AppResult<Redirect> {
    esign::create(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/{id}")))
}

async fn impression(State(st): State<AppState>, user: User, Path(id): Path<SealId>) -> AppResult<Response> {
    let svg = esign::impression_svg(&st.services, &user.actor, id).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}

/// The one PDF of a multipart form.
fn one_pdf(form: WithFiles) -> AppResult<Upload> {
    let mut files = form.files;
    match files.len() {
        1 => Ok(files.remove(0)),
        _ => Err(AppError::BadRequest { field: "file", message: "choose one PDF file".into() }),
    }
}

async fn stamp(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealApplicationId>,
    form: WithFiles,
) -> AppResult<Redirect> {
    esign::stamp(&st.services, &user.actor, id, one_pdf(form)?, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/applications/{id}")))
}

/// The keeper seals the outgoing document an approved application names (rendered with the
/// impression, then signed).
async fn stamp_outgoing(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<SealApplicationId>,
) -> AppResult<Redirect> {
    esign::stamp_outgoing(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(Redirect::to(&format!("/seals/applications/{id}")))
}

async fn sealed(State(st): State<AppState>, user: User, Path(id): Path<SealApplicationId>) -> AppResult<Response> {
    let (row, bytes) = esign::sealed_file(&st.services, &user.actor, id).await?;
    Ok(sealed_download(&row, bytes))
}

/// A sealed copy of an outgoing document, for those who may read the document.
async fn sealed_outgoing(
    State(st): State<AppState>,
    user: User,
    Path((doc, application)): Path<(OutgoingId, SealApplicationId)>,
) -> AppResult<Response> {
    let (row, bytes) =
        esign::sealed_outgoing_file(&st.services, &user.actor, doc, application, &user.ctx.source_ip).await?;
    Ok(sealed_download(&row, bytes))
}

fn sealed_download(row: &SignatureRow, bytes: Vec<u8>) -> Response {
    let name = format!("{}（电子签章）.pdf", row.file_name.trim_end_matches(".pdf").trim_end_matches(".PDF"));
    let disposition = format!("attachment; filename*=UTF-8''{}", utf8_percent_encode(&name, NON_ALPHANUMERIC));
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "seals/verify.html")]
struct VerifyPage<'a> {
    ctx: &'a Ctx,
    verdict: Option<Verdict>,
    file_name: String,
}

async fn verify_form(user: User) -> AppResult<Response> {
    Ok(render(&VerifyPage { ctx: &user.ctx, verdict: None, file_name: String::new() }))
}

async fn verify(State(st): State<AppState>, user: User, form: WithFiles) -> AppResult<Response> {
    let file = one_pdf(form)?;
    let verdict = esign::verify(&st.services, &file.bytes).await?;
    Ok(render(&VerifyPage { ctx: &user.ctx, verdict: Some(verdict), file_name: file.filename }))
}
