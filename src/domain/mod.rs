//! The pure core of Kassa: money, quantities, the cart and its totals, tenders and change,
//! shift cash arithmetic, the debt reminder schedule, the permission table and input
//! validation (barcodes, phone numbers).
//!
//! Nothing in here does I/O, touches the database, the GUI or the clock: every function is a
//! plain computation on its arguments, unit-tested next to the code and benchmarked in
//! `benches/`. All rounding goes through [`rounding::div_round`].

pub mod barcode;
pub mod cart;
pub mod debt;
pub mod device_address;
pub mod fiscal;
pub mod idmap;
pub mod money;
pub mod payment;
pub mod permissions;
pub mod phone;
pub mod quantity;
pub mod refund;
pub mod rounding;
pub mod scale;
pub mod search;
pub mod shift;

pub use cart::{Cart, CartError, CartLine, Discount, Totals};
pub use money::Money;
pub use payment::{PaymentError, PaymentMethod, Tender};
pub use permissions::{Action, Role};
pub use quantity::{Quantity, Unit};
