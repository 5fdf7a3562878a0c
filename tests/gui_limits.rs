//! Bounded input: pasting 100 000 characters into a field (a jammed scanner, a held key, a
//! whole document on the clipboard) keeps only what the field takes, and the window's
//! memory barely moves. One test in its own process, so that the resident memory it reads
//! is this window's alone.

mod common;

use egui::Event;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use kassa::i18n::T;

use common::gui::*;

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn paste_into(h: &mut H, label: &str, text: &str) -> String {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.input_mut().events.push(Event::Paste(text.to_string()));
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .value()
        .unwrap_or_default()
}

#[test]
fn pasting_a_hundred_thousand_characters_is_cut_to_the_field() {
    let shop = common::shop();
    let db = common::db_path(&shop.dir);
    let mut h = harness(&db, None);
    h.run();
    let big: String = "4780000000013".repeat(100_000 / 13 + 1);
    let before = resident_kib();

    // The log-in form.
    let login = paste_into(&mut h, t(T::Login), &big);
    assert_eq!(login.chars().count(), kassa::ui::limits::FIELD);
    set_field(&mut h, t(T::Login), "");
    log_in(&mut h, "cashier", common::PASSWORD);

    // The till: the shift's cash, then the search box, many frames each.
    let cash = paste_into(&mut h, t(T::StartingCash), &big);
    assert!(
        cash.chars().count() <= kassa::ui::limits::AMOUNT,
        "{}",
        cash.len()
    );
    set_field(&mut h, t(T::StartingCash), "0");
    h.get_by_label(t(T::OpenShift)).click();
    h.run();
    let search = paste_into(&mut h, t(T::Search), &big);
    assert_eq!(search.chars().count(), kassa::ui::limits::SEARCH);
    for _ in 0..20 {
        h.step();
    }
    let grown = resident_kib().saturating_sub(before);
    assert!(
        grown < 20 * 1024,
        "resident memory grew by {grown} KiB after the pastes"
    );
    drop(shop);
}
