//! Closing the shift with the counted cash; the Z report follows.

use super::*;

impl Till {
    pub(super) fn close_shift_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let mut out = Outcome::default();
        let Dialog::CloseShift {
            text,
            expected,
            error,
        } = &mut self.dialog
        else {
            return out;
        };
        ui.heading(lang.t(T::CloseShiftTitle));
        dialog_field(ui, lang.t(T::CountedCash), text, keys.fresh);
        let counted = Money::parse(text);
        ui.label(format!(
            "{}: {}",
            lang.t(T::Expected),
            Money(*expected).text(lang)
        ));
        if let Ok(c) = &counted {
            ui.label(format!("{}: {}", lang.t(T::Counted), c.text(lang)));
            let diff = Money(c.0 - *expected);
            let color = if diff.0 < 0 {
                RED
            } else {
                Color32::from_rgb(20, 120, 40)
            };
            ui.label(
                RichText::new(format!("{}: {}", lang.t(T::Difference), diff.text(lang)))
                    .color(color)
                    .strong(),
            );
        }
        if let Some(e) = error {
            ui.label(RichText::new(e.as_str()).color(RED));
        }
        let ok = ui
            .add_enabled(counted.is_ok(), egui::Button::new(lang.t(T::ConfirmClose)))
            .clicked()
            || (keys.enter && counted.is_ok());
        if ui.button(lang.t(T::Cancel)).clicked() {
            out.close = true;
        }
        if ok && let Ok(c) = counted {
            match app.close_shift(session, c, "") {
                Ok(rep) => {
                    let lines = self.report_lines(lang, &rep);
                    self.shift = None;
                    self.dialog = Dialog::Text {
                        title: lang.t(T::ZReport).into(),
                        lines,
                        print_x: false,
                    };
                    *toast = Some(Toast {
                        text: lang.t(T::ShiftClosed).into(),
                        error: false,
                    });
                }
                Err(e) => *error = Some(error_text(lang, &e)),
            }
        }
        out
    }
}
