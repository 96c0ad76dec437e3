-- Issue 13: the sales analysis, computed where the data is.
--
-- sale_stage_stays holds the stays of every sale in its stages, read from the sale's stage history (the jsonb
-- sales.history, which stays the record): a stay begins with an entry into a stage and ends with the entry into
-- another; skipped entries and probability changes (an entry into the stage the sale already stays in) neither
-- begin nor end one (analytics.StaysOf is the same rule in Go). A trigger keeps the table in step with every
-- insert and every update of the history, which only ever grows; the migration fills it for the sales there are.

CREATE TABLE sale_stage_stays (
    sale_id    uuid NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
    seq        integer NOT NULL, -- the position in the history of the entry that began the stay (1-based)
    dealer_id  uuid NOT NULL,
    stage_id   uuid NOT NULL,
    entered_at timestamptz NOT NULL,
    left_at    timestamptz,
    micros     bigint, -- left_at − entered_at in microseconds, once the stay has ended
    PRIMARY KEY (dealer_id, sale_id, seq),
    CONSTRAINT sale_stage_stays_ended CHECK ((left_at IS NULL) = (micros IS NULL))
);
-- Stays by the time they ended: the time-in-stage report sums them per stage with an index-only scan.
CREATE INDEX sale_stage_stays_by_end ON sale_stage_stays (dealer_id, left_at) INCLUDE (stage_id, micros)
    WHERE left_at IS NOT NULL;

CREATE FUNCTION sale_stage_stays_sync(p_sale uuid, p_dealer uuid, p_history jsonb, p_from integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    e record;
    cur_stage uuid;
    cur_seq integer;
BEGIN
    SELECT stage_id, seq INTO cur_stage, cur_seq FROM sale_stage_stays WHERE dealer_id = p_dealer AND sale_id = p_sale AND left_at IS NULL;
    FOR e IN
        SELECT (x ->> 'to_stage_id')::uuid AS stage, (x ->> 'at')::timestamptz AS at,
               coalesce((x ->> 'skipped')::boolean, false) AS skipped, i::integer AS seq
        FROM jsonb_array_elements(p_history) WITH ORDINALITY AS t (x, i)
        WHERE i > p_from
        ORDER BY i
    LOOP
        IF e.skipped OR e.stage IS NOT DISTINCT FROM cur_stage THEN
            CONTINUE;
        END IF;
        IF cur_stage IS NOT NULL THEN
            UPDATE sale_stage_stays
            SET left_at = e.at,
                micros = ((extract(epoch FROM e.at) - extract(epoch FROM entered_at)) * 1000000)::bigint
            WHERE dealer_id = p_dealer AND sale_id = p_sale AND seq = cur_seq;
        END IF;
        INSERT INTO sale_stage_stays (sale_id, seq, dealer_id, stage_id, entered_at)
        VALUES (p_sale, e.seq, p_dealer, e.stage, e.at);
        cur_stage := e.stage;
        cur_seq := e.seq;
    END LOOP;
END
$$;

CREATE FUNCTION sale_stage_stays_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM sale_stage_stays_sync(NEW.id, NEW.dealer_id, NEW.history, 0);
    ELSIF NEW.history IS DISTINCT FROM OLD.history THEN
        PERFORM sale_stage_stays_sync(NEW.id, NEW.dealer_id, NEW.history, jsonb_array_length(OLD.history));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER sales_stage_stays AFTER INSERT OR UPDATE OF history ON sales
    FOR EACH ROW EXECUTE FUNCTION sale_stage_stays_trigger();

SELECT sale_stage_stays_sync(id, dealer_id, history, 0) FROM sales;

-- The funnel: open sales by the time they were created, with what it sums.
CREATE INDEX sales_open_by_created ON sales (dealer_id, created_at) INCLUDE (stage_id, amount, currency)
    WHERE status = 'open';
-- Conversion: the leads of a period, with what they are grouped by.
CREATE INDEX leads_by_created ON leads (dealer_id, created_at) INCLUDE (owner_id, source, need_type);
-- Conversion and test drives: a lead's sales with their status.
CREATE INDEX sales_by_lead_status ON sales (lead_id, status) INCLUDE (dealer_id) WHERE lead_id IS NOT NULL;
-- Test-drive conversion: completed drives by start.
CREATE INDEX test_drives_completed_by_start ON test_drives (dealer_id, start_at) INCLUDE (lead_id)
    WHERE status = 'completed';
