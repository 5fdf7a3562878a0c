//! Products: a paged table with search, category filter, sort and a low-stock highlight;
//! a form to create or edit (several barcodes, prices, unit, threshold, category) whose
//! errors appear at their field; delete (archive when the product has history); categories
//! managed in place.

use std::collections::HashMap;

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{PAGE, RED, err_toast, error_field, field_error, form_field, ok_toast, pager};
use crate::app::error_text;
use crate::app::{
    App, DeleteOutcome, ProductInput, ProductQuery, ProductSort, ProductView, Session,
};
use crate::domain::{Action, Money, Quantity, Unit};
use crate::i18n::{Lang, T};
use crate::store::models::Category;
use crate::ui::Toast;

#[derive(Default)]
struct Form {
    id: Option<i32>,
    name: String,
    barcodes: String,
    category_id: Option<i32>,
    weighed: bool,
    purchase_price: String,
    sale_price: String,
    threshold: String,
    /// Class, package and unit codes, VAT and marking, as fiscal receipts need them.
    fiscal: crate::app::ProductFiscal,
    errors: HashMap<&'static str, String>,
    /// The product's past prices, read when the form opens.
    history: Option<Vec<crate::app::PriceChange>>,
}

impl Form {
    fn of(p: &ProductView) -> Form {
        Form {
            id: Some(p.id),
            name: p.name.clone(),
            barcodes: p.barcodes.join(", "),
            category_id: p.category_id,
            weighed: p.unit() == Unit::Weight,
            purchase_price: Money(p.purchase_price).format_number().replace(' ', ""),
            sale_price: Money(p.sale_price).format_number().replace(' ', ""),
            threshold: Quantity(p.low_stock_threshold).to_string(),
            fiscal: p.fiscal.clone(),
            errors: HashMap::new(),
            history: None,
        }
    }

    /// The input, or the errors by field.
    fn input(&mut self, lang: Lang) -> Option<ProductInput> {
        self.errors.clear();
        let money = |s: &str| {
            if s.trim().is_empty() {
                Ok(Money::ZERO)
            } else {
                Money::parse(s)
            }
        };
        let purchase = money(&self.purchase_price).map_err(|e| {
            self.errors
                .insert("purchase_price", error_text(lang, &e.into()))
        });
        let sale = Money::parse(&self.sale_price).map_err(|e| {
            self.errors
                .insert("sale_price", error_text(lang, &e.into()))
        });
        let threshold = if self.threshold.trim().is_empty() {
            Ok(Quantity(0))
        } else {
            Quantity::parse(&self.threshold).map_err(|e| {
                self.errors
                    .insert("low_stock_threshold", error_text(lang, &e.into()))
            })
        };
        let (Ok(purchase_price), Ok(sale_price), Ok(low_stock_threshold)) =
            (purchase, sale, threshold)
        else {
            return None;
        };
        Some(ProductInput {
            name: self.name.clone(),
            category_id: self.category_id,
            unit: if self.weighed {
                Unit::Weight
            } else {
                Unit::Piece
            },
            purchase_price,
            sale_price,
            low_stock_threshold,
            barcodes: self
                .barcodes
                .split([',', ' ', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            fiscal: self.fiscal.clone(),
        })
    }
}

#[derive(Default)]
pub struct ProductsTab {
    query: ProductQuery,
    rows: Vec<ProductView>,
    total: i64,
    categories: Vec<Category>,
    dirty: bool,
    loaded: bool,
    form: Option<Form>,
    confirm_delete: bool,
    new_category: String,
    rename: HashMap<i32, String>,
    quick: super::quick_keys::QuickKeysEditor,
    catalog_io: super::catalog_io::CatalogIo,
    labels: super::labels::LabelsPanel,
}

fn category_combo(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    none: &str,
    cats: &[Category],
    value: &mut Option<i32>,
) -> bool {
    let current = value
        .and_then(|v| cats.iter().find(|c| c.id == v))
        .map_or(none.to_string(), |c| c.name.clone());
    let mut changed = false;
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            changed |= ui.selectable_value(value, None, none).changed();
            for c in cats {
                changed |= ui.selectable_value(value, Some(c.id), &c.name).changed();
            }
        })
        .response
        .labelled_by(l.id);
    changed
}

impl ProductsTab {
    fn reload(&mut self, app: &mut App, session: &Session, toast: &mut Option<Toast>, lang: Lang) {
        self.query.limit = PAGE;
        match app.products_page(session, &self.query) {
            Ok((rows, total)) => {
                self.rows = rows;
                self.total = total;
            }
            Err(e) => *toast = err_toast(lang, &e),
        }
        self.categories = app.categories(session).unwrap_or_default();
        self.dirty = false;
        self.loaded = true;
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
            self.reload(app, session, toast, lang);
        }
        let can_edit = session.can(Action::ManageProducts);
        ui.horizontal_wrapped(|ui| {
            if form_field(ui, lang.t(T::SearchProducts), &mut self.query.text).changed() {
                self.query.offset = 0;
                self.dirty = true;
            }
            let mut cat = self.query.category_id;
            if category_combo(
                ui,
                "filter_category",
                lang.t(T::Category),
                lang.t(T::AllCategories),
                &self.categories,
                &mut cat,
            ) {
                self.query.category_id = cat;
                self.query.offset = 0;
                self.dirty = true;
            }
            let l = ui.label(lang.t(T::SortBy));
            let sorts = [
                (ProductSort::Name, T::ColName),
                (ProductSort::PriceAsc, T::PriceUp),
                (ProductSort::PriceDesc, T::PriceDown),
                (ProductSort::StockAsc, T::StockUp),
            ];
            let current = sorts
                .iter()
                .find(|(s, _)| *s == self.query.sort)
                .map_or(T::ColName, |x| x.1);
            egui::ComboBox::from_id_salt("sort")
                .selected_text(lang.t(current))
                .show_ui(ui, |ui| {
                    for (s, t) in sorts {
                        if ui
                            .selectable_value(&mut self.query.sort, s, lang.t(t))
                            .changed()
                        {
                            self.dirty = true;
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            if ui
                .checkbox(&mut self.query.low_stock_only, lang.t(T::LowStockOnly))
                .changed()
            {
                self.query.offset = 0;
                self.dirty = true;
            }
            if can_edit && ui.button(lang.t(T::NewProduct)).clicked() {
                let threshold = app
                    .setting(session, crate::app::setting_keys::LOW_STOCK_DEFAULT)
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| "0".into());
                self.form = Some(Form {
                    threshold,
                    ..Default::default()
                });
                self.confirm_delete = false;
            }
        });
        if can_edit {
            self.categories_ui(ui, lang, app, session, toast);
            self.quick.ui(ui, lang, app, session, toast);
            if self.catalog_io.ui(ui, lang, app, session, toast) {
                self.dirty = true;
            }
            self.labels.ui(ui, lang, app, session, toast);
        }
        if pager(ui, lang, &mut self.query.offset, self.total) {
            self.dirty = true;
        }
        let mut open: Option<usize> = None;
        let cats: HashMap<i32, String> = self
            .categories
            .iter()
            .map(|c| (c.id, c.name.clone()))
            .collect();
        ui.push_id("products_table", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .sense(egui::Sense::click())
                .column(Column::remainder().at_least(200.0))
                .column(Column::exact(150.0))
                .column(Column::exact(140.0))
                .column(Column::exact(110.0))
                .column(Column::exact(110.0))
                .column(Column::exact(120.0))
                .header(22.0, |h| {
                    super::header(
                        h,
                        lang,
                        &[
                            T::ColName,
                            T::Barcodes,
                            T::Category,
                            T::ColPrice,
                            T::PurchasePrice,
                            T::ColStock,
                        ],
                    )
                })
                .body(|body| {
                    body.rows(24.0, self.rows.len(), |mut row| {
                        let p = &self.rows[row.index()];
                        let low = p.is_low_on_stock();
                        let text = |s: String| {
                            if low {
                                RichText::new(s).color(RED)
                            } else {
                                RichText::new(s)
                            }
                        };
                        row.col(|ui| {
                            ui.label(text(p.name.clone()));
                        });
                        row.col(|ui| {
                            ui.label(p.barcodes.join(", "));
                        });
                        row.col(|ui| {
                            ui.label(
                                p.category_id
                                    .and_then(|c| cats.get(&c).cloned())
                                    .unwrap_or_default(),
                            );
                        });
                        row.col(|ui| {
                            ui.label(Money(p.sale_price).format_number());
                        });
                        row.col(|ui| {
                            ui.label(Money(p.purchase_price).format_number());
                        });
                        row.col(|ui| {
                            ui.label(text(crate::i18n::quantity_text(
                                lang,
                                Quantity(p.stock),
                                p.unit(),
                            )));
                        });
                        if row.response().clicked() {
                            open = Some(row.index());
                        }
                    });
                });
        });
        if let Some(i) = open
            && can_edit
        {
            self.form = Some(Form::of(&self.rows[i]));
            self.confirm_delete = false;
        }
        self.form_ui(ui, lang, app, session, toast);
    }

    fn categories_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.collapsing(lang.t(T::Categories), |ui| {
            let mut changed = false;
            for c in self.categories.clone() {
                ui.horizontal(|ui| {
                    let name = self.rename.entry(c.id).or_insert_with(|| c.name.clone());
                    let l = ui.label(format!("#{}", c.id));
                    ui.add(
                        egui::TextEdit::singleline(name)
                            .char_limit(crate::ui::limits::FIELD)
                            .desired_width(220.0),
                    )
                    .labelled_by(l.id);
                    if *name != c.name && ui.button(lang.t(T::Rename)).clicked() {
                        match app.rename_category(session, c.id, name) {
                            Ok(_) => changed = true,
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                    if ui.button(lang.fill(T::DeleteNamed, &[&c.name])).clicked() {
                        match app.delete_category(session, c.id) {
                            Ok(()) => changed = true,
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                });
            }
            ui.horizontal(|ui| {
                form_field(ui, lang.t(T::NewCategory), &mut self.new_category);
                if ui.button(lang.t(T::Add)).clicked() {
                    match app.create_category(session, &self.new_category) {
                        Ok(_) => {
                            self.new_category.clear();
                            changed = true;
                        }
                        Err(e) => *toast = err_toast(lang, &e),
                    }
                }
            });
            if changed {
                self.rename.clear();
                self.dirty = true;
            }
        });
    }

    fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        let Some(form) = &mut self.form else { return };
        if let (Some(id), None) = (form.id, &form.history) {
            form.history = Some(app.price_history(session, id).unwrap_or_default());
        }
        let mut close = false;
        let mut saved = false;
        let cats = self.categories.clone();
        let confirm_delete = &mut self.confirm_delete;
        egui::Modal::new(egui::Id::unique("product_form")).show(ui.ctx(), |ui| {
            ui.set_min_width(520.0);
            ui.heading(if form.id.is_some() {
                lang.t(T::EditProduct)
            } else {
                lang.t(T::NewProduct)
            });
            egui::Grid::new("product_grid")
                .num_columns(2)
                .show(ui, |ui| {
                    let err = |f: &Form, k: &str| f.errors.get(k).cloned();
                    form_field(ui, lang.t(T::ColName), &mut form.name);
                    ui.end_row();
                    if let Some(e) = err(form, "name") {
                        ui.label("");
                        field_error(ui, &Some(e));
                        ui.end_row();
                    }
                    form_field(ui, lang.t(T::Barcodes), &mut form.barcodes);
                    ui.end_row();
                    if let Some(e) = err(form, "barcodes") {
                        ui.label("");
                        field_error(ui, &Some(e));
                        ui.end_row();
                    }
                    category_combo(
                        ui,
                        "form_category",
                        lang.t(T::Category),
                        "—",
                        &cats,
                        &mut form.category_id,
                    );
                    ui.end_row();
                    ui.label(lang.t(T::Unit));
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut form.weighed, false, lang.t(T::UnitPiece));
                        ui.radio_value(&mut form.weighed, true, lang.t(T::UnitWeight));
                    });
                    ui.end_row();
                    for (key, label, value) in [
                        ("purchase_price", T::PurchasePrice, &mut form.purchase_price),
                        ("sale_price", T::ColPrice, &mut form.sale_price),
                        (
                            "low_stock_threshold",
                            T::LowStockThreshold,
                            &mut form.threshold,
                        ),
                        ("class_code", T::ClassCode, &mut form.fiscal.class_code),
                        (
                            "package_code",
                            T::PackageCode,
                            &mut form.fiscal.package_code,
                        ),
                        ("unit_code", T::UnitCode, &mut form.fiscal.unit_code),
                    ] {
                        form_field(ui, lang.t(label), value);
                        ui.end_row();
                        if let Some(e) = form.errors.get(key).cloned() {
                            ui.label("");
                            field_error(ui, &Some(e));
                            ui.end_row();
                        }
                    }
                    ui.label(lang.t(T::VatRate));
                    ui.horizontal(|ui| {
                        use crate::domain::fiscal::Vat;
                        for (v, t) in [
                            (Vat::Twelve, "12 %"),
                            (Vat::Zero, "0 %"),
                            (Vat::Exempt, lang.t(T::VatExempt)),
                        ] {
                            ui.radio_value(&mut form.fiscal.vat, v, t);
                        }
                    });
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut form.fiscal.marked, lang.t(T::MarkedGoods));
                    ui.end_row();
                });
            if let Some(history) = form.history.as_ref().filter(|h| !h.is_empty()) {
                ui.collapsing(lang.t(T::PriceHistory), |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("price_history")
                        .max_height(160.0)
                        .show(ui, |ui| {
                            for c in history {
                                let what = lang.t(if c.sale {
                                    T::ColPrice
                                } else {
                                    T::PurchasePrice
                                });
                                let mut line = format!(
                                    "{} — {what}: {}",
                                    c.at,
                                    crate::i18n::MoneyText::text(Money(c.price), lang)
                                );
                                if let Some(by) = &c.by {
                                    line.push_str(&format!(" — {by}"));
                                }
                                if let Some(s) = c.supply_id {
                                    line.push_str(&format!(
                                        " ({})",
                                        lang.fill(T::SupplyNo, &[&s.to_string()])
                                    ));
                                }
                                ui.label(line);
                            }
                        });
                });
            }
            if let Some(e) = form.errors.get("").cloned() {
                field_error(ui, &Some(e));
            }
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::SaveButton)).clicked()
                    && let Some(input) = form.input(lang)
                {
                    let result = match form.id {
                        Some(id) => app.update_product(session, id, &input),
                        None => app.create_product(session, &input),
                    };
                    match result {
                        Ok(p) => {
                            let internal: Vec<&str> = input
                                .barcodes
                                .iter()
                                .map(|c| c.trim())
                                .filter(|c| crate::domain::barcode::is_internal(c))
                                .collect();
                            let mut text = lang.fill(T::Saved, &[&p.name]);
                            if !internal.is_empty() {
                                text.push(' ');
                                text.push_str(
                                    &lang.fill(T::ImportInternalCodes, &[&internal.join(", ")]),
                                );
                            }
                            *toast = ok_toast(text);
                            saved = true;
                        }
                        Err(e) => {
                            let key = error_field(&e).unwrap_or("");
                            form.errors.insert(key, error_text(lang, &e));
                        }
                    }
                }
                if let Some(id) = form.id {
                    if !*confirm_delete {
                        if ui.button(lang.t(T::Delete)).clicked() {
                            *confirm_delete = true;
                        }
                    } else if ui
                        .button(RichText::new(lang.t(T::ConfirmDelete)).color(RED))
                        .clicked()
                    {
                        match app.delete_product(session, id) {
                            Ok(DeleteOutcome::Deleted) => *toast = ok_toast(lang.t(T::Deleted)),
                            Ok(DeleteOutcome::Archived) => *toast = ok_toast(lang.t(T::Archived)),
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                        saved = true;
                    }
                }
                if ui.button(lang.t(T::CancelButton)).clicked() {
                    close = true;
                }
            });
        });
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            close = true;
        }
        if saved {
            self.dirty = true;
            close = true;
        }
        if close {
            self.form = None;
            self.confirm_delete = false;
        }
    }
}
