DROP INDEX stock_movements_sale;
