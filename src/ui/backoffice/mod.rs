//! The back office: the manager's and admin's tabs. Each tab holds its own view state
//! (filters, the page on screen, an open form) and calls `app/` for everything; what a role
//! may not do is hidden here and refused there.

pub mod audit;
pub mod audit_text;
pub mod catalog_io;
pub mod customers;
pub mod expenses;
pub mod exporter;
pub mod labels;
pub mod payment_methods;
pub mod products;
pub mod quick_keys;
pub mod reports;
pub mod sales;
pub mod settings;
pub mod staff;
pub mod stock;
pub mod stocktake;
pub mod suppliers;
pub mod uncertain;

use chrono::NaiveDate;
use egui::{Color32, RichText};

use super::Toast;
use crate::app::error_text;
use crate::app::{AppError, Period};
use crate::i18n::{Lang, T};

pub const RED: Color32 = Color32::from_rgb(200, 40, 40);
pub const GREEN: Color32 = Color32::from_rgb(20, 120, 40);
pub const PAGE: i64 = 50;

/// When a view was last drawn and last read its figures, so that it reads them again on its
/// next show (after another tab: a frame skipped) and every few seconds while shown.
#[derive(Default)]
pub struct Freshness {
    drawn_at: f64,
    read_at: f64,
}

impl Freshness {
    /// Whether the view was just shown again or its figures are `every` seconds old; asks
    /// for a frame in time for the next reading.
    pub fn stale(&mut self, ui: &egui::Ui, every: f64) -> bool {
        let now = ui.input(|i| i.time);
        let stale = now - self.drawn_at > 0.5 || now - self.read_at >= every;
        self.drawn_at = now;
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(every));
        stale
    }

    /// The figures were read now.
    pub fn read(&mut self, ui: &egui::Ui) {
        self.read_at = ui.input(|i| i.time);
    }
}

/// The first `limit` products matching `text` (none for empty text), with current stock.
pub fn find_products(
    app: &mut crate::app::App,
    session: &crate::app::Session,
    text: &str,
    limit: i64,
) -> Vec<crate::app::ProductView> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let q = crate::app::ProductQuery {
        text: text.to_string(),
        limit,
        ..Default::default()
    };
    app.products_page(session, &q)
        .map(|r| r.0)
        .unwrap_or_default()
}

/// A labelled drop-down of fixed choices (`None` shows and means `default`).
pub fn choice<V: PartialEq + Copy>(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut Option<V>,
    default: V,
    options: &[(V, &str)],
) {
    let current = value.unwrap_or(default);
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(options.iter().find(|o| o.0 == current).map_or("", |o| o.1))
        .show_ui(ui, |ui| {
            for (v, name) in options {
                ui.selectable_value(value, Some(*v), *name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// A labelled drop-down choosing one record by id among `options` (id, name); `none` is
/// shown while nothing is chosen; `width` as the list needs (`None`: egui's).
pub fn pick_id(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut Option<i32>,
    options: &[(i32, &str)],
    none: &str,
    width: Option<f32>,
) {
    let l = ui.label(label);
    let current = value
        .and_then(|v| options.iter().find(|o| o.0 == v))
        .map_or(none, |o| o.1)
        .to_string();
    let mut combo = egui::ComboBox::from_id_salt(id).selected_text(current);
    if let Some(w) = width {
        combo = combo.width(w);
    }
    combo
        .show_ui(ui, |ui| {
            for (v, name) in options {
                ui.selectable_value(value, Some(*v), *name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// Shows `error` in red under a field, if there is one.
pub fn field_error(ui: &mut egui::Ui, error: &Option<String>) {
    if let Some(e) = error {
        ui.label(RichText::new(e.as_str()).color(RED));
    }
}

/// The error as a toast.
pub fn err_toast(lang: Lang, e: &AppError) -> Option<Toast> {
    Some(Toast {
        text: error_text(lang, e),
        error: true,
    })
}

pub fn ok_toast(text: impl Into<String>) -> Option<Toast> {
    Some(Toast {
        text: text.into(),
        error: false,
    })
}

/// "Previous / page x of y / next"; returns true when the page changed.
pub fn pager(ui: &mut egui::Ui, lang: Lang, offset: &mut i64, total: i64) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(*offset > 0, egui::Button::new(lang.t(T::PrevPage)))
            .clicked()
        {
            *offset = (*offset - PAGE).max(0);
            changed = true;
        }
        let pages = ((total + PAGE - 1) / PAGE).max(1);
        ui.label(lang.fill(
            T::PageOf,
            &[
                &(*offset / PAGE + 1).to_string(),
                &pages.to_string(),
                &total.to_string(),
            ],
        ));
        if ui
            .add_enabled(
                *offset + PAGE < total,
                egui::Button::new(lang.t(T::NextPage)),
            )
            .clicked()
        {
            *offset += PAGE;
            changed = true;
        }
    });
    changed
}

/// Two date fields ("from", "to") as YYYY-MM-DD; the period, or a message when they do not
/// make one.
pub struct PeriodInput {
    pub from: String,
    pub to: String,
}

impl PeriodInput {
    pub fn around(today: NaiveDate, days_back: i64) -> PeriodInput {
        PeriodInput {
            from: (today - chrono::Duration::days(days_back))
                .format("%Y-%m-%d")
                .to_string(),
            to: today.format("%Y-%m-%d").to_string(),
        }
    }

    /// Draws the two fields; true when either changed.
    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> bool {
        let mut changed = false;
        for (t, v) in [(T::From, &mut self.from), (T::To, &mut self.to)] {
            let l = ui.label(lang.t(t));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(v)
                        .char_limit(crate::ui::limits::FIELD)
                        .desired_width(110.0),
                )
                .labelled_by(l.id)
                .changed();
        }
        changed
    }

    pub fn period(&self, lang: Lang) -> Result<Period, String> {
        let parse = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| lang.t(T::BadDate).to_string())
        };
        let p = Period {
            from: parse(&self.from)?,
            to: parse(&self.to)?,
        };
        if p.to < p.from {
            return Err(lang.t(T::BadPeriod).into());
        }
        Ok(p)
    }
}

/// A table's header row: one bold, translated title per column.
pub fn header(mut row: egui_extras::TableRow<'_, '_>, lang: Lang, titles: &[T]) {
    for t in titles {
        row.col(|ui| {
            ui.strong(lang.t(*t));
        });
    }
}

/// A labelled drop-down to pick one employee or all of them; true when the choice changed.
pub fn employee_filter(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    lang: Lang,
    staff: &[crate::app::EmployeeView],
    value: &mut Option<i32>,
) -> bool {
    let l = ui.label(label);
    let current = value
        .and_then(|v| staff.iter().find(|e| e.id == v))
        .map_or(lang.t(T::All).to_string(), |e| e.full_name.clone());
    let mut changed = false;
    egui::ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            changed |= ui.selectable_value(value, None, lang.t(T::All)).changed();
            for e in staff {
                changed |= ui
                    .selectable_value(value, Some(e.id), &e.full_name)
                    .changed();
            }
        })
        .response
        .labelled_by(l.id);
    changed
}

/// A small labelled single-line field in a form row (narrower than `field`).
pub fn form_field(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .char_limit(crate::ui::limits::FIELD)
            .desired_width(220.0),
    )
    .labelled_by(l.id)
}

/// The field an `AppError::Invalid` (or a parse error) belongs to, for showing it there.
pub fn error_field(e: &AppError) -> Option<&'static str> {
    match e {
        AppError::Invalid { field, .. } => Some(field),
        AppError::Barcode(_) | AppError::BarcodeTaken(_) => Some("barcodes"),
        AppError::Phone(_) | AppError::PhoneTaken => Some("phone"),
        AppError::LoginTaken(_) => Some("login"),
        AppError::NameTaken(_) => Some("name"),
        AppError::TinTaken { .. } => Some("tin"),
        _ => None,
    }
}
