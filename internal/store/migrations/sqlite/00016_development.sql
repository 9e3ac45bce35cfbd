-- +goose Up
-- Member development (发展党员, party-rules.md §4; decision 0014): one
-- case per person on the way into the Party, its 25 steps as recorded,
-- the mentors and introducers named, the host side's inspections and
-- written opinions, and the documents attached to the steps.

-- A case: its organizations (home: the one holding the relationship and
-- approving; mobile: where the person takes part, cultivated by the host
-- side), where it stands, and the dates the lists and reports read.
-- At most one open case per person.
CREATE TABLE dev_cases (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    home_org_id    INTEGER NOT NULL REFERENCES orgs(id),
    mobile_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    state          TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled', 'closed')),
    step           INTEGER NOT NULL DEFAULT 0,
    stage          INTEGER NOT NULL DEFAULT 1 CHECK (stage BETWEEN 1 AND 5),
    applied_on     TEXT NOT NULL,
    activist_on    TEXT,
    target_on      TEXT,
    admitted_on    TEXT,
    approved_on    TEXT,
    probation_end  TEXT,
    full_on        TEXT,
    extension      INTEGER NOT NULL DEFAULT 0,
    close_reason   TEXT NOT NULL DEFAULT '',
    opened_at      TIMESTAMP NOT NULL,
    closed_at      TIMESTAMP,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX dev_cases_open ON dev_cases (person_id) WHERE state = 'open';
CREATE INDEX dev_cases_person ON dev_cases (person_id);
CREATE INDEX dev_cases_home ON dev_cases (home_org_id, state);
CREATE INDEX dev_cases_mobile ON dev_cases (mobile_org_id, state);
CREATE INDEX dev_cases_stage ON dev_cases (state, stage, step);

-- Every step recorded, with its values; an approved extension of
-- probation supersedes steps 21–24, which stay on the timeline.
CREATE TABLE dev_steps (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES dev_cases(id),
    step         INTEGER NOT NULL CHECK (step BETWEEN 1 AND 25),
    on_date      TEXT NOT NULL,
    side         TEXT NOT NULL CHECK (side IN ('origin', 'mobile', 'host')),
    org_id       INTEGER REFERENCES orgs(id),
    org_name     TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    doc_no       TEXT NOT NULL DEFAULT '',
    days         INTEGER NOT NULL DEFAULT 0,
    hours        INTEGER NOT NULL DEFAULT 0,
    notice_from  TEXT,
    notice_to    TEXT,
    leaving      BOOLEAN NOT NULL DEFAULT FALSE,
    entitled     INTEGER NOT NULL DEFAULT 0,
    present      INTEGER NOT NULL DEFAULT 0,
    yes          INTEGER NOT NULL DEFAULT 0,
    outcome      TEXT NOT NULL DEFAULT '',
    months       INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL DEFAULT '',
    actor_id     INTEGER REFERENCES accounts(id),
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    superseded   BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX dev_steps_case ON dev_steps (case_id, id);
CREATE INDEX dev_steps_approvals ON dev_steps (step, on_date);

-- Mentors (step 5) and introducers (step 9): full members of the register.
CREATE TABLE dev_people (
    case_id    INTEGER NOT NULL REFERENCES dev_cases(id),
    role       TEXT NOT NULL CHECK (role IN ('mentor', 'introducer')),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    name       TEXT NOT NULL,
    since_on   TEXT NOT NULL,
    PRIMARY KEY (case_id, role, person_id)
);

-- The host side's inspections of an activist (stage 2) or a
-- probationary member (stage 5).
CREATE TABLE dev_assessments (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES dev_cases(id),
    on_date     TEXT NOT NULL,
    stage       INTEGER NOT NULL CHECK (stage IN (2, 5)),
    text        TEXT NOT NULL,
    side        TEXT NOT NULL,
    org_id      INTEGER REFERENCES orgs(id),
    org_name    TEXT NOT NULL,
    actor_id    INTEGER REFERENCES accounts(id),
    actor_name  TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX dev_assessments_case ON dev_assessments (case_id, on_date);

-- The host side's written opinion before each approval (gate: the step
-- it opens, 7, 17 or 24); one per case and gate.
CREATE TABLE dev_opinions (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES dev_cases(id),
    gate         INTEGER NOT NULL CHECK (gate IN (7, 17, 24)),
    on_date      TEXT NOT NULL,
    text         TEXT NOT NULL,
    side         TEXT NOT NULL,
    org_id       INTEGER REFERENCES orgs(id),
    org_name     TEXT NOT NULL,
    agreement_id INTEGER REFERENCES agreements(id),
    actor_id     INTEGER REFERENCES accounts(id),
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX dev_opinions_once ON dev_opinions (case_id, gate);

-- Documents kept with a step, in the data folder's development/ under
-- their SHA-256.
CREATE TABLE dev_files (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES dev_cases(id),
    step          INTEGER NOT NULL CHECK (step BETWEEN 1 AND 25),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL
);
CREATE INDEX dev_files_case ON dev_files (case_id, step);

-- +goose Down
DROP TABLE dev_files;
DROP TABLE dev_opinions;
DROP TABLE dev_assessments;
DROP TABLE dev_people;
DROP TABLE dev_steps;
DROP TABLE dev_cases;
