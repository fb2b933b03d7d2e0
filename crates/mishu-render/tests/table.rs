//! The printable list (归档文件目录, 大事记): A4 landscape when asked, every heading and value
//! printed literally, the heading row repeated on every page, short rows filled.

mod support;

use mishu_render::{Renderer, TableColumn, TableSheet};
use support::{assert_near, layout};

fn catalogue(rows: usize) -> TableSheet {
    TableSheet {
        title: "2026年归档文件目录".into(),
        reference: Some("全宗号：0194".into()),
        columns: vec![
            TableColumn::new("序号", 1, true),
            TableColumn::new("档号", 4, false),
            TableColumn::new("题名", 8, false),
            TableColumn::new("页数", 1, true),
        ],
        rows: (1..=rows)
            .map(|i| {
                let mut r = vec![i.to_string(), format!("0194-WS·2026-Y-BGS-{i:04}"), format!("第{i}件#[题名]*$")];
                if i % 2 == 0 {
                    r.push("3".into());
                }
                r
            })
            .collect(),
        footer: Some("打印时间：2026-11-27 09:30".into()),
        landscape: true,
    }
}

#[test]
fn a_long_list_repeats_its_headings_on_every_page() {
    let renderer = Renderer::new().unwrap();
    let pdf = renderer.render_table(&catalogue(60)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalogue.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = std::env::var("MISHU_RENDER_OUT") {
        std::fs::write(std::path::Path::new(&out).join("catalogue.pdf"), &pdf).unwrap();
    }
    let pages = layout(&path);
    assert!(pages.len() >= 2, "60 rows take more than a page: {}", pages.len());
    assert_near("A4 landscape width", pages[0].width, 297.0, 0.1);
    assert_near("A4 landscape height", pages[0].height, 210.0, 0.1);
    let first = pages[0].text().replace([' ', '\n'], "");
    for want in ["2026年归档文件目录", "全宗号：0194", "0194-WS·2026-Y-BGS-0001", "第1件#[题名]*$"] {
        assert!(first.contains(want), "{want} printed in:\n{first}");
    }
    for (n, page) in pages.iter().enumerate() {
        let text = page.text().replace([' ', '\n'], "");
        assert!(text.contains("档号") && text.contains("题名"), "headings on page {}:\n{text}", n + 1);
    }
    let last = pages.last().unwrap().text().replace([' ', '\n'], "");
    assert!(last.contains("第60件") && last.contains("打印时间：2026-11-2709:30"), "{last}");
}
