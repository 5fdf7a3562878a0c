-- Suppliers as records, a supply names one, and what the shop pays them.
CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    tin TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX suppliers_name ON suppliers(name);

ALTER TABLE supplies ADD COLUMN supplier_id INTEGER REFERENCES suppliers(id);
CREATE INDEX supplies_supplier ON supplies(supplier_id, created_at);

-- A payment to a supplier: cash from the payer's open shift (its drawer, shown in X/Z), by
-- bank, or 'settled': a supply received before suppliers were kept, counted as paid then.
CREATE TABLE supplier_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    supply_id INTEGER REFERENCES supplies(id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'bank', 'settled')),
    amount BIGINT NOT NULL CHECK (amount > 0),
    shift_id INTEGER REFERENCES shifts(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    CHECK ((method = 'cash') = (shift_id IS NOT NULL))
);
CREATE INDEX supplier_payments_supplier ON supplier_payments(supplier_id, created_at);
CREATE INDEX supplier_payments_shift ON supplier_payments(shift_id) WHERE shift_id IS NOT NULL;

-- The free-text suppliers of earlier supplies become records (one per distinct trimmed
-- name; stock that came from a catalog import file names the file, not a supplier).
INSERT INTO suppliers (name, created_at, updated_at)
SELECT TRIM(supplier), MIN(created_at), MIN(created_at)
FROM supplies
WHERE TRIM(supplier) <> '' AND notes <> 'import ' || supplier
GROUP BY TRIM(supplier);

UPDATE supplies
SET supplier_id = (SELECT s.id FROM suppliers s WHERE s.name = TRIM(supplies.supplier))
WHERE notes <> 'import ' || supplier;

-- Nothing was recorded as owed for those supplies: they count as paid when received.
INSERT INTO supplier_payments (supplier_id, supply_id, method, amount, employee_id, note, created_at)
SELECT supplier_id, id, 'settled', total_cost, employee_id, '', created_at
FROM supplies
WHERE supplier_id IS NOT NULL AND total_cost > 0;
