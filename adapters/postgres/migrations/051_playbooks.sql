-- Stage playbooks (кейсы): per dealer, the steps of each lead stage and sales stage (one row per stage; the steps,
-- read whole, as a jsonb document). Owned by the playbooks domain. The activities a playbook creates name their
-- step (stage, key, whether it is required, the event that completes it), so that leaving a stage asks one
-- indexed question: is a required step of this stage still open for this lead or sale?

CREATE TABLE playbooks (
    id         uuid PRIMARY KEY,
    dealer_id  uuid NOT NULL REFERENCES dealers (id),
    version    bigint NOT NULL CHECK (version > 0),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    stage_id   uuid NOT NULL,
    subject    text NOT NULL CHECK (subject IN ('lead', 'sale')),
    stage_code text NOT NULL,
    steps      jsonb NOT NULL DEFAULT '[]',
    CONSTRAINT playbooks_stage_unique UNIQUE (dealer_id, stage_id)
);

ALTER TABLE activities
    ADD COLUMN step_stage_id    uuid,
    ADD COLUMN step_key         text NOT NULL DEFAULT '',
    ADD COLUMN step_required    boolean NOT NULL DEFAULT false,
    ADD COLUMN step_completes_on text NOT NULL DEFAULT '',
    ADD CONSTRAINT activities_step CHECK ((step_stage_id IS NULL) = (step_key = ''));
CREATE INDEX activities_open_steps_by_lead ON activities (dealer_id, lead_id) WHERE status = 'open' AND step_stage_id IS NOT NULL;
CREATE INDEX activities_open_steps_by_sale ON activities (dealer_id, sale_id) WHERE status = 'open' AND step_stage_id IS NOT NULL;
