//! Uploaded file names as the office shows and stores them: the last path component only,
//! without control characters or bidirectional marks. Pure, so that T11 can fuzz it; the
//! file itself is only ever stored under a server-generated key (ASVS 12.3.1).

/// Keeps the last path component, without control characters or bidirectional marks
/// (which make `exe.pdf` read as `fdp.exe`), at most `max_chars` characters, trimmed.
/// `.` and `..` name no file and become empty, which every caller refuses.
pub fn clean_filename(raw: &str, max_chars: usize) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control() && !is_bidi_control(*c)).take(max_chars).collect();
    match name.trim() {
        "." | ".." => String::new(),
        n => n.to_string(),
    }
}

/// Unicode's explicit directional marks, embeddings, overrides and isolates.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_controls_and_bidi_marks() {
        assert_eq!(clean_filename("C:\\扫描\\来文.pdf", 200), "来文.pdf");
        assert_eq!(clean_filename("../../etc/passwd", 200), "passwd");
        assert_eq!(clean_filename("report\u{202E}fdp.exe.pdf", 200), "reportfdp.exe.pdf");
        assert_eq!(clean_filename("a\u{2066}b\u{2069}\u{200F}.pdf", 200), "ab.pdf");
        assert_eq!(clean_filename("人员\u{200E}.csv", 3), "人员.");
    }

    /// T11's filename property (reliability plan): no `.` or `..` component, even once the
    /// controls around it are dropped.
    #[test]
    fn dot_names_become_empty() {
        for raw in [".", "..", "a/..", " .. ", "\u{202E}..", "x\\.\u{0}"] {
            assert_eq!(clean_filename(raw, 200), "", "{raw:?}");
        }
        assert_eq!(clean_filename("...", 200), "...");
    }
}
