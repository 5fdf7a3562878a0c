//! Reliability and security: the tamper-evident audit log, login throttling, backups and
//! restores (also while sales are being written), and `kassa check`.

mod common;

use common::*;
use kassa::app::{App, AppError, Options};
use kassa::domain::{Money, Quantity};

fn raw(app: &mut App, sql: &str) -> Result<(), diesel::result::Error> {
    app.connection().batch_execute(sql)
}

#[test]
fn the_audit_log_is_append_only_and_an_edit_is_caught() {
    let mut shop = shop();
    let manager = shop.manager.clone();
    stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(5),
    );
    let (broken, rows) = shop.app.verify_audit().unwrap();
    assert_eq!(broken, None);
    assert!(rows >= 8, "{rows}");

    // The database itself refuses edits and deletes of sealed rows.
    let e = raw(
        &mut shop.app,
        "UPDATE audit_logs SET actor = 'nobody' WHERE id = 3",
    )
    .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(raw(&mut shop.app, "DELETE FROM audit_logs WHERE id = 3").is_err());

    // Someone who drops the guard and edits a row is still caught, at that row.
    raw(&mut shop.app, "DROP TRIGGER audit_logs_append_only_update; UPDATE audit_logs SET after_json = '{\"role\":\"admin\"}' WHERE id = 5").unwrap();
    let (broken, before) = shop.app.verify_audit().unwrap();
    let broken = broken.expect("the edit must be caught");
    assert_eq!(broken.id, 5);
    assert_eq!(before, 4);
    assert!(broken.reason.contains("changed"));
    assert!(
        shop.app
            .check()
            .unwrap()
            .iter()
            .any(|(c, _)| c.contains("audit"))
    );

    // And the CLI says so with a failure exit.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args([
            "--db",
            db_path(&shop.dir).to_str().unwrap(),
            "audit",
            "verify",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken at row 5"));
}

#[test]
fn a_deleted_audit_row_is_caught() {
    let mut shop = shop();
    raw(
        &mut shop.app,
        "DROP TRIGGER audit_logs_append_only_delete; DELETE FROM audit_logs WHERE id = 4",
    )
    .unwrap();
    let (broken, _) = shop.app.verify_audit().unwrap();
    let broken = broken.expect("a missing row must be caught");
    assert_eq!(broken.id, 5);
    assert!(broken.reason.contains("removed"));
}

#[test]
fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let mut shop = shop();
    for _ in 0..5 {
        assert!(matches!(
            shop.app.login("cashier", "wrong"),
            Err(AppError::WrongCredentials)
        ));
    }
    // Locked now: even the right password waits, and the lock grows with each failure.
    match shop.app.login("cashier", PASSWORD) {
        Err(AppError::LockedOut { seconds }) => assert!((1..=30).contains(&seconds), "{seconds}"),
        other => panic!("expected a lock, got {other:?}"),
    }
    freeze(&mut shop.app, "2026-11-24T07:00:31Z");
    assert!(matches!(
        shop.app.login("cashier", "wrong"),
        Err(AppError::WrongCredentials)
    ));
    match shop.app.login("cashier", PASSWORD) {
        Err(AppError::LockedOut { seconds }) => assert!((31..=60).contains(&seconds), "{seconds}"),
        other => panic!("expected a longer lock, got {other:?}"),
    }
    freeze(&mut shop.app, "2026-11-24T07:02:00Z");
    assert!(
        shop.app.login("cashier", PASSWORD).is_ok(),
        "the lock ends and the right password works"
    );
    // The count starts again after a success.
    assert!(matches!(
        shop.app.login("cashier", "wrong"),
        Err(AppError::WrongCredentials)
    ));
    assert!(shop.app.login("cashier", PASSWORD).is_ok());
    let admin = shop.admin.clone();
    let locked = shop
        .app
        .audit_log(
            &admin,
            &kassa::app::AuditFilter {
                action_prefix: Some("login.locked".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(locked.len(), 2);
    assert_eq!(kassa::app::lock_for(4), None);
    assert_eq!(
        kassa::app::lock_for(100).map(|d| d.num_seconds()),
        Some(900)
    );
}

/// A login that does not exist answers exactly as one that does, failure after failure:
/// the same refusals, locked after the same count, for the same time. Nothing tells an
/// attacker which logins exist. `kassa reset-admin` lifts the admin's lock.
#[test]
fn unknown_logins_lock_exactly_like_known_ones() {
    let mut shop = shop();
    let mut answers = Vec::new();
    for login in ["cashier", "nobody-here"] {
        let seen: Vec<String> = (0..7)
            .map(|_| match shop.app.login(login, "wrong") {
                Err(AppError::LockedOut { seconds }) => format!("locked {seconds}"),
                Err(e) => e.to_string(),
                Ok(_) => "in".into(),
            })
            .collect();
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "known and unknown logins differ");
    assert_eq!(answers[0][4], "wrong login or password");
    assert_eq!(answers[0][5], "locked 30");
    // Case and spaces do not make a new name to guess under.
    assert!(matches!(
        shop.app.login(" NOBODY-HERE ", "wrong"),
        Err(AppError::LockedOut { .. })
    ));
    // Locking out the admin: the command line's reset lets them in again.
    for _ in 0..5 {
        let _ = shop.app.login("admin", "wrong");
    }
    assert!(matches!(
        shop.app.login("admin", PASSWORD),
        Err(AppError::LockedOut { .. })
    ));
    shop.app
        .maintenance_reset_admin(Some("temporary-1"))
        .unwrap();
    assert!(shop.app.login("admin", "temporary-1").is_ok());
}

#[test]
fn backup_restore_and_check() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(50),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    sell_one(&mut shop.app, &cashier, p, "b1");
    assert!(
        shop.app.check().unwrap().is_empty(),
        "{:?}",
        shop.app.check()
    );

    let dir = shop.dir.path().join("manual");
    let backup = shop.app.backup(Some(&dir), 30).unwrap().path;
    assert!(backup.exists());
    let daily = shop
        .app
        .daily_backup_if_due(30)
        .unwrap()
        .expect("none was taken today in the default folder");
    assert_eq!(
        daily.parent(),
        Some(shop.dir.path().join("backups").as_path())
    );
    assert_eq!(shop.app.daily_backup_if_due(30).unwrap(), None, "one a day");
    sell_one(&mut shop.app, &cashier, p, "b2");
    let db = db_path(&shop.dir);

    // A file that is not a database is refused, and the live database is untouched.
    let junk = shop.dir.path().join("junk.db");
    std::fs::write(
        &junk,
        b"definitely not sqlite, but long enough to have a header",
    )
    .unwrap();
    assert!(kassa::store::backup::restore(&db, &junk, chrono::Utc::now()).is_err());
    assert_eq!(scalar(&mut shop.app, "SELECT COUNT(*) AS n FROM sales"), 2);

    drop(shop.app);
    let kept = kassa::store::backup::restore(&db, &backup, chrono::Utc::now())
        .unwrap()
        .expect("kept aside");
    assert!(kept.exists());
    let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
    assert_eq!(
        scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"),
        1,
        "the backup's state is back"
    );
    assert!(app.check().unwrap().is_empty());
    let mut old = App::open(&kept, Options { bcrypt_cost: 4 }).unwrap();
    assert_eq!(
        scalar(&mut old, "SELECT COUNT(*) AS n FROM sales"),
        2,
        "the replaced database is kept whole"
    );

    // `check` finds a stock that no longer matches its movements.
    raw(
        &mut app,
        &format!("UPDATE products SET stock = stock + 1000 WHERE id = {p}"),
    )
    .unwrap();
    let problems = app.check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].0.contains("stock"));

    // Retention keeps the newest.
    for _ in 0..3 {
        app.backup(Some(&dir), 2).unwrap();
    }
    assert_eq!(kassa::store::backup::list(&dir).len(), 2);
}

#[test]
fn a_backup_taken_while_sales_are_written_restores_to_a_sound_database() {
    let mut shop = shop();
    let (manager, cashier) = (shop.manager.clone(), shop.cashier.clone());
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(10_000),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    let db = db_path(&shop.dir);
    let writer = {
        let db = db.clone();
        let cashier = cashier.clone();
        std::thread::spawn(move || {
            let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
            for i in 0..300 {
                sell_one(&mut app, &cashier, p, &format!("w{i}"));
            }
        })
    };
    let dir = shop.dir.path().join("live");
    let mut backups = Vec::new();
    while !writer.is_finished() {
        backups.push(shop.app.backup(Some(&dir), 100).unwrap().path);
    }
    writer.join().unwrap();
    assert!(!backups.is_empty());
    for b in &backups {
        kassa::store::backup::check_file(b).unwrap();
        let mut copy = App::open(b, Options { bcrypt_cost: 4 }).unwrap();
        assert!(
            copy.check().unwrap().is_empty(),
            "{}: {:?}",
            b.display(),
            copy.check()
        );
    }
}
