-- The product name folded for search (lower case, Cyrillic transliterated, apostrophes
-- dropped; see domain::search::fold), kept by the app on every write, so that back-office
-- lists can search 100 000 products in SQL.
ALTER TABLE products ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
CREATE INDEX products_low_stock ON products(archived, stock, low_stock_threshold);
CREATE INDEX sale_payments_method ON sale_payments(method, sale_id);
CREATE INDEX sales_refunded ON sales(refunded_at);
