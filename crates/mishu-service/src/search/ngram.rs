//! The short-n-gram tokenizer behind the recall guarantee (architecture §6, performance A3):
//! every letter or digit is a unigram and every two adjacent ones a bigram, both at the
//! first character's position. A term of n ≥ 2 characters is then the phrase of its n−1
//! bigrams, which matches exactly where the term occurs as a substring, so our hits include
//! every hit of SQL `LIKE '%term%'`. Jieba alone missed two of 45 for 信访.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const NAME: &str = "mishu_ngram";

#[derive(Clone, Default)]
pub struct NgramTokenizer;

pub struct NgramStream {
    tokens: Vec<Token>,
    next: usize,
}

/// Characters that belong to a word: CJK ideographs, letters and digits. Anything else
/// (punctuation, spaces) breaks a run, as it would break a `LIKE` match of a term without it.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

/// The tokens of `text`: (byte range, position, text).
pub fn grams(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::with_capacity(chars.len() * 2);
    for (pos, &(from, c)) in chars.iter().enumerate() {
        if !is_word_char(c) {
            continue;
        }
        let end1 = from + c.len_utf8();
        out.push(Token {
            offset_from: from,
            offset_to: end1,
            position: pos,
            text: fold(c).to_string(),
            position_length: 1,
        });
        if let Some(&(_, d)) = chars.get(pos + 1).filter(|(_, d)| is_word_char(*d)) {
            let text: String = [fold(c), fold(d)].into_iter().collect();
            out.push(Token {
                offset_from: from,
                offset_to: end1 + d.len_utf8(),
                position: pos,
                text,
                position_length: 1,
            });
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

impl Tokenizer for NgramTokenizer {
    type TokenStream<'a> = NgramStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> NgramStream {
        NgramStream { tokens: grams(text), next: 0 }
    }
}

impl TokenStream for NgramStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unigrams_and_bigrams_at_the_first_characters_position() {
        let t: Vec<(String, usize)> = grams("信访局，A1").into_iter().map(|t| (t.text, t.position)).collect();
        let want = [("信", 0), ("信访", 0), ("访", 1), ("访局", 1), ("局", 2), ("a", 4), ("a1", 4), ("1", 5)];
        assert_eq!(t, want.map(|(s, p)| (s.to_string(), p)));
        assert_eq!(query_grams("信访局"), ["信访", "访局"]);
        assert_eq!(query_grams("信"), ["信"]);
    }
}
