//! Seals end to end on each database: the registry, an application signed by the department
//! head and the supervising leader and stamped by the keeper into the log; strangers, the
//! wrong keeper, a second stamp and a decommissioned seal are all refused and change nothing.

use mishu_domain::SealId;
use mishu_domain::access::Actor;
use mishu_domain::org::{Clearance, Role};
use mishu_domain::seals::{ApplicationAction as A, ApplicationState as S, SealError, SealInput};
use mishu_domain::tasks::InboxBox;
use mishu_service::audit::Origin;
use mishu_service::seals::{self, NewApplication, NewSeal};
use mishu_service::{ServiceError, Services, args, org, tasks};
use mishu_testkit::{TestDb, builders};

pub(crate) struct Organ {
    pub(crate) office_head: Actor,
    pub(crate) secretary: Actor,
    pub(crate) keeper: Actor,
    pub(crate) other_keeper: Actor,
    pub(crate) applicant: Actor,
    pub(crate) jwc_head: Actor,
    pub(crate) fyz: Actor,
    pub(crate) stranger: Actor,
    pub(crate) sysadmin: Actor,
    pub(crate) xingzheng_seal: SealId,
    pub(crate) organ_seal: SealId,
}

pub(crate) async fn organ(s: &Services) -> Organ {
    let ban = builders::department(s, "党政办公室", None).await;
    let jwc = builders::department(s, "教务处", None).await;
    let cwc = builders::department(s, "财务处", None).await;
    let p = |login: &'static str, d, roles: &'static [Role]| builders::person(s, login, d, roles, Clearance::None);
    let office_head = p("zhuren", Some(ban), &[Role::OfficeHead]).await;
    let secretary = p("mishu", Some(ban), &[Role::Secretary]).await;
    let keeper = p("yinzhang", Some(ban), &[Role::SealKeeper]).await;
    let other_keeper = p("jiyao", Some(ban), &[Role::SealKeeper]).await;
    let applicant = p("jwc.ke", Some(jwc), &[Role::Handler]).await;
    let jwc_head = p("jwc.head", Some(jwc), &[Role::DepartmentHead]).await;
    let fyz = p("fyz.jiaoxue", None, &[Role::Leader]).await;
    let stranger = p("cwc.head", Some(cwc), &[Role::DepartmentHead]).await;
    let sysadmin = builders::admin(s, "sysadmin", mishu_domain::org::AdminKind::System).await;
    org::set_supervision(s, &Origin::system(), fyz, &[jwc], &[]).await.unwrap();
    let a = |id| builders::actor(s, id);
    let office_head = a(office_head).await;
    let reg = |name: &str, kind: &str, keeper| NewSeal {
        input: SealInput {
            name: name.into(),
            kind: kind.into(),
            diameter_mm: String::new(),
            issuer: "党政办公室".into(),
        },
        department_id: None,
        keeper_id: keeper,
    };
    let xingzheng_seal =
        seals::register(s, &office_head, reg("江北职业技术学院", "administration", keeper), "ip").await.unwrap();
    let organ_seal =
        seals::register(s, &office_head, reg("中共江北职业技术学院委员会", "party_committee", other_keeper), "ip")
            .await
            .unwrap();
    Organ {
        office_head,
        secretary: a(secretary).await,
        keeper: a(keeper).await,
        other_keeper: a(other_keeper).await,
        applicant: a(applicant).await,
        jwc_head: a(jwc_head).await,
        fyz: a(fyz).await,
        stranger: a(stranger).await,
        sysadmin: a(sysadmin).await,
        xingzheng_seal,
        organ_seal,
    }
}

pub(crate) fn application(seal: SealId, copies: &str) -> NewApplication {
    NewApplication {
        seal_id: seal,
        document_title: "2027届毕业生顶岗实习协议".into(),
        purpose: "与合作企业签订".into(),
        copies: copies.into(),
        outgoing_id: None,
    }
}

async fn todo(s: &Services, a: &Actor) -> usize {
    tasks::inbox(s, a, InboxBox::ToDo, 50).await.unwrap().len()
}

pub(crate) async fn count(s: &Services, sql: &str) -> i64 {
    let (n,): (i64,) = s.db.fetch_one(sql, args![]).await.unwrap();
    n
}

#[tokio::test]
async fn applied_signed_approved_stamped_and_logged() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let id = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "3"), "ip").await.unwrap();
        assert_eq!(todo(&s, &o.jwc_head).await, 1, "{b}: the head signs first");
        assert_eq!(todo(&s, &o.fyz).await, 0, "{b}: the leader waits for the head");
        assert!(
            matches!(seals::application(&s, &o.keeper, id).await, Err(ServiceError::NotFound)),
            "{b}: the keeper sees only approved applications"
        );

        // Out of order: the leader cannot sign before the head, the keeper cannot stamp.
        let e = seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::WrongState("drafted"))), "{b}: {e:?}");
        assert_eq!(seals::act(&s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap(), S::HeadSigned);
        assert_eq!((todo(&s, &o.jwc_head).await, todo(&s, &o.fyz).await), (0, 1), "{b}: now the leader");
        let e = seals::act(&s, &o.keeper, id, A::Stamp { copies: 3 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: missing the second signature: {e:?}");
        assert_eq!(seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap(), S::Approved);
        assert_eq!(todo(&s, &o.keeper).await, 1, "{b}: now the keeper");

        // Stamping fewer copies than approved is fine; more is not.
        let e = seals::act(&s, &o.keeper, id, A::Stamp { copies: 4 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Invalid { field: "copies", .. })), "{b}: {e:?}");
        assert_eq!(seals::act(&s, &o.keeper, id, A::Stamp { copies: 3 }, "ip").await.unwrap(), S::Stamped);
        assert_eq!(todo(&s, &o.keeper).await, 0, "{b}");

        let log = seals::keeper_log(&s, &o.keeper, None).await.unwrap();
        assert_eq!(log.len(), 1, "{b}");
        let u = &log[0];
        assert_eq!((u.copies, u.keeper_name.as_str(), u.head_name.as_str()), (3, "yinzhang", "jwc.head"), "{b}");
        assert_eq!(u.used_at, s.clock.now().0, "{b}");
        assert!(seals::keeper_log(&s, &o.other_keeper, None).await.unwrap().is_empty(), "{b}: not their seal");
        assert_eq!(seals::keeper_log(&s, &o.office_head, None).await.unwrap().len(), 1, "{b}: the office sees all");
        assert!(matches!(seals::keeper_log(&s, &o.applicant, None).await, Err(ServiceError::Forbidden)));

        let row = seals::application(&s, &o.applicant, id).await.unwrap();
        assert_eq!(row.state, "stamped", "{b}");
        assert!(row.head_signed_at.is_some() && row.leader_signed_at.is_some(), "{b}");
        let audited = count(&s, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'seal%'").await;
        assert_eq!(audited, 2 + 4, "{b}: two registrations, filed, signed, approved, stamped");
    }
}

#[tokio::test]
async fn strangers_the_wrong_keeper_and_a_second_stamp_are_refused() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let id = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "2"), "ip").await.unwrap();
        let e = seals::act(&s, &o.stranger, id, A::HeadSign, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: another department's head: {e:?}");
        let e = seals::act(&s, &o.secretary, id, A::HeadSign, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::NotDepartmentHead)), "{b}: sees it, may not sign: {e:?}");
        seals::act(&s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
        let e = seals::act(&s, &o.office_head, id, A::LeaderApprove, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::NotSupervisingLeader)), "{b}: {e:?}");
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();

        let e = seals::act(&s, &o.other_keeper, id, A::Stamp { copies: 1 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound), "{b}: the keeper of another seal: {e:?}");
        let e = seals::act(&s, &o.office_head, id, A::Stamp { copies: 1 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::NotKeeper)), "{b}: the seal stays with its keeper");
        seals::act(&s, &o.keeper, id, A::Stamp { copies: 2 }, "ip").await.unwrap();
        let before = count(&s, "SELECT COUNT(*) FROM audit_log").await;
        let e = seals::act(&s, &o.keeper, id, A::Stamp { copies: 2 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::WrongState("stamped"))), "{b}: {e:?}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, 1, "{b}: one use");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_log").await, before, "{b}: nothing stored");

        // Bad input and the wrong people at the registry store nothing.
        for copies in ["0", "x", "1000"] {
            let e = seals::apply(&s, &o.applicant, application(o.organ_seal, copies), "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Seal(SealError::Invalid { field: "copies", .. })), "{b}: {e:?}");
        }
        let e = seals::apply(&s, &o.applicant, application(SealId(999), "1"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "seal_id", .. }), "{b}: {e:?}");
        let n = NewSeal {
            input: SealInput {
                name: "行政科".into(),
                kind: "section".into(),
                diameter_mm: "".into(),
                issuer: "x".into(),
            },
            department_id: None,
            keeper_id: o.keeper.person_id,
        };
        for who in [&o.secretary, &o.sysadmin, &o.keeper] {
            let e = seals::register(&s, who, n.clone(), "ip").await.unwrap_err();
            assert!(matches!(e, ServiceError::Forbidden), "{b}: {e:?}");
        }
        let not_keeper = NewSeal { keeper_id: o.applicant.person_id, ..n };
        let e = seals::register(&s, &o.office_head, not_keeper, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Invalid { field: "keeper_id", .. }), "{b}: {e:?}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seals").await, 2, "{b}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_applications").await, 1, "{b}");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM audit_log").await, before, "{b}: nothing stored");
    }
}

#[tokio::test]
async fn a_decommissioned_seal_cannot_be_applied_for_or_stamped() {
    for t in TestDb::all().await {
        let (s, _) = t.services();
        let o = organ(&s).await;
        let b = t.backend;
        let id = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "1"), "ip").await.unwrap();
        seals::act(&s, &o.jwc_head, id, A::HeadSign, "ip").await.unwrap();
        seals::act(&s, &o.fyz, id, A::LeaderApprove, "ip").await.unwrap();
        assert_eq!(todo(&s, &o.keeper).await, 1, "{b}");

        let e = seals::decommission(&s, &o.office_head, o.xingzheng_seal, "", "某省教育厅", "destroyed", "ip").await;
        assert!(matches!(e, Err(ServiceError::Seal(SealError::Invalid { field: "reason", .. }))), "{b}");
        let e = seals::decommission(&s, &o.secretary, o.xingzheng_seal, "更名", "某省教育厅", "destroyed", "ip").await;
        assert!(matches!(e, Err(ServiceError::Forbidden)), "{b}");
        seals::decommission(&s, &o.office_head, o.xingzheng_seal, "学院更名", "某省教育厅", "sealed_up", "ip")
            .await
            .unwrap();
        let seal = seals::seal(&s, &o.office_head, o.xingzheng_seal).await.unwrap();
        assert_eq!(
            (seal.state.as_str(), seal.disposal.as_deref(), seal.decommission_authority.as_deref()),
            ("decommissioned", Some("sealed_up"), Some("某省教育厅")),
            "{b}"
        );
        assert_eq!(todo(&s, &o.keeper).await, 0, "{b}: the open application ended and left the inbox");
        let e = seals::act(&s, &o.keeper, id, A::Stamp { copies: 1 }, "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::NotFound | ServiceError::Seal(_)), "{b}: {e:?}");
        let e = seals::apply(&s, &o.applicant, application(o.xingzheng_seal, "1"), "ip").await.unwrap_err();
        assert!(matches!(e, ServiceError::Seal(SealError::Decommissioned)), "{b}: {e:?}");
        let e =
            seals::decommission(&s, &o.office_head, o.xingzheng_seal, "再次", "某省教育厅", "destroyed", "ip").await;
        assert!(matches!(e, Err(ServiceError::Seal(SealError::Decommissioned))), "{b}: once and for good");
        assert_eq!(count(&s, "SELECT COUNT(*) FROM seal_uses").await, 0, "{b}");

        // Withdrawal takes the waiting signer's task back.
        let id2 = seals::apply(&s, &o.applicant, application(o.organ_seal, "1"), "ip").await.unwrap();
        assert_eq!(todo(&s, &o.jwc_head).await, 1, "{b}");
        assert_eq!(seals::act(&s, &o.applicant, id2, A::Withdraw, "ip").await.unwrap(), S::Withdrawn);
        assert_eq!(todo(&s, &o.jwc_head).await, 0, "{b}");
        assert_eq!(seals::my_applications(&s, &o.applicant).await.unwrap().len(), 2, "{b}");
    }
}
