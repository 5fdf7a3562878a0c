//! Expenses and their categories.

use crate::store::db::prelude::*;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

use super::{App, AppError, AppResult, Session, audit, optional_text, required_text};
use crate::domain::money::MAX_MONEY;
use crate::domain::{Action, Money};
use crate::store::models::{Expense, ExpenseCategory};
use crate::store::schema::{expense_categories, expenses};

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ExpenseView {
    pub id: i32,
    pub category: String,
    pub amount: i64,
    pub note: String,
    pub spent_on: NaiveDate,
    pub employee_id: i32,
}

fn find_category(conn: &mut crate::store::db::Db, id: i32) -> AppResult<ExpenseCategory> {
    expense_categories::table
        .find(id)
        .select(columns_of::<ExpenseCategory>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("expense category", id))
}

impl App {
    pub fn expense_categories(&mut self, session: &Session) -> AppResult<Vec<ExpenseCategory>> {
        self.read(session, None, |conn, _| {
            Ok(expense_categories::table
                .order(expense_categories::name)
                .select(columns_of::<ExpenseCategory>())
                .load(conn)?)
        })
    }

    /// Adds an expense category (anyone who may add expenses).
    pub fn create_expense_category(
        &mut self,
        session: &Session,
        name: &str,
    ) -> AppResult<ExpenseCategory> {
        let name = required_text("name", name, 100)?;
        self.write(session, Action::AddExpense, |conn, actor, now| {
            let taken: i64 = expense_categories::table
                .filter(expense_categories::name.eq(&name))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(AppError::NameTaken(name.clone()));
            }
            let cat: ExpenseCategory = diesel::insert_into(expense_categories::table)
                .values((
                    expense_categories::name.eq(&name),
                    expense_categories::created_at.eq(now),
                ))
                .returning(columns_of::<ExpenseCategory>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "expense_category.create",
                "expense_category",
                Some(cat.id.into()),
                None,
                Some(json!(cat)),
            )?;
            Ok(cat)
        })
    }

    /// Renames an expense category (manager, admin).
    pub fn rename_expense_category(
        &mut self,
        session: &Session,
        id: i32,
        name: &str,
    ) -> AppResult<ExpenseCategory> {
        let name = required_text("name", name, 100)?;
        self.write(session, Action::DeleteExpense, |conn, actor, now| {
            let before = find_category(conn, id)?;
            let taken: i64 = expense_categories::table
                .filter(expense_categories::name.eq(&name))
                .filter(expense_categories::id.ne(id))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(AppError::NameTaken(name.clone()));
            }
            let after: ExpenseCategory = diesel::update(expense_categories::table.find(id))
                .set(expense_categories::name.eq(&name))
                .returning(columns_of::<ExpenseCategory>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "expense_category.update",
                "expense_category",
                Some(id.into()),
                Some(json!(before)),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Deletes an expense category that no expense uses (manager, admin).
    pub fn delete_expense_category(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::DeleteExpense, |conn, actor, now| {
            let before = find_category(conn, id)?;
            let used: i64 = expenses::table
                .filter(expenses::category_id.eq(id))
                .count()
                .get_result(conn)?;
            if used > 0 {
                return Err(AppError::CategoryUsed(before.name));
            }
            diesel::delete(expense_categories::table.find(id)).execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "expense_category.delete",
                "expense_category",
                Some(id.into()),
                Some(json!(before)),
                None,
            )
        })
    }

    pub fn add_expense(
        &mut self,
        session: &Session,
        category_id: i32,
        amount: Money,
        spent_on: NaiveDate,
        note: &str,
    ) -> AppResult<Expense> {
        if !amount.is_positive() || amount > MAX_MONEY {
            return Err(AppError::invalid(
                "amount",
                "must be greater than zero and at most 1 000 000 000 000",
            ));
        }
        let note = optional_text("note", note, 500)?;
        self.write(session, Action::AddExpense, |conn, actor, now| {
            let exists: i64 = expense_categories::table
                .find(category_id)
                .count()
                .get_result(conn)?;
            if exists == 0 {
                return Err(AppError::not_found("expense category", category_id));
            }
            let e: Expense = diesel::insert_into(expenses::table)
                .values((
                    expenses::category_id.eq(category_id),
                    expenses::amount.eq(amount.0),
                    expenses::note.eq(&note),
                    expenses::spent_on.eq(spent_on),
                    expenses::employee_id.eq(actor.id.unwrap_or_default()),
                    expenses::created_at.eq(now),
                ))
                .returning(columns_of::<Expense>())
                .get_result(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "expense.create",
                "expense",
                Some(e.id.into()),
                None,
                Some(json!(e)),
            )?;
            Ok(e)
        })
    }

    pub fn delete_expense(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::DeleteExpense, |conn, actor, now| {
            let before: Expense = expenses::table
                .find(id)
                .select(columns_of::<Expense>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("expense", id))?;
            diesel::delete(expenses::table.find(id)).execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "expense.delete",
                "expense",
                Some(id.into()),
                Some(json!(before)),
                None,
            )
        })
    }

    /// Expenses spent between two dates (inclusive), newest first.
    pub fn expenses(
        &mut self,
        session: &Session,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<Vec<ExpenseView>> {
        self.read(session, Some(Action::ViewStatistics), |conn, _| {
            let rows: Vec<(Expense, String)> = expenses::table
                .inner_join(expense_categories::table)
                .filter(expenses::spent_on.ge(from))
                .filter(expenses::spent_on.le(to))
                .order((expenses::spent_on.desc(), expenses::id.desc()))
                .select((columns_of::<Expense>(), expense_categories::name))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(|(e, category)| ExpenseView {
                    id: e.id,
                    category,
                    amount: e.amount,
                    note: e.note,
                    spent_on: e.spent_on,
                    employee_id: e.employee_id,
                })
                .collect())
        })
    }
}
