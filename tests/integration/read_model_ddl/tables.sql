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
    decision  text
);
-- A figure per status: the proposed, the adopted and the revised budget of a year are kept
-- side by side. A generation made when a later status replaced an earlier one loses that
-- key here; a rebuild brings the replaced versions back.
ALTER TABLE figures DROP CONSTRAINT IF EXISTS figures_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS figures_version ON figures (unit_code, year, kind, status);
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
    new_text       text,
    trace_id       text
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
-- Whether an actuals or forecast row was sent by an example-data actor (ServiceSettings).
ALTER TABLE actuals ADD COLUMN IF NOT EXISTS example_data boolean NOT NULL DEFAULT false;
ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS example_data boolean NOT NULL DEFAULT false;
-- A unit's comment and measures for a month: the latest.
CREATE TABLE IF NOT EXISTS month_comments (
    unit_code    text    NOT NULL,
    period       text    NOT NULL,
    comment      text    NOT NULL,
    measures     text,
    summary      text    NOT NULL,  -- comment and measures as the history shows them
    example_data boolean NOT NULL,
    PRIMARY KEY (unit_code, period)
);
-- How a unit's budget for a year is spread over its months, percent per month: the latest.
CREATE TABLE IF NOT EXISTS budget_profiles (
    unit_code    text    NOT NULL,
    year         integer NOT NULL,
    percent_01   numeric NOT NULL,
    percent_02   numeric NOT NULL,
    percent_03   numeric NOT NULL,
    percent_04   numeric NOT NULL,
    percent_05   numeric NOT NULL,
    percent_06   numeric NOT NULL,
    percent_07   numeric NOT NULL,
    percent_08   numeric NOT NULL,
    percent_09   numeric NOT NULL,
    percent_10   numeric NOT NULL,
    percent_11   numeric NOT NULL,
    percent_12   numeric NOT NULL,
    summary      text    NOT NULL,  -- the percents as the history shows them
    example_data boolean NOT NULL,
    PRIMARY KEY (unit_code, year)
);
-- The net the sender states with a figure; none for figures sent before it existed.
ALTER TABLE figures ADD COLUMN IF NOT EXISTS stated_net numeric;
-- The figure's stream sequence, which orders two versions recorded at the same moment.
ALTER TABLE figures ADD COLUMN IF NOT EXISTS ord bigint;
-- A note on a unit's table, a column of it or one figure, with who sent it.
CREATE TABLE IF NOT EXISTS table_notes (
    unit_code     text    NOT NULL,
    year          integer NOT NULL,
    note_id       text    NOT NULL,
    note_table    text    NOT NULL,
    kind          text,
    line          text,
    text          text    NOT NULL,
    actor         text    NOT NULL,
    actor_name    text,
    source_system text    NOT NULL,
    ord           bigint  NOT NULL,
    PRIMARY KEY (unit_code, year, note_id)
);
-- Since when each row was known: its event's recorded time. Every version of such a
-- table's rows is kept for views of an earlier moment (plumbing/read_model_versions.py);
-- '-infinity' only for rows of a generation made before the column existed.
ALTER TABLE units ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE figures ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE frame_changes ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE net_investments ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE narratives ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE actuals ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE history ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE project_shares ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE month_comments ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE budget_profiles ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE table_notes ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
-- From when a unit's registration is in force: a unit is to report the months it exists in.
ALTER TABLE units ADD COLUMN IF NOT EXISTS opened_on date;
-- Which units have marked a report ready ("klarmarkerad"), by whom and when.
CREATE TABLE IF NOT EXISTS ready_marks (
    unit_code text NOT NULL,
    report text NOT NULL,
    period text NOT NULL,
    state text NOT NULL,
    actor text NOT NULL,
    actor_name text,
    marked_at timestamptz NOT NULL,
    known_from timestamptz NOT NULL DEFAULT '-infinity',
    PRIMARY KEY (unit_code, report, period)
);
