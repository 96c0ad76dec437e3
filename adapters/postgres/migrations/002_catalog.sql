-- The catalog: vehicles, spare parts, services.
--
-- Free-text search is a case-insensitive substring match, served by trigram GIN indexes (pg_trgm, a contrib
-- extension shipped with PostgreSQL) over a generated, lower-cased search_text column.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE vehicles (
    id           uuid PRIMARY KEY,
    dealer_id    uuid NOT NULL,
    version      bigint NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    vin          text NOT NULL DEFAULT '',
    make         text NOT NULL,
    model        text NOT NULL,
    trim_level   text NOT NULL DEFAULT '',
    year         integer NOT NULL DEFAULT 0,
    condition    text NOT NULL CHECK (condition IN ('new', 'used', 'certified_used')),
    status       text NOT NULL CHECK (status IN ('in_stock', 'in_transit', 'reserved', 'sold', 'unavailable')),
    mileage      integer NOT NULL DEFAULT 0 CHECK (mileage >= 0),
    stock_number text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    -- Money: every amount of a card is in the one currency of the card.
    currency     text NOT NULL CHECK (currency ~ '^([A-Z]{3})?$'),
    list_price   numeric NOT NULL CHECK (list_price >= 0),
    cost         numeric NOT NULL DEFAULT 0 CHECK (cost >= 0),
    discount     numeric NOT NULL DEFAULT 0 CHECK (discount >= 0),
    market_value numeric NOT NULL DEFAULT 0 CHECK (market_value >= 0),
    vat_rate     numeric NOT NULL DEFAULT 0 CHECK (vat_rate >= 0 AND vat_rate < 1),
    sold_at      timestamptz,
    sale_id      uuid,
    -- Nested groups nobody filters on: the rest of the identity and stock data, insurance, technical data.
    card         jsonb NOT NULL DEFAULT '{}',
    insurance    jsonb NOT NULL DEFAULT '{}',
    specs        jsonb NOT NULL DEFAULT '{}',
    -- Reservations live in a jsonb array rather than a child table: they belong to the vehicle aggregate and are
    -- only ever read and written with it, under the vehicle row's lock (SELECT … FOR UPDATE) and its version, so
    -- a child table would add a join to every read and a delete-and-insert to every write for no invariant the
    -- database could hold better. There are a handful at most, and "reserved vehicles" is found by the indexed
    -- status column, not by looking inside the array.
    reservations jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(reservations) = 'array'),
    search_text  text GENERATED ALWAYS AS (lower(make || ' ' || model || ' ' || trim_level || ' ' || vin)) STORED
);
-- One VIN per dealer (a card without VIN yet is not indexed).
CREATE UNIQUE INDEX vehicles_dealer_vin ON vehicles (dealer_id, vin) WHERE vin <> '';
-- Each sort order, made total by id, with the dealer first: keyset pages walk these.
CREATE INDEX vehicles_created ON vehicles (dealer_id, created_at, id);
CREATE INDEX vehicles_price ON vehicles (dealer_id, list_price, id);
CREATE INDEX vehicles_year ON vehicles (dealer_id, year, id);
-- Filters: status (several at once), make and model (the common pair, in the default order), model, trim, text.
CREATE INDEX vehicles_status ON vehicles (dealer_id, status, created_at, id);
CREATE INDEX vehicles_make_model ON vehicles (dealer_id, lower(make), lower(model), created_at, id);
CREATE INDEX vehicles_model ON vehicles (dealer_id, lower(model));
CREATE INDEX vehicles_trim ON vehicles (dealer_id, lower(trim_level));
CREATE INDEX vehicles_text ON vehicles USING gin (search_text gin_trgm_ops);

CREATE TABLE parts (
    id           uuid PRIMARY KEY,
    dealer_id    uuid NOT NULL,
    version      bigint NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    number       text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    compatible_models text[] NOT NULL DEFAULT '{}',
    -- compatible_models lower-cased by the adapter, for the case-insensitive "fits model" filter.
    models_key   text[] NOT NULL DEFAULT '{}',
    quantity     integer NOT NULL CHECK (quantity >= 0),
    currency     text NOT NULL CHECK (currency ~ '^([A-Z]{3})?$'),
    price        numeric NOT NULL CHECK (price >= 0),
    search_text  text GENERATED ALWAYS AS (lower((number || ' ' || name) COLLATE "default")) STORED
);
CREATE UNIQUE INDEX parts_number_unique ON parts (dealer_id, number);
CREATE INDEX parts_models ON parts USING gin (models_key);
CREATE INDEX parts_text ON parts USING gin (search_text gin_trgm_ops);
CREATE INDEX parts_in_stock ON parts (dealer_id, number, id) WHERE quantity > 0;

CREATE TABLE services (
    id           uuid PRIMARY KEY,
    dealer_id    uuid NOT NULL,
    version      bigint NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    code         text COLLATE "C" NOT NULL,
    name         text NOT NULL,
    labour_hours numeric NOT NULL CHECK (labour_hours >= 0),
    currency     text NOT NULL CHECK (currency ~ '^([A-Z]{3})?$'),
    price        numeric NOT NULL CHECK (price >= 0)
);
CREATE UNIQUE INDEX services_dealer_code ON services (dealer_id, code);
