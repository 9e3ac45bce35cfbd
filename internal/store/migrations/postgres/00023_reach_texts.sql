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

-- SQLite's instr(haystack, needle), so that one query text tests a
-- name for a term on both databases; a plain SQL function, inlined by
-- the planner.
-- +goose StatementBegin
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos(haystack, needle) $$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION instr(text, text);
ALTER TABLE person_reach DROP COLUMN initials;
ALTER TABLE person_reach DROP COLUMN pinyin;
ALTER TABLE person_reach DROP COLUMN name;
