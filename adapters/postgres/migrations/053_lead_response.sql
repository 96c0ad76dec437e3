-- Lead response time (issue 14 item 4): each dealer's target for the first contact with a new lead, counted in its
-- sales hours (working days and a daily window in its time zone); on each lead the instant it is due, when the first
-- contact happened and the working minutes it took, and when the breach was told (once). The overdue list and the
-- sweep read the partial index of the uncontacted open leads by due time.

CREATE TABLE lead_response_policies (
    id             uuid PRIMARY KEY,
    dealer_id      uuid NOT NULL REFERENCES dealers (id),
    version        bigint NOT NULL CHECK (version > 0),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    target_minutes integer NOT NULL CHECK (target_minutes > 0),
    workday_start  integer NOT NULL CHECK (workday_start >= 0 AND workday_start < 1440),
    workday_end    integer NOT NULL CHECK (workday_end > workday_start AND workday_end <= 1440),
    weekdays       integer[] NOT NULL,
    time_zone      text NOT NULL,
    CONSTRAINT lead_response_policies_one_per_dealer CHECK (id = dealer_id)
);

ALTER TABLE leads
    ADD COLUMN response_due_at      timestamptz,
    ADD COLUMN first_response_at    timestamptz,
    ADD COLUMN response_minutes     integer NOT NULL DEFAULT 0 CHECK (response_minutes >= 0),
    ADD COLUMN response_notified_at timestamptz;
CREATE INDEX leads_response_overdue ON leads (dealer_id, response_due_at, id)
    WHERE first_response_at IS NULL AND stage IN ('new', 'in_work', 'qualified');
