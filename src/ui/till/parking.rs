//! Parking a cart (F5) to serve the next customer, and taking a parked one back (F6): the
//! parked cart is stored through `app`, so it survives a restart and shows in the shift.

use super::*;

impl Till {
    pub(super) fn park(
        &mut self,
        app: &mut App,
        session: &Session,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        let Some(parked) = self.as_parked() else {
            return;
        };
        let label = self
            .cart
            .lines()
            .first()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        match app.park_cart(session, &label, self.total().0, &parked) {
            Ok(_) => {
                self.cart.clear();
                self.marking.clear();
                // Parking removed the saved cart in its own transaction.
                self.saved_cart = None;
                self.line_sel = None;
                self.checkout_key = None;
                self.discount_approver = None;
                *toast = Some(Toast {
                    text: lang.t(T::Parked).into(),
                    error: false,
                });
            }
            Err(e) => {
                *toast = Some(Toast {
                    text: error_text(lang, &e),
                    error: true,
                })
            }
        }
    }

    pub(super) fn resume(
        &mut self,
        app: &mut App,
        session: &Session,
        id: i32,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        match app.resume_parked_cart(session, id) {
            Ok(parked) => {
                if !self.cart.is_empty() {
                    // Keep what was on the till: park it in exchange.
                    self.park(app, session, lang, toast);
                }
                self.refill(parked, lang, toast);
                self.dialog = Dialog::None;
            }
            Err(e) => {
                *toast = Some(Toast {
                    text: error_text(lang, &e),
                    error: true,
                })
            }
        }
    }
}
