ALTER TABLE client_ledger DROP COLUMN channel_id;
