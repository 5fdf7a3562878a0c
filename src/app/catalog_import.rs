//! The whole catalog in and out: [`App::catalog_rows`] for the export (every product with its
//! barcodes, category, unit, prices, stock and threshold) and [`App::import_catalog`], which
//! takes the rows [`crate::import::check`] accepted, matches them against the catalog and
//! writes them in one transaction with one audit row.
//!
//! Matching: by barcode (any of the row's); a row without barcodes matches an unarchived
//! product of exactly the same name. A row whose barcodes belong to two products, or to
//! another product than the one matched, is refused. New products are created (categories
//! too); matched ones get the file's name, category, unit, prices and threshold, and the
//! file's new barcodes. Stock is never written over: a new product's stock enters as one
//! supply named after the file (at the file's purchase price), a matched product's differing
//! stock as an adjustment with the reason "import FILE".

use std::collections::HashMap;

use crate::store::db::prelude::*;
use serde_json::json;

use super::catalog::{load_product, move_stock, record_purchase_price, record_sale_price};
use super::{Actor, App, AppError, AppResult, Session, audit, load_actor};
use crate::domain::search::fold;
use crate::domain::{Action, Unit};
use crate::import::{Checked, ImportRow, RowProblem};
use crate::store::models::NewProduct;
use crate::store::schema::{
    categories, employees, product_barcodes, products, supplies, supply_items,
};

/// One product as the catalog export writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogRow {
    pub name: String,
    pub barcodes: Vec<String>,
    pub category: Option<String>,
    pub unit: Unit,
    pub purchase_price: i64,
    pub sale_price: i64,
    pub stock: i64,
    pub low_stock_threshold: i64,
    /// Class and package codes, VAT and marking (fiscal receipts).
    pub fiscal: super::ProductFiscal,
}

/// What to do with the checked rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportMode {
    /// Check everything against the catalog, change nothing.
    DryRun,
    /// Import when every row is good; otherwise nothing.
    AllOrNothing,
    /// Import the good rows, leave the refused ones out.
    SkipBad,
}

/// What an import did (or, for a dry run or a refusal, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub categories_created: usize,
    /// Products whose stock the file changed (a supply line or an adjustment).
    pub stock_changed: usize,
    /// Refused rows: line and what is wrong.
    pub refused: Vec<(usize, Vec<RowProblem>)>,
    /// Codes of the accepted rows that fail the EAN check digit: kept as the shop's own
    /// internal codes (labelled with Code 128), listed as a warning.
    pub internal_codes: Vec<String>,
    /// Whether anything was written.
    pub applied: bool,
}

/// Where a good row goes: a new product, or the existing one with this id.
type Plan<'a> = Vec<(&'a ImportRow, Option<i32>)>;

/// Matches the good rows against the catalog; rows that cannot be placed join `refused`.
fn plan<'a>(
    conn: &mut Db,
    checked: &'a [Checked],
    refused: &mut Vec<(usize, Vec<RowProblem>)>,
) -> AppResult<Plan<'a>> {
    let mut out = Vec::new();
    let mut taken: HashMap<i32, usize> = HashMap::new();
    for c in checked {
        let row = match &c.result {
            Ok(row) => row,
            Err(problems) => {
                refused.push((c.line, problems.clone()));
                continue;
            }
        };
        let mut owners: Vec<(String, i32, String)> = Vec::new();
        for code in &row.barcodes {
            let owner: Option<(i32, String)> = product_barcodes::table
                .inner_join(products::table)
                .filter(product_barcodes::barcode.eq(code))
                .select((products::id, products::name))
                .first(conn)
                .optional()?;
            if let Some((id, name)) = owner {
                owners.push((code.clone(), id, name));
            }
        }
        let target = match owners.first() {
            Some((_, id, _)) => Some(*id),
            None if row.barcodes.is_empty() => products::table
                .filter(products::name.eq(&row.name))
                .filter(products::archived.eq(false))
                .select(products::id)
                .first::<i32>(conn)
                .optional()?,
            None => None,
        };
        let mut clashes: Vec<RowProblem> = owners
            .iter()
            .filter(|(_, id, _)| Some(*id) != target)
            .map(|(code, _, name)| RowProblem::BarcodeElsewhere {
                code: code.clone(),
                product: name.clone(),
            })
            .collect();
        if let Some(id) = target {
            match taken.get(&id) {
                Some(line) => clashes.push(RowProblem::SameProduct {
                    product: owners
                        .first()
                        .map(|o| o.2.clone())
                        .unwrap_or_else(|| row.name.clone()),
                    line: *line,
                }),
                None if clashes.is_empty() => {
                    taken.insert(id, c.line);
                }
                None => {}
            }
        }
        // What the catalog knows about the product decides what the file may change.
        let unit = match target {
            None => {
                if row.sale_price.is_none() {
                    clashes.push(RowProblem::NoSalePrice);
                }
                row.unit.unwrap_or(Unit::Piece)
            }
            Some(id) => {
                let (name, unit, stock): (String, String, i64) = products::table
                    .find(id)
                    .select((products::name, products::unit, products::stock))
                    .first(conn)?;
                let unit = Unit::parse(&unit).unwrap_or(Unit::Piece);
                if row.unit.is_some_and(|u| u != unit) && stock != 0 {
                    clashes.push(RowProblem::UnitWithStock { product: name });
                }
                row.unit.unwrap_or(unit)
            }
        };
        if unit == Unit::Piece {
            for (field, q) in [
                (crate::import::Field::Stock, row.stock),
                (crate::import::Field::LowStock, row.low_stock),
            ] {
                if let Some(q) = q.filter(|q| q.0 % 1000 != 0) {
                    clashes.push(RowProblem::FractionForPieces {
                        field,
                        text: q.to_string(),
                    });
                }
            }
        }
        if clashes.is_empty() {
            out.push((row, target));
        } else {
            refused.push((c.line, clashes));
        }
    }
    Ok(out)
}

impl App {
    /// Every product (archived ones left out), by name, with its barcodes and category.
    /// `None` is `kassa export-catalog`, run with shell access to the file.
    pub fn catalog_rows(&mut self, session: Option<&Session>) -> AppResult<Vec<CatalogRow>> {
        let rows = |conn: &mut Db| -> AppResult<Vec<CatalogRow>> {
            let names: HashMap<i32, String> = categories::table
                .select((categories::id, categories::name))
                .load::<(i32, String)>(conn)?
                .into_iter()
                .collect();
            let mut codes: HashMap<i32, Vec<String>> = HashMap::new();
            for (id, code) in product_barcodes::table
                .order(product_barcodes::id)
                .select((product_barcodes::product_id, product_barcodes::barcode))
                .load::<(i32, String)>(conn)?
            {
                codes.entry(id).or_default().push(code);
            }
            let list = products::table
                .filter(products::archived.eq(false))
                .order((products::name, products::id))
                .select((
                    products::id,
                    products::name,
                    products::category_id,
                    products::unit,
                    products::purchase_price,
                    products::sale_price,
                    products::stock,
                    products::low_stock_threshold,
                ))
                .load::<(i32, String, Option<i32>, String, i64, i64, i64, i64)>(conn)?;
            let mut fiscal = super::catalog::fiscal_of(conn, None)?;
            Ok(list
                .into_iter()
                .map(|(id, name, cat, unit, buy, sell, stock, low)| CatalogRow {
                    name,
                    barcodes: codes.remove(&id).unwrap_or_default(),
                    category: cat.and_then(|c| names.get(&c).cloned()),
                    unit: Unit::parse(&unit).unwrap_or(Unit::Piece),
                    purchase_price: buy,
                    sale_price: sell,
                    stock,
                    low_stock_threshold: low,
                    fiscal: fiscal.remove(&id).unwrap_or_default(),
                })
                .collect())
        };
        match session {
            Some(s) => self.read(s, Some(Action::ViewReports), |conn, _| rows(conn)),
            None => self.conn.transaction(rows),
        }
    }

    /// Imports the checked rows of `source` (a file name, for the supply and the audit) in
    /// one transaction. Managers and admins (`None` is `kassa import`). With
    /// [`ImportMode::AllOrNothing`] any refused row (bad in the file, or a barcode of another
    /// product) leaves everything as it was.
    pub fn import_catalog(
        &mut self,
        session: Option<&Session>,
        source: &str,
        checked: &[Checked],
        mode: ImportMode,
    ) -> AppResult<ImportReport> {
        let now = self.now().naive_utc();
        let source: String = source.chars().take(150).collect();
        self.immediate(|conn| {
            let actor = match session {
                Some(s) => {
                    let actor = load_actor(conn, s, Some(Action::ManageProducts))?;
                    load_actor(conn, s, Some(Action::ReceiveSupply))?;
                    actor
                }
                None => Actor::system("kassa import"),
            };
            let mut report = ImportReport::default();
            let plan = plan(conn, checked, &mut report.refused)?;
            report.refused.sort_by_key(|(line, _)| *line);
            report.internal_codes = plan
                .iter()
                .flat_map(|(row, _)| row.barcodes.iter())
                .filter(|c| crate::domain::barcode::is_internal(c))
                .cloned()
                .collect();
            let refused_any = !report.refused.is_empty();
            if mode == ImportMode::DryRun || (mode == ImportMode::AllOrNothing && refused_any) {
                // A rehearsal: the very same writes, rolled back, so the report says exactly
                // what the import would do.
                let mut rehearsed = None;
                let outcome = conn.transaction::<(), AppError, _>(|c| {
                    rehearsed = Some(apply(
                        c,
                        &actor,
                        plan,
                        &source,
                        now,
                        report.clone(),
                        checked.len(),
                    )?);
                    // Whatever it wrote goes back.
                    Err(diesel::result::Error::RollbackTransaction.into())
                });
                // A report when the rehearsal went through (`applied` stays false), else why
                // it did not.
                return match rehearsed {
                    Some(r) => Ok(r),
                    None => outcome.map(|()| report),
                };
            }
            let mut report = apply(conn, &actor, plan, &source, now, report, checked.len())?;
            report.applied = true;
            Ok(report)
        })
    }
}

/// Writes the planned rows: products created or changed (only in what the file has), new
/// barcodes, categories, the stock as a supply or adjustments, one audit row.
fn apply(
    conn: &mut Db,
    actor: &Actor,
    plan: Plan<'_>,
    source: &str,
    now: chrono::NaiveDateTime,
    mut report: ImportReport,
    rows: usize,
) -> AppResult<ImportReport> {
    let mut category_ids: HashMap<String, i32> = categories::table
        .select((categories::name, categories::id))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .map(|(n, id)| (fold(&n), id))
        .collect();
    let reason = format!("import {source}");
    // Prices and a supply name who set them: the command line's go to the first admin (the
    // owner, the one with shell access to the file), so the price history has an author.
    let author: i32 = match actor.id {
        Some(id) => id,
        None => employees::table
            .filter(employees::role.eq("admin"))
            .filter(employees::deleted_at.is_null())
            .order(employees::id)
            .select(employees::id)
            .first(conn)?,
    };
    let mut received: Vec<(i32, i64, i64)> = Vec::new();
    // The file's stock over the product's: an adjustment named after the file.
    let adjust = |conn: &mut Db, id: i32, delta: i64| {
        move_stock(
            conn,
            id,
            "adjustment",
            delta,
            None,
            None,
            actor.id,
            &reason,
            now,
        )
    };
    for (row, target) in plan {
        // `None`: the file has no category column (the product keeps its own); an empty
        // cell: no category.
        let category_id: Option<Option<i32>> = match &row.category {
            None => None,
            Some(None) => Some(None),
            Some(Some(name)) => Some(match category_ids.get(&fold(name)) {
                Some(id) => Some(*id),
                None => {
                    let id: i32 = diesel::insert_into(categories::table)
                        .values((
                            categories::name.eq(name.trim()),
                            categories::created_at.eq(now),
                        ))
                        .returning(categories::id)
                        .get_result(conn)?;
                    category_ids.insert(fold(name), id);
                    report.categories_created += 1;
                    Some(id)
                }
            }),
        };
        let low = row.low_stock.map(|q| q.0);
        let (id, mut touched) = match target {
            None => {
                let purchase = row.purchase_price.unwrap_or_default().0;
                let sale = row.sale_price.unwrap_or_default().0;
                let id: i32 = diesel::insert_into(products::table)
                    .values(NewProduct {
                        name: &row.name,
                        search_key: &fold(&row.name),
                        category_id: category_id.flatten(),
                        unit: row.unit.unwrap_or(Unit::Piece).as_str(),
                        purchase_price: purchase,
                        sale_price: sale,
                        stock: 0,
                        low_stock_threshold: low.unwrap_or(0),
                        archived: false,
                        created_at: now,
                        updated_at: now,
                    })
                    .returning(products::id)
                    .get_result(conn)?;
                record_purchase_price(conn, id, purchase, None, Some(author), now)?;
                record_sale_price(conn, id, sale, Some(author), now)?;
                report.created += 1;
                match row.stock {
                    Some(q) if q.0 > 0 => received.push((id, q.0, purchase)),
                    // Below zero (where the shop allows it): an adjustment, as the export
                    // wrote it.
                    Some(q) if q.0 < 0 => {
                        adjust(conn, id, q.0)?;
                        report.stock_changed += 1;
                    }
                    _ => {}
                }
                (id, false)
            }
            Some(id) => {
                let p = load_product(conn, id)?;
                // Only what the file has changes.
                let low = low.unwrap_or(p.low_stock_threshold);
                let category_id = category_id.unwrap_or(p.category_id);
                let unit = row
                    .unit
                    .map(|u| u.as_str())
                    .unwrap_or(p.unit.as_str())
                    .to_string();
                let purchase = row.purchase_price.map(|m| m.0).unwrap_or(p.purchase_price);
                let sale = row.sale_price.map(|m| m.0).unwrap_or(p.sale_price);
                let changed = p.name != row.name
                    || p.category_id != category_id
                    || p.unit != unit
                    || p.purchase_price != purchase
                    || p.sale_price != sale
                    || p.low_stock_threshold != low
                    || p.archived;
                if changed {
                    diesel::update(products::table.find(id))
                        .set((
                            products::name.eq(&row.name),
                            products::search_key.eq(fold(&row.name)),
                            products::category_id.eq(category_id),
                            products::unit.eq(&unit),
                            products::purchase_price.eq(purchase),
                            products::sale_price.eq(sale),
                            products::low_stock_threshold.eq(low),
                            products::archived.eq(false),
                            products::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                    if p.sale_price != sale {
                        record_sale_price(conn, id, sale, Some(author), now)?;
                    }
                    if p.purchase_price != purchase {
                        record_purchase_price(conn, id, purchase, None, Some(author), now)?;
                    }
                }
                let mut stock_moved = false;
                if let Some(q) = row.stock.filter(|q| q.0 != p.stock) {
                    adjust(conn, id, q.0 - p.stock)?;
                    report.stock_changed += 1;
                    stock_moved = true;
                }
                (id, changed || stock_moved)
            }
        };
        for code in &row.barcodes {
            let known: i64 = product_barcodes::table
                .filter(product_barcodes::barcode.eq(code))
                .count()
                .get_result(conn)?;
            if known == 0 {
                diesel::insert_into(product_barcodes::table)
                    .values((
                        product_barcodes::product_id.eq(id),
                        product_barcodes::barcode.eq(code),
                    ))
                    .execute(conn)?;
                touched = true;
            }
        }
        // The fiscal columns the file has, over what the product had.
        if row.class_code.is_some()
            || row.package_code.is_some()
            || row.vat.is_some()
            || row.marked.is_some()
        {
            let had = super::catalog::fiscal_of(conn, Some(&[id]))?
                .remove(&id)
                .unwrap_or_default();
            let now_fiscal = super::ProductFiscal {
                class_code: row.class_code.clone().unwrap_or(had.class_code.clone()),
                package_code: row.package_code.clone().unwrap_or(had.package_code.clone()),
                unit_code: had.unit_code.clone(),
                vat: row.vat.unwrap_or(had.vat),
                marked: row.marked.unwrap_or(had.marked),
            };
            if now_fiscal != had {
                super::catalog::set_fiscal(conn, id, &now_fiscal)?;
                touched = true;
            }
        }
        if target.is_some() && touched {
            report.updated += 1;
        }
    }
    report.unchanged = rows.saturating_sub(report.created + report.updated + report.refused.len());
    if !received.is_empty() {
        let total = received
            .iter()
            .map(|(_, q, cost)| {
                crate::domain::cart::line_gross(
                    crate::domain::Money(*cost),
                    crate::domain::Quantity(*q),
                )
                .map(|m| m.0)
            })
            .sum::<Result<i64, _>>()?;
        // A supply names who received it: the command line's goes to the first admin
        // (the owner), the one with shell access to the file.
        let receiver = author;
        let supply_id: i32 = diesel::insert_into(supplies::table)
            .values((
                supplies::supplier.eq(&source),
                supplies::employee_id.eq(receiver),
                supplies::total_cost.eq(total),
                supplies::notes.eq(&reason),
                supplies::created_at.eq(now),
            ))
            .returning(supplies::id)
            .get_result(conn)?;
        for (id, q, cost) in &received {
            diesel::insert_into(supply_items::table)
                .values((
                    supply_items::supply_id.eq(supply_id),
                    supply_items::product_id.eq(id),
                    supply_items::quantity.eq(q),
                    supply_items::unit_cost.eq(cost),
                ))
                .execute(conn)?;
            move_stock(
                conn,
                *id,
                "supply",
                *q,
                None,
                Some(supply_id),
                actor.id,
                "",
                now,
            )?;
        }
        report.stock_changed += received.len();
    }
    audit::record(
        conn,
        actor,
        now,
        "catalog.import",
        "catalog",
        None,
        None,
        Some(json!({
            "source": source,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "categories_created": report.categories_created,
            "stock_changed": report.stock_changed,
            "refused": report.refused.len(),
        })),
    )?;
    Ok(report)
}
