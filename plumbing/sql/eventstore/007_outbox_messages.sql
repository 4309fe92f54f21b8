-- An outbox entry holds what the relay publishes: the event's id, type and trace context,
-- and its message (an EventMessage's JSON), written by the append that stores the event
-- (plumbing/postgres_eventstore.py). The relay reads the entry alone; before, it rebuilt
-- each message from the stored event's jsonb, most of what PostgreSQL spent on it.
ALTER TABLE outbox
    ADD COLUMN IF NOT EXISTS event_id uuid,
    ADD COLUMN IF NOT EXISTS event_type text,
    ADD COLUMN IF NOT EXISTS traceparent text,
    ADD COLUMN IF NOT EXISTS tracestate text,
    ADD COLUMN IF NOT EXISTS body text;

-- Entries still waiting when this runs get their message as the relay built it until now:
-- every field of the envelope, in its order, from the event's columns and metadata.
UPDATE outbox o
SET event_id = e.event_id,
    event_type = e.event_type,
    traceparent = e.metadata->>'traceparent',
    tracestate = e.metadata->>'tracestate',
    body = json_build_object(
        'envelope', json_build_object(
            'event_id', e.event_id,
            'event_type', e.event_type,
            'schema_version', e.schema_version,
            'stream_id', e.stream_id,
            'version', e.version,
            'occurred_at', e.metadata->'occurred_at',
            'recorded_at', e.recorded_at,
            'source_system', e.metadata->'source_system',
            'actor', e.metadata->'actor',
            'actor_name', e.metadata->'actor_name',
            'correlation_id', e.metadata->'correlation_id',
            'causation_id', e.metadata->'causation_id',
            'traceparent', e.metadata->'traceparent',
            'tracestate', e.metadata->'tracestate'),
        'payload', e.payload)::text
FROM events e
WHERE e.position = o.position AND o.body IS NULL;

-- A process of the version before this one appends entries without them: refused, it
-- retries until it is replaced, rather than queueing an event nothing would publish.
ALTER TABLE outbox
    ALTER COLUMN event_id SET NOT NULL,
    ALTER COLUMN event_type SET NOT NULL,
    ALTER COLUMN body SET NOT NULL;
