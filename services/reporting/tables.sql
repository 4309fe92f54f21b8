-- Read models of the budget events, created inside each generation's schema; run again in
-- the active generation when the service starts, so a table added later reaches it too.
CREATE TABLE IF NOT EXISTS units (
    code          text PRIMARY KEY,
    name          text    NOT NULL,
    kind          text    NOT NULL,
    parent_code   text,
    manager_title text,
    manager_name  text,
    closed_on     date,
    ord           bigint  NOT NULL
);
CREATE TABLE IF NOT EXISTS figures (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    kind      text    NOT NULL,
    status    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    decision  text,
    PRIMARY KEY (unit_code, year, kind)
);
CREATE TABLE IF NOT EXISTS frame_changes (
    event_id  uuid PRIMARY KEY,
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    amount    numeric NOT NULL,
    reasons   text    NOT NULL,
    decision  text,
    ord       bigint  NOT NULL
);
CREATE TABLE IF NOT EXISTS net_investments (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    kind      text    NOT NULL,
    amount    numeric NOT NULL,
    PRIMARY KEY (unit_code, year, kind)
);
CREATE TABLE IF NOT EXISTS narratives (
    unit_code text    NOT NULL,
    year      integer NOT NULL,
    section   text    NOT NULL,
    text      text    NOT NULL,
    PRIMARY KEY (unit_code, year, section)
);
CREATE TABLE IF NOT EXISTS actuals (
    unit_code text    NOT NULL,
    period    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    PRIMARY KEY (unit_code, period)
);
CREATE TABLE IF NOT EXISTS forecasts (
    unit_code text    NOT NULL,
    period    text    NOT NULL,
    revenue   numeric NOT NULL,
    costs     numeric NOT NULL,
    PRIMARY KEY (unit_code, period)
);
-- Every change of the tables above, oldest first: the value before and after each event.
CREATE TABLE IF NOT EXISTS history (
    sequence       bigint      NOT NULL,
    event_id       uuid        NOT NULL,
    event_type     text        NOT NULL,
    unit_code      text        NOT NULL,
    year           integer     NOT NULL,
    item           text,
    decision       text,
    recorded_at    timestamptz NOT NULL,
    actor          text        NOT NULL,
    actor_name     text,
    source_system  text        NOT NULL,
    correlation_id uuid        NOT NULL,
    old_status     text,
    old_revenue    numeric,
    old_costs      numeric,
    old_amount     numeric,
    old_text       text,
    new_status     text,
    new_revenue    numeric,
    new_costs      numeric,
    new_amount     numeric,
    new_text       text
);
CREATE INDEX IF NOT EXISTS history_unit_year ON history (unit_code, year);
-- The project office's revenue from each project it runs, per year: the latest share.
CREATE TABLE IF NOT EXISTS project_shares (
    unit_code      text    NOT NULL,
    year           integer NOT NULL,
    project_code   text    NOT NULL,
    project_budget numeric NOT NULL,
    revenue        numeric NOT NULL,
    event_id       uuid    NOT NULL,
    PRIMARY KEY (unit_code, year, project_code)
);
-- The event that caused one the history lists, where another service's event did.
CREATE TABLE IF NOT EXISTS caused_by (
    event_id     uuid PRIMARY KEY,
    causation_id uuid NOT NULL
);
