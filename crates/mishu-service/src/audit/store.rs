//! SQL for the audit log.

use crate::args;
use crate::db::{Db, DbResult, Tx};
use mishu_domain::audit::AuditRecord;
use mishu_domain::{PersonId, Timestamp};

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    at: i64,
    actor_id: Option<i64>,
    acting_for: Option<i64>,
    source_ip: String,
    action: String,
    subject_type: String,
    subject_id: Option<String>,
    detail: String,
    prev_mac: String,
    mac: String,
}

impl From<Row> for AuditRecord {
    fn from(r: Row) -> Self {
        AuditRecord {
            seq: r.seq,
            at: Timestamp(r.at),
            actor_id: r.actor_id.map(PersonId),
            acting_for: r.acting_for.map(PersonId),
            source_ip: r.source_ip,
            action: r.action,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            detail: r.detail,
            prev_mac: r.prev_mac,
            mac: r.mac,
        }
    }
}

const COLS: &str = "seq, at, actor_id, acting_for, source_ip, action, subject_type, subject_id, detail, prev_mac, mac";

#[derive(sqlx::FromRow)]
pub(super) struct Head {
    pub seq: i64,
    pub mac: String,
    pub first_seq: i64,
    pub first_prev_mac: String,
}

/// Takes the next sequence number, locking the head row until the transaction ends.
pub(super) async fn advance_head(tx: &mut Tx) -> DbResult<(i64, String)> {
    tx.fetch_one::<(i64, String)>("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, mac", args![]).await
}

pub(super) async fn insert(tx: &mut Tx, r: &AuditRecord) -> DbResult<()> {
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor_id, acting_for, source_ip, action, subject_type, subject_id, detail, prev_mac, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![r.seq, r.at, r.actor_id, r.acting_for, &r.source_ip, &r.action, &r.subject_type, r.subject_id.clone(), &r.detail, &r.prev_mac, &r.mac],
    )
    .await?;
    tx.execute("UPDATE audit_head SET mac = $1 WHERE id = 1", args![&r.mac]).await?;
    Ok(())
}

pub(super) async fn head(db: &Db) -> DbResult<Head> {
    db.fetch_one("SELECT seq, mac, first_seq, first_prev_mac FROM audit_head WHERE id = 1", args![]).await
}

pub(super) async fn all(db: &Db) -> DbResult<Vec<AuditRecord>> {
    let rows: Vec<Row> = db.fetch_all(&format!("SELECT {COLS} FROM audit_log ORDER BY seq"), args![]).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Filters for the audit administrator's pages and export.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub action_prefix: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub limit: Option<i64>,
    pub before_seq: Option<i64>,
}

/// Appends the filter's conditions (on table alias `a`) to `sql`, numbering placeholders
/// from `$1` in order, and returns the values to bind.
fn push_filter(sql: &mut String, f: &AuditFilter) -> Vec<crate::db::Arg> {
    let mut a = args![];
    let mut push = |sql: &mut String, clause: &str, v: crate::db::Arg| {
        a.push(v);
        sql.push_str(&clause.replace("$?", &format!("${}", a.len())));
    };
    if let Some(actor) = f.actor_id {
        push(sql, " AND a.actor_id = $?", actor.into());
    }
    if let Some(p) = f.action_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        // Actions contain `_`, a LIKE wildcard: escape it (and `%`, `\`) rather than drop it.
        // Actions are lower case; lowering the prefix makes both backends' LIKE agree.
        let escaped = p.to_ascii_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        push(sql, " AND a.action LIKE $? ESCAPE '\\'", format!("{escaped}%").into());
    }
    if let Some(from) = f.from {
        push(sql, " AND a.at >= $?", from.into());
    }
    if let Some(to) = f.to {
        push(sql, " AND a.at < $?", to.into());
    }
    if let Some(b) = f.before_seq {
        push(sql, " AND a.seq < $?", b.into());
    }
    a
}

fn limit_of(f: &AuditFilter) -> i64 {
    f.limit.unwrap_or(100).clamp(1, 10_000)
}

pub(super) async fn list(db: &Db, f: &AuditFilter) -> DbResult<Vec<AuditRecord>> {
    let mut sql = format!("SELECT {COLS} FROM audit_log a WHERE 1 = 1");
    let a = push_filter(&mut sql, f);
    sql.push_str(&format!(" ORDER BY a.seq DESC LIMIT {}", limit_of(f)));
    let rows: Vec<Row> = db.fetch_all(&sql, a).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// A record with the names of who acted and for whom, for pages and exports.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct NamedRecord {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub acting_for: Option<i64>,
    pub acting_for_name: Option<String>,
    pub source_ip: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub detail: String,
    pub mac: String,
}

pub(super) async fn list_named(db: &Db, f: &AuditFilter) -> DbResult<Vec<NamedRecord>> {
    let mut sql = String::from(
        "SELECT a.seq, a.at, a.actor_id, pa.name AS actor_name, a.acting_for, pf.name AS acting_for_name,
                a.source_ip, a.action, a.subject_type, a.subject_id, a.detail, a.mac
         FROM audit_log a
         LEFT JOIN people pa ON pa.person_id = a.actor_id
         LEFT JOIN people pf ON pf.person_id = a.acting_for
         WHERE 1 = 1",
    );
    let a = push_filter(&mut sql, f);
    sql.push_str(&format!(" ORDER BY a.seq DESC LIMIT {}", limit_of(f)));
    db.fetch_all(&sql, a).await
}

/// How many records the filter matches (ignoring its limit) and the newest one's number.
pub(super) async fn count_and_newest(tx: &mut Tx, f: &AuditFilter) -> DbResult<(i64, Option<i64>)> {
    let mut sql = String::from("SELECT COUNT(*), MAX(a.seq) FROM audit_log a WHERE 1 = 1");
    let a = push_filter(&mut sql, f);
    tx.fetch_one(&sql, a).await
}

/// What `purge_before(cutoff)` would remove: everything before the first record kept
/// (nothing when no record is recent enough to be kept, as `purge_before` does).
pub(super) async fn count_before(db: &Db, cutoff: Timestamp) -> DbResult<i64> {
    let (n,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM audit_log WHERE seq < (SELECT MIN(seq) FROM audit_log WHERE at >= $1)",
            args![cutoff],
        )
        .await?;
    Ok(n)
}

/// Removes old records and moves the chain's starting point to the first one kept.
pub(super) async fn purge_before(tx: &mut Tx, cutoff: Timestamp) -> DbResult<u64> {
    let first_kept: Option<(i64, String)> = tx
        .fetch_optional("SELECT seq, prev_mac FROM audit_log WHERE at >= $1 ORDER BY seq LIMIT 1", args![cutoff])
        .await?;
    let Some((seq, prev)) = first_kept else { return Ok(0) };
    let removed = tx.execute("DELETE FROM audit_log WHERE seq < $1", args![seq]).await?;
    tx.execute("UPDATE audit_head SET first_seq = $1, first_prev_mac = $2 WHERE id = 1", args![seq, &prev]).await?;
    Ok(removed)
}
