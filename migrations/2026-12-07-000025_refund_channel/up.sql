-- Which card method (Uzcard, Humo, Click…) money went back through: the card method of the
-- sale's tender, or the one chosen to pay a cash part back when the drawer could not hold
-- it; NULL for cash and nasiya, and for refunds made before this was kept.
ALTER TABLE refund_payments ADD COLUMN channel_id INTEGER REFERENCES payment_methods(id);
