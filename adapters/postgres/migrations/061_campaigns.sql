-- Campaigns (issue 12 item 6): a dealer's mailings, their recipients (one per campaign and person: the unique
-- constraint is what makes a re-run send nothing twice, also when two runs race) and the addresses that
-- unsubscribed (one per dealer and address). Owned by the notify domain. A recipient's id is its outbox
-- message's id.

CREATE TABLE campaigns (
    id             uuid PRIMARY KEY,
    dealer_id      uuid NOT NULL REFERENCES dealers (id),
    version        bigint NOT NULL CHECK (version > 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    name           text NOT NULL CHECK (name <> '' AND char_length(name) <= 200),
    audience_kind  text NOT NULL CHECK (audience_kind IN ('test_drive_soon', 'maintenance_due', 'warranty_expiring', 'bought_model')),
    audience_days  integer NOT NULL DEFAULT 0 CHECK (audience_days BETWEEN 0 AND 3660),
    audience_make  text NOT NULL DEFAULT '',
    audience_model text NOT NULL DEFAULT '',
    kind           text NOT NULL,
    subject        text NOT NULL DEFAULT '',
    body_text      text NOT NULL DEFAULT '',
    body_html      text NOT NULL DEFAULT '',
    channel        text NOT NULL DEFAULT '' CHECK (channel IN ('', 'email', 'sms')),
    scheduled_at   timestamptz,
    last_run_at    timestamptz,
    created_by     uuid,
    CONSTRAINT campaigns_dealer_id UNIQUE (dealer_id, id)
);
CREATE INDEX campaigns_list ON campaigns (dealer_id, created_at DESC, id DESC);

CREATE TABLE campaign_recipients (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL REFERENCES dealers (id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    campaign_id uuid NOT NULL,
    key         text NOT NULL,
    name        text NOT NULL DEFAULT '',
    channel     text NOT NULL DEFAULT '' CHECK (channel IN ('', 'email', 'sms')),
    address     text NOT NULL DEFAULT '',
    status      text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
    reason      text NOT NULL DEFAULT '',
    sent_at     timestamptz,
    CONSTRAINT campaign_recipients_once UNIQUE (dealer_id, campaign_id, key),
    CONSTRAINT campaign_recipients_campaign FOREIGN KEY (dealer_id, campaign_id) REFERENCES campaigns (dealer_id, id)
);

CREATE TABLE suppressions (
    id          uuid PRIMARY KEY,
    dealer_id   uuid NOT NULL REFERENCES dealers (id),
    version     bigint NOT NULL CHECK (version > 0),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    address     text NOT NULL CHECK (address <> ''),
    campaign_id uuid,
    CONSTRAINT suppressions_once UNIQUE (dealer_id, address)
);
