-- +goose Up
-- A reach row carries its person's name, pinyin and initials, so that a
-- text search that walks a scope's stretch of the pinyin order checks the
-- text on the row it walks instead of probing person_terms for every row
-- (a B-tree seek each: most of a committee's initials or surname search;
-- decision 0007, "session 9"). The texts are the persons' own, filled
-- here for the rows already indexed; store.syncPersons writes them from
-- now on.
ALTER TABLE person_reach ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE person_reach ADD COLUMN pinyin TEXT NOT NULL DEFAULT '';
ALTER TABLE person_reach ADD COLUMN initials TEXT NOT NULL DEFAULT '';
UPDATE person_reach SET name = p.name, pinyin = p.pinyin, initials = p.initials
    FROM persons p WHERE p.id = person_reach.person_id;

-- +goose Down
ALTER TABLE person_reach DROP COLUMN initials;
ALTER TABLE person_reach DROP COLUMN pinyin;
ALTER TABLE person_reach DROP COLUMN name;
