-- Issue 13: sales plans. A plan sets unit and revenue targets for one calendar period (month, quarter, year) and
-- one scope (the dealer, a manager, a make and model, a need type, or a combination). Two plans of one scope never
-- share a day: an exclusion constraint over the period's date range, per dealer and scope key. Every version of a
-- plan is kept in sales_plan_revisions.

CREATE TABLE sales_plans (
    id             uuid PRIMARY KEY,
    dealer_id      uuid NOT NULL REFERENCES dealers (id),
    version        bigint NOT NULL CHECK (version > 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    period         text NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    owner_id       uuid,
    make           text NOT NULL DEFAULT '',
    model          text NOT NULL DEFAULT '',
    need_type      text NOT NULL DEFAULT '',
    target_units   integer NOT NULL CHECK (target_units >= 0),
    target_revenue numeric NOT NULL CHECK (target_revenue >= 0),
    currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    name           text NOT NULL DEFAULT '' CHECK (char_length(name) <= 200),
    -- plans.Scope.Key: equal keys are one scope (make and model without regard to case).
    scope_key      text NOT NULL GENERATED ALWAYS AS (
        coalesce(owner_id::text, '') || '|' || lower(make) || '|' || lower(model) || '|' || need_type) STORED,
    CONSTRAINT sales_plans_dealer_id UNIQUE (dealer_id, id),
    CONSTRAINT sales_plans_period CHECK (end_date > start_date AND extract(day FROM start_date) = 1),
    CONSTRAINT sales_plans_no_overlap EXCLUDE USING gist (
        dealer_id WITH =, scope_key WITH =, daterange(start_date, end_date, '[)') WITH &&)
);
CREATE INDEX sales_plans_by_start ON sales_plans (dealer_id, start_date);

CREATE TABLE sales_plan_revisions (
    plan_id        uuid NOT NULL,
    version        bigint NOT NULL CHECK (version > 0),
    dealer_id      uuid NOT NULL,
    at             timestamptz NOT NULL,
    by_user        uuid,
    period         text NOT NULL,
    start_date     date NOT NULL,
    owner_id       uuid,
    make           text NOT NULL,
    model          text NOT NULL,
    need_type      text NOT NULL,
    target_units   integer NOT NULL,
    target_revenue numeric NOT NULL,
    currency       text NOT NULL,
    name           text NOT NULL,
    PRIMARY KEY (dealer_id, plan_id, version),
    CONSTRAINT sales_plan_revisions_plan FOREIGN KEY (dealer_id, plan_id) REFERENCES sales_plans (dealer_id, id)
);

-- Won sales by the instant they were won: plan progress and the analytics' results read them by period.
CREATE INDEX sales_won_by_time ON sales (dealer_id, won_at)
    INCLUDE (owner_id, amount, currency, vehicle_id, lead_id)
    WHERE status = 'won';
