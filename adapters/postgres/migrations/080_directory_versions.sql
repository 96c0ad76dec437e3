-- Issue 16: a per-dealer version of the directories a process may cache (sales stages, need types, lead stages).
-- Every change to one of them, by any process or by hand, takes a fresh value of a sequence for its dealer:
-- sequence values are never handed out twice, even by a transaction that rolls back, so a version a reader saw
-- together with the directory's rows names those rows and no others.
CREATE SEQUENCE directory_version_seq;

CREATE TABLE directory_versions (
    dealer_id uuid PRIMARY KEY,
    version   bigint NOT NULL
);

CREATE FUNCTION bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_versions AS v (dealer_id, version)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.dealer_id ELSE NEW.dealer_id END, nextval('directory_version_seq'))
    ON CONFLICT (dealer_id) DO UPDATE SET version = EXCLUDED.version;
    IF TG_OP = 'UPDATE' AND OLD.dealer_id <> NEW.dealer_id THEN
        INSERT INTO directory_versions AS v (dealer_id, version) VALUES (OLD.dealer_id, nextval('directory_version_seq'))
        ON CONFLICT (dealer_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER sales_stages_directory_version AFTER INSERT OR UPDATE OR DELETE ON sales_stages
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER need_types_directory_version AFTER INSERT OR UPDATE OR DELETE ON need_types
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER lead_stages_directory_version AFTER INSERT OR UPDATE OR DELETE ON lead_stages
    FOR EACH ROW EXECUTE FUNCTION bump_directory_version();

INSERT INTO directory_versions (dealer_id, version)
SELECT dealer_id, nextval('directory_version_seq')
FROM (SELECT dealer_id FROM sales_stages UNION SELECT dealer_id FROM need_types UNION SELECT dealer_id FROM lead_stages) d;
