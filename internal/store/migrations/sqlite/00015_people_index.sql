-- +goose Up
-- People queries that stay fast at a million persons (issue #4,
-- benchmarks; decision 0007). Three derived tables, rebuilt for the people
-- a transaction touched just before it commits (store.syncPersons), from
-- the persons that triggers mark stale:
--
--   person_reach  one row per person and per organization whose subtree
--                 holds the person (the origin, home and mobile
--                 organizations and every ancestor of them, once each), in
--                 pinyin order: a scope or an organization filter is one
--                 index range, already sorted;
--   person_terms  the search terms of a person, in pinyin order: every
--                 character and every pair of adjacent characters of the
--                 name (so one- and two-character searches use the index
--                 too), and ":" + the first 2 to 4 letters of the pinyin
--                 and of the initials;
--   person_counts, person_city_counts
--                 how many people each organization's subtree holds, by
--                 membership status (and city): totals and counts without
--                 counting rows; organization 0 stands for everyone;
--   person_term_counts
--                 how many people have each term, so that a search walks
--                 the smaller of a term's people and a scope's.
--
-- access_epoch counts changes to what an account may reach (grants,
-- accounts, organizations' paths and status, agreements and their
-- parties); the server's cache of resolved actors is valid only for the
-- epoch it was read at.
CREATE TABLE person_reach (
    org_id     INTEGER NOT NULL,
    sort_key   TEXT NOT NULL,
    person_id  INTEGER NOT NULL,
    status     TEXT NOT NULL, -- the membership status, '' for a person who is not a member
    city_code  TEXT NOT NULL,
    PRIMARY KEY (org_id, sort_key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_reach_status ON person_reach (org_id, status, sort_key, person_id);
CREATE UNIQUE INDEX person_reach_person ON person_reach (person_id, org_id);

CREATE TABLE person_terms (
    term       TEXT NOT NULL,
    sort_key   TEXT NOT NULL,
    person_id  INTEGER NOT NULL,
    PRIMARY KEY (term, sort_key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_terms_person ON person_terms (person_id);

CREATE TABLE person_counts (
    org_id  INTEGER NOT NULL,
    status  TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (org_id, status)
);

CREATE TABLE person_city_counts (
    org_id     INTEGER NOT NULL,
    status     TEXT NOT NULL,
    city_code  TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (org_id, status, city_code)
);

CREATE TABLE person_term_counts (
    term  TEXT PRIMARY KEY,
    n     BIGINT NOT NULL
);

CREATE TABLE person_stale (
    person_id  INTEGER PRIMARY KEY
);

-- +goose StatementBegin
CREATE TRIGGER persons_stale_insert AFTER INSERT ON persons
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons
WHEN OLD.name IS NOT NEW.name OR OLD.pinyin IS NOT NEW.pinyin OR OLD.initials IS NOT NEW.initials
    OR OLD.sort_key IS NOT NEW.sort_key OR OLD.origin_org_id IS NOT NEW.origin_org_id OR OLD.city_code IS NOT NEW.city_code
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER persons_stale_delete AFTER DELETE ON persons
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (OLD.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_stale_insert AFTER INSERT ON memberships
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.person_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_stale_update AFTER UPDATE ON memberships
WHEN OLD.status IS NOT NEW.status OR OLD.home_org_id IS NOT NEW.home_org_id OR OLD.mobile_org_id IS NOT NEW.mobile_org_id
    OR OLD.person_id IS NOT NEW.person_id
BEGIN
    INSERT OR IGNORE INTO person_stale (person_id) VALUES (OLD.person_id);
    INSERT OR IGNORE INTO person_stale (person_id) VALUES (NEW.person_id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_stale_delete AFTER DELETE ON memberships
BEGIN INSERT OR IGNORE INTO person_stale (person_id) VALUES (OLD.person_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orgs_stale_path AFTER UPDATE OF path ON orgs WHEN OLD.path IS NOT NEW.path
BEGIN
    INSERT OR IGNORE INTO person_stale (person_id) SELECT id FROM persons WHERE origin_org_id = NEW.id;
    INSERT OR IGNORE INTO person_stale (person_id) SELECT person_id FROM memberships WHERE home_org_id = NEW.id;
    INSERT OR IGNORE INTO person_stale (person_id) SELECT person_id FROM memberships WHERE mobile_org_id = NEW.id;
END;
-- +goose StatementEnd

-- Everyone already registered is indexed by the first write transaction
-- after this migration (store.Migrate runs one).
INSERT INTO person_stale (person_id) SELECT id FROM persons;

CREATE TABLE access_epoch (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO access_epoch (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE TRIGGER grants_epoch_insert AFTER INSERT ON grants BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER grants_epoch_update AFTER UPDATE ON grants BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER grants_epoch_delete AFTER DELETE ON grants BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_epoch_update AFTER UPDATE OF name, display_name, password_changed_at, must_change_password,
    totp_enabled, totp_required, locale, disabled_at, person_id ON accounts
BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_epoch_delete AFTER DELETE ON accounts BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orgs_epoch_update AFTER UPDATE OF path, status, side, parent_id ON orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orgs_epoch_delete AFTER DELETE ON orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreements_epoch_insert AFTER INSERT ON agreements BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreements_epoch_update AFTER UPDATE ON agreements BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreements_epoch_delete AFTER DELETE ON agreements BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreement_orgs_epoch_insert AFTER INSERT ON agreement_orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreement_orgs_epoch_update AFTER UPDATE ON agreement_orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER agreement_orgs_epoch_delete AFTER DELETE ON agreement_orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER agreement_orgs_epoch_delete;
DROP TRIGGER agreement_orgs_epoch_update;
DROP TRIGGER agreement_orgs_epoch_insert;
DROP TRIGGER agreements_epoch_delete;
DROP TRIGGER agreements_epoch_update;
DROP TRIGGER agreements_epoch_insert;
DROP TRIGGER orgs_epoch_delete;
DROP TRIGGER orgs_epoch_update;
DROP TRIGGER accounts_epoch_delete;
DROP TRIGGER accounts_epoch_update;
DROP TRIGGER grants_epoch_delete;
DROP TRIGGER grants_epoch_update;
DROP TRIGGER grants_epoch_insert;
DROP TABLE access_epoch;
DROP TRIGGER orgs_stale_path;
DROP TRIGGER memberships_stale_delete;
DROP TRIGGER memberships_stale_update;
DROP TRIGGER memberships_stale_insert;
DROP TRIGGER persons_stale_delete;
DROP TRIGGER persons_stale_update;
DROP TRIGGER persons_stale_insert;
DROP TABLE person_stale;
DROP TABLE person_term_counts;
DROP TABLE person_city_counts;
DROP TABLE person_counts;
DROP TABLE person_terms;
DROP TABLE person_reach;
