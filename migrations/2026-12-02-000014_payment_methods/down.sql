ALTER TABLE sale_payments DROP COLUMN channel_id;
DROP TABLE payment_methods;
