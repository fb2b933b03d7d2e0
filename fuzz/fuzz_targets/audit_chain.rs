//! T11: the audit chain verifier and record codec (`audit::verify`, `AuditRecord::seal`),
//! without a database. The input builds a chain of 1–6 sealed records (fields and the first
//! sequence number from the input), which must verify clean; then one byte of one field of
//! one record is flipped, which must be reported; then sequence numbers are overwritten with
//! arbitrary values (a tampered table), which must never make the verifier panic.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use mishu_domain::PersonId;
use mishu_domain::Timestamp;
use mishu_domain::audit::{AuditRecord, GENESIS, verify};

fn text(u: &mut Unstructured) -> Result<String> {
    let len = u.int_in_range(0..=24)?;
    Ok(String::from_utf8_lossy(u.bytes(len)?).into_owned())
}

fn chain(u: &mut Unstructured, key: &[u8], first: i64) -> Result<Option<Vec<AuditRecord>>> {
    let n = u.int_in_range(1..=6)?;
    let mut prev = if first == 1 || u.ratio(1, 2)? { GENESIS.to_string() } else { text(u)? };
    let mut log = Vec::new();
    for i in 0..n {
        let Some(seq) = first.checked_add(i) else { return Ok(None) };
        let r = AuditRecord {
            seq,
            at: Timestamp(u.arbitrary()?),
            actor_id: u.arbitrary::<Option<i64>>()?.map(PersonId),
            acting_for: u.arbitrary::<Option<i64>>()?.map(PersonId),
            source_ip: text(u)?,
            action: text(u)?,
            subject_type: text(u)?,
            subject_id: if u.arbitrary()? { Some(text(u)?) } else { None },
            detail: text(u)?,
            prev_mac: prev.clone(),
            mac: String::new(),
        }
        .seal(key);
        prev = r.mac.clone();
        log.push(r);
    }
    Ok(Some(log))
}

/// Flips one byte of one field; `false` when the chosen field has no byte to flip.
fn flip(u: &mut Unstructured, r: &mut AuditRecord) -> Result<bool> {
    let x: u8 = u.int_in_range(1..=255)?;
    let at: usize = u.arbitrary()?;
    let num = |v: i64| {
        let mut b = v.to_be_bytes();
        b[at % 8] ^= x;
        i64::from_be_bytes(b)
    };
    let s = |v: &mut String| {
        if v.is_empty() {
            return false;
        }
        let mut b = std::mem::take(v).into_bytes();
        let i = at % b.len();
        b[i] ^= x;
        match String::from_utf8(b) {
            Ok(t) => {
                *v = t;
                true
            }
            Err(e) => {
                let mut b = e.into_bytes();
                b[i] ^= x;
                *v = String::from_utf8(b).expect("restored");
                false
            }
        }
    };
    Ok(match u.int_in_range(0..=10)? {
        0 => {
            r.seq = num(r.seq);
            true
        }
        1 => {
            r.at = Timestamp(num(r.at.0));
            true
        }
        2 => r.actor_id.as_mut().map(|p| p.0 = num(p.0)).is_some(),
        3 => r.acting_for.as_mut().map(|p| p.0 = num(p.0)).is_some(),
        4 => s(&mut r.source_ip),
        5 => s(&mut r.action),
        6 => s(&mut r.subject_type),
        7 => r.subject_id.as_mut().is_some_and(s),
        8 => s(&mut r.detail),
        9 => s(&mut r.prev_mac),
        _ => s(&mut r.mac),
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let key_len = u.int_in_range(1..=32)?;
    let key = u.bytes(key_len)?.to_vec();
    let first: i64 = if u.ratio(3, 4)? { u.int_in_range(1..=1000)? } else { u.arbitrary()? };
    let Some(log) = chain(u, &key, first)? else { return Ok(()) };
    assert_eq!(verify(&log, &key, first), vec![], "a sealed chain verifies clean");

    let mut tampered = log.clone();
    let i = u.choose_index(tampered.len())?;
    if flip(u, &mut tampered[i])? {
        assert_ne!(tampered, log);
        assert!(!verify(&tampered, &key, first).is_empty(), "record {i} flipped, not reported: {:?}", tampered[i]);
    }

    for r in tampered.iter_mut() {
        if u.ratio(1, 3)? {
            r.seq = u.arbitrary()?;
        }
    }
    let _ = verify(&tampered, &key, u.arbitrary()?);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
