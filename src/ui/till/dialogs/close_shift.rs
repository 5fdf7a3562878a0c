//! Closing the shift with a blind count: the cashier counts the drawer and enters the sum
//! (and a note) first; only then are the expected cash and the difference shown, and the
//! close confirmed. Parked carts still waiting are listed as a warning. The Z report follows.

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
            note,
            expected,
            revealed,
            parked,
            error,
        } = &mut self.dialog
        else {
            return out;
        };
        ui.heading(lang.t(T::CloseShiftTitle));
        if !parked.is_empty() {
            ui.label(
                RichText::new(lang.fill(T::ParkedAtClose, &[&parked.len().to_string()]))
                    .color(RED)
                    .strong(),
            );
            for p in parked.iter() {
                ui.label(RichText::new(p.as_str()).color(RED));
            }
        }
        let counted = Money::parse(text);
        if !*revealed {
            ui.label(lang.t(T::BlindCountHint));
            dialog_field(
                ui,
                lang.t(T::CountedCash),
                text,
                keys.fresh,
                FieldKind::Money,
            );
            let l = ui.label(lang.t(T::Notes));
            ui.add(
                egui::TextEdit::multiline(note)
                    .char_limit(crate::ui::limits::NOTE)
                    .desired_rows(2)
                    .desired_width(280.0),
            )
            .labelled_by(l.id);
            if let (Err(e), false) = (&counted, text.trim().is_empty()) {
                ui.label(RichText::new(error_text(lang, &e.clone().into())).color(RED));
            }
            let show = ui
                .add_enabled(
                    counted.is_ok(),
                    egui::Button::new(lang.t(T::ShowDifference)),
                )
                .clicked()
                || (keys.enter && counted.is_ok());
            if ui.button(lang.t(T::Cancel)).clicked() {
                out.close = true;
            }
            if show {
                *revealed = true;
            }
            return out;
        }
        let Ok(c) = counted else {
            *revealed = false;
            return out;
        };
        ui.label(format!("{}: {}", lang.t(T::Counted), c.text(lang)));
        ui.label(format!(
            "{}: {}",
            lang.t(T::Expected),
            Money(*expected).text(lang)
        ));
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
        if !note.trim().is_empty() {
            ui.label(format!("{}: {}", lang.t(T::Notes), note.trim()));
        }
        if let Some(e) = error {
            ui.label(RichText::new(e.as_str()).color(RED));
        }
        let ok = ui.button(lang.t(T::ConfirmClose)).clicked() || keys.enter;
        if ui.button(lang.t(T::Cancel)).clicked() {
            out.close = true;
        }
        if ok {
            match app.close_shift(session, c, note.trim()) {
                Ok(rep) => {
                    let lines = self.report_lines(lang, &rep);
                    self.shift = None;
                    self.last_change = None;
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
