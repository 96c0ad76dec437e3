-- The service side (issue 11): spare parts reserved for work in progress; each dealer's workshop calendar; service
-- appointments, a bay never double-booked (exclusion constraint); each advisor's appointments per day, counted in
-- place so that racing bookings of one day are serialised by the row; warranty contracts of customer vehicles.
ALTER TABLE parts ADD COLUMN reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE parts ADD CONSTRAINT parts_reserved_in_stock CHECK (reserved <= quantity);

CREATE TABLE workshop_calendars (
    id                uuid PRIMARY KEY REFERENCES dealers (id),
    dealer_id         uuid NOT NULL CHECK (dealer_id = id),
    version           bigint NOT NULL CHECK (version > 0),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    slot_minutes      integer NOT NULL CHECK (slot_minutes > 0),
    workday_start     integer NOT NULL CHECK (workday_start >= 0),
    workday_end       integer NOT NULL CHECK (workday_end > workday_start AND workday_end <= 1440),
    time_zone         text NOT NULL CHECK (time_zone <> ''),
    advisor_day_limit integer NOT NULL CHECK (advisor_day_limit > 0),
    bays              jsonb NOT NULL
);

CREATE TABLE service_appointments (
    id                  uuid PRIMARY KEY,
    dealer_id           uuid NOT NULL REFERENCES dealers (id),
    version             bigint NOT NULL CHECK (version > 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    customer_vehicle_id uuid NOT NULL REFERENCES customer_vehicles (id),
    customer_id         uuid NOT NULL,
    bay                 text NOT NULL CHECK (bay <> ''),
    advisor_id          uuid,
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    status              text NOT NULL CHECK (status IN ('booked', 'arrived', 'in_work', 'done', 'no_show', 'cancelled')),
    maintenance         boolean NOT NULL DEFAULT false,
    warranty_system     text NOT NULL DEFAULT '',
    warranty_id         uuid,
    km                  integer NOT NULL DEFAULT 0 CHECK (km >= 0),
    parts_reserved      boolean NOT NULL DEFAULT false,
    arrived_at          timestamptz,
    started_at          timestamptz,
    closed_at           timestamptz,
    doc                 jsonb NOT NULL,
    CONSTRAINT service_appointments_period CHECK (end_at > start_at),
    CONSTRAINT service_appointments_bay_free EXCLUDE USING gist (
        dealer_id WITH =, bay WITH =, tstzrange(start_at, end_at) WITH &&)
        WHERE (status IN ('booked', 'arrived', 'in_work', 'done'))
);
CREATE INDEX service_appointments_by_start ON service_appointments (dealer_id, start_at);
CREATE INDEX service_appointments_by_car ON service_appointments (dealer_id, customer_vehicle_id, start_at);

CREATE TABLE service_advisor_days (
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    advisor_id uuid NOT NULL,
    day        date NOT NULL,
    booked     integer NOT NULL CHECK (booked >= 0),
    PRIMARY KEY (dealer_id, advisor_id, day)
);

CREATE TABLE warranties (
    id                  uuid PRIMARY KEY,
    dealer_id           uuid NOT NULL REFERENCES dealers (id),
    version             bigint NOT NULL CHECK (version > 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    customer_vehicle_id uuid NOT NULL REFERENCES customer_vehicles (id),
    kind                text NOT NULL CHECK (kind IN ('manufacturer', 'extended', 'dealer')),
    start_date          date NOT NULL,
    end_date            date NOT NULL,
    km_limit            integer NOT NULL DEFAULT 0 CHECK (km_limit >= 0),
    systems             text[] NOT NULL,
    provider            text NOT NULL DEFAULT '',
    terms_id            uuid,
    notes               text NOT NULL DEFAULT '',
    void                boolean NOT NULL DEFAULT false,
    void_reason         text NOT NULL DEFAULT '',
    voided_at           timestamptz,
    CONSTRAINT warranties_period CHECK (end_date > start_date),
    CONSTRAINT warranties_void_reason CHECK (NOT void OR void_reason <> '')
);
CREATE INDEX warranties_by_car ON warranties (dealer_id, customer_vehicle_id);
CREATE INDEX warranties_by_end ON warranties (dealer_id, end_date) WHERE NOT void;
