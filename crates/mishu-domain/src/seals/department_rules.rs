//! A department's own rules for using its seals (R7.5): set by its head and registered (备案)
//! with the general office, which registers them or returns them with a reason. The latest
//! registered rules are the ones in force; filing new ones supersedes them only once the
//! office registers the new text.

use super::{SealError, invalid};

/// The longest rules text kept (a page or two of regulations).
pub const MAX_RULES: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesState {
    /// Filed by the department head; waits for the office.
    Filed,
    /// Registered by the office: in force until newer rules are registered.
    Registered,
    /// Sent back by the office with a reason; the head files a corrected text.
    Returned,
    /// Replaced by newer registered rules, or by a newer filing before the office acted.
    Superseded,
}

impl RulesState {
    pub fn code(self) -> &'static str {
        match self {
            RulesState::Filed => "filed",
            RulesState::Registered => "registered",
            RulesState::Returned => "returned",
            RulesState::Superseded => "superseded",
        }
    }

    pub fn parse(code: &str) -> Option<RulesState> {
        [RulesState::Filed, RulesState::Registered, RulesState::Returned, RulesState::Superseded]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What the office does with filed rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesAction {
    Register,
    Return { reason: String },
}

/// The rules text as kept: trimmed, not empty, not longer than `MAX_RULES` characters.
pub fn validate_text(text: &str) -> Result<String, SealError> {
    let t = text.trim();
    if t.chars().count() < 10 {
        return Err(invalid("text", "write the rules out (at least 10 characters)"));
    }
    if t.chars().count() > MAX_RULES {
        return Err(invalid("text", "at most 20,000 characters"));
    }
    crate::text::check_multiline(t).map_err(|m| invalid("text", m))?;
    Ok(t.to_string())
}

/// The office's move on filed rules: only filed rules can be registered or returned, and a
/// return needs its reason.
pub fn decide(state: RulesState, action: &RulesAction) -> Result<RulesState, SealError> {
    if state != RulesState::Filed {
        return Err(SealError::WrongState(state.code()));
    }
    match action {
        RulesAction::Register => Ok(RulesState::Registered),
        RulesAction::Return { reason } if reason.trim().is_empty() => Err(invalid("reason", "say why")),
        RulesAction::Return { reason } => {
            crate::text::check_multiline(reason).map_err(|m| invalid("reason", m))?;
            Ok(RulesState::Returned)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RulesState as S;

    #[test]
    fn only_filed_rules_move_and_a_return_needs_its_reason() {
        let ret = |r: &str| RulesAction::Return { reason: r.into() };
        let cases: Vec<(RulesState, RulesAction, Result<RulesState, &str>)> = vec![
            (S::Filed, RulesAction::Register, Ok(S::Registered)),
            (S::Filed, ret("第三条与学院规定不一致"), Ok(S::Returned)),
            (S::Filed, ret("  "), Err("reason")),
            (S::Registered, RulesAction::Register, Err("wrong_state")),
            (S::Registered, ret("x"), Err("wrong_state")),
            (S::Returned, RulesAction::Register, Err("wrong_state")),
            (S::Superseded, RulesAction::Register, Err("wrong_state")),
            (S::Superseded, ret("x"), Err("wrong_state")),
        ];
        for (state, action, want) in cases {
            let got = decide(state, &action).map_err(|e| match e {
                SealError::Invalid { field, .. } => field,
                SealError::WrongState(_) => "wrong_state",
                _ => "other",
            });
            assert_eq!(got, want, "{state:?} {action:?}");
        }
    }

    #[test]
    fn the_text_is_trimmed_and_bounded() {
        assert_eq!(
            validate_text("  本部门印章由办公室主任保管，用印须经处长签字。 ").unwrap(),
            "本部门印章由办公室主任保管，用印须经处长签字。"
        );
        assert!(validate_text("太短").is_err());
        assert!(validate_text(&"章".repeat(MAX_RULES + 1)).is_err());
        assert!(validate_text(&"章".repeat(MAX_RULES)).is_ok());
        assert!(RulesState::parse("registered") == Some(RulesState::Registered) && RulesState::parse("x").is_none());
    }
}
