//! The stocktake in the Stock tab: start a count of the whole shop, count by scanning into
//! the barcode field (each scan +1; a typed quantity adds that many, weighed goods their
//! weight), see counted against expected with the difference in quantity and at cost, and
//! apply it with a reason. Other sessions may count the same stocktake at the same time.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{RED, err_toast, field_error, form_field, ok_toast};
use crate::app::{App, Session, Stocktake};
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, MoneyText, T, error_text, quantity_text};
use crate::ui::Toast;

#[derive(Default)]
pub struct StocktakeView {
    open: Option<Stocktake>,
    fresh: super::Freshness,
    barcode: String,
    quantity: String,
    reason: String,
    error: Option<String>,
}

impl StocktakeView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) -> bool {
        let mut changed = false;
        ui.collapsing(lang.t(T::Stocktake), |ui| {
            if self.fresh.stale(ui, 3.0) {
                self.open = app.open_stocktake(session).unwrap_or_default();
                self.fresh.read(ui);
            }
            let Some(open) = &self.open else {
                if ui.button(lang.t(T::StocktakeStart)).clicked() {
                    match app.start_stocktake(session, &[]) {
                        Ok(_) => self.open = app.open_stocktake(session).unwrap_or_default(),
                        Err(e) => *toast = err_toast(lang, &e),
                    }
                }
                return;
            };
            let id = open.id;
            let mut count = false;
            ui.horizontal(|ui| {
                let r = form_field(ui, lang.t(T::StocktakeBarcode), &mut self.barcode);
                count |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                form_field(ui, lang.t(T::StocktakeQuantity), &mut self.quantity);
                count |= ui.button(lang.t(T::StocktakeCount)).clicked();
            });
            if count && !self.barcode.trim().is_empty() {
                let quantity = if self.quantity.trim().is_empty() {
                    Ok(None)
                } else {
                    Quantity::parse(&self.quantity).map(Some)
                };
                match quantity {
                    Err(e) => self.error = Some(error_text(lang, &e.into())),
                    Ok(q) => match app.count_stock(session, id, &self.barcode, q) {
                        Ok(line) => {
                            self.error = None;
                            self.barcode.clear();
                            self.quantity.clear();
                            *toast = ok_toast(format!(
                                "{}: {}",
                                line.name,
                                quantity_text(lang, Quantity(line.counted), line.unit)
                            ));
                            self.open = app.open_stocktake(session).unwrap_or_default();
                        }
                        Err(e) => self.error = Some(error_text(lang, &e)),
                    },
                }
            }
            field_error(ui, &self.error);
            let Some(open) = &self.open else { return };
            let total: i64 = open.lines.iter().map(|l| l.value()).sum();
            ui.label(lang.fill(
                T::StocktakeTotal,
                &[&open.lines.len().to_string(), &Money(total).text(lang)],
            ));
            ui.push_id("stocktake_lines", |ui| {
                TableBuilder::new(ui)
                    .striped(true)
                    .max_scroll_height(200.0)
                    .column(Column::remainder().at_least(160.0))
                    .columns(Column::exact(110.0), 4)
                    .header(22.0, |h| {
                        super::header(
                            h,
                            lang,
                            &[
                                T::ColName,
                                T::Expected,
                                T::StocktakeCounted,
                                T::Difference,
                                T::StocktakeValue,
                            ],
                        )
                    })
                    .body(|body| {
                        body.rows(22.0, open.lines.len(), |mut row| {
                            let l = &open.lines[row.index()];
                            let q = |v: i64| quantity_text(lang, Quantity(v), l.unit);
                            row.col(|ui| {
                                ui.label(&l.name);
                            });
                            row.col(|ui| {
                                ui.label(q(l.expected));
                            });
                            row.col(|ui| {
                                ui.label(q(l.counted));
                            });
                            let diff = RichText::new(q(l.difference()));
                            row.col(|ui| {
                                ui.label(if l.difference() < 0 {
                                    diff.color(RED)
                                } else {
                                    diff
                                });
                            });
                            row.col(|ui| {
                                ui.label(Money(l.value()).text(lang));
                            });
                        });
                    });
            });
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::Reason), &mut self.reason);
                if ui.button(lang.t(T::StocktakeApply)).clicked() {
                    match app.apply_stocktake(session, id, &self.reason) {
                        Ok(lines) => {
                            *toast = ok_toast(
                                lang.fill(T::StocktakeApplied, &[&lines.len().to_string()]),
                            );
                            self.open = None;
                            self.reason.clear();
                            changed = true;
                        }
                        Err(e) => *toast = err_toast(lang, &e),
                    }
                }
            });
        });
        changed
    }
}
