//! Carrying a signature inside a PDF: an incremental update appended to the file holds one
//! signature dictionary whose `/ByteRange` covers every byte of the file except the hex string
//! of `/Contents`, and `/Contents` holds the DER `SES_Signature`. The original bytes are kept
//! exactly, so the document prints and reads as before; verification recomputes the SM3 digest
//! over the byte ranges and refuses a range that does not reach the end of the file (anything
//! appended after sealing).

use super::EsignError;

/// Room for the DER signature, in bytes (the seal's SVG picture travels inside it).
pub const CONTENTS_CAPACITY: usize = 24 * 1024;
const BYTE_RANGE_WIDTH: usize = 10;
/// The filter names our signatures carry; a verifier that meets another filter says so.
pub const FILTER: &str = "/Mishu.SES";
pub const SUB_FILTER: &str = "/GBT38540.SES_Signature.v4";

/// The file split around its signature: the covered bytes and the DER inside `/Contents`.
pub struct Extracted {
    pub covered: Vec<u8>,
    pub der: Vec<u8>,
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// The integer written after `key` inside `dict` (e.g. `/Size 42`).
fn int_after(dict: &[u8], key: &[u8]) -> Option<u64> {
    let mut at = 0;
    while let Some(i) = find_from(dict, at, key) {
        let rest = &dict[i + key.len()..];
        // `/Size` must not match `/SizeX`.
        if rest.first().is_some_and(|c| c.is_ascii_whitespace()) {
            let digits: Vec<u8> = rest
                .iter()
                .skip_while(|c| c.is_ascii_whitespace())
                .take_while(|c| c.is_ascii_digit())
                .copied()
                .collect();
            return std::str::from_utf8(&digits).ok()?.parse().ok();
        }
        at = i + key.len();
    }
    None
}

/// The indirect reference written after `key` (e.g. `/Root 1 0 R`), as written.
fn ref_after(dict: &[u8], key: &[u8]) -> Option<String> {
    let i = find_from(dict, 0, key)?;
    let rest = std::str::from_utf8(&dict[i + key.len()..]).ok().or_else(|| {
        // The dictionary may hold binary after the key (a stream); read only the ASCII start.
        let end = dict[i + key.len()..].iter().position(|c| !c.is_ascii()).unwrap_or(0);
        std::str::from_utf8(&dict[i + key.len()..i + key.len() + end]).ok()
    })?;
    let mut parts = rest.split_ascii_whitespace();
    let (n, g, r) = (parts.next()?, parts.next()?, parts.next()?);
    let r = r.get(..1)?;
    (n.bytes().all(|c| c.is_ascii_digit()) && g.bytes().all(|c| c.is_ascii_digit()) && r == "R")
        .then(|| format!("{n} {g} R"))
}

struct Trailer {
    prev_xref: u64,
    size: u64,
    root: String,
    info: Option<String>,
}

/// Reads the last cross-reference section's trailer, classic (`trailer << … >>`) or a
/// cross-reference stream's dictionary (PDF 1.5), which is all an incremental update needs.
fn last_trailer(pdf: &[u8]) -> Result<Trailer, EsignError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(EsignError::NotPdf);
    }
    let tail_from = pdf.len().saturating_sub(2048);
    let sx = find_last(&pdf[tail_from..], b"startxref").ok_or(EsignError::Malformed("startxref"))? + tail_from;
    let prev_xref = int_after(&pdf[sx..], b"startxref").ok_or(EsignError::Malformed("startxref"))?;
    let at = usize::try_from(prev_xref).ok().filter(|&a| a < sx).ok_or(EsignError::Malformed("startxref"))?;
    let section = &pdf[at..sx];
    let dict = if section.starts_with(b"xref") {
        let t = find_from(section, 0, b"trailer").ok_or(EsignError::Malformed("trailer"))?;
        &section[t..]
    } else {
        // An xref stream: its dictionary ends where the stream begins.
        let end = find_from(section, 0, b"stream").ok_or(EsignError::Malformed("xref stream"))?;
        &section[..end]
    };
    if find_from(dict, 0, b"/Encrypt").is_some() {
        return Err(EsignError::Encrypted);
    }
    Ok(Trailer {
        prev_xref,
        size: int_after(dict, b"/Size").ok_or(EsignError::Malformed("trailer /Size"))?,
        root: ref_after(dict, b"/Root").ok_or(EsignError::Malformed("trailer /Root"))?,
        info: ref_after(dict, b"/Info"),
    })
}

/// A PDF text string in UTF-16BE with its byte-order mark, as hex.
fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in s.encode_utf16() {
        out.push_str(&format!("{unit:04X}"));
    }
    out.push('>');
    out
}

/// Appends a signature to `pdf`. `sign` receives the SM3 digest of the covered bytes and
/// returns the DER to place in `/Contents`. `name` and `when` (PDF date) describe the signer.
pub fn sign(
    pdf: &[u8],
    name: &str,
    when: &str,
    sign: impl FnOnce(&[u8; 32]) -> Result<Vec<u8>, EsignError>,
) -> Result<Vec<u8>, EsignError> {
    let t = last_trailer(pdf)?;
    let obj = t.size;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let obj_at = out.len();
    let placeholder = " ".repeat(BYTE_RANGE_WIDTH);
    out.extend_from_slice(
        format!(
            "{obj} 0 obj\n<< /Type /Sig /Filter {FILTER} /SubFilter {SUB_FILTER} /Name {} /M ({when}) /ByteRange [0 {placeholder} {placeholder} {placeholder}] /Contents <",
            text_string(name)
        )
        .as_bytes(),
    );
    let contents_at = out.len() - 1;
    out.extend(std::iter::repeat_n(b'0', CONTENTS_CAPACITY * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b" >>\nendobj\n");
    let xref_at = out.len();
    let info = t.info.map(|i| format!(" /Info {i}")).unwrap_or_default();
    out.extend_from_slice(
        format!(
            "xref\n{obj} 1\n{obj_at:010} 00000 n \ntrailer\n<< /Size {} /Root {}{info} /Prev {} >>\nstartxref\n{xref_at}\n%%EOF\n",
            obj + 1,
            t.root,
            t.prev_xref
        )
        .as_bytes(),
    );
    let ranges = [contents_at, contents_end, out.len() - contents_end];
    let br = find_from(&out, obj_at, b"/ByteRange [0 ").ok_or(EsignError::Malformed("ByteRange"))? + 14;
    for (k, v) in ranges.iter().enumerate() {
        let field = format!("{v:<width$}", width = BYTE_RANGE_WIDTH);
        let at = br + k * (BYTE_RANGE_WIDTH + 1);
        out[at..at + BYTE_RANGE_WIDTH].copy_from_slice(field.as_bytes());
    }
    let mut covered = out[..contents_at].to_vec();
    covered.extend_from_slice(&out[contents_end..]);
    let der = sign(&super::crypto::sm3(&covered))?;
    if der.len() > CONTENTS_CAPACITY {
        return Err(EsignError::Malformed("signature too large"));
    }
    let hex = hex::encode_upper(&der);
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}

fn parse_range(pdf: &[u8], at: usize) -> Option<[usize; 4]> {
    let open = find_from(pdf, at, b"[")?;
    let close = find_from(pdf, open, b"]")?;
    let text = std::str::from_utf8(pdf.get(open + 1..close)?).ok()?;
    let nums: Vec<usize> = text.split_ascii_whitespace().map(|n| n.parse().ok()).collect::<Option<_>>()?;
    nums.try_into().ok()
}

/// Finds the last signature and splits the file around it. A signature that does not cover
/// the whole file, or whose `/Contents` is not one hex string, is refused with the reason.
pub fn extract(pdf: &[u8]) -> Result<Extracted, EsignError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(EsignError::NotPdf);
    }
    let at = find_last(pdf, b"/ByteRange").ok_or(EsignError::NotSigned)?;
    let [a, b, c, d] = parse_range(pdf, at).ok_or(EsignError::Malformed("ByteRange"))?;
    if a != 0 || b >= c || c > pdf.len() {
        return Err(EsignError::Malformed("ByteRange"));
    }
    if c.checked_add(d) != Some(pdf.len()) {
        return Err(EsignError::ChangedAfterSealing);
    }
    let hex_part = &pdf[b..c];
    if hex_part.len() < 2 || hex_part[0] != b'<' || hex_part[hex_part.len() - 1] != b'>' {
        return Err(EsignError::Malformed("Contents"));
    }
    let raw = hex::decode(&hex_part[1..hex_part.len() - 1]).map_err(|_| EsignError::Malformed("Contents"))?;
    let der = der_prefix(&raw).ok_or(EsignError::Malformed("Contents"))?;
    let mut covered = pdf[..b].to_vec();
    covered.extend_from_slice(&pdf[c..]);
    Ok(Extracted { covered, der })
}

/// The DER value at the start of `raw` (the rest is zero padding), found by its length header.
fn der_prefix(raw: &[u8]) -> Option<Vec<u8>> {
    if raw.first() != Some(&0x30) {
        return None;
    }
    let first = *raw.get(1)?;
    let (len, header) = if first < 0x80 {
        (first as usize, 2)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *raw.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let value = raw.get(..end)?;
    raw[end..].iter().all(|&z| z == 0).then(|| value.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_der(digest: &[u8; 32]) -> Result<Vec<u8>, EsignError> {
        let mut v = vec![0x30, 34, 0x04, 32];
        v.extend_from_slice(digest);
        Ok(v)
    }

    #[test]
    fn the_signature_covers_everything_but_itself_and_keeps_the_original_bytes() {
        let pdf = mishu_testkit::sample_pdf();
        let signed = sign(&pdf, "江北职业技术学院", "D:20261127090000+08'00'", fake_der).unwrap();
        assert!(signed.starts_with(&pdf));
        assert!(signed.ends_with(b"%%EOF\n"));
        let e = extract(&signed).unwrap();
        assert_eq!(&e.der[4..], &crate::seals::esign::crypto::sm3(&e.covered));
        assert_eq!(e.covered.len(), signed.len() - CONTENTS_CAPACITY * 2 - 2);
        let t = last_trailer(&signed).unwrap();
        assert_eq!((t.size, t.root.as_str()), (5, "1 0 R"));
    }

    #[test]
    fn appended_bytes_truncation_and_garbage_are_refused() {
        let signed = sign(&mishu_testkit::sample_pdf(), "章", "D:20261127090000+08'00'", fake_der).unwrap();
        let mut appended = signed.clone();
        appended.extend_from_slice(b"\n% more\n");
        assert!(matches!(extract(&appended), Err(EsignError::ChangedAfterSealing)));
        assert!(extract(&signed[..signed.len() - 10]).is_err());
        assert!(matches!(extract(&mishu_testkit::sample_pdf()), Err(EsignError::NotSigned)));
        assert!(matches!(extract(b"GIF89a"), Err(EsignError::NotPdf)));
        assert!(matches!(sign(b"%PDF-1.7\nno trailer", "x", "D:", fake_der), Err(EsignError::Malformed(_))));
        let mut enc = mishu_testkit::sample_pdf();
        let i = find_last(&enc, b"/Root").unwrap();
        enc.splice(i..i, b"/Encrypt 9 0 R ".iter().copied());
        assert!(matches!(sign(&enc, "x", "D:", fake_der), Err(EsignError::Encrypted)));
    }

    #[test]
    fn der_prefix_reads_long_lengths_and_refuses_non_zero_padding() {
        let mut raw = vec![0x30, 0x82, 0x01, 0x00];
        raw.extend(std::iter::repeat_n(7u8, 256));
        raw.extend([0, 0, 0]);
        assert_eq!(der_prefix(&raw).unwrap().len(), 260);
        raw.push(1);
        assert!(der_prefix(&raw).is_none());
        assert!(der_prefix(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }
}
