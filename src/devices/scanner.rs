//! The USB barcode scanner in HID POS mode, on its own thread through `hidapi`.
//!
//! The thread finds the scanner (the `scanner.ids` setting, `vvvv:pppp` in hex, or else any
//! device on the HID POS usage page 0x8C), reads its input reports, decodes them with
//! [`super::hid_pos::Decoder`] and sends each barcode to the GUI over a channel. When the
//! scanner is unplugged the read fails; the thread reports it and looks for it again every
//! second, so plugging it back in is enough. Scanners in keyboard mode need none of this: the
//! till recognises their fast bursts of keys (`ui::scan`).

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use super::hid_pos::Decoder;

pub use crate::domain::device_address::Wanted;

/// The scanner as the status bar shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ScannerState {
    /// Not looked for yet, or no HID access on this machine.
    #[default]
    Unavailable,
    /// Looking for it (not plugged in, or unplugged).
    Searching,
    /// Reading from it; the product name it reports.
    Connected(String),
}

/// What the scanner thread tells the GUI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScannerEvent {
    Scan(String),
    State(ScannerState),
}

/// Starts the scanner thread. `notify` is called after each event (the GUI asks for a
/// repaint); the thread stops when `stop` is set or the receiver is gone.
pub fn spawn(
    wanted: Wanted,
    events: Sender<ScannerEvent>,
    notify: Box<dyn Fn() + Send>,
    stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("scanner".into())
        .spawn(move || run(wanted, &events, &*notify, &stop))
}

fn run(wanted: Wanted, events: &Sender<ScannerEvent>, notify: &dyn Fn(), stop: &AtomicBool) {
    // The last state sent: a state is sent only when it changes.
    let last = RefCell::new(None::<ScannerState>);
    let send = |e: ScannerEvent| -> bool {
        if let ScannerEvent::State(s) = &e {
            let mut last = last.borrow_mut();
            if last.as_ref() == Some(s) {
                return true;
            }
            *last = Some(s.clone());
        }
        let ok = events.send(e).is_ok();
        notify();
        ok
    };
    let mut api = match hidapi::HidApi::new() {
        Ok(api) => api,
        Err(e) => {
            tracing::info!("no HID access, the USB scanner works in keyboard mode only: {e}");
            send(ScannerEvent::State(ScannerState::Unavailable));
            return;
        }
    };
    while !stop.load(Ordering::Relaxed) {
        if !send(ScannerEvent::State(ScannerState::Searching)) {
            return;
        }
        let _ = api.refresh_devices();
        let found = api
            .device_list()
            .find(|d| wanted.matches(d.vendor_id(), d.product_id(), d.usage_page()))
            .cloned();
        let Some(info) = found else {
            std::thread::sleep(Duration::from_secs(1));
            continue;
        };
        let device = match info.open_device(&api) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!("scanner found but cannot be opened (udev rule?): {e}");
                std::thread::sleep(Duration::from_secs(2));
                continue;
            }
        };
        let name = info.product_string().unwrap_or("HID POS").to_string();
        tracing::info!("scanner connected: {name}");
        if !send(ScannerEvent::State(ScannerState::Connected(name))) {
            return;
        }
        let mut decoder = Decoder::new();
        let mut buf = [0u8; 64];
        while !stop.load(Ordering::Relaxed) {
            match device.read_timeout(&mut buf, 250) {
                Ok(0) => {}
                Ok(n) => match decoder.feed(&buf[..n]) {
                    Ok(Some(scan)) => {
                        if !send(ScannerEvent::Scan(scan.code)) {
                            return;
                        }
                    }
                    Ok(None) => {}
                    Err(e) => tracing::debug!("scanner report skipped: {e}"),
                },
                Err(e) => {
                    tracing::info!("scanner gone: {e}");
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
