//! Customer debt: the balance, the due date still open, and the reminder schedule.
//!
//! A customer's balance is the sum of their ledger entries: credit sales are negative, debt
//! payments and refunds positive. [`allocate`] says what is still owed per due date, the one
//! rule every reader uses (customer screen, debts report and its ageing, receipts, slips,
//! the bot's statement and reminders), taking the ledger in the order it was written:
//! a refund of a credit sale lowers that sale's own credit first; a payment settles the
//! credits open at the moment it is taken, the earliest due date first; what is left over
//! is the customer's prepayment, applied to later credits as they are made. Reminders fall
//! 3, 2 and 1 days before a due date, on the day, and then every `overdue_interval_days`
//! while overdue, all counted in calendar days of the shop's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::money::Money;

/// One ledger entry as far as the allocation cares, in the order written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub amount: Money,
    pub due_date: Option<NaiveDate>,
    /// The sale: of a credit sale (negative) or of a refund (positive, `refund`).
    pub sale_id: Option<i32>,
    /// A refund of (part of) a sale: it lowers that sale's own credit first.
    pub refund: bool,
}

impl LedgerEntry {
    /// A payment, a positive or negative adjustment, or a credit with no sale.
    pub fn plain(amount: Money, due_date: Option<NaiveDate>) -> LedgerEntry {
        LedgerEntry {
            amount,
            due_date,
            sale_id: None,
            refund: false,
        }
    }
}

/// The sum of the entries.
pub fn balance(entries: &[LedgerEntry]) -> Money {
    Money(entries.iter().map(|e| e.amount.0).sum())
}

/// What is still owed of the credits due on one date (`None`: credits with no due date,
/// such as a debt entered by hand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OpenAmount {
    pub due_date: Option<NaiveDate>,
    /// Positive: owed.
    pub amount: Money,
}

/// A customer's ledger allocated: what is open per due date and what was paid beyond every
/// credit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allocation {
    /// Open amounts, earliest due date first, undated last; one per date, none zero.
    pub open: Vec<OpenAmount>,
    /// Paid beyond all credits (the shop owes the customer this much), zero or positive.
    pub prepaid: Money,
}

impl Allocation {
    /// Everything owed (the sum of the open amounts).
    pub fn total_open(&self) -> Money {
        Money(self.open.iter().map(|o| o.amount.0).sum())
    }

    /// The earliest due date with something still owed.
    pub fn first_due_date(&self) -> Option<NaiveDate> {
        self.open.iter().find_map(|o| o.due_date)
    }

    /// What is owed on credits due on or before `day` (overdue or due that day).
    pub fn due_by(&self, day: NaiveDate) -> Money {
        Money(
            self.open
                .iter()
                .filter(|o| o.due_date.is_some_and(|d| d <= day))
                .map(|o| o.amount.0)
                .sum(),
        )
    }

    /// What is owed on credits due exactly on `day`.
    pub fn due_on(&self, day: NaiveDate) -> Money {
        self.open
            .iter()
            .find(|o| o.due_date == Some(day))
            .map_or(Money::ZERO, |o| o.amount)
    }
}

/// Allocates a customer's ledger, taken in the order it was written:
///
/// - a credit (a credit sale, a negative adjustment) first takes what the customer had
///   prepaid, and the rest is owed on its due date (a debt without a date is paid last);
/// - a refund of a credit sale lowers that sale's own credit first; what it returns beyond
///   that credit settles like a payment;
/// - a payment (and a positive adjustment) settles the credits open at that moment, the
///   earliest due date first (equal dates: the older credit first); what is left over is
///   prepaid.
///
/// What is left of the credits is owed, per due date; the balance of the ledger is always
/// `prepaid - total_open`.
pub fn allocate(entries: &[LedgerEntry]) -> Allocation {
    struct Credit {
        seq: usize,
        due: Option<NaiveDate>,
        sale: Option<i32>,
        left: i128,
    }
    let mut credits: Vec<Credit> = Vec::new();
    let mut prepaid: i128 = 0;
    // Settles open credits, earliest due date first; returns what is left of `funds`.
    let settle = |credits: &mut Vec<Credit>, mut funds: i128| -> i128 {
        let mut order: Vec<usize> = (0..credits.len())
            .filter(|&i| credits[i].left > 0)
            .collect();
        order.sort_by_key(|&i| (credits[i].due.is_none(), credits[i].due, credits[i].seq));
        for i in order {
            if funds == 0 {
                break;
            }
            let paid = funds.min(credits[i].left);
            credits[i].left -= paid;
            funds -= paid;
        }
        funds
    };
    for (seq, e) in entries.iter().enumerate() {
        let amount = i128::from(e.amount.0);
        if amount < 0 {
            let owed = -amount;
            let taken = prepaid.min(owed);
            prepaid -= taken;
            credits.push(Credit {
                seq,
                due: e.due_date,
                sale: e.sale_id,
                left: owed - taken,
            });
            continue;
        }
        let mut funds = amount;
        if e.refund
            && let Some(sale) = e.sale_id
        {
            for c in credits.iter_mut().filter(|c| c.sale == Some(sale)) {
                let lowered = funds.min(c.left);
                c.left -= lowered;
                funds -= lowered;
            }
        }
        prepaid += settle(&mut credits, funds);
    }
    credits.sort_by_key(|c| (c.due.is_none(), c.due, c.seq));
    let mut open: Vec<OpenAmount> = Vec::new();
    for c in credits.into_iter().filter(|c| c.left > 0) {
        let left = Money(i64::try_from(c.left).unwrap_or(i64::MAX));
        match open.last_mut() {
            Some(last) if last.due_date == c.due => last.amount = Money(last.amount.0 + left.0),
            _ => open.push(OpenAmount {
                due_date: c.due,
                amount: left,
            }),
        }
    }
    Allocation {
        open,
        prepaid: Money(i64::try_from(prepaid).unwrap_or(i64::MAX)),
    }
}

/// The earliest due date among credits not yet paid off (payments settle the earliest due
/// date first). `None` when nothing is owed or no open credit carries a date.
pub fn open_due_date(entries: &[LedgerEntry]) -> Option<NaiveDate> {
    allocate(entries).first_due_date()
}

/// The shop's calendar date of an instant.
pub fn local_date(instant: DateTime<Utc>, tz: Tz) -> NaiveDate {
    instant.with_timezone(&tz).date_naive()
}

/// Which reminder falls on `today` for a debt due on `due`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reminder {
    /// 3, 2 or 1 days before.
    DaysBefore(u8),
    DueDay,
    /// Overdue; `seq` numbers the repeats (0 the day after the due date, then one more every
    /// interval).
    Overdue {
        days: i64,
        seq: u32,
    },
}

impl Reminder {
    /// The key stored in the reminders-sent log with its sequence number.
    pub fn log_key(self) -> (&'static str, u32) {
        match self {
            Reminder::DaysBefore(3) => ("before_3", 0),
            Reminder::DaysBefore(2) => ("before_2", 0),
            Reminder::DaysBefore(_) => ("before_1", 0),
            Reminder::DueDay => ("due_day", 0),
            Reminder::Overdue { seq, .. } => ("overdue", seq),
        }
    }
}

/// The reminder for `today`, if one falls on it. Overdue reminders fall on the first day
/// after the due date and then every `overdue_interval_days` (at least 1).
pub fn reminder_on(
    due: NaiveDate,
    today: NaiveDate,
    overdue_interval_days: u32,
) -> Option<Reminder> {
    let days_left = (due - today).num_days();
    match days_left {
        3 => Some(Reminder::DaysBefore(3)),
        2 => Some(Reminder::DaysBefore(2)),
        1 => Some(Reminder::DaysBefore(1)),
        0 => Some(Reminder::DueDay),
        d if d < 0 => {
            let days = -d;
            let interval = i64::from(overdue_interval_days.max(1));
            if (days - 1) % interval == 0 {
                Some(Reminder::Overdue {
                    days,
                    seq: u32::try_from((days - 1) / interval).unwrap_or(u32::MAX),
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The latest reminder whose day is on or before `today`: what a scheduler that was down
/// should still send (once) when it comes back.
pub fn latest_reminder_due(
    due: NaiveDate,
    today: NaiveDate,
    overdue_interval_days: u32,
) -> Option<Reminder> {
    let days_left = (due - today).num_days();
    if days_left > 3 {
        return None;
    }
    if days_left >= 0 {
        return reminder_on(due, today, overdue_interval_days);
    }
    let days = -days_left;
    let interval = i64::from(overdue_interval_days.max(1));
    let seq = (days - 1) / interval;
    Some(Reminder::Overdue {
        days: seq * interval + 1,
        seq: u32::try_from(seq).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn credit(som: i64, due: NaiveDate) -> LedgerEntry {
        LedgerEntry {
            sale_id: None,
            refund: false,
            amount: Money::from_major(-som),
            due_date: Some(due),
        }
    }

    fn payment(som: i64) -> LedgerEntry {
        LedgerEntry {
            sale_id: None,
            refund: false,
            amount: Money::from_major(som),
            due_date: None,
        }
    }

    #[test]
    fn schedule_around_the_due_date() {
        let due = d(2026, 12, 10);
        let on = |day| reminder_on(due, d(2026, 12, day), 3);
        assert_eq!(on(6), None);
        assert_eq!(on(7), Some(Reminder::DaysBefore(3)));
        assert_eq!(on(8), Some(Reminder::DaysBefore(2)));
        assert_eq!(on(9), Some(Reminder::DaysBefore(1)));
        assert_eq!(on(10), Some(Reminder::DueDay));
        assert_eq!(on(11), Some(Reminder::Overdue { days: 1, seq: 0 }));
        assert_eq!(on(12), None);
        assert_eq!(on(13), None);
        assert_eq!(on(14), Some(Reminder::Overdue { days: 4, seq: 1 }));
    }

    #[test]
    fn schedule_across_month_and_year_ends() {
        let due = d(2027, 1, 1);
        assert_eq!(
            reminder_on(due, d(2026, 12, 29), 1),
            Some(Reminder::DaysBefore(3))
        );
        assert_eq!(
            reminder_on(due, d(2027, 1, 2), 1),
            Some(Reminder::Overdue { days: 1, seq: 0 })
        );
        assert_eq!(
            reminder_on(due, d(2027, 1, 3), 1),
            Some(Reminder::Overdue { days: 2, seq: 1 })
        );
    }

    #[test]
    fn catching_up_after_an_outage() {
        let due = d(2026, 12, 10);
        assert_eq!(latest_reminder_due(due, d(2026, 12, 1), 3), None);
        assert_eq!(
            latest_reminder_due(due, d(2026, 12, 9), 3),
            Some(Reminder::DaysBefore(1))
        );
        assert_eq!(
            latest_reminder_due(due, d(2026, 12, 13), 3),
            Some(Reminder::Overdue { days: 1, seq: 0 })
        );
        assert_eq!(
            latest_reminder_due(due, d(2026, 12, 15), 3),
            Some(Reminder::Overdue { days: 4, seq: 1 })
        );
    }

    #[test]
    fn local_date_uses_the_shop_time_zone() {
        // 20:30 UTC on 9 Dec is 01:30 on 10 Dec in Tashkent (UTC+5).
        let instant = DateTime::parse_from_rfc3339("2026-12-09T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            local_date(instant, chrono_tz::Asia::Tashkent),
            d(2026, 12, 10)
        );
        assert_eq!(local_date(instant, chrono_tz::UTC), d(2026, 12, 9));
    }

    #[test]
    fn balance_and_open_due_date() {
        let entries = [
            credit(100_000, d(2026, 12, 10)),
            credit(50_000, d(2026, 12, 5)),
            payment(100_000),
        ];
        assert_eq!(balance(&entries), Money::from_major(-50_000));
        // The payment settles the earlier due date (12-05) first, whatever the order the
        // credits were written in: half of the 12-10 credit is open.
        assert_eq!(open_due_date(&entries), Some(d(2026, 12, 10)));

        let partly = [
            credit(100_000, d(2026, 12, 10)),
            credit(50_000, d(2026, 12, 20)),
            payment(30_000),
        ];
        assert_eq!(open_due_date(&partly), Some(d(2026, 12, 10)));

        let settled = [credit(100_000, d(2026, 12, 10)), payment(100_000)];
        assert_eq!(open_due_date(&settled), None);

        let prepaid = [payment(20_000), credit(10_000, d(2026, 12, 10))];
        assert_eq!(balance(&prepaid), Money::from_major(10_000));
        assert_eq!(open_due_date(&prepaid), None);
    }

    fn open(due: Option<NaiveDate>, som: i64) -> OpenAmount {
        OpenAmount {
            due_date: due,
            amount: Money::from_major(som),
        }
    }

    fn adjustment(som: i64) -> LedgerEntry {
        LedgerEntry {
            sale_id: None,
            refund: false,
            amount: Money::from_major(som),
            due_date: None,
        }
    }

    /// Checks the allocation and that it agrees with the balance.
    fn check(entries: &[LedgerEntry], want_open: &[OpenAmount], want_prepaid: i64) {
        let a = allocate(entries);
        assert_eq!(a.open, want_open, "open amounts of {entries:?}");
        assert_eq!(
            a.prepaid,
            Money::from_major(want_prepaid),
            "prepaid of {entries:?}"
        );
        assert_eq!(
            Money(a.prepaid.0 - a.total_open().0),
            balance(entries),
            "allocation disagrees with the balance"
        );
    }

    #[test]
    fn partial_payments_go_to_the_earliest_due_date() {
        // 614 940 owed: 5 375 due 03.12, the rest later; a payment of 200 000.
        check(
            &[
                credit(300_000, d(2026, 12, 20)),
                credit(5_375, d(2026, 12, 3)),
                credit(509_565, d(2026, 12, 10)),
                payment(200_000),
            ],
            // 5 375 (03.12) paid, then 194 625 of the 10.12 credit.
            &[
                open(Some(d(2026, 12, 10)), 314_940),
                open(Some(d(2026, 12, 20)), 300_000),
            ],
            0,
        );
        let a = allocate(&[
            credit(300_000, d(2026, 12, 20)),
            credit(5_375, d(2026, 12, 3)),
            credit(509_565, d(2026, 12, 10)),
        ]);
        assert_eq!(a.due_on(d(2026, 12, 3)), Money::from_major(5_375));
        assert_eq!(a.due_by(d(2026, 12, 10)), Money::from_major(514_940));
        assert_eq!(a.total_open(), Money::from_major(814_940));
        assert_eq!(a.first_due_date(), Some(d(2026, 12, 3)));
    }

    #[test]
    fn overpayment_becomes_prepaid() {
        check(
            &[
                credit(10_000, d(2026, 12, 3)),
                payment(4_000),
                payment(9_000),
            ],
            &[],
            3_000,
        );
        // Prepaid first, then a new credit takes it.
        check(
            &[payment(25_000), credit(10_000, d(2026, 12, 3))],
            &[],
            15_000,
        );
    }

    fn sale(id: i32, som: i64, due: NaiveDate) -> LedgerEntry {
        LedgerEntry {
            sale_id: Some(id),
            ..credit(som, due)
        }
    }

    fn refund(id: i32, som: i64) -> LedgerEntry {
        LedgerEntry {
            sale_id: Some(id),
            refund: true,
            ..payment(som)
        }
    }

    #[test]
    fn a_refund_lowers_its_own_sales_credit_first() {
        // Sale 1 due 15.12, sale 2 due 08.12; sale 1 returned in full: what stays open is
        // sale 2 on its date (not half of each, not the earlier date paid off).
        check(
            &[
                sale(1, 50_000, d(2026, 12, 15)),
                sale(2, 30_000, d(2026, 12, 8)),
                refund(1, 50_000),
            ],
            &[open(Some(d(2026, 12, 8)), 30_000)],
            0,
        );
        // A partial refund lowers only its sale.
        check(
            &[
                sale(1, 50_000, d(2026, 12, 15)),
                sale(2, 30_000, d(2026, 12, 8)),
                refund(1, 20_000),
            ],
            &[
                open(Some(d(2026, 12, 8)), 30_000),
                open(Some(d(2026, 12, 15)), 30_000),
            ],
            0,
        );
        // The sale was half paid already (the payment went to it as the earliest): the
        // refund lowers what is left of it, and the rest settles like a payment.
        check(
            &[
                sale(1, 50_000, d(2026, 12, 5)),
                sale(2, 30_000, d(2026, 12, 8)),
                payment(40_000),
                refund(1, 50_000),
            ],
            // Sale 1: 50 000 - 40 000 paid = 10 000 left, the refund takes it; its other
            // 40 000 pays sale 2 (30 000) and 10 000 is prepaid.
            &[],
            10_000,
        );
    }

    #[test]
    fn a_payment_settles_what_is_open_when_it_is_taken() {
        // A payment, then a credit: the credit was not open when the payment came, so the
        // payment is a prepayment that the credit takes as it is made.
        check(
            &[
                sale(1, 20_000, d(2026, 12, 5)),
                payment(50_000),
                sale(2, 40_000, d(2026, 12, 20)),
            ],
            &[open(Some(d(2026, 12, 20)), 10_000)],
            0,
        );
        // Reminders: the later credit keeps its own date and amount.
        let a = allocate(&[
            sale(1, 20_000, d(2026, 12, 5)),
            payment(20_000),
            sale(2, 40_000, d(2026, 12, 20)),
        ]);
        assert_eq!(a.due_on(d(2026, 12, 20)), Money::from_major(40_000));
        assert_eq!(a.first_due_date(), Some(d(2026, 12, 20)));
    }

    #[test]
    fn adjustments_both_ways() {
        // A debt entered by hand has no due date: it is paid last.
        check(
            &[
                adjustment(-7_000),
                credit(20_000, d(2026, 12, 5)),
                payment(22_000),
            ],
            &[open(None, 5_000)],
            0,
        );
        // A positive adjustment (a write-off) settles like a payment.
        check(
            &[credit(20_000, d(2026, 12, 5)), adjustment(8_000)],
            &[open(Some(d(2026, 12, 5)), 12_000)],
            0,
        );
    }

    #[test]
    fn several_credits_sharing_a_due_date_are_one_open_amount() {
        check(
            &[
                credit(1_000, d(2026, 12, 5)),
                credit(2_000, d(2026, 12, 9)),
                credit(3_000, d(2026, 12, 5)),
                payment(500),
            ],
            &[
                open(Some(d(2026, 12, 5)), 3_500),
                open(Some(d(2026, 12, 9)), 2_000),
            ],
            0,
        );
    }
}
