//! T15 completeness: every business object the demo organ's load creates and moves through
//! the services has its audit trail. Each table of the schema is either an audited object
//! (with the audit subject type its records carry) or listed with the reason it has no
//! records of its own; a new table with neither fails the test, so a new domain has to say
//! how it is audited.

use mishu_service::{args, demo};
use mishu_testkit::TestDb;

/// (table, id column, audit subject type, which rows): every such row must be named by at
/// least one record.
const AUDITED: &[(&str, &str, &str, &str)] = &[
    ("departments", "department_id", "department", "TRUE"),
    ("people", "person_id", "person", "TRUE"),
    ("delegations", "delegation_id", "delegation", "TRUE"),
    ("rooms", "room_id", "room", "TRUE"),
    ("incoming_documents", "incoming_id", "incoming", "TRUE"),
    ("outgoing_documents", "outgoing_id", "outgoing", "TRUE"),
    ("leader_tasks", "leader_task_id", "leader_task", "TRUE"),
    ("seals", "seal_id", "seal", "TRUE"),
    ("seal_applications", "application_id", "seal_application", "TRUE"),
    ("room_bookings", "booking_id", "room_booking", "TRUE"),
    ("meetings", "meeting_id", "meeting", "TRUE"),
    ("meeting_decisions", "decision_id", "meeting_decision", "TRUE"),
    ("leader_activities", "activity_id", "leader_activity", "TRUE"),
    ("arrangement_versions", "version_id", "week_arrangement", "TRUE"),
    ("archive_items", "item_id", "archive_item", "TRUE"),
    // Loans are recorded on the item they lend (archive.borrow_*, with the borrowing's id).
    ("archive_borrowings", "item_id", "archive_item", "TRUE"),
    ("archive_destructions", "destruction_id", "archive_destruction", "TRUE"),
    // A candidate proposed inside its source's step (issued, closed, minuted, arranged) has
    // its own chronicle.proposed record; the keeper's accept or drop is recorded on it too.
    ("chronicle_entries", "entry_id", "chronicle", "TRUE"),
    ("materials", "material_id", "material", "TRUE"),
    ("saved_phrases", "phrase_id", "phrase", "x.person_id IS NOT NULL"),
    ("api_tokens", "token_id", "api_token", "TRUE"),
    ("equipment", "equipment_id", "equipment", "TRUE"),
    ("meeting_logistics", "item_id", "meeting_logistics", "TRUE"),
];

/// Tables without records of their own, and why.
const NOT_OBJECTS: &[(&str, &str)] = &[
    ("audit_log", "the trail itself"),
    ("organ", "one row, recorded as org.organ_set records without an id"),
    ("audit_head", "the chain's head"),
    ("counters", "number sequences; each number is recorded with the document it numbers"),
    ("outgoing_numbers", "recorded with the outgoing document it numbers"),
    ("outgoing_number_heads", "number sequences per prefix"),
    ("job_leases", "which node runs the background jobs"),
    ("notifications", "messages to people, not business data"),
    ("search_changes", "the search index's work queue"),
    ("org_version", "a counter the organisation's tables move themselves (caches check it)"),
    ("sessions", "sign-ins are recorded as auth.* records on the person"),
    ("settings", "recorded as settings.* records under the key's name"),
    ("tasks", "inbox items; each opens and closes with its object's recorded step"),
    ("person_roles", "recorded with the person (roles changed)"),
    ("supervisions", "recorded with the person (分管 set)"),
    ("supervised_areas", "recorded with the person (分管 set)"),
    ("calendar_days", "recorded by day as calendar_day records"),
    ("calendar_feeds", "recorded per person as calendar_feed records"),
    ("incoming_steps", "steps of the received document, recorded with it"),
    ("incoming_files", "files of the received document, recorded with it"),
    ("incoming_circulation", "circulation of the received document, recorded with it"),
    ("outgoing_versions", "versions of the draft, recorded with the document"),
    ("outgoing_steps", "steps of the document, recorded with it"),
    ("outgoing_countersigners", "recorded with the document"),
    ("outgoing_recipients", "recorded with the document"),
    ("outgoing_distributions", "recorded with the document"),
    ("outgoing_receipts", "recorded with the document"),
    ("outgoing_attachments", "recorded with the document"),
    ("outgoing_copies", "recorded with the document (copy register)"),
    ("outgoing_materials", "recorded with the document"),
    ("booking_equipment", "the items a booking holds, recorded with the booking (equipment_ids)"),
    ("meeting_attendees", "answers and check-ins, recorded with the meeting"),
    ("meeting_summaries", "recorded with the meeting (纪要 drafted)"),
    ("arrangement_entries", "lines of a published arrangement version"),
    ("arrangement_changes", "recorded as week_arrangement_change records"),
    ("archive_classes", "the classification scheme, configuration"),
    ("archive_files", "files of an archive item, recorded with it"),
    ("seal_uses", "the keeper's log, recorded as seal_application.stamped"),
    ("seal_rules", "recorded as seal_rules records per department"),
    ("seal_signatures", "recorded with the seal application (stamped)"),
    ("electronic_seals", "recorded with the seal"),
];

async fn tables(t: &TestDb, s: &mishu_service::Services) -> Vec<String> {
    let sql = if t.backend == "postgres" {
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_%' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY 1"
    };
    let rows: Vec<(String,)> = s.db.fetch_all(sql, args![]).await.unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn count(s: &mishu_service::Services, sql: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(sql, args![]).await.unwrap();
    n
}

#[tokio::test]
async fn every_object_the_demo_creates_has_its_audit_trail_and_every_table_says_how() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let b = t.backend;
        demo::load(&s).await.unwrap();
        let unlisted: Vec<String> = tables(&t, &s)
            .await
            .into_iter()
            .filter(|n| !AUDITED.iter().any(|a| a.0 == n) && !NOT_OBJECTS.iter().any(|x| x.0 == n))
            .collect();
        assert!(unlisted.is_empty(), "{b}: tables with no audit entry here: {unlisted:?}");

        let (mut rows, mut covered, mut missing) = (0i64, 0usize, Vec::new());
        for (table, id, subject, which) in AUDITED {
            let (n,): (i64,) = s.db.fetch_one(&format!("SELECT COUNT(*) FROM {table}"), args![]).await.unwrap();
            rows += n;
            covered += usize::from(n > 0);
            let sql = format!(
                "SELECT CAST(x.{id} AS TEXT) FROM {table} x WHERE {which} AND NOT EXISTS (SELECT 1 FROM audit_log l
                 WHERE l.subject_type = $1 AND l.subject_id = CAST(x.{id} AS TEXT)) ORDER BY 1"
            );
            let bare: Vec<(String,)> = s.db.fetch_all(&sql, args![*subject]).await.unwrap();
            if !bare.is_empty() {
                let ids: Vec<_> = bare.into_iter().map(|r| r.0).take(10).collect();
                missing.push(format!("{table} ({subject}): {} of {n} rows unrecorded, e.g. {ids:?}", ids.len()));
            }
        }
        eprintln!("{b}: {rows} rows in {covered} of {} audited tables checked", AUDITED.len());
        assert!(missing.is_empty(), "{b}: objects with no audit record:\n{}", missing.join("\n"));
        // The demo leaves candidates pending, so the rule above covers them; each names the
        // person whose step proposed it, not the system.
        let candidates = "SELECT COUNT(*) FROM chronicle_entries WHERE state = 'candidate'";
        assert!(count(&s, candidates).await >= 1, "{b}: the demo leaves candidates");
        let anonymous = "SELECT COUNT(*) FROM audit_log WHERE action = 'chronicle.proposed' AND actor_id IS NULL";
        assert_eq!(count(&s, anonymous).await, 0, "{b}");
        let (organ,): (i64,) =
            s.db.fetch_one("SELECT COUNT(*) FROM audit_log WHERE action = 'org.organ_set'", args![]).await.unwrap();
        assert!(organ >= 1, "{b}: the organ's record");
        assert!(covered * 4 >= AUDITED.len() * 3, "{b}: the demo fills too few of the audited tables ({covered})");
    }
}
