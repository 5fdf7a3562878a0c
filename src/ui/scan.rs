//! Keyboard-wedge barcode scanners type the code as fast keystrokes ending in Enter.
//! [`ScanDetector`] reads the raw input events of each frame before any widget sees them and
//! tells a scan (at least [`MIN_LEN`] characters arriving at [`MAX_AVG_GAP`] seconds a
//! character or faster, then Enter) from a person typing. A scan completed within one frame
//! is taken out of the event queue, so it neither lands in the focused text field nor
//! triggers its Enter; characters of a scan that arrived in earlier frames may already sit
//! in a text field, and the detector says how many ([`Scan::leaked`]) so the caller can take
//! them back out. Several scans in one frame are all found.

use egui::{Event, Key};

pub const MIN_LEN: usize = 6;
/// Average time between characters of a scan; people type far slower.
pub const MAX_AVG_GAP: f64 = 0.030;
/// A pause this long starts a new burst.
pub const MAX_GAP: f64 = 0.100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub code: String,
    /// Characters of the code that reached widgets in earlier frames.
    pub leaked: usize,
}

#[derive(Clone, Debug, Default)]
pub struct ScanDetector {
    buf: String,
    first: f64,
    last: f64,
    /// Characters of `buf` received in earlier frames.
    carried: usize,
}

impl ScanDetector {
    /// Processes one frame's events, received at time `now` (seconds); removes the events of
    /// scans it completes and returns those scans.
    pub fn process(&mut self, events: &mut Vec<Event>, now: f64) -> Vec<Scan> {
        if !self.buf.is_empty() && now - self.last > MAX_GAP {
            self.reset();
        }
        self.carried = self.buf.chars().count();
        let mut scans = Vec::new();
        let mut burst_events: Vec<usize> = Vec::new();
        let mut remove: Vec<usize> = Vec::new();
        for (i, event) in events.iter().enumerate() {
            match event {
                Event::Text(text) => {
                    if text.chars().any(|c| c.is_control()) {
                        continue;
                    }
                    if self.buf.is_empty() {
                        self.first = now;
                    }
                    self.buf.push_str(text);
                    self.last = now;
                    burst_events.push(i);
                }
                Event::Key {
                    key: Key::Enter,
                    pressed: true,
                    ..
                } => {
                    let n = self.buf.chars().count();
                    let avg = if n > 1 {
                        (self.last - self.first) / (n - 1) as f64
                    } else {
                        f64::MAX
                    };
                    if n >= MIN_LEN && avg <= MAX_AVG_GAP {
                        scans.push(Scan {
                            code: self.buf.trim().to_string(),
                            leaked: self.carried,
                        });
                        remove.append(&mut burst_events);
                        remove.push(i);
                    }
                    burst_events.clear();
                    self.reset();
                    self.carried = 0;
                }
                // The release of a scan's Enter goes too, so nothing sees half a key.
                Event::Key {
                    key: Key::Enter,
                    pressed: false,
                    ..
                } if remove.last().is_some_and(|&r| r + 1 == i) => {
                    remove.push(i);
                }
                _ => {}
            }
        }
        for i in remove.into_iter().rev() {
            events.remove(i);
        }
        scans
    }

    fn reset(&mut self) {
        self.buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Event {
        Event::Text(s.into())
    }

    fn enter() -> Event {
        Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Default::default(),
        }
    }

    #[test]
    fn a_burst_in_one_frame_is_a_scan_and_is_swallowed() {
        let mut d = ScanDetector::default();
        let mut events: Vec<Event> = "4780000000013"
            .chars()
            .map(|c| text(&c.to_string()))
            .collect();
        events.push(enter());
        let scans = d.process(&mut events, 1.0);
        assert_eq!(
            scans,
            vec![Scan {
                code: "4780000000013".into(),
                leaked: 0
            }]
        );
        assert!(events.is_empty());
    }

    #[test]
    fn several_scans_in_one_frame() {
        let mut d = ScanDetector::default();
        let mut events = vec![
            text("4780000000013"),
            enter(),
            text("4006381333931"),
            enter(),
            text("x"),
        ];
        let scans = d.process(&mut events, 1.0);
        assert_eq!(scans.len(), 2);
        assert_eq!(scans[1].code, "4006381333931");
        assert_eq!(events.len(), 1, "only the unrelated text stays");
    }

    #[test]
    fn a_burst_across_frames_reports_leaked_characters() {
        let mut d = ScanDetector::default();
        let mut f1 = vec![text("4780"), text("000")];
        assert!(d.process(&mut f1, 1.000).is_empty());
        assert_eq!(
            f1.len(),
            2,
            "not yet known to be a scan: the widgets get it"
        );
        let mut f2 = vec![text("000013"), enter()];
        let scans = d.process(&mut f2, 1.016);
        assert_eq!(
            scans,
            vec![Scan {
                code: "4780000000013".into(),
                leaked: 7
            }]
        );
        assert!(f2.is_empty());
    }

    #[test]
    fn people_typing_are_not_scans() {
        let mut d = ScanDetector::default();
        let mut t = 0.0;
        for c in "4780000000013".chars() {
            t += 0.15;
            let mut e = vec![text(&c.to_string())];
            assert!(d.process(&mut e, t).is_empty());
            assert_eq!(e.len(), 1);
        }
        let mut e = vec![enter()];
        assert!(d.process(&mut e, t + 0.2).is_empty());
        assert_eq!(e.len(), 1, "a person's Enter reaches the widgets");
        // Too short to be a barcode.
        let mut short = vec![text("12"), enter()];
        assert!(d.process(&mut short, 10.0).is_empty());
        assert_eq!(short.len(), 2);
    }
}
