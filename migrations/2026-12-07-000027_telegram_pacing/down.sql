DROP TABLE telegram_pause;
ALTER TABLE telegram_outbox DROP COLUMN requested_at;
