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
    tx.fetch_one::<(i64, String)>("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, mac", args![])
        .await
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

pub(super) async fn list(db: &Db, f: &AuditFilter) -> DbResult<Vec<AuditRecord>> {
    let mut sql = format!("SELECT {COLS} FROM audit_log WHERE 1 = 1");
    let mut a = args![];
    let mut n = 0;
    let mut push = |sql: &mut String, clause: &str, v: crate::db::Arg| {
        n += 1;
        sql.push_str(&clause.replace("$?", &format!("${n}")));
        a.push(v);
    };
    if let Some(actor) = f.actor_id {
        push(&mut sql, " AND actor_id = $?", actor.into());
    }
    if let Some(p) = f.action_prefix.as_deref().filter(|p| !p.is_empty()) {
        push(&mut sql, " AND action LIKE $?", format!("{}%", p.replace(['%', '_'], "")).into());
    }
    if let Some(from) = f.from {
        push(&mut sql, " AND at >= $?", from.into());
    }
    if let Some(to) = f.to {
        push(&mut sql, " AND at < $?", to.into());
    }
    if let Some(b) = f.before_seq {
        push(&mut sql, " AND seq < $?", b.into());
    }
    let limit = f.limit.unwrap_or(100).clamp(1, 10_000);
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT {limit}"));
    let rows: Vec<Row> = db.fetch_all(&sql, a).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Removes old records and moves the chain's starting point to the first one kept.
pub(super) async fn purge_before(tx: &mut Tx, cutoff: Timestamp) -> DbResult<u64> {
    let first_kept: Option<(i64, String)> =
        tx.fetch_optional("SELECT seq, prev_mac FROM audit_log WHERE at >= $1 ORDER BY seq LIMIT 1", args![cutoff]).await?;
    let Some((seq, prev)) = first_kept else { return Ok(0) };
    let removed = tx.execute("DELETE FROM audit_log WHERE seq < $1", args![seq]).await?;
    tx.execute("UPDATE audit_head SET first_seq = $1, first_prev_mac = $2 WHERE id = 1", args![seq, &prev]).await?;
    Ok(removed)
}
