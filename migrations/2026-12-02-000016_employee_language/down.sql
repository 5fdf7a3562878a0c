DROP TABLE employee_languages;
