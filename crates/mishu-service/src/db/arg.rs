//! The values a statement binds: one enum both backends bind, with conversions from the
//! domain's typed ids so stores never unwrap an id by hand.

/// A value to bind. Ids and timestamps bind as `I64`.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    I64(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

macro_rules! arg_from {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg { let f: fn($t) -> _ = $conv; Arg::$variant(Some(f(v))) }
        }
        impl From<Option<$t>> for Arg {
            fn from(v: Option<$t>) -> Arg { let f: fn($t) -> _ = $conv; Arg::$variant(v.map(f)) }
        }
    )*};
}
arg_from!(I64: i64 => |v| v, i32 => i64::from, u32 => i64::from);
arg_from!(Text: String => |v| v, &str => |v: &str| v.to_string(), &String => |v: &String| v.clone());
arg_from!(Bool: bool => |v| v);

macro_rules! arg_from_id {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg { fn from(v: $t) -> Arg { Arg::I64(Some(v.0)) } }
        impl From<Option<$t>> for Arg { fn from(v: Option<$t>) -> Arg { Arg::I64(v.map(|x| x.0)) } }
    )*};
}
use mishu_domain::ids::*;
arg_from_id!(
    PersonId,
    DepartmentId,
    TaskId,
    LeaderTaskId,
    DelegationId,
    ApiTokenId,
    RoomId,
    AuditSeq,
    IncomingId,
    IncomingStepId,
    OutgoingId,
    OutgoingStepId,
    SealId,
    SealApplicationId,
    BookingId,
    EquipmentId,
    MeetingId,
    DecisionId,
    LogisticsItemId,
    ArchiveItemId,
    BorrowingId,
    DestructionId,
    ChronicleEntryId,
    MaterialId,
    mishu_domain::Timestamp
);
