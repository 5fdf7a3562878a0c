DROP INDEX client_ledger_sale;
DROP INDEX stock_movements_sale;
