//! Logging in, the default admin, passwords and staff protection rules.

mod common;

use common::*;
use kassa::app::{AppError, AuditFilter, EmployeeInput};
use kassa::domain::{Money, Role};

#[test]
fn the_default_admin_must_change_the_password_before_anything_else() {
    let (_dir, mut app) = fresh();
    let s = app.login("admin", "admin123").unwrap();
    assert!(s.must_change_password);
    assert_eq!(s.role, Role::Admin);
    assert!(matches!(
        app.employees(&s),
        Err(AppError::PasswordChangeRequired)
    ));
    assert!(matches!(
        app.open_shift(&s, Money::ZERO),
        Err(AppError::PasswordChangeRequired)
    ));
    // The default password cannot be kept or re-used; short ones, the login and the most
    // common passwords are refused, each with its reason.
    use kassa::app::PasswordProblem as P;
    for (new, why) in [
        ("admin123", P::SameAsOld),
        ("short", P::TooShort),
        ("       x", P::TooShort),
        ("12345678", P::Common),
        ("Password1", P::Common),
        ("qwerty123", P::Common),
        ("parol123", P::Common),
    ] {
        let e = app.change_password(&s, "admin123", new).unwrap_err();
        assert!(
            matches!(e, AppError::WeakPassword(p) if p == why),
            "{new}: {e:?}"
        );
    }

    assert!(matches!(
        app.change_password(&s, "wrong-old", "a-good-password"),
        Err(AppError::WrongCredentials)
    ));
    let s = app
        .change_password(&s, "admin123", "a-good-password")
        .unwrap();
    assert!(!s.must_change_password);
    assert!(app.employees(&s).is_ok());
    // A first password may not be the login either.
    let input = EmployeeInput {
        full_name: "Shop Keeper".into(),
        login: "shopkeeper1".into(),
        role: Role::Cashier,
        ..Default::default()
    };
    let e = app.create_employee(&s, &input, " ShopKeeper1").unwrap_err();
    assert!(matches!(e, AppError::WeakPassword(P::IsLogin)), "{e:?}");
    assert!(matches!(
        app.login("admin", "admin123"),
        Err(AppError::WrongCredentials)
    ));
    assert!(
        app.login(" ADMIN ", "a-good-password").is_ok(),
        "logins are trimmed and case-insensitive"
    );
}

#[test]
fn wrong_passwords_and_unknown_logins_look_the_same_and_are_audited() {
    let (_dir, mut app) = fresh();
    let a = app.login("admin", "nope").unwrap_err();
    let b = app.login("ghost", "nope").unwrap_err();
    assert_eq!(a.to_string(), "wrong login or password");
    assert_eq!(a.to_string(), b.to_string());
    let admin = admin(&mut app);
    let failures = app
        .audit_log(
            &admin,
            &AuditFilter {
                action_prefix: Some("login.failure".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].actor, "ghost");
}

#[test]
fn staff_protection_rules() {
    let mut shop = shop();
    let admin = shop.admin.clone();
    let main_admin_id = admin.employee_id;
    // Nobody deletes themselves; the main admin is never deleted or demoted.
    let second_admin = employee(&mut shop.app, &admin, "owner2", Role::Admin);
    assert!(matches!(
        shop.app.delete_employee(&admin, main_admin_id),
        Err(AppError::SelfDelete)
    ));
    assert!(matches!(
        shop.app.delete_employee(&second_admin, main_admin_id),
        Err(AppError::MainAdmin)
    ));
    let demote = EmployeeInput {
        full_name: "Administrator".into(),
        login: "admin".into(),
        role: Role::Manager,
        ..Default::default()
    };
    assert!(matches!(
        shop.app
            .update_employee(&second_admin, main_admin_id, &demote),
        Err(AppError::MainAdmin)
    ));
    // Logins are unique.
    let dup = EmployeeInput {
        full_name: "X".into(),
        login: "Cashier".into(),
        role: Role::Cashier,
        ..Default::default()
    };
    assert!(matches!(
        shop.app.create_employee(&admin, &dup, "password-1"),
        Err(AppError::LoginTaken(_))
    ));
    let bad = EmployeeInput {
        full_name: "X".into(),
        login: "bad login!".into(),
        role: Role::Cashier,
        ..Default::default()
    };
    assert!(matches!(
        shop.app.create_employee(&admin, &bad, "password-1"),
        Err(AppError::Invalid { field: "login", .. })
    ));
    // A cashier with an open shift cannot be deleted until it is closed.
    let cashier = shop.cashier.clone();
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    assert!(matches!(
        shop.app.delete_employee(&admin, cashier.employee_id),
        Err(AppError::ShiftStillOpen(_))
    ));
    shop.app.close_shift(&cashier, Money::ZERO, "").unwrap();
    shop.app
        .delete_employee(&admin, cashier.employee_id)
        .unwrap();
    // A deleted employee's session stops working at once, and they cannot log in.
    assert!(matches!(
        shop.app.open_shift(&cashier, Money::ZERO),
        Err(AppError::SessionGone)
    ));
    assert!(matches!(
        shop.app.login("cashier", PASSWORD),
        Err(AppError::WrongCredentials)
    ));
    // A role change takes effect on the next call, without logging in again.
    let manager = shop.manager.clone();
    let input = EmployeeInput {
        full_name: "manager name".into(),
        login: "manager".into(),
        role: Role::Cashier,
        ..Default::default()
    };
    shop.app
        .update_employee(&admin, manager.employee_id, &input)
        .unwrap();
    assert!(matches!(
        shop.app.employees(&manager),
        Err(AppError::Forbidden {
            role: Role::Cashier,
            ..
        })
    ));
    // A reset password must be changed at next login.
    shop.app
        .reset_password(&admin, manager.employee_id, "temporary-1")
        .unwrap();
    let s = shop.app.login("manager", "temporary-1").unwrap();
    assert!(s.must_change_password);
    assert!(matches!(
        shop.app.open_shift(&s, Money::ZERO),
        Err(AppError::PasswordChangeRequired)
    ));
}

#[test]
fn every_write_leaves_an_audit_row_in_its_transaction() {
    let mut shop = shop();
    let admin = shop.admin.clone();
    let before = scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM audit_logs");
    let p = shop
        .app
        .create_product(&admin, &product_input("Choy", 18_000, 14_000, ""))
        .unwrap();
    shop.app.delete_product(&admin, p.id).unwrap();
    shop.app
        .set_setting(
            &admin,
            "telegram.token",
            "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        )
        .unwrap();
    assert_eq!(
        scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM audit_logs"),
        before + 3
    );
    let log = shop.app.audit_log(&admin, &AuditFilter::default()).unwrap();
    assert_eq!(log[0].action, "setting.update");
    let after = log[0].after_json.clone().unwrap_or_default();
    assert!(
        !after.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        "a secret leaked into the audit log: {after}"
    );
    assert_eq!(log[1].action, "product.delete");
    assert!(
        log[1]
            .before_json
            .as_deref()
            .unwrap_or_default()
            .contains("Choy")
    );
    // Secrets are never shown back in full.
    let shown = shop.app.setting(&admin, "telegram.token").unwrap().unwrap();
    assert!(!shown.contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
}
