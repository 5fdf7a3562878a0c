-- The slow-movers report asks each product's last sale: one index seek per product.
CREATE INDEX sale_items_last_sold ON sale_items(product_id, refunded, sold_at);
