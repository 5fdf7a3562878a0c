-- What a real supplier relationship needs beside supplies and payments: what the shop owed a
-- supplier before it was recorded here (its opening balance), goods sent back to a supplier
-- (stock out, what is owed down) and purchase orders (ordered, then received as a supply,
-- with the difference kept).
--
-- What the shop owes a supplier is
--     opening_balance + supplies.total_cost - supplier_returns.total_cost - payments.amount
-- and may go below zero only through a return (the supplier then owes the shop, and the next
-- supply is set against it); a payment never takes it below zero.
ALTER TABLE suppliers ADD COLUMN opening_balance BIGINT NOT NULL DEFAULT 0
    CHECK (opening_balance >= 0);

CREATE TABLE supplier_returns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    total_cost BIGINT NOT NULL CHECK (total_cost >= 0),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supplier_returns_supplier ON supplier_returns(supplier_id, created_at);

CREATE TABLE supplier_return_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    return_id INTEGER NOT NULL REFERENCES supplier_returns(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0)
);
CREATE INDEX supplier_return_items_return ON supplier_return_items(return_id);

-- A purchase order: 'open' until it is received (as the supply named) or cancelled.
CREATE TABLE purchase_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    supplier_id INTEGER NOT NULL REFERENCES suppliers(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
    total_cost BIGINT NOT NULL CHECK (total_cost >= 0),
    note TEXT NOT NULL DEFAULT '',
    supply_id INTEGER UNIQUE REFERENCES supplies(id),
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    CHECK ((status = 'received') = (supply_id IS NOT NULL)),
    CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX purchase_orders_supplier ON purchase_orders(supplier_id, created_at);

CREATE TABLE purchase_order_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    order_id INTEGER NOT NULL REFERENCES purchase_orders(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0),
    UNIQUE (order_id, product_id)
);

-- Stock movements accept the kind 'supplier_return', which names its return.
CREATE TABLE stock_movements_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'supply', 'adjustment', 'supplier_return')),
    quantity BIGINT NOT NULL CHECK (quantity <> 0),
    sale_id INTEGER REFERENCES sales(id),
    supply_id INTEGER REFERENCES supplies(id),
    employee_id INTEGER REFERENCES employees(id),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    return_id INTEGER REFERENCES supplier_returns(id),
    CHECK ((kind = 'supplier_return') = (return_id IS NOT NULL))
);
INSERT INTO stock_movements_new
    (id, product_id, kind, quantity, sale_id, supply_id, employee_id, reason, created_at)
    SELECT id, product_id, kind, quantity, sale_id, supply_id, employee_id, reason, created_at
    FROM stock_movements;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_product ON stock_movements(product_id, created_at);
CREATE INDEX stock_movements_sale ON stock_movements(sale_id, product_id) WHERE sale_id IS NOT NULL;
CREATE INDEX stock_movements_return ON stock_movements(return_id) WHERE return_id IS NOT NULL;
