//! The `kassa` binary's subcommands, run as a person would run them, on real files.

mod common;

fn kassa(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let db = db.display().to_string();
    let mut all = vec!["--db", db.as_str()];
    all.extend_from_slice(args);
    common::run_kassa(&all)
}

#[test]
fn a_new_database_gets_the_default_admin_and_the_helpers_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sub").join("shop.db");
    let (ok, out, _) = kassa(&db, &["--no-window"]);
    assert!(ok);
    assert!(out.contains("admin / admin123"), "{out}");
    assert!(db.exists());

    let (ok, out, _) = kassa(&db, &["users"]);
    assert!(ok);
    assert!(
        out.contains("admin") && out.contains("must change password"),
        "{out}"
    );

    let (ok, out, _) = kassa(&db, &["migrate"]);
    assert!(ok && out.contains("up to date"), "{out}");

    let (ok, out, err) = kassa(&db, &["demo-data", "--days", "3"]);
    assert!(ok, "{err}");
    assert!(out.contains("products"), "{out}");
    let (ok, _, err) = kassa(&db, &["demo-data", "--days", "3"]);
    assert!(!ok, "demo data twice must be refused");
    assert!(err.contains("already has sales"), "{err}");

    let (ok, out, _) = kassa(&db, &["shifts"]);
    assert!(ok && out.lines().count() >= 4, "{out}");
    let (ok, out, _) = kassa(&db, &["shifts", "--open"]);
    assert!(ok && out.contains("No open shifts"), "{out}");

    let (ok, out, _) = kassa(&db, &["reset-admin"]);
    assert!(ok && out.contains("admin123"), "{out}");
}

#[test]
fn close_all_closes_open_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    {
        let mut app = kassa::app::App::open(&db, kassa::app::Options { bcrypt_cost: 4 }).unwrap();
        let s = app.login("admin", "admin123").unwrap();
        let s = app
            .change_password(&s, "admin123", "long-enough-1")
            .unwrap();
        app.open_shift(&s, kassa::domain::Money::from_major(50_000))
            .unwrap();
    }
    let (ok, out, _) = kassa(&db, &["shifts", "--open"]);
    assert!(ok && out.contains("open"), "{out}");
    let (ok, out, _) = kassa(&db, &["shifts", "close-all"]);
    assert!(ok && out.contains("1 open shift(s) closed"), "{out}");
    let (ok, out, _) = kassa(&db, &["shifts", "--open"]);
    assert!(ok && out.contains("No open shifts"), "{out}");
}

#[test]
fn errors_are_one_sentence_and_a_failure_exit() {
    let dir = tempfile::tempdir().unwrap();
    let not_db = dir.path().join("notes.txt");
    std::fs::write(
        &not_db,
        "this is not a database, just some text that is long enough",
    )
    .unwrap();
    let (ok, out, err) = kassa(&not_db, &["users"]);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("not a Kassa database"), "{err}");
    // Unchanged.
    assert!(
        std::fs::read_to_string(&not_db)
            .unwrap()
            .starts_with("this is not")
    );

    // A database from a newer Kassa is refused, not damaged.
    let db = dir.path().join("newer.db");
    assert!(kassa(&db, &["migrate"]).0);
    {
        use diesel::prelude::*;
        let mut conn = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
        diesel::sql_query(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
        )
        .execute(&mut conn)
        .unwrap();
    }
    let (ok, _, err) = kassa(&db, &["users"]);
    assert!(!ok);
    assert!(err.contains("newer version of Kassa"), "{err}");

    let (ok, _, err) = kassa(&db, &["no-such-command"]);
    assert!(!ok);
    assert!(err.contains("unrecognized subcommand"), "{err}");
}

#[test]
fn help_is_available_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    for args in [
        &["--help"][..],
        &["users", "--help"],
        &["shifts", "--help"],
        &["shifts", "close-all", "--help"],
        &["demo-data", "--help"],
        &["reset-admin", "--help"],
        &["migrate", "--help"],
    ] {
        let (ok, out, _) = kassa(&db, args);
        assert!(ok && out.contains("Usage"), "{args:?}: {out}");
    }
    assert!(!db.exists(), "--help must not create a database");
}

/// `kassa report --help` names every report the command writes.
#[test]
fn report_help_names_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    let (ok, out, _) = kassa(&db, &["report", "--help"]);
    assert!(ok, "{out}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for kind in kassa::app::ReportKind::ALL {
        assert!(
            flat.contains(kind.code()),
            "{} is missing: {out}",
            kind.code()
        );
    }
}

/// `kassa settings`: list, get and set, checked like the Settings tab, audited, secrets
/// never printed; an unknown key or a bad value is refused and changes nothing.
#[test]
fn settings_are_listed_read_and_changed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    assert!(kassa(&db, &["migrate"]).0);
    let (ok, out, err) = kassa(
        &db,
        &["settings", "set", "printer.port", "tcp:127.0.0.1:9100"],
    );
    assert!(
        ok && out.contains("printer.port = tcp:127.0.0.1:9100"),
        "{out}{err}"
    );
    let (ok, out, _) = kassa(&db, &["settings", "get", "printer.port"]);
    assert!(ok && out.trim() == "tcp:127.0.0.1:9100", "{out}");
    // Yes and no in the shop's languages are kept as yes/no.
    for (word, kept) in [("ha", "yes"), ("нет", "no"), ("Yoʻq", "no"), ("да", "yes")] {
        let (ok, out, err) = kassa(&db, &["settings", "set", "stock.allow_negative", word]);
        assert!(
            ok && out.contains(&format!("= {kept}")),
            "{word}: {out}{err}"
        );
    }
    let (ok, out, _) = kassa(
        &db,
        &["settings", "set", "fiscal.password", "very-secret-9"],
    );
    assert!(ok && !out.contains("very-secret-9"), "{out}");
    let (ok, out, _) = kassa(&db, &["settings", "list"]);
    assert!(
        ok && out.contains("fiscal.provider = ") && !out.contains("very-secret-9"),
        "{out}"
    );
    for bad in [
        &["settings", "set", "printer.width", "61"][..],
        &["settings", "set", "no.such.key", "x"],
        &["settings", "set", "fiscal.provider", "acme"],
    ] {
        let (ok, _, err) = kassa(&db, bad);
        assert!(!ok && err.starts_with("kassa: "), "{bad:?}: {err}");
    }
    let (_, out, _) = kassa(&db, &["settings", "get", "printer.width"]);
    assert_eq!(out.trim(), "", "a refused value changed nothing");
    // Audited, by the command, with the secret masked.
    let mut app = kassa::app::App::open_read_only(&db).unwrap();
    let audit = common_text(
        &mut app,
        "SELECT group_concat(actor || ' ' || COALESCE(after_json, ''), '|') AS t FROM audit_logs WHERE action = 'setting.update'",
    );
    assert!(
        audit.contains("kassa settings") && audit.contains("printer.port"),
        "{audit}"
    );
    assert!(!audit.contains("very-secret-9"), "{audit}");
}

fn common_text(app: &mut kassa::app::App, sql: &str) -> String {
    use kassa::store::db::prelude::*;
    #[derive(QueryableByName)]
    struct T {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    diesel::sql_query(sql)
        .get_result::<T>(app.connection())
        .map(|r| r.t)
        .unwrap_or_default()
}
