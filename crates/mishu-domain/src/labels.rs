//! Security-label integrity (GB/T 39786 §8.4 c): the MAC that binds an object's 密级,
//! 保密期限 and 份号 to the object, so a label changed in the database behind the service's
//! back is detected on the next read instead of quietly widening who may read it.

use crate::audit::hmac_sm3_hex;
use hmac::{Hmac, KeyInit, Mac};
use sm3::Sm3;

/// Separates label MACs from every other HMAC made with the same node key (the audit chain's
/// records start with a sequence number, never with this text).
const DOMAIN_TAG: &[u8] = b"mishu.label.v1";

/// The kinds of object that carry a classification. The code is also the audit subject type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelKind {
    Incoming,
    Outgoing,
    ArchiveItem,
}

impl LabelKind {
    pub const ALL: [LabelKind; 3] = [LabelKind::Incoming, LabelKind::Outgoing, LabelKind::ArchiveItem];

    pub fn code(self) -> &'static str {
        match self {
            LabelKind::Incoming => "incoming",
            LabelKind::Outgoing => "outgoing",
            LabelKind::ArchiveItem => "archive_item",
        }
    }
}

/// One object's label as stored. A field the kind does not have is empty (outgoing documents
/// number each copy in their copy register, archive items keep only the 密级).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label<'a> {
    pub kind: LabelKind,
    pub id: i64,
    pub classification: &'a str,
    pub secrecy_period: &'a str,
    pub copy_no: &'a str,
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

impl Label<'_> {
    /// Every field length-prefixed, in a fixed order: no two different labels (or kinds, or
    /// ids) share a byte string, whatever the fields contain.
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(96);
        field(&mut out, DOMAIN_TAG);
        field(&mut out, self.kind.code().as_bytes());
        field(&mut out, &self.id.to_be_bytes());
        field(&mut out, self.classification.as_bytes());
        field(&mut out, self.secrecy_period.as_bytes());
        field(&mut out, self.copy_no.as_bytes());
        out
    }

    /// HMAC-SM3 of the label under the node's key, as lower-case hex.
    pub fn mac(&self, key: &[u8]) -> String {
        hmac_sm3_hex(key, &self.canonical())
    }

    /// Whether `stored` is this label's MAC. A missing MAC is a failure: clearing the column
    /// must not be a way around the check (rows from before the MAC are sealed once, by
    /// the service's sealing pass, before anyone reads them).
    pub fn intact(&self, key: &[u8], stored: Option<&str>) -> bool {
        let Some(bytes) = stored.and_then(|h| hex::decode(h).ok()) else { return false };
        let mut m = <Hmac<Sm3> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
        m.update(&self.canonical());
        // Constant-time comparison.
        m.verify_slice(&bytes).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"node-audit-key";

    fn base() -> Label<'static> {
        Label {
            kind: LabelKind::Incoming,
            id: 42,
            classification: "confidential",
            secrecy_period: "10年",
            copy_no: "000007",
        }
    }

    #[test]
    fn a_sealed_label_verifies_and_a_missing_or_malformed_mac_does_not() {
        let l = base();
        let mac = l.mac(KEY);
        assert_eq!(mac.len(), 64);
        assert!(l.intact(KEY, Some(&mac)));
        assert!(l.intact(KEY, Some(&mac.to_uppercase())), "hex case is not part of the MAC");
        assert!(!l.intact(KEY, None));
        assert!(!l.intact(KEY, Some("")));
        assert!(!l.intact(KEY, Some("zz")));
        assert!(!l.intact(KEY, Some(&mac[..62])));
        assert!(!l.intact(b"another-key", Some(&mac)));
    }

    #[test]
    fn any_single_change_changes_the_mac() {
        let b = base();
        let changed: &[(&str, Label<'static>)] = &[
            ("kind outgoing", Label { kind: LabelKind::Outgoing, ..b }),
            ("kind archive", Label { kind: LabelKind::ArchiveItem, ..b }),
            ("id", Label { id: 43, ..b }),
            ("id negative", Label { id: -42, ..b }),
            ("downgraded", Label { classification: "none", ..b }),
            ("upgraded", Label { classification: "top_secret", ..b }),
            ("classification emptied", Label { classification: "", ..b }),
            ("period", Label { secrecy_period: "5年", ..b }),
            ("period emptied", Label { secrecy_period: "", ..b }),
            ("copy", Label { copy_no: "000008", ..b }),
            ("copy emptied", Label { copy_no: "", ..b }),
        ];
        let mac = b.mac(KEY);
        for (what, l) in changed {
            assert_ne!(l.mac(KEY), mac, "{what}");
            assert!(!l.intact(KEY, Some(&mac)), "{what}");
        }
        let mut all: Vec<String> = changed.iter().map(|(_, l)| l.mac(KEY)).collect();
        all.push(mac);
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "every variant has its own MAC");
    }

    #[test]
    fn moving_bytes_between_fields_is_not_the_same_label() {
        // Plain concatenation would make each pair equal; length prefixes keep them apart.
        let pairs: &[(Label<'static>, Label<'static>)] = &[
            (
                Label { classification: "secret", secrecy_period: "10年", ..base() },
                Label { classification: "secret1", secrecy_period: "0年", ..base() },
            ),
            (
                Label { secrecy_period: "10年", copy_no: "", ..base() },
                Label { secrecy_period: "", copy_no: "10年", ..base() },
            ),
            (
                Label { classification: "", secrecy_period: "secret", ..base() },
                Label { classification: "secret", secrecy_period: "", ..base() },
            ),
        ];
        for (a, b) in pairs {
            assert_ne!(a.canonical(), b.canonical(), "{a:?} / {b:?}");
            assert_ne!(a.mac(KEY), b.mac(KEY));
        }
    }

    #[test]
    fn the_mac_is_hmac_sm3_over_the_documented_encoding() {
        // Pinned, so a change of the encoding (which would make every stored MAC fail) is seen.
        let l = Label { kind: LabelKind::ArchiveItem, id: 1, classification: "none", secrecy_period: "", copy_no: "" };
        let mut want = Vec::new();
        for f in [&b"mishu.label.v1"[..], b"archive_item", &1i64.to_be_bytes(), b"none", b"", b""] {
            want.extend_from_slice(&(f.len() as u64).to_be_bytes());
            want.extend_from_slice(f);
        }
        assert_eq!(l.canonical(), want);
        assert_eq!(l.mac(KEY), hmac_sm3_hex(KEY, &want));
    }
}
