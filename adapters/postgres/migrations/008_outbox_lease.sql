-- The relay claims outbox messages with a lease (claimed_until, claim_token) in one transaction, sends outside
-- any transaction, and marks them in another; failed messages wait for next_attempt_at (backoff) and become dead
-- letters (dead_at) after too many failures.
ALTER TABLE outbox
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN claimed_until   timestamptz,
    ADD COLUMN claim_token     uuid,
    ADD COLUMN dead_at         timestamptz,
    ADD CONSTRAINT outbox_sent_or_dead CHECK (sent_at IS NULL OR dead_at IS NULL),
    ADD CONSTRAINT outbox_lease_whole CHECK ((claim_token IS NULL) = (claimed_until IS NULL)),
    ADD CONSTRAINT outbox_attempts_non_negative CHECK (attempts >= 0);
UPDATE outbox SET next_attempt_at = created_at;
ALTER TABLE outbox ALTER COLUMN next_attempt_at SET NOT NULL;
-- The previous relay left a message alone after five failed attempts: those are dead letters now.
UPDATE outbox SET dead_at = created_at WHERE sent_at IS NULL AND attempts >= 5;
DROP INDEX outbox_pending;
CREATE INDEX outbox_due ON outbox (dealer_id, created_at) WHERE sent_at IS NULL AND dead_at IS NULL;
