-- Credit (Кредитование): the dealer's partner-bank programs and the credit applications of its sales. Owned by
-- the credit domain. A sale links at most one application as its credit (sales.credit_application_id), which
-- replaces the unchecked list of IDs sales carried before (no application existed to name, so nothing is kept).

CREATE TABLE credit_programs (
    id                       uuid PRIMARY KEY,
    dealer_id                uuid NOT NULL REFERENCES dealers (id),
    version                  bigint NOT NULL CHECK (version > 0),
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    bank                     text NOT NULL CHECK (bank <> ''),
    name                     text NOT NULL CHECK (name <> ''),
    annual_rate              numeric NOT NULL CHECK (annual_rate >= 0 AND annual_rate < 100),
    min_term_months          integer NOT NULL CHECK (min_term_months BETWEEN 1 AND 600),
    max_term_months          integer NOT NULL CHECK (max_term_months BETWEEN 1 AND 600),
    min_down_payment_percent numeric NOT NULL CHECK (min_down_payment_percent >= 0 AND min_down_payment_percent < 100),
    min_amount               numeric NOT NULL CHECK (min_amount > 0),
    max_amount               numeric NOT NULL,
    currency                 char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    valid_from               date NOT NULL,
    valid_to                 date,
    active                   boolean NOT NULL,
    CONSTRAINT credit_programs_terms CHECK (min_term_months <= max_term_months),
    CONSTRAINT credit_programs_amounts CHECK (min_amount <= max_amount),
    CONSTRAINT credit_programs_validity CHECK (valid_to IS NULL OR valid_from <= valid_to),
    CONSTRAINT credit_programs_dealer_id UNIQUE (dealer_id, id)
);
CREATE INDEX credit_programs_list ON credit_programs (dealer_id, bank, name, id);

CREATE TABLE credit_applications (
    id              uuid PRIMARY KEY,
    dealer_id       uuid NOT NULL REFERENCES dealers (id),
    version         bigint NOT NULL CHECK (version > 0),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    sale_id         uuid NOT NULL REFERENCES sales (id),
    customer_id     uuid NOT NULL REFERENCES customers (id),
    program_id      uuid NOT NULL,
    bank            text NOT NULL CHECK (bank <> ''),
    program_name    text NOT NULL,
    currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    vehicle_price   numeric NOT NULL CHECK (vehicle_price > 0),
    down_payment    numeric NOT NULL CHECK (down_payment >= 0),
    amount          numeric NOT NULL CHECK (amount > 0),
    term_months     integer NOT NULL CHECK (term_months BETWEEN 1 AND 600),
    annual_rate     numeric NOT NULL CHECK (annual_rate >= 0 AND annual_rate < 100),
    method          text NOT NULL CHECK (method IN ('annuity', 'differentiated')),
    monthly_payment numeric NOT NULL CHECK (monthly_payment > 0),
    state           text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'issued', 'closed', 'cancelled')),
    issued_at       timestamptz,
    history         jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT credit_applications_price CHECK (amount + down_payment <= vehicle_price),
    CONSTRAINT credit_applications_issued_at CHECK (state NOT IN ('issued', 'closed') OR issued_at IS NOT NULL),
    CONSTRAINT credit_applications_program FOREIGN KEY (dealer_id, program_id) REFERENCES credit_programs (dealer_id, id),
    CONSTRAINT credit_applications_dealer_id UNIQUE (dealer_id, id)
);
-- A sale is financed once: at most one issued (or, repaid, closed) application per sale.
CREATE UNIQUE INDEX credit_applications_one_financed ON credit_applications (dealer_id, sale_id) WHERE state IN ('issued', 'closed');
CREATE INDEX credit_applications_by_sale ON credit_applications (dealer_id, sale_id, created_at, id);
CREATE INDEX credit_applications_list ON credit_applications (dealer_id, created_at DESC, id DESC);

ALTER TABLE sales DROP COLUMN credit_application_ids;
ALTER TABLE sales ADD COLUMN credit_application_id uuid;
ALTER TABLE sales ADD CONSTRAINT sales_credit_application FOREIGN KEY (dealer_id, credit_application_id)
    REFERENCES credit_applications (dealer_id, id);
