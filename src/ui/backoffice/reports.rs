//! Reports: the dashboard (headline figures against the previous period, charts of revenue
//! and profit by day, sales by hour, payment methods) and every report of
//! [`crate::app::ReportKind`] as a table with Excel, PDF and CSV export. A cashier sees the
//! dashboard for today only. Figures come from the app's use cases; this file only draws.
//! A year of a busy shop takes the better part of a second to sum and a long report many
//! pages to write, so both run on a worker thread with its own connection; the tab shows a
//! spinner meanwhile and stays usable.

use crate::i18n::MoneyText;
use chrono::Datelike;
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::{PeriodInput, field_error};
use crate::app::error_text;
use crate::app::{App, Dashboard, Figures, Period, ReportKind, ReportTable, Session};
use crate::domain::{Action, Money, debt};
use crate::export::Format;
use crate::i18n::{Lang, T};
use crate::ui::Toast;

/// What the tab shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Dashboard,
    Report(ReportKind),
}

/// What a worker thread computed.
enum Loaded {
    Dashboard(Dashboard),
    Table(ReportTable),
}

pub struct ReportsTab {
    view: View,
    period: Option<PeriodInput>,
    dashboard: Option<Dashboard>,
    table: Option<ReportTable>,
    error: Option<String>,
    dirty: bool,
    loading: Option<Receiver<Result<Loaded, String>>>,
    exporter: super::exporter::Exporter,
}

impl Default for ReportsTab {
    fn default() -> Self {
        ReportsTab {
            view: View::Dashboard,
            period: None,
            dashboard: None,
            table: None,
            error: None,
            dirty: true,
            loading: None,
            exporter: Default::default(),
        }
    }
}

/// "+12.5 %" against the previous figure ("—" without one).
fn change(now: i64, before: i64) -> String {
    if before == 0 {
        return "—".into();
    }
    let per_mille = (i128::from(now - before) * 1000) / i128::from(before.abs());
    let sign = if per_mille >= 0 { "+" } else { "−" };
    let a = per_mille.unsigned_abs();
    format!("{sign}{}.{} %", a / 10, a % 10)
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
        let full = session.can(Action::ViewReports);
        let today = debt::local_date(app.now(), app.time_zone());
        if self.period.is_none() {
            self.period = Some(PeriodInput::around(today, 0));
        }
        if full {
            ui.horizontal_wrapped(|ui| {
                let mut pick = |ui: &mut egui::Ui, v: View, t: T| {
                    if ui.selectable_label(self.view == v, lang.t(t)).clicked() && self.view != v {
                        self.view = v;
                        self.dirty = true;
                    }
                };
                pick(ui, View::Dashboard, T::TabDashboard);
                for k in ReportKind::ALL {
                    pick(ui, View::Report(k), k.title());
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                for (t, from) in [
                    (T::DashToday, today),
                    (
                        T::DashWeek,
                        today
                            - chrono::Duration::days(i64::from(
                                today.weekday().num_days_from_monday(),
                            )),
                    ),
                    (T::DashMonth, today.with_day0(0).unwrap_or(today)),
                ] {
                    if ui.button(lang.t(t)).clicked() {
                        self.period = Some(PeriodInput {
                            from: from.format("%Y-%m-%d").to_string(),
                            to: today.format("%Y-%m-%d").to_string(),
                        });
                        self.dirty = true;
                    }
                }
                ui.separator();
                if let Some(p) = &mut self.period
                    && p.ui(ui, lang)
                {
                    self.dirty = true;
                }
            });
        } else {
            ui.label(RichText::new(lang.t(T::DashToday)).strong());
        }
        if self.dirty {
            self.reload(ui.ctx(), app, session, lang, today, full);
        }
        self.take_results(ui, lang, toast);
        field_error(ui, &self.error);
        match self.view {
            View::Dashboard => {
                if let Some(d) = &self.dashboard {
                    dashboard_ui(ui, lang, d);
                }
            }
            View::Report(_) => {
                if let Some(t) = self.table.take() {
                    self.exporter.ui(
                        ui,
                        lang,
                        app,
                        &t,
                        &session.full_name,
                        &[
                            (T::ExportXlsx, Format::Xlsx),
                            (T::ExportPdf, Format::Pdf),
                            (T::ExportCsv, Format::Csv),
                        ],
                        toast,
                    );
                    ui.add_space(4.0);
                    table_ui(ui, lang, &t);
                    self.table = Some(t);
                }
            }
        }
    }

    /// Starts computing the dashboard or the report for the period on a worker thread.
    fn reload(
        &mut self,
        ctx: &egui::Context,
        app: &mut App,
        session: &Session,
        lang: Lang,
        today: chrono::NaiveDate,
        full: bool,
    ) {
        self.dirty = false;
        self.error = None;
        let period = if full {
            match self.period.as_ref().map(|p| p.period(lang)) {
                Some(Ok(p)) => p,
                Some(Err(e)) => {
                    self.error = Some(e);
                    return;
                }
                None => return,
            }
        } else {
            Period::day(today)
        };
        let (tx, rx) = channel();
        let (path, session, view, ctx) = (
            app.path().to_path_buf(),
            session.clone(),
            self.view,
            ctx.clone(),
        );
        // A newer request replaces an older one still running (its result is dropped).
        self.loading = Some(rx);
        let spawned = std::thread::Builder::new()
            .name("report".into())
            .spawn(move || {
                let result = App::open_read_only(&path).and_then(|mut app| match view {
                    View::Dashboard => app.dashboard(&session, period).map(Loaded::Dashboard),
                    View::Report(kind) => {
                        app.report(&session, kind, period, lang).map(Loaded::Table)
                    }
                });
                let _ = tx.send(result.map_err(|e| error_text(lang, &e)));
                ctx.request_repaint();
            });
        if let Err(e) = spawned {
            self.loading = None;
            self.error = Some(lang.fill(T::ErrOther, &[&e.to_string()]));
        }
    }

    /// Takes what the worker threads finished; a spinner while they work.
    fn take_results(&mut self, ui: &mut egui::Ui, lang: Lang, toast: &mut Option<Toast>) {
        if let Some(rx) = &self.loading {
            match rx.try_recv() {
                Ok(Ok(Loaded::Dashboard(d))) => {
                    self.dashboard = Some(d);
                    self.loading = None;
                }
                Ok(Ok(Loaded::Table(t))) => {
                    self.table = Some(t);
                    self.loading = None;
                }
                Ok(Err(e)) => {
                    self.error = Some(e);
                    self.loading = None;
                }
                Err(TryRecvError::Empty) => {
                    ui.spinner();
                }
                Err(TryRecvError::Disconnected) => self.loading = None,
            }
        }
        self.exporter.poll(ui, lang, toast);
    }
}

fn figures_ui(ui: &mut egui::Ui, lang: Lang, now: &Figures, before: Option<&Figures>) {
    egui::Grid::new("dash_figures")
        .num_columns(3)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            let rows = [
                (T::Revenue, now.revenue, before.map(|b| b.revenue), true),
                (
                    T::GrossProfit,
                    now.gross_profit,
                    before.map(|b| b.gross_profit),
                    true,
                ),
                (
                    T::TotalExpenses,
                    now.expenses,
                    before.map(|b| b.expenses),
                    true,
                ),
                (
                    T::NetProfit,
                    now.net_profit,
                    before.map(|b| b.net_profit),
                    true,
                ),
                (
                    T::SalesCount,
                    now.sales_count,
                    before.map(|b| b.sales_count),
                    false,
                ),
                (
                    T::AverageReceipt,
                    now.average,
                    before.map(|b| b.average),
                    true,
                ),
            ];
            for (t, v, b, money) in rows {
                ui.label(lang.t(t));
                let shown = if money {
                    Money(v).text(lang)
                } else {
                    v.to_string()
                };
                ui.label(RichText::new(shown).strong());
                match b {
                    Some(b) => {
                        let text = lang.fill(
                            T::DashPrevious,
                            &[&if money {
                                Money(b).text(lang)
                            } else {
                                b.to_string()
                            }],
                        );
                        ui.label(format!("{}  ({text})", change(v, b)));
                    }
                    None => {
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
}

fn dashboard_ui(ui: &mut egui::Ui, lang: Lang, d: &Dashboard) {
    figures_ui(ui, lang, &d.figures, d.previous.as_ref());
    if d.refunds.0 > 0 {
        ui.label(lang.fill(
            T::DashRefunds,
            &[&d.refunds.0.to_string(), &Money(d.refunds.1).text(lang)],
        ));
    }
    ui.separator();
    let width = (ui.available_width() - 24.0) / 3.0;
    let height =
        (ui.available_height() - 30.0 - 22.0 * d.by_method.len() as f32).clamp(120.0, 320.0);
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(width);
            ui.label(RichText::new(lang.t(T::DashByDay)).strong());
            let revenue: PlotPoints = d
                .by_day
                .iter()
                .enumerate()
                .map(|(i, (_, r, _))| [i as f64, Money(*r).0 as f64 / 100.0])
                .collect();
            let profit: PlotPoints = d
                .by_day
                .iter()
                .enumerate()
                .map(|(i, (_, _, p))| [i as f64, Money(*p).0 as f64 / 100.0])
                .collect();
            let days: Vec<String> = d
                .by_day
                .iter()
                .map(|(day, _, _)| day.format("%d.%m").to_string())
                .collect();
            Plot::new("by_day")
                .height(height)
                .y_axis_formatter(move |mark, _| crate::i18n::short_amount(lang, mark.value))
                .legend(Legend::default())
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .x_axis_formatter(move |mark, _| {
                    days.get(mark.value.round() as usize)
                        .cloned()
                        .unwrap_or_default()
                })
                .show(ui, |p| {
                    p.line(Line::new(lang.t(T::Revenue), revenue));
                    p.line(Line::new(lang.t(T::GrossProfit), profit));
                });
        });
        ui.vertical(|ui| {
            ui.set_width(width);
            ui.label(RichText::new(lang.t(T::DashByHour)).strong());
            let bars: Vec<Bar> = d
                .by_hour
                .iter()
                .enumerate()
                .map(|(h, r)| Bar::new(h as f64, *r as f64 / 100.0).width(0.8))
                .collect();
            Plot::new("by_hour")
                .height(height)
                .y_axis_formatter(move |mark, _| crate::i18n::short_amount(lang, mark.value))
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .show(ui, |p| p.bar_chart(BarChart::new(lang.t(T::Revenue), bars)));
        });
        ui.vertical(|ui| {
            ui.set_width(width);
            ui.label(RichText::new(lang.t(T::DashByMethod)).strong());
            let names: Vec<String> = d
                .by_method
                .iter()
                .map(|(m, ch, _)| d.methods.label(lang, m, *ch))
                .collect();
            let bars: Vec<Bar> = d
                .by_method
                .iter()
                .zip(&names)
                .enumerate()
                .map(|(i, ((_, _, a), name))| {
                    Bar::new(i as f64, *a as f64 / 100.0).width(0.6).name(name)
                })
                .collect();
            let axis = names.clone();
            Plot::new("by_method")
                .height(height)
                .y_axis_formatter(move |mark, _| crate::i18n::short_amount(lang, mark.value))
                .allow_drag(false)
                .allow_zoom(false)
                .allow_scroll(false)
                .x_axis_formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() < 0.01 {
                        axis.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .show(ui, |p| {
                    p.bar_chart(BarChart::new(lang.t(T::DashByMethod), bars))
                });
            for ((_, _, a), name) in d.by_method.iter().zip(&names) {
                ui.label(format!("{name}: {}", Money(*a).text(lang)));
            }
        });
    });
}

fn table_ui(ui: &mut egui::Ui, lang: Lang, t: &ReportTable) {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .first()
                .and_then(|r| r.get(i))
                .is_some_and(|c| c.is_number())
        })
        .collect();
    let cell = |ui: &mut egui::Ui, c: &crate::app::Cell, i: usize, strong: bool| {
        let text = RichText::new(c.show(lang, t.tiyin));
        let text = if strong { text.strong() } else { text };
        if numeric[i] {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(text)
            });
        } else {
            ui.label(text);
        }
    };
    ui.push_id(("report", t.kind.code()), |ui| {
        let mut b = TableBuilder::new(ui)
            .striped(true)
            .column(Column::remainder().at_least(200.0).clip(true));
        for _ in 1..t.columns.len() {
            b = b.column(Column::auto().at_least(90.0));
        }
        b.header(22.0, |h| super::header(h, lang, &t.columns))
            .body(|body| {
                let n = t.rows.len() + usize::from(t.total.is_some());
                body.rows(22.0, n, |mut row| {
                    let i = row.index();
                    match t.rows.get(i) {
                        Some(r) => {
                            for (c, v) in r.iter().enumerate() {
                                row.col(|ui| cell(ui, v, c, false));
                            }
                        }
                        None => {
                            if let Some(total) = &t.total {
                                for (c, v) in total.iter().enumerate() {
                                    row.col(|ui| {
                                        if c == 0 && v.display().is_empty() {
                                            ui.strong(lang.t(T::RepTotal));
                                        } else {
                                            cell(ui, v, c, true);
                                        }
                                    });
                                }
                            }
                        }
                    }
                });
            });
    });
}
