//! The stocktake in the Stock tab: start a count of the whole shop or of ticked categories,
//! count by scanning into
//! the barcode field (each scan +1; a typed quantity adds that many, weighed goods their
//! weight), correct a miscount by typing what was actually counted, see counted against
//! expected with the difference in quantity and at cost, and apply it with a reason. Other sessions may count the same stocktake at the same time.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{RED, err_toast, field_error, form_field, ok_toast};
use crate::app::error_text;
use crate::app::{App, Session, Stocktake};
use crate::domain::{Money, Quantity};
use crate::i18n::{Lang, MoneyText, T, quantity_text};
use crate::ui::Toast;

#[derive(Default)]
pub struct StocktakeView {
    open: Option<Stocktake>,
    fresh: super::Freshness,
    barcode: String,
    quantity: String,
    /// Put the focus back in the code field (after a count).
    focus_barcode: bool,
    reason: String,
    error: Option<String>,
    /// The shop's categories (id, name) and which are ticked for a new count.
    categories: Vec<(i32, String)>,
    ticked: std::collections::HashSet<i32>,
    /// A miscount being corrected: the product and the quantity actually counted.
    fix: Option<i32>,
    fix_to: String,
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
                self.categories = app
                    .categories(session)
                    .map(|c| c.into_iter().map(|c| (c.id, c.name)).collect())
                    .unwrap_or_default();
                self.fresh.read(ui);
            }
            let Some(open) = &self.open else {
                // The whole shop, or only the categories ticked.
                ui.horizontal_wrapped(|ui| {
                    for (id, name) in &self.categories {
                        let mut on = self.ticked.contains(id);
                        if ui.checkbox(&mut on, name).changed() {
                            if on {
                                self.ticked.insert(*id);
                            } else {
                                self.ticked.remove(id);
                            }
                        }
                    }
                });
                let (label, chosen): (T, Vec<i32>) = if self.ticked.is_empty() {
                    (T::StocktakeStart, Vec::new())
                } else {
                    let mut c: Vec<i32> = self.ticked.iter().copied().collect();
                    c.sort_unstable();
                    (T::StocktakeStartChosen, c)
                };
                if ui.button(lang.t(label)).clicked() {
                    match app.start_stocktake(session, &chosen) {
                        Ok(_) => {
                            self.ticked.clear();
                            self.open = app.open_stocktake(session).unwrap_or_default();
                        }
                        Err(e) => *toast = err_toast(lang, &e),
                    }
                }
                return;
            };
            if !open.categories.is_empty() {
                let names: Vec<&str> = self
                    .categories
                    .iter()
                    .filter(|(id, _)| open.categories.contains(id))
                    .map(|(_, n)| n.as_str())
                    .collect();
                ui.label(lang.fill(T::StocktakeOf, &[&names.join(", ")]));
            }
            let id = open.id;
            let mut count = false;
            ui.horizontal(|ui| {
                let r = form_field(ui, lang.t(T::StocktakeBarcode), &mut self.barcode);
                count |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let q = form_field(ui, lang.t(T::StocktakeQuantity), &mut self.quantity);
                // Enter in either field counts, as the button does.
                count |= q.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                count |= ui.button(lang.t(T::StocktakeCount)).clicked();
                if std::mem::take(&mut self.focus_barcode) {
                    r.request_focus();
                }
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
                            // The next scan goes to the code field.
                            self.focus_barcode = true;
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
            // A miscount is corrected by typing what was actually counted.
            if !open.lines.is_empty() {
                let mut fix = false;
                ui.horizontal(|ui| {
                    let counted: Vec<(i32, &str)> = open
                        .lines
                        .iter()
                        .map(|l| (l.product_id, l.name.as_str()))
                        .collect();
                    super::pick_id(
                        ui,
                        "stocktake_fix",
                        lang.t(T::StocktakeFix),
                        &mut self.fix,
                        &counted,
                        "",
                        Some(220.0),
                    );
                    form_field(ui, lang.t(T::StocktakeFixTo), &mut self.fix_to);
                    fix = ui.button(lang.t(T::StocktakeFixSet)).clicked();
                });
                if fix && let Some(product) = self.fix {
                    let result = Quantity::parse(&self.fix_to)
                        .map_err(crate::app::AppError::from)
                        .and_then(|q| app.correct_count(session, id, product, q));
                    match result {
                        Ok(line) => {
                            self.error = None;
                            self.fix_to.clear();
                            *toast = ok_toast(format!(
                                "{}: {}",
                                line.name,
                                quantity_text(lang, Quantity(line.counted), line.unit)
                            ));
                            self.open = app.open_stocktake(session).unwrap_or_default();
                        }
                        Err(e) => self.error = Some(error_text(lang, &e)),
                    }
                }
            }
            if self.open.is_none() {
                return;
            }
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
