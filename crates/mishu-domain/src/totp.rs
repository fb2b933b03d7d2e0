//! Time-based one-time passwords (RFC 6238 over RFC 4226): 6 digits, 30-second steps,
//! HMAC-SHA1, so that every ordinary authenticator app can be used as the second factor.
//! Pure: the time, the secret and the last accepted step are parameters.

use crate::Timestamp;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per time step (RFC 6238 default; authenticator apps assume it).
pub const STEP_SECONDS: i64 = 30;
/// Digits shown by the app.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret: 160 bits, the length RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Steps accepted either side of now, for clocks that drift and codes typed slowly.
pub const WINDOW: i64 = 1;

/// The time step (RFC 6238 `T`) an instant falls in.
pub fn step_at(now: Timestamp) -> i64 {
    now.0.div_euclid(1000 * STEP_SECONDS)
}

/// HOTP value for a counter (RFC 4226 §5.3), as a number below 10^digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[h.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    bin % 10u32.pow(digits)
}

/// The code for a time step, zero-padded to `digits`.
pub fn code_for_step(secret: &[u8], step: i64, digits: u32) -> String {
    let n = hotp(secret, u64::try_from(step).unwrap_or(0), digits);
    format!("{n:0width$}", width = digits as usize)
}

/// The 6-digit code an authenticator app shows at `now`.
pub fn code_at(secret: &[u8], now: Timestamp) -> String {
    code_for_step(secret, step_at(now), DIGITS)
}

/// Checks a typed code against the steps around `now`. Returns the matching step, which the
/// caller stores: a step at or before `last_step` is refused, so a code works only once.
pub fn verify(secret: &[u8], typed: &str, now: Timestamp, last_step: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_at(now);
    let mut found = None;
    // Every candidate is compared, without stopping early, so timing says nothing about which matched.
    for step in (current - WINDOW)..=(current + WINDOW) {
        let fresh = last_step.is_none_or(|last| step > last);
        if constant_time_eq(code_for_step(secret, step, DIGITS).as_bytes(), typed.as_bytes())
            && fresh
            && found.is_none()
        {
            found = Some(step);
        }
    }
    found
}

/// Compares without branching on the bytes: the time taken does not leak how much matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A secret as authenticator apps take it: RFC 4648 base32, no padding.
pub fn encode_secret(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

/// Reads a stored or typed base32 secret (spaces and case ignored).
pub fn decode_secret(text: &str) -> Option<Vec<u8>> {
    let clean: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != '=').map(|c| c.to_ascii_uppercase()).collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok().filter(|s| !s.is_empty())
}

/// The `otpauth://` URI (Google Authenticator key-URI format) that apps import from a QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent(issuer),
        percent(account),
        encode_secret(secret),
        percent(issuer)
    )
}

/// Percent-encodes all but RFC 3986 unreserved characters (issuers are often Chinese names).
fn percent(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    fn at_seconds(s: i64) -> Timestamp {
        Timestamp(s * 1000)
    }

    #[test]
    fn rfc_6238_sha1_vectors() {
        let cases = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ];
        for (secs, want) in cases {
            assert_eq!(code_for_step(RFC_SECRET, step_at(at_seconds(secs)), 8), want, "t={secs}");
            // Six digits are the same truncation, taken mod 10^6.
            assert_eq!(code_at(RFC_SECRET, at_seconds(secs)), want[2..], "t={secs}");
        }
    }

    #[test]
    fn rfc_4226_hotp_vectors() {
        let want = [755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871, 520_489];
        for (counter, w) in want.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *w, "counter {counter}");
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_and_no_further() {
        let now = at_seconds(1_234_567_890);
        let step = step_at(now);
        for delta in [-1, 0, 1] {
            let code = code_for_step(RFC_SECRET, step + delta, DIGITS);
            assert_eq!(verify(RFC_SECRET, &code, now, None), Some(step + delta), "delta {delta}");
        }
        for delta in [-2, 2] {
            let code = code_for_step(RFC_SECRET, step + delta, DIGITS);
            assert_eq!(verify(RFC_SECRET, &code, now, None), None, "delta {delta}");
        }
    }

    #[test]
    fn a_code_works_once() {
        let now = at_seconds(1_234_567_890);
        let code = code_at(RFC_SECRET, now);
        let step = verify(RFC_SECRET, &code, now, None).unwrap();
        assert_eq!(verify(RFC_SECRET, &code, now, Some(step)), None, "replayed");
        let later = Timestamp(now.0 + 30_000);
        let next = code_at(RFC_SECRET, later);
        assert_eq!(verify(RFC_SECRET, &next, later, Some(step)), Some(step + 1));
    }

    #[test]
    fn malformed_codes_are_refused() {
        let now = at_seconds(59);
        let good = code_at(RFC_SECRET, now);
        assert!(
            verify(RFC_SECRET, &format!(" {} {} ", &good[..3], &good[3..]), now, None).is_some(),
            "spaces are ignored"
        );
        for bad in ["", "12345", "1234567", "abcdef", "٣٣٣٣٣٣"] {
            assert_eq!(verify(RFC_SECRET, bad, now, None), None, "{bad:?}");
        }
    }

    #[test]
    fn secrets_round_trip_through_base32_and_the_uri() {
        let b32 = encode_secret(RFC_SECRET);
        assert_eq!(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(decode_secret(&b32.to_lowercase()).as_deref(), Some(RFC_SECRET));
        assert_eq!(decode_secret("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ").as_deref(), Some(RFC_SECRET));
        assert_eq!(decode_secret("not base32!"), None);
        let uri = otpauth_uri("江北 OA", "zhang.wei", RFC_SECRET);
        assert!(uri.starts_with("otpauth://totp/%E6%B1%9F%E5%8C%97%20OA:zhang.wei?secret=GEZDGNBV"), "{uri}");
        assert!(uri.ends_with("&algorithm=SHA1&digits=6&period=30"), "{uri}");
    }
}
