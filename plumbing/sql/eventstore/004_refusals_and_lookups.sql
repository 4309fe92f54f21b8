-- What the inbound consumer refused, for the operators' view: by inbound stream sequence,
-- so a batch handled again after a crash records its refusals once. The refusal itself
-- goes to the system on <service>.rejected.<system>; this is the service's own note of it.
CREATE TABLE IF NOT EXISTS refusals (
    sequence          bigint PRIMARY KEY,
    message_id        text,
    source_system     text        NOT NULL,
    subject           text        NOT NULL,
    rejection_subject text        NOT NULL,
    problems          jsonb       NOT NULL,
    trace_id          text,
    refused_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refusals_refused_at ON refusals (refused_at);
CREATE INDEX IF NOT EXISTS refusals_message_id ON refusals (message_id);
CREATE INDEX IF NOT EXISTS refusals_trace_id ON refusals (trace_id);

-- A message's journey is looked up by its message id, its correlation (which a command a
-- service sent on keeps from the event that caused it) or its trace id; the last hour's
-- accepted commands by when they were stored.
CREATE INDEX IF NOT EXISTS events_message_id ON events ((metadata->>'message_id'));
CREATE INDEX IF NOT EXISTS events_correlation_id ON events ((metadata->>'correlation_id'));
CREATE INDEX IF NOT EXISTS events_trace_id ON events ((substr(metadata->>'traceparent', 4, 32)));
CREATE INDEX IF NOT EXISTS events_recorded_at ON events (recorded_at);
