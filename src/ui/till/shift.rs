//! Opening a shift with its starting cash, and the shift's figures as the till shows them.

use super::*;

impl Till {
    pub(super) fn open_shift_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(lang.t(T::OpenShiftTitle));
            ui.add_space(10.0);
            let enter = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
            let r = crate::ui::amount_field(ui, lang.t(T::StartingCash), &mut self.opening_cash);
            if ui.memory(|m| m.focused().is_none()) {
                r.request_focus();
            }
            if ui.button(lang.t(T::OpenShift)).clicked() || enter {
                // The drawer's cash is counted and typed, 0 included: an empty field is
                // not taken for 0.
                if self.opening_cash.trim().is_empty() {
                    self.refused = true;
                    *toast = Some(Toast {
                        text: lang.t(T::StartingCashNeeded).into(),
                        error: true,
                    });
                    return;
                }
                match Money::parse(&self.opening_cash)
                    .map_err(crate::app::AppError::from)
                    .and_then(|c| app.open_shift(session, c))
                {
                    Ok(shift) => {
                        self.shift = Some(shift);
                        // The last shift's change is not this one's.
                        self.last_change = None;
                        self.opening_cash.clear();
                        self.focus_search = true;
                        *toast = None;
                    }
                    Err(e) => {
                        *toast = Some(Toast {
                            text: error_text(lang, &e),
                            error: true,
                        })
                    }
                }
            }
        });
    }

    pub(super) fn report_lines(&self, lang: Lang, rep: &crate::app::ShiftReport) -> Vec<String> {
        let mut lines = Vec::new();
        for f in document::shift_figures(rep) {
            let value = match f.value {
                document::Figure::Money(v) => Money(v).text(lang),
                document::Figure::Count(n) => n.to_string(),
            };
            lines.push(format!("{}: {}", lang.t(f.label), value));
            for (label, amount) in document::figure_details(rep, f.label, lang) {
                lines.push(format!("    {label}: {}", Money(amount).text(lang)));
            }
        }
        if let Some(z) = &rep.fiscal_z {
            lines.push(format!("{}: {z}", lang.t(T::FiscalZ)));
        }
        // The audit chain's head, as the printed Z shows it.
        if let Some(anchor) = &rep.audit_anchor {
            lines.push(format!("{}: {anchor}", lang.t(T::AuditAnchor)));
        }
        lines
    }

    pub fn shift_status(&self, lang: Lang) -> String {
        match &self.shift {
            Some(s) => lang.fill(
                T::ShiftOpenSince,
                &[&crate::i18n::local_time(self.tz, s.opened_at)],
            ),
            None => lang.t(T::NoShift).to_string(),
        }
    }
}
