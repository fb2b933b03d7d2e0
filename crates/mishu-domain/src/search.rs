//! The words of a search as typed, and the short n-grams that make every word match where it
//! occurs as a substring (architecture §6, performance A3). Pure, so that T11 can fuzz the
//! query edge and the recall guarantee; the service turns grams into index tokens.

/// Longer queries are refused rather than cut: nobody types 200 characters into a search box.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words; each is a required match.
pub const MAX_WORDS: usize = 12;

/// Characters that belong to a word: CJK ideographs, letters and digits. Anything else
/// (punctuation, spaces) breaks a run, as it would break a `LIKE` match of a term without it.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Case folding of the index and of queries alike (ASCII only: CJK has no case).
pub fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

/// The query text trimmed, and its runs of word characters; each must occur in a hit.
/// Refuses control characters (before trimming: a trailing newline or NUL is refused, not
/// quietly dropped), more than `MAX_QUERY_CHARS` characters and more than `MAX_WORDS` words.
pub fn words(raw: &str) -> Result<(String, Vec<String>), String> {
    if raw.chars().any(char::is_control) {
        return Err("control characters are not allowed".into());
    }
    let text = raw.trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(format!("at most {MAX_QUERY_CHARS} characters"));
    }
    let words: Vec<String> =
        text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).map(str::to_string).collect();
    if words.len() > MAX_WORDS {
        return Err(format!("at most {MAX_WORDS} words"));
    }
    Ok((text.to_string(), words))
}

/// One index token: its byte range in the text, its position (the character index of its
/// first character) and its folded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gram {
    pub from: usize,
    pub to: usize,
    pub position: usize,
    pub text: String,
}

/// Every word character as a unigram and every two adjacent ones as a bigram, both at the
/// first character's position. A term of n ≥ 2 characters is then the phrase of its n−1
/// bigrams, which matches exactly where the term occurs as a substring.
pub fn grams(text: &str) -> Vec<Gram> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::with_capacity(chars.len() * 2);
    for (pos, &(from, c)) in chars.iter().enumerate() {
        if !is_word_char(c) {
            continue;
        }
        let end1 = from + c.len_utf8();
        out.push(Gram { from, to: end1, position: pos, text: fold(c).to_string() });
        if let Some(&(_, d)) = chars.get(pos + 1).filter(|(_, d)| is_word_char(*d)) {
            let text: String = [fold(c), fold(d)].into_iter().collect();
            out.push(Gram { from, to: end1 + d.len_utf8(), position: pos, text });
        }
    }
    out
}

/// The bigrams (or, for one character, the unigram) a query run must match, in order.
pub fn query_grams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().map(fold).collect();
    match chars.len() {
        0 => vec![],
        1 => vec![chars[0].to_string()],
        _ => chars.windows(2).map(|w| w.iter().collect()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unigrams_and_bigrams_at_the_first_characters_position() {
        let t: Vec<(String, usize)> = grams("信访局，A1").into_iter().map(|g| (g.text, g.position)).collect();
        let want = [("信", 0), ("信访", 0), ("访", 1), ("访局", 1), ("局", 2), ("a", 4), ("a1", 4), ("1", 5)];
        assert_eq!(t, want.map(|(s, p)| (s.to_string(), p)));
        assert_eq!(query_grams("信访局"), ["信访", "访局"]);
        assert_eq!(query_grams("信"), ["信"]);
    }

    #[test]
    fn the_edge_refuses_what_cannot_be_a_search() {
        assert!(words(&"通".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(words("通知\u{0}").is_err());
        assert!(words("通知\n").is_err());
        assert_eq!(words(&"通".repeat(MAX_QUERY_CHARS)).unwrap().1.len(), 1);
        assert_eq!(words(" 安全生产，通知 2026 ").unwrap().1, ["安全生产", "通知", "2026"]);
        assert!(words(&"a ".repeat(MAX_WORDS + 1)).is_err());
    }
}
