//! A meeting's logistics checklist (会务保障清单, R3): meals, lodging, vehicles, name cards,
//! seating, materials, equipment — each item with a note, an owner, a due time and a state.
//! Who may do what, and the item's state machine `decide`.
//!
//! The due time defaults to the meeting's start and may be set up to the meeting's end, not
//! after it: most items are ready before the start (name cards, seating), but some belong to
//! the meeting itself (lunch for a full-day meeting, the vehicles taking guests back).

use super::MeetingError;
use crate::access::Actor;
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What an item provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogisticsKind {
    /// 用餐
    Meals,
    /// 住宿
    Lodging,
    /// 用车
    Vehicles,
    /// 桌签
    NameCards,
    /// 座次
    Seating,
    /// 会议材料
    Materials,
    /// 设备
    Equipment,
    /// 其他
    Other,
}

impl LogisticsKind {
    pub const ALL: [LogisticsKind; 8] = [
        LogisticsKind::Meals,
        LogisticsKind::Lodging,
        LogisticsKind::Vehicles,
        LogisticsKind::NameCards,
        LogisticsKind::Seating,
        LogisticsKind::Materials,
        LogisticsKind::Equipment,
        LogisticsKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LogisticsKind::Meals => "meals",
            LogisticsKind::Lodging => "lodging",
            LogisticsKind::Vehicles => "vehicles",
            LogisticsKind::NameCards => "name_cards",
            LogisticsKind::Seating => "seating",
            LogisticsKind::Materials => "materials",
            LogisticsKind::Equipment => "equipment",
            LogisticsKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<LogisticsKind, MeetingError> {
        let s = s.trim();
        LogisticsKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| MeetingError::LogisticsKindInvalid(s.chars().take(40).collect()))
    }
}

/// An item is open until done (by whom, when) or found not needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemState {
    Open,
    Done,
    NotNeeded,
}

impl ItemState {
    pub fn code(self) -> &'static str {
        match self {
            ItemState::Open => "open",
            ItemState::Done => "done",
            ItemState::NotNeeded => "not_needed",
        }
    }

    /// A stored state; anything unknown reads as open (it can then only be closed).
    pub fn parse(s: &str) -> ItemState {
        match s {
            "done" => ItemState::Done,
            "not_needed" => ItemState::NotNeeded,
            _ => ItemState::Open,
        }
    }
}

/// What someone does to an item's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemAction {
    Done,
    NotNeeded,
    Reopen,
}

impl ItemAction {
    /// The state asked for: `done`, `not_needed` or `open` (reopen).
    pub fn parse(s: &str) -> Result<ItemAction, MeetingError> {
        match s.trim() {
            "done" => Ok(ItemAction::Done),
            "not_needed" => Ok(ItemAction::NotNeeded),
            "open" => Ok(ItemAction::Reopen),
            other => Err(MeetingError::ItemStateInvalid(other.chars().take(40).collect())),
        }
    }
}

/// The viewer's standing towards an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The organiser or the office (who run the meeting): add, assign, edit, close, reopen.
    Runs,
    /// The item's owner (or someone acting for them): marks it done.
    Owner,
    Stranger,
}

impl Standing {
    pub fn of(actor: &Actor, runs: bool, owner: Option<PersonId>) -> Standing {
        let me = actor.acting_for.unwrap_or(actor.person_id);
        if runs {
            Standing::Runs
        } else if owner.is_some_and(|o| o == me || o == actor.person_id) && actor.is_business_user() {
            Standing::Owner
        } else {
            Standing::Stranger
        }
    }
}

/// The item's next state, or why not.
pub fn decide(state: ItemState, action: ItemAction, who: Standing) -> Result<ItemState, MeetingError> {
    use ItemAction as A;
    use ItemState as S;
    match (who, state, action) {
        (Standing::Stranger, _, _) => Err(MeetingError::NotLogisticsManager),
        (Standing::Owner, _, A::NotNeeded | A::Reopen) => Err(MeetingError::NotLogisticsManager),
        (_, S::Open, A::Done) => Ok(S::Done),
        (Standing::Runs, S::Open, A::NotNeeded) => Ok(S::NotNeeded),
        (Standing::Runs, S::Done | S::NotNeeded, A::Reopen) => Ok(S::Open),
        (_, s, _) => Err(MeetingError::WrongState(s.code())),
    }
}

/// Only those who run the meeting change an item's kind, note, owner or due time, and only
/// while it is open (a closed item is reopened first).
pub fn may_edit(state: ItemState, who: Standing) -> Result<(), MeetingError> {
    match (who, state) {
        (Standing::Runs, ItemState::Open) => Ok(()),
        (Standing::Runs, s) => Err(MeetingError::WrongState(s.code())),
        _ => Err(MeetingError::NotLogisticsManager),
    }
}

/// An item's content, checked: the kind, the note (1–500 characters, no control
/// characters), the due time (the meeting's start when none is given; after now and not
/// after the meeting's end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemContent {
    pub kind: LogisticsKind,
    pub note: String,
    pub due_at: Timestamp,
}

pub fn validate_item(
    kind: &str,
    note: &str,
    due_at: Option<Timestamp>,
    meeting: (Timestamp, Timestamp),
    now: Timestamp,
) -> Result<ItemContent, MeetingError> {
    let kind = LogisticsKind::parse(kind)?;
    let note = note.trim();
    let n = note.chars().count();
    if n == 0 || n > 500 || note.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(MeetingError::NoteInvalid);
    }
    let due_at = due_at.unwrap_or(meeting.0);
    if due_at > meeting.1 {
        return Err(MeetingError::DueAfterMeeting);
    }
    if due_at <= now {
        return Err(MeetingError::DueInPast);
    }
    Ok(ItemContent { kind, note: note.to_string(), due_at })
}

/// An open item past its due time (marked on the meeting page).
pub fn overdue(state: ItemState, due_at: Timestamp, now: Timestamp) -> bool {
    state == ItemState::Open && now > due_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemAction as A;
    use ItemState as S;
    use Standing::*;

    #[test]
    fn the_item_table() {
        let wrong = |s: S| Err(MeetingError::WrongState(s.code()));
        let no = Err(MeetingError::NotLogisticsManager);
        let cases: Vec<(Standing, S, A, Result<S, MeetingError>)> = vec![
            // Those who run the meeting close, drop and reopen.
            (Runs, S::Open, A::Done, Ok(S::Done)),
            (Runs, S::Open, A::NotNeeded, Ok(S::NotNeeded)),
            (Runs, S::Done, A::Reopen, Ok(S::Open)),
            (Runs, S::NotNeeded, A::Reopen, Ok(S::Open)),
            (Runs, S::Open, A::Reopen, wrong(S::Open)),
            (Runs, S::Done, A::Done, wrong(S::Done)),
            (Runs, S::Done, A::NotNeeded, wrong(S::Done)),
            (Runs, S::NotNeeded, A::Done, wrong(S::NotNeeded)),
            (Runs, S::NotNeeded, A::NotNeeded, wrong(S::NotNeeded)),
            // The owner marks their own item done, nothing else.
            (Owner, S::Open, A::Done, Ok(S::Done)),
            (Owner, S::Done, A::Done, wrong(S::Done)),
            (Owner, S::NotNeeded, A::Done, wrong(S::NotNeeded)),
            (Owner, S::Open, A::NotNeeded, no.clone()),
            (Owner, S::Done, A::Reopen, no.clone()),
            // Anyone else: nothing.
            (Stranger, S::Open, A::Done, no.clone()),
            (Stranger, S::Open, A::NotNeeded, no.clone()),
            (Stranger, S::Done, A::Reopen, no.clone()),
        ];
        for (who, state, action, want) in cases {
            assert_eq!(decide(state, action, who), want, "{who:?} {state:?} {action:?}");
        }
    }

    #[test]
    fn only_those_who_run_it_edit_and_only_open_items() {
        assert_eq!(may_edit(S::Open, Runs), Ok(()));
        assert_eq!(may_edit(S::Done, Runs), Err(MeetingError::WrongState("done")));
        assert_eq!(may_edit(S::Open, Owner), Err(MeetingError::NotLogisticsManager));
        assert_eq!(may_edit(S::Open, Stranger), Err(MeetingError::NotLogisticsManager));
    }

    #[test]
    fn item_content() {
        let h = 3_600_000;
        let (start, end, now) = (Timestamp(10 * h), Timestamp(12 * h), Timestamp(h));
        let ok = validate_item(" meals ", " 午餐 30 人，二食堂 ", None, (start, end), now).unwrap();
        assert_eq!(ok, ItemContent { kind: LogisticsKind::Meals, note: "午餐 30 人，二食堂".into(), due_at: start });
        let long = "饭".repeat(501);
        type Case<'a> = (&'a str, &'a str, Option<Timestamp>, Result<(), MeetingError>);
        let cases: Vec<Case> = vec![
            ("seating", "主席台", Some(end), Ok(())),
            ("name_cards", "桌签", Some(Timestamp(2 * h)), Ok(())),
            ("catering", "x", None, Err(MeetingError::LogisticsKindInvalid("catering".into()))),
            ("meals", "  ", None, Err(MeetingError::NoteInvalid)),
            ("meals", long.as_str(), None, Err(MeetingError::NoteInvalid)),
            ("meals", "a\u{7}b", None, Err(MeetingError::NoteInvalid)),
            ("meals", "晚餐", Some(Timestamp(end.0 + 1)), Err(MeetingError::DueAfterMeeting)),
            ("meals", "午餐", Some(now), Err(MeetingError::DueInPast)),
        ];
        for (kind, note, due, want) in cases {
            let got = validate_item(kind, note, due, (start, end), now).map(|_| ());
            assert_eq!(got, want, "{kind} {note} {due:?}");
        }
        assert!(overdue(S::Open, start, Timestamp(start.0 + 1)));
        assert!(!overdue(S::Open, start, start));
        assert!(!overdue(S::Done, start, end));
    }

    #[test]
    fn kinds_round_trip() {
        for k in LogisticsKind::ALL {
            assert_eq!(LogisticsKind::parse(k.code()), Ok(k));
        }
        assert_eq!(ItemAction::parse("done"), Ok(A::Done));
        assert_eq!(ItemAction::parse("closed"), Err(MeetingError::ItemStateInvalid("closed".into())));
    }
}
