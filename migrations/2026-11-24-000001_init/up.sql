-- Kassa initial schema.
-- Money columns are INTEGER minor units (tiyin, 1/100 so'm). Quantities are INTEGER thousandths.
-- Timestamps are UTC (TIMESTAMP text, "YYYY-MM-DD HH:MM:SS.fff"); dates are the shop's local calendar dates.

CREATE TABLE employees (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    full_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    passport TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    login TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'cashier')),
    is_main_admin BOOLEAN NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    deleted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A login stays unique among live employees; a deleted one frees it.
CREATE UNIQUE INDEX employees_login_live ON employees(login) WHERE deleted_at IS NULL;

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    unit TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
    purchase_price BIGINT NOT NULL CHECK (purchase_price >= 0),
    sale_price BIGINT NOT NULL CHECK (sale_price >= 0),
    stock BIGINT NOT NULL DEFAULT 0,
    low_stock_threshold BIGINT NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
    archived BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX products_category ON products(category_id);
CREATE INDEX products_name ON products(name);

CREATE TABLE product_barcodes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    barcode TEXT NOT NULL UNIQUE
);
CREATE INDEX product_barcodes_product ON product_barcodes(product_id);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    full_name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    deleted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Normalised phone (digits only, e.g. 998901234567) unique among live clients.
CREATE UNIQUE INDEX clients_phone_live ON clients(phone) WHERE deleted_at IS NULL AND phone <> '';

CREATE TABLE shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    opened_at TIMESTAMP NOT NULL,
    opening_cash BIGINT NOT NULL CHECK (opening_cash >= 0),
    closed_at TIMESTAMP,
    expected_cash BIGINT,
    counted_cash BIGINT,
    difference BIGINT,
    close_note TEXT NOT NULL DEFAULT ''
);
-- One open shift per cashier, enforced by the database too.
CREATE UNIQUE INDEX shifts_one_open ON shifts(employee_id) WHERE closed_at IS NULL;
CREATE INDEX shifts_opened ON shifts(opened_at);

CREATE TABLE sales (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    client_id INTEGER REFERENCES clients(id),
    subtotal BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    total BIGINT NOT NULL CHECK (total >= 0),
    due_date DATE,
    created_at TIMESTAMP NOT NULL,
    refunded_at TIMESTAMP,
    refunded_by INTEGER REFERENCES employees(id),
    refund_shift_id INTEGER REFERENCES shifts(id),
    refund_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sales_created ON sales(created_at);
CREATE INDEX sales_shift ON sales(shift_id);
CREATE INDEX sales_client ON sales(client_id);
CREATE INDEX sales_employee ON sales(employee_id, created_at);

CREATE TABLE sale_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    sale_id INTEGER NOT NULL REFERENCES sales(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    product_name TEXT NOT NULL,
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_price BIGINT NOT NULL,
    unit_cost BIGINT NOT NULL,
    cost_total BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    line_discount BIGINT NOT NULL,
    sale_discount_share BIGINT NOT NULL,
    line_total BIGINT NOT NULL
);
CREATE INDEX sale_items_sale ON sale_items(sale_id);
CREATE INDEX sale_items_product ON sale_items(product_id);

CREATE TABLE sale_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    sale_id INTEGER NOT NULL REFERENCES sales(id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'nasiya')),
    amount BIGINT NOT NULL CHECK (amount > 0),
    tendered BIGINT NOT NULL,
    change_given BIGINT NOT NULL CHECK (change_given >= 0)
);
CREATE INDEX sale_payments_sale ON sale_payments(sale_id);

CREATE TABLE supplies (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    supplier TEXT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    total_cost BIGINT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supplies_created ON supplies(created_at);

CREATE TABLE supply_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    supply_id INTEGER NOT NULL REFERENCES supplies(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity BIGINT NOT NULL CHECK (quantity > 0),
    unit_cost BIGINT NOT NULL CHECK (unit_cost >= 0)
);
CREATE INDEX supply_items_supply ON supply_items(supply_id);
CREATE INDEX supply_items_product ON supply_items(product_id);

CREATE TABLE purchase_prices (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    price BIGINT NOT NULL,
    supply_id INTEGER REFERENCES supplies(id),
    employee_id INTEGER REFERENCES employees(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX purchase_prices_product ON purchase_prices(product_id, created_at);

CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'supply', 'adjustment')),
    quantity BIGINT NOT NULL CHECK (quantity <> 0),
    sale_id INTEGER REFERENCES sales(id),
    supply_id INTEGER REFERENCES supplies(id),
    employee_id INTEGER REFERENCES employees(id),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements(product_id, created_at);

CREATE TABLE client_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    kind TEXT NOT NULL CHECK (kind IN ('credit_sale', 'payment', 'refund', 'adjustment')),
    amount BIGINT NOT NULL CHECK (amount <> 0),
    method TEXT CHECK (method IS NULL OR method IN ('cash', 'card')),
    sale_id INTEGER REFERENCES sales(id),
    shift_id INTEGER REFERENCES shifts(id),
    due_date DATE,
    employee_id INTEGER REFERENCES employees(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX client_ledger_client ON client_ledger(client_id, created_at);
CREATE INDEX client_ledger_shift ON client_ledger(shift_id);

CREATE TABLE expense_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE expenses (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES expense_categories(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    note TEXT NOT NULL DEFAULT '',
    spent_on DATE NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expenses_spent ON expenses(spent_on);

CREATE TABLE audit_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    employee_id INTEGER REFERENCES employees(id),
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    before_json TEXT,
    after_json TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_logs_created ON audit_logs(created_at);
CREATE INDEX audit_logs_employee ON audit_logs(employee_id, created_at);
CREATE INDEX audit_logs_action ON audit_logs(action, created_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE telegram_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    client_id INTEGER NOT NULL UNIQUE REFERENCES clients(id),
    chat_id BIGINT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL,
    language TEXT NOT NULL DEFAULT 'uz',
    linked_at TIMESTAMP NOT NULL
);

CREATE TABLE reminders_sent (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    due_date DATE NOT NULL,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    sent_at TIMESTAMP NOT NULL,
    UNIQUE (client_id, due_date, kind, seq)
);
