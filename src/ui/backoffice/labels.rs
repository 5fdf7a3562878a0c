//! Price tags from the Products tab: for chosen products (each with its copies), a category
//! or a supply (a label per piece received), at a label size, with or without the date; sent
//! to the TSPL label printer of the settings (`labels.port`, through its own queue,
//! `devices::label_queue`, so a printer that is off never stalls the window) or written as A4 sticker sheets (PDF) in the exports
//! folder. The labels are `App::labels`; this only draws.

use egui::RichText;

use super::{RED, err_toast, ok_toast};
use crate::app::document::tspl::LabelSize;
use crate::app::{App, LabelSource, ProductView, Session};
use crate::export::label_sheet::Sheet;
use crate::i18n::{Lang, T};
use crate::ui::Toast;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Source {
    #[default]
    Chosen,
    Category,
    Supply,
}

#[derive(Default)]
pub struct LabelsPanel {
    source: Source,
    find: String,
    found: Vec<ProductView>,
    /// Chosen products with the copies typed for each.
    chosen: Vec<(ProductView, String)>,
    category: Option<i32>,
    /// The shop's categories (id, name), read when "a category" is chosen.
    categories: Vec<(i32, String)>,
    supply: String,
    copies: String,
    size: Option<LabelSize>,
    dated: bool,
    to_sheet: bool,
    sheet: Option<Sheet>,
    error: Option<String>,
    /// The label printer's queue, started at the first job.
    queue: Option<crate::devices::label_queue::LabelQueue>,
}

const SIZES: [(LabelSize, &str); 3] = [
    (LabelSize::Large, "58×40"),
    (LabelSize::Medium, "40×30"),
    (LabelSize::Small, "30×20"),
];
const SHEETS: [(Sheet, &str); 3] = [
    (Sheet::A3x8, "3×8 (70×37)"),
    (Sheet::A4x10, "4×10 (52,5×29,7)"),
    (Sheet::A5x13, "5×13 (38,1×21,2)"),
];

impl LabelsPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        // The printer's answers that came (its reasons are in the log; the user reads what
        // to do in their words).
        if let Some(q) = &self.queue {
            use crate::devices::label_queue::Outcome;
            for outcome in q.finished() {
                match outcome {
                    Outcome::Sent(n) => {
                        *toast = ok_toast(lang.fill(T::LabelsSent, &[&n.to_string()]));
                    }
                    Outcome::Failed { port, .. } => {
                        self.error = Some(lang.fill(T::LabelPrinterFailed, &[&port]));
                    }
                }
            }
            if q.waiting() > 0 {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        ui.collapsing(lang.t(T::PriceTags), |ui| {
            self.body(ui, lang, app, session, toast);
        });
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.horizontal(|ui| {
            for (s, t) in [
                (Source::Chosen, T::LabelSourceChosen),
                (Source::Category, T::LabelSourceCategory),
                (Source::Supply, T::LabelSourceSupply),
            ] {
                if ui.radio_value(&mut self.source, s, lang.t(t)).changed() && s == Source::Category
                {
                    self.categories = app
                        .categories(session)
                        .map(|c| c.into_iter().map(|c| (c.id, c.name)).collect())
                        .unwrap_or_default();
                }
            }
        });
        match self.source {
            Source::Chosen => self.chosen_ui(ui, lang, app, session),
            Source::Category => {
                let names: Vec<(i32, &str)> = self
                    .categories
                    .iter()
                    .map(|c| (c.0, c.1.as_str()))
                    .collect();
                ui.horizontal(|ui| {
                    super::pick_id(
                        ui,
                        "labels_category",
                        lang.t(T::Category),
                        &mut self.category,
                        &names,
                        "",
                        None,
                    );
                });
            }
            Source::Supply => {
                ui.horizontal(|ui| {
                    super::form_field(ui, lang.t(T::LabelSupplyNo), &mut self.supply);
                });
            }
        }
        ui.horizontal(|ui| {
            if self.source != Source::Chosen {
                let l = ui.label(lang.t(T::LabelCopiesAll));
                ui.add(
                    egui::TextEdit::singleline(&mut self.copies)
                        .char_limit(5)
                        .desired_width(50.0),
                )
                .labelled_by(l.id);
            }
            ui.checkbox(&mut self.dated, lang.t(T::LabelWithDate));
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.to_sheet, false, lang.t(T::LabelToPrinter));
            ui.radio_value(&mut self.to_sheet, true, lang.t(T::LabelToSheet));
            if self.to_sheet {
                let label = lang.t(T::LabelSheet);
                super::choice(
                    ui,
                    "labels_sheet",
                    label,
                    &mut self.sheet,
                    Sheet::A3x8,
                    &SHEETS,
                );
            } else {
                let label = lang.t(T::LabelSize);
                super::choice(
                    ui,
                    "labels_size",
                    label,
                    &mut self.size,
                    LabelSize::Large,
                    &SIZES,
                );
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e.as_str()).color(RED));
        }
        ui.horizontal(|ui| {
            if ui.button(lang.t(T::LabelPrint)).clicked() {
                self.error = None;
                if let Some(t) = self.make(lang, app, session) {
                    *toast = t;
                }
            }
            let waiting = self.queue.as_ref().map_or(0, |q| q.waiting());
            if waiting > 0 {
                ui.label(lang.fill(T::LabelsSending, &[&waiting.to_string()]));
            }
        });
    }

    fn chosen_ui(&mut self, ui: &mut egui::Ui, lang: Lang, app: &mut App, session: &Session) {
        ui.horizontal(|ui| {
            if super::form_field(ui, lang.t(T::LabelFind), &mut self.find).changed() {
                self.found = super::find_products(app, session, &self.find, 6);
            }
        });
        let mut add = None;
        ui.horizontal_wrapped(|ui| {
            for p in &self.found {
                if ui.button(lang.fill(T::LabelAdd, &[&p.name])).clicked() {
                    add = Some(p.clone());
                }
            }
        });
        if let Some(p) = add
            && !self.chosen.iter().any(|(c, _)| c.id == p.id)
        {
            self.chosen.push((p, "1".into()));
        }
        let mut remove = None;
        for (i, (p, copies)) in self.chosen.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.label(&p.name);
                let l = ui.label(lang.t(T::LabelCopies));
                ui.add(
                    egui::TextEdit::singleline(copies)
                        .char_limit(5)
                        .desired_width(50.0),
                )
                .labelled_by(l.id);
                if ui.button("✖").on_hover_text(lang.t(T::Delete)).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.chosen.remove(i);
        }
    }

    /// Makes the labels: to the printer on its own thread, or the sheets to a file.
    fn make(&mut self, lang: Lang, app: &mut App, session: &Session) -> Option<Option<Toast>> {
        let bad_copies = || lang.fill(T::ErrQuantity, &[&format!("1–{}", crate::app::MAX_COPIES)]);
        let parse_copies = |s: &str| -> Result<u32, String> {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=crate::app::MAX_COPIES).contains(n))
                .ok_or_else(bad_copies)
        };
        let source = match self.source {
            Source::Chosen => {
                let mut list = Vec::new();
                for (p, c) in &self.chosen {
                    match parse_copies(c) {
                        Ok(n) => list.push((p.id, n)),
                        Err(e) => {
                            self.error = Some(format!("{}: {e}", p.name));
                            return None;
                        }
                    }
                }
                LabelSource::Products(list)
            }
            Source::Category => LabelSource::Category(
                self.category
                    .and_then(|id| self.categories.iter().find(|c| c.0 == id))
                    .map(|c| c.1.clone())
                    .unwrap_or_default(),
            ),
            Source::Supply => match self.supply.trim().trim_start_matches('#').parse::<i32>() {
                Ok(id) => LabelSource::Supply(id),
                Err(_) => {
                    self.error = Some(lang.fill(T::FieldWrong, &[lang.t(T::LabelSupplyNo)]));
                    return None;
                }
            },
        };
        let copies = if self.source == Source::Chosen || self.copies.trim().is_empty() {
            None
        } else {
            match parse_copies(&self.copies) {
                Ok(n) => Some(n),
                Err(e) => {
                    self.error = Some(e);
                    return None;
                }
            }
        };
        let labels = match app.labels(Some(session), &source, copies, self.dated, lang) {
            Ok(l) => l,
            Err(e) => return Some(err_toast(lang, &e)),
        };
        let total: u32 = labels.iter().map(|l| l.copies).sum();
        if total == 0 {
            self.error = Some(lang.t(T::NothingToLabel).into());
            return None;
        }
        if self.to_sheet {
            let sheet = self.sheet.unwrap_or(Sheet::A3x8);
            let today = crate::domain::debt::local_date(app.now(), app.time_zone());
            let path = crate::export::default_folder(app.path())
                .join(format!("labels_{today}_{}.pdf", total));
            let title = lang.t(T::PriceTags);
            return Some(
                match crate::export::label_sheet::write_file(&labels, sheet, title, &path) {
                    Ok(pages) => ok_toast(lang.fill(
                        T::LabelsSaved,
                        &[
                            &total.to_string(),
                            &pages.to_string(),
                            &path.display().to_string(),
                        ],
                    )),
                    Err(e) => Some(Toast {
                        text: crate::export::export_error_text(lang, &e),
                        error: true,
                    }),
                },
            );
        }
        let setting = app
            .setting(session, crate::app::setting_keys::LABEL_PORT)
            .ok()
            .flatten()
            .unwrap_or_default();
        let Ok(port) = crate::domain::device_address::Port::parse(&setting) else {
            self.error = Some(lang.t(T::NoLabelPrinter).into());
            return None;
        };
        let page = app.label_page().unwrap_or_default();
        let size = self.size.unwrap_or(LabelSize::Large);
        let bytes = match crate::app::document::tspl::labels(&labels, size, page) {
            Ok(b) => b,
            Err(crate::app::document::tspl::LabelError::CodeTooLong { code, size }) => {
                self.error = Some(lang.fill(T::LabelCodeTooLong, &[&code, &size]));
                return None;
            }
        };
        self.queue
            .get_or_insert_with(crate::devices::label_queue::LabelQueue::start)
            .submit(crate::devices::label_queue::Job {
                port,
                port_text: setting.trim().to_string(),
                bytes,
                labels: total,
            });
        None
    }
}
