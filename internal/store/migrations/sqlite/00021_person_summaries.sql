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
    person_id INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    pinyin    TEXT NOT NULL,
    initials  TEXT NOT NULL,
    employer  TEXT NOT NULL,
    industry  TEXT NOT NULL,
    summary   TEXT NOT NULL
);
DROP TRIGGER persons_stale_update;
-- +goose StatementBegin
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons
WHEN OLD.name IS NOT NEW.name OR OLD.pinyin IS NOT NEW.pinyin OR OLD.initials IS NOT NEW.initials
    OR OLD.sort_key IS NOT NEW.sort_key OR OLD.origin_org_id IS NOT NEW.origin_org_id OR OLD.city_code IS NOT NEW.city_code
    OR OLD.gender IS NOT NEW.gender OR OLD.id_masked IS NOT NEW.id_masked OR OLD.phone_masked IS NOT NEW.phone_masked
    OR OLD.district_code IS NOT NEW.district_code OR OLD.employer IS NOT NEW.employer OR OLD.industry IS NOT NEW.industry
    OR OLD.version IS NOT NEW.version
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.id); END;
-- +goose StatementEnd
-- Everyone is summarised by the first write transaction after this
-- migration (store.Migrate runs one).
INSERT OR IGNORE INTO person_stale (person_id) SELECT id FROM persons;

-- +goose Down
DROP TRIGGER persons_stale_update;
-- +goose StatementBegin
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons
WHEN OLD.name IS NOT NEW.name OR OLD.pinyin IS NOT NEW.pinyin OR OLD.initials IS NOT NEW.initials
    OR OLD.sort_key IS NOT NEW.sort_key OR OLD.origin_org_id IS NOT NEW.origin_org_id OR OLD.city_code IS NOT NEW.city_code
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.id); END;
-- +goose StatementEnd
DROP TABLE person_summaries;
