-- Issue 16 items 5 and 6: a vehicle's shared holds (test drives') leave the vehicle row for a table of their own.
--
-- vehicles.reservations held every hold of the car, and each test-drive booking appended one: a car with many
-- future drives (a demo car booked all week) carried them all in one jsonb value that every booking read,
-- decoded, re-encoded and rewrote (TOASTed past 2 kB), so a booking cost grew with the drives booked before it.
-- No rule needs those holds when a hold is added: only a sale's hold is exclusive (catalog.Purpose.Exclusive); a
-- test drive's is shared with other holders' drives in other slots, and the slots are kept apart by the
-- test_drives exclusion constraint. So vehicles.reservations now keeps only the exclusive holds (a sale's: one,
-- rarely a few), read with the row by every rule, and vehicle_holds keeps the shared ones, one row each, which a
-- booking only inserts into and which are read only for the card (Get, Search) and for the rules that release.
-- Every change of a hold still goes through the vehicle's row (its lock and version), as before.
-- Keys include the dealer (docs/scaling.md): the holds reference the vehicle by (dealer_id, id).
ALTER TABLE vehicles ADD CONSTRAINT vehicles_dealer_id_id UNIQUE (dealer_id, id);

CREATE TABLE vehicle_holds (
    dealer_id   uuid NOT NULL,
    vehicle_id  uuid NOT NULL,
    ref_id      uuid NOT NULL,
    -- The order the holds were made in (the card lists them so); an upsert of the same hold keeps its place.
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    purpose     text NOT NULL CHECK (purpose <> 'sale'),
    lead_id     uuid,
    sale_id     uuid,
    customer_id uuid,
    from_at     timestamptz,
    until_at    timestamptz,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (dealer_id, vehicle_id, ref_id),
    FOREIGN KEY (dealer_id, vehicle_id) REFERENCES vehicles (dealer_id, id) ON DELETE CASCADE
);

-- The holds in use move, in their order; the exclusive ones stay in the row.
INSERT INTO vehicle_holds (dealer_id, vehicle_id, ref_id, purpose, lead_id, sale_id, customer_id, from_at, until_at, created_at)
SELECT v.dealer_id, v.id, (e.r ->> 'ref_id')::uuid, e.r ->> 'purpose',
       -- a holder's absent IDs were written out as the nil UUID
       nullif((e.r -> 'holder' ->> 'lead_id')::uuid, '00000000-0000-0000-0000-000000000000'),
       nullif((e.r -> 'holder' ->> 'sale_id')::uuid, '00000000-0000-0000-0000-000000000000'),
       nullif((e.r -> 'holder' ->> 'customer_id')::uuid, '00000000-0000-0000-0000-000000000000'),
       (e.r ->> 'from')::timestamptz, (e.r ->> 'until')::timestamptz, (e.r ->> 'created_at')::timestamptz
FROM vehicles v CROSS JOIN LATERAL jsonb_array_elements(v.reservations) WITH ORDINALITY AS e(r, n)
WHERE e.r ->> 'purpose' <> 'sale'
ORDER BY v.id, e.n
ON CONFLICT DO NOTHING;

UPDATE vehicles v SET reservations = (
    SELECT coalesce(jsonb_agg(e.r ORDER BY e.n), '[]')
    FROM jsonb_array_elements(v.reservations) WITH ORDINALITY AS e(r, n)
    WHERE e.r ->> 'purpose' = 'sale')
WHERE EXISTS (SELECT FROM jsonb_array_elements(v.reservations) e(r) WHERE e.r ->> 'purpose' <> 'sale');

COMMENT ON COLUMN vehicles.reservations IS
    'the exclusive (sale) holds of the vehicle; its shared (test-drive) holds are rows of vehicle_holds (093)';
