-- Fencing tokens of the workers that must run one at a time (inbound consumers, relays,
-- projections). Whoever takes a worker's advisory lock raises its epoch; every write of
-- that worker checks its epoch in the same transaction, so a worker that lost its lock
-- without noticing (its connection broke, PostgreSQL restarted) can no longer store anything.
CREATE TABLE IF NOT EXISTS worker_leases (
    name        text PRIMARY KEY,
    epoch       bigint      NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now()
);
