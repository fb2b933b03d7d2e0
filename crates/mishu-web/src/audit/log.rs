//! The log itself: the filtered table, newest first, 100 to a page; and its CSV download.

use super::FilterQuery;
use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::pages::render;
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use mishu_service::audit::{self, NamedRecord, Origin, export};
use mishu_service::org::{self, PersonRow};

const PAGE: usize = 100;

/// A record as shown: names resolved to words, the action's label if the catalogue has one.
pub struct RecordView {
    pub r: NamedRecord,
    pub actor: String,
    pub acting_for: String,
    pub label: &'static str,
}

/// `auth.login` → the catalogue's `audit_action.auth_login`, or "" for an action without one.
pub fn action_label(ctx: &Ctx, action: &str) -> &'static str {
    let key = format!("audit_action.{}", action.replace('.', "_"));
    if crate::i18n::has_key(ctx.locale, &key) { ctx.t(&key) } else { "" }
}

/// A person's name; their number if the person is gone; nothing when there is no one.
fn name_or_id(id: Option<i64>, name: Option<&str>) -> String {
    match (id, name) {
        (_, Some(n)) => n.to_string(),
        (Some(id), None) => format!("#{id}"),
        (None, None) => String::new(),
    }
}

fn view(ctx: &Ctx, r: NamedRecord) -> RecordView {
    let mut actor = name_or_id(r.actor_id, r.actor_name.as_deref());
    if actor.is_empty() {
        actor = ctx.t("audit.system").to_string();
    }
    RecordView {
        acting_for: name_or_id(r.acting_for, r.acting_for_name.as_deref()),
        label: action_label(ctx, &r.action),
        actor,
        r,
    }
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    rows: Vec<RecordView>,
    people: Vec<PersonRow>,
    q: FilterQuery,
    /// The chosen actor, 0 for anyone (templates compare plain numbers easily).
    actor: i64,
    query: String,
    older: Option<i64>,
    paged: bool,
}

pub async fn list(State(st): State<AppState>, user: User, Query(q): Query<FilterQuery>) -> AppResult<Response> {
    let filter = q.filter(Some(PAGE as i64))?;
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    let records = audit::browse(&st.services, &origin, &filter).await?;
    let older = (records.len() == PAGE).then(|| records.last().map(|r| r.seq)).flatten();
    let rows = records.into_iter().map(|r| view(&user.ctx, r)).collect();
    let people = org::people(&st.services, None).await?;
    let page = ListPage {
        ctx: &user.ctx,
        rows,
        people,
        actor: filter.actor_id.unwrap_or(0),
        query: q.query_string(),
        older,
        paged: filter.before_seq.is_some(),
        q,
    };
    Ok(render(&page))
}

/// Streams the CSV: `audit.exported` (filter, row count) is committed before the first byte.
pub async fn export_csv(State(st): State<AppState>, user: User, Query(q): Query<FilterQuery>) -> AppResult<Response> {
    let filter = q.filter(None)?;
    let origin = Origin::of(&user.actor, &user.ctx.source_ip);
    let header: Vec<&str> = export::COLUMNS.iter().map(|c| user.ctx.tk("audit.col", c)).collect();
    let ex = export::begin(&st.services, &origin, &filter, &header).await?;
    let name = format!("audit-{}.csv", st.services.clock.now().local_date().format("%Y%m%d"));
    let services = st.services.clone();
    let chunks = futures_util::stream::try_unfold(ex, move |mut ex| {
        let services = services.clone();
        async move {
            match ex.next_chunk(&services).await {
                Ok(Some(bytes)) => Ok(Some((Bytes::from(bytes), ex))),
                Ok(None) => Ok(None),
                Err(e) => {
                    // The status is already sent; the download ends short and the log says why.
                    tracing::error!(error = %e, "audit export failed part-way");
                    Err(std::io::Error::other(e.to_string()))
                }
            }
        }
    });
    let mut res = Body::from_stream(chunks).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
