//! The room register (R5.2): who keeps it, and what a room's entry must hold before it is
//! stored. The office allocates the rooms and 行政科 manages them, so the office head, the
//! secretaries and the head of a room's managing section keep its entry.

use crate::DepartmentId;
use crate::access::Actor;
use crate::org::Role;

/// A room's entry, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomFields {
    pub name: String,
    /// Building and floor, e.g. "行政楼三楼".
    pub location: String,
    pub capacity: i64,
    /// Fixed equipment, as the booking page shows it.
    pub equipment: String,
}

/// The field a room entry got wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomFieldError {
    pub field: &'static str,
    pub message: &'static str,
}

fn text(field: &'static str, raw: &str, max: usize, required: bool) -> Result<String, RoomFieldError> {
    let t = raw.trim();
    if required && t.is_empty() {
        return Err(RoomFieldError { field, message: "required" });
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(RoomFieldError { field, message: "too long or holds control characters" });
    }
    Ok(t.to_string())
}

impl RoomFields {
    pub fn parse(name: &str, location: &str, capacity: &str, equipment: &str) -> Result<RoomFields, RoomFieldError> {
        let name = text("name", name, 100, true)?;
        let location = text("location", location, 100, false)?;
        let capacity = match capacity.trim().parse::<i64>() {
            Ok(n) if (1..=5000).contains(&n) => n,
            _ => return Err(RoomFieldError { field: "capacity", message: "a whole number from 1 to 5000" }),
        };
        let equipment = text("equipment", equipment, 200, false)?;
        Ok(RoomFields { name, location, capacity, equipment })
    }
}

/// May `actor` add rooms, or edit a room managed by `managed_by`?
pub fn may_keep_rooms(actor: &Actor, managed_by: Option<DepartmentId>) -> bool {
    if !actor.is_business_user() {
        return false;
    }
    if actor.has_role(Role::OfficeHead) || actor.has_role(Role::Secretary) {
        return true;
    }
    managed_by.is_some_and(|d| {
        actor
            .roles
            .iter()
            .any(|(r, scope)| *r == Role::DepartmentHead && (*scope == Some(d) || actor.department_id == Some(d)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PersonId;
    use crate::org::{AdminKind, Clearance};

    fn actor(roles: &[Role], dept: Option<i64>, admin: Option<AdminKind>) -> Actor {
        Actor {
            person_id: PersonId(1),
            name: "p".into(),
            department_id: dept.map(DepartmentId),
            roles: roles.iter().map(|r| (*r, None)).collect(),
            admin,
            clearance: Clearance::None,
            acting_for: None,
        }
    }

    #[test]
    fn who_keeps_the_room_register() {
        let section = Some(DepartmentId(7));
        let cases: &[(&str, Actor, Option<DepartmentId>, bool)] = &[
            ("office head", actor(&[Role::OfficeHead], Some(1), None), section, true),
            ("secretary", actor(&[Role::Secretary], Some(2), None), None, true),
            ("行政科 head, own room", actor(&[Role::DepartmentHead], Some(7), None), section, true),
            ("行政科 head, a new room", actor(&[Role::DepartmentHead], Some(7), None), None, false),
            ("another head", actor(&[Role::DepartmentHead], Some(8), None), section, false),
            ("a handler of 行政科", actor(&[Role::Handler], Some(7), None), section, false),
            ("a leader", actor(&[Role::Leader], None, None), section, false),
            ("system administrator", actor(&[], None, Some(AdminKind::System)), section, false),
        ];
        for (what, a, managed_by, want) in cases {
            assert_eq!(may_keep_rooms(a, *managed_by), *want, "{what}");
        }
    }

    #[test]
    fn a_room_entry_is_checked_field_by_field() {
        let ok = RoomFields::parse(" 第一会议室 ", "行政楼三楼", "10", "音响").unwrap();
        assert_eq!((ok.name.as_str(), ok.capacity), ("第一会议室", 10));
        let cases: &[(&str, &str, &str, &str, &str)] = &[
            ("", "x", "10", "", "name"),
            ("会议室", "x", "0", "", "capacity"),
            ("会议室", "x", "-3", "", "capacity"),
            ("会议室", "x", "十", "", "capacity"),
            ("会议室", "x", "5001", "", "capacity"),
            ("会议室", "x\u{0}", "10", "", "location"),
            ("会议室", "x", "10", &"投影".repeat(101), "equipment"),
        ];
        for (n, l, c, e, field) in cases {
            assert_eq!(RoomFields::parse(n, l, c, e).unwrap_err().field, *field, "{n} {l} {c}");
        }
        assert_eq!(RoomFields::parse(&"室".repeat(101), "", "5", "").unwrap_err().field, "name");
    }
}
