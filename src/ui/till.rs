//! The till: what a cashier works with all day, by keyboard and scanner.
//!
//! The catalog is held in memory ([`SearchIndex`]) so a scan or a keystroke is answered in
//! the same frame. Scans are taken from the raw input before any widget runs
//! ([`ScanDetector`]), so they work whatever has focus. Every change of data goes through
//! `app/`; a failed checkout leaves the cart as it was and says why.

use crate::i18n::MoneyText;
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use egui::{Color32, Key, Modifiers, RichText};
use egui_extras::{Column, TableBuilder};

use super::Toast;
use super::preview;
use super::scan::ScanDetector;
use super::{dialog_field, field};
use crate::app::{
    App, ClientInput, ClientView, ParkedCart, ParkedLine, ProductView, SaleLineInput, SaleRequest,
    Session,
};
use crate::devices::receipt::{self, Document};
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::payment::{PaymentMethod, TenderInput, settle};
use crate::domain::scale::{self, ScaleValue};
use crate::domain::search::SearchIndex;
use crate::domain::{Action, Money, Quantity, Unit, debt};
use crate::i18n::{Lang, T, error_text};
use crate::store::models::Shift;

const RESULTS_SHOWN: usize = 50;
const RED: Color32 = Color32::from_rgb(200, 40, 40);

struct PayState {
    cash: String,
    /// The shop's active non-cash methods, each with the amount typed for it.
    cards: Vec<CardField>,
    nasiya: String,
    client_query: String,
    /// The customer ↑↓ point at in the list (Enter chooses it).
    client_sel: usize,
    /// Put the focus in the customer search once (nasiya just chosen).
    focus_query: bool,
    clients: Vec<ClientView>,
    client: Option<ClientView>,
    due: String,
    new_name: String,
    new_phone: String,
    error: Option<String>,
    /// Select the cash field's text on the first frame, so typing replaces it.
    select_cash: bool,
    /// The nasiya passed the customer's credit limit: a manager may approve with their own
    /// login and password.
    over_limit: bool,
    approver_login: String,
    approver_password: String,
}

/// A non-cash payment method's field in the payment dialog.
struct CardField {
    id: i32,
    name: String,
    amount: String,
}

enum Dialog {
    None,
    Quantity {
        line: usize,
        text: String,
        error: Option<String>,
    },
    Discount {
        text: String,
        on_sale: bool,
        error: Option<String>,
    },
    Pay(Box<PayState>),
    CloseShift {
        text: String,
        expected: i64,
        error: Option<String>,
    },
    Text {
        title: String,
        lines: Vec<String>,
        /// The X report of the open shift: Ctrl+P prints it.
        print_x: bool,
    },
    /// The receipt as it prints; Ctrl+P prints a copy.
    Receipt {
        sale_id: i32,
        doc: Box<Document>,
    },
    Parked {
        list: Vec<(i32, String, i64)>,
        selected: usize,
    },
}

/// What a function key or a side button asks the till to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    Pay,
    Quantity,
    Discount,
    Remove,
    Park,
    Resume,
    Reprint,
    XReport,
    CloseShift,
}

/// The till screen's state.
pub struct Till {
    catalog: Vec<ProductView>,
    /// The catalog change number `catalog` and `index` are current to.
    catalog_seq: i64,
    /// When the till last asked for catalog changes (egui time).
    catalog_checked: f64,
    index: SearchIndex,
    by_id: HashMap<i32, usize>,
    search: String,
    results: Vec<usize>,
    result_sel: usize,
    cart: Cart,
    line_sel: Option<usize>,
    dialog: Dialog,
    scanner: ScanDetector,
    shift: Option<Shift>,
    opening_cash: String,
    last_sale: Option<i32>,
    /// The idempotency key of the checkout in progress: kept until it succeeds, so a retry
    /// after an error can never sell twice.
    checkout_key: Option<String>,
    flash_until: f64,
    focus_search: bool,
    /// Text was added to the search box from outside the text field: put its cursor at
    /// the end.
    search_to_end: bool,
    /// The shop's time zone, for times on screen.
    tz: chrono_tz::Tz,
    /// The change of the last sale, shown big until the next sale starts.
    last_change: Option<Money>,
    /// The selected cart line as last drawn: when the selection moves, it is scrolled into view.
    drawn_sel: (Option<usize>, f32),
    /// Which dialog was open last frame, to know a dialog's first frame.
    last_dialog: Option<std::mem::Discriminant<Dialog>>,
    /// Barcodes from the USB scanner thread, taken in the next frame.
    device_scans: Vec<String>,
}

impl Default for Till {
    fn default() -> Self {
        Till::new()
    }
}

fn parse_discount(text: &str) -> Result<Discount, String> {
    let t = text.trim();
    if t.is_empty() || t == "0" {
        return Ok(Discount::None);
    }
    if let Some(p) = t.strip_suffix('%') {
        let q = Quantity::parse(p).map_err(|e| e.to_string())?;
        // Quantity has three decimals; basis points have two.
        if q.0 % 10 != 0 || q.0 > 100_000 {
            return Err(format!("{t}: 0–100 %, at most two decimals"));
        }
        return Ok(Discount::Percent((q.0 / 10) as u32));
    }
    Money::parse(t)
        .map(Discount::Amount)
        .map_err(|e| e.to_string())
}

fn key_button(ui: &mut egui::Ui, text: &str, enabled: bool) -> bool {
    ui.add_enabled(
        enabled,
        egui::Button::new(RichText::new(text).size(15.0)).min_size(egui::vec2(170.0, 34.0)),
    )
    .clicked()
}

impl Till {
    pub fn new() -> Till {
        Till {
            catalog: Vec::new(),
            catalog_seq: 0,
            catalog_checked: f64::NEG_INFINITY,
            index: SearchIndex::default(),
            by_id: HashMap::new(),
            search: String::new(),
            results: Vec::new(),
            result_sel: 0,
            cart: Cart::new(),
            line_sel: None,
            dialog: Dialog::None,
            scanner: ScanDetector::default(),
            shift: None,
            opening_cash: String::new(),
            last_sale: None,
            checkout_key: None,
            flash_until: 0.0,
            focus_search: true,
            search_to_end: false,
            tz: chrono_tz::Asia::Tashkent,
            last_change: None,
            last_dialog: None,
            drawn_sel: (None, 0.0),
            device_scans: Vec::new(),
        }
    }

    /// A barcode read by the USB scanner (HID POS): added like a keyboard scan.
    pub fn push_scan(&mut self, code: String) {
        self.device_scans.push(code);
    }

    /// Loads the catalog and the open shift (at log-in).
    pub fn load(&mut self, app: &mut App, session: &Session) {
        if let Ok((seq, catalog)) = app.catalog_at(session) {
            self.catalog_seq = seq;
            self.index = SearchIndex::build(
                catalog
                    .iter()
                    .map(|p| (p.name.as_str(), p.barcodes.iter().map(String::as_str))),
            );
            self.by_id = catalog.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
            // The index holds the barcodes now; the till shows none, so keep no second copy.
            self.catalog = catalog
                .into_iter()
                .map(|mut p| {
                    p.barcodes = Vec::new();
                    p
                })
                .collect();
        }
        self.shift = app.current_shift(session).ok().flatten();
        self.tz = app.time_zone();
        self.last_sale = app.last_sale_id(session).ok().flatten();
        self.refresh_results();
        release_free_memory();
    }

    pub fn cart(&self) -> &Cart {
        &self.cart
    }

    /// Brings the in-memory catalog up to date with every change made anywhere since it was
    /// read (the back office, another till, another program): changed products are updated
    /// in place, new ones added, archived and deleted ones taken out of search; a cart line
    /// whose price changed takes the new price, with a notice. Asked before every frame
    /// with input and at least every half second; one indexed query when nothing changed.
    pub fn follow_catalog(
        &mut self,
        app: &mut App,
        session: &Session,
        now: f64,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        self.catalog_checked = now;
        let Ok(changes) = app.catalog_changes(session, self.catalog_seq) else {
            return;
        };
        if let Some(notice) = self.apply_catalog_changes(changes, lang) {
            *toast = Some(notice);
        }
    }

    /// Applies catalog changes; returns a notice when cart prices changed.
    pub fn apply_catalog_changes(
        &mut self,
        changes: crate::app::CatalogChanges,
        lang: Lang,
    ) -> Option<Toast> {
        self.catalog_seq = changes.seq;
        if changes.changed.is_empty() && changes.gone.is_empty() {
            return None;
        }
        let mut repriced: Vec<String> = Vec::new();
        for mut p in changes.changed {
            let codes = std::mem::take(&mut p.barcodes);
            match self.by_id.get(&p.id).copied() {
                Some(pos) => {
                    if p.archived {
                        self.index.set(pos, None, []);
                    } else {
                        self.index
                            .set(pos, Some(&p.name), codes.iter().map(String::as_str));
                    }
                    self.catalog[pos] = p;
                }
                None if !p.archived => {
                    let pos = self.index.push(&p.name, codes.iter().map(String::as_str));
                    self.by_id.insert(p.id, pos);
                    self.catalog.push(p);
                }
                None => {}
            }
        }
        for id in changes.gone {
            if let Some(&pos) = self.by_id.get(&id) {
                self.index.set(pos, None, []);
                self.catalog[pos].archived = true;
            }
        }
        // Cart lines follow the new prices (the sale would be refused at the old ones).
        for i in 0..self.cart.len() {
            let line = &self.cart.lines()[i];
            let Some(p) = self
                .by_id
                .get(&line.product_id)
                .map(|&pos| &self.catalog[pos])
            else {
                continue;
            };
            if p.archived || line.unit_price.0 == p.sale_price {
                continue;
            }
            let (price, cost, name) =
                (Money(p.sale_price), Money(p.purchase_price), p.name.clone());
            if self.cart.set_unit_price(i, price, cost).is_ok() {
                repriced.push(format!("{name}: {}", price.text(lang)));
            }
        }
        self.refresh_results();
        (!repriced.is_empty()).then(|| Toast {
            text: lang.fill(T::PricesUpdated, &[&repriced.join(", ")]),
            error: false,
        })
    }

    /// What the search box holds.
    pub fn search(&self) -> &str {
        &self.search
    }

    pub fn shift_status(&self, lang: Lang) -> String {
        match &self.shift {
            Some(s) => {
                let local = s.opened_at.and_utc().with_timezone(&self.tz);
                lang.fill(
                    T::ShiftOpenSince,
                    &[&local.format("%d.%m %H:%M").to_string()],
                )
            }
            None => lang.t(T::NoShift).to_string(),
        }
    }

    fn refresh_results(&mut self) {
        self.results = self.index.search(&self.search, RESULTS_SHOWN);
        self.result_sel = 0;
    }

    /// Adds a product to the cart; selects its line.
    fn add_product(
        &mut self,
        pos: usize,
        quantity: Quantity,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        let Some(p) = self.catalog.get(pos) else {
            return;
        };
        let line = CartLine {
            product_id: p.id,
            name: p.name.as_str().into(),
            unit: p.unit(),
            unit_price: Money(p.sale_price),
            unit_cost: Money(p.purchase_price),
            quantity,
            discount: Discount::None,
        };
        match self.cart.add(line) {
            Ok(i) => {
                self.line_sel = Some(i);
                self.last_change = None;
                *toast = Some(Toast {
                    text: lang.fill(T::Added, &[&p.name]),
                    error: false,
                });
            }
            Err(e) => {
                *toast = Some(Toast {
                    text: error_text(lang, &e.into()),
                    error: true,
                })
            }
        }
    }

    /// A barcode from the scanner or typed: a product's own code, or a scale label.
    /// The barcode of a catalog product (or a scale label of one) that `field` ends with,
    /// if any: what a scanner typed into a field before Enter.
    fn scanned_code_in(&self, field: &str) -> Option<String> {
        let field = field.trim();
        let digits = field
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (8..=digits.min(18)).rev().find_map(|n| {
            let code: String = field.chars().skip(field.chars().count() - n).collect();
            let known = self.index.by_barcode(&code).is_some()
                || scale::parse(&code)
                    .is_some_and(|l| self.index.by_barcode(&l.product_code).is_some());
            known.then_some(code)
        })
    }

    /// What Enter in the search box does with `q` (the text at that Enter): a barcode (any
    /// run of 8 or more digits, or a known code) is added or refused; other text adds the
    /// selected search result. A weighed product asks for its weight.
    fn submit(&mut self, q: &str, now: f64, lang: Lang, toast: &mut Option<Toast>) {
        let q = q.trim();
        if q.is_empty() {
            return;
        }
        if !matches!(self.dialog, Dialog::None) {
            // A dialog opened by an earlier Enter in the same frame (a weighed product):
            // scans still go to the cart; other text waits in the search box.
            if q.chars().all(|c| c.is_ascii_digit()) && q.len() >= 8 {
                self.add_barcode(q, now, lang, toast);
            } else {
                self.search = q.to_string();
                self.refresh_results();
            }
            return;
        }
        self.search = q.to_string();
        self.refresh_results();
        let digits = q.chars().all(|c| c.is_ascii_digit());
        if self.index.by_barcode(q).is_some()
            || scale::parse(q).is_some()
            || (digits && q.len() >= 8)
        {
            self.add_barcode(q, now, lang, toast);
        } else if let Some(&pos) = self.results.get(self.result_sel) {
            self.add_product(pos, Quantity::units(1), lang, toast);
            if self.catalog[pos].unit() == Unit::Weight
                && let Some(line) = self.line_sel
            {
                self.dialog = Dialog::Quantity {
                    line,
                    text: "1".into(),
                    error: None,
                };
            }
        } else {
            self.add_barcode(q, now, lang, toast);
        }
        self.search.clear();
        self.refresh_results();
        self.focus_search = true;
    }

    fn add_barcode(&mut self, code: &str, now: f64, lang: Lang, toast: &mut Option<Toast>) -> bool {
        if let Some(pos) = self.index.by_barcode(code) {
            if self.catalog[pos].unit() == Unit::Weight {
                // A weighed product by its own code: ask for the weight.
                self.add_product(pos, Quantity::units(1), lang, toast);
                if let Some(line) = self.line_sel {
                    self.dialog = Dialog::Quantity {
                        line,
                        text: Quantity(self.cart.lines()[line].quantity.0).to_string(),
                        error: None,
                    };
                }
            } else {
                self.add_product(pos, Quantity::units(1), lang, toast);
            }
            return true;
        }
        if let Some(label) = scale::parse(code)
            && let Some(pos) = self.index.by_barcode(&label.product_code)
        {
            let quantity = match label.value {
                ScaleValue::Weight(q) => Some(q),
                ScaleValue::Price(price) => {
                    scale::quantity_for_price(price, Money(self.catalog[pos].sale_price))
                }
            };
            if let Some(q) = quantity {
                self.add_product(pos, q, lang, toast);
                return true;
            }
        }
        // Unknown: flash and beep, the cart stays as it was. A misread (wrong check digit)
        // is told apart from a code that is simply not in the catalog.
        self.flash_until = now + 0.6;
        print!("\x07");
        let text = match crate::domain::barcode::validate(code) {
            Err(crate::domain::barcode::BarcodeError::CheckDigit(_)) => {
                lang.fill(T::BadCheckDigit, &[code])
            }
            _ => lang.fill(T::UnknownBarcode, &[code]),
        };
        *toast = Some(Toast { text, error: true });
        false
    }

    fn cart_request(
        &self,
        key: String,
        tenders: Vec<TenderInput>,
        client: Option<i32>,
        due: Option<NaiveDate>,
        expected: Money,
    ) -> SaleRequest {
        SaleRequest {
            idempotency_key: key,
            lines: self
                .cart
                .lines()
                .iter()
                .map(|l| SaleLineInput {
                    product_id: l.product_id,
                    quantity: l.quantity,
                    discount: l.discount,
                })
                .collect(),
            sale_discount: self.cart.sale_discount(),
            tenders,
            client_id: client,
            due_date: due,
            expected_total: Some(expected),
        }
    }

    fn total(&self) -> Money {
        self.cart.totals().map(|t| t.total).unwrap_or_default()
    }

    fn open_pay(&mut self, app: &mut App, session: &Session, lang: Lang) {
        if self.cart.is_empty() {
            return;
        }
        let today = debt::local_date(app.now(), app.time_zone());
        let total = self.total();
        self.dialog = Dialog::Pay(Box::new(PayState {
            cash: total.format_number().replace(' ', ""),
            cards: app
                .payment_methods(session)
                .map(|m| {
                    m.active()
                        .map(|m| CardField {
                            id: m.id,
                            name: m.name(lang).to_string(),
                            amount: String::new(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            nasiya: String::new(),
            client_query: String::new(),
            client_sel: 0,
            focus_query: false,
            clients: app.clients(session, "", 50).unwrap_or_default(),
            client: None,
            due: (today + Duration::days(14)).format("%Y-%m-%d").to_string(),
            new_name: String::new(),
            new_phone: String::new(),
            error: None,
            select_cash: true,
            over_limit: false,
            approver_login: String::new(),
            approver_password: String::new(),
        }));
    }

    fn finish_sale(
        &mut self,
        app: &mut App,
        session: &Session,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        // A scan the burst detector missed (frames far apart on a busy machine) ends in a
        // money field as a product's barcode followed by Enter: it is taken back out and
        // refused, never counted as money.
        let scanned = match &self.dialog {
            Dialog::Pay(pay) => [&pay.cash, &pay.nasiya]
                .into_iter()
                .chain(pay.cards.iter().map(|c| &c.amount))
                .find_map(|f| self.scanned_code_in(f)),
            _ => None,
        };
        let total = self.cart.totals().map(|t| t.total).unwrap_or_default();
        let Dialog::Pay(pay) = &mut self.dialog else {
            return;
        };
        if let Some(code) = scanned {
            refuse_scan_in_payment(pay, &code, total, lang);
            return;
        }
        let tenders = match tenders_of(pay) {
            Ok(t) => t,
            Err(e) => {
                pay.error = Some(e);
                return;
            }
        };
        let due = if pay.nasiya.trim().is_empty() {
            None
        } else {
            match NaiveDate::parse_from_str(pay.due.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    pay.error = Some(lang.t(T::BadDate).into());
                    return;
                }
            }
        };
        let client = pay.client.as_ref().map(|c| c.id);
        let key = self
            .checkout_key
            .get_or_insert_with(|| {
                format!(
                    "till-{}-{}",
                    session.employee_id,
                    app.now().timestamp_nanos_opt().unwrap_or_default()
                )
            })
            .clone();
        // Past the credit limit, a manager approves with their own login and password
        // (checked like a log-in: throttled and audited).
        let approval = if pay.over_limit && !pay.approver_login.trim().is_empty() {
            Some((
                pay.approver_login.clone(),
                std::mem::take(&mut pay.approver_password),
            ))
        } else {
            None
        };
        let req = self.cart_request(key, tenders, client, due, total);
        let approver = match approval {
            Some((login, password)) => match app.login(&login, &password) {
                Ok(s) => Some(s),
                Err(e) => {
                    if let Dialog::Pay(pay) = &mut self.dialog {
                        pay.error = Some(error_text(lang, &e));
                    }
                    return;
                }
            },
            None => None,
        };
        match app.sell_approved(session, &req, approver.as_ref()) {
            Ok(r) => {
                self.cart.clear();
                self.line_sel = None;
                self.checkout_key = None;
                self.dialog = Dialog::None;
                self.last_sale = Some(r.sale_id);
                self.last_change = Some(Money(r.change));
                *toast = Some(Toast {
                    text: lang.fill(
                        T::SaleDone,
                        &[&r.sale_id.to_string(), &Money(r.change).text(lang)],
                    ),
                    error: false,
                });
                // Only what the sale changed (the stock of its products) is read back.
                self.follow_catalog(app, session, f64::NEG_INFINITY, lang, toast);
                self.focus_search = true;
            }
            Err(e) => {
                if let Dialog::Pay(pay) = &mut self.dialog {
                    if matches!(e, crate::app::AppError::CreditLimit { .. }) {
                        pay.over_limit = true;
                    }
                    pay.error = Some(error_text(lang, &e));
                }
            }
        }
    }

    fn park(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        if self.cart.is_empty() {
            return;
        }
        let parked = ParkedCart {
            lines: self
                .cart
                .lines()
                .iter()
                .map(|l| ParkedLine {
                    product_id: l.product_id,
                    quantity: l.quantity.0,
                    discount: l.discount,
                })
                .collect(),
            sale_discount: self.cart.sale_discount(),
        };
        let label = self
            .cart
            .lines()
            .first()
            .map(|l| l.name.clone())
            .unwrap_or_default();
        match app.park_cart(session, &label, self.total().0, &parked) {
            Ok(_) => {
                self.cart.clear();
                self.line_sel = None;
                self.checkout_key = None;
                *toast = Some(Toast {
                    text: lang.t(T::Parked).into(),
                    error: false,
                });
            }
            Err(e) => {
                *toast = Some(Toast {
                    text: error_text(lang, &e),
                    error: true,
                })
            }
        }
    }

    fn resume(
        &mut self,
        app: &mut App,
        session: &Session,
        id: i32,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        match app.resume_parked_cart(session, id) {
            Ok(parked) => {
                if !self.cart.is_empty() {
                    // Keep what was on the till: park it in exchange.
                    self.park(app, session, lang, toast);
                }
                for l in parked.lines {
                    if let Some(&pos) = self.by_id.get(&l.product_id) {
                        self.add_product(pos, Quantity(l.quantity), lang, toast);
                        if let Some(i) = self.line_sel {
                            let _ = self.cart.set_line_discount(i, l.discount);
                        }
                    }
                }
                let _ = self.cart.set_sale_discount(parked.sale_discount);
                self.dialog = Dialog::None;
            }
            Err(e) => {
                *toast = Some(Toast {
                    text: error_text(lang, &e),
                    error: true,
                })
            }
        }
    }

    fn report_lines(&self, lang: Lang, rep: &crate::app::ShiftReport) -> Vec<String> {
        let mut lines = Vec::new();
        for f in receipt::shift_figures(rep) {
            let value = match f.value {
                receipt::Figure::Money(v) => Money(v).text(lang),
                receipt::Figure::Count(n) => n.to_string(),
            };
            lines.push(format!("{}: {}", lang.t(f.label), value));
            if f.label == T::CardSales {
                for (method, amount) in &rep.card_by_method {
                    lines.push(format!(
                        "    {}: {}",
                        method.name(lang),
                        Money(*amount).text(lang)
                    ));
                }
            }
        }
        lines
    }

    /// Handles the till's keys and the scanner before any widget runs.
    fn keys_and_scans(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let now = ui.input(|i| i.time);
        if self.shift.is_none() {
            // Nothing to sell into: keys and scans go to the open-shift form as typed.
            return;
        }
        if matches!(self.dialog, Dialog::None) {
            // No dialog: every character goes to the search box and every Enter submits
            // what it holds, in the order typed, whatever the frames' timing. Nothing is
            // told apart by speed, so nothing can be lost or merged under load.
            self.scanner = ScanDetector::default();
            let submitted = ui.input_mut(|i| take_typing(&mut self.search, &mut i.events));
            if submitted.typed {
                self.search_to_end = true;
                self.focus_search = true;
                self.refresh_results();
            }
            if !submitted.entered.is_empty() {
                // What was typed after the last Enter (the start of the next scan) waits
                // in the search box while the earlier ones are handled.
                let rest = std::mem::take(&mut self.search);
                for q in submitted.entered {
                    self.submit(&q, now, lang, toast);
                }
                if !rest.is_empty() {
                    self.search = rest;
                    self.refresh_results();
                }
            }
        }
        let scans = if matches!(self.dialog, Dialog::None) {
            Vec::new()
        } else {
            ui.input_mut(|i| self.scanner.process(&mut i.events, now))
        };
        let total = self.total();
        for scan in scans {
            let leaked: String = scan.code.chars().take(scan.leaked).collect();
            if scan.leaked > 0 {
                // Take back what the scanner typed into the search box in earlier frames.
                if let Some(stripped) = self.search.strip_suffix(&leaked) {
                    self.search = stripped.to_string();
                    self.refresh_results();
                }
            }
            if let Dialog::Pay(pay) = &mut self.dialog {
                // A scan never counts as money typed: what it typed into a field is taken
                // back out, and the scan is refused where the cashier looks.
                refuse_scan_in_payment(pay, &leaked, total, lang);
                continue;
            }
            self.add_barcode(&scan.code, now, lang, toast);
        }
        for code in std::mem::take(&mut self.device_scans) {
            if let Dialog::Pay(pay) = &mut self.dialog {
                refuse_scan_in_payment(pay, "", total, lang);
            } else {
                self.add_barcode(&code, now, lang, toast);
            }
        }
        let pressed =
            |ui: &mut egui::Ui, key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if !matches!(self.dialog, Dialog::None) {
            return;
        }
        if pressed(ui, Key::F2) {
            self.focus_search = true;
        }
        for (key, cmd) in [
            (Key::F12, Command::Pay),
            (Key::F3, Command::Quantity),
            (Key::F4, Command::Discount),
            (Key::F5, Command::Park),
            (Key::F6, Command::Resume),
            (Key::F7, Command::Reprint),
            (Key::F8, Command::XReport),
            (Key::F9, Command::CloseShift),
        ] {
            if pressed(ui, key) {
                self.command(cmd, app, session, lang, toast);
            }
        }
        if pressed(ui, Key::ArrowDown) {
            if !self.results.is_empty() {
                self.result_sel = (self.result_sel + 1).min(self.results.len() - 1);
            } else if !self.cart.is_empty() {
                self.line_sel = Some(
                    self.line_sel
                        .map_or(0, |i| (i + 1).min(self.cart.len() - 1)),
                );
            }
        }
        if pressed(ui, Key::ArrowUp) {
            if !self.results.is_empty() {
                self.result_sel = self.result_sel.saturating_sub(1);
            } else if !self.cart.is_empty() {
                self.line_sel = Some(self.line_sel.map_or(0, |i| i.saturating_sub(1)));
            }
        }
        if self.search.is_empty() && pressed(ui, Key::Delete) {
            self.command(Command::Remove, app, session, lang, toast);
        }
        if pressed(ui, Key::Escape) {
            // egui takes the focus off a field on Esc; the till gives it back to the search
            // box, so the next key typed or scanned is not lost.
            self.search.clear();
            self.refresh_results();
            self.focus_search = true;
        }
    }

    /// Carries out a key's or button's command (the same for both).
    fn command(
        &mut self,
        cmd: Command,
        app: &mut App,
        session: &Session,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        let fail = |toast: &mut Option<Toast>, e: &crate::app::AppError| {
            *toast = Some(Toast {
                text: error_text(lang, e),
                error: true,
            })
        };
        match cmd {
            Command::Pay => self.open_pay(app, session, lang),
            Command::Quantity => {
                if let Some(line) = self.line_sel {
                    let text = self.cart.lines()[line].quantity.to_string();
                    self.dialog = Dialog::Quantity {
                        line,
                        text,
                        error: None,
                    };
                }
            }
            Command::Discount => {
                if !session.can(Action::GiveDiscount) {
                    // Said, not silently ignored.
                    *toast = Some(Toast {
                        text: lang.t(T::DiscountNeedsManager).into(),
                        error: true,
                    });
                } else if !self.cart.is_empty() {
                    self.dialog = Dialog::Discount {
                        text: String::new(),
                        on_sale: self.line_sel.is_none(),
                        error: None,
                    };
                }
            }
            Command::Remove => {
                if let Some(line) = self.line_sel
                    && self.cart.remove(line).is_ok()
                {
                    self.line_sel = if self.cart.is_empty() {
                        None
                    } else {
                        Some(line.min(self.cart.len() - 1))
                    };
                }
            }
            Command::Park => self.park(app, session, lang, toast),
            Command::Resume => match app.parked_carts(session) {
                Ok(l) => {
                    let list = l
                        .into_iter()
                        .map(|(id, label, total, _)| (id, label, total))
                        .collect();
                    self.dialog = Dialog::Parked { list, selected: 0 };
                }
                Err(e) => fail(toast, &e),
            },
            Command::Reprint => self.show_last_receipt(app, session, lang),
            Command::XReport => match app.x_report(session) {
                Ok(rep) => {
                    self.dialog = Dialog::Text {
                        title: lang.t(T::XReport).into(),
                        lines: self.report_lines(lang, &rep),
                        print_x: true,
                    }
                }
                Err(e) => fail(toast, &e),
            },
            Command::CloseShift => match app.x_report(session) {
                Ok(rep) => {
                    self.dialog = Dialog::CloseShift {
                        text: String::new(),
                        expected: rep.expected_cash,
                        error: None,
                    }
                }
                Err(e) => fail(toast, &e),
            },
        }
    }

    fn show_last_receipt(&mut self, app: &mut App, session: &Session, lang: Lang) {
        let width = app.paper_width();
        self.dialog = match self.last_sale.map(|id| (id, app.receipt_data(session, id))) {
            Some((sale_id, Ok(data))) => Dialog::Receipt {
                sale_id,
                doc: Box::new(receipt::receipt(&data, lang, width)),
            },
            Some((_, Err(e))) => Dialog::Text {
                title: lang.t(T::ReceiptTitle).into(),
                lines: vec![error_text(lang, &e)],
                print_x: false,
            },
            None => Dialog::Text {
                title: lang.t(T::ReceiptTitle).into(),
                lines: vec![lang.t(T::NoReceipt).to_string()],
                print_x: false,
            },
        };
    }

    /// Draws the till and handles its input.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let (now, input) = ui.input(|i| (i.time, !i.events.is_empty()));
        if input || now - self.catalog_checked >= 0.5 {
            // Before any scan of this frame is looked up, and twice a second while shown.
            self.follow_catalog(app, session, now, lang, toast);
        }
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
        self.keys_and_scans(ui, lang, app, session, toast);
        if now < self.flash_until {
            ui.painter().rect_filled(
                ui.max_rect(),
                0.0,
                Color32::from_rgba_unmultiplied(220, 0, 0, 40),
            );
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        if self.shift.is_none() {
            if matches!(self.dialog, Dialog::None) {
                self.open_shift_ui(ui, lang, app, session, toast);
            } else {
                // The Z report of the shift just closed.
                self.dialog_ui(ui, lang, app, session, toast);
            }
            return;
        }
        egui::Panel::right("till_side")
            .exact_size(330.0)
            .show(ui, |ui| self.side_ui(ui, lang, app, session, toast));
        egui::CentralPanel::default().show(ui, |ui| self.main_ui(ui, lang));
        self.dialog_ui(ui, lang, app, session, toast);
    }

    fn open_shift_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(lang.t(T::OpenShiftTitle));
            ui.add_space(10.0);
            let enter = ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
            let r = super::amount_field(ui, lang.t(T::StartingCash), &mut self.opening_cash);
            if ui.memory(|m| m.focused().is_none()) {
                r.request_focus();
            }
            if ui.button(lang.t(T::OpenShift)).clicked() || enter {
                let cash = if self.opening_cash.trim().is_empty() {
                    Ok(Money::ZERO)
                } else {
                    Money::parse(&self.opening_cash)
                };
                match cash
                    .map_err(crate::app::AppError::from)
                    .and_then(|c| app.open_shift(session, c))
                {
                    Ok(shift) => {
                        self.shift = Some(shift);
                        self.opening_cash.clear();
                        self.focus_search = true;
                        *toast = None;
                    }
                    Err(e) => {
                        *toast = Some(Toast {
                            text: error_text(lang, &e),
                            error: true,
                        })
                    }
                }
            }
        });
    }

    fn side_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let totals = self.cart.totals().unwrap_or_default();
        ui.add_space(6.0);
        ui.label(RichText::new(lang.t(T::Total)).size(18.0));
        ui.label(
            RichText::new(totals.total.text(lang))
                .size(40.0)
                .strong()
                .color(Color32::from_rgb(10, 90, 160)),
        );
        ui.label(format!(
            "{}: {}",
            lang.t(T::Subtotal),
            totals.subtotal.text(lang)
        ));
        if totals.discount().is_positive() {
            ui.label(format!(
                "{}: -{}",
                lang.t(T::ColDiscount),
                totals.discount().text(lang)
            ));
        }
        let n = self.cart.len();
        let key = if n == 1 { T::ItemOne } else { T::Items };
        ui.label(lang.fill(key, &[&n.to_string()]));
        if let Some(change) = self.last_change {
            ui.label(
                RichText::new(format!("{}: {}", lang.t(T::Change), change.text(lang)))
                    .size(26.0)
                    .strong()
                    .color(Color32::from_rgb(20, 120, 40)),
            );
        }
        ui.separator();
        let has_cart = !self.cart.is_empty();
        let can_discount = session.can(Action::GiveDiscount);
        let has_line = self.line_sel.is_some();
        let mut clicked = None;
        ui.vertical(|ui| {
            for (cmd, label, enabled, shown) in [
                (Command::Pay, T::Pay, has_cart, true),
                (Command::Quantity, T::QuantityKey, has_line, true),
                (Command::Discount, T::DiscountKey, has_cart, can_discount),
                (Command::Remove, T::RemoveKey, has_line, true),
                (Command::Park, T::Park, has_cart, true),
                (Command::Resume, T::Resume, true, true),
                (Command::Reprint, T::Reprint, true, true),
                (Command::XReport, T::XReportKey, true, true),
                (Command::CloseShift, T::CloseShiftKey, true, true),
            ] {
                if shown && key_button(ui, lang.t(label), enabled) {
                    clicked = Some(cmd);
                }
            }
        });
        if let Some(cmd) = clicked {
            self.command(cmd, app, session, lang, toast);
        }
    }

    fn main_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let label = ui.label(RichText::new(lang.t(T::Search)).strong());
        let out = egui::TextEdit::singleline(&mut self.search)
            .char_limit(crate::ui::limits::SEARCH)
            .hint_text(lang.t(T::SearchHint))
            .desired_width(f32::INFINITY)
            .font(egui::TextStyle::Heading)
            .show(ui);
        let resp = out.response.response.clone().labelled_by(label.id);
        if std::mem::take(&mut self.search_to_end) {
            let mut state = out.state;
            let end = egui::text::CCursor::new(self.search.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), resp.id);
        }
        if resp.changed() {
            self.refresh_results();
        }
        if self.focus_search && matches!(self.dialog, Dialog::None) {
            resp.request_focus();
            self.focus_search = false;
        }
        let mut add: Option<usize> = None;
        if !self.search.trim().is_empty() {
            if self.results.is_empty() {
                ui.label(RichText::new(lang.t(T::NothingFound)).color(RED));
            } else {
                ui.push_id("results", |ui| {
                    TableBuilder::new(ui)
                        .striped(true)
                        .sense(egui::Sense::click())
                        .max_scroll_height(200.0)
                        .column(Column::remainder())
                        .column(Column::exact(140.0))
                        .column(Column::exact(90.0))
                        .header(22.0, |mut h| {
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColName));
                            });
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColPrice));
                            });
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColStock));
                            });
                        })
                        .body(|body| {
                            body.rows(24.0, self.results.len(), |mut row| {
                                let i = row.index();
                                let p = &self.catalog[self.results[i]];
                                row.set_selected(i == self.result_sel);
                                row.col(|ui| {
                                    ui.label(&p.name);
                                });
                                row.col(|ui| {
                                    ui.label(Money(p.sale_price).text(lang));
                                });
                                row.col(|ui| {
                                    ui.label(Quantity(p.stock).to_string());
                                });
                                if row.response().clicked() {
                                    add = Some(self.results[i]);
                                }
                            });
                        });
                });
            }
            ui.separator();
        }
        if let Some(pos) = add {
            let mut toast = None;
            self.add_product(pos, Quantity::units(1), lang, &mut toast);
            self.search.clear();
            self.refresh_results();
        }
        ui.label(RichText::new(lang.t(T::Cart)).strong());
        if self.cart.is_empty() {
            ui.label(lang.t(T::CartEmpty));
            return;
        }
        let amounts = self.cart.line_amounts().map(|(_, a)| a).unwrap_or_default();
        let mut clicked: Option<usize> = None;
        ui.push_id("cart", |ui| {
            let height = (ui.available_height() - 30.0).max(60.0);
            let mut table = TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(height)
                .min_scrolled_height(height);
            // Keep the selected line in view when it moves or the table changes height.
            if (self.line_sel, height) != self.drawn_sel
                && let Some(line) = self.line_sel
            {
                table = table.scroll_to_row(line, Some(egui::Align::Center));
            }
            self.drawn_sel = (self.line_sel, height);
            table
                .column(Column::exact(30.0))
                .column(Column::remainder())
                .column(Column::exact(80.0))
                .column(Column::exact(120.0))
                .column(Column::exact(100.0))
                .column(Column::exact(130.0))
                .header(22.0, |mut h| {
                    for t in [
                        "#",
                        lang.t(T::ColName),
                        lang.t(T::ColQty),
                        lang.t(T::ColPrice),
                        lang.t(T::ColDiscount),
                        lang.t(T::ColSum),
                    ] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(26.0, self.cart.len(), |mut row| {
                        let i = row.index();
                        let line = &self.cart.lines()[i];
                        let a = amounts.get(i);
                        row.set_selected(Some(i) == self.line_sel);
                        row.col(|ui| {
                            ui.label((i + 1).to_string());
                        });
                        row.col(|ui| {
                            ui.label(&*line.name);
                        });
                        row.col(|ui| {
                            // "3 dona", "1,25 kg": weighed lines say they are kilograms.
                            ui.label(crate::i18n::quantity_text(lang, line.quantity, line.unit));
                        });
                        row.col(|ui| {
                            ui.label(line.unit_price.format_number());
                        });
                        row.col(|ui| {
                            ui.label(
                                a.map(|a| a.line_discount.format_number())
                                    .unwrap_or_default(),
                            );
                        });
                        row.col(|ui| {
                            ui.label(
                                RichText::new(
                                    a.map(|a| a.gross.0 - a.line_discount.0)
                                        .map(|v| Money(v).format_number())
                                        .unwrap_or_default(),
                                )
                                .strong(),
                            );
                        });
                        if row.response().clicked() {
                            clicked = Some(i);
                        }
                    });
                });
        });
        if clicked.is_some() {
            self.line_sel = clicked;
        }
    }

    fn dialog_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let kind = std::mem::discriminant(&self.dialog);
        let fresh = self.last_dialog != Some(kind);
        self.last_dialog = Some(kind);
        if matches!(self.dialog, Dialog::None) {
            return;
        }
        let ctx = ui.ctx().clone();
        let esc = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape));
        let enter = ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        let print_key = ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::P));
        if esc {
            self.dialog = Dialog::None;
            self.focus_search = true;
            return;
        }
        let mut close = false;
        let mut finish_sale = false;
        let mut resume: Option<i32> = None;
        let modal = egui::Modal::new(egui::Id::unique("till_dialog"));
        modal.show(&ctx, |ui| {
            ui.set_min_width(420.0);
            match &mut self.dialog {
                Dialog::None => {}
                Dialog::Quantity { line, text, error } => {
                    ui.heading(lang.t(T::QuantityTitle));
                    if let Some(l) = self.cart.lines().get(*line) {
                        ui.label(&*l.name);
                    }
                    dialog_field(ui, lang.t(T::QuantityLabel), text, fresh);
                    if let Some(e) = error {
                        ui.label(RichText::new(e.as_str()).color(RED));
                    }
                    let ok = ui.button(lang.t(T::Ok)).clicked() || enter;
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        close = true;
                    }
                    if ok {
                        match Quantity::parse(text) {
                            Ok(q) => match self.cart.set_quantity(*line, q) {
                                Ok(()) => close = true,
                                Err(e) => *error = Some(error_text(lang, &e.into())),
                            },
                            Err(e) => *error = Some(error_text(lang, &e.into())),
                        }
                    }
                }
                Dialog::Discount {
                    text,
                    on_sale,
                    error,
                } => {
                    ui.heading(lang.t(T::DiscountTitle));
                    ui.horizontal(|ui| {
                        if self.line_sel.is_some() {
                            ui.radio_value(on_sale, false, lang.t(T::DiscountLine));
                        }
                        ui.radio_value(on_sale, true, lang.t(T::DiscountSale));
                    });
                    dialog_field(ui, lang.t(T::DiscountLabel), text, fresh);
                    if let Some(e) = error {
                        ui.label(RichText::new(e.as_str()).color(RED));
                    }
                    let ok = ui.button(lang.t(T::Ok)).clicked() || enter;
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        close = true;
                    }
                    if ok {
                        let result = parse_discount(text).and_then(|d| {
                            let r = if *on_sale {
                                self.cart.set_sale_discount(d)
                            } else {
                                self.cart
                                    .set_line_discount(self.line_sel.unwrap_or_default(), d)
                            };
                            r.map_err(|e| error_text(lang, &e.into()))
                        });
                        match result {
                            Ok(()) => close = true,
                            Err(e) => *error = Some(e),
                        }
                    }
                }
                Dialog::Pay(pay) => {
                    let total = self.cart.totals().map(|t| t.total).unwrap_or_default();
                    if pay_ui(ui, lang, pay, total, app, session, enter) {
                        finish_sale = true;
                    }
                }
                Dialog::CloseShift {
                    text,
                    expected,
                    error,
                } => {
                    ui.heading(lang.t(T::CloseShiftTitle));
                    dialog_field(ui, lang.t(T::CountedCash), text, fresh);
                    let counted = Money::parse(text);
                    ui.label(format!(
                        "{}: {}",
                        lang.t(T::Expected),
                        Money(*expected).text(lang)
                    ));
                    if let Ok(c) = &counted {
                        ui.label(format!("{}: {}", lang.t(T::Counted), c.text(lang)));
                        let diff = Money(c.0 - *expected);
                        let color = if diff.0 < 0 {
                            RED
                        } else {
                            Color32::from_rgb(20, 120, 40)
                        };
                        ui.label(
                            RichText::new(format!(
                                "{}: {}",
                                lang.t(T::Difference),
                                diff.text(lang)
                            ))
                            .color(color)
                            .strong(),
                        );
                    }
                    if let Some(e) = error {
                        ui.label(RichText::new(e.as_str()).color(RED));
                    }
                    let ok = ui
                        .add_enabled(counted.is_ok(), egui::Button::new(lang.t(T::ConfirmClose)))
                        .clicked()
                        || (enter && counted.is_ok());
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        close = true;
                    }
                    if ok && let Ok(c) = counted {
                        match app.close_shift(session, c, "") {
                            Ok(rep) => {
                                let lines = self.report_lines(lang, &rep);
                                self.shift = None;
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
                }
                Dialog::Text {
                    title,
                    lines,
                    print_x,
                } => {
                    ui.heading(title.as_str());
                    egui::ScrollArea::vertical()
                        .max_height(500.0)
                        .show(ui, |ui| {
                            for l in lines.iter() {
                                ui.monospace(l);
                            }
                        });
                    ui.horizontal(|ui| {
                        if *print_x
                            && (ui
                                .button(format!("{} (Ctrl+P)", lang.t(T::Print)))
                                .clicked()
                                || print_key)
                        {
                            *toast = Some(printed(lang, app.print_x_report(session)));
                        }
                        if ui.button(lang.t(T::Close)).clicked() || enter {
                            close = true;
                        }
                    });
                }
                Dialog::Receipt { sale_id, doc } => {
                    ui.heading(lang.t(T::Preview));
                    egui::ScrollArea::vertical()
                        .max_height(520.0)
                        .show(ui, |ui| preview::document_ui(ui, doc));
                    ui.horizontal(|ui| {
                        if ui
                            .button(format!("{} (Ctrl+P)", lang.t(T::PrintAgain)))
                            .clicked()
                            || print_key
                        {
                            *toast = Some(printed(lang, app.print_copy(session, *sale_id)));
                        }
                        if ui.button(lang.t(T::Close)).clicked() || enter {
                            close = true;
                        }
                    });
                }
                Dialog::Parked { list, selected } => {
                    ui.heading(lang.t(T::ParkedTitle));
                    if list.is_empty() {
                        ui.label(lang.t(T::NoParked));
                    }
                    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowDown)) {
                        *selected = (*selected + 1).min(list.len().saturating_sub(1));
                    }
                    if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::ArrowUp)) {
                        *selected = selected.saturating_sub(1);
                    }
                    for (i, (id, label, total)) in list.iter().enumerate() {
                        let text = format!("#{id}  {label}  {}", Money(*total).text(lang));
                        if ui.selectable_label(i == *selected, text).clicked() {
                            resume = Some(*id);
                        }
                    }
                    if enter && let Some((id, _, _)) = list.get(*selected) {
                        resume = Some(*id);
                    }
                    if ui.button(lang.t(T::Close)).clicked() {
                        close = true;
                    }
                }
            }
        });
        if finish_sale {
            self.finish_sale(app, session, lang, toast);
        }
        if let Some(id) = resume {
            self.resume(app, session, id, lang, toast);
        }
        if close {
            self.dialog = Dialog::None;
            self.focus_search = true;
        }
    }
}

/// The tenders the payment dialog's fields describe.
fn tenders_of(pay: &PayState) -> Result<Vec<TenderInput>, String> {
    let mut out = Vec::new();
    let fields = [(PaymentMethod::Cash, None, &pay.cash)]
        .into_iter()
        .chain(
            pay.cards
                .iter()
                .map(|c| (PaymentMethod::Card, Some(c.id), &c.amount)),
        )
        .chain([(PaymentMethod::Nasiya, None, &pay.nasiya)]);
    for (method, channel, text) in fields {
        if text.trim().is_empty() {
            continue;
        }
        let amount = Money::parse(text).map_err(|e| e.to_string())?;
        if amount.is_positive() {
            out.push(TenderInput {
                method,
                amount,
                channel,
            });
        }
    }
    Ok(out)
}

/// The payment dialog; returns true when the cashier finishes the sale.
fn pay_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    pay: &mut PayState,
    total: Money,
    app: &mut App,
    session: &Session,
    enter: bool,
) -> bool {
    ui.heading(lang.t(T::PaymentTitle));
    ui.label(
        RichText::new(format!("{}: {}", lang.t(T::ToPay), total.text(lang)))
            .size(24.0)
            .strong(),
    );
    let all = |pay: &mut PayState, method: PaymentMethod| {
        let t = total.format_number().replace(' ', "");
        pay.cash = if method == PaymentMethod::Cash {
            t.clone()
        } else {
            String::new()
        };
        // "All card" goes to the first of the shop's non-cash methods.
        for (i, c) in pay.cards.iter_mut().enumerate() {
            c.amount = if method == PaymentMethod::Card && i == 0 {
                t.clone()
            } else {
                String::new()
            };
        }
        pay.nasiya = if method == PaymentMethod::Nasiya {
            t
        } else {
            String::new()
        };
    };
    ui.horizontal(|ui| {
        if ui.button(lang.t(T::AllCash)).clicked()
            || ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1))
        {
            all(pay, PaymentMethod::Cash);
        }
        if ui.button(lang.t(T::AllCard)).clicked()
            || ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F2))
        {
            all(pay, PaymentMethod::Card);
        }
        if ui.button(lang.t(T::AllNasiya)).clicked()
            || ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F3))
        {
            all(pay, PaymentMethod::Nasiya);
            pay.focus_query = true;
        }
    });
    // Two columns, so that the dialog fits 1024×768 and 1280×720 with every method and
    // the customer: the amounts on the left, the nasiya customer on the right.
    let needs_client = !pay.nasiya.trim().is_empty();
    let mut settled = Err(String::new());
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(340.0);
            egui::Grid::new("pay_grid").num_columns(2).show(ui, |ui| {
                let l = ui.label(lang.t(T::CashReceived));
                let out = egui::TextEdit::singleline(&mut pay.cash)
                    .char_limit(crate::ui::limits::AMOUNT)
                    .desired_width(200.0)
                    .show(ui);
                let r = out.response.response.clone().labelled_by(l.id);
                let select = std::mem::take(&mut pay.select_cash);
                if select || ui.memory(|m| m.focused().is_none()) {
                    r.request_focus();
                }
                if select {
                    let mut state = out.state;
                    let end = egui::text::CCursor::new(pay.cash.chars().count());
                    state
                        .cursor
                        .set_char_range(Some(egui::text::CCursorRange::two(
                            egui::text::CCursor::new(0),
                            end,
                        )));
                    state.store(ui.ctx(), r.id);
                }
                ui.end_row();
                for c in &mut pay.cards {
                    let l = ui.label(&c.name);
                    ui.add(
                        egui::TextEdit::singleline(&mut c.amount)
                            .char_limit(crate::ui::limits::AMOUNT)
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
                let l = ui.label(lang.t(T::NasiyaAmount));
                ui.add(
                    egui::TextEdit::singleline(&mut pay.nasiya)
                        .char_limit(crate::ui::limits::AMOUNT)
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
            settled = tenders_of(pay).map(|t| settle(total, &t));
            match &settled {
                Ok(Ok(s)) => {
                    ui.label(
                        RichText::new(format!("{}: {}", lang.t(T::Change), s.change.text(lang)))
                            .size(22.0)
                            .strong()
                            .color(Color32::from_rgb(20, 120, 40)),
                    );
                }
                Ok(Err(crate::domain::PaymentError::Insufficient { missing })) => {
                    ui.label(
                        RichText::new(format!("{}: {}", lang.t(T::Remaining), missing.text(lang)))
                            .size(20.0)
                            .color(RED),
                    );
                }
                Ok(Err(e)) => {
                    ui.label(RichText::new(error_text(lang, &e.clone().into())).color(RED));
                }
                Err(e) => {
                    ui.label(RichText::new(lang.fill(T::ErrAmount, &[e])).color(RED));
                }
            }
        });
        if needs_client {
            // Space, not a separator: a separator in a row is as tall as the room left.
            ui.add_space(24.0);
            ui.vertical(|ui| {
                ui.set_width(360.0);
                ui.label(RichText::new(lang.t(T::Customer)).strong());
                match &pay.client {
                    Some(c) => {
                        ui.label(format!(
                            "{} {}",
                            c.full_name,
                            crate::domain::phone::display(&c.phone)
                        ));
                        ui.label(crate::i18n::credit_line(lang, c.balance, c.effective_limit));
                    }
                    None => {
                        ui.label(RichText::new(lang.t(T::NoCustomer)).color(RED));
                    }
                }
                // By keyboard: type to search, ↑↓ to point, Enter to choose.
                let query = field(ui, lang.t(T::FindCustomer), &mut pay.client_query, false);
                if std::mem::take(&mut pay.focus_query) && pay.client.is_none() {
                    query.request_focus();
                }
                if query.changed() {
                    pay.clients = app
                        .clients(session, &pay.client_query, 20)
                        .unwrap_or_default();
                    pay.client_sel = 0;
                }
                let (down, up) = ui.input_mut(|i| {
                    (
                        i.consume_key(Modifiers::NONE, Key::ArrowDown),
                        i.consume_key(Modifiers::NONE, Key::ArrowUp),
                    )
                });
                if down {
                    pay.client_sel = (pay.client_sel + 1).min(pay.clients.len().saturating_sub(1));
                }
                if up {
                    pay.client_sel = pay.client_sel.saturating_sub(1);
                }
                egui::ScrollArea::vertical()
                    .max_height(120.0)
                    .show(ui, |ui| {
                        for (i, c) in pay.clients.iter().enumerate() {
                            let selected = match &pay.client {
                                Some(x) => x.id == c.id,
                                None => i == pay.client_sel,
                            };
                            if ui
                                .selectable_label(
                                    selected,
                                    format!(
                                        "{}  {}",
                                        c.full_name,
                                        crate::domain::phone::display(&c.phone)
                                    ),
                                )
                                .clicked()
                            {
                                pay.client = Some(c.clone());
                            }
                        }
                    });
                ui.collapsing(lang.t(T::NewCustomer), |ui| {
                    field(ui, lang.t(T::CustomerName), &mut pay.new_name, false);
                    field(ui, lang.t(T::Phone), &mut pay.new_phone, false);
                    if ui.button(lang.t(T::Create)).clicked() {
                        let input = ClientInput {
                            full_name: pay.new_name.clone(),
                            phone: pay.new_phone.clone(),
                            notes: String::new(),
                        };
                        match app.create_client(session, &input) {
                            Ok(c) => {
                                pay.client = Some(c);
                                pay.new_name.clear();
                                pay.new_phone.clear();
                                pay.error = None;
                            }
                            Err(e) => pay.error = Some(error_text(lang, &e)),
                        }
                    }
                });
                field(ui, lang.t(T::DueDate), &mut pay.due, false);
                if pay.over_limit {
                    ui.separator();
                    ui.label(RichText::new(lang.t(T::ApproveByManager)).strong());
                    field(ui, lang.t(T::Login), &mut pay.approver_login, false);
                    field(ui, lang.t(T::Password), &mut pay.approver_password, true);
                }
            });
        }
    });
    if let Some(e) = &pay.error {
        ui.label(RichText::new(e.as_str()).color(RED));
    }
    // Enter with no customer chosen yet chooses the one pointed at; the next Enter finishes.
    if enter && needs_client && pay.client.is_none() {
        if let Some(c) = pay.clients.get(pay.client_sel) {
            pay.client = Some(c.clone());
        }
        return false;
    }
    let ready = matches!(settled, Ok(Ok(_))) && (!needs_client || pay.client.is_some());
    let finish = ui
        .add_enabled(
            ready,
            egui::Button::new(RichText::new(lang.t(T::Finish)).size(18.0)),
        )
        .clicked();
    ui.label(lang.t(T::Cancel));
    finish || (enter && ready)
}

/// A scan while the payment dialog is open: removes what the scanner typed (`leaked`, the
/// characters that reached a field before the scan was recognised) from every field of the
/// dialog, puts the suggested cash amount back if the scan replaced it, and says why
/// nothing was added.
fn refuse_scan_in_payment(pay: &mut PayState, leaked: &str, total: Money, lang: Lang) {
    if !leaked.is_empty() {
        let cards = pay.cards.iter_mut().map(|c| &mut c.amount);
        for f in [
            &mut pay.cash,
            &mut pay.nasiya,
            &mut pay.client_query,
            &mut pay.due,
            &mut pay.new_name,
            &mut pay.new_phone,
            &mut pay.approver_login,
        ]
        .into_iter()
        .chain(cards)
        {
            if let Some(stripped) = f.strip_suffix(leaked) {
                *f = stripped.to_string();
            }
        }
    }
    if pay.cash.trim().is_empty()
        && pay.nasiya.trim().is_empty()
        && pay.cards.iter().all(|c| c.amount.trim().is_empty())
    {
        pay.cash = total.format_number().replace(' ', "");
        pay.select_cash = true;
    }
    pay.error = Some(lang.t(T::ScanDuringPayment).into());
}

/// The toast after asking for something to be printed.
fn printed(lang: Lang, result: crate::app::AppResult<i32>) -> Toast {
    match result {
        Ok(_) => Toast {
            text: lang.t(T::PrintQueued).into(),
            error: false,
        },
        Err(e) => Toast {
            text: error_text(lang, &e),
            error: true,
        },
    }
}

/// Gives back to the system the heap freed while the catalog was built (the database rows,
/// the barcode lists): glibc keeps freed memory in its arenas, and the till would otherwise
/// carry the peak of loading 100 000 products as resident memory for the whole day.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists and takes nothing from us.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What [`take_typing`] took from a frame's events.
#[derive(Debug, Default, PartialEq, Eq)]
struct Typing {
    /// Characters were added to the search text.
    typed: bool,
    /// The search text at each Enter, in order (the search text is empty after each).
    entered: Vec<String>,
}

/// Takes the frame's typed characters and Enter presses out of `events` in their order:
/// characters go to the end of `search` (up to its limit), each Enter hands over what
/// `search` holds. An Enter with nothing typed stays for the widgets.
fn take_typing(search: &mut String, events: &mut Vec<egui::Event>) -> Typing {
    let mut out = Typing::default();
    let mut enter_taken = false;
    events.retain(|e| match e {
        egui::Event::Text(t) if !t.chars().any(|c| c.is_control()) => {
            let room = crate::ui::limits::SEARCH.saturating_sub(search.chars().count());
            search.extend(t.chars().take(room));
            out.typed = true;
            enter_taken = false;
            false
        }
        egui::Event::Key {
            key: Key::Enter,
            pressed: true,
            modifiers,
            ..
        } if modifiers.is_none() && !search.trim().is_empty() => {
            out.entered.push(std::mem::take(search));
            enter_taken = true;
            false
        }
        // The release of an Enter taken here goes too.
        egui::Event::Key {
            key: Key::Enter,
            pressed: false,
            ..
        } if enter_taken => {
            enter_taken = false;
            false
        }
        _ => true,
    });
    out
}

#[cfg(test)]
mod typing_tests {
    use super::*;

    fn text(s: &str) -> egui::Event {
        egui::Event::Text(s.into())
    }

    fn enter(pressed: bool) -> egui::Event {
        egui::Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        }
    }

    #[test]
    fn scans_split_and_joined_across_frames_come_out_whole_and_in_order() {
        let mut search = String::new();
        // Frame 1: the start of a scan. Frame 2 (late): its end, a whole second scan and
        // the start of a third. Frame 3: the rest of the third.
        let mut f1 = vec![text("446"), text("0123")];
        let t = take_typing(&mut search, &mut f1);
        assert!(f1.is_empty() && t.entered.is_empty() && t.typed);
        assert_eq!(search, "4460123");
        let mut f2 = vec![
            text("456789"),
            text("3"),
            enter(true),
            enter(false),
            text("4006381333931"),
            enter(true),
            enter(false),
            text("96"),
        ];
        let t = take_typing(&mut search, &mut f2);
        assert_eq!(
            t.entered,
            vec!["44601234567893".to_string(), "4006381333931".into()]
        );
        assert!(f2.is_empty());
        let mut f3 = vec![text("385074"), enter(true)];
        let t = take_typing(&mut search, &mut f3);
        assert_eq!(t.entered, vec!["96385074".to_string()]);
        assert!(search.is_empty());
    }

    #[test]
    fn other_keys_and_an_empty_enter_stay_for_the_widgets() {
        let mut search = String::new();
        let backspace = egui::Event::Key {
            key: Key::Backspace,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        let mut events = vec![enter(true), enter(false), backspace.clone()];
        let t = take_typing(&mut search, &mut events);
        assert_eq!(t, Typing::default());
        assert_eq!(events.len(), 3);
        // The search box holds at most its limit.
        let mut events = vec![text(&"7".repeat(500))];
        take_typing(&mut search, &mut events);
        assert_eq!(search.chars().count(), crate::ui::limits::SEARCH);
    }
}
