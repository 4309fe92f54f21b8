-- The event store of a write service. A stream's versions are unique, so a concurrent
-- writer gets a conflict instead of a lost update.
CREATE TABLE IF NOT EXISTS events (
    position       bigserial PRIMARY KEY,
    event_id       uuid        NOT NULL UNIQUE,
    stream_id      text        NOT NULL,
    version        integer     NOT NULL CHECK (version >= 1),
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL,
    payload        jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_version UNIQUE (stream_id, version)
);

-- Events stored but not yet confirmed published. A row leaves only after JetStream
-- has acknowledged the event, so a crash between the two publishes again (deduplicated
-- by Nats-Msg-Id) instead of losing it.
CREATE TABLE IF NOT EXISTS outbox (
    position bigint PRIMARY KEY REFERENCES events (position)
);

-- Every inbound message id ever stored: a message is applied once, however often sent.
CREATE TABLE IF NOT EXISTS inbound_messages (
    message_id  uuid PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);
