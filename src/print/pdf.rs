//! A small PDF writer for [`super::Layout`]'s pages: each page is written (compressed) as soon
//! as it is finished, and the two fonts are subset once, at the end, for the whole file.
//!
//! Text is shown with the font's own glyph ids as character codes (Identity-H); the subset
//! renumbers glyphs, so a `/CIDToGIDMap` maps each code to its glyph in the subset. That is
//! what lets a page be written before the document knows every glyph it will use, and lets
//! pages be laid out and compressed on several threads: a page depends on nothing but itself.
//! A `/ToUnicode` map keeps the text searchable and copyable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};
use printpdf::ParsedFont;

use super::{Fonts, PAGE_H, PAGE_W, PT_PER_MM, Weight};

const CATALOG: usize = 1;
const PAGES: usize = 2;
const FONT_REGULAR: usize = 3;
const FONT_BOLD: usize = 4;
const INFO: usize = 5;
const FIRST_FREE: usize = 6;

/// The glyphs a page or a document shows, per weight: glyph id → the character it stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glyphs {
    used: [BTreeMap<u16, char>; 2],
}

impl Glyphs {
    pub fn insert(&mut self, weight: Weight, gid: u16, c: char) {
        self.used[weight_index(weight)].entry(gid).or_insert(c);
    }

    /// Adds the glyphs of `other` (a page laid out elsewhere).
    pub fn merge(&mut self, other: &Glyphs) {
        for (mine, theirs) in self.used.iter_mut().zip(&other.used) {
            for (gid, c) in theirs {
                mine.entry(*gid).or_insert(*c);
            }
        }
    }
}

fn weight_index(weight: Weight) -> usize {
    match weight {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }
}

/// The resource name of a weight's font in content streams.
pub(super) fn font_name(weight: Weight) -> &'static str {
    match weight {
        Weight::Regular => "/F1",
        Weight::Bold => "/F2",
    }
}

/// Compresses a stream: a page's content, a font program.
///
/// At the fast level: most of a certificate is numbers and a QR code's rectangles, and the
/// default level took four times as long for a few per cent. The compressor is kept per
/// thread (setting one up clears some 300 KB of tables, which showed in the profile).
pub fn compress(data: &[u8]) -> Vec<u8> {
    thread_local! {
        static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
    }
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let before = deflate.total_in() as usize;
            let status = deflate.compress_vec(
                &data[before.min(data.len())..],
                &mut out,
                FlushCompress::Finish,
            );
            match status {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                // Compressing into memory does not fail; an empty stream would show as a blank page.
                Err(_) => return Vec::new(),
            }
        }
        out
    })
}

/// A writer that counts what it has written (for the cross-reference table).
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a PDF page by page into `W`.
pub struct PdfWriter<W: Write> {
    out: Counting<W>,
    /// The offset of each object, by number − 1 (0 while not yet written).
    offsets: Vec<u64>,
    pages: Vec<usize>,
    title: String,
}

impl<W: Write> PdfWriter<W> {
    pub fn new(out: W, title: &str) -> io::Result<Self> {
        let mut out = Counting {
            inner: out,
            written: 0,
        };
        out.write_all(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")?;
        Ok(Self {
            out,
            offsets: vec![0; FIRST_FREE - 1],
            pages: Vec::new(),
            title: title.to_string(),
        })
    }

    fn next_id(&mut self) -> usize {
        self.offsets.push(0);
        self.offsets.len()
    }

    fn begin(&mut self, id: usize) -> io::Result<()> {
        self.offsets[id - 1] = self.out.written;
        writeln!(self.out, "{id} 0 obj")
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) -> io::Result<()> {
        self.begin(id)?;
        write!(self.out, "<<{dict} /Length {}>>\nstream\n", data.len())?;
        self.out.write_all(data)?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    fn object(&mut self, id: usize, body: &str) -> io::Result<()> {
        self.begin(id)?;
        write!(self.out, "{body}\nendobj\n")
    }

    /// Writes one page from its content stream, already compressed with [`compress`].
    pub fn page(&mut self, compressed: &[u8]) -> io::Result<()> {
        let content = self.next_id();
        self.stream(content, " /Filter /FlateDecode", compressed)?;
        let page = self.next_id();
        self.object(
            page,
            &format!(
                "<</Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {:.2} {:.2}] \
                 /Resources <</Font <</F1 {FONT_REGULAR} 0 R /F2 {FONT_BOLD} 0 R>>>> \
                 /Contents {content} 0 R>>",
                PAGE_W * PT_PER_MM,
                PAGE_H * PT_PER_MM
            ),
        )?;
        self.pages.push(page);
        Ok(())
    }

    /// The number of pages written so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Writes the fonts (subset to `glyphs`), the page tree and the cross-reference table.
    /// A file with no page (an empty batch) gets one blank page: a reader refuses a file
    /// without pages.
    pub fn finish(mut self, fonts: &Fonts, glyphs: &Glyphs) -> io::Result<W> {
        if self.pages.is_empty() {
            self.page(&compress(b""))?;
        }
        self.font(
            FONT_REGULAR,
            &fonts.regular.parsed,
            &glyphs.used[0],
            "LiberationSerif",
        )?;
        self.font(
            FONT_BOLD,
            &fonts.bold.parsed,
            &glyphs.used[1],
            "LiberationSerif-Bold",
        )?;
        let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.object(
            PAGES,
            &format!(
                "<</Type /Pages /Count {} /Kids [{}]>>",
                self.pages.len(),
                kids.join(" ")
            ),
        )?;
        self.object(CATALOG, &format!("<</Type /Catalog /Pages {PAGES} 0 R>>"))?;
        let title = pdf_text_string(&self.title);
        self.object(INFO, &format!("<</Title {title} /Producer (spravka)>>"))?;
        let xref = self.out.written;
        write!(
            self.out,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len() + 1
        )?;
        for offset in &self.offsets {
            writeln!(self.out, "{offset:010} 00000 n ")?;
        }
        write!(
            self.out,
            "trailer\n<</Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        )?;
        self.out.flush()?;
        Ok(self.out.inner)
    }

    /// A Type0 font with Identity-H codes that are the original glyph ids, its subset program,
    /// the widths, the map from codes to subset glyphs and the map from codes to text.
    fn font(
        &mut self,
        id: usize,
        font: &ParsedFont,
        used: &BTreeMap<u16, char>,
        name: &str,
    ) -> io::Result<()> {
        let request: BTreeMap<u16, String> =
            used.iter().map(|(gid, c)| (*gid, c.to_string())).collect();
        let subset = printpdf::subset_font(font, &request)
            .map_err(|e| io::Error::other(format!("font subset: {e}")))?;
        let tag = subset_tag(used);
        let base = format!("/{tag}+{name}");
        let units = f32::from(font.font_metrics.units_per_em.max(1));
        let scale = |v: f32| (v * 1000.0 / units).round() as i64;
        let m = &font.pdf_font_metrics;

        let program = self.next_id();
        let compressed = compress(&subset.bytes);
        self.stream(
            program,
            &format!(" /Filter /FlateDecode /Length1 {}", subset.bytes.len()),
            &compressed,
        )?;

        let descriptor = self.next_id();
        self.object(
            descriptor,
            &format!(
                "<</Type /FontDescriptor /FontName {base} /Flags 34 /FontBBox [{} {} {} {}] \
                 /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {program} 0 R>>",
                scale(f32::from(m.x_min)),
                scale(f32::from(m.y_min)),
                scale(f32::from(m.x_max)),
                scale(f32::from(m.y_max)),
                scale(f32::from(m.ascender)),
                scale(f32::from(m.descender)),
                scale(
                    font.font_metrics
                        .cap_height
                        .unwrap_or(f32::from(m.ascender))
                ),
            ),
        )?;

        // Code (original glyph id) → subset glyph id, two bytes each.
        let last = used.keys().next_back().copied().unwrap_or(0);
        let mut map = vec![0u8; (usize::from(last) + 1) * 2];
        for (original, (new, _)) in &subset.glyph_mapping {
            let at = usize::from(*original) * 2;
            if at + 1 < map.len() {
                map[at..at + 2].copy_from_slice(&new.to_be_bytes());
            }
        }
        let cid_to_gid = self.next_id();
        self.stream(cid_to_gid, " /Filter /FlateDecode", &compress(&map))?;

        let mut widths = String::new();
        for gid in used.keys() {
            let advance = f32::from(font.get_horizontal_advance(*gid));
            let _ = write!(widths, "{gid} [{}] ", scale(advance));
        }
        let cid_font = self.next_id();
        self.object(
            cid_font,
            &format!(
                "<</Type /Font /Subtype /CIDFontType2 /BaseFont {base} \
                 /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> \
                 /FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}] /CIDToGIDMap {cid_to_gid} 0 R>>"
            ),
        )?;

        let to_unicode = self.next_id();
        self.stream(
            to_unicode,
            " /Filter /FlateDecode",
            &compress(to_unicode_cmap(used).as_bytes()),
        )?;
        self.object(
            id,
            &format!(
                "<</Type /Font /Subtype /Type0 /BaseFont {base} /Encoding /Identity-H \
                 /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R>>"
            ),
        )
    }
}

/// Six capital letters that name a subset (PDF 32000 §9.6.4), from the glyphs it holds.
fn subset_tag(used: &BTreeMap<u16, char>) -> String {
    let mut hash: u32 = 2_166_136_261;
    for gid in used.keys() {
        for byte in gid.to_be_bytes() {
            hash = (hash ^ u32::from(byte)).wrapping_mul(16_777_619);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

/// The `/ToUnicode` CMap: each code (glyph id) to its character in UTF-16BE.
fn to_unicode_cmap(used: &BTreeMap<u16, char>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let _ = write!(out, "<{gid:04X}> <");
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// A PDF text string: UTF-16BE with its byte-order mark, in hex.
fn pdf_text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// Appends `value` with two decimals (or fewer) to a content stream.
pub(super) fn push_number(out: &mut Vec<u8>, value: f32) {
    let hundredths = (f64::from(value) * 100.0).round() as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let abs = hundredths.unsigned_abs();
    push_integer(out, abs / 100);
    let fraction = abs % 100;
    if fraction != 0 {
        out.push(b'.');
        out.push(b'0' + (fraction / 10) as u8);
        if !fraction.is_multiple_of(10) {
            out.push(b'0' + (fraction % 10) as u8);
        }
    }
}

fn push_integer(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut n = 0;
    loop {
        digits[n] = b'0' + (value % 10) as u8;
        n += 1;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend(digits[..n].iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_compress_and_come_back() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for _ in 0..2 {
            let packed = compress(&data);
            let mut back = Vec::new();
            let mut decoder = flate2::read::ZlibDecoder::new(packed.as_slice());
            std::io::Read::read_to_end(&mut decoder, &mut back).unwrap_or_default();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn numbers_are_written_short() {
        let mut out = Vec::new();
        for v in [0.0, 1.0, -2.5, 12.346, 595.2756, 0.05] {
            push_number(&mut out, v);
            out.push(b' ');
        }
        assert_eq!(String::from_utf8_lossy(&out), "0 1 -2.5 12.35 595.28 0.05 ");
    }

    #[test]
    fn the_unicode_map_covers_every_glyph() {
        let mut glyphs = Glyphs::default();
        glyphs.insert(Weight::Regular, 3, 'Қ');
        glyphs.insert(Weight::Regular, 70, 'a');
        let cmap = to_unicode_cmap(&glyphs.used[0]);
        assert!(cmap.contains("<0003> <049A>"), "{cmap}");
        assert!(cmap.contains("<0046> <0061>"), "{cmap}");
    }
}
