//! Scans while a till dialog is open, told apart from typing without looking at the clock.
//!
//! A keyboard-wedge scanner types digits and Enter, like a person; on a busy machine its
//! characters arrive in bursts frames apart, so speed proves nothing. What does: a run of
//! digits ended by Enter that is a catalog code, or that is too long to be what the focused
//! field holds (a quantity or a discount of eight digits, an amount of twelve). [`DigitRun`]
//! reads each frame's raw events before any widget: digits extend the run, Enter ends it,
//! anything else (another key, a letter, a click) starts over. It remembers the dialog as it
//! was at the start of every frame that brought digits, so a scan whose first digits
//! already reached a field is taken back out by putting the dialog back as it was, and the
//! scan's own events of the current frame (digits, Enter) are removed before any widget sees
//! them. The dialog's field never keeps a scanner's characters, and its Enter never acts.

use egui::{Event, Key};

/// What the focused field of a dialog holds: how long a run of digits must be before it can
/// only be a scan (a catalog code is a scan in every field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FieldKind {
    /// A quantity or a discount: eight digits or more are a code.
    Count,
    /// Money (cash received, a card amount, the counted drawer): an 8-digit sum is real
    /// money, twelve digits are not (above 100 000 000 000 so'm).
    Money,
    /// Free text (a customer search, a phone, a date, a note, a login): thirteen digits.
    Text,
    /// A password: only a catalog code.
    Secret,
    /// No text field has the focus (lists, quick keys, reports): eight digits.
    #[default]
    None,
}

impl FieldKind {
    /// The length from which a run of digits in this field is a scan whatever its code.
    fn scan_length(self) -> usize {
        match self {
            FieldKind::Count | FieldKind::None => 8,
            FieldKind::Money => 12,
            FieldKind::Text => 13,
            FieldKind::Secret => usize::MAX,
        }
    }
}

/// Tells the till what the field `id` holds (called where the field is drawn); a focused
/// field that never said is free text.
pub fn mark_field(ctx: &egui::Context, id: egui::Id, kind: FieldKind) {
    ctx.data_mut(|d| d.insert_temp(id, kind));
}

/// The shortest catalog code taken for a scan inside a dialog (shorter ones are typed
/// amounts, quantities and page numbers).
pub const MIN_CODE: usize = 8;
/// The longest code a scan can be (scale labels and GS1 codes are shorter).
pub const MAX_CODE: usize = 32;

/// A scan found at an Enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan<S> {
    pub code: String,
    /// The dialog as it was before the scan's first digit reached it, when some did.
    pub restore: Option<S>,
}

/// The digits typed into the open dialog since the last other key; see the module docs.
#[derive(Clone, Debug)]
pub struct DigitRun<S> {
    run: String,
    /// (the run's length at the start of a frame that brought digits, the dialog then).
    marks: Vec<(usize, S)>,
    /// Where in the run each text event began (a scanner's keys are one event each).
    boundaries: Vec<usize>,
}

impl<S> Default for DigitRun<S> {
    fn default() -> Self {
        DigitRun {
            run: String::new(),
            marks: Vec::new(),
            boundaries: Vec::new(),
        }
    }
}

impl<S: Clone> DigitRun<S> {
    /// Forgets the run (the dialog closed or changed).
    pub fn reset(&mut self) {
        self.run.clear();
        self.marks.clear();
        self.boundaries.clear();
    }

    /// The digits of the run so far.
    pub fn digits(&self) -> &str {
        &self.run
    }

    /// Reads one frame's events before any widget. `state` gives the dialog as it is now
    /// (before this frame's events reach it; called only when digits come), `kind` what its focused field holds,
    /// `known` whether a code is in the catalog. Removes the events of the scans it finds
    /// and returns them in order; a scan whose first digits reached the dialog in earlier
    /// frames carries the dialog to put back, and any digits typed before it in those
    /// frames are given to the widgets again.
    pub fn process(
        &mut self,
        events: &mut Vec<Event>,
        kind: FieldKind,
        state: &dyn Fn() -> S,
        known: impl Fn(&str) -> bool,
    ) -> Vec<Scan<S>> {
        let mut frame_start = self.run.len();
        let mut marked = false;
        // Positions in the run where a text event of this frame began, with its index.
        let mut starts: Vec<(usize, usize)> = Vec::new();
        let mut remove: Vec<usize> = Vec::new();
        let mut reinject: Option<String> = None;
        let mut scans = Vec::new();
        let mut enter_removed = false;
        for (i, event) in events.iter().enumerate() {
            match event {
                Event::Text(t) if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) => {
                    if !marked {
                        self.marks.push((self.run.len(), state()));
                        marked = true;
                    }
                    starts.push((self.run.len(), i));
                    if self.run.len() < 4 * MAX_CODE {
                        self.boundaries.push(self.run.len());
                        self.run.push_str(t);
                    }
                    enter_removed = false;
                }
                Event::Key {
                    key: Key::Enter,
                    pressed: true,
                    modifiers,
                    ..
                } if modifiers.is_none() => {
                    enter_removed = false;
                    if let Some(start) = self.scan_start(kind, &known) {
                        let code = self.run[start..].to_string();
                        if start >= frame_start {
                            // The whole scan is in this frame: its events go.
                            remove.extend(starts.iter().filter(|(p, _)| *p >= start).map(|s| s.1));
                        } else {
                            // Its first digits reached the dialog: put it back as it was at
                            // the start of the frame they came in, and type again what came
                            // before the scan in that frame.
                            remove.extend(starts.iter().map(|s| s.1));
                            let (len, before) = self
                                .marks
                                .iter()
                                .rev()
                                .find(|(len, _)| *len <= start)
                                .cloned()
                                .unwrap_or_else(|| (0, state()));
                            if start > len {
                                reinject = Some(self.run[len..start].to_string());
                            }
                            scans.push(Scan {
                                code,
                                restore: Some(before),
                            });
                            remove.push(i);
                            enter_removed = true;
                            self.reset();
                            starts.clear();
                            frame_start = 0;
                            marked = false;
                            continue;
                        }
                        scans.push(Scan {
                            code,
                            restore: None,
                        });
                        remove.push(i);
                        enter_removed = true;
                    }
                    self.reset();
                    starts.clear();
                    frame_start = 0;
                    marked = false;
                }
                // The release of a scan's Enter goes with it.
                Event::Key {
                    key: Key::Enter,
                    pressed: false,
                    ..
                } if enter_removed => {
                    remove.push(i);
                    enter_removed = false;
                }
                // The key events of digits come with their text: they neither end nor
                // break a run. Releases and modifier-only changes neither.
                Event::Key { key, .. } if is_digit_key(*key) => {}
                Event::Key { pressed: false, .. } => {}
                Event::Key { .. }
                | Event::Text(_)
                | Event::Paste(_)
                | Event::Copy
                | Event::Cut
                | Event::PointerButton { pressed: true, .. } => {
                    enter_removed = false;
                    self.reset();
                    starts.clear();
                    frame_start = 0;
                    marked = false;
                }
                _ => {}
            }
        }
        remove.sort_unstable();
        remove.dedup();
        for i in remove.into_iter().rev() {
            events.remove(i);
        }
        if let Some(text) = reinject {
            events.insert(0, Event::Text(text));
        }
        scans
    }

    /// Where the scan that this Enter ends begins in the run, if it is one: the longest
    /// catalog code the run ends with (starting where a key began, so a person's digits
    /// typed just before a scan stay theirs), or the whole run when it is too long for the
    /// field.
    fn scan_start(&self, kind: FieldKind, known: &impl Fn(&str) -> bool) -> Option<usize> {
        let n = self.run.len();
        let found = self
            .boundaries
            .iter()
            .copied()
            .filter(|&p| (MIN_CODE..=MAX_CODE).contains(&(n - p)))
            .find(|&p| known(&self.run[p..]));
        found.or_else(|| (n >= kind.scan_length() && n <= MAX_CODE).then_some(0))
    }
}

fn is_digit_key(key: Key) -> bool {
    matches!(
        key,
        Key::Num0
            | Key::Num1
            | Key::Num2
            | Key::Num3
            | Key::Num4
            | Key::Num5
            | Key::Num6
            | Key::Num7
            | Key::Num8
            | Key::Num9
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Event {
        Event::Text(s.into())
    }

    fn key(key: Key, pressed: bool) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Default::default(),
        }
    }

    fn digits(code: &str) -> Vec<Event> {
        code.chars().map(|c| text(&c.to_string())).collect()
    }

    const CODE: &str = "4780000000013";

    fn known(c: &str) -> bool {
        c == CODE || c == "47800001"
    }

    #[test]
    fn a_scan_in_one_frame_is_taken_out_whole() {
        let mut run = DigitRun::<&str>::default();
        let mut events = digits(CODE);
        events.push(key(Key::Enter, true));
        events.push(key(Key::Enter, false));
        let scans = run.process(&mut events, FieldKind::Money, &|| "field", known);
        assert_eq!(
            scans,
            vec![Scan {
                code: CODE.into(),
                restore: None
            }]
        );
        assert!(events.is_empty());
    }

    #[test]
    fn a_scan_split_across_frames_puts_the_dialog_back() {
        for split in 1..CODE.len() {
            let mut run = DigitRun::<String>::default();
            let (head, tail) = CODE.split_at(split);
            let mut f1 = digits(head);
            assert!(
                run.process(&mut f1, FieldKind::Count, &|| "1".to_string(), known)
                    .is_empty()
            );
            assert_eq!(f1.len(), head.len(), "not known yet: the field gets them");
            // The field now holds what the widget made of them.
            let mut f2 = digits(tail);
            f2.push(key(Key::Enter, true));
            let scans = run.process(&mut f2, FieldKind::Count, &|| head.to_string(), known);
            assert_eq!(
                scans,
                vec![Scan {
                    code: CODE.into(),
                    restore: Some("1".to_string())
                }],
                "split at {split}"
            );
            assert!(f2.is_empty(), "split at {split}: {f2:?}");
        }
    }

    #[test]
    fn digits_typed_before_a_scan_stay_the_persons() {
        // "5" typed, then a scan in later frames: the dialog goes back to after the "5".
        let mut run = DigitRun::<String>::default();
        let mut f1 = digits("5");
        run.process(&mut f1, FieldKind::Money, &|| "".to_string(), known);
        let mut f2 = digits(&CODE[..6]);
        run.process(&mut f2, FieldKind::Money, &|| "5".to_string(), known);
        let mut f3 = digits(&CODE[6..]);
        f3.push(key(Key::Enter, true));
        let scans = run.process(&mut f3, FieldKind::Money, &|| "5478000".to_string(), known);
        assert_eq!(scans[0].restore.as_deref(), Some("5"));
        assert!(f3.is_empty());
        // "5" and the scan's first digits in one frame: put back to before it, "5" again.
        let mut run = DigitRun::<String>::default();
        let mut f1 = digits("5");
        f1.extend(digits(&CODE[..4]));
        run.process(&mut f1, FieldKind::Money, &|| "".to_string(), known);
        let mut f2 = digits(&CODE[4..]);
        f2.push(key(Key::Enter, true));
        let scans = run.process(&mut f2, FieldKind::Money, &|| "54780".to_string(), known);
        assert_eq!(scans[0].restore.as_deref(), Some(""));
        assert_eq!(f2, vec![text("5")], "the person's digit is typed again");
    }

    #[test]
    fn amounts_and_page_numbers_are_not_scans() {
        // An 8-digit amount of money that is no product's code stays an amount.
        let mut run = DigitRun::<()>::default();
        let mut events = digits("12345678");
        events.push(key(Key::Enter, true));
        assert!(
            run.process(&mut events, FieldKind::Money, &|| (), known)
                .is_empty()
        );
        assert_eq!(events.len(), 9, "the field and its Enter get everything");
        // ...but eight digits in a quantity are a code (an unknown one).
        let mut events = digits("12345678");
        events.push(key(Key::Enter, true));
        let scans = run.process(&mut events, FieldKind::Count, &|| (), known);
        assert_eq!(scans[0].code, "12345678");
        // Twelve digits are not money.
        let mut events = digits("123456789012");
        events.push(key(Key::Enter, true));
        assert_eq!(
            run.process(&mut events, FieldKind::Money, &|| (), known)
                .len(),
            1
        );
        // A known EAN-8 in the cash field is a scan.
        let mut events = digits("47800001");
        events.push(key(Key::Enter, true));
        assert_eq!(
            run.process(&mut events, FieldKind::Money, &|| (), known)
                .len(),
            1
        );
        // A password of digits is the manager's, not a scan.
        let mut events = digits("123456789012345");
        events.push(key(Key::Enter, true));
        assert!(
            run.process(&mut events, FieldKind::Secret, &|| (), known)
                .is_empty()
        );
        // Page digits in the quick keys.
        let mut events = digits("3");
        events.push(key(Key::Enter, true));
        assert!(
            run.process(&mut events, FieldKind::None, &|| (), known)
                .is_empty()
        );
    }

    #[test]
    fn other_keys_start_over() {
        let mut run = DigitRun::<()>::default();
        let mut events = digits("4780000");
        events.push(key(Key::Backspace, true));
        events.extend(digits("000013"));
        events.push(key(Key::Enter, true));
        assert!(
            run.process(&mut events, FieldKind::Money, &|| (), known)
                .is_empty(),
            "the run after Backspace is only 000013"
        );
        // Digit keys travel with their text and do not break a run.
        let mut events = Vec::new();
        for c in CODE.chars() {
            events.push(key(Key::Num0, true));
            events.push(text(&c.to_string()));
            events.push(key(Key::Num0, false));
        }
        events.push(key(Key::Enter, true));
        assert_eq!(
            run.process(&mut events, FieldKind::Money, &|| (), known)
                .len(),
            1
        );
    }

    #[test]
    fn several_scans_in_one_frame() {
        let mut run = DigitRun::<()>::default();
        let mut events = digits(CODE);
        events.push(key(Key::Enter, true));
        events.push(key(Key::Enter, false));
        events.extend(digits("47800001"));
        events.push(key(Key::Enter, true));
        events.push(text("x"));
        let scans = run.process(&mut events, FieldKind::Count, &|| (), known);
        assert_eq!(scans.len(), 2);
        assert_eq!(scans[1].code, "47800001");
        assert_eq!(events, vec![text("x")]);
    }
}
