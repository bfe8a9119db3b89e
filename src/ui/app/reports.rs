//! The reports tab: the report for a period on screen, written out as XLSX, PDF or JSON.

use std::path::PathBuf;

use egui::Ui;

use super::App;
use crate::domain::report::Period;
use crate::service::reports::{self, Format};
use crate::ui::reports::{ExportFormat, ReportsAction, ReportsScreen};
use crate::ui::widgets;

impl App {
    /// Opens the tab with this month's report.
    pub(super) fn open_reports(&mut self) {
        let today = self.now().date();
        self.reports = Some(ReportsScreen::new(today));
        self.show_report(Period::month_of(today));
    }

    pub(super) fn reports_ui(&mut self, ui: &mut Ui) {
        let today = self.now().date();
        if self.reports.is_none() {
            self.open_reports();
        }
        let Some(screen) = &mut self.reports else {
            return;
        };
        if let Some(action) = screen.ui(ui, &self.tr, &self.theme, today) {
            match action {
                ReportsAction::Show(period) => self.show_report(period),
                ReportsAction::Export(format) => self.export_report(format),
            }
        }
    }

    fn show_report(&mut self, period: Period) {
        let today = self.now().date();
        let (Some(store), Some(session), Some(screen)) =
            (&self.store, &self.session, &mut self.reports)
        else {
            return;
        };
        match reports::report(store, session, period, today) {
            Ok(report) => {
                screen.report = Some(report);
                Self::clear_error(&mut self.status);
            }
            Err(e) => screen.message = Some((false, widgets::service_error(&self.tr, &e))),
        }
    }

    fn export_report(&mut self, format: ExportFormat) {
        let now = self.now();
        let folder = self
            .lists
            .as_ref()
            .and_then(|l| l.print_folder.clone())
            .map_or_else(std::env::temp_dir, PathBuf::from);
        let (Some(store), Some(session), Some(screen)) =
            (&mut self.store, &self.session, &mut self.reports)
        else {
            return;
        };
        let Some(report) = &screen.report else { return };
        let (format, extension) = match format {
            ExportFormat::Xlsx => (Format::Xlsx, "xlsx"),
            ExportFormat::Pdf => (Format::Pdf, "pdf"),
            ExportFormat::Json => (Format::Json, "json"),
        };
        let path = folder.join(format!(
            "report-{}-{}.{extension}",
            report.period.from.format("%Y%m%d"),
            report.period.to.format("%Y%m%d")
        ));
        screen.message = Some(
            match reports::write(store, session, now, report, format, &path) {
                Ok(()) => (
                    true,
                    self.tr
                        .f("reports.exported", &[&path.display().to_string()]),
                ),
                Err(e) => (false, widgets::service_error(&self.tr, &e)),
            },
        );
    }
}
