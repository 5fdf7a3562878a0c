//! "Nothing lost, whatever else touches the database file": other OS processes reading and
//! writing the file beside the program's own writers, a second program on the same file,
//! restores and backups that fail or are killed half-way, commands given the wrong file,
//! read-only files, file modes, and the audit chain's anchors.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{product_input, scalar, sell_one, shop, stocked};
use diesel::connection::SimpleConnection;
use kassa::app::{App, Options};
use kassa::domain::{Money, Quantity};
use kassa::store::db::prelude::*;

fn kassa_cmd(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kassa"));
    c.arg("--db").arg(db).args(args).env("KASSA_LOG", "error");
    c
}

fn run(mut c: Command) -> (bool, String, String) {
    let out = c.output().expect("run kassa");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file in `dir` (but the lock file, which a refused command may create) with a hash
/// of its bytes: what "not a byte written" is checked against.
fn snapshot(dir: &Path) -> Vec<(String, u64, u64)> {
    use std::hash::{Hash, Hasher};
    let mut v: Vec<(String, u64, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_file())
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            (
                e.file_name().to_string_lossy().into_owned(),
                bytes.len() as u64,
                h.finish(),
            )
        })
        .collect();
    v.sort();
    v
}

const OUTSIDE_DB: &str = "KASSA_TEST_OUTSIDE_DB";

/// The other program of [`another_process_using_the_file_loses_no_sale`]: this test binary
/// run again, opening the database with plain SQLite (no busy timeout, like the `sqlite3`
/// shell), reading, writing a table of its own and closing, many times.
#[test]
#[ignore = "run by another_process_using_the_file_loses_no_sale as its child process"]
fn outside_sqlite_client() {
    use std::io::Write;
    let Ok(db) = std::env::var(OUTSIDE_DB) else {
        return;
    };
    let stop = PathBuf::from(format!("{db}.stop"));
    let mut out = std::io::stdout().lock();
    let mut i = 0;
    while !stop.exists() {
        i += 1;
        let mut done = false;
        if let Ok(mut c) = diesel::SqliteConnection::establish(&db) {
            let read = diesel::sql_query("SELECT COUNT(*) AS n FROM sales").execute(&mut c);
            let write = if i % 5 == 0 {
                c.batch_execute(&format!(
                    "CREATE TABLE IF NOT EXISTS outside_notes (n INTEGER); INSERT INTO outside_notes VALUES ({i});"
                ))
            } else {
                Ok(())
            };
            done = read.is_ok() && write.is_ok();
        }
        // Closed by now: report the cycle.
        writeln!(out, "cycle {i} {}", if done { "ok" } else { "busy" }).unwrap();
        out.flush().unwrap();
    }
}

/// The Python script of [`outside_client`]: the same cycles as [`outside_sqlite_client`].
const PYTHON_CLIENT: &str = r#"
import os, sqlite3, sys
db = sys.argv[1]
i = 0
while not os.path.exists(db + ".stop"):
    i += 1
    ok = True
    try:
        c = sqlite3.connect(db, timeout=0)
        c.execute("SELECT COUNT(*) FROM sales").fetchone()
        if i % 5 == 0:
            c.execute("CREATE TABLE IF NOT EXISTS outside_notes (n INTEGER)")
            c.execute("INSERT INTO outside_notes VALUES (?)", (i,))
            c.commit()
        c.close()
    except sqlite3.Error:
        ok = False
    print("cycle %d %s" % (i, "ok" if ok else "busy"), flush=True)
"#;

/// Another program on the file: Python's `sqlite3` (the system's SQLite library, as the
/// `sqlite3` shell, DB Browser or a backup script would use) when Python is there, else
/// this test binary with its own SQLite. The system library is the one that deletes a WAL
/// when it finds no other process's lock on the database at close.
fn outside_client(db: &Path) -> std::process::Child {
    let python = Command::new("python3")
        .arg("-c")
        .arg(PYTHON_CLIENT)
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    match python {
        Ok(c) => c,
        Err(_) => Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "outside_sqlite_client",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(OUTSIDE_DB, db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    }
}

/// The program's own writers (the till's connection, the printer thread, log-in and report
/// workers opening and closing their connections) sell while another OS process opens,
/// reads, writes and closes the same file with SQLite, again and again, in the pauses
/// between sales. Afterwards every committed sale is there and the file is sound. Before
/// the fix, each worker connection's header check opened and closed the database with
/// `std::fs`, which dropped the process's SQLite locks, and the other process deleted the
/// WAL under the till.
#[test]
fn another_process_using_the_file_loses_no_sale() {
    let (mut shop, p) = selling_shop(100_000);
    let cashier = shop.cashier.clone();
    shop.app.set_clock(chrono::Utc::now);
    let db = common::db_path(&shop.dir);

    // The printer thread, as the window runs it.
    let status = Arc::new(Mutex::new(kassa::devices::printer::PrinterStatus::default()));
    let (wake, wake_rx) = std::sync::mpsc::channel();
    kassa::devices::printer::spawn(&db, status, wake_rx).unwrap();

    let mut child = outside_client(&db);
    let (tx, cycles) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("cycle ") {
                let _ = tx.send(rest.ends_with(" ok"));
            }
        }
    });
    let deleted_files = || {
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|fd| std::fs::read_link(fd.path()).ok())
            .map(|t| t.to_string_lossy().into_owned())
            .filter(|t| t.contains("kassa.db") && t.contains("(deleted)"))
            .collect::<Vec<_>>()
    };
    let mut outside_ok = 0;
    const SALES: usize = 150;
    for i in 0..SALES {
        sell_one(&mut shop.app, &cashier, p, &format!("o{i}"));
        let _ = wake.send(());
        // Workers open and close their own connections, as log-in and reports do.
        if i % 3 == 0 {
            let mut w = App::open_existing(&db, Options { bcrypt_cost: 4 }).unwrap();
            scalar(&mut w, "SELECT COUNT(*) AS n FROM sales");
            let mut r = App::open_read_only(&db).unwrap();
            scalar(&mut r, "SELECT COUNT(*) AS n FROM sales");
        }
        // The till pauses while the other program opens, reads and closes the file twice
        // (observed, not timed).
        for _ in 0..2 {
            let ok = cycles
                .recv_timeout(Duration::from_secs(120))
                .expect("the outside process stopped reporting");
            outside_ok += usize::from(ok);
        }
        // No descriptor of this process may point at a deleted -wal or -shm.
        let deleted = deleted_files();
        assert!(
            deleted.is_empty(),
            "after {i} sales, writing into deleted files: {deleted:?}"
        );
    }
    std::fs::write(format!("{}.stop", db.display()), b"").unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    assert!(
        outside_ok >= SALES,
        "the outside process got to read and write only {outside_ok} times"
    );
    drop(wake);
    drop(shop.app);

    // A fresh start sees every sale, and the file is sound.
    let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
    assert_eq!(
        scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"),
        SALES as i64,
        "a committed sale is missing"
    );
    assert!(app.check().unwrap().is_empty(), "{:?}", app.check());
}

/// Starts `kassa bot` on `db` against a fake Telegram; returns once it holds the file.
fn start_bot(db: &Path, fake: &common::fake_telegram::FakeTelegram) -> std::process::Child {
    let mut child = kassa_cmd(db, &["bot"])
        .env("KASSA_TELEGRAM_TOKEN", common::fake_telegram::TOKEN)
        .env("KASSA_TELEGRAM_API", fake.url.as_str())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the event: its pid written into the lock file.
    let lock = kassa::store::lock::lock_path(db);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != child.id().to_string() {
        assert!(Instant::now() < deadline, "kassa bot did not take the lock");
        assert!(child.try_wait().unwrap().is_none(), "kassa bot ended");
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

/// One program per file: a second bot is refused with a sentence naming the file and the
/// holder; one that starts while the first is still closing waits, says so, and then runs.
/// Read commands work beside it, and `restore` is refused.
#[test]
fn a_second_program_on_the_same_file_is_refused_and_waits_for_one_closing() {
    let (dir, app) = common::fresh();
    drop(app);
    let db = common::db_path(&dir);
    let fake = common::fake_telegram::FakeTelegram::start();
    let mut first = start_bot(&db, &fake);

    // In this process: the lock is taken, and the holder is named.
    let held = kassa::store::lock::acquire(&db, Duration::from_millis(300), |_| {}).unwrap_err();
    let text = held.to_string();
    assert!(
        text.contains(&db.display().to_string()) && text.contains(&first.id().to_string()),
        "{text}"
    );

    // Read commands work beside the running program.
    let (ok, out, err) = run(kassa_cmd(&db, &["users"]));
    assert!(ok && out.contains("admin"), "{out}{err}");
    let (ok, out, err) = run(kassa_cmd(&db, &["check"]));
    assert!(ok && out.contains("all checks passed"), "{out}{err}");

    // Restore is refused while the file is held.
    let backup_dir = dir.path().join("b");
    let (ok, out, err) = backup_to(&db, &backup_dir);
    assert!(ok, "{out}{err}");
    let backup = kassa::store::backup::list(&backup_dir).pop().unwrap();
    let (ok, _, err) = run(kassa_cmd(&db, &["restore", backup.to_str().unwrap()]));
    assert!(!ok && err.contains("in use"), "{err}");

    // A second bot waits (and says so), then runs once the first is gone.
    let mut second = kassa_cmd(&db, &["bot"])
        .env("KASSA_TELEGRAM_TOKEN", common::fake_telegram::TOKEN)
        .env("KASSA_TELEGRAM_API", fake.url.as_str())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(second.stdout.take().unwrap()).lines();
    let first_line = lines.next().unwrap().unwrap();
    assert!(
        first_line.contains("Waiting for") && first_line.contains(&first.id().to_string()),
        "{first_line}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let next = lines.next().unwrap().unwrap();
    assert!(next.contains("Telegram bot started"), "{next}");
    second.kill().unwrap();
    second.wait().unwrap();
}

/// A second program that never lets go: refused with one sentence after the wait.
#[test]
fn a_second_bot_is_refused_while_the_first_runs() {
    let (dir, app) = common::fresh();
    drop(app);
    let db = common::db_path(&dir);
    let fake = common::fake_telegram::FakeTelegram::start();
    let mut first = start_bot(&db, &fake);
    let (ok, _, err) = run({
        let mut c = kassa_cmd(&db, &["bot"]);
        c.env("KASSA_TELEGRAM_TOKEN", common::fake_telegram::TOKEN)
            .env("KASSA_TELEGRAM_API", fake.url.as_str());
        c
    });
    assert!(!ok);
    assert!(
        err.contains(&db.display().to_string())
            && err.contains(&format!("process {}", first.id()))
            && err.contains("in use"),
        "{err}"
    );
    first.kill().unwrap();
    first.wait().unwrap();
}

/// A shop with a printer writing to a file, a product with `stock` pieces of Non at
/// 4 000 so'm and the cashier's shift open.
fn selling_shop(stock: i64) -> (common::Shop, i32) {
    let mut shop = shop();
    let (admin, manager, cashier) = (
        shop.admin.clone(),
        shop.manager.clone(),
        shop.cashier.clone(),
    );
    let printer = shop.dir.path().join("printer.bin");
    shop.app
        .set_setting(
            &admin,
            "printer.port",
            &format!("file:{}", printer.display()),
        )
        .unwrap();
    let p = stocked(
        &mut shop.app,
        &manager,
        product_input("Non", 4_000, 3_000, ""),
        Quantity::units(stock),
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    (shop, p)
}

/// `kassa backup --dir DIR` on `db`.
fn backup_to(db: &Path, dir: &Path) -> (bool, String, String) {
    run(kassa_cmd(db, &["backup", "--dir", dir.to_str().unwrap()]))
}

/// A Kassa database with a few sales, closed.
fn small_shop() -> (tempfile::TempDir, PathBuf) {
    let (mut shop, p) = selling_shop(500);
    let cashier = shop.cashier.clone();
    for i in 0..40 {
        sell_one(&mut shop.app, &cashier, p, &format!("s{i}"));
    }
    let db = common::db_path(&shop.dir);
    drop(shop.app);
    (shop.dir, db)
}

#[test]
fn restore_refuses_the_live_file_and_bad_backups_and_changes_nothing() {
    let (dir, db) = small_shop();
    let before = snapshot(dir.path());
    // The live database itself, by its own name and through a hard link.
    let (ok, _, err) = run(kassa_cmd(&db, &["restore", db.to_str().unwrap()]));
    assert!(!ok && err.contains("live database"), "{err}");
    let other = dir.path().join("other-name.db");
    std::fs::hard_link(&db, &other).unwrap();
    let (ok, _, err) = run(kassa_cmd(&db, &["restore", other.to_str().unwrap()]));
    assert!(!ok && err.contains("live database"), "{err}");
    std::fs::remove_file(&other).unwrap();
    // Not a backup at all, and a damaged one.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![b'x'; 8192]).unwrap();
    let (ok, _, err) = run(kassa_cmd(&db, &["restore", junk.to_str().unwrap()]));
    assert!(!ok && err.contains("not a Kassa database"), "{err}");
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 4096] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let (ok, _, err) = run(kassa_cmd(&db, &["restore", damaged.to_str().unwrap()]));
    assert!(!ok, "a damaged backup was restored: {err}");
    std::fs::remove_file(&junk).unwrap();
    std::fs::remove_file(&damaged).unwrap();
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a refused restore changed files"
    );
}

/// `sh -c` with the file size limit at `kib` and SIGXFSZ ignored, so that writes past it
/// fail as on a full disk.
fn with_file_limit(kib: u64, db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_kassa"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("KASSA_LOG", "error");
    c
}

#[test]
fn a_restore_or_backup_on_a_full_disk_leaves_the_database_and_no_backup_name() {
    let (dir, db) = small_shop();
    let backups = dir.path().join("backups");
    let (ok, out, err) = backup_to(&db, &backups);
    assert!(ok, "{out}{err}");
    let good = kassa::store::backup::list(&backups).pop().unwrap();
    let size_kib = std::fs::metadata(&db).unwrap().len() / 1024;
    assert!(size_kib > 8);
    let before = snapshot(dir.path());
    let listed = kassa::store::backup::list(&backups);

    // Restore with room for only part of the file.
    let (ok, _, err) = run(with_file_limit(
        size_kib / 2,
        &db,
        &["restore", good.to_str().unwrap()],
    ));
    assert!(!ok, "restore succeeded under a file size limit");
    assert!(err.starts_with("kassa: "), "{err}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a failed restore changed the database"
    );

    // Backup with room for only part of the file: nothing under a backup name.
    let (ok, _, _) = run(with_file_limit(
        size_kib / 2,
        &db,
        &["backup", "--dir", backups.to_str().unwrap()],
    ));
    assert!(!ok, "backup succeeded under a file size limit");
    assert_eq!(kassa::store::backup::list(&backups), listed);
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        listed.len(),
        "leftovers"
    );

    // And with room, the restore goes through and the old database is kept beside.
    let (ok, out, err) = run(kassa_cmd(&db, &["restore", good.to_str().unwrap()]));
    assert!(ok, "{out}{err}");
    assert!(out.contains("kept as"), "{out}");
    let mut app = App::open_read_only(&db).unwrap();
    assert_eq!(scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"), 40);
}

/// A backup killed at random points never leaves a file under a backup name that is not a
/// sound Kassa database; the next backup clears what the killed one left.
#[test]
fn a_killed_backup_leaves_nothing_under_a_backup_name() {
    use rand::{Rng, SeedableRng};
    let (dir, db) = small_shop();
    let backups = dir.path().join("backups");
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    for _ in 0..15 {
        let mut child = kassa_cmd(
            &db,
            &[
                "backup",
                "--dir",
                backups.to_str().unwrap(),
                "--keep",
                "100",
            ],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        // Kill once the backup folder exists (an observed event), after a random spin.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !backups.exists() && child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline);
            std::thread::yield_now();
        }
        for _ in 0..rng.random_range(0..3_000_000u32) {
            std::hint::spin_loop();
        }
        let _ = child.kill();
        child.wait().unwrap();
        for b in kassa::store::backup::list(&backups) {
            kassa::store::backup::check_file(&b)
                .unwrap_or_else(|e| panic!("{} is not sound: {e}", b.display()));
        }
    }
    let (ok, out, err) = run(kassa_cmd(
        &db,
        &[
            "backup",
            "--dir",
            backups.to_str().unwrap(),
            "--keep",
            "100",
        ],
    ));
    assert!(ok, "{out}{err}");
    for e in std::fs::read_dir(&backups).unwrap().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            kassa::store::backup::is_backup_name(&name),
            "left behind: {name}"
        );
    }
}

#[test]
fn pruning_never_deletes_the_live_database() {
    let (dir, db) = small_shop();
    // A live database whose name looks like a backup, in the backup folder itself.
    let live = dir.path().join("kassa-20200101-000000.db");
    std::fs::rename(&db, &live).unwrap();
    let also = dir.path().join("kassa-1.db");
    std::fs::copy(&live, &also).unwrap();
    for _ in 0..3 {
        let (ok, out, err) = run(kassa_cmd(
            &live,
            &[
                "backup",
                "--dir",
                dir.path().to_str().unwrap(),
                "--keep",
                "1",
            ],
        ));
        assert!(ok, "{out}{err}");
    }
    assert!(live.exists(), "the live database was pruned");
    assert!(also.exists(), "a file not named like a backup was pruned");
    let listed = kassa::store::backup::list(dir.path());
    assert_eq!(listed.len(), 2, "{listed:?}"); // the live one (protected) and the newest
    let mut app = App::open_read_only(&live).unwrap();
    assert_eq!(scalar(&mut app, "SELECT COUNT(*) AS n FROM sales"), 40);
}

/// Every command but the window's first start, `migrate` and `demo-data` refuses a missing
/// file, an empty file, a text file and another program's SQLite file, without writing a
/// byte.
#[test]
fn commands_refuse_the_wrong_file_without_writing_a_byte() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other.sqlite");
    {
        let mut c = diesel::SqliteConnection::establish(foreign.to_str().unwrap()).unwrap();
        c.batch_execute("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "shopping list\n".repeat(100)).unwrap();
    let missing = dir.path().join("missing.db");
    let backup_dir = dir.path().join("bk");
    let commands: Vec<Vec<&str>> = vec![
        vec!["users"],
        vec!["shifts"],
        vec!["shifts", "close-all"],
        vec!["check"],
        vec!["audit", "verify"],
        vec!["report", "sales-by-product"],
        vec!["backup", "--dir", backup_dir.to_str().unwrap()],
        vec!["reset-admin"],
        vec!["bot"],
    ];
    for file in [&foreign, &empty, &text, &missing] {
        for args in &commands {
            let before = snapshot(dir.path());
            let (ok, out, err) = run(kassa_cmd(file, args));
            assert!(!ok, "{args:?} on {}: accepted: {out}", file.display());
            assert_eq!(err.lines().count(), 1, "{args:?}: not one sentence: {err}");
            assert!(
                err.contains("not a Kassa database") || err.contains("does not exist"),
                "{args:?} on {}: {err}",
                file.display()
            );
            assert_eq!(
                snapshot(dir.path()),
                before,
                "{args:?} on {} wrote something",
                file.display()
            );
            assert!(!backup_dir.exists());
        }
    }
    // The window's first start (here without the window) creates one; it refuses to turn
    // another program's file into a Kassa database.
    std::fs::set_permissions(&foreign, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&foreign).unwrap();
    let (ok, _, err) = run(kassa_cmd(&foreign, &["--no-window"]));
    assert!(!ok && err.contains("another program"), "{err}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    assert_eq!(
        mode(&foreign),
        0o644,
        "another program's file had its mode changed"
    );
    let (ok, out, _) = run(kassa_cmd(&missing, &["migrate"]));
    assert!(ok && out.contains("up to date"), "{out}");
}

/// Read-only commands work on a read-only file in a read-only folder, run as an
/// unprivileged user (root ignores permissions, so this test drops to `nobody`).
#[test]
fn read_commands_work_on_a_read_only_file_in_a_read_only_folder() {
    let (dir, db) = small_shop();
    let uid = unsafe { libc::geteuid() };
    let setpriv = Path::new("/usr/bin/setpriv");
    if uid != 0 || !setpriv.exists() {
        eprintln!("skipped: needs root and setpriv to run as another user");
        return;
    }
    // A folder `nobody` can reach but not write, with the binary it can run.
    let ro = tempfile::Builder::new()
        .prefix("kassa-ro")
        .tempdir_in("/tmp")
        .unwrap();
    let shop_dir = ro.path().join("shop");
    std::fs::create_dir(&shop_dir).unwrap();
    let file = shop_dir.join("kassa.db");
    std::fs::copy(&db, &file).unwrap();
    let bin = ro.path().join("kassa");
    std::fs::copy(env!("CARGO_BIN_EXE_kassa"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&shop_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(ro.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let before = snapshot(&shop_dir);
    let out_dir = ro.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::set_permissions(&out_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let as_nobody = |args: &[&str]| {
        let mut c = Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .arg("--db")
            .arg(&file)
            .args(args)
            .env("KASSA_LOG", "error")
            .env("HOME", &out_dir)
            .current_dir(&out_dir);
        run(c)
    };
    let backups = out_dir.join("backups");
    for args in [
        vec!["users"],
        vec!["shifts"],
        vec!["check"],
        vec!["audit", "verify"],
        vec![
            "report",
            "sales-by-product",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
        vec!["backup", "--dir", backups.to_str().unwrap()],
    ] {
        let (ok, out, err) = as_nobody(&args);
        assert!(ok, "{args:?} on a read-only file: {err}");
        assert!(!out.is_empty(), "{args:?}");
    }
    assert_eq!(kassa::store::backup::list(&backups).len(), 1);
    // And a writing command says why it cannot, in one sentence.
    let (ok, _, err) = as_nobody(&["reset-admin"]);
    assert!(!ok && err.lines().count() == 1, "{err}");
    assert!(err.contains("can only be read"), "{err}");
    assert_eq!(snapshot(&shop_dir), before);
    drop(dir);
}

/// Files are owner-only whatever the umask: the database, its -wal and -shm, the lock file,
/// the backup folder and backups, exports.
#[test]
fn files_are_owner_only_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("kassa.db");
    let sh = |args: &str| {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("umask 022; exec \"$0\" --db \"$1\" {args}"))
            .arg(env!("CARGO_BIN_EXE_kassa"))
            .arg(&db)
            .env("KASSA_LOG", "error")
            .current_dir(dir.path());
        run(c)
    };
    let (ok, _, err) = sh("--no-window");
    assert!(ok, "{err}");
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    let (ok, _, err) = sh("backup --dir backups");
    assert!(ok, "{err}");
    let backups = dir.path().join("backups");
    assert_eq!(mode(&backups), 0o700);
    let b = kassa::store::backup::list(&backups).pop().unwrap();
    assert_eq!(mode(&b), 0o600);
    for format in ["csv", "xlsx", "pdf"] {
        let out = dir.path().join(format!("r.{format}"));
        let (ok, _, err) = sh(&format!(
            "report sales-by-product --format {format} --out {}",
            out.display()
        ));
        assert!(ok, "{err}");
        assert_eq!(mode(&out), 0o600, "{format} export");
    }
    // While a program holds the database: -wal, -shm and the lock file.
    let fake = common::fake_telegram::FakeTelegram::start();
    let mut bot = {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg("umask 022; exec \"$0\" --db \"$1\" bot")
            .arg(env!("CARGO_BIN_EXE_kassa"))
            .arg(&db)
            .env("KASSA_TELEGRAM_TOKEN", common::fake_telegram::TOKEN)
            .env("KASSA_TELEGRAM_API", fake.url.as_str())
            .env("KASSA_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c.spawn().unwrap()
    };
    let lock = kassa::store::lock::lock_path(&db);
    let wal = kassa::store::side_file(&db, "-wal");
    let shm = kassa::store::side_file(&db, "-shm");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(lock.exists() && wal.exists() && shm.exists()) {
        assert!(
            Instant::now() < deadline,
            "the bot did not open the database"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    for p in [&lock, &wal, &shm] {
        assert_eq!(mode(p), 0o600, "{}", p.display());
    }
    bot.kill().unwrap();
    bot.wait().unwrap();
}

fn raw(db: &Path, sql: &str) {
    let mut c = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    c.batch_execute(sql).unwrap();
}

/// Someone with the file cannot re-seal the audit chain: a row without a hash is reported,
/// never sealed; an anchor printed on the Z report detects rows cut from the end and a
/// chain rebuilt from an edited row.
#[test]
fn the_audit_chain_cannot_be_resealed_and_anchors_catch_truncation() {
    let (mut shop, p) = selling_shop(50);
    let cashier = shop.cashier.clone();
    sell_one(&mut shop.app, &cashier, p, "a1");
    let z = shop
        .app
        .close_shift(&cashier, Money::from_major(4_000), "")
        .unwrap();
    let anchor = z
        .audit_anchor
        .clone()
        .expect("the Z report carries the anchor");
    // The printed Z report shows it.
    let doc: String = common::scalar_text(
        &mut shop.app,
        "SELECT document AS t FROM print_jobs WHERE kind = 'z_report'",
    );
    assert!(
        doc.contains(&anchor),
        "the Z report does not print {anchor}"
    );
    shop.app.open_shift(&cashier, Money::ZERO).unwrap();
    sell_one(&mut shop.app, &cashier, p, "a2");
    let db = common::db_path(&shop.dir);
    drop(shop.app);

    let verify = |extra: &[&str]| {
        let mut args = vec!["audit", "verify"];
        args.extend_from_slice(extra);
        run(kassa_cmd(&db, &args))
    };
    let (ok, out, err) = verify(&["--anchor", &anchor]);
    assert!(ok && out.contains("holds the anchor"), "{out}{err}");

    // Edit a row before the anchor and rebuild the whole chain: plain verify is fooled,
    // the anchor is not.
    let copy = shop.dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    {
        let mut app = App::open_existing(&copy, Options { bcrypt_cost: 4 }).unwrap();
        let c = app.connection().sqlite().expect("a shop file");
        c.batch_execute(
            "DROP TRIGGER audit_logs_append_only_update; DROP TRIGGER audit_logs_append_only_delete;
             UPDATE audit_logs SET actor = 'someone else' WHERE id = 3;",
        )
        .unwrap();
        // Re-chain every row as an attacker would.
        let rows: Vec<kassa::app::AuditRecord> = kassa::store::schema::audit_logs::table
            .order(kassa::store::schema::audit_logs::id)
            .select(kassa::app::AuditRecord::as_select())
            .load(c)
            .unwrap();
        let mut prev = String::new();
        for r in rows {
            let h = kassa::app::row_hash(&prev, &r);
            diesel::update(kassa::store::schema::audit_logs::table.find(r.id))
                .set((
                    kassa::store::schema::audit_logs::prev_hash.eq(&prev),
                    kassa::store::schema::audit_logs::hash.eq(&h),
                ))
                .execute(c)
                .unwrap();
            prev = h;
        }
    }
    let (ok, _, _) = run(kassa_cmd(&copy, &["audit", "verify"]));
    assert!(ok, "a rebuilt chain verifies on its own (documented)");
    let (ok, _, err) = run(kassa_cmd(&copy, &["audit", "verify", "--anchor", &anchor]));
    assert!(!ok && err.contains("does not hold"), "{err}");

    // Blank the hashes from a row on: reported as broken, and opening the program does not
    // seal them again.
    let copy2 = shop.dir.path().join("copy2.db");
    std::fs::copy(&db, &copy2).unwrap();
    raw(
        &copy2,
        "DROP TRIGGER audit_logs_append_only_update; UPDATE audit_logs SET actor = 'x', hash = '', prev_hash = '' WHERE id >= 4;",
    );
    drop(App::open(&copy2, Options { bcrypt_cost: 4 }).unwrap());
    let (ok, _, err) = run(kassa_cmd(&copy2, &["audit", "verify"]));
    assert!(!ok && err.contains("row 4"), "{err}");

    // Cut rows from the end: the chain itself still verifies, the anchor does not.
    let n: i64 = anchor.split(':').next().unwrap().parse().unwrap();
    raw(
        &db,
        &format!(
            "DROP TRIGGER audit_logs_append_only_delete; DELETE FROM audit_logs WHERE id > (SELECT id FROM audit_logs ORDER BY id LIMIT 1 OFFSET {})",
            n - 2
        ),
    );
    let (ok, _, _) = verify(&[]);
    assert!(ok);
    let (ok, _, err) = verify(&["--anchor", &anchor]);
    assert!(!ok && err.contains("removed"), "{err}");
}

/// Every backup records the anchor it was taken at, and `kassa backup` prints it.
#[test]
fn backups_record_their_anchor() {
    let (dir, db) = small_shop();
    let backups = dir.path().join("backups");
    let (ok, out, err) = backup_to(&db, &backups);
    assert!(ok, "{err}");
    let printed = out
        .lines()
        .find_map(|l| l.strip_prefix("Audit chain anchor: "))
        .expect("anchor printed")
        .to_string();
    let b = kassa::store::backup::list(&backups).pop().unwrap();
    let mut app = App::open_read_only(&b).unwrap();
    let recorded = common::scalar_text(
        &mut app,
        "SELECT value AS t FROM settings WHERE key = 'backup.audit_anchor'",
    );
    assert_eq!(recorded, printed);
    let (ok, out, err) = run(kassa_cmd(&db, &["audit", "verify", "--anchor", &printed]));
    assert!(ok && out.contains("holds"), "{out}{err}");
}

/// Quick restarts: programs opening the file while others are still closing it (and
/// checkpointing) wait for them instead of failing with "database is locked".
#[test]
fn opening_while_another_program_closes_never_fails_with_locked() {
    let (dir, db) = small_shop();
    for round in 0..15 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                kassa_cmd(&db, &["--no-window"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    drop(dir);
}

/// One lock per file, whatever path reaches it: beside a running `kassa bot`, a symlink to
/// its database and a hard link to it in another folder are both refused (a second bot, a
/// restore), naming the holder; the file itself stays sound.
#[test]
fn a_symlink_or_a_hard_link_to_a_running_database_is_refused() {
    let (dir, app) = common::fresh();
    drop(app);
    let db = common::db_path(&dir);
    let fake = common::fake_telegram::FakeTelegram::start();
    let mut first = start_bot(&db, &fake);
    let elsewhere = dir.path().join("other");
    std::fs::create_dir(&elsewhere).unwrap();
    let sym = elsewhere.join("via-symlink.db");
    std::os::unix::fs::symlink(&db, &sym).unwrap();
    let hard = elsewhere.join("via-hardlink.db");
    std::fs::hard_link(&db, &hard).unwrap();
    for path in [&sym, &hard] {
        // In this process: held, and the holder is the bot.
        assert!(
            kassa::store::lock::try_acquire(path).unwrap().is_none(),
            "{} was not refused",
            path.display()
        );
        assert_eq!(kassa::store::lock::holder(path).pid, Some(first.id()));
        // A second program through that path: refused with one sentence.
        let (ok, _, err) = run({
            let mut c = kassa_cmd(path, &["bot"]);
            c.env("KASSA_TELEGRAM_TOKEN", common::fake_telegram::TOKEN)
                .env("KASSA_TELEGRAM_API", fake.url.as_str());
            c
        });
        assert!(!ok, "a second bot ran through {}", path.display());
        assert!(
            err.contains(&format!("process {}", first.id())) && err.contains("in use"),
            "{err}"
        );
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // Free again through every path (the lock went with the process).
    for path in [&db, &sym, &hard] {
        let lock = kassa::store::lock::try_acquire(path).unwrap();
        assert!(lock.is_some(), "{} still locked", path.display());
    }
    let (ok, out, err) = run(kassa_cmd(&db, &["check"]));
    assert!(ok && out.contains("all checks passed"), "{out}{err}");
}

/// A database file that cannot be written (immutable here; the same for permissions or a
/// read-only disk, which SQLite also opens read-only without a word): a writing command says
/// it can only be read, before anything else, and reading commands still work.
#[test]
fn a_read_only_database_is_named_by_writing_commands() {
    let (_dir, db) = small_shop();
    let _ro = common::Immutable::set(&db);
    let (ok, _, err) = run(kassa_cmd(&db, &["settings", "set", "shop.name", "Yangi"]));
    assert!(!ok, "a setting was written to an immutable file");
    assert!(err.contains("can only be read"), "{err}");
    let (ok, _, err) = run(kassa_cmd(&db, &["shifts", "close-all"]));
    assert!(!ok && err.contains("can only be read"), "{err}");
    let (ok, out, err) = run(kassa_cmd(&db, &["users"]));
    assert!(ok && out.contains("admin"), "{out}{err}");
}

/// Opening the database while another program holds its write lock does not wait for it:
/// the check for a read-only file skips a file someone is writing, and the connection keeps
/// its 30 s patience for its own writes.
#[test]
fn opening_beside_another_programs_write_lock_does_not_wait() {
    use std::io::Write;
    let (_dir, db) = small_shop();
    let mut locker = Command::new("python3")
        .arg("-c")
        .arg(
            "import sqlite3, sys\n\
             c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
             c.execute('BEGIN IMMEDIATE')\n\
             print('locked', flush=True)\n\
             sys.stdin.readline()\n\
             c.execute('COMMIT')\n",
        )
        .arg(&db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(locker.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked");
    let asked = Instant::now();
    let mut app =
        App::open_existing(&db, Options { bcrypt_cost: 4 }).expect("opened beside the lock");
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(
        scalar(&mut app, "SELECT timeout AS n FROM pragma_busy_timeout"),
        30_000
    );
    locker.stdin.take().unwrap().write_all(b"\n").unwrap();
    locker.wait().unwrap();
}
