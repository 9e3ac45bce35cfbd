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
--
-- Inserts and deletes mark people stale once per statement (transition
-- tables), so a bulk import pays one statement, not one call per row;
-- updates mark them per row, only when a column the derived tables use
-- changed.
CREATE TABLE person_reach (
    org_id     BIGINT NOT NULL,
    sort_key   TEXT COLLATE "C" NOT NULL,
    person_id  BIGINT NOT NULL,
    status     TEXT NOT NULL, -- the membership status, '' for a person who is not a member
    city_code  TEXT NOT NULL,
    PRIMARY KEY (org_id, sort_key, person_id)
);
CREATE INDEX person_reach_status ON person_reach (org_id, status, sort_key, person_id);
CREATE UNIQUE INDEX person_reach_person ON person_reach (person_id, org_id);

CREATE TABLE person_terms (
    term       TEXT COLLATE "C" NOT NULL,
    sort_key   TEXT COLLATE "C" NOT NULL,
    person_id  BIGINT NOT NULL,
    PRIMARY KEY (term, sort_key, person_id)
);
CREATE INDEX person_terms_person ON person_terms (person_id);

CREATE TABLE person_counts (
    org_id  BIGINT NOT NULL,
    status  TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (org_id, status)
);

CREATE TABLE person_city_counts (
    org_id     BIGINT NOT NULL,
    status     TEXT NOT NULL,
    city_code  TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (org_id, status, city_code)
);

CREATE TABLE person_term_counts (
    term  TEXT COLLATE "C" PRIMARY KEY,
    n     BIGINT NOT NULL
);

CREATE TABLE person_stale (
    person_id  BIGINT PRIMARY KEY
);

-- +goose StatementBegin
CREATE FUNCTION person_stale_new_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_stale (person_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION person_stale_old_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_stale (person_id) SELECT id FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION person_stale_new_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_stale (person_id) SELECT person_id FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION person_stale_old_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_stale (person_id) SELECT person_id FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION person_stale_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'persons' THEN
        INSERT INTO person_stale (person_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO person_stale (person_id) VALUES (OLD.person_id), (NEW.person_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION person_stale_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO person_stale (person_id)
        SELECT id FROM persons WHERE origin_org_id = NEW.id
        UNION SELECT person_id FROM memberships WHERE home_org_id = NEW.id
        UNION SELECT person_id FROM memberships WHERE mobile_org_id = NEW.id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER persons_stale_insert AFTER INSERT ON persons
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_stale_new_persons();
CREATE TRIGGER persons_stale_update AFTER UPDATE ON persons FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.pinyin IS DISTINCT FROM NEW.pinyin OR OLD.initials IS DISTINCT FROM NEW.initials
        OR OLD.sort_key IS DISTINCT FROM NEW.sort_key OR OLD.origin_org_id IS DISTINCT FROM NEW.origin_org_id
        OR OLD.city_code IS DISTINCT FROM NEW.city_code)
    EXECUTE FUNCTION person_stale_row();
CREATE TRIGGER persons_stale_delete AFTER DELETE ON persons
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_stale_old_persons();
CREATE TRIGGER memberships_stale_insert AFTER INSERT ON memberships
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_stale_new_memberships();
CREATE TRIGGER memberships_stale_update AFTER UPDATE ON memberships FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.home_org_id IS DISTINCT FROM NEW.home_org_id
        OR OLD.mobile_org_id IS DISTINCT FROM NEW.mobile_org_id OR OLD.person_id IS DISTINCT FROM NEW.person_id)
    EXECUTE FUNCTION person_stale_row();
CREATE TRIGGER memberships_stale_delete AFTER DELETE ON memberships
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_stale_old_memberships();
CREATE TRIGGER orgs_stale_path AFTER UPDATE OF path ON orgs FOR EACH ROW
    WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION person_stale_org();

-- Everyone already registered is indexed by the first write transaction
-- after this migration (store.Migrate runs one).
INSERT INTO person_stale (person_id) SELECT id FROM persons;

CREATE TABLE access_epoch (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO access_epoch (id, n) VALUES (1, 0);

-- +goose StatementBegin
CREATE FUNCTION access_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE access_epoch SET n = n + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER grants_epoch AFTER INSERT OR UPDATE OR DELETE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
CREATE TRIGGER accounts_epoch_update AFTER UPDATE OF name, display_name, password_changed_at, must_change_password,
    totp_enabled, totp_required, locale, disabled_at, person_id ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
CREATE TRIGGER accounts_epoch_delete AFTER DELETE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
CREATE TRIGGER orgs_epoch AFTER UPDATE OF path, status, side, parent_id OR DELETE ON orgs
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
CREATE TRIGGER agreements_epoch AFTER INSERT OR UPDATE OR DELETE ON agreements
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
CREATE TRIGGER agreement_orgs_epoch AFTER INSERT OR UPDATE OR DELETE ON agreement_orgs
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();

-- +goose Down
DROP TRIGGER agreement_orgs_epoch ON agreement_orgs;
DROP TRIGGER agreements_epoch ON agreements;
DROP TRIGGER orgs_epoch ON orgs;
DROP TRIGGER accounts_epoch_delete ON accounts;
DROP TRIGGER accounts_epoch_update ON accounts;
DROP TRIGGER grants_epoch ON grants;
DROP FUNCTION access_epoch_bump();
DROP TABLE access_epoch;
DROP TRIGGER orgs_stale_path ON orgs;
DROP TRIGGER memberships_stale_delete ON memberships;
DROP TRIGGER memberships_stale_update ON memberships;
DROP TRIGGER memberships_stale_insert ON memberships;
DROP TRIGGER persons_stale_delete ON persons;
DROP TRIGGER persons_stale_update ON persons;
DROP TRIGGER persons_stale_insert ON persons;
DROP FUNCTION person_stale_org();
DROP FUNCTION person_stale_row();
DROP FUNCTION person_stale_old_memberships();
DROP FUNCTION person_stale_new_memberships();
DROP FUNCTION person_stale_old_persons();
DROP FUNCTION person_stale_new_persons();
DROP TABLE person_stale;
DROP TABLE person_term_counts;
DROP TABLE person_city_counts;
DROP TABLE person_counts;
DROP TABLE person_terms;
DROP TABLE person_reach;
