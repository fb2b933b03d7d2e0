//! Finding the department a cell names. A cell holds a name (`秘书科`) or, when a name is
//! used in more than one place, a path from any ancestor down (`党政办公室/秘书科`). Candidates
//! are the departments already stored and, for a departments file, the file's own rows, in
//! any order: a parent may be defined further down the same file.

use super::RowError;
use crate::org::DepartmentRow;

/// A department already stored, or the department a row of the file will create.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Node {
    Db(i64),
    File(usize),
}

#[derive(Clone)]
enum State {
    Todo,
    Visiting,
    Done(Result<Option<Node>, RowError>),
}

pub(super) struct Resolver<'a> {
    db: &'a [DepartmentRow],
    /// Per file row: its valid name (None when the name itself is wrong) and its parent cell.
    file: Vec<(Option<String>, String)>,
    memo: Vec<State>,
}

impl<'a> Resolver<'a> {
    pub fn new(db: &'a [DepartmentRow], file: Vec<(Option<String>, String)>) -> Self {
        let memo = vec![State::Todo; file.len()];
        Resolver { db, file, memo }
    }

    fn name(&self, n: Node) -> Option<&str> {
        match n {
            Node::Db(id) => self.db.iter().find(|d| d.department_id == id).map(|d| d.name.as_str()),
            Node::File(k) => self.file[k].0.as_deref(),
        }
    }

    /// The parent of a node, or None when it is unknown (a file row whose parent cell is wrong).
    fn parent(&mut self, n: Node) -> Option<Option<Node>> {
        match n {
            Node::Db(id) => self.db.iter().find(|d| d.department_id == id).map(|d| d.parent_id.map(Node::Db)),
            Node::File(k) => self.parent_of_row(k).ok(),
        }
    }

    /// Whether `n` sits under the chain `prefix` (nearest ancestor last).
    fn under(&mut self, n: Node, prefix: &[&str]) -> bool {
        let Some((last, rest)) = prefix.split_last() else {
            return true;
        };
        match self.parent(n) {
            Some(Some(p)) => self.name(p) == Some(*last) && self.under(p, rest),
            _ => false,
        }
    }

    /// The parent named by file row `k` (memoised; a row met again while being resolved is a loop).
    pub fn parent_of_row(&mut self, k: usize) -> Result<Option<Node>, RowError> {
        match &self.memo[k] {
            State::Done(r) => return r.clone(),
            State::Visiting => {
                return Err(RowError::new("parent", "cycle", "", "parent: the departments name each other as parent"));
            }
            State::Todo => {}
        }
        self.memo[k] = State::Visiting;
        let reference = self.file[k].1.clone();
        let mut r = self.lookup("parent", &reference);
        if r == Ok(Some(Node::File(k))) {
            r = Err(RowError::new("parent", "cycle", &reference, "parent: a department cannot be its own parent"));
        }
        self.memo[k] = State::Done(r.clone());
        r
    }

    /// The department a cell names; an empty cell means none (top level, or no department).
    pub fn lookup(&mut self, field: &'static str, reference: &str) -> Result<Option<Node>, RowError> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Ok(None);
        }
        let segments: Vec<&str> = reference.split('/').map(str::trim).collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(RowError::new(field, "invalid", reference, format!("{field}: invalid value `{reference}`")));
        }
        let (last, prefix) = segments.split_last().unwrap_or((&"", &[]));
        let mut candidates: Vec<Node> =
            self.db.iter().filter(|d| d.name == *last).map(|d| Node::Db(d.department_id)).collect();
        candidates.extend((0..self.file.len()).filter(|k| self.file[*k].0.as_deref() == Some(*last)).map(Node::File));
        let found: Vec<Node> = candidates.into_iter().filter(|c| self.under(*c, prefix)).collect();
        match found.as_slice() {
            [one] => {
                if let Node::Db(id) = one
                    && self.db.iter().any(|d| d.department_id == *id && !d.active)
                {
                    return Err(RowError::new(
                        field,
                        "disabled_department",
                        reference,
                        format!("{field}: `{reference}` is disabled"),
                    ));
                }
                Ok(Some(*one))
            }
            [] => Err(RowError::new(
                field,
                "unknown_department",
                reference,
                format!("{field}: `{reference}` does not exist"),
            )),
            _ => Err(RowError::new(
                field,
                "ambiguous_department",
                reference,
                format!("{field}: `{reference}` names several departments; write the path, such as `上级/{last}`"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Vec<DepartmentRow> {
        let row = |id, parent, name: &str| DepartmentRow {
            department_id: id,
            parent_id: parent,
            name: name.into(),
            sort_order: 0,
            active: id != 9,
        };
        vec![
            row(1, None, "党政办公室"),
            row(2, Some(1), "综合科"),
            row(3, None, "教务处"),
            row(4, Some(3), "综合科"),
            row(9, None, "旧处"),
        ]
    }

    #[test]
    fn names_paths_and_their_failures() {
        let db = db();
        let mut r = Resolver::new(&db, vec![]);
        assert_eq!(r.lookup("department", "教务处"), Ok(Some(Node::Db(3))));
        assert_eq!(r.lookup("department", " 教务处 / 综合科 "), Ok(Some(Node::Db(4))));
        assert_eq!(r.lookup("department", ""), Ok(None));
        let code = |res: Result<Option<Node>, RowError>| res.unwrap_err().code;
        assert_eq!(code(r.lookup("department", "综合科")), "ambiguous_department");
        assert_eq!(code(r.lookup("department", "宣传部")), "unknown_department");
        assert_eq!(code(r.lookup("department", "旧处")), "disabled_department");
        assert_eq!(code(r.lookup("department", "教务处//综合科")), "invalid");
    }

    #[test]
    fn file_rows_may_name_parents_defined_later_but_not_loops() {
        let db = db();
        let file = vec![
            (Some("秘书组".to_string()), "新办/综合组".to_string()),
            (Some("综合组".to_string()), "新办".to_string()),
            (Some("新办".to_string()), String::new()),
            (Some("甲".to_string()), "甲".to_string()),
        ];
        let mut r = Resolver::new(&db, file);
        assert_eq!(r.parent_of_row(0), Ok(Some(Node::File(1))));
        assert_eq!(r.parent_of_row(1), Ok(Some(Node::File(2))));
        assert_eq!(r.parent_of_row(2), Ok(None));
        assert_eq!(r.parent_of_row(3).unwrap_err().code, "cycle");
    }
}
