ALTER TABLE refund_payments DROP COLUMN channel_id;
