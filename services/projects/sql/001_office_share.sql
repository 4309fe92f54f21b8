-- The projects the project office runs, as the projects service's own ProjectRegistered
-- events say. The process manager that sends budget the office's share of their budgets
-- (services.projects.office_share) writes them in the same transaction as its position in
-- consumer_positions, so after a crash the two agree.
CREATE TABLE IF NOT EXISTS office_share_projects (
    project_code text PRIMARY KEY
);
