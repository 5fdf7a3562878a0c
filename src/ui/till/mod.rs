//! The till: what a cashier works with all day, by keyboard and scanner.
//!
//! The catalog is held in memory ([`SearchIndex`]) so a scan or a keystroke is answered in
//! the same frame. Typing and scans are taken from the raw input before any widget runs:
//! with no dialog open everything typed goes to the search box ([`input::take_typing`]);
//! with a dialog open a run of digits ended by Enter that is a catalog code (or too long for
//! the focused field) is a scan ([`DigitRun`]) and goes to the cart, never into a field.
//! Every change of data goes through `app/`; a failed checkout leaves the cart as it was and
//! says why.

mod cart_view;
mod catalog;
mod dialogs;
mod input;
mod parking;
mod payment;
mod shift;

use crate::i18n::MoneyText;
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use egui::{Color32, Key, Modifiers, RichText};
use egui_extras::{Column, TableBuilder};

use super::Toast;
use super::preview;
use super::scan::{DigitRun, FieldKind};
use super::{dialog_field, field};
use crate::app::document::{self, Document};
use crate::app::error_text;
use crate::app::{
    App, ClientInput, ClientView, ParkedCart, ParkedLine, ProductView, SaleLineInput, SaleRequest,
    Session,
};
use crate::domain::cart::{Cart, CartLine, Discount};
use crate::domain::payment::{PaymentMethod, TenderInput, settle};
use crate::domain::scale::{self, ScaleValue};
use crate::domain::search::SearchIndex;
use crate::domain::{Action, Money, Quantity, Unit, debt};
use crate::i18n::{Lang, T};
use crate::store::models::Shift;
use payment::PayState;

const RESULTS_SHOWN: usize = 50;
const RED: Color32 = Color32::from_rgb(200, 40, 40);

#[derive(Clone)]
enum Dialog {
    None,
    /// The weight of a weighed product before it enters the cart (`pos` in the catalog).
    Weigh {
        pos: usize,
        text: String,
        error: Option<String>,
    },
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
    /// A blind count: the cashier enters the counted cash (and a note) first; expected and
    /// difference are shown only once the count is entered (`revealed`), then confirmed.
    CloseShift {
        text: String,
        note: String,
        expected: i64,
        revealed: bool,
        /// The employee's parked carts, as "#id label total" (a warning: they stay parked).
        parked: Vec<String>,
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
    /// A marked product (with a fiscal provider): its piece enters the cart with the
    /// DataMatrix marking code scanned from it.
    Marking {
        pos: usize,
        text: String,
        error: Option<String>,
    },
    /// The quick-pick keys (F10): `page` 1–9, `sel` the key ↑↓←→ point at (0–11).
    Quick {
        page: i32,
        sel: i32,
    },
    /// A cashier asked for a discount (F4): a manager or admin approves with their own
    /// login and password, then the discount dialog opens.
    Approve {
        login: String,
        password: String,
        error: Option<String>,
    },
}

/// The dialog as it was at the start of a frame that brought digits, with the focused
/// field's cursor: what a scan that reached a field puts back.
type Mark = (Dialog, Option<(egui::Id, egui::text_edit::TextEditState)>);

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
    Quick,
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
    /// Digits typed into the open dialog since the last other key (a scan in the making).
    digits: DigitRun<Mark>,
    /// The dialog the digits were typed into.
    digits_dialog: Option<std::mem::Discriminant<Dialog>>,
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
    /// The manager or admin who approved a cashier's discount on the cart at the till
    /// (F4); kept until the cart is sold or parked.
    discount_approver: Option<Session>,
    /// The quick-pick keys, page by page, and when they were last read (egui time).
    quick: Vec<crate::app::QuickKey>,
    quick_checked: f64,
    /// A scan or key was refused since the window last asked ([`Till::take_refusal`]).
    refused: bool,
    /// The cart as last saved to the database (`App::save_live_cart`), so a crash loses no
    /// scan; `None`: no cart is saved.
    saved_cart: Option<ParkedCart>,
    /// When saving the cart last failed (egui time): tried again a second later.
    save_failed_at: Option<f64>,
    /// A cart left unsold at the last log-out or crash, put back in the first frame.
    to_restore: Option<ParkedCart>,
    /// A fiscal provider is set up: marked goods need their marking codes.
    fiscal_active: bool,
    /// The marking codes scanned for each marked product in the cart.
    marking: HashMap<i32, Vec<String>>,
}

impl Default for Till {
    fn default() -> Self {
        Till::new()
    }
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
            digits: DigitRun::default(),
            digits_dialog: None,
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
            discount_approver: None,
            quick: Vec::new(),
            quick_checked: f64::NEG_INFINITY,
            refused: false,
            saved_cart: None,
            save_failed_at: None,
            to_restore: None,
            fiscal_active: false,
            marking: HashMap::new(),
        }
    }

    /// The cart as it would be parked or saved; `None` when it is empty.
    fn as_parked(&self) -> Option<ParkedCart> {
        if self.cart.is_empty() {
            return None;
        }
        Some(ParkedCart {
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
        })
    }

    /// Adds a parked or saved cart's lines (products no longer sold are left out).
    fn refill(&mut self, parked: ParkedCart, lang: Lang, toast: &mut Option<Toast>) {
        for l in parked.lines {
            if let Some(&pos) = self.by_id.get(&l.product_id) {
                self.add_product(pos, Quantity(l.quantity), lang, toast);
                if let Some(i) = self.line_sel {
                    let _ = self.cart.set_line_discount(i, l.discount);
                }
            }
        }
        let _ = self.cart.set_sale_discount(parked.sale_discount);
    }

    /// Saves the cart when it changed since it was last saved (once a second at most while
    /// the database refuses).
    fn save_cart(&mut self, app: &mut App, session: &Session, now: f64) {
        let current = self.as_parked();
        if current == self.saved_cart || self.save_failed_at.is_some_and(|t| now - t < 1.0) {
            return;
        }
        match app.save_live_cart(session, current.as_ref(), self.total().0) {
            Ok(()) => {
                self.saved_cart = current;
                self.save_failed_at = None;
            }
            Err(e) => {
                tracing::warn!("the cart could not be saved: {e}");
                self.save_failed_at = Some(now);
            }
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
        self.fiscal_active = app.fiscal_config().ok().flatten().is_some();
        self.tz = app.time_zone();
        self.last_sale = app.last_sale_id(session).ok().flatten();
        self.quick = app.quick_keys(session).unwrap_or_default();
        // A cart left unsold (the program was closed or died): back on the till.
        if let Ok(Some(left)) = app.live_cart(session) {
            self.saved_cart = Some(left.clone());
            self.to_restore = Some(left);
        }
        self.refresh_results();
        release_free_memory();
    }

    pub fn cart(&self) -> &Cart {
        &self.cart
    }

    /// Whether a scan or key was refused since the last call (the window makes it heard).
    pub fn take_refusal(&mut self) -> bool {
        std::mem::take(&mut self.refused)
    }

    /// How many quick-pick keys the till holds.
    pub fn quick_keys_count(&self) -> usize {
        self.quick.len()
    }

    /// What the search box holds.
    pub fn search(&self) -> &str {
        &self.search
    }

    /// One piece of a product: a marked one (with a fiscal provider) asks for its marking
    /// code first.
    fn add_piece(&mut self, pos: usize, lang: Lang, toast: &mut Option<Toast>) {
        if self.fiscal_active && self.catalog.get(pos).is_some_and(|p| p.fiscal.marked) {
            self.dialog = Dialog::Marking {
                pos,
                text: String::new(),
                error: None,
            };
        } else {
            self.add_product(pos, Quantity::units(1), lang, toast);
        }
    }

    /// Adds a product to the cart; selects its line. False (and a notice) when the cart
    /// refused it.
    fn add_product(
        &mut self,
        pos: usize,
        quantity: Quantity,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) -> bool {
        let Some(p) = self.catalog.get(pos) else {
            return false;
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
                true
            }
            Err(e) => {
                self.refused = true;
                *toast = Some(Toast {
                    text: error_text(lang, &e.into()),
                    error: true,
                });
                false
            }
        }
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
                    marking_codes: self.marking.get(&l.product_id).cloned().unwrap_or_default(),
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
                if self.cart.is_empty() {
                    *toast = Some(Toast {
                        text: lang.t(T::DiscountNeedsCart).into(),
                        error: true,
                    });
                } else if !session.can(Action::GiveDiscount) && self.discount_approver.is_none() {
                    // A cashier: a manager approves at the till first.
                    self.dialog = Dialog::Approve {
                        login: String::new(),
                        password: String::new(),
                        error: None,
                    };
                } else {
                    self.dialog = Dialog::Discount {
                        text: String::new(),
                        on_sale: self.line_sel.is_none(),
                        error: None,
                    };
                }
            }
            Command::Remove => {
                let product = self
                    .line_sel
                    .and_then(|l| self.cart.lines().get(l))
                    .map(|l| l.product_id);
                if let Some(line) = self.line_sel
                    && self.cart.remove(line).is_ok()
                {
                    // The line's marking codes go with it.
                    if let Some(p) = product {
                        self.marking.remove(&p);
                    }
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
            Command::Quick => {
                // The page of the first key, so that one page of keys opens on it.
                let page = self.quick.first().map_or(1, |k| k.page);
                self.dialog = Dialog::Quick { page, sel: 0 };
            }
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
                    let parked = app
                        .parked_carts(session)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(id, label, total, _)| {
                            format!("#{id} {label} — {}", Money(total).text(lang))
                        })
                        .collect();
                    self.dialog = Dialog::CloseShift {
                        text: String::new(),
                        note: String::new(),
                        expected: rep.expected_cash,
                        revealed: false,
                        parked,
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
                doc: Box::new(document::receipt(&data, lang, width)),
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
        if let Some(left) = self.to_restore.take()
            && self.cart.is_empty()
        {
            self.refill(left, lang, toast);
            *toast = Some(Toast {
                text: lang.t(T::CartRestored).into(),
                error: false,
            });
        }
        self.till_ui(ui, lang, app, session, toast, now);
        self.save_cart(app, session, now);
    }

    fn till_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
        now: f64,
    ) {
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
        ui.label(lang.count(n as u64, crate::i18n::Noun::Item));
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
        let has_line = self.line_sel.is_some();
        let mut clicked = None;
        ui.vertical(|ui| {
            for (cmd, label, enabled) in [
                (Command::Pay, T::Pay, has_cart),
                (Command::Quantity, T::QuantityKey, has_line),
                (Command::Discount, T::DiscountKey, has_cart),
                (Command::Remove, T::RemoveKey, has_line),
                (Command::Park, T::Park, has_cart),
                (Command::Resume, T::Resume, true),
                (Command::Reprint, T::Reprint, true),
                (Command::XReport, T::XReportKey, true),
                (Command::CloseShift, T::CloseShiftKey, true),
                (Command::Quick, T::QuickKeysKey, true),
            ] {
                if key_button(ui, lang.t(label), enabled) {
                    clicked = Some(cmd);
                }
            }
        });
        if let Some(cmd) = clicked {
            self.command(cmd, app, session, lang, toast);
        }
    }
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
