//! The administrator's working calendar (SPEC §3): per year the holidays as the rules compute
//! them, the first day of Kurban Ait, the decree's transfers with the decree's number and date,
//! and a month grid where the days off stand out. Saving recomputes the open deadlines.

use chrono::{Datelike, NaiveDate};
use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets;
use crate::domain::calendar::{Calendar, DatedNote, DayReason, YearData};

/// What the calendar section asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarAction {
    /// Store the year's data and recompute the deadlines of the open applications.
    Save(YearData),
}

/// An application whose deadline the last save moved: number, old and new deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedRow {
    pub number: String,
    pub old: Option<NaiveDate>,
    pub new: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct CalendarScreen {
    /// The data stored in the database, one entry per year.
    pub stored: Vec<YearData>,
    /// The year being edited.
    pub year: i32,
    /// The Kurban Ait date as typed (DD.MM.YYYY), kept when it does not parse.
    pub kurban: String,
    pub kurban_expected: bool,
    pub days_off: Vec<DatedNote>,
    pub working_days: Vec<DatedNote>,
    /// The transfer being added.
    pub new_date: String,
    pub new_note: String,
    pub new_working: bool,
    /// The year typed in «add a year».
    pub new_year: String,
    pub error: Option<String>,
    /// (ok, text) of the last action: App::collect_messages moves it to the status bar.
    pub message: Option<(bool, String)>,
    pub moved: Vec<MovedRow>,
    /// The calendar the preview draws, with the year data it was built from: rebuilt when the
    /// form changes, not every frame.
    preview: Option<(YearData, Calendar)>,
}

impl CalendarScreen {
    /// The screen on `year` (today's year when opened).
    pub fn new(stored: Vec<YearData>, year: i32) -> Self {
        let mut screen = Self {
            stored,
            year,
            kurban: String::new(),
            kurban_expected: false,
            days_off: Vec::new(),
            working_days: Vec::new(),
            new_date: String::new(),
            new_note: String::new(),
            new_working: true,
            new_year: String::new(),
            error: None,
            message: None,
            moved: Vec::new(),
            preview: None,
        };
        screen.select(year);
        screen
    }

    /// Loads the stored data of `year` into the form (empty if the year has none).
    pub fn select(&mut self, year: i32) {
        let data = self
            .stored
            .iter()
            .find(|y| y.year == year)
            .cloned()
            .unwrap_or_else(|| YearData::empty(year));
        self.year = year;
        self.kurban = data.kurban_ait.map(widgets::date).unwrap_or_default();
        self.kurban_expected = data.kurban_ait_expected;
        self.days_off = data.days_off;
        self.working_days = data.working_days;
        self.error = None;
    }

    /// The form as year data, or the message for the Kurban Ait date that does not parse or
    /// lies in another year.
    fn data(&self, tr: &Tr) -> Result<YearData, String> {
        let kurban_ait = if self.kurban.trim().is_empty() {
            None
        } else {
            match widgets::parse_date(&self.kurban) {
                Some(d) if d.year() == self.year => Some(d),
                Some(_) => return Err(tr.f("calendar.not_in_year", &[&self.year.to_string()])),
                None => return Err(tr.t("calendar.bad_date").into()),
            }
        };
        Ok(YearData {
            year: self.year,
            kurban_ait,
            kurban_ait_expected: self.kurban_expected && kurban_ait.is_some(),
            days_off: self.days_off.clone(),
            working_days: self.working_days.clone(),
        })
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<CalendarAction> {
        let mut action = None;
        ui.label(RichText::new(tr.t("calendar.title")).strong());
        self.year_picker_ui(ui, tr);
        ui.separator();
        let kurban_error = self.kurban_error(tr);
        widgets::text_field_ui(
            ui,
            tr.t("calendar.kurban_ait"),
            &mut self.kurban,
            kurban_error,
            theme,
        );
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            ui.checkbox(&mut self.kurban_expected, tr.t("calendar.expected"));
        });
        ui.add_space(Theme::SPACING);
        self.transfers_ui(ui, tr, theme);
        ui.add_space(Theme::SPACING);
        ui.horizontal(|ui| {
            if ui.button(tr.t("calendar.save")).clicked() {
                match self.data(tr) {
                    Ok(data) => action = Some(CalendarAction::Save(data)),
                    Err(e) => self.message = Some((false, e)),
                }
            }
        });
        for row in &self.moved {
            let show = |d: Option<NaiveDate>| d.map_or_else(|| "—".into(), widgets::date);
            ui.label(tr.f(
                "calendar.moved_row",
                &[&row.number, &show(row.old), &show(row.new)],
            ));
        }
        ui.separator();
        // The preview follows the form: what the rules compute with the data as typed.
        let typed = YearData {
            kurban_ait: widgets::parse_date(&self.kurban).filter(|d| d.year() == self.year),
            ..self.data(tr).unwrap_or_else(|_| YearData {
                days_off: self.days_off.clone(),
                working_days: self.working_days.clone(),
                ..YearData::empty(self.year)
            })
        };
        if self.preview.as_ref().is_none_or(|(data, _)| *data != typed) {
            let calendar = Calendar::new([typed.clone()]);
            self.preview = Some((typed, calendar));
        }
        let Some((_, preview)) = &self.preview else {
            return action;
        };
        let year = self.year;
        ui.columns(2, |columns| {
            holidays_ui(&mut columns[0], tr, preview, year);
            months_ui(&mut columns[1], tr, theme, preview, year);
        });
        action
    }

    fn kurban_error(&self, tr: &Tr) -> Option<String> {
        if self.kurban.trim().is_empty() {
            return None;
        }
        self.data(tr).err()
    }

    fn year_picker_ui(&mut self, ui: &mut Ui, tr: &Tr) {
        ui.horizontal_wrapped(|ui| {
            ui.label(tr.t("calendar.year"));
            let mut years: Vec<i32> = self.stored.iter().map(|y| y.year).collect();
            if !years.contains(&self.year) {
                years.push(self.year);
            }
            years.sort_unstable();
            for year in years {
                if ui
                    .selectable_label(year == self.year, year.to_string())
                    .clicked()
                    && year != self.year
                {
                    self.select(year);
                    self.message = None;
                    self.moved.clear();
                }
            }
            ui.separator();
            let field = ui.add(egui::TextEdit::singleline(&mut self.new_year).desired_width(60.0));
            let add = ui.button(tr.t("calendar.add_year"));
            field.labelled_by(add.id);
            if add.clicked() {
                match self.new_year.trim().parse::<i32>() {
                    Ok(year)
                        if (crate::domain::calendar::FIRST_YEAR
                            ..=crate::domain::calendar::LAST_YEAR)
                            .contains(&year) =>
                    {
                        self.select(year);
                        self.new_year.clear();
                        self.message = None;
                        self.moved.clear();
                    }
                    _ => self.message = Some((false, tr.t("calendar.bad_year").into())),
                }
            }
        });
    }

    fn transfers_ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) {
        ui.label(RichText::new(tr.t("calendar.transfers")).strong());
        let mut remove = None;
        egui::Grid::new("calendar_transfers")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                let rows = self
                    .days_off
                    .iter()
                    .map(|e| (e, false))
                    .chain(self.working_days.iter().map(|e| (e, true)));
                for (entry, working) in rows {
                    ui.label(widgets::date(entry.date));
                    ui.label(tr.t(if working {
                        "calendar.working_day"
                    } else {
                        "calendar.day_off"
                    }));
                    ui.label(&entry.note);
                    if ui.small_button(tr.t("calendar.remove")).clicked() {
                        remove = Some((entry.date, working));
                    }
                    ui.end_row();
                }
            });
        if let Some((date, working)) = remove {
            let list = if working {
                &mut self.working_days
            } else {
                &mut self.days_off
            };
            list.retain(|e| e.date != date);
        }
        widgets::text_field_ui(
            ui,
            tr.t("calendar.transfer_date"),
            &mut self.new_date,
            self.error.clone(),
            theme,
        );
        widgets::text_field_ui(ui, tr.t("calendar.decree"), &mut self.new_note, None, theme);
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            ui.radio_value(&mut self.new_working, true, tr.t("calendar.working_day"));
            ui.radio_value(&mut self.new_working, false, tr.t("calendar.day_off"));
            if ui.button(tr.t("calendar.add_transfer")).clicked() {
                self.add_transfer(tr);
            }
        });
    }

    fn add_transfer(&mut self, tr: &Tr) {
        let Some(date) = widgets::parse_date(&self.new_date) else {
            self.error = Some(tr.t("calendar.bad_date").into());
            return;
        };
        if date.year() != self.year {
            self.error = Some(tr.f("calendar.not_in_year", &[&self.year.to_string()]));
            return;
        }
        // One entry per date: a new one replaces what the date had.
        self.days_off.retain(|e| e.date != date);
        self.working_days.retain(|e| e.date != date);
        let entry = DatedNote {
            date,
            note: self.new_note.trim().to_string(),
        };
        let list = if self.new_working {
            &mut self.working_days
        } else {
            &mut self.days_off
        };
        list.push(entry);
        list.sort_by_key(|e| e.date);
        self.new_date.clear();
        self.new_note.clear();
        self.error = None;
    }
}

/// Every day of the year that is not a plain weekday or weekend, with the reason.
fn special_days(calendar: &Calendar, year: i32) -> Vec<(NaiveDate, DayReason)> {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|d| d.year() == year)
        .map(|d| calendar.day(d))
        .filter(|info| !matches!(info.reason, DayReason::Weekday | DayReason::Weekend(_)))
        .map(|info| (info.date, info.reason))
        .collect()
}

fn holidays_ui(ui: &mut Ui, tr: &Tr, calendar: &Calendar, year: i32) {
    ui.label(RichText::new(tr.t("calendar.holidays")).strong());
    // The decree's transfers are listed above, with their notes.
    let holidays = special_days(calendar, year).into_iter().filter(|(_, r)| {
        matches!(
            r,
            DayReason::Holiday { .. } | DayReason::MovedHoliday { .. }
        )
    });
    for (date, reason) in holidays {
        ui.horizontal(|ui| {
            ui.label(widgets::date(date));
            let text = widgets::day_reason(tr, &reason);
            ui.add(egui::Label::new(text.as_str()).truncate())
                .on_hover_text(text);
        });
    }
}

/// The weeks of a month, Monday first; `None` pads the first and last week.
pub fn month_weeks(year: i32, month: u32) -> Vec<[Option<NaiveDate>; 7]> {
    let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
        return Vec::new();
    };
    let mut weeks = Vec::new();
    let mut week = [None; 7];
    for day in first.iter_days().take_while(|d| d.month() == month) {
        let column = day.weekday().num_days_from_monday() as usize;
        week[column] = Some(day);
        if column == 6 {
            weeks.push(week);
            week = [None; 7];
        }
    }
    if week.iter().any(Option::is_some) {
        weeks.push(week);
    }
    weeks
}

const MONTHS: [&str; 12] = [
    "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
    "month.9", "month.10", "month.11", "month.12",
];

fn months_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, calendar: &Calendar, year: i32) {
    ui.label(RichText::new(tr.t("calendar.months")).strong());
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr.t("calendar.legend_off")).color(theme.error_colour()));
        ui.label(RichText::new(tr.t("calendar.legend_weekend")).color(theme.muted_colour()));
        ui.label(RichText::new(tr.t("calendar.legend_working")).color(theme.ok_colour()));
    });
    // As many months in a row as the half window holds (issue 14: the fourth month was cut at
    // the right edge at 1280 px): a month is seven day columns of the widest day or weekday.
    let gap = 18.0;
    let cell = tr
        .t("calendar.weekdays")
        .split_whitespace()
        .chain(["30"])
        .map(|t| widgets::text_width(ui, t))
        .fold(18.0, f32::max);
    let month_width = 7.0 * cell + 6.0 * 4.0;
    let per_row =
        (((ui.available_width() + gap) / (month_width + gap)).floor() as usize).clamp(1, 4);
    egui::Grid::new("calendar_months")
        .spacing(egui::vec2(gap, 12.0))
        .show(ui, |ui| {
            for (i, key) in MONTHS.iter().enumerate() {
                ui.vertical(|ui| {
                    ui.label(RichText::new(tr.t(key)).strong());
                    let month = u32::try_from(i + 1).unwrap_or(1);
                    egui::Grid::new(("calendar_month", i))
                        .spacing(egui::vec2(4.0, 1.0))
                        .min_col_width(18.0)
                        .show(ui, |ui| {
                            for day in tr.t("calendar.weekdays").split_whitespace() {
                                ui.label(RichText::new(day).small().weak());
                            }
                            ui.end_row();
                            for week in month_weeks(year, month) {
                                for day in week {
                                    match day {
                                        Some(d) => day_ui(ui, tr, theme, calendar, d),
                                        None => {
                                            ui.label("");
                                        }
                                    }
                                }
                                ui.end_row();
                            }
                        });
                });
                if i % per_row == per_row - 1 {
                    ui.end_row();
                }
            }
        });
}

fn day_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, calendar: &Calendar, date: NaiveDate) {
    let info = calendar.day(date);
    let text = RichText::new(date.day().to_string()).small();
    let text = match (&info.reason, info.working) {
        (DayReason::Weekday, _) => text,
        (DayReason::Weekend(_), _) => text.color(theme.muted_colour()),
        (_, true) => text.color(theme.ok_colour()).strong(),
        (_, false) => text.color(theme.error_colour()).strong(),
    };
    // The reason is worded only for the day under the pointer.
    ui.label(text).on_hover_ui(|ui| {
        ui.label(widgets::day_reason(tr, &info.reason));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_grid_starts_on_monday() {
        // 1 March 2026 is a Sunday: the first week has six blanks.
        let weeks = month_weeks(2026, 3);
        assert_eq!(weeks.len(), 6);
        assert_eq!(weeks[0].iter().filter(|d| d.is_none()).count(), 6);
        assert_eq!(weeks[0][6].map(|d| d.day()), Some(1));
        assert_eq!(weeks[5][1].map(|d| d.day()), Some(31));
        let days: usize = weeks
            .iter()
            .map(|w| w.iter().filter(|d| d.is_some()).count())
            .sum();
        assert_eq!(days, 31);
    }
}
