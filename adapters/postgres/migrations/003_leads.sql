-- Leads: need-type and lead-stage directories, leads, test drives, ADF import keys.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE need_types (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL,
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    name        text NOT NULL CHECK (name <> ''),
    sort_order  integer NOT NULL DEFAULT 0,
    active      boolean NOT NULL DEFAULT true,
    CONSTRAINT need_types_code UNIQUE (dealer_id, code)
);

CREATE TABLE lead_stages (
    id              uuid PRIMARY KEY,
    dealer_id       uuid NOT NULL,
    version         bigint NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    code            text NOT NULL CHECK (code IN ('new', 'in_work', 'qualified', 'converted', 'disqualified')),
    name            text NOT NULL CHECK (name <> ''),
    sort_order      integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('open', 'converted', 'disqualified')),
    requires_reason boolean NOT NULL DEFAULT false,
    CONSTRAINT lead_stages_code UNIQUE (dealer_id, code)
);

CREATE TABLE leads (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL,
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    customer_id uuid,
    source      text NOT NULL CHECK (source IN ('website', 'phone', 'walk_in', 'partner', 'campaign', 'import')),
    need_type   text NOT NULL,
    owner_id    uuid,
    stage       text NOT NULL CHECK (stage IN ('new', 'in_work', 'qualified', 'converted', 'disqualified')),
    sale_id     uuid,
    phones      text[] NOT NULL DEFAULT '{}',
    emails      text[] NOT NULL DEFAULT '{}',
    search      text NOT NULL DEFAULT '', -- leads.Lead.SearchText(), lower-cased in Go
    doc         jsonb NOT NULL,           -- contact, interest, vehicles, trade-in, comments, history, duplicates, origin
    CONSTRAINT leads_need_type FOREIGN KEY (dealer_id, need_type) REFERENCES need_types (dealer_id, code),
    CONSTRAINT leads_converted_has_sale CHECK (stage <> 'converted' OR sale_id IS NOT NULL)
);
CREATE INDEX leads_dealer_created ON leads (dealer_id, created_at DESC, id DESC);
CREATE INDEX leads_dealer_stage ON leads (dealer_id, stage, created_at DESC);
CREATE INDEX leads_dealer_owner ON leads (dealer_id, owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX leads_dealer_customer ON leads (dealer_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX leads_phones ON leads USING gin (phones);
CREATE INDEX leads_emails ON leads USING gin (emails);
CREATE INDEX leads_search ON leads USING gin (search gin_trgm_ops);

CREATE TABLE test_drives (
    id            uuid PRIMARY KEY,
    dealer_id     uuid NOT NULL,
    version       bigint NOT NULL CHECK (version > 0),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    lead_id       uuid REFERENCES leads (id),
    customer_id   uuid,
    vehicle_id    uuid NOT NULL,
    start_at      timestamptz NOT NULL,
    end_at        timestamptz NOT NULL,
    status        text NOT NULL CHECK (status IN ('booked', 'completed', 'cancelled', 'no_show')),
    booked_by     uuid,
    notes         text NOT NULL DEFAULT '',
    license       jsonb NOT NULL DEFAULT '{}',
    mileage_out   integer NOT NULL DEFAULT 0 CHECK (mileage_out >= 0),
    mileage_in    integer NOT NULL DEFAULT 0 CHECK (mileage_in >= mileage_out),
    feedback      text NOT NULL DEFAULT '',
    rating        smallint NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    cancel_reason text NOT NULL DEFAULT '',
    closed_at     timestamptz,
    CONSTRAINT test_drives_slot CHECK (end_at > start_at),
    CONSTRAINT test_drives_driver CHECK (lead_id IS NOT NULL OR customer_id IS NOT NULL),
    CONSTRAINT test_drives_cancel_reason CHECK (status <> 'cancelled' OR cancel_reason <> ''),
    -- Two booked test drives of one vehicle never overlap (slots are half-open).
    CONSTRAINT test_drives_no_overlap EXCLUDE USING gist (
        dealer_id WITH =, vehicle_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) WHERE (status = 'booked')
);
CREATE INDEX test_drives_lead ON test_drives (dealer_id, lead_id, start_at) WHERE lead_id IS NOT NULL;
CREATE INDEX test_drives_customer ON test_drives (dealer_id, customer_id, start_at) WHERE customer_id IS NOT NULL;

-- One row per imported prospect: importing it again finds the row and creates nothing.
CREATE TABLE lead_import_keys (
    dealer_id  uuid NOT NULL,
    key        text NOT NULL CHECK (key <> ''),
    lead_id    uuid NOT NULL REFERENCES leads (id) DEFERRABLE INITIALLY DEFERRED,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (dealer_id, key)
);
