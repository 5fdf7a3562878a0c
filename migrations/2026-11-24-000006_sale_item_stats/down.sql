DROP INDEX sales_stats;
DROP INDEX sale_items_stats;
ALTER TABLE sale_items DROP COLUMN refunded;
ALTER TABLE sale_items DROP COLUMN sold_at;
