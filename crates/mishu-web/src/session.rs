//! Cookies: the session id (`__Host-` prefixed and `Secure` unless configured off for plain
//! HTTP trials), the anonymous pre-session CSRF token, and the chosen language.

use axum::http::{HeaderMap, HeaderValue, header};

pub const LANG_COOKIE: &str = "mishu_lang";
/// The anonymous pre-session CSRF token's cookie. `__Host-` when secure, so a sibling
/// subdomain cannot plant a token it knows and forge a sign-in.
pub fn pre_csrf_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-mishu_pre" } else { "mishu_pre" }
}

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-mishu_sid" } else { "mishu_sid" }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value. Session cookies are HttpOnly and SameSite=Strict; `max_age` None = browser session.
pub fn set_cookie(name: &str, value: &str, secure: bool, http_only: bool, max_age: Option<i64>) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; SameSite=Strict");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if secure {
        s.push_str("; Secure");
    }
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; mishu_sid=abc; b=2"));
        assert_eq!(cookie(&h, "mishu_sid"), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
        let v = set_cookie("__Host-mishu_sid", "x", true, true, None);
        let s = v.to_str().unwrap();
        assert!(
            s.contains("Secure") && s.contains("HttpOnly") && s.contains("SameSite=Strict") && s.contains("Path=/")
        );
    }
}
