//! The administrators' pages. The system administrator's organisation pages live here: the
//! organ and its department tree (`org`), people (`people`, with supervision in
//! `supervision`), importing departments and people from spreadsheets (`import`), and this
//! node's standing (`system`).

mod import;
mod org;
mod people;
mod supervision;
mod system;

use crate::error::{AppError, AppResult};
use crate::routes::Routes;
use mishu_service::org::TreeEntry;
use std::str::FromStr;

pub fn routes(r: Routes) -> Routes {
    let r = org::routes(r);
    let r = people::routes(r);
    let r = supervision::routes(r);
    let r = system::routes(r);
    import::routes(r)
}

/// An optional id from a `<select>`: empty means none.
fn optional_id<T: FromStr>(field: &'static str, raw: &str) -> AppResult<Option<T>> {
    match raw.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| AppError::BadRequest { field, message: "choose from the list".into() }),
    }
}

/// A sort order: empty means 0; otherwise a whole number.
fn sort_order(raw: &str) -> AppResult<i64> {
    match raw.trim() {
        "" => Ok(0),
        v => v.parse().map_err(|_| AppError::BadRequest { field: "sort", message: "a whole number".into() }),
    }
}

/// A department offered in a `<select>`: its id and its full path, active ones only.
pub struct DepartmentOption {
    pub id: i64,
    pub path: String,
}

fn department_options(tree: &[TreeEntry]) -> Vec<DepartmentOption> {
    tree.iter()
        .filter(|e| e.department.active)
        .map(|e| DepartmentOption { id: e.department.department_id, path: e.path.clone() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mishu_domain::DepartmentId;

    #[test]
    fn optional_ids_and_sort_orders() {
        assert_eq!(optional_id::<DepartmentId>("parent", "").unwrap(), None);
        assert_eq!(optional_id::<DepartmentId>("parent", " 7 ").unwrap(), Some(DepartmentId(7)));
        assert!(optional_id::<DepartmentId>("parent", "x").is_err());
        assert_eq!(sort_order("").unwrap(), 0);
        assert_eq!(sort_order("-3").unwrap(), -3);
        assert!(sort_order("1.5").is_err());
    }
}
