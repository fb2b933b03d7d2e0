//! The 发文字号 ledger as the office reads it: every number of a prefix and year in order,
//! voided ones with their reason, and the gap report (every number not held by a document,
//! and why). Titles of classified documents the reader may not see are masked.

use super::{store, subject};
use crate::{ServiceError, ServiceResult, Services};
use mishu_domain::access::{Actor, may_read};
use mishu_domain::org::Role;
use mishu_domain::outgoing::{GapLine, LedgerEntry, gap_report};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub prefix: String,
    pub year: i64,
    /// Every (prefix, year, last number) known, for choosing.
    pub heads: Vec<(String, i64, i64)>,
    pub rows: Vec<store::LedgerRow>,
    pub gaps: Vec<GapLine>,
}

pub async fn ledger(s: &Services, actor: &Actor, prefix: Option<&str>, year: Option<i64>) -> ServiceResult<Ledger> {
    if !(actor.has_role(Role::Secretary) || actor.has_role(Role::OfficeHead)) {
        return Err(ServiceError::Forbidden);
    }
    let heads = store::last_seq(&s.db).await?;
    let (prefix, year, last) = match (prefix, year) {
        (Some(p), Some(y)) => {
            let last = heads.iter().find(|h| h.0 == p && h.1 == y).map_or(0, |h| h.2);
            (p.to_string(), y, last)
        }
        _ => match heads.first() {
            Some(h) => h.clone(),
            None => (String::new(), 0, 0),
        },
    };
    let mut rows = store::ledger(&s.db, &prefix, year).await?;
    let pairs = store::route_people(&s.db).await?;
    let office = store::office_people(&s.db).await?;
    for r in &mut rows {
        // The ledger keeps every number's line; a document whose label fails its MAC keeps
        // its line with the title masked, since its stored 密级 cannot be believed.
        if !crate::labels::intact(s, &r.label(), r.label_mac.as_deref()) {
            r.title = "★".into();
        } else if r.classification != "none" {
            let doc = store::get(&s.db, mishu_domain::OutgoingId(r.outgoing_id)).await?;
            let route = pairs.iter().filter(|(d, _)| *d == r.outgoing_id).map(|(_, p)| *p);
            let readable = doc.is_some_and(|d| {
                let office = office.iter().copied().filter(|_| super::sent_to_office(&d));
                may_read(actor, &subject(&d, route.chain(office)))
            });
            if !readable {
                r.title = "★".into();
            }
        }
    }
    let entries: Vec<LedgerEntry> =
        rows.iter().map(|r| LedgerEntry { seq: r.seq, void_reason: r.void_reason.clone() }).collect();
    let gaps = gap_report(&entries, last);
    Ok(Ledger { prefix, year, heads, rows, gaps })
}
