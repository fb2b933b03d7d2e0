//! A departments file (部门名称, 上级部门, 排序): every row checked against the stored tree
//! and the rest of the file, then created parents-first inside the caller's transaction.

use super::parse::Row;
use super::resolve::{Node, Resolver};
use super::{RowError, org_error};
use crate::ServiceResult;
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::org::{DepartmentRow, NewDepartment, store};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::DepartmentName;
use mishu_domain::{DepartmentId, Timestamp};
use serde_json::json;
use std::collections::HashMap;

/// A row ready to store; its parent may be another row of the same file.
pub(super) struct Planned {
    name: DepartmentName,
    parent: Option<Node>,
    sort_order: i64,
}

const NAME: usize = 0;
const PARENT: usize = 1;
const SORT: usize = 2;

pub(super) fn parse_sort(raw: &str) -> Result<i64, RowError> {
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|n| (-1_000_000..=1_000_000).contains(n))
        .ok_or_else(|| RowError::new("sort", "not_a_number", raw, format!("sort: `{raw}` is not a whole number")))
}

/// One list of errors per row, and the plan (complete only when no row has errors).
pub(super) fn check(rows: &[Row], db: &[DepartmentRow]) -> (Vec<Vec<RowError>>, Vec<Option<Planned>>) {
    let mut errors: Vec<Vec<RowError>> = vec![Vec::new(); rows.len()];
    let names: Vec<Option<DepartmentName>> = rows
        .iter()
        .zip(errors.iter_mut())
        .map(|(r, errs)| DepartmentName::parse(&r.values[NAME]).map_err(|e| errs.push(org_error("name", e))).ok())
        .collect();
    let file = rows
        .iter()
        .zip(&names)
        .map(|(r, n)| (n.as_ref().map(|n| n.as_str().to_string()), r.values[PARENT].clone()))
        .collect();
    let mut resolver = Resolver::new(db, file);
    let parents: Vec<Option<Option<Node>>> =
        (0..rows.len()).map(|k| resolver.parent_of_row(k).map_err(|e| errors[k].push(e)).ok()).collect();
    for k in 0..rows.len() {
        if in_a_loop(k, &parents) && !errors[k].iter().any(|e| e.code == "cycle") {
            errors[k].push(RowError::new(
                "parent",
                "cycle",
                &rows[k].values[PARENT],
                "parent: the departments name each other as parent",
            ));
        }
    }
    let mut seen: HashMap<(Option<Node>, &str), usize> = HashMap::new();
    for (k, (name, parent)) in names.iter().zip(&parents).enumerate() {
        let (Some(name), Some(parent)) = (name, parent) else {
            continue;
        };
        let stored = match parent {
            Some(Node::File(_)) => false,
            p => db.iter().any(|d| {
                d.name == name.as_str()
                    && d.parent_id == p.and_then(|n| if let Node::Db(id) = n { Some(id) } else { None })
            }),
        };
        if stored {
            errors[k].push(RowError::new(
                "name",
                "exists",
                name.as_str(),
                format!("name: `{}` already exists there", name.as_str()),
            ));
        } else if let Some(first) = seen.insert((*parent, name.as_str()), rows[k].line) {
            let detail = format!("name: `{}` is already on line {first} under the same parent", name.as_str());
            errors[k].push(RowError::new("name", "duplicate_in_file", &first.to_string(), detail));
        }
    }
    let mut plan = Vec::with_capacity(rows.len());
    for (k, (name, parent)) in names.into_iter().zip(parents).enumerate() {
        let sort = parse_sort(&rows[k].values[SORT]).map_err(|e| errors[k].push(e)).ok();
        plan.push(match (name, parent, sort) {
            (Some(name), Some(parent), Some(sort_order)) => Some(Planned { name, parent, sort_order }),
            _ => None,
        });
    }
    (errors, plan)
}

/// Whether walking up from row `k` through rows of the file comes back to `k`.
fn in_a_loop(k: usize, parents: &[Option<Option<Node>>]) -> bool {
    let mut cursor = k;
    for _ in 0..parents.len() {
        match parents[cursor] {
            Some(Some(Node::File(p))) if p == k => return true,
            Some(Some(Node::File(p))) => cursor = p,
            _ => return false,
        }
    }
    false
}

/// Creates the planned departments, each after its parent; returns how many were created.
pub(super) async fn store_all(
    tx: &mut Tx,
    key: &[u8],
    origin: &Origin,
    now: Timestamp,
    plan: Vec<Planned>,
) -> ServiceResult<usize> {
    let mut ids: Vec<Option<DepartmentId>> = vec![None; plan.len()];
    let mut remaining = plan.len();
    while remaining > 0 {
        let before = remaining;
        for (k, p) in plan.iter().enumerate() {
            if ids[k].is_some() {
                continue;
            }
            let parent_id = match p.parent {
                None => None,
                Some(Node::Db(id)) => Some(DepartmentId(id)),
                Some(Node::File(j)) => match ids[j] {
                    Some(id) => Some(id),
                    None => continue,
                },
            };
            let d = NewDepartment { name: p.name.clone(), parent_id, sort_order: p.sort_order };
            let id = store::insert_department(tx, &d, now).await?;
            let detail = json!({"name": d.name.as_str(), "parent_id": parent_id, "import": true});
            audit::append(
                tx,
                key,
                origin,
                now,
                &AuditEvent::new("org.department_created", "department", Some(id.to_string()), detail),
            )
            .await?;
            ids[k] = Some(id);
            remaining -= 1;
        }
        // `check` refuses loops, so every pass places at least one row; this guards the invariant.
        if remaining == before {
            return Err(crate::ServiceError::invalid("parent", "the departments name each other as parent"));
        }
    }
    Ok(plan.len())
}
