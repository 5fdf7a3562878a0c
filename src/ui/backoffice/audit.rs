//! The audit log (manager, admin): filter by employee, action and period; each row reads as
//! a sentence in the user's language ([`super::audit_text`]), a click shows the state before
//! and after.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PeriodInput, err_toast, field_error};
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
                action_prefix: None,
                actions: (!self.action.trim().is_empty()).then(|| {
                    let word = self.action.trim().to_lowercase();
                    super::audit_text::known_actions()
                        .filter(|code| {
                            *code == word
                                || super::audit_text::action_name(lang, code)
                                    .to_lowercase()
                                    .contains(&word)
                        })
                        .map(str::to_string)
                        .collect()
                }),
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
            // The action by a word of its name in the user's language ("savdo", "narx").
            if super::form_field(ui, lang.t(T::Action), &mut self.action).changed() {
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
                .column(Column::exact(170.0))
                .column(Column::remainder())
                .header(22.0, |h| {
                    super::header(h, lang, &[T::When, T::Employee, T::Action])
                })
                .body(|body| {
                    body.rows(22.0, self.rows.len(), |mut row| {
                        let r = &self.rows[row.index()];
                        let who = self.who(r);
                        row.set_selected(Some(row.index()) == self.open);
                        row.col(|ui| {
                            ui.label(crate::i18n::local_time(tz, r.created_at));
                        });
                        row.col(|ui| {
                            ui.label(&who);
                        });
                        row.col(|ui| {
                            ui.label(super::audit_text::sentence(lang, r, &who));
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
            let who = self.who(r);
            ui.label(RichText::new(super::audit_text::sentence(lang, r, &who)).strong());
            // Field by field, money in so'm (the log keeps tiyin).
            let details = |ui: &mut egui::Ui, j: &Option<String>| {
                let lines = super::audit_text::detail_lines(lang, j);
                if lines.is_empty() {
                    ui.label("—");
                }
                for line in lines {
                    ui.label(line);
                }
            };
            ui.columns(2, |cols| {
                cols[0].label(RichText::new(lang.t(T::Before)).strong());
                egui::ScrollArea::vertical()
                    .id_salt("audit_before")
                    .max_height(200.0)
                    .show(&mut cols[0], |ui| details(ui, &r.before_json));
                cols[1].label(RichText::new(lang.t(T::After)).strong());
                egui::ScrollArea::vertical()
                    .id_salt("audit_after")
                    .max_height(200.0)
                    .show(&mut cols[1], |ui| details(ui, &r.after_json));
            });
        }
    }

    /// The person's full name, or the login the row recorded (a system action, a login
    /// name that does not exist).
    fn who(&self, r: &AuditRecord) -> String {
        r.employee_id
            .and_then(|id| self.staff.iter().find(|e| e.id == id))
            .map_or_else(|| r.actor.clone(), |e| e.full_name.clone())
    }
}
