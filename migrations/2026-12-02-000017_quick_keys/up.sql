-- Quick-pick buttons at the till for goods without barcodes (bread, greens, loose goods):
-- nine pages of twelve, arranged by a manager. A key shows its own short label, or else the
-- product's name.
CREATE TABLE quick_keys (
    page INTEGER NOT NULL CHECK (page BETWEEN 1 AND 9),
    position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 12),
    product_id INTEGER NOT NULL REFERENCES products (id),
    label TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 40),
    PRIMARY KEY (page, position)
);
