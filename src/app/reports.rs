//! Statistics for a period: revenue, cost of goods sold, gross profit, expenses, net profit
//! and top products. Refunded sales are left out entirely. Periods are calendar dates of the
//! shop's time zone, both ends included.

use crate::store::db::prelude::*;
use crate::store::sum_i64;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use diesel::dsl::count_star;
use diesel::sql_types::{BigInt, Timestamp};
use serde::Serialize;

use super::sums::{PeriodSums, labels};
use super::{App, AppError, AppResult, Session};
use crate::domain::Action;
use crate::store::schema::{expenses, sales};

/// Calendar dates in the shop's time zone, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn day(d: NaiveDate) -> Period {
        Period { from: d, to: d }
    }

    /// The UTC instants [start, end) the period covers in `tz`.
    pub fn utc_bounds(&self, tz: Tz) -> (NaiveDateTime, NaiveDateTime) {
        let start = |d: NaiveDate| {
            let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            tz.from_local_datetime(&local)
                .earliest()
                .map(|t| t.naive_utc())
                .unwrap_or(local)
        };
        let end_day = self.to.succ_opt().unwrap_or(self.to);
        (start(self.from), start(end_day))
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TopProduct {
    pub product_id: i32,
    pub name: String,
    pub quantity: i64,
    pub revenue: i64,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Statistics {
    pub sales_count: i64,
    pub revenue: i64,
    pub cogs: i64,
    pub gross_profit: i64,
    pub expenses: i64,
    pub net_profit: i64,
    pub top_products: Vec<TopProduct>,
}

/// A cashier sees today's figures only (SPEC's table); other periods are reports. Checked
/// against the employee as re-read in the transaction.
fn today_only(role: crate::domain::Role, period: Period, today: NaiveDate) -> AppResult<()> {
    if !crate::domain::permissions::allows(role, Action::ViewReports)
        && period != Period::day(today)
    {
        return Err(AppError::Forbidden {
            role,
            action: Action::ViewReports,
        });
    }
    Ok(())
}

/// Number of sales and their revenue (refunded left out), and the expenses of the period.
fn totals(
    conn: &mut Db,
    period: Period,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<(i64, i64, i64)> {
    let (sales_count, revenue): (i64, Option<i64>) = sales::table
        .filter(sales::created_at.ge(start))
        .filter(sales::created_at.lt(end))
        .filter(sales::refunded_at.is_null())
        .select((count_star(), sum_i64(sales::total - sales::refunded_amount)))
        .first(conn)?;
    let spent: Option<i64> = expenses::table
        .filter(expenses::spent_on.ge(period.from))
        .filter(expenses::spent_on.le(period.to))
        .select(sum_i64(expenses::amount))
        .first(conn)?;
    Ok((sales_count, revenue.unwrap_or(0), spent.unwrap_or(0)))
}

impl App {
    /// The period's figures; `top` is how many top products to list.
    pub fn statistics(
        &mut self,
        session: &Session,
        period: Period,
        top: i64,
    ) -> AppResult<Statistics> {
        if period.to < period.from {
            return Err(AppError::invalid("period", "the end is before the start"));
        }
        let tz = self.time_zone();
        let (start, end) = period.utc_bounds(tz);
        let today = crate::domain::debt::local_date(self.now(), tz);
        self.read(session, Some(Action::ViewStatistics), |conn, actor| {
            today_only(actor.role, period, today)?;
            let (sales_count, revenue, spent) = totals(conn, period, start, end)?;
            // With a top list: one pass summing by product (`sums`), which also gives the
            // cost of goods. Without: the cost of goods is one SUM in SQLite, no grouping.
            let (rows, cogs) = if top <= 0 {
                let cogs = crate::store::schema::sale_items::table
                    .filter(crate::store::schema::sale_items::sold_at.ge(start))
                    .filter(crate::store::schema::sale_items::sold_at.lt(end))
                    .filter(crate::store::schema::sale_items::refunded.eq(false))
                    .select(sum_i64(crate::store::schema::sale_items::cost_total))
                    .first::<Option<i64>>(conn)?
                    .unwrap_or(0);
                (Vec::new(), cogs)
            } else {
                let sums = PeriodSums::read(conn, start, end)?;
                let cogs = sums.cost;
                (sums.by_revenue(top.min(1000) as usize), cogs)
            };
            let ids: Vec<i32> = rows.iter().map(|r| r.product_id).collect();
            let mut names = labels(conn, &ids)?;
            Ok(Statistics {
                sales_count,
                revenue,
                cogs,
                gross_profit: revenue - cogs,
                expenses: spent,
                net_profit: revenue - cogs - spent,
                top_products: rows
                    .into_iter()
                    .map(|r| TopProduct {
                        product_id: r.product_id,
                        name: names
                            .remove(&r.product_id)
                            .map(|l| l.name)
                            .unwrap_or_default(),
                        quantity: r.quantity,
                        revenue: r.revenue,
                    })
                    .collect(),
            })
        })
    }
}

/// The dashboard's headline figures for one period.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Figures {
    pub sales_count: i64,
    pub revenue: i64,
    pub gross_profit: i64,
    pub expenses: i64,
    pub net_profit: i64,
    /// Revenue / number of sales (0 without sales).
    pub average: i64,
}

impl Figures {
    fn of(s: &Statistics) -> Figures {
        Figures {
            sales_count: s.sales_count,
            revenue: s.revenue,
            gross_profit: s.gross_profit,
            expenses: s.expenses,
            net_profit: s.net_profit,
            average: if s.sales_count > 0 {
                s.revenue / s.sales_count
            } else {
                0
            },
        }
    }
}

/// The dashboard: the period's figures beside the previous period of the same length, and
/// the series its charts draw.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Dashboard {
    pub figures: Figures,
    /// `None` for a cashier (they see today only, without comparisons).
    pub previous: Option<Figures>,
    /// Each day of the period: (date, revenue, gross profit).
    pub by_day: Vec<(NaiveDate, i64, i64)>,
    /// Revenue by local hour of day, 0–23.
    pub by_hour: Vec<i64>,
    /// (method as stored, card method id, amount), largest first.
    pub by_method: Vec<(String, Option<i32>, i64)>,
    /// The shop's payment methods, to name the card ones.
    pub methods: super::PaymentMethods,
    /// Refunds made in the period (by refund time, whole sales or parts): how many and what
    /// they took. What they took is in none of the figures above.
    pub refunds: (i64, i64),
}

/// One UTC hour's sums of sale lines.
struct HourRow {
    hour: NaiveDateTime,
    revenue: i64,
    profit: i64,
}

/// Revenue and gross profit of each UTC hour in [start, end) (refunded sales left out), in
/// one pass over the covering index. The hour is the first 13 characters of the stored time
/// ("2026-11-24 09"): lines of one hour arrive together, so only a change of hour costs a
/// map lookup and parsing. (SQLite's `GROUP BY strftime(...)` sorted a year's million lines
/// first, ~1 s.)
fn hourly(conn: &mut Db, start: NaiveDateTime, end: NaiveDateTime) -> AppResult<Vec<HourRow>> {
    use crate::store::schema::sale_items;
    // The stored time as text: SQLite keeps it so; PostgreSQL writes its TIMESTAMP in the
    // same "YYYY-MM-DD HH:MM:SS" form.
    let at = if conn.is_postgres() {
        "CAST(sold_at AS TEXT)"
    } else {
        "sold_at"
    };
    let rows = sale_items::table
        .filter(sale_items::sold_at.ge(start))
        .filter(sale_items::sold_at.lt(end))
        .filter(sale_items::refunded.eq(false))
        .select((
            diesel::dsl::sql::<diesel::sql_types::Text>(at),
            sale_items::line_total,
            sale_items::cost_total,
        ))
        .load_iter::<(String, i64, i64)>(conn)?;
    let mut hours: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    // The hour being summed; folded into `hours` when the next one starts, and at the end.
    let mut current: Option<(String, i64, i64)> = None;
    let mut fold = |done: Option<(String, i64, i64)>| {
        if let Some((hour, r, p)) = done {
            let e = hours.entry(hour).or_default();
            e.0 += r;
            e.1 += p;
        }
    };
    for row in rows {
        let (at, revenue, cost) = row?;
        let key = at.get(..13).unwrap_or(&at);
        if current.as_ref().is_none_or(|c| c.0 != key) {
            fold(current.replace((key.to_string(), 0, 0)));
        }
        if let Some(c) = &mut current {
            c.1 += revenue;
            c.2 += revenue - cost;
        }
    }
    fold(current);
    hours
        .into_iter()
        .map(|(hour, (revenue, profit))| {
            NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%d %H:%M:%S")
                .map(|hour| HourRow {
                    hour,
                    revenue,
                    profit,
                })
                .map_err(|e| {
                    AppError::from(diesel::result::Error::DeserializationError(Box::new(e)))
                })
        })
        .collect()
}

impl Period {
    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        let days = (self.to - self.from).num_days() + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period {
            from: to - chrono::Duration::days(days - 1),
            to,
        }
    }
}

impl App {
    /// The dashboard for a period. Cashiers see today only (the permission table lets them
    /// see the day's figures, not the reports).
    pub fn dashboard(&mut self, session: &Session, period: Period) -> AppResult<Dashboard> {
        let tz = self.time_zone();
        let today = crate::domain::debt::local_date(self.now(), tz);
        let full = crate::domain::permissions::allows(session.role, Action::ViewReports);
        today_only(session.role, period, today)?;
        // The current period's cost of goods comes from the hourly pass below; the previous
        // period's figures from the statistics (one sum, no grouping).
        let previous = if full {
            Some(Figures::of(&self.statistics(
                session,
                period.previous(),
                0,
            )?))
        } else {
            None
        };
        let (start, end) = period.utc_bounds(tz);
        self.read(session, Some(Action::ViewStatistics), |conn, actor| {
            today_only(actor.role, period, today)?;
            // Per UTC hour, then placed in local days and hours (any whole-hour zone).
            let hours = hourly(conn, start, end)?;
            let mut days: std::collections::BTreeMap<NaiveDate, (i64, i64)> = Default::default();
            let mut d = period.from;
            while d <= period.to {
                days.insert(d, (0, 0));
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
            let mut by_hour = vec![0i64; 24];
            let (sales_count, revenue, expenses) = totals(conn, period, start, end)?;
            let gross_profit: i64 = hours.iter().map(|h| h.profit).sum();
            let now = Statistics {
                sales_count,
                revenue,
                cogs: revenue - gross_profit,
                gross_profit,
                expenses,
                net_profit: gross_profit - expenses,
                top_products: Vec::new(),
            };
            for h in hours {
                let local = h.hour.and_utc().with_timezone(&tz);
                let e = days.entry(local.date_naive()).or_default();
                e.0 += h.revenue;
                e.1 += h.profit;
                by_hour[chrono::Timelike::hour(&local) as usize] += h.revenue;
            }
            let methods = super::payment_methods::load(conn)?;
            let by_method: Vec<(String, Option<i32>, i64)> = diesel::sql_query(conn.sql(
                "SELECT p.method AS method, p.channel_id AS channel,
                        CAST(SUM(p.amount - p.refunded) AS BIGINT) AS amount
                 FROM sale_payments p JOIN sales s ON s.id = p.sale_id
                 WHERE s.created_at >= ? AND s.created_at < ? AND p.amount > p.refunded
                 GROUP BY p.method, p.channel_id ORDER BY amount DESC",
            ))
            .bind::<Timestamp, _>(start)
            .bind::<Timestamp, _>(end)
            .load::<MethodRow>(conn)?
            .into_iter()
            .map(|r| (r.method, r.channel, r.amount))
            .collect();
            use crate::store::schema::refunds;
            let refunds: (i64, Option<i64>) = refunds::table
                .filter(refunds::created_at.ge(start))
                .filter(refunds::created_at.lt(end))
                .select((count_star(), sum_i64(refunds::amount)))
                .first(conn)?;
            Ok(Dashboard {
                refunds: (refunds.0, refunds.1.unwrap_or(0)),
                figures: Figures::of(&now),
                previous,
                by_day: days.into_iter().map(|(d, (r, p))| (d, r, p)).collect(),
                by_hour,
                by_method,
                methods,
            })
        })
    }
}

#[derive(QueryableByName)]
struct MethodRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    method: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    channel: Option<i32>,
    #[diesel(sql_type = BigInt)]
    amount: i64,
}
