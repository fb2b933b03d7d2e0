//! The audit chain: every record carries an HMAC-SM3 over its own fields and the previous
//! record's MAC, so an edited, deleted, inserted or reordered record breaks the chain.
//! `verify` walks a log and names each record where the chain breaks.

use crate::ids::PersonId;
use crate::org::Clearance;
use crate::time::Timestamp;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sm3::Sm3;

type HmacSm3 = Hmac<Sm3>;

/// The MAC the first record chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Something that happened, as a domain reports it; the service adds who, when and the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Dotted verb, e.g. `auth.login_failed`, `leader_task.answered`, `org.person_created`.
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    /// A JSON object with the event's facts. Never passwords, tokens or secrets.
    pub detail: serde_json::Value,
}

impl AuditEvent {
    pub fn new(action: &str, subject_type: &str, subject_id: Option<String>, detail: serde_json::Value) -> Self {
        AuditEvent { action: action.into(), subject_type: subject_type.into(), subject_id, detail }
    }

    /// The event of an object classified at `level`. For a classified object the object's own
    /// words (`CONTENT_KEYS`, at any depth of the detail) are withheld: the log is read by
    /// the audit administrator, who audits acts and need not be cleared for what was acted
    /// on (need-to-know; 三员分立), and it outlives the object in every backup. Who did what,
    /// when, to which object and with which codes stays; the words stay in the object's own
    /// rows, under its access rules. `withheld: true` marks the detail.
    pub fn at_level(mut self, level: Clearance) -> Self {
        if level != Clearance::None {
            withhold(&mut self.detail);
            if let serde_json::Value::Object(m) = &mut self.detail {
                m.insert("withheld".into(), true.into());
            }
        }
        self
    }
}

/// Detail keys whose values are an object's own words rather than codes, ids or numbers.
pub const CONTENT_KEYS: [&str; 14] = [
    "title",
    "document_title",
    "filename",
    "opinion",
    "text",
    "reason",
    "note",
    "outcome",
    "reply",
    "body",
    "reference",
    "intent",
    "outline",
    "annotation",
];

fn withhold(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if CONTENT_KEYS.contains(&k.as_str()) {
                    *x = serde_json::Value::Null;
                } else {
                    withhold(x);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(withhold),
        _ => {}
    }
}

/// A stored record, exactly as it sits in the `audit_log` table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: Timestamp,
    pub actor_id: Option<PersonId>,
    pub acting_for: Option<PersonId>,
    pub source_ip: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    /// Canonical JSON text of the detail.
    pub detail: String,
    pub prev_mac: String,
    pub mac: String,
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn opt_id(id: Option<PersonId>) -> String {
    id.map(|p| p.0.to_string()).unwrap_or_default()
}

impl AuditRecord {
    /// Length-prefixed fields: no two different records share a byte string.
    fn canonical(&self, seq: i64) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        field(&mut out, seq.to_string().as_bytes());
        field(&mut out, self.at.0.to_string().as_bytes());
        field(&mut out, opt_id(self.actor_id).as_bytes());
        field(&mut out, opt_id(self.acting_for).as_bytes());
        field(&mut out, self.source_ip.as_bytes());
        field(&mut out, self.action.as_bytes());
        field(&mut out, self.subject_type.as_bytes());
        field(&mut out, self.subject_id.as_deref().unwrap_or("").as_bytes());
        field(&mut out, self.detail.as_bytes());
        field(&mut out, self.prev_mac.as_bytes());
        out
    }

    fn mac_at(&self, key: &[u8], seq: i64) -> String {
        hmac_sm3_hex(key, &self.canonical(seq))
    }

    /// Fills `mac` from the other fields; the service calls this before inserting.
    pub fn seal(mut self, key: &[u8]) -> Self {
        self.mac = self.mac_at(key, self.seq);
        self
    }
}

pub fn hmac_sm3_hex(key: &[u8], data: &[u8]) -> String {
    let mut m = <HmacSm3 as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    m.update(data);
    hex::encode(m.finalize().into_bytes())
}

/// Where and how the chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainBreak {
    /// The record's own fields no longer match its MAC.
    Edited { seq: i64 },
    /// Records are missing before this one (sequence gap, or the previous MAC is not the one chained to).
    Deleted { after_seq: i64, missing_from: i64, missing_to: i64 },
    /// The record is genuine but sits at the wrong place (it was sealed as `sealed_as`).
    Reordered { seq: i64, sealed_as: i64 },
    /// A record whose sequence number repeats, or which chains to something that is not its predecessor.
    Inserted { seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Edited { seq } => write!(f, "record {seq}: edited (its MAC does not match its content)"),
            ChainBreak::Deleted { after_seq, missing_from, missing_to } => {
                write!(f, "records {missing_from}..={missing_to}: deleted (gap after record {after_seq})")
            }
            ChainBreak::Reordered { seq, sealed_as } => {
                write!(f, "record {seq}: reordered (it was written as record {sealed_as})")
            }
            ChainBreak::Inserted { seq } => write!(f, "record {seq}: inserted (does not chain to its predecessor)"),
        }
    }
}

/// Walks records in the order stored (by `seq`) and reports every break. `first_expected`
/// is the sequence number the walk should start at (1, or the first kept after a retention purge,
/// in which case the first record's `prev_mac` is taken as given).
pub fn verify(records: &[AuditRecord], key: &[u8], first_expected: i64) -> Vec<ChainBreak> {
    let mut out = Vec::new();
    let mut prev: Option<&AuditRecord> = None;
    for (i, r) in records.iter().enumerate() {
        if r.seq < first_expected {
            // Below the first kept record nothing may remain: a purged record put back
            // still carries its genuine MAC, so only its number gives it away.
            out.push(ChainBreak::Inserted { seq: r.seq });
            continue;
        }
        let expected_seq = prev.map_or(first_expected, |p| p.seq.saturating_add(1));
        if r.mac_at(key, r.seq) != r.mac {
            // A genuine record moved to another place verifies under its original number.
            let window = (i as i64 - 8).max(0)..=(i as i64 + 8);
            let original = window
                .map(|k| k.saturating_add(first_expected))
                .filter(|s| *s != r.seq)
                .find(|s| r.mac_at(key, *s) == r.mac);
            out.push(match original {
                Some(sealed_as) => ChainBreak::Reordered { seq: r.seq, sealed_as },
                None => ChainBreak::Edited { seq: r.seq },
            });
        } else if let Some(p) = prev {
            if r.seq == p.seq {
                out.push(ChainBreak::Inserted { seq: r.seq });
            } else if r.seq > expected_seq {
                out.push(ChainBreak::Deleted {
                    after_seq: p.seq,
                    missing_from: expected_seq,
                    missing_to: r.seq.saturating_sub(1),
                });
            } else if r.prev_mac != p.mac
                && !matches!(out.last(), Some(ChainBreak::Edited { seq } | ChainBreak::Reordered { seq, .. }) if *seq == p.seq)
            {
                out.push(ChainBreak::Inserted { seq: r.seq });
            }
        } else if r.seq == first_expected && first_expected == 1 && r.prev_mac != GENESIS {
            out.push(ChainBreak::Inserted { seq: r.seq });
        } else if r.seq > first_expected {
            out.push(ChainBreak::Deleted {
                after_seq: first_expected.saturating_sub(1),
                missing_from: first_expected,
                missing_to: r.seq.saturating_sub(1),
            });
        }
        prev = Some(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sm3::Digest;

    #[test]
    fn a_classified_objects_words_are_withheld_at_any_depth_and_codes_stay() {
        let detail = serde_json::json!({
            "title": "关于某型号装备的通知", "reg_no": "收〔2026〕7号", "classification": "secret",
            "files": [{"file_id": 3, "filename": "型号参数.pdf", "size": 10}],
            "events": [{"step_acted": {"step": 9, "text": "同意", "by": 2}}, {"closed": {"outcome": "已办", "reply": "复函"}}],
        });
        let cases = [
            (Clearance::None, false),
            (Clearance::Secret, true),
            (Clearance::Confidential, true),
            (Clearance::TopSecret, true),
        ];
        for (level, withheld) in cases {
            let ev =
                AuditEvent::new("incoming.registered", "incoming", Some("1".into()), detail.clone()).at_level(level);
            let text = ev.detail.to_string();
            for words in ["某型号", "型号参数", "同意", "已办", "复函"] {
                assert_eq!(text.contains(words), !withheld, "{level:?}: {words} in {text}");
            }
            // What makes the record an audit record stays whatever the level.
            for kept in ["收〔2026〕7号", "\"file_id\":3", "\"size\":10", "\"step\":9", "\"by\":2", "secret"] {
                assert!(text.contains(kept), "{level:?}: {kept} lost from {text}");
            }
            assert_eq!(ev.detail.get("withheld").is_some(), withheld, "{level:?}");
        }
    }

    #[test]
    fn sm3_known_answers_gbt_32905_appendix_a() {
        assert_eq!(
            hex::encode(Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            hex::encode(Sm3::digest("abcd".repeat(16).as_bytes())),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn hmac_sm3_matches_openssl() {
        // openssl dgst -sm3 -hmac 'mishu-audit-key' <<< abc (no newline)
        assert_eq!(
            hmac_sm3_hex(b"mishu-audit-key", b"abc"),
            "08583a2b399c69148db5aad29f72104d07442e8a88353237ae240598c10bb4e4"
        );
        let key = hex::decode("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20").unwrap();
        assert_eq!(
            hmac_sm3_hex(&key, b"The quick brown fox jumps over the lazy dog"),
            "b365b3ca43ef911a2d9010d6db1ade2ae4bd5f36c0515513e47a8625704c3cc7"
        );
    }

    fn chain(n: i64, key: &[u8]) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let r = AuditRecord {
                    seq,
                    at: Timestamp(seq * 1000),
                    actor_id: Some(PersonId(seq % 3)),
                    acting_for: None,
                    source_ip: "127.0.0.1".into(),
                    action: format!("test.action{seq}"),
                    subject_type: "thing".into(),
                    subject_id: Some(seq.to_string()),
                    detail: "{}".into(),
                    prev_mac: prev.clone(),
                    mac: String::new(),
                }
                .seal(key);
                prev = r.mac.clone();
                r
            })
            .collect()
    }

    #[test]
    fn a_clean_chain_verifies() {
        let key = b"k";
        assert!(verify(&chain(10, key), key, 1).is_empty());
        assert!(!verify(&chain(3, key), b"other key", 1).is_empty());
    }

    #[test]
    fn an_edited_record_is_named() {
        let key = b"k";
        let mut log = chain(10, key);
        log[4].detail = r#"{"x":1}"#.into();
        assert_eq!(verify(&log, key, 1), vec![ChainBreak::Edited { seq: 5 }]);
    }

    #[test]
    fn a_deleted_record_is_named() {
        let key = b"k";
        let mut log = chain(10, key);
        log.remove(6);
        assert_eq!(verify(&log, key, 1), vec![ChainBreak::Deleted { after_seq: 6, missing_from: 7, missing_to: 7 }]);
    }

    #[test]
    fn a_swapped_pair_is_named() {
        let key = b"k";
        let mut log = chain(10, key);
        // Swap the contents of records 3 and 4 but keep their sequence numbers.
        let (a, b) = (log[2].clone(), log[3].clone());
        log[2] = AuditRecord { seq: 3, ..b };
        log[3] = AuditRecord { seq: 4, ..a };
        assert_eq!(
            verify(&log, key, 1),
            vec![ChainBreak::Reordered { seq: 3, sealed_as: 4 }, ChainBreak::Reordered { seq: 4, sealed_as: 3 }]
        );
    }

    /// Found by T11 (`fuzz/fuzz_targets/audit_chain.rs`): sequence numbers at the ends of
    /// i64 (a tampered table, or a chain that starts there) overflowed `seq + 1` and the
    /// verifier panicked instead of naming the break.
    #[test]
    fn extreme_sequence_numbers_are_reported_not_panicked_on() {
        let key = b"k";
        let mut log = chain(3, key);
        log[1].seq = i64::MAX;
        assert!(!verify(&log, key, 1).is_empty());
        log[0].seq = i64::MIN;
        assert!(!verify(&log, key, i64::MIN).is_empty());
        let mut flipped = chain(2, key);
        flipped[1].detail.push('x');
        // Both below an extreme start: named, not overflowed on.
        let below = vec![ChainBreak::Inserted { seq: 1 }, ChainBreak::Inserted { seq: 2 }];
        assert_eq!(verify(&flipped, key, i64::MAX - 1), below);
        assert_eq!(verify(&flipped, key, 2), vec![ChainBreak::Inserted { seq: 1 }, ChainBreak::Edited { seq: 2 }]);
    }

    #[test]
    fn an_inserted_forged_record_is_named() {
        let key = b"k";
        let mut log = chain(5, key);
        let mut forged = log[2].clone();
        forged.action = "forged".into();
        forged = forged.seal(b"guessed key");
        log.insert(3, forged);
        let breaks = verify(&log, key, 1);
        assert!(breaks.contains(&ChainBreak::Edited { seq: 3 }), "{breaks:?}");
    }

    #[test]
    fn a_purged_record_put_back_is_named() {
        let key = b"k";
        let log = chain(8, key);
        // After a purge that kept 4.. the chain verifies from 4 on its own.
        assert!(verify(&log[3..], key, 4).is_empty());
        // Record 2, genuine and sealed, restored below the first kept one.
        let mut restored = vec![log[1].clone()];
        restored.extend_from_slice(&log[3..]);
        assert_eq!(verify(&restored, key, 4), vec![ChainBreak::Inserted { seq: 2 }]);
    }
}
