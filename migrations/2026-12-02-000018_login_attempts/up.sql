-- Wrong passwords in a row, by the login name typed, whether or not such an employee
-- exists: an unknown login locks exactly as a known one does, so the answers tell an
-- attacker nothing about which logins exist. Replaces employees.failed_logins and
-- locked_until (kept, no longer used).
CREATE TABLE login_attempts (
    login TEXT PRIMARY KEY NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO login_attempts (login, failed, locked_until, updated_at)
    SELECT login, failed_logins, locked_until, updated_at FROM employees
    WHERE failed_logins > 0 AND deleted_at IS NULL;
