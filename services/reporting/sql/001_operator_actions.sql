-- What operators did from the operators' view (replayed or skipped a parked event, rebuilt
-- the read models): who, when, to what, and how it went. Shown on /drift.
CREATE TABLE IF NOT EXISTS operator_actions (
    id         bigserial PRIMARY KEY,
    done_at    timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    actor_name text,
    action     text        NOT NULL,
    target     text        NOT NULL,
    outcome    text        NOT NULL
);
