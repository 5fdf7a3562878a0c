//! Devices: the receipt layout today; the scanner (hidapi) and the ESC/POS printer come with
//! their own issue and will run on their own threads, talking through channels.

pub mod receipt;
