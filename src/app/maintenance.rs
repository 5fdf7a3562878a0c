//! Maintenance use cases for the command line (`kassa users`, `reset-admin`, `shifts`,
//! `shifts close-all`). Whoever can run them can read the database file anyway, so they act
//! as the system rather than as a logged-in employee, and every change is audited as
//! "cli".

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde_json::json;

use super::auth::EmployeeView;
use super::shifts::{ShiftReport, close};
use super::{Actor, App, AppError, AppResult, DEFAULT_ADMIN_PASSWORD, audit};
use crate::store::models::{Employee, Shift};
use crate::store::schema::{employees, shifts};

/// A shift with its cashier's name, for listings.
#[derive(Clone, Debug)]
pub struct ShiftRow {
    pub shift: Shift,
    pub employee: String,
}

impl App {
    /// Every live employee.
    pub fn maintenance_users(&mut self) -> AppResult<Vec<EmployeeView>> {
        Ok(employees::table
            .filter(employees::deleted_at.is_null())
            .order(employees::id)
            .select(columns_of::<Employee>())
            .load::<Employee>(&mut self.conn)?
            .into_iter()
            .map(EmployeeView::from)
            .collect())
    }

    /// Resets the main admin's password (to `password`, or to the default) and makes them
    /// change it at next login. Returns the admin's login.
    pub fn maintenance_reset_admin(&mut self, password: Option<&str>) -> AppResult<String> {
        let password = password.unwrap_or(DEFAULT_ADMIN_PASSWORD);
        if password.chars().count() < 6 {
            return Err(AppError::WeakPassword(
                super::error::PasswordProblem::TooShort,
            ));
        }
        let hash = self.hash_password(password)?;
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let admin: Employee = employees::table
                .filter(employees::is_main_admin.eq(true))
                .filter(employees::deleted_at.is_null())
                .select(columns_of::<Employee>())
                .first(conn)
                .optional()?
                .ok_or(AppError::not_found("main admin", 0))?;
            diesel::update(employees::table.find(admin.id))
                .set((
                    employees::password_hash.eq(&hash),
                    employees::must_change_password.eq(true),
                    employees::updated_at.eq(now),
                ))
                .execute(conn)?;
            // The way back in after being locked out: the lock goes with the old password.
            diesel::delete(crate::store::schema::login_attempts::table.find(&admin.login))
                .execute(conn)?;
            audit::record(
                conn,
                &Actor::system("cli"),
                now,
                "employee.reset_admin",
                "employee",
                Some(admin.id.into()),
                None,
                None,
            )?;
            Ok(admin.login)
        })
    }

    /// Shifts, newest first; only open ones with `open_only`.
    pub fn maintenance_shifts(&mut self, open_only: bool, limit: i64) -> AppResult<Vec<ShiftRow>> {
        let rows: Vec<(Shift, String)> = crate::on_db!(&mut self.conn, c => {
            let mut q = shifts::table.inner_join(employees::table).into_boxed();
            if open_only {
                q = q.filter(shifts::closed_at.is_null());
            }
            q.order(shifts::id.desc())
                .limit(limit.clamp(1, 100_000))
                .select((columns_of::<Shift>(), employees::full_name))
                .load(c)?
        });
        Ok(rows
            .into_iter()
            .map(|(shift, employee)| ShiftRow { shift, employee })
            .collect())
    }

    /// Emergency: closes every open shift without a cash count (the difference stays empty
    /// and the note says why). Returns the closed shifts' reports.
    pub fn maintenance_close_all_shifts(&mut self) -> AppResult<Vec<ShiftReport>> {
        let now: NaiveDateTime = self.now().naive_utc();
        self.immediate(|conn| {
            let open: Vec<Shift> = shifts::table
                .filter(shifts::closed_at.is_null())
                .select(columns_of::<Shift>())
                .load(conn)?;
            let mut out = Vec::with_capacity(open.len());
            for shift in open {
                let id = shift.id;
                let rep = close(conn, shift, None, "closed by kassa shifts close-all", now)?;
                audit::record(
                    conn,
                    &Actor::system("cli"),
                    now,
                    "shift.force_close",
                    "shift",
                    Some(id.into()),
                    None,
                    Some(json!(rep)),
                )?;
                out.push(rep);
            }
            Ok(out)
        })
    }
}

impl App {
    /// Creates an employee from the command line (used by `kassa demo-data`), with a password
    /// that does not have to be changed.
    pub fn maintenance_create_employee(
        &mut self,
        input: &super::EmployeeInput,
        password: &str,
    ) -> AppResult<i32> {
        let hash = self.hash_password(password)?;
        let now = self.now().naive_utc();
        let clean = super::auth::clean(input)?;
        self.immediate(|conn| {
            let id = super::auth::insert_clean(conn, &clean, &hash, input.role, now)?;
            audit::record(
                conn,
                &Actor::system("cli"),
                now,
                "employee.create",
                "employee",
                Some(id.into()),
                None,
                Some(json!({ "login": clean.login, "role": input.role })),
            )?;
            Ok(id)
        })
    }
}
