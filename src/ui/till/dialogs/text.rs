//! A report or a message as lines of text (the X and Z reports: Ctrl+P prints the X report).

use super::*;

impl Till {
    pub(super) fn text_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::Text {
            title,
            lines,
            print_x,
        } = &mut self.dialog
        else {
            return out;
        };
        ui.heading(title.as_str());
        egui::ScrollArea::vertical()
            .max_height(500.0)
            .show(ui, |ui| {
                for l in lines.iter() {
                    ui.monospace(l);
                }
            });
        ui.horizontal(|ui| {
            if *print_x
                && (ui
                    .button(format!("{} (Ctrl+P)", lang.t(T::Print)))
                    .clicked()
                    || keys.print)
            {
                *toast = Some(printed(lang, app.print_x_report(session)));
            }
            if ui.button(lang.t(T::Close)).clicked() || keys.enter {
                out.close = true;
            }
        });
        out
    }
}
