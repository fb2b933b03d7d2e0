//! The downloads read back by independent readers, never by the code that wrote them:
//! workbooks through calamine, the transfer package through the zip crate, PDFs through
//! poppler's `pdftotext`, the audit CSV as text.

use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};

/// Every sheet of a workbook as rows of cell text, sheet by sheet.
pub fn workbook(bytes: &[u8], what: &str) -> Vec<Vec<Vec<String>>> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{what}: not a workbook: {e}"));
    let names = book.sheet_names().to_vec();
    names
        .iter()
        .map(|name| {
            let range = book.worksheet_range(name).unwrap_or_else(|e| panic!("{what}: sheet {name}: {e}"));
            range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// One column of a sheet below its heading row.
pub fn column(sheet: &[Vec<String>], c: usize) -> Vec<String> {
    sheet.iter().skip(1).map(|row| row.get(c).cloned().unwrap_or_default()).collect()
}

/// Every cell of every sheet joined with line breaks: what a reader of the file can see.
pub fn all_cells(book: &[Vec<Vec<String>>]) -> String {
    book.iter().flatten().flatten().map(String::as_str).collect::<Vec<_>>().join("\n")
}

/// A zip's entries by name with their bytes.
pub fn zip_entries(bytes: &[u8], what: &str) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{what}: not a zip: {e}"));
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap_or_else(|e| panic!("{what}: entry {i}: {e}"));
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap_or_else(|e| panic!("{what}: entry {i}: {e}"));
            (f.name().expect("a UTF-8 entry name").to_string(), body)
        })
        .collect()
}

/// Whether poppler is here; without it the PDF checks cannot run, and the run says so.
pub fn have_pdftotext() -> bool {
    std::process::Command::new("pdftotext").arg("-v").output().is_ok()
}

/// The PDF's text as poppler reads it, spaces, line and page breaks removed, so a cell
/// wrapped over two lines still reads as one string.
pub fn pdf_text(bytes: &[u8], what: &str) -> String {
    assert!(bytes.starts_with(b"%PDF"), "{what}: not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    flat(&String::from_utf8(out.stdout).unwrap())
}

/// A string as `pdf_text` gives it: no whitespace of any kind.
pub fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{c}').collect()
}

/// RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) into rows.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
