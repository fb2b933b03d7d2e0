//! The fonts the renderer lays out with: the shipped Fandol faces (always), the system's
//! Noto CJK faces for rare characters (when installed), and any licensed faces an
//! administrator drops into a fonts directory, preferred by family name.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use typst::foundations::{Array, Dict, IntoValue, Str, Value};
use typst::text::Font;

/// Fandol (GPL-3 with the font exception, see fonts/FONTS.md), the only free simplified
/// 仿宋 there is, plus its 宋/黑/楷 siblings. Embedded so the product never depends on
/// what the host has installed.
const SHIPPED: [&[u8]; 5] = [
    include_bytes!("../fonts/FandolFang-Regular.otf"),
    include_bytes!("../fonts/FandolSong-Regular.otf"),
    include_bytes!("../fonts/FandolSong-Bold.otf"),
    include_bytes!("../fonts/FandolHei-Regular.otf"),
    include_bytes!("../fonts/FandolKai-Regular.otf"),
];

/// Broad-coverage fallbacks for characters outside Fandol's GB2312-level set (䶮, 𠮷…).
/// Optional: read from disk if Debian's fonts-noto-cjk is installed, never fetched.
const SYSTEM_FALLBACKS: [&str; 3] = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// The faces each role asks for, best first. The standard's faces (方正小标宋, 仿宋_GB2312,
/// 楷体_GB2312, 黑体) are commercial; when an administrator installs them they win by
/// family name, otherwise Fandol, then Noto for what Fandol lacks.
const ROLES: [(&str, &[&str]); 5] = [
    ("xbs", &["FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05", "FZXBSJW--GB1-0", "FandolSong", "Noto Serif CJK SC"]),
    ("fang", &["FangSong_GB2312", "FangSong", "FandolFang R", "FandolFang", "Noto Serif CJK SC"]),
    ("kai", &["KaiTi_GB2312", "KaiTi", "FandolKai", "Noto Serif CJK SC"]),
    ("hei", &["SimHei", "FandolHei", "Noto Sans CJK SC"]),
    ("song", &["SimSun", "FandolSong", "Noto Serif CJK SC"]),
];

/// The loaded faces and, per role, the families actually present (typst warns about an
/// unknown family, so absent ones are left out of the lists handed to the template).
pub(crate) struct FontSet {
    pub fonts: Vec<Font>,
    pub roles: Dict,
}

impl FontSet {
    /// Shipped faces, then every font file directly inside each of `dirs` (unreadable files
    /// are skipped: a bad upload must not stop rendering).
    pub fn load(dirs: &[PathBuf]) -> FontSet {
        let mut fonts: Vec<Font> = Vec::new();
        for data in SHIPPED {
            fonts.extend(Font::iter(typst::foundations::Bytes::new(data)));
        }
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths.iter().filter(|p| is_font_file(p)) {
                load_file(path, &mut fonts);
            }
        }
        FontSet::of(fonts)
    }

    /// These faces plus the system's Noto CJK, or `None` when none is installed. The Noto
    /// files are ~70 MB read into memory, so they are loaded only for a document that has
    /// a character the other faces lack.
    pub fn with_system_fallbacks(&self) -> Option<FontSet> {
        let mut fonts = self.fonts.clone();
        let before = fonts.len();
        for path in SYSTEM_FALLBACKS {
            load_file(Path::new(path), &mut fonts);
        }
        (fonts.len() > before).then(|| FontSet::of(fonts))
    }

    fn of(fonts: Vec<Font>) -> FontSet {
        let families: BTreeSet<String> = fonts.iter().map(|f| f.info().family.to_lowercase()).collect();
        let mut roles = Dict::new();
        for (role, wanted) in ROLES {
            let present: Array = wanted
                .iter()
                .filter(|name| families.contains(&name.to_lowercase()))
                .map(|name| Value::Str(Str::from(*name)))
                .collect();
            roles.insert(role.into(), present.into_value());
        }
        FontSet { fonts, roles }
    }
}

fn is_font_file(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc")
}

fn load_file(path: &Path, fonts: &mut Vec<Font>) {
    if let Ok(data) = std::fs::read(path) {
        fonts.extend(Font::iter(typst::foundations::Bytes::new(data)));
    }
}
