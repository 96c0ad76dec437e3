-- The shared kernel: dealers, users, customers, the outbox, documents.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE dealers (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL CHECK (dealer_id = id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    name        text NOT NULL CHECK (name <> ''),
    legal_name  text NOT NULL CHECK (legal_name <> ''),
    currency    char(3) NOT NULL,
    strict_vin  boolean NOT NULL DEFAULT false,
    doc         jsonb NOT NULL -- requisites: tax ids, address, bank, contacts
);

CREATE TABLE users (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL REFERENCES dealers (id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    name        text NOT NULL CHECK (name <> ''),
    email       text NOT NULL DEFAULT '',
    role        text NOT NULL CHECK (role IN ('admin', 'sales_manager', 'service_advisor', 'read_only'))
);
CREATE INDEX users_dealer ON users (dealer_id, name);

CREATE TABLE customers (
    id           uuid PRIMARY KEY,
    dealer_id    uuid NOT NULL,
    version      bigint NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('person', 'company')),
    first_name   text NOT NULL DEFAULT '',
    middle_name  text NOT NULL DEFAULT '',
    last_name    text NOT NULL DEFAULT '',
    company_name text NOT NULL DEFAULT '',
    phones       text[] NOT NULL DEFAULT '{}',
    emails       text[] NOT NULL DEFAULT '{}',
    tax_id       text NOT NULL DEFAULT '',
    birth_date   text NOT NULL DEFAULT '',
    document     jsonb NOT NULL DEFAULT '{}',
    address      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX customers_dealer ON customers (dealer_id, id);
CREATE INDEX customers_phones ON customers USING gin (phones);
CREATE INDEX customers_emails ON customers USING gin (emails);

CREATE TABLE outbox (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL,
    topic       text NOT NULL,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    data        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (dealer_id, created_at) WHERE sent_at IS NULL;

CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    dealer_id    uuid NOT NULL,
    version      bigint NOT NULL CHECK (version > 0),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    kind         text NOT NULL,
    subject_id   uuid NOT NULL,
    name         text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size >= 0),
    sha256       text NOT NULL,
    key          text NOT NULL
);
CREATE INDEX documents_subject ON documents (dealer_id, subject_id, created_at DESC);

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL REFERENCES dealers (id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id),
    name        text NOT NULL DEFAULT '',
    prefix      text NOT NULL,
    hash        text NOT NULL UNIQUE,
    revoked_at  timestamptz
);
