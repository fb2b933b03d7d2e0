//! Typed identifiers: a person id can never be passed where a task id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse::<i64>().map($name)
            }
        }
    )*};
}

id_type!(
    /// A person in the organ (staff, leader or administrator).
    PersonId,
    /// A department; departments nest.
    DepartmentId,
    /// A task on the shared spine.
    TaskId,
    /// A leader-assigned task (领导交办事项).
    LeaderTaskId,
    /// A delegation (X acting for Y for a bounded time).
    DelegationId,
    /// An API token for integrations.
    ApiTokenId,
    /// A meeting room.
    RoomId,
    /// A booking of a room (会议室申请).
    BookingId,
    /// An item of equipment (音响、投影、视频会议终端), fixed in one room or shared.
    EquipmentId,
    /// A meeting (会议), usually held in a booked room.
    MeetingId,
    /// A decision of a meeting (议定事项), followed up on the spine.
    DecisionId,
    /// An item of a meeting's logistics checklist (会务保障).
    LogisticsItemId,
    /// A received document (收文).
    IncomingId,
    /// One step on a received document's route (a leader's or a department's).
    IncomingStepId,
    /// An outgoing document (发文), from first draft to distribution.
    OutgoingId,
    /// One step on an outgoing document's route: a review comment, a countersignature or the sign-off.
    OutgoingStepId,
    /// A registered seal (印章).
    SealId,
    /// A seal-use application (用印申请).
    SealApplicationId,
    /// A record in the audit log; its sequence number.
    AuditSeq,
    /// A filed item (件) in the archives.
    ArchiveItemId,
    /// A loan of a filed item (借阅).
    BorrowingId,
    /// A destruction proposal and its record (销毁).
    DestructionId,
    /// An entry of the chronicle (大事记).
    ChronicleEntryId,
    /// A reference material (资料).
    MaterialId,
);
