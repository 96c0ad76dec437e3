-- Sales: the per-dealer sales-stage directory, sales (opportunities) with their stage history, and orders with
-- their lines. Owned by the sales domain.

CREATE TABLE sales_stages (
    id              uuid PRIMARY KEY,
    dealer_id       uuid NOT NULL REFERENCES dealers (id),
    version         bigint NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    code            text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,63}$'),
    name            text NOT NULL CHECK (name <> ''),
    sort_order      integer NOT NULL CHECK (sort_order > 0),
    max_probability integer NOT NULL CHECK (max_probability BETWEEN 0 AND 100),
    kind            text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    CONSTRAINT sales_stages_won_is_certain CHECK (kind <> 'won' OR max_probability = 100),
    CONSTRAINT sales_stages_lost_is_zero CHECK (kind <> 'lost' OR max_probability = 0),
    CONSTRAINT sales_stages_code UNIQUE (dealer_id, code),
    CONSTRAINT sales_stages_order UNIQUE (dealer_id, sort_order)
);
-- At most one won and one lost stage per dealer.
CREATE UNIQUE INDEX sales_stages_one_closed ON sales_stages (dealer_id, kind) WHERE kind <> 'open';

CREATE TABLE sales (
    id                     uuid PRIMARY KEY,
    dealer_id              uuid NOT NULL REFERENCES dealers (id),
    version                bigint NOT NULL CHECK (version > 0),
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    customer_id            uuid NOT NULL REFERENCES customers (id),
    vehicle_id             uuid,
    owner_id               uuid,
    lead_id                uuid,
    stage_id               uuid NOT NULL REFERENCES sales_stages (id),
    stage_code             text NOT NULL,
    status                 text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    probability            integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    amount                 numeric NOT NULL DEFAULT 0 CHECK (amount >= 0),
    currency               text NOT NULL DEFAULT '' CHECK (currency ~ '^([A-Z]{3})?$'),
    trade_in_appraisal_id  uuid,
    credit_application_ids jsonb NOT NULL DEFAULT '[]',
    insurance              jsonb NOT NULL DEFAULT '{}',
    service_contract       boolean NOT NULL DEFAULT false,
    payment_method         text NOT NULL DEFAULT '' CHECK (payment_method IN ('', 'cash', 'credit', 'trade_in', 'mixed')),
    lost_reason            text NOT NULL DEFAULT '',
    won_at                 timestamptz,
    lost_at                timestamptz,
    history                jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT sales_won_at CHECK ((status = 'won') = (won_at IS NOT NULL)),
    CONSTRAINT sales_won_has_vehicle CHECK (status <> 'won' OR vehicle_id IS NOT NULL),
    CONSTRAINT sales_won_is_certain CHECK (status <> 'won' OR probability = 100),
    CONSTRAINT sales_lost_has_reason CHECK (status <> 'lost' OR (lost_reason <> '' AND lost_at IS NOT NULL AND probability = 0))
);
-- One won sale per vehicle: two sales can never both sell one car.
CREATE UNIQUE INDEX sales_one_won_per_vehicle ON sales (dealer_id, vehicle_id) WHERE status = 'won';
CREATE INDEX sales_list ON sales (dealer_id, created_at DESC, id DESC);
CREATE INDEX sales_by_stage ON sales (dealer_id, stage_id);
CREATE INDEX sales_by_owner ON sales (dealer_id, owner_id);
CREATE INDEX sales_by_customer ON sales (dealer_id, customer_id);
CREATE INDEX sales_by_vehicle ON sales (dealer_id, vehicle_id);
CREATE INDEX sales_by_lead ON sales (dealer_id, lead_id);

-- One order per sale; its lines are a child table. Money is exact (numeric) in the order's currency; every line
-- and the order keep net + vat = gross.
CREATE TABLE orders (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL REFERENCES dealers (id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    sale_id     uuid NOT NULL REFERENCES sales (id),
    currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    net         numeric NOT NULL,
    vat         numeric NOT NULL CHECK (vat >= 0),
    gross       numeric NOT NULL CHECK (gross >= 0),
    CONSTRAINT orders_totals CHECK (net + vat = gross),
    CONSTRAINT orders_one_per_sale UNIQUE (dealer_id, sale_id)
);

CREATE TABLE order_lines (
    order_id       uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position       integer NOT NULL CHECK (position >= 0),
    id             uuid NOT NULL,
    dealer_id      uuid NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('vehicle', 'accessory', 'part', 'service', 'other')),
    description    text NOT NULL CHECK (description <> ''),
    catalog_ref_id uuid,
    quantity       numeric NOT NULL CHECK (quantity > 0),
    unit_price     numeric NOT NULL CHECK (unit_price >= 0),
    discount       numeric NOT NULL CHECK (discount >= 0),
    vat_rate       numeric NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 1),
    net            numeric NOT NULL,
    vat            numeric NOT NULL CHECK (vat >= 0),
    gross          numeric NOT NULL CHECK (gross >= 0),
    PRIMARY KEY (order_id, position),
    CONSTRAINT order_lines_id UNIQUE (order_id, id),
    CONSTRAINT order_lines_totals CHECK (net + vat = gross),
    CONSTRAINT order_lines_vehicle CHECK (kind <> 'vehicle' OR (quantity = 1 AND catalog_ref_id IS NOT NULL))
);
-- At most one vehicle line per order.
CREATE UNIQUE INDEX order_lines_one_vehicle ON order_lines (order_id) WHERE kind = 'vehicle';
