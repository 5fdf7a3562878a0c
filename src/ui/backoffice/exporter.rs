//! Writing a report table to a file from a tab: the folder field, a button per format and
//! the writing itself on a worker thread (a long report takes many pages), with a spinner
//! meanwhile and a notice naming the file when it is written. Used by the Reports tab and
//! the supplier's statement.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::ok_toast;
use crate::app::{App, ReportTable};
use crate::domain::debt;
use crate::export::{self, Format};
use crate::i18n::{Lang, T};
use crate::ui::Toast;

/// The export row's state: the folder typed and the file being written.
#[derive(Default)]
pub struct Exporter {
    folder: Option<String>,
    writing: Option<Receiver<Result<PathBuf, String>>>,
    browse: crate::ui::file_dialog::Browse,
}

impl Exporter {
    /// Says how the file being written went, once it is done (a spinner meanwhile).
    pub fn poll(&mut self, ui: &mut egui::Ui, lang: Lang, toast: &mut Option<Toast>) {
        let Some(rx) = &self.writing else {
            return;
        };
        match rx.try_recv() {
            Ok(Ok(path)) => {
                *toast = ok_toast(lang.fill(T::ExportedTo, &[&path.display().to_string()]));
                self.writing = None;
            }
            Ok(Err(e)) => {
                *toast = Some(Toast {
                    text: e,
                    error: true,
                });
                self.writing = None;
            }
            Err(TryRecvError::Empty) => {
                ui.spinner();
            }
            Err(TryRecvError::Disconnected) => self.writing = None,
        }
    }

    /// The folder field and a button per format; a click writes `table` there, named by
    /// [`export::file_name`], with the shop, `who` and the time in its header.
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        table: &ReportTable,
        who: &str,
        formats: &[(T, Format)],
        toast: &mut Option<Toast>,
    ) {
        let today = debt::local_date(app.now(), app.time_zone());
        let folder = self
            .folder
            .get_or_insert_with(|| export::default_folder(app.path()).display().to_string());
        ui.horizontal(|ui| {
            let l = ui.label(lang.t(T::ExportFolder));
            // The buttons stay inside a narrow panel: the field gives way to them.
            let buttons: f32 = formats
                .iter()
                .map(|(t, _)| 24.0 + 8.0 * lang.t(*t).chars().count() as f32)
                .sum();
            let width = (ui.available_width() - buttons - 48.0).clamp(120.0, 360.0);
            ui.add(
                egui::TextEdit::singleline(folder)
                    .char_limit(crate::ui::limits::PATH)
                    .desired_width(width),
            )
            .labelled_by(l.id);
            self.browse
                .button(ui, lang, crate::ui::file_dialog::Pick::Folder, folder);
            for &(t, format) in formats {
                let busy = self.writing.is_some();
                if ui
                    .add_enabled(!busy, egui::Button::new(lang.t(t)))
                    .clicked()
                {
                    let path = std::path::Path::new(folder.trim())
                        .join(export::file_name(table, format, today));
                    let (tx, rx) = channel();
                    let (table, ctx) = (table.clone(), ui.ctx().clone());
                    let heading = export::Heading {
                        shop: app.shop_name(),
                        by: who.to_string(),
                        at: app.local_now(),
                    };
                    self.writing = Some(rx);
                    let spawned =
                        std::thread::Builder::new()
                            .name("export".into())
                            .spawn(move || {
                                let r = export::write_with(
                                    &table, format, lang, today, &path, &heading,
                                )
                                .map(|()| path)
                                .map_err(|e| crate::export::export_error_text(lang, &e));
                                let _ = tx.send(r);
                                ctx.request_repaint();
                            });
                    if let Err(e) = spawned {
                        self.writing = None;
                        *toast = Some(Toast {
                            text: lang.fill(T::ErrOther, &[&e.to_string()]),
                            error: true,
                        });
                    }
                }
            }
        });
    }
}
