//! Quick-pick keys: the till's buttons for goods without barcodes (bread, greens, loose
//! goods), nine pages of twelve, arranged by a manager. The till reads them with its catalog;
//! a key of an archived product is not shown.

use crate::store::db::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text};
use crate::domain::Action;
use crate::store::schema::{products, quick_keys};

/// Pages of quick keys.
pub const QUICK_PAGES: i32 = 9;
/// Keys on a page (three rows of four).
pub const QUICK_KEYS_PER_PAGE: i32 = 12;
/// A key's own label, in characters.
pub const QUICK_LABEL_MAX: usize = 40;

/// One quick key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QuickKey {
    /// 1 to [`QUICK_PAGES`].
    pub page: i32,
    /// 1 to [`QUICK_KEYS_PER_PAGE`], row by row.
    pub position: i32,
    pub product_id: i32,
    /// The key's own short label ("Non"), empty for the product's name.
    pub label: String,
    pub product_name: String,
}

impl QuickKey {
    /// What the key shows.
    pub fn text(&self) -> &str {
        if self.label.is_empty() {
            &self.product_name
        } else {
            &self.label
        }
    }
}

impl App {
    /// Every quick key of a product that is not archived, page by page.
    pub fn quick_keys(&mut self, session: &Session) -> AppResult<Vec<QuickKey>> {
        self.read(session, Some(Action::Sell), |conn, _| {
            let rows: Vec<(i32, i32, i32, String, String)> = quick_keys::table
                .inner_join(products::table)
                .filter(products::archived.eq(false))
                .order((quick_keys::page, quick_keys::position))
                .select((
                    quick_keys::page,
                    quick_keys::position,
                    quick_keys::product_id,
                    quick_keys::label,
                    products::name,
                ))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(
                    |(page, position, product_id, label, product_name)| QuickKey {
                        page,
                        position,
                        product_id,
                        label,
                        product_name,
                    },
                )
                .collect())
        })
    }

    /// Puts `product` (with an optional short label) on the key at `page`/`position`, or
    /// clears the key with `None`. Managers and admins; audited with what the key held.
    pub fn set_quick_key(
        &mut self,
        session: &Session,
        page: i32,
        position: i32,
        product: Option<(i32, &str)>,
    ) -> AppResult<()> {
        if !(1..=QUICK_PAGES).contains(&page) {
            return Err(AppError::invalid("quick_key.page", "must be 1 to 9"));
        }
        if !(1..=QUICK_KEYS_PER_PAGE).contains(&position) {
            return Err(AppError::invalid("quick_key.position", "must be 1 to 12"));
        }
        let product = match product {
            Some((id, label)) => Some((
                id,
                optional_text("quick_key.label", label, QUICK_LABEL_MAX)?,
            )),
            None => None,
        };
        self.write(session, Action::ManageProducts, |conn, actor, now| {
            let key = quick_keys::table.find((page, position));
            let before: Option<(i32, String)> = key
                .select((quick_keys::product_id, quick_keys::label))
                .first(conn)
                .optional()?;
            match &product {
                Some((id, label)) => {
                    let archived: bool = products::table
                        .find(id)
                        .select(products::archived)
                        .first(conn)
                        .optional()?
                        .ok_or_else(|| AppError::not_found("product", *id))?;
                    if archived {
                        return Err(AppError::not_found("product", *id));
                    }
                    let fields = (quick_keys::product_id.eq(id), quick_keys::label.eq(label));
                    diesel::insert_into(quick_keys::table)
                        .values((
                            quick_keys::page.eq(page),
                            quick_keys::position.eq(position),
                            fields,
                        ))
                        .on_conflict((quick_keys::page, quick_keys::position))
                        .do_update()
                        .set(fields)
                        .execute(conn)?;
                }
                None => {
                    diesel::delete(key).execute(conn)?;
                }
            }
            let as_json = |k: Option<(i32, &str)>| {
                k.map(|(id, label)| json!({ "page": page, "position": position, "product_id": id, "label": label }))
            };
            audit::record(
                conn,
                actor,
                now,
                "quick_key.set",
                "quick_key",
                Some(i64::from(page * 100 + position)),
                as_json(before.as_ref().map(|(id, l)| (*id, l.as_str()))),
                as_json(product.as_ref().map(|(id, l)| (*id, l.as_str()))),
            )
        })
    }
}
