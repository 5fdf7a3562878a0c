//! Expenses: add with a category, list by period with the sum, delete (manager, admin) with
//! confirmation; categories added in place.

use crate::i18n::MoneyText;
use chrono::NaiveDate;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PeriodInput, RED, err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{App, ExpenseView, Session};
use crate::domain::{Action, Money, debt};
use crate::i18n::{Lang, T};
use crate::store::models::ExpenseCategory;
use crate::ui::Toast;

#[derive(Default)]
pub struct ExpensesTab {
    period: Option<PeriodInput>,
    rows: Vec<ExpenseView>,
    categories: Vec<ExpenseCategory>,
    dirty: bool,
    loaded: bool,
    error: Option<String>,
    category: Option<i32>,
    amount: String,
    date: String,
    note: String,
    form_error: Option<String>,
    new_category: String,
    confirm_delete: Option<i32>,
    rename: std::collections::HashMap<i32, String>,
}

impl ExpensesTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        if self.period.is_none() {
            let today = debt::local_date(app.now(), app.time_zone());
            self.period = Some(PeriodInput::around(today, 29));
            self.date = today.format("%Y-%m-%d").to_string();
        }
        self.categories = app.expense_categories(session).unwrap_or_default();
        self.rename.clear();
        self.error = None;
        match self.period.as_ref().map(|p| p.period(lang)) {
            Some(Ok(p)) => match app.expenses(session, p.from, p.to) {
                Ok(rows) => self.rows = rows,
                Err(e) => *toast = err_toast(lang, &e),
            },
            Some(Err(e)) => self.error = Some(e),
            None => {}
        }
        self.loaded = true;
        self.dirty = false;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if !self.loaded || self.dirty {
            self.reload(app, session, lang, toast);
        }
        if session.can(Action::AddExpense) {
            ui.group(|ui| {
                ui.label(RichText::new(lang.t(T::AddExpense)).strong());
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label(lang.t(T::Category));
                    let current = self
                        .category
                        .and_then(|id| self.categories.iter().find(|c| c.id == id))
                        .map_or("—".to_string(), |c| c.name.clone());
                    egui::ComboBox::from_id_salt("expense_category")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            for c in &self.categories {
                                ui.selectable_value(&mut self.category, Some(c.id), &c.name);
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    form_field(ui, lang.t(T::ColSum), &mut self.amount);
                    form_field(ui, lang.t(T::Date), &mut self.date);
                    form_field(ui, lang.t(T::Notes), &mut self.note);
                    if ui.button(lang.t(T::Add)).clicked() {
                        self.add(lang, app, session, toast);
                    }
                });
                field_error(ui, &self.form_error);
                if session.can(Action::DeleteExpense) {
                    ui.collapsing(lang.t(T::Categories), |ui| {
                        for c in self.categories.clone() {
                            ui.horizontal(|ui| {
                                let name =
                                    self.rename.entry(c.id).or_insert_with(|| c.name.clone());
                                let l = ui.label(format!("#{}", c.id));
                                ui.add(
                                    egui::TextEdit::singleline(name)
                                        .char_limit(crate::ui::limits::FIELD)
                                        .desired_width(220.0),
                                )
                                .labelled_by(l.id);
                                if *name != c.name && ui.button(lang.t(T::Rename)).clicked() {
                                    match app.rename_expense_category(session, c.id, name) {
                                        Ok(_) => self.dirty = true,
                                        Err(e) => *toast = err_toast(lang, &e),
                                    }
                                }
                                if ui.button(lang.fill(T::DeleteNamed, &[&c.name])).clicked() {
                                    match app.delete_expense_category(session, c.id) {
                                        Ok(()) => self.dirty = true,
                                        Err(e) => *toast = err_toast(lang, &e),
                                    }
                                }
                            });
                        }
                    });
                }
                ui.horizontal(|ui| {
                    form_field(ui, lang.t(T::NewCategory), &mut self.new_category);
                    if ui.button(lang.t(T::AddCategory)).clicked() {
                        match app.create_expense_category(session, &self.new_category) {
                            Ok(c) => {
                                self.category = Some(c.id);
                                self.new_category.clear();
                                self.dirty = true;
                            }
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                });
            });
        }
        ui.horizontal(|ui| {
            if let Some(p) = &mut self.period
                && p.ui(ui, lang)
            {
                self.dirty = true;
            }
        });
        field_error(ui, &self.error);
        let sum: i64 = self.rows.iter().map(|e| e.amount).sum();
        ui.label(
            RichText::new(format!(
                "{}: {}",
                lang.t(T::TotalExpenses),
                Money(sum).text(lang)
            ))
            .strong(),
        );
        let can_delete = session.can(Action::DeleteExpense);
        let mut delete: Option<i32> = None;
        ui.push_id("expenses_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .column(Column::exact(110.0))
                .column(Column::exact(200.0))
                .column(Column::exact(140.0))
                .column(Column::remainder())
                .column(Column::exact(160.0))
                .header(22.0, |mut h| {
                    for t in [T::Date, T::Category, T::ColSum, T::Notes] {
                        h.col(|ui| {
                            ui.strong(lang.t(t));
                        });
                    }
                    h.col(|_| {});
                })
                .body(|body| {
                    body.rows(26.0, self.rows.len(), |mut row| {
                        let e = &self.rows[row.index()];
                        row.col(|ui| {
                            ui.label(crate::i18n::date_text(e.spent_on));
                        });
                        row.col(|ui| {
                            ui.label(&e.category);
                        });
                        row.col(|ui| {
                            ui.label(Money(e.amount).text(lang));
                        });
                        row.col(|ui| {
                            ui.label(&e.note);
                        });
                        row.col(|ui| {
                            if can_delete {
                                let text = if self.confirm_delete == Some(e.id) {
                                    RichText::new(lang.t(T::ConfirmDelete)).color(RED)
                                } else {
                                    RichText::new(lang.t(T::Delete))
                                };
                                if ui.button(text).clicked() {
                                    delete = Some(e.id);
                                }
                            }
                        });
                    });
                });
        });
        if let Some(id) = delete {
            if self.confirm_delete == Some(id) {
                match app.delete_expense(session, id) {
                    Ok(()) => {
                        *toast = ok_toast(lang.t(T::Deleted));
                        self.dirty = true;
                    }
                    Err(e) => *toast = err_toast(lang, &e),
                }
                self.confirm_delete = None;
            } else {
                self.confirm_delete = Some(id);
            }
        }
    }

    fn add(&mut self, lang: Lang, app: &mut App, session: &Session, toast: &mut Option<Toast>) {
        self.form_error = None;
        let Some(cat) = self.category else {
            self.form_error = Some(lang.t(T::ChooseCategory).into());
            return;
        };
        let amount = match Money::parse(&self.amount) {
            Ok(m) => m,
            Err(e) => {
                self.form_error = Some(error_text(lang, &e.into()));
                return;
            }
        };
        let Ok(date) = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d") else {
            self.form_error = Some(lang.t(T::BadDate).into());
            return;
        };
        match app.add_expense(session, cat, amount, date, &self.note) {
            Ok(_) => {
                *toast = ok_toast(lang.fill(T::Saved, &[&amount.text(lang)]));
                self.amount.clear();
                self.note.clear();
                self.dirty = true;
            }
            Err(e) => self.form_error = Some(error_text(lang, &e)),
        }
    }
}
