//! Search over JSON: the same query, filters and access trimming as the page.

use crate::AppState;
use crate::api::ApiError;
use crate::ctx::User;
use crate::error::AppResult;
use crate::routes::Routes;
use crate::search::{SearchParams, link};
use axum::Json;
use axum::extract::{Query, State};
use mishu_service::search::{self, Hit};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/search", search_api)
}

/// One page of hits the caller may read, with the exact count of all of them.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    total: usize,
    offset: usize,
    next_offset: Option<usize>,
    hits: Vec<SearchHit>,
}

/// One hit. `title_html` and `snippet_html` are escaped HTML with the matched terms in `<mark>`.
#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    /// `incoming`, `outgoing`, `leader_task`, `meeting`, `seal_application` or `archive`.
    domain: String,
    id: i64,
    title: String,
    title_html: String,
    snippet_html: String,
    doc_type: String,
    year: i64,
    state: String,
    /// RFC 3339, UTC.
    at: String,
    /// The object's page.
    url: String,
}

impl From<Hit> for SearchHit {
    fn from(h: Hit) -> Self {
        SearchHit {
            domain: h.domain.code().to_string(),
            id: h.id,
            url: link(h.domain, h.id),
            title: h.title,
            title_html: h.title_html,
            snippet_html: h.snippet_html,
            doc_type: h.doc_type,
            year: h.year,
            state: h.state,
            at: h.at.rfc3339(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, body = SearchResults), (status = 400, body = ApiError), (status = 401, body = ApiError)))]
pub async fn search_api(
    State(st): State<AppState>,
    user: User,
    Query(p): Query<SearchParams>,
) -> AppResult<Json<SearchResults>> {
    let q = p.parse()?;
    let page = search::search(&st.services, &user.actor, &q).await?;
    let hits = page.hits.into_iter().map(SearchHit::from).collect();
    Ok(Json(SearchResults { total: page.total, offset: page.offset, next_offset: page.next_offset, hits }))
}
