//! The produced PDF measured against the GB/T 9704-2012 numbers table (standards.md
//! §1.2, N1–N50). Every number is read back from the file with poppler (see support),
//! with the standard's own tolerance of about 1 mm (N2, N42) or tighter.

mod support;

use mishu_render::sample::sample_document;
use mishu_render::{Format, OfficialDocument, Rendered, Renderer};
use std::path::PathBuf;
use std::sync::OnceLock;
use support::{Page, assert_near, layout, rules};

/// 版心 edges in mm (N2–N6). Duplex binding: odd pages have the 28 mm 订口 on the left,
/// even pages on the right.
const TOP: f64 = 37.0;
const BOTTOM: f64 = 37.0 + 225.0;
const WIDTH: f64 = 156.0;
const CELL: f64 = 156.0 / 28.0;
const PITCH: f64 = 225.0 / 22.0;

fn left(page: usize) -> f64 {
    if page % 2 == 1 { 28.0 } else { 26.0 }
}

struct Sample {
    path: PathBuf,
    rendered: Rendered,
    pages: Vec<Page>,
    _dir: tempfile::TempDir,
}

fn renderer() -> &'static Renderer {
    static R: OnceLock<Renderer> = OnceLock::new();
    R.get_or_init(|| Renderer::new().expect("renderer"))
}

fn render(doc: &OfficialDocument) -> Sample {
    let rendered = renderer().render_checked(doc).expect("renders");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, &rendered.pdf).unwrap();
    let pages = layout(&path);
    Sample { path, rendered, pages, _dir: dir }
}

fn sample() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| render(&sample_document()))
}

/// Text lines inside the 版心 (the page number sits below it).
fn body_lines(page: &Page) -> Vec<&support::Line> {
    page.lines.iter().filter(|l| l.y1 < BOTTOM + 1.0).collect()
}

#[test]
fn every_page_is_a4() {
    let s = sample();
    assert!(s.pages.len() >= 3, "the sample spans at least three pages, got {}", s.pages.len());
    assert_eq!(s.pages.len(), s.rendered.pages);
    for (i, p) in s.pages.iter().enumerate() {
        assert_near(&format!("page {} width", i + 1), p.width, 210.0, 0.1);
        assert_near(&format!("page {} height", i + 1), p.height, 297.0, 0.1);
    }
}

#[test]
fn a_full_page_holds_22_lines_of_28_characters_in_the_type_area() {
    // N4, N9: page 2 is all body text.
    let s = sample();
    let page = &s.pages[1];
    let lines = body_lines(page);
    assert_eq!(lines.len(), 22, "lines on page 2:\n{}", page.text());
    assert_near("first line top", lines[0].y0, TOP, 1.0);
    assert!(lines[21].y1 <= BOTTOM + 0.5, "the 22nd line ends inside the 版心: {:.2}", lines[21].y1);
    // The line pitch is the 版心 height over 22 (N11).
    let pitch = (lines[21].y0 - lines[0].y0) / 21.0;
    assert_near("line pitch", pitch, PITCH, 0.1);
    let full: Vec<_> =
        lines.iter().filter(|l| (l.x0 - left(2)).abs() < 0.5 && (l.x1 - (left(2) + WIDTH)).abs() < 0.8).collect();
    assert!(full.len() >= 5, "several full lines on page 2:\n{}", page.text());
    // A 28-character count holds for lines of CJK only: Latin digits ("12个", "186人次")
    // are half as wide, so a full line with digits rightly holds more characters.
    let cjk_only = |l: &support::Line| l.text().chars().all(|c| !c.is_ascii() || c == ' ');
    assert!(full.iter().filter(|l| cjk_only(l)).count() >= 3, "several all-CJK full lines:\n{}", page.text());
    for l in full.iter().filter(|l| cjk_only(l)) {
        assert_eq!(l.chars(), 28, "a full line has 28 characters: {}", l.text());
    }
    for l in &full {
        assert_near("left edge (even page)", l.x0, left(2), 0.5);
        assert_near("right edge (even page)", l.x1, left(2) + WIDTH, 0.8);
    }
    // First lines of paragraphs: two characters in, 26 characters (N26).
    let indented: Vec<_> = lines
        .iter()
        .filter(|l| (l.x0 - (left(2) + 2.0 * CELL)).abs() < 0.5 && (l.x1 - (left(2) + WIDTH)).abs() < 0.8)
        .collect();
    assert!(!indented.is_empty(), "an indented full first line on page 2");
    for l in indented.iter().filter(|l| cjk_only(l)) {
        assert_eq!(l.chars(), 26, "{}", l.text());
    }
}

#[test]
fn the_first_page_starts_at_the_type_area_top_left() {
    // N2, N3, N15: 份号 on the 版心's first line, flush left at 28 mm.
    let s = sample();
    let copy = s.pages[0].find("000001").expect("份号 printed");
    assert_near("份号 left", copy.x0, 28.0, 0.5);
    assert_near("份号 top", copy.y0, TOP, 1.0);
    let class = s.pages[0].find("秘密★1年").expect("密级 printed");
    assert_near("密级 line 2", class.y0 - copy.y0, PITCH, 0.3);
    let urgency = s.pages[0].find("加急").expect("紧急程度 printed");
    assert_near("紧急 line 3", urgency.y0 - copy.y0, 2.0 * PITCH, 0.3);
}

#[test]
fn the_masthead_top_is_72_mm_from_the_paper_top_and_red() {
    // N18: 35 mm below the 版心 top.
    let s = sample();
    let mark = s.pages[0].find("江北职业技术学院文件").expect("masthead printed");
    // The standard measures the masthead's upper edge, the glyphs' ink; poppler's text
    // box starts at the font's ascent, about 2.3 mm higher, so read the ink. Nothing red
    // sits above the masthead, so the first red pixel row is its top.
    let ink = support::raster(&s.path, 1).first_red_row(0.0).expect("red ink on page 1");
    assert_near("masthead ink top", ink, 72.0, 1.0);
    assert!(
        ink >= mark.y0 && ink < mark.y1,
        "the red ink is the masthead's: {ink:.2} in {:.2}..{:.2}",
        mark.y0,
        mark.y1
    );
    let centre = (mark.x0 + mark.x1) / 2.0;
    assert_near("masthead centred", centre, 28.0 + WIDTH / 2.0, 1.0);
    assert!(mark.x1 - mark.x0 <= WIDTH, "masthead inside the 版心");
}

#[test]
fn the_red_line_is_156_mm_wide_4_mm_below_the_number() {
    // N20, N23.
    let s = sample();
    let number = s.pages[0].find("江职院发〔2026〕12号").expect("发文字号 printed");
    let mark = s.pages[0].find("江北职业技术学院文件").unwrap();
    assert!(number.y0 > mark.y1 + PITCH, "number two lines below the masthead");
    // Upward document: number 左空一字 and 签发人 右空一字 on the same line (N20, N21).
    assert_near("number one character in", number.x0, 28.0 + CELL, 0.8);
    let signer = s.pages[0].find("签发人：李文华").expect("签发人 printed");
    assert_near("签发人 on the number's line", signer.y1, number.y1, 0.5);
    assert_near("签发人 one character from the right", signer.x1, 28.0 + WIDTH - CELL, 0.8);
    let red: Vec<_> = rules(&s.path, 1).into_iter().filter(|r| r.is_red()).collect();
    assert_eq!(red.len(), 1, "one red separator: {red:?}");
    let line = &red[0];
    assert_near("red line width", line.length(), WIDTH, 0.5);
    assert_near("red line left", line.x0.min(line.x1), 28.0, 0.5);
    assert_near("red line 4 mm below the number", line.y - line.width / 2.0 - number.y1, 4.0, 1.0);
}

#[test]
fn the_title_is_22_pt_and_the_body_16_pt() {
    // N24: a CJK character advances by one em, so width / characters is the size.
    let s = sample();
    // The sample's title runs to two lines, broken after "关于" (词意完整); the first
    // line is all CJK, so its width over its characters is the size.
    let title = s.pages[0].find("江北职业技术学院关于").expect("title printed");
    assert_eq!(title.text().replace(' ', ""), "江北职业技术学院关于", "the title breaks after 关于");
    let second = s.pages[0].find("2026年度安全生产大检查工作情况的报告").expect("title's second line whole");
    assert_near("title lines centred", (second.x0 + second.x1) / 2.0, 28.0 + WIDTH / 2.0, 1.0);
    let pt = support::PT_PER_MM * (title.x1 - title.x0) / title.chars() as f64;
    assert!((pt - 22.0).abs() < 0.3, "title size {pt:.2} pt: {}", title.text());
    // The body: 16 pt letters on a 15.79 pt cell (tracking), measured by the box height
    // poppler derives from the font size (Fandol's ascent + descent = 1 em).
    let body = body_lines(&s.pages[1])[3];
    let size = support::PT_PER_MM * (body.y1 - body.y0);
    assert!((size - 16.0).abs() < 0.3, "body size {size:.2} pt: {}", body.text());
}

#[test]
fn page_numbers_sit_7_mm_below_the_type_area_odd_right_even_left() {
    // N38: "— n —" in 4号, its dashes 7 mm below the 版心, 一字 in from the outer side.
    let s = sample();
    for (i, page) in s.pages.iter().enumerate() {
        let n = i + 1;
        let label = format!("—{n}—");
        let num = page.find(&label).unwrap_or_else(|| panic!("page {n} numbered:\n{}", page.text()));
        let middle = (num.y0 + num.y1) / 2.0;
        assert_near(&format!("page {n} number's dash below the 版心"), middle, BOTTOM + 7.0, 1.0);
        if n % 2 == 1 {
            assert_near(&format!("page {n} number right"), num.x1, left(n) + WIDTH - CELL, 1.0);
        } else {
            assert_near(&format!("page {n} number left"), num.x0, left(n) + CELL, 1.0);
        }
    }
}

#[test]
fn the_imprint_closes_the_last_page_on_the_type_area_bottom() {
    // N35–N37: thick–thin–thick black rules, the last on the 版心's bottom edge.
    let s = sample();
    let last = s.pages.len();
    let black: Vec<_> = rules(&s.path, last).into_iter().filter(|r| !r.is_red()).collect();
    assert_eq!(black.len(), 3, "three 版记 rules: {black:?}");
    let lowest = black.iter().max_by(|a, b| a.y.total_cmp(&b.y)).unwrap();
    assert_near("last rule on the 版心 bottom", lowest.y, BOTTOM, 0.6);
    for r in &black {
        assert_near("版记 rule width", r.length(), WIDTH, 0.5);
    }
    let page = &s.pages[last - 1];
    let copied = page.find("抄送：").expect("抄送 printed");
    let printed = page.find("2026年11月27日印发").expect("印发 printed");
    assert!(copied.y1 < printed.y0, "抄送 above 印发");
    // 印发机关 and 印发日期 are two text runs at each end of one row (poppler reads them
    // as two lines): 左右各空一字 of 4号 (N37).
    let office = page.find("江北职业技术学院党政办公室").expect("印发机关 printed");
    assert_near("印发机关 on the 印发 row", office.y1, printed.y1, 0.3);
    let one = 14.0 / support::PT_PER_MM;
    assert_near("印发机关 one character in", office.x0, left(last) + one, 0.8);
    assert_near("印发日期 one character from the right", printed.x1, left(last) + WIDTH - one, 0.8);
    // Earlier pages carry no 版记.
    assert!(s.pages[..last - 1].iter().all(|p| p.find("印发").is_none_or(|l| !l.text().contains("年"))));
}

#[test]
fn the_signature_and_its_date_share_a_page() {
    // N30: the date sits on the line under the 署名; a page break between them would
    // leave the date alone on the next page (the sample's 署名 falls on a page's end).
    let s = sample();
    let on = |needle: &str| -> Vec<usize> {
        s.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.lines.iter().any(|l| l.text().replace(' ', "") == needle))
            .map(|(i, _)| i)
            .collect()
    };
    let signature = on("江北职业技术学院");
    let date = on("2026年11月27日");
    assert_eq!(signature.len(), 1, "one 署名 line: {signature:?}");
    assert_eq!(signature, date, "署名 and 成文日期 on one page");
}

#[test]
fn attachments_start_on_new_pages_with_their_label_top_left() {
    // N34.
    let s = sample();
    for label in ["附件1", "附件2"] {
        let (n, page) = s
            .pages
            .iter()
            .enumerate()
            .find(|(_, p)| p.lines.first().is_some_and(|l| l.text() == label))
            .unwrap_or_else(|| panic!("a page starting with {label}"));
        let l = &page.lines[0];
        assert_near("label top", l.y0, TOP, 1.0);
        assert_near("label flush left", l.x0, left(n + 1), 0.5);
    }
}

#[test]
fn every_font_is_embedded_and_no_glyph_is_missing() {
    let s = sample();
    let fonts = support::fonts(&s.path);
    assert!(!fonts.is_empty());
    for (name, embedded) in &fonts {
        assert!(embedded, "font {name} is embedded");
    }
    for face in ["FandolFang", "FandolSong-Bold", "FandolHei", "FandolKai", "FandolSong-Regular"] {
        assert!(fonts.iter().any(|(n, _)| n.contains(face)), "{face} used: {fonts:?}");
    }
    assert!(s.rendered.missing_glyphs.is_empty(), "missing: {:?}", s.rendered.missing_glyphs);
    assert!(s.rendered.warnings.is_empty(), "warnings: {:?}", s.rendered.warnings);
}

#[test]
fn a_character_no_font_has_is_reported() {
    let mut doc = sample_document();
    doc.body.push(mishu_render::Block::Paragraph { text: "私用区字符\u{E000}".into() });
    let rendered = renderer().render_checked(&doc).unwrap();
    assert_eq!(rendered.missing_glyphs, vec!['\u{E000}']);
}

#[test]
fn markup_characters_in_user_text_print_literally() {
    let mut doc = sample_document();
    let tricky = r#"关于#set text(red)与[括号]、$x$、*星号*和"引号"\的通知"#;
    doc.title = tricky.into();
    doc.main_recipients = vec!["#pagebreak()".into()];
    doc.body.insert(0, mishu_render::Block::Paragraph { text: "= 不是标题 <label> @ref _下划线_ // 非注释".into() });
    let s = render(&doc);
    let all: String = s.pages.iter().map(|p| p.text().replace([' ', '\n'], "")).collect();
    assert!(all.contains(&tricky.replace(' ', "")), "title printed literally:\n{all}");
    assert!(all.contains("#pagebreak()："));
    assert!(all.contains("=不是标题<label>@ref_下划线_//非注释"), "{all}");
}

#[test]
fn a_letter_has_its_masthead_at_30_mm_double_lines_and_no_first_page_number() {
    // N43–N46.
    let mut doc = sample_document();
    doc.format = Format::Letter;
    doc.issuer_mark = "江北职业技术学院".into();
    doc.doc_number = Some("江职院函〔2026〕5号".into());
    doc.signers.clear();
    let s = render(&doc);
    let mark = s.pages[0].find("江北职业技术学院").unwrap();
    // The ink's top, as for the 文件 masthead.
    let ink = support::raster(&s.path, 1).first_red_row(0.0).expect("red ink on page 1");
    assert_near("letter masthead ink top", ink, 30.0, 1.0);
    assert!(ink >= mark.y0 && ink < mark.y1, "the red ink is the masthead's");
    let red: Vec<_> = rules(&s.path, 1).into_iter().filter(|r| r.is_red()).collect();
    assert_eq!(red.len(), 4, "two double lines: {red:?}");
    for r in &red {
        assert_near("double line width", r.length(), 170.0, 0.5);
    }
    let top = red.iter().map(|r| r.y - r.width / 2.0).fold(f64::MAX, f64::min);
    assert_near("double line 4 mm below the masthead", top - mark.y1, 4.0, 1.5);
    let bottom = red.iter().map(|r| r.y + r.width / 2.0).fold(0.0, f64::max);
    assert_near("lower double line 20 mm above the paper bottom", 297.0 - bottom, 20.0, 0.5);
    let number = s.pages[0].find("江职院函〔2026〕5号").unwrap();
    assert_near("number flush right", number.x1, 28.0 + WIDTH, 0.8);
    assert!(s.pages[0].find("—1—").is_none(), "no number on a letter's first page");
    assert!(s.pages[1].find("—2—").is_some(), "page 2 numbered");
    assert!(rules(&s.path, 2).iter().all(|r| !r.is_red()), "double lines on page 1 only");
}

#[test]
fn minutes_carry_the_masthead_at_72_mm_and_the_attendance() {
    // N49, N50.
    let mut doc = sample_document();
    doc.format = Format::Minutes;
    doc.issuer_mark = "江北职业技术学院院长办公会纪要".into();
    doc.doc_number = Some("第12期".into());
    doc.signers.clear();
    doc.main_recipients.clear();
    doc.present = vec!["李文华".into(), "王建国".into(), "陈静".into()];
    doc.attending = vec!["党政办公室 张敏".into()];
    let s = render(&doc);
    let mark = s.pages[0].find("江北职业技术学院院长办公会纪要").unwrap();
    let ink = support::raster(&s.path, 1).first_red_row(0.0).expect("red ink on page 1");
    assert_near("minutes masthead ink top", ink, 72.0, 1.0);
    assert!(ink >= mark.y0 && ink < mark.y1, "the red ink is the masthead's");
    let all: String = s.pages.iter().map(|p| p.text().replace(' ', "")).collect();
    assert!(all.contains("出席：李文华、王建国、陈静"), "{all}");
    assert!(all.contains("列席：党政办公室张敏"), "{all}");
}

#[test]
fn rendering_twice_reuses_the_loaded_fonts() {
    // Warm renders are what a server does; no timing assertion (shared CI machines),
    // but the second render must be byte-identical.
    let r = renderer();
    let doc = sample_document();
    let a = r.render(&doc).unwrap();
    let start = std::time::Instant::now();
    let b = r.render(&doc).unwrap();
    eprintln!("warm render of the {}-page sample: {:?}", sample().pages.len(), start.elapsed());
    assert_eq!(a, b);
}

/// Not a check: writes the three formats and a slip to `$MISHU_RENDER_OUT` for looking
/// at them (`pdftoppm -r 60 -png`). Run with `--ignored`.
#[test]
#[ignore]
fn write_samples_for_review() {
    let dir = PathBuf::from(std::env::var("MISHU_RENDER_OUT").unwrap_or_else(|_| "/tmp/mishu-render-out".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = sample_document();
    let mut letter = sample_document();
    letter.format = Format::Letter;
    letter.issuer_mark = "江北职业技术学院".into();
    letter.doc_number = Some("江职院函〔2026〕5号".into());
    letter.signers.clear();
    let mut minutes = sample_document();
    minutes.format = Format::Minutes;
    minutes.issuer_mark = "江北职业技术学院院长办公会纪要".into();
    minutes.doc_number = Some("第12期".into());
    minutes.signers.clear();
    minutes.main_recipients.clear();
    minutes.present = vec!["李文华".into(), "王建国".into(), "陈静".into()];
    minutes.attending = vec!["党政办公室 张敏".into()];
    for (name, doc) in [("file", file), ("letter", letter), ("minutes", minutes)] {
        let r = renderer().render_checked(&doc).unwrap();
        eprintln!("{name}: {} pages, warnings {:?}, missing {:?}", r.pages, r.warnings, r.missing_glyphs);
        std::fs::write(dir.join(format!("{name}.pdf")), r.pdf).unwrap();
    }
}
