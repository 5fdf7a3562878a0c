//! Stock: goods in and out with a supplier — receive a supply (lines of product, quantity and
//! cost, what is paid now; or an open purchase order, corrected to what came), send goods
//! back to a supplier (with the reason), or order goods — the supply history with its lines,
//! a stock adjustment with a reason, and one product's movements.

use crate::i18n::MoneyText;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{
    App, ProductView, PurchaseOrderInput, PurchaseOrderView, Session, SupplierReturnInput,
    SupplyDetail, SupplyInput, SupplyLineInput,
};
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, T};
use crate::store::models::{StockMovement, Supply};
use crate::ui::Toast;

struct Line {
    product: ProductView,
    quantity: String,
    cost: String,
}

/// What the goods form does with its lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    /// Goods in: a supply (or an order received).
    #[default]
    Receive,
    /// Goods back to the supplier.
    Return,
    /// Goods asked for.
    Order,
}

#[derive(Default)]
pub struct StockTab {
    mode: Mode,
    /// The open order being received, when one is.
    order: Option<i32>,
    /// The chosen supplier's open orders.
    open_orders: Vec<PurchaseOrderView>,
    /// Why goods go back (a return), or a note to the order.
    return_reason: String,
    order_note: String,
    loaded: bool,
    /// The suppliers a supply can name (not archived).
    suppliers: Vec<crate::app::SupplierView>,
    supplier: Option<i32>,
    /// Paid when received (empty: later) and from where.
    paid_now: String,
    pay_from: crate::app::PayFrom,
    find: String,
    found: Vec<ProductView>,
    lines: Vec<Line>,
    error: Option<String>,
    history: Vec<Supply>,
    open: Option<SupplyDetail>,
    product: Option<ProductView>,
    delta: String,
    reason: String,
    adjust_error: Option<String>,
    movements: Vec<StockMovement>,
    /// Products below zero (sold beyond the stock), to count.
    negative: Vec<ProductView>,
    stocktake: super::stocktake::StocktakeView,
    /// Adjust by entering the counted quantity (the difference is computed), not a ± amount.
    counted_mode: bool,
    counted: String,
    /// Read again on the next show and every few seconds while shown.
    fresh: super::Freshness,
}

/// While shown, the tab reads its figures again this often (seconds).
const REFRESH_EVERY: f64 = 3.0;

impl StockTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        self.suppliers = app.suppliers(session, false).unwrap_or_default();
        if let Some(id) = self.supplier
            && !self.suppliers.iter().any(|s| s.supplier.id == id)
        {
            self.supplier = None;
        }
        self.read_open_orders(app, session);
        match app.supplies(session, 100) {
            Ok(h) => self.history = h,
            Err(e) => *toast = err_toast(lang, &e),
        }
        if let Some(id) = self.product.as_ref().map(|p| p.id) {
            self.product = app.product(session, id).ok();
            self.movements = app.stock_movements(session, id, 200).unwrap_or_default();
        }
        self.negative = app.negative_stock(session).unwrap_or_default();
        self.search(app, session);
        self.loaded = true;
    }

    /// The chosen supplier's open orders; an order received or cancelled meanwhile
    /// (elsewhere) is no longer the one being received.
    fn read_open_orders(&mut self, app: &mut App, session: &Session) {
        self.open_orders = match self.supplier {
            Some(id) => app
                .purchase_orders(session, Some(id), true, 50)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        if let Some(o) = self.order
            && !self.open_orders.iter().any(|x| x.id == o)
        {
            self.order = None;
        }
    }

    /// The products matching what is typed, with their current stock.
    fn search(&mut self, app: &mut App, session: &Session) {
        self.found = super::find_products(app, session, &self.find, 8);
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
            self.loaded = false;
        }
        if !self.loaded {
            self.reload(app, session, lang, toast);
            self.fresh.read(ui);
        }
        // Found products, a long list of lines and the history do not fit 720 pixels: the
        // tab scrolls, so the save button is always reachable.
        egui::ScrollArea::vertical()
            .id_salt("stock_tab")
            .show(ui, |ui| self.content(ui, lang, app, session, toast));
    }

    fn content(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.horizontal(|ui| {
            if form_field(ui, lang.t(T::SearchProducts), &mut self.find).changed() {
                self.search(app, session);
            }
        });
        if self.stocktake.ui(ui, lang, app, session, toast) {
            self.loaded = false;
        }
        let mut chosen: Option<(ProductView, bool)> = None;
        if !self.negative.is_empty() {
            ui.collapsing(
                RichText::new(lang.t(T::NegativeStock)).color(super::RED),
                |ui| {
                    for p in &self.negative {
                        let stock = crate::i18n::quantity_text(lang, Quantity(p.stock), p.unit());
                        if ui.button(format!("{} — {stock}", p.name)).clicked() {
                            chosen = Some((p.clone(), false));
                        }
                    }
                },
            );
        }
        for p in &self.found {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} ({} {})",
                    p.name,
                    lang.t(T::ColStock),
                    Quantity(p.stock)
                ));
                let add = match self.mode {
                    Mode::Receive => T::AddToSupply,
                    Mode::Return => T::AddToReturn,
                    Mode::Order => T::AddToOrder,
                };
                if ui.button(lang.fill(add, &[&p.name])).clicked() {
                    chosen = Some((p.clone(), true));
                }
                if ui.button(lang.fill(T::ShowMovements, &[&p.name])).clicked() {
                    chosen = Some((p.clone(), false));
                }
            });
        }
        match chosen {
            Some((p, true)) => {
                let cost = Money(p.purchase_price).format_number().replace(' ', "");
                self.lines.push(Line {
                    product: p,
                    quantity: "1".into(),
                    cost,
                });
            }
            Some((p, false)) => {
                self.movements = app.stock_movements(session, p.id, 200).unwrap_or_default();
                self.product = Some(p);
            }
            None => {}
        }
        ui.columns(2, |cols| {
            self.supply_ui(&mut cols[0], lang, app, session, toast);
            self.product_ui(&mut cols[1], lang, app, session, toast);
        });
    }

    fn supply_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let tz = app.time_zone();
        ui.horizontal(|ui| {
            for (mode, t) in [
                (Mode::Receive, T::ReceiveSupply),
                (Mode::Return, T::ModeReturn),
                (Mode::Order, T::ModeOrder),
            ] {
                if ui
                    .selectable_label(self.mode == mode, RichText::new(lang.t(t)).strong())
                    .clicked()
                {
                    self.mode = mode;
                    self.error = None;
                    if mode != Mode::Receive {
                        self.order = None;
                    }
                }
            }
        });
        let supplier_before = self.supplier;
        if self.suppliers.is_empty() {
            ui.label(RichText::new(lang.t(T::NoSuppliersYet)).color(super::RED));
        } else {
            let names: Vec<(i32, &str)> = self
                .suppliers
                .iter()
                .map(|s| (s.supplier.id, s.supplier.name.as_str()))
                .collect();
            ui.horizontal(|ui| {
                super::pick_id(
                    ui,
                    "supply_supplier",
                    lang.t(T::Supplier),
                    &mut self.supplier,
                    &names,
                    lang.t(T::ChooseSupplier),
                    Some(260.0),
                );
            });
        }
        if self.supplier != supplier_before {
            self.order = None;
            self.read_open_orders(app, session);
        }
        if self.mode == Mode::Receive {
            self.orders_ui(ui, lang, app, session);
        }
        let mut remove = None;
        for (i, line) in self.lines.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.label(&line.product.name);
                let l = ui.label(lang.t(T::ColQty));
                ui.add(
                    egui::TextEdit::singleline(&mut line.quantity)
                        .char_limit(crate::ui::limits::AMOUNT)
                        .desired_width(70.0),
                )
                .labelled_by(l.id);
                let l = ui.label(lang.t(T::UnitCost));
                ui.add(
                    egui::TextEdit::singleline(&mut line.cost)
                        .char_limit(crate::ui::limits::AMOUNT)
                        .desired_width(100.0),
                )
                .labelled_by(l.id);
                // The last purchase price, also when the cost typed differs from it.
                ui.weak(lang.fill(
                    T::LastCost,
                    &[&crate::i18n::MoneyText::text(
                        Money(line.product.purchase_price),
                        lang,
                    )],
                ));
                if ui.button("✖").on_hover_text(lang.t(T::Delete)).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.lines.remove(i);
        }
        match self.mode {
            Mode::Receive => {
                super::suppliers::payment_row(
                    ui,
                    lang,
                    lang.t(T::PaidNow),
                    &mut self.paid_now,
                    &mut self.pay_from,
                );
                ui.weak(lang.t(T::PaidNowHint));
            }
            Mode::Return => {
                form_field(ui, lang.t(T::ReturnWhy), &mut self.return_reason);
                ui.weak(lang.t(T::ReturnReasonHint));
            }
            Mode::Order => {
                form_field(ui, lang.t(T::Notes), &mut self.order_note);
            }
        }
        field_error(ui, &self.error);
        let label = match self.mode {
            Mode::Receive => T::SaveSupply,
            Mode::Return => T::SaveReturn,
            Mode::Order => T::SaveOrder,
        };
        if ui
            .add_enabled(
                !self.lines.is_empty() && self.supplier.is_some(),
                egui::Button::new(lang.t(label)),
            )
            .clicked()
        {
            self.error = None;
            if let Some(supplier_id) = self.supplier {
                self.save(lang, app, session, supplier_id, toast);
            }
        }
        ui.separator();
        ui.label(RichText::new(lang.t(T::SupplyHistory)).strong());
        let mut open = None;
        ui.push_id("supplies", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(200.0)
                .column(Column::exact(45.0))
                .column(Column::exact(140.0))
                .column(Column::remainder().clip(true))
                .column(Column::exact(145.0))
                .header(20.0, |h| {
                    super::header(h, lang, &[T::SaleNo, T::When, T::Supplier, T::ColSum])
                })
                .body(|body| {
                    body.rows(22.0, self.history.len(), |mut row| {
                        let s = &self.history[row.index()];
                        row.col(|ui| {
                            ui.label(format!("#{}", s.id));
                        });
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, s.created_at));
                        });
                        row.col(|ui| {
                            ui.add(egui::Label::new(&s.supplier).truncate());
                        });
                        row.col(|ui| {
                            ui.label(Money(s.total_cost).text(lang));
                        });
                        if row.response().clicked() {
                            open = Some(s.id);
                        }
                    });
                });
        });
        if let Some(id) = open {
            self.open = app.supply_detail(session, id).ok();
        }
        if let Some(d) = &self.open {
            for (item, name) in &d.items {
                ui.label(format!(
                    "{name}: {} × {}",
                    Quantity(item.quantity),
                    Money(item.unit_cost).text(lang)
                ));
            }
        }
    }

    /// The chosen supplier's open orders, each with a button that fills the lines with what
    /// was ordered (to correct to what came); the order being received, with a way out.
    fn orders_ui(&mut self, ui: &mut egui::Ui, lang: Lang, app: &mut App, session: &Session) {
        let tz = app.time_zone();
        if let Some(id) = self.order {
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(lang.fill(T::ReceivingOrder, &[&id.to_string()]))
                        .color(super::GREEN),
                );
                if ui.button("✖").on_hover_text(lang.t(T::Delete)).clicked() {
                    self.order = None;
                    self.lines.clear();
                }
            });
            return;
        }
        if self.open_orders.is_empty() {
            return;
        }
        let mut take = None;
        ui.label(lang.t(T::OpenOrders));
        for o in &self.open_orders {
            ui.horizontal(|ui| {
                ui.label(lang.fill(
                    T::OrderLabel,
                    &[
                        &o.id.to_string(),
                        &crate::i18n::local_time(tz, o.created_at),
                        &Money(o.total_cost).text(lang),
                    ],
                ));
                if ui.button(lang.t(T::ReceiveOrder)).clicked() {
                    take = Some(o.clone());
                }
            });
        }
        if let Some(o) = take {
            self.lines.clear();
            for l in o.as_supply().lines {
                if let Ok(product) = app.product(session, l.product_id) {
                    self.lines.push(Line {
                        product,
                        quantity: l.quantity.to_string(),
                        cost: l.unit_cost.format_number().replace(' ', ""),
                    });
                }
            }
            self.order = Some(o.id);
            self.error = None;
        }
    }

    /// Saves the form as the mode says: a supply (of an order, when one is being received),
    /// a return or an order.
    fn save(
        &mut self,
        lang: Lang,
        app: &mut App,
        session: &Session,
        supplier_id: i32,
        toast: &mut Option<Toast>,
    ) {
        let mut lines = Vec::new();
        for l in &self.lines {
            let q = Quantity::parse(&l.quantity).map_err(|e| error_text(lang, &e.into()));
            let c = Money::parse(&l.cost).map_err(|e| error_text(lang, &e.into()));
            match (q, c) {
                (Ok(quantity), Ok(unit_cost)) => lines.push(SupplyLineInput {
                    product_id: l.product.id,
                    quantity,
                    unit_cost,
                }),
                (Err(e), _) | (_, Err(e)) => {
                    self.error = Some(format!("{}: {e}", l.product.name));
                    return;
                }
            }
        }
        let done = match self.mode {
            Mode::Receive => {
                let payment = if self.paid_now.trim().is_empty() {
                    None
                } else {
                    match Money::parse(&self.paid_now) {
                        Ok(amount) => Some(crate::app::SupplyPayment {
                            amount,
                            from: self.pay_from,
                        }),
                        Err(e) => {
                            self.error = Some(error_text(lang, &e.into()));
                            return;
                        }
                    }
                };
                let input = SupplyInput {
                    supplier_id,
                    notes: String::new(),
                    lines,
                    payment,
                };
                match self.order {
                    Some(order) => app.receive_order(session, order, &input).map(|id| {
                        lang.fill(T::OrderReceived, &[&order.to_string(), &id.to_string()])
                    }),
                    None => app
                        .receive_supply(session, &input)
                        .map(|id| lang.fill(T::SupplySaved, &[&id.to_string()])),
                }
            }
            Mode::Return => {
                let input = SupplierReturnInput {
                    supplier_id,
                    lines,
                    reason: self.return_reason.clone(),
                };
                app.return_to_supplier(session, &input).and_then(|id| {
                    let owed = app.supplier(session, supplier_id)?.owed;
                    let balance = if owed < 0 {
                        format!("{} {}", lang.t(T::SupplierOwesUs), Money(-owed).text(lang))
                    } else {
                        format!("{} {}", lang.t(T::WeOwe), Money(owed).text(lang))
                    };
                    Ok(lang.fill(T::ReturnSaved, &[&id.to_string(), &balance]))
                })
            }
            Mode::Order => {
                let input = PurchaseOrderInput {
                    supplier_id,
                    lines,
                    note: self.order_note.clone(),
                };
                app.create_purchase_order(session, &input)
                    .map(|id| lang.fill(T::OrderSaved, &[&id.to_string()]))
            }
        };
        match done {
            Ok(text) => {
                *toast = ok_toast(text);
                self.lines.clear();
                self.paid_now.clear();
                self.return_reason.clear();
                self.order_note.clear();
                self.order = None;
                self.loaded = false;
            }
            Err(e) => self.error = Some(error_text(lang, &e)),
        }
    }

    fn product_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let tz = app.time_zone();
        let Some(p) = self.product.clone() else {
            ui.label(lang.t(T::ChooseProduct));
            return;
        };
        ui.label(
            RichText::new(format!(
                "{} — {} {}",
                p.name,
                lang.t(T::ColStock),
                Quantity(p.stock)
            ))
            .strong(),
        );
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.counted_mode, false, lang.t(T::ChangeBy));
            ui.radio_value(&mut self.counted_mode, true, lang.t(T::SetCounted));
        });
        if self.counted_mode {
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::CountedQuantity), &mut self.counted);
            });
            // The difference, from the stock as just read, before anything is saved.
            if let Ok(q) = Quantity::parse(&self.counted) {
                let diff = Quantity(q.0 - p.stock);
                let sign = if diff.0 > 0 { "+" } else { "" };
                ui.label(
                    RichText::new(lang.fill(
                        T::CountDifference,
                        &[
                            &format!("{sign}{diff}"),
                            &Quantity(p.stock).to_string(),
                            &q.to_string(),
                        ],
                    ))
                    .strong(),
                );
            }
        } else {
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::AdjustBy), &mut self.delta);
            });
        }
        ui.horizontal(|ui| {
            form_field(ui, lang.t(T::Reason), &mut self.reason);
        });
        let adjust = ui.button(lang.t(T::Adjust)).clicked();
        if adjust && self.counted_mode {
            let result = Quantity::parse(&self.counted)
                .map_err(crate::app::AppError::from)
                .and_then(|q| {
                    app.set_counted_stock(session, p.id, q, Quantity(p.stock), &self.reason)
                });
            match result {
                Ok(stock) => {
                    *toast = ok_toast(lang.fill(T::StockNow, &[&Quantity(stock).to_string()]));
                    self.counted.clear();
                    self.reason.clear();
                    self.adjust_error = None;
                    self.loaded = false;
                }
                Err(e) => {
                    // A stale figure: read it again, so the difference shown is the new one.
                    if matches!(e, crate::app::AppError::StockChanged { .. }) {
                        self.loaded = false;
                    }
                    self.adjust_error = Some(error_text(lang, &e));
                }
            }
        }
        if adjust && !self.counted_mode {
            let t = self.delta.trim();
            let (neg, body) = match t.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, t.strip_prefix('+').unwrap_or(t)),
            };
            match Quantity::parse(body) {
                Ok(q) => {
                    let delta = if neg { Quantity(-q.0) } else { q };
                    match app.adjust_stock(session, p.id, delta, &self.reason) {
                        Ok(stock) => {
                            *toast =
                                ok_toast(lang.fill(T::StockNow, &[&Quantity(stock).to_string()]));
                            self.delta.clear();
                            self.reason.clear();
                            self.adjust_error = None;
                            self.loaded = false;
                        }
                        Err(e) => self.adjust_error = Some(error_text(lang, &e)),
                    }
                }
                Err(e) => self.adjust_error = Some(error_text(lang, &e.into())),
            }
        }
        field_error(ui, &self.adjust_error);
        ui.label(RichText::new(lang.t(T::Movements)).strong());
        ui.push_id("movements", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .column(Column::exact(140.0))
                .column(Column::exact(100.0))
                .column(Column::exact(80.0))
                .column(Column::remainder())
                .header(20.0, |h| {
                    super::header(h, lang, &[T::When, T::Kind, T::ColQty, T::Reason])
                })
                .body(|body| {
                    body.rows(22.0, self.movements.len(), |mut row| {
                        let m = &self.movements[row.index()];
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, m.created_at));
                        });
                        row.col(|ui| {
                            ui.label(match m.kind.as_str() {
                                "sale" => lang.t(T::KindSale),
                                "refund" => lang.t(T::KindRefund),
                                "supply" => lang.t(T::KindSupply),
                                "supplier_return" => lang.t(T::KindSupplierReturn),
                                _ => lang.t(T::KindAdjustment),
                            });
                        });
                        row.col(|ui| {
                            ui.label(Quantity(m.quantity).to_string());
                        });
                        row.col(|ui| {
                            ui.label(&m.reason);
                        });
                    });
                });
        });
    }
}
