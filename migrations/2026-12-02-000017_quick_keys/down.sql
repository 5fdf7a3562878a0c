DROP TABLE quick_keys;
