//! The same-run references of performance.md D2, measured in process on the same data: a
//! bare argon2 verification, a raw 20-row range read, a `LIKE '%term%'` scan over the corpus
//! (and the recall of search against it), and a bare typst compile of the printed document.

use crate::corpus;
use crate::generate::Generated;
use mishu_domain::access::Actor;
use mishu_service::search::{self, RawSearch, SearchQuery};
use mishu_service::{Services, args, auth};
use std::collections::BTreeSet;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The bare argon2 verification the login pays for, median of five, same run.
pub async fn argon2_ms(s: &Services, g: &Generated) -> f64 {
    let mut v = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        auth::verify_password(&s.auth, &g.password, Some(&g.stored_hash)).await;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    median(v)
}

/// A raw 20-row range read of the user's open tasks (R_db_read's denominator), µs median.
pub async fn range_read_us(s: &Services, user: i64) -> anyhow::Result<f64> {
    let mut v = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let rows: Vec<(i64, String)> = s
            .db
            .fetch_all(
                "SELECT task_id, title FROM tasks WHERE assignee_id = $1 AND state = 'open' ORDER BY urgency DESC, due_at LIMIT 20",
                args![user],
            )
            .await?;
        std::hint::black_box(rows);
        v.push(t.elapsed().as_secs_f64() * 1e6);
    }
    Ok(median(v))
}

/// Every text of a received document the index holds, as `LIKE` sees it (numbers and step
/// texts aside: the bench documents have no steps, and their numbers hold no term).
const LIKE_WHERE: &str =
    "(title LIKE $1 OR COALESCE(proposal, '') LIKE $1 OR sender_organ LIKE $1 OR sender_number LIKE $1
    OR COALESCE(outcome, '') LIKE $1 OR COALESCE(reply, '') LIKE $1 OR COALESCE(return_reason, '') LIKE $1)";

/// One `SELECT COUNT(*) … LIKE '%term%'` scan per term, `reps` times: the median in ms and
/// the count per term.
pub async fn like_scan(s: &Services, reps: usize) -> anyhow::Result<(f64, Vec<(String, i64)>)> {
    let mut times = Vec::new();
    let mut counts = Vec::new();
    for term in corpus::terms() {
        let mut n = 0;
        for _ in 0..reps {
            let t = Instant::now();
            let (c,): (i64,) =
                s.db.fetch_one(
                    &format!("SELECT COUNT(*) FROM incoming_documents WHERE {LIKE_WHERE}"),
                    args![format!("%{term}%")],
                )
                .await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            n = c;
        }
        counts.push((term.to_string(), n));
    }
    Ok((median(times), counts))
}

/// Search times for a top-20 page of each fixed term, in process and one at a time, `reps`
/// rounds over the terms: the engine's own (R_search's numerator, performance.md D2: "p99 of
/// tantivy top-20 over the fixed term set": query, exact count, the page's keys) and the
/// whole service search (plus the database's check of the page and the snippets). Answers
/// ((p50, p99) engine, (p50, p99) service) in ms. The HTTP search scenario measures the
/// service under 16 connections, where queueing dominates.
pub async fn search_top20_ms(s: &Services, user: &Actor, reps: usize) -> anyhow::Result<((f64, f64), (f64, f64))> {
    let (mut engine, mut service) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        for term in corpus::terms() {
            let raw = RawSearch { q: Some(term.into()), limit: Some("20".into()), ..RawSearch::default() };
            let q = SearchQuery::parse(&raw).map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
            let t = Instant::now();
            let (total, keys) = search::engine_page(s, user, &q)?;
            engine.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let page = search::search(s, user, &q).await?;
            service.push(t.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(
                total == page.total && keys.len() >= page.hits.len(),
                "engine and service disagree on {term}"
            );
        }
    }
    let p = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        (at(0.5), at(0.99))
    };
    Ok((p(engine), p(service)))
}

/// Recall of search against `LIKE` on every term: |search ∩ LIKE| ÷ |LIKE| over received
/// documents, compared by id. Both sides are split by year and document type so each
/// search stays inside the deepest page the service serves (10,000), then paged through.
pub async fn recall(s: &Services, user: &Actor) -> anyhow::Result<serde_json::Value> {
    let buckets: Vec<(i64, String)> =
        s.db.fetch_all("SELECT DISTINCT reg_year, doc_type FROM incoming_documents ORDER BY 1, 2", args![]).await?;
    let mut per_term = serde_json::Map::new();
    let (mut all_like, mut all_found) = (0usize, 0usize);
    let mut extra = 0usize;
    for term in corpus::terms() {
        let (mut like_n, mut found_n) = (0usize, 0usize);
        for (year, doc_type) in &buckets {
            let like: Vec<(i64,)> = s
                .db
                .fetch_all(
                    &format!("SELECT incoming_id FROM incoming_documents WHERE {LIKE_WHERE} AND reg_year = $2 AND doc_type = $3"),
                    args![format!("%{term}%"), *year, doc_type.as_str()],
                )
                .await?;
            let like: BTreeSet<i64> = like.into_iter().map(|r| r.0).collect();
            let hits = search_ids(s, user, term, *year, doc_type).await?;
            like_n += like.len();
            found_n += like.intersection(&hits).count();
            extra += hits.difference(&like).count();
        }
        per_term.insert(term.to_string(), serde_json::json!({"like": like_n, "found": found_n}));
        all_like += like_n;
        all_found += found_n;
    }
    let worst = per_term
        .values()
        .map(|v| v["found"].as_f64().unwrap_or(0.0) / v["like"].as_f64().unwrap_or(0.0).max(1.0))
        .fold(1.0, f64::min);
    Ok(serde_json::json!({
        "recall": all_found as f64 / all_like.max(1) as f64,
        "worst_term_recall": worst,
        "search_hits_not_in_like": extra,
        "per_term": per_term,
    }))
}

async fn search_ids(
    s: &Services,
    user: &Actor,
    term: &str,
    year: i64,
    doc_type: &str,
) -> anyhow::Result<BTreeSet<i64>> {
    let mut ids = BTreeSet::new();
    let mut offset = Some(0usize);
    while let Some(o) = offset {
        let raw = RawSearch {
            q: Some(term.into()),
            domain: Some("incoming".into()),
            doc_type: Some(doc_type.into()),
            year: Some(year.to_string()),
            offset: Some(o.to_string()),
            limit: Some("100".into()),
            ..RawSearch::default()
        };
        let q = SearchQuery::parse(&raw).map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
        let page = search::search(s, user, &q).await?;
        ids.extend(page.hits.iter().map(|h| h.id));
        offset = page.next_offset.filter(|n| *n <= 10_000);
    }
    Ok(ids)
}

/// The bare typst compile of the same document with a long-lived renderer (fonts loaded
/// once), as `R_pdf`'s denominator: `(first renderer build + compile ms, median compile ms)`.
pub fn typst_compile_ms(doc: &mishu_render::OfficialDocument, reps: usize) -> anyhow::Result<(f64, f64)> {
    let t = Instant::now();
    let r = mishu_render::Renderer::new()?;
    std::hint::black_box(r.render(doc)?);
    let cold = t.elapsed().as_secs_f64() * 1000.0;
    let mut v = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        std::hint::black_box(r.render(doc)?);
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((cold, median(v)))
}
