//! The payment dialog: cash, the shop's card methods and nasiya (with its customer, due date
//! and a manager's approval past the credit limit), and finishing the sale exactly once.

use super::*;
use crate::app::{AppError, OfflineWarning, Sold, TillBasis};
use crate::ui::scan::mark_field;

#[derive(Clone)]
pub(super) struct PayState {
    /// The total the amounts were suggested for: when the cart's total changes (a scan, a
    /// price changed elsewhere) the dialog takes the new one and says so.
    total: Money,
    /// Why the amounts changed, shown in the dialog.
    notice: Option<String>,
    /// Put the focus on the due date once (a customer was just chosen).
    focus_due: bool,
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
    /// The new-customer form is open.
    new_open: bool,
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
    /// The manager who approved the credit, kept while the sale waits for the database.
    approved: Option<Session>,
    /// Another program holds the database: the sale is tried again by itself then (the
    /// window keeps drawing and taking scans meanwhile).
    retry_at: Option<std::time::Instant>,
}

/// How often a sale waiting for another program's write lock is tried again.
const BUSY_RETRY: std::time::Duration = std::time::Duration::from_millis(250);

impl PayState {
    /// Whether the sale waits for the database and its next try is due.
    pub(super) fn retry_due(&self) -> bool {
        self.retry_at
            .is_some_and(|t| std::time::Instant::now() >= t)
    }

    pub(super) fn waiting(&self) -> bool {
        self.retry_at.is_some()
    }
}

/// A non-cash payment method's field in the payment dialog.
#[derive(Clone)]
pub(super) struct CardField {
    id: i32,
    name: String,
    amount: String,
}

/// The tenders the payment dialog's fields describe, or why not (in the user's language).
pub(super) fn tenders_of(pay: &PayState, lang: Lang) -> Result<Vec<TenderInput>, String> {
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
        let amount = Money::parse(text).map_err(|e| error_text(lang, &e.into()))?;
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
pub(super) fn pay_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    pay: &mut PayState,
    total: Money,
    app: &mut App,
    session: &Session,
    enter: bool,
) -> bool {
    if total != pay.total {
        follow_total(pay, total, lang);
    }
    ui.heading(lang.t(T::PaymentTitle));
    ui.label(
        RichText::new(format!("{}: {}", lang.t(T::ToPay), total.text(lang)))
            .size(24.0)
            .strong(),
    );
    if let Some(n) = &pay.notice {
        ui.label(RichText::new(n.as_str()).strong().color(RED));
    }
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
                mark_field(ui.ctx(), r.id, FieldKind::Money);
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
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut c.amount)
                                .char_limit(crate::ui::limits::AMOUNT)
                                .desired_width(200.0),
                        )
                        .labelled_by(l.id);
                    mark_field(ui.ctx(), r.id, FieldKind::Money);
                    ui.end_row();
                }
                let l = ui.label(lang.t(T::NasiyaAmount));
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut pay.nasiya)
                            .char_limit(crate::ui::limits::AMOUNT)
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                mark_field(ui.ctx(), r.id, FieldKind::Money);
                ui.end_row();
            });
            settled = tenders_of(pay, lang).map(|t| settle(total, &t));
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
                    ui.label(RichText::new(e.as_str()).color(RED));
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
                            // Chosen by ↑↓ and Enter or a click; not a Tab stop, so Tab goes
                            // from the search to the due date instead of into hidden rows.
                            let text = format!(
                                "{}  {}",
                                c.full_name,
                                crate::domain::phone::display(&c.phone)
                            );
                            let row =
                                egui::Button::selectable(selected, text).sense(egui::Sense::CLICK);
                            let r = ui.add(row);
                            if selected && (up || down) {
                                r.scroll_to_me(None);
                            }
                            if r.clicked() {
                                pay.client = Some(c.clone());
                                pay.focus_due = true;
                            }
                        }
                    });
                // A button (not a collapsing header): it shows the keyboard focus like the
                // other fields of the dialog.
                let arrow = if pay.new_open { "▾" } else { "▸" };
                if ui
                    .button(format!("{arrow} {}", lang.t(T::NewCustomer)))
                    .clicked()
                {
                    pay.new_open = !pay.new_open;
                }
                if pay.new_open {
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
                }
                let due = field(ui, lang.t(T::DueDate), &mut pay.due, false);
                if std::mem::take(&mut pay.focus_due) {
                    due.request_focus();
                }
                if pay.over_limit {
                    ui.separator();
                    ui.label(RichText::new(lang.t(T::ApproveByManager)).strong());
                    field(ui, lang.t(T::Login), &mut pay.approver_login, false);
                    let p = field(ui, lang.t(T::Password), &mut pay.approver_password, true);
                    mark_field(ui.ctx(), p.id, FieldKind::Secret);
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
            // The due date is what a cashier fills in next.
            pay.focus_due = true;
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

/// The cart's total changed while the dialog was open (a scan, a price changed at another
/// place): an amount that was the whole old total becomes the whole new one, and the dialog
/// says what happened; amounts the cashier typed otherwise stay as typed.
fn follow_total(pay: &mut PayState, total: Money, lang: Lang) {
    let old = pay.total;
    let whole = |text: &str| Money::parse(text).is_ok_and(|m| m == old);
    let new_text = total.format_number().replace(' ', "");
    if whole(&pay.cash) {
        pay.cash = new_text.clone();
        pay.select_cash = true;
    }
    for c in &mut pay.cards {
        if whole(&c.amount) {
            c.amount = new_text.clone();
        }
    }
    if whole(&pay.nasiya) {
        pay.nasiya = new_text;
    }
    pay.notice = Some(lang.fill(T::TotalChanged, &[&old.text(lang), &total.text(lang)]));
    pay.total = total;
}

impl Till {
    pub(super) fn open_pay(&mut self, app: &mut App, session: &Session, lang: Lang) {
        if self.cart.is_empty() {
            return;
        }
        let today = debt::local_date(app.now(), app.time_zone());
        let total = self.total();
        self.dialog = Dialog::Pay(Box::new(PayState {
            total,
            notice: None,
            focus_due: false,
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
            new_open: false,
            new_name: String::new(),
            new_phone: String::new(),
            error: None,
            select_cash: true,
            over_limit: false,
            approver_login: String::new(),
            approver_password: String::new(),
            approved: None,
            retry_at: None,
        }));
    }

    pub(super) fn finish_sale(
        &mut self,
        app: &mut App,
        session: &Session,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        let total = self.cart.totals().map(|t| t.total).unwrap_or_default();
        let Dialog::Pay(pay) = &mut self.dialog else {
            return;
        };
        if total != pay.total {
            // The total changed in this very frame: the cashier sees the new one first (and
            // confirms it: a sale waiting for the database is not tried again by itself).
            follow_total(pay, total, lang);
            pay.retry_at = None;
            return;
        }
        pay.retry_at = None;
        let tenders = match tenders_of(pay, lang) {
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
        let approval =
            if pay.approved.is_none() && pay.over_limit && !pay.approver_login.trim().is_empty() {
                Some((
                    pay.approver_login.clone(),
                    std::mem::take(&mut pay.approver_password),
                ))
            } else {
                None
            };
        let approved = pay.approved.clone();
        let req = self.cart_request(key, tenders, client, due, total);
        let approver = match approval {
            Some((login, password)) => match app.login(&login, &password) {
                Ok(s) => {
                    if let Dialog::Pay(pay) = &mut self.dialog {
                        pay.approved = Some(s.clone());
                    }
                    Some(s)
                }
                Err(e) => {
                    if let Dialog::Pay(pay) = &mut self.dialog {
                        if let AppError::Busy { holders } = &e {
                            pay.approver_password = password;
                            wait_for_database(pay, holders, lang);
                        } else {
                            pay.error = Some(error_text(lang, &e));
                        }
                    }
                    return;
                }
            },
            // A cashier's discount approved at F4 (the credit approval, typed just now,
            // is a manager's too and covers it).
            None => approved.or_else(|| self.discount_approver.clone()),
        };
        let basis = self.basis(pay_client(&self.dialog));
        match app.sell_at_till(session, &req, approver.as_ref(), &basis) {
            Ok(Sold::Kept(k)) => {
                // The server is away: the sale waits at the till and goes when it is back.
                self.sold();
                self.last_change = Some(Money(k.change));
                let mut text = lang.fill(
                    T::SaleKept,
                    &[&Money(k.change).text(lang), &k.waiting.to_string()],
                );
                for w in &k.warnings {
                    text.push(' ');
                    text.push_str(&match w {
                        OfflineWarning::ShortStock { product, .. } => {
                            lang.fill(T::OfflineShortStock, &[product])
                        }
                        OfflineWarning::OverCreditLimit { .. } => {
                            lang.t(T::OfflineOverLimit).into()
                        }
                    });
                }
                *toast = Some(Toast { text, error: true });
                self.focus_search = true;
            }
            Ok(Sold::Online(r)) => {
                self.sold();
                // The sale removed the saved cart in its own transaction (a kept sale leaves
                // it on the server, where the empty cart is saved over it when it answers).
                self.saved_cart = None;
                self.last_sale = Some(r.sale_id);
                self.last_change = Some(Money(r.change));
                *toast = Some(if r.went_negative.is_empty() {
                    Toast {
                        text: lang.fill(
                            T::SaleDone,
                            &[&r.sale_id.to_string(), &Money(r.change).text(lang)],
                        ),
                        error: false,
                    }
                } else {
                    // Sold beyond the recorded stock (allowed by the settings): say so.
                    Toast {
                        text: format!(
                            "{} {}",
                            lang.fill(
                                T::SaleDone,
                                &[&r.sale_id.to_string(), &Money(r.change).text(lang)],
                            ),
                            lang.fill(T::SoldBeyondStock, &[&r.went_negative.join(", ")]),
                        ),
                        error: true,
                    }
                });
                // Only what the sale changed (the stock of its products) is read back.
                self.follow_catalog(app, session, f64::NEG_INFINITY, lang, toast);
                self.focus_search = true;
            }
            Err(e) => {
                if let Dialog::Pay(pay) = &mut self.dialog {
                    match &e {
                        AppError::Busy { holders } => wait_for_database(pay, holders, lang),
                        AppError::CreditLimit { .. } => {
                            pay.over_limit = true;
                            pay.error = Some(error_text(lang, &e));
                        }
                        _ => pay.error = Some(error_text(lang, &e)),
                    }
                }
            }
        }
    }
}

/// The customer chosen in the payment dialog.
fn pay_client(dialog: &Dialog) -> Option<ClientView> {
    match dialog {
        Dialog::Pay(pay) => pay.client.clone(),
        _ => None,
    }
}

impl Till {
    /// The cart is sold (on the server or kept at the till): the till is ready for the next.
    fn sold(&mut self) {
        self.cart.clear();
        self.marking.clear();
        self.line_sel = None;
        self.checkout_key = None;
        self.discount_approver = None;
        self.dialog = Dialog::None;
        self.last_sale = None;
    }

    /// What the till knows of the sale, for selling while the server is away.
    fn basis(&self, client: Option<ClientView>) -> TillBasis {
        TillBasis {
            shift_id: self.shift.as_ref().map(|s| s.id),
            lines: self.cart.lines().to_vec(),
            stock: self
                .cart
                .lines()
                .iter()
                .filter_map(|l| {
                    let p = self.catalog.get(*self.by_id.get(&l.product_id)?)?;
                    Some((p.id, Quantity(p.stock)))
                })
                .collect(),
            client,
        }
    }
}

/// Another program holds the database: say who, and try the sale again shortly (the same
/// checkout key, so it is saved once whatever happens meanwhile).
fn wait_for_database(pay: &mut PayState, holders: &[(String, u32)], lang: Lang) {
    pay.error = Some(lang.fill(
        T::DbBusyWaiting,
        &[&crate::app::busy_holders(lang, holders)],
    ));
    pay.retry_at = Some(std::time::Instant::now() + BUSY_RETRY);
}
