//! A manager's approval at the till (F4 as a cashier): the manager or admin types their own
//! login and password, checked and audited by `app` ([`App::approve`]); then the discount
//! dialog opens. The approval holds for this cart until it is sold or parked.

use super::*;

impl Till {
    pub(super) fn approve_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        keys: &Keys,
    ) -> Outcome {
        let Dialog::Approve {
            login,
            password,
            error,
        } = &mut self.dialog
        else {
            return Outcome::default();
        };
        ui.heading(lang.t(T::ApproveDiscountTitle));
        ui.label(lang.t(T::ApproveByManager));
        let l = field(ui, lang.t(T::Login), login, false);
        if keys.fresh {
            l.request_focus();
        }
        let p = field(ui, lang.t(T::Password), password, true);
        crate::ui::scan::mark_field(ui.ctx(), p.id, FieldKind::Secret);
        let mut out = Outcome::default();
        let ok = refusal_ok_cancel(ui, lang, error.as_deref(), keys, &mut out);
        if ok {
            let typed = std::mem::take(password);
            match app.approve(session, login, &typed, Action::GiveDiscount) {
                Ok(approver) => {
                    self.discount_approver = Some(approver);
                    self.dialog = Dialog::Discount {
                        text: String::new(),
                        on_sale: self.line_sel.is_none(),
                        error: None,
                    };
                }
                Err(e) => *error = Some(error_text(lang, &e)),
            }
        }
        out
    }
}
