//! The parked carts: ↑↓ and Enter (or a click) take one back.

use super::*;

impl Till {
    pub(super) fn parked_ui(&mut self, ui: &mut egui::Ui, lang: Lang, keys: &Keys) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Parked { list, selected } = &mut self.dialog else {
            return out;
        };
        ui.heading(lang.t(T::ParkedTitle));
        if list.is_empty() {
            ui.label(lang.t(T::NoParked));
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowDown)) {
            *selected = (*selected + 1).min(list.len().saturating_sub(1));
        }
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowUp)) {
            *selected = selected.saturating_sub(1);
        }
        for (i, (id, label, total)) in list.iter().enumerate() {
            let text = format!("#{id}  {label}  {}", Money(*total).text(lang));
            if ui.selectable_label(i == *selected, text).clicked() {
                out.resume = Some(*id);
            }
        }
        if keys.enter
            && let Some((id, _, _)) = list.get(*selected)
        {
            out.resume = Some(*id);
        }
        if ui.button(lang.t(T::Close)).clicked() {
            out.close = true;
        }
        out
    }
}
