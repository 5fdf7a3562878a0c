//! The admin's list of non-cash payment methods (Uzcard, Humo, Click, Payme, Uzum…): a name
//! in each language, whether the till offers it, and its place in the payment dialog. A row
//! is saved on its own; a new method is added below the list.

use egui::RichText;

use super::{err_toast, ok_toast};
use crate::app::error_text;
use crate::app::{App, PaymentMethodInput, Session};
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Default)]
pub struct MethodsEditor {
    loaded: bool,
    rows: Vec<(i32, PaymentMethodInput)>,
    new: PaymentMethodInput,
    error: Option<String>,
}

fn name_field(ui: &mut egui::Ui, value: &mut String, hint: &str) -> egui::Response {
    ui.add(
        egui::TextEdit::singleline(value)
            .char_limit(crate::app::PAYMENT_METHOD_NAME_MAX)
            .hint_text(hint)
            .desired_width(150.0),
    )
}

impl MethodsEditor {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        match app.payment_methods(session) {
            Ok(all) => {
                self.rows = all
                    .0
                    .into_iter()
                    .map(|m| {
                        (
                            m.id,
                            PaymentMethodInput {
                                name_uz: m.name_uz,
                                name_ru: m.name_ru,
                                name_en: m.name_en,
                                active: m.active,
                                position: m.position,
                            },
                        )
                    })
                    .collect();
            }
            Err(e) => *toast = err_toast(lang, &e),
        }
        self.new = PaymentMethodInput {
            active: true,
            position: self
                .rows
                .iter()
                .map(|r| r.1.position + 1)
                .max()
                .unwrap_or(0),
            ..Default::default()
        };
        self.loaded = true;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if !self.loaded {
            self.reload(app, session, lang, toast);
        }
        ui.heading(lang.t(T::PaymentMethods));
        let mut save: Option<usize> = None;
        let mut add = false;
        egui::Grid::new("payment_methods_grid")
            .num_columns(6)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                // Each field is named by its column's header (for screen readers and tests).
                let heads: Vec<egui::Id> = [
                    T::MethodNameUz,
                    T::MethodNameRu,
                    T::MethodNameEn,
                    T::MethodActive,
                    T::MethodOrder,
                ]
                .into_iter()
                .map(|key| ui.strong(lang.t(key)).id)
                .collect();
                ui.label("");
                ui.end_row();
                let row = |ui: &mut egui::Ui, m: &mut PaymentMethodInput, hint: &str| {
                    name_field(ui, &mut m.name_uz, hint).labelled_by(heads[0]);
                    name_field(ui, &mut m.name_ru, hint).labelled_by(heads[1]);
                    name_field(ui, &mut m.name_en, hint).labelled_by(heads[2]);
                    ui.checkbox(&mut m.active, "").labelled_by(heads[3]);
                    ui.add(egui::DragValue::new(&mut m.position).range(0..=99))
                        .labelled_by(heads[4]);
                };
                for (i, (_, m)) in self.rows.iter_mut().enumerate() {
                    row(ui, m, "");
                    if ui.button(lang.t(T::SaveMethod)).clicked() {
                        save = Some(i);
                    }
                    ui.end_row();
                }
                row(ui, &mut self.new, "Uzcard");
                add = ui.button(lang.t(T::AddMethod)).clicked();
                ui.end_row();
            });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e.as_str()).color(super::RED));
        }
        let done = if let Some(i) = save {
            let (id, input) = self.rows[i].clone();
            Some(app.update_payment_method(session, id, &input))
        } else if add {
            Some(app.add_payment_method(session, &self.new))
        } else {
            None
        };
        match done {
            Some(Ok(_)) => {
                self.error = None;
                *toast = ok_toast(lang.fill(T::SettingsSaved, &["1"]));
                self.loaded = false;
            }
            Some(Err(e)) => self.error = Some(error_text(lang, &e)),
            None => {}
        }
    }
}
