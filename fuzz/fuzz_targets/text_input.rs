//! Phone numbers and the search folding never panic; a normalised phone normalises to itself.
#![no_main]

use kassa::domain::{phone, search};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(p) = phone::normalize(s) {
        assert!(p.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(phone::normalize(&p).as_deref(), Ok(p.as_str()));
        let _ = phone::display(&p);
    }
    let folded = search::fold(s);
    assert_eq!(search::fold(&folded), folded);
});
