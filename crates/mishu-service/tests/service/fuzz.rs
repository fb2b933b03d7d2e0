//! T11, mutation fuzzing of every parser of outside input, in the normal test run: 来文字号
//! (`SenderDocNumber::parse`), the code lists (文种, 办理方式, 呈批方式), upload file names
//! and type sniffing (`files::clean_filename`, `files::check`), and the organisation import
//! (CSV and XLSX, `import::preview`). A seed corpus is mutated byte- and character-wise by
//! a seeded generator; each target must never panic, and must keep its own promises
//! (a parsed number prints back to itself; a cleaned file name has no path, no control
//! or bidi-override characters; the import refuses with `Invalid`/`ImportRejected`, never
//! a database error). The pure rules also have cargo-fuzz targets in `fuzz/` (`scripts/fuzz.sh`).
//! Iterations: `MISHU_FUZZ_ITERS` (default 20,000 per string target, a tenth for the import).

use mishu_domain::incoming::{DocType, HandlingKind, SenderDocNumber, SubmissionKind};
use mishu_service::ServiceError;
use mishu_service::files::{self, Upload};
use mishu_service::org::import::{self, ImportKind};
use mishu_testkit::TestDb;

fn iterations() -> usize {
    std::env::var("MISHU_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000)
}

/// SplitMix64 seeded from the clock unless `MISHU_FUZZ_SEED` is set; the seed is printed.
struct Rng(u64);

impl Rng {
    fn new(target: &str) -> Rng {
        let seed = std::env::var("MISHU_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        });
        eprintln!("fuzz {target}: MISHU_FUZZ_SEED={seed}");
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Characters that matter to these parsers, and some that should not.
const PALETTE: &[char] = &[
    '〔',
    '〕',
    '[',
    ']',
    '（',
    '）',
    '(',
    ')',
    '【',
    '】',
    '号',
    '第',
    '0',
    '1',
    '9',
    '2',
    '6',
    '教',
    '发',
    '函',
    ' ',
    '\u{3000}',
    '\t',
    '\n',
    '\0',
    '\u{202E}',
    '\u{200B}',
    '\u{FEFF}',
    '/',
    '\\',
    '.',
    '．',
    '／',
    '%',
    ',',
    '"',
    '\'',
    '<',
    '>',
    '&',
    ';',
    'é',
    '\u{10FFFF}',
    '\u{7f}',
    '\u{1b}',
    '-',
    '+',
    'e',
    'P',
    'K',
];

/// One mutation of a seed: insert, delete, duplicate, replace or splice from another seed.
fn mutate(rng: &mut Rng, seeds: &[&str]) -> String {
    let mut v: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(5) {
            0 => v.insert(at, PALETTE[rng.below(PALETTE.len())]),
            1 if !v.is_empty() => {
                let end = (at + rng.below(4)).min(v.len());
                v.drain(at.min(end)..end);
            }
            2 if !v.is_empty() => {
                let from = rng.below(v.len());
                let end = (from + rng.below(8)).min(v.len());
                let piece: Vec<char> = v[from..end].to_vec();
                for (i, c) in piece.into_iter().enumerate() {
                    v.insert(at.min(v.len()) + i, c);
                }
            }
            3 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{fffd}');
            }
            _ => {
                let other: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
                let cut = rng.below(other.len() + 1);
                v.truncate(at);
                v.extend_from_slice(&other[cut..]);
            }
        }
    }
    v.into_iter().collect()
}

const NUMBERS: &[&str] = &[
    "教发〔2026〕3号",
    "江教[2026]12号",
    "市政办（2025）007号",
    "国办发〔2026〕1号",
    "〔2026〕3号",
    "教发2026年3号",
    "",
];

#[test]
fn sender_numbers_never_panic_and_print_back_to_themselves() {
    let mut rng = Rng::new("SenderDocNumber::parse");
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..iterations() {
        let input = mutate(&mut rng, NUMBERS);
        match SenderDocNumber::parse(&input) {
            Ok(n) => {
                ok += 1;
                let printed = n.to_string();
                assert_eq!(SenderDocNumber::parse(&printed).as_ref().ok(), Some(&n), "{input:?} → {printed:?}");
                assert!((1949..=2100).contains(&n.year) && n.seq >= 1, "{input:?} → {n:?}");
                assert!(printed.ends_with('号') && printed.contains('〔'), "{printed:?}");
            }
            Err(e) => {
                refused += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    eprintln!("SenderDocNumber::parse: {ok} parsed, {refused} refused");
    assert!(ok > 0 && refused > 0, "the corpus reaches both outcomes");
}

#[test]
fn code_lists_never_panic() {
    let seeds = ["通知", "请示", "notice", "阅办", "to_handle", "呈批", "for_instruction", ""];
    let mut rng = Rng::new("code lists");
    for _ in 0..iterations() {
        let input = mutate(&mut rng, &seeds);
        let _ = DocType::parse(&input);
        let _ = HandlingKind::parse(&input);
        let _ = SubmissionKind::parse(&input);
    }
}

const NAMES: &[&str] =
    &["来文.pdf", "扫描件.PDF", "report.docx", "photo.jpeg", "../../etc/passwd.pdf", "a\\b\\c.ofd", "x.tiff", "y.png"];

/// Bidirectional overrides and isolates reorder what a reader sees (`exe.pdf` shown as
/// `fdp.exe`): a cleaned name has none.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn file_names_and_type_sniffing_never_panic_and_never_keep_a_path() {
    let mut rng = Rng::new("files::clean_filename + files::check");
    let contents: [&[u8]; 5] = [b"%PDF-1.7 x", b"PK\x03\x04word/document.xml", b"\x89PNG\r\n\x1a\n", b"<html>", b""];
    for _ in 0..iterations() {
        let name = mutate(&mut rng, NAMES);
        let clean = files::clean_filename(&name);
        assert!(!clean.contains('/') && !clean.contains('\\'), "{name:?} → {clean:?}");
        assert!(!clean.chars().any(|c| c.is_control() || is_bidi_control(c)), "{name:?} → {clean:?}");
        assert!(clean.chars().count() <= 200, "{name:?}");
        let mut bytes = contents[rng.below(contents.len())].to_vec();
        for _ in 0..rng.below(3) {
            if !bytes.is_empty() {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next() as u8;
            }
        }
        match files::check(Upload { field: "files", filename: name.clone(), bytes }) {
            Ok(c) => assert_eq!(c.filename, clean, "the stored name is the cleaned one"),
            Err(e) => assert!(matches!(e, ServiceError::Invalid { field: "files", .. }), "{name:?}: {e}"),
        }
    }
}

#[tokio::test]
async fn the_organisation_import_never_panics_and_refuses_cleanly() {
    let csv = "登录名,姓名,部门\nzhang.wei,张伟,秘书科\nli.na,李娜,\n";
    let dep = "name,parent,sort\n信息中心,,3\n";
    let seeds = [csv, dep, "\u{feff}登录名,姓名\n\"a,b\",\"c\"\"d\"\n"];
    let xlsx_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../mishu-web/tests/fixtures/hostile");
    let xlsx: Vec<Vec<u8>> =
        ["xxe.xlsx", "billion-laughs.xlsx"].iter().map(|f| std::fs::read(format!("{xlsx_dir}/{f}")).unwrap()).collect();
    let t = TestDb::sqlite().await;
    let (s, _) = t.services();
    let mut rng = Rng::new("import::preview");
    for i in 0..(iterations() / 10).max(50) {
        let kind = if rng.below(2) == 0 { ImportKind::People } else { ImportKind::Departments };
        let (bytes, name) = if i % 4 == 3 {
            let mut b = xlsx[rng.below(xlsx.len())].clone();
            for _ in 0..=rng.below(8) {
                let at = rng.below(b.len());
                b[at] = rng.next() as u8;
            }
            (b, "人员.xlsx")
        } else {
            (mutate(&mut rng, &seeds).into_bytes(), "人员.csv")
        };
        match import::preview(&s, kind, &bytes, name).await {
            Ok(_) => {}
            Err(ServiceError::Invalid { .. } | ServiceError::ImportRejected(_)) => {}
            Err(e) => panic!("{name} #{i}: {e:?}"),
        }
    }
}
