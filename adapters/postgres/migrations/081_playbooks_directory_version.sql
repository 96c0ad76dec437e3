-- Issue 16 item 1: the stage playbooks join the directories a process may cache (dircache.go): every change to a
-- dealer's playbooks takes a fresh directory version, as a change to its stages does (080).
CREATE TRIGGER playbooks_directory_version AFTER INSERT OR UPDATE OR DELETE ON playbooks
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();

INSERT INTO directory_versions (dealer_id, version)
SELECT dealer_id, nextval('directory_version_seq') FROM (SELECT DISTINCT dealer_id FROM playbooks) d
ON CONFLICT (dealer_id) DO UPDATE SET version = EXCLUDED.version;
