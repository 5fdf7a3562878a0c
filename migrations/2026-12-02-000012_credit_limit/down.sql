ALTER TABLE clients DROP COLUMN credit_limit;
