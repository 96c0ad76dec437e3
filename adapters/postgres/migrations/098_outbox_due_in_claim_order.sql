-- Issue 16 item 5: the relay's claim takes the oldest due messages of a dealer in (created_at, id) order, LIMIT a
-- batch. outbox_due held (dealer_id, created_at) only, so the plan read every due message of the dealer and sorted
-- them by id before the LIMIT: 16 ms per claim of 50 at 3,487 queued after a burst of test-drive bookings (EXPLAIN
-- ANALYZE), growing with the queue. With the id in the index the claim reads its batch in order and stops.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (dealer_id, created_at, id) WHERE sent_at IS NULL AND dead_at IS NULL;
