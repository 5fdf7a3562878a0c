//! Barcode input: validation, scale labels, and the till's search index never panic, and what
//! validation accepts is what it returns.
#![no_main]

use kassa::domain::{barcode, scale, search::SearchIndex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(code) = barcode::validate(s) {
        assert_eq!(code, s.trim());
        assert!((4..=32).contains(&code.len()));
    }
    if let Some(label) = scale::parse(s) {
        assert_eq!(label.product_code.len(), 7);
    }
    let index = SearchIndex::build([(s, [s])]);
    let _ = index.search(s, 10);
    let _ = index.by_barcode(s);
});
