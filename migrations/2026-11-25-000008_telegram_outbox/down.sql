ALTER TABLE telegram_links DROP COLUMN blocked_at;
ALTER TABLE reminders_sent DROP COLUMN outbox_id;
DROP TABLE telegram_outbox;
DROP TABLE broadcasts;
