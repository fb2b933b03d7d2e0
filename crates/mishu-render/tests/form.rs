//! The printable 收文处理单: an A4 page with the title, every label and value (opinions
//! keep their line breaks), fonts embedded, user text printed literally.

mod support;

use mishu_render::{FormRow, FormSheet, Renderer};
use support::{assert_near, layout};

pub fn incoming_slip() -> FormSheet {
    FormSheet {
        title: "江北职业技术学院收文处理单".into(),
        reference: Some("收文编号：2026-0123".into()),
        rows: vec![
            FormRow::two("来文单位", "某省教育厅", "收文日期", "2026年11月20日"),
            FormRow::two("文号", "某教发〔2026〕45号", "密级", "无"),
            FormRow::one("标题", "关于做好2027年高等职业院校招生工作的通知"),
            FormRow::two("办理时限", "2026年12月4日", "份数", "1"),
            FormRow::opinion("拟办意见", "请招生就业处阅办。\n张敏　11月20日", 4),
            FormRow::opinion("领导批示", "同意。请抓紧落实，#[不要*遗漏]$。\n李文华　11月21日", 5),
            FormRow::opinion("办理结果", "", 4),
        ],
        footer: Some("打印时间：2026年11月27日".into()),
        landscape: false,
    }
}

#[test]
fn the_incoming_slip_prints_every_label_and_value() {
    let renderer = Renderer::new().unwrap();
    let pdf = renderer.render_form(&incoming_slip()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slip.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = std::env::var("MISHU_RENDER_OUT") {
        std::fs::write(std::path::Path::new(&out).join("slip.pdf"), &pdf).unwrap();
    }
    let pages = layout(&path);
    assert_eq!(pages.len(), 1);
    assert_near("A4 width", pages[0].width, 210.0, 0.1);
    assert_near("A4 height", pages[0].height, 297.0, 0.1);
    let text = pages[0].text().replace([' ', '\n'], "");
    for want in [
        "江北职业技术学院收文处理单",
        "收文编号：2026-0123",
        "来文单位",
        "某省教育厅",
        "某教发〔2026〕45号",
        "拟办意见",
        "请招生就业处阅办。",
        "同意。请抓紧落实，#[不要*遗漏]$。",
        "李文华11月21日",
        "办理结果",
    ] {
        assert!(text.contains(want), "{want} printed in:\n{text}");
    }
    for (name, embedded) in support::fonts(&path) {
        assert!(embedded, "{name} embedded");
    }
}

/// `min_lines` is a minimum: an opinion longer than its room (many leaders' instructions)
/// grows its cell, and the next row starts below the last line instead of under it.
#[test]
fn a_long_opinion_grows_its_cell() {
    let renderer = Renderer::new().unwrap();
    let lines: Vec<String> = (1..=9).map(|i| format!("第{i}条批示意见。")).collect();
    let form = FormSheet {
        title: "收文处理单".into(),
        reference: None,
        rows: vec![FormRow::opinion("领导批示", &lines.join("\n"), 2), FormRow::one("办理结果", "已办结")],
        footer: None,
        landscape: false,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, renderer.render_form(&form).unwrap()).unwrap();
    let pages = layout(&path);
    let page = &pages[0];
    let last = page.find("第9条批示意见。").expect("the last line printed");
    let next = page.find("办理结果").expect("the next row printed");
    assert!(
        next.y0 > last.y1,
        "the next row ({:.1} mm) starts below the opinion's last line ({:.1} mm)",
        next.y0,
        last.y1
    );
    let rules = support::rules(&path, 1);
    assert!(
        rules.iter().any(|r| r.y > last.y1 && r.y < next.y0),
        "a rule closes the opinion cell between {:.1} and {:.1} mm",
        last.y1,
        next.y0
    );
}
