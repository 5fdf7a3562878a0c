//! Statistics for a period: revenue, cost of goods sold, gross profit, expenses, net profit
//! and top products. Refunded sales are left out entirely. Periods are calendar dates of the
//! shop's time zone, both ends included.

use crate::store::sum_i64;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Timestamp};
use serde::Serialize;

use super::{App, AppError, AppResult, Session};
use crate::domain::Action;
use crate::store::schema::{expenses, products, sales};

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

/// One product's sums in the period, and the period's cost of goods (the same on every row).
#[derive(QueryableByName)]
struct TopRow {
    #[diesel(sql_type = Integer)]
    product_id: i32,
    #[diesel(sql_type = BigInt)]
    quantity: i64,
    #[diesel(sql_type = BigInt)]
    revenue: i64,
    #[diesel(sql_type = BigInt)]
    cogs: i64,
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
        self.read(session, Some(Action::ViewStatistics), |conn, _| {
            let (sales_count, revenue): (i64, Option<i64>) = sales::table
                .filter(sales::created_at.ge(start))
                .filter(sales::created_at.lt(end))
                .filter(sales::refunded_at.is_null())
                .select((count_star(), sum_i64(sales::total)))
                .first(conn)?;
            let spent: Option<i64> = expenses::table
                .filter(expenses::spent_on.ge(period.from))
                .filter(expenses::spent_on.le(period.to))
                .select(sum_i64(expenses::amount))
                .first(conn)?;
            // One pass over the covering index `sale_items_stats` (sale lines carry their
            // sale's time and refund flag): per-product sums for the top list, and the cost
            // of goods of all products as a window over the same groups.
            let rows: Vec<TopRow> = diesel::sql_query(
                "SELECT product_id, SUM(quantity) AS quantity, SUM(line_total) AS revenue,
                        SUM(SUM(cost_total)) OVER () AS cogs
                 FROM sale_items
                 WHERE sold_at >= ? AND sold_at < ? AND refunded = 0
                 GROUP BY product_id
                 ORDER BY revenue DESC, product_id
                 LIMIT ?",
            )
            .bind::<Timestamp, _>(start)
            .bind::<Timestamp, _>(end)
            // At least one row, which carries the cost of goods.
            .bind::<BigInt, _>(top.clamp(1, 1000))
            .load(conn)?;
            let cogs = rows.first().map(|r| r.cogs).unwrap_or(0);
            let rows: Vec<TopRow> = rows.into_iter().take(top.clamp(0, 1000) as usize).collect();
            let ids: Vec<i32> = rows.iter().map(|r| r.product_id).collect();
            let names: std::collections::HashMap<i32, String> = products::table
                .filter(products::id.eq_any(&ids))
                .select((products::id, products::name))
                .load::<(i32, String)>(conn)?
                .into_iter()
                .collect();
            let revenue = revenue.unwrap_or(0);
            let spent = spent.unwrap_or(0);
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
                        name: names.get(&r.product_id).cloned().unwrap_or_default(),
                        quantity: r.quantity,
                        revenue: r.revenue,
                    })
                    .collect(),
            })
        })
    }
}
