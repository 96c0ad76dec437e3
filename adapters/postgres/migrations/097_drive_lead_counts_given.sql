-- Issue 16 item 5: a test drive's copy of its lead's sale counts (073) was set by a BEFORE trigger on every
-- insert: a PL/pgSQL call and a query of its own for each booking — about a third of the drive's INSERT on this
-- machine (EXPLAIN ANALYZE of 1,868 inserts: 53–97 µs per row in the trigger), and most drives' leads have no sale.
-- The store's INSERT now gives the counts itself, read from the lead in the same statement (a join the plan
-- makes anyway), so the trigger runs only for an insert that does not give them: the columns default to -1,
-- which no count is, and the insert trigger fires only WHEN a count is negative. A drive moved to another lead
-- keeps the update trigger, now with a WHEN condition too (no call when the lead did not change). What the copies
-- hold is unchanged; analytics/CopiesFollowEdits compares them with a join after random edits.
ALTER TABLE test_drives ALTER COLUMN lead_sales_count SET DEFAULT -1,
    ALTER COLUMN lead_won_count SET DEFAULT -1;
DROP TRIGGER test_drives_lead_counts ON test_drives;
CREATE TRIGGER test_drives_lead_counts BEFORE INSERT ON test_drives
    FOR EACH ROW WHEN (NEW.lead_sales_count < 0 OR NEW.lead_won_count < 0)
    EXECUTE FUNCTION test_drives_lead_counts();
CREATE TRIGGER test_drives_lead_counts_moved BEFORE UPDATE OF lead_id, dealer_id ON test_drives
    FOR EACH ROW WHEN (NEW.lead_id IS DISTINCT FROM OLD.lead_id OR NEW.dealer_id <> OLD.dealer_id)
    EXECUTE FUNCTION test_drives_lead_counts();
