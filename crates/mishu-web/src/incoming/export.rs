//! The register (收文登记簿) as an XLSX download, with the list's filters; the words come
//! from the reader's catalogue, the rows only from documents they may see.

use super::ListQuery;
use crate::AppState;
use crate::ctx::User;
use crate::error::AppResult;
use axum::extract::{Query, State};
use axum::response::Response;
use mishu_service::incoming;

pub async fn register_xlsx(State(st): State<AppState>, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let filter = q.filter()?;
    let words = |key: &str| user.ctx.t(key).to_string();
    let bytes = incoming::export_register(&st.services, &user.actor, &filter, &words, &user.ctx.source_ip).await?;
    let name = format!("{}-{}.xlsx", user.ctx.t("incoming.export.sheet"), st.services.clock.now().local_date());
    Ok(crate::pages::xlsx(bytes, &name))
}
