-- The language each employee works in, remembered across log-ins and machines (no row:
-- the machine's last choice).
CREATE TABLE employee_languages (
    employee_id INTEGER PRIMARY KEY NOT NULL REFERENCES employees (id),
    language TEXT NOT NULL CHECK (language IN ('uz', 'ru', 'en'))
);
