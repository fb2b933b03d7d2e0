//! Filing an issued outgoing document (发文): its 档号 next in its year, retention and class,
//! the 正本 PDF with the 定稿 and the sign-off record, refusals of an unissued or a second
//! filing; and outgoing documents and filed items in search, trimmed as their pages are.

use super::*;
use mishu_domain::archives::ArchiveError;
use mishu_domain::archives::BorrowAction as B;
use mishu_domain::outgoing::{DraftInput, OutgoingAction as OA, RecipientInput};
use mishu_domain::{ArchiveItemId, OutgoingId};
use mishu_service::ServiceError;
use mishu_service::archives::{borrowing, catalogue};
use mishu_service::audit::Origin;
use mishu_service::org::{self, Organ};
use mishu_service::outgoing;
use mishu_service::search::{self, RawSearch, SearchQuery};
use mishu_testkit::TestDb;

const TITLE: &str = "关于做好2027年元旦春节期间有关工作的通知";
const BODY: &str =
    "各部门：\n一、总体要求\n各部门要高度重视节日期间的安全工作。\n二、值班安排\n请于12月25日前将值班表报党政办公室。";

/// A notice drafted by the handler, checked by the secretary, signed by the leader and
/// registered; distributed when `distribute`.
async fn issued(s: &Services, o: &Office, classification: &str, distribute: bool) -> OutgoingId {
    issued_as(s, o, "通知", TITLE, classification, distribute).await
}

/// The same route for a document of any 文种 and title.
pub(super) async fn issued_as(
    s: &Services,
    o: &Office,
    doc_type: &str,
    title: &str,
    classification: &str,
    distribute: bool,
) -> OutgoingId {
    let jwc = o.owner.department_id.unwrap();
    let input = DraftInput {
        title: title.into(),
        doc_type: doc_type.into(),
        prefix: "江职院发".into(),
        classification: classification.into(),
        secrecy_period: if classification.is_empty() { String::new() } else { "1年".into() },
        signer: Some(o.leader.person_id),
        recipients: vec![
            RecipientInput::new("main", "department", jwc),
            RecipientInput::new("copy", "external", "某省教育厅"),
        ],
        ..DraftInput::default()
    };
    let drafter = if classification.is_empty() { &o.handler } else { &o.secretary };
    let id = outgoing::create(s, drafter, input, "ip").await.unwrap();
    outgoing::add_version(s, drafter, id, BODY, "定稿", "ip").await.unwrap();
    outgoing::act(s, drafter, id, OA::Submit, "ip").await.unwrap();
    outgoing::act(s, &o.secretary, id, OA::Check { pass: true, opinion: "格式规范".into() }, "ip").await.unwrap();
    outgoing::act(s, &o.leader, id, OA::Sign { approve: true, opinion: "同意印发".into() }, "ip").await.unwrap();
    outgoing::act(s, &o.secretary, id, OA::Register, "ip").await.unwrap();
    if distribute {
        outgoing::act(s, &o.secretary, id, OA::Distribute, "ip").await.unwrap();
    }
    id
}

async fn set_organ(s: &Services) {
    let organ = Organ {
        name: "江北职业技术学院".into(), short_name: "江职院".into(), higher_authority: String::new()
    };
    org::set_organ(s, &Origin::system(), &organ).await.unwrap();
}

#[tokio::test]
async fn files_a_finished_outgoing_document_and_checks_its_archive_code() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        set_organ(&s).await;
        let b = t.backend;
        // A 通知 already filed in 2026 / D10 / BGS: the outgoing one is the next 件.
        let first = closed_incoming(&s, &o, "关于开展冬季安全生产大检查的通知").await;
        archives::file(&s, &o.archivist, req(FilingSource::Incoming(first), "", "BGS"), "ip").await.unwrap();

        // Registered but not distributed: refused, nothing stored.
        let id = issued(&s, &o, "", false).await;
        let before = footprint(&s).await;
        let e = archives::file(&s, &o.archivist, req(FilingSource::Outgoing(id), "", "BGS"), "ip").await.unwrap_err();
        assert!(matches!(&e, ServiceError::Invalid { field: "source", .. }), "{b}: {e:?}");
        assert!(e.to_string().contains("registered"), "{b}: the state is named: {e}");
        assert_eq!(footprint(&s).await, before, "{b}");
        assert!(!archives::filable(&s, &o.archivist).await.unwrap().iter().any(|f| f.kind == "outgoing"), "{b}");

        outgoing::act(&s, &o.secretary, id, OA::Distribute, "ip").await.unwrap();
        let offered = archives::filable(&s, &o.archivist).await.unwrap();
        assert!(offered.iter().any(|f| f.kind == "outgoing" && f.id == id.0 && f.title == TITLE), "{b}: {offered:?}");
        let item = archives::file(&s, &o.archivist, req(FilingSource::Outgoing(id), "", "BGS"), "ip").await.unwrap();
        let v = archives::item(&s, &o.archivist, item).await.unwrap();
        assert_eq!(v.item.archive_code, "0194-WS·2026-D10-BGS-0002", "{b}");
        assert_eq!(
            (v.item.source_kind.as_str(), v.item.doc_number.as_str(), v.item.responsible.as_str()),
            ("outgoing", "江职院发〔2026〕1号", "江北职业技术学院"),
            "{b}"
        );
        assert_eq!((v.item.doc_date.as_str(), v.item.title.as_str()), ("2026-11-27", TITLE), "{b}");
        assert!(v.item.pages >= 1, "{b}: the pages of the rendered 正本");
        let names: Vec<&str> = v.files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(names, ["江职院发〔2026〕1号.pdf", "定稿.txt", "签发记录.txt"], "{b}");
        let file = |n: usize| archives::item_file(&s, &o.archivist, item, v.files[n].file_id);
        let (_, kind, pdf) = file(0).await.unwrap();
        assert!(kind == "pdf" && pdf.starts_with(b"%PDF"), "{b}: {kind} {:?}", &pdf[..pdf.len().min(8)]);
        let text = String::from_utf8(file(1).await.unwrap().2).unwrap();
        assert!(text.contains("请于12月25日前将值班表报党政办公室") && text.contains("江职院发〔2026〕1号"), "{b}");
        let record = String::from_utf8(file(2).await.unwrap().2).unwrap();
        assert!(record.contains("同意印发") && record.contains("格式规范") && record.contains("yuanzhang"), "{b}");
        assert!(v.route["audit"].as_array().unwrap().iter().any(|a| a["action"] == "outgoing.distributed"), "{b}");
        let lines = catalogue::catalogue_lines(&s, &o.archivist, 2026).await.unwrap();
        let line = lines.iter().find(|l| l.archive_code == "0194-WS·2026-D10-BGS-0002").expect("catalogue line");
        assert_eq!((line.doc_number.as_str(), line.date8().as_str()), ("江职院发〔2026〕1号", "20261127"), "{b}");

        // Twice: refused, nothing stored; no longer offered.
        let before = footprint(&s).await;
        let e = archives::file(&s, &o.archivist, req(FilingSource::Outgoing(id), "Y", ""), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Archive(ArchiveError::AlreadyFiled(_))), "{b}: {e:?}");
        assert_eq!(footprint(&s).await, before, "{b}");
        assert!(!archives::filable(&s, &o.archivist).await.unwrap().iter().any(|f| f.kind == "outgoing"), "{b}");
        // Through the form's parser too.
        assert_eq!(FilingSource::parse("outgoing", id.0).unwrap(), FilingSource::Outgoing(id));
        assert!(mishu_service::audit::verify(&s).await.unwrap().ok(), "{b}");
    }
}

#[tokio::test]
async fn a_classified_outgoing_document_is_not_filed_above_the_archivists_clearance() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let mut o = office(&s).await;
        let b = t.backend;
        let id = issued(&s, &o, "秘密", true).await;
        o.archivist.clearance = mishu_domain::org::Clearance::None;
        let e = archives::file(&s, &o.archivist, req(FilingSource::Outgoing(id), "", ""), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: {e:?}");
    }
}

fn words(q: &str) -> SearchQuery {
    SearchQuery::parse(&RawSearch { q: Some(q.into()), limit: Some("100".into()), ..RawSearch::default() }).unwrap()
}

async fn found(s: &Services, who: &mishu_domain::access::Actor, q: &str) -> Vec<(String, i64)> {
    let page = search::search(s, who, &words(q)).await.unwrap();
    assert_eq!(page.total, page.hits.len(), "the count holds only readable hits");
    page.hits.iter().map(|h| (h.domain.code().to_string(), h.id)).collect()
}

#[tokio::test]
async fn outgoing_documents_and_filed_items_are_found_by_those_who_may_read_them() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        set_organ(&s).await;
        let b = t.backend;
        let open = issued(&s, &o, "", true).await;
        let secret = issued(&s, &o, "秘密", true).await;
        search::apply_changes_now(&s).await.unwrap();
        let out = |id: OutgoingId| ("outgoing".to_string(), id.0);
        // The drafter (on the route), the office (office-wide) and the recipient's head find the
        // open one by its text, number and recipient; only the route (the office included) finds the
        // classified one.
        assert_eq!(found(&s, &o.handler, "值班表").await, vec![out(open)], "{b}");
        let mut both = found(&s, &o.secretary, "值班表 江职院发").await;
        both.sort();
        assert_eq!(both, vec![out(open), out(secret)], "{b}: the secretary drafted the classified one");
        assert_eq!(found(&s, &o.owner, "教务处 元旦春节").await, vec![out(open)], "{b}");
        // The office checks, numbers and prints every document sent to it: its cleared head
        // reads the classified one too.
        let mut head = found(&s, &o.office_head, "值班表").await;
        head.sort();
        assert_eq!(head, vec![out(open), out(secret)], "{b}: the office is on the route once the draft is sent to it");
        assert!(found(&s, &o.archivist, "值班表").await.is_empty(), "{b}: not the archivist's to read");

        // Filed: the keepers find the item by its 档号 and organ, an office-wide role does not.
        let item = archives::file(&s, &o.archivist, req(FilingSource::Outgoing(open), "", "BGS"), "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        let arch = |id: ArchiveItemId| ("archive".to_string(), id.0);
        assert_eq!(found(&s, &o.archivist, "D10-BGS 江北职业技术学院").await, vec![arch(item)], "{b}");
        assert_eq!(found(&s, &o.office_head, "江北职业技术学院 元旦").await, vec![arch(item)], "{b}: a keeper");
        assert!(!found(&s, &o.secretary, "元旦春节").await.contains(&arch(item)), "{b}: office-wide is not enough");
        // A loan gives reading while it runs, and takes it back on return.
        let code = archives::item(&s, &o.archivist, item).await.unwrap().item.archive_code;
        let loan = borrowing::request(&s, &o.leader, &code, "查阅", "ip").await.unwrap();
        let soon: chrono::NaiveDate = "2026-12-11".parse().unwrap();
        borrowing::act(&s, &o.archivist, loan, B::Approve { return_by: soon }, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        assert!(found(&s, &o.leader, "元旦春节").await.contains(&arch(item)), "{b}: the borrower");
        borrowing::act(&s, &o.archivist, loan, B::Return, "ip").await.unwrap();
        search::apply_changes_now(&s).await.unwrap();
        assert!(!found(&s, &o.leader, "元旦春节").await.contains(&arch(item)), "{b}: returned");

        // A rebuild holds the same.
        search::reindex(&s, &|_, _| {}).await.unwrap();
        assert_eq!(found(&s, &o.archivist, "D10-BGS").await, vec![arch(item)], "{b}");
        assert_eq!(found(&s, &o.handler, "值班表").await, vec![out(open)], "{b}");
    }
}

/// (domain, subject, assignee, due date, state) of every filing task.
async fn filing_tasks(s: &Services) -> Vec<(String, i64, i64, String, String)> {
    let rows: Vec<(String, i64, i64, i64, String)> =
        s.db.fetch_all(
            "SELECT domain, subject_id, assignee_id, due_at, state FROM tasks WHERE domain LIKE 'filing_%'
             ORDER BY domain, subject_id",
            args![],
        )
        .await
        .unwrap();
    rows.into_iter().map(|(d, id, who, due, st)| (d, id, who, Timestamp(due).local_date().to_string(), st)).collect()
}

#[tokio::test]
async fn the_sweep_asks_the_cleared_keeper_to_file_what_is_finished_once() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = office(&s).await;
        set_organ(&s).await;
        let b = t.backend;
        let open = issued(&s, &o, "", true).await;
        let secret = issued(&s, &o, "秘密", true).await;
        let not_issued = issued(&s, &o, "", false).await;
        let received = closed_incoming(&s, &o, "关于报送年度工作总结的通知").await;

        let r = mishu_service::tasks::run_reminder_sweep_now(&s).await.unwrap();
        assert_eq!(r.filing_requested, 3, "{b}: two issued documents and one closed 收文");
        let keeper = o.archivist.person_id.0;
        let due = "2027-06-30".to_string();
        let open_task = |d: &str, id: i64| (d.to_string(), id, keeper, due.clone(), "open".to_string());
        assert_eq!(
            filing_tasks(&s).await,
            vec![
                open_task("filing_incoming", received.0),
                open_task("filing_outgoing", open.0),
                open_task("filing_outgoing", secret.0)
            ],
            "{b}: not the unissued one ({not_issued:?})"
        );
        let again = mishu_service::tasks::run_reminder_sweep_now(&s).await.unwrap();
        assert_eq!(again.filing_requested, 0, "{b}: asked once");

        // Filing closes the task; the others stay with the keeper.
        archives::file(&s, &o.archivist, req(FilingSource::Outgoing(open), "", "BGS"), "ip").await.unwrap();
        let states: Vec<String> = filing_tasks(&s).await.into_iter().map(|t| t.4).collect();
        assert_eq!(states.iter().filter(|st| *st == "open").count(), 2, "{b}: {states:?}");

        // A classified item no keeper is cleared for waits on the filing page, unassigned.
        s.db.execute("UPDATE people SET clearance = 'none' WHERE login = 'dangan'", args![]).await.unwrap();
        issued(&s, &o, "秘密", true).await;
        let r = mishu_service::tasks::run_reminder_sweep_now(&s).await.unwrap();
        assert_eq!(r.filing_requested, 0, "{b}: nobody cleared");
        assert_eq!(filing_tasks(&s).await.len(), 3, "{b}");
    }
}
