//! Customers: the list with balance and due date (overdue first), whether Telegram is
//! linked; create/edit/delete by role; take a debt payment; the ledger of one customer.

use crate::i18n::MoneyText;
use chrono::NaiveDate;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{GREEN, PAGE, RED, err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{App, ClientInput, ClientOrder, ClientQuery, ClientView, Session};
use crate::domain::payment::PaymentMethod;
use crate::domain::{Action, Money, debt, phone};
use crate::i18n::{Lang, T};
use crate::store::models::LedgerRow;
use crate::ui::Toast;

#[derive(Default)]
struct Form {
    id: Option<i32>,
    input: ClientInput,
    error: Option<String>,
}

#[derive(Default)]
pub struct CustomersTab {
    search: String,
    rows: Vec<ClientView>,
    dirty: bool,
    loaded: bool,
    today: Option<NaiveDate>,
    selected: Option<i32>,
    ledger: Vec<LedgerRow>,
    form: Option<Form>,
    payment: String,
    pay_card: bool,
    /// The card method of a payment by card (`None`: the first active one).
    pay_channel: Option<i32>,
    /// The admin's active card methods, read when the tab reads its figures.
    methods: Vec<(i32, String)>,
    pay_error: Option<String>,
    confirm_delete: bool,
    /// The credit limit being edited: (customer, text in so'm; empty: the shop's default).
    limit_edit: Option<(i32, String)>,
    /// The page shown, its order and how many customers match.
    order: ClientOrder,
    offset: i64,
    total: i64,
    /// The chosen customer as just read (they may be on another page).
    chosen: Option<ClientView>,
    /// Read again on the next show and every few seconds while shown.
    fresh: super::Freshness,
}

/// While shown, the tab reads its figures again this often (seconds).
const REFRESH_EVERY: f64 = 5.0;

fn is_overdue(c: &ClientView, today: NaiveDate) -> bool {
    c.balance < 0 && c.due_date.is_some_and(|d| d < today)
}

impl CustomersTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        let today = debt::local_date(app.now(), app.time_zone());
        self.today = Some(today);
        let query = ClientQuery {
            text: self.search.clone(),
            order: self.order,
            offset: self.offset,
            limit: PAGE,
        };
        match app.clients_page(session, &query) {
            Ok((rows, total)) => {
                self.rows = rows;
                self.total = total;
            }
            Err(e) => *toast = err_toast(lang, &e),
        }
        if let Some(id) = self.selected {
            self.ledger = app.client_ledger(session, id).unwrap_or_default();
            self.chosen = app.client(session, id).ok();
        }
        self.methods = app
            .payment_methods(session)
            .map(|m| {
                m.active()
                    .map(|m| (m.id, m.name(lang).to_string()))
                    .collect()
            })
            .unwrap_or_default();
        self.dirty = false;
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
        // Shown again after another tab, or due: read the figures again.
        if self.fresh.stale(ui, REFRESH_EVERY) {
            self.dirty = true;
        }
        if !self.loaded || self.dirty {
            self.reload(app, session, lang, toast);
            self.fresh.read(ui);
        }
        let today = self.today.unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            if form_field(ui, lang.t(T::FindCustomer), &mut self.search).changed() {
                self.offset = 0;
                self.dirty = true;
            }
            ui.label(lang.t(T::SortBy));
            for (o, t) in [
                (ClientOrder::Overdue, T::OrderOverdue),
                (ClientOrder::Debt, T::OrderDebt),
                (ClientOrder::Name, T::OrderName),
            ] {
                if ui.selectable_value(&mut self.order, o, lang.t(t)).changed() {
                    self.offset = 0;
                    self.dirty = true;
                }
            }
            if session.can(Action::AddClient) && ui.button(lang.t(T::NewCustomer)).clicked() {
                self.form = Some(Form::default());
            }
        });
        if super::pager(ui, lang, &mut self.offset, self.total) {
            self.dirty = true;
        }
        let mut pick: Option<usize> = None;
        ui.push_id("customers_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(300.0)
                .column(Column::remainder().at_least(200.0))
                .column(Column::exact(170.0))
                .column(Column::exact(140.0))
                .column(Column::exact(110.0))
                .column(Column::exact(90.0))
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[
                            T::CustomerName,
                            T::Phone,
                            T::Balance,
                            T::DueDateShort,
                            T::Telegram,
                        ],
                    )
                })
                .body(|body| {
                    body.rows(24.0, self.rows.len(), |mut row| {
                        let c = &self.rows[row.index()];
                        row.set_selected(Some(c.id) == self.selected);
                        let overdue = is_overdue(c, today);
                        row.col(|ui| {
                            let t = RichText::new(&c.full_name);
                            ui.label(if overdue { t.color(RED) } else { t });
                        });
                        row.col(|ui| {
                            ui.label(phone::display(&c.phone));
                        });
                        row.col(|ui| {
                            let color = if c.balance < 0 { RED } else { GREEN };
                            ui.label(RichText::new(Money(c.balance).text(lang)).color(color));
                        });
                        row.col(|ui| {
                            // The earliest open due date and what falls due on it.
                            let d = c
                                .open
                                .iter()
                                .find(|o| o.due_date.is_some())
                                .and_then(|o| {
                                    o.due_date.map(|d| {
                                        format!(
                                            "{} — {}",
                                            d.format("%d.%m.%Y"),
                                            o.amount.text(lang)
                                        )
                                    })
                                })
                                .unwrap_or_default();
                            ui.label(if overdue {
                                RichText::new(format!("{d} !")).color(RED)
                            } else {
                                RichText::new(d)
                            });
                        });
                        row.col(|ui| {
                            ui.label(if c.telegram_linked {
                                lang.t(T::Yes)
                            } else {
                                "—"
                            });
                        });
                        if row.response().clicked() {
                            pick = Some(row.index());
                        }
                    });
                });
        });
        if let Some(i) = pick {
            self.selected = Some(self.rows[i].id);
            self.chosen = Some(self.rows[i].clone());
            self.ledger = app
                .client_ledger(session, self.rows[i].id)
                .unwrap_or_default();
            self.confirm_delete = false;
            self.pay_error = None;
        }
        ui.separator();
        if let Some(c) = self.chosen.clone().filter(|c| Some(c.id) == self.selected) {
            self.detail_ui(ui, lang, app, session, toast, &c);
        }
        self.form_ui(ui, lang, app, session, toast);
    }

    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
        c: &ClientView,
    ) {
        let tz = app.time_zone();
        ui.horizontal(|ui| {
            ui.heading(&c.full_name);
            ui.label(format!(
                "{}: {}",
                lang.t(T::Balance),
                Money(c.balance).text(lang)
            ));
            // What is owed per due date (payments settle the earliest date first).
            if !c.open.is_empty() {
                let today = self.today.unwrap_or(NaiveDate::MAX);
                let parts: Vec<String> = c
                    .open
                    .iter()
                    .map(|o| {
                        let date = o.due_date.map_or_else(
                            || lang.t(T::BotNoDueDate).to_string(),
                            |d| d.format("%d.%m.%Y").to_string(),
                        );
                        let late = if o.due_date.is_some_and(|d| d < today) {
                            " !"
                        } else {
                            ""
                        };
                        format!("{date} — {}{late}", o.amount.text(lang))
                    })
                    .collect();
                ui.label(format!("{} {}", lang.t(T::BotDueDates), parts.join("; ")));
            }
        });
        // The credit limit (managers and admins set it; everybody sees it).
        ui.horizontal(|ui| {
            ui.label(crate::i18n::credit_line(lang, c.balance, c.effective_limit));
            if session.can(Action::CreditOverLimit) {
                if self.limit_edit.as_ref().is_none_or(|(id, _)| *id != c.id) {
                    let text = c
                        .credit_limit
                        .map(|l| Money(l).format_number().replace(' ', ""))
                        .unwrap_or_default();
                    self.limit_edit = Some((c.id, text));
                }
                if let Some((_, text)) = self.limit_edit.as_mut() {
                    let label = ui.label(lang.t(T::CreditLimitField));
                    let edit = ui
                        .add(
                            egui::TextEdit::singleline(text)
                                .char_limit(20)
                                .desired_width(140.0),
                        )
                        .labelled_by(label.id);
                    let entered =
                        edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button(lang.t(T::Save)).clicked() || entered {
                        let parsed = if text.trim().is_empty() {
                            Ok(None)
                        } else {
                            Money::parse(text).map(Some)
                        };
                        match parsed {
                            Ok(limit) => match app.set_credit_limit(session, c.id, limit) {
                                Ok(_) => {
                                    self.dirty = true;
                                    *toast = ok_toast(lang.fill(T::Saved, &[&c.full_name]));
                                }
                                Err(e) => *toast = err_toast(lang, &e),
                            },
                            Err(e) => *toast = err_toast(lang, &e.into()),
                        }
                    }
                }
            }
            if session.can(Action::EditClient) && ui.button(lang.t(T::Edit)).clicked() {
                self.form = Some(Form {
                    id: Some(c.id),
                    input: ClientInput {
                        full_name: c.full_name.clone(),
                        phone: c.phone.clone(),
                        notes: c.notes.clone(),
                    },
                    error: None,
                });
            }
            if session.can(Action::DeleteClient) {
                if !self.confirm_delete {
                    if ui.button(lang.t(T::Delete)).clicked() {
                        self.confirm_delete = true;
                    }
                } else if ui
                    .button(RichText::new(lang.t(T::ConfirmDelete)).color(RED))
                    .clicked()
                {
                    match app.delete_client(session, c.id) {
                        Ok(()) => {
                            *toast = ok_toast(lang.t(T::Deleted));
                            self.selected = None;
                            self.dirty = true;
                        }
                        Err(e) => *toast = err_toast(lang, &e),
                    }
                    self.confirm_delete = false;
                }
            }
        });
        if session.can(Action::TakeDebtPayment) {
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::PaymentAmount), &mut self.payment);
                ui.radio_value(&mut self.pay_card, false, lang.t(T::Cash));
                ui.radio_value(&mut self.pay_card, true, lang.t(T::Card));
                // Which card method, when the shop takes more than one.
                if self.pay_card && self.methods.len() > 1 {
                    let methods: Vec<(i32, &str)> =
                        self.methods.iter().map(|m| (m.0, m.1.as_str())).collect();
                    // Nothing chosen: the first method, as the payment will use.
                    let first = methods.first().map_or("", |m| m.1);
                    super::pick_id(
                        ui,
                        "debt_card_method",
                        lang.t(T::Method),
                        &mut self.pay_channel,
                        &methods,
                        first,
                        None,
                    );
                }
                if ui.button(lang.t(T::TakePayment)).clicked() {
                    let method = if self.pay_card {
                        PaymentMethod::Card
                    } else {
                        PaymentMethod::Cash
                    };
                    let r = Money::parse(&self.payment)
                        .map_err(crate::app::AppError::from)
                        .and_then(|m| {
                            let channel = self.pay_channel.filter(|_| self.pay_card);
                            app.take_debt_payment_via(session, c.id, m, method, channel, "")
                        });
                    match r {
                        Ok(balance) => {
                            *toast = ok_toast(lang.fill(T::PaymentTaken, &[&balance.text(lang)]));
                            self.payment.clear();
                            self.pay_error = None;
                            self.dirty = true;
                        }
                        Err(e) => self.pay_error = Some(error_text(lang, &e)),
                    }
                }
            });
            field_error(ui, &self.pay_error);
        }
        ui.label(RichText::new(lang.t(T::Ledger)).strong());
        ui.push_id("ledger", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .column(Column::exact(150.0))
                .column(Column::exact(150.0))
                .column(Column::exact(140.0))
                .column(Column::exact(110.0))
                .column(Column::remainder())
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[T::When, T::Kind, T::ColSum, T::DueDateShort, T::Notes],
                    )
                })
                .body(|body| {
                    body.rows(22.0, self.ledger.len(), |mut row| {
                        let l = &self.ledger[self.ledger.len() - 1 - row.index()];
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, l.created_at));
                        });
                        row.col(|ui| {
                            ui.label(match l.kind.as_str() {
                                "credit_sale" => lang.t(T::KindCredit),
                                "payment" => lang.t(T::KindPayment),
                                "refund" => lang.t(T::KindRefund),
                                _ => lang.t(T::KindAdjustment),
                            });
                        });
                        row.col(|ui| {
                            ui.label(Money(l.amount).text(lang));
                        });
                        row.col(|ui| {
                            ui.label(l.due_date.map(crate::i18n::date_text).unwrap_or_default());
                        });
                        row.col(|ui| {
                            ui.label(&l.note);
                        });
                    });
                });
        });
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
        let mut close = false;
        egui::Modal::new(egui::Id::unique("customer_form")).show(ui.ctx(), |ui| {
            ui.set_min_width(460.0);
            ui.heading(if form.id.is_some() {
                lang.t(T::Edit)
            } else {
                lang.t(T::NewCustomer)
            });
            egui::Grid::new("customer_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    form_field(ui, lang.t(T::CustomerName), &mut form.input.full_name);
                    ui.end_row();
                    form_field(ui, lang.t(T::Phone), &mut form.input.phone);
                    ui.end_row();
                    form_field(ui, lang.t(T::Notes), &mut form.input.notes);
                    ui.end_row();
                });
            field_error(ui, &form.error);
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::SaveButton)).clicked() {
                    let r = match form.id {
                        Some(id) => app.update_client(session, id, &form.input),
                        None => app.create_client(session, &form.input),
                    };
                    match r {
                        Ok(c) => {
                            *toast = ok_toast(lang.fill(T::Saved, &[&c.full_name]));
                            self.selected = Some(c.id);
                            self.dirty = true;
                            close = true;
                        }
                        Err(e) => form.error = Some(error_text(lang, &e)),
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
        if close {
            self.form = None;
        }
    }
}
