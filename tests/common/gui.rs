//! Driving the GUI in tests: a harness at 1280×720 with the program's style, and the steps a
//! person takes (focus a field by its label, type, press a key, wait for background work).

use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kassa::app::Options;
use kassa::i18n::{Lang, T};
use kassa::ui::KassaGui;

pub type H = Harness<'static, KassaGui>;

/// The Uzbek text of a catalog entry (the default language).
pub fn t(key: T) -> &'static str {
    Lang::Uz.t(key)
}

pub fn harness(path: &std::path::Path, lang_file: Option<std::path::PathBuf>) -> H {
    harness_sized(path, lang_file, (1280.0, 720.0))
}

/// A window of `size` pixels.
pub fn harness_sized(
    path: &std::path::Path,
    lang_file: Option<std::path::PathBuf>,
    size: (f32, f32),
) -> H {
    let gui = KassaGui::new(path.to_path_buf(), Options { bcrypt_cost: 4 }, lang_file).unwrap();
    Harness::builder()
        .with_size(egui::vec2(size.0, size.1))
        .with_context_setup(kassa::ui::setup_style)
        // Scrolling a table to the selected line animates for a few frames.
        .with_max_steps(20)
        .build_ui_state(|ui, gui: &mut KassaGui| gui.ui(ui), gui)
}

/// Steps frames until `done` holds (background work such as bcrypt runs on a thread).
pub fn wait_until(h: &mut H, what: &str, done: impl Fn(&H) -> bool) {
    // Bounded by time, generously: a worker thread on a loaded machine may take seconds.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        h.step();
        if done(h) {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting for {what}");
}

pub fn press(h: &mut H, key: Key) {
    h.key_press(key);
    h.run();
}

/// Focuses the text field with this label, selects what is in it and types `text` over it.
pub fn set_field(h: &mut H, label: &str, text: &str) {
    let role = [Role::PasswordInput, Role::MultilineTextInput]
        .into_iter()
        .find(|r| h.query_by_role_and_label(*r, label).is_some())
        .unwrap_or(Role::TextInput);
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    if text.is_empty() {
        h.key_press(Key::Backspace);
    } else {
        h.get_by_role_and_label(role, label).type_text(text);
    }
    h.run();
}

/// Clicks the button with this label, or else the first thing showing it (a table row's text).
pub fn click(h: &mut H, label: &str) {
    match h.query_by_role_and_label(Role::Button, label) {
        Some(button) => button.click(),
        None => match h.query_all_by_label(label).next() {
            Some(node) => node.click(),
            None => panic!("nothing labelled {label:?} to click"),
        },
    }
    h.run();
}

pub fn log_in(h: &mut H, login: &str, password: &str) {
    h.run();
    set_field(h, t(T::Login), login);
    set_field(h, t(T::Password), password);
    click(h, t(T::LogIn));
    wait_until(h, "log-in", |h| h.state().session().is_some());
}

/// A pressed Enter key, as a scanner ends a code.
pub fn enter() -> egui::Event {
    egui::Event::Key {
        key: Key::Enter,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

/// What a keyboard-wedge scanner sends: each code and Enter, all within one frame.
pub fn scan(h: &mut H, codes: &[&str]) {
    for code in codes {
        h.input_mut()
            .events
            .push(egui::Event::Text((*code).to_string()));
        h.input_mut().events.push(enter());
    }
    h.step();
    h.run();
}

/// The till's cart lines as (name, quantity in thousandths).
pub fn cart(h: &H) -> Vec<(String, i64)> {
    h.state()
        .till()
        .unwrap()
        .cart()
        .lines()
        .iter()
        .map(|l| (l.name.to_string(), l.quantity.0))
        .collect()
}
