-- The inbound stream sequence a message id was stored from (NULL over HTTP): the same
-- message delivered again by JetStream is then told apart from a sender's second copy.
ALTER TABLE inbound_messages ADD COLUMN IF NOT EXISTS sequence bigint;
