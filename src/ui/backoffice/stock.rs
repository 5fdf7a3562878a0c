//! Stock: receive a supply (supplier, lines of product, quantity and cost, what is paid
//! now), the supply
//! history with its lines, a stock adjustment with a reason, and one product's movements.

use crate::i18n::MoneyText;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{App, ProductView, Session, SupplyDetail, SupplyInput, SupplyLineInput};
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, T};
use crate::store::models::{StockMovement, Supply};
use crate::ui::Toast;

struct Line {
    product: ProductView,
    quantity: String,
    cost: String,
}

#[derive(Default)]
pub struct StockTab {
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
                if ui.button(lang.fill(T::AddToSupply, &[&p.name])).clicked() {
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
        ui.label(RichText::new(lang.t(T::ReceiveSupply)).strong());
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
        super::suppliers::payment_row(
            ui,
            lang,
            lang.t(T::PaidNow),
            &mut self.paid_now,
            &mut self.pay_from,
        );
        ui.weak(lang.t(T::PaidNowHint));
        field_error(ui, &self.error);
        if ui
            .add_enabled(
                !self.lines.is_empty() && self.supplier.is_some(),
                egui::Button::new(lang.t(T::SaveSupply)),
            )
            .clicked()
        {
            self.error = None;
            let Some(supplier_id) = self.supplier else {
                return;
            };
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
            match app.receive_supply(
                session,
                &SupplyInput {
                    supplier_id,
                    notes: String::new(),
                    lines,
                    payment,
                },
            ) {
                Ok(id) => {
                    *toast = ok_toast(lang.fill(T::SupplySaved, &[&id.to_string()]));
                    self.lines.clear();
                    self.paid_now.clear();
                    self.loaded = false;
                }
                Err(e) => self.error = Some(error_text(lang, &e)),
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
