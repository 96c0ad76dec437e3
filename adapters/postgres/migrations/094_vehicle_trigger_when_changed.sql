-- Issue 16 item 5: the trigger that copies a vehicle's make and model to its sales (073) ran its PL/pgSQL
-- function on every write of the vehicle row: the store's UPDATE sets every column, so "UPDATE OF make, model"
-- fired on each booking's hold, each status change and each edit, only for the function to find nothing changed.
-- The update trigger now fires only when the make or model did change (a WHEN condition is evaluated without
-- calling the function); inserts and deletes keep theirs. What the trigger writes is unchanged.
DROP TRIGGER vehicles_analytics_keys ON vehicles;
CREATE TRIGGER vehicles_analytics_keys AFTER INSERT OR DELETE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION vehicles_analytics_keys();
CREATE TRIGGER vehicles_analytics_keys_changed AFTER UPDATE OF make, model ON vehicles
    FOR EACH ROW WHEN (OLD.make IS DISTINCT FROM NEW.make OR OLD.model IS DISTINCT FROM NEW.model)
    EXECUTE FUNCTION vehicles_analytics_keys();
