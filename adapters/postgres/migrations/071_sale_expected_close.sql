-- Issue 13: the day an open sale is expected to close. The sales-plan forecast adds the probable amount of the
-- open sales expected to close in the plan's period, so open sales are indexed by it.

ALTER TABLE sales ADD COLUMN expected_close date;
CREATE INDEX sales_open_by_expected_close ON sales (dealer_id, expected_close)
    INCLUDE (owner_id, amount, currency, probability, vehicle_id, lead_id)
    WHERE status = 'open' AND expected_close IS NOT NULL;
