//! A people file (登录名, 姓名, 部门, 职务, 电话): every row checked, then created inside the
//! caller's transaction. Imported people hold no role and no clearance (the security
//! administrator grants those) and no password until the system administrator gives one.

use super::parse::Row;
use super::resolve::{Node, Resolver};
use super::{RowError, org_error};
use crate::audit::{self, Origin};
use crate::db::Tx;
use crate::org::{DepartmentRow, NewPerson, store};
use crate::{ServiceError, ServiceResult};
use mishu_domain::audit::AuditEvent;
use mishu_domain::org::{Clearance, LoginName, OrgError, PersonName, parse_phone, parse_position};
use mishu_domain::{DepartmentId, Timestamp};
use serde_json::json;
use std::collections::{HashMap, HashSet};

const LOGIN: usize = 0;
const NAME: usize = 1;
const DEPARTMENT: usize = 2;
const POSITION: usize = 3;
const PHONE: usize = 4;

/// One list of errors per row, and the people to create (complete only without errors).
pub(super) fn check(
    rows: &[Row],
    db: &[DepartmentRow],
    logins: &HashSet<String>,
) -> (Vec<Vec<RowError>>, Vec<Option<NewPerson>>) {
    let mut resolver = Resolver::new(db, Vec::new());
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut all_errors = Vec::with_capacity(rows.len());
    let mut plan = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let v = &r.values;
        let mut errors = Vec::new();
        let login = LoginName::parse(&v[LOGIN]).map_err(|e| errors.push(org_error("login", e))).ok();
        if let Some(l) = &login {
            if logins.contains(l.as_str()) {
                errors.push(RowError::new(
                    "login",
                    "login_taken",
                    l.as_str(),
                    format!("login: `{}` is already taken", l.as_str()),
                ));
            } else if let Some(first) = first_line.get(l.as_str()) {
                let detail = format!("login: `{}` is already on line {first}", l.as_str());
                errors.push(RowError::new("login", "duplicate_in_file", &first.to_string(), detail));
            } else {
                first_line.insert(l.as_str().to_string(), r.line);
            }
        }
        let name = PersonName::parse(&v[NAME]).map_err(|e| errors.push(org_error("name", e))).ok();
        let department = match resolver.lookup("department", &v[DEPARTMENT]) {
            Ok(Some(Node::Db(id))) => Some(Some(DepartmentId(id))),
            Ok(_) => Some(None),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let position = parse_position(&v[POSITION]).map_err(|e| errors.push(org_error("position", e))).ok();
        let phone = parse_phone(&v[PHONE]).map_err(|e| errors.push(org_error("phone", e))).ok();
        plan.push(match (login, name, department, position, phone) {
            (Some(login), Some(name), Some(department_id), Some(position), Some(phone)) if errors.is_empty() => {
                Some(NewPerson {
                    login,
                    name,
                    department_id,
                    position,
                    clearance: Clearance::None,
                    admin: None,
                    phone,
                    // File order is the order the organ lists its people in.
                    sort_order: i as i64 + 1,
                })
            }
            _ => None,
        });
        all_errors.push(errors);
    }
    (all_errors, plan)
}

pub(super) async fn store_all(
    tx: &mut Tx,
    key: &[u8],
    origin: &Origin,
    now: Timestamp,
    plan: Vec<NewPerson>,
) -> ServiceResult<usize> {
    for p in &plan {
        // Checked inside this transaction already; a clash here means someone raced us.
        let id = store::insert_person(tx, p, now).await.map_err(|e| {
            if e.is_unique_violation() {
                OrgError::LoginTaken(p.login.as_str().to_string()).into()
            } else {
                ServiceError::from(e)
            }
        })?;
        let detail = json!({"login": p.login.as_str(), "name": p.name.as_str(), "department_id": p.department_id, "import": true});
        audit::append(
            tx,
            key,
            origin,
            now,
            &AuditEvent::new("org.person_created", "person", Some(id.to_string()), detail),
        )
        .await?;
    }
    Ok(plan.len())
}
