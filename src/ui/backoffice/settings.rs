//! Settings (admin): the shop on the receipt, currency display, time zone, language,
//! low-stock default, printer and scanner, Telegram, backups. Stored in the settings table;
//! secrets (the bot token) are shown masked and only replaced when a new value is typed.

use std::collections::HashMap;

use egui::RichText;

use super::{err_toast, field_error, ok_toast};
use crate::app::{App, Session, setting_keys as keys};
use crate::i18n::{Lang, T, error_text};
use crate::ui::Toast;

/// (key, label, secret)
const FIELDS: &[(&str, T, bool)] = &[
    (keys::SHOP_NAME, T::ShopName, false),
    (keys::SHOP_ADDRESS, T::Address, false),
    (keys::SHOP_PHONE, T::Phone, false),
    (keys::CURRENCY, T::CurrencyDisplay, false),
    (keys::TIMEZONE, T::TimeZone, false),
    (keys::LANGUAGE, T::ShopLanguage, false),
    (keys::LOW_STOCK_DEFAULT, T::LowStockDefault, false),
    (keys::PRINTER_PORT, T::PrinterPort, false),
    (keys::PRINTER_WIDTH, T::PaperWidth, false),
    (keys::PRINTER_CODEPAGE, T::CodePage, false),
    (keys::SCANNER_IDS, T::ScannerIds, false),
    (keys::TELEGRAM_TOKEN, T::BotToken, true),
    (keys::TELEGRAM_ADMIN_CHATS, T::AdminChats, false),
    (keys::BACKUP_DIR, T::BackupDir, false),
];

#[derive(Default)]
pub struct SettingsTab {
    loaded: bool,
    stored: HashMap<String, String>,
    edit: HashMap<&'static str, String>,
    errors: HashMap<&'static str, String>,
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
                        self.stored.get(*k).cloned().unwrap_or_default()
                    },
                )
            })
            .collect();
        self.errors.clear();
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
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("settings_grid")
                .num_columns(3)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for (key, label, secret) in FIELDS {
                        let l = ui.label(lang.t(*label));
                        let value = self.edit.entry(key).or_default();
                        let mut edit = egui::TextEdit::singleline(value).desired_width(360.0);
                        if *secret {
                            let shown = self.stored.get(*key).cloned().unwrap_or_default();
                            edit = edit.password(true).hint_text(if shown.is_empty() {
                                lang.t(T::NotSet).to_string()
                            } else {
                                shown
                            });
                        }
                        ui.add(edit).labelled_by(l.id);
                        match self.errors.get(key) {
                            Some(e) => ui.label(RichText::new(e.as_str()).color(super::RED)),
                            None => ui.label(""),
                        };
                        ui.end_row();
                    }
                });
            if ui.button(lang.t(T::SaveButton)).clicked() {
                self.errors.clear();
                let mut saved = 0;
                for (key, _, secret) in FIELDS {
                    let new = self.edit.get(key).cloned().unwrap_or_default();
                    let old = self.stored.get(*key).cloned().unwrap_or_default();
                    let changed = if *secret {
                        !new.trim().is_empty()
                    } else {
                        new.trim() != old.trim()
                    };
                    if !changed {
                        continue;
                    }
                    match app.set_setting(session, key, &new) {
                        Ok(()) => saved += 1,
                        Err(e) => {
                            self.errors.insert(key, error_text(lang, &e));
                        }
                    }
                }
                if self.errors.is_empty() {
                    *toast = ok_toast(lang.fill(T::SettingsSaved, &[&saved.to_string()]));
                    self.loaded = false;
                }
            }
            field_error(ui, &None);
        });
    }
}
