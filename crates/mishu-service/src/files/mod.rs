//! Uploaded files: the type check by content (magic bytes, and the inner entry of ZIP-based
//! formats), the size limit and the name; `blobs` keeps them durably under `<data_dir>/files/`.

use crate::{ServiceError, ServiceResult};
use std::io::Cursor;

mod blobs;
pub use blobs::{Blobs, Fs, FsFile, StdFs, path_of};

/// Largest accepted file. Scans of long documents at 300 dpi stay well below this.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// The kinds of file an office keeps with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Ofd,
    Png,
    Jpeg,
    Tiff,
}

impl FileKind {
    pub const ALL: [FileKind; 6] =
        [FileKind::Pdf, FileKind::Docx, FileKind::Ofd, FileKind::Png, FileKind::Jpeg, FileKind::Tiff];

    pub fn code(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Ofd => "ofd",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Tiff => "tiff",
        }
    }

    pub fn parse(code: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Ofd => "application/ofd",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Tiff => "image/tiff",
        }
    }

    /// The kind a filename claims by its extension.
    pub fn from_name(name: &str) -> Option<FileKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => FileKind::Pdf,
            "docx" => FileKind::Docx,
            "ofd" => FileKind::Ofd,
            "png" => FileKind::Png,
            "jpg" | "jpeg" => FileKind::Jpeg,
            "tif" | "tiff" => FileKind::Tiff,
            _ => return None,
        })
    }

    /// The kind the content really is, by its first bytes; a ZIP counts only with the entry
    /// its format requires (`word/document.xml` for DOCX, `OFD.xml` for OFD).
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            return Some(FileKind::Pdf);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(FileKind::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(FileKind::Jpeg);
        }
        if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            return Some(FileKind::Tiff);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
            let has = |n: &str| zip.file_names().any(|f| f.is_ok_and(|f| f == n));
            if has("word/document.xml") {
                return Some(FileKind::Docx);
            }
            if has("OFD.xml") {
                return Some(FileKind::Ofd);
            }
        }
        None
    }
}

/// A file as it arrived, with the form field it came in (named in any refusal).
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: &'static str,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A checked upload: its kind and a filename safe to show and store.
#[derive(Debug, Clone)]
pub struct Checked {
    pub filename: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// The name to show and store: no path, no control characters or bidirectional marks,
/// at most 200 characters (the rule is pure, in `mishu_domain::files`, where T11 fuzzes it).
pub fn clean_filename(raw: &str) -> String {
    mishu_domain::files::clean_filename(raw, 200)
}

/// Size, name and content checks: the extension must name an accepted kind and the content
/// must really be of that kind (a renamed file is refused, naming the field).
pub fn check(up: Upload) -> ServiceResult<Checked> {
    let filename = clean_filename(&up.filename);
    if up.bytes.is_empty() {
        return Err(ServiceError::invalid(up.field, format!("`{filename}` is empty")));
    }
    if up.bytes.len() > MAX_FILE_BYTES {
        return Err(ServiceError::invalid(
            up.field,
            format!("`{filename}` is larger than {} MB", MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    let claimed = FileKind::from_name(&filename).ok_or_else(|| {
        ServiceError::invalid(up.field, format!("`{filename}`: only PDF, DOCX, OFD, PNG, JPEG or TIFF files"))
    })?;
    match FileKind::sniff(&up.bytes) {
        Some(real) if real == claimed => Ok(Checked { filename, kind: real, bytes: up.bytes }),
        _ => Err(ServiceError::invalid(
            up.field,
            format!("`{filename}` is not really a {} file", claimed.code().to_uppercase()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;

    fn zip_with(entry: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        w.start_file(entry, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(b"<x/>").unwrap();
        w.finish().unwrap();
        out.into_inner()
    }

    fn up(name: &str, bytes: &[u8]) -> Upload {
        Upload { field: "files", filename: name.into(), bytes: bytes.to_vec() }
    }

    #[test]
    fn content_decides_and_must_match_the_name() {
        assert_eq!(check(up("来文.pdf", b"%PDF-1.7 x")).unwrap().kind, FileKind::Pdf);
        assert_eq!(check(up("a.PNG", b"\x89PNG\r\n\x1a\nrest")).unwrap().kind, FileKind::Png);
        assert_eq!(check(up("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0])).unwrap().kind, FileKind::Jpeg);
        assert_eq!(check(up("a.tif", b"II*\0rest")).unwrap().kind, FileKind::Tiff);
        assert_eq!(check(up("a.docx", &zip_with("word/document.xml"))).unwrap().kind, FileKind::Docx);
        assert_eq!(check(up("a.ofd", &zip_with("OFD.xml"))).unwrap().kind, FileKind::Ofd);
        for (name, bytes) in [
            ("forged.pdf", b"hello, not a pdf".to_vec()),
            ("a.docx", zip_with("OFD.xml")),
            ("a.ofd", zip_with("word/document.xml")),
            ("a.docx", zip_with("other.xml")),
            ("a.png", b"%PDF-1.4".to_vec()),
            ("a.exe", b"MZ".to_vec()),
            ("empty.pdf", vec![]),
        ] {
            let e = check(up(name, &bytes)).unwrap_err();
            assert!(matches!(e, ServiceError::Invalid { field: "files", .. }), "{name}: {e}");
        }
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES + 1, 0);
        assert!(check(up("big.pdf", &big)).is_err());
    }

    #[test]
    fn names_and_keys() {
        assert_eq!(clean_filename("C:\\扫描\\来文.pdf"), "来文.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("report\u{202E}fdp.exe.pdf"), "reportfdp.exe.pdf", "no right-to-left override");
        assert_eq!(clean_filename("a\u{2066}b\u{2069}.pdf"), "ab.pdf");
        assert!(path_of(Path::new("/d"), "../x").is_none());
        let p = path_of(Path::new("/d"), "0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(p, Path::new("/d/files/01/23/0123456789abcdef0123456789abcdef"));
    }
}
