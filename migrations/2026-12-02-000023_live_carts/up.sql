-- The cart on each employee's till as it is being filled, so that a crash or a power cut
-- loses nothing typed or scanned: restored at the next log-in, removed by the sale that
-- sells it (in the sale's own transaction) or when the cart is parked or emptied.
CREATE TABLE live_carts (
    employee_id INTEGER PRIMARY KEY NOT NULL REFERENCES employees(id),
    payload TEXT NOT NULL,
    total BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
