-- Sales a cashier put aside (F5) to serve someone else first; kept in the database so that
-- nothing is lost when the program closes.
CREATE TABLE parked_carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    label TEXT NOT NULL,
    total BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX parked_carts_employee ON parked_carts(employee_id);
