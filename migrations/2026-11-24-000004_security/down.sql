DROP TRIGGER audit_logs_append_only_delete;
DROP TRIGGER audit_logs_append_only_update;
ALTER TABLE audit_logs DROP COLUMN hash;
ALTER TABLE audit_logs DROP COLUMN prev_hash;
ALTER TABLE employees DROP COLUMN locked_until;
ALTER TABLE employees DROP COLUMN failed_logins;
