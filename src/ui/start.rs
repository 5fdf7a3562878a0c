//! The window's first screen. On a worker thread it takes the one-program lock on the
//! database (waiting, with a visible message, for a program that is still closing it),
//! opens or creates the database and runs SQLite's quick check. While that runs the screen
//! says what it waits for; when it fails, the screen says why in the user's language and
//! what to do: try again, open another file, or restore one of the backups beside the
//! database. The window never exits on a database it cannot open.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

use egui::{Color32, Key, RichText};

use super::KassaGui;
use crate::app::error_text;
use crate::app::{AppError, Options};
use crate::i18n::{Lang, T};
use crate::store::store_error_text;
use crate::store::{self, StoreError, lock::InstanceLock};

/// How long the start waits for another program to release the file before saying it is
/// in use.
pub const LOCK_WAIT: Duration = Duration::from_secs(15);

/// The database opened, with the lock held for the window's life (a shop file's: a shop on
/// a PostgreSQL server is shared by its tills, and has no lock). SQLite's quick check
/// of the whole file runs meanwhile on its own read-only connection (a second or more on a
/// large database, so the log-in screen does not wait for it); `health` tells its outcome,
/// and a damaged file then takes the window back to this screen.
pub struct Opened {
    pub gui: KassaGui,
    pub lock: Option<InstanceLock>,
    pub health: Receiver<Result<(), StoreError>>,
}

enum Progress {
    Waiting(crate::store::lock::Holder),
    Opened(Box<Opened>),
    Failed(Failure),
}

/// Why the database could not be opened, kept as data so the text follows the language.
#[derive(Debug)]
enum Failure {
    Store(StoreError),
    App(AppError),
}

impl Failure {
    fn text(&self, lang: Lang) -> String {
        match self {
            Failure::Store(e) => store_error_text(lang, e),
            Failure::App(e) => error_text(lang, e),
        }
    }
}

enum State {
    Opening {
        rx: Receiver<Progress>,
        waiting_for: Option<crate::store::lock::Holder>,
    },
    Failed(Failure),
}

/// The start screen.
pub struct Start {
    db: PathBuf,
    lang: Lang,
    lang_file: Option<PathBuf>,
    state: State,
    other_path: String,
    /// The system's dialog for another database file.
    browse: crate::ui::file_dialog::Browse,
    backups: Vec<PathBuf>,
    selected: Option<usize>,
    notice: Option<String>,
}

/// Takes the lock, opens and checks the database; runs on a worker thread.
fn open_checked(
    db: &Path,
    lang_file: Option<PathBuf>,
    ctx: &egui::Context,
    waiting: impl FnMut(&crate::store::lock::Holder),
) -> Result<Opened, Failure> {
    let lock = store::lock::acquire_for_file(db, LOCK_WAIT, waiting).map_err(Failure::Store)?;
    let gui =
        KassaGui::new(db.to_path_buf(), Options::default(), lang_file).map_err(|e| match e {
            AppError::Store(s) => Failure::Store(s),
            other => Failure::App(other),
        })?;
    let (tx, health) = channel();
    if lock.is_none() {
        // On a server: PostgreSQL checks its own pages; there is no file to read.
        let _ = tx.send(Ok(()));
        return Ok(Opened { gui, lock, health });
    }
    let (path, ctx) = (db.to_path_buf(), ctx.clone());
    let spawned = std::thread::Builder::new()
        .name("quick-check".into())
        .spawn(move || {
            let result = store::connect_with(&path, store::OpenMode::ReadOnly)
                .and_then(|mut c| store::check_integrity(&mut c, &path, false));
            let _ = tx.send(result);
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the database check: {e}");
    }
    Ok(Opened { gui, lock, health })
}

/// Starts opening `db` on a worker thread; the state that waits for it.
fn opening(db: &Path, lang_file: Option<PathBuf>, ctx: &egui::Context) -> State {
    let (tx, rx) = channel();
    let (path, ctx) = (db.to_path_buf(), ctx.clone());
    let spawned = std::thread::Builder::new()
        .name("open-database".into())
        .spawn(move || {
            let waiting_tx = tx.clone();
            let waiting_ctx = ctx.clone();
            let result = open_checked(&path, lang_file, &ctx, |who| {
                let _ = waiting_tx.send(Progress::Waiting(who.clone()));
                waiting_ctx.request_repaint();
            });
            let _ = tx.send(match result {
                Ok(o) => Progress::Opened(Box::new(o)),
                Err(f) => Progress::Failed(f),
            });
            ctx.request_repaint();
        });
    match spawned {
        Ok(_) => State::Opening {
            rx,
            waiting_for: None,
        },
        Err(e) => State::Failed(Failure::Store(StoreError::Open {
            path: db.display().to_string(),
            reason: e.to_string(),
        })),
    }
}

impl Start {
    pub fn new(db: PathBuf, lang: Lang, lang_file: Option<PathBuf>, ctx: &egui::Context) -> Start {
        let state = opening(&db, lang_file.clone(), ctx);
        Start::with_state(db, lang, lang_file, state)
    }

    /// The screen for a database found damaged after it was opened (the quick check that
    /// runs beside the log-in screen failed).
    pub fn damaged(db: PathBuf, lang: Lang, lang_file: Option<PathBuf>, e: StoreError) -> Start {
        let mut s = Start::with_state(db, lang, lang_file, State::Failed(Failure::Store(e)));
        s.find_backups();
        s
    }

    fn with_state(db: PathBuf, lang: Lang, lang_file: Option<PathBuf>, state: State) -> Start {
        Start {
            other_path: db.display().to_string(),
            browse: Default::default(),
            db,
            lang,
            lang_file,
            state,
            backups: Vec::new(),
            selected: None,
            notice: None,
        }
    }

    /// (Re)starts opening `self.db` on a worker thread.
    fn begin(&mut self, ctx: &egui::Context) {
        self.state = opening(&self.db, self.lang_file.clone(), ctx);
    }

    /// The backups a person can restore: those in `backups/` beside the database.
    fn find_backups(&mut self) {
        if store::server_address(&self.db).is_some() {
            // A server's backups are pg_dump files (`kassa backup --dir`), restored by
            // `kassa restore` into a new database.
            self.backups.clear();
            self.selected = None;
            return;
        }
        let dir = self.db.parent().unwrap_or(Path::new(".")).join("backups");
        self.backups = store::backup::list(&dir);
        self.backups.reverse(); // newest first
        self.selected = if self.backups.is_empty() {
            None
        } else {
            Some(0)
        };
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn db(&self) -> &Path {
        &self.db
    }

    /// One frame; returns the opened database once it is ready.
    /// Whether the screen takes typing (a failure with its fields); while the database is
    /// still being opened, what is typed waits for the log-in screen.
    pub fn takes_input(&self) -> bool {
        matches!(self.state, State::Failed(_))
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Opened> {
        let lang = self.lang;
        if let State::Opening { rx, waiting_for } = &mut self.state {
            loop {
                match rx.try_recv() {
                    Ok(Progress::Waiting(who)) => *waiting_for = Some(who),
                    Ok(Progress::Opened(o)) => return Some(*o),
                    Ok(Progress::Failed(f)) => {
                        self.state = State::Failed(f);
                        self.find_backups();
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.state = State::Failed(Failure::Store(StoreError::Open {
                            path: self.db.display().to_string(),
                            reason: "the opening thread stopped".into(),
                        }));
                        break;
                    }
                }
            }
        }
        let mut retry = false;
        let mut new_lang = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for l in Lang::ALL {
                    if ui.selectable_label(l == lang, l.name()).clicked() {
                        new_lang = Some(l);
                    }
                }
            });
            ui.separator();
            match &self.state {
                State::Opening { waiting_for, .. } => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        let text = match waiting_for {
                            Some(who) => lang.fill(
                                T::StartWaiting,
                                &[
                                    &crate::store::lock::holder_text(lang, who),
                                    &self.db.display().to_string(),
                                ],
                            ),
                            None => lang.t(T::StartOpening).to_string(),
                        };
                        ui.label(RichText::new(text).size(20.0));
                    });
                }
                State::Failed(f) => {
                    retry = self.failed_ui(ui, lang, &f.text(lang));
                }
            }
        });
        if let Some(l) = new_lang {
            self.lang = l;
            if let Some(path) = &self.lang_file {
                let _ = std::fs::write(path, l.code());
            }
        }
        if retry {
            self.begin(ui.ctx());
        }
        None
    }

    /// The failure and what to do; true when the person asked to open (again).
    fn failed_ui(&mut self, ui: &mut egui::Ui, lang: Lang, reason: &str) -> bool {
        let red = Color32::from_rgb(180, 30, 30);
        let mut retry = false;
        ui.heading(RichText::new(lang.t(T::StartCannotOpen)).color(red));
        ui.add_space(6.0);
        ui.add(egui::Label::new(RichText::new(reason).size(19.0)).wrap());
        if let Some(n) = &self.notice {
            ui.add(egui::Label::new(RichText::new(n).color(Color32::DARK_GREEN)).wrap());
        }
        ui.add_space(12.0);
        ui.label(RichText::new(lang.t(T::StartWhatToDo)).strong());
        let again = ui.button(lang.t(T::StartTryAgain));
        if again.clicked()
            || ui.input(|i| i.key_pressed(Key::Enter)) && !ui.memory(|m| m.focused().is_some())
        {
            retry = true;
        }
        ui.add_space(10.0);
        let label = ui.label(lang.t(T::StartOtherFile));
        ui.horizontal(|ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.other_path)
                        .char_limit(4096)
                        .desired_width(ui.available_width() - 160.0),
                )
                .labelled_by(label.id);
            self.browse.button(
                ui,
                lang,
                crate::ui::file_dialog::Pick::Database,
                &mut self.other_path,
            );
            let submitted = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ui.button(lang.t(T::StartOpen)).clicked() || submitted)
                && !self.other_path.trim().is_empty()
            {
                self.db = PathBuf::from(self.other_path.trim());
                self.notice = None;
                retry = true;
            }
        });
        ui.add_space(10.0);
        ui.label(lang.t(T::StartRestore));
        let on_server = store::server_address(&self.db).is_some();
        if self.backups.is_empty() {
            // A server address has no backups folder beside it (and would show its password).
            if !on_server {
                let dir = self.db.parent().unwrap_or(Path::new(".")).join("backups");
                ui.label(lang.fill(T::StartNoBackups, &[&dir.display().to_string()]));
            }
        } else {
            egui::ScrollArea::vertical()
                .max_height(200.0)
                .show(ui, |ui| {
                    for (i, b) in self.backups.iter().enumerate() {
                        let name = b
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if ui
                            .selectable_label(self.selected == Some(i), name)
                            .clicked()
                        {
                            self.selected = Some(i);
                        }
                    }
                });
            if ui.button(lang.t(T::StartRestoreButton)).clicked()
                && let Some(file) = self.selected.and_then(|i| self.backups.get(i)).cloned()
            {
                match store::backup::restore(&self.db, &file, chrono::Utc::now()) {
                    Ok(kept) => {
                        self.notice = Some(lang.fill(
                            T::StartRestored,
                            &[
                                &file.display().to_string(),
                                &kept.map(|k| k.display().to_string()).unwrap_or_default(),
                            ],
                        ));
                        retry = true;
                    }
                    Err(e) => {
                        self.state = State::Failed(Failure::Store(e));
                    }
                }
            }
        }
        ui.add_space(10.0);
        if ui.button(lang.t(T::StartQuit)).clicked() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        retry
    }
}
