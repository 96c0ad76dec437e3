-- Appraisal sheets (оценочные листы) and each dealer's checklist template. Owned by the appraisal domain.
-- The checklist, adjustments and histories are read whole: one adapter-owned jsonb document (appraisalDoc).
-- The lead, customer and sale a sheet came from are checked by the service and carry no foreign key, so that
-- merging customers or removing records elsewhere never fails on a sheet.
CREATE TABLE appraisals (
    id               uuid PRIMARY KEY,
    dealer_id        uuid NOT NULL REFERENCES dealers (id),
    version          bigint NOT NULL CHECK (version > 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    vin              text NOT NULL CHECK (vin ~ '^[0-9A-HJ-NPR-Z]{17}$'),
    make             text NOT NULL CHECK (make <> ''),
    model            text NOT NULL CHECK (model <> ''),
    year             integer NOT NULL CHECK (year >= 1886),
    mileage          integer NOT NULL CHECK (mileage >= 0),
    color            text NOT NULL DEFAULT '',
    owner            text NOT NULL DEFAULT '',
    lead_id          uuid,
    customer_id      uuid,
    sale_id          uuid,
    state            text NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected')),
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reference_price  numeric NOT NULL CHECK (reference_price > 0),
    proposed_price   numeric NOT NULL CHECK (proposed_price >= 0),
    trade_in_sale_id uuid,
    doc              jsonb NOT NULL,
    -- only an approved sheet is a sale's trade-in
    CONSTRAINT appraisals_trade_in_approved CHECK (trade_in_sale_id IS NULL OR state = 'approved')
);
CREATE INDEX appraisals_list ON appraisals (dealer_id, created_at DESC, id DESC);
CREATE INDEX appraisals_by_vin ON appraisals (dealer_id, vin);
-- A sale takes at most one sheet as its trade-in.
CREATE UNIQUE INDEX appraisals_one_trade_in ON appraisals (dealer_id, trade_in_sale_id) WHERE trade_in_sale_id IS NOT NULL;

CREATE TABLE appraisal_templates (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    items      jsonb NOT NULL,
    CONSTRAINT appraisal_templates_one UNIQUE (dealer_id)
);
