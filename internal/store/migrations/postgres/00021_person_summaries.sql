-- +goose Up
-- A list of people reads each row's list fields from one narrow row
-- (store/person_summary.go, decision 0007 "session 6") instead of seeking
-- into persons and memberships, whose wide rows spread a page of 50 over
-- a hundred pages of the file. The rows are part of the people index:
-- written by syncPersons for the people marked stale, so the update
-- trigger now also marks a person whose list fields change.
-- The texts a search checks on the rows it walks (a name longer than its
-- term, a long pinyin, an employer, an industry) are columns of their own,
-- so those checks read this row too instead of the wide persons row.
CREATE TABLE person_summaries (
    person_id BIGINT PRIMARY KEY,
    name      TEXT NOT NULL,
    pinyin    TEXT NOT NULL,
    initials  TEXT NOT NULL,
    employer  TEXT NOT NULL,
    industry  TEXT NOT NULL,
    summary   TEXT NOT NULL
);
DROP TRIGGER persons_stale_update ON persons;
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.pinyin IS DISTINCT FROM NEW.pinyin OR OLD.initials IS DISTINCT FROM NEW.initials
        OR OLD.sort_key IS DISTINCT FROM NEW.sort_key OR OLD.origin_org_id IS DISTINCT FROM NEW.origin_org_id
        OR OLD.city_code IS DISTINCT FROM NEW.city_code OR OLD.gender IS DISTINCT FROM NEW.gender
        OR OLD.id_masked IS DISTINCT FROM NEW.id_masked OR OLD.phone_masked IS DISTINCT FROM NEW.phone_masked
        OR OLD.district_code IS DISTINCT FROM NEW.district_code OR OLD.employer IS DISTINCT FROM NEW.employer
        OR OLD.industry IS DISTINCT FROM NEW.industry OR OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION person_stale_row();
-- Everyone is summarised by the first write transaction after this
-- migration (store.Migrate runs one).
INSERT INTO person_stale (person_id) SELECT id FROM persons ON CONFLICT DO NOTHING;

-- +goose Down
DROP TRIGGER persons_stale_update ON persons;
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.pinyin IS DISTINCT FROM NEW.pinyin OR OLD.initials IS DISTINCT FROM NEW.initials
        OR OLD.sort_key IS DISTINCT FROM NEW.sort_key OR OLD.origin_org_id IS DISTINCT FROM NEW.origin_org_id
        OR OLD.city_code IS DISTINCT FROM NEW.city_code)
    EXECUTE FUNCTION person_stale_row();
DROP TABLE person_summaries;
