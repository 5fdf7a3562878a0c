//! The till's dialogs (quantity, discount, payment, shift close, text and receipt views,
//! parked carts): one modal at a time, Esc closes it and gives the focus back to the search.

mod approve;
mod close_shift;
mod discount;
mod parked;
mod quantity;
mod quick;
mod receipt;
mod text;

use super::payment::pay_ui;
use super::*;

/// The keys a dialog answers, taken once per frame before it is drawn.
struct Keys {
    enter: bool,
    /// Ctrl+P.
    print: bool,
    /// The dialog's first frame (its field takes the focus with its text selected).
    fresh: bool,
}

/// What a dialog asks the till to do once it is drawn.
#[derive(Default)]
struct Outcome {
    close: bool,
    finish_sale: bool,
    /// Take back this parked cart.
    resume: Option<i32>,
}

impl Till {
    pub(super) fn dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let kind = std::mem::discriminant(&self.dialog);
        let fresh = self.last_dialog != Some(kind);
        self.last_dialog = Some(kind);
        if matches!(self.dialog, Dialog::None) {
            return;
        }
        let ctx = ui.ctx().clone();
        let esc = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        if esc {
            self.dialog = Dialog::None;
            self.focus_search = true;
            return;
        }
        let keys = Keys {
            enter: ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter)),
            print: ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::P)),
            fresh,
        };
        let mut out = Outcome::default();
        let modal = egui::Modal::new(egui::Id::unique("till_dialog"));
        modal.show(&ctx, |ui| {
            ui.set_min_width(420.0);
            out = match self.dialog {
                Dialog::None => Outcome::default(),
                Dialog::Weigh { .. } => self.weigh_ui(ui, lang, toast, &keys),
                Dialog::Marking { .. } => self.marking_ui(ui, lang, toast, &keys),
                Dialog::Quantity { .. } => self.quantity_ui(ui, lang, &keys),
                Dialog::Discount { .. } => self.discount_ui(ui, lang, &keys),
                Dialog::Pay(ref mut pay) => {
                    let total = self.cart.totals().map(|t| t.total).unwrap_or_default();
                    let pressed = pay_ui(ui, lang, pay, total, app, session, keys.enter);
                    if pay.waiting() {
                        ui.ctx()
                            .request_repaint_after(std::time::Duration::from_millis(100));
                    }
                    Outcome {
                        finish_sale: pressed || pay.retry_due(),
                        ..Outcome::default()
                    }
                }
                Dialog::CloseShift { .. } => {
                    self.close_shift_ui(ui, lang, app, session, toast, &keys)
                }
                Dialog::Text { .. } => self.text_ui(ui, lang, app, session, toast, &keys),
                Dialog::Receipt { .. } => self.receipt_ui(ui, lang, app, session, toast, &keys),
                Dialog::Parked { .. } => self.parked_ui(ui, lang, &keys),
                Dialog::Quick { .. } => self.quick_ui(ui, lang, toast, &keys),
                Dialog::Approve { .. } => self.approve_ui(ui, lang, app, session, &keys),
            };
        });
        let Outcome {
            close,
            finish_sale,
            resume,
        } = out;
        if finish_sale {
            self.finish_sale(app, session, lang, toast);
        }
        if let Some(id) = resume {
            self.resume(app, session, id, lang, toast);
        }
        if close {
            self.dialog = Dialog::None;
            self.focus_search = true;
        }
    }
}

/// The foot of a dialog with a field: its refusal in red, then OK (or Enter) and Cancel
/// (which asks the dialog to close). Whether OK was chosen.
fn refusal_ok_cancel(
    ui: &mut egui::Ui,
    lang: Lang,
    error: Option<&str>,
    keys: &Keys,
    out: &mut Outcome,
) -> bool {
    if let Some(e) = error {
        ui.label(RichText::new(e).color(RED));
    }
    let ok = ui.button(lang.t(T::Ok)).clicked() || keys.enter;
    if ui.button(lang.t(T::Cancel)).clicked() {
        out.close = true;
    }
    ok
}

/// A discount as typed: an amount ("5000") or a percentage ("10%", two decimals at most);
/// a refusal in the user's language.
pub(super) fn parse_discount(text: &str, lang: Lang) -> Result<Discount, String> {
    let t = text.trim();
    if t.is_empty() || t == "0" {
        return Ok(Discount::None);
    }
    if let Some(p) = t.strip_suffix('%') {
        // Quantity has three decimals; basis points have two.
        return match Quantity::parse(p) {
            Ok(q) if q.0 >= 0 && q.0 % 10 == 0 && q.0 <= 100_000 => {
                Ok(Discount::Percent((q.0 / 10) as u32))
            }
            _ => Err(lang.fill(T::BadPercent, &[t])),
        };
    }
    Money::parse(t)
        .map(Discount::Amount)
        .map_err(|e| error_text(lang, &e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts_as_typed_and_refusals_in_the_language() {
        assert_eq!(parse_discount("10%", Lang::Uz), Ok(Discount::Percent(1000)));
        assert_eq!(
            parse_discount(" 12,5% ", Lang::Uz),
            Ok(Discount::Percent(1250))
        );
        assert_eq!(parse_discount("", Lang::Uz), Ok(Discount::None));
        assert_eq!(
            parse_discount("5000", Lang::Uz),
            Ok(Discount::Amount(Money::from_major(5000)))
        );
        for bad in ["101%", "1,234%", "x%"] {
            let e = parse_discount(bad, Lang::Ru).unwrap_err();
            assert!(e.starts_with("Неверный процент"), "{bad}: {e}");
        }
        let e = parse_discount("12a", Lang::Ru).unwrap_err();
        assert!(!e.contains("not") && !e.contains("amount"), "{e}");
    }
}
