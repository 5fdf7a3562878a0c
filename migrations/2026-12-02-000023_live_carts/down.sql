DROP TABLE live_carts;
