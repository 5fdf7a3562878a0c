//! Telegram messages that may not have arrived (the request reached Telegram, no answer
//! came): listed beside the broadcast with the customer, the time tried and the text, each
//! with "Send again" for the owner who has decided it did not arrive (audited), and "Send all
//! again" (asked once more first). The bot never sends them again by itself.

use egui::RichText;

use super::Freshness;
use crate::app::error_text;
use crate::app::{App, Session, UncertainMessage};
use crate::i18n::{Lang, T};

/// The list and what the last "Send again" came to.
#[derive(Default)]
pub struct UncertainList {
    rows: Vec<UncertainMessage>,
    fresh: Freshness,
    notice: Option<(String, bool)>,
    /// "Send all again" was pressed: its confirmation is shown.
    confirm_all: bool,
}

impl UncertainList {
    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, app: &mut App, session: &Session) {
        if self.fresh.stale(ui, 5.0) {
            if let Ok(rows) = app.uncertain_messages(session) {
                self.rows = rows;
            }
            self.fresh.read(ui);
        }
        ui.separator();
        ui.strong(lang.t(T::UncertainTitle));
        if let Some((text, error)) = &self.notice {
            let text = RichText::new(text.as_str());
            ui.label(if *error { text.color(super::RED) } else { text });
        }
        if self.rows.is_empty() {
            ui.label(lang.t(T::UncertainNone));
            return;
        }
        ui.label(RichText::new(lang.t(T::UncertainHint)).small());
        let n = self.rows.len().to_string();
        let mut resend_all = false;
        if self.confirm_all {
            ui.label(RichText::new(lang.fill(T::UncertainResendAllAsk, &[&n])).color(super::RED));
            ui.horizontal(|ui| {
                resend_all = ui.button(lang.t(T::UncertainResendAllYes)).clicked();
                if ui.button(lang.t(T::Cancel)).clicked() {
                    self.confirm_all = false;
                }
            });
        } else if ui.button(lang.fill(T::UncertainResendAll, &[&n])).clicked() {
            self.confirm_all = true;
        }
        let mut resend = None;
        egui::ScrollArea::vertical()
            .id_salt("uncertain_messages")
            .max_height(260.0)
            .show(ui, |ui| {
                for m in &self.rows {
                    ui.group(|ui| {
                        ui.set_width(ui.available_width());
                        ui.label(RichText::new(format!("{} · {}", m.to, m.at)).strong());
                        let short: String = m.text.chars().take(160).collect();
                        let more = m.text.chars().count() > 160;
                        ui.label(if more { format!("{short}…") } else { short })
                            .on_hover_text(m.text.as_str());
                        if ui.button(lang.t(T::UncertainResend)).clicked() {
                            resend = Some(m.id);
                        }
                    });
                }
            });
        if resend_all {
            self.confirm_all = false;
            self.notice = Some(match app.resend_all_uncertain(session) {
                Ok(n) => (lang.fill(T::UncertainResentAll, &[&n.to_string()]), false),
                Err(e) => (error_text(lang, &e), true),
            });
        }
        if let Some(id) = resend {
            self.notice = Some(match app.resend_message(session, id) {
                Ok(()) => (lang.t(T::UncertainResent).to_string(), false),
                Err(e) => (error_text(lang, &e), true),
            });
        }
        if (resend_all || resend.is_some())
            && let Ok(rows) = app.uncertain_messages(session)
        {
            self.rows = rows;
        }
    }
}
