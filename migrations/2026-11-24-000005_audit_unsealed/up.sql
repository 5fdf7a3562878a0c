-- Finding the rows still to be sealed (and the last sealed one) must not scan the whole log.
CREATE INDEX audit_logs_unsealed ON audit_logs(id) WHERE hash = '';
