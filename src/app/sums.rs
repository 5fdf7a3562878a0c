//! Per-product sums of the sale lines of a period, the one reader behind the statistics'
//! top products and cost of goods and the sales-by-product, top-20 and by-category reports;
//! and [`labels`], the products' names and categories for naming such sums.
//!
//! One pass over the covering index `sale_items_stats` (sale lines carry their sale's time
//! and refund flag), summed in memory by product id while the rows stream by. SQLite's own
//! `GROUP BY product_id` over the same rows sorts them first: on a year of a busy shop
//! (1 000 000 lines) that sort was most of the time (see BENCHMARKS.md).

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;

use super::AppResult;
use crate::domain::idmap::{IdMap, id_map};
use crate::store::schema::{products, sale_items};
use diesel::dsl::max;

/// One product's lines in the period (refunded sales left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ProductSum {
    pub product_id: i32,
    /// How many sale lines.
    pub lines: i64,
    /// Quantity in thousandths.
    pub quantity: i64,
    pub revenue: i64,
    pub cost: i64,
}

/// The period's per-product sums and their grand totals.
#[derive(Debug, Default)]
pub(crate) struct PeriodSums {
    /// Unordered; see [`PeriodSums::by_revenue`].
    pub products: Vec<ProductSum>,
    /// The cost of goods of all of them.
    pub cost: i64,
}

impl PeriodSums {
    /// Sums of the lines sold in [start, end) whose sale is not refunded.
    pub fn read(conn: &mut Db, start: NaiveDateTime, end: NaiveDateTime) -> AppResult<PeriodSums> {
        // Product ids are the table's row ids, dense from 1: a slot per id up to the
        // highest is one array index per line instead of a hash lookup (100 000 products
        // take 3 MB for the duration of the call). A sparse table falls back to a map.
        let max_id: Option<i32> = products::table.select(max(products::id)).first(conn)?;
        let max_id = max_id.unwrap_or(0).max(0) as usize;
        let count: i64 = products::table.count().get_result(conn)?;
        let dense = max_id <= 4 * (count.max(0) as usize) + 1024;
        let rows = sale_items::table
            .filter(sale_items::sold_at.ge(start))
            .filter(sale_items::sold_at.lt(end))
            .filter(sale_items::refunded.eq(false))
            .select((
                sale_items::product_id,
                sale_items::quantity,
                sale_items::line_total,
                sale_items::cost_total,
            ))
            .load_iter::<(i32, i64, i64, i64)>(conn)?;
        let mut slots: Vec<ProductSum> = Vec::new();
        let mut index: IdMap<usize> = id_map(0);
        let mut products: Vec<ProductSum> = Vec::new();
        if dense {
            slots = vec![ProductSum::default(); max_id + 1];
        } else {
            index = id_map(4096);
        }
        let mut cost = 0i64;
        for row in rows {
            let (product_id, quantity, line_total, cost_total) = row?;
            cost += cost_total;
            let p = match usize::try_from(product_id) {
                Ok(i) if i < slots.len() => &mut slots[i],
                _ => {
                    let i = *index.entry(product_id).or_insert_with(|| {
                        products.push(ProductSum::default());
                        products.len() - 1
                    });
                    &mut products[i]
                }
            };
            p.product_id = product_id;
            p.lines += 1;
            p.quantity += quantity;
            p.revenue += line_total;
            p.cost += cost_total;
        }
        products.extend(slots.into_iter().filter(|p| p.lines > 0));
        Ok(PeriodSums { products, cost })
    }

    /// The `n` products with the highest revenue, highest first (ties by product id); all of
    /// them for `n >= products.len()`.
    pub fn by_revenue(mut self, n: usize) -> Vec<ProductSum> {
        let order = |a: &ProductSum, b: &ProductSum| {
            b.revenue
                .cmp(&a.revenue)
                .then(a.product_id.cmp(&b.product_id))
        };
        if n == 0 {
            return Vec::new();
        }
        if n < self.products.len() {
            self.products.select_nth_unstable_by(n - 1, order);
            self.products.truncate(n);
        }
        self.products.sort_unstable_by(order);
        self.products
    }
}

/// A product's name and category, for naming the sums.
#[derive(Clone, Debug, Default)]
pub(crate) struct ProductLabel {
    pub name: String,
    pub category_id: Option<i32>,
}

/// Names and categories of the given products: all products in one read when there are many
/// (a year's sums name most of the catalog), else in chunks below SQLite's bound-variable
/// limit.
pub(crate) fn labels(conn: &mut Db, ids: &[i32]) -> AppResult<IdMap<ProductLabel>> {
    let mut out: IdMap<ProductLabel> = id_map(ids.len());
    let query = || products::table.select((products::id, products::name, products::category_id));
    let mut put = |rows: Vec<(i32, String, Option<i32>)>| {
        for (id, name, category_id) in rows {
            out.insert(id, ProductLabel { name, category_id });
        }
    };
    if ids.len() > 5_000 {
        put(query().load(conn)?);
    } else {
        for chunk in ids.chunks(500) {
            put(query().filter(products::id.eq_any(chunk)).load(conn)?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(product_id: i32, revenue: i64) -> ProductSum {
        ProductSum {
            product_id,
            revenue,
            ..ProductSum::default()
        }
    }

    #[test]
    fn top_by_revenue_then_id() {
        let sums = || PeriodSums {
            products: vec![sum(5, 10), sum(2, 30), sum(9, 30), sum(1, 5), sum(3, 20)],
            cost: 0,
        };
        let ids = |v: Vec<ProductSum>| v.iter().map(|p| p.product_id).collect::<Vec<_>>();
        assert_eq!(ids(sums().by_revenue(3)), vec![2, 9, 3]);
        assert_eq!(ids(sums().by_revenue(1)), vec![2]);
        assert_eq!(ids(sums().by_revenue(10)), vec![2, 9, 3, 5, 1]);
        assert!(sums().by_revenue(0).is_empty());
    }
}
