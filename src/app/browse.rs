//! Paged, filtered lists for the back office: products, sales, supplies and settings. Each
//! is one indexed query plus a count, so lists stay quick at 100 000 products and 1 000 000
//! sale lines.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;

use super::settings::{keys, mask};
use super::{App, AppError, AppResult, Period, ProductView, Session};
use crate::domain::search::fold;
use crate::domain::{Action, permissions};
use crate::store::models::{Product, Supply, SupplyItem};
use crate::store::schema::{
    clients, employees, product_barcodes, products, sale_payments, sales, settings, supplies,
    supply_items,
};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProductSort {
    #[default]
    Name,
    PriceAsc,
    PriceDesc,
    StockAsc,
}

#[derive(Clone, Debug, Default)]
pub struct ProductQuery {
    /// Words the name must contain (any script, case, apostrophes), or an exact barcode.
    pub text: String,
    pub category_id: Option<i32>,
    pub low_stock_only: bool,
    pub include_archived: bool,
    pub sort: ProductSort,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Clone, Debug, Default)]
pub struct SalesQuery {
    pub period: Option<Period>,
    pub employee_id: Option<i32>,
    pub method: Option<String>,
    pub client_id: Option<i32>,
    pub offset: i64,
    pub limit: i64,
}

/// One line of the sales history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleRow {
    pub id: i32,
    pub created_at: NaiveDateTime,
    pub cashier: String,
    pub client: Option<String>,
    pub total: i64,
    /// The tenders' methods, in order: (method as stored, card method id).
    pub methods: Vec<(String, Option<i32>)>,
    /// Refunded whole.
    pub refunded: bool,
    /// What refunds took so far (part of `total` while not refunded whole).
    pub refunded_amount: i64,
}

#[derive(Clone, Debug)]
pub struct SupplyDetail {
    pub supply: Supply,
    /// (item, product name)
    pub items: Vec<(SupplyItem, String)>,
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn with_barcodes(conn: &mut Db, rows: Vec<Product>) -> AppResult<Vec<ProductView>> {
    let ids: Vec<i32> = rows.iter().map(|p| p.id).collect();
    let codes: Vec<(i32, String)> = product_barcodes::table
        .filter(product_barcodes::product_id.eq_any(&ids))
        .order(product_barcodes::id)
        .select((product_barcodes::product_id, product_barcodes::barcode))
        .load(conn)?;
    let mut fiscal = super::catalog::fiscal_of(conn, Some(&ids))?;
    Ok(rows
        .into_iter()
        .map(|p| {
            let f = fiscal.remove(&p.id).unwrap_or_default();
            let mine = codes
                .iter()
                .filter(|(id, _)| *id == p.id)
                .map(|(_, c)| c.clone())
                .collect();
            ProductView::from_row(p, mine, f)
        })
        .collect())
}

impl App {
    /// A page of products and how many match in all.
    pub fn products_page(
        &mut self,
        session: &Session,
        q: &ProductQuery,
    ) -> AppResult<(Vec<ProductView>, i64)> {
        let folded = fold(&q.text);
        let code = q.text.trim().to_string();
        self.read(session, None, |conn, _| {
            // An exact barcode finds its product; otherwise every word must be in the name.
            let barcode_owner: Option<i32> = if code.is_empty() {
                None
            } else {
                product_barcodes::table
                    .filter(product_barcodes::barcode.eq(&code))
                    .select(product_barcodes::product_id)
                    .first(conn)
                    .optional()?
            };
            let (total, rows) = crate::on_db!(&mut *conn, c => {
            let filtered = || {
                let mut query = products::table.into_boxed();
                if !q.include_archived {
                    query = query.filter(products::archived.eq(false));
                }
                if let Some(cat) = q.category_id {
                    query = query.filter(products::category_id.eq(cat));
                }
                if q.low_stock_only {
                    query = query.filter(products::stock.le(products::low_stock_threshold));
                }
                if let Some(id) = barcode_owner {
                    query = query.filter(products::id.eq(id));
                } else if !folded.is_empty() {
                    for w in folded.split(' ') {
                        query = query.filter(
                            products::search_key
                                .like(format!("%{}%", like_escape(w)))
                                .escape('\\'),
                        );
                    }
                }
                query
            };
            let total: i64 = filtered().count().get_result(c)?;
            let mut query = filtered();
            query = match q.sort {
                ProductSort::Name => query.order((products::name, products::id)),
                ProductSort::PriceAsc => query.order((products::sale_price, products::id)),
                ProductSort::PriceDesc => query.order((products::sale_price.desc(), products::id)),
                ProductSort::StockAsc => query.order((products::stock, products::id)),
            };
            let limit = if q.limit <= 0 { 100 } else { q.limit.min(1000) };
            let rows: Vec<Product> = query
                .offset(q.offset.max(0))
                .limit(limit)
                .select(columns_of::<Product>())
                .load(c)?;
            (total, rows)
            });
            Ok((with_barcodes(conn, rows)?, total))
        })
    }

    /// A page of the sales history, newest first (manager, admin).
    pub fn sales_page(
        &mut self,
        session: &Session,
        q: &SalesQuery,
    ) -> AppResult<(Vec<SaleRow>, i64)> {
        let tz = self.time_zone();
        let bounds = q.period.map(|p| p.utc_bounds(tz));
        if let Some(p) = q.period
            && p.to < p.from
        {
            return Err(AppError::invalid("period", "the end is before the start"));
        }
        self.read(session, Some(Action::Refund), |conn, _| {
            let (total, rows) = crate::on_db!(&mut *conn, c => {
            let filtered = || {
                let mut query = sales::table.into_boxed();
                if let Some((start, end)) = bounds {
                    query = query
                        .filter(sales::created_at.ge(start))
                        .filter(sales::created_at.lt(end));
                }
                if let Some(e) = q.employee_id {
                    query = query.filter(sales::employee_id.eq(e));
                }
                if let Some(c) = q.client_id {
                    query = query.filter(sales::client_id.eq(c));
                }
                if let Some(m) = &q.method {
                    let with_method = sale_payments::table
                        .filter(sale_payments::method.eq(m.clone()))
                        .select(sale_payments::sale_id);
                    query = query.filter(sales::id.eq_any(with_method));
                }
                query
            };
            let total: i64 = filtered().count().get_result(c)?;
            let limit = if q.limit <= 0 { 100 } else { q.limit.min(1000) };
            #[allow(clippy::type_complexity)]
            let rows: Vec<(i32, NaiveDateTime, i32, Option<i32>, i64, bool, i64)> = filtered()
                .order(sales::id.desc())
                .offset(q.offset.max(0))
                .limit(limit)
                .select((
                    sales::id,
                    sales::created_at,
                    sales::employee_id,
                    sales::client_id,
                    sales::total,
                    sales::refunded_at.is_not_null(),
                    sales::refunded_amount,
                ))
                .load(c)?;
            (total, rows)
            });
            let mut out = Vec::with_capacity(rows.len());
            for (id, created_at, employee_id, client_id, total, refunded, refunded_amount) in rows {
                let cashier: String = employees::table
                    .find(employee_id)
                    .select(employees::full_name)
                    .first(conn)?;
                let client: Option<String> = match client_id {
                    Some(c) => clients::table
                        .find(c)
                        .select(clients::full_name)
                        .first(conn)
                        .optional()?,
                    None => None,
                };
                let methods: Vec<(String, Option<i32>)> = sale_payments::table
                    .filter(sale_payments::sale_id.eq(id))
                    .order(sale_payments::id)
                    .select((sale_payments::method, sale_payments::channel_id))
                    .load(conn)?;
                out.push(SaleRow {
                    id,
                    created_at,
                    cashier,
                    client,
                    total,
                    methods,
                    refunded,
                    refunded_amount,
                });
            }
            Ok((out, total))
        })
    }

    /// The lines of a supply.
    pub fn supply_detail(&mut self, session: &Session, id: i32) -> AppResult<SupplyDetail> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            let supply: Supply = supplies::table
                .find(id)
                .select(columns_of::<Supply>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("supply", id))?;
            let items: Vec<(SupplyItem, String)> = supply_items::table
                .inner_join(products::table)
                .filter(supply_items::supply_id.eq(id))
                .order(supply_items::id)
                .select((columns_of::<SupplyItem>(), products::name))
                .load(conn)?;
            Ok(SupplyDetail { supply, items })
        })
    }

    /// Every setting, secrets masked (admin).
    pub fn all_settings(&mut self, session: &Session) -> AppResult<Vec<(String, String)>> {
        self.read(session, Some(Action::Settings), |conn, _| {
            let rows: Vec<(String, String)> = settings::table
                .order(settings::key)
                .select((settings::key, settings::value))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|(k, v)| {
                    let shown = if keys::SECRETS.contains(&k.as_str()) {
                        mask(&v)
                    } else {
                        v
                    };
                    (k, shown)
                })
                .collect())
        })
    }

    /// Whether the caller may see any sale (managers and admins) — for the GUI.
    pub fn can_see_all_sales(session: &Session) -> bool {
        permissions::allows(session.role, Action::Refund)
    }
}
