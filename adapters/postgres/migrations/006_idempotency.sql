-- Idempotency keys of the HTTP layer (adapters/httpapi/pgidempotency): the first response to each
-- Idempotency-Key of one user of one dealer, replayed to retries by every server process sharing the database.
-- A cache, not business data: no foreign keys, rows are purged once older than the store's lifetime.

CREATE TABLE idempotency_keys (
    dealer_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    key         text NOT NULL,
    fingerprint text NOT NULL,                 -- hash of method, path, query and body of the first request
    pending     boolean NOT NULL DEFAULT true, -- claimed, the request still runs
    status      integer NOT NULL DEFAULT 0,    -- 0 while pending
    header      jsonb NOT NULL DEFAULT '{}',   -- the replayed headers, as http.Header
    body        bytea NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,          -- when the key was claimed (by the caller's clock)
    PRIMARY KEY (dealer_id, user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
