-- When the request for a message was last made, written before the request is made (in the
-- same transaction that claims it), so a restarted bot counts the requests of the last
-- seconds, whatever became of them, and keeps Telegram's pace across a crash.
ALTER TABLE telegram_outbox ADD COLUMN requested_at TIMESTAMP;
-- A wait Telegram asked for (429 "retry after N"): no message leaves the outbox before
-- `until`, also after a restart. One row at most.
CREATE TABLE telegram_pause (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    until TIMESTAMP NOT NULL,
    reason TEXT NOT NULL
);
