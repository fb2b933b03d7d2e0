//! Circulation (传阅) forms: the office sends a document to readers or recalls unread copies;
//! a reader marks their copy read. The per-reader status is on the document page.

use super::actions::Fields;
use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Redirect;
use mishu_domain::{IncomingId, PersonId};
use mishu_service::incoming;

pub fn routes(r: Routes) -> Routes {
    r.post("/incoming/{id}/circulate", circulate)
        .post("/incoming/{id}/circulation/read", mark_read)
        .post("/incoming/{id}/circulation/recall", recall)
}

fn back(id: IncomingId) -> Redirect {
    Redirect::to(&format!("/incoming/{id}#circulation"))
}

fn person(field: &'static str, raw: &str) -> AppResult<PersonId> {
    raw.parse().map_err(|_| AppError::BadRequest { field, message: "choose from the list".into() })
}

async fn circulate(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let people = f.all("reader").map(|r| person("readers", r)).collect::<AppResult<_>>()?;
    let departments = f
        .all("dept")
        .map(|d| {
            d.parse().map_err(|_| AppError::BadRequest { field: "departments", message: "choose from the list".into() })
        })
        .collect::<AppResult<_>>()?;
    let readers = incoming::Readers { people, departments };
    let must_read = f.one("must_read") == "1";
    let done =
        incoming::circulate(&st.services, &user.actor, id, &readers, must_read, f.one("note"), &user.ctx.source_ip)
            .await?;
    Ok(Redirect::to(&format!("/incoming/{id}?circulated={}&not_cleared={}#circulation", done.sent, done.not_cleared)))
}

async fn mark_read(State(st): State<AppState>, user: User, Path(id): Path<IncomingId>) -> AppResult<Redirect> {
    incoming::mark_circulation_read(&st.services, &user.actor, id, &user.ctx.source_ip).await?;
    Ok(back(id))
}

async fn recall(
    State(st): State<AppState>,
    user: User,
    Path(id): Path<IncomingId>,
    Form(f): Form<Vec<(String, String)>>,
) -> AppResult<Redirect> {
    let f = Fields(f);
    let reader = match f.one("reader") {
        "" => None,
        raw => Some(person("reader", raw)?),
    };
    incoming::recall_circulation(&st.services, &user.actor, id, reader, &user.ctx.source_ip).await?;
    Ok(back(id))
}
