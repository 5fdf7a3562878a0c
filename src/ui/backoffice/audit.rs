//! The audit log (manager, admin): filter by employee, action and period; each row shows
//! who, when, what, and the state before and after.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PeriodInput, err_toast, field_error, form_field};
use crate::app::{App, AuditFilter, AuditRecord, EmployeeView, Session};
use crate::domain::debt;
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Default)]
pub struct AuditTab {
    period: Option<PeriodInput>,
    employee: Option<i32>,
    action: String,
    staff: Vec<EmployeeView>,
    rows: Vec<AuditRecord>,
    dirty: bool,
    loaded: bool,
    error: Option<String>,
    open: Option<usize>,
}

impl AuditTab {
    fn reload(&mut self, app: &mut App, session: &Session, lang: Lang, toast: &mut Option<Toast>) {
        let tz = app.time_zone();
        if self.period.is_none() {
            self.period = Some(PeriodInput::around(debt::local_date(app.now(), tz), 6));
            self.staff = app.employees(session).unwrap_or_default();
        }
        self.error = None;
        let period = match self.period.as_ref().map(|p| p.period(lang)) {
            Some(Ok(p)) => Some(p.utc_bounds(tz)),
            Some(Err(e)) => {
                self.error = Some(e);
                None
            }
            None => None,
        };
        if let Some((from, to)) = period {
            let filter = AuditFilter {
                employee_id: self.employee,
                action_prefix: if self.action.trim().is_empty() {
                    None
                } else {
                    Some(self.action.trim().to_string())
                },
                from: Some(from),
                to: Some(to),
                limit: 500,
                offset: 0,
            };
            match app.audit_log(session, &filter) {
                Ok(rows) => self.rows = rows,
                Err(e) => *toast = err_toast(lang, &e),
            }
        }
        self.loaded = true;
        self.dirty = false;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        if !self.loaded || self.dirty {
            self.reload(app, session, lang, toast);
        }
        ui.horizontal_wrapped(|ui| {
            if let Some(p) = &mut self.period
                && p.ui(ui, lang)
            {
                self.dirty = true;
            }
            if super::employee_filter(
                ui,
                "audit_employee",
                lang.t(T::Employee),
                lang,
                &self.staff,
                &mut self.employee,
            ) {
                self.dirty = true;
            }
            if form_field(ui, lang.t(T::Action), &mut self.action).changed() {
                self.dirty = true;
            }
        });
        field_error(ui, &self.error);
        let tz = app.time_zone();
        let mut open = None;
        ui.push_id("audit_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .max_scroll_height(320.0)
                .column(Column::exact(150.0))
                .column(Column::exact(130.0))
                .column(Column::exact(200.0))
                .column(Column::exact(140.0))
                .column(Column::remainder())
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[T::When, T::Employee, T::Action, T::Object, T::AuditChange],
                    )
                })
                .body(|body| {
                    body.rows(22.0, self.rows.len(), |mut row| {
                        let r = &self.rows[row.index()];
                        row.set_selected(Some(row.index()) == self.open);
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, r.created_at));
                        });
                        row.col(|ui| {
                            ui.label(&r.actor);
                        });
                        row.col(|ui| {
                            ui.label(&r.action);
                        });
                        row.col(|ui| {
                            ui.label(format!(
                                "{} #{}",
                                r.entity,
                                r.entity_id.map(|i| i.to_string()).unwrap_or_default()
                            ));
                        });
                        row.col(|ui| {
                            let after: String = r
                                .after_json
                                .clone()
                                .unwrap_or_default()
                                .chars()
                                .take(80)
                                .collect();
                            ui.label(after);
                        });
                        if row.response().clicked() {
                            open = Some(row.index());
                        }
                    });
                });
        });
        if open.is_some() {
            self.open = open;
        }
        if let Some(r) = self.open.and_then(|i| self.rows.get(i)) {
            ui.separator();
            ui.label(RichText::new(format!("{} — {}", r.action, r.actor)).strong());
            ui.label(format!(
                "{}: {}",
                lang.t(T::Before),
                r.before_json.clone().unwrap_or_else(|| "—".into())
            ));
            ui.label(format!(
                "{}: {}",
                lang.t(T::After),
                r.after_json.clone().unwrap_or_else(|| "—".into())
            ));
        }
    }
}
