-- +goose Up
-- People: one record for members and for workers who are not members.
-- ID numbers and phones are sealed (field encryption) with a keyed blind
-- index for exact lookup and a stored masked form for lists; the clear
-- value is never stored.
CREATE TABLE persons (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    pinyin           TEXT NOT NULL,
    initials         TEXT NOT NULL,
    sort_key         TEXT NOT NULL,
    gender           INTEGER NOT NULL DEFAULT 0,
    ethnicity        TEXT NOT NULL DEFAULT '',
    id_sealed        TEXT NOT NULL DEFAULT '',
    id_index         BLOB,
    id_masked        TEXT NOT NULL DEFAULT '',
    birth_on         TEXT,
    phone_sealed     TEXT NOT NULL DEFAULT '',
    phone_index      BLOB,
    phone_masked     TEXT NOT NULL DEFAULT '',
    education        TEXT NOT NULL DEFAULT '',
    hometown_code    TEXT NOT NULL DEFAULT '',
    hometown_village TEXT NOT NULL DEFAULT '',
    left_home_on     TEXT,
    city_code        TEXT NOT NULL DEFAULT '',
    district_code    TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    employer         TEXT NOT NULL DEFAULT '',
    employer_uscc    TEXT NOT NULL DEFAULT '',
    industry         TEXT NOT NULL DEFAULT '',
    occupation       TEXT NOT NULL DEFAULT '',
    origin_org_id    INTEGER NOT NULL REFERENCES orgs(id),
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX persons_id_index ON persons (id_index) WHERE id_index IS NOT NULL;
CREATE INDEX persons_phone_index ON persons (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX persons_sort ON persons (sort_key, id);
CREATE INDEX persons_pinyin ON persons (pinyin);
CREATE INDEX persons_initials ON persons (initials);
CREATE INDEX persons_origin ON persons (origin_org_id);
CREATE INDEX persons_city ON persons (city_code);

-- Membership of the members among them: the home organization holds the
-- formal relationship (组织关系); the mobile organization is where the
-- member takes part.
CREATE TABLE memberships (
    person_id        INTEGER PRIMARY KEY REFERENCES persons(id),
    status           TEXT NOT NULL CHECK (status IN ('applicant', 'activist', 'target', 'probationary', 'full')),
    joined_on        TEXT,
    full_on          TEXT,
    home_org_id      INTEGER NOT NULL REFERENCES orgs(id),
    mobile_org_id    INTEGER REFERENCES orgs(id),
    certificate_no   TEXT NOT NULL DEFAULT '',
    certificate_to   TEXT,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX memberships_home ON memberships (home_org_id, status);
CREATE INDEX memberships_mobile ON memberships (mobile_org_id, status);

CREATE TABLE person_events (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '{}',
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX person_events_person ON person_events (person_id, id);

-- +goose Down
DROP TABLE person_events;
DROP TABLE memberships;
DROP TABLE persons;
