-- Telegram messages leave through an outbox: a message is written in the same transaction as
-- what it tells (the credit sale, the debt payment, the stock crossing its threshold, the
-- reminder in reminders_sent, the broadcast), and the bot thread sends it, retrying while
-- Telegram is unreachable, and marks it sent or failed. Nothing is sent twice: a row is
-- claimed (pending -> sending) in a committed write before its request, and marked after the
-- answer. A row found 'sending' when the bot starts was cut off by a crash mid-request; it may
-- or may not have reached Telegram, so it is marked 'uncertain' and not sent again.
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    text TEXT NOT NULL,
    employee_id INTEGER REFERENCES employees(id),
    recipients INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE telegram_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    chat_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'credit_sale', 'debt_payment', 'low_stock', 'broadcast')),
    text TEXT NOT NULL,
    client_id INTEGER REFERENCES clients(id),
    broadcast_id INTEGER REFERENCES broadcasts(id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'uncertain', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    next_try_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX telegram_outbox_due ON telegram_outbox(next_try_at, id) WHERE status = 'pending';
CREATE INDEX telegram_outbox_broadcast ON telegram_outbox(broadcast_id, status);

-- Each reminder row names the message that carries it.
ALTER TABLE reminders_sent ADD COLUMN outbox_id INTEGER REFERENCES telegram_outbox(id);
-- Set when Telegram answers that the customer blocked the bot; cleared when they link again.
ALTER TABLE telegram_links ADD COLUMN blocked_at TIMESTAMP;
