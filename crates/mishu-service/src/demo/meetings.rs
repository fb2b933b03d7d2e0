//! Meetings for the demo, booked and noticed through the meetings service like real ones: the
//! 院长办公会 in 第二会议室 with equipment (approved by the 行政科 head, and by the office head
//! when late), the 党委理论学习中心组学习 in 第一会议室, each with its attendees' Attend tasks, the
//! secretary's 会务准备 task and a logistics checklist (会务保障: name cards done, lunch and
//! materials open, the projector not yet assigned) on the 院长办公会, and a late 临时申请 from
//! 招生就业处 left waiting for the office head; and the 省教育厅's visit, whose guests raise a reception notice (R5.6).
//! The equipment register: each room's fixed items and two shared ones (`create_equipment`).
//! The week of the 院长办公会 is published as the weekly work arrangement before the visit
//! is approved, so the visit shows as a change waiting to be re-published (see `arrangement`).

use super::items::local_time;
use super::people::Staff;
use crate::audit::Origin;
use crate::meetings::{ItemInput, MEETING_DOMAIN, NewEquipment, NewMeeting, bookings, equipment, logistics, meeting};
use crate::tasks::{self, NewTask};
use crate::{ServiceResult, Services, args, org, settings};
use chrono::{Datelike, Days, NaiveDate};
use mishu_domain::access::Actor;
use mishu_domain::meetings::logistics::ItemAction;
use mishu_domain::meetings::{
    Approver, BookingAction, BookingRequest, BookingState, EquipmentKind, MeetingKind, is_ad_hoc,
};
use mishu_domain::org::Clearance;
use mishu_domain::tasks::{TaskKind, Urgency};
use mishu_domain::{BookingId, EquipmentId, MeetingId, RoomId, Timestamp};

const SOURCE: &str = "demo";

async fn actor(s: &Services, staff: &Staff, login: &str) -> ServiceResult<Actor> {
    org::load_actor(s, staff.id(login), None).await
}

async fn room(s: &Services, name: &str) -> ServiceResult<RoomId> {
    let (id,): (i64,) = s.db.fetch_one("SELECT room_id FROM rooms WHERE name = $1", args![name]).await?;
    Ok(RoomId(id))
}

/// The equipment register (issue 5): each room's fixed sound system, 第二会议室's projector,
/// and two items shared between the rooms, which no two meetings can hold at once.
pub(super) async fn create_equipment(s: &Services, origin: &Origin) -> ServiceResult<()> {
    let items = [
        ("第一会议室音响", EquipmentKind::Sound, Some("第一会议室")),
        ("第二会议室音响", EquipmentKind::Sound, Some("第二会议室")),
        ("第二会议室投影仪", EquipmentKind::Projector, Some("第二会议室")),
        ("便携式投影仪", EquipmentKind::Projector, None),
        ("视频会议终端", EquipmentKind::VideoLink, None),
    ];
    for (name, kind, room_name) in items {
        let room = match room_name {
            Some(r) => Some(room(s, r).await?),
            None => None,
        };
        equipment::create(s, origin, NewEquipment { name: name.into(), kind, room }).await?;
    }
    Ok(())
}

async fn item(s: &Services, name: &str) -> ServiceResult<EquipmentId> {
    let (id,): (i64,) = s.db.fetch_one("SELECT equipment_id FROM equipment WHERE name = $1", args![name]).await?;
    Ok(EquipmentId(id))
}

/// A booking and its meeting: (title, kind, room, start, minutes, equipment, chair, content, attendees).
type Held = (
    &'static str,
    MeetingKind,
    &'static str,
    Timestamp,
    i64,
    bool,
    &'static str,
    &'static str,
    &'static [&'static str],
);

pub(super) async fn create(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let mishu = actor(s, staff, "mishu").await?;
    let (meeting_day, study_day) =
        (tasks::add_working_days(s, 1).await?.local_date(), tasks::add_working_days(s, 2).await?.local_date());
    let leaders: &[&str] = &["yuanzhang", "fyz.jiaoxue", "fyz.houqin", "fyz.zhaosheng", "zhuren"];
    #[rustfmt::skip]
    let held: [Held; 2] = [
        ("院长办公会", MeetingKind::PresidentOffice, "第二会议室", local_time(meeting_day, 9, 0), 120, true, "院长",
            "研究智能制造实训室建设方案；审议冬季安全生产大检查工作安排。", leaders),
        ("党委理论学习中心组学习", MeetingKind::StudySession, "第一会议室", local_time(study_day, 14, 30), 120, false, "党委书记",
            "专题学习党的建设有关文件精神，交流研讨。", &["shuji", "yuanzhang", "fushuji"]),
    ];
    let mut office_meeting = None;
    for (title, kind, room_name, from, minutes, equipment, chair, content, attendees) in held {
        let req = BookingRequest {
            title: title.into(),
            kind,
            chair: chair.into(),
            content: content.into(),
            slot: bookings::slot(from, from.plus_minutes(minutes)),
            attendees: attendees.len() as i64,
            equipment,
            // The 院长办公会 asks for 第二会议室's own sound and projector.
            equipment_ids: if equipment {
                vec![item(s, "第二会议室音响").await?, item(s, "第二会议室投影仪").await?]
            } else {
                vec![]
            },
            guests: String::new(),
        };
        let booking = bookings::request(s, &mishu, room(s, room_name).await?, req, SOURCE).await?;
        approve(s, staff, booking).await?;
        let n = NewMeeting {
            booking_id: booking,
            chair_id: staff.id(attendees[0]),
            content: String::new(),
            materials: String::new(),
            attendees: attendees.iter().map(|l| staff.id(l)).collect(),
        };
        let id = meeting::create(s, &mishu, n, SOURCE).await?;
        office_meeting.get_or_insert((id, from));
    }
    if let Some((id, starts_at)) = office_meeting {
        preparation(s, staff, id, starts_at).await?;
        logistics(s, staff, id, starts_at).await?;
    }
    super::arrangement::publish(s, staff, meeting_day).await?;
    visit(s, staff).await?;
    late_request(s, staff).await
}

/// The 省教育厅's visit: 教务处 books 第二会议室 for the report meeting and names the guests,
/// so the reception notice (R5.6) waits in the reception staff's inbox.
async fn visit(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let day = tasks::add_working_days(s, 3).await?.local_date();
    let from = local_time(day, 15, 0);
    let req = BookingRequest {
        title: "省教育厅来院调研职业教育改革工作汇报会".into(),
        kind: MeetingKind::HigherAuthorityReport,
        chair: "院长".into(),
        content: "汇报学院产教融合、专业群建设和“双高计划”推进情况。".into(),
        slot: bookings::slot(from, from.plus_minutes(90)),
        attendees: 14,
        equipment: true,
        // A video link to the 教育厅 through the shared terminal.
        equipment_ids: vec![item(s, "第二会议室音响").await?, item(s, "视频会议终端").await?],
        guests: "省教育厅职业教育处处长一行4人".into(),
    };
    let jwc = actor(s, staff, "jwc.chuzhang").await?;
    let booking = bookings::request(s, &jwc, room(s, "第二会议室").await?, req, SOURCE).await?;
    approve(s, staff, booking).await
}

/// Gives every approval the booking waits for, each as the person the rules name (R5.5, R5.8).
async fn approve(s: &Services, staff: &Staff, id: BookingId) -> ServiceResult<()> {
    loop {
        let b = bookings::get(s, id).await?;
        if BookingState::parse(&b.state) != BookingState::Requested {
            return Ok(());
        }
        let Some(next) = b.pending().first().copied() else { return Ok(()) };
        let login = match next {
            Approver::OfficeHead => "zhuren",
            Approver::Section => "xingzheng",
        };
        bookings::act(s, &actor(s, staff, login).await?, id, BookingAction::Approve, SOURCE).await?;
    }
}

/// The secretary's 会务准备 for the 院长办公会: no use case prepares a meeting yet, so it is a
/// Handle task on the meeting itself, given by the office head.
async fn preparation(s: &Services, staff: &Staff, id: MeetingId, starts_at: Timestamp) -> ServiceResult<()> {
    let now = s.clock.now();
    let t = NewTask {
        domain: MEETING_DOMAIN,
        subject_id: id.0,
        title: "院长办公会会务准备：议题材料、座签、会议记录".into(),
        kind: TaskKind::Handle,
        assignee: staff.id("mishu"),
        created_by: Some(staff.id("zhuren")),
        classification: Clearance::None,
        urgency: Urgency::Urgent,
        due_at: Some(starts_at),
    };
    let mut tx = s.db.begin().await?;
    let task = tasks::open_task(&mut tx, &t, now).await?;
    super::items::audit_task(&mut tx, s, &t, task, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The 院长办公会's logistics checklist, kept by the secretary: the name cards are done; the
/// working lunch (行政科) and the topic materials (the secretary) wait in their owners' 待办;
/// the projector check has no owner yet.
async fn logistics(s: &Services, staff: &Staff, id: MeetingId, starts_at: Timestamp) -> ServiceResult<()> {
    let mishu = actor(s, staff, "mishu").await?;
    #[rustfmt::skip]
    let items: [(&str, &str, Option<&str>, i64); 4] = [
        ("name_cards", "桌签 6 个，按院领导排序摆放", Some("mishu"), -60),
        ("meals", "工作午餐 8 人，教工餐厅二楼小餐厅，11:30", Some("xingzheng"), 120),
        ("materials", "议题材料 8 份（智能制造实训室建设方案、安全大检查安排），会前摆放", Some("mishu"), -30),
        ("equipment", "投影仪、话筒提前调试", None, -30),
    ];
    let mut first = None;
    for (kind, note, owner, offset) in items {
        let input = ItemInput {
            kind: kind.into(),
            note: note.into(),
            owner_id: owner.map(|l| staff.id(l)),
            due_at: Some(starts_at.plus_minutes(offset)),
        };
        let item = logistics::add_item(s, &mishu, id, input, SOURCE).await?;
        first.get_or_insert(item);
    }
    if let Some(item) = first {
        logistics::set_state(s, &mishu, id, item, ItemAction::Done, SOURCE).await?;
    }
    Ok(())
}

/// 招生就业处's 招生宣传工作协调会 in 第一会议室, asked for after the deadline (临时申请) so it
/// waits for the office head. Next Tuesday is late only once this week's deadline has passed;
/// before that, the first late slot still ahead this week is taken instead. A coordination
/// meeting is outside the kinds of R5.1, so the office head decides it either way.
async fn late_request(s: &Services, staff: &Staff) -> ServiceResult<()> {
    let now = s.clock.now();
    let rules = settings::room_rules(&s.db).await?;
    let (calendar, _) = tasks::calendar(s).await?;
    let today = now.local_date();
    let next_tuesday = today + Days::new(u64::from(8 - today.weekday().num_days_from_monday()));
    let days = (0..7).filter_map(|n| today.checked_add_days(Days::new(n)));
    let mut candidates = std::iter::once(local_time(next_tuesday, 10, 0))
        .chain(days.flat_map(|d: NaiveDate| [local_time(d, 10, 0), local_time(d, 16, 30)]));
    let late = |t: &Timestamp| {
        *t > now.plus_minutes(30) && calendar.is_working_day(t.local_date()) && is_ad_hoc(&rules, now, *t)
    };
    let from = candidates.find(late).unwrap_or(local_time(next_tuesday, 10, 0));
    let req = BookingRequest {
        title: "招生宣传工作协调会".into(),
        kind: MeetingKind::Other,
        chair: "招生就业处处长".into(),
        content: "协调各二级学院参加2027年招生宣传咨询活动的人员和分工。".into(),
        slot: bookings::slot(from, from.plus_minutes(60)),
        attendees: 8,
        equipment: false,
        equipment_ids: vec![],
        guests: String::new(),
    };
    let zsc = actor(s, staff, "zsc.chuzhang").await?;
    bookings::request(s, &zsc, room(s, "第一会议室").await?, req, SOURCE).await?;
    Ok(())
}
