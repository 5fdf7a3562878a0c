//! The window's start screen: a database it cannot open is shown with the reason and what
//! to do, in the user's language and inside the window at 1024×768 and 1280×720; a file
//! held by another program is waited for with a visible message; a backup can be restored
//! from the screen.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kassa::i18n::{Lang, T};
use kassa::store::db::prelude::*;
use kassa::ui::start::{Opened, Start};

struct State {
    db: PathBuf,
    lang: Lang,
    start: Option<Start>,
    opened: Option<Opened>,
}

type H = Harness<'static, State>;

fn harness(db: &Path, lang: Lang, size: (f32, f32)) -> H {
    Harness::builder()
        .with_size(egui::vec2(size.0, size.1))
        .with_context_setup(kassa::ui::setup_style)
        .with_max_steps(20)
        .build_ui_state(
            |ui, s: &mut State| {
                // Once open, the quick check runs beside; a damaged file comes back here.
                if let Some(o) = &s.opened {
                    match o.health.try_recv() {
                        Ok(Err(e)) => {
                            s.opened = None;
                            s.start = Some(Start::damaged(s.db.clone(), s.lang, None, e));
                        }
                        _ => return,
                    }
                }
                let start = s
                    .start
                    .get_or_insert_with(|| Start::new(s.db.clone(), s.lang, None, ui.ctx()));
                if let Some(o) = start.ui(ui) {
                    s.opened = Some(o);
                }
            },
            State {
                db: db.to_path_buf(),
                lang,
                start: None,
                opened: None,
            },
        )
}

/// Steps until `done` holds; the opening runs on a worker thread.
fn wait_until(h: &mut H, what: &str, done: impl Fn(&H) -> bool) {
    for _ in 0..2000 {
        h.step();
        if done(h) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

fn shows(h: &H, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

fn foreign_file(dir: &Path) -> PathBuf {
    let f = dir.join("kassa.db");
    let mut c = diesel::SqliteConnection::establish(f.to_str().unwrap()).unwrap();
    c.batch_execute("CREATE TABLE notes (t TEXT);").unwrap();
    f
}

#[test]
fn another_programs_file_is_shown_with_the_reason_inside_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = foreign_file(dir.path());
    let before = std::fs::read(&db).unwrap();
    for lang in Lang::ALL {
        for size in [(1024.0, 768.0), (1280.0, 720.0)] {
            let mut h = harness(&db, lang, size);
            let reason = lang.fill(T::DbNotKassa, &[&db.display().to_string()]);
            wait_until(&mut h, "the reason", |h| shows(h, &reason));
            for text in [
                lang.t(T::StartCannotOpen),
                lang.t(T::StartWhatToDo),
                lang.t(T::StartTryAgain),
                lang.t(T::StartOtherFile),
                lang.t(T::StartRestore),
            ] {
                let node = h.get_by_label_contains(text);
                let r = node.rect();
                assert!(
                    r.min.x >= 0.0 && r.min.y >= 0.0 && r.max.x <= size.0 && r.max.y <= size.1,
                    "{lang:?} {size:?}: {text:?} at {r:?} is outside the window"
                );
            }
            assert!(h.state().opened.is_none());
        }
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file was written");
}

#[test]
fn a_held_file_is_waited_for_with_a_message_then_opened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    let lock = kassa::store::lock::try_acquire(&db).unwrap().expect("free");
    let mut h = harness(&db, Lang::Ru, (1280.0, 720.0));
    let waiting = Lang::Ru.fill(
        T::StartWaiting,
        &[
            &kassa::store::lock::holder_text(Lang::Ru, &kassa::store::lock::holder(&db)),
            &db.display().to_string(),
        ],
    );
    assert!(waiting.contains("процесс"), "{waiting}");
    wait_until(&mut h, "the waiting message", |h| shows(h, &waiting));
    drop(lock);
    wait_until(&mut h, "the database to open", |h| {
        h.state().opened.is_some()
    });
    assert!(db.exists());
}

#[test]
fn a_damaged_database_is_shown_after_the_quick_check_and_can_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    {
        let mut app = kassa::app::App::open(&db, kassa::app::Options { bcrypt_cost: 4 }).unwrap();
        app.backup(None, 30).unwrap();
    }
    // Damage the middle of the file (a page of zeros and noise).
    let mut bytes = std::fs::read(&db).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 3..len / 3 + 8192] {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let mut h = harness(&db, Lang::Uz, (1024.0, 768.0));
    wait_until(&mut h, "the failure", |h| {
        shows(h, Lang::Uz.t(T::StartCannotOpen))
    });
    assert!(
        h.query_by_label_contains("shikastlangan").is_some(),
        "the reason"
    );
    h.get_by_label(Lang::Uz.t(T::StartRestoreButton)).click();
    wait_until(&mut h, "the restored database to open", |h| {
        h.state().opened.is_some()
    });
    // And it passes the quick check: it stays open.
    let health = h.state().opened.as_ref().unwrap().health.recv().unwrap();
    assert!(health.is_ok(), "{health:?}");
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept aside");
}

/// A Kassa database that cannot be written (immutable here, as a file with read-only
/// permissions or on a read-only disk is for its user): the start screen says so and what to
/// do, in each language and inside the window, instead of a log-in screen that fails at every
/// attempt with "database error".
#[test]
fn a_read_only_database_is_explained_on_the_start_screen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    drop(kassa::app::App::open(&db, kassa::app::Options { bcrypt_cost: 4 }).unwrap());
    let _ro = common::Immutable::set(&db);
    for lang in Lang::ALL {
        for size in [(1024.0, 768.0), (1280.0, 720.0)] {
            let mut h = harness(&db, lang, size);
            let reason = lang.fill(T::DbReadOnly, &[&db.display().to_string()]);
            wait_until(&mut h, "the reason", |h| shows(h, &reason));
            for text in [
                &reason[..],
                lang.t(T::StartOtherFile),
                lang.t(T::StartTryAgain),
            ] {
                let r = h.get_by_label_contains(text).rect();
                assert!(
                    r.min.x >= 0.0 && r.min.y >= 0.0 && r.max.x <= size.0 && r.max.y <= size.1,
                    "{lang:?} {size:?}: {text:?} at {r:?} is outside the window"
                );
            }
            assert!(h.state().opened.is_none(), "the log-in screen was shown");
        }
    }
}

/// A PostgreSQL address typed where the shop's file goes: a server that is not there is
/// said in the window's language (the password never shown, nothing created on the disk, the
/// start screen still there); a server that is there opens the shop.
#[test]
fn a_postgres_address_opens_the_shop_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = foreign_file(dir.path());
    let cwd = std::env::current_dir().unwrap();
    let type_address = |h: &mut H, lang: Lang, address: &str| {
        // The field holds the current file's path: selected and typed over.
        h.get_by_label(lang.t(T::StartOtherFile)).focus();
        h.step();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.step();
        h.get_by_label(lang.t(T::StartOtherFile)).type_text(address);
        h.step();
        h.get_by_label(lang.t(T::StartOpen)).click();
    };
    for lang in Lang::ALL {
        let mut h = harness(&db, lang, (1024.0, 768.0));
        let reason = lang.fill(T::DbNotKassa, &[&db.display().to_string()]);
        wait_until(&mut h, "the reason", |h| shows(h, &reason));
        // Nothing listens on port 1.
        type_address(&mut h, lang, "postgres://kassa:s3cret@127.0.0.1:1/shop");
        let said = lang.fill(
            T::DbServerUnreachable,
            &["postgres://kassa:***@127.0.0.1:1/shop"],
        );
        wait_until(&mut h, "the sentence on PostgreSQL", |h| shows(h, &said));
        assert!(
            h.query_all_by_label_contains("s3cret").next().is_none(),
            "the password is shown"
        );
        let r = h.get_by_label_contains(&said).rect();
        assert!(r.max.x <= 1024.0 && r.max.y <= 768.0, "{lang:?}: {r:?}");
        assert!(h.state().opened.is_none());
    }
    assert!(
        !cwd.join("postgres:").exists(),
        "a folder was made of the address"
    );
    // A real server: the shop opens (its schema made beforehand, with a cheap admin hash).
    let server = common::pg::PgServer::start();
    let url = server.create_database("shop");
    drop(kassa::app::App::open_server(&url, kassa::app::Options { bcrypt_cost: 4 }).unwrap());
    let mut h = harness(&db, Lang::Uz, (1024.0, 768.0));
    let reason = Lang::Uz.fill(T::DbNotKassa, &[&db.display().to_string()]);
    wait_until(&mut h, "the reason", |h| shows(h, &reason));
    type_address(&mut h, Lang::Uz, &url);
    wait_until(&mut h, "the shop on the server", |h| {
        h.state().opened.is_some()
    });
}
