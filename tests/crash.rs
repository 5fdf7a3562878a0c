//! Crash safety: a child process sells in a loop and is killed with SIGKILL at random
//! moments, 50 times. After each kill the database must be sound: no partial sale, stock =
//! movements, tenders and lines add up, integrity ok, and every sale the child reported as
//! committed is there, with its receipt in the print queue.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use kassa::app::{App, Options};
use rand::{Rng, SeedableRng};

#[test]
fn killing_a_checkout_loop_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kassa.db");
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let mut committed: Vec<i64> = Vec::new();
    // With a printer set up, every sale queues its receipt in its own transaction.
    {
        let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
        diesel::sql_query(format!(
            "INSERT INTO settings (key, value, updated_at) VALUES ('printer.port', 'file:{}', CURRENT_TIMESTAMP)",
            dir.path().join("printer.bin").display()
        ))
        .execute(app.connection())
        .unwrap();
    }
    for round in 0..50 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kassa"))
            .args(["--db", db.to_str().unwrap(), "stress-sell"])
            .env("KASSA_LOG", "off")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(id) = line
                    .strip_prefix("committed ")
                    .and_then(|s| s.parse::<i64>().ok())
                {
                    let _ = tx.send(id);
                }
            }
        });
        // Let it sell for a random while (it needs ~100 ms to start), then kill it.
        let wait = Duration::from_millis(rng.random_range(60..400));
        let start = Instant::now();
        while start.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        committed.extend(rx.try_iter());

        let mut app = App::open(&db, Options { bcrypt_cost: 4 }).unwrap();
        let problems = app.check().unwrap();
        assert!(problems.is_empty(), "round {round}: {problems:?}");
        let ids = common::scalar(&mut app, "SELECT COUNT(*) AS n FROM sales");
        if let Some(max) = committed.iter().max() {
            let missing = committed
                .iter()
                .filter(|id| {
                    common::scalar(
                        &mut app,
                        &format!("SELECT COUNT(*) AS n FROM sales WHERE id = {id}"),
                    ) != 1
                })
                .count();
            assert_eq!(missing, 0, "round {round}: a reported sale is missing");
            let without_receipt = common::scalar(
                &mut app,
                "SELECT COUNT(*) AS n FROM sales s WHERE NOT EXISTS
                 (SELECT 1 FROM print_jobs j WHERE j.sale_id = s.id AND j.kind = 'receipt')",
            );
            assert_eq!(
                without_receipt, 0,
                "round {round}: a sale lost its print job"
            );
            assert!(ids >= *max, "round {round}");
        }
    }
    assert!(
        committed.len() > 50,
        "the child sold only {} times: the test did not exercise anything",
        committed.len()
    );
}
