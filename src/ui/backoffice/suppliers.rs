//! Suppliers: the list with what the shop owes each (archived ones on request), the
//! supplier form (name, phone, TIN, address, notes, opening balance), archive and bring back,
//! paying a supplier (cash from the drawer or by bank), the supplier's statement (saved to
//! Excel or PDF) and its purchase orders with what came against what was ordered. Goods are
//! received, returned and ordered in the Stock tab.

use crate::i18n::MoneyText;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{RED, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{
    App, PayFrom, PurchaseOrderView, ReportTable, Session, StatementLine, SupplierInput,
    SupplierPaymentInput, SupplierView,
};
use crate::domain::{Money, phone};
use crate::export::Format;
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Default)]
pub struct SuppliersTab {
    loaded: bool,
    with_archived: bool,
    list: Vec<SupplierView>,
    /// The supplier open on the right (`None` with a form: a new one).
    selected: Option<i32>,
    /// The form on the right, when one is open.
    form: Option<SupplierInput>,
    form_error: Option<String>,
    statement: Vec<StatementLine>,
    /// The statement as a report, for the Excel and PDF buttons.
    statement_table: Option<ReportTable>,
    /// The statement to save covers these dates (unticked: the whole history).
    by_period: bool,
    period: Option<super::PeriodInput>,
    period_error: Option<String>,
    exporter: super::exporter::Exporter,
    /// The opening balance as typed.
    opening: String,
    orders: Vec<PurchaseOrderView>,
    pay_amount: String,
    pay_from: PayFrom,
    pay_note: String,
    pay_error: Option<String>,
    /// Read again on the next show and every few seconds while shown.
    fresh: super::Freshness,
}

/// While shown, the tab reads its figures again this often (seconds).
const REFRESH_EVERY: f64 = 5.0;

fn input_of(v: &SupplierView) -> SupplierInput {
    SupplierInput {
        name: v.supplier.name.clone(),
        phone: phone::display(&v.supplier.phone),
        tin: v.supplier.tin.clone(),
        address: v.supplier.address.clone(),
        notes: v.supplier.notes.clone(),
        opening_balance: Money(v.supplier.opening_balance),
    }
}

/// An amount for a form field: empty for nothing, else "1 500 000".
fn amount_field(m: i64) -> String {
    if m == 0 {
        String::new()
    } else {
        Money(m).format_number()
    }
}

/// An order's state in words.
fn order_state(lang: Lang, o: &PurchaseOrderView) -> &'static str {
    match o.status.as_str() {
        "open" => lang.t(T::OrderOpen),
        "received" => lang.t(T::OrderDone),
        _ => lang.t(T::OrderCancelledState),
    }
}

/// An amount to pay a supplier and where it comes from (by bank or from the drawer): the
/// Suppliers tab's payment and the Stock tab's "paid now".
pub fn payment_row(
    ui: &mut egui::Ui,
    lang: Lang,
    label: &str,
    amount: &mut String,
    from: &mut PayFrom,
) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(amount)
                .char_limit(crate::ui::limits::AMOUNT)
                .desired_width(120.0),
        )
        .labelled_by(l.id);
        ui.radio_value(from, PayFrom::Bank, lang.t(T::PayByBank));
        ui.radio_value(from, PayFrom::Drawer, lang.t(T::PayFromDrawer));
    });
}

impl SuppliersTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        match app.suppliers(session, self.with_archived) {
            Ok(list) => self.list = list,
            Err(e) => *toast = super::err_toast(lang, &e),
        }
        if let Some(id) = self.selected {
            self.statement = app.supplier_statement(session, id).unwrap_or_default();
            self.orders = app
                .purchase_orders(session, Some(id), false, 20)
                .unwrap_or_default();
            // One archived while hidden, or gone: shown all the same from a fresh read.
            if !self.list.iter().any(|s| s.supplier.id == id)
                && let Ok(v) = app.supplier(session, id)
            {
                self.list.push(v);
            }
            self.build_statement_table(lang, app.time_zone());
        }
        self.loaded = true;
    }

    /// The statement to save, for the period ticked (or the whole history), from the lines
    /// read for the screen.
    fn build_statement_table(&mut self, lang: Lang, tz: chrono_tz::Tz) {
        self.period_error = None;
        self.statement_table = None;
        let Some(name) = self
            .selected
            .and_then(|id| self.list.iter().find(|s| s.supplier.id == id))
            .map(|s| s.supplier.name.clone())
        else {
            return;
        };
        let period = match (&self.period, self.by_period) {
            (Some(p), true) => match p.period(lang) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.period_error = Some(e);
                    return;
                }
            },
            _ => None,
        };
        match crate::app::statement_report(&name, self.statement.clone(), period, lang, tz) {
            Ok(t) => self.statement_table = Some(t),
            Err(e) => self.period_error = Some(error_text(lang, &e)),
        }
    }

    fn open(&mut self, id: i32) {
        self.selected = Some(id);
        self.form = self.list.iter().find(|s| s.supplier.id == id).map(input_of);
        self.opening = self
            .list
            .iter()
            .find(|s| s.supplier.id == id)
            .map(|s| amount_field(s.supplier.opening_balance))
            .unwrap_or_default();
        self.form_error = None;
        self.pay_error = None;
        self.pay_amount.clear();
        self.pay_note.clear();
        self.loaded = false;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if self.fresh.stale(ui, REFRESH_EVERY) {
            self.loaded = false;
        }
        if !self.loaded {
            self.reload(app, session, lang, toast);
            self.fresh.read(ui);
        }
        ui.horizontal(|ui| {
            if ui.button(lang.t(T::NewSupplier)).clicked() {
                self.selected = None;
                self.form = Some(SupplierInput::default());
                self.opening.clear();
                self.form_error = None;
                self.statement.clear();
                self.statement_table = None;
                self.orders.clear();
            }
            if ui
                .checkbox(&mut self.with_archived, lang.t(T::ShowArchivedSuppliers))
                .changed()
            {
                self.loaded = false;
            }
        });
        // The list at a fixed width on the left, the chosen supplier in the rest (at 1024
        // pixels the statement still shows whole figures).
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            ui.allocate_ui(egui::vec2(330.0, height), |ui| {
                ui.set_width(330.0);
                self.list_ui(ui, lang);
            });
            ui.separator();
            // The form, the payment, the orders and the statement scroll together when the
            // window is short (1280×720, 1024×768).
            ui.vertical(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("supplier_detail")
                    .show(ui, |ui| {
                        self.detail_ui(ui, lang, app, session, toast);
                    });
            });
        });
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let mut pick = None;
        egui::ScrollArea::vertical()
            .id_salt("suppliers_list")
            .max_height(ui.available_height() - 8.0)
            .show(ui, |ui| {
                egui::Grid::new("suppliers_grid")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        ui.strong(lang.t(T::Supplier));
                        ui.strong(lang.t(T::WeOwe));
                        ui.end_row();
                        for s in &self.list {
                            let mut name = s.supplier.name.clone();
                            if s.supplier.archived {
                                name = format!("{name} ({})", lang.t(T::InArchive));
                            }
                            let chosen = self.selected == Some(s.supplier.id);
                            if ui.selectable_label(chosen, name).clicked() {
                                pick = Some(s.supplier.id);
                            }
                            let owed = RichText::new(Money(s.owed).text(lang));
                            ui.label(if s.owed > 0 { owed.color(RED) } else { owed });
                            ui.end_row();
                        }
                    });
            });
        if let Some(id) = pick {
            self.open(id);
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
        let Some(form) = self.form.as_mut() else {
            ui.label(lang.t(T::ChooseSupplier));
            return;
        };
        let current = self
            .selected
            .and_then(|id| self.list.iter().find(|s| s.supplier.id == id))
            .cloned();
        ui.label(
            RichText::new(match &current {
                Some(s) => s.supplier.name.clone(),
                None => lang.t(T::NewSupplier).to_string(),
            })
            .strong(),
        );
        egui::Grid::new("supplier_form")
            .num_columns(2)
            .show(ui, |ui| {
                for (t, v) in [
                    (T::ColName, &mut form.name),
                    (T::Phone, &mut form.phone),
                    (T::Tin, &mut form.tin),
                    (T::Address, &mut form.address),
                    (T::Notes, &mut form.notes),
                ] {
                    form_field(ui, lang.t(t), v);
                    ui.end_row();
                }
                form_field(ui, lang.t(T::OpeningBalance), &mut self.opening);
                ui.end_row();
            });
        field_error(ui, &self.form_error);
        ui.horizontal(|ui| {
            if ui.button(lang.t(T::SaveButton)).clicked() {
                let opening = if self.opening.trim().is_empty() {
                    Ok(Money(0))
                } else {
                    Money::parse(&self.opening).map_err(crate::app::AppError::from)
                };
                let result = opening.and_then(|m| {
                    form.opening_balance = m;
                    match self.selected {
                        Some(id) => app.update_supplier(session, id, form),
                        None => app.create_supplier(session, form),
                    }
                });
                match result {
                    Ok(s) => {
                        *toast = ok_toast(lang.fill(T::Saved, &[&s.name]));
                        self.form_error = None;
                        self.selected = Some(s.id);
                        self.loaded = false;
                    }
                    Err(e) => self.form_error = Some(error_text(lang, &e)),
                }
            }
            if let Some(s) = &current {
                let (label, archive) = if s.supplier.archived {
                    (T::RestoreSupplier, false)
                } else {
                    (T::ArchiveSupplier, true)
                };
                if ui.button(lang.t(label)).clicked() {
                    match app.set_supplier_archived(session, s.supplier.id, archive) {
                        Ok(()) => {
                            self.form_error = None;
                            self.loaded = false;
                        }
                        Err(e) => self.form_error = Some(error_text(lang, &e)),
                    }
                }
            }
        });
        let Some(s) = current else {
            return;
        };
        ui.separator();
        let mut figures = Vec::new();
        if s.supplier.opening_balance != 0 {
            figures.push((T::OpeningBalance, s.supplier.opening_balance));
        }
        figures.push((T::Purchased, s.purchased));
        if s.returned != 0 {
            figures.push((T::Returned, s.returned));
        }
        figures.push((T::PaidOut, s.paid));
        if s.owed < 0 {
            figures.push((T::SupplierOwesUs, -s.owed));
        } else {
            figures.push((T::WeOwe, s.owed));
        }
        ui.label(
            figures
                .iter()
                .map(|(t, m)| format!("{}: {}", lang.t(*t), Money(*m).text(lang)))
                .collect::<Vec<_>>()
                .join("   "),
        );
        if s.owed > 0 {
            payment_row(
                ui,
                lang,
                lang.t(T::PaymentAmount),
                &mut self.pay_amount,
                &mut self.pay_from,
            );
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::PayNote), &mut self.pay_note);
                if ui.button(lang.t(T::PaySupplier)).clicked() {
                    let from = self.pay_from;
                    let result = Money::parse(&self.pay_amount)
                        .map_err(crate::app::AppError::from)
                        .and_then(|amount| {
                            app.pay_supplier(
                                session,
                                &SupplierPaymentInput {
                                    supplier_id: s.supplier.id,
                                    amount,
                                    from,
                                    note: self.pay_note.clone(),
                                },
                            )
                        });
                    match result {
                        Ok(p) => {
                            *toast = ok_toast(lang.fill(
                                T::SupplierPaid,
                                &[
                                    &Money(p.amount).text(lang),
                                    &Money(s.owed - p.amount).text(lang),
                                ],
                            ));
                            self.pay_amount.clear();
                            self.pay_note.clear();
                            self.pay_error = None;
                            // An earlier "still owed, cannot archive" is no longer true.
                            self.form_error = None;
                            self.loaded = false;
                        }
                        Err(e) => self.pay_error = Some(error_text(lang, &e)),
                    }
                }
            });
            field_error(ui, &self.pay_error);
        }
        self.orders_ui(ui, lang, app, session, toast);
        ui.horizontal(|ui| {
            ui.label(RichText::new(lang.t(T::SupplierStatement)).strong());
            ui.label(lang.t(T::ExportStatement));
        });
        // What the file covers: the whole history, or a period opening with what was owed.
        let today = crate::domain::debt::local_date(app.now(), app.time_zone());
        let period = self
            .period
            .get_or_insert_with(|| super::PeriodInput::around(today, 30));
        let mut changed = false;
        changed |= ui
            .checkbox(&mut self.by_period, lang.t(T::ForAPeriod))
            .changed();
        if self.by_period {
            // The dates on a row of their own: beside the tick they overrun 1024 pixels.
            ui.horizontal(|ui| changed |= period.ui(ui, lang));
        }
        if changed {
            self.build_statement_table(lang, app.time_zone());
        }
        field_error(ui, &self.period_error);
        self.exporter.poll(ui, lang, toast);
        if let Some(t) = self.statement_table.take() {
            self.exporter.ui(
                ui,
                lang,
                app,
                &t,
                &session.full_name,
                &[(T::ExportXlsx, Format::Xlsx), (T::ExportPdf, Format::Pdf)],
                toast,
            );
            self.statement_table = Some(t);
        }
        let tz = app.time_zone();
        ui.push_id("supplier_statement", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .min_scrolled_height(260.0)
                .column(Column::exact(135.0))
                .column(Column::remainder().at_least(110.0).clip(true))
                .columns(Column::exact(100.0), 3)
                .header(20.0, |h| {
                    // What raised what is owed and what lowered it (a payment or a return:
                    // the second column says which), so the figures fit at 1024 pixels.
                    super::header(
                        h,
                        lang,
                        &[T::When, T::Kind, T::DebtUp, T::DebtDown, T::Balance],
                    )
                })
                .body(|body| {
                    // Newest first on screen.
                    let n = self.statement.len();
                    body.rows(22.0, n, |mut row| {
                        let l = &self.statement[n - 1 - row.index()];
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, l.at));
                        });
                        row.col(|ui| {
                            ui.label(l.describe(lang));
                        });
                        // Amounts without the currency word, which the summary above says:
                        // the columns stay narrow enough for a 1024-pixel screen.
                        for amount in [l.purchased, l.paid] {
                            row.col(|ui| {
                                if amount != 0 {
                                    ui.label(Money(amount).format_number());
                                }
                            });
                        }
                        row.col(|ui| {
                            ui.label(Money(l.balance).format_number());
                        });
                    });
                });
        });
    }

    /// The supplier's purchase orders, newest first: each with its state and, line by line,
    /// what was ordered and what came; an open one can be cancelled here (it is received in
    /// the Stock tab).
    fn orders_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if self.orders.is_empty() {
            return;
        }
        let tz = app.time_zone();
        let mut cancel = None;
        egui::CollapsingHeader::new(lang.t(T::Orders))
            .id_salt("supplier_orders")
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("supplier_orders_scroll")
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for o in &self.orders {
                            ui.horizontal(|ui| {
                                let head = lang.fill(
                                    T::OrderLabel,
                                    &[
                                        &o.id.to_string(),
                                        &crate::i18n::local_time(tz, o.created_at),
                                        order_state(lang, o),
                                    ],
                                );
                                let head = if o.has_difference() && !o.is_open() {
                                    RichText::new(head).color(RED)
                                } else {
                                    RichText::new(head)
                                };
                                ui.label(head.strong());
                                ui.label(Money(o.total_cost).text(lang));
                                if o.is_open() && ui.button(lang.t(T::CancelOrder)).clicked() {
                                    cancel = Some(o.id);
                                }
                            });
                            for l in &o.lines {
                                let mut text = format!(
                                    "    {}: {} {}",
                                    l.name,
                                    lang.t(T::Ordered),
                                    crate::domain::Quantity(l.ordered)
                                );
                                if o.status == "received" {
                                    text.push_str(&format!(
                                        ", {} {}",
                                        lang.t(T::CameIn),
                                        crate::domain::Quantity(l.received)
                                    ));
                                    if l.difference() != 0 {
                                        let d = l.difference();
                                        text.push_str(&format!(
                                            " ({} {}{})",
                                            lang.t(T::Difference),
                                            if d > 0 { "+" } else { "" },
                                            crate::domain::Quantity(d)
                                        ));
                                    }
                                }
                                if l.difference() != 0 && o.status == "received" {
                                    ui.colored_label(RED, text);
                                } else {
                                    ui.label(text);
                                }
                            }
                        }
                    });
            });
        if let Some(id) = cancel {
            match app.cancel_purchase_order(session, id) {
                Ok(()) => {
                    *toast = ok_toast(lang.fill(T::OrderCancelled, &[&id.to_string()]));
                    self.loaded = false;
                }
                Err(e) => *toast = super::err_toast(lang, &e),
            }
        }
    }
}
