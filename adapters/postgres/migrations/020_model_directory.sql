-- The model directory (issue 17): makes → models → generations → configurations per dealer, and the maintenance
-- plans and manufacturer warranty terms attached to a model or a generation. Names are unique per parent in the
-- form the domain compares them in (catalog.NameKey: trimmed, lower-cased in Go, so Cyrillic folds alike whatever
-- the database's locale), kept in name_key. A child names its parents by ID without a foreign key, as the memory
-- adapter does: the catalog service reads the parent (the dealer's own) in the unit of work that saves the child,
-- and directory records are never deleted.
CREATE TABLE makes (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    name       text NOT NULL CHECK (name <> ''),
    name_key   text NOT NULL,
    country    text NOT NULL DEFAULT '',
    CONSTRAINT makes_name UNIQUE (dealer_id, name_key)
);

CREATE TABLE models (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    make_id    uuid NOT NULL ,
    name       text NOT NULL CHECK (name <> ''),
    name_key   text NOT NULL,
    code       text NOT NULL DEFAULT '',
    CONSTRAINT models_name UNIQUE (dealer_id, make_id, name_key)
);
CREATE INDEX models_make ON models (dealer_id, make_id);

CREATE TABLE generations (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    make_id    uuid NOT NULL ,
    model_id   uuid NOT NULL ,
    name       text NOT NULL CHECK (name <> ''),
    name_key   text NOT NULL,
    year_from  integer NOT NULL CHECK (year_from >= 1886),
    year_to    integer NOT NULL DEFAULT 0 CHECK (year_to = 0 OR year_to >= year_from),
    CONSTRAINT generations_name UNIQUE (dealer_id, model_id, name_key)
);
CREATE INDEX generations_model ON generations (dealer_id, model_id);

-- A configuration: filtered columns (its place in the tree, code, price, validity, the codes of its options) and
-- one document read whole (body, technical data, equipment, options with their rules, colours).
CREATE TABLE configurations (
    id            uuid PRIMARY KEY,
    dealer_id     uuid NOT NULL REFERENCES dealers (id),
    version       bigint NOT NULL CHECK (version > 0),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    make_id       uuid NOT NULL ,
    model_id      uuid NOT NULL ,
    generation_id uuid NOT NULL ,
    code          text NOT NULL CHECK (code <> ''),
    name          text NOT NULL CHECK (name <> ''),
    currency      text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    price         numeric NOT NULL CHECK (price >= 0),
    valid_from    timestamptz,
    valid_to      timestamptz CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from),
    option_codes  text[] NOT NULL DEFAULT '{}',
    doc           jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT configurations_code UNIQUE (dealer_id, code)
);
CREATE INDEX configurations_make_model ON configurations (dealer_id, make_id, model_id, generation_id);
CREATE INDEX configurations_generation ON configurations (dealer_id, generation_id);
CREATE INDEX configurations_options ON configurations USING gin (option_codes);

-- Maintenance plans and warranty terms: at most one per model (generation_id NULL) and one per generation.
CREATE TABLE maintenance_plans (
    id              uuid PRIMARY KEY,
    dealer_id       uuid NOT NULL REFERENCES dealers (id),
    version         bigint NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    model_id        uuid NOT NULL ,
    generation_id   uuid ,
    name            text NOT NULL CHECK (name <> ''),
    interval_km     integer NOT NULL CHECK (interval_km > 0),
    interval_months integer NOT NULL CHECK (interval_months > 0),
    visits          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(visits) = 'array')
);
CREATE UNIQUE INDEX maintenance_plans_model ON maintenance_plans (dealer_id, model_id) WHERE generation_id IS NULL;
CREATE UNIQUE INDEX maintenance_plans_generation ON maintenance_plans (dealer_id, generation_id)
    WHERE generation_id IS NOT NULL;

CREATE TABLE warranty_terms (
    id              uuid PRIMARY KEY,
    dealer_id       uuid NOT NULL REFERENCES dealers (id),
    version         bigint NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    model_id        uuid NOT NULL ,
    generation_id   uuid ,
    months          integer NOT NULL CHECK (months > 0),
    km_limit        integer NOT NULL DEFAULT 0 CHECK (km_limit >= 0),
    covered_systems jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(covered_systems) = 'array'),
    notes           text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX warranty_terms_model ON warranty_terms (dealer_id, model_id) WHERE generation_id IS NULL;
CREATE UNIQUE INDEX warranty_terms_generation ON warranty_terms (dealer_id, generation_id)
    WHERE generation_id IS NOT NULL;
