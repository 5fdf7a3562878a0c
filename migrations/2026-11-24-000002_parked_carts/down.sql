DROP TABLE parked_carts;
