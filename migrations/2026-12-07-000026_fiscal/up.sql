-- Fiscal receipts: what the law needs of each product, kept with each sale line as sold,
-- and the queue of receipts registered with the fiscal provider (virtual cash register).

-- Per product: the MXIK/IKPU class code (17 digits), the package and unit codes of the tax
-- committee's catalog, the VAT rate (12 %, 0 % or exempt; included in the price) and whether
-- each piece carries a DataMatrix marking code. No row: nothing set, VAT 12 %.
CREATE TABLE product_fiscal (
    product_id INTEGER PRIMARY KEY NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    class_code TEXT NOT NULL DEFAULT '',
    package_code TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    vat TEXT NOT NULL DEFAULT '12' CHECK (vat IN ('12', '0', 'exempt')),
    marked BOOLEAN NOT NULL DEFAULT 0
);

-- The same for each sale line as it was sold, with the marking codes scanned for its pieces
-- (one per line of text). A refunded part of a line gets its own copy.
CREATE TABLE sale_item_fiscal (
    sale_item_id INTEGER PRIMARY KEY NOT NULL REFERENCES sale_items(id) ON DELETE CASCADE,
    class_code TEXT NOT NULL DEFAULT '',
    package_code TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    vat TEXT NOT NULL DEFAULT '12' CHECK (vat IN ('12', '0', 'exempt')),
    marking_codes TEXT NOT NULL DEFAULT ''
);

-- One row per sale or refund to register, written in the transaction of what it registers.
-- `code` is our receipt number, which the provider keeps unique: sending it again is
-- harmless. pending -> sending (claimed in a committed write before the request) -> done;
-- a refusal in words is `refused` (shown, sent again by a manager); a row found `sending`
-- after a crash is looked up by its code before anything is sent again. `answer` holds the
-- provider's fiscal data (terminal id, receipt number, fiscal sign, date-time, QR URL).
CREATE TABLE fiscal_receipts (
    id INTEGER PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    sale_id INTEGER NOT NULL REFERENCES sales(id),
    refund_id INTEGER REFERENCES refunds(id),
    shift_id INTEGER NOT NULL REFERENCES shifts(id),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'refused')),
    request TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at TIMESTAMP,
    last_error TEXT,
    answer TEXT,
    created_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP,
    CHECK ((kind = 'refund') = (refund_id IS NOT NULL)),
    CHECK ((status = 'done') = (answer IS NOT NULL AND done_at IS NOT NULL))
);
CREATE INDEX fiscal_receipts_open ON fiscal_receipts (status, id) WHERE status <> 'done';
CREATE INDEX fiscal_receipts_sale ON fiscal_receipts (sale_id);

-- The fiscal shift (Z report) that goes with each Kassa shift.
CREATE TABLE fiscal_shifts (
    shift_id INTEGER PRIMARY KEY NOT NULL REFERENCES shifts(id),
    status TEXT NOT NULL CHECK (status IN ('opening', 'open', 'closing', 'closed')),
    z_number TEXT,
    last_error TEXT,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
