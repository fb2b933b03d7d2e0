//! SQL for a person's calendar: the meetings they are at, the rooms they booked, and their
//! private feed's token digest.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::{PersonId, Timestamp};

/// A meeting as one person's calendar sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct MeetingEntry {
    pub meeting_id: i64,
    pub booking_id: Option<i64>,
    pub title: String,
    pub location: String,
    pub content: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub organiser_id: i64,
    pub chair_id: i64,
    /// The booking's state (`approved` when the meeting has no booking).
    pub state: String,
    /// The booking's version: it grows with every move and every decision on it.
    pub sequence: i64,
    /// The person's own answer, when they are an attendee.
    pub rsvp: Option<String>,
    pub checked_in_at: Option<i64>,
}

/// A room the person booked.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct BookingEntry {
    pub booking_id: i64,
    pub title: String,
    pub room_name: String,
    pub content: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub state: String,
    pub version: i64,
}

/// Meetings overlapping [from, to) that `p` chairs, organises or is invited to.
pub(super) async fn meetings_of(db: &Db, p: PersonId, from: Timestamp, to: Timestamp) -> DbResult<Vec<MeetingEntry>> {
    db.fetch_all(
        "SELECT m.meeting_id, m.booking_id, m.title, m.location, m.content, m.starts_at, m.ends_at, m.organiser_id,
         m.chair_id, COALESCE(b.state, 'approved') AS state,
         COALESCE(b.version, 0) AS sequence, a.rsvp, a.checked_in_at
         FROM meetings m
         LEFT JOIN room_bookings b ON b.booking_id = m.booking_id
         LEFT JOIN meeting_attendees a ON a.meeting_id = m.meeting_id AND a.person_id = $1
         WHERE (a.person_id IS NOT NULL OR m.chair_id = $2 OR m.organiser_id = $3)
         AND m.starts_at < $4 AND m.ends_at > $5
         ORDER BY m.starts_at, m.meeting_id LIMIT 1000",
        args![p, p, p, to, from],
    )
    .await
}

/// Bookings overlapping [from, to) that `p` requested, every state.
pub(super) async fn bookings_of(db: &Db, p: PersonId, from: Timestamp, to: Timestamp) -> DbResult<Vec<BookingEntry>> {
    db.fetch_all(
        "SELECT b.booking_id, b.title, r.name AS room_name, b.content, b.starts_at, b.ends_at, b.state, b.version
         FROM room_bookings b JOIN rooms r ON r.room_id = b.room_id
         WHERE b.requested_by = $1 AND b.starts_at < $2 AND b.ends_at > $3
         ORDER BY b.starts_at, b.booking_id LIMIT 1000",
        args![p, to, from],
    )
    .await
}

/// Sets the person's feed token digest, replacing any earlier one; true when one existed.
/// One upsert, so two rotations at once leave exactly one live token (the later one).
pub(super) async fn put_feed(tx: &mut Tx, p: PersonId, hash: &str, now: Timestamp) -> DbResult<bool> {
    let before: Option<(i64,)> =
        tx.fetch_optional("SELECT person_id FROM calendar_feeds WHERE person_id = $1", args![p]).await?;
    tx.execute(
        "INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        args![p, hash, now],
    )
    .await?;
    Ok(before.is_some())
}

/// When the person's live feed was made, if they have one.
pub(super) async fn feed_made(db: &Db, p: PersonId) -> DbResult<Option<i64>> {
    let row: Option<(i64,)> =
        db.fetch_optional("SELECT created_at FROM calendar_feeds WHERE person_id = $1", args![p]).await?;
    Ok(row.map(|(t,)| t))
}

/// The active business user a feed digest belongs to.
pub(super) async fn feed_owner(db: &Db, hash: &str) -> DbResult<Option<PersonId>> {
    let row: Option<(i64,)> = db
        .fetch_optional(
            "SELECT f.person_id FROM calendar_feeds f JOIN people p ON p.person_id = f.person_id
             WHERE f.token_hash = $1 AND p.active",
            args![hash],
        )
        .await?;
    Ok(row.map(|(p,)| PersonId(p)))
}
