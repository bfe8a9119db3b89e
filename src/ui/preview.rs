//! The certificate drawn inside the window before it is printed, from the same fields as the
//! PDF, marked "ОБРАЗЕЦ — не действителен": the officer checks it before using a blank form.

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, Ui, Vec2};

use crate::print::certificate::{
    CAPTION_BODY, CAPTION_HOLDER, CAPTION_SIGNATORY, CertificateSheet, SENTENCE, TITLE,
};
use crate::print::{long_date_ru, qr_modules};

/// Draws the sheet on a page of A4 proportions, `width` points wide.
pub fn certificate_ui(ui: &mut Ui, sheet: &CertificateSheet, width: f32) {
    let height = width * 297.0 / 210.0;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    painter.rect_stroke(
        rect,
        0.0,
        Stroke::new(1.0, Color32::GRAY),
        egui::StrokeKind::Inside,
    );
    let mm = width / 210.0;
    let ink = Color32::from_gray(20);
    let left = rect.left() + 25.0 * mm;
    let text_width = 170.0 * mm;
    let mut y = rect.top() + 22.0 * mm;
    let write = |text: &str, size: f32, center: bool, y: &mut f32| {
        let font = FontId::proportional(size * mm * 0.36);
        let galley = ui.fonts_mut(|f| f.layout(text.to_string(), font, ink, text_width));
        let x = if center {
            rect.left() + 25.0 * mm + (text_width - galley.size().x) / 2.0
        } else {
            left
        };
        let h = galley.size().y;
        painter.galley(Pos2::new(x, *y), galley, ink);
        *y += h + 1.5 * mm;
    };
    write(&sheet.body_name, 13.0, true, &mut y);
    write(CAPTION_BODY, 8.0, true, &mut y);
    y += 8.0 * mm;
    write(TITLE, 15.0, true, &mut y);
    write(
        &format!("№ {} от {}", sheet.number, long_date_ru(sheet.issued_on)),
        13.0,
        true,
        &mut y,
    );
    y += 6.0 * mm;
    write(&format!("Выдана {}", sheet.holder), 13.0, false, &mut y);
    write(CAPTION_HOLDER, 8.0, true, &mut y);
    write(SENTENCE, 12.0, false, &mut y);
    write(
        &format!("{}, отрасль: {}", sheet.profession, sheet.sector),
        13.0,
        false,
        &mut y,
    );
    y += 3.0 * mm;
    write(
        &format!("Основание для выдачи справки {}", sheet.basis),
        12.0,
        false,
        &mut y,
    );
    write(
        &format!(
            "Срок действия справки: с {} по {}",
            long_date_ru(sheet.valid_from),
            long_date_ru(sheet.valid_to)
        ),
        12.0,
        false,
        &mut y,
    );
    y += 14.0 * mm;
    write("М.П.", 12.0, false, &mut y);
    y += 6.0 * mm;
    write(&sheet.signatory_position, 11.0, false, &mut y);
    write(&sheet.signatory_name, 12.0, false, &mut y);
    write(CAPTION_SIGNATORY, 8.0, false, &mut y);
    if let Ok((modules, colors)) = qr_modules(&sheet.qr) {
        let size = 32.0 * mm;
        let cell = size / modules as f32;
        let origin = Pos2::new(
            rect.right() - 15.0 * mm - size,
            rect.bottom() - 22.0 * mm - size,
        );
        for (i, c) in colors.iter().enumerate() {
            if *c == qrcode::Color::Dark {
                let (row, col) = (i / modules, i % modules);
                let min = origin + Vec2::new(col as f32 * cell, row as f32 * cell);
                painter.rect_filled(Rect::from_min_size(min, Vec2::splat(cell)), 0.0, ink);
            }
        }
    }
    let mark = Color32::from_rgba_unmultiplied(200, 40, 40, 90);
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        "ОБРАЗЕЦ — не действителен",
        FontId::proportional(width / 17.0),
        mark,
    );
    if sheet.duplicate {
        painter.text(
            Pos2::new(rect.center().x, rect.top() + 60.0 * mm),
            Align2::CENTER_CENTER,
            "ДУБЛИКАТ",
            FontId::proportional(width / 14.0),
            Color32::from_gray(120),
        );
    }
}
