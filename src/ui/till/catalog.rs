//! The till's catalog in memory: kept current with every change made anywhere (the back
//! office, another till, another program) through the catalog change log, one indexed query
//! when nothing changed, and the search results over it.

use super::*;

impl Till {
    /// Brings the in-memory catalog up to date with every change made anywhere since it was
    /// read (the back office, another till, another program): changed products are updated
    /// in place, new ones added, archived and deleted ones taken out of search; a cart line
    /// whose price changed takes the new price, with a notice. Asked before every frame
    /// with input and at least every half second; one indexed query when nothing changed.
    pub fn follow_catalog(
        &mut self,
        app: &mut App,
        session: &Session,
        now: f64,
        lang: Lang,
        toast: &mut Option<Toast>,
    ) {
        self.catalog_checked = now;
        let Ok(changes) = app.catalog_changes(session, self.catalog_seq) else {
            return;
        };
        // The quick keys are few: read again every two seconds, and after catalog changes
        // (a product renamed or archived).
        let changed = !changes.changed.is_empty() || !changes.gone.is_empty();
        if changed || now - self.quick_checked >= 2.0 {
            self.quick_checked = self.quick_checked.max(now);
            if let Ok(keys) = app.quick_keys(session) {
                self.quick = keys;
            }
            // The shift too: closed elsewhere (`kassa shifts close-all`, another window),
            // the till and its status bar say so within two seconds.
            if let Ok(shift) = app.current_shift(session)
                && shift.as_ref().map(|s| s.id) != self.shift.as_ref().map(|s| s.id)
                && matches!(self.dialog, Dialog::None)
            {
                self.shift = shift;
            }
        }
        if let Some(notice) = self.apply_catalog_changes(changes, lang) {
            *toast = Some(notice);
        }
    }

    /// Applies catalog changes; returns a notice when cart prices changed.
    pub fn apply_catalog_changes(
        &mut self,
        changes: crate::app::CatalogChanges,
        lang: Lang,
    ) -> Option<Toast> {
        self.catalog_seq = changes.seq;
        if changes.changed.is_empty() && changes.gone.is_empty() {
            return None;
        }
        let mut repriced: Vec<String> = Vec::new();
        for mut p in changes.changed {
            let codes = std::mem::take(&mut p.barcodes);
            match self.by_id.get(&p.id).copied() {
                Some(pos) => {
                    if p.archived {
                        self.index.set(pos, None, []);
                    } else {
                        self.index
                            .set(pos, Some(&p.name), codes.iter().map(String::as_str));
                    }
                    self.catalog[pos] = p;
                }
                None if !p.archived => {
                    let pos = self.index.push(&p.name, codes.iter().map(String::as_str));
                    self.by_id.insert(p.id, pos);
                    self.catalog.push(p);
                }
                None => {}
            }
        }
        for id in changes.gone {
            if let Some(&pos) = self.by_id.get(&id) {
                self.index.set(pos, None, []);
                self.catalog[pos].archived = true;
            }
        }
        // Cart lines follow the new prices (the sale would be refused at the old ones).
        for i in 0..self.cart.len() {
            let line = &self.cart.lines()[i];
            let Some(p) = self
                .by_id
                .get(&line.product_id)
                .map(|&pos| &self.catalog[pos])
            else {
                continue;
            };
            if p.archived || line.unit_price.0 == p.sale_price {
                continue;
            }
            let (price, cost, name) =
                (Money(p.sale_price), Money(p.purchase_price), p.name.clone());
            if self.cart.set_unit_price(i, price, cost).is_ok() {
                repriced.push(format!("{name}: {}", price.text(lang)));
            }
        }
        self.refresh_results();
        (!repriced.is_empty()).then(|| Toast {
            text: lang.fill(T::PricesUpdated, &[&repriced.join(", ")]),
            error: false,
        })
    }

    pub(super) fn refresh_results(&mut self) {
        self.results = self.index.search(&self.search, RESULTS_SHOWN);
        self.result_sel = 0;
    }
}
