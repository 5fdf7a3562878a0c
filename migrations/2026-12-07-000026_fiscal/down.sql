DROP TABLE fiscal_shifts;
DROP TABLE fiscal_receipts;
DROP TABLE sale_item_fiscal;
DROP TABLE product_fiscal;
