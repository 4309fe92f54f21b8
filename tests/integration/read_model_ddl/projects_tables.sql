-- Read models of the projects events, created inside each generation's schema of the
-- projects projection; run again in the active generation when the service starts, so a
-- table added later reaches it too. The organisation tree is the budget projection's (units),
-- the result goals the goals projection's; every table here is named project_* so that none
-- shadows theirs on a shared search path.
CREATE TABLE IF NOT EXISTS projects (
    project_code          text    PRIMARY KEY,
    name                  text    NOT NULL,
    board_code            text    NOT NULL,
    unit_code             text    NOT NULL,
    run_by_project_office boolean NOT NULL,
    project_manager       text,
    steering_group        text[]  NOT NULL,
    purpose               text,
    goals_text            text,
    planned_start         date,
    planned_end           date,
    directive             text,
    decision              text,
    registered_status     text    NOT NULL,
    status                text    NOT NULL,
    registered_at         timestamptz NOT NULL,
    registered_by         text    NOT NULL,
    ord                   bigint  NOT NULL
);
CREATE INDEX IF NOT EXISTS projects_unit ON projects (unit_code);
-- The lifecycle: every change of status, with its date and decision.
CREATE TABLE IF NOT EXISTS project_status_changes (
    event_id     uuid        PRIMARY KEY,
    project_code text        NOT NULL,
    status       text        NOT NULL,
    effective_on date        NOT NULL,
    decision     text,
    reason       text,
    recorded_at  timestamptz NOT NULL,
    actor        text        NOT NULL,
    ord          bigint      NOT NULL
);
CREATE INDEX IF NOT EXISTS project_status_changes_project ON project_status_changes (project_code);
-- Every change of manager, acting ones (substitutes) too.
CREATE TABLE IF NOT EXISTS project_managers (
    event_id        uuid    PRIMARY KEY,
    project_code    text    NOT NULL,
    project_manager text    NOT NULL,
    effective_on    date    NOT NULL,
    acting          boolean NOT NULL,
    reason          text,
    ord             bigint  NOT NULL
);
CREATE INDEX IF NOT EXISTS project_managers_project ON project_managers (project_code);
-- A step as last planned.
CREATE TABLE IF NOT EXISTS project_steps (
    project_code  text    NOT NULL,
    step          integer NOT NULL,
    name          text    NOT NULL,
    period        text,
    planned_start date,
    planned_end   date,
    cost_estimate numeric,
    description   text,
    PRIMARY KEY (project_code, step)
);
-- The budget for a year as last set.
CREATE TABLE IF NOT EXISTS project_budgets (
    project_code text    NOT NULL,
    year         integer NOT NULL,
    amount       numeric NOT NULL,
    decision     text,
    PRIMARY KEY (project_code, year)
);
-- External financing per source and year, as last recorded.
CREATE TABLE IF NOT EXISTS project_financing (
    project_code text    NOT NULL,
    source       text    NOT NULL,
    year         integer NOT NULL,
    amount       numeric NOT NULL,
    granted_on   date,
    note         text,
    ord          bigint  NOT NULL,
    PRIMARY KEY (project_code, source, year)
);
-- Every status report; the latest per project is the one of the latest period.
CREATE TABLE IF NOT EXISTS project_status_reports (
    event_id     uuid        PRIMARY KEY,
    project_code text        NOT NULL,
    period       text        NOT NULL,
    schedule     text        NOT NULL,
    cost         text        NOT NULL,
    quality      text        NOT NULL,
    text         text,
    reported_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    ord          bigint      NOT NULL
);
CREATE INDEX IF NOT EXISTS project_status_reports_project ON project_status_reports (project_code);
CREATE TABLE IF NOT EXISTS project_goal_links (
    project_code text   NOT NULL,
    goal_id      text   NOT NULL,
    ord          bigint NOT NULL,
    PRIMARY KEY (project_code, goal_id)
);
-- Since when each row was known: its event's recorded time. Every version of such a
-- table's rows is kept for views of an earlier moment (plumbing/read_model_versions.py);
-- '-infinity' only for rows of a generation made before the column existed.
ALTER TABLE projects ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_status_changes ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_managers ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_steps ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_budgets ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_financing ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_status_reports ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_goal_links ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
-- Who sent each event the read models hold, under which message and when.
CREATE TABLE IF NOT EXISTS project_senders (
    event_id uuid NOT NULL,
    actor text NOT NULL,
    actor_name text,
    source_system text NOT NULL,
    message_id uuid NOT NULL,
    recorded_at timestamptz NOT NULL,
    ord bigint NOT NULL,
    trace_id text,
    PRIMARY KEY (event_id)
);
CREATE INDEX IF NOT EXISTS project_senders_ord ON project_senders (ord);
