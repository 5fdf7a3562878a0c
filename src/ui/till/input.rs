//! Keyboard and scanner input: every character typed with no dialog open goes to the search
//! box and every Enter submits it, in the order typed and whatever the frames' timing
//! ([`take_typing`]); with a dialog open, a run of digits ended by Enter that is a catalog
//! code, or too long for the focused field, is a scan ([`DigitRun`]): it goes to the cart or
//! is refused with a notice and a tone, and never stays in a field.

use super::*;

impl Till {
    /// Whether `code` is a catalog product's code or a scale label of one.
    pub(super) fn is_known_code(&self, code: &str) -> bool {
        self.index.by_barcode(code).is_some()
            || scale::parse(code).is_some_and(|l| self.index.by_barcode(&l.product_code).is_some())
    }

    /// What Enter in the search box does with `q` (the text at that Enter): a barcode (any
    /// run of 8 or more digits, or a known code) is added or refused; other text adds the
    /// selected search result. A weighed product asks for its weight.
    pub(super) fn submit(&mut self, q: &str, now: f64, lang: Lang, toast: &mut Option<Toast>) {
        let q = q.trim();
        if q.is_empty() {
            return;
        }
        if !matches!(self.dialog, Dialog::None) {
            // A dialog opened by an earlier Enter in the same frame (a weighed product):
            // scans still go to the cart; other text waits in the search box.
            if q.chars().all(|c| c.is_ascii_digit()) && q.len() >= 8 {
                self.add_barcode(q, now, lang, toast);
            } else {
                self.search = q.to_string();
                self.refresh_results();
            }
            return;
        }
        self.search = q.to_string();
        self.refresh_results();
        let digits = q.chars().all(|c| c.is_ascii_digit());
        if self.index.by_barcode(q).is_some()
            || scale::parse(q).is_some()
            || (digits && q.len() >= 8)
        {
            self.add_barcode(q, now, lang, toast);
        } else if let Some(&pos) = self.results.get(self.result_sel) {
            if self.catalog[pos].unit() == Unit::Weight {
                // Weighed: nothing enters the cart until the weight is given.
                self.weigh(pos);
            } else {
                self.add_piece(pos, lang, toast);
            }
        } else {
            self.add_barcode(q, now, lang, toast);
        }
        self.search.clear();
        self.refresh_results();
        self.focus_search = true;
    }

    pub(super) fn add_barcode(
        &mut self,
        code: &str,
        now: f64,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) -> bool {
        if let Some(pos) = self.index.by_barcode(code) {
            if self.catalog[pos].unit() != Unit::Weight {
                self.add_piece(pos, lang, toast);
                return true;
            }
            // A weighed product by its own code: its weight first. Over a dialog that only
            // shows something, the weighing takes its place; over one being filled in, the
            // scan is refused so that nothing typed there is lost.
            if matches!(
                self.dialog,
                Dialog::None
                    | Dialog::Quick { .. }
                    | Dialog::Text { .. }
                    | Dialog::Receipt { .. }
                    | Dialog::Parked { .. }
                    | Dialog::Weigh { .. }
            ) {
                self.weigh(pos);
                return true;
            }
            self.flash_until = now + 0.6;
            self.refused = true;
            *toast = Some(Toast {
                text: lang.fill(T::WeighAfterDialog, &[&self.catalog[pos].name]),
                error: true,
            });
            return false;
        }
        if let Some(label) = scale::parse(code)
            && let Some(pos) = self.index.by_barcode(&label.product_code)
        {
            let quantity = match label.value {
                ScaleValue::Weight(q) => Some(q),
                ScaleValue::Price(price) => {
                    scale::quantity_for_price(price, Money(self.catalog[pos].sale_price))
                }
            };
            if let Some(q) = quantity {
                self.add_product(pos, q, lang, toast);
                return true;
            }
        }
        // Unknown: flash and beep, the cart stays as it was. A misread (wrong check digit)
        // is told apart from a code that is simply not in the catalog.
        self.flash_until = now + 0.6;
        self.refused = true;
        let text = match crate::domain::barcode::validate(code) {
            Err(crate::domain::barcode::BarcodeError::CheckDigit(_)) => {
                lang.fill(T::BadCheckDigit, &[code])
            }
            _ => lang.fill(T::UnknownBarcode, &[code]),
        };
        *toast = Some(Toast { text, error: true });
        false
    }

    /// Handles the till's keys and the scanner before any widget runs.
    pub(super) fn keys_and_scans(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let now = ui.input(|i| i.time);
        if self.shift.is_none() {
            // Nothing to sell into: keys and scans go to the open-shift form as typed.
            return;
        }
        if matches!(self.dialog, Dialog::None) {
            // No dialog: every character goes to the search box and every Enter submits
            // what it holds, in the order typed, whatever the frames' timing. Nothing is
            // told apart by speed, so nothing can be lost or merged under load.
            let submitted = ui.input_mut(|i| take_typing(&mut self.search, &mut i.events));
            if submitted.typed {
                self.search_to_end = true;
                self.focus_search = true;
                self.refresh_results();
            }
            if !submitted.entered.is_empty() {
                // What was typed after the last Enter (the start of the next scan) waits
                // in the search box while the earlier ones are handled.
                let rest = std::mem::take(&mut self.search);
                for q in submitted.entered {
                    self.submit(&q, now, lang, toast);
                }
                if !rest.is_empty() {
                    self.search = rest;
                    self.refresh_results();
                }
            }
        }
        if !matches!(self.dialog, Dialog::None) {
            self.scans_into_dialog(ui, now, lang, toast);
        } else {
            self.digits.reset();
            self.digits_dialog = None;
        }
        for code in std::mem::take(&mut self.device_scans) {
            self.add_barcode(&code, now, lang, toast);
            self.after_dialog_scan();
        }
        let pressed =
            |ui: &mut egui::Ui, key: Key| ui.input_mut(|i| i.consume_key(Modifiers::NONE, key));
        if !matches!(self.dialog, Dialog::None) {
            return;
        }
        if pressed(ui, Key::F2) {
            self.focus_search = true;
        }
        for (key, cmd) in [
            (Key::F12, Command::Pay),
            (Key::F3, Command::Quantity),
            (Key::F4, Command::Discount),
            (Key::F5, Command::Park),
            (Key::F6, Command::Resume),
            (Key::F7, Command::Reprint),
            (Key::F8, Command::XReport),
            (Key::F9, Command::CloseShift),
            (Key::F10, Command::Quick),
        ] {
            if pressed(ui, key) {
                self.command(cmd, app, session, lang, toast);
            }
        }
        if pressed(ui, Key::ArrowDown) {
            if !self.results.is_empty() {
                self.result_sel = (self.result_sel + 1).min(self.results.len() - 1);
            } else if !self.cart.is_empty() {
                self.line_sel = Some(
                    self.line_sel
                        .map_or(0, |i| (i + 1).min(self.cart.len() - 1)),
                );
            }
        }
        if pressed(ui, Key::ArrowUp) {
            if !self.results.is_empty() {
                self.result_sel = self.result_sel.saturating_sub(1);
            } else if !self.cart.is_empty() {
                self.line_sel = Some(self.line_sel.map_or(0, |i| i.saturating_sub(1)));
            }
        }
        if self.search.is_empty() && pressed(ui, Key::Delete) {
            self.command(Command::Remove, app, session, lang, toast);
        }
        if pressed(ui, Key::Escape) {
            // egui takes the focus off a field on Esc; the till gives it back to the search
            // box, so the next key typed or scanned is not lost.
            self.search.clear();
            self.refresh_results();
            self.focus_search = true;
        }
    }
}

impl Till {
    /// Opens the weighing of a weighed product (nothing enters the cart until its weight).
    pub(super) fn weigh(&mut self, pos: usize) {
        self.dialog = Dialog::Weigh {
            pos,
            text: String::new(),
            error: None,
        };
    }

    /// A dialog is open: the digits typed into it are followed, and a run that ends in a
    /// scan (see [`DigitRun`]) goes to the cart; the dialog is put back as it was before the
    /// scan's first digit reached it.
    fn scans_into_dialog(
        &mut self,
        ui: &mut egui::Ui,
        now: f64,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        // The marking-code dialog takes what the scanner reads as the code itself: a
        // product's barcode scanned there by mistake is refused there, not sold.
        if matches!(self.dialog, Dialog::Marking { .. }) {
            self.digits.reset();
            self.digits_dialog = None;
            return;
        }
        let kind_now = std::mem::discriminant(&self.dialog);
        if self.digits_dialog != Some(kind_now) {
            self.digits.reset();
            self.digits_dialog = Some(kind_now);
        }
        let ctx = ui.ctx().clone();
        let focused = ctx.memory(|m| m.focused());
        let kind = match focused {
            Some(id) => ctx
                .data(|d| d.get_temp::<FieldKind>(id))
                .unwrap_or(FieldKind::Text),
            None => FieldKind::None,
        };
        let mut digits = std::mem::take(&mut self.digits);
        let scans = {
            let dialog = &self.dialog;
            // Read before the input is locked (loading it inside would wait for itself).
            let edit = focused.and_then(|id| {
                egui::text_edit::TextEditState::load(&ctx, id).map(|state| (id, state))
            });
            let mark = || -> Mark { (dialog.clone(), edit.clone()) };
            let known = |code: &str| self.is_known_code(code);
            ctx.input_mut(|i| digits.process(&mut i.events, kind, &mark, known))
        };
        self.digits = digits;
        for scan in scans {
            if let Some((dialog, edit)) = scan.restore {
                self.dialog = dialog;
                if let Some((id, state)) = edit {
                    state.store(&ctx, id);
                }
            }
            self.add_barcode(&scan.code, now, lang, toast);
            self.after_dialog_scan();
        }
    }

    /// After a scan with a dialog open: the quick keys close (the cashier went back to
    /// scanning); the other dialogs stay as they were (the payment takes the new total).
    fn after_dialog_scan(&mut self) {
        if matches!(self.dialog, Dialog::Quick { .. }) {
            self.dialog = Dialog::None;
            self.focus_search = true;
        }
    }
}

/// What [`take_typing`] took from a frame's events.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Typing {
    /// Characters were added to the search text.
    typed: bool,
    /// The search text at each Enter, in order (the search text is empty after each).
    entered: Vec<String>,
}

/// Takes the frame's typed characters and Enter presses out of `events` in their order:
/// characters go to the end of `search` (up to its limit), each Enter hands over what
/// `search` holds. An Enter with nothing typed stays for the widgets.
pub(super) fn take_typing(search: &mut String, events: &mut Vec<egui::Event>) -> Typing {
    let mut out = Typing::default();
    let mut enter_taken = false;
    events.retain(|e| match e {
        egui::Event::Text(t) if !t.chars().any(|c| c.is_control()) => {
            let room = crate::ui::limits::SEARCH.saturating_sub(search.chars().count());
            search.extend(t.chars().take(room));
            out.typed = true;
            enter_taken = false;
            false
        }
        egui::Event::Key {
            key: Key::Enter,
            pressed: true,
            modifiers,
            ..
        } if modifiers.is_none() && !search.trim().is_empty() => {
            out.entered.push(std::mem::take(search));
            enter_taken = true;
            false
        }
        // The release of an Enter taken here goes too.
        egui::Event::Key {
            key: Key::Enter,
            pressed: false,
            ..
        } if enter_taken => {
            enter_taken = false;
            false
        }
        _ => true,
    });
    out
}

#[cfg(test)]
mod typing_tests {
    use super::*;

    fn text(s: &str) -> egui::Event {
        egui::Event::Text(s.into())
    }

    fn enter(pressed: bool) -> egui::Event {
        egui::Event::Key {
            key: Key::Enter,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        }
    }

    #[test]
    fn scans_split_and_joined_across_frames_come_out_whole_and_in_order() {
        let mut search = String::new();
        // Frame 1: the start of a scan. Frame 2 (late): its end, a whole second scan and
        // the start of a third. Frame 3: the rest of the third.
        let mut f1 = vec![text("446"), text("0123")];
        let t = take_typing(&mut search, &mut f1);
        assert!(f1.is_empty() && t.entered.is_empty() && t.typed);
        assert_eq!(search, "4460123");
        let mut f2 = vec![
            text("456789"),
            text("3"),
            enter(true),
            enter(false),
            text("4006381333931"),
            enter(true),
            enter(false),
            text("96"),
        ];
        let t = take_typing(&mut search, &mut f2);
        assert_eq!(
            t.entered,
            vec!["44601234567893".to_string(), "4006381333931".into()]
        );
        assert!(f2.is_empty());
        let mut f3 = vec![text("385074"), enter(true)];
        let t = take_typing(&mut search, &mut f3);
        assert_eq!(t.entered, vec!["96385074".to_string()]);
        assert!(search.is_empty());
    }

    #[test]
    fn other_keys_and_an_empty_enter_stay_for_the_widgets() {
        let mut search = String::new();
        let backspace = egui::Event::Key {
            key: Key::Backspace,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        let mut events = vec![enter(true), enter(false), backspace.clone()];
        let t = take_typing(&mut search, &mut events);
        assert_eq!(t, Typing::default());
        assert_eq!(events.len(), 3);
        // The search box holds at most its limit.
        let mut events = vec![text(&"7".repeat(500))];
        take_typing(&mut search, &mut events);
        assert_eq!(search.chars().count(), crate::ui::limits::SEARCH);
    }
}
