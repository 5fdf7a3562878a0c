//! A discount on the selected line or the whole sale (F4), as an amount or a percentage.

use super::*;

impl Till {
    pub(super) fn discount_ui(&mut self, ui: &mut egui::Ui, lang: Lang, keys: &Keys) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Discount {
            text,
            on_sale,
            error,
        } = &mut self.dialog
        else {
            return out;
        };
        ui.heading(lang.t(T::DiscountTitle));
        ui.horizontal(|ui| {
            if self.line_sel.is_some() {
                ui.radio_value(on_sale, false, lang.t(T::DiscountLine));
            }
            ui.radio_value(on_sale, true, lang.t(T::DiscountSale));
        });
        dialog_field(
            ui,
            lang.t(T::DiscountLabel),
            text,
            keys.fresh,
            FieldKind::Count,
        );
        let ok = refusal_ok_cancel(ui, lang, error.as_deref(), keys, &mut out);
        if ok {
            let result = parse_discount(text, lang).and_then(|d| {
                let r = if *on_sale {
                    self.cart.set_sale_discount(d)
                } else {
                    self.cart
                        .set_line_discount(self.line_sel.unwrap_or_default(), d)
                };
                r.map_err(|e| error_text(lang, &e.into()))
            });
            match result {
                Ok(()) => out.close = true,
                Err(e) => *error = Some(e),
            }
        }
        out
    }
}
