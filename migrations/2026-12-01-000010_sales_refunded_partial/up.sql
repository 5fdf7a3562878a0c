-- `sales_refunded` held every sale, most of them with a NULL refund time. SQLite's planner
-- took `refunded_at IS NULL` for an equality on it and read every unrefunded sale of all
-- time (then the table row of each) instead of the period's range of `sales_stats`: a
-- month's statistics read the whole year. Only refunded sales are in the index now, so it
-- serves "refunded between" and nothing else.
DROP INDEX sales_refunded;
CREATE INDEX sales_refunded ON sales(refunded_at) WHERE refunded_at IS NOT NULL;
