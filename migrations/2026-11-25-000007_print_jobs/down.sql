DROP TABLE print_jobs;
