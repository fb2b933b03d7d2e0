//! Pure rules of Mishu: typed ids and values, the organisation, the access policy, the
//! task spine, the working-day calendar, the audit chain, label integrity and each domain's workflow.
//! Nothing here does I/O; time and the acting person are always parameters.

pub mod access;
pub mod archives;
pub mod audit;
pub mod calendar;
pub mod files;
pub mod ics;
pub mod ids;
pub mod incoming;
pub mod labels;
pub mod leader_tasks;
pub mod meetings;
pub mod org;
pub mod outgoing;
pub mod password;
pub mod seals;
pub mod search;
pub mod session;
pub mod tasks;
pub mod text;
pub mod time;
pub mod totp;

pub use ids::*;
pub use time::Timestamp;
