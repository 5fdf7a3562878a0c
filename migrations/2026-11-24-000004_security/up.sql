-- Tamper-evident audit log: each row carries the hash of the previous row and its own,
-- computed by the app (sha256 over the row's fields and the previous hash). Rows are
-- append-only: once sealed (hash set), they cannot be changed or deleted.
ALTER TABLE audit_logs ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_logs ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TRIGGER audit_logs_append_only_update BEFORE UPDATE ON audit_logs
    WHEN OLD.hash <> ''
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_logs_append_only_delete BEFORE DELETE ON audit_logs
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Login throttling: failed attempts in a row and, after too many, a temporary lock.
ALTER TABLE employees ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN locked_until TIMESTAMP;
