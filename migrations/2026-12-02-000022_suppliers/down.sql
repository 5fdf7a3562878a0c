DROP TABLE supplier_payments;
DROP INDEX supplies_supplier;
ALTER TABLE supplies DROP COLUMN supplier_id;
DROP TABLE suppliers;
