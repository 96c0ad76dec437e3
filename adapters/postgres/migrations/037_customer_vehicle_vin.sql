-- Customer vehicles (issue 11): one per VIN per dealer — a car the dealer knows is kept up to date (owner changes,
-- readings, visits), never recorded twice; a won sale of a car already known takes its record over. A database
-- holding two customer vehicles of one VIN for a dealer stops here (the error names the key): merge or correct
-- them, then migrate again. (The customer merge finds a customer's appointments by
-- service_appointments_by_customer, migration 052.)
CREATE UNIQUE INDEX customer_vehicles_vin ON customer_vehicles (dealer_id, vin);
