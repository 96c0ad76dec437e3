-- Activities (Дела): the calls, meetings, e-mails, tasks and notes of the dealer's users. Owned by the activities
-- domain. The links (lead, sale, customer, customer vehicle) are checked by the service when an activity is made or
-- changed; at least one is set. Lists are newest first, by owner, by status and by each link.

CREATE TABLE activities (
    id                  uuid PRIMARY KEY,
    dealer_id           uuid NOT NULL REFERENCES dealers (id),
    version             bigint NOT NULL CHECK (version > 0),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('call', 'meeting', 'email', 'task', 'note')),
    subject             text NOT NULL CHECK (subject <> '' AND char_length(subject) <= 200),
    notes               text NOT NULL DEFAULT '' CHECK (char_length(notes) <= 4000),
    lead_id             uuid,
    sale_id             uuid,
    customer_id         uuid,
    customer_vehicle_id uuid,
    owner_id            uuid NOT NULL,
    due_at              timestamptz,
    status              text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    result              text NOT NULL DEFAULT '' CHECK (char_length(result) <= 4000),
    outcome             text NOT NULL DEFAULT '' CHECK (outcome IN ('', 'reached', 'no_answer', 'busy', 'wrong_number', 'callback')),
    completed_at        timestamptz,
    completed_by        uuid,
    created_by          uuid,
    CONSTRAINT activities_linked CHECK (num_nonnulls(lead_id, sale_id, customer_id, customer_vehicle_id) > 0),
    CONSTRAINT activities_done CHECK ((status = 'done') = (completed_at IS NOT NULL)),
    CONSTRAINT activities_outcome CHECK (outcome = '' OR (kind = 'call' AND status = 'done')),
    CONSTRAINT activities_dealer_id UNIQUE (dealer_id, id)
);
CREATE INDEX activities_list ON activities (dealer_id, created_at DESC, id DESC);
CREATE INDEX activities_by_owner ON activities (dealer_id, owner_id, status, created_at DESC, id DESC);
CREATE INDEX activities_overdue ON activities (dealer_id, owner_id, due_at) WHERE status = 'open';
CREATE INDEX activities_by_lead ON activities (dealer_id, lead_id, created_at DESC, id DESC) WHERE lead_id IS NOT NULL;
CREATE INDEX activities_by_sale ON activities (dealer_id, sale_id, created_at DESC, id DESC) WHERE sale_id IS NOT NULL;
CREATE INDEX activities_by_customer ON activities (dealer_id, customer_id, created_at DESC, id DESC) WHERE customer_id IS NOT NULL;
