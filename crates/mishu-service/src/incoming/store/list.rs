//! The register's query: the list filters and the access policy as one WHERE clause, so a
//! page and its count hold exactly the documents the actor may read (not a filtered slice
//! of the first rows). A page is found as ids first and read whole after, so a register of
//! 100,000 documents is never sorted row by row to show fifty.

use super::{IncomingFilter, IncomingRow, SELECT};
use crate::db::{Arg, Db, DbResult};
use mishu_domain::Timestamp;
use mishu_domain::access::ReadScope;
use mishu_domain::incoming::IncomingState;

/// `incoming::subject` + `may_read` in SQL: the level is one the actor may read, and either
/// one of the actor's names is on the route (registered, proposed, holds or held a step,
/// acted on one, is a circulation reader of a live circulation), or the document is
/// unclassified and the actor's role reads every unclassified document. Incoming documents
/// belong to no department, so a department head's scope does not apply.
fn access(scope: &ReadScope, args: &mut Vec<Arg>) -> String {
    if scope.levels.is_empty() || scope.people.is_empty() {
        return "1 = 0".into();
    }
    let marks = |args: &mut Vec<Arg>| {
        let from = args.len();
        args.extend(scope.people.iter().map(|p| Arg::from(p.0)));
        (from + 1..=args.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    };
    let levels = {
        let from = args.len();
        args.extend(scope.levels.iter().map(|c| Arg::from(c.code().to_string())));
        (from + 1..=args.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
    };
    let (reg, prop, held, acted, reader) = (marks(args), marks(args), marks(args), marks(args), marks(args));
    // First, so an office-wide reader's unclassified documents pass before the EXISTS probes run.
    let office_wide = if scope.office_wide { "d.classification = 'none' OR " } else { "" };
    format!(
        "d.classification IN ({levels}) AND ({office_wide}d.registered_by IN ({reg}) OR d.proposed_by IN ({prop})
           OR EXISTS (SELECT 1 FROM incoming_steps s WHERE s.incoming_id = d.incoming_id
                      AND ((s.state IN ('open', 'done', 'returned') AND s.person_id IN ({held})) OR s.acted_by IN ({acted})))
           OR EXISTS (SELECT 1 FROM incoming_circulation c JOIN tasks t ON t.task_id = c.task_id
                      WHERE c.incoming_id = d.incoming_id AND t.state <> 'cancelled' AND c.person_id IN ({reader})))"
    )
}

fn conditions(f: &IncomingFilter, scope: &ReadScope, args: &mut Vec<Arg>) -> String {
    let mut conds: Vec<String> = vec![access(scope, args)];
    if let Some(s) = &f.state {
        args.push(s.clone().into());
        conds.push(format!("d.state = ${}", args.len()));
    }
    if let Some(o) = f.organ.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        let escaped = o.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        args.push(format!("%{escaped}%").into());
        conds.push(format!("d.sender_organ LIKE ${} ESCAPE '\\'", args.len()));
    }
    if let Some(t) = &f.doc_type {
        args.push(t.clone().into());
        conds.push(format!("d.doc_type = ${}", args.len()));
    }
    if let Some(y) = f.year {
        args.push(y.into());
        conds.push(format!("d.reg_year = ${}", args.len()));
    }
    if let Some(dep) = f.department {
        args.push(dep.into());
        conds.push(format!(
            "EXISTS (SELECT 1 FROM incoming_steps s WHERE s.incoming_id = d.incoming_id AND s.department_id = ${})",
            args.len()
        ));
    }
    format!("WHERE {}", conds.join(" AND "))
}

/// The register's order for open documents: by deadline, so those past it come first
/// (an earlier deadline is the smaller one), then those without one, newest number first
/// among equals. The expression is the one migration 0032's partial index holds, so the
/// page reads fifty entries of it instead of sorting every open document.
const ORDER_OPEN: &str = "COALESCE(d.due_at, 9223372036854775807), d.reg_year DESC, d.reg_seq DESC, d.incoming_id DESC";
const ORDER_FINISHED: &str = "d.reg_year DESC, d.reg_seq DESC, d.incoming_id DESC";
const FINISHED: &str = "d.state IN ('closed', 'returned')";

/// Every state but the finished two, spelled out so the `(state, due_at)` index can seek them
/// and the open-order index (migration 0032, the same list in the same order) applies.
fn open_states() -> String {
    let open = IncomingState::ALL.iter().filter(|s| !matches!(s, IncomingState::Closed | IncomingState::Returned));
    format!("d.state IN ({})", open.map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", "))
}

/// Every matching document in the register's order (the XLSX export): one sort over all.
pub(in crate::incoming) async fn list(
    db: &Db,
    f: &IncomingFilter,
    scope: &ReadScope,
    now: Timestamp,
) -> DbResult<Vec<IncomingRow>> {
    let mut args = Vec::new();
    let filter = conditions(f, scope, &mut args);
    args.push(now.into());
    // Finished documents last, by number alone: for them the deadline keys are made equal.
    let sql = format!(
        "{SELECT} {filter} ORDER BY CASE WHEN {FINISHED} THEN 1 ELSE 0 END,
           CASE WHEN {FINISHED} THEN 0 ELSE CASE WHEN d.due_at IS NOT NULL AND d.due_at < ${n} THEN 0 ELSE 1 END END,
           CASE WHEN {FINISHED} THEN 0 ELSE COALESCE(d.due_at, 9223372036854775807) END, {ORDER_FINISHED}",
        n = args.len()
    );
    db.fetch_all(&sql, args).await
}

/// `limit` documents from `offset` in the register's order and whether more follow. The
/// open documents (few, by the state index) come first; the finished ones are read in
/// number order from the `(reg_year, reg_seq)` index and stop at the page's end.
pub(in crate::incoming) async fn page(
    db: &Db,
    f: &IncomingFilter,
    scope: &ReadScope,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<IncomingRow>, bool)> {
    let open = open_states();
    // How many open documents precede the finished ones; the first page starts at both
    // parts' beginnings and need not count.
    let n_open = if offset == 0 {
        0
    } else {
        let mut args = Vec::new();
        let filter = conditions(f, scope, &mut args);
        db.fetch_one::<(i64,)>(&format!("SELECT COUNT(*) FROM incoming_documents d {filter} AND {open}"), args).await?.0
    };
    // One more than asked says whether a next page exists.
    let want = limit + 1;
    let mut ids: Vec<i64> = Vec::new();
    if offset == 0 || offset < n_open {
        let mut args = Vec::new();
        let filter = conditions(f, scope, &mut args);
        args.push(want.into());
        args.push(offset.into());
        let (l, o) = (args.len() - 1, args.len());
        let sql = format!(
            "SELECT d.incoming_id FROM incoming_documents d {filter} AND {open} ORDER BY {ORDER_OPEN} LIMIT ${l} OFFSET ${o}"
        );
        ids.extend(db.fetch_all::<(i64,)>(&sql, args).await?.into_iter().map(|r| r.0));
    }
    let rest = want - ids.len() as i64;
    if rest > 0 {
        let mut args = Vec::new();
        let filter = conditions(f, scope, &mut args);
        args.push(rest.into());
        args.push((offset - n_open).max(0).into());
        let (l, o) = (args.len() - 1, args.len());
        // The state test is wrapped so no planner seeks the state index and sorts 100,000
        // rows: the number index, read backwards, gives the order and stops at the page.
        let sql = format!(
            "SELECT d.incoming_id FROM incoming_documents d {filter} AND (CASE WHEN {FINISHED} THEN 1 ELSE 0 END) = 1
             ORDER BY {ORDER_FINISHED} LIMIT ${l} OFFSET ${o}"
        );
        ids.extend(db.fetch_all::<(i64,)>(&sql, args).await?.into_iter().map(|r| r.0));
    }
    let more = ids.len() as i64 > limit;
    ids.truncate(limit.max(0) as usize);
    if ids.is_empty() {
        return Ok((vec![], more));
    }
    let marks = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let rows: Vec<IncomingRow> = db
        .fetch_all(&format!("{SELECT} WHERE d.incoming_id IN ({marks})"), ids.iter().map(|&i| Arg::from(i)).collect())
        .await?;
    let mut by_id: std::collections::HashMap<i64, IncomingRow> = rows.into_iter().map(|r| (r.incoming_id, r)).collect();
    Ok((ids.iter().filter_map(|i| by_id.remove(i)).collect(), more))
}

/// How many documents the same filter and access admit, all pages together.
pub(in crate::incoming) async fn count(db: &Db, f: &IncomingFilter, scope: &ReadScope) -> DbResult<i64> {
    let mut args = Vec::new();
    let filter = conditions(f, scope, &mut args);
    let sql = format!("SELECT COUNT(*) FROM incoming_documents d {filter}");
    db.fetch_one::<(i64,)>(&sql, args).await.map(|r| r.0)
}

#[cfg(test)]
mod tests {
    /// The partial index is used only while its WHERE and its columns are the page's own
    /// terms, word for word; a new state or a changed order must change the index too.
    #[test]
    fn the_open_order_index_is_the_page_query_s_own() {
        for sql in [
            include_str!("../../../migrations/sqlite/0032_incoming_open_order.sql"),
            include_str!("../../../migrations/postgres/0032_incoming_open_order.sql"),
        ] {
            let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
            let states = super::open_states().replace("d.", "");
            assert!(sql.contains(&format!("WHERE {states};")), "{states} in {sql}");
            let order = super::ORDER_OPEN.replace("d.", "");
            assert!(sql.contains(&format!("({order})")), "{order} in {sql}");
        }
    }
}
