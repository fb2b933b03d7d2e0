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

pub use mishu_domain::search::query_grams;

/// The tokens of `text` (`mishu_domain::search::grams`, where T11 fuzzes the recall guarantee).
pub fn grams(text: &str) -> Vec<Token> {
    mishu_domain::search::grams(text)
        .into_iter()
        .map(|g| Token { offset_from: g.from, offset_to: g.to, position: g.position, text: g.text, position_length: 1 })
        .collect()
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
