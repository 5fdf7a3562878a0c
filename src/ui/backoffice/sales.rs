//! Sales history: filters (period, cashier, payment method, customer), the sale's receipt,
//! and a refund with confirmation for managers and admins.

use crate::i18n::MoneyText;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PAGE, PeriodInput, RED, err_toast, form_field, ok_toast, pager};
use crate::app::document::{self, Document};
use crate::app::{
    App, ClientView, EmployeeView, PaymentMethods, RefundLine, RefundableLine, SaleRow, SalesQuery,
    Session,
};
use crate::domain::{Action, Money, Quantity, debt};
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
    /// The customer filter: what is typed, and the customers it matches (type to search
    /// among all of them; choosing one filters the sales).
    client_text: String,
    client_matches: Vec<ClientView>,
    /// The shop's payment methods, to name card tenders.
    methods: PaymentMethods,
    dirty: bool,
    loaded: bool,
    error: Option<String>,
    open: Option<OpenSale>,
    refund_reason: String,
    confirm_refund: Option<RefundChoice>,
}

/// The sale shown in the detail window, with its refund form.
struct OpenSale {
    id: i32,
    doc: Box<Document>,
    /// The sale's fiscal receipt, as the Sales tab shows it.
    fiscal: crate::app::FiscalState,
    /// Lines still refundable, each with the quantity typed to refund ("" for none).
    lines: Vec<(RefundableLine, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefundChoice {
    /// The quantities typed in the form.
    Chosen,
    /// Everything not yet refunded.
    All,
}

impl SalesTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        if self.period.is_none() {
            let today = debt::local_date(app.now(), app.time_zone());
            self.period = Some(PeriodInput::around(today, 6));
            self.staff = app.employees(session).unwrap_or_default();
        }
        self.methods = app.payment_methods(session).unwrap_or_default();
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
            let field = super::form_field(ui, lang.t(T::Customer), &mut self.client_text);
            if field.changed() {
                // Typing starts a new choice: no customer filter until one is chosen.
                if self.query.client_id.take().is_some() {
                    self.query.offset = 0;
                    self.dirty = true;
                }
                self.client_matches = if self.client_text.trim().is_empty() {
                    Vec::new()
                } else {
                    app.clients(session, &self.client_text, 8)
                        .unwrap_or_default()
                };
            }
            if self.query.client_id.is_some() && ui.button(lang.t(T::All)).clicked() {
                self.query.client_id = None;
                self.client_text.clear();
                self.query.offset = 0;
                self.dirty = true;
            }
        });
        if self.query.client_id.is_none() && !self.client_matches.is_empty() {
            let mut chosen = None;
            ui.horizontal_wrapped(|ui| {
                for c in &self.client_matches {
                    let text = format!(
                        "{}  {}",
                        c.full_name,
                        crate::domain::phone::display(&c.phone)
                    );
                    if ui.selectable_label(false, text).clicked() {
                        chosen = Some((c.id, c.full_name.clone()));
                    }
                }
            });
            if let Some((id, name)) = chosen {
                self.query.client_id = Some(id);
                self.client_text = name;
                self.client_matches.clear();
                self.query.offset = 0;
                self.dirty = true;
            }
        }
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
                            ui.label(crate::i18n::local_time(tz, s.created_at));
                        });
                        row.col(|ui| {
                            ui.label(&s.cashier);
                        });
                        row.col(|ui| {
                            ui.label(s.client.clone().unwrap_or_default());
                        });
                        row.col(|ui| {
                            let names: Vec<String> = s
                                .methods
                                .iter()
                                .map(|(m, ch)| self.methods.label(lang, m, *ch))
                                .collect();
                            ui.label(names.join(" + "));
                        });
                        row.col(|ui| {
                            if s.refunded_amount > 0 && !s.refunded {
                                // Partly refunded: what is left, and what was refunded.
                                ui.label(Money(s.total - s.refunded_amount).text(lang))
                                    .on_hover_text(format!(
                                        "{}: {}",
                                        lang.t(T::RefundTotal),
                                        Money(s.refunded_amount).text(lang)
                                    ));
                            } else {
                                ui.label(style(Money(s.total).text(lang)));
                            }
                        });
                        if row.response().clicked() {
                            open = Some(s.id);
                        }
                    });
                });
        });
        if let Some(id) = open {
            self.open_sale(app, session, lang, id, toast);
            self.refund_reason.clear();
        }
        self.detail_ui(ui, lang, app, session, toast);
    }

    /// Shows sale `id` (again, after a refund: the form then lists what is left).
    fn open_sale(
        &mut self,
        app: &mut App,
        session: &Session,
        lang: Lang,
        id: i32,
        toast: &mut Option<Toast>,
    ) {
        self.confirm_refund = None;
        match app.receipt_data(session, id) {
            Ok(data) => {
                let width = app.paper_width();
                let lines = if session.can(Action::Refund) {
                    app.refundable_lines(session, id).unwrap_or_default()
                } else {
                    Vec::new()
                };
                self.open = Some(OpenSale {
                    id,
                    fiscal: data.fiscal.clone(),
                    doc: Box::new(document::receipt(&data, lang, width)),
                    lines: lines.into_iter().map(|l| (l, String::new())).collect(),
                });
            }
            Err(e) => *toast = err_toast(lang, &e),
        }
    }

    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let Some(sale) = &mut self.open else {
            return;
        };
        let id = sale.id;
        let mut close = false;
        let mut reopen = false;
        egui::Modal::new(egui::Id::unique("sale_detail")).show(ui.ctx(), |ui| {
            ui.heading(lang.fill(T::ReceiptNo, &[&id.to_string()]));
            // The fiscal receipt: registered, waiting, or refused (a manager sends it again).
            use crate::app::FiscalState;
            match &sale.fiscal {
                FiscalState::NotRegistered => {}
                FiscalState::Waiting => {
                    ui.label(lang.t(T::FiscalPending));
                }
                FiscalState::Done(a) => {
                    ui.label(lang.fill(T::FiscalDone, &[&a.receipt_no, &a.fiscal_sign]));
                }
                FiscalState::Refused(why) => {
                    ui.label(RichText::new(lang.fill(T::FiscalRefused, &[why])).color(super::RED));
                    if session.can(Action::Refund)
                        && ui.button(lang.t(T::FiscalSendAgain)).clicked()
                    {
                        match app.fiscal_send_again(session, id) {
                            Ok(_) => {
                                sale.fiscal = FiscalState::Waiting;
                                *toast = super::ok_toast(lang.t(T::FiscalQueued).to_string());
                            }
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                }
            }
            // The receipt, then the refund form below it: the window fits 1024×768.
            let refundable = session.can(Action::Refund) && !sale.lines.is_empty();
            {
                egui::ScrollArea::vertical()
                    .id_salt("sale_receipt")
                    .max_height(if refundable { 260.0 } else { 440.0 })
                    .show(ui, |ui| preview::document_ui(ui, &sale.doc));
                if refundable {
                    ui.separator();
                    {
                        ui.strong(lang.t(T::RefundLines));
                        egui::ScrollArea::vertical()
                            .id_salt("refund_lines")
                            .max_height(130.0)
                            .show(ui, |ui| {
                                egui::Grid::new("refund_lines_grid")
                                    .striped(true)
                                    .show(ui, |ui| {
                                        for (line, input) in &mut sale.lines {
                                            let name = ui.label(&line.name);
                                            ui.label(crate::i18n::quantity_text(
                                                lang,
                                                line.quantity,
                                                line.unit,
                                            ));
                                            ui.add(
                                                egui::TextEdit::singleline(input)
                                                    .char_limit(crate::ui::limits::AMOUNT)
                                                    .hint_text("0")
                                                    .min_size(egui::vec2(90.0, 0.0))
                                                    .desired_width(90.0),
                                            )
                                            .labelled_by(name.id);
                                            ui.end_row();
                                        }
                                    });
                            });
                        form_field(ui, lang.t(T::RefundReason), &mut self.refund_reason);
                        match self.confirm_refund {
                            None => {
                                ui.horizontal(|ui| {
                                    if ui.button(lang.t(T::RefundChosen)).clicked() {
                                        self.confirm_refund = Some(RefundChoice::Chosen);
                                    }
                                    if ui.button(lang.t(T::RefundAll)).clicked() {
                                        self.confirm_refund = Some(RefundChoice::All);
                                    }
                                });
                            }
                            Some(choice) => {
                                ui.label(RichText::new(lang.t(T::RefundWarning)).color(RED));
                                ui.horizontal(|ui| {
                                    if ui
                                        .button(RichText::new(lang.t(T::ConfirmRefund)).color(RED))
                                        .clicked()
                                    {
                                        let done = match choice {
                                            RefundChoice::All => {
                                                app.refund_sale(session, id, &self.refund_reason)
                                            }
                                            RefundChoice::Chosen => {
                                                chosen(&sale.lines).and_then(|lines| {
                                                    app.refund_lines(
                                                        session,
                                                        id,
                                                        &lines,
                                                        &self.refund_reason,
                                                    )
                                                })
                                            }
                                        };
                                        match done {
                                            Ok(d) => {
                                                *toast = ok_toast(lang.fill(
                                                    T::RefundDone,
                                                    &[&id.to_string(), &Money(d.amount).text(lang)],
                                                ));
                                                self.dirty = true;
                                                reopen = true;
                                            }
                                            Err(e) => *toast = err_toast(lang, &e),
                                        }
                                        self.confirm_refund = None;
                                    }
                                    if ui.button(lang.t(T::Cancel)).clicked() {
                                        self.confirm_refund = None;
                                    }
                                });
                            }
                        }
                    }
                }
            }
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::PrintAgain)).clicked() {
                    *toast = match app.print_copy(session, id) {
                        Ok(_) => ok_toast(lang.t(T::PrintQueued)),
                        Err(e) => err_toast(lang, &e),
                    };
                }
                if ui.button(lang.t(T::Close)).clicked() {
                    close = true;
                }
            });
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            close = true;
        }
        if reopen {
            self.refund_reason.clear();
            self.open_sale(app, session, lang, id, toast);
        } else if close {
            self.open = None;
            self.confirm_refund = None;
        }
    }
}

/// The quantities typed in the refund form ("" is none), or why one cannot be read.
fn chosen(lines: &[(RefundableLine, String)]) -> crate::app::AppResult<Vec<RefundLine>> {
    let mut out = Vec::new();
    for (line, input) in lines {
        if input.trim().is_empty() {
            continue;
        }
        let quantity = Quantity::parse(input)?;
        out.push(RefundLine {
            sale_item_id: line.sale_item_id,
            quantity,
        });
    }
    if out.is_empty() {
        return Err(crate::domain::refund::RefundError::NotPositive.into());
    }
    Ok(out)
}
