//! Devices: the receipt printer's ports and its queue worker, the label printer's queue,
//! the USB barcode scanner and the till's sounds.
//! (What is printed, the [`crate::app::document`] layout and its ESC/POS form, is pure and
//! lives under `app/`: devices import `app`, never the other way round.) The printer and the scanner each run on their
//! own thread and talk to the GUI through channels and a shared status; a sale never waits
//! for a device.

pub mod hid_pos;
pub mod label_queue;
pub mod printer;
pub mod scanner;
pub mod sound;
