//! Free text people type into multi-line fields (answers, opinions, minutes, bodies,
//! reasons): the one character rule they all share, so each field refuses the same way.

/// Why such a text is refused, as the message of the field's own `field: message` error.
pub const CONTROL_REFUSED: &str = "control characters are not allowed (line breaks and tabs are)";

/// Line breaks and tabs belong to multi-line text; every other control character is
/// refused. NUL (U+0000) above all: PostgreSQL cannot store it in a `text` column, so it
/// would otherwise surface as a database error (a 5xx) instead of the field's refusal;
/// the others (escape sequences, bell, backspace) only arrive by accident or to spoof
/// terminals and logs.
pub fn check_multiline(text: &str) -> Result<(), &'static str> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(CONTROL_REFUSED);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_pass_and_other_control_characters_do_not() {
        for ok in ["", "一、同意。\r\n二、请落实。", "\t缩进", "emoji 🙂 and \u{200B}\u{FEFF}"] {
            assert_eq!(check_multiline(ok), Ok(()), "{ok:?}");
        }
        for bad in ["a\u{0}b", "\u{0}", "red\u{1b}[31m", "bell\u{7}", "\u{85}next line", "back\u{8}"] {
            assert_eq!(check_multiline(bad), Err(CONTROL_REFUSED), "{bad:?}");
        }
    }
}
