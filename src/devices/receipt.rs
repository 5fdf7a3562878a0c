//! The receipt layout as lines of text of a fixed width (32 characters for 58 mm paper, 48
//! for 80 mm). The printer and the on-screen preview use the same lines.

use crate::app::ReceiptData;
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, T};

pub const WIDTH_58MM: usize = 32;
pub const WIDTH_80MM: usize = 48;

fn center(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width {
        return s.chars().take(width).collect();
    }
    format!("{}{}", " ".repeat((width - n) / 2), s)
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

/// The receipt's lines.
pub fn lines(r: &ReceiptData, lang: Lang, width: usize) -> Vec<String> {
    let rule = "-".repeat(width);
    let mut out = Vec::new();
    out.push(center(&r.shop_name, width));
    for extra in [&r.shop_address, &r.shop_phone] {
        if !extra.is_empty() {
            out.extend(wrap(extra, width).iter().map(|l| center(l, width)));
        }
    }
    out.push(rule.clone());
    out.extend(both(
        &lang.fill(T::ReceiptNo, &[&r.sale_id.to_string()]),
        &r.when,
        width,
    ));
    out.extend(both(
        &lang.fill(T::CashierName, &[&r.cashier]),
        &lang.fill(T::ShiftNo, &[&r.shift_id.to_string()]),
        width,
    ));
    if r.detail.sale.refunded_at.is_some() {
        out.push(center(&format!("*** {} ***", lang.t(T::Refunded)), width));
    }
    out.push(rule.clone());
    for item in &r.detail.items {
        out.extend(wrap(&item.product_name, width));
        let qty = format!(
            "  {} x {}",
            Quantity(item.quantity),
            Money(item.unit_price).format_number()
        );
        out.extend(both(&qty, &Money(item.gross).format_number(), width));
        if item.line_discount > 0 {
            out.extend(both(
                &format!("  {}", lang.t(T::ColDiscount)),
                &format!("-{}", Money(item.line_discount).format_number()),
                width,
            ));
        }
    }
    out.push(rule.clone());
    let sale = &r.detail.sale;
    if sale.discount > 0 {
        out.extend(both(
            lang.t(T::Subtotal),
            &Money(sale.subtotal).format_number(),
            width,
        ));
        out.extend(both(
            lang.t(T::ColDiscount),
            &format!("-{}", Money(sale.discount).format_number()),
            width,
        ));
    }
    out.extend(both(lang.t(T::Total), &Money(sale.total).format(), width));
    let mut change = 0;
    for p in &r.detail.payments {
        out.extend(both(
            lang.method(&p.method),
            &Money(p.tendered).format_number(),
            width,
        ));
        change += p.change_given;
    }
    if change > 0 {
        out.extend(both(
            lang.t(T::Change),
            &Money(change).format_number(),
            width,
        ));
    }
    if let Some(name) = &r.client_name {
        out.push(rule.clone());
        out.extend(wrap(&format!("{}: {name}", lang.t(T::Customer)), width));
        if let Some(balance) = r.client_balance {
            out.extend(wrap(
                &lang.fill(T::DebtNow, &[&Money((-balance).max(0)).format()]),
                width,
            ));
        }
        if let Some(due) = r.due_date {
            out.extend(wrap(
                &lang.fill(T::DueBy, &[&due.format("%Y-%m-%d").to_string()]),
                width,
            ));
        }
    }
    out.push(rule);
    out.push(center(lang.t(T::Thanks), width));
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
        assert_eq!(center("ab", 6), "  ab");
    }
}
