//! The register's query: the list filters and the access policy as one WHERE clause, so a
//! page and its count hold exactly the documents the actor may read (not a filtered slice
//! of the first rows).

use super::{IncomingFilter, IncomingRow, SELECT};
use crate::db::{Arg, Db, DbResult};
use mishu_domain::Timestamp;
use mishu_domain::access::ReadScope;

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
    let office_wide = if scope.office_wide { " OR d.classification = 'none'" } else { "" };
    format!(
        "d.classification IN ({levels}) AND (d.registered_by IN ({reg}) OR d.proposed_by IN ({prop})
           OR EXISTS (SELECT 1 FROM incoming_steps s WHERE s.incoming_id = d.incoming_id
                      AND ((s.state IN ('open', 'done', 'returned') AND s.person_id IN ({held})) OR s.acted_by IN ({acted})))
           OR EXISTS (SELECT 1 FROM incoming_circulation c JOIN tasks t ON t.task_id = c.task_id
                      WHERE c.incoming_id = d.incoming_id AND t.state <> 'cancelled' AND c.person_id IN ({reader})){office_wide})"
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

/// Open documents past their deadline first, then open ones by deadline, then finished ones
/// newest first. `window` is (limit, offset); `None` gives every matching document (export).
pub(in crate::incoming) async fn list(
    db: &Db,
    f: &IncomingFilter,
    scope: &ReadScope,
    now: Timestamp,
    window: Option<(i64, i64)>,
) -> DbResult<Vec<IncomingRow>> {
    let mut args = Vec::new();
    let filter = conditions(f, scope, &mut args);
    args.push(now.into());
    let now_mark = args.len();
    let page = match window {
        Some((limit, offset)) => {
            args.push(limit.into());
            args.push(offset.into());
            format!("LIMIT ${} OFFSET ${}", args.len() - 1, args.len())
        }
        None => String::new(),
    };
    let sql = format!(
        "{SELECT} {filter} ORDER BY
           CASE WHEN d.state IN ('closed', 'returned') THEN 2 WHEN d.due_at IS NOT NULL AND d.due_at < ${now_mark} THEN 0 ELSE 1 END,
           CASE WHEN d.state IN ('closed', 'returned') THEN 0 ELSE COALESCE(d.due_at, 9223372036854775807) END,
           d.reg_year DESC, d.reg_seq DESC, d.incoming_id DESC
         {page}"
    );
    db.fetch_all(&sql, args).await
}

/// How many documents the same filter and access admit, all pages together.
pub(in crate::incoming) async fn count(db: &Db, f: &IncomingFilter, scope: &ReadScope) -> DbResult<i64> {
    let mut args = Vec::new();
    let filter = conditions(f, scope, &mut args);
    let sql = format!("SELECT COUNT(*) FROM incoming_documents d {filter}");
    db.fetch_one::<(i64,)>(&sql, args).await.map(|r| r.0)
}
