//! Figures for a period (revenue, cost of goods, gross profit, expenses, net profit, top
//! products), straight from the app's statistics use case. The full reports and the
//! dashboard come with their own issue.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PeriodInput, err_toast, field_error};
use crate::app::{App, Session, Statistics};
use crate::domain::{Money, Quantity, debt};
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Default)]
pub struct ReportsTab {
    period: Option<PeriodInput>,
    stats: Option<Statistics>,
    error: Option<String>,
    dirty: bool,
    loaded: bool,
}

impl ReportsTab {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if self.period.is_none() {
            self.period = Some(PeriodInput::around(
                debt::local_date(app.now(), app.time_zone()),
                0,
            ));
        }
        ui.horizontal(|ui| {
            if let Some(p) = &mut self.period
                && p.ui(ui, lang)
            {
                self.dirty = true;
            }
        });
        if !self.loaded || self.dirty {
            self.error = None;
            match self.period.as_ref().map(|p| p.period(lang)) {
                Some(Ok(p)) => match app.statistics(session, p, 20) {
                    Ok(s) => self.stats = Some(s),
                    Err(e) => *toast = err_toast(lang, &e),
                },
                Some(Err(e)) => self.error = Some(e),
                None => {}
            }
            self.loaded = true;
            self.dirty = false;
        }
        field_error(ui, &self.error);
        let Some(s) = &self.stats else { return };
        egui::Grid::new("figures").num_columns(2).show(ui, |ui| {
            for (t, v) in [
                (T::SalesCount, s.sales_count.to_string()),
                (T::Revenue, Money(s.revenue).format()),
                (T::Cogs, Money(s.cogs).format()),
                (T::GrossProfit, Money(s.gross_profit).format()),
                (T::TotalExpenses, Money(s.expenses).format()),
                (T::NetProfit, Money(s.net_profit).format()),
            ] {
                ui.label(lang.t(t));
                ui.label(RichText::new(v).strong());
                ui.end_row();
            }
        });
        ui.separator();
        ui.label(RichText::new(lang.t(T::TopProducts)).strong());
        ui.push_id("top", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .column(Column::remainder())
                .column(Column::exact(100.0))
                .column(Column::exact(160.0))
                .header(20.0, |h| {
                    super::header(h, lang, &[T::ColName, T::ColQty, T::Revenue])
                })
                .body(|body| {
                    body.rows(22.0, s.top_products.len(), |mut row| {
                        let p = &s.top_products[row.index()];
                        row.col(|ui| {
                            ui.label(&p.name);
                        });
                        row.col(|ui| {
                            ui.label(Quantity(p.quantity).to_string());
                        });
                        row.col(|ui| {
                            ui.label(Money(p.revenue).format());
                        });
                    });
                });
        });
    }
}
