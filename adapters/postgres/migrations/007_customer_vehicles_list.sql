-- The dealer's customer vehicles in creation order (the unfiltered list and its keyset cursor).
CREATE INDEX customer_vehicles_by_created ON customer_vehicles (dealer_id, created_at, id);
