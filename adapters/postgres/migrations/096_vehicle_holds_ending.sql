-- Issue 16 items 5 and 6: ending the holds whose time ran out reads only those (and, per car, the one ending
-- last, to tell whether the car stays reserved), not every hold of the car: catalog.VehicleStore.GetForExpiry and
-- ListHeldPastEnd read vehicle_holds by (dealer, vehicle, end).
CREATE INDEX vehicle_holds_ending ON vehicle_holds (dealer_id, vehicle_id, until_at);
