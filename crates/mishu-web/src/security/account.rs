//! The security part of a person's account page: the second factor (off, being set up, on)
//! and, for business users, their API tokens.

use crate::ctx::User;
use crate::error::AppResult;
use mishu_service::Services;
use mishu_service::auth::{self, tokens::ApiTokenView};
use qrcode::QrCode;
use qrcode::render::svg;

/// A set-up waiting for its first code, ready to show.
pub struct PendingTotp {
    /// The base32 secret in groups of four, for typing into an app.
    pub grouped: String,
    pub uri: String,
    /// A `data:` URL of the QR code as SVG (inline scripts and styles are barred by the CSP; images are not).
    pub qr: String,
}

/// A token with its state worked out (`active`, `expired` or `revoked`).
pub struct TokenLine {
    pub t: ApiTokenView,
    pub state: &'static str,
}

pub struct AccountSecurity {
    pub totp_on: bool,
    pub pending: Option<PendingTotp>,
    pub tokens: Vec<TokenLine>,
}

pub async fn account_section(s: &Services, user: &User) -> AppResult<AccountSecurity> {
    let me = user.actor.person_id;
    let totp_on = auth::totp::is_enabled(s, me).await?;
    let pending = auth::totp::pending_enrolment(s, me).await?.map(|e| PendingTotp {
        grouped: grouped(&e.secret),
        qr: qr_data_url(&e.uri),
        uri: e.uri,
    });
    // Tokens belong to business users (the Inbox capability); administrators hold none.
    let tokens = if user.ctx.can("inbox") { auth::tokens::list(s, me).await? } else { Vec::new() };
    let now = s.clock.now().0;
    let tokens = tokens
        .into_iter()
        .map(|t| {
            let state = if t.revoked_at.is_some() {
                "revoked"
            } else if t.expires_at.is_some_and(|e| e <= now) {
                "expired"
            } else {
                "active"
            };
            TokenLine { t, state }
        })
        .collect();
    Ok(AccountSecurity { totp_on, pending, tokens })
}

/// `ABCDEFGH…` → `ABCD EFGH …`: easier to read aloud and type.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Empty when the URI cannot be encoded (it always fits: a few dozen bytes); the text is shown anyway.
pub(crate) fn qr_data_url(uri: &str) -> String {
    match QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let image = code.render::<svg::Color>().min_dimensions(200, 200).build();
            format!("data:image/svg+xml;base64,{}", data_encoding::BASE64.encode(image.as_bytes()))
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_grouped_in_fours_and_the_qr_is_an_svg_image() {
        assert_eq!(super::grouped("GEZDGNBVGY3TQOJQGE"), "GEZD GNBV GY3T QOJQ GE");
        let url = super::qr_data_url("otpauth://totp/Mishu:a?secret=GEZDGNBV");
        let b64 = url.strip_prefix("data:image/svg+xml;base64,").expect("a data URL");
        let svg = String::from_utf8(data_encoding::BASE64.decode(b64.as_bytes()).unwrap()).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
    }
}
