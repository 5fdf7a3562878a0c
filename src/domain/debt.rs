//! Customer debt: the balance, the due date still open, and the reminder schedule.
//!
//! A customer's balance is the sum of their ledger entries: credit sales are negative, debt
//! payments and refunds positive. Payments settle the oldest credit first, so the due date
//! that matters is the earliest one among credits not yet paid off. Reminders fall 3, 2 and
//! 1 days before it, on the day, and then every `overdue_interval_days` while overdue, all
//! counted in calendar days of the shop's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::money::Money;

/// One ledger entry as far as the schedule cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    pub amount: Money,
    pub due_date: Option<NaiveDate>,
}

/// The sum of the entries.
pub fn balance(entries: &[LedgerEntry]) -> Money {
    Money(entries.iter().map(|e| e.amount.0).sum())
}

/// The earliest due date among credits not yet paid off (oldest credit paid first).
/// `None` when nothing is owed or no open credit carries a date.
pub fn open_due_date(entries: &[LedgerEntry]) -> Option<NaiveDate> {
    let mut paid: i128 = entries
        .iter()
        .filter(|e| e.amount.0 > 0)
        .map(|e| i128::from(e.amount.0))
        .sum();
    let mut earliest: Option<NaiveDate> = None;
    for e in entries.iter().filter(|e| e.amount.0 < 0) {
        let owed = -i128::from(e.amount.0);
        if paid >= owed {
            paid -= owed;
            continue;
        }
        paid = 0;
        if let Some(d) = e.due_date {
            earliest = Some(earliest.map_or(d, |x| x.min(d)));
        }
    }
    earliest
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
            amount: Money::from_major(-som),
            due_date: Some(due),
        }
    }

    fn payment(som: i64) -> LedgerEntry {
        LedgerEntry {
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
        // The first credit is paid off; the second is open.
        assert_eq!(open_due_date(&entries), Some(d(2026, 12, 5)));

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
}
