//! The last receipt as it prints; Ctrl+P prints a copy.

use super::*;

impl Till {
    pub(super) fn receipt_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Receipt { sale_id, doc } = &mut self.dialog else {
            return out;
        };
        ui.heading(lang.t(T::Preview));
        egui::ScrollArea::vertical()
            .max_height(520.0)
            .show(ui, |ui| preview::document_ui(ui, doc));
        ui.horizontal(|ui| {
            if ui
                .button(format!("{} (Ctrl+P)", lang.t(T::PrintAgain)))
                .clicked()
                || keys.print
            {
                *toast = Some(printed(lang, app.print_copy(session, *sale_id)));
            }
            if ui.button(lang.t(T::Close)).clicked() || keys.enter {
                out.close = true;
            }
        });
        out
    }
}
