//! The window: log-in, the forced password change, and the role-aware main window with the
//! till and (for managers and admins) the back-office tabs.
//!
//! Screens hold view state and draw; every change goes through `app/`. Slow work (bcrypt)
//! runs on a worker thread with its own database connection, and the screen polls for the
//! answer. [`KassaGui::ui`] is the whole program for one frame: `eframe` calls it in the
//! real window and `egui_kittest` in the tests.

pub mod backoffice;
pub mod file_dialog;
pub mod preview;
pub mod scan;
pub mod start;
pub mod till;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use egui::{Color32, Key, RichText};

use crate::app::error_text;
use crate::app::{App, AppError, AppResult, Options, Session};
use crate::devices::printer::{self, PrinterState, PrinterStatus};
use crate::devices::scanner::{self, ScannerEvent, ScannerState, Wanted};
use crate::domain::Action;
use crate::i18n::{Lang, T};
use till::Till;

/// How many characters each kind of text field takes: a held key, a jammed scanner or a
/// paste of a whole document stops there instead of growing the window's memory (every
/// character of a field is laid out each frame).
/// How long a write of the window waits for another program's write lock (a quick write of
/// another program passes; a long one makes the write say who holds the file instead of
/// freezing the window).
pub const WRITE_PATIENCE: std::time::Duration = std::time::Duration::from_millis(250);

pub mod limits {
    /// The till's search box (a name or a barcode).
    pub const SEARCH: usize = 100;
    /// Amounts and quantities.
    pub const AMOUNT: usize = 20;
    /// Notes (a shift's, a customer's).
    pub const NOTE: usize = 2000;
    /// Names, logins, passwords, phone numbers and other one-line fields.
    pub const FIELD: usize = 200;
    /// A setting's value (a token, a port, an address).
    pub const SETTING: usize = 500;
    /// A message to customers (Telegram allows 4 096).
    pub const MESSAGE: usize = 4096;
    /// A file or folder path.
    pub const PATH: usize = 4096;
}

/// DejaVu Sans: covers the Uzbek ʻ (U+02BB) and Cyrillic, which egui's own fonts lack.
const DEJAVU: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

/// The look of the program: a light theme with text large enough to read at arm's length,
/// and DejaVu Sans as a fallback font.
pub fn setup_style(ctx: &egui::Context) {
    install_fonts(ctx);
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        use egui::{FontFamily, FontId, TextStyle};
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(13.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(17.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(17.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Heading,
                FontId::new(24.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(16.0, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        // Text is for reading: a click on a table cell's text selects the row.
        style.interaction.selectable_labels = false;
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    });
}

/// Adds DejaVu Sans as a fallback to egui's fonts.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(DEJAVU)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("dejavu".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Where the chosen language is remembered (`~/.config/kassa/language`).
pub fn default_language_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("uz", "Kassa", "kassa").map(|d| d.config_dir().join("language"))
}

/// The language remembered in `lang_file` (the default when none is).
fn remembered_language(lang_file: Option<&std::path::Path>) -> Lang {
    lang_file
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_default()
}

/// A short message in the status bar.
#[derive(Clone, Debug)]
pub struct Toast {
    pub text: String,
    pub error: bool,
}

struct LoginState {
    login: String,
    password: String,
    pending: Option<Receiver<AppResult<Session>>>,
    error: Option<String>,
}

struct ChangeState {
    session: Session,
    old: String,
    new: String,
    repeat: String,
    pending: Option<Receiver<AppResult<Session>>>,
    error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Till,
    Products,
    Stock,
    Suppliers,
    Customers,
    Sales,
    Expenses,
    Reports,
    Staff,
    Audit,
    Settings,
}

impl Tab {
    fn label(self) -> T {
        match self {
            Tab::Till => T::TabTill,
            Tab::Products => T::TabProducts,
            Tab::Stock => T::TabStock,
            Tab::Suppliers => T::TabSuppliers,
            Tab::Customers => T::TabCustomers,
            Tab::Sales => T::TabSales,
            Tab::Expenses => T::TabExpenses,
            Tab::Reports => T::TabReports,
            Tab::Staff => T::TabStaff,
            Tab::Audit => T::TabAudit,
            Tab::Settings => T::TabSettings,
        }
    }

    /// The action whose permission shows the tab.
    fn needs(self) -> Action {
        match self {
            Tab::Till => Action::Sell,
            Tab::Products => Action::ManageProducts,
            Tab::Stock => Action::ReceiveSupply,
            Tab::Suppliers => Action::ReceiveSupply,
            Tab::Customers => Action::EditClient,
            Tab::Sales => Action::Refund,
            Tab::Expenses => Action::DeleteExpense,
            Tab::Reports => Action::ViewStatistics,
            Tab::Staff => Action::ViewStaff,
            Tab::Audit => Action::ViewAudit,
            Tab::Settings => Action::Settings,
        }
    }

    const ALL: [Tab; 11] = [
        Tab::Till,
        Tab::Products,
        Tab::Stock,
        Tab::Suppliers,
        Tab::Customers,
        Tab::Sales,
        Tab::Expenses,
        Tab::Reports,
        Tab::Staff,
        Tab::Audit,
        Tab::Settings,
    ];
}

struct MainState {
    session: Session,
    tab: Tab,
    till: Till,
    office: Office,
    /// When the employee last touched the keyboard or mouse (egui time, seconds).
    last_activity: Option<f64>,
    /// Idle time after which the till locks (setting `session.idle_minutes`, default 15).
    idle_limit: f64,
    /// Set while the till is locked: the password typed to unlock it.
    lock: Option<LockState>,
}

#[derive(Default)]
struct LockState {
    password: String,
    pending: Option<Receiver<AppResult<Session>>>,
    error: Option<String>,
}

/// The back-office tabs' state, kept while switching tabs.
#[derive(Default)]
struct Office {
    products: backoffice::products::ProductsTab,
    stock: backoffice::stock::StockTab,
    suppliers: backoffice::suppliers::SuppliersTab,
    customers: backoffice::customers::CustomersTab,
    sales: backoffice::sales::SalesTab,
    expenses: backoffice::expenses::ExpensesTab,
    reports: backoffice::reports::ReportsTab,
    staff: backoffice::staff::StaffTab,
    audit: backoffice::audit::AuditTab,
    settings: backoffice::settings::SettingsTab,
}

/// The setting that sets how long an idle session stays open.
pub const IDLE_MINUTES_KEY: &str = crate::app::setting_keys::IDLE_MINUTES;

impl MainState {
    fn new(session: Session) -> MainState {
        MainState {
            session,
            tab: Tab::Till,
            till: Till::new(),
            office: Office::default(),
            last_activity: None,
            idle_limit: 15.0 * 60.0,
            lock: None,
        }
    }
}

enum Screen {
    Login(LoginState),
    ChangePassword(ChangeState),
    Main(Box<MainState>),
}

/// The whole GUI.
pub struct KassaGui {
    app: App,
    db_path: PathBuf,
    bcrypt_cost: u32,
    lang: Lang,
    lang_file: Option<PathBuf>,
    screen: Screen,
    toast: Option<Toast>,
    /// When the notice was shown (egui time), for clearing it on the next action.
    toast_since: f64,
    devices: Devices,
}

/// The device threads as the GUI sees them: the printer's shared status and the scanner's
/// channel. Without threads (tests), the printer shows as not set up and no scanner.
#[derive(Default)]
struct Devices {
    printer: Option<Arc<Mutex<PrinterStatus>>>,
    /// Held only so that dropping the GUI stops the printer thread.
    _printer_wake: Option<Sender<()>>,
    scanner_events: Option<Receiver<ScannerEvent>>,
    scanner: ScannerState,
    bot: Option<crate::bot::BotStatus>,
    /// Held only so that dropping the GUI stops the bot thread.
    _bot: Option<crate::bot::BotHandle>,
    /// Where refusals are made heard.
    sound: Option<crate::devices::sound::Sound>,
    /// The fiscal thread's state, and the queue as last read (every two seconds).
    fiscal: Option<Arc<Mutex<crate::fiscal::WorkerState>>>,
    /// Held only so that dropping the GUI stops the fiscal thread.
    _fiscal_wake: Option<Sender<()>>,
    fiscal_queue: Option<(crate::app::FiscalStatus, std::time::Instant)>,
    /// The till's outbox (a shop on a server) as last looked at.
    outbox: Option<(crate::app::OutboxStatus, std::time::Instant)>,
    /// The database file was gone at the last look (every second).
    database_gone: Option<(bool, std::time::Instant)>,
}

fn login_screen() -> Screen {
    Screen::Login(LoginState {
        login: String::new(),
        password: String::new(),
        pending: None,
        error: None,
    })
}

impl KassaGui {
    /// Opens the database (creating it with the default admin if new). `lang_file` is where
    /// the chosen language is remembered (`None`: not remembered).
    pub fn new(
        db_path: PathBuf,
        options: Options,
        lang_file: Option<PathBuf>,
    ) -> AppResult<KassaGui> {
        let bcrypt_cost = options.bcrypt_cost;
        let mut app = App::open(&db_path, options)?;
        // The window never waits on another program's write lock: a write is refused after
        // a moment and the screen says who holds the file (the till tries a sale again).
        app.set_write_patience(WRITE_PATIENCE)?;
        // A till of a shop on a server keeps selling while the server is away.
        if let Some(server) = app.server().map(str::to_string) {
            app.use_outbox(&crate::store::outbox::default_path(&server))?;
        }
        let lang = remembered_language(lang_file.as_deref());
        Ok(KassaGui {
            app,
            db_path,
            bcrypt_cost,
            lang,
            lang_file,
            screen: login_screen(),
            toast: None,
            toast_since: 0.0,
            devices: Devices::default(),
        })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The database connection of the GUI thread (tests use it to look behind the screen).
    pub fn app(&mut self) -> &mut App {
        &mut self.app
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Main(m) => Some(&m.session),
            _ => None,
        }
    }

    /// The till's state, once logged in.
    pub fn till(&self) -> Option<&Till> {
        match &self.screen {
            Screen::Main(m) => Some(&m.till),
            _ => None,
        }
    }

    pub fn toast(&self) -> Option<&Toast> {
        self.toast.as_ref()
    }

    /// Takes barcodes and scanner states from `events` (the scanner thread, or a test).
    /// Makes the till's refusals heard (the sound thread, or a channel in tests).
    pub fn attach_sound(&mut self, sound: crate::devices::sound::Sound) {
        self.devices.sound = Some(sound);
    }

    pub fn attach_scanner(&mut self, events: Receiver<ScannerEvent>) {
        self.devices.scanner_events = Some(events);
    }

    /// Shows the printer thread's status in the status bar. The printer thread looks at the
    /// queue every half second and ends when `wake` (kept here) is dropped with the GUI.
    pub fn attach_printer(&mut self, status: Arc<Mutex<PrinterStatus>>, wake: Sender<()>) {
        self.devices.printer = Some(status);
        self.devices._printer_wake = Some(wake);
    }

    /// Shows the fiscal thread's state and the fiscal queue in the status bar.
    pub fn attach_fiscal(
        &mut self,
        state: Arc<Mutex<crate::fiscal::WorkerState>>,
        wake: Sender<()>,
    ) {
        self.devices.fiscal = Some(state);
        self.devices._fiscal_wake = Some(wake);
    }

    /// The till's outbox in the status bar (a shop on a server): offline and how many sales
    /// wait, sending, refused. Sends a few waiting sales each second, whatever the screen
    /// (the log-in screen too: a till started again after a crash sends what it kept).
    fn outbox_status(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let due = self
            .devices
            .outbox
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() >= std::time::Duration::from_millis(500));
        if due {
            if let Some(s) = self.app.outbox_status()
                && s.waiting > s.refused
            {
                let _ = self.app.send_outbox(std::time::Duration::from_millis(60));
            }
            self.devices.outbox = self
                .app
                .outbox_status()
                .map(|s| (s, std::time::Instant::now()));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        let Some((s, _)) = &self.devices.outbox else {
            return;
        };
        let red = Color32::from_rgb(200, 40, 40);
        let (text, color) = if s.offline {
            (lang.fill(T::OutboxOffline, &[&s.waiting.to_string()]), red)
        } else if s.refused > 0 {
            (lang.fill(T::OutboxRefused, &[&s.refused.to_string()]), red)
        } else if s.waiting > 0 {
            (
                lang.fill(T::OutboxSending, &[&s.waiting.to_string()]),
                Color32::from_gray(110),
            )
        } else {
            return;
        };
        ui.label(RichText::new(text).color(color).strong());
        ui.separator();
    }

    /// The fiscal provider in the status bar: ready, receipts waiting, unreachable, refused.
    fn fiscal_status(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let stale = self
            .devices
            .fiscal_queue
            .as_ref()
            .is_none_or(|(_, at)| at.elapsed() >= std::time::Duration::from_secs(2));
        if stale {
            let q = self.app.fiscal_status().unwrap_or_default();
            self.devices.fiscal_queue = Some((q, std::time::Instant::now()));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(2));
        }
        let Some((q, _)) = &self.devices.fiscal_queue else {
            return;
        };
        if q.provider.is_none() {
            return;
        }
        let worker = self
            .devices
            .fiscal
            .as_ref()
            .and_then(|s| s.lock().ok().map(|s| s.clone()))
            .unwrap_or_default();
        let grey = Color32::from_gray(110);
        let red = Color32::from_rgb(200, 40, 40);
        let waiting = q.waiting.to_string();
        let (text, color) = if worker.offline {
            (lang.fill(T::FiscalOffline, &[&waiting]), red)
        } else if q.refused > 0 {
            (
                lang.fill(T::FiscalRefusedCount, &[&q.refused.to_string()]),
                red,
            )
        } else if q.waiting > 0 {
            (lang.fill(T::FiscalWaiting, &[&waiting]), grey)
        } else {
            (lang.t(T::FiscalReady).to_string(), grey)
        };
        let label = ui.label(RichText::new(text).color(color));
        if let Some(e) = worker.last_error.as_ref().or(q.last_error.as_ref()) {
            label.on_hover_text(e);
        }
        ui.separator();
    }

    /// Shows the Telegram bot's state in the status bar; `handle` is `None` when the bot is
    /// off (no token), and the bar says so.
    pub fn attach_bot(
        &mut self,
        status: crate::bot::BotStatus,
        handle: Option<crate::bot::BotHandle>,
    ) {
        self.devices.bot = Some(status);
        self.devices._bot = handle;
    }

    /// Hands the scanner thread's barcodes to the till (when the till is on screen).
    fn take_device_events(&mut self) {
        let Some(rx) = &self.devices.scanner_events else {
            return;
        };
        while let Ok(event) = rx.try_recv() {
            match event {
                ScannerEvent::State(s) => self.devices.scanner = s,
                ScannerEvent::Scan(code) => {
                    if let Screen::Main(m) = &mut self.screen
                        && m.tab == Tab::Till
                        && m.lock.is_none()
                    {
                        m.till.push_scan(code);
                    }
                }
            }
        }
    }

    fn devices_status(&self, ui: &mut egui::Ui, lang: Lang) {
        let grey = Color32::from_gray(110);
        let red = Color32::from_rgb(200, 40, 40);
        if let Some(status) = &self.devices.printer {
            let st = status.lock().map(|s| s.clone()).unwrap_or_default();
            let (text, color) = match st.state {
                PrinterState::NotConfigured => (lang.t(T::NoPrinter).to_string(), grey),
                PrinterState::Ready => (lang.t(T::PrinterReady).to_string(), grey),
                PrinterState::Offline => (lang.t(T::PrinterOff).to_string(), red),
                PrinterState::PaperOut => (lang.t(T::PrinterNoPaper).to_string(), red),
            };
            let label = ui.label(RichText::new(text).color(color));
            if let Some(e) = &st.last_error {
                label.on_hover_text(e);
            }
            if st.pending > 0 {
                ui.label(
                    RichText::new(lang.fill(T::PrinterWaiting, &[&st.pending.to_string()]))
                        .color(red),
                );
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs(1));
            }
            ui.separator();
        }
        if let Some(bot) = &self.devices.bot {
            use crate::bot::BotState;
            let (text, color, hover) = match bot.state() {
                BotState::Off => (lang.t(T::TelegramOff).to_string(), grey, None),
                BotState::Connecting => (lang.t(T::TelegramConnecting).to_string(), grey, None),
                BotState::Elsewhere => (lang.t(T::TelegramElsewhere).to_string(), grey, None),
                BotState::Running { username } => (
                    format!("{} (@{username})", lang.t(T::TelegramOn)),
                    grey,
                    None,
                ),
                BotState::Unreachable { error } => {
                    (lang.t(T::TelegramDown).to_string(), red, Some(error))
                }
                BotState::WebhookConflict { error } => {
                    (lang.t(T::TelegramWebhook).to_string(), red, Some(error))
                }
            };
            let label = ui.label(RichText::new(text).color(color));
            if let Some(e) = hover {
                label.on_hover_text(e);
            }
            let pending = bot.pending();
            if pending > 0 {
                ui.label(
                    RichText::new(lang.fill(
                        T::TelegramQueued,
                        &[&lang.count(pending as u64, crate::i18n::Noun::Message)],
                    ))
                    .color(grey),
                );
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(2));
            ui.separator();
        }
        if self.devices.scanner_events.is_some() {
            let text = match &self.devices.scanner {
                ScannerState::Connected(name) => format!("{} ({name})", lang.t(T::ScannerOn)),
                _ => lang.t(T::ScannerOff).to_string(),
            };
            ui.label(RichText::new(text).color(grey));
            ui.separator();
        }
    }

    fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        if let Some(path) = &self.lang_file {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = std::fs::write(path, lang.code()) {
                tracing::warn!("cannot remember the language in {}: {e}", path.display());
            }
        }
    }

    /// A notice stays until the user's next action (a key or a click at least half a second
    /// after it appeared); one that reports success also goes after eight seconds.
    fn expire_notice(&mut self, ui: &egui::Ui) {
        let Some(t) = &self.toast else {
            return;
        };
        let (now, acted) = ui.input(|i| {
            let acted = i.events.iter().any(|e| {
                matches!(
                    e,
                    egui::Event::Key { pressed: true, .. }
                        | egui::Event::PointerButton { pressed: true, .. }
                        | egui::Event::Text(_)
                )
            });
            (i.time, acted)
        });
        let age = now - self.toast_since;
        if (acted && age > 0.5) || (!t.error && age > 8.0) {
            self.toast = None;
        } else if !t.error {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64((8.0 - age).max(0.1)));
        }
    }

    /// The notice (an error in red, a success in green) as an overlay above everything, just
    /// above the status bar, wrapped to fit the window's width.
    fn notice_ui(&self, ui: &egui::Ui, bar_height: f32) {
        let Some(t) = &self.toast else {
            return;
        };
        let (fill, stroke) = if t.error {
            (
                Color32::from_rgb(255, 235, 235),
                Color32::from_rgb(200, 40, 40),
            )
        } else {
            (
                Color32::from_rgb(232, 248, 236),
                Color32::from_rgb(20, 120, 40),
            )
        };
        let screen = ui.ctx().content_rect();
        let width = (screen.width() - 48.0).clamp(200.0, 900.0);
        egui::Area::new(egui::Id::unique("notice"))
            .order(egui::Order::Tooltip)
            .anchor(
                egui::Align2::CENTER_BOTTOM,
                egui::vec2(0.0, -(bar_height + 8.0)),
            )
            .interactable(false)
            .show(ui.ctx(), |ui| {
                egui::Frame::new()
                    .fill(fill)
                    .stroke(egui::Stroke::new(2.0, stroke))
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(16, 10))
                    .show(ui, |ui| {
                        ui.set_max_width(width);
                        ui.add(
                            egui::Label::new(
                                RichText::new(&t.text).color(stroke).strong().size(18.0),
                            )
                            .wrap(),
                        );
                    });
            });
    }

    /// Runs `f` on a worker thread with its own connection to the database.
    fn spawn<T: Send + 'static>(
        &self,
        ctx: &egui::Context,
        f: impl FnOnce(&mut App) -> AppResult<T> + Send + 'static,
    ) -> Receiver<AppResult<T>> {
        let (tx, rx) = channel();
        let path = self.db_path.clone();
        let cost = self.bcrypt_cost;
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let result = App::open_existing(&path, Options { bcrypt_cost: cost })
                .and_then(|mut app| f(&mut app));
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        rx
    }

    /// One frame of the whole program.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let mut next: Option<Screen> = None;
        let mut new_lang: Option<Lang> = None;
        self.take_device_events();
        self.expire_notice(ui);
        // Wrapped: at 1024 px or in a long language the bar takes a second line rather than
        // pushing anything past the window's edge.
        let bar = egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                self.devices_status(ui, lang);
                self.fiscal_status(ui, lang);
                self.outbox_status(ui, lang);
                for l in Lang::ALL {
                    if ui.selectable_label(l == lang, l.name()).clicked() {
                        new_lang = Some(l);
                    }
                }
                ui.separator();
                if let Screen::Main(m) = &self.screen {
                    ui.label(format!(
                        "{} — {}",
                        m.session.full_name,
                        lang.role(m.session.role)
                    ));
                    ui.separator();
                    ui.label(m.till.shift_status(lang));
                    ui.separator();
                    let key = ui.input_mut(|i| i.consume_key(egui::Modifiers::CTRL, egui::Key::Q));
                    if ui.button(lang.t(T::LogOut)).clicked() || key {
                        next = Some(login_screen());
                    }
                }
            });
        });
        self.notice_ui(ui, bar.response.rect.height());
        // The database file deleted or moved under the window: said at once, in red, above
        // everything; every write (a sale, a payment) is refused by `app` meanwhile.
        let look = self
            .devices
            .database_gone
            .is_none_or(|(_, at)| at.elapsed() >= std::time::Duration::from_secs(1));
        if look {
            let gone = !self.app.database_present();
            self.devices.database_gone = Some((gone, std::time::Instant::now()));
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
        if self.devices.database_gone.is_some_and(|(gone, _)| gone) {
            let text = lang.fill(
                T::ErrDatabaseGone,
                &[&self.app.path().display().to_string()],
            );
            egui::Area::new(egui::Id::unique("database_gone"))
                .order(egui::Order::Tooltip)
                .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 8.0))
                .interactable(false)
                .show(ui.ctx(), |ui| {
                    let width = (ui.ctx().content_rect().width() - 48.0).clamp(200.0, 900.0);
                    egui::Frame::new()
                        .fill(Color32::from_rgb(200, 40, 40))
                        .corner_radius(6.0)
                        .inner_margin(egui::Margin::symmetric(16, 10))
                        .show(ui, |ui| {
                            ui.set_max_width(width);
                            ui.label(RichText::new(text).color(Color32::WHITE).strong());
                        });
                });
        }
        if let Some(l) = new_lang {
            self.set_lang(l);
            // Chosen by a logged-in employee: theirs from now on, on every machine.
            let session = match &mut self.screen {
                Screen::Main(m) => Some(&mut m.session),
                Screen::ChangePassword(state) => Some(&mut state.session),
                Screen::Login(_) => None,
            };
            if let Some(session) = session {
                session.language = Some(l.code().to_string());
                let session = session.clone();
                if let Err(e) = self.app.set_my_language(&session, l.code()) {
                    tracing::warn!("cannot remember the employee's language: {e}");
                }
            }
        }
        let lang = self.lang;
        let mut submit = false;
        let mut unlock = false;
        egui::CentralPanel::default().show(ui, |ui| {
            let outcome = match &mut self.screen {
                Screen::Login(state) => login_ui(ui, lang, state),
                Screen::ChangePassword(state) => change_ui(ui, lang, state),
                Screen::Main(m) => {
                    let now = ui.input(|i| i.time);
                    let active = ui.input(|i| {
                        i.events.iter().any(|e| {
                            !matches!(
                                e,
                                egui::Event::PointerMoved(_) | egui::Event::WindowFocused(_)
                            )
                        })
                    });
                    let last = *m.last_activity.get_or_insert(now);
                    if m.lock.is_none() && now - last > m.idle_limit {
                        m.lock = Some(LockState::default());
                    } else if active || m.lock.is_some() {
                        m.last_activity = Some(now);
                    }
                    if m.lock.is_none() {
                        // Wake up in time to lock even when nothing happens.
                        ui.ctx()
                            .request_repaint_after(std::time::Duration::from_secs_f64(
                                (m.idle_limit - (now - last)).max(0.5),
                            ));
                    }
                    match &mut m.lock {
                        Some(lock) => lock_ui(ui, lang, &m.session, lock),
                        None => {
                            let mut toast = None;
                            main_ui(ui, lang, m, &mut self.app, &mut toast);
                            if m.till.take_refusal()
                                && let Some(sound) = &self.devices.sound
                            {
                                sound.play(crate::devices::sound::Tone::Refused);
                            }
                            if toast.is_some() {
                                self.toast = toast;
                                self.toast_since = now;
                            }
                            Outcome::Stay
                        }
                    }
                }
            };
            match outcome {
                Outcome::Stay => {}
                Outcome::Submit => submit = true,
                Outcome::Unlock => unlock = true,
                Outcome::Go(s) => next = Some(s),
            }
        });
        // Start the slow work the screen asked for on a worker thread.
        if submit {
            let ctx = ui.ctx().clone();
            let pending = match &mut self.screen {
                Screen::Login(state) => {
                    let (login, password) =
                        (state.login.clone(), std::mem::take(&mut state.password));
                    state.error = None;
                    Pending::Login(self.spawn(&ctx, move |app| app.login(&login, &password)))
                }
                Screen::ChangePassword(state) if state.new != state.repeat => {
                    state.error = Some(lang.t(T::PasswordsDiffer).into());
                    Pending::None
                }
                Screen::ChangePassword(state) => {
                    let (session, old, new) =
                        (state.session.clone(), state.old.clone(), state.new.clone());
                    state.error = None;
                    Pending::Change(
                        self.spawn(&ctx, move |app| app.change_password(&session, &old, &new)),
                    )
                }
                Screen::Main(m) => match &mut m.lock {
                    Some(lock) => {
                        let (login, password) =
                            (m.session.login.clone(), std::mem::take(&mut lock.password));
                        lock.error = None;
                        let session = m.session.clone();
                        match self.app.offline_unlock(&session) {
                            // The server is away: the password is checked against the hash
                            // the till read at log-in.
                            Some(hash) => {
                                Pending::Unlock(unlock_offline(&ctx, session, password, hash))
                            }
                            None => Pending::Unlock(
                                self.spawn(&ctx, move |app| app.login(&login, &password)),
                            ),
                        }
                    }
                    None => Pending::None,
                },
            };
            match (&mut self.screen, pending) {
                (Screen::Login(state), Pending::Login(rx)) => state.pending = Some(rx),
                (Screen::ChangePassword(state), Pending::Change(rx)) => state.pending = Some(rx),
                (Screen::Main(m), Pending::Unlock(rx)) => {
                    if let Some(lock) = &mut m.lock {
                        lock.pending = Some(rx);
                    }
                }
                _ => {}
            }
        }
        if unlock && let Screen::Main(m) = &mut self.screen {
            m.lock = None;
            m.last_activity = None;
        }
        if let Some(mut s) = next {
            // The window speaks the language the employee chose last time.
            let chosen = match &s {
                Screen::Main(m) => m.session.language.as_deref(),
                Screen::ChangePassword(state) => state.session.language.as_deref(),
                Screen::Login(_) => None,
            };
            if let Some(l) = chosen.and_then(Lang::parse)
                && l != self.lang
            {
                self.set_lang(l);
            }
            if let Screen::Main(m) = &mut s {
                m.till.load(&mut self.app, &m.session);
                // For unlocking the till while its server is away.
                self.app.remember_for_offline(&m.session);
                if let Some(minutes) = self
                    .app
                    .setting(&m.session, IDLE_MINUTES_KEY)
                    .ok()
                    .flatten()
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|v| *v > 0.0)
                {
                    m.idle_limit = minutes * 60.0;
                }
            }
            if matches!(s, Screen::Login(_)) {
                self.toast = None;
            }
            self.screen = s;
        }
    }
}

/// Checks the password of a locked till's employee against `hash` on a worker thread (bcrypt
/// takes a moment): the session back when it matches.
fn unlock_offline(
    ctx: &egui::Context,
    session: Session,
    password: String,
    hash: String,
) -> Receiver<AppResult<Session>> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let result = if bcrypt::verify(&password, &hash).unwrap_or(false) {
            Ok(session)
        } else {
            Err(AppError::WrongCredentials)
        };
        let _ = tx.send(result);
        ctx.request_repaint();
    });
    rx
}

/// What a screen asks of the frame.
enum Outcome {
    Stay,
    /// Start the screen's slow work (log in, change the password, unlock).
    Submit,
    /// The locked till was opened again by its employee.
    Unlock,
    Go(Screen),
}

enum Pending {
    None,
    Login(Receiver<AppResult<Session>>),
    Change(Receiver<AppResult<Session>>),
    Unlock(Receiver<AppResult<Session>>),
}

fn poll<T>(rx: &mut Option<Receiver<AppResult<T>>>, ui: &egui::Ui) -> Option<AppResult<T>> {
    let r = rx.as_ref()?;
    match r.try_recv() {
        Ok(v) => {
            *rx = None;
            Some(v)
        }
        Err(TryRecvError::Empty) => {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(30));
            None
        }
        Err(TryRecvError::Disconnected) => {
            *rx = None;
            Some(Err(AppError::invalid("worker", "stopped")))
        }
    }
}

/// A labelled field for an amount of money or a quantity ([`limits::AMOUNT`] characters).
pub fn amount_field(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .char_limit(limits::AMOUNT)
            .desired_width(280.0),
    )
    .labelled_by(l.id)
}

/// A label and a single-line text field tied to it (so tests and screen readers find it).
pub fn field(ui: &mut egui::Ui, label: &str, value: &mut String, password: bool) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .char_limit(limits::FIELD)
            .password(password)
            .desired_width(280.0),
    )
    .labelled_by(l.id)
}

/// A labelled field that, when `fresh` (the first frame of a dialog), takes the focus with
/// its text selected, so that typing replaces the suggested value.
pub fn dialog_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    fresh: bool,
    kind: scan::FieldKind,
) -> egui::Response {
    let l = ui.label(label);
    // Quantities, discounts and counted cash are short; a marking code is long.
    let limit = match kind {
        scan::FieldKind::Count | scan::FieldKind::Money => limits::AMOUNT,
        _ => limits::FIELD,
    };
    let out = egui::TextEdit::singleline(value)
        .char_limit(limit)
        .desired_width(280.0)
        .show(ui);
    let r = out.response.response.clone().labelled_by(l.id);
    scan::mark_field(ui.ctx(), r.id, kind);
    if fresh {
        r.request_focus();
        let mut state = out.state;
        let end = egui::text::CCursor::new(value.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::two(
                egui::text::CCursor::new(0),
                end,
            )));
        state.store(ui.ctx(), r.id);
    }
    r
}

fn login_ui(ui: &mut egui::Ui, lang: Lang, st: &mut LoginState) -> Outcome {
    if let Some(result) = poll(&mut st.pending, ui) {
        match result {
            Ok(session) if session.must_change_password => {
                return Outcome::Go(Screen::ChangePassword(ChangeState {
                    session,
                    old: String::new(),
                    new: String::new(),
                    repeat: String::new(),
                    pending: None,
                    error: None,
                }));
            }
            Ok(session) => {
                return Outcome::Go(Screen::Main(Box::new(MainState::new(session))));
            }
            Err(e) => st.error = Some(error_text(lang, &e)),
        }
    }
    let mut outcome = Outcome::Stay;
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading(RichText::new(lang.t(T::AppTitle)).size(32.0));
        ui.add_space(20.0);
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Enter));
        let user = field(ui, lang.t(T::Login), &mut st.login, false);
        if st.login.is_empty()
            && !user.has_focus()
            && st.pending.is_none()
            && ui.memory(|m| m.focused().is_none())
        {
            user.request_focus();
        }
        field(ui, lang.t(T::Password), &mut st.password, true);
        ui.add_space(10.0);
        let busy = st.pending.is_some();
        let clicked = ui
            .add_enabled(!busy, egui::Button::new(lang.t(T::LogIn)))
            .clicked();
        if (clicked || enter) && !busy && !st.login.trim().is_empty() {
            outcome = Outcome::Submit;
        }
        if busy {
            ui.label(lang.t(T::LoggingIn));
        }
        if let Some(e) = &st.error {
            ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
        }
    });
    outcome
}

/// The locked till: the same employee's password opens it again, with the cart as it was.
fn lock_ui(ui: &mut egui::Ui, lang: Lang, session: &Session, lock: &mut LockState) -> Outcome {
    if let Some(result) = poll(&mut lock.pending, ui) {
        match result {
            Ok(s) if s.employee_id == session.employee_id => {
                lock.error = None;
                lock.password.clear();
                return Outcome::Unlock;
            }
            Ok(_) => lock.error = Some(lang.t(T::ErrWrongCredentials).into()),
            Err(e) => lock.error = Some(error_text(lang, &e)),
        }
    }
    let mut outcome = Outcome::Stay;
    ui.vertical_centered(|ui| {
        ui.add_space(80.0);
        ui.heading(lang.t(T::Locked));
        ui.label(lang.fill(T::LockedFor, &[&session.full_name]));
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Enter));
        let r = field(ui, lang.t(T::Password), &mut lock.password, true);
        if ui.memory(|m| m.focused().is_none()) {
            r.request_focus();
        }
        let busy = lock.pending.is_some();
        if (ui
            .add_enabled(!busy, egui::Button::new(lang.t(T::Unlock)))
            .clicked()
            || enter)
            && !busy
        {
            outcome = Outcome::Submit;
        }
        if let Some(e) = &lock.error {
            ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
        }
    });
    outcome
}

fn change_ui(ui: &mut egui::Ui, lang: Lang, st: &mut ChangeState) -> Outcome {
    if let Some(result) = poll(&mut st.pending, ui) {
        match result {
            Ok(session) => {
                return Outcome::Go(Screen::Main(Box::new(MainState::new(session))));
            }
            Err(e) => st.error = Some(error_text(lang, &e)),
        }
    }
    let mut outcome = Outcome::Stay;
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading(lang.t(T::ChangePasswordTitle));
        ui.label(lang.t(T::ChangePasswordWhy));
        ui.add_space(10.0);
        let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Enter));
        let old = field(ui, lang.t(T::OldPassword), &mut st.old, true);
        if ui.memory(|m| m.focused().is_none()) {
            old.request_focus();
        }
        field(ui, lang.t(T::NewPassword), &mut st.new, true);
        field(ui, lang.t(T::RepeatPassword), &mut st.repeat, true);
        let busy = st.pending.is_some();
        if (ui
            .add_enabled(!busy, egui::Button::new(lang.t(T::Save)))
            .clicked()
            || enter)
            && !busy
        {
            outcome = Outcome::Submit;
        }
        if let Some(e) = &st.error {
            ui.label(RichText::new(e).color(Color32::from_rgb(200, 40, 40)));
        }
    });
    outcome
}

fn main_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    m: &mut MainState,
    app: &mut App,
    toast: &mut Option<Toast>,
) {
    egui::Panel::top("tabs").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for tab in Tab::ALL {
                if m.session.can(tab.needs())
                    && ui
                        .selectable_label(m.tab == tab, lang.t(tab.label()))
                        .clicked()
                {
                    m.tab = tab;
                }
            }
        });
    });
    let (s, o) = (&m.session, &mut m.office);
    egui::CentralPanel::default().show(ui, |ui| match m.tab {
        Tab::Till => m.till.ui(ui, lang, app, s, toast),
        Tab::Products => o.products.ui(ui, lang, app, s, toast),
        Tab::Stock => o.stock.ui(ui, lang, app, s, toast),
        Tab::Suppliers => o.suppliers.ui(ui, lang, app, s, toast),
        Tab::Customers => o.customers.ui(ui, lang, app, s, toast),
        Tab::Sales => o.sales.ui(ui, lang, app, s, toast),
        Tab::Expenses => o.expenses.ui(ui, lang, app, s, toast),
        Tab::Reports => o.reports.ui(ui, lang, app, s, toast),
        Tab::Staff => o.staff.ui(ui, lang, app, s, toast),
        Tab::Audit => o.audit.ui(ui, lang, app, s, toast),
        Tab::Settings => o.settings.ui(ui, lang, app, s, toast),
    });
}

/// When the process started, for the start-up time logged at the first frame.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The eframe application: the start screen until the database is open, then [`KassaGui`]
/// with the one-program lock held for as long as the window lives.
enum Window {
    Start(start::Start),
    Running {
        gui: Box<KassaGui>,
        /// The log-in screen has not drawn a frame yet: keys typed meanwhile wait for it
        /// (its login field takes the focus in its first frame).
        fresh: bool,
        _lock: Option<crate::store::lock::InstanceLock>,
        /// The quick check of the file, still running.
        health: Option<Receiver<Result<(), crate::store::StoreError>>>,
        db: PathBuf,
    },
}

thread_local! {
    /// Input events held back for the next frame by [`hold_after_focus_move`] (the UI
    /// thread's own).
    static HELD: std::cell::RefCell<Vec<egui::Event>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Where a frame's events must be cut so that what was typed lands where the user typed it:
/// after a Tab (it moves the keyboard focus only at the end of the frame that sees it), or
/// before a mouse press that follows typing (the press takes the focus away before the typed
/// keys are handled). `None` when the events can all go in one frame.
fn focus_cut(events: &[egui::Event]) -> Option<usize> {
    let mut typed = false;
    for (i, e) in events.iter().enumerate() {
        match e {
            egui::Event::Key {
                key: egui::Key::Tab,
                pressed: true,
                ..
            } => return (i + 1 < events.len()).then_some(i + 1),
            egui::Event::Text(_) | egui::Event::Key { .. } | egui::Event::Paste(_) => typed = true,
            egui::Event::PointerButton { pressed: true, .. } if typed => return Some(i),
            _ => {}
        }
    }
    None
}

/// On a busy machine one frame collects several of the user's actions. A Tab and the keys
/// typed after it would put those keys in the field being left (a login typed as
/// "menejer474demo12345" with an empty password, seen under Xvfb while a build ran); keys
/// typed just before a click on a button would be dropped (a file name lost its last letter).
/// The events from such a point wait for the next frame, in order; `held` carries them over.
/// Returns whether some wait.
pub fn hold_after_focus_move(held: &mut Vec<egui::Event>, raw: &mut egui::RawInput) -> bool {
    if !held.is_empty() {
        let mut events = std::mem::take(held);
        events.append(&mut raw.events);
        raw.events = events;
    }
    if let Some(i) = focus_cut(&raw.events) {
        *held = raw.events.split_off(i);
    }
    !held.is_empty()
}

impl eframe::App for Window {
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        let mut waiting = HELD.with(|h| hold_after_focus_move(&mut h.borrow_mut(), raw_input));
        // Typed while the database opens (a cashier does not wait for the screen): kept for
        // the log-in screen, never lost.
        let keep_typing = match self {
            Window::Start(s) => !s.takes_input(),
            Window::Running { fresh, .. } => std::mem::take(fresh),
        };
        if keep_typing {
            let typed = |e: &egui::Event| {
                matches!(
                    e,
                    egui::Event::Text(_) | egui::Event::Key { .. } | egui::Event::Paste(_)
                )
            };
            let (keys, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut raw_input.events)
                .into_iter()
                .partition(typed);
            raw_input.events = rest;
            if !keys.is_empty() {
                HELD.with(|h| h.borrow_mut().extend(keys));
            }
            waiting = waiting || HELD.with(|h| !h.borrow().is_empty());
        }
        if waiting {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        match self {
            Window::Start(s) => {
                if let Some(opened) = s.ui(ui) {
                    let db = s.db().to_path_buf();
                    let mut gui = Box::new(opened.gui);
                    attach_devices(&mut gui, &db, ui.ctx());
                    // A file's daily copy; a server is backed up with pg_dump.
                    if crate::store::server_address(&db).is_none() {
                        start_daily_backups(db);
                    }
                    if let Some(t) = STARTED.get() {
                        tracing::info!(
                            "start-up to the log-in screen: {:.0} ms",
                            t.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                    *self = Window::Running {
                        gui,
                        fresh: true,
                        _lock: opened.lock,
                        health: Some(opened.health),
                        db: s.db().to_path_buf(),
                    };
                    ui.ctx().request_repaint();
                }
            }
            Window::Running {
                gui, health, db, ..
            } => {
                let damaged = match health.as_ref().map(|h| h.try_recv()) {
                    Some(Ok(Ok(()))) | Some(Err(TryRecvError::Disconnected)) => {
                        *health = None;
                        None
                    }
                    Some(Ok(Err(e))) => Some(e),
                    Some(Err(TryRecvError::Empty)) | None => None,
                };
                if let Some(e) = damaged {
                    // A damaged file: back to the start screen with the reason and what to
                    // do; the device threads and the lock go with the GUI.
                    let (lang, db) = (gui.lang(), db.clone());
                    *self =
                        Window::Start(start::Start::damaged(db, lang, default_language_file(), e));
                    ui.ctx().request_repaint();
                    return;
                }
                gui.ui(ui)
            }
        }
    }
}

/// Starts the printer, bot and scanner threads for the opened database.
fn attach_devices(gui: &mut KassaGui, db_path: &std::path::Path, ctx: &egui::Context) {
    let status = Arc::new(Mutex::new(PrinterStatus::default()));
    let (wake, wake_rx) = channel();
    match printer::spawn(db_path, status.clone(), wake_rx) {
        Ok(_) => gui.attach_printer(status, wake),
        Err(e) => tracing::error!("cannot start the printer thread: {e}"),
    }
    let fiscal_state = Arc::new(Mutex::new(crate::fiscal::WorkerState::default()));
    let (fiscal_wake, fiscal_rx) = channel();
    match crate::fiscal::spawn(db_path, fiscal_state.clone(), fiscal_rx) {
        Ok(_) => gui.attach_fiscal(fiscal_state, fiscal_wake),
        Err(e) => tracing::error!("cannot start the fiscal thread: {e}"),
    }
    match crate::devices::sound::Sound::spawn() {
        Ok(sound) => gui.attach_sound(sound),
        Err(e) => tracing::error!("cannot start the sound thread: {e}"),
    }
    let bot_status = crate::bot::BotStatus::default();
    match crate::bot::BotConfig::from_settings(db_path.to_path_buf()) {
        Ok(Some(cfg)) => match crate::bot::spawn(cfg, bot_status.clone()) {
            Ok(handle) => gui.attach_bot(bot_status, Some(handle)),
            Err(e) => tracing::error!("cannot start the Telegram bot thread: {e}"),
        },
        Ok(None) => gui.attach_bot(bot_status, None),
        Err(e) => tracing::error!("Telegram bot: {e}"),
    }
    let wanted = match gui.app.scanner_ids().map(|s| Wanted::parse(&s)) {
        Ok(Ok(w)) => w,
        _ => Wanted::AnyPos,
    };
    let (scan_tx, scan_rx) = channel();
    gui.attach_scanner(scan_rx);
    let ctx = ctx.clone();
    let stop = Arc::new(AtomicBool::new(false));
    if let Err(e) = scanner::spawn(
        wanted,
        scan_tx,
        Box::new(move || ctx.request_repaint()),
        stop,
    ) {
        tracing::error!("cannot start the scanner thread: {e}");
    }
}

/// How many automatic backups to keep.
pub const BACKUPS_KEPT: usize = 30;

/// The automatic daily backup: a thread with its own connection that takes a backup when
/// none was taken today, checking every hour. Failures are logged and tried again later.
fn start_daily_backups(db_path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("daily-backup".into())
        .spawn(move || {
            loop {
                match App::open_existing(&db_path, Options::default())
                    .and_then(|mut app| app.daily_backup_if_due(BACKUPS_KEPT))
                {
                    Ok(Some(path)) => tracing::info!("daily backup written to {}", path.display()),
                    Ok(None) => {}
                    Err(e) => tracing::warn!("daily backup failed: {e}"),
                }
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start the daily backup thread: {e}");
    }
}

/// Opens the window on `db_path`: the start screen takes the lock and opens the database
/// (see [`start`]), then the log-in screen.
pub fn run(db_path: PathBuf) -> Result<(), String> {
    let lang_file = default_language_file();
    let lang = remembered_language(lang_file.as_deref());
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kassa")
            .with_inner_size([1280.0, 720.0])
            .with_min_inner_size([1024.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "Kassa",
        options,
        Box::new(move |cc| {
            setup_style(&cc.egui_ctx);
            Ok(Box::new(Window::Start(start::Start::new(
                db_path,
                lang,
                lang_file,
                &cc.egui_ctx,
            ))))
        }),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: egui::Key, pressed: bool) -> egui::Event {
        egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        }
    }

    fn press(pressed: bool) -> egui::Event {
        egui::Event::PointerButton {
            pos: egui::pos2(10.0, 10.0),
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        }
    }

    #[test]
    fn typed_keys_wait_behind_a_tab_and_before_a_click() {
        let text = |s: &str| egui::Event::Text(s.into());
        let mut raw = egui::RawInput {
            events: vec![
                text("menejer"),
                key(egui::Key::Tab, true),
                key(egui::Key::Tab, false),
                text("parol"),
                press(true),
                press(false),
            ],
            ..Default::default()
        };
        let mut held = Vec::new();
        // Frame 1: up to the Tab.
        assert!(hold_after_focus_move(&mut held, &mut raw));
        assert_eq!(raw.events, vec![text("menejer"), key(egui::Key::Tab, true)]);
        // Frame 2: the password, not the click after it.
        raw.events = vec![];
        assert!(hold_after_focus_move(&mut held, &mut raw));
        assert_eq!(raw.events, vec![key(egui::Key::Tab, false), text("parol")]);
        // Frame 3: the click, then what came meanwhile (typed after the click).
        raw.events = vec![text("x")];
        assert!(!hold_after_focus_move(&mut held, &mut raw));
        assert_eq!(raw.events, vec![press(true), press(false), text("x")]);
        // A click alone, or typing alone, goes in one frame.
        raw.events = vec![press(true), press(false), text("abc")];
        assert!(!hold_after_focus_move(&mut held, &mut raw));
        assert_eq!(raw.events.len(), 3);
    }
}
