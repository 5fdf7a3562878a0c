//! The system's file dialog beside a typed path: a "…" button opens it (rfd: the desktop
//! portal or zenity on Linux, the common dialog on Windows) on its own thread, so the window
//! keeps drawing and taking scans while it is open; the path chosen lands in the field. The
//! field stays the way in: a machine with no dialog (Linux without a desktop session and
//! without zenity) shows no button, and a cancelled dialog leaves what was typed as it was.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::i18n::{Lang, T};

/// What the dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// A product list to import (Excel, OpenDocument or CSV).
    ProductList,
    /// A Kassa database (SQLite) to open.
    Database,
    /// A folder (exports, backups).
    Folder,
}

/// Shows the dialog and waits for the answer (on the dialog's thread).
type Dialog = fn(Pick, Option<PathBuf>) -> Option<PathBuf>;

fn system_dialog(what: Pick, start: Option<PathBuf>) -> Option<PathBuf> {
    let mut d = rfd::FileDialog::new();
    if let Some(dir) = start {
        d = d.set_directory(dir);
    }
    match what {
        Pick::ProductList => d
            .add_filter("Excel, CSV", &["xlsx", "xls", "ods", "csv", "txt"])
            .pick_file(),
        Pick::Database => d
            .add_filter("Kassa (SQLite)", &["db", "sqlite"])
            .pick_file(),
        Pick::Folder => d.pick_folder(),
    }
}

/// Whether this machine can show the dialog: Windows always; elsewhere a desktop session
/// (its D-Bus, where the portal answers) or zenity on the PATH.
fn available() -> bool {
    static AVAILABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        if cfg!(windows) {
            return true;
        }
        let session = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
        let zenity = std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join("zenity").is_file()));
        session || zenity
    })
}

/// One "…" button and the dialog it may have open.
pub struct Browse {
    dialog: Dialog,
    /// Whether the button is offered ([`available`]).
    offered: bool,
    open: Option<Receiver<Option<PathBuf>>>,
}

impl Default for Browse {
    fn default() -> Self {
        Browse {
            dialog: system_dialog,
            offered: available(),
            open: None,
        }
    }
}

/// Where the dialog starts: the folder the field names, or the folder of the file it names.
fn start_of(field: &str) -> Option<PathBuf> {
    let p = Path::new(field.trim());
    if field.trim().is_empty() {
        None
    } else if p.is_dir() {
        Some(p.to_path_buf())
    } else {
        p.parent().filter(|d| d.is_dir()).map(Path::to_path_buf)
    }
}

impl Browse {
    /// The "…" button for `field`; true in the frame the chosen path is written into it.
    pub fn button(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        what: Pick,
        field: &mut String,
    ) -> bool {
        if !self.offered {
            return false;
        }
        let mut chosen = false;
        if let Some(rx) = &self.open {
            match rx.try_recv() {
                Ok(Some(path)) => {
                    *field = path.display().to_string();
                    chosen = true;
                    self.open = None;
                }
                Ok(None) | Err(TryRecvError::Disconnected) => self.open = None,
                Err(TryRecvError::Empty) => {}
            }
        }
        let hint = match what {
            Pick::Folder => T::BrowseFolder,
            _ => T::BrowseFile,
        };
        let clicked = ui
            .add_enabled(self.open.is_none(), egui::Button::new("…"))
            .on_hover_text(lang.t(hint))
            .clicked();
        if clicked {
            let (tx, rx) = channel();
            let (dialog, start, ctx) = (self.dialog, start_of(field), ui.ctx().clone());
            let spawned = std::thread::Builder::new()
                .name("file-dialog".into())
                .spawn(move || {
                    let _ = tx.send(dialog(what, start));
                    ctx.request_repaint();
                });
            if spawned.is_ok() {
                self.open = Some(rx);
            }
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    fn chosen(what: Pick, start: Option<PathBuf>) -> Option<PathBuf> {
        assert_eq!(what, Pick::Folder);
        Some(start.unwrap_or_default().join("hisobotlar"))
    }

    fn cancelled(_: Pick, _: Option<PathBuf>) -> Option<PathBuf> {
        None
    }

    /// The path the dialog answers lands in the field, starting from the folder typed; a
    /// cancelled dialog leaves the field as typed.
    #[test]
    fn the_chosen_path_lands_in_the_field() {
        let dir = tempfile::tempdir().unwrap();
        for (dialog, want) in [
            (
                chosen as Dialog,
                dir.path().join("hisobotlar").display().to_string(),
            ),
            (cancelled as Dialog, dir.path().display().to_string()),
        ] {
            let state = (
                Browse {
                    dialog,
                    offered: true,
                    open: None,
                },
                dir.path().display().to_string(),
            );
            let mut h = Harness::new_ui_state(
                |ui, (b, field): &mut (Browse, String)| {
                    let l = ui.label("Papka");
                    ui.text_edit_singleline(field).labelled_by(l.id);
                    b.button(ui, Lang::Uz, Pick::Folder, field);
                },
                state,
            );
            h.get_by_label("…").click();
            h.run();
            for _ in 0..3000 {
                if h.state().0.open.is_none() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
                h.run();
            }
            h.run();
            assert_eq!(h.state().1, want);
        }
    }
}
