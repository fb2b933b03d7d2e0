//! The system administrator's view of this node: which node and database answer, and its
//! search index against the change record, with the one action it offers: asking every node
//! to rebuild its index while serving (audited in the service).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Redirect, Response};
use mishu_service::audit::Origin;
use mishu_service::search::{self, IndexStatus};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/admin/system", page).post("/admin/system/reindex", reindex)
}

#[derive(Deserialize, Default)]
pub struct Done {
    requested: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/system.html")]
struct SystemPage<'a> {
    ctx: &'a Ctx,
    node: &'a str,
    database: &'static str,
    index: IndexStatus,
    keep_days: i64,
    requested: Option<i64>,
}

async fn page(State(st): State<AppState>, user: User, Query(q): Query<Done>) -> AppResult<Response> {
    let index = search::status(&st.services).await?;
    Ok(render(&SystemPage {
        ctx: &user.ctx,
        node: &st.config.node_name,
        database: st.services.db.backend(),
        index,
        keep_days: search::KEEP_DAYS,
        requested: q.requested,
    }))
}

async fn reindex(State(st): State<AppState>, user: User) -> AppResult<Redirect> {
    let mark = search::request_rebuild(&st.services, &Origin::of(&user.actor, &user.ctx.source_ip)).await?;
    Ok(Redirect::to(&format!("/admin/system?requested={mark}")))
}
