//! The one place for colours, spacing and font sizes (light, dark, and the large scale of the
//! commission's shared screen).

use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

pub const NOTO_SANS: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
pub const NOTO_SANS_BOLD: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");

/// How urgent a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    OnTime,
    /// Due today or on the next working day.
    DueSoon,
    Overdue,
    Closed,
}

/// Design tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub dark: bool,
    /// 1.0 for the desk; the operator raises it for the shared screen.
    pub scale: f32,
}

impl Default for Theme {
    fn default() -> Self {
        Self {
            dark: false,
            scale: 1.0,
        }
    }
}

impl Theme {
    pub const ROW_HEIGHT: f32 = 24.0;
    pub const SPACING: f32 = 8.0;
    pub const FORM_LABEL_WIDTH: f32 = 265.0;

    pub fn urgency_colour(&self, urgency: Urgency) -> Color32 {
        match (urgency, self.dark) {
            (Urgency::OnTime, false) => Color32::from_rgb(0x1b, 0x7f, 0x3b),
            (Urgency::OnTime, true) => Color32::from_rgb(0x6f, 0xd0, 0x8c),
            (Urgency::DueSoon, false) => Color32::from_rgb(0xb3, 0x6b, 0x00),
            (Urgency::DueSoon, true) => Color32::from_rgb(0xff, 0xc1, 0x4d),
            (Urgency::Overdue, false) => Color32::from_rgb(0xc6, 0x28, 0x28),
            (Urgency::Overdue, true) => Color32::from_rgb(0xff, 0x7a, 0x7a),
            (Urgency::Closed, false) => Color32::from_gray(0x70),
            (Urgency::Closed, true) => Color32::from_gray(0xa0),
        }
    }

    pub fn error_colour(&self) -> Color32 {
        self.urgency_colour(Urgency::Overdue)
    }

    pub fn ok_colour(&self) -> Color32 {
        self.urgency_colour(Urgency::OnTime)
    }

    pub fn muted_colour(&self) -> Color32 {
        self.urgency_colour(Urgency::Closed)
    }

    /// Applies the visuals and text sizes to the context.
    pub fn apply(&self, ctx: &egui::Context) {
        ctx.set_visuals(if self.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        let s = self.scale;
        ctx.all_styles_mut(|style| {
            style.text_styles = [
                (
                    TextStyle::Heading,
                    FontId::new(22.0 * s, FontFamily::Proportional),
                ),
                (
                    TextStyle::Body,
                    FontId::new(15.0 * s, FontFamily::Proportional),
                ),
                (
                    TextStyle::Button,
                    FontId::new(15.0 * s, FontFamily::Proportional),
                ),
                (
                    TextStyle::Small,
                    FontId::new(12.0 * s, FontFamily::Proportional),
                ),
                (
                    TextStyle::Monospace,
                    FontId::new(14.0 * s, FontFamily::Monospace),
                ),
            ]
            .into();
            style.spacing.item_spacing = egui::vec2(Self::SPACING, 6.0 * s);
            style.spacing.interact_size.y = 26.0 * s;
        });
    }
}

/// Noto Sans for the interface: Russian and every Kazakh letter (Ә Ғ Қ Ң Ө Ұ Ү Һ І).
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts
        .font_data
        .insert("noto-sans".into(), FontData::from_static(NOTO_SANS).into());
    fonts.font_data.insert(
        "noto-sans-bold".into(),
        FontData::from_static(NOTO_SANS_BOLD).into(),
    );
    if let Some(family) = fonts.families.get_mut(&FontFamily::Proportional) {
        family.insert(0, "noto-sans".into());
    }
    if let Some(family) = fonts.families.get_mut(&FontFamily::Monospace) {
        family.push("noto-sans".into());
    }
    fonts.families.insert(
        FontFamily::Name("bold".into()),
        vec!["noto-sans-bold".into(), "noto-sans".into()],
    );
    ctx.set_fonts(fonts);
}
