DROP TABLE audit_log_times;
