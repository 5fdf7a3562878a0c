DROP INDEX sales_refunded;
DROP INDEX sale_payments_method;
DROP INDEX products_low_stock;
ALTER TABLE products DROP COLUMN search_key;
