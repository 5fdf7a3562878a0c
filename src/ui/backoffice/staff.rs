//! Staff: managers read the list; the admin adds, edits, deletes and resets passwords.
//! Deleting oneself or the main admin is refused by `app/` with a clear message.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{RED, err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{App, EmployeeInput, EmployeeView, Session};
use crate::domain::{Action, Role, phone};
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Default)]
struct Form {
    id: Option<i32>,
    input: EmployeeInput,
    password: String,
    error: Option<String>,
}

#[derive(Default)]
pub struct StaffTab {
    rows: Vec<EmployeeView>,
    loaded: bool,
    form: Option<Form>,
    confirm_delete: Option<i32>,
    reset: Option<(i32, String)>,
}

impl StaffTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if !self.loaded {
            match app.employees(session) {
                Ok(rows) => self.rows = rows,
                Err(e) => *toast = err_toast(lang, &e),
            }
            self.loaded = true;
        }
        let admin = session.can(Action::ManageStaff);
        if admin && ui.button(lang.t(T::NewEmployee)).clicked() {
            self.form = Some(Form::default());
        }
        if !admin {
            ui.label(lang.t(T::ReadOnly));
        }
        let mut edit: Option<usize> = None;
        ui.push_id("staff_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .column(Column::remainder().at_least(180.0))
                .column(Column::exact(110.0))
                .column(Column::exact(110.0))
                .column(Column::exact(170.0))
                .column(Column::exact(200.0))
                .column(Column::exact(120.0))
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[
                            T::CustomerName,
                            T::Login,
                            T::Role,
                            T::Phone,
                            T::Address,
                            T::Passport,
                        ],
                    )
                })
                .body(|body| {
                    body.rows(24.0, self.rows.len(), |mut row| {
                        let e = &self.rows[row.index()];
                        row.col(|ui| {
                            ui.label(&e.full_name);
                        });
                        row.col(|ui| {
                            ui.label(&e.login);
                        });
                        row.col(|ui| {
                            ui.label(lang.role(e.role));
                        });
                        row.col(|ui| {
                            ui.label(phone::display(&e.phone));
                        });
                        row.col(|ui| {
                            ui.label(&e.address);
                        });
                        row.col(|ui| {
                            ui.label(&e.passport);
                        });
                        if row.response().clicked() {
                            edit = Some(row.index());
                        }
                    });
                });
        });
        if admin && let Some(i) = edit {
            let e = &self.rows[i];
            self.form = Some(Form {
                id: Some(e.id),
                input: EmployeeInput {
                    full_name: e.full_name.clone(),
                    phone: e.phone.clone(),
                    address: e.address.clone(),
                    passport: e.passport.clone(),
                    notes: e.notes.clone(),
                    login: e.login.clone(),
                    role: e.role,
                },
                password: String::new(),
                error: None,
            });
            self.confirm_delete = None;
            self.reset = None;
        }
        self.form_ui(ui, lang, app, session, toast);
    }

    fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let Some(form) = &mut self.form else { return };
        let mut done = false;
        let mut close = false;
        egui::Modal::new(egui::Id::unique("staff_form")).show(ui.ctx(), |ui| {
            ui.set_min_width(520.0);
            ui.heading(if form.id.is_some() {
                lang.t(T::EditEmployee)
            } else {
                lang.t(T::NewEmployee)
            });
            egui::Grid::new("staff_grid").num_columns(2).show(ui, |ui| {
                let i = &mut form.input;
                for (t, v) in [
                    (T::CustomerName, &mut i.full_name),
                    (T::Login, &mut i.login),
                    (T::Phone, &mut i.phone),
                    (T::Address, &mut i.address),
                    (T::Passport, &mut i.passport),
                    (T::Notes, &mut i.notes),
                ] {
                    form_field(ui, lang.t(t), v);
                    ui.end_row();
                }
                ui.label(lang.t(T::Role));
                ui.horizontal(|ui| {
                    for r in Role::ALL {
                        ui.radio_value(&mut i.role, r, lang.role(r));
                    }
                });
                ui.end_row();
                if form.id.is_none() {
                    let l = ui.label(lang.t(T::FirstPassword));
                    ui.add(
                        egui::TextEdit::singleline(&mut form.password)
                            .char_limit(crate::ui::limits::FIELD)
                            .password(true)
                            .desired_width(220.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
            });
            field_error(ui, &form.error);
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::SaveButton)).clicked() {
                    let r = match form.id {
                        Some(id) => app.update_employee(session, id, &form.input).map(drop),
                        None => app
                            .create_employee(session, &form.input, &form.password)
                            .map(drop),
                    };
                    match r {
                        Ok(()) => {
                            *toast = ok_toast(lang.fill(T::Saved, &[&form.input.full_name]));
                            done = true;
                        }
                        Err(e) => form.error = Some(error_text(lang, &e)),
                    }
                }
                if let Some(id) = form.id {
                    if self.confirm_delete != Some(id) {
                        if ui.button(lang.t(T::Delete)).clicked() {
                            self.confirm_delete = Some(id);
                        }
                    } else if ui
                        .button(RichText::new(lang.t(T::ConfirmDelete)).color(RED))
                        .clicked()
                    {
                        match app.delete_employee(session, id) {
                            Ok(()) => {
                                *toast = ok_toast(lang.t(T::Deleted));
                                done = true;
                            }
                            Err(e) => {
                                form.error = Some(error_text(lang, &e));
                                self.confirm_delete = None;
                            }
                        }
                    }
                    match &mut self.reset {
                        Some((rid, pw)) if *rid == id => {
                            let l = ui.label(lang.t(T::NewPassword));
                            ui.add(
                                egui::TextEdit::singleline(pw)
                                    .char_limit(crate::ui::limits::FIELD)
                                    .password(true)
                                    .desired_width(160.0),
                            )
                            .labelled_by(l.id);
                            if ui.button(lang.t(T::Ok)).clicked() {
                                match app.reset_password(session, id, pw) {
                                    Ok(()) => {
                                        *toast = ok_toast(lang.t(T::PasswordReset));
                                        done = true;
                                    }
                                    Err(e) => form.error = Some(error_text(lang, &e)),
                                }
                            }
                        }
                        _ => {
                            if ui.button(lang.t(T::ResetPassword)).clicked() {
                                self.reset = Some((id, String::new()));
                            }
                        }
                    }
                }
                if ui.button(lang.t(T::CancelButton)).clicked() {
                    close = true;
                }
            });
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            close = true;
        }
        if done {
            self.loaded = false;
            close = true;
        }
        if close {
            self.form = None;
            self.confirm_delete = None;
            self.reset = None;
        }
    }
}
