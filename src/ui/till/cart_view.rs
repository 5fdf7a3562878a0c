//! The till's main panel: the search box with its results, and the cart.

use super::*;

impl Till {
    pub(super) fn main_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let label = ui.label(RichText::new(lang.t(T::Search)).strong());
        let out = egui::TextEdit::singleline(&mut self.search)
            .char_limit(crate::ui::limits::SEARCH)
            .hint_text(lang.t(T::SearchHint))
            .desired_width(f32::INFINITY)
            .font(egui::TextStyle::Heading)
            .show(ui);
        let resp = out.response.response.clone().labelled_by(label.id);
        if std::mem::take(&mut self.search_to_end) {
            let mut state = out.state;
            let end = egui::text::CCursor::new(self.search.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), resp.id);
        }
        if resp.changed() {
            self.refresh_results();
        }
        if self.focus_search && matches!(self.dialog, Dialog::None) {
            resp.request_focus();
            self.focus_search = false;
        }
        let mut add: Option<usize> = None;
        if !self.search.trim().is_empty() {
            if self.results.is_empty() {
                ui.label(RichText::new(lang.t(T::NothingFound)).color(RED));
            } else {
                ui.push_id("results", |ui| {
                    TableBuilder::new(ui)
                        .striped(true)
                        .sense(egui::Sense::click())
                        .max_scroll_height(200.0)
                        .column(Column::remainder())
                        .column(Column::exact(140.0))
                        .column(Column::exact(90.0))
                        .header(22.0, |mut h| {
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColName));
                            });
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColPrice));
                            });
                            h.col(|ui| {
                                ui.strong(lang.t(T::ColStock));
                            });
                        })
                        .body(|body| {
                            body.rows(24.0, self.results.len(), |mut row| {
                                let i = row.index();
                                let p = &self.catalog[self.results[i]];
                                row.set_selected(i == self.result_sel);
                                row.col(|ui| {
                                    ui.label(&p.name);
                                });
                                row.col(|ui| {
                                    ui.label(Money(p.sale_price).text(lang));
                                });
                                row.col(|ui| {
                                    ui.label(Quantity(p.stock).to_string());
                                });
                                if row.response().clicked() {
                                    add = Some(self.results[i]);
                                }
                            });
                        });
                });
            }
            ui.separator();
        }
        if let Some(pos) = add {
            let mut toast = None;
            if self.catalog[pos].unit() == Unit::Weight {
                self.weigh(pos);
            } else {
                self.add_piece(pos, lang, &mut toast);
            }
            self.search.clear();
            self.refresh_results();
        }
        ui.label(RichText::new(lang.t(T::Cart)).strong());
        if self.cart.is_empty() {
            ui.label(lang.t(T::CartEmpty));
            return;
        }
        let amounts = self.cart.line_amounts().map(|(_, a)| a).unwrap_or_default();
        let mut clicked: Option<usize> = None;
        ui.push_id("cart", |ui| {
            let height = (ui.available_height() - 30.0).max(60.0);
            let mut table = TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(height)
                .min_scrolled_height(height);
            // Keep the selected line in view when it moves or the table changes height.
            if (self.line_sel, height) != self.drawn_sel
                && let Some(line) = self.line_sel
            {
                table = table.scroll_to_row(line, Some(egui::Align::Center));
            }
            self.drawn_sel = (self.line_sel, height);
            table
                .column(Column::exact(30.0))
                .column(Column::remainder())
                .column(Column::exact(80.0))
                .column(Column::exact(120.0))
                .column(Column::exact(100.0))
                .column(Column::exact(130.0))
                .header(22.0, |mut h| {
                    for t in [
                        "#",
                        lang.t(T::ColName),
                        lang.t(T::ColQty),
                        lang.t(T::ColPrice),
                        lang.t(T::ColDiscount),
                        lang.t(T::ColSum),
                    ] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(26.0, self.cart.len(), |mut row| {
                        let i = row.index();
                        let line = &self.cart.lines()[i];
                        let a = amounts.get(i);
                        row.set_selected(Some(i) == self.line_sel);
                        row.col(|ui| {
                            ui.label((i + 1).to_string());
                        });
                        row.col(|ui| {
                            ui.label(&*line.name);
                        });
                        row.col(|ui| {
                            // "3 dona", "1,25 kg": weighed lines say they are kilograms.
                            ui.label(crate::i18n::quantity_text(lang, line.quantity, line.unit));
                        });
                        row.col(|ui| {
                            ui.label(line.unit_price.format_number());
                        });
                        row.col(|ui| {
                            ui.label(
                                a.map(|a| a.line_discount.format_number())
                                    .unwrap_or_default(),
                            );
                        });
                        row.col(|ui| {
                            ui.label(
                                RichText::new(
                                    a.map(|a| a.gross.0 - a.line_discount.0)
                                        .map(|v| Money(v).format_number())
                                        .unwrap_or_default(),
                                )
                                .strong(),
                            );
                        });
                        if row.response().clicked() {
                            clicked = Some(i);
                        }
                    });
                });
        });
        if clicked.is_some() {
            self.line_sel = clicked;
        }
    }
}
