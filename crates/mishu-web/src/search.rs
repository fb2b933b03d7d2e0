//! The search page: one box across every domain (the header carries it on every page), the
//! filters, and the hits the actor may read with their terms marked. The API twin is in
//! `api::search`.

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::pages::render;
use crate::routes::Routes;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use mishu_service::org::{self, DepartmentRow};
use mishu_service::search::{self, Domain, QueryError, RawSearch, SearchPage, SearchQuery};
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/search", page)
}

/// The query string, every value still text: `SearchQuery::parse` decides.
#[derive(Deserialize, Default, utoipa::IntoParams)]
pub struct SearchParams {
    /// The words, at most 200 characters, no control characters. Each word must occur.
    q: Option<String>,
    /// `incoming`, `outgoing`, `leader_task`, `meeting`, `seal_application` or `archive`; all when
    /// absent.
    domain: Option<String>,
    /// A document type code (收文 and 发文 文种), e.g. `notice`.
    doc_type: Option<String>,
    /// A year, e.g. `2026`.
    year: Option<String>,
    /// A department id: objects that concern it.
    department: Option<String>,
    /// A state code of the domain, e.g. `closed`.
    state: Option<String>,
    /// Hits to skip, 0–10000.
    offset: Option<String>,
    /// Hits per page, 1–100 (default 20).
    limit: Option<String>,
}

impl SearchParams {
    pub fn parse(self) -> AppResult<SearchQuery> {
        let raw = RawSearch {
            q: self.q,
            domain: self.domain,
            doc_type: self.doc_type,
            year: self.year,
            department: self.department,
            state: self.state,
            offset: self.offset,
            limit: self.limit,
        };
        SearchQuery::parse(&raw).map_err(|QueryError { field, message }| AppError::BadRequest { field, message })
    }
}

/// Where a hit opens: the domain's own page.
pub fn link(domain: Domain, id: i64) -> String {
    match domain {
        Domain::Incoming => format!("/incoming/{id}"),
        Domain::LeaderTask => format!("/leader-tasks/{id}"),
        Domain::Meeting => format!("/meetings/{id}"),
        Domain::SealApplication => format!("/seals/applications/{id}"),
        Domain::Outgoing => format!("/outgoing/{id}"),
        Domain::Archive => format!("/archives/items/{id}"),
    }
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct ResultsPage<'a> {
    ctx: &'a Ctx,
    q: SearchQuery,
    page: SearchPage,
    departments: Vec<DepartmentRow>,
    domains: [Domain; 6],
}

impl ResultsPage<'_> {
    fn link(&self, domain: &Domain, id: &i64) -> String {
        link(*domain, *id)
    }
    fn selected_domain(&self, d: &Domain) -> bool {
        self.q.domain == Some(*d)
    }
    fn selected_department(&self, id: &i64) -> bool {
        self.q.department == Some(*id)
    }
    /// The same search at another offset, filters kept.
    fn page_href(&self, offset: &usize) -> String {
        let enc = |v: &str| percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string();
        let mut pairs = vec![("q", enc(&self.q.text))];
        pairs.extend(self.q.domain.map(|d| ("domain", d.code().to_string())));
        pairs.extend(self.q.doc_type.as_deref().map(|v| ("doc_type", enc(v))));
        pairs.extend(self.q.state.as_deref().map(|v| ("state", enc(v))));
        pairs.extend(self.q.year.map(|y| ("year", y.to_string())));
        pairs.extend(self.q.department.map(|d| ("department", d.to_string())));
        pairs.push(("offset", offset.to_string()));
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("/search?{}", query.join("&"))
    }
    fn prev_offset(&self) -> Option<usize> {
        (self.q.offset > 0).then(|| self.q.offset.saturating_sub(self.q.limit))
    }
}

async fn page(State(st): State<AppState>, user: User, Query(p): Query<SearchParams>) -> AppResult<Response> {
    let q = p.parse()?;
    let page = search::search(&st.services, &user.actor, &q).await?;
    let departments = org::departments(&st.services).await?.into_iter().filter(|d| d.active).collect();
    Ok(render(&ResultsPage { ctx: &user.ctx, q, page, departments, domains: Domain::ALL }))
}
