//! The quick-pick keys (F10 or the side button): goods without barcodes by touch, mouse or
//! keyboard. Keys 1–9 choose the page, the arrows a key, Enter adds it; a click or a touch
//! adds at once. A weighed product asks for its weight before it enters the cart. A scan
//! goes to the cart and closes the keys.

use super::*;
use crate::app::{QUICK_KEYS_PER_PAGE, QUICK_PAGES};

/// Keys in a row of the grid.
const COLUMNS: i32 = 4;

impl Till {
    pub(super) fn quick_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        toast: &mut Option<Toast>,
        keys: &Keys,
    ) -> Outcome {
        let Dialog::Quick { page, sel } = &mut self.dialog else {
            return Outcome::default();
        };
        // A digit chooses the page. A scan's digits are followed before the dialog runs
        // (`DigitRun`): at its Enter the page goes back to what it was and the product
        // goes to the cart.
        ui.input(|i| {
            for e in &i.events {
                if let egui::Event::Text(t) = e
                    && let Some(n) = t.chars().last().and_then(|c| c.to_digit(10))
                    && (1..=QUICK_PAGES).contains(&(n as i32))
                {
                    *page = n as i32;
                }
            }
        });
        let moves = [
            (Key::ArrowLeft, -1),
            (Key::ArrowRight, 1),
            (Key::ArrowUp, -COLUMNS),
            (Key::ArrowDown, COLUMNS),
        ];
        for (key, step) in moves {
            if ui.input_mut(|i| i.consume_key(Modifiers::NONE, key)) {
                *sel = (*sel + step).clamp(0, QUICK_KEYS_PER_PAGE - 1);
            }
        }
        ui.heading(lang.t(T::QuickKeysTitle));
        ui.label(RichText::new(lang.t(T::QuickKeysHint)).small());
        if self.quick.is_empty() {
            ui.label(lang.t(T::QuickKeysNone));
        }
        ui.horizontal_wrapped(|ui| {
            for n in 1..=QUICK_PAGES {
                let used = self.quick.iter().any(|k| k.page == n);
                let text = RichText::new(n.to_string()).size(18.0);
                let text = if used { text.strong() } else { text.weak() };
                if ui
                    .add(
                        egui::Button::selectable(*page == n, text).min_size(egui::vec2(36.0, 32.0)),
                    )
                    .clicked()
                {
                    *page = n;
                }
            }
        });
        let mut chosen: Option<i32> = None;
        egui::Grid::new("quick_grid")
            .spacing(egui::vec2(6.0, 6.0))
            .show(ui, |ui| {
                for position in 1..=QUICK_KEYS_PER_PAGE {
                    let key = self
                        .quick
                        .iter()
                        .find(|k| k.page == *page && k.position == position);
                    let size = egui::vec2(150.0, 64.0);
                    match key {
                        Some(k) => {
                            let price = self
                                .by_id
                                .get(&k.product_id)
                                .map(|&pos| Money(self.catalog[pos].sale_price).text(lang))
                                .unwrap_or_default();
                            let text = RichText::new(format!("{}\n{price}", k.text())).size(15.0);
                            // Framed, so that each key is seen as one on a touch screen.
                            let button = egui::Button::new(text)
                                .selected(position - 1 == *sel)
                                .min_size(size)
                                .wrap();
                            if ui.add_sized(size, button).clicked() {
                                chosen = Some(k.product_id);
                            }
                        }
                        None => {
                            // An empty key shows its number (and is named for screen readers).
                            let text = RichText::new(position.to_string()).weak();
                            ui.add_enabled_ui(false, |ui| {
                                ui.add_sized(
                                    size,
                                    egui::Button::new(text)
                                        .selected(position - 1 == *sel)
                                        .min_size(size),
                                )
                            });
                        }
                    }
                    if position % COLUMNS == 0 {
                        ui.end_row();
                    }
                }
            });
        if keys.enter {
            chosen = self
                .quick
                .iter()
                .find(|k| k.page == *page && k.position == *sel + 1)
                .map(|k| k.product_id);
        }
        let mut out = Outcome::default();
        if ui.button(lang.t(T::Close)).clicked() {
            out.close = true;
        }
        let Some(pos) = chosen.and_then(|id| self.by_id.get(&id).copied()) else {
            return out;
        };
        if self.catalog[pos].unit() == Unit::Weight {
            // Weighed: the weight first; nothing enters the cart until it is given.
            self.weigh(pos);
        } else {
            out.close = true;
            self.add_piece(pos, lang, toast);
        }
        out
    }
}
