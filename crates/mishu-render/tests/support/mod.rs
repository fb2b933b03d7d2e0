//! Reads a produced PDF back the way a printer would see it, with poppler's command-line
//! tools (installed with poppler-utils): `pdftotext -bbox-layout` for where every text
//! line sits, `pdftocairo -svg` for the drawn rules, `pdftoppm` for where ink starts, `pdffonts` for
//! embedding. Poppler
//! is an independent PDF reader, so the tests check the file, not typst's intentions.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub const PT_PER_MM: f64 = 72.0 / 25.4;

pub fn mm(pt: f64) -> f64 {
    pt / PT_PER_MM
}

#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// One text line as poppler groups it; coordinates in mm from the paper's top left.
#[derive(Debug, Clone)]
pub struct Line {
    pub words: Vec<Word>,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Line {
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
    pub fn chars(&self) -> usize {
        self.words.iter().map(|w| w.text.chars().count()).sum()
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
}

impl Page {
    pub fn find(&self, needle: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.text().replace(' ', "").contains(needle))
    }
    pub fn text(&self) -> String {
        self.lines.iter().map(Line::text).collect::<Vec<_>>().join("\n")
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

pub fn layout(pdf: &Path) -> Vec<Page> {
    let out = Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<Page> = Vec::new();
    for raw in html.lines() {
        let l = raw.trim();
        if l.starts_with("<page ") {
            pages.push(Page { width: mm(attr(l, "width")), height: mm(attr(l, "height")), lines: vec![] });
        } else if l.starts_with("<line ") {
            let page = pages.last_mut().unwrap();
            page.lines.push(Line {
                words: vec![],
                x0: mm(attr(l, "xMin")),
                y0: mm(attr(l, "yMin")),
                x1: mm(attr(l, "xMax")),
                y1: mm(attr(l, "yMax")),
            });
        } else if l.starts_with("<word ") {
            let text_start = l.find('>').unwrap() + 1;
            let text_end = l.rfind("</word>").unwrap();
            let word = Word {
                text: unescape(&l[text_start..text_end]),
                x0: mm(attr(l, "xMin")),
                y0: mm(attr(l, "yMin")),
                x1: mm(attr(l, "xMax")),
                y1: mm(attr(l, "yMax")),
            };
            pages.last_mut().unwrap().lines.last_mut().unwrap().words.push(word);
        }
    }
    pages
}

/// A straight stroked rule drawn on a page: from (x0, y) to (x1, y) in mm, its width in
/// mm and its colour as cairo writes it ("rgb(94.288635%,26.211548%,21.820068%)" for the
/// standard's CMYK red, "rgb(0%,0%,0%)" for black).
#[derive(Debug, Clone)]
pub struct Rule {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub width: f64,
    pub colour: String,
}

impl Rule {
    pub fn length(&self) -> f64 {
        (self.x1 - self.x0).abs()
    }
    /// Red as the standard's ink (Y80 % M80 %, which poppler converts to about
    /// 94 % / 26 % / 22 % RGB), black otherwise.
    pub fn is_red(&self) -> bool {
        let c: Vec<f64> = self
            .colour
            .trim_start_matches("rgb(")
            .trim_end_matches(')')
            .split(',')
            .filter_map(|v| v.trim().trim_end_matches('%').parse().ok())
            .collect();
        c.len() == 3 && c[0] > 80.0 && c[1] < 40.0 && c[2] < 40.0
    }
}

/// The horizontal rules on one page (1-based), read from poppler's SVG rendering. Cairo
/// writes each stroked line as `<path style="fill:none;stroke-width:W;…;stroke:rgb(…);…"
/// d="M x0 y L x1 y" transform="matrix(a,0,0,d,e,f)"/>`, in points.
pub fn rules(pdf: &Path, page: usize) -> Vec<Rule> {
    let out = Command::new("pdftocairo")
        .args(["-svg", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftocairo runs");
    assert!(out.status.success(), "pdftocairo failed: {}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    let mut rules = Vec::new();
    for tag in svg.split('<').filter(|t| t.starts_with("path ")) {
        let get = |name: &str| -> Option<String> {
            let key = format!(" {name}=\"");
            let start = tag.find(&key)? + key.len();
            let end = start + tag[start..].find('"')?;
            Some(tag[start..end].to_string())
        };
        let style = get("style").unwrap_or_default();
        let prop = |name: &str| -> Option<String> {
            style.split(';').find_map(|kv| kv.strip_prefix(name)?.strip_prefix(':').map(str::to_string))
        };
        let (Some(d), Some(w), Some(colour)) = (get("d"), prop("stroke-width"), prop("stroke")) else { continue };
        if colour == "none" {
            continue;
        }
        let nums: Vec<f64> =
            d.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).filter_map(|s| s.parse().ok()).collect();
        if !d.trim_start().starts_with('M') || nums.len() != 4 || (nums[1] - nums[3]).abs() > 0.01 {
            continue;
        }
        // A matrix without rotation or shear: x' = a x + e, y' = d y + f.
        let (a, dd, e, f) = match get("transform") {
            Some(t) => {
                let m: Vec<f64> = t
                    .trim_start_matches("matrix(")
                    .trim_end_matches(')')
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter_map(|s| s.parse().ok())
                    .collect();
                if m.len() != 6 || m[1].abs() > 1e-6 || m[2].abs() > 1e-6 {
                    continue;
                }
                (m[0], m[3], m[4], m[5])
            }
            None => (1.0, 1.0, 0.0, 0.0),
        };
        rules.push(Rule {
            x0: mm(a * nums[0] + e),
            x1: mm(a * nums[2] + e),
            y: mm(dd * nums[1] + f),
            width: mm(w.parse::<f64>().unwrap_or(0.0) * dd.abs()),
            colour,
        });
    }
    rules
}

/// One page rasterised by poppler at 300 dpi, for what only the ink shows: a glyph's
/// top is where its ink starts, not where the font's ascent puts poppler's text box.
pub struct Raster {
    pub width: usize,
    pub height: usize,
    rgb: Vec<u8>,
}

pub const DPI: f64 = 300.0;

impl Raster {
    pub fn mm(px: usize) -> f64 {
        px as f64 * 25.4 / DPI
    }
    fn is_red(&self, x: usize, y: usize) -> bool {
        let o = (y * self.width + x) * 3;
        let (r, g, b) = (self.rgb[o], self.rgb[o + 1], self.rgb[o + 2]);
        r > 180 && g < 120 && b < 120
    }
    /// The first pixel row (in mm from the paper's top) holding red ink, from `from_mm` down.
    pub fn first_red_row(&self, from_mm: f64) -> Option<f64> {
        let start = (from_mm * DPI / 25.4) as usize;
        (start..self.height).find(|&y| (0..self.width).any(|x| self.is_red(x, y))).map(Self::mm)
    }
    /// The smallest box `(x0, y0, x1, y1)` in mm holding every red pixel at or below `from_mm`.
    pub fn red_box(&self, from_mm: f64) -> Option<(f64, f64, f64, f64)> {
        let start = (from_mm * DPI / 25.4) as usize;
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for y in start..self.height {
            for x in (0..self.width).filter(|&x| self.is_red(x, y)) {
                b = Some(b.map_or((x, y, x, y), |(x0, y0, x1, y1)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y))));
            }
        }
        b.map(|(x0, y0, x1, y1)| (Self::mm(x0), Self::mm(y0), Self::mm(x1 + 1), Self::mm(y1 + 1)))
    }
}

pub fn raster(pdf: &Path, page: usize) -> Raster {
    let out = Command::new("pdftoppm")
        .args(["-r", "300", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
    // P6 header: "P6\n<w> <h>\n255\n" then RGB bytes.
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).to_string());
    }
    assert_eq!(fields[0], "P6", "pdftoppm writes binary PPM");
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let rgb = data[i + 1..].to_vec();
    assert_eq!(rgb.len(), width * height * 3);
    Raster { width, height, rgb }
}

/// `pdffonts` rows: (font name, embedded?).
pub fn fonts(pdf: &Path) -> Vec<(String, bool)> {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip(2)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type... encoding emb sub uni object ID: emb is the 5th column from the end.
            let emb = cols[cols.len() - 5] == "yes";
            (cols[0].to_string(), emb)
        })
        .collect()
}

pub fn assert_near(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!((got - want).abs() <= tolerance, "{what}: got {got:.2} mm, want {want:.2} ± {tolerance} mm");
}
