//! The route half of the one access policy: every (method, path) the router serves maps to
//! one `Capability`; the middleware asks `mishu_domain::access::allows` before any handler
//! runs. Object-level checks (need to know, clearance) happen in the services.

use axum::http::Method;
use mishu_domain::access::Capability::{self, *};
use std::collections::HashMap;

/// The policy, written out. A route that is registered but absent here is denied.
pub const POLICY: &[(&str, &str, Capability)] = &[
    ("GET", "/healthz", Public),
    ("GET", "/assets/{file}", Public),
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("POST", "/logout", Account),
    ("POST", "/locale", Public),
    ("GET", "/", Account),
    ("GET", "/account", Account),
    ("POST", "/account/password", Account),
    ("POST", "/account/acting-for", Inbox),
    ("GET", "/inbox", Inbox),
    ("GET", "/tasks/{id}", Inbox),
    ("POST", "/tasks/{id}/complete", Inbox),
    ("POST", "/tasks/{id}/chase", Inbox),
    ("GET", "/notifications", Inbox),
    ("POST", "/notifications/read", Inbox),
    ("GET", "/delegations", Inbox),
    ("POST", "/delegations", Inbox),
    ("POST", "/delegations/{id}/revoke", Inbox),
    ("GET", "/calendar", Inbox),
    ("POST", "/calendar", ManageCalendar),
    ("GET", "/leader-tasks", Inbox),
    ("GET", "/leader-tasks/new", GiveLeaderTask),
    ("POST", "/leader-tasks", GiveLeaderTask),
    ("GET", "/leader-tasks/{id}", Inbox),
    ("POST", "/leader-tasks/{id}/answer", Inbox),
    ("POST", "/leader-tasks/{id}/return", Inbox),
    ("POST", "/leader-tasks/{id}/close", Inbox),
    ("GET", "/admin/audit", AdminAudit),
    ("GET", "/admin/audit/export.csv", AdminAudit),
    ("POST", "/admin/audit/verify", AdminAudit),
    ("GET", "/admin/audit/retention", AdminAudit),
    ("POST", "/admin/audit/retention", AdminAudit),
    ("POST", "/admin/audit/purge", AdminAudit),
    ("GET", "/login/totp", Public),
    ("POST", "/login/totp", Public),
    ("POST", "/account/totp/begin", Account),
    ("POST", "/account/totp/confirm", Account),
    ("POST", "/account/totp/disable", Account),
    ("POST", "/account/tokens", Inbox),
    ("POST", "/account/tokens/{id}/revoke", Inbox),
    ("GET", "/admin/security", AdminSecurity),
    ("GET", "/admin/security/people/{id}", AdminSecurity),
    ("POST", "/admin/security/people/{id}", AdminSecurity),
    ("POST", "/admin/security/people/{id}/reset-totp", AdminSecurity),
    ("GET", "/admin/security/policies", AdminSecurity),
    ("POST", "/admin/security/password-policy", AdminSecurity),
    ("POST", "/admin/security/session-policy", AdminSecurity),
    ("GET", "/admin/system", AdminOrg),
    ("POST", "/admin/system/reindex", AdminOrg),
    ("GET", "/admin/org", AdminOrg),
    ("POST", "/admin/org/organ", AdminOrg),
    ("POST", "/admin/org/departments", AdminOrg),
    ("GET", "/admin/org/departments/{id}", AdminOrg),
    ("POST", "/admin/org/departments/{id}", AdminOrg),
    ("POST", "/admin/org/departments/{id}/disable", AdminOrg),
    ("POST", "/admin/org/departments/{id}/enable", AdminOrg),
    ("GET", "/admin/org/people", AdminOrg),
    ("GET", "/admin/org/people/new", AdminOrg),
    ("POST", "/admin/org/people", AdminOrg),
    ("GET", "/admin/org/people/{id}", AdminOrg),
    ("POST", "/admin/org/people/{id}", AdminOrg),
    ("POST", "/admin/org/people/{id}/disable", AdminOrg),
    ("POST", "/admin/org/people/{id}/enable", AdminOrg),
    ("POST", "/admin/org/people/{id}/password", AdminOrg),
    ("POST", "/admin/org/people/{id}/unlock", AdminOrg),
    ("POST", "/admin/org/people/{id}/supervision", AdminOrg),
    ("GET", "/admin/org/import", AdminOrg),
    ("POST", "/admin/org/import", AdminOrg),
    ("POST", "/admin/org/import/commit", AdminOrg),
    ("GET", "/admin/org/import/template/{kind}", AdminOrg),
    ("GET", "/people/pick", Inbox),
    ("GET", "/incoming", Inbox),
    ("GET", "/incoming/new", RegisterIncoming),
    ("GET", "/incoming/phrases", Inbox),
    ("GET", "/incoming/export.xlsx", Inbox),
    ("POST", "/incoming/phrases", Inbox),
    ("POST", "/incoming/phrases/{phrase}/delete", Inbox),
    ("POST", "/incoming", RegisterIncoming),
    ("GET", "/incoming/{id}", Inbox),
    ("GET", "/incoming/{id}/slip", Inbox),
    ("GET", "/incoming/{id}/slip.pdf", Inbox),
    ("GET", "/incoming/{id}/files/{file}", Inbox),
    ("POST", "/incoming/{id}/propose", Inbox),
    ("POST", "/incoming/{id}/assign", Inbox),
    ("POST", "/incoming/{id}/close", Inbox),
    ("POST", "/incoming/{id}/return", Inbox),
    ("POST", "/incoming/{id}/circulate", Inbox),
    ("POST", "/incoming/{id}/circulation/read", Inbox),
    ("POST", "/incoming/{id}/circulation/recall", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/instruct", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/read", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/oral", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/reply", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/recall", Inbox),
    ("POST", "/incoming/{id}/steps/{step}/return", Inbox),
    // Seals: the registry is readable by every business user; who may sign, approve or
    // stamp a given application is decided per object by the service (R7.4, R7.2).
    ("GET", "/seals", Inbox),
    ("POST", "/seals", ManageSeals),
    ("GET", "/seals/log", KeepSeal),
    ("GET", "/seals/{id}", Inbox),
    ("POST", "/seals/{id}/decommission", ManageSeals),
    ("POST", "/seals/{id}/suspend", ManageSeals),
    ("POST", "/seals/{id}/resume", ManageSeals),
    ("GET", "/seals/applications", Inbox),
    ("POST", "/seals/applications", Inbox),
    ("GET", "/seals/applications/{id}", Inbox),
    ("POST", "/seals/applications/{id}/sign", Inbox),
    ("POST", "/seals/applications/{id}/approve", Inbox),
    ("POST", "/seals/applications/{id}/stamp", KeepSeal),
    ("POST", "/seals/applications/{id}/reject", Inbox),
    ("POST", "/seals/applications/{id}/withdraw", Inbox),
    ("POST", "/seals/{id}/eseal", ManageSeals),
    ("GET", "/seals/{id}/impression.svg", Inbox),
    ("POST", "/seals/applications/{id}/esign", KeepSeal),
    ("GET", "/seals/applications/{id}/sealed.pdf", Inbox),
    ("POST", "/seals/applications/{id}/esign-outgoing", KeepSeal),
    // A sealed copy of an outgoing document: whoever may read the document (checked by the service).
    ("GET", "/outgoing/{id}/sealed/{application}", Inbox),
    // The usage report with its inconsistencies (R7.6) is the office head's.
    ("GET", "/seals/rules", Inbox),
    ("POST", "/seals/rules", Inbox),
    ("POST", "/seals/rules/{id}/register", ManageSeals),
    ("POST", "/seals/rules/{id}/return", ManageSeals),
    ("GET", "/seals/report", ManageSeals),
    ("GET", "/seals/report.xlsx", ManageSeals),
    ("GET", "/seals/verify", Inbox),
    ("POST", "/seals/verify", Inbox),
    // Rooms and meetings: any business user requests a room and answers a notice; who may
    // approve, cancel, check others in or record minutes is decided per object by the service.
    ("GET", "/rooms", Inbox),
    ("POST", "/rooms/bookings", Inbox),
    ("GET", "/rooms/arrangement", Inbox),
    ("POST", "/rooms/arrangement/publish", Inbox),
    ("POST", "/rooms/arrangement/activities", Inbox),
    ("POST", "/rooms/arrangement/activities/{id}", Inbox),
    ("POST", "/rooms/arrangement/activities/{id}/cancel", Inbox),
    ("GET", "/rooms/arrangement/versions/{id}/pdf", Inbox),
    ("GET", "/rooms/arrangement/versions/{id}/xlsx", Inbox),
    ("GET", "/rooms/bookings/{id}", Inbox),
    ("GET", "/rooms/register", Inbox),
    ("POST", "/rooms/register", Inbox),
    ("POST", "/rooms/register/{id}", Inbox),
    ("POST", "/rooms/register/{id}/photo", Inbox),
    ("GET", "/rooms/register/{id}/photo", Inbox),
    ("POST", "/rooms/bookings/{id}/approve", Inbox),
    ("POST", "/rooms/bookings/{id}/reject", Inbox),
    ("POST", "/rooms/bookings/{id}/cancel", Inbox),
    ("POST", "/rooms/bookings/{id}/move", Inbox),
    ("POST", "/rooms/bookings/{id}/meeting", Inbox),
    ("POST", "/rooms/bookings/{id}/reception", Inbox),
    ("GET", "/meetings/{id}", Inbox),
    ("POST", "/meetings/{id}/answer", Inbox),
    ("GET", "/meetings/{id}/check-in", Inbox),
    ("POST", "/meetings/{id}/check-in", Inbox),
    ("GET", "/meetings/{id}/ics", Inbox),
    // 我的日程 and its private feed. The feed has no session (a calendar app fetches it):
    // the unguessable token in its address is the credential, checked by the service against
    // a stored digest; a wrong or rotated one is a 404, and it reads as its owner.
    ("GET", "/my-calendar", Inbox),
    ("POST", "/my-calendar/feed", Inbox),
    ("GET", "/calendar/{file}", Public),
    ("POST", "/meetings/{id}/minutes", Inbox),
    ("POST", "/meetings/{id}/summary", Inbox),
    ("GET", "/meetings/decisions/{id}", Inbox),
    ("POST", "/meetings/decisions/{id}/answer", Inbox),
    // The logistics checklist (会务保障) and attendee changes: who runs the meeting, and an
    // item's owner marking it done, are decided per object by the service.
    ("POST", "/meetings/{id}/logistics", Inbox),
    ("POST", "/meetings/{id}/logistics/{item}", Inbox),
    ("POST", "/meetings/{id}/logistics/{item}/state", Inbox),
    ("GET", "/meetings/logistics/{item}", Inbox),
    ("POST", "/meetings/{id}/attendees", Inbox),
    ("POST", "/meetings/{id}/attendees/{person}/remove", Inbox),
    // Archives (R1.7): the archives' keepers (archivist, office head) file, keep the catalogue
    // and settings, and review destructions (who may approve or destroy is decided by the
    // rules); anyone may ask to borrow and see their own loans. The chronicle is read by all,
    // kept by secretaries; the materials library is everyone's (R8.3).
    ("GET", "/archives", ManageArchives),
    ("GET", "/archives/catalogue.xlsx", ManageArchives),
    ("GET", "/archives/catalogue.pdf", ManageArchives),
    ("GET", "/archives/package.zip", ManageArchives),
    ("GET", "/archives/file", ManageArchives),
    ("POST", "/archives/file", ManageArchives),
    ("GET", "/archives/items/{id}", Inbox),
    ("GET", "/archives/items/{id}/files/{file_id}", Inbox),
    ("POST", "/archives/items/{id}/destruction", ManageArchives),
    ("GET", "/archives/settings", ManageArchives),
    ("POST", "/archives/settings", ManageArchives),
    ("POST", "/archives/classes", ManageArchives),
    ("GET", "/archives/destructions", ManageArchives),
    ("POST", "/archives/destructions/{id}/approve", ManageArchives),
    ("POST", "/archives/destructions/{id}/reject", ManageArchives),
    ("POST", "/archives/destructions/{id}/destroy", ManageArchives),
    ("GET", "/archives/loans", Inbox),
    ("POST", "/archives/loans", Inbox),
    ("POST", "/archives/loans/{id}/approve", ManageArchives),
    ("POST", "/archives/loans/{id}/reject", ManageArchives),
    ("POST", "/archives/loans/{id}/return", ManageArchives),
    ("GET", "/chronicle", Inbox),
    ("GET", "/chronicle.pdf", Inbox),
    ("POST", "/chronicle", KeepChronicle),
    ("POST", "/chronicle/{id}/accept", KeepChronicle),
    ("POST", "/chronicle/{id}/drop", KeepChronicle),
    ("GET", "/materials", Inbox),
    ("POST", "/materials", Inbox),
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/me", Account),
    ("GET", "/api/v1/inbox", Inbox),
    ("GET", "/api/v1/leader-tasks", Inbox),
    ("POST", "/api/v1/leader-tasks", GiveLeaderTask),
    ("GET", "/api/v1/leader-tasks/{id}", Inbox),
    ("POST", "/api/v1/leader-tasks/{id}/answer", Inbox),
    ("POST", "/api/v1/leader-tasks/{id}/return", Inbox),
    ("POST", "/api/v1/leader-tasks/{id}/close", Inbox),
    ("GET", "/outgoing", Inbox),
    ("GET", "/outgoing/new", Inbox),
    ("POST", "/outgoing", Inbox),
    ("GET", "/outgoing/{id}", Inbox),
    ("GET", "/outgoing/{id}/diff", Inbox),
    ("GET", "/outgoing/{id}/slip", Inbox),
    ("GET", "/outgoing/{id}/draft-sheet.pdf", Inbox),
    ("GET", "/outgoing/{id}/pdf", Inbox),
    // The number ledger is the office's registration desk, like 收文登记.
    ("GET", "/outgoing-ledger", RegisterIncoming),
    ("POST", "/outgoing/{id}/outline", Inbox),
    ("POST", "/outgoing/{id}/materials", Inbox),
    ("POST", "/outgoing/{id}/materials/{material}", Inbox),
    ("POST", "/outgoing/{id}/versions", Inbox),
    ("POST", "/outgoing/{id}/review", Inbox),
    ("POST", "/outgoing/{id}/review/close", Inbox),
    ("POST", "/outgoing/{id}/submit", Inbox),
    ("POST", "/outgoing/{id}/check", Inbox),
    ("POST", "/outgoing/{id}/withdraw", Inbox),
    ("POST", "/outgoing/{id}/steps/{step}", Inbox),
    ("POST", "/outgoing/{id}/sign", Inbox),
    ("POST", "/outgoing/{id}/register", Inbox),
    ("POST", "/outgoing/{id}/void", Inbox),
    ("POST", "/outgoing/{id}/distribute", Inbox),
    ("POST", "/outgoing/{id}/distribution/cancel", Inbox),
    ("POST", "/outgoing/{id}/receipts/{receipt}", Inbox),
    ("POST", "/outgoing/{id}/attachments", Inbox),
    ("POST", "/outgoing/{id}/attachments/{attachment}/remove", Inbox),
    ("POST", "/outgoing/{id}/annotation", Inbox),
    // The copy register (份号) of classified documents: the office (the service checks the role).
    ("GET", "/outgoing/{id}/copies", RegisterIncoming),
    ("POST", "/outgoing/{id}/copies/{n}/print", RegisterIncoming),
    ("POST", "/outgoing/{id}/copies/{n}", RegisterIncoming),
    ("GET", "/api/v1/outgoing", Inbox),
    ("POST", "/api/v1/outgoing", Inbox),
    ("GET", "/api/v1/outgoing/{id}", Inbox),
    ("POST", "/api/v1/outgoing/{id}/versions", Inbox),
    ("POST", "/api/v1/outgoing/{id}/actions", Inbox),
    ("POST", "/api/v1/outgoing/{id}/receipts/{receipt}", Inbox),
    ("POST", "/api/v1/outgoing/{id}/attachments", Inbox),
    ("POST", "/api/v1/outgoing/{id}/attachments/{attachment}/remove", Inbox),
    ("POST", "/api/v1/outgoing/{id}/annotation", Inbox),
    ("GET", "/api/v1/outgoing/{id}/copies", RegisterIncoming),
    ("POST", "/api/v1/outgoing/{id}/copies/{n}", RegisterIncoming),
    ("GET", "/search", Inbox),
    ("GET", "/api/v1/search", Inbox),
    ("GET", "/api/v1/incoming", Inbox),
    ("POST", "/api/v1/incoming", RegisterIncoming),
    ("GET", "/api/v1/incoming/{id}", Inbox),
    ("POST", "/api/v1/incoming/{id}/actions", Inbox),
    ("GET", "/api/v1/incoming/{id}/circulation", Inbox),
    ("POST", "/api/v1/incoming/{id}/circulation", Inbox),
    ("POST", "/api/v1/incoming/{id}/circulation/read", Inbox),
    ("POST", "/api/v1/incoming/{id}/circulation/recall", Inbox),
    ("GET", "/api/v1/seals", Inbox),
    ("GET", "/api/v1/seal-applications", Inbox),
    ("POST", "/api/v1/seal-applications", Inbox),
    ("POST", "/api/v1/seals/verify", Inbox),
    ("GET", "/api/v1/archives/items", ManageArchives),
    ("POST", "/api/v1/archives/items", ManageArchives),
    ("GET", "/api/v1/archives/items/{id}", Inbox),
    ("GET", "/api/v1/chronicle", Inbox),
    ("GET", "/api/v1/materials", Inbox),
    ("GET", "/api/v1/rooms", Inbox),
    ("GET", "/api/v1/arrangement", Inbox),
    ("POST", "/api/v1/arrangement/publish", Inbox),
    ("GET", "/api/v1/bookings", Inbox),
    ("POST", "/api/v1/bookings", Inbox),
    ("GET", "/api/v1/meetings/{id}/logistics", Inbox),
    ("POST", "/api/v1/meetings/{id}/logistics", Inbox),
    ("POST", "/api/v1/meetings/{id}/logistics/{item}", Inbox),
    ("POST", "/api/v1/meetings/{id}/logistics/{item}/state", Inbox),
    ("POST", "/api/v1/meetings/{id}/attendees", Inbox),
    ("POST", "/api/v1/meetings/{id}/attendees/{person}/remove", Inbox),
    ("POST", "/api/v1/bookings/{id}/reschedule", Inbox),
    ("GET", "/api/v1/equipment", Inbox),
];

pub struct PolicyTable {
    map: HashMap<(Method, String), Capability>,
}

impl PolicyTable {
    /// The entries for the routes actually registered.
    pub fn for_routes(registered: &[(Method, &'static str)]) -> PolicyTable {
        let mut map = HashMap::new();
        for (m, p) in registered {
            if let Some((_, _, cap)) = POLICY.iter().find(|(pm, pp, _)| *pm == m.as_str() && pp == p) {
                map.insert((m.clone(), (*p).to_string()), *cap);
            }
        }
        PolicyTable { map }
    }

    /// True when some method of this path has an entry.
    pub fn has_path(&self, matched_path: &str) -> bool {
        self.map.keys().any(|(_, p)| p == matched_path)
    }

    /// `None` means no entry: deny.
    pub fn capability(&self, method: &Method, matched_path: &str) -> Option<Capability> {
        let m = if method == Method::HEAD { Method::GET } else { method.clone() };
        self.map.get(&(m, matched_path.to_string())).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_route_has_a_policy_entry() {
        let routes = crate::routes::all();
        let missing: Vec<_> = routes
            .registered
            .iter()
            .filter(|(m, p)| !POLICY.iter().any(|(pm, pp, _)| *pm == m.as_str() && pp == p))
            .collect();
        assert!(missing.is_empty(), "routes without a policy entry: {missing:?}");
    }

    #[test]
    fn every_policy_entry_is_a_real_route() {
        let routes = crate::routes::all();
        let stale: Vec<_> = POLICY
            .iter()
            .filter(|(pm, pp, _)| !routes.registered.iter().any(|(m, p)| *pm == m.as_str() && pp == p))
            .collect();
        assert!(stale.is_empty(), "policy entries with no route: {stale:?}");
    }

    #[test]
    fn an_unknown_route_is_denied() {
        let t = PolicyTable::for_routes(&[(Method::GET, "/secret")]);
        assert_eq!(t.capability(&Method::GET, "/secret"), None);
    }
}
