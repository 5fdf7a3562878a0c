-- Refunds of a part of a sale. Each refund is a row of `refunds` (who, when, from which
-- shift's drawer, how much); the money it gave back, per tender, is in `refund_payments`.
-- A refunded part of a sale line is a sale line of its own, flagged refunded and naming its
-- refund: a line of 10 refunded by 3 becomes a line of 7 and a refunded line of 3, whose
-- figures add up to the original line exactly. Every figure that sums unrefunded lines
-- (profit, products, hours) is therefore right without change. `sales.refunded_amount` and
-- `sale_payments.refunded` carry what was refunded of the sale and of each tender;
-- `sales.refunded_at` is set once nothing is left (the sale is then "refunded").
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    sale_id INTEGER NOT NULL REFERENCES sales(id),
    employee_id INTEGER REFERENCES employees(id),
    shift_id INTEGER REFERENCES shifts(id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refunds_sale ON refunds(sale_id);
CREATE INDEX refunds_shift ON refunds(shift_id);
CREATE INDEX refunds_created ON refunds(created_at, amount);

CREATE TABLE refund_payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    refund_id INTEGER NOT NULL REFERENCES refunds(id),
    sale_payment_id INTEGER NOT NULL REFERENCES sale_payments(id),
    method TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0)
);
CREATE INDEX refund_payments_refund ON refund_payments(refund_id);

ALTER TABLE sales ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sale_payments ADD COLUMN refunded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sale_items ADD COLUMN refund_id INTEGER REFERENCES refunds(id);

-- Whole refunds made before: one refund each, giving back every tender.
INSERT INTO refunds (sale_id, employee_id, shift_id, amount, reason, created_at)
    SELECT id, refunded_by, refund_shift_id, total, refund_reason, refunded_at
    FROM sales WHERE refunded_at IS NOT NULL ORDER BY refunded_at, id;
INSERT INTO refund_payments (refund_id, sale_payment_id, method, amount)
    SELECT r.id, p.id, p.method, p.amount
    FROM refunds r JOIN sale_payments p ON p.sale_id = r.sale_id WHERE p.amount > 0;
UPDATE sales SET refunded_amount = total WHERE refunded_at IS NOT NULL;
UPDATE sale_payments SET refunded = amount
    WHERE sale_id IN (SELECT id FROM sales WHERE refunded_at IS NOT NULL);
UPDATE sale_items SET refund_id = (SELECT r.id FROM refunds r WHERE r.sale_id = sale_items.sale_id)
    WHERE refunded = 1;

-- The period's sales figures read what is left of each sale from the index alone.
DROP INDEX sales_stats;
CREATE INDEX sales_stats ON sales(created_at, refunded_at, total, refunded_amount);

-- Refund slips are printed too: the print queue accepts the kind.
CREATE TABLE print_jobs_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'copy', 'x_report', 'z_report', 'debt_slip', 'refund_slip')),
    sale_id INTEGER REFERENCES sales(id),
    document TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    next_try_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    printed_at TIMESTAMP
);
INSERT INTO print_jobs_new SELECT id, kind, sale_id, document, status, attempts, last_error,
    next_try_at, created_at, printed_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_due ON print_jobs(next_try_at, id) WHERE status = 'pending';
CREATE INDEX print_jobs_sale ON print_jobs(sale_id);
