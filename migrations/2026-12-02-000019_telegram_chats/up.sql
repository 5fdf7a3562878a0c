-- The language each Telegram chat chose with /uz, /ru or /en, linked to a customer or not:
-- an unlinked chat keeps its choice through /start and into linking.
CREATE TABLE telegram_chats (
    chat_id BIGINT PRIMARY KEY NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('uz', 'ru', 'en')),
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO telegram_chats (chat_id, language, updated_at)
    SELECT chat_id, language, linked_at FROM telegram_links
    WHERE language IN ('uz', 'ru', 'en');
-- The outbox's send times pace the first sends after a restart.
CREATE INDEX telegram_outbox_sent ON telegram_outbox(sent_at) WHERE sent_at IS NOT NULL;
