DROP INDEX audit_logs_unsealed;
