//! The till's frame: the whole GUI (egui pass, no GPU) with a 100-line cart, the 100 000
//! product catalog in memory and search results on screen. Uses the large fixture
//! (`KASSA_BENCH_DB`, or `target/bench-large.db` made by the `large` bench).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kassa::app::{App, Options};
use kassa::i18n::{Lang, T};
use kassa::ui::KassaGui;

fn fixture() -> Option<PathBuf> {
    let p = std::env::var("KASSA_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("bench-large.db")
        });
    p.exists().then_some(p)
}

fn bench_frame(c: &mut Criterion) {
    let Some(src) = fixture() else {
        eprintln!(
            "no large fixture: run `cargo bench --bench large` first (or set KASSA_BENCH_DB)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("frame.db");
    {
        let mut app = App::open(&src, Options { bcrypt_cost: 4 }).expect("open");
        kassa::store::db::RunOnDb::execute(
            diesel::sql_query(format!("VACUUM INTO '{}'", db.display())),
            app.connection(),
        )
        .expect("copy");
    }
    let codes: Vec<String> = {
        let mut app = App::open(&db, Options { bcrypt_cost: 4 }).expect("open");
        let s = app
            .login("bigmenejer", kassa::demo::DEMO_PASSWORD)
            .expect("login");
        app.catalog(&s)
            .expect("catalog")
            .iter()
            .filter(|p| p.unit == "piece")
            .step_by(900)
            .take(100)
            .map(|p| p.barcodes[0].clone())
            .collect()
    };
    let gui = KassaGui::new(db.clone(), Options { bcrypt_cost: 4 }, None).expect("gui");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(kassa::ui::setup_style)
        .with_max_steps(50)
        .build_ui_state(|ui, gui: &mut KassaGui| gui.ui(ui), gui);
    let t = |k| Lang::Uz.t(k);
    h.run();
    h.get_by_label(t(T::Login)).focus();
    h.run();
    h.get_by_label(t(T::Login)).type_text("bigmenejer");
    h.get_by_label(t(T::Password)).focus();
    h.run();
    h.get_by_label(t(T::Password))
        .type_text(kassa::demo::DEMO_PASSWORD);
    h.run();
    h.key_press(Key::Enter);
    for _ in 0..2000 {
        h.step();
        if h.state().session().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run();
    if h.query_by_label(t(T::StartingCash)).is_some() {
        h.get_by_label(t(T::StartingCash)).focus();
        h.run();
        h.get_by_label(t(T::StartingCash)).type_text("0");
        h.key_press(Key::Enter);
        h.run();
    }
    for code in &codes {
        h.input_mut().events.push(Event::Text(code.clone()));
        h.input_mut().events.push(Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
    }
    h.step();
    h.run();
    assert_eq!(h.state().till().expect("till").cart().len(), codes.len());
    h.get_by_label(t(T::Search)).type_text("sut");
    h.run();

    let mut g = c.benchmark_group("till_frame");
    g.bench_function("cart_100_lines_catalog_100k_search_shown", |b| {
        b.iter(|| {
            h.step();
            black_box(h.state().till().map(|t| t.cart().len()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench_frame);
criterion_main!(benches);
