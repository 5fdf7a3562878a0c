DROP TABLE stocktake_counts;
DROP TABLE stocktakes;
