//! Every text the Telegram bot sends a customer or the shop's admins, in one place: statements,
//! reminders, credit-sale and debt-payment notes, low-stock alerts, and the shop's signature
//! under reminders and broadcasts. All words come from [`crate::i18n`] in the chat's language;
//! amounts are money with grouped thousands and the currency word of that language.

use chrono::NaiveDate;

use super::Statement;
use crate::domain::{Money, Quantity, Unit, phone};
use crate::i18n::{Lang, MoneyText, T, date_text as date};

/// Who sends: the shop's name and, if set, its phone, signed under reminders and broadcasts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub shop: String,
    pub phone: String,
}

impl Signature {
    /// "— Oʻrikzor doʻkoni, +998 71 200 00 00" (empty when neither is set).
    pub fn line(&self) -> String {
        let parts: Vec<&str> = [self.shop.trim(), self.phone.trim()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("— {}", parts.join(", "))
        }
    }

    /// `text` with the signature under it.
    pub fn under(&self, text: &str) -> String {
        let line = self.line();
        if line.is_empty() {
            text.to_string()
        } else {
            format!("{text}\n\n{line}")
        }
    }
}

/// A reminder: what falls due on `due` (`amount`) and, apart, the whole debt (`total`), as of
/// `today`, signed by the shop.
pub fn reminder(
    lang: Lang,
    name: &str,
    amount: i64,
    total: i64,
    due: NaiveDate,
    today: NaiveDate,
    shop: &Signature,
) -> String {
    let (amount, total) = (Money(amount).text(lang), Money(total).text(lang));
    let day = date(due);
    let left = (due - today).num_days();
    let text = match left {
        d if d > 0 => lang.fill(
            T::BotReminderBefore,
            &[name, &amount, &day, &d.to_string(), &total],
        ),
        0 => lang.fill(T::BotReminderDueDay, &[name, &amount, &day, &total]),
        d => lang.fill(
            T::BotReminderOverdue,
            &[name, &amount, &day, &(-d).to_string(), &total],
        ),
    };
    shop.under(&text)
}

/// A purchase on credit: its amount, the whole debt now, the due date.
pub fn credit_sale(lang: Lang, on_credit: i64, owed: i64, due: Option<NaiveDate>) -> String {
    let due = due.map(date).unwrap_or_else(|| "—".to_string());
    lang.fill(
        T::BotCreditSale,
        &[&Money(on_credit).text(lang), &Money(owed).text(lang), &due],
    )
}

/// A debt payment taken: the amount and what is still owed (or that the debt is paid off).
pub fn debt_payment(lang: Lang, amount: i64, balance_after: i64) -> String {
    if balance_after < 0 {
        lang.fill(
            T::BotDebtPayment,
            &[&Money(amount).text(lang), &Money(-balance_after).text(lang)],
        )
    } else {
        lang.fill(T::BotDebtPaidOff, &[&Money(amount).text(lang)])
    }
}

/// A refund lowered the debt: by how much and what is still owed (or that nothing is).
pub fn debt_refund(lang: Lang, amount: i64, balance_after: i64) -> String {
    if balance_after < 0 {
        lang.fill(
            T::BotDebtRefund,
            &[&Money(amount).text(lang), &Money(-balance_after).text(lang)],
        )
    } else {
        lang.fill(T::BotDebtRefundPaidOff, &[&Money(amount).text(lang)])
    }
}

/// Stock fell to its threshold: "89 996 dona", "1,25 kg", grouped, with the unit.
pub fn low_stock(lang: Lang, product: &str, unit: Unit, stock: i64, threshold: i64) -> String {
    lang.fill(
        T::BotLowStock,
        &[
            product,
            &crate::i18n::quantity_text(lang, Quantity(stock), unit),
            &crate::i18n::quantity_text(lang, Quantity(threshold), unit),
        ],
    )
}

/// A customer's statement as `/balance` answers it: the debt and what falls due on each date,
/// or the prepayment, then the last purchases and payments.
pub fn statement(s: &Statement) -> String {
    let lang = s.lang;
    let mut out = format!("{}\n{}\n", s.name, phone::display(&s.phone));
    if s.balance < 0 {
        out.push_str(&lang.fill(T::BotDebt, &[&Money(-s.balance).text(lang)]));
        out.push('\n');
        // What is owed per due date (payments settle the earliest date first).
        if !s.open.is_empty() {
            out.push_str(lang.t(T::BotDueDates));
            for o in &s.open {
                let date = match o.due_date {
                    Some(d) => d.format("%d.%m.%Y").to_string(),
                    None => lang.t(T::BotNoDueDate).to_string(),
                };
                out.push_str(&format!("\n• {date} — {}", o.amount.text(lang)));
            }
            out.push('\n');
        }
    } else if s.balance > 0 {
        out.push_str(&lang.fill(T::BotPrepaid, &[&Money(s.balance).text(lang)]));
        out.push('\n');
    } else {
        out.push_str(lang.t(T::BotNoDebt));
        out.push('\n');
    }
    if !s.purchases.is_empty() {
        out.push('\n');
        out.push_str(lang.t(T::BotPurchases));
        for (at, total, credit) in &s.purchases {
            out.push_str(&format!("\n• {at} — {}", Money(*total).text(lang)));
            if *credit > 0 {
                let part = lang.fill(T::BotOnCredit, &[&Money(*credit).text(lang)]);
                out.push_str(&format!(" ({part})"));
            }
        }
        out.push('\n');
    }
    if !s.payments.is_empty() {
        out.push('\n');
        out.push_str(lang.t(T::BotPayments));
        for (at, amount, method) in &s.payments {
            out.push_str(&format!(
                "\n• {at} — {} ({})",
                Money(*amount).text(lang),
                lang.method(method)
            ));
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_shows_debt_due_date_and_history() {
        let s = Statement {
            name: "Ali Valiyev".into(),
            phone: "998901234567".into(),
            balance: -12_000_000,
            open: vec![
                crate::domain::debt::OpenAmount {
                    due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10),
                    amount: Money(2_000_000),
                },
                crate::domain::debt::OpenAmount {
                    due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
                    amount: Money(10_000_000),
                },
            ],
            purchases: vec![("24.11.2026 14:30".into(), 15_000_000, 12_000_000)],
            payments: vec![("20.11.2026 10:00".into(), 3_000_000, "cash".into())],
            lang: Lang::En,
        };
        let text = statement(&s);
        assert!(text.contains("You owe: 120 000 so'm"), "{text}");
        assert!(
            text.contains("Due dates:\n• 10.12.2026 — 20 000 so'm\n• 24.12.2026 — 100 000 so'm"),
            "{text}"
        );
        assert!(
            text.contains("150 000 so'm (on credit 120 000 so'm)"),
            "{text}"
        );
        assert!(text.contains("30 000 so'm"), "{text}");
        assert!(text.contains("+998 90 123 45 67"), "{text}");
    }

    #[test]
    fn reminders_name_the_amount_the_date_the_debt_and_the_shop() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let shop = Signature {
            shop: "Oʻrikzor".into(),
            phone: "+998 71 200 00 00".into(),
        };
        let before = reminder(Lang::En, "Ali", 537_500, 61_494_000, due, day(8), &shop);
        assert!(
            before.contains("5 375 so'm is due on 10.12.2026")
                && before.contains("days left: 2")
                && before.contains("total debt: 614 940 so'm")
                && before.ends_with("\n\n— Oʻrikzor, +998 71 200 00 00"),
            "{before}"
        );
        let on = reminder(Lang::En, "Ali", 537_500, 61_494_000, due, day(10), &shop);
        assert!(on.contains("today") && on.contains("614 940"), "{on}");
        let late = reminder(
            Lang::Ru,
            "Али",
            537_500,
            61_494_000,
            due,
            day(14),
            &Signature::default(),
        );
        assert!(
            late.contains("дней просрочки: 4")
                && late.contains("614 940 сум")
                && !late.contains("so'm"),
            "{late}"
        );
        // Without a shop name or phone there is no signature line.
        assert!(!late.contains("\n\n—"), "{late}");
    }

    #[test]
    fn alerts_group_numbers_and_name_units() {
        let text = low_stock(Lang::Uz, "Shakar", Unit::Piece, 89_996_000, 89_997_000);
        assert!(
            text.contains("89 996 dona") && text.contains("89 997 dona"),
            "{text}"
        );
        let text = low_stock(Lang::Ru, "Сахар", Unit::Weight, 1_250, 2_000);
        assert!(text.contains("1,25 кг"), "{text}");
    }
}
