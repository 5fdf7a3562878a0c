DROP INDEX sales_refunded;
CREATE INDEX sales_refunded ON sales(refunded_at);
