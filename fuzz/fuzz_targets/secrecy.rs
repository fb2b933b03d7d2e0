//! T11: 密级, 保密期限 and 份号 as a registration form sends them (`Clearance::parse`,
//! `Registration::validate`), and the six-digit 份号 of outgoing copies (`copy_label`,
//! `decide_copy`). Input: lines `密级 / 保密期限 / 份号 / copies`. Never panics; an accepted
//! registration keeps a classified document's period and copy number as one clean line
//! (≤ 20 characters, no control characters) and an unclassified one's empty.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mishu_domain::Timestamp;
use mishu_domain::incoming::{Registration, RegistrationInput};
use mishu_domain::org::Clearance;
use mishu_domain::outgoing::{CopyAction, CopyState, copy_label, decide_copy};

const NOW: Timestamp = Timestamp(1_795_000_000_000);

fn clean_line(v: &str) -> bool {
    !v.is_empty() && v.chars().count() <= 20 && !v.chars().any(char::is_control) && v.trim() == v && !v.contains("  ")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut lines = text.split('\n');
    let (cls, period, copy_no) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));
    let copies: i64 = lines.next().and_then(|c| c.trim().parse().ok()).unwrap_or(1);

    if let Ok(c) = Clearance::parse(cls) {
        assert_eq!(Clearance::parse(c.code()), Ok(c));
    }
    let input = RegistrationInput {
        sender_organ: "某省教育厅".into(),
        sender_number: "".into(),
        title: "关于做好2026年安全生产工作的通知".into(),
        doc_type: "notice".into(),
        classification: cls.into(),
        secrecy_period: period.into(),
        copy_no: copy_no.into(),
        urgency: "normal".into(),
        handling: "to_handle".into(),
        copies,
        pages: None,
        received_at: NOW,
        due_at: None,
    };
    if let Ok(r) = Registration::validate(&input, NOW) {
        assert_eq!(Clearance::parse(cls).ok(), Some(r.classification));
        if r.classification > Clearance::None {
            assert!(clean_line(&r.secrecy_period) && clean_line(&r.copy_no), "{r:?}");
        } else {
            assert!(r.secrecy_period.is_empty() && r.copy_no.is_empty(), "{r:?}");
        }
        assert!((1..=999).contains(&r.copies));
    }

    // The printed 份号 of outgoing copies: six digits that read back as the copy's number.
    if let Ok(n) = copy_no.trim().parse::<i64>() {
        if (1..=999_999).contains(&n) {
            let label = copy_label(n);
            assert!(label.len() == 6 && label.bytes().all(|b| b.is_ascii_digit()), "{label}");
            assert_eq!(label.parse::<i64>(), Ok(n));
        }
        let action = match data.len() % 4 {
            0 => CopyAction::Print { reprint_reason: Some(period.into()) },
            1 => CopyAction::Issue { holder: period.into() },
            2 => CopyAction::Return,
            _ => CopyAction::Destroy { reason: period.into() },
        };
        let states =
            [CopyState::Unprinted, CopyState::Printed, CopyState::Issued, CopyState::Returned, CopyState::Destroyed];
        for state in states {
            if decide_copy(true, copies, n, state, &action).is_ok() {
                assert!(n >= 1 && n <= copies, "copy {n} of {copies} accepted");
            }
            assert!(decide_copy(false, copies, n, state, &action).is_err(), "unclassified: no 份号");
        }
    }
});
