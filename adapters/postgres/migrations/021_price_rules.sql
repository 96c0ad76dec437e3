-- The dealer's own price rules over the model directory (issue 17): a percentage of a configuration's subtotal and
-- a fixed amount (negative: a discount), for the make, model, generation or configuration named (NULL: any).
CREATE TABLE price_rules (
    id               uuid PRIMARY KEY,
    dealer_id        uuid NOT NULL REFERENCES dealers (id),
    version          bigint NOT NULL CHECK (version > 0),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    name             text NOT NULL CHECK (name <> ''),
    make_id          uuid,
    model_id         uuid,
    generation_id    uuid,
    configuration_id uuid,
    percent          numeric NOT NULL DEFAULT 0 CHECK (percent > -100),
    currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount           numeric NOT NULL DEFAULT 0,
    valid_from       timestamptz,
    valid_to         timestamptz CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE INDEX price_rules_dealer ON price_rules (dealer_id, name);
