//! The certificate on the form of Appendix 3 to the Rules.

use std::io::Write;

use chrono::NaiveDate;

use super::pdf::{PdfWriter, compress};
use super::{Align, Glyphs, Layout, PT_PER_MM, PrintError, Weight, fonts, long_date_ru};

/// Everything printed on a certificate (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSheet {
    pub body_name: String,
    pub number: String,
    pub issued_on: NaiveDate,
    pub holder: String,
    pub profession: String,
    pub sector: String,
    pub basis: String,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub signatory_name: String,
    pub signatory_position: String,
    /// What the QR code holds: the link to the body's verification page with the signed payload
    /// in its fragment, or the bare payload while the body has no page (issue 19).
    pub qr: String,
    /// The verification page's address (`https://…/`), said in words under the code.
    pub verify_page: Option<String>,
    pub duplicate: bool,
    /// A preview before the real print: marked "ОБРАЗЕЦ — не действителен".
    pub preview: bool,
}

/// The wording of Appendix 3 (Order No. 426 of 30.12.2025).
pub const TITLE: &str = "Справка о соответствии квалификации для самостоятельного трудоустройства";
pub const SENTENCE: &str = "в том, что он (она) соответствует требованиям квалификации и уровню образования для самостоятельного трудоустройства в Республике Казахстан по следующей профессии, востребованной в приоритетных отраслях экономики:";
/// The captions of Appendix 3, word for word (the order leaves the brackets of the holder's and
/// the profession's captions unclosed; the print closes the profession's, which ends the form's
/// sentence there).
pub const CAPTION_BODY: &str = "(наименование местного исполнительного органа)";
pub const CAPTION_HOLDER: &str = "(фамилия, имя, отчество (при его наличии)";
pub const CAPTION_PROFESSION: &str = "(указывается профессия, востребованная в приоритетных отраслях экономики, отрасль согласно перечню приоритетных отраслей и востребованных в них профессий для самостоятельного трудоустройства иностранцев и лиц без гражданства утверждаемым уполномоченным органом по вопросам миграции населения)";
pub const CAPTION_DATE: &str = "(число, месяц, год)";
pub const CAPTION_SIGNATORY: &str = "(фамилия, имя, отчество (при его наличии) (подпись)";

/// Writes one certificate on the current page of `layout` (starting a new page if the layout
/// already has content).
pub fn certificate_page(layout: &mut Layout, c: &CertificateSheet) -> Result<(), PrintError> {
    let left = layout.margin_left;
    let width = layout.width();
    layout.y = 22.0;
    if c.preview {
        layout.stamp("ОБРАЗЕЦ — не действителен", 150.0, 30.0, 0.82);
    }
    if c.duplicate {
        layout.stamp("ДУБЛИКАТ", 60.0, 26.0, 0.55);
    }
    // The name of the local executive body, on top, centred over its caption.
    layout.paragraph_in(
        &c.body_name,
        13.0,
        Weight::Bold,
        Align::Center,
        left + 20.0,
        width - 40.0,
    );
    let line_y = layout.y + 1.0;
    layout.hline(left + 20.0, left + width - 20.0, line_y);
    layout.space(1.5);
    layout.paragraph_in(
        CAPTION_BODY,
        9.0,
        Weight::Regular,
        Align::Center,
        left,
        width,
    );
    layout.space(12.0);
    layout.paragraph(TITLE, 15.0, Weight::Bold, Align::Center);
    layout.space(6.0);
    layout.paragraph(
        &format!("№ {} от {}", c.number, long_date_ru(c.issued_on)),
        13.0,
        Weight::Regular,
        Align::Center,
    );
    layout.space(10.0);
    layout.paragraph(
        &format!("Выдана {}", c.holder),
        13.0,
        Weight::Regular,
        Align::Left,
    );
    layout.paragraph_in(
        CAPTION_HOLDER,
        9.0,
        Weight::Regular,
        Align::Center,
        left,
        width,
    );
    layout.space(3.0);
    layout.paragraph(SENTENCE, 13.0, Weight::Regular, Align::Left);
    layout.space(3.0);
    layout.paragraph(
        &format!("{}, отрасль: {}", c.profession, c.sector),
        13.0,
        Weight::Bold,
        Align::Left,
    );
    layout.paragraph_in(
        CAPTION_PROFESSION,
        9.0,
        Weight::Regular,
        Align::Center,
        left,
        width,
    );
    layout.space(6.0);
    layout.paragraph(
        &format!("Основание для выдачи справки {}", c.basis),
        13.0,
        Weight::Regular,
        Align::Left,
    );
    layout.space(4.0);
    // «Срок действия справки: с ____ по ____», each date over its caption «(число, месяц, год)».
    let lead = "Срок действия справки: с ";
    let (from, to) = (long_date_ru(c.valid_from), long_date_ru(c.valid_to));
    let y = layout.y + 13.0 * 1.25 / PT_PER_MM * 0.75;
    let from_x = left + layout.text_width(lead, 13.0, Weight::Regular);
    let from_w = layout.text_width(&from, 13.0, Weight::Regular).max(45.0);
    let by_x = from_x + from_w + 2.0;
    let to_x = by_x + layout.text_width("по ", 13.0, Weight::Regular);
    let to_w = layout.text_width(&to, 13.0, Weight::Regular).max(45.0);
    layout.text_at(lead, left, y, 13.0, Weight::Regular);
    layout.text_at(&from, from_x, y, 13.0, Weight::Regular);
    layout.hline(from_x, from_x + from_w, y + 1.0);
    layout.text_at("по", by_x, y, 13.0, Weight::Regular);
    layout.text_at(&to, to_x, y, 13.0, Weight::Regular);
    layout.hline(to_x, to_x + to_w, y + 1.0);
    let caption_y = y + 4.0;
    for (x, w) in [(from_x, from_w), (to_x, to_w)] {
        let cw = layout.text_width(CAPTION_DATE, 9.0, Weight::Regular);
        layout.text_at(
            CAPTION_DATE,
            x + (w - cw) / 2.0,
            caption_y,
            9.0,
            Weight::Regular,
        );
    }
    layout.y = caption_y + 1.0;
    layout.space(18.0);
    layout.paragraph("М.П.", 13.0, Weight::Regular, Align::Left);
    layout.space(10.0);
    layout.paragraph(&c.signatory_position, 12.0, Weight::Regular, Align::Left);
    // The signatory's name and signature on one line, over the order's one caption.
    let y = layout.y + 7.0;
    layout.text_at(&c.signatory_name, left, y, 13.0, Weight::Regular);
    layout.hline(left, left + width * 0.75, y + 1.0);
    layout.y = y + 2.0;
    layout.paragraph_in(
        CAPTION_SIGNATORY,
        9.0,
        Weight::Regular,
        Align::Center,
        left,
        width * 0.75,
    );
    // The signed QR code in the lower right corner.
    let qr_size = 32.0;
    layout.qr(
        &c.qr,
        left + width - qr_size,
        297.0 - 22.0 - qr_size,
        qr_size,
    )?;
    // Where the holder's employer, the police or a bank check the paper, in words (issues 14
    // and 19): right-aligned beside the code, on its lower edge.
    for (i, line) in check_lines(c.verify_page.as_deref()).iter().enumerate() {
        let w = layout.text_width(line, 8.0, Weight::Regular);
        layout.text_at(
            line,
            left + width - qr_size - 3.0 - w,
            297.0 - 27.5 + 3.5 * i as f32,
            8.0,
            Weight::Regular,
        );
    }
    Ok(())
}

/// The two lines beside the QR code: where to check it.
pub fn check_lines(page: Option<&str>) -> [String; 2] {
    match page {
        Some(page) => [
            "Проверка подлинности и статуса: наведите камеру телефона на QR-код —".into(),
            format!("откроется страница проверки справок органа, выдавшего справку: {page}"),
        ],
        None => [
            "QR-код подписан ключом органа, выдавшего справку;".into(),
            "подлинность справки по QR-коду проверяет этот орган".into(),
        ],
    }
}

/// One certificate as a PDF.
pub fn certificate_pdf(c: &CertificateSheet) -> Result<Vec<u8>, PrintError> {
    let mut layout = Layout::new(&format!("Справка № {}", c.number))?;
    certificate_page(&mut layout, c)?;
    layout.finish()
}

/// Many certificates, one per page, as one PDF.
pub fn certificates_pdf(sheets: &[CertificateSheet]) -> Result<Vec<u8>, PrintError> {
    let mut batch = CertificateBatch::new(Vec::new())?;
    batch.add(sheets.to_vec(), |_| {}, || {})?;
    batch.finish()
}

/// A batch of certificates written into one PDF as they come, a chunk at a time: memory holds
/// one chunk's pages, not the file's.
///
/// Each chunk is laid out, finished (`prepare`: signing the QR code's payload) and compressed
/// on the available cores; its pages are written in order. The fonts are subset once, at the
/// end, to the glyphs of every page.
pub struct CertificateBatch<W: Write> {
    writer: PdfWriter<W>,
    glyphs: Glyphs,
}

/// One laid-out certificate: its compressed pages and the glyphs they show.
pub type Rendered = Result<(Vec<Vec<u8>>, Glyphs), PrintError>;

/// Lays out `sheets` (each finished by `prepare` first) and compresses their pages, split
/// between the available cores; the result keeps the order of `sheets`.
pub fn render(
    sheets: Vec<CertificateSheet>,
    prepare: &(impl Fn(&mut CertificateSheet) + Sync),
) -> Vec<Rendered> {
    let one = |mut sheet: CertificateSheet| -> Rendered {
        prepare(&mut sheet);
        let mut layout = Layout::new("")?;
        certificate_page(&mut layout, &sheet)?;
        let (pages, glyphs) = layout.into_pages();
        Ok((pages.iter().map(|p| compress(p)).collect(), glyphs))
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let per_thread = sheets.len().div_ceil(threads).max(1);
    let mut sheets = sheets;
    let mut parts = Vec::new();
    while sheets.len() > per_thread {
        let rest = sheets.split_off(per_thread);
        parts.push(std::mem::replace(&mut sheets, rest));
    }
    parts.push(sheets);
    std::thread::scope(|scope| {
        let one = &one;
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl<W: Write> CertificateBatch<W> {
    pub fn new(out: W) -> Result<Self, PrintError> {
        fonts()?;
        Ok(Self {
            writer: PdfWriter::new(out, "Справки")?,
            glyphs: Glyphs::default(),
        })
    }

    /// Adds `sheets`, one page each, after `prepare` has finished each one; `page_done` is
    /// called as each certificate is written.
    pub fn add(
        &mut self,
        sheets: Vec<CertificateSheet>,
        prepare: impl Fn(&mut CertificateSheet) + Sync,
        page_done: impl FnMut(),
    ) -> Result<(), PrintError> {
        let rendered = render(sheets, &prepare);
        self.write(rendered, page_done)
    }

    /// Writes certificates laid out by [`render`], in their order.
    pub fn write(
        &mut self,
        rendered: Vec<Rendered>,
        mut page_done: impl FnMut(),
    ) -> Result<(), PrintError> {
        for result in rendered {
            let (pages, glyphs) = result?;
            for page in &pages {
                self.writer.page(page)?;
            }
            self.glyphs.merge(&glyphs);
            page_done();
        }
        Ok(())
    }

    /// Writes the fonts and the end of the file.
    pub fn finish(self) -> Result<W, PrintError> {
        Ok(self.writer.finish(fonts()?, &self.glyphs)?)
    }
}
