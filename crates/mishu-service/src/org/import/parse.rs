//! From uploaded bytes to rows of text: CSV (UTF-8, with or without a byte-order mark;
//! comma, tab or semicolon separated) or XLSX (the first sheet). The header row is matched
//! to the kind's columns by Chinese or English heading; anything unexpected is an error
//! naming the file, never silently dropped. XLSX is a zip: it is checked for bombs first.

use super::{ImportKind, MAX_FILE_BYTES, MAX_ROWS};
use crate::{ServiceError, ServiceResult};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// One data row: its line in the file (the header is line 1 in a simple file) and one value
/// per column of the kind, in the kind's column order ("" where the file has no such column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub line: usize,
    pub values: Vec<String>,
    /// The row has a value in a column without a heading (reported, not dropped).
    pub stray: bool,
}

fn file_error(message: impl Into<String>) -> ServiceError {
    ServiceError::invalid("file", message)
}

/// Parses a whole upload. Errors here concern the file as a whole (size, format, headings).
/// `xlsx_named`: the upload's name ends in `.xlsx`, so it must be a workbook, not text.
pub(super) fn read(kind: ImportKind, bytes: &[u8], xlsx_named: bool) -> ServiceResult<Vec<Row>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(format!("larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_grid(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_error("old Excel (.xls) files are not supported; save as .xlsx or CSV UTF-8"));
    } else if xlsx_named {
        return Err(file_error("not a readable XLSX workbook"));
    } else {
        csv_grid(bytes)?
    };
    rows_from_grid(kind, grid)
}

/// Lines of cells, each with its line number, blank lines already dropped.
type Grid = Vec<(usize, Vec<String>)>;

fn csv_grid(bytes: &[u8]) -> ServiceResult<Grid> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| file_error("not UTF-8 text; in Excel choose “CSV UTF-8” when saving, or upload the .xlsx"))?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b'\t', b';'].into_iter().find(|d| first.contains(char::from(*d))).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            file_error(format!("line {line}: not valid CSV ({e})"))
        })?;
        let line = record.position().map_or(grid.len() + 1, |p| p.line() as usize);
        push_row(&mut grid, line, record.iter().map(str::to_string).collect())?;
    }
    Ok(grid)
}

/// Refuses zip bombs and odd archives before calamine reads anything: the zip reader stops
/// at each entry's declared size, so bounding the declared sizes bounds the work.
fn zip_guard(bytes: &[u8]) -> ServiceResult<()> {
    const MAX_ENTRIES: usize = 1_000;
    const MAX_TOTAL: u64 = 32 * 1024 * 1024;
    const MAX_RATIO: u64 = 100;
    let unreadable = |_| file_error("not a readable XLSX workbook");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if zip.len() > MAX_ENTRIES {
        return Err(file_error("the workbook has too many parts"));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(unreadable)?;
        if entry.enclosed_name().is_none() {
            return Err(file_error("the workbook contains an unsafe path"));
        }
        total = total.saturating_add(entry.size());
        if total > MAX_TOTAL || entry.size() > MAX_RATIO * entry.compressed_size().max(1024) {
            return Err(file_error("the workbook expands to far more than its size; refused"));
        }
    }
    Ok(())
}

fn xlsx_grid(bytes: &[u8]) -> ServiceResult<Grid> {
    zip_guard(bytes)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|_| file_error("not a readable XLSX workbook"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| file_error("the workbook has no sheet"))?
        .map_err(|_| file_error("the first sheet cannot be read"))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut grid = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        // Columns left of the used range are empty; keep positions as the sheet shows them.
        let mut values = vec![String::new(); first_col];
        values.extend(cells.iter().map(cell_text));
        push_row(&mut grid, first_row + i + 1, values)?;
    }
    Ok(grid)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        // Whole numbers typed into Excel (sort orders, phone numbers) come back as floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn push_row(grid: &mut Grid, line: usize, values: Vec<String>) -> ServiceResult<()> {
    if values.iter().all(|v| v.trim().is_empty()) {
        return Ok(());
    }
    if grid.len() > MAX_ROWS {
        return Err(file_error(format!("more than {MAX_ROWS} rows; split the file")));
    }
    grid.push((line, values));
    Ok(())
}

/// Heading text → column key, for either kind.
fn column_key(kind: ImportKind, heading: &str) -> Option<&'static str> {
    let h = heading.trim().trim_start_matches('\u{feff}').trim_end_matches('*').trim().to_ascii_lowercase();
    let table: &[(&str, &[&str])] = match kind {
        ImportKind::Departments => &[
            ("name", &["部门名称", "名称", "部门", "name", "department"]),
            ("parent", &["上级部门", "上级", "parent"]),
            ("sort", &["排序", "排序号", "sort", "sort_order"]),
        ],
        ImportKind::People => &[
            ("login", &["登录名", "账号", "用户名", "login", "username"]),
            ("name", &["姓名", "name"]),
            ("department", &["部门", "所在部门", "department"]),
            ("position", &["职务", "position", "title"]),
            ("phone", &["电话", "联系电话", "手机", "phone"]),
        ],
    };
    table.iter().find(|(_, names)| names.contains(&h.as_str())).map(|(k, _)| *k)
}

fn rows_from_grid(kind: ImportKind, grid: Grid) -> ServiceResult<Vec<Row>> {
    let mut lines = grid.into_iter();
    let Some((_, headings)) = lines.next() else {
        return Err(file_error("empty: no heading row"));
    };
    let columns = kind.columns();
    // For each cell position, the index of the column it fills (None: an empty heading).
    let mut slots: Vec<Option<usize>> = Vec::with_capacity(headings.len());
    for h in &headings {
        if h.trim().is_empty() {
            slots.push(None);
            continue;
        }
        let key = column_key(kind, h)
            .ok_or_else(|| file_error(format!("unknown column `{}`; expected {}", h.trim(), kind.heading_list())))?;
        let idx = columns.iter().position(|c| *c == key).unwrap_or_default();
        if slots.contains(&Some(idx)) {
            return Err(file_error(format!("column `{key}` appears twice")));
        }
        slots.push(Some(idx));
    }
    if let Some(missing) = kind.required().iter().find(|k| !slots.iter().flatten().any(|i| columns[*i] == **k)) {
        return Err(file_error(format!("the column `{missing}` is missing; expected {}", kind.heading_list())));
    }
    let rows: Vec<Row> = lines
        .map(|(line, cells)| {
            let mut values = vec![String::new(); columns.len()];
            let mut stray = false;
            for (pos, cell) in cells.into_iter().enumerate() {
                match slots.get(pos).copied().flatten() {
                    Some(i) => values[i] = cell.trim().to_string(),
                    None => stray |= !cell.trim().is_empty(),
                }
            }
            Row { line, values, stray }
        })
        .collect();
    if rows.is_empty() {
        return Err(file_error("no rows below the headings"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(text: &str) -> ServiceResult<Vec<Row>> {
        read(ImportKind::People, text.as_bytes(), false)
    }

    #[test]
    fn csv_with_bom_chinese_headings_and_blank_lines() {
        let rows = people("\u{feff}登录名,姓名,部门\nzhang.wei,张伟,秘书科\n\n,,\nli.na,李娜,\n").unwrap();
        assert_eq!(rows.len(), 2);
        let want = vec!["zhang.wei".into(), "张伟".into(), "秘书科".into(), "".into(), "".into()];
        assert_eq!(rows[0], Row { line: 2, values: want, stray: false });
        assert_eq!(rows[1].line, 5, "line numbers count the blank lines the user sees");
    }

    #[test]
    fn english_headings_in_any_order_and_tabs() {
        let rows = people("Name\tLogin\tPhone\n王芳\twang.fang\t0571-1234\n").unwrap();
        assert_eq!(rows[0].values, ["wang.fang", "王芳", "", "", "0571-1234"]);
    }

    #[test]
    fn file_level_errors_name_the_problem() {
        let err = |r: ServiceResult<Vec<Row>>| r.unwrap_err().to_string();
        assert!(err(people("登录名,姓名,邮箱\na,b,c\n")).contains("unknown column `邮箱`"));
        assert!(err(people("姓名\n张伟\n")).contains("`login` is missing"));
        assert!(err(people("登录名,姓名\n")).contains("no rows"));
        assert!(err(read(ImportKind::People, b"\xd5\xc5\xce\xb0,x\n", false)).contains("UTF-8"));
        assert!(err(read(ImportKind::People, &[0xD0, 0xCF, 0x11, 0xE0, 0, 0], false)).contains(".xls"));
        assert!(err(people("登录名,姓名,账号\na,b,c\n")).contains("appears twice"));
        assert!(err(read(ImportKind::People, b"login,name\n", true)).contains("XLSX"));
        let many = format!("登录名,姓名\n{}", "a,b\n".repeat(MAX_ROWS + 1));
        assert!(err(people(&many)).contains("more than 5000 rows"));
        assert!(people(&format!("登录名,姓名\n{}", "a,b\n".repeat(MAX_ROWS))).is_ok(), "the limit itself is allowed");
    }

    #[test]
    fn a_value_under_no_heading_is_marked_not_dropped() {
        let rows = people("登录名,姓名,\na,b,surprise\nc,d,\n").unwrap();
        assert!(rows[0].stray);
        assert!(!rows[1].stray);
    }
}
