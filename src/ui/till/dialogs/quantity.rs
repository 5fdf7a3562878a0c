//! The quantity of the selected cart line (F3); weighed goods to the gram.

use super::*;

impl Till {
    pub(super) fn quantity_ui(&mut self, ui: &mut egui::Ui, lang: Lang, keys: &Keys) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Quantity { line, text, error } = &mut self.dialog else {
            return out;
        };
        ui.heading(lang.t(T::QuantityTitle));
        if let Some(l) = self.cart.lines().get(*line) {
            ui.label(&*l.name);
        }
        dialog_field(ui, lang.t(T::QuantityLabel), text, keys.fresh);
        if let Some(e) = error {
            ui.label(RichText::new(e.as_str()).color(RED));
        }
        let ok = ui.button(lang.t(T::Ok)).clicked() || keys.enter;
        if ui.button(lang.t(T::Cancel)).clicked() {
            out.close = true;
        }
        if ok {
            match Quantity::parse(text) {
                Ok(q) => match self.cart.set_quantity(*line, q) {
                    Ok(()) => out.close = true,
                    Err(e) => *error = Some(error_text(lang, &e.into())),
                },
                Err(e) => *error = Some(error_text(lang, &e.into())),
            }
        }
        out
    }
}
