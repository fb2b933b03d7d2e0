//! T11: the search box (`search::words`, the edge of `SearchQuery::parse`) and the n-gram
//! recall guarantee behind it (`search::grams` / `query_grams`). Input: `query` and a text
//! to search, split at the first newline. Never panics; an accepted query has no control
//! character, at most 200 characters and 12 words, each a non-empty run of word characters
//! taken from it; and wherever a word occurs in the text, the index holds the word's grams
//! at consecutive positions there, so the phrase query finds it (no missed hit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mishu_domain::search::{MAX_QUERY_CHARS, MAX_WORDS, fold, grams, is_word_char, query_grams, words};
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let (query, text) = input.split_once('\n').unwrap_or((input, ""));
    let Ok((trimmed, ws)) = words(query) else {
        return;
    };
    assert!(!trimmed.chars().any(char::is_control) && trimmed.chars().count() <= MAX_QUERY_CHARS);
    assert!(ws.len() <= MAX_WORDS, "{query:?}");
    for w in &ws {
        assert!(!w.is_empty() && w.chars().all(is_word_char) && trimmed.contains(w.as_str()), "{query:?}: {w:?}");
    }
    let index: HashSet<(usize, String)> = grams(text).into_iter().map(|g| (g.position, g.text)).collect();
    let hay: Vec<char> = text.chars().map(fold).collect();
    for w in &ws {
        let needle: Vec<char> = w.chars().map(fold).collect();
        let wanted = query_grams(w);
        assert_eq!(wanted.len(), needle.len().saturating_sub(1).max(1), "{w:?}");
        for start in 0..hay.len().saturating_sub(needle.len() - 1) {
            if hay[start..start + needle.len()] == needle[..] {
                for (i, g) in wanted.iter().enumerate() {
                    assert!(
                        index.contains(&(start + i, g.clone())),
                        "{w:?} at {start} in {text:?}: gram {g:?} missing"
                    );
                }
            }
        }
    }
});
