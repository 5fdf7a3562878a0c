//! Everything a receipt shows, gathered in one read: the shop header from the settings, the
//! sale, its cashier, and for a credit sale the customer's remaining debt.

use crate::store::db::prelude::*;
use chrono::{NaiveDate, NaiveDateTime};

use super::clients::balance_of;
use super::settings::{get, keys, time_zone};
use super::{Actor, App, AppError, AppResult, SaleDetail, Session};
use crate::app::document::ShopHeader;
use crate::domain::{Action, permissions};
use crate::store::models::{Sale, SaleItem, SalePayment};
use crate::store::schema::{clients, employees, sale_items, sale_payments, sales};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptData {
    pub shop: ShopHeader,
    pub sale_id: i32,
    pub shift_id: i32,
    /// Local time of the sale, "24.11.2026 12:05".
    pub when: String,
    pub cashier: String,
    pub detail: SaleDetail,
    pub client_name: Option<String>,
    /// The customer's balance now (negative is debt), for credit sales.
    pub client_balance: Option<i64>,
    pub due_date: Option<NaiveDate>,
    /// For credit sales: the customer's earliest open due date and what falls due on it.
    pub next_due: Option<(NaiveDate, i64)>,
    /// The shop's payment methods, to name card tenders ("Uzcard", "Click").
    pub methods: super::PaymentMethods,
    /// How each product on the receipt is counted (pieces, kilograms).
    pub units: std::collections::HashMap<i32, crate::domain::Unit>,
    /// The sale's fiscal receipt: registered (its data and QR), waiting, or none.
    pub fiscal: super::FiscalState,
}

impl App {
    /// The data of one receipt (one's own sales, or any for those who may refund).
    pub fn receipt_data(&mut self, session: &Session, sale_id: i32) -> AppResult<ReceiptData> {
        self.read(session, Some(Action::Sell), |conn, actor| {
            let sale = load_sale(conn, sale_id)?;
            may_see(actor, &sale)?;
            load_receipt(conn, sale)
        })
    }
}

/// The shop's name, address and phone from the settings, as printed documents head them.
pub(crate) fn shop_header(conn: &mut Db) -> AppResult<ShopHeader> {
    Ok(ShopHeader {
        name: get(conn, keys::SHOP_NAME)?.unwrap_or_else(|| "Kassa".into()),
        address: get(conn, keys::SHOP_ADDRESS)?.unwrap_or_default(),
        phone: get(conn, keys::SHOP_PHONE)?.unwrap_or_default(),
    })
}

/// A stored UTC time as the shop's local "24.11.2026 12:05" ([`crate::i18n::TIME_FORMAT`]).
pub(crate) fn local_time(conn: &mut Db, at: NaiveDateTime) -> String {
    crate::i18n::local_time(time_zone(conn), at)
}

pub(crate) fn load_sale(conn: &mut Db, sale_id: i32) -> AppResult<Sale> {
    sales::table
        .find(sale_id)
        .select(columns_of::<Sale>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("sale", sale_id))
}

/// One's own sales, or any for those who may refund.
pub(crate) fn may_see(actor: &Actor, sale: &Sale) -> AppResult<()> {
    if Some(sale.employee_id) != actor.id && !permissions::allows(actor.role, Action::Refund) {
        return Err(AppError::Forbidden {
            role: actor.role,
            action: Action::Refund,
        });
    }
    Ok(())
}

/// Everything the receipt of `sale` shows, read in the caller's transaction.
pub(crate) fn load_receipt(conn: &mut Db, sale: Sale) -> AppResult<ReceiptData> {
    let sale_id = sale.id;
    let items: Vec<SaleItem> = sale_items::table
        .filter(sale_items::sale_id.eq(sale_id))
        .order(sale_items::id)
        .select(columns_of::<SaleItem>())
        .load(conn)?;
    let payments: Vec<SalePayment> = sale_payments::table
        .filter(sale_payments::sale_id.eq(sale_id))
        .order(sale_payments::id)
        .select(columns_of::<SalePayment>())
        .load(conn)?;
    let cashier: String = employees::table
        .find(sale.employee_id)
        .select(employees::full_name)
        .first(conn)?;
    let when = local_time(conn, sale.created_at);
    let mut next_due = None;
    let (client_name, client_balance) = match sale.client_id {
        Some(cid) => {
            let name: String = clients::table
                .find(cid)
                .select(clients::full_name)
                .first(conn)?;
            let has_credit = payments.iter().any(|p| p.method == "nasiya");
            (
                Some(name),
                if has_credit {
                    next_due = super::clients::next_due(conn, cid)?;
                    Some(balance_of(conn, cid)?)
                } else {
                    None
                },
            )
        }
        None => (None, None),
    };
    let fiscal = super::fiscal::state_of(conn, sale_id)?;
    Ok(ReceiptData {
        fiscal,
        shop: shop_header(conn)?,
        sale_id,
        shift_id: sale.shift_id,
        when,
        cashier,
        client_name,
        client_balance,
        due_date: sale.due_date,
        next_due,
        methods: super::payment_methods::load(conn)?,
        units: {
            use crate::store::schema::products;
            let ids: Vec<i32> = items.iter().map(|i| i.product_id).collect();
            products::table
                .filter(products::id.eq_any(ids))
                .select((products::id, products::unit))
                .load::<(i32, String)>(conn)?
                .into_iter()
                .map(|(id, u)| {
                    (
                        id,
                        crate::domain::Unit::parse(&u).unwrap_or(crate::domain::Unit::Piece),
                    )
                })
                .collect()
        },
        detail: SaleDetail {
            sale,
            items,
            payments,
        },
    })
}
