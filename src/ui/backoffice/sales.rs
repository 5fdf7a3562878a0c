//! Sales history: filters (period, cashier, payment method, customer), the sale's receipt,
//! and a refund with confirmation for managers and admins.

use crate::i18n::MoneyText;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PAGE, PeriodInput, RED, err_toast, form_field, ok_toast, pager};
use crate::app::{App, ClientView, EmployeeView, SaleRow, SalesQuery, Session};
use crate::devices::receipt::{self, Document};
use crate::domain::{Action, Money, debt};
use crate::i18n::{Lang, T};
use crate::ui::Toast;
use crate::ui::preview;

#[derive(Default)]
pub struct SalesTab {
    period: Option<PeriodInput>,
    query: SalesQuery,
    rows: Vec<SaleRow>,
    total: i64,
    staff: Vec<EmployeeView>,
    clients: Vec<ClientView>,
    dirty: bool,
    loaded: bool,
    error: Option<String>,
    open: Option<(i32, Box<Document>, bool)>,
    refund_reason: String,
    confirm_refund: bool,
}

impl SalesTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        if self.period.is_none() {
            let today = debt::local_date(app.now(), app.time_zone());
            self.period = Some(PeriodInput::around(today, 6));
            self.staff = app.employees(session).unwrap_or_default();
            self.clients = app.clients(session, "", 1000).unwrap_or_default();
        }
        self.error = None;
        match self.period.as_ref().map(|p| p.period(lang)) {
            Some(Ok(p)) => self.query.period = Some(p),
            Some(Err(e)) => {
                self.error = Some(e);
                self.loaded = true;
                self.dirty = false;
                return;
            }
            None => {}
        }
        self.query.limit = PAGE;
        match app.sales_page(session, &self.query) {
            Ok((rows, total)) => {
                self.rows = rows;
                self.total = total;
            }
            Err(e) => *toast = err_toast(lang, &e),
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
        ui.horizontal_wrapped(|ui| {
            if let Some(p) = &mut self.period
                && p.ui(ui, lang)
            {
                self.query.offset = 0;
                self.dirty = true;
            }
            if super::employee_filter(
                ui,
                "sales_cashier",
                lang.t(T::Cashier),
                lang,
                &self.staff,
                &mut self.query.employee_id,
            ) {
                self.dirty = true;
            }
            let l = ui.label(lang.t(T::Method));
            let methods = [("cash", T::Cash), ("card", T::Card), ("nasiya", T::Nasiya)];
            let current = self
                .query
                .method
                .as_deref()
                .and_then(|m| methods.iter().find(|x| x.0 == m))
                .map_or(lang.t(T::All), |x| lang.t(x.1));
            egui::ComboBox::from_id_salt("sales_method")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    self.dirty |= ui
                        .selectable_value(&mut self.query.method, None, lang.t(T::All))
                        .changed();
                    for (m, t) in methods {
                        self.dirty |= ui
                            .selectable_value(
                                &mut self.query.method,
                                Some(m.to_string()),
                                lang.t(t),
                            )
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(lang.t(T::Customer));
            let current = self
                .query
                .client_id
                .and_then(|id| self.clients.iter().find(|c| c.id == id))
                .map_or(lang.t(T::All).to_string(), |c| c.full_name.clone());
            egui::ComboBox::from_id_salt("sales_client")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    self.dirty |= ui
                        .selectable_value(&mut self.query.client_id, None, lang.t(T::All))
                        .changed();
                    for c in &self.clients {
                        self.dirty |= ui
                            .selectable_value(&mut self.query.client_id, Some(c.id), &c.full_name)
                            .changed();
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e.as_str()).color(RED));
        }
        if pager(ui, lang, &mut self.query.offset, self.total) {
            self.dirty = true;
        }
        let tz = app.time_zone();
        let mut open: Option<i32> = None;
        ui.push_id("sales_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .column(Column::exact(80.0))
                .column(Column::exact(150.0))
                .column(Column::remainder().at_least(150.0))
                .column(Column::exact(180.0))
                .column(Column::exact(130.0))
                .column(Column::exact(140.0))
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[
                            T::SaleNo,
                            T::When,
                            T::Cashier,
                            T::Customer,
                            T::Method,
                            T::ColSum,
                        ],
                    )
                })
                .body(|body| {
                    body.rows(24.0, self.rows.len(), |mut row| {
                        let s = &self.rows[row.index()];
                        let style = |t: String| {
                            if s.refunded {
                                RichText::new(t).strikethrough().color(RED)
                            } else {
                                RichText::new(t)
                            }
                        };
                        row.col(|ui| {
                            ui.label(style(format!("#{}", s.id)));
                        });
                        row.col(|ui| {
                            ui.label(
                                s.created_at
                                    .and_utc()
                                    .with_timezone(&tz)
                                    .format("%Y-%m-%d %H:%M")
                                    .to_string(),
                            );
                        });
                        row.col(|ui| {
                            ui.label(&s.cashier);
                        });
                        row.col(|ui| {
                            ui.label(s.client.clone().unwrap_or_default());
                        });
                        row.col(|ui| {
                            let names: Vec<&str> = s
                                .methods
                                .split('+')
                                .filter(|m| !m.is_empty())
                                .map(|m| lang.method(m))
                                .collect();
                            ui.label(names.join(" + "));
                        });
                        row.col(|ui| {
                            ui.label(style(Money(s.total).text(lang)));
                        });
                        if row.response().clicked() {
                            open = Some(s.id);
                        }
                    });
                });
        });
        if let Some(id) = open {
            match app.receipt_data(session, id) {
                Ok(data) => {
                    let refunded = data.detail.sale.refunded_at.is_some();
                    let width = app.paper_width();
                    self.open =
                        Some((id, Box::new(receipt::receipt(&data, lang, width)), refunded));
                    self.confirm_refund = false;
                    self.refund_reason.clear();
                }
                Err(e) => *toast = err_toast(lang, &e),
            }
        }
        self.detail_ui(ui, lang, app, session, toast);
    }

    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let Some((id, doc, refunded)) = &self.open else {
            return;
        };
        let (id, refunded) = (*id, *refunded);
        let mut close = false;
        egui::Modal::new(egui::Id::unique("sale_detail")).show(ui.ctx(), |ui| {
            ui.heading(lang.fill(T::ReceiptNo, &[&id.to_string()]));
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .show(ui, |ui| preview::document_ui(ui, doc));
            if ui.button(lang.t(T::PrintAgain)).clicked() {
                *toast = match app.print_copy(session, id) {
                    Ok(_) => ok_toast(lang.t(T::PrintQueued)),
                    Err(e) => err_toast(lang, &e),
                };
            }
            if session.can(Action::Refund) && !refunded {
                ui.separator();
                form_field(ui, lang.t(T::RefundReason), &mut self.refund_reason);
                if !self.confirm_refund {
                    if ui.button(lang.t(T::RefundButton)).clicked() {
                        self.confirm_refund = true;
                    }
                } else {
                    ui.label(RichText::new(lang.t(T::RefundWarning)).color(RED));
                    if ui
                        .button(RichText::new(lang.t(T::ConfirmRefund)).color(RED))
                        .clicked()
                    {
                        match app.refund_sale(session, id, &self.refund_reason) {
                            Ok(()) => {
                                *toast = ok_toast(lang.fill(T::RefundDone, &[&id.to_string()]));
                                self.dirty = true;
                                close = true;
                            }
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                }
            }
            if ui.button(lang.t(T::Close)).clicked() {
                close = true;
            }
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            close = true;
        }
        if close {
            self.open = None;
            self.confirm_refund = false;
        }
    }
}
