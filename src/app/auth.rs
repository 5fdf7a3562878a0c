//! Logging in, passwords, and the staff list.

use crate::store::db::prelude::*;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::{
    Actor, App, AppError, AppResult, DEFAULT_ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD, Session, audit,
    optional_text, required_text,
};
use crate::domain::{Action, Role, phone};
use crate::store::models::{Employee, NewEmployee};
use crate::store::schema::{employee_languages, employees, login_attempts, shifts};

pub const MIN_PASSWORD_LEN: usize = 8;

/// Wrong passwords allowed in a row before the account is locked for a while.
pub const FREE_ATTEMPTS: i32 = 5;

/// How long an account stays locked after `failed` wrong passwords in a row: 30 s after the
/// fifth, doubling with each further one, at most 15 minutes.
pub fn lock_for(failed: i32) -> Option<chrono::Duration> {
    if failed < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failed - FREE_ATTEMPTS).min(10) as u32;
    Some(chrono::Duration::seconds((30i64 << doublings).min(15 * 60)))
}

/// What an admin enters for an employee.
#[derive(Clone, Debug, Default)]
pub struct EmployeeInput {
    pub full_name: String,
    pub phone: String,
    pub address: String,
    pub passport: String,
    pub notes: String,
    pub login: String,
    pub role: Role,
}

/// An employee as shown in the staff list (no password hash).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct EmployeeView {
    pub id: i32,
    pub full_name: String,
    pub phone: String,
    pub address: String,
    pub passport: String,
    pub notes: String,
    pub login: String,
    pub role: Role,
    pub is_main_admin: bool,
    pub must_change_password: bool,
}

impl From<Employee> for EmployeeView {
    fn from(e: Employee) -> Self {
        EmployeeView {
            id: e.id,
            role: Role::parse(&e.role).unwrap_or(Role::Cashier),
            full_name: e.full_name,
            phone: e.phone,
            address: e.address,
            passport: e.passport,
            notes: e.notes,
            login: e.login,
            is_main_admin: e.is_main_admin,
            must_change_password: e.must_change_password,
        }
    }
}

/// The 1 000 most common passwords (SecLists' 10-million-password-list-top-1000, MIT) and a
/// few local ones ("parol123", "toshkent", "kassa123"), lower case, one per line.
const COMMON_PASSWORDS: &str = include_str!("../../assets/common-passwords.txt");

fn is_common(password: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let set = SET.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).collect());
    set.contains(password.trim().to_lowercase().as_str())
}

/// The password policy: at least [`MIN_PASSWORD_LEN`] characters, not the old password, not
/// the login, not a common password (nor the default admin's).
fn validate_password(new: &str, old: Option<&str>, login: &str) -> AppResult<()> {
    use super::error::PasswordProblem as P;
    let problem = if new.trim().chars().count() < MIN_PASSWORD_LEN {
        Some(P::TooShort)
    } else if old == Some(new) {
        Some(P::SameAsOld)
    } else if new.trim().to_lowercase() == login.trim().to_lowercase() {
        Some(P::IsLogin)
    } else if new == DEFAULT_ADMIN_PASSWORD || is_common(new) {
        Some(P::Common)
    } else {
        None
    };
    problem.map_or(Ok(()), |p| Err(AppError::WeakPassword(p)))
}

fn find_live(conn: &mut Db, id: i32) -> AppResult<Employee> {
    employees::table
        .find(id)
        .filter(employees::deleted_at.is_null())
        .select(columns_of::<Employee>())
        .first(conn)
        .optional()?
        .ok_or(AppError::not_found("employee", id))
}

fn login_taken(conn: &mut Db, login: &str, except: Option<i32>) -> AppResult<bool> {
    let taken: i64 = crate::on_db!(conn, c => {
        let mut q = employees::table
            .filter(employees::login.eq(login))
            .filter(employees::deleted_at.is_null())
            .into_boxed();
        if let Some(id) = except {
            q = q.filter(employees::id.ne(id));
        }
        diesel::RunQueryDsl::get_result(q.count(), c)?
    });
    Ok(taken > 0)
}

pub(crate) struct CleanEmployee {
    full_name: String,
    phone: String,
    address: String,
    passport: String,
    notes: String,
    pub(crate) login: String,
}

/// Inserts a checked employee who does not have to change the password (maintenance).
pub(crate) fn insert_clean(
    conn: &mut Db,
    e: &CleanEmployee,
    hash: &str,
    role: Role,
    now: NaiveDateTime,
) -> AppResult<i32> {
    if login_taken(conn, &e.login, None)? {
        return Err(AppError::LoginTaken(e.login.clone()));
    }
    insert_employee(conn, e, hash, role, false, false, now)
}

pub(crate) fn clean(input: &EmployeeInput) -> AppResult<CleanEmployee> {
    let login = required_text("login", &input.login, 32)?;
    if !login
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(AppError::invalid(
            "login",
            "only Latin letters, digits, '.', '_' and '-'",
        ));
    }
    let phone = if input.phone.trim().is_empty() {
        String::new()
    } else {
        phone::normalize(&input.phone)?
    };
    Ok(CleanEmployee {
        full_name: required_text("full_name", &input.full_name, 100)?,
        phone,
        address: optional_text("address", &input.address, 200)?,
        passport: optional_text("passport", &input.passport, 20)?,
        notes: optional_text("notes", &input.notes, 1000)?,
        login: login.to_lowercase(),
    })
}

impl App {
    fn hash(&self, password: &str) -> AppResult<String> {
        bcrypt::hash(password, self.bcrypt_cost).map_err(|e| AppError::Hash(e.to_string()))
    }

    /// Creates `admin`/`admin123` (main admin, must change password) on a database with no
    /// staff at all.
    pub(crate) fn ensure_default_admin(&mut self) -> AppResult<()> {
        let count: i64 = employees::table.count().get_result(&mut self.conn)?;
        if count > 0 {
            return Ok(());
        }
        let hash = self.hash(DEFAULT_ADMIN_PASSWORD)?;
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            // Checked again inside the transaction: two processes may start at once.
            let count: i64 = employees::table.count().get_result(conn)?;
            if count > 0 {
                return Ok(());
            }
            let id = insert_employee(
                conn,
                &CleanEmployee {
                    full_name: "Administrator".into(),
                    phone: String::new(),
                    address: String::new(),
                    passport: String::new(),
                    notes: String::new(),
                    login: DEFAULT_ADMIN_LOGIN.into(),
                },
                &hash,
                Role::Admin,
                true,
                true,
                now,
            )?;
            audit::record(
                conn,
                &Actor::system("system"),
                now,
                "employee.create_default_admin",
                "employee",
                Some(id.into()),
                None,
                Some(json!({ "login": DEFAULT_ADMIN_LOGIN, "role": "admin" })),
            )
        })
    }

    /// Checks a login and password. A wrong password and an unknown login give the same
    /// answer, after the same time, and lock the same way: wrong passwords are counted by the
    /// login name typed (`login_attempts`), whether or not such an employee exists. Every
    /// outcome is audited.
    pub fn login(&mut self, login: &str, password: &str) -> AppResult<Session> {
        let login: String = login.trim().to_lowercase().chars().take(64).collect();
        let emp: Option<Employee> = employees::table
            .filter(employees::login.eq(&login))
            .filter(employees::deleted_at.is_null())
            .select(columns_of::<Employee>())
            .first(&mut self.conn)
            .optional()?;
        let now = self.now().naive_utc();
        let shown_login: String = login.chars().take(32).collect();
        let actor_of = |e: &Option<Employee>, role: Role| match e {
            Some(e) => Actor {
                id: Some(e.id),
                name: e.login.clone(),
                role,
            },
            None => Actor::system(&shown_login),
        };
        // A locked login is refused before any password check, so guessing gains nothing.
        let locked_until: Option<NaiveDateTime> = login_attempts::table
            .find(&login)
            .select(login_attempts::locked_until)
            .first(&mut self.conn)
            .optional()?
            .flatten();
        if let Some(until) = locked_until.filter(|u| *u > now) {
            let actor = actor_of(&emp, Role::Cashier);
            self.immediate(|conn| {
                audit::record(
                    conn,
                    &actor,
                    now,
                    "login.locked",
                    "employee",
                    actor.id.map(i64::from),
                    None,
                    None,
                )
            })?;
            return Err(AppError::LockedOut {
                seconds: (until - now).num_seconds().max(1),
            });
        }
        let ok = match &emp {
            Some(e) => bcrypt::verify(password, &e.password_hash).unwrap_or(false),
            None => {
                // Spend the same time as a real check, so that an unknown login cannot be
                // told from a wrong password by timing.
                let _ = self.hash(password);
                false
            }
        };
        let role = match (&emp, ok) {
            (Some(e), true) => Role::parse(&e.role).unwrap_or(Role::Cashier),
            _ => Role::Cashier,
        };
        let actor = actor_of(&emp, role);
        let action = if ok { "login.success" } else { "login.failure" };
        self.immediate(|conn| {
            let mut after = None;
            if ok {
                diesel::delete(login_attempts::table.find(&login)).execute(conn)?;
            } else {
                let failed: i32 = login_attempts::table
                    .find(&login)
                    .select(login_attempts::failed)
                    .first(conn)
                    .optional()?
                    .unwrap_or(0)
                    .saturating_add(1);
                let lock = lock_for(failed).map(|d| now + d);
                diesel::insert_into(login_attempts::table)
                    .values((
                        login_attempts::login.eq(&login),
                        login_attempts::failed.eq(failed),
                        login_attempts::locked_until.eq(lock),
                        login_attempts::updated_at.eq(now),
                    ))
                    .on_conflict(login_attempts::login)
                    .do_update()
                    .set((
                        login_attempts::failed.eq(failed),
                        login_attempts::locked_until.eq(lock),
                        login_attempts::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                // Names typed once and never again are forgotten after a day.
                diesel::delete(
                    login_attempts::table
                        .filter(login_attempts::updated_at.lt(now - chrono::Duration::days(1))),
                )
                .execute(conn)?;
                after = Some(json!({ "failed_in_a_row": failed, "locked_until": lock }));
            }
            audit::record(
                conn,
                &actor,
                now,
                action,
                "employee",
                actor.id.map(i64::from),
                None,
                after,
            )
        })?;
        match emp {
            Some(e) if ok => Ok(Session {
                employee_id: e.id,
                role: Role::parse(&e.role).ok_or(AppError::WrongCredentials)?,
                language: employee_languages::table
                    .find(e.id)
                    .select(employee_languages::language)
                    .first(&mut self.conn)
                    .optional()?,
                login: e.login,
                full_name: e.full_name,
                must_change_password: e.must_change_password,
            }),
            _ => Err(AppError::WrongCredentials),
        }
    }

    /// Remembers the language `session`'s employee works in ("uz", "ru" or "en"); the
    /// window switches to it at their next log-in, on any machine. Not audited: it changes
    /// nothing but the employee's own screen.
    pub fn set_my_language(&mut self, session: &Session, code: &str) -> AppResult<()> {
        if crate::i18n::Lang::parse(code).is_none() {
            return Err(AppError::invalid("language", "must be uz, ru or en"));
        }
        self.immediate(|conn| {
            diesel::insert_into(employee_languages::table)
                .values((
                    employee_languages::employee_id.eq(session.employee_id),
                    employee_languages::language.eq(code),
                ))
                .on_conflict(employee_languages::employee_id)
                .do_update()
                .set(employee_languages::language.eq(code))
                .execute(conn)?;
            Ok(())
        })
    }

    /// A manager's or admin's approval at `session`'s till for something its own role may
    /// not do (a discount, nasiya past the credit limit): the approver types their own login
    /// and password, checked like a log-in (throttled, locked after repeated failures,
    /// audited), and must be allowed `action`. The approval is audited with both names;
    /// the approver's session is returned for the use case that needs it.
    pub fn approve(
        &mut self,
        session: &Session,
        login: &str,
        password: &str,
        action: Action,
    ) -> AppResult<Session> {
        let approver = self.login(login, password)?;
        if !approver.can(action) {
            return Err(AppError::Forbidden {
                role: approver.role,
                action,
            });
        }
        let by = approver.login.clone();
        self.write(session, Action::Sell, |conn, actor, now| {
            audit::record(
                conn,
                actor,
                now,
                "approval.granted",
                "employee",
                Some(approver.employee_id.into()),
                None,
                Some(json!({
                    "approved_by": by,
                    "cashier": actor.name,
                    "action": format!("{action:?}"),
                })),
            )
        })?;
        Ok(approver)
    }

    /// Changes one's own password (needs the old one). Clears the must-change flag and
    /// returns the updated session.
    pub fn change_password(
        &mut self,
        session: &Session,
        old: &str,
        new: &str,
    ) -> AppResult<Session> {
        validate_password(new, Some(old), &session.login)?;
        let emp =
            find_live(&mut self.conn, session.employee_id).map_err(|_| AppError::SessionGone)?;
        if !bcrypt::verify(old, &emp.password_hash).unwrap_or(false) {
            return Err(AppError::WrongCredentials);
        }
        let hash = self.hash(new)?;
        let now = self.now().naive_utc();
        self.immediate(|conn| {
            let emp = find_live(conn, session.employee_id).map_err(|_| AppError::SessionGone)?;
            diesel::update(employees::table.find(emp.id))
                .set((
                    employees::password_hash.eq(&hash),
                    employees::must_change_password.eq(false),
                    employees::updated_at.eq(now),
                ))
                .execute(conn)?;
            let actor = Actor {
                id: Some(emp.id),
                name: emp.login.clone(),
                role: Role::parse(&emp.role).unwrap_or(Role::Cashier),
            };
            audit::record(
                conn,
                &actor,
                now,
                "employee.change_password",
                "employee",
                Some(emp.id.into()),
                None,
                None,
            )?;
            Ok(Session {
                employee_id: emp.id,
                login: emp.login,
                full_name: emp.full_name,
                role: actor.role,
                must_change_password: false,
                language: session.language.clone(),
            })
        })
    }

    /// The staff list (manager read-only, admin).
    pub fn employees(&mut self, session: &Session) -> AppResult<Vec<EmployeeView>> {
        self.read(session, Some(Action::ViewStaff), |conn, _| {
            Ok(employees::table
                .filter(employees::deleted_at.is_null())
                .order(employees::full_name)
                .select(columns_of::<Employee>())
                .load::<Employee>(conn)?
                .into_iter()
                .map(EmployeeView::from)
                .collect())
        })
    }

    /// Adds an employee with a first password they must change at first login (admin).
    pub fn create_employee(
        &mut self,
        session: &Session,
        input: &EmployeeInput,
        password: &str,
    ) -> AppResult<EmployeeView> {
        let clean = clean(input)?;
        validate_password(password, None, &clean.login)?;
        let hash = self.hash(password)?;
        self.write(session, Action::ManageStaff, |conn, actor, now| {
            if login_taken(conn, &clean.login, None)? {
                return Err(AppError::LoginTaken(clean.login.clone()));
            }
            let id = insert_employee(conn, &clean, &hash, input.role, false, true, now)?;
            let view = EmployeeView::from(find_live(conn, id)?);
            audit::record(
                conn,
                actor,
                now,
                "employee.create",
                "employee",
                Some(id.into()),
                None,
                Some(json!(view)),
            )?;
            Ok(view)
        })
    }

    /// Edits an employee (admin). The main admin stays an admin.
    pub fn update_employee(
        &mut self,
        session: &Session,
        id: i32,
        input: &EmployeeInput,
    ) -> AppResult<EmployeeView> {
        let clean = clean(input)?;
        self.write(session, Action::ManageStaff, |conn, actor, now| {
            let before = find_live(conn, id)?;
            if before.is_main_admin && input.role != Role::Admin {
                return Err(AppError::MainAdmin);
            }
            if login_taken(conn, &clean.login, Some(id))? {
                return Err(AppError::LoginTaken(clean.login.clone()));
            }
            diesel::update(employees::table.find(id))
                .set((
                    employees::full_name.eq(&clean.full_name),
                    employees::phone.eq(&clean.phone),
                    employees::address.eq(&clean.address),
                    employees::passport.eq(&clean.passport),
                    employees::notes.eq(&clean.notes),
                    employees::login.eq(&clean.login),
                    employees::role.eq(input.role.as_str()),
                    employees::updated_at.eq(now),
                ))
                .execute(conn)?;
            let after = EmployeeView::from(find_live(conn, id)?);
            audit::record(
                conn,
                actor,
                now,
                "employee.update",
                "employee",
                Some(id.into()),
                Some(json!(EmployeeView::from(before))),
                Some(json!(after)),
            )?;
            Ok(after)
        })
    }

    /// Deletes an employee (admin). Nobody deletes themselves; the main admin is never
    /// deleted; an employee with an open shift must close it first. The row stays (sales
    /// refer to it) but is marked deleted and can no longer log in.
    pub fn delete_employee(&mut self, session: &Session, id: i32) -> AppResult<()> {
        self.write(session, Action::ManageStaff, |conn, actor, now| {
            if actor.id == Some(id) {
                return Err(AppError::SelfDelete);
            }
            let before = find_live(conn, id)?;
            if before.is_main_admin {
                return Err(AppError::MainAdmin);
            }
            let open: i64 = shifts::table
                .filter(shifts::employee_id.eq(id))
                .filter(shifts::closed_at.is_null())
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(AppError::ShiftStillOpen(before.full_name));
            }
            diesel::update(employees::table.find(id))
                .set((employees::deleted_at.eq(now), employees::updated_at.eq(now)))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "employee.delete",
                "employee",
                Some(id.into()),
                Some(json!(EmployeeView::from(before))),
                None,
            )
        })
    }

    /// Sets a new password for an employee, who must change it at next login (admin).
    pub fn reset_password(&mut self, session: &Session, id: i32, password: &str) -> AppResult<()> {
        let login = find_live(&mut self.conn, id)?.login;
        validate_password(password, None, &login)?;
        let hash = self.hash(password)?;
        self.write(session, Action::ManageStaff, |conn, actor, now| {
            find_live(conn, id)?;
            diesel::update(employees::table.find(id))
                .set((
                    employees::password_hash.eq(&hash),
                    employees::must_change_password.eq(true),
                    employees::updated_at.eq(now),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                actor,
                now,
                "employee.reset_password",
                "employee",
                Some(id.into()),
                None,
                None,
            )
        })
    }

    /// Hashes with the configured cost (maintenance commands).
    pub(crate) fn hash_password(&self, password: &str) -> AppResult<String> {
        self.hash(password)
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_employee(
    conn: &mut Db,
    e: &CleanEmployee,
    hash: &str,
    role: Role,
    is_main_admin: bool,
    must_change_password: bool,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(employees::table)
        .values(NewEmployee {
            full_name: &e.full_name,
            phone: &e.phone,
            address: &e.address,
            passport: &e.passport,
            notes: &e.notes,
            login: &e.login,
            password_hash: hash,
            role: role.as_str(),
            is_main_admin,
            must_change_password,
            created_at: now,
            updated_at: now,
        })
        .returning(employees::id)
        .get_result(conn)?)
}
