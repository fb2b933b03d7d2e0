//! T11: the upload file-name sanitizer (`files::clean_filename`, used for attachments with
//! 200 characters and for organisation imports with 120). Never panics; the result has no
//! `/`, `\`, NUL or other control character, no bidirectional mark, is not `.` or `..`,
//! is trimmed, within its length, valid UTF-8 (by type), and cleaning it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mishu_domain::files::{clean_filename, is_bidi_control};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    for max in [200, 120] {
        let clean = clean_filename(&raw, max);
        assert!(!clean.contains(['/', '\\', '\0']), "{raw:?} → {clean:?}");
        assert!(!clean.chars().any(|c| c.is_control() || is_bidi_control(c)), "{raw:?} → {clean:?}");
        assert!(clean != "." && clean != "..", "{raw:?} → {clean:?}");
        assert!(clean.chars().count() <= max && clean.len() <= 4 * max, "{raw:?}");
        assert_eq!(clean.trim(), clean, "{raw:?}");
        assert_eq!(clean_filename(&clean, max), clean, "{raw:?}: cleaning is idempotent");
        // The kept name is the end of the last path component, never a piece from before it.
        let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
        assert!(clean.chars().all(|c| last.contains(c)), "{raw:?} → {clean:?}");
    }
});
