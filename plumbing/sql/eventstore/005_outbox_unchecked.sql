-- An outbox row is only ever written by the append that stores its event, from what that
-- very statement returned (plumbing/postgres_eventstore.py), and events are never deleted:
-- the reference cannot fail. Checked, it ran a query per stored event and locked each new
-- event's row, a write of its own, for nothing.
ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_position_fkey;
