-- `kassa check` looks up each sale line's stock movement, and each credit sale's ledger row,
-- by sale: without these indexes it read every movement for every line (over 3 minutes on
-- a year of a busy shop).
CREATE INDEX stock_movements_sale ON stock_movements(sale_id, product_id) WHERE sale_id IS NOT NULL;
CREATE INDEX client_ledger_sale ON client_ledger(sale_id) WHERE sale_id IS NOT NULL;
