//! Printed documents with printpdf: the certificate (Appendix 3), the application (Appendix 1),
//! the motivated refusal and the commission's protocol.
//!
//! [`Layout`] is a small page writer: A4 pages, Liberation Serif (metric-compatible with Times
//! New Roman, every Kazakh letter), text measured with the font's own advances, wrapped to the
//! width, flowed onto new pages, and "стр. N из M" added when the document is finished. Fonts are
//! subset into each file (printpdf's `text_layout`).

pub mod certificate;
pub mod documents;
pub mod protocol;
pub mod report;

use std::sync::OnceLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

pub const SERIF: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
pub const SERIF_BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The parsed fonts, once per process (parsing a TTF takes milliseconds; a batch prints
/// thousands of pages).
fn fonts() -> Option<&'static (ParsedFont, ParsedFont)> {
    static FONTS: OnceLock<Option<(ParsedFont, ParsedFont)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            let regular = ParsedFont::from_bytes(SERIF, 0, &mut warnings)?;
            let bold = ParsedFont::from_bytes(SERIF_BOLD, 0, &mut warnings)?;
            Some((regular, bold))
        })
        .as_ref()
}

/// A document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the printing font cannot be read")]
    Font,
    #[error("the QR code cannot be made: {0}")]
    Qr(String),
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
pub struct Layout {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    fonts: &'static (ParsedFont, ParsedFont),
    pages: Vec<Vec<Op>>,
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
        let fonts = fonts().ok_or(PrintError::Font)?;
        let mut doc = PdfDocument::new(title);
        let regular = doc.add_font(&fonts.0);
        let bold = doc.add_font(&fonts.1);
        Ok(Self {
            doc,
            regular,
            bold,
            fonts,
            pages: vec![Vec::new()],
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

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.margin_top;
    }

    /// Starts a new page unless `height` mm still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.y + height > PAGE_H - self.margin_bottom {
            self.new_page();
        }
    }

    fn font(&self, weight: Weight) -> &ParsedFont {
        match weight {
            Weight::Regular => &self.fonts.0,
            Weight::Bold => &self.fonts.1,
        }
    }

    /// The width of `text` in mm at `size` pt.
    pub fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let font = self.font(weight);
        let units = f32::from(font.font_metrics.units_per_em.max(1));
        let advance: f32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .map_or(units / 2.0, |gid| {
                        f32::from(font.get_horizontal_advance(gid))
                    })
            })
            .sum();
        advance / units * size / PT_PER_MM
    }

    /// Splits `text` into lines no wider than `width` mm (words are kept whole unless one
    /// alone is wider than the line).
    pub fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if line.is_empty() || self.text_width(&candidate, size, weight) <= width {
                    line = candidate;
                } else {
                    lines.push(std::mem::take(&mut line));
                    line = word.to_string();
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Writes one line at (`x`, `y` from the top) in mm.
    pub fn text_at(&mut self, text: &str, x: f32, y: f32, size: f32, weight: Weight) {
        let font = match weight {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        };
        let pos = Point {
            x: Pt(x * PT_PER_MM),
            y: Pt((PAGE_H - y) * PT_PER_MM),
        };
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font),
            size: Pt(size),
        });
        ops.push(Op::SetTextCursor { pos });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
        ops.push(Op::EndTextSection);
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
        let point = |x: f32| LinePoint {
            p: Point {
                x: Pt(x * PT_PER_MM),
                y: Pt((PAGE_H - y) * PT_PER_MM),
            },
            bezier: false,
        };
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![point(x1), point(x2)],
                is_closed: false,
            },
        });
    }

    /// A filled black rectangle `w` × `h` mm with its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let rect = Rect {
            x: Pt(x * PT_PER_MM),
            y: Pt((PAGE_H - y - h) * PT_PER_MM),
            width: Pt(w * PT_PER_MM),
            height: Pt(h * PT_PER_MM),
            mode: Some(PaintMode::Fill),
            winding_order: None,
        };
        self.ops().push(Op::DrawRectangle { rectangle: rect });
    }

    /// Large grey text across the page: "ОБРАЗЕЦ — не действителен", "ДУБЛИКАТ".
    pub fn stamp(&mut self, text: &str, y: f32, size: f32, grey: f32) {
        let w = self.text_width(text, size, Weight::Bold);
        let x = (PAGE_W - w) / 2.0;
        self.ops().push(Op::SetFillColor {
            col: Color::Rgb(Rgb {
                r: grey,
                g: grey,
                b: grey,
                icc_profile: None,
            }),
        });
        self.text_at(text, x, y, size, Weight::Bold);
        self.ops().push(Op::SetFillColor {
            col: Color::Rgb(Rgb {
                r: 0.0,
                g: 0.0,
                b: 0.0,
                icc_profile: None,
            }),
        });
    }

    /// Draws `data` as a QR code with its top-left corner at (`x`, `y`), `size` mm wide.
    pub fn qr(&mut self, data: &str, x: f32, y: f32, size: f32) -> Result<(), PrintError> {
        let (width, colors) = qr_modules(data)?;
        let module = size / width as f32;
        // One rectangle per horizontal run of dark modules: a few hundred operations a code
        // instead of one per module, which matters when a batch prints a thousand pages.
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
                self.rect(
                    x + start as f32 * module,
                    y + row as f32 * module,
                    (col - start) as f32 * module,
                    module * 1.02,
                );
            }
        }
        Ok(())
    }

    /// Adds the page numbers and serialises the document.
    pub fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        if let Some(template) = self.page_numbers.take() {
            for index in 0..total {
                let text = template
                    .replace("{page}", &(index + 1).to_string())
                    .replace("{pages}", &total.to_string());
                let w = self.text_width(&text, 10.0, Weight::Regular);
                let font = self.regular.clone();
                let pos = Point {
                    x: Pt((PAGE_W - self.margin_right - w) * PT_PER_MM),
                    y: Pt(10.0 * PT_PER_MM),
                };
                let ops = &mut self.pages[index];
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font),
                    size: Pt(10.0),
                });
                ops.push(Op::SetTextCursor { pos });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text)],
                });
                ops.push(Op::EndTextSection);
            }
        }
        let pages: Vec<PdfPage> = self
            .pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
            .collect();
        let mut warnings = Vec::new();
        self.doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings)
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
