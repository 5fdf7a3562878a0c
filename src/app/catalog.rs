//! Categories, products and their barcodes, supplies (stock in) and stock adjustments.
//! Every change of stock writes a movement row, so stock = sum of movements always holds.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text, required_text};
use crate::domain::quantity::{MAX_QUANTITY, Quantity, Unit};
use crate::domain::{Action, Money, barcode};
use crate::store::models::{
    Category, NewProduct, NewStockMovement, Product, StockMovement, Supply,
};
use crate::store::schema::{
    categories, employees, product_barcodes, products, purchase_prices, quick_keys, sale_items,
    sale_prices, stock_movements, stocktake_counts, supplies, supply_items,
};

/// One price a product had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceChange {
    /// Local time, as shown to people.
    pub at: String,
    /// Sale price (`true`) or purchase price.
    pub sale: bool,
    pub price: i64,
    /// Who set it (none for prices from before the history was kept, or the command line).
    pub by: Option<String>,
    /// The supply that brought a purchase price.
    pub supply_id: Option<i32>,
}

/// What a fiscal receipt needs of a product (see `domain::fiscal`); empty codes: not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProductFiscal {
    /// MXIK/IKPU class code, 17 digits.
    pub class_code: String,
    pub package_code: String,
    pub unit_code: String,
    pub vat: crate::domain::fiscal::Vat,
    /// Each piece's DataMatrix marking code is scanned at the till.
    pub marked: bool,
}

/// (product, class code, package code, unit code, VAT, marked) as stored.
type FiscalRow = (i32, String, String, String, String, bool);

/// The fiscal data of the products `ids` (`None`: all) that have any.
pub(crate) fn fiscal_of(
    conn: &mut Db,
    ids: Option<&[i32]>,
) -> AppResult<std::collections::HashMap<i32, ProductFiscal>> {
    use crate::store::schema::product_fiscal as f;
    let columns = (
        f::product_id,
        f::class_code,
        f::package_code,
        f::unit_code,
        f::vat,
        f::marked,
    );
    let rows: Vec<FiscalRow> = match ids {
        None => f::table.select(columns).load(conn)?,
        Some(ids) => {
            let mut rows = Vec::new();
            for chunk in ids.chunks(500) {
                rows.extend(
                    f::table
                        .filter(f::product_id.eq_any(chunk))
                        .select(columns)
                        .load::<FiscalRow>(conn)?,
                );
            }
            rows
        }
    };
    Ok(rows
        .into_iter()
        .map(|(id, class_code, package_code, unit_code, vat, marked)| {
            (
                id,
                ProductFiscal {
                    class_code,
                    package_code,
                    unit_code,
                    vat: crate::domain::fiscal::Vat::parse(&vat).unwrap_or_default(),
                    marked,
                },
            )
        })
        .collect())
}

impl ProductFiscal {
    /// Checked as typed (codes trimmed; a wrong code refused naming its field).
    pub fn checked(&self) -> AppResult<ProductFiscal> {
        use crate::domain::fiscal;
        let bad = |field: &'static str, e: fiscal::FiscalDataError| {
            AppError::invalid(field, e.to_string())
        };
        Ok(ProductFiscal {
            class_code: fiscal::class_code(&self.class_code).map_err(|e| bad("class_code", e))?,
            package_code: fiscal::package_code(&self.package_code)
                .map_err(|e| bad("package_code", e))?,
            unit_code: fiscal::unit_code(&self.unit_code).map_err(|e| bad("unit_code", e))?,
            vat: self.vat,
            marked: self.marked,
        })
    }
}

/// Writes a product's fiscal data (create, update and import).
pub(crate) fn set_fiscal(conn: &mut Db, id: i32, f: &ProductFiscal) -> AppResult<()> {
    use crate::store::schema::product_fiscal as t;
    let fields = (
        t::class_code.eq(&f.class_code),
        t::package_code.eq(&f.package_code),
        t::unit_code.eq(&f.unit_code),
        t::vat.eq(f.vat.as_str()),
        t::marked.eq(f.marked),
    );
    diesel::insert_into(t::table)
        .values((t::product_id.eq(id), fields))
        .on_conflict(t::product_id)
        .do_update()
        .set(fields)
        .execute(conn)?;
    Ok(())
}

/// What a manager enters for a product.
#[derive(Clone, Debug)]
pub struct ProductInput {
    pub name: String,
    pub category_id: Option<i32>,
    pub unit: Unit,
    pub purchase_price: Money,
    pub sale_price: Money,
    pub low_stock_threshold: Quantity,
    pub barcodes: Vec<String>,
    /// What fiscal receipts need of it.
    pub fiscal: ProductFiscal,
}

/// A product with its barcodes.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ProductView {
    pub id: i32,
    pub name: String,
    pub category_id: Option<i32>,
    pub unit: String,
    pub purchase_price: i64,
    pub sale_price: i64,
    pub stock: i64,
    pub low_stock_threshold: i64,
    pub archived: bool,
    pub barcodes: Vec<String>,
    pub fiscal: ProductFiscal,
}

impl ProductView {
    /// A product row with its barcodes.
    pub(crate) fn from_row(
        p: Product,
        barcodes: Vec<String>,
        fiscal: ProductFiscal,
    ) -> ProductView {
        ProductView {
            fiscal,
            id: p.id,
            name: p.name,
            category_id: p.category_id,
            unit: p.unit,
            purchase_price: p.purchase_price,
            sale_price: p.sale_price,
            stock: p.stock,
            low_stock_threshold: p.low_stock_threshold,
            archived: p.archived,
            barcodes,
        }
    }

    pub fn unit(&self) -> Unit {
        Unit::parse(&self.unit).unwrap_or(Unit::Piece)
    }

    pub fn is_low_on_stock(&self) -> bool {
        self.stock <= self.low_stock_threshold
    }
}

/// A line of goods with a supplier: a product, its quantity and its cost per unit (a supply,
/// a return to the supplier, an order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupplyLineInput {
    pub product_id: i32,
    pub quantity: Quantity,
    pub unit_cost: Money,
}

/// The lines of a supply, a return or an order checked: each product exists, its quantity
/// suits its unit, its cost is in range; with the products and the lines' total cost.
/// `what` names the document for the refusal of no lines.
pub(crate) fn check_goods(
    conn: &mut Db,
    lines: &[SupplyLineInput],
    what: &str,
) -> AppResult<(Vec<Product>, i64)> {
    if lines.is_empty() {
        return Err(AppError::invalid(
            "lines",
            format!("a {what} needs at least one line"),
        ));
    }
    let mut total: i64 = 0;
    let mut products = Vec::with_capacity(lines.len());
    for line in lines {
        let p = load_product(conn, line.product_id)?;
        let unit = Unit::parse(&p.unit).unwrap_or(Unit::Piece);
        line.quantity.validate_for(unit)?;
        super::check_money("unit_cost", line.unit_cost)?;
        let cost = crate::domain::cart::line_gross(line.unit_cost, line.quantity)?;
        total = total
            .checked_add(cost.0)
            .ok_or(crate::domain::CartError::Overflow)?;
        products.push(p);
    }
    Ok((products, total))
}

/// The supplier a supply, return or order names, refused when archived.
pub(crate) fn active_supplier(conn: &mut Db, id: i32) -> AppResult<crate::store::models::Supplier> {
    let supplier = super::suppliers::load(conn, id)?;
    if supplier.archived {
        return Err(AppError::SupplierArchived(supplier.name));
    }
    Ok(supplier)
}

#[derive(Clone, Debug)]
pub struct SupplyInput {
    pub supplier_id: i32,
    pub notes: String,
    pub lines: Vec<SupplyLineInput>,
    /// Paid when received (in full or in part); the rest is owed to the supplier.
    pub payment: Option<super::SupplyPayment>,
}

/// Whether deleting a product removed it or, because it has history, archived it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    Deleted,
    Archived,
}

/// A stock adjustment of `delta` to `p` with its reason, and its audit row (`action`, the
/// stock before, `after`).
#[allow(clippy::too_many_arguments)]
fn adjustment(
    conn: &mut Db,
    actor: &super::Actor,
    now: NaiveDateTime,
    p: &Product,
    delta: i64,
    reason: &str,
    action: &str,
    after: serde_json::Value,
) -> AppResult<()> {
    move_stock(
        conn,
        p.id,
        "adjustment",
        delta,
        None,
        None,
        actor.id,
        reason,
        now,
    )?;
    audit::record(
        conn,
        actor,
        now,
        action,
        "product",
        Some(p.id.into()),
        Some(json!({ "stock": p.stock })),
        Some(after),
    )
}

pub(crate) fn load_product(conn: &mut Db, id: i32) -> AppResult<Product> {
    products::table
        .find(id)
        .select(columns_of::<Product>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("product", id))
}

fn view(conn: &mut Db, p: Product) -> AppResult<ProductView> {
    let barcodes = product_barcodes::table
        .filter(product_barcodes::product_id.eq(p.id))
        .order(product_barcodes::id)
        .select(product_barcodes::barcode)
        .load(conn)?;
    let fiscal = fiscal_of(conn, Some(&[p.id]))?
        .remove(&p.id)
        .unwrap_or_default();
    Ok(ProductView::from_row(p, barcodes, fiscal))
}

struct CleanProduct {
    name: String,
    barcodes: Vec<String>,
    fiscal: ProductFiscal,
}

fn clean(conn: &mut Db, input: &ProductInput, except: Option<i32>) -> AppResult<CleanProduct> {
    let name = required_text("name", &input.name, 200)?;
    let fiscal = input.fiscal.checked()?;
    super::check_money("sale_price", input.sale_price)?;
    super::check_money("purchase_price", input.purchase_price)?;
    if input.low_stock_threshold.0 < 0 || input.low_stock_threshold > MAX_QUANTITY {
        return Err(AppError::invalid(
            "low_stock_threshold",
            "must be between 0 and 100 000",
        ));
    }
    if let Some(cat) = input.category_id {
        let exists: i64 = categories::table.find(cat).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::not_found("category", cat));
        }
    }
    let mut barcodes: Vec<String> = Vec::new();
    for raw in &input.barcodes {
        if raw.trim().is_empty() {
            continue;
        }
        let code = barcode::validate_shop(raw)?;
        if !barcodes.contains(&code) {
            barcodes.push(code);
        }
    }
    for code in &barcodes {
        let owner: Option<i32> = product_barcodes::table
            .filter(product_barcodes::barcode.eq(code))
            .select(product_barcodes::product_id)
            .first(conn)
            .optional()?;
        if let Some(owner) = owner
            && Some(owner) != except
        {
            return Err(AppError::BarcodeTaken(code.clone()));
        }
    }
    Ok(CleanProduct {
        name,
        barcodes,
        fiscal,
    })
}

/// Remembers a product's new sale price (the price history).
pub(crate) fn record_sale_price(
    conn: &mut Db,
    product_id: i32,
    price: i64,
    employee_id: Option<i32>,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(sale_prices::table)
        .values((
            sale_prices::product_id.eq(product_id),
            sale_prices::price.eq(price),
            sale_prices::employee_id.eq(employee_id),
            sale_prices::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn record_purchase_price(
    conn: &mut Db,
    product_id: i32,
    price: i64,
    supply_id: Option<i32>,
    employee_id: Option<i32>,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(purchase_prices::table)
        .values((
            purchase_prices::product_id.eq(product_id),
            purchase_prices::price.eq(price),
            purchase_prices::supply_id.eq(supply_id),
            purchase_prices::employee_id.eq(employee_id),
            purchase_prices::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Changes a product's stock by `delta` and writes the movement that explains it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn move_stock(
    conn: &mut Db,
    product_id: i32,
    kind: &str,
    delta: i64,
    sale_id: Option<i32>,
    supply_id: Option<i32>,
    employee_id: Option<i32>,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    apply_movement(
        conn,
        NewStockMovement {
            product_id,
            kind,
            quantity: delta,
            sale_id,
            supply_id,
            employee_id,
            reason,
            created_at: now,
            return_id: None,
        },
    )
}

/// Changes a product's stock by the movement's quantity and records the movement; a fall to
/// the low-stock threshold queues one alert.
pub(crate) fn apply_movement(conn: &mut Db, m: NewStockMovement) -> AppResult<()> {
    let delta = m.quantity;
    let (after, threshold): (i64, i64) = diesel::update(products::table.find(m.product_id))
        .set(products::stock.eq(products::stock + delta))
        .returning((products::stock, products::low_stock_threshold))
        .get_result(conn)?;
    // Fell to the threshold just now (not already below it): one alert per crossing.
    if delta < 0 && after <= threshold && after - delta > threshold {
        let (name, unit): (String, String) = products::table
            .find(m.product_id)
            .select((products::name, products::unit))
            .first(conn)?;
        super::telegram::queue_low_stock(conn, &name, &unit, after, threshold, m.created_at)?;
    }
    diesel::insert_into(stock_movements::table)
        .values(m)
        .execute(conn)?;
    Ok(())
}

/// Computes the search key of products that have none (rows from before the column existed,
/// or written by hand). Cheap when there is nothing to do.
pub(crate) fn fill_search_keys(conn: &mut Db) -> AppResult<()> {
    let missing: Vec<(i32, String)> = products::table
        .filter(products::search_key.eq(""))
        .select((products::id, products::name))
        .load(conn)?;
    if missing.is_empty() {
        return Ok(());
    }
    conn.write_transaction(|conn| {
        for (id, name) in &missing {
            diesel::update(products::table.find(id))
                .set(products::search_key.eq(crate::domain::search::fold(name)))
                .execute(conn)?;
        }
        Ok(())
    })
}

fn category_name(field: &'static str, name: &str) -> AppResult<String> {
    required_text(field, name, 100)
}

impl App {
    /// Products whose recorded stock is below zero (sold beyond it, when the settings allow
    /// that), lowest first: what to count.
    pub fn negative_stock(&mut self, session: &Session) -> AppResult<Vec<ProductView>> {
        self.read(session, Some(Action::ManageProducts), |conn, _| {
            let rows = products::table
                .filter(products::stock.lt(0))
                .filter(products::archived.eq(false))
                .order((products::stock, products::name))
                .limit(500)
                .select(columns_of::<Product>())
                .load(conn)?;
            rows.into_iter().map(|p| view(conn, p)).collect()
        })
    }

    /// A product's past sale and purchase prices, newest first, with who set them.
    pub fn price_history(
        &mut self,
        session: &Session,
        product_id: i32,
    ) -> AppResult<Vec<PriceChange>> {
        let tz = self.time_zone();
        self.read(session, Some(Action::ManageProducts), |conn, _| {
            load_product(conn, product_id)?;
            let sold: Vec<(i64, NaiveDateTime, Option<String>)> = sale_prices::table
                .left_join(employees::table)
                .filter(sale_prices::product_id.eq(product_id))
                .select((
                    sale_prices::price,
                    sale_prices::created_at,
                    employees::full_name.nullable(),
                ))
                .load(conn)?;
            let bought: Vec<(i64, NaiveDateTime, Option<String>, Option<i32>)> =
                purchase_prices::table
                    .left_join(employees::table)
                    .filter(purchase_prices::product_id.eq(product_id))
                    .select((
                        purchase_prices::price,
                        purchase_prices::created_at,
                        employees::full_name.nullable(),
                        purchase_prices::supply_id,
                    ))
                    .load(conn)?;
            let mut all: Vec<(NaiveDateTime, PriceChange)> = sold
                .into_iter()
                .map(|(price, at, by)| (at, true, price, by, None))
                .chain(
                    bought
                        .into_iter()
                        .map(|(price, at, by, supply)| (at, false, price, by, supply)),
                )
                .map(|(at, sale, price, by, supply_id)| {
                    (
                        at,
                        PriceChange {
                            at: crate::i18n::local_time(tz, at),
                            sale,
                            price,
                            by,
                            supply_id,
                        },
                    )
                })
                .collect();
            all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.sale.cmp(&b.1.sale)));
            Ok(all.into_iter().map(|(_, c)| c).collect())
        })
    }

    pub fn categories(&mut self, session: &Session) -> AppResult<Vec<Category>> {
        self.read(session, None, |conn, _| {
            Ok(categories::table
                .order(categories::name)
                .select(columns_of::<Category>())
                .load(conn)?)
        })
    }

    pub fn create_category(&mut self, session: &Session, name: &str) -> AppResult<Category> {
        let name = category_name("name", name)?;
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let taken: i64 = categories::table
                .filter(categories::name.eq(&name))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(AppError::NameTaken(name.clone()));
            }
            let cat: Category = diesel::insert_into(categories::table)
                .values((categories::name.eq(&name), categories::created_at.eq(now)))
                .returning(columns_of::<Category>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "category.create",
                "category",
                Some(cat.id.into()),
                None,
                Some(json!(cat)),
            )?;
            Ok(cat)
        })
    }

    pub fn rename_category(
        &mut self,
        session: &Session,
        id: i32,
        name: &str,
    ) -> AppResult<Category> {
        let name = category_name("name", name)?;
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let before: Category = categories::table
                .find(id)
                .select(columns_of::<Category>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("category", id))?;
            let taken: i64 = categories::table
                .filter(categories::name.eq(&name))
                .filter(categories::id.ne(id))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(AppError::NameTaken(name.clone()));
            }
            let after: Category = diesel::update(categories::table.find(id))
                .set(categories::name.eq(&name))
                .returning(columns_of::<Category>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "category.update",
                "category",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Deletes a category; its products stay, without a category.
    pub fn delete_category(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let before: Category = categories::table
                .find(id)
                .select(columns_of::<Category>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("category", id))?;
            diesel::update(products::table.filter(products::category_id.eq(id)))
                .set(products::category_id.eq(None::<i32>))
                .execute(conn)?;
            diesel::delete(categories::table.find(id)).execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "category.delete",
                "category",
                Some(id.into()),
                Some(json!(before)),
                None,
            )
        })
    }

    /// Creates a product with zero stock (stock comes in through a supply or an adjustment).
    pub fn create_product(
        &mut self,
        session: &Session,
        input: &ProductInput,
    ) -> AppResult<ProductView> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let clean = clean(conn, input, None)?;
            let id: i32 = diesel::insert_into(products::table)
                .values(NewProduct {
                    name: &clean.name,
                    search_key: &crate::domain::search::fold(&clean.name),
                    category_id: input.category_id,
                    unit: input.unit.as_str(),
                    purchase_price: input.purchase_price.0,
                    sale_price: input.sale_price.0,
                    stock: 0,
                    low_stock_threshold: input.low_stock_threshold.0,
                    archived: false,
                    created_at: now,
                    updated_at: now,
                })
                .returning(products::id)
                .get_result(conn)?;
            for code in &clean.barcodes {
                diesel::insert_into(product_barcodes::table)
                    .values((
                        product_barcodes::product_id.eq(id),
                        product_barcodes::barcode.eq(code),
                    ))
                    .execute(conn)?;
            }
            set_fiscal(conn, id, &clean.fiscal)?;
            record_purchase_price(conn, id, input.purchase_price.0, None, actor.id, now)?;
            record_sale_price(conn, id, input.sale_price.0, actor.id, now)?;
            let p = load_product(conn, id)?;
            let v = view(conn, p)?;
            audit::record(
                conn,
                actor,
                now,
                "product.create",
                "product",
                Some(id.into()),
                None,
                Some(json!(v)),
            )?;
            Ok(v)
        })
    }

    /// Edits a product. Stock is not edited here (use a supply or an adjustment).
    pub fn update_product(
        &mut self,
        session: &Session,
        id: i32,
        input: &ProductInput,
    ) -> AppResult<ProductView> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let before = load_product(conn, id)?;
            let before = view(conn, before)?;
            let clean = clean(conn, input, Some(id))?;
            diesel::update(products::table.find(id))
                .set((
                    products::name.eq(&clean.name),
                    products::search_key.eq(crate::domain::search::fold(&clean.name)),
                    products::category_id.eq(input.category_id),
                    products::unit.eq(input.unit.as_str()),
                    products::purchase_price.eq(input.purchase_price.0),
                    products::sale_price.eq(input.sale_price.0),
                    products::low_stock_threshold.eq(input.low_stock_threshold.0),
                    products::updated_at.eq(now),
                ))
                .execute(conn)?;
            set_fiscal(conn, id, &clean.fiscal)?;
            diesel::delete(product_barcodes::table.filter(product_barcodes::product_id.eq(id)))
                .execute(conn)?;
            for code in &clean.barcodes {
                diesel::insert_into(product_barcodes::table)
                    .values((
                        product_barcodes::product_id.eq(id),
                        product_barcodes::barcode.eq(code),
                    ))
                    .execute(conn)?;
            }
            if before.purchase_price != input.purchase_price.0 {
                record_purchase_price(conn, id, input.purchase_price.0, None, actor.id, now)?;
            }
            if before.sale_price != input.sale_price.0 {
                record_sale_price(conn, id, input.sale_price.0, actor.id, now)?;
            }
            let after = load_product(conn, id)?;
            let after = view(conn, after)?;
            audit::record(
                conn,
                actor,
                now,
                "product.update",
                "product",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Deletes a product without history; one that was ever sold, supplied or adjusted is
    /// archived instead (hidden from the till, kept for reports).
    pub fn delete_product(&mut self, session: &Session, id: i32) -> AppResult<DeleteOutcome> {
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let before = load_product(conn, id)?;
            let before = view(conn, before)?;
            let sold: i64 = sale_items::table
                .filter(sale_items::product_id.eq(id))
                .count()
                .get_result(conn)?;
            let moved: i64 = stock_movements::table
                .filter(stock_movements::product_id.eq(id))
                .count()
                .get_result(conn)?;
            let supplied: i64 = supply_items::table
                .filter(supply_items::product_id.eq(id))
                .count()
                .get_result(conn)?;
            // Its quick-pick keys go with it (the till shows no key of a product it cannot sell).
            diesel::delete(quick_keys::table.filter(quick_keys::product_id.eq(id)))
                .execute(conn)?;
            let outcome = if sold + moved + supplied > 0 {
                diesel::update(products::table.find(id))
                    .set((products::archived.eq(true), products::updated_at.eq(now)))
                    .execute(conn)?;
                // Free the barcodes so a new product can take them.
                diesel::delete(product_barcodes::table.filter(product_barcodes::product_id.eq(id)))
                    .execute(conn)?;
                DeleteOutcome::Archived
            } else {
                diesel::delete(product_barcodes::table.filter(product_barcodes::product_id.eq(id)))
                    .execute(conn)?;
                diesel::delete(purchase_prices::table.filter(purchase_prices::product_id.eq(id)))
                    .execute(conn)?;
                diesel::delete(stocktake_counts::table.filter(stocktake_counts::product_id.eq(id)))
                    .execute(conn)?;
                diesel::delete(products::table.find(id)).execute(conn)?;
                DeleteOutcome::Deleted
            };
            let action = if outcome == DeleteOutcome::Archived {
                "product.archive"
            } else {
                "product.delete"
            };
            audit::record(
                conn,
                actor,
                now,
                action,
                "product",
                Some(id.into()),
                Some(json!(before)),
                None,
            )?;
            Ok(outcome)
        })
    }

    pub fn product(&mut self, session: &Session, id: i32) -> AppResult<ProductView> {
        self.read(session, None, |conn, _| {
            let p = load_product(conn, id)?;
            view(conn, p)
        })
    }

    /// The product a scanned or typed barcode belongs to (archived products are not sold).
    pub fn product_by_barcode(&mut self, session: &Session, code: &str) -> AppResult<ProductView> {
        let code = barcode::validate_shop(code)?;
        self.read(session, None, |conn, _| {
            let id: i32 = product_barcodes::table
                .inner_join(products::table)
                .filter(product_barcodes::barcode.eq(&code))
                .filter(products::archived.eq(false))
                .select(products::id)
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::UnknownBarcode(code.clone()))?;
            let p = load_product(conn, id)?;
            view(conn, p)
        })
    }

    /// Every product that can be sold, with its barcodes, by name: what the till keeps in
    /// memory for instant barcode lookup and search. Two queries, whatever the size.
    /// The live catalog and the change number it is current to (see
    /// [`App::catalog_changes`]), read in one transaction.
    pub fn catalog_at(&mut self, session: &Session) -> AppResult<(i64, Vec<ProductView>)> {
        self.read(session, None, |conn, _| {
            let seq = catalog_seq(conn)?;
            Ok((seq, live_products(conn, None)?))
        })
    }

    /// What changed in the catalog after change number `since`: the products changed (as
    /// they are now, archived ones included, marked) and the ids of products deleted, with
    /// the change number they bring the caller to. One indexed query when nothing changed.
    pub fn catalog_changes(&mut self, session: &Session, since: i64) -> AppResult<CatalogChanges> {
        self.read(session, None, |conn, _| {
            use crate::store::schema::catalog_changes;
            let rows: Vec<(i32, i64)> = catalog_changes::table
                .filter(catalog_changes::seq.gt(since))
                .order(catalog_changes::seq)
                .select((catalog_changes::product_id, catalog_changes::seq))
                .load(conn)?;
            let seq = rows.last().map_or(since, |r| r.1);
            let ids: Vec<i32> = rows.iter().map(|r| r.0).collect();
            let mut changed = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(500) {
                changed.extend(live_products(conn, Some(chunk))?);
            }
            let found: std::collections::HashSet<i32> = changed.iter().map(|p| p.id).collect();
            let gone = ids.into_iter().filter(|id| !found.contains(id)).collect();
            Ok(CatalogChanges { seq, changed, gone })
        })
    }

    pub fn catalog(&mut self, session: &Session) -> AppResult<Vec<ProductView>> {
        self.read(session, None, |conn, _| live_products(conn, None))
    }

    /// Products whose name contains `query` (case-insensitive for ASCII) or with that exact
    /// barcode, live ones only, by name. An empty query lists from the start.
    pub fn search_products(
        &mut self,
        session: &Session,
        query: &str,
        limit: i64,
    ) -> AppResult<Vec<ProductView>> {
        let q = query.trim().to_string();
        self.read(session, None, |conn, _| {
            let escaped = q
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let by_barcode = product_barcodes::table
                .filter(product_barcodes::barcode.eq(&q))
                .select(product_barcodes::product_id);
            let pattern = crate::store::lowered_pattern(&escaped, conn.is_postgres());
            let rows: Vec<Product> = products::table
                .filter(products::archived.eq(false))
                .filter(
                    crate::store::lower(products::name)
                        .like(pattern)
                        .escape('\\')
                        .or(products::id.eq_any(by_barcode)),
                )
                .order(products::name)
                .limit(limit.clamp(1, 1000))
                .select(columns_of::<Product>())
                .load(conn)?;
            rows.into_iter().map(|p| view(conn, p)).collect()
        })
    }

    /// Receives goods: stock in, a movement per line, and the purchase price updated (with
    /// history) where the cost changed.
    pub fn receive_supply(&mut self, session: &Session, input: &SupplyInput) -> AppResult<i32> {
        let notes = optional_text("notes", &input.notes, 1000)?;
        self.write(session, Action::ReceiveSupply, |conn, actor, now| {
            receive(conn, actor, now, input, &notes)
        })
    }

    /// Corrects stock by `delta` (positive or negative) with a reason, e.g. after a count or
    /// for spoiled goods. Stock never goes below zero.
    pub fn adjust_stock(
        &mut self,
        session: &Session,
        product_id: i32,
        delta: Quantity,
        reason: &str,
    ) -> AppResult<i64> {
        let reason = required_text("reason", reason, 500)?;
        if delta.0 == 0 || delta.0.abs() > MAX_QUANTITY.0 {
            return Err(AppError::invalid(
                "quantity",
                "must be non-zero and at most 100 000",
            ));
        }
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let p = load_product(conn, product_id)?;
            let unit = Unit::parse(&p.unit).unwrap_or(Unit::Piece);
            if unit == Unit::Piece && !delta.is_whole() {
                return Err(crate::domain::quantity::QuantityError::NotWhole.into());
            }
            let new_stock = p.stock + delta.0;
            if new_stock < 0 {
                return Err(AppError::InsufficientStock {
                    product: p.name,
                    available: Quantity(p.stock),
                    requested: Quantity(-delta.0),
                });
            }
            let after = json!({ "stock": new_stock, "reason": reason });
            adjustment(
                conn,
                actor,
                now,
                &p,
                delta.0,
                &reason,
                "stock.adjust",
                after,
            )?;
            Ok(new_stock)
        })
    }

    /// Sets a product's stock to what was counted: the difference from the stock the person
    /// saw (`seen`) is entered as one adjustment with the reason ("stock.count" in the
    /// audit, with before and after). Refused with [`AppError::StockChanged`] when the stock
    /// moved since it was shown (a sale meanwhile), so the difference is never computed
    /// from a stale figure. A count equal to the stock changes nothing.
    pub fn set_counted_stock(
        &mut self,
        session: &Session,
        product_id: i32,
        counted: Quantity,
        seen: Quantity,
        reason: &str,
    ) -> AppResult<i64> {
        let reason = required_text("reason", reason, 500)?;
        if counted.0 < 0 || counted.0 > MAX_QUANTITY.0 {
            return Err(AppError::invalid("quantity", "must be 0 to 100 000"));
        }
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let p = load_product(conn, product_id)?;
            if p.stock != seen.0 {
                return Err(AppError::StockChanged {
                    product: p.name,
                    now: Quantity(p.stock),
                });
            }
            let unit = Unit::parse(&p.unit).unwrap_or(Unit::Piece);
            if unit == Unit::Piece && !counted.is_whole() {
                return Err(crate::domain::quantity::QuantityError::NotWhole.into());
            }
            let delta = counted.0 - p.stock;
            if delta == 0 {
                return Ok(p.stock);
            }
            let after = json!({ "stock": counted.0, "difference": delta, "reason": reason });
            adjustment(conn, actor, now, &p, delta, &reason, "stock.count", after)?;
            Ok(counted.0)
        })
    }

    /// A product's stock movements, newest first.
    pub fn stock_movements(
        &mut self,
        session: &Session,
        product_id: i32,
        limit: i64,
    ) -> AppResult<Vec<StockMovement>> {
        self.read(session, Some(Action::ManageProducts), |conn, _| {
            Ok(stock_movements::table
                .filter(stock_movements::product_id.eq(product_id))
                .order(stock_movements::id.desc())
                .limit(limit.clamp(1, 10_000))
                .select(columns_of::<StockMovement>())
                .load(conn)?)
        })
    }

    /// Supplies, newest first.
    pub fn supplies(&mut self, session: &Session, limit: i64) -> AppResult<Vec<Supply>> {
        self.read(session, Some(Action::ReceiveSupply), |conn, _| {
            Ok(supplies::table
                .order(supplies::id.desc())
                .limit(limit.clamp(1, 10_000))
                .select(columns_of::<Supply>())
                .load(conn)?)
        })
    }
}

/// What changed in the catalog since a change number ([`App::catalog_changes`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogChanges {
    /// The change number the caller is current to after applying these.
    pub seq: i64,
    /// Products as they are now (archived ones too, with `archived` set).
    pub changed: Vec<ProductView>,
    /// Products deleted.
    pub gone: Vec<i32>,
}

/// The number of the catalog's last change.
pub(crate) fn catalog_seq(conn: &mut Db) -> AppResult<i64> {
    use crate::store::schema::catalog_changes;
    Ok(catalog_changes::table
        .select(diesel::dsl::max(catalog_changes::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Products with their barcodes: every live one (`ids: None`), or these (archived too).
fn live_products(conn: &mut Db, ids: Option<&[i32]>) -> AppResult<Vec<ProductView>> {
    let (rows, codes) = crate::on_db!(&mut *conn, c => {
    let mut q = products::table
        .order((products::name, products::id))
        .select(columns_of::<Product>())
        .into_boxed();
    let mut codes_q = product_barcodes::table
        .order(product_barcodes::id)
        .select((product_barcodes::product_id, product_barcodes::barcode))
        .into_boxed();
    match ids {
        None => q = q.filter(products::archived.eq(false)),
        Some(ids) => {
            q = q.filter(products::id.eq_any(ids.to_vec()));
            codes_q = codes_q.filter(product_barcodes::product_id.eq_any(ids.to_vec()));
        }
    }
    let rows: Vec<Product> = q.load(c)?;
    let codes: Vec<(i32, String)> = codes_q.load(c)?;
    (rows, codes)
    });
    let mut fiscal = fiscal_of(conn, ids)?;
    let mut by_product: std::collections::HashMap<i32, Vec<String>> =
        std::collections::HashMap::new();
    for (pid, code) in codes {
        by_product.entry(pid).or_default().push(code);
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let codes = by_product.remove(&p.id).unwrap_or_default();
            let f = fiscal.remove(&p.id).unwrap_or_default();
            ProductView::from_row(p, codes, f)
        })
        .collect())
}
/// Receives a supply inside the caller's transaction ([`App::receive_supply`]).
pub(crate) fn receive(
    conn: &mut Db,
    actor: &super::Actor,
    now: NaiveDateTime,
    input: &SupplyInput,
    notes: &str,
) -> AppResult<i32> {
    let supplier = active_supplier(conn, input.supplier_id)?;
    let (checked, total) = check_goods(conn, &input.lines, "supply")?;
    let supply_id: i32 = diesel::insert_into(supplies::table)
        .values((
            supplies::supplier.eq(&supplier.name),
            supplies::supplier_id.eq(supplier.id),
            supplies::employee_id.eq(actor.id.unwrap_or_default()),
            supplies::total_cost.eq(total),
            supplies::notes.eq(notes),
            supplies::created_at.eq(now),
        ))
        .returning(supplies::id)
        .get_result(conn)?;
    for (line, p) in input.lines.iter().zip(&checked) {
        diesel::insert_into(supply_items::table)
            .values((
                supply_items::supply_id.eq(supply_id),
                supply_items::product_id.eq(p.id),
                supply_items::quantity.eq(line.quantity.0),
                supply_items::unit_cost.eq(line.unit_cost.0),
            ))
            .execute(conn)?;
        move_stock(
            conn,
            p.id,
            "supply",
            line.quantity.0,
            None,
            Some(supply_id),
            actor.id,
            "",
            now,
        )?;
        let current: i64 = products::table
            .find(p.id)
            .select(products::purchase_price)
            .first(conn)?;
        if current != line.unit_cost.0 {
            diesel::update(products::table.find(p.id))
                .set((
                    products::purchase_price.eq(line.unit_cost.0),
                    products::updated_at.eq(now),
                ))
                .execute(conn)?;
            record_purchase_price(conn, p.id, line.unit_cost.0, Some(supply_id), actor.id, now)?;
        }
    }
    let lines: Vec<_> = input
        .lines
        .iter()
        .map(|l| json!({ "product_id": l.product_id, "quantity": l.quantity.0, "unit_cost": l.unit_cost.0 }))
        .collect();
    audit::record(
        conn,
        actor,
        now,
        "supply.receive",
        "supply",
        Some(supply_id.into()),
        None,
        Some(
            json!({ "supplier": supplier.name, "supplier_id": supplier.id, "total_cost": total, "lines": lines }),
        ),
    )?;
    if let Some(p) = input.payment {
        super::suppliers::pay(
            conn,
            actor,
            now,
            &supplier,
            Some(supply_id),
            p.amount,
            p.from,
            "",
        )?;
    }
    Ok(supply_id)
}
