-- Issue 16 item 1: the dealers' lead response policies join the directories a process may cache (dircache.go):
-- every change to a dealer's policy takes a fresh directory version (080), so creating a lead reads the policy
-- from the cache (the need type's read brings the version).
CREATE TRIGGER lead_response_policies_directory_version AFTER INSERT OR UPDATE OR DELETE ON lead_response_policies
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();

INSERT INTO directory_versions (dealer_id, version)
SELECT dealer_id, nextval('directory_version_seq') FROM (SELECT DISTINCT dealer_id FROM lead_response_policies) d
ON CONFLICT (dealer_id) DO UPDATE SET version = EXCLUDED.version;
