DROP INDEX telegram_outbox_sent;
DROP TABLE telegram_chats;
