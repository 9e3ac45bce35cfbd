-- +goose Up
-- Organizations grow kinds, status, region, industry, founding date,
-- contact channels and a materialised path for subtree scope checks; their
-- history, officers, and the co-management agreements between the sides.
ALTER TABLE orgs ADD COLUMN kind TEXT NOT NULL DEFAULT 'branch'
    CHECK (kind IN ('committee', 'general_branch', 'branch', 'group', 'office', 'union', 'youth_league', 'womens_fed'));
ALTER TABLE orgs ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'merged', 'dissolved'));
ALTER TABLE orgs ADD COLUMN region_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN industry TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN founded_on TEXT;
ALTER TABLE orgs ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN mailbox TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN path TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

WITH RECURSIVE t(id, path) AS (
    SELECT id, '/' || CAST(id AS TEXT) || '/' FROM orgs WHERE parent_id IS NULL
    UNION ALL
    SELECT o.id, t.path || CAST(o.id AS TEXT) || '/' FROM orgs o JOIN t ON o.parent_id = t.id
)
UPDATE orgs SET path = (SELECT path FROM t WHERE t.id = orgs.id);

CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE org_events (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL,
    on_date      TEXT NOT NULL,
    from_kind    TEXT NOT NULL DEFAULT '',
    to_kind      TEXT NOT NULL DEFAULT '',
    other_id     INTEGER REFERENCES orgs(id),
    note         TEXT NOT NULL DEFAULT '',
    members      INTEGER NOT NULL DEFAULT 0,
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX org_events_org ON org_events (org_id, on_date);

CREATE TABLE org_officers (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    name       TEXT NOT NULL,
    position   TEXT NOT NULL,
    from_date  TEXT NOT NULL,
    to_date    TEXT,
    phone      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_officers_org ON org_officers (org_id);

CREATE TABLE agreements (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    origin_id      INTEGER NOT NULL REFERENCES orgs(id),
    capabilities   TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('draft', 'in_force', 'terminated')),
    signed_on      TEXT,
    folded         BOOLEAN NOT NULL DEFAULT 0,
    sits_in        BOOLEAN NOT NULL DEFAULT 0,
    document       TEXT NOT NULL DEFAULT '',
    document_name  TEXT NOT NULL DEFAULT '',
    renewed_from   INTEGER REFERENCES agreements(id),
    terminated_on  TEXT,
    reason         TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    CHECK (valid_to >= valid_from)
);

CREATE TABLE agreement_orgs (
    agreement_id  INTEGER NOT NULL REFERENCES agreements(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    role          TEXT NOT NULL CHECK (role IN ('mobile', 'host')),
    PRIMARY KEY (agreement_id, org_id)
);
CREATE INDEX agreement_orgs_org ON agreement_orgs (org_id);

CREATE TABLE agreement_events (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreements(id),
    kind          TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    actor_name    TEXT NOT NULL,
    recorded_at   TIMESTAMP NOT NULL
);
CREATE INDEX agreement_events_agreement ON agreement_events (agreement_id);

-- +goose Down
DROP TABLE agreement_events;
DROP TABLE agreement_orgs;
DROP TABLE agreements;
DROP TABLE org_officers;
DROP TABLE org_events;
DROP INDEX orgs_parent;
DROP INDEX orgs_path;
ALTER TABLE orgs DROP COLUMN version;
ALTER TABLE orgs DROP COLUMN path;
ALTER TABLE orgs DROP COLUMN mailbox;
ALTER TABLE orgs DROP COLUMN phone;
ALTER TABLE orgs DROP COLUMN founded_on;
ALTER TABLE orgs DROP COLUMN industry;
ALTER TABLE orgs DROP COLUMN region_code;
ALTER TABLE orgs DROP COLUMN status;
ALTER TABLE orgs DROP COLUMN kind;
