-- The persistent print queue: a job is written in the same transaction as what it prints
-- (the sale, the closed shift, the debt payment) and removed from the queue only once the
-- printer thread has sent it.
CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'copy', 'x_report', 'z_report', 'debt_slip')),
    sale_id INTEGER REFERENCES sales(id),
    -- The laid-out document (devices::receipt::Document as JSON), frozen when queued.
    document TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    next_try_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    printed_at TIMESTAMP
);
CREATE INDEX print_jobs_due ON print_jobs(next_try_at, id) WHERE status = 'pending';
CREATE INDEX print_jobs_sale ON print_jobs(sale_id);
