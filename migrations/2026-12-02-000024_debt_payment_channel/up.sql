-- Which card method (Uzcard, Humo, Click…) a debt payment by card came through, as sale
-- tenders record it; NULL for cash and for card payments taken before this was kept.
ALTER TABLE client_ledger ADD COLUMN channel_id INTEGER REFERENCES payment_methods(id);
