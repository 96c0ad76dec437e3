-- Issue 16 item 1: the makes join the directories a process may cache (dircache.go): every change to a dealer's
-- makes takes a fresh directory version (080), so winning a sale reads the makes from the cache.
CREATE TRIGGER makes_directory_version AFTER INSERT OR UPDATE OR DELETE ON makes
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();

INSERT INTO directory_versions (dealer_id, version)
SELECT dealer_id, nextval('directory_version_seq') FROM (SELECT DISTINCT dealer_id FROM makes) d
ON CONFLICT (dealer_id) DO UPDATE SET version = EXCLUDED.version;
