DROP INDEX sale_items_last_sold;
