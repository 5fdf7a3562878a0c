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
        dialog_field(
            ui,
            lang.t(T::QuantityLabel),
            text,
            keys.fresh,
            FieldKind::Count,
        );
        let ok = refusal_ok_cancel(ui, lang, error.as_deref(), keys, &mut out);
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

impl Till {
    /// The weight of a weighed product (scanned by its own code, chosen in the search or on
    /// a quick key): the product enters the cart only with the weight typed here; Esc
    /// leaves the cart as it was.
    pub(super) fn weigh_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Weigh { pos, text, error } = &mut self.dialog else {
            return out;
        };
        let pos = *pos;
        ui.heading(lang.t(T::WeighTitle));
        if let Some(p) = self.catalog.get(pos) {
            ui.label(
                RichText::new(format!("{} — {}", p.name, Money(p.sale_price).text(lang))).strong(),
            );
        }
        dialog_field(
            ui,
            lang.t(T::WeightLabel),
            text,
            keys.fresh,
            FieldKind::Count,
        );
        let ok = refusal_ok_cancel(ui, lang, error.as_deref(), keys, &mut out);
        if !ok {
            return out;
        }
        let weight = match Quantity::parse(text) {
            Ok(q) if q.0 > 0 => q,
            Err(e) if !text.trim().is_empty() => {
                *error = Some(error_text(lang, &e.into()));
                return out;
            }
            // Nothing typed, or nothing weighed.
            _ => {
                *error = Some(lang.t(T::WeightNeeded).into());
                return out;
            }
        };
        if self.add_product(pos, weight, lang, toast) {
            out.close = true;
        } else if let (Dialog::Weigh { error, .. }, Some(t)) = (&mut self.dialog, toast.as_ref()) {
            *error = Some(t.text.clone());
        }
        out
    }
}

impl Till {
    /// A marked product's piece: the DataMatrix code scanned from it (a scanner types it and
    /// Enter), checked, then the piece enters the cart with its code; Esc adds nothing.
    pub(super) fn marking_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Marking { pos, text, error } = &mut self.dialog else {
            return out;
        };
        let pos = *pos;
        ui.heading(lang.t(T::MarkingTitle));
        if let Some(p) = self.catalog.get(pos) {
            ui.label(RichText::new(p.name.as_str()).strong());
        }
        let r = dialog_field(
            ui,
            lang.t(T::MarkingLabel),
            text,
            keys.fresh,
            FieldKind::Secret,
        );
        if !r.has_focus() {
            r.request_focus();
        }
        let ok = refusal_ok_cancel(ui, lang, error.as_deref(), keys, &mut out);
        if !ok {
            return out;
        }
        let code = match crate::domain::fiscal::marking_code(text) {
            Ok(c) => c,
            Err(_) => {
                *error = Some(lang.t(T::MarkingBad).into());
                text.clear();
                return out;
            }
        };
        let Some(product) = self.catalog.get(pos).map(|p| p.id) else {
            out.close = true;
            return out;
        };
        if self.marking.values().flatten().any(|c| *c == code) {
            if let Dialog::Marking { error, text, .. } = &mut self.dialog {
                *error = Some(lang.t(T::MarkingTwice).into());
                text.clear();
            }
            return out;
        }
        if self.add_product(pos, Quantity::units(1), lang, toast) {
            self.marking.entry(product).or_default().push(code);
            out.close = true;
        }
        out
    }
}
