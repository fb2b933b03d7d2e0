//! A sealed document (GB/T 9704-2012 7.3.5.1; standards.md N29, N32) read back with poppler:
//! the red impression is on the page of the 署名 and 成文日期, at the seal's size, centred on
//! the date, pressing the date line with the 署名 and date a little below its centre, and its
//! top within one line of the body; the date keeps 右空四字.

mod support;

use mishu_render::sample::sample_document;
use mishu_render::{Block, OfficialDocument, Renderer, SealImpression};
use support::{Line, Page, assert_near, layout, raster};

const WIDTH: f64 = 156.0;
const CELL: f64 = 156.0 / 28.0;
const PITCH: f64 = 225.0 / 22.0;
const DIAMETER: u32 = 42;

fn left(page: usize) -> f64 {
    if page % 2 == 1 { 28.0 } else { 26.0 }
}

/// A red ring with a star, as a seal's impression is drawn (red on transparent).
fn impression(d: u32) -> String {
    let c = f64::from(d) / 2.0;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{d}mm" height="{d}mm" viewBox="0 0 {d} {d}"><circle cx="{c}" cy="{c}" r="{r}" fill="none" stroke="#d7000f" stroke-width="1.2"/><polygon points="{c},{t} {l},{b} {rr},{m} {ll},{m} {r2},{b}" fill="#d7000f"/></svg>"##,
        r = c - 0.6,
        t = c - 8.0,
        b = c + 6.0,
        m = c - 2.0,
        l = c - 5.0,
        rr = c + 8.0,
        ll = c - 8.0,
        r2 = c + 5.0,
    )
}

/// The sample without attachments and with a body short enough that the 署名 and the seal
/// share the body's page.
fn sealed_sample() -> OfficialDocument {
    let mut doc = sample_document();
    doc.attachments.clear();
    doc.attachment_titles.clear();
    doc.body.truncate(4);
    doc.body.push(Block::Paragraph { text: "特此报告。".into() });
    doc.seal = Some(SealImpression { svg: impression(DIAMETER), diameter_mm: DIAMETER });
    doc
}

struct Rendered {
    path: std::path::PathBuf,
    pages: Vec<Page>,
    warnings: Vec<String>,
    _dir: tempfile::TempDir,
}

fn render(doc: &OfficialDocument) -> Rendered {
    let r = Renderer::new().expect("renderer").render_checked(doc).expect("renders");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, &r.pdf).unwrap();
    Rendered { pages: layout(&path), path, warnings: r.warnings, _dir: dir }
}

/// The line whose whole text is `needle`, with its 1-based page.
fn exact<'a>(pages: &'a [Page], needle: &str) -> (usize, &'a Line) {
    pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| p.lines.iter().find(|l| l.text().replace(' ', "") == needle).map(|l| (i + 1, l)))
        .unwrap_or_else(|| panic!("a line `{needle}`"))
}

#[test]
fn the_seal_presses_the_signature_and_date_on_the_last_text_page() {
    let r = render(&sealed_sample());
    assert!(r.warnings.is_empty(), "warnings: {:?}", r.warnings);
    let (page, date) = exact(&r.pages, "2026年11月27日");
    let (sig_page, sig) = exact(&r.pages, "江北职业技术学院");
    assert_eq!(sig_page, page, "署名 and 成文日期 on one page");
    assert_eq!(page, r.pages.len(), "the seal's page is the last page of text");
    // N29: the date 右空四字; the 署名 centred on it.
    assert_near("date 右空四字", date.x1, left(page) + WIDTH - 4.0 * CELL, 1.0);
    let axis = (date.x0 + date.x1) / 2.0;
    assert_near("署名 centred on the date", (sig.x0 + sig.x1) / 2.0, axis, 1.0);

    // The body's last line: the lowest line above the 署名 on that page.
    let body_bottom = r.pages[page - 1]
        .lines
        .iter()
        .filter(|l| l.y1 < sig.y0 && l.text().chars().count() > 1)
        .map(|l| l.y1)
        .fold(0.0, f64::max);
    assert!(body_bottom > 0.0, "body text above the 署名 on its page");
    let (x0, y0, x1, y1) = raster(&r.path, page).red_box(body_bottom).expect("a red seal below the body");
    let d = f64::from(DIAMETER);
    assert_near("seal width", x1 - x0, d, 1.0);
    assert_near("seal height", y1 - y0, d, 1.0);
    assert_near("seal centred on the date", (x0 + x1) / 2.0, axis, 1.0);
    // 上不压正文: the seal starts below the body, within one line of it.
    assert!(y0 > body_bottom && y0 - body_bottom <= PITCH, "seal top {y0:.1} vs body bottom {body_bottom:.1}");
    // 下要骑年盖月: the date line lies inside the seal, and the 署名 and date together sit
    // a little below its centre.
    assert!(date.y0 > y0 && date.y1 < y1, "the date {:.1}–{:.1} inside the seal {y0:.1}–{y1:.1}", date.y0, date.y1);
    assert!(date.x0 > x0 && date.x1 < x1, "the date inside the seal horizontally");
    let centre = (y0 + y1) / 2.0;
    let middle = (sig.y0 + date.y1) / 2.0;
    assert!(middle > centre && middle < centre + d / 4.0, "署名+date middle {middle:.1}, seal centre {centre:.1}");
}

#[test]
fn an_unsealed_document_has_no_red_below_its_body() {
    let mut doc = sealed_sample();
    doc.seal = None;
    let r = render(&doc);
    let (page, sig) = exact(&r.pages, "江北职业技术学院");
    assert_eq!(raster(&r.path, page).red_box(sig.y0 - 2.0), None, "nothing red near the 署名");
}
