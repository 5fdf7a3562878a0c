-- Stocktakes: a count of the whole shop (categories '') or of some categories (their ids,
-- comma separated), counted from one or several sessions; each product's expected stock is
-- taken at its first count, and applying adds (counted - expected) to the stock.
CREATE TABLE stocktakes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    categories TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'cancelled')),
    started_by INTEGER REFERENCES employees(id),
    started_at TIMESTAMP NOT NULL,
    applied_at TIMESTAMP,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX stocktakes_one_open ON stocktakes(status) WHERE status = 'open';
CREATE TABLE stocktake_counts (
    stocktake_id INTEGER NOT NULL REFERENCES stocktakes(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    expected BIGINT NOT NULL,
    counted BIGINT NOT NULL CHECK (counted >= 0),
    first_counted_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (stocktake_id, product_id)
);
