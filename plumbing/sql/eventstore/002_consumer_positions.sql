-- How far each inbound consumer has got in its JetStream stream, written in the same
-- transaction as the events its batch produced: a batch is stored with its position or
-- not at all, and after a crash consumption resumes right after the last stored batch.
CREATE TABLE IF NOT EXISTS consumer_positions (
    consumer text PRIMARY KEY,
    sequence bigint NOT NULL
);
