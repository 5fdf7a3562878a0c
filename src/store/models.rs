//! Row types for the tables in `schema.rs`: `Queryable` for reading, `Insertable` (`New*`)
//! for writing. Money columns are `i64` minor units, quantities `i64` thousandths,
//! timestamps UTC `NaiveDateTime`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::*;

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = employees)]
pub struct Employee {
    pub id: i32,
    pub full_name: String,
    pub phone: String,
    pub address: String,
    pub passport: String,
    pub notes: String,
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub is_main_admin: bool,
    pub must_change_password: bool,
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = employees)]
pub struct NewEmployee<'a> {
    pub full_name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub passport: &'a str,
    pub notes: &'a str,
    pub login: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub is_main_admin: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize, PartialEq, Eq)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i32,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize, PartialEq, Eq)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i32,
    pub name: String,
    pub category_id: Option<i32>,
    pub unit: String,
    pub purchase_price: i64,
    pub sale_price: i64,
    pub stock: i64,
    pub low_stock_threshold: i64,
    pub archived: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub name: &'a str,
    pub search_key: &'a str,
    pub category_id: Option<i32>,
    pub unit: &'a str,
    pub purchase_price: i64,
    pub sale_price: i64,
    pub stock: i64,
    pub low_stock_threshold: i64,
    pub archived: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = clients)]
pub struct Client {
    pub id: i32,
    pub full_name: String,
    pub phone: String,
    pub notes: String,
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Tiyin; `None` follows the shop's default, 0 allows no credit.
    pub credit_limit: Option<i64>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = shifts)]
pub struct Shift {
    pub id: i32,
    pub employee_id: i32,
    pub opened_at: NaiveDateTime,
    pub opening_cash: i64,
    pub closed_at: Option<NaiveDateTime>,
    pub expected_cash: Option<i64>,
    pub counted_cash: Option<i64>,
    pub difference: Option<i64>,
    pub close_note: String,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = sales)]
pub struct Sale {
    pub id: i32,
    pub idempotency_key: String,
    pub shift_id: i32,
    pub employee_id: i32,
    pub client_id: Option<i32>,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    pub due_date: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub refunded_at: Option<NaiveDateTime>,
    pub refunded_by: Option<i32>,
    pub refund_shift_id: Option<i32>,
    pub refund_reason: String,
    /// What refunds took of the sale so far (all of `total` once `refunded_at` is set).
    pub refunded_amount: i64,
}

#[derive(Insertable)]
#[diesel(table_name = sales)]
pub struct NewSale<'a> {
    pub idempotency_key: &'a str,
    pub shift_id: i32,
    pub employee_id: i32,
    pub client_id: Option<i32>,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    pub due_date: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = sale_items)]
pub struct SaleItem {
    pub id: i32,
    pub sale_id: i32,
    pub product_id: i32,
    pub product_name: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub unit_cost: i64,
    pub cost_total: i64,
    pub gross: i64,
    pub line_discount: i64,
    pub sale_discount_share: i64,
    pub line_total: i64,
    /// A refunded line (or refunded part of a line), and the refund that took it.
    pub refunded: bool,
    pub refund_id: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = sale_items)]
pub struct NewSaleItem<'a> {
    pub sale_id: i32,
    pub sold_at: NaiveDateTime,
    pub product_id: i32,
    pub product_name: &'a str,
    pub quantity: i64,
    pub unit_price: i64,
    pub unit_cost: i64,
    pub cost_total: i64,
    pub gross: i64,
    pub line_discount: i64,
    pub sale_discount_share: i64,
    pub line_total: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = sale_payments)]
pub struct SalePayment {
    pub id: i32,
    pub sale_id: i32,
    pub method: String,
    pub amount: i64,
    pub tendered: i64,
    pub change_given: i64,
    /// What refunds gave back of this tender so far.
    pub refunded: i64,
    /// For a non-cash tender: which of the shop's payment methods.
    pub channel_id: Option<i32>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = supplies)]
pub struct Supply {
    pub id: i32,
    pub supplier: String,
    pub employee_id: i32,
    pub total_cost: i64,
    pub notes: String,
    pub created_at: NaiveDateTime,
    /// `None` only for stock entered by a catalog import (`supplier` names the file).
    pub supplier_id: Option<i32>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = suppliers)]
pub struct Supplier {
    pub id: i32,
    pub name: String,
    pub phone: String,
    pub tin: String,
    pub address: String,
    pub notes: String,
    pub archived: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// What the shop owed the supplier before it was recorded here (tiyin).
    pub opening_balance: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = supplier_payments)]
pub struct SupplierPayment {
    pub id: i32,
    pub supplier_id: i32,
    pub supply_id: Option<i32>,
    pub method: String,
    pub amount: i64,
    pub shift_id: Option<i32>,
    pub employee_id: i32,
    pub note: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = supply_items)]
pub struct SupplyItem {
    pub id: i32,
    pub supply_id: i32,
    pub product_id: i32,
    pub quantity: i64,
    pub unit_cost: i64,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = stock_movements)]
pub struct StockMovement {
    pub id: i32,
    pub product_id: i32,
    pub kind: String,
    pub quantity: i64,
    pub sale_id: Option<i32>,
    pub supply_id: Option<i32>,
    pub employee_id: Option<i32>,
    pub reason: String,
    pub created_at: NaiveDateTime,
    /// The return to a supplier, for a `supplier_return` movement.
    pub return_id: Option<i32>,
}

#[derive(Insertable)]
#[diesel(table_name = stock_movements)]
pub struct NewStockMovement<'a> {
    pub product_id: i32,
    pub kind: &'a str,
    pub quantity: i64,
    pub sale_id: Option<i32>,
    pub supply_id: Option<i32>,
    pub employee_id: Option<i32>,
    pub reason: &'a str,
    pub created_at: NaiveDateTime,
    pub return_id: Option<i32>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = client_ledger)]
pub struct LedgerRow {
    pub id: i32,
    pub client_id: i32,
    pub kind: String,
    pub amount: i64,
    pub method: Option<String>,
    pub sale_id: Option<i32>,
    pub shift_id: Option<i32>,
    pub due_date: Option<NaiveDate>,
    pub employee_id: Option<i32>,
    pub note: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = client_ledger)]
pub struct NewLedgerRow<'a> {
    pub client_id: i32,
    pub kind: &'a str,
    pub amount: i64,
    pub method: Option<&'a str>,
    pub sale_id: Option<i32>,
    pub shift_id: Option<i32>,
    pub due_date: Option<NaiveDate>,
    pub employee_id: Option<i32>,
    pub note: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize, PartialEq, Eq)]
#[diesel(table_name = expense_categories)]
pub struct ExpenseCategory {
    pub id: i32,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = expenses)]
pub struct Expense {
    pub id: i32,
    pub category_id: i32,
    pub amount: i64,
    pub note: String,
    pub spent_on: NaiveDate,
    pub employee_id: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_logs)]
pub struct AuditRow {
    pub id: i32,
    pub employee_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: NaiveDateTime,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Insertable)]
#[diesel(table_name = audit_logs)]
pub struct NewAuditRow<'a> {
    pub employee_id: Option<i32>,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: NaiveDateTime,
}
