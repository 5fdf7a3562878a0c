-- Non-cash payment methods the shop takes (bank cards such as Uzcard and Humo, QR payments
-- such as Click, Payme, Uzum), named in each language and kept by the admin. A tender of
-- kind 'card' (never drawer cash, never change) names its method in `channel_id`; cash and
-- nasiya tenders have none. Methods are never deleted (sales name them), only put away.
CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name_uz TEXT NOT NULL CHECK (length(trim(name_uz)) > 0),
    name_ru TEXT NOT NULL CHECK (length(trim(name_ru)) > 0),
    name_en TEXT NOT NULL CHECK (length(trim(name_en)) > 0),
    active BOOLEAN NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
-- Every card payment made so far was by "bank card".
INSERT INTO payment_methods (id, name_uz, name_ru, name_en, active, position, created_at)
    VALUES (1, 'Bank kartasi', 'Банковская карта', 'Bank card', 1, 0, CURRENT_TIMESTAMP);
ALTER TABLE sale_payments ADD COLUMN channel_id INTEGER REFERENCES payment_methods(id);
UPDATE sale_payments SET channel_id = 1 WHERE method = 'card';
