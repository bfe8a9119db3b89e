//! A signature inside a PDF (PAdES basic, ISO 32000 §12.8): an incremental update adds a
//! signature field whose `/V` dictionary holds `/ByteRange` — the whole file but the
//! signature's own hex string — and `/Contents`, the detached CMS over those bytes.
//!
//! Signing is two steps so that the signature can come from anywhere (a key file, NCALayer):
//! [`prepare`] writes the file with a zero placeholder and gives the bytes to sign; [`embed`]
//! puts the CMS into the placeholder.

use std::fmt::Write as _;

use chrono::NaiveDateTime;
use lopdf::{Dictionary, Object, ObjectId};

use super::EdsError;

/// Room for the CMS: 16 KiB, enough for an RSA-4096 or GOST signature with a chain of three.
const CONTENTS_BYTES: usize = 16 * 1024;
/// `/ByteRange [` … `]` with room for four numbers of up to 10 digits.
const BYTE_RANGE_WIDTH: usize = 4 * 11;

/// A PDF with an empty signature, waiting for its CMS.
#[derive(Debug, Clone)]
pub struct Prepared {
    pdf: Vec<u8>,
    /// Where the `<` of `/Contents` stands, and the byte after its `>`.
    contents: (usize, usize),
}

impl Prepared {
    /// The bytes the signature covers (everything but the `/Contents` hex string).
    pub fn covered(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.pdf.len());
        out.extend_from_slice(&self.pdf[..self.contents.0]);
        out.extend_from_slice(&self.pdf[self.contents.1..]);
        out
    }
}

fn pdf_error(e: impl std::fmt::Display) -> EdsError {
    EdsError::Pdf(e.to_string())
}

/// Adds an empty signature field to the first page of `pdf` (a file without signatures, as
/// `crate::print` writes them). `reason` and `time` go into the signature dictionary.
pub fn prepare(pdf: &[u8], reason: &str, time: NaiveDateTime) -> Result<Prepared, EdsError> {
    let doc = lopdf::Document::load_mem(pdf).map_err(pdf_error)?;
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(pdf_error)?;
    let info = doc.trailer.get(b"Info").and_then(Object::as_reference).ok();
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .map_err(pdf_error)?;
    let Some(&page) = doc.get_pages().values().next() else {
        return Err(EdsError::Pdf("no page".into()));
    };
    let prev = last_startxref(pdf).ok_or_else(|| EdsError::Pdf("no startxref".into()))?;
    let sig_id = u32::try_from(size).map_err(pdf_error)?;
    let field_id = sig_id + 1;

    let mut catalog = doc.get_dictionary(root).map_err(pdf_error)?.clone();
    if catalog.has(b"AcroForm") {
        return Err(EdsError::Pdf("the document already has a form".into()));
    }
    let mut acro = Dictionary::new();
    acro.set(
        "Fields",
        Object::Array(vec![Object::Reference((field_id, 0))]),
    );
    acro.set("SigFlags", Object::Integer(3));
    catalog.set("AcroForm", Object::Dictionary(acro));

    let mut page_dict = doc.get_dictionary(page).map_err(pdf_error)?.clone();
    let mut annots = match page_dict.get(b"Annots") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(_) => return Err(EdsError::Pdf("indirect /Annots".into())),
        Err(_) => Vec::new(),
    };
    annots.push(Object::Reference((field_id, 0)));
    page_dict.set("Annots", Object::Array(annots));

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    offsets.push((root.0, out.len()));
    write_object(&mut out, root, &Object::Dictionary(catalog));
    offsets.push((page.0, out.len()));
    write_object(&mut out, page, &Object::Dictionary(page_dict));

    // The signature dictionary, written by hand: the placeholders must sit at known places.
    offsets.push((sig_id, out.len()));
    let _ = write!(
        Text(&mut out),
        "{sig_id} 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached \
         /M (D:{}) /Reason {} /ByteRange [",
        time.format("%Y%m%d%H%M%S"),
        text_string(reason)
    );
    let range_at = out.len();
    out.extend(std::iter::repeat_n(b' ', BYTE_RANGE_WIDTH));
    out.extend_from_slice(b"] /Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', CONTENTS_BYTES * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(b">>\nendobj\n");

    offsets.push((field_id, out.len()));
    let _ = write!(
        Text(&mut out),
        "{field_id} 0 obj\n<</Type /Annot /Subtype /Widget /FT /Sig /T (EDS) /V {sig_id} 0 R \
         /P {} 0 R /Rect [0 0 0 0] /F 132>>\nendobj\n",
        page.0
    );

    let xref_at = out.len();
    offsets.sort_unstable();
    let _ = write!(Text(&mut out), "xref\n0 1\n0000000000 65535 f \n");
    for (id, offset) in &offsets {
        let _ = write!(Text(&mut out), "{id} 1\n{offset:010} 00000 n \n");
    }
    let info = info
        .map(|(id, generation)| format!(" /Info {id} {generation} R"))
        .unwrap_or_default();
    let _ = write!(
        Text(&mut out),
        "trailer\n<</Size {} /Root {} {} R{info} /Prev {prev}>>\nstartxref\n{xref_at}\n%%EOF\n",
        field_id + 1,
        root.0,
        root.1
    );

    let range = format!(
        "0 {contents_start} {contents_end} {}",
        out.len() - contents_end
    );
    if range.len() > BYTE_RANGE_WIDTH {
        return Err(EdsError::Pdf("the file is too large".into()));
    }
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());
    Ok(Prepared {
        pdf: out,
        contents: (contents_start, contents_end),
    })
}

/// Puts the CMS into the placeholder; the signed PDF.
pub fn embed(prepared: Prepared, cms: &[u8]) -> Result<Vec<u8>, EdsError> {
    if cms.len() > CONTENTS_BYTES {
        return Err(EdsError::Pdf(
            "the signature is larger than its place".into(),
        ));
    }
    let Prepared { mut pdf, contents } = prepared;
    let mut hex = String::with_capacity(cms.len() * 2);
    for byte in cms {
        let _ = write!(hex, "{byte:02X}");
    }
    pdf[contents.0 + 1..contents.0 + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(pdf)
}

/// A signature found in a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub byte_range: [usize; 4],
    /// The CMS (with the placeholder's trailing zeros).
    pub cms: Vec<u8>,
    /// The ranges start at 0, end at the end of the file and leave out exactly the hex string.
    pub covers_whole_file: bool,
}

impl Found {
    /// The bytes the byte range names.
    pub fn covered(&self, pdf: &[u8]) -> Vec<u8> {
        let [a, b, c, d] = self.byte_range;
        let mut out = Vec::new();
        if let Some(first) = pdf.get(a..a.saturating_add(b)) {
            out.extend_from_slice(first);
        }
        if let Some(second) = pdf.get(c..c.saturating_add(d)) {
            out.extend_from_slice(second);
        }
        out
    }
}

/// The signatures of a PDF in file order, found by their `/ByteRange` (read from the bytes, so
/// that a damaged or changed file still shows what it claims to be signed).
pub fn signatures(pdf: &[u8]) -> Vec<Found> {
    let mut out = Vec::new();
    let key = b"/ByteRange";
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], key).map(|i| i + from) {
        from = at + key.len();
        let Some(range) = parse_range(&pdf[from..]) else {
            continue;
        };
        let [a, b, c, d] = range;
        let Some(gap) = pdf.get(a.saturating_add(b)..c) else {
            continue;
        };
        let hex = gap.strip_prefix(b"<").and_then(|g| g.strip_suffix(b">"));
        let Some(cms) = hex.and_then(decode_hex) else {
            continue;
        };
        let covers_whole_file = a == 0 && c.checked_add(d) == Some(pdf.len()) && c > b;
        out.push(Found {
            byte_range: range,
            cms,
            covers_whole_file,
        });
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_range(after: &[u8]) -> Option<[usize; 4]> {
    let text = std::str::from_utf8(after.get(..after.len().min(80))?)
        .ok()
        .or_else(|| {
            // The bytes after the array may not be text; take up to the closing bracket.
            let end = after.iter().position(|b| *b == b']')?;
            std::str::from_utf8(&after[..=end]).ok()
        })?;
    let open = text.find('[')?;
    if !text[..open].trim().is_empty() {
        return None;
    }
    let close = text.find(']')?;
    let numbers: Vec<usize> = text[open + 1..close]
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    numbers.try_into().ok()
}

fn decode_hex(hex: &[u8]) -> Option<Vec<u8>> {
    let digits: Vec<u8> = hex
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(text, 16).ok()
        })
        .collect()
}

/// `write!` into a byte vector.
struct Text<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Text<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark, in hex.
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

fn write_object(out: &mut Vec<u8>, id: ObjectId, object: &Object) {
    let _ = writeln!(Text(out), "{} {} obj", id.0, id.1);
    serialize(out, object);
    out.extend_from_slice(b"\nendobj\n");
}

/// Writes a direct object (no streams: only dictionaries of the catalog and a page are
/// rewritten).
fn serialize(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null | Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            let _ = write!(Text(out), "{i}");
        }
        Object::Real(r) => {
            let _ = write!(Text(out), "{r:.4}");
        }
        Object::Name(name) => {
            out.push(b'/');
            for byte in name {
                if byte.is_ascii_alphanumeric() || b"-_.+".contains(byte) {
                    out.push(*byte);
                } else {
                    let _ = write!(Text(out), "#{byte:02X}");
                }
            }
        }
        Object::String(bytes, _) => {
            out.push(b'<');
            for byte in bytes {
                let _ = write!(Text(out), "{byte:02X}");
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict {
                serialize(out, &Object::Name(key.clone()));
                out.push(b' ');
                serialize(out, value);
                out.push(b' ');
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((id, generation)) => {
            let _ = write!(Text(out), "{id} {generation} R");
        }
    }
}

fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let key = b"startxref";
    let at = pdf.windows(key.len()).rposition(|w| w == key)?;
    let rest = std::str::from_utf8(
        pdf.get(at + key.len()..)?
            .get(..30.min(pdf.len() - at - key.len()))?,
    )
    .ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_is_found_again_and_covers_the_file() {
        let mut layout = crate::print::Layout::new("Справка").unwrap_or_else(|e| panic!("{e}"));
        layout.paragraph(
            "Справка",
            12.0,
            crate::print::Weight::Regular,
            crate::print::Align::Left,
        );
        let pdf = layout.finish().unwrap_or_else(|e| panic!("{e}"));
        let time = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        let prepared = prepare(&pdf, "Подписано ЭЦП", time).unwrap_or_else(|e| panic!("{e}"));
        let covered = prepared.covered();
        let signed =
            embed(prepared, &[0x30, 0x03, 0x02, 0x01, 0x05]).unwrap_or_else(|e| panic!("{e}"));
        let found = signatures(&signed);
        assert_eq!(found.len(), 1);
        assert!(found[0].covers_whole_file);
        assert_eq!(found[0].covered(&signed), covered);
        assert_eq!(&found[0].cms[..5], &[0x30, 0x03, 0x02, 0x01, 0x05]);
        // The update is a readable PDF with the field on the page.
        let doc = lopdf::Document::load_mem(&signed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.get_pages().len(), 1);
        // Appending a byte leaves the end of the file uncovered.
        let mut longer = signed.clone();
        longer.push(b'\n');
        assert!(!signatures(&longer)[0].covers_whole_file);
    }
}
