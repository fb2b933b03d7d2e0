//! The second factor's secret at rest (T17, 等保 鉴别数据的存储保密性): SM4-CBC under a key
//! derived from the data folder's key, with an HMAC-SM3 tag over the ciphertext and the person
//! it belongs to. A database dump or backup then gives away no one's authenticator, and a value
//! edited, written in plain, or copied from one person's row to another's is refused.
//!
//! Stored form: `sm4$` ‖ hex(IV ‖ ciphertext) ‖ hex(first 16 bytes of the tag). The keys are
//! HMAC-SM3 of the data folder's key under their own labels, so they are never the key that
//! seals the audit chain or the security labels.

use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use mishu_domain::PersonId;
use mishu_domain::audit::hmac_sm3_hex;

const PREFIX: &str = "sm4$";
/// Hex characters of the stored tag (16 bytes).
const TAG_HEX: usize = 32;

struct Keys {
    enc: [u8; 16],
    mac: Vec<u8>,
}

fn keys(master: &[u8]) -> Keys {
    let enc = hex::decode(&hmac_sm3_hex(master, b"mishu.totp-secret.sm4.v1")[..32]).expect("hex from the MAC");
    let mac = hex::decode(hmac_sm3_hex(master, b"mishu.totp-secret.mac.v1")).expect("hex from the MAC");
    Keys { enc: enc.try_into().expect("16 bytes"), mac }
}

fn tag(k: &Keys, person: PersonId, body: &[u8]) -> String {
    let mut data = format!("totp:{}:", person.0).into_bytes();
    data.extend_from_slice(body);
    hmac_sm3_hex(&k.mac, &data)[..TAG_HEX].to_string()
}

/// The stored form of `secret` (base32) for `person`; a fresh IV each time.
pub(super) fn seal(master: &[u8], person: PersonId, secret: &str) -> String {
    let k = keys(master);
    let iv: [u8; 16] = rand::random();
    let enc = cbc::Encryptor::<sm4::Sm4>::new_from_slices(&k.enc, &iv).expect("16-byte key and iv");
    let mut body = iv.to_vec();
    body.extend(enc.encrypt_padded_vec::<Pkcs7>(secret.as_bytes()));
    format!("{PREFIX}{}{}", hex::encode(&body), tag(&k, person, &body))
}

/// Whether a stored value is in the sealed form at all (the one-time pass skips these).
pub(super) fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

/// The secret sealed for `person`, or `None` for anything else: plain text, another person's
/// value, an edited one, or one sealed under another data folder's key.
pub(super) fn open(master: &[u8], person: PersonId, stored: &str) -> Option<String> {
    let rest = stored.strip_prefix(PREFIX).filter(|r| r.is_ascii() && r.len() >= 64 + TAG_HEX)?;
    let (body_hex, tag_hex) = rest.split_at(rest.len() - TAG_HEX);
    let body = hex::decode(body_hex).ok().filter(|b| b.len().is_multiple_of(16))?;
    let k = keys(master);
    let want = tag(&k, person, &body);
    // Compared in full whatever differs first: the time taken says nothing of the tag.
    let diff = want.bytes().zip(tag_hex.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 {
        return None;
    }
    let (iv, ct) = body.split_at(16);
    let dec = cbc::Decryptor::<sm4::Sm4>::new_from_slices(&k.enc, iv).expect("16-byte key and iv");
    String::from_utf8(dec.decrypt_padded_vec::<Pkcs7>(ct).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn a_sealed_secret_opens_for_its_person_only_and_hides_the_secret() {
        let key = b"data folder key";
        let sealed = seal(key, PersonId(7), SECRET);
        assert!(is_sealed(&sealed) && !sealed.contains(SECRET), "{sealed}");
        assert_ne!(sealed, seal(key, PersonId(7), SECRET), "a fresh IV each time");
        assert_eq!(open(key, PersonId(7), &sealed).as_deref(), Some(SECRET));
        assert_eq!(open(key, PersonId(8), &sealed), None, "copied to another person");
        assert_eq!(open(b"another folder's key", PersonId(7), &sealed), None);
        assert_eq!(open(key, PersonId(7), SECRET), None, "plain text is refused");
    }

    #[test]
    fn any_changed_character_is_refused() {
        let key = b"k";
        let sealed = seal(key, PersonId(1), SECRET);
        for i in PREFIX.len()..sealed.len() {
            let mut b = sealed.clone().into_bytes();
            b[i] = if b[i] == b'0' { b'1' } else { b'0' };
            let changed = String::from_utf8(b).unwrap();
            if changed != sealed {
                assert_eq!(open(key, PersonId(1), &changed), None, "character {i} changed");
            }
        }
        for cut in [0, 1, 16, sealed.len() - 1] {
            assert_eq!(open(key, PersonId(1), &sealed[..cut]), None, "cut at {cut}");
        }
        assert_eq!(open(key, PersonId(1), &format!("{sealed}00")), None, "lengthened");
    }
}
