//! The task spine: whenever any domain needs a person, it opens a task here. A task has
//! an owner, a due time, the subject it points to and, when done, an outcome. The clock
//! rules for reminders (before and at the deadline) and escalation (past it) are here.

use crate::access::Actor;
use crate::ids::PersonId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaskError {
    #[error("outcome: required to close this task")]
    OutcomeRequired,
    #[error("this task is already closed")]
    AlreadyClosed,
    #[error("only the task's owner (or their delegate) may do this")]
    NotOwner,
    #[error("message: required")]
    MessageRequired,
    /// A text field with characters no text may hold (`crate::text`).
    #[error("{0}: {1}")]
    TextInvalid(&'static str, &'static str),
}

/// What is asked of the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    Handle,
    Read,
    Approve,
    Countersign,
    Reply,
    Attend,
}

impl TaskKind {
    pub const ALL: [TaskKind; 6] =
        [Self::Handle, Self::Read, Self::Approve, Self::Countersign, Self::Reply, Self::Attend];
    pub fn code(self) -> &'static str {
        match self {
            TaskKind::Handle => "handle",
            TaskKind::Read => "read",
            TaskKind::Approve => "approve",
            TaskKind::Countersign => "countersign",
            TaskKind::Reply => "reply",
            TaskKind::Attend => "attend",
        }
    }
    pub fn parse(s: &str) -> Option<TaskKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Reading goes to 待阅; everything else is 待办.
    pub fn inbox_box(self) -> InboxBox {
        if self == TaskKind::Read { InboxBox::ToRead } else { InboxBox::ToDo }
    }
}

/// The four boxes of the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxBox {
    /// 待办
    ToDo,
    /// 待阅
    ToRead,
    /// 已办
    Done,
    /// 已阅
    Read,
}

impl InboxBox {
    pub const ALL: [InboxBox; 4] = [InboxBox::ToDo, InboxBox::ToRead, InboxBox::Done, InboxBox::Read];
    pub fn code(self) -> &'static str {
        match self {
            InboxBox::ToDo => "todo",
            InboxBox::ToRead => "toread",
            InboxBox::Done => "done",
            InboxBox::Read => "read",
        }
    }
    pub fn parse(s: &str) -> Option<InboxBox> {
        Self::ALL.into_iter().find(|b| b.code() == s)
    }
}

/// 紧急程度, applied to tasks so the inbox sorts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    #[default]
    Normal,
    /// 加急
    Urgent,
    /// 特急
    VeryUrgent,
}

impl Urgency {
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Urgent => "urgent",
            Urgency::VeryUrgent => "very_urgent",
        }
    }
    pub fn rank(self) -> i64 {
        match self {
            Urgency::Normal => 0,
            Urgency::Urgent => 1,
            Urgency::VeryUrgent => 2,
        }
    }
    pub fn from_rank(r: i64) -> Urgency {
        match r {
            2 => Urgency::VeryUrgent,
            1 => Urgency::Urgent,
            _ => Urgency::Normal,
        }
    }
    pub fn parse(s: &str) -> Option<Urgency> {
        match s {
            "" | "normal" => Some(Urgency::Normal),
            "urgent" | "加急" => Some(Urgency::Urgent),
            "very_urgent" | "特急" => Some(Urgency::VeryUrgent),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Open,
    Done,
    Cancelled,
}

impl TaskState {
    pub fn code(self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Done => "done",
            TaskState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> TaskState {
        match s {
            "done" => TaskState::Done,
            "cancelled" => TaskState::Cancelled,
            _ => TaskState::Open,
        }
    }
}

/// Who owns the task right now and whether the actor may act as them.
pub fn acts_as_owner(actor: &Actor, owner: PersonId) -> bool {
    actor.person_id == owner || actor.acting_for == Some(owner)
}

/// Completing a task: reading needs no words, every other kind needs an outcome.
pub fn complete(
    state: TaskState,
    kind: TaskKind,
    actor: &Actor,
    owner: PersonId,
    outcome: &str,
) -> Result<TaskState, TaskError> {
    if state != TaskState::Open {
        return Err(TaskError::AlreadyClosed);
    }
    if !acts_as_owner(actor, owner) {
        return Err(TaskError::NotOwner);
    }
    if kind != TaskKind::Read && outcome.trim().is_empty() {
        return Err(TaskError::OutcomeRequired);
    }
    crate::text::check_multiline(outcome).map_err(|m| TaskError::TextInvalid("outcome", m))?;
    Ok(TaskState::Done)
}

/// When reminders fire, as the office configures them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderRule {
    /// Remind this many hours before the deadline.
    pub before_hours: i64,
    /// Escalate to the supervising leader this many hours past the deadline.
    pub escalate_after_hours: i64,
}

impl Default for ReminderRule {
    fn default() -> Self {
        ReminderRule { before_hours: 24, escalate_after_hours: 0 }
    }
}

/// Which reminders a task has already had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderMarks {
    pub before_sent: bool,
    pub due_sent: bool,
    pub escalated: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    BeforeDue,
    AtDue,
    Escalation,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::BeforeDue => "before_due",
            ReminderKind::AtDue => "at_due",
            ReminderKind::Escalation => "escalation",
        }
    }
}

/// The reminders due now for an open task, oldest first. Pure: the job runner calls it
/// on every sweep and records marks, so a reminder fires once however often it runs.
pub fn reminders_due(due: Timestamp, now: Timestamp, marks: ReminderMarks, rule: ReminderRule) -> Vec<ReminderKind> {
    let mut out = Vec::new();
    if !marks.before_sent && !marks.due_sent && now >= due.plus_hours(-rule.before_hours) && now < due {
        out.push(ReminderKind::BeforeDue);
    }
    if !marks.due_sent && now >= due {
        out.push(ReminderKind::AtDue);
    }
    if !marks.escalated && now > due.plus_hours(rule.escalate_after_hours) {
        out.push(ReminderKind::Escalation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Clearance;

    fn actor(id: i64, acting_for: Option<i64>) -> Actor {
        Actor {
            person_id: PersonId(id),
            name: "x".into(),
            department_id: None,
            roles: vec![],
            admin: None,
            clearance: Clearance::None,
            acting_for: acting_for.map(PersonId),
        }
    }

    #[test]
    fn completing_a_task_table() {
        use TaskKind::*;
        use TaskState::*;
        let cases = [
            (Open, Handle, actor(1, None), 1, "done it", Ok(Done)),
            (Open, Handle, actor(1, None), 1, "  ", Err(TaskError::OutcomeRequired)),
            (Open, Read, actor(1, None), 1, "", Ok(Done)),
            (Open, Handle, actor(2, None), 1, "x", Err(TaskError::NotOwner)),
            (Open, Handle, actor(2, Some(1)), 1, "x", Ok(Done)),
            (Done, Handle, actor(1, None), 1, "x", Err(TaskError::AlreadyClosed)),
        ];
        for (state, kind, a, owner, outcome, want) in cases {
            assert_eq!(complete(state, kind, &a, PersonId(owner), outcome), want, "{state:?} {kind:?} {outcome:?}");
        }
    }

    #[test]
    fn reminders_fire_before_at_and_past_the_deadline_once() {
        let due = Timestamp(100 * 3_600_000);
        let rule = ReminderRule { before_hours: 24, escalate_after_hours: 2 };
        let none = ReminderMarks::default();
        assert!(reminders_due(due, due.plus_hours(-25), none, rule).is_empty());
        assert_eq!(reminders_due(due, due.plus_hours(-1), none, rule), vec![ReminderKind::BeforeDue]);
        let before = ReminderMarks { before_sent: true, ..none };
        assert!(reminders_due(due, due.plus_hours(-1), before, rule).is_empty());
        assert_eq!(reminders_due(due, due, before, rule), vec![ReminderKind::AtDue]);
        let at = ReminderMarks { due_sent: true, ..before };
        assert!(reminders_due(due, due.plus_hours(2), at, rule).is_empty());
        assert_eq!(reminders_due(due, due.plus_hours(3), at, rule), vec![ReminderKind::Escalation]);
        // A sweep that missed everything catches up in order, without a stale "before" reminder.
        assert_eq!(
            reminders_due(due, due.plus_hours(3), none, rule),
            vec![ReminderKind::AtDue, ReminderKind::Escalation]
        );
    }
}
