//! The till's quick-pick keys as a manager arranges them (Products tab): choose a page and a
//! key, find the product by name or barcode, an optional short label, save; or clear a key.
//! The till follows within two seconds.

use egui::RichText;

use super::{err_toast, field_error, form_field, ok_toast};
use crate::app::{
    App, ProductQuery, ProductView, QUICK_KEYS_PER_PAGE, QUICK_LABEL_MAX, QUICK_PAGES, QuickKey,
    Session,
};
use crate::i18n::{Lang, T};
use crate::ui::Toast;

/// Matches shown for the typed product.
const MATCHES: i64 = 8;

#[derive(Default)]
pub struct QuickKeysEditor {
    loaded: bool,
    keys: Vec<QuickKey>,
    page: String,
    position: String,
    product_text: String,
    matches: Vec<ProductView>,
    product: Option<ProductView>,
    label: String,
    error: Option<String>,
}

impl QuickKeysEditor {
    fn reload(&mut self, app: &mut App, session: &Session) {
        self.keys = app.quick_keys(session).unwrap_or_default();
        self.loaded = true;
    }

    /// The page and key typed, when both are in range.
    fn place(&self, lang: Lang) -> Result<(i32, i32), String> {
        let page = self.page.trim().parse::<i32>().ok();
        let position = self.position.trim().parse::<i32>().ok();
        match (page, position) {
            (Some(p), Some(k))
                if (1..=QUICK_PAGES).contains(&p) && (1..=QUICK_KEYS_PER_PAGE).contains(&k) =>
            {
                Ok((p, k))
            }
            (Some(p), _) if (1..=QUICK_PAGES).contains(&p) => {
                Err(lang.fill(T::FieldWrong, &[lang.t(T::QuickPosition)]))
            }
            _ => Err(lang.fill(T::FieldWrong, &[lang.t(T::QuickPage)])),
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        app: &mut App,
        session: &Session,
        toast: &mut Option<Toast>,
    ) {
        ui.collapsing(lang.t(T::QuickKeysEditor), |ui| {
            if !self.loaded {
                self.reload(app, session);
            }
            ui.horizontal_wrapped(|ui| {
                form_field(ui, lang.t(T::QuickPage), &mut self.page);
                form_field(ui, lang.t(T::QuickPosition), &mut self.position);
            });
            if form_field(ui, lang.t(T::QuickKeyProduct), &mut self.product_text).changed() {
                self.product = None;
                self.matches = if self.product_text.trim().is_empty() {
                    Vec::new()
                } else {
                    let query = ProductQuery {
                        text: self.product_text.clone(),
                        limit: MATCHES,
                        ..Default::default()
                    };
                    app.products_page(session, &query)
                        .map(|(rows, _)| rows)
                        .unwrap_or_default()
                };
            }
            let mut picked = None;
            for p in &self.matches {
                let chosen = self.product.as_ref().is_some_and(|c| c.id == p.id);
                if ui.selectable_label(chosen, &p.name).clicked() {
                    picked = Some(p.clone());
                }
            }
            if let Some(p) = picked {
                self.product_text = p.name.clone();
                self.product = Some(p);
            }
            let l = ui.label(lang.t(T::QuickLabel));
            ui.add(
                egui::TextEdit::singleline(&mut self.label)
                    .char_limit(QUICK_LABEL_MAX)
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            field_error(ui, &self.error);
            let mut save: Option<Option<(i32, String)>> = None;
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::Save)).clicked() {
                    match &self.product {
                        Some(p) => save = Some(Some((p.id, self.label.clone()))),
                        None => {
                            self.error =
                                Some(lang.fill(T::FieldWrong, &[lang.t(T::QuickKeyProduct)]))
                        }
                    }
                }
                if ui.button(lang.t(T::QuickKeyClear)).clicked() {
                    save = Some(None);
                }
            });
            if let Some(product) = save {
                match self.place(lang) {
                    Err(e) => self.error = Some(e),
                    Ok((page, position)) => {
                        let product = product.as_ref().map(|(id, l)| (*id, l.as_str()));
                        match app.set_quick_key(session, page, position, product) {
                            Ok(()) => {
                                self.error = None;
                                let text = if product.is_some() {
                                    T::QuickKeySaved
                                } else {
                                    T::QuickKeyCleared
                                };
                                *toast = ok_toast(lang.t(text));
                                self.reload(app, session);
                            }
                            Err(e) => *toast = err_toast(lang, &e),
                        }
                    }
                }
            }
            ui.separator();
            if self.keys.is_empty() {
                ui.label(lang.t(T::QuickKeysNone));
            }
            let mut edit: Option<QuickKey> = None;
            for k in &self.keys {
                let text = if k.label.is_empty() {
                    format!("{} / {}: {}", k.page, k.position, k.product_name)
                } else {
                    format!(
                        "{} / {}: {} «{}»",
                        k.page, k.position, k.product_name, k.label
                    )
                };
                if ui.selectable_label(false, RichText::new(text)).clicked() {
                    edit = Some(k.clone());
                }
            }
            if let Some(k) = edit {
                // Choosing a key fills the form with it, to change or clear it.
                self.page = k.page.to_string();
                self.position = k.position.to_string();
                self.product_text = k.product_name.clone();
                self.label = k.label.clone();
                self.matches = Vec::new();
                self.product = app
                    .products_page(
                        session,
                        &ProductQuery {
                            text: k.product_name.clone(),
                            limit: MATCHES,
                            ..Default::default()
                        },
                    )
                    .ok()
                    .and_then(|(rows, _)| rows.into_iter().find(|p| p.id == k.product_id));
            }
        });
    }
}
