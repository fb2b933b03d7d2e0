//! T11: the 来文字号 parser (`SenderDocNumber::parse`) and the 发文字号 formatter
//! (`DocPrefix::parse` + `DocNumber`'s Display). Never panics; what parses prints back to
//! itself in the one normal form (〔〕, no zero padding, no 第); the plan's rejects
//! (`〔26〕`, `第12号`) are refused; a number we issue is read back by the receiving side.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mishu_domain::incoming::SenderDocNumber;
use mishu_domain::outgoing::{DocNumber, DocPrefix};

fn incoming(raw: &str) {
    let Ok(n) = SenderDocNumber::parse(raw) else { return };
    let printed = n.to_string();
    assert_eq!(SenderDocNumber::parse(&printed).as_ref().ok(), Some(&n), "{raw:?} → {printed:?}");
    assert!((1949..=2100).contains(&n.year) && n.seq >= 1, "{raw:?} → {n:?}");
    assert!(!printed.chars().any(char::is_whitespace), "{printed:?}");
    let tail = printed.rsplit_once('〕').expect("printed with 〔〕").1;
    assert!(!tail.starts_with('0') && !tail.contains('第') && tail.ends_with('号'), "{printed:?}");
    let (p, y, s) = (&n.prefix, n.year, n.seq);
    for bad in [
        format!("{p}〔{}〕{s}号", y % 100),
        format!("{p}〔{y}〕第{s}号"),
        format!("{p}〔{y}〕{s}"),
        format!("〔{y}〕{s}号"),
    ] {
        assert!(SenderDocNumber::parse(&bad).is_err(), "{bad:?} must be refused");
    }
    // Typed variants are accepted and normalised: square brackets and a padded sequence.
    if s < 100_000_000 {
        let variant = format!("{p} [{y}] 0{s}号");
        assert_eq!(SenderDocNumber::parse(&variant).map(|v| v.to_string()).ok(), Some(printed), "{variant:?}");
    }
}

fn outgoing(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<8>() else { return };
    let Ok(raw) = std::str::from_utf8(rest) else { return };
    let Ok(prefix) = DocPrefix::parse(raw) else { return };
    let year = 1949 + i64::from(u16::from_le_bytes([head[0], head[1]]) % 152);
    let seq = 1 + i64::from(u32::from_le_bytes([head[2], head[3], head[4], head[5]]) % 999_999_999);
    let n = DocNumber { prefix: prefix.as_str().to_string(), year, seq };
    let printed = n.to_string();
    let back = SenderDocNumber::parse(&printed).unwrap_or_else(|e| panic!("{printed:?}: {e}"));
    assert_eq!((back.prefix.as_str(), i64::from(back.year), i64::from(back.seq)), (prefix.as_str(), year, seq));
    assert_eq!(back.to_string(), printed);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = std::str::from_utf8(data) {
        incoming(raw);
    }
    outgoing(data);
});
