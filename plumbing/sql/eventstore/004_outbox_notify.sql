-- Wakes the outbox relay (plumbing.outbox, channel "outbox"): the append's own transaction
-- notifies when it queued events, and PostgreSQL delivers that at commit, so the relay
-- sleeps while nothing is queued instead of asking. Once per statement, so a batch of
-- thousands notifies once; a statement that queued nothing does not.
CREATE OR REPLACE FUNCTION outbox_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM queued) THEN
        PERFORM pg_notify('outbox', '');
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS outbox_queued ON outbox;
CREATE TRIGGER outbox_queued AFTER INSERT ON outbox
    REFERENCING NEW TABLE AS queued
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_queued();
