-- People signed in in the browser (services.reporting.signin): the cookie holds a random id,
-- only its hash is kept here, so a copy of this table opens no session. The person's access
-- token from the identity provider is what forms send the owning service, and what names
-- the person's roles and units, as in the API. Signing out ends the session here.
CREATE TABLE IF NOT EXISTS signin_sessions (
    id_hash     bytea       PRIMARY KEY,
    access_token text       NOT NULL,
    csrf        text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz
);
CREATE INDEX IF NOT EXISTS signin_sessions_expiry ON signin_sessions (expires_at);
