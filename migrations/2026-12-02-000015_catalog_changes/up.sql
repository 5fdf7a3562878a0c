-- What changed in the catalog, for the till to follow without reloading it: one row per
-- product holding the sequence number of its last change (name, price, unit, stock,
-- archive, barcodes). Triggers keep it, so no writer can forget; the table has one row per
-- product at most.
CREATE TABLE catalog_changes (
    product_id INTEGER PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX catalog_changes_seq ON catalog_changes(seq);
CREATE TRIGGER catalog_product_insert AFTER INSERT ON products BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_product_update AFTER UPDATE ON products BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (NEW.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_barcode_insert AFTER INSERT ON product_barcodes BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (NEW.product_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_barcode_delete AFTER DELETE ON product_barcodes BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (OLD.product_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_barcode_update AFTER UPDATE ON product_barcodes BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (OLD.product_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (NEW.product_id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
CREATE TRIGGER catalog_product_delete AFTER DELETE ON products BEGIN
    INSERT INTO catalog_changes (product_id, seq)
        VALUES (OLD.id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM catalog_changes))
        ON CONFLICT (product_id) DO UPDATE SET seq = excluded.seq;
END;
