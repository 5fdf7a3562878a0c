DROP TABLE sale_prices;
