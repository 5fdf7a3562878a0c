-- The exact time text of an audit row whose time has more digits than the engine keeps.
-- Rows written before 2026-12-07 have nanoseconds (chrono's clock as SQLite kept it); an
-- audit row's hash is taken over its time as text, and PostgreSQL keeps microseconds. When
-- `kassa migrate-to` copies such a row, the text it was hashed with is kept here so the chain
-- can still be checked on the copy. Empty on a shop that has only ever been on one engine.
CREATE TABLE audit_log_times (
    audit_id INTEGER PRIMARY KEY NOT NULL REFERENCES audit_logs(id),
    created_at TEXT NOT NULL
);
-- Append-only, as the audit log itself.
CREATE TRIGGER audit_log_times_append_only_update BEFORE UPDATE ON audit_log_times
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_times_append_only_delete BEFORE DELETE ON audit_log_times
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
