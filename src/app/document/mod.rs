//! Printed documents as a small layout model: the receipt, the X and Z shift reports and the
//! debt-payment slip. A [`Document`] is a list of blocks (text lines already fitted to the
//! paper's width in characters, rules and a QR code); the ESC/POS encoder
//! ([`escpos`]), the on-screen preview and the print queue all use the same document,
//! so what the screen shows is what the paper gets.

pub mod escpos;
pub mod tspl;

use crate::i18n::MoneyText;
use serde::{Deserialize, Serialize};

use crate::app::{ReceiptData, ShiftReport};
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, T};

/// The nearest letter a Cyrillic code page has for one it lacks: the Uzbek Қ Ғ Ҳ (and the
/// letters of neighbouring alphabets a supplier's name may carry) print as К Г Х, so a name
/// stays readable on paper — never a `?` or an escape. `None` when there is no near letter.
pub fn nearest_letter(c: char) -> Option<char> {
    Some(match c {
        'Қ' | 'Ҡ' | 'Ӄ' => 'К',
        'қ' | 'ҡ' | 'ӄ' => 'к',
        'Ғ' | 'Ҕ' => 'Г',
        'ғ' | 'ҕ' => 'г',
        'Ҳ' | 'Һ' => 'Х',
        'ҳ' | 'һ' => 'х',
        'Ң' => 'Н',
        'ң' => 'н',
        'Ө' => 'О',
        'ө' => 'о',
        'Ү' | 'Ұ' | 'Ӯ' => 'У',
        'ү' | 'ұ' | 'ӯ' => 'у',
        'Ә' => 'А',
        'ә' => 'а',
        'Ӣ' => 'И',
        'ӣ' => 'и',
        'Ҷ' => 'Ч',
        'ҷ' => 'ч',
        'Ў' => 'У',
        'ў' => 'у',
        'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' => '\'',
        '“' | '”' | '„' | '«' | '»' => '"',
        '–' | '—' | '−' => '-',
        '\u{a0}' => ' ',
        _ => return None,
    })
}

/// `c` as a code page can print it: itself when `encoding` has it, else its nearest letter
/// ([`nearest_letter`]) when the page has that, else `?`.
pub fn in_code_page(c: char, encoding: &'static encoding_rs::Encoding) -> char {
    let fits = |c: char| {
        let mut buf = [0u8; 4];
        !encoding.encode(c.encode_utf8(&mut buf)).2
    };
    if fits(c) {
        c
    } else {
        nearest_letter(c).filter(|n| fits(*n)).unwrap_or('?')
    }
}

/// Characters per line on 58 mm paper (font A).
pub const WIDTH_58MM: usize = 32;
/// Characters per line on 80 mm paper (font A).
pub const WIDTH_80MM: usize = 48;

/// Characters per line for the paper width setting ("58" or "80", default 80).
pub fn width_for(setting: Option<&str>) -> usize {
    match setting.map(str::trim) {
        Some("58") | Some("58mm") | Some("58 mm") => WIDTH_58MM,
        _ => WIDTH_80MM,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Align {
    Left,
    Center,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// One printed line, at most the document's width in characters (half of it when big).
    Text {
        text: String,
        align: Align,
        bold: bool,
        /// Double width and height (the shop name, the total).
        big: bool,
    },
    /// A full-width line of dashes.
    Rule,
    /// A QR code holding the text.
    Qr(String),
}

/// A document ready to print or preview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Characters per line.
    pub width: usize,
    pub blocks: Vec<Block>,
    /// Kick the cash drawer after printing (cash taken).
    pub open_drawer: bool,
}

impl Document {
    fn new(width: usize) -> Document {
        Document {
            width: width.clamp(16, 64),
            blocks: Vec::new(),
            open_drawer: false,
        }
    }

    fn line(&mut self, text: String) {
        self.blocks.push(Block::Text {
            text,
            align: Align::Left,
            bold: false,
            big: false,
        });
    }

    fn lines(&mut self, lines: Vec<String>) {
        for l in lines {
            self.line(l);
        }
    }

    fn centered(&mut self, text: &str, bold: bool, big: bool) {
        let room = if big { self.width / 2 } else { self.width };
        for l in wrap(text, room) {
            self.blocks.push(Block::Text {
                text: l,
                align: Align::Center,
                bold,
                big,
            });
        }
    }

    fn pair(&mut self, left: &str, right: &str) {
        self.styled_pair(left, right, false);
    }

    fn bold_pair(&mut self, left: &str, right: &str) {
        self.styled_pair(left, right, true);
    }

    /// `left` and `right` on one line (wrapped when they do not fit).
    fn styled_pair(&mut self, left: &str, right: &str, bold: bool) {
        for text in both(left, right, self.width) {
            self.blocks.push(Block::Text {
                text,
                align: Align::Left,
                bold,
                big: false,
            });
        }
    }

    fn rule(&mut self) {
        self.blocks.push(Block::Rule);
    }
}

/// The shop's header lines from the settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShopHeader {
    pub name: String,
    pub address: String,
    pub phone: String,
}

fn header(doc: &mut Document, shop: &ShopHeader) {
    doc.centered(&shop.name, true, true);
    for extra in [&shop.address, &shop.phone] {
        if !extra.is_empty() {
            doc.centered(extra, false, false);
        }
    }
    doc.rule();
}

/// The text a receipt's QR code holds: the shop's sale number, which the sales history finds.
pub fn qr_text(sale_id: i32) -> String {
    format!("KASSA-SALE-{sale_id}")
}

/// The sale receipt.
pub fn receipt(r: &ReceiptData, lang: Lang, width: usize) -> Document {
    let mut doc = Document::new(width);
    header(&mut doc, &r.shop);
    doc.pair(&lang.fill(T::ReceiptNo, &[&r.sale_id.to_string()]), &r.when);
    doc.pair(
        &lang.fill(T::CashierName, &[&r.cashier]),
        &lang.fill(T::ShiftNo, &[&r.shift_id.to_string()]),
    );
    if r.detail.sale.refunded_at.is_some() {
        doc.centered(&format!("*** {} ***", lang.t(T::Refunded)), true, false);
    }
    doc.rule();
    for item in &r.detail.items {
        let w = doc.width;
        doc.lines(wrap(&item.product_name, w));
        let unit = r
            .units
            .get(&item.product_id)
            .copied()
            .unwrap_or(crate::domain::Unit::Piece);
        // "1,250 kg x 15 000", "3 dona x 4 000".
        let qty = format!(
            "  {} x {}",
            crate::i18n::quantity_text(lang, Quantity(item.quantity), unit),
            Money(item.unit_price).format_number()
        );
        doc.pair(&qty, &Money(item.gross).format_number());
        if item.line_discount > 0 {
            doc.pair(
                &format!("  {}", lang.t(T::ColDiscount)),
                &format!("-{}", Money(item.line_discount).format_number()),
            );
        }
        if item.refunded {
            doc.pair(
                &format!("  {}", lang.t(T::Refunded)),
                &format!("-{}", Money(item.line_total).format_number()),
            );
        }
    }
    doc.rule();
    let sale = &r.detail.sale;
    if sale.discount > 0 {
        doc.pair(lang.t(T::Subtotal), &Money(sale.subtotal).format_number());
        doc.pair(
            lang.t(T::ColDiscount),
            &format!("-{}", Money(sale.discount).format_number()),
        );
    }
    doc.bold_pair(lang.t(T::Total), &Money(sale.total).text(lang));
    let mut change = 0;
    for p in &r.detail.payments {
        doc.pair(
            &r.methods.label(lang, &p.method, p.channel_id),
            &Money(p.tendered).format_number(),
        );
        change += p.change_given;
        if p.method == "cash" {
            doc.open_drawer = true;
        }
    }
    if change > 0 {
        doc.pair(lang.t(T::Change), &Money(change).format_number());
    }
    if sale.refunded_amount > 0 {
        doc.pair(
            lang.t(T::RefundTotal),
            &format!("-{}", Money(sale.refunded_amount).format_number()),
        );
    }
    if let Some(name) = &r.client_name {
        doc.rule();
        let w = doc.width;
        doc.lines(wrap(&format!("{}: {name}", lang.t(T::Customer)), w));
        if let Some(balance) = r.client_balance {
            doc.lines(wrap(
                &lang.fill(T::DebtNow, &[&Money((-balance).max(0)).text(lang)]),
                w,
            ));
        }
        if let Some(due) = r.due_date {
            doc.lines(wrap(
                &lang.fill(T::DueBy, &[&due.format("%Y-%m-%d").to_string()]),
                w,
            ));
        }
        // The customer's earliest open due date, when it is not this sale's own.
        if let Some((date, amount)) = r.next_due
            && Some(date) != r.due_date
        {
            doc.lines(wrap(&next_due_text(lang, date, amount), w));
        }
    }
    doc.rule();
    match &r.fiscal {
        // The tax committee's check page is the customer's QR code.
        crate::app::FiscalState::Done(a) => {
            fiscal_block(&mut doc, a, lang);
            doc.blocks.push(Block::Qr(a.qr_url.clone()));
        }
        crate::app::FiscalState::NotRegistered => {
            doc.blocks.push(Block::Qr(qr_text(r.sale_id)));
        }
        crate::app::FiscalState::Waiting | crate::app::FiscalState::Refused(_) => {
            doc.centered(lang.t(T::FiscalPending), true, false);
            doc.blocks.push(Block::Qr(qr_text(r.sale_id)));
        }
    }
    doc.centered(lang.t(T::Thanks), false, false);
    doc
}

/// The fiscal data of a registered receipt, as printed above its QR code.
fn fiscal_block(doc: &mut Document, a: &crate::app::FiscalAnswer, lang: Lang) {
    doc.centered(lang.t(T::FiscalReceipt), true, false);
    doc.pair(lang.t(T::FiscalTerminal), &a.terminal_id);
    doc.pair(lang.t(T::FiscalReceiptNo), &a.receipt_no);
    doc.pair(lang.t(T::FiscalSign), &a.fiscal_sign);
    doc.pair(lang.t(T::FiscalTime), &a.date_time);
}

/// The fiscal slip that follows a receipt printed before its fiscal data came: the sale,
/// its total, the fiscal data and the QR code of the tax committee's check page.
pub fn fiscal_slip(r: &ReceiptData, lang: Lang, width: usize) -> Document {
    let mut doc = Document::new(width);
    header(&mut doc, &r.shop);
    doc.pair(&lang.fill(T::ReceiptNo, &[&r.sale_id.to_string()]), &r.when);
    doc.bold_pair(lang.t(T::Total), &Money(r.detail.sale.total).text(lang));
    doc.rule();
    if let crate::app::FiscalState::Done(a) = &r.fiscal {
        fiscal_block(&mut doc, a, lang);
        doc.blocks.push(Block::Qr(a.qr_url.clone()));
    }
    doc
}

/// The X report (shift so far) or, for a closed shift, the Z report.
pub fn shift_report(
    rep: &ShiftReport,
    shop: &ShopHeader,
    cashier: &str,
    printed_at: &str,
    lang: Lang,
    width: usize,
) -> Document {
    let mut doc = Document::new(width);
    header(&mut doc, shop);
    let title = if rep.shift.closed_at.is_some() {
        T::ZReport
    } else {
        T::XReport
    };
    doc.centered(lang.t(title), true, false);
    doc.pair(
        &lang.fill(T::ShiftNo, &[&rep.shift.id.to_string()]),
        printed_at,
    );
    let w = doc.width;
    doc.lines(wrap(&lang.fill(T::CashierName, &[cashier]), w));
    doc.rule();
    for f in shift_figures(rep) {
        let value = match f.value {
            Figure::Money(v) => Money(v).format_number(),
            Figure::Count(n) => n.to_string(),
        };
        if f.label == T::Expected {
            doc.rule();
        }
        if matches!(f.label, T::Expected | T::Difference) {
            doc.bold_pair(lang.t(f.label), &value);
        } else {
            doc.pair(lang.t(f.label), &value);
        }
        for (label, amount) in figure_details(rep, f.label, lang) {
            doc.pair(&format!("  {label}"), &Money(amount).format_number());
        }
    }
    if let Some(z) = &rep.fiscal_z {
        doc.pair(lang.t(T::FiscalZ), z);
    }
    if let Some(anchor) = &rep.audit_anchor {
        doc.rule();
        doc.pair(lang.t(T::AuditAnchor), anchor);
    }
    doc
}

/// The lines under a figure of an X/Z report (the screen and the paper show the same): card
/// sales per card method, refunds per method with their count.
pub fn figure_details(rep: &ShiftReport, label: T, lang: Lang) -> Vec<(String, i64)> {
    match label {
        T::CardSales => rep
            .card_by_method
            .iter()
            .map(|(m, amount)| (m.name(lang).to_string(), *amount))
            .collect(),
        T::RefundsAll => rep
            .refunds_by
            .iter()
            .map(|r| (format!("{} ({})", r.name(lang), r.count), r.amount))
            .collect(),
        T::VatAmount => rep
            .vat
            .iter()
            .map(|r| {
                (
                    format!("{} ({})", r.label(lang), Money(r.amount).format_number()),
                    r.vat,
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A shift report's figure: an amount or a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    Money(i64),
    Count(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftFigure {
    pub label: T,
    pub value: Figure,
}

/// The figures of an X or Z report in the order both the screen and the paper show them;
/// counted cash and the difference only once the shift is closed with a count.
pub fn shift_figures(rep: &ShiftReport) -> Vec<ShiftFigure> {
    let f = |label, value| ShiftFigure { label, value };
    let mut v = vec![
        f(T::Opening, Figure::Money(rep.shift.opening_cash)),
        f(T::SalesCount, Figure::Count(rep.sales_count)),
        f(T::Revenue, Figure::Money(rep.revenue)),
        f(T::CashSales, Figure::Money(rep.cash_sales)),
        f(T::CardSales, Figure::Money(rep.card_sales)),
        f(T::NasiyaSales, Figure::Money(rep.nasiya_sales)),
        f(T::CashRefunds, Figure::Money(rep.cash_refunds)),
        f(
            T::RefundsAll,
            Figure::Money(rep.refunds_by.iter().map(|r| r.amount).sum()),
        ),
        f(
            T::VatAmount,
            Figure::Money(rep.vat.iter().map(|r| r.vat).sum()),
        ),
        f(T::DebtPayments, Figure::Money(rep.cash_debt_payments)),
    ];
    // Card debt payments went through the terminal: the terminal's total is card sales plus
    // these. Shown only when there are any, like the cash paid to suppliers.
    if rep.card_debt_payments != 0 {
        v.push(f(
            T::CardDebtPayments,
            Figure::Money(rep.card_debt_payments),
        ));
    }
    // Only shops that pay suppliers out of the till see the line.
    if rep.cash_to_suppliers != 0 {
        v.push(f(T::CashToSuppliers, Figure::Money(rep.cash_to_suppliers)));
    }
    v.push(f(T::Expected, Figure::Money(rep.expected_cash)));
    if let (Some(c), Some(d)) = (rep.shift.counted_cash, rep.shift.difference) {
        v.push(f(T::Counted, Figure::Money(c)));
        v.push(f(T::Difference, Figure::Money(d)));
    }
    v
}

/// What a debt-payment slip shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebtSlip {
    pub shop: ShopHeader,
    pub ledger_id: i32,
    pub when: String,
    pub cashier: String,
    pub client_name: String,
    pub amount: i64,
    pub method: String,
    /// The card method's name (Uzcard, Click…) of a payment by card.
    pub method_name: Option<String>,
    /// The balance after the payment (negative is debt).
    pub balance_after: i64,
    /// The earliest open due date after the payment and what falls due on it.
    pub next_due: Option<(chrono::NaiveDate, i64)>,
}

/// The slip given to a customer who paid towards their debt.
pub fn debt_slip(s: &DebtSlip, lang: Lang, width: usize) -> Document {
    let mut doc = Document::new(width);
    header(&mut doc, &s.shop);
    doc.centered(lang.t(T::DebtPaymentSlip), true, false);
    doc.pair(&format!("№{}", s.ledger_id), &s.when);
    let w = doc.width;
    doc.lines(wrap(&lang.fill(T::CashierName, &[&s.cashier]), w));
    doc.lines(wrap(
        &format!("{}: {}", lang.t(T::Customer), s.client_name),
        w,
    ));
    doc.rule();
    let method = s
        .method_name
        .clone()
        .unwrap_or_else(|| lang.method(&s.method).to_string());
    doc.bold_pair(&method, &Money(s.amount).text(lang));
    let debt = Money((-s.balance_after).max(0)).text(lang);
    doc.lines(wrap(&lang.fill(T::DebtNow, &[&debt]), w));
    if let Some((date, amount)) = s.next_due {
        doc.lines(wrap(&next_due_text(lang, date, amount), w));
    }
    doc.rule();
    doc.centered(lang.t(T::Thanks), false, false);
    doc.open_drawer = s.method == "cash";
    doc
}

/// A refund as printed for the customer (and the drawer's record of cash paid out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundSlip {
    pub shop: ShopHeader,
    pub refund_id: i32,
    pub sale_id: i32,
    pub when: String,
    pub cashier: String,
    /// (product name, quantity in thousandths, unit, amount refunded)
    pub lines: Vec<(String, i64, crate::domain::Unit, i64)>,
    pub amount: i64,
    /// Money given back per tender: (the method's name, amount, cash out of the drawer).
    pub back: Vec<(String, i64, bool)>,
    pub reason: String,
    /// The customer's name and debt after the refund, for a sale to a customer.
    pub client: Option<(String, i64)>,
}

/// The slip of a refund (whole or part of a sale).
pub fn refund_slip(s: &RefundSlip, lang: Lang, width: usize) -> Document {
    let mut doc = Document::new(width);
    header(&mut doc, &s.shop);
    doc.centered(lang.t(T::RefundSlip), true, false);
    doc.pair(&format!("№{}", s.refund_id), &s.when);
    let w = doc.width;
    doc.lines(wrap(&lang.fill(T::ReceiptNo, &[&s.sale_id.to_string()]), w));
    doc.lines(wrap(&lang.fill(T::CashierName, &[&s.cashier]), w));
    doc.rule();
    for (name, qty, unit, amount) in &s.lines {
        doc.lines(wrap(name, w));
        doc.pair(
            &format!(
                "  {}",
                crate::i18n::quantity_text(lang, Quantity(*qty), *unit)
            ),
            &format!("-{}", Money(*amount).format_number()),
        );
    }
    doc.rule();
    doc.bold_pair(lang.t(T::RefundTotal), &Money(s.amount).text(lang));
    for (name, amount, cash) in &s.back {
        doc.pair(name, &Money(*amount).format_number());
        doc.open_drawer |= *cash;
    }
    if !s.reason.is_empty() {
        doc.lines(wrap(
            &format!("{}: {}", lang.t(T::RefundReason), s.reason),
            w,
        ));
    }
    if let Some((name, balance)) = &s.client {
        doc.rule();
        doc.lines(wrap(&format!("{}: {name}", lang.t(T::Customer)), w));
        let debt = Money((-balance).max(0)).text(lang);
        doc.lines(wrap(&lang.fill(T::DebtNow, &[&debt]), w));
    }
    doc
}

/// "Next payment: by 03.12.2026, 5 375 so'm" (payments settle the earliest due date first).
fn next_due_text(lang: Lang, date: chrono::NaiveDate, amount: i64) -> String {
    lang.fill(
        T::NextDue,
        &[
            &date.format("%d.%m.%Y").to_string(),
            &Money(amount).text(lang),
        ],
    )
}

/// `left` and `right` on one line, the right part flush right; a left part too long is
/// wrapped onto its own line.
fn both(left: &str, right: &str, width: usize) -> Vec<String> {
    let l = left.chars().count();
    let r = right.chars().count();
    if l + r < width {
        vec![format!("{left}{}{right}", " ".repeat(width - l - r))]
    } else {
        let mut out = wrap(left, width);
        out.push(format!("{}{right}", " ".repeat(width.saturating_sub(r))));
        out
    }
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let needed = if line.is_empty() { 0 } else { 1 } + word.chars().count();
        if !line.is_empty() && line.chars().count() + needed > width {
            out.push(std::mem::take(&mut line));
        }
        let mut word: String = word.to_string();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            out.push(head);
            word = word.chars().skip(width).collect();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_alignment() {
        assert_eq!(
            both("Jami", "12 500", 16),
            vec!["Jami      12 500".to_string()]
        );
        let long = both("Juda uzun mahsulot nomi bilan", "1 000", 16);
        assert!(long.iter().all(|l| l.chars().count() <= 16), "{long:?}");
        assert!(long.last().unwrap().ends_with("1 000"));
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
