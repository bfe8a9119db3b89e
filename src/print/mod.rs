//! Printed documents: the certificate (Appendix 3), the application (Appendix 1), the motivated
//! refusal and the commission's protocol.
//!
//! [`Layout`] is a small page writer: A4 pages, Liberation Serif (metric-compatible with Times
//! New Roman, every Kazakh letter), text measured with the font's own advances, wrapped to the
//! width, flowed onto new pages, and "стр. N из M" added when the document is finished. Each page
//! is a PDF content stream as it is laid out; [`pdf`] writes the file, with the fonts subset
//! once per file (printpdf parses the fonts and subsets them; it no longer builds the document:
//! its whole-document model kept every page of a batch in memory twice over, 140 KB a page).

pub mod certificate;
pub mod documents;
pub mod pdf;
pub mod protocol;
pub mod report;

use std::sync::OnceLock;

use printpdf::ParsedFont;

pub use pdf::Glyphs;

pub const SERIF: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
pub const SERIF_BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");

/// The Russian form of a noun after the whole number `n`, by the CLDR plural rules the window's
/// Fluent tables use (one, few, many): «1 балл», «2 балла», «5 баллов», «11 баллов», «21 балл».
pub fn ru_plural<'a>(n: i64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    static RULES: OnceLock<Option<PluralRules>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        let ru: unic_langid::LanguageIdentifier = "ru".parse().ok()?;
        PluralRules::create(ru, PluralRuleType::CARDINAL).ok()
    });
    match rules.as_ref().and_then(|r| r.select(n).ok()) {
        Some(PluralCategory::ONE) => one,
        Some(PluralCategory::FEW) => few,
        _ => many,
    }
}

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// The characters whose glyph and advance are looked up once, when the font is parsed: Latin,
/// its accented letters and Cyrillic with the Kazakh letters (U+0000–U+052F).
const TABLE_CHARS: u32 = 0x530;

/// One weight of the printing font: parsed once per process, with its common glyphs at hand.
pub struct Face {
    parsed: ParsedFont,
    /// (glyph id, advance) of the characters below [`TABLE_CHARS`]; glyph 0 when missing.
    table: Vec<(u16, u16)>,
    units: f32,
}

impl Face {
    fn new(bytes: &[u8]) -> Option<Self> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)?;
        let table = (0..TABLE_CHARS)
            .map(|c| match parsed.lookup_glyph_index(c) {
                Some(gid) => (gid, parsed.get_horizontal_advance(gid)),
                None => (0, 0),
            })
            .collect();
        let units = f32::from(parsed.font_metrics.units_per_em.max(1));
        Some(Self {
            parsed,
            table,
            units,
        })
    }

    /// The glyph of `c`, if the font has one.
    fn glyph(&self, c: char) -> Option<u16> {
        match self.table.get(c as usize) {
            Some((0, _)) => None,
            Some((gid, _)) => Some(*gid),
            None => self.parsed.lookup_glyph_index(c as u32),
        }
    }

    /// The advance of `c` in font units (half an em for a character the font lacks).
    fn advance(&self, c: char) -> f32 {
        match self.table.get(c as usize) {
            Some((0, _)) => self.units / 2.0,
            Some((_, advance)) => f32::from(*advance),
            None => self
                .parsed
                .lookup_glyph_index(c as u32)
                .map_or(self.units / 2.0, |gid| {
                    f32::from(self.parsed.get_horizontal_advance(gid))
                }),
        }
    }
}

/// The regular and the bold face.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// The parsed fonts, once per process (parsing a TTF takes milliseconds; a batch prints
/// thousands of pages).
pub fn fonts() -> Result<&'static Fonts, PrintError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: Face::new(SERIF)?,
                bold: Face::new(SERIF_BOLD)?,
            })
        })
        .as_ref()
        .ok_or(PrintError::Font)
}

/// A document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the printing font cannot be read")]
    Font,
    #[error("the QR code cannot be made: {0}")]
    Qr(String),
    #[error("the document cannot be written: {0}")]
    Write(#[from] std::io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A page writer: the cursor moves down; a new page starts when the next block does not fit.
///
/// Pages are PDF content streams, written as they are laid out; [`Layout::finish`] makes
/// the file, and [`Layout::into_pages`] hands the pages to a writer that puts many documents
/// into one file (the batch of certificates).
pub struct Layout {
    title: String,
    fonts: &'static Fonts,
    pages: Vec<Vec<u8>>,
    glyphs: Glyphs,
    /// Distance from the top of the page, in mm.
    pub y: f32,
    pub margin_left: f32,
    pub margin_right: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// Text added under every page's bottom, e.g. "стр. {page} из {pages}".
    page_numbers: Option<String>,
}

impl Layout {
    pub fn new(title: &str) -> Result<Self, PrintError> {
        Ok(Self {
            title: title.to_string(),
            fonts: fonts()?,
            pages: vec![Vec::with_capacity(8 * 1024)],
            glyphs: Glyphs::default(),
            y: 20.0,
            margin_left: 25.0,
            margin_right: 15.0,
            margin_top: 20.0,
            margin_bottom: 20.0,
            page_numbers: None,
        })
    }

    /// Number the pages with `template`, where `{page}` and `{pages}` are replaced.
    pub fn number_pages(&mut self, template: &str) {
        self.page_numbers = Some(template.to_string());
    }

    pub fn width(&self) -> f32 {
        PAGE_W - self.margin_left - self.margin_right
    }

    fn ops(&mut self) -> &mut Vec<u8> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::with_capacity(8 * 1024));
        self.y = self.margin_top;
    }

    /// Starts a new page unless `height` mm still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.y + height > PAGE_H - self.margin_bottom {
            self.new_page();
        }
    }

    /// The width of `text` in mm at `size` pt.
    pub fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let face = self.fonts.face(weight);
        let advance: f32 = text.chars().map(|c| face.advance(c)).sum();
        advance / face.units * size / PT_PER_MM
    }

    /// Splits `text` into lines no wider than `width` mm (words are kept whole unless one
    /// alone is wider than the line).
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let face = self.fonts.face(weight);
        let units = |s: &str| -> f32 { s.chars().map(|c| face.advance(c)).sum() };
        let to_mm = |advance: f32| advance / face.units * size / PT_PER_MM;
        let space = face.advance(' ');
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            // The advance of `line`, in font units: sums of whole units are exact in f32, so
            // adding word by word measures what measuring the whole line would.
            let mut advance = 0.0;
            for word in paragraph.split_whitespace() {
                let word_advance = units(word);
                if line.is_empty() {
                    line.push_str(word);
                    advance = word_advance;
                } else if to_mm(advance + space + word_advance) <= width {
                    line.push(' ');
                    line.push_str(word);
                    advance += space + word_advance;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line.push_str(word);
                    advance = word_advance;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Writes one line at (`x`, `y` from the top) in mm.
    pub fn text_at(&mut self, text: &str, x: f32, y: f32, size: f32, weight: Weight) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let face = self.fonts.face(weight);
        let mut codes = Vec::with_capacity(text.len() * 4 + 64);
        codes.extend_from_slice(b"BT ");
        codes.extend_from_slice(pdf::font_name(weight).as_bytes());
        codes.push(b' ');
        pdf::push_number(&mut codes, size);
        codes.extend_from_slice(b" Tf ");
        pdf::push_number(&mut codes, x * PT_PER_MM);
        codes.push(b' ');
        pdf::push_number(&mut codes, (PAGE_H - y) * PT_PER_MM);
        codes.extend_from_slice(b" Td <");
        for c in text.chars() {
            let gid = face.glyph(c).unwrap_or(0);
            self.glyphs.insert(weight, gid, c);
            for byte in gid.to_be_bytes() {
                codes.push(HEX[usize::from(byte >> 4)]);
                codes.push(HEX[usize::from(byte & 15)]);
            }
        }
        codes.extend_from_slice(b"> Tj ET\n");
        self.ops().extend_from_slice(&codes);
    }

    /// A wrapped paragraph at the cursor; moves the cursor below it.
    pub fn paragraph(&mut self, text: &str, size: f32, weight: Weight, align: Align) {
        self.paragraph_in(text, size, weight, align, self.margin_left, self.width());
    }

    /// A wrapped paragraph in a column starting at `x` mm, `width` mm wide.
    pub fn paragraph_in(
        &mut self,
        text: &str,
        size: f32,
        weight: Weight,
        align: Align,
        x: f32,
        width: f32,
    ) {
        let line_height = size * 1.25 / PT_PER_MM;
        for line in self.wrap(text, size, weight, width) {
            self.keep(line_height);
            self.y += line_height;
            let w = self.text_width(&line, size, weight);
            let at = match align {
                Align::Left => x,
                Align::Center => x + (width - w) / 2.0,
                Align::Right => x + width - w,
            };
            let y = self.y - line_height * 0.25;
            self.text_at(&line, at, y, size, weight);
        }
    }

    /// The height in mm that `paragraph_in` would take.
    pub fn paragraph_height(&self, text: &str, size: f32, weight: Weight, width: f32) -> f32 {
        self.wrap(text, size, weight, width).len() as f32 * size * 1.25 / PT_PER_MM
    }

    pub fn space(&mut self, mm: f32) {
        self.y += mm;
    }

    /// A horizontal line from `x1` to `x2` at `y` (mm from the top).
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32) {
        let ops = self.ops();
        ops.extend_from_slice(b"0.6 w ");
        for (x, op) in [(x1, b" m " as &[u8]), (x2, b" l S\n")] {
            pdf::push_number(ops, x * PT_PER_MM);
            ops.push(b' ');
            pdf::push_number(ops, (PAGE_H - y) * PT_PER_MM);
            ops.extend_from_slice(op);
        }
    }

    /// A rectangle path `w` × `h` mm with its top-left corner at (`x`, `y`), not yet filled.
    fn rect_path(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let ops = self.ops();
        for (i, v) in [x, PAGE_H - y - h, w, h].into_iter().enumerate() {
            if i > 0 {
                ops.push(b' ');
            }
            pdf::push_number(ops, v * PT_PER_MM);
        }
        ops.extend_from_slice(b" re\n");
    }

    /// A filled black rectangle `w` × `h` mm with its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.rect_path(x, y, w, h);
        self.ops().extend_from_slice(b"f\n");
    }

    /// Large grey text across the page: "ОБРАЗЕЦ — не действителен", "ДУБЛИКАТ".
    pub fn stamp(&mut self, text: &str, y: f32, size: f32, grey: f32) {
        let w = self.text_width(text, size, Weight::Bold);
        let x = (PAGE_W - w) / 2.0;
        let ops = self.ops();
        pdf::push_number(ops, grey);
        ops.extend_from_slice(b" g\n");
        self.text_at(text, x, y, size, Weight::Bold);
        self.ops().extend_from_slice(b"0 g\n");
    }

    /// Draws `data` as a QR code with its top-left corner at (`x`, `y`), `size` mm wide.
    pub fn qr(&mut self, data: &str, x: f32, y: f32, size: f32) -> Result<(), PrintError> {
        let (width, colors) = qr_modules(data)?;
        let module = size / width as f32 * PT_PER_MM;
        // In the code's own grid (one unit a module, rows counted down from the top), one
        // rectangle per horizontal run of dark modules, all filled at once: a few hundred
        // short operations a code.
        let ops = self.ops();
        ops.extend_from_slice(b"q ");
        for v in [
            module,
            0.0,
            0.0,
            -module,
            x * PT_PER_MM,
            (PAGE_H - y) * PT_PER_MM,
        ] {
            pdf::push_number(ops, v);
            ops.push(b' ');
        }
        ops.extend_from_slice(b"cm\n");
        for (row, line) in colors.chunks(width).enumerate() {
            let mut col = 0;
            while col < width {
                if line[col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && line[col] == qrcode::Color::Dark {
                    col += 1;
                }
                // A hair taller than a module, so that neighbouring rows leave no seams.
                for v in [start, row, col - start] {
                    pdf::push_number(ops, v as f32);
                    ops.push(b' ');
                }
                ops.extend_from_slice(b"1.02 re\n");
            }
        }
        ops.extend_from_slice(b"f Q\n");
        Ok(())
    }

    /// Adds the page numbers, if asked for.
    fn number(&mut self) {
        let total = self.pages.len();
        if let Some(template) = self.page_numbers.take() {
            for index in 0..total {
                let text = template
                    .replace("{page}", &(index + 1).to_string())
                    .replace("{pages}", &total.to_string());
                let w = self.text_width(&text, 10.0, Weight::Regular);
                // `text_at` writes on the last page: move this one there for a moment.
                let last = self.pages.len() - 1;
                self.pages.swap(index, last);
                let y = PAGE_H - 10.0;
                self.text_at(
                    &text,
                    PAGE_W - self.margin_right - w,
                    y,
                    10.0,
                    Weight::Regular,
                );
                self.pages.swap(index, last);
            }
        }
    }

    /// The content streams of the pages (numbered) and the glyphs they show, for
    /// [`pdf::PdfWriter`].
    pub fn into_pages(mut self) -> (Vec<Vec<u8>>, Glyphs) {
        self.number();
        (self.pages, self.glyphs)
    }

    /// Adds the page numbers and serialises the document.
    pub fn finish(self) -> Result<Vec<u8>, PrintError> {
        let fonts = self.fonts;
        let title = self.title.clone();
        let (pages, glyphs) = self.into_pages();
        let mut writer = pdf::PdfWriter::new(Vec::with_capacity(64 * 1024), &title)?;
        for page in &pages {
            writer.page(&pdf::compress(page))?;
        }
        Ok(writer.finish(fonts, &glyphs)?)
    }

    /// The number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

/// The modules of a QR code (level M) for `data`, with a fixed mask.
///
/// The qrcode crate's own constructor tries all eight masks and scores each for readability,
/// which was a third of the time of a batch print; every mask is valid by the standard, and
/// the checkerboard one reads well on a printed page, so this builds the code through the crate's
/// own lower-level steps with that mask.
pub fn qr_modules(data: &str) -> Result<(usize, Vec<qrcode::Color>), PrintError> {
    use qrcode::EcLevel;
    let qr = |e: qrcode::types::QrError| PrintError::Qr(e.to_string());
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M).map_err(qr)?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).map_err(qr)?;
    let mut canvas = qrcode::canvas::Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(qrcode::canvas::MaskPattern::Checkerboard);
    Ok((version.width() as usize, canvas.into_colors()))
}

/// "«25» ноября 2026 г." — a date as Kazakh official forms write it in Russian.
pub fn long_date_ru(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    format!(
        "«{:02}» {} {} г.",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// "«25» ноября 2026 года" — the date as Appendix 1 writes it («20 _ года»).
pub fn long_date_ru_year(date: chrono::NaiveDate) -> String {
    let short = long_date_ru(date);
    format!("{}года", short.trim_end_matches("г."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_link_to_the_verification_page_keeps_modules_of_half_a_millimetre() {
        // Issue 19: the code printed 32 mm wide holds the link with the payload in its fragment
        // (a long body address, three initials): version 10, 57 modules, 0.56 mm a module, which
        // a phone's camera reads (zbarimg reads it from a 100 dpi rendering); the bare code it
        // replaces is version 9 (53 modules, 0.60 mm).
        let payload = "S2|97db95a2d8e1bd46|00066/2026|Қ.А.Н.|2026-11-20|2026-11-20|2027-02-19|6cJp4AeRCT6Z_0sxbB-eKYZG3t_KpWnNbXOGMwNYXSSy5xy6XTg_3HvhcrcpT-_xordsA_hbYFdBDoXRTf9sCw";
        let link = crate::domain::verifier::qr_text(Some("akimat.almaty.gov.kz/spravka"), payload);
        let (with_link, _) = qr_modules(&link).unwrap_or_else(|e| panic!("{e}"));
        let (bare, _) = qr_modules(payload).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            with_link <= 57,
            "{with_link} modules for {} bytes",
            link.len()
        );
        assert!(bare <= 53, "{bare}");
        eprintln!(
            "QR: bare {bare} modules, with the link {with_link} ({} bytes)",
            link.len()
        );
    }

    #[test]
    fn printed_russian_plurals_follow_the_cldr_rules() {
        let forms: Vec<String> = [1, 2, 5, 11, 21, 22, 0, 14, 101, 112]
            .iter()
            .map(|&n| format!("{n} {}", ru_plural(n, "балл", "балла", "баллов")))
            .collect();
        assert_eq!(
            forms,
            [
                "1 балл",
                "2 балла",
                "5 баллов",
                "11 баллов",
                "21 балл",
                "22 балла",
                "0 баллов",
                "14 баллов",
                "101 балл",
                "112 баллов"
            ]
        );
    }

    #[test]
    fn text_is_measured_and_wrapped() {
        let layout = Layout::new("t").unwrap_or_else(|e| panic!("{e}"));
        let narrow = layout.text_width("ііі", 12.0, Weight::Regular);
        let wide = layout.text_width("ШШШ", 12.0, Weight::Regular);
        assert!(wide > narrow * 2.0, "{wide} {narrow}");
        let lines = layout.wrap(
            "Өтініш беруші Қасымқызы Айгерім Нұрланқызы",
            12.0,
            Weight::Regular,
            40.0,
        );
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| layout.text_width(l, 12.0, Weight::Regular) <= 40.0 || !l.contains(' '))
        );
        assert_eq!(
            lines.join(" "),
            "Өтініш беруші Қасымқызы Айгерім Нұрланқызы"
        );
    }

    #[test]
    fn the_qr_code_is_the_crates_own_but_for_the_mask() {
        // The same version and size as the crate's best-mask code; only the mask differs.
        let data = "S1|00001/2026|Қ.А.|2026-11-25|2026-11-25|2027-02-24|signature";
        let (width, modules) = qr_modules(data).unwrap_or_else(|e| panic!("{e}"));
        let reference =
            qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(width, reference.width());
        assert_eq!(modules.len(), width * width);
        // The finder pattern in the top-left corner is dark on its outer ring.
        assert!((0..7).all(|i| modules[i] == qrcode::Color::Dark));
    }

    #[test]
    fn dates_in_words() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap_or_default();
        assert_eq!(long_date_ru(d), "«05» ноября 2026 г.");
        assert_eq!(long_date_ru_year(d), "«05» ноября 2026 года");
    }
}
