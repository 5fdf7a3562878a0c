-- Sale price history beside purchase_prices: one row per price a product had, who set it
-- and when. Existing products start with their current price at their creation time.
CREATE TABLE sale_prices (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    price BIGINT NOT NULL CHECK (price >= 0),
    employee_id INTEGER REFERENCES employees(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sale_prices_product ON sale_prices(product_id, created_at);
INSERT INTO sale_prices (product_id, price, employee_id, created_at)
    SELECT id, sale_price, NULL, created_at FROM products;
