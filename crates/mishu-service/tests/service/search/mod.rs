//! Search (architecture §6) on each database: recall against SQL `LIKE` on a generated corpus,
//! access trimming inside the query (no hit, no title, no count), the change record keeping
//! the index current, rebuilds, and bad queries refused at the edge.

mod access;
mod changes;
mod recall;

use mishu_domain::access::Actor;
use mishu_service::search::{self, RawSearch, SearchPage, SearchQuery};
use mishu_service::{Services, args};

fn query(q: &str) -> SearchQuery {
    SearchQuery::parse(&RawSearch { q: Some(q.into()), limit: Some("100".into()), ..RawSearch::default() }).unwrap()
}

/// Every hit of `q` the actor may read, through all pages.
async fn all_hits(s: &Services, who: &Actor, q: &str) -> (usize, Vec<(String, i64)>) {
    let mut query = query(q);
    let mut out = Vec::new();
    let mut total = 0;
    loop {
        let page: SearchPage = search::search(s, who, &query).await.unwrap();
        total = total.max(page.total);
        out.extend(page.hits.iter().map(|h| (h.domain.code().to_string(), h.id)));
        match page.next_offset {
            Some(n) => query.offset = n,
            None => break,
        }
    }
    (total, out)
}

async fn changes(s: &Services) -> i64 {
    let (n,): (i64,) = s.db.fetch_one("SELECT COUNT(*) FROM search_changes", args![]).await.unwrap();
    n
}
