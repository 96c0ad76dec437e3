-- Customer vehicles (issue 11): one per VIN per dealer — a car the dealer knows is kept up to date (owner changes,
-- readings, visits), never recorded twice; a won sale of a car already known takes its record over. The
-- appointments of a customer, for the customer merge. A database holding two customer vehicles of one VIN for a
-- dealer stops here (the error names the key): merge or correct them, then migrate again.
CREATE UNIQUE INDEX customer_vehicles_vin ON customer_vehicles (dealer_id, vin);
CREATE INDEX service_appointments_by_customer ON service_appointments (dealer_id, customer_id, start_at);
