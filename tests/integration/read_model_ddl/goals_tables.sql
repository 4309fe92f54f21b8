-- Read models of the goals events, created inside each generation's schema of the goals
-- projection; run again in the active generation when the service starts, so a table added
-- later reaches it too. The organisation tree is the budget projection's (units).
CREATE TABLE IF NOT EXISTS perspectives (
    perspective_id text    PRIMARY KEY,
    board_code     text    NOT NULL,
    name           text    NOT NULL,
    position       integer NOT NULL,
    parent_id      text,
    ord            bigint  NOT NULL
);
CREATE TABLE IF NOT EXISTS goals (
    goal_id        text    PRIMARY KEY,
    unit_code      text    NOT NULL,
    perspective_id text    NOT NULL,
    title          text    NOT NULL,
    first_year     integer NOT NULL,
    last_year      integer NOT NULL,
    decision       text,
    ord            bigint  NOT NULL
);
CREATE INDEX IF NOT EXISTS goals_unit ON goals (unit_code);
CREATE TABLE IF NOT EXISTS commitments (
    commitment_id     text    PRIMARY KEY,
    goal_id           text    NOT NULL,
    kind              text    NOT NULL,
    text              text    NOT NULL,
    follow_up         text[]  NOT NULL,
    by_gender         boolean NOT NULL,
    target_comparison text,
    target_value      numeric,
    target_unit       text,
    target_due_year   integer,
    target_due_on     date,
    baseline_value    numeric,
    baseline_women    numeric,
    baseline_men      numeric,
    baseline_period   text,
    baseline_source   text,
    ord               bigint  NOT NULL
);
CREATE INDEX IF NOT EXISTS commitments_goal ON commitments (goal_id);
CREATE TABLE IF NOT EXISTS indicators (
    indicator_id  text    PRIMARY KEY,
    commitment_id text,
    goal_id       text,
    name          text    NOT NULL,
    cadence       text,
    follow_up     text[]  NOT NULL,
    unit          text,
    by_gender     boolean NOT NULL,
    ord           bigint  NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    note_id     text   PRIMARY KEY,
    attached_to text   NOT NULL,
    kind        text   NOT NULL,
    text        text   NOT NULL,
    ord         bigint NOT NULL
);
-- The value of a measure for a period: a later measurement for the same period replaces it.
CREATE TABLE IF NOT EXISTS measurements (
    measure_id  text        NOT NULL,
    period      text        NOT NULL,
    total       numeric,
    women       numeric,
    men         numeric,
    source      text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    event_id    uuid        NOT NULL,
    PRIMARY KEY (measure_id, period)
);
-- Every value ever recorded, replaced ones too, oldest first.
CREATE TABLE IF NOT EXISTS measurement_history (
    event_id    uuid        PRIMARY KEY,
    measure_id  text        NOT NULL,
    period      text        NOT NULL,
    total       numeric,
    women       numeric,
    men         numeric,
    source      text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    ord         bigint      NOT NULL
);
CREATE INDEX IF NOT EXISTS measurement_history_measure ON measurement_history (measure_id, period);
-- An activity's status for a period: a later assessment for the same period replaces it.
CREATE TABLE IF NOT EXISTS activity_assessments (
    commitment_id text        NOT NULL,
    period        text        NOT NULL,
    status        text        NOT NULL,
    comment       text,
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (commitment_id, period)
);
-- A target's kind (level, change or rank) and a change's basis; none for commitments
-- projected before targets had kinds.
ALTER TABLE commitments ADD COLUMN IF NOT EXISTS target_kind text;
ALTER TABLE commitments ADD COLUMN IF NOT EXISTS target_change_basis text;
-- Since when each row was known: its event's recorded time. Every version of such a
-- table's rows is kept for views of an earlier moment (plumbing/read_model_versions.py);
-- '-infinity' only for rows of a generation made before the column existed.
ALTER TABLE perspectives ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE goals ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE commitments ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE indicators ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE notes ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE measurements ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE measurement_history ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
ALTER TABLE activity_assessments ADD COLUMN IF NOT EXISTS known_from timestamptz NOT NULL DEFAULT '-infinity';
-- Who sent each event the read models hold, under which message and when.
CREATE TABLE IF NOT EXISTS goal_senders (
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
CREATE INDEX IF NOT EXISTS goal_senders_ord ON goal_senders (ord);
