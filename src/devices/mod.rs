//! Devices: the printed documents and their ESC/POS form, the receipt printer's ports and its
//! queue worker, and the USB barcode scanner. The printer and the scanner each run on their
//! own thread and talk to the GUI through channels and a shared status; a sale never waits
//! for a device.

pub mod escpos;
pub mod hid_pos;
pub mod printer;
pub mod receipt;
pub mod scanner;
