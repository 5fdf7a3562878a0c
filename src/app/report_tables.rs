//! The reports (Reports tab, Excel/PDF/CSV export, `kassa report`): each one a table of typed
//! cells computed by one use case, so the screen, the files and the command line show the same
//! figures. Money stays integer tiyin in the cells; exporters decide how to show it.
//!
//! Sales figures read sale lines of sales not refunded (a refunded sale is left out of every
//! figure, like the statistics), in the period's calendar dates in the shop's time zone.

use crate::store::db::prelude::*;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
use serde::Serialize;

use super::reports::Period;
use super::sums::{PeriodSums, labels};
use super::{App, AppError, AppResult, Session};
use crate::domain::debt;
use crate::domain::idmap::{IdMap, id_map};
use crate::domain::{Action, Money};
use crate::i18n::{Lang, T};
use crate::store::models::Client;
use crate::store::schema::clients;

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ReportKind {
    SalesByProduct,
    SalesByCategory,
    SalesByCashier,
    SalesByPayment,
    TopProducts,
    SlowProducts,
    StockValuation,
    Debts,
    ExpensesByCategory,
    Shifts,
    PurchasesBySupplier,
    SupplierDebts,
    VatByRate,
    /// One supplier's statement ([`App::supplier_statement_report`]): not in [`Self::ALL`],
    /// since it names a supplier.
    SupplierStatement,
}

impl ReportKind {
    pub const ALL: [ReportKind; 13] = [
        ReportKind::SalesByProduct,
        ReportKind::SalesByCategory,
        ReportKind::SalesByCashier,
        ReportKind::SalesByPayment,
        ReportKind::TopProducts,
        ReportKind::SlowProducts,
        ReportKind::StockValuation,
        ReportKind::Debts,
        ReportKind::ExpensesByCategory,
        ReportKind::Shifts,
        ReportKind::PurchasesBySupplier,
        ReportKind::SupplierDebts,
        ReportKind::VatByRate,
    ];

    /// The name used on the command line and in file names.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::SalesByProduct => "sales-by-product",
            ReportKind::SalesByCategory => "sales-by-category",
            ReportKind::SalesByCashier => "sales-by-cashier",
            ReportKind::SalesByPayment => "sales-by-payment",
            ReportKind::TopProducts => "top-products",
            ReportKind::SlowProducts => "slow-products",
            ReportKind::StockValuation => "stock-valuation",
            ReportKind::Debts => "debts",
            ReportKind::ExpensesByCategory => "expenses-by-category",
            ReportKind::Shifts => "shifts",
            ReportKind::PurchasesBySupplier => "purchases-by-supplier",
            ReportKind::SupplierDebts => "supplier-debts",
            ReportKind::VatByRate => "vat-by-rate",
            ReportKind::SupplierStatement => "supplier-statement",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    pub fn title(self) -> T {
        match self {
            ReportKind::SalesByProduct => T::RepSalesByProduct,
            ReportKind::SalesByCategory => T::RepSalesByCategory,
            ReportKind::SalesByCashier => T::RepSalesByCashier,
            ReportKind::SalesByPayment => T::RepSalesByPayment,
            ReportKind::TopProducts => T::RepTopProducts,
            ReportKind::SlowProducts => T::RepSlowProducts,
            ReportKind::StockValuation => T::RepStockValuation,
            ReportKind::Debts => T::RepDebts,
            ReportKind::ExpensesByCategory => T::RepExpensesByCategory,
            ReportKind::Shifts => T::RepShifts,
            ReportKind::PurchasesBySupplier => T::RepPurchasesBySupplier,
            ReportKind::SupplierDebts => T::RepSupplierDebts,
            ReportKind::VatByRate => T::RepVatByRate,
            ReportKind::SupplierStatement => T::RepSupplierStatement,
        }
    }

    /// Whether the report looks at a period (stock valuation and debts are as of now).
    pub fn has_period(self) -> bool {
        !matches!(
            self,
            ReportKind::StockValuation
                | ReportKind::Debts
                | ReportKind::SupplierDebts
                | ReportKind::SupplierStatement
        )
    }
}

/// One cell. Money in tiyin, quantities in thousandths.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Cell {
    Text(String),
    Money(i64),
    Qty(i64),
    Int(i64),
    Date(Option<NaiveDate>),
    /// A moment in the shop's time zone (already converted from UTC).
    Time(Option<NaiveDateTime>),
}

impl Cell {
    /// The cell as plain text: money as [`Money::format_number`], quantities with a dot.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Money(m) => Money(*m).format_number(),
            Cell::Qty(q) => crate::domain::Quantity(*q).to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Date(Some(d)) => d.format("%d.%m.%Y").to_string(),
            Cell::Time(Some(t)) => t.format(crate::i18n::TIME_FORMAT).to_string(),
            Cell::Date(None) | Cell::Time(None) => "—".to_string(),
        }
    }

    /// The cell as the screen and the PDF show it, in one number format for the whole
    /// table: thousands grouped, money with two decimals after a comma when any amount of
    /// the table has tiyin (`tiyin`, from [`ReportTable::has_tiyin`]) and whole so'm
    /// otherwise, quantities with the language's decimal mark.
    pub fn show(&self, lang: Lang, tiyin: bool) -> String {
        match self {
            Cell::Money(m) => {
                let mut out = Money(*m).format_number();
                if tiyin && *m % 100 == 0 {
                    out.push_str(",00");
                }
                out
            }
            Cell::Qty(q) => crate::i18n::quantity_number(lang, crate::domain::Quantity(*q)),
            Cell::Int(n) => {
                let digits = n.unsigned_abs().to_string();
                let mut out = String::from(if *n < 0 { "-" } else { "" });
                crate::domain::money::push_grouped(&mut out, &digits);
                out
            }
            other => other.display(),
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Cell::Money(_) | Cell::Qty(_) | Cell::Int(_))
    }
}

/// A computed report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTable {
    pub kind: ReportKind,
    /// `None` for reports as of now.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub columns: Vec<T>,
    pub rows: Vec<Vec<Cell>>,
    /// The totals row, where the report has one.
    pub total: Option<Vec<Cell>>,
    /// Whom the report is about, when it is about one (a supplier's statement: its name).
    pub subject: Option<String>,
    /// Whether amounts are shown with tiyin ([`ReportTable::has_tiyin`], for [`Cell::show`]).
    pub tiyin: bool,
}

impl ReportTable {
    /// Whether any amount of the table (rows or totals) has tiyin: then every amount is shown
    /// with two decimals, else every amount in whole so'm.
    pub fn has_tiyin(&self) -> bool {
        self.rows
            .iter()
            .chain(self.total.iter())
            .flatten()
            .any(|c| matches!(c, Cell::Money(m) if m % 100 != 0))
    }

    /// The sum of a money column over the rows.
    pub fn money_sum(&self, col: usize) -> i64 {
        self.rows
            .iter()
            .map(|r| match r.get(col) {
                Some(Cell::Money(m)) => *m,
                _ => 0,
            })
            .sum()
    }
}

/// One product's sums, named.
struct ProductSums {
    name: String,
    quantity: i64,
    revenue: i64,
    cost: i64,
}

#[derive(QueryableByName)]
struct NamedSums {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = BigInt)]
    amount: i64,
    #[diesel(sql_type = BigInt)]
    cost: i64,
}

#[derive(QueryableByName)]
struct SlowRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    stock: i64,
    #[diesel(sql_type = BigInt)]
    sold: i64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_sold: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct StockRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    category: String,
    #[diesel(sql_type = BigInt)]
    stock: i64,
    #[diesel(sql_type = BigInt)]
    purchase_price: i64,
    #[diesel(sql_type = BigInt)]
    sale_price: i64,
}

/// One supplier's supplies and their cost over a period, and the payments made in it.
#[derive(QueryableByName)]
struct SupplierPeriod {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = BigInt)]
    supplies: i64,
    #[diesel(sql_type = BigInt)]
    purchased: i64,
    #[diesel(sql_type = BigInt)]
    returned: i64,
    #[diesel(sql_type = BigInt)]
    paid: i64,
}

/// Every supplier's figures over [start, end): supplies by when received, returns by when
/// sent back, payments by when made. (What is owed now is `suppliers::views`.)
fn supplier_period(
    conn: &mut Db,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<Vec<SupplierPeriod>> {
    Ok(diesel::sql_query(conn.sql(
        "SELECT s.id AS id,
                (SELECT COUNT(*) FROM supplies u WHERE u.supplier_id = s.id
                   AND u.created_at >= ?1 AND u.created_at < ?2) AS supplies,
                CAST(COALESCE((SELECT SUM(u.total_cost) FROM supplies u WHERE u.supplier_id = s.id
                   AND u.created_at >= ?1 AND u.created_at < ?2), 0) AS BIGINT) AS purchased,
                CAST(COALESCE((SELECT SUM(r.total_cost) FROM supplier_returns r WHERE r.supplier_id = s.id
                   AND r.created_at >= ?1 AND r.created_at < ?2), 0) AS BIGINT) AS returned,
                CAST(COALESCE((SELECT SUM(p.amount) FROM supplier_payments p WHERE p.supplier_id = s.id
                   AND p.created_at >= ?1 AND p.created_at < ?2), 0) AS BIGINT) AS paid
         FROM suppliers s",
    ))
    .bind::<Timestamp, _>(start)
    .bind::<Timestamp, _>(end)
    .load(conn)?)
}

/// Every supplier (archived ones too) with what was received, paid and is owed now.
fn supplier_views(conn: &mut Db) -> AppResult<Vec<super::SupplierView>> {
    use crate::store::models::Supplier;
    use crate::store::schema::suppliers;
    let all = suppliers::table
        .select(columns_of::<Supplier>())
        .load(conn)?;
    super::suppliers::views(conn, all)
}

#[derive(QueryableByName)]
struct ShiftRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    cashier: String,
    #[diesel(sql_type = Timestamp)]
    opened_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    closed_at: Option<NaiveDateTime>,
    #[diesel(sql_type = BigInt)]
    opening_cash: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    expected_cash: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    counted_cash: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    difference: Option<i64>,
}

/// The value of a quantity (thousandths) at a unit price, rounded once.
fn value(quantity: i64, price: i64) -> i64 {
    let exact = i128::from(quantity) * i128::from(price);
    crate::domain::rounding::div_round(exact, 1000).unwrap_or(i64::MAX)
}

/// Every product sold in the period, highest revenue first, named.
fn product_sums(
    conn: &mut Db,
    start: NaiveDateTime,
    end: NaiveDateTime,
    top: usize,
) -> AppResult<Vec<ProductSums>> {
    let sums = PeriodSums::read(conn, start, end)?.by_revenue(top);
    let ids: Vec<i32> = sums.iter().map(|p| p.product_id).collect();
    let mut names = labels(conn, &ids)?;
    Ok(sums
        .into_iter()
        .map(|p| ProductSums {
            name: names
                .remove(&p.product_id)
                .map(|l| l.name)
                .unwrap_or_default(),
            quantity: p.quantity,
            revenue: p.revenue,
            cost: p.cost,
        })
        .collect())
}

/// Lines, revenue and cost of the period by product category (products without one under
/// "—"), highest revenue first.
fn category_sums(
    conn: &mut Db,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<Vec<NamedSums>> {
    use crate::store::schema::categories;
    let sums = PeriodSums::read(conn, start, end)?.products;
    let ids: Vec<i32> = sums.iter().map(|p| p.product_id).collect();
    let labels = labels(conn, &ids)?;
    let mut by_category: IdMap<(i64, i64, i64)> = id_map(64);
    let mut none = (0i64, 0i64, 0i64);
    for p in &sums {
        let e = match labels.get(&p.product_id).and_then(|l| l.category_id) {
            Some(c) => by_category.entry(c).or_default(),
            None => &mut none,
        };
        e.0 += p.lines;
        e.1 += p.revenue;
        e.2 += p.cost;
    }
    let names: IdMap<String> = categories::table
        .select((categories::id, categories::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    let mut rows: Vec<NamedSums> = by_category
        .into_iter()
        .map(|(id, (count, amount, cost))| NamedSums {
            name: names.get(&id).cloned().unwrap_or_else(|| "—".to_string()),
            count,
            amount,
            cost,
        })
        .collect();
    if none.0 > 0 {
        rows.push(NamedSums {
            name: "—".to_string(),
            count: none.0,
            amount: none.1,
            cost: none.2,
        });
    }
    rows.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.name.cmp(&b.name)));
    Ok(rows)
}

/// Rows of (name, count, amount, cost) from a query over [start, end).
fn named_sums(
    conn: &mut Db,
    sql: &str,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<Vec<NamedSums>> {
    Ok(diesel::sql_query(conn.sql(sql))
        .bind::<Timestamp, _>(start)
        .bind::<Timestamp, _>(end)
        .load(conn)?)
}

fn sums_table(
    kind: ReportKind,
    rows: Vec<NamedSums>,
    with_cost: bool,
) -> (Vec<T>, Vec<Vec<Cell>>, Vec<Cell>) {
    let (mut count, mut amount, mut cost) = (0, 0, 0);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        count += r.count;
        amount += r.amount;
        cost += r.cost;
        let mut row = vec![
            Cell::Text(r.name),
            Cell::Int(r.count),
            Cell::Money(r.amount),
        ];
        if with_cost {
            row.push(Cell::Money(r.cost));
            row.push(Cell::Money(r.amount - r.cost));
        } else if kind == ReportKind::SalesByCashier {
            row.push(Cell::Money(average(r.amount, r.count)));
        }
        out.push(row);
    }
    let (first, count_col) = match kind {
        ReportKind::SalesByCategory => (T::Category, T::RepLines),
        ReportKind::SalesByCashier => (T::Cashier, T::SalesCount),
        ReportKind::SalesByPayment => (T::Method, T::SalesCount),
        _ => (T::Category, T::RepCount),
    };
    // Expenses are money spent, not takings.
    let amount_col = if kind == ReportKind::ExpensesByCategory {
        T::ColSum
    } else {
        T::Revenue
    };
    let mut columns = vec![first, count_col, amount_col];
    let mut total = vec![
        Cell::Text(String::new()),
        Cell::Int(count),
        Cell::Money(amount),
    ];
    if with_cost {
        columns.extend([T::Cogs, T::GrossProfit]);
        total.extend([Cell::Money(cost), Cell::Money(amount - cost)]);
    } else if kind == ReportKind::SalesByCashier {
        columns.push(T::RepAverage);
        total.push(Cell::Money(average(amount, count)));
    }
    (columns, out, total)
}

impl App {
    /// Computes a report. Managers and admins; a cashier is refused (they see today's figures
    /// in the statistics).
    pub fn report(
        &mut self,
        session: &Session,
        kind: ReportKind,
        period: Period,
        lang: Lang,
    ) -> AppResult<ReportTable> {
        if period.to < period.from {
            return Err(AppError::invalid("period", "the end is before the start"));
        }
        let tz = self.time_zone();
        let today = debt::local_date(self.now(), tz);
        self.read(session, Some(Action::ViewReports), |conn, _| {
            compute(conn, kind, period, lang, tz, today)
        })
    }

    /// A report for `kassa report`, run by someone with shell access to the database file
    /// (like the other maintenance commands, it has no employee session).
    pub fn report_for_cli(
        &mut self,
        kind: ReportKind,
        period: Period,
        lang: Lang,
    ) -> AppResult<ReportTable> {
        if period.to < period.from {
            return Err(AppError::invalid("period", "the end is before the start"));
        }
        let tz = self.time_zone();
        let today = debt::local_date(self.now(), tz);
        self.conn
            .transaction(|conn| compute(conn, kind, period, lang, tz, today))
    }
}

fn compute(
    conn: &mut Db,
    kind: ReportKind,
    period: Period,
    lang: Lang,
    tz: chrono_tz::Tz,
    today: NaiveDate,
) -> AppResult<ReportTable> {
    let (start, end) = period.utc_bounds(tz);
    let mut total = None;
    let (columns, rows) = match kind {
        ReportKind::SupplierStatement => {
            return Err(AppError::invalid(
                "report",
                "a supplier's statement names the supplier",
            ));
        }
        ReportKind::SalesByProduct | ReportKind::TopProducts => {
            let top = if kind == ReportKind::TopProducts {
                20
            } else {
                usize::MAX
            };
            let sums = product_sums(conn, start, end, top)?;
            let (mut q, mut rev, mut cost) = (0, 0, 0);
            let rows = sums
                .into_iter()
                .map(|r| {
                    q += r.quantity;
                    rev += r.revenue;
                    cost += r.cost;
                    vec![
                        Cell::Text(r.name),
                        Cell::Qty(r.quantity),
                        Cell::Money(r.revenue),
                        Cell::Money(r.cost),
                        Cell::Money(r.revenue - r.cost),
                    ]
                })
                .collect::<Vec<_>>();
            if kind == ReportKind::SalesByProduct {
                // No quantity total: pieces and kilograms do not add up.
                let _ = q;
                total = Some(vec![
                    Cell::Text(String::new()),
                    Cell::Text(String::new()),
                    Cell::Money(rev),
                    Cell::Money(cost),
                    Cell::Money(rev - cost),
                ]);
            }
            (
                vec![T::ColName, T::ColQty, T::Revenue, T::Cogs, T::GrossProfit],
                rows,
            )
        }
        ReportKind::SalesByCategory => {
            let sums = category_sums(conn, start, end)?;
            let (c, r, t) = sums_table(kind, sums, true);
            total = Some(t);
            (c, r)
        }
        ReportKind::SalesByCashier => {
            let sums = named_sums(
                conn,
                "SELECT e.full_name AS name, COUNT(*) AS count,
                        CAST(SUM(s.total - s.refunded_amount) AS BIGINT) AS amount,
                        CAST(0 AS BIGINT) AS cost
                 FROM sales s JOIN employees e ON e.id = s.employee_id
                 WHERE s.created_at >= ? AND s.created_at < ? AND s.refunded_at IS NULL
                 GROUP BY s.employee_id, e.full_name ORDER BY amount DESC",
                start,
                end,
            )?;
            let (c, r, t) = sums_table(kind, sums, false);
            total = Some(t);
            (c, r)
        }
        ReportKind::SalesByPayment => {
            let sums = named_sums(
                conn,
                "SELECT p.method || COALESCE(':' || CAST(p.channel_id AS TEXT), '') AS name,
                        COUNT(*) AS count, CAST(SUM(p.amount - p.refunded) AS BIGINT) AS amount,
                        CAST(0 AS BIGINT) AS cost
                 FROM sale_payments p JOIN sales s ON s.id = p.sale_id
                 WHERE s.created_at >= ? AND s.created_at < ? AND p.amount > p.refunded
                 GROUP BY p.method, p.channel_id ORDER BY amount DESC",
                start,
                end,
            )?;
            // Each card method by its own name ("Uzcard", "Click").
            let methods = super::payment_methods::load(conn)?;
            let sums = sums
                .into_iter()
                .map(|mut r| {
                    let (method, channel) = match r.name.split_once(':') {
                        Some((m, c)) => (m.to_string(), c.parse().ok()),
                        None => (r.name.clone(), None),
                    };
                    r.name = methods.label(lang, &method, channel);
                    r
                })
                .collect();
            let (c, r, mut t) = sums_table(kind, sums, false);
            // A sale split over two methods is in both rows but one sale in the total.
            use crate::store::schema::{sale_payments, sales};
            let sales: i64 = sales::table
                .filter(sales::created_at.ge(start))
                .filter(sales::created_at.lt(end))
                .filter(sales::refunded_at.is_null())
                .filter(diesel::dsl::exists(
                    sale_payments::table
                        .filter(sale_payments::sale_id.eq(sales::id))
                        .filter(sale_payments::amount.gt(sale_payments::refunded)),
                ))
                .count()
                .get_result(conn)?;
            t[1] = Cell::Int(sales);
            total = Some(t);
            (c, r)
        }
        ReportKind::SlowProducts => {
            let slow: Vec<SlowRow> = diesel::sql_query(conn.sql(
                "SELECT p.name AS name, p.stock AS stock, CAST(COALESCE(g.sold, 0) AS BIGINT) AS sold,
                        (SELECT MAX(i.sold_at) FROM sale_items i INDEXED BY sale_items_last_sold
                           WHERE i.product_id = p.id AND i.refunded = FALSE) AS last_sold
                 FROM products p
                 LEFT JOIN (SELECT product_id, SUM(quantity) AS sold
                            FROM sale_items
                            WHERE sold_at >= ? AND sold_at < ? AND refunded = FALSE
                            GROUP BY product_id) g ON g.product_id = p.id
                 WHERE p.archived = FALSE AND p.stock > 0
                 ORDER BY sold, last_sold NULLS FIRST, p.name
                 LIMIT 50",
            ))
            .bind::<Timestamp, _>(start)
            .bind::<Timestamp, _>(end)
            .load(conn)?;
            let rows = slow
                .into_iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.name),
                        Cell::Qty(r.stock),
                        Cell::Qty(r.sold),
                        Cell::Date(
                            r.last_sold
                                .map(|t| t.and_utc().with_timezone(&tz).date_naive()),
                        ),
                    ]
                })
                .collect();
            (
                vec![T::ColName, T::ColStock, T::RepSold, T::RepLastSold],
                rows,
            )
        }
        ReportKind::StockValuation => {
            let stock: Vec<StockRow> = diesel::sql_query(
                "SELECT p.name AS name, COALESCE(c.name, '—') AS category, p.stock AS stock,
                        p.purchase_price AS purchase_price, p.sale_price AS sale_price
                 FROM products p LEFT JOIN categories c ON c.id = p.category_id
                 WHERE p.archived = FALSE AND p.stock <> 0
                 ORDER BY p.stock * p.purchase_price DESC, p.name",
            )
            .load(conn)?;
            let (mut at_cost, mut at_retail) = (0i64, 0i64);
            let rows = stock
                .into_iter()
                .map(|r| {
                    let cost = value(r.stock, r.purchase_price);
                    let retail = value(r.stock, r.sale_price);
                    at_cost = at_cost.saturating_add(cost);
                    at_retail = at_retail.saturating_add(retail);
                    vec![
                        Cell::Text(r.name),
                        Cell::Text(r.category),
                        Cell::Qty(r.stock),
                        Cell::Money(r.purchase_price),
                        Cell::Money(r.sale_price),
                        Cell::Money(cost),
                        Cell::Money(retail),
                    ]
                })
                .collect();
            total = Some(vec![
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Money(at_cost),
                Cell::Money(at_retail),
            ]);
            (
                vec![
                    T::ColName,
                    T::Category,
                    T::ColStock,
                    T::PurchasePrice,
                    T::ColPrice,
                    T::RepValueCost,
                    T::RepValueRetail,
                ],
                rows,
            )
        }
        ReportKind::Debts => {
            let live: Vec<Client> = clients::table
                .filter(clients::deleted_at.is_null())
                .select(columns_of::<Client>())
                .load(conn)?;
            // Each open amount (what is left of the credits due on one date, payments
            // settling the earliest date first) goes into its own ageing bucket.
            let mut list: Vec<(i64, i64, Vec<Cell>)> = Vec::new();
            let mut totals = [0i64; 5];
            let mut owed_total = 0i64;
            for c in super::clients::views(conn, live)? {
                if c.balance >= 0 {
                    continue;
                }
                let mut buckets = [0i64; 5];
                for o in &c.open {
                    let late = o.due_date.map_or(0, |d| (today - d).num_days()).max(0);
                    buckets[ageing_bucket(late)] += o.amount.0;
                }
                let overdue_days = c.due_date.map_or(0, |d| (today - d).num_days()).max(0);
                let owed = -c.balance;
                owed_total += owed;
                for (t, b) in totals.iter_mut().zip(buckets) {
                    *t += b;
                }
                let mut row = vec![
                    Cell::Text(c.full_name),
                    Cell::Text(crate::domain::phone::display(&c.phone)),
                    Cell::Money(owed),
                    Cell::Date(c.due_date),
                    Cell::Int(overdue_days),
                ];
                row.extend(buckets.iter().map(|b| Cell::Money(*b)));
                list.push((overdue_days, owed, row));
            }
            // Overdue first (longest first), then the largest debts.
            list.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
            let mut sum_row = vec![
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Money(owed_total),
                Cell::Date(None),
                Cell::Text(String::new()),
            ];
            sum_row.extend(totals.iter().map(|b| Cell::Money(*b)));
            total = Some(sum_row);
            (
                vec![
                    T::ColName,
                    T::Phone,
                    T::RepOwed,
                    T::DueDateShort,
                    T::RepDaysOverdue,
                    T::RepNotYetDue,
                    T::RepLate1To30,
                    T::RepLate31To60,
                    T::RepLate61To90,
                    T::RepLateOver90,
                ],
                list.into_iter().map(|(_, _, r)| r).collect(),
            )
        }
        ReportKind::ExpensesByCategory => {
            let sums: Vec<NamedSums> = diesel::sql_query(conn.sql(
                "SELECT c.name AS name, COUNT(*) AS count, CAST(SUM(e.amount) AS BIGINT) AS amount,
                        CAST(0 AS BIGINT) AS cost
                 FROM expenses e JOIN expense_categories c ON c.id = e.category_id
                 WHERE e.spent_on >= ? AND e.spent_on <= ?
                 GROUP BY e.category_id, c.name ORDER BY amount DESC",
            ))
            .bind::<diesel::sql_types::Date, _>(period.from)
            .bind::<diesel::sql_types::Date, _>(period.to)
            .load(conn)?;
            let (c, r, t) = sums_table(kind, sums, false);
            total = Some(t);
            (c, r)
        }
        ReportKind::Shifts => {
            let shifts: Vec<ShiftRow> = diesel::sql_query(conn.sql(
                "SELECT s.id AS id, e.full_name AS cashier, s.opened_at AS opened_at,
                        s.closed_at AS closed_at, s.opening_cash AS opening_cash,
                        s.expected_cash AS expected_cash, s.counted_cash AS counted_cash,
                        s.difference AS difference
                 FROM shifts s JOIN employees e ON e.id = s.employee_id
                 WHERE s.opened_at >= ? AND s.opened_at < ?
                 ORDER BY s.id DESC",
            ))
            .bind::<Timestamp, _>(start)
            .bind::<Timestamp, _>(end)
            .load(conn)?;
            let local = |t: NaiveDateTime| t.and_utc().with_timezone(&tz).naive_local();
            let mut diff_sum = 0;
            let rows = shifts
                .into_iter()
                .map(|s| {
                    diff_sum += s.difference.unwrap_or(0);
                    let money = |m: Option<i64>| match m {
                        Some(m) => Cell::Money(m),
                        None => Cell::Text("—".into()),
                    };
                    vec![
                        Cell::Int(i64::from(s.id)),
                        Cell::Text(s.cashier),
                        Cell::Time(Some(local(s.opened_at))),
                        Cell::Time(s.closed_at.map(local)),
                        Cell::Money(s.opening_cash),
                        money(s.expected_cash),
                        money(s.counted_cash),
                        money(s.difference),
                    ]
                })
                .collect();
            total = Some(vec![
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Money(diff_sum),
            ]);
            (
                vec![
                    T::ColShift,
                    T::Cashier,
                    T::RepOpened,
                    T::RepClosed,
                    T::Opening,
                    T::Expected,
                    T::Counted,
                    T::Difference,
                ],
                rows,
            )
        }
        ReportKind::PurchasesBySupplier => {
            let now: IdMap<(String, i64)> = supplier_views(conn)?
                .into_iter()
                .map(|v| (v.supplier.id, (v.supplier.name, v.owed)))
                .collect();
            let mut list: Vec<(String, i64, SupplierPeriod)> = supplier_period(conn, start, end)?
                .into_iter()
                .filter(|r| r.supplies > 0 || r.paid > 0 || r.returned > 0)
                .filter_map(|r| {
                    let (name, owed) = now.get(&r.id)?.clone();
                    Some((name, owed, r))
                })
                .collect();
            list.sort_by(|a, b| b.2.purchased.cmp(&a.2.purchased).then(a.0.cmp(&b.0)));
            let (mut n, mut bought, mut back, mut paid, mut owed) = (0, 0, 0, 0, 0);
            let rows = list
                .into_iter()
                .map(|(name, owed_now, r)| {
                    n += r.supplies;
                    bought += r.purchased;
                    back += r.returned;
                    paid += r.paid;
                    owed += owed_now;
                    vec![
                        Cell::Text(name),
                        Cell::Int(r.supplies),
                        Cell::Money(r.purchased),
                        Cell::Money(r.returned),
                        Cell::Money(r.paid),
                        Cell::Money(owed_now),
                    ]
                })
                .collect();
            total = Some(vec![
                Cell::Text(String::new()),
                Cell::Int(n),
                Cell::Money(bought),
                Cell::Money(back),
                Cell::Money(paid),
                Cell::Money(owed),
            ]);
            (
                vec![
                    T::Supplier,
                    T::RepSupplies,
                    T::Purchased,
                    T::Returned,
                    T::RepPaidInPeriod,
                    T::RepOwedNow,
                ],
                rows,
            )
        }
        ReportKind::VatByRate => {
            let rows = super::fiscal::vat_by_rate(conn, Some((start, end)), None)?;
            let (mut lines, mut amount, mut vat) = (0, 0, 0);
            let out = rows
                .into_iter()
                .map(|r| {
                    lines += r.lines;
                    amount += r.amount;
                    vat += r.vat;
                    vec![
                        Cell::Text(r.label(lang)),
                        Cell::Int(r.lines),
                        Cell::Money(r.amount),
                        Cell::Money(r.vat),
                    ]
                })
                .collect();
            total = Some(vec![
                Cell::Text(String::new()),
                Cell::Int(lines),
                Cell::Money(amount),
                Cell::Money(vat),
            ]);
            (vec![T::VatRate, T::RepLines, T::ColSum, T::VatAmount], out)
        }
        ReportKind::SupplierDebts => {
            let mut list: Vec<super::SupplierView> = supplier_views(conn)?
                .into_iter()
                .filter(|r| r.owed != 0)
                .collect();
            list.sort_by(|a, b| {
                b.owed
                    .cmp(&a.owed)
                    .then(a.supplier.name.cmp(&b.supplier.name))
            });
            let local = |t: NaiveDateTime| t.and_utc().with_timezone(&tz).date_naive();
            let (mut opening, mut bought, mut back, mut paid, mut owed) = (0, 0, 0, 0, 0);
            let rows = list
                .into_iter()
                .map(|r| {
                    opening += r.supplier.opening_balance;
                    bought += r.purchased;
                    back += r.returned;
                    paid += r.paid;
                    owed += r.owed;
                    vec![
                        Cell::Text(r.supplier.name),
                        Cell::Text(crate::domain::phone::display(&r.supplier.phone)),
                        Cell::Money(r.supplier.opening_balance),
                        Cell::Money(r.purchased),
                        Cell::Money(r.returned),
                        Cell::Money(r.paid),
                        Cell::Money(r.owed),
                        Cell::Date(r.last_supply.map(local)),
                    ]
                })
                .collect();
            total = Some(vec![
                Cell::Text(String::new()),
                Cell::Text(String::new()),
                Cell::Money(opening),
                Cell::Money(bought),
                Cell::Money(back),
                Cell::Money(paid),
                Cell::Money(owed),
                Cell::Date(None),
            ]);
            (
                vec![
                    T::Supplier,
                    T::Phone,
                    T::OpeningBalance,
                    T::Purchased,
                    T::Returned,
                    T::PaidOut,
                    T::WeOwe,
                    T::LastSupply,
                ],
                rows,
            )
        }
    };
    let mut table = ReportTable {
        kind,
        period: kind.has_period().then_some((period.from, period.to)),
        columns,
        rows,
        total,
        subject: None,
        tiyin: false,
    };
    table.tiyin = table.has_tiyin();
    Ok(table)
}

/// The ageing bucket of an amount `late` days past its due date: not yet due (or no date),
/// 1–30, 31–60, 61–90, over 90.
fn ageing_bucket(late: i64) -> usize {
    match late {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// The average of `amount` over `count`, rounded by the one rounding rule (half away from
/// zero); 0 over no sales.
fn average(amount: i64, count: i64) -> i64 {
    crate::domain::rounding::div_round(i128::from(amount), i128::from(count)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(amounts: &[i64]) -> ReportTable {
        ReportTable {
            kind: ReportKind::SalesByProduct,
            period: None,
            columns: vec![T::Revenue],
            rows: amounts.iter().map(|m| vec![Cell::Money(*m)]).collect(),
            total: None,
            subject: None,
            tiyin: false,
        }
    }

    #[test]
    fn one_number_format_per_table() {
        // Whole so'm throughout: no decimals anywhere.
        assert!(!table(&[20_000_000, 100]).has_tiyin());
        assert_eq!(Cell::Money(20_000_000).show(Lang::Uz, false), "200 000");
        // One amount with tiyin: every amount shows two decimals.
        assert!(table(&[20_000_000, 482_271_969]).has_tiyin());
        assert_eq!(Cell::Money(20_000_000).show(Lang::Uz, true), "200 000,00");
        assert_eq!(
            Cell::Money(482_271_969).show(Lang::Uz, true),
            "4 822 719,69"
        );
        assert_eq!(Cell::Money(-5).show(Lang::Uz, true), "-0,05");
        // Quantities and counts group thousands; the decimal mark follows the language.
        assert_eq!(Cell::Qty(1_234_500).show(Lang::Uz, true), "1 234,5");
        assert_eq!(Cell::Qty(1_234_500).show(Lang::En, true), "1 234.5");
        assert_eq!(Cell::Int(95_228).show(Lang::Ru, false), "95 228");
        assert_eq!(Cell::Int(-1_000).show(Lang::Ru, false), "-1 000");
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).and_then(|d| d.and_hms_opt(21, 5, 0));
        assert_eq!(Cell::Time(t).show(Lang::Uz, false), "24.11.2026 21:05");
        assert_eq!(Cell::Time(None).show(Lang::Uz, false), "—");
    }
}
