//! The catalogues: zh-CN first, zh-TW and English. Every user-facing string comes from here.
//! Files are `i18n/<locale>/<area>.txt` with `key = value` lines; `{name}` is a placeholder.
//! A missing key falls back to zh-CN, then to the key itself (and a test fails on it).

use serde::Serialize;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Locale {
    #[default]
    ZhCn,
    ZhTw,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::ZhCn, Locale::ZhTw, Locale::En];
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
            Locale::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim() {
            "zh-CN" | "zh-cn" | "zh" | "zh-Hans" => Some(Locale::ZhCn),
            "zh-TW" | "zh-tw" | "zh-HK" | "zh-Hant" => Some(Locale::ZhTw),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }
    /// From an `Accept-Language` header, first match wins.
    pub fn from_accept_language(h: &str) -> Option<Locale> {
        h.split(',').filter_map(|part| Locale::parse(part.split(';').next().unwrap_or(""))).next()
    }
}

macro_rules! catalogue_files {
    ($($area:literal),* $(,)?) => {
        &[$(
            (Locale::ZhCn, $area, include_str!(concat!("../i18n/zh-CN/", $area, ".txt"))),
            (Locale::ZhTw, $area, include_str!(concat!("../i18n/zh-TW/", $area, ".txt"))),
            (Locale::En, $area, include_str!(concat!("../i18n/en/", $area, ".txt"))),
        )*]
    };
}

/// One file per area and locale; a new domain adds its area here.
pub const FILES: &[(Locale, &str, &str)] = catalogue_files!(
    "common",
    "errors",
    "inbox",
    "leader_tasks",
    "audit",
    "security",
    "admin_org",
    "incoming",
    "outgoing",
    "seals",
    "meetings",
    "archives",
    "search"
);

type Catalogue = HashMap<&'static str, &'static str>;

static CATALOGUES: LazyLock<HashMap<Locale, Catalogue>> = LazyLock::new(|| {
    let mut all: HashMap<Locale, Catalogue> = HashMap::new();
    for (locale, _, text) in FILES {
        let cat = all.entry(*locale).or_default();
        for (k, v) in parse(text) {
            cat.insert(k, v);
        }
    }
    all
});

/// `key = value` lines; blank lines and `#` comments skipped.
pub fn parse(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        let (k, v) = line.split_once('=')?;
        Some((k.trim(), v.trim()))
    })
}

pub fn t(locale: Locale, key: &str) -> &'static str {
    CATALOGUES
        .get(&locale)
        .and_then(|c| c.get(key))
        .or_else(|| CATALOGUES.get(&Locale::ZhCn).and_then(|c| c.get(key)))
        .copied()
        .unwrap_or_else(|| {
            tracing::warn!(key, "missing catalogue key");
            "??"
        })
}

/// With placeholders: `tf(l, "inbox.due_in", &[("n", "3")])`.
pub fn tf(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(locale, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The catalogue in one language, as the service's printable forms ask for labels.
pub struct FormLabels(pub Locale);

impl mishu_service::forms::Labels for FormLabels {
    fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        tf(self.0, key, args)
    }
}

pub fn has_key(locale: Locale, key: &str) -> bool {
    CATALOGUES.get(&locale).is_some_and(|c| c.contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(locale: Locale) -> BTreeSet<&'static str> {
        CATALOGUES[&locale].keys().copied().collect()
    }

    #[test]
    fn all_catalogues_have_the_same_keys() {
        let zh = keys(Locale::ZhCn);
        for l in [Locale::ZhTw, Locale::En] {
            let other = keys(l);
            let missing: Vec<_> = zh.difference(&other).collect();
            let extra: Vec<_> = other.difference(&zh).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{l:?}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"));
        let mut used = BTreeSet::new();
        let pattern = regex_lite_find;
        // The service's printable forms ask the catalogue for their labels too.
        for dir in [
            "templates",
            "src",
            "../mishu-service/src/incoming/slip.rs",
            "../mishu-service/src/outgoing/sheet.rs",
            "../mishu-service/src/archives/catalogue.rs",
            "../mishu-service/src/archives/chronicle.rs",
        ] {
            for entry in walk(&std::path::Path::new(root).join(dir)) {
                let text = std::fs::read_to_string(&entry).unwrap();
                used.extend(pattern(&text));
            }
        }
        let missing: Vec<_> = used.iter().filter(|k| !has_key(Locale::ZhCn, k)).collect();
        assert!(missing.is_empty(), "keys used but not in zh-CN: {missing:?}");
    }

    /// Finds `t("key")` and `tf(…, "key"` uses in source text.
    fn regex_lite_find(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for marker in [".t(\"", "t(locale, \"", "t(l, \"", "tf(l, \"", "tf(locale, \"", ".tf(\""] {
            let mut rest = text;
            while let Some(i) = rest.find(marker) {
                rest = &rest[i + marker.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if key.contains('.') && !key.contains(' ') && !key.contains('{') {
                        out.push(key.to_string());
                    }
                }
            }
        }
        out
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        if dir.is_file() {
            return vec![dir.to_path_buf()];
        }
        let mut out = Vec::new();
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    out.extend(walk(&p));
                } else if p.extension().is_some_and(|x| x == "html" || x == "rs") && !p.ends_with("i18n.rs") {
                    out.push(p);
                }
            }
        }
        out
    }

    #[test]
    fn accept_language_and_placeholders() {
        assert_eq!(Locale::from_accept_language("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("zh-TW,zh;q=0.9"), Some(Locale::ZhTw));
        assert_eq!(Locale::from_accept_language("fr"), None);
        assert!(tf(Locale::En, "inbox.overdue_by", &[("t", "3h")]).contains("3h"));
    }
}
