//! The catalog in and out from the Products tab: export every product to xlsx or CSV (in the
//! exports folder), and import a product list with a preview — the file's columns mapped
//! (guessed from their header words, changeable), every refused row with its problems in the
//! user's language, what would be created and updated — then "import the good rows" or
//! "import all" (only when nothing is refused). The work is `crate::import` and
//! `App::import_catalog`; this only draws.

use egui::RichText;

use super::{RED, err_toast, form_field, ok_toast};
use crate::app::{App, ImportMode, ImportReport, Session};
use crate::export::{self, Format};
use crate::i18n::{Lang, T};
use crate::import::row_problem_text;
use crate::import::{self, Checked, Field, Sheet};
use crate::ui::Toast;

/// A file read and checked, waiting for the user's decision.
struct Preview {
    source: String,
    sheet: Sheet,
    columns: Vec<Option<Field>>,
    checked: Vec<Checked>,
    /// The dry run against the catalog.
    report: ImportReport,
}

#[derive(Default)]
pub struct CatalogIo {
    path: String,
    browse: crate::ui::file_dialog::Browse,
    preview: Option<Preview>,
    error: Option<String>,
}

impl CatalogIo {
    /// Checks the rows with the current mapping and dry-runs them against the catalog.
    fn recheck(
        p: &mut Preview,
        lang: Lang,
        app: &mut App,
        session: &Session,
    ) -> Result<(), String> {
        p.checked = import::check(&p.sheet, &p.columns);
        p.report = app
            .import_catalog(Some(session), &p.source, &p.checked, ImportMode::DryRun)
            .map_err(|e| crate::app::error_text(lang, &e))?;
        Ok(())
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) -> bool {
        let mut changed = false;
        ui.collapsing(lang.t(T::CatalogIo), |ui| {
            ui.horizontal(|ui| {
                for (format, label) in [
                    (Format::Xlsx, T::ExportCatalogXlsx),
                    (Format::Csv, T::ExportCatalogCsv),
                ] {
                    if ui.button(lang.t(label)).clicked() {
                        *toast = self.export(lang, app, session, format);
                    }
                }
            });
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::ImportFile), &mut self.path);
                let picked = self.browse.button(
                    ui,
                    lang,
                    crate::ui::file_dialog::Pick::ProductList,
                    &mut self.path,
                );
                // A file chosen in the dialog is read at once, as the button would.
                if ui.button(lang.t(T::ImportRead)).clicked() || picked {
                    self.read(lang, app, session);
                }
            });
            if let Some(e) = &self.error {
                ui.label(RichText::new(e.as_str()).color(RED));
            }
            changed = self.preview_ui(ui, lang, app, session, toast);
        });
        changed
    }

    fn export(
        &mut self,
        lang: Lang,
        app: &mut App,
        session: &Session,
        format: Format,
    ) -> Option<Toast> {
        let rows = match app.catalog_rows(Some(session)) {
            Ok(r) => r,
            Err(e) => return err_toast(lang, &e),
        };
        let today = crate::domain::debt::local_date(app.now(), app.time_zone());
        let path = export::default_folder(app.path())
            .join(format!("catalog_{today}.{}", format.extension()));
        match export::catalog::write(&rows, format, lang, &path) {
            Ok(()) => ok_toast(lang.fill(
                T::CatalogSaved,
                &[&path.display().to_string(), &rows.len().to_string()],
            )),
            Err(e) => Some(Toast {
                text: crate::export::export_error_text(lang, &e),
                error: true,
            }),
        }
    }

    fn read(&mut self, lang: Lang, app: &mut App, session: &Session) {
        self.error = None;
        self.preview = None;
        let path = std::path::PathBuf::from(self.path.trim());
        let sheet = match import::read(&path) {
            Ok(s) => s,
            Err(import::ReadError::UnknownType(_)) => {
                self.error = Some(lang.t(T::ImportUnknownType).to_string());
                return;
            }
            Err(import::ReadError::Empty(_)) => {
                self.error = Some(lang.t(T::ImportEmpty).to_string());
                return;
            }
            Err(import::ReadError::Unreadable { reason, .. }) => {
                self.error = Some(lang.fill(T::ImportUnreadable, &[&reason]));
                return;
            }
        };
        let columns = import::guess_columns(&sheet.header);
        let mut p = Preview {
            source: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sheet,
            columns,
            checked: Vec::new(),
            report: ImportReport::default(),
        };
        match Self::recheck(&mut p, lang, app, session) {
            Ok(()) => self.preview = Some(p),
            Err(e) => self.error = Some(e),
        }
    }

    fn preview_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) -> bool {
        let Some(p) = &mut self.preview else {
            return false;
        };
        // The mapping: each column of the file and what it holds.
        let mut remapped = false;
        ui.label(lang.t(T::ImportColumns));
        ui.horizontal_wrapped(|ui| {
            for (i, head) in p.sheet.header.iter().enumerate() {
                let current = p.columns.get(i).copied().flatten();
                let shown = current.map_or(lang.t(T::ImportNotUsed), |f| {
                    lang.t(crate::import::field_label(f))
                });
                let l = ui.label(format!("{head} →"));
                egui::ComboBox::from_id_salt(("import_column", i))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        let mut choice = current;
                        ui.selectable_value(&mut choice, None, lang.t(T::ImportNotUsed));
                        for f in Field::ALL {
                            ui.selectable_value(
                                &mut choice,
                                Some(f),
                                lang.t(crate::import::field_label(f)),
                            );
                        }
                        if choice != current {
                            // A field is held by one column at most.
                            for c in p.columns.iter_mut() {
                                if choice.is_some() && *c == choice {
                                    *c = None;
                                }
                            }
                            if let Some(slot) = p.columns.get_mut(i) {
                                *slot = choice;
                            }
                            remapped = true;
                        }
                    })
                    .response
                    .labelled_by(l.id);
            }
        });
        if remapped && let Err(e) = Self::recheck(p, lang, app, session) {
            self.error = Some(e);
        }
        let Some(p) = &mut self.preview else {
            return false;
        };
        let refused = p.report.refused.len();
        let good = p.checked.len().saturating_sub(refused);
        ui.label(lang.fill(
            T::ImportSummary,
            &[
                &p.checked.len().to_string(),
                &good.to_string(),
                &refused.to_string(),
                &p.report.created.to_string(),
                &p.report.updated.to_string(),
            ],
        ));
        if !p.report.internal_codes.is_empty() {
            ui.label(lang.fill(
                T::ImportInternalCodes,
                &[&p.report.internal_codes.join(", ")],
            ));
        }
        if refused > 0 {
            egui::ScrollArea::vertical()
                .id_salt("import_refused")
                .max_height(160.0)
                .show(ui, |ui| {
                    for (line, problems) in &p.report.refused {
                        let text: Vec<String> =
                            problems.iter().map(|x| row_problem_text(lang, x)).collect();
                        ui.label(
                            RichText::new(
                                lang.fill(T::ImportLine, &[&line.to_string(), &text.join("; ")]),
                            )
                            .color(RED),
                        );
                    }
                });
        }
        let mut mode = None;
        let mut cancel = false;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(good > 0, egui::Button::new(lang.t(T::ImportGood)))
                .clicked()
            {
                mode = Some(ImportMode::SkipBad);
            }
            if ui
                .add_enabled(
                    refused == 0 && good > 0,
                    egui::Button::new(lang.t(T::ImportAll)),
                )
                .clicked()
            {
                mode = Some(ImportMode::AllOrNothing);
            }
            if ui.button(lang.t(T::CancelButton)).clicked() {
                cancel = true;
            }
        });
        if cancel {
            self.preview = None;
            return false;
        }
        let Some(mode) = mode else {
            return false;
        };
        match app.import_catalog(Some(session), &p.source, &p.checked, mode) {
            Ok(r) if r.applied => {
                *toast = ok_toast(lang.fill(
                    T::ImportDone,
                    &[
                        &r.created.to_string(),
                        &r.updated.to_string(),
                        &r.unchanged.to_string(),
                        &r.categories_created.to_string(),
                        &r.stock_changed.to_string(),
                    ],
                ));
                self.preview = None;
                true
            }
            Ok(r) => {
                *toast = Some(Toast {
                    text: lang.fill(T::ImportRefusedNow, &[&r.refused.len().to_string()]),
                    error: true,
                });
                false
            }
            Err(e) => {
                *toast = err_toast(lang, &e);
                false
            }
        }
    }
}
