-- A customer's credit limit in tiyin: NULL follows the shop's default (setting
-- credit.default_limit, none when empty), 0 allows no credit at all.
ALTER TABLE clients ADD COLUMN credit_limit BIGINT CHECK (credit_limit IS NULL OR credit_limit >= 0);
