//! The department tree in display order: each department followed by its sub-departments,
//! siblings by sort order, with the depth pages indent by and the full path (`办公室/秘书科`).

use super::{DepartmentRow, store};
use crate::{ServiceResult, Services};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct TreeEntry {
    pub department: DepartmentRow,
    /// 0 for a top-level department.
    pub depth: usize,
    /// Names from the top down, joined with `/`.
    pub path: String,
}

pub async fn department_tree(s: &Services) -> ServiceResult<Vec<TreeEntry>> {
    Ok(tree_order(store::departments(&s.db).await?))
}

/// Orders rows depth-first. Rows whose parent is missing are treated as top level, and a
/// cycle (which the services never store) cannot loop: every row is placed exactly once.
pub fn tree_order(mut rows: Vec<DepartmentRow>) -> Vec<TreeEntry> {
    rows.sort_by_key(|d| (d.sort_order, d.department_id));
    let known = |id: i64| rows.iter().any(|d| d.department_id == id);
    let roots: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].parent_id.is_none_or(|p| !known(p))).collect();
    let mut placed = vec![false; rows.len()];
    let mut out = Vec::with_capacity(rows.len());
    // Real roots first; anything left over (only possible with a cycle) starts its own branch.
    for start in roots.into_iter().chain(0..rows.len()) {
        let mut stack = vec![(start, 0, rows[start].name.clone())];
        while let Some((i, depth, path)) = stack.pop() {
            if std::mem::replace(&mut placed[i], true) {
                continue;
            }
            let id = rows[i].department_id;
            for (j, child) in rows.iter().enumerate().rev() {
                if child.parent_id == Some(id) && !placed[j] {
                    stack.push((j, depth + 1, format!("{path}/{}", child.name)));
                }
            }
            out.push(TreeEntry { department: rows[i].clone(), depth, path });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, name: &str, sort: i64) -> DepartmentRow {
        DepartmentRow { department_id: id, parent_id: parent, name: name.into(), sort_order: sort, active: true }
    }

    #[test]
    fn children_follow_their_parent_in_sort_order() {
        let rows = vec![
            row(1, None, "办公室", 1),
            row(2, Some(1), "行政科", 2),
            row(3, Some(1), "秘书科", 1),
            row(4, None, "财务处", 0),
            row(5, Some(3), "文书组", 0),
        ];
        let got: Vec<(String, usize)> = tree_order(rows).into_iter().map(|e| (e.path, e.depth)).collect();
        let want =
            [("财务处", 0), ("办公室", 0), ("办公室/秘书科", 1), ("办公室/秘书科/文书组", 2), ("办公室/行政科", 1)];
        assert_eq!(got, want.map(|(p, d)| (p.to_string(), d)));
    }

    #[test]
    fn a_cycle_or_missing_parent_still_places_every_row_once() {
        let rows = vec![row(1, Some(2), "甲", 0), row(2, Some(1), "乙", 0), row(3, Some(99), "丙", 0)];
        let got: Vec<String> = tree_order(rows).into_iter().map(|e| e.path).collect();
        assert_eq!(got, ["丙", "甲", "甲/乙"]);
    }
}
