-- Aftersales: customer vehicles (created when a sale is won). Owned by the aftersales domain. Later: service
-- visits, maintenance plans, warranties.

CREATE TABLE customer_vehicles (
    id                uuid PRIMARY KEY,
    dealer_id         uuid NOT NULL REFERENCES dealers (id),
    version           bigint NOT NULL CHECK (version > 0),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    customer_id       uuid NOT NULL REFERENCES customers (id),
    vehicle_id        uuid NOT NULL,
    vin               text NOT NULL CHECK (vin <> ''),
    make              text NOT NULL CHECK (make <> ''),
    model             text NOT NULL DEFAULT '',
    trim              text NOT NULL DEFAULT '',
    year              integer NOT NULL DEFAULT 0,
    sale_id           uuid,
    sold_at           timestamptz,
    insurer           text NOT NULL DEFAULT '',
    policy_number     text NOT NULL DEFAULT '',
    insured_from      timestamptz,
    insured_to        timestamptz,
    service_contract  boolean NOT NULL DEFAULT false,
    selling_dealer_id uuid,
    odometer_at_sale  integer NOT NULL DEFAULT 0 CHECK (odometer_at_sale >= 0),
    CONSTRAINT customer_vehicles_sold_in_sale CHECK (sold_at IS NULL OR sale_id IS NOT NULL),
    CONSTRAINT customer_vehicles_period CHECK (insured_from IS NULL OR insured_to IS NULL OR insured_to > insured_from)
);
-- One customer vehicle per (dealer, vehicle, sale): a won sale records its car once.
CREATE UNIQUE INDEX customer_vehicles_one_per_sale ON customer_vehicles (dealer_id, vehicle_id, sale_id);
CREATE INDEX customer_vehicles_by_customer ON customer_vehicles (dealer_id, customer_id, created_at, id);
CREATE INDEX customer_vehicles_by_vehicle ON customer_vehicles (dealer_id, vehicle_id, created_at, id);
CREATE INDEX customer_vehicles_by_sale ON customer_vehicles (dealer_id, sale_id);
CREATE INDEX customer_vehicles_insured_to ON customer_vehicles (dealer_id, insured_to) WHERE insured_to IS NOT NULL;
