-- Customer vehicles kept up to date (issue 11): a car bought elsewhere has no catalog vehicle; the odometer and its
-- readings; the start of service and the last maintenance visit; the attached maintenance plan; the owner and
-- insurance histories.
ALTER TABLE customer_vehicles
    ALTER COLUMN vehicle_id DROP NOT NULL,
    ADD COLUMN in_service_since    timestamptz,
    ADD COLUMN odometer            integer NOT NULL DEFAULT 0 CHECK (odometer >= 0),
    ADD COLUMN odometer_at         timestamptz,
    ADD COLUMN last_maintenance_at timestamptz,
    ADD COLUMN last_maintenance_km integer NOT NULL DEFAULT 0 CHECK (last_maintenance_km >= 0),
    ADD COLUMN plan_id             uuid,
    ADD COLUMN plan_every_km       integer NOT NULL DEFAULT 0 CHECK (plan_every_km >= 0),
    ADD COLUMN plan_every_months   integer NOT NULL DEFAULT 0 CHECK (plan_every_months >= 0),
    ADD COLUMN owners              jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN past_insurance      jsonb NOT NULL DEFAULT '[]';
UPDATE customer_vehicles SET in_service_since = COALESCE(sold_at, created_at), odometer = odometer_at_sale,
    odometer_at = COALESCE(sold_at, created_at);

CREATE TABLE mileage_readings (
    id                  uuid PRIMARY KEY,
    dealer_id           uuid NOT NULL REFERENCES dealers (id),
    version             bigint NOT NULL CHECK (version > 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    customer_vehicle_id uuid NOT NULL REFERENCES customer_vehicles (id) ON DELETE CASCADE,
    km                  integer NOT NULL CHECK (km >= 0),
    taken_at            timestamptz NOT NULL,
    source              text NOT NULL CHECK (source IN ('manual', 'service_visit')),
    correction_reason   text NOT NULL DEFAULT ''
);
CREATE INDEX mileage_readings_by_car ON mileage_readings (dealer_id, customer_vehicle_id, taken_at, created_at, id);
