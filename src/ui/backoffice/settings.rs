//! Settings (admin): the shop on the receipt, time zone, language,
//! low-stock default, printer and scanner, Telegram, backups. Stored in the settings table;
//! secrets (the bot token) are shown masked and only replaced when a new value is typed.
//! Below the fields, the non-cash payment methods. Beside them, the Telegram broadcast to every linked customer, with its progress.

use std::collections::HashMap;

use egui::RichText;

use super::{err_toast, field_error, ok_toast};
use crate::app::error_text;
use crate::app::{App, AppError, BroadcastProgress, Session, setting_keys as keys};
use crate::domain::Action;
use crate::i18n::{Lang, T};
use crate::ui::Toast;

/// (key, label, secret)
const FIELDS: &[(&str, T, bool)] = &[
    (keys::SHOP_NAME, T::ShopName, false),
    (keys::SHOP_ADDRESS, T::Address, false),
    (keys::SHOP_PHONE, T::Phone, false),
    (keys::TIMEZONE, T::TimeZone, false),
    (keys::LANGUAGE, T::ShopLanguage, false),
    (keys::LOW_STOCK_DEFAULT, T::LowStockDefault, false),
    (keys::ALLOW_NEGATIVE_STOCK, T::AllowNegativeStock, false),
    (keys::CREDIT_DEFAULT_LIMIT, T::CreditDefaultLimit, false),
    (keys::OFFLINE_NASIYA_LIMIT, T::OfflineNasiyaLimit, false),
    (keys::PRINTER_PORT, T::PrinterPort, false),
    (keys::PRINTER_WIDTH, T::PaperWidth, false),
    (keys::PRINTER_CODEPAGE, T::CodePage, false),
    (keys::LABEL_PORT, T::LabelPrinterPort, false),
    (keys::LABEL_CODEPAGE, T::LabelCodePage, false),
    (keys::SCANNER_IDS, T::ScannerIds, false),
    (keys::IDLE_MINUTES, T::IdleMinutes, false),
    (keys::TELEGRAM_TOKEN, T::BotToken, true),
    (keys::TELEGRAM_ADMIN_CHATS, T::AdminChats, false),
    (keys::REMINDER_HOUR, T::ReminderHour, false),
    (keys::CLOSING_HOUR, T::ClosingHour, false),
    (keys::OVERDUE_EVERY_DAYS, T::OverdueDays, false),
    (keys::TELEGRAM_REGISTER, T::RegisterUnknown, false),
    (keys::BACKUP_DIR, T::BackupDir, false),
    (keys::FISCAL_PROVIDER, T::FiscalProvider, false),
    (keys::FISCAL_URL, T::FiscalUrl, false),
    (keys::FISCAL_LOGIN, T::FiscalLogin, false),
    (keys::FISCAL_PASSWORD, T::FiscalPassword, true),
    (keys::FISCAL_POS_ID, T::FiscalPosId, false),
];

#[derive(Default)]
pub struct SettingsTab {
    loaded: bool,
    stored: HashMap<String, String>,
    edit: HashMap<&'static str, String>,
    errors: HashMap<&'static str, String>,
    broadcast: BroadcastForm,
    /// Printers installed in Windows (none elsewhere), read with the settings.
    printers: Vec<String>,
    uncertain: super::uncertain::UncertainList,
    methods: super::payment_methods::MethodsEditor,
    browse_backups: crate::ui::file_dialog::Browse,
}

/// The broadcast form and the last broadcast's progress.
#[derive(Default)]
struct BroadcastForm {
    text: String,
    error: Option<String>,
    /// The broadcast being followed and its progress when last looked at.
    current: Option<(i32, BroadcastProgress, std::time::Instant)>,
}

impl BroadcastForm {
    fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, app: &mut App, session: &Session) {
        ui.heading(lang.t(T::Broadcast));
        let l = ui.label(lang.t(T::BroadcastText));
        ui.add(
            egui::TextEdit::multiline(&mut self.text)
                .char_limit(crate::ui::limits::MESSAGE)
                .desired_rows(4)
                .desired_width(360.0),
        )
        .labelled_by(l.id);
        if ui.button(lang.t(T::BroadcastSend)).clicked() {
            self.error = None;
            match app.broadcast(session, &self.text) {
                Ok((id, recipients)) => {
                    self.text.clear();
                    let p = BroadcastProgress {
                        recipients,
                        pending: recipients,
                        ..Default::default()
                    };
                    self.current = Some((id, p, std::time::Instant::now()));
                }
                Err(e) => {
                    self.error = Some(match &e {
                        AppError::Invalid { field, .. } if *field == "telegram.token" => {
                            lang.t(T::BroadcastNoBot).to_string()
                        }
                        _ => error_text(lang, &e),
                    })
                }
            }
        }
        field_error(ui, &self.error);
        if let Some((id, progress, looked)) = &mut self.current {
            // The bot thread sends; look at the outbox twice a second while it is not done.
            if !progress.done() && looked.elapsed() >= std::time::Duration::from_millis(500) {
                if let Ok(p) = app.broadcast_progress(session, *id) {
                    *progress = p;
                }
                *looked = std::time::Instant::now();
            }
            if !progress.done() {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
            ui.label(lang.fill(
                T::BroadcastProgressText,
                &[
                    &progress.recipients.to_string(),
                    &progress.sent.to_string(),
                    &progress.failed.to_string(),
                    &progress.pending.to_string(),
                ],
            ));
            if progress.recipients > 0 {
                let done = (progress.sent + progress.failed) as f32 / progress.recipients as f32;
                ui.add(egui::ProgressBar::new(done).desired_width(360.0));
            }
        }
    }
}

impl SettingsTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        match app.all_settings(session) {
            Ok(all) => self.stored = all.into_iter().collect(),
            Err(e) => *toast = err_toast(lang, &e),
        }
        self.edit = FIELDS
            .iter()
            .map(|(k, _, secret)| {
                (
                    *k,
                    if *secret {
                        String::new()
                    } else {
                        shown_value(lang, k, self.stored.get(*k).map(String::as_str))
                    },
                )
            })
            .collect();
        self.errors.clear();
        self.printers = crate::platform::installed_printers();
        self.loaded = true;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if !self.loaded {
            self.reload(app, session, lang, toast);
        }
        // The broadcast in a panel on the right, the settings beside it, so both fit 1280×720.
        if session.can(Action::Broadcast) {
            egui::Panel::right("broadcast_panel")
                .resizable(false)
                .exact_size(400.0)
                .show(ui, |ui| {
                    self.broadcast.ui(ui, lang, app, session);
                    self.uncertain.ui(ui, lang, app, session);
                });
        }
        self.settings_ui(ui, lang, app, session, toast);
    }

    fn settings_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        // Save stays in view below the fields, however far they scroll.
        egui::Panel::bottom("settings_save").show(ui, |ui| {
            ui.add_space(4.0);
            if ui.button(lang.t(T::SaveButton)).clicked() {
                self.save(app, session, lang, toast);
            }
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            // Each label over its field and the refusal under the field, wrapped to the width
            // there is: beside the broadcast panel at 1024 px a row of label, field and
            // refusal would run under the panel.
            let width = ui.available_width().clamp(160.0, 420.0);
            for (key, label, secret) in FIELDS {
                let l = ui.label(lang.t(*label));
                let value = self.edit.entry(key).or_default();
                // The backup folder may also be chosen in the system's dialog, beside it.
                let browse = *key == keys::BACKUP_DIR;
                let field_width = if browse { width - 32.0 } else { width };
                ui.horizontal(|ui| {
                    let mut edit = egui::TextEdit::singleline(&mut *value)
                        .char_limit(crate::ui::limits::SETTING)
                        .desired_width(field_width);
                    if *secret {
                        let shown = self.stored.get(*key).cloned().unwrap_or_default();
                        edit = edit.password(true).hint_text(if shown.is_empty() {
                            lang.t(T::NotSet).to_string()
                        } else {
                            shown
                        });
                    }
                    ui.add_sized([field_width, 22.0], edit).labelled_by(l.id);
                    if browse {
                        self.browse_backups.button(
                            ui,
                            lang,
                            crate::ui::file_dialog::Pick::Folder,
                            value,
                        );
                    }
                });
                if let Some(e) = self.errors.get(key) {
                    ui.allocate_ui(egui::vec2(width, 0.0), |ui| {
                        ui.add(
                            egui::Label::new(RichText::new(e.as_str()).color(super::RED)).wrap(),
                        );
                    });
                }
                ui.add_space(6.0);
            }
            if !self.printers.is_empty() {
                // Windows: the installed printers by name, one click from the port fields.
                ui.separator();
                ui.label(RichText::new(lang.t(T::InstalledPrinters)).strong());
                egui::Grid::new("installed_printers")
                    .num_columns(3)
                    .show(ui, |ui| {
                        for name in &self.printers {
                            ui.label(name);
                            let port = format!("win:{name}");
                            if ui.button(lang.t(T::UseForReceipts)).clicked() {
                                self.edit.insert(keys::PRINTER_PORT, port.clone());
                            }
                            if ui.button(lang.t(T::UseForLabels)).clicked() {
                                self.edit.insert(keys::LABEL_PORT, port);
                            }
                            ui.end_row();
                        }
                    });
            }
            ui.separator();
            self.methods.ui(ui, lang, app, session, toast);
        });
    }

    /// Saves every changed field; a refused value is reported at its field.
    /// Saves every changed field, all or nothing: a refused value is shown at its field and
    /// nothing is saved.
    fn save(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        self.errors.clear();
        let mut changes: Vec<(&str, String)> = Vec::new();
        for (key, _, secret) in FIELDS {
            let new = self.edit.get(key).cloned().unwrap_or_default();
            let old = shown_value(lang, key, self.stored.get(*key).map(String::as_str));
            let changed = if *secret {
                !new.trim().is_empty()
            } else {
                new.trim() != old.trim()
            };
            if changed {
                changes.push((key, new));
            }
        }
        let pairs: Vec<(&str, &str)> = changes.iter().map(|(k, v)| (*k, v.as_str())).collect();
        match app.set_settings(session, &pairs) {
            Ok(()) => {
                *toast = ok_toast(lang.fill(T::SettingsSaved, &[&changes.len().to_string()]));
                self.loaded = false;
            }
            Err(errors) => {
                for (key, e) in errors {
                    match FIELDS.iter().find(|(k, _, _)| *k == key) {
                        Some((k, _, _)) => {
                            self.errors.insert(k, error_text(lang, &e));
                        }
                        None => *toast = err_toast(lang, &e),
                    }
                }
                if !self.errors.is_empty() {
                    *toast = Some(Toast {
                        text: lang.t(T::SettingsNotSaved).into(),
                        error: true,
                    });
                }
            }
        }
    }
}

/// A stored value as the Settings tab shows it: `yes`/`no` in the user's language.
fn shown_value(lang: Lang, key: &str, stored: Option<&str>) -> String {
    let v = stored.unwrap_or_default();
    match (key, v) {
        (keys::ALLOW_NEGATIVE_STOCK | keys::TELEGRAM_REGISTER, "yes") => lang.t(T::Yes).into(),
        (keys::ALLOW_NEGATIVE_STOCK | keys::TELEGRAM_REGISTER, "no") => lang.t(T::No).into(),
        _ => v.to_string(),
    }
}
