-- Issue 13 item 3: the sales analysis at 1,000,000 sales. The reports that read a lead's sales (conversion, the
-- test-drive part of the summary) or a won sale's lead, vehicle or order (results by source, need type and model,
-- the summary) probed another table once per row: ~83,000 probes a quarter. Here each row carries what the
-- reports read of the others, kept by triggers in the transaction that writes it, so the copies always equal
-- what a join would read:
--
-- * leads.sales_count, leads.won_count: how many sales name the lead (sales.lead_id, same dealer), and how many
--   of them are won; kept by sales_lead_counts on every insert, delete and change of a sale's lead or status
--   (increments, so two sales of one lead written at once both count), and counted afresh for a lead inserted
--   after its sales. leads.interest_key is the model key of the lead's interest ("make|model", as stored).
-- * sales.lead_source, lead_need_type, vehicle_make, vehicle_model: the source and need type of the sale's lead
--   and the make and model of its vehicle ('' without one, as the LEFT JOIN's coalesce); set when a sale is
--   written with another lead or vehicle, and rewritten when the lead or the vehicle changes, appears or goes.
--   A write unit of work reads the records it changes FOR UPDATE (Tx.lock) and the services read the lead and
--   the vehicle they attach to a sale, so an edit of the lead or the car and the sale naming it are ordered.
-- * orders.discount: Σ its lines' discount, kept by order_lines_discount (increments); and on the sale the currency,
--   gross and discount of its order (sales.order_currency, '' without one), kept by orders_on_sale.
-- * test_drives.lead_sales_count, lead_won_count: the drive's lead's counts, kept by test_drives_lead_counts and
--   leads_drive_counts.
--
-- The reports then read only covering indexes: leads_analytics (conversion, lead response), sales_won_by_time
-- (results, summary, plans), test_drives_completed_by_start (the summary's test drives). The contract test
-- analytics/CopiesFollowEdits writes at random and compares every report with an independent computation.

ALTER TABLE leads
    ADD COLUMN sales_count  integer NOT NULL DEFAULT 0 CHECK (sales_count >= 0),
    ADD COLUMN won_count    integer NOT NULL DEFAULT 0 CHECK (won_count >= 0),
    ADD COLUMN interest_key text GENERATED ALWAYS AS
        (coalesce(doc -> 'interest' ->> 'make', '') || '|' || coalesce(doc -> 'interest' ->> 'model', '')) STORED;

ALTER TABLE sales
    ADD COLUMN lead_source    text NOT NULL DEFAULT '',
    ADD COLUMN lead_need_type text NOT NULL DEFAULT '',
    ADD COLUMN vehicle_make   text NOT NULL DEFAULT '',
    ADD COLUMN vehicle_model  text NOT NULL DEFAULT '';

ALTER TABLE sales
    ADD COLUMN order_currency text NOT NULL DEFAULT '',
    ADD COLUMN order_gross    numeric NOT NULL DEFAULT 0,
    ADD COLUMN order_discount numeric NOT NULL DEFAULT 0;

ALTER TABLE orders ADD COLUMN discount numeric NOT NULL DEFAULT 0;

ALTER TABLE test_drives
    ADD COLUMN lead_sales_count integer NOT NULL DEFAULT 0,
    ADD COLUMN lead_won_count   integer NOT NULL DEFAULT 0;

-- The counts of the sales naming a lead.
CREATE FUNCTION sales_lead_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    moved boolean := TG_OP = 'UPDATE' AND (OLD.lead_id IS DISTINCT FROM NEW.lead_id OR OLD.dealer_id <> NEW.dealer_id
        OR (OLD.status = 'won') <> (NEW.status = 'won'));
BEGIN
    IF (TG_OP = 'DELETE' OR moved) AND OLD.lead_id IS NOT NULL THEN
        UPDATE leads SET sales_count = sales_count - 1, won_count = won_count - (OLD.status = 'won')::integer
        WHERE id = OLD.lead_id AND dealer_id = OLD.dealer_id;
    END IF;
    IF (TG_OP = 'INSERT' OR moved) AND NEW.lead_id IS NOT NULL THEN
        UPDATE leads SET sales_count = sales_count + 1, won_count = won_count + (NEW.status = 'won')::integer
        WHERE id = NEW.lead_id AND dealer_id = NEW.dealer_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sales_lead_counts AFTER INSERT OR DELETE OR UPDATE OF lead_id, status, dealer_id ON sales
    FOR EACH ROW EXECUTE FUNCTION sales_lead_counts();

-- A lead inserted after the sales that name it (an import) starts with their counts.
CREATE FUNCTION leads_initial_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT count(*), count(*) FILTER (WHERE status = 'won') INTO NEW.sales_count, NEW.won_count
    FROM sales WHERE dealer_id = NEW.dealer_id AND lead_id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_initial_counts BEFORE INSERT ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_initial_counts();

-- A sale's copies of its lead's and its vehicle's keys, when it is written with another lead or vehicle.
CREATE FUNCTION sales_analytics_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.lead_id IS DISTINCT FROM OLD.lead_id OR NEW.dealer_id <> OLD.dealer_id THEN
        SELECT coalesce(max(source), ''), coalesce(max(need_type), '') INTO NEW.lead_source, NEW.lead_need_type
        FROM leads WHERE id = NEW.lead_id AND dealer_id = NEW.dealer_id;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.vehicle_id IS DISTINCT FROM OLD.vehicle_id OR NEW.dealer_id <> OLD.dealer_id THEN
        SELECT coalesce(max(make), ''), coalesce(max(model), '') INTO NEW.vehicle_make, NEW.vehicle_model
        FROM vehicles WHERE id = NEW.vehicle_id AND dealer_id = NEW.dealer_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER sales_analytics_keys BEFORE INSERT OR UPDATE OF lead_id, vehicle_id, dealer_id ON sales
    FOR EACH ROW EXECUTE FUNCTION sales_analytics_keys();

-- A lead's source and need type, copied to the sales naming it when it appears, changes or goes.
CREATE FUNCTION leads_analytics_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE sales SET lead_source = '', lead_need_type = '' WHERE dealer_id = OLD.dealer_id AND lead_id = OLD.id;
    ELSIF TG_OP = 'INSERT' OR NEW.source IS DISTINCT FROM OLD.source OR NEW.need_type IS DISTINCT FROM OLD.need_type THEN
        UPDATE sales SET lead_source = coalesce(NEW.source, ''), lead_need_type = coalesce(NEW.need_type, '')
        WHERE dealer_id = NEW.dealer_id AND lead_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER leads_analytics_keys AFTER INSERT OR DELETE OR UPDATE OF source, need_type ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_analytics_keys();

-- A vehicle's make and model, copied to the sales naming it when it appears, changes or goes.
CREATE FUNCTION vehicles_analytics_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE sales SET vehicle_make = '', vehicle_model = '' WHERE dealer_id = OLD.dealer_id AND vehicle_id = OLD.id;
    ELSIF TG_OP = 'INSERT' OR NEW.make IS DISTINCT FROM OLD.make OR NEW.model IS DISTINCT FROM OLD.model THEN
        UPDATE sales SET vehicle_make = coalesce(NEW.make, ''), vehicle_model = coalesce(NEW.model, '')
        WHERE dealer_id = NEW.dealer_id AND vehicle_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER vehicles_analytics_keys AFTER INSERT OR DELETE OR UPDATE OF make, model ON vehicles
    FOR EACH ROW EXECUTE FUNCTION vehicles_analytics_keys();

-- An order's total discount: Σ its lines'.
CREATE FUNCTION order_lines_discount() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE orders SET discount = discount - OLD.discount WHERE id = OLD.order_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE orders SET discount = discount + NEW.discount WHERE id = NEW.order_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER order_lines_discount AFTER INSERT OR DELETE OR UPDATE OF discount, order_id ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_discount();

-- A sale's copy of its order's currency, gross and discount (one order per sale: orders_one_per_sale).
CREATE FUNCTION orders_on_sale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.sale_id IS DISTINCT FROM NEW.sale_id) THEN
        UPDATE sales SET order_currency = '', order_gross = 0, order_discount = 0
        WHERE id = OLD.sale_id AND dealer_id = OLD.dealer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE sales SET order_currency = NEW.currency, order_gross = NEW.gross, order_discount = NEW.discount
        WHERE id = NEW.sale_id AND dealer_id = NEW.dealer_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER orders_on_sale AFTER INSERT OR DELETE OR UPDATE OF sale_id, currency, gross, discount ON orders
    FOR EACH ROW EXECUTE FUNCTION orders_on_sale();

-- A drive's copy of its lead's sale counts: when the drive is written with another lead, and when the lead's
-- counts change or the lead appears or goes.
CREATE FUNCTION test_drives_lead_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.lead_id IS DISTINCT FROM OLD.lead_id OR NEW.dealer_id <> OLD.dealer_id THEN
        SELECT coalesce(max(sales_count), 0), coalesce(max(won_count), 0) INTO NEW.lead_sales_count, NEW.lead_won_count
        FROM leads WHERE id = NEW.lead_id AND dealer_id = NEW.dealer_id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER test_drives_lead_counts BEFORE INSERT OR UPDATE OF lead_id, dealer_id ON test_drives
    FOR EACH ROW EXECUTE FUNCTION test_drives_lead_counts();

CREATE FUNCTION leads_drive_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE test_drives SET lead_sales_count = 0, lead_won_count = 0 WHERE dealer_id = OLD.dealer_id AND lead_id = OLD.id;
    ELSIF TG_OP = 'INSERT' OR NEW.sales_count <> OLD.sales_count OR NEW.won_count <> OLD.won_count THEN
        UPDATE test_drives SET lead_sales_count = NEW.sales_count, lead_won_count = NEW.won_count
        WHERE dealer_id = NEW.dealer_id AND lead_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER leads_drive_counts AFTER INSERT OR DELETE OR UPDATE OF sales_count, won_count ON leads
    FOR EACH ROW EXECUTE FUNCTION leads_drive_counts();

-- The copies of the records there are.
UPDATE leads l SET sales_count = c.n, won_count = c.w
FROM (SELECT dealer_id, lead_id, count(*) AS n, count(*) FILTER (WHERE status = 'won') AS w
      FROM sales WHERE lead_id IS NOT NULL GROUP BY 1, 2) c
WHERE l.id = c.lead_id AND l.dealer_id = c.dealer_id;
UPDATE sales s SET lead_source = coalesce(l.source, ''), lead_need_type = coalesce(l.need_type, '')
FROM leads l WHERE l.id = s.lead_id AND l.dealer_id = s.dealer_id;
UPDATE sales s SET vehicle_make = coalesce(v.make, ''), vehicle_model = coalesce(v.model, '')
FROM vehicles v WHERE v.id = s.vehicle_id AND v.dealer_id = s.dealer_id;
UPDATE orders o SET discount = c.d
FROM (SELECT order_id, sum(discount) AS d FROM order_lines GROUP BY 1) c WHERE o.id = c.order_id;
UPDATE sales s SET order_currency = o.currency, order_gross = o.gross, order_discount = o.discount
FROM orders o WHERE o.sale_id = s.id AND o.dealer_id = s.dealer_id;
UPDATE test_drives d SET lead_sales_count = l.sales_count, lead_won_count = l.won_count
FROM leads l WHERE l.id = d.lead_id AND l.dealer_id = d.dealer_id AND l.sales_count > 0;

-- Conversion and lead response: the period's leads with everything they are grouped and counted by.
DROP INDEX leads_by_created;
CREATE INDEX leads_analytics ON leads (dealer_id, created_at)
    INCLUDE (owner_id, source, need_type, interest_key, sales_count, won_count, first_response_at, response_due_at, response_minutes);
-- Results, summary and plan progress: won sales by the instant they were won, with their keys and figures.
DROP INDEX sales_won_by_time;
CREATE INDEX sales_won_by_time ON sales (dealer_id, won_at)
    INCLUDE (owner_id, amount, currency, vehicle_id, lead_id, lead_source, lead_need_type, vehicle_make, vehicle_model,
             credit_application_id, trade_in_appraisal_id, order_currency, order_gross, order_discount)
    WHERE status = 'won';
-- The summary's test drives: completed drives by start, with their lead's counts.
DROP INDEX test_drives_completed_by_start;
CREATE INDEX test_drives_completed_by_start ON test_drives (dealer_id, start_at)
    INCLUDE (lead_id, lead_sales_count, lead_won_count)
    WHERE status = 'completed';
