-- A customer vehicle stands in one bay at a time: two appointments of one car that hold their bays never overlap
-- (issue 11, outside review). Like the bay's constraint, it lets exactly one of racing bookings win.
ALTER TABLE service_appointments ADD CONSTRAINT service_appointments_car_free EXCLUDE USING gist (
    dealer_id WITH =, customer_vehicle_id WITH =, tstzrange(start_at, end_at) WITH &&)
    WHERE (status IN ('booked', 'arrived', 'in_work', 'done'));
