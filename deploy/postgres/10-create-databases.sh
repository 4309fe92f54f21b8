#!/bin/sh
# Run by the postgres image once, when the data directory is empty (later password or role
# changes need SQL by hand). Sourced rather than executed if the file loses its exec bit,
# so it sets no shell options that would leak into the image's entrypoint.
#
# One role and one database per service: each service owns its database, and a role that
# cannot connect to another service's database cannot read its tables by mistake. Only
# reporting may read the write services' tables, for the operators' view (/drift).

# The passwords come from Docker secrets, as files: never in the environment or this file.
: "${BUDGET_DB_PASSWORD_FILE:?BUDGET_DB_PASSWORD_FILE must be set}"
: "${GOALS_DB_PASSWORD_FILE:?GOALS_DB_PASSWORD_FILE must be set}"
: "${PROJECTS_DB_PASSWORD_FILE:?PROJECTS_DB_PASSWORD_FILE must be set}"
: "${REPORTING_DB_PASSWORD_FILE:?REPORTING_DB_PASSWORD_FILE must be set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=budget_password="$(cat "$BUDGET_DB_PASSWORD_FILE")" \
    --set=goals_password="$(cat "$GOALS_DB_PASSWORD_FILE")" \
    --set=projects_password="$(cat "$PROJECTS_DB_PASSWORD_FILE")" \
    --set=reporting_password="$(cat "$REPORTING_DB_PASSWORD_FILE")" <<'SQL'
CREATE ROLE budget LOGIN PASSWORD :'budget_password';
CREATE DATABASE budget OWNER budget;
REVOKE ALL ON DATABASE budget FROM PUBLIC;

CREATE ROLE goals LOGIN PASSWORD :'goals_password';
CREATE DATABASE goals OWNER goals;
REVOKE ALL ON DATABASE goals FROM PUBLIC;

CREATE ROLE projects LOGIN PASSWORD :'projects_password';
CREATE DATABASE projects OWNER projects;
REVOKE ALL ON DATABASE projects FROM PUBLIC;

CREATE ROLE reporting LOGIN PASSWORD :'reporting_password';
CREATE DATABASE reporting OWNER reporting;
REVOKE ALL ON DATABASE reporting FROM PUBLIC;

-- The operators' view in reporting reads each write service's bookkeeping (its events'
-- metadata, outbox, workers' leases, inbound messages and refusals), read only; the tables
-- are made later by the service's own migrations, so the right is given for what it makes.
GRANT CONNECT ON DATABASE budget, goals, projects TO reporting;
-- Which process holds a worker's lock: the other roles' sessions' names (pg_stat_activity).
GRANT pg_read_all_stats TO reporting;
\connect budget
ALTER DEFAULT PRIVILEGES FOR ROLE budget IN SCHEMA public GRANT SELECT ON TABLES TO reporting;
\connect goals
ALTER DEFAULT PRIVILEGES FOR ROLE goals IN SCHEMA public GRANT SELECT ON TABLES TO reporting;
\connect projects
ALTER DEFAULT PRIVILEGES FOR ROLE projects IN SCHEMA public GRANT SELECT ON TABLES TO reporting;
SQL
