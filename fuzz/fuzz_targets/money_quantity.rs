//! Money and quantity parsing never panic, never accept what they should refuse, and what
//! they accept formats back to a value that parses to the same amount.
#![no_main]

use kassa::domain::money::{MAX_MONEY, Money};
use kassa::domain::quantity::{MAX_QUANTITY, Quantity};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(m) = Money::parse(s) {
        assert!(m.0 >= 0 && m <= MAX_MONEY);
        assert_eq!(Money::parse(&m.format_number()), Ok(m));
    }
    if let Ok(q) = Quantity::parse(s) {
        assert!(q.0 >= 0 && q <= MAX_QUANTITY);
        assert_eq!(Quantity::parse(&q.to_string()), Ok(q));
    }
});
