DROP TRIGGER catalog_product_delete;
DROP TRIGGER catalog_barcode_update;
DROP TRIGGER catalog_barcode_delete;
DROP TRIGGER catalog_barcode_insert;
DROP TRIGGER catalog_product_update;
DROP TRIGGER catalog_product_insert;
DROP TABLE catalog_changes;
