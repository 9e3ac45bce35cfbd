-- +goose Up
-- Co-management of members' conduct: the quarterly performance feedback
-- the host side and the mobile organization send home, with every step
-- between the two sides; the yearly democratic evaluation (proposal, host
-- opinion, confirmation); and the follow-up task an unqualified rating
-- opens.

-- One feedback per member, quarter and writing organization. home_org_id
-- and mobile_org_id are the member's organizations when it was written:
-- the home one answers it, and lists are scoped by both.
CREATE TABLE feedback (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    quarter        TEXT NOT NULL,
    writer_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    writer_side    TEXT NOT NULL CHECK (writer_side IN ('host', 'mobile')),
    agreement_id   INTEGER REFERENCES agreements(id),
    home_org_id    INTEGER NOT NULL REFERENCES orgs(id),
    mobile_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    participation  TEXT NOT NULL CHECK (participation IN ('always', 'mostly', 'sometimes', 'rarely')),
    conduct        TEXT NOT NULL CHECK (conduct IN ('exemplary', 'good', 'fair', 'poor')),
    remarks        TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('sent', 'acknowledged', 'returned')),
    comment        TEXT NOT NULL DEFAULT '',
    author_id      INTEGER REFERENCES accounts(id),
    author_name    TEXT NOT NULL,
    sent_at        TIMESTAMP NOT NULL,
    answerer_id    INTEGER REFERENCES accounts(id),
    answered_by    TEXT NOT NULL DEFAULT '',
    answered_at    TIMESTAMP,
    revision       INTEGER NOT NULL DEFAULT 1,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX feedback_once ON feedback (person_id, quarter, writer_org_id);
CREATE INDEX feedback_waiting ON feedback (state, home_org_id);
CREATE INDEX feedback_quarter ON feedback (quarter, writer_org_id);

-- Every step of a feedback, with the values sent and the comments given.
CREATE TABLE feedback_events (
    id             INTEGER PRIMARY KEY,
    feedback_id    INTEGER NOT NULL REFERENCES feedback(id),
    kind           TEXT NOT NULL CHECK (kind IN ('sent', 'revised', 'acknowledged', 'returned')),
    participation  TEXT NOT NULL DEFAULT '',
    conduct        TEXT NOT NULL DEFAULT '',
    remarks        TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    actor_name     TEXT NOT NULL,
    at             TIMESTAMP NOT NULL
);
CREATE INDEX feedback_events_feedback ON feedback_events (feedback_id, id);

-- One evaluation per member and year. org_id is where the member takes
-- part (it proposes; the excellent share is counted there); rating is set
-- when the home organization confirms.
CREATE TABLE evaluations (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    year            INTEGER NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    home_org_id     INTEGER NOT NULL REFERENCES orgs(id),
    state           TEXT NOT NULL CHECK (state IN ('proposed', 'confirmed')),
    proposed_rating TEXT NOT NULL CHECK (proposed_rating IN ('excellent', 'qualified', 'basic', 'unqualified')),
    proposal_note   TEXT NOT NULL DEFAULT '',
    proposer_id     INTEGER REFERENCES accounts(id),
    proposed_by     TEXT NOT NULL,
    proposed_at     TIMESTAMP NOT NULL,
    host_org_id     INTEGER REFERENCES orgs(id),
    host_rating     TEXT CHECK (host_rating IN ('excellent', 'qualified', 'basic', 'unqualified')),
    host_note       TEXT NOT NULL DEFAULT '',
    host_by         TEXT NOT NULL DEFAULT '',
    host_at         TIMESTAMP,
    rating          TEXT CHECK (rating IN ('excellent', 'qualified', 'basic', 'unqualified')),
    change_reason   TEXT NOT NULL DEFAULT '',
    confirmer_id    INTEGER REFERENCES accounts(id),
    confirmed_by    TEXT NOT NULL DEFAULT '',
    confirmed_at    TIMESTAMP,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX evaluations_once ON evaluations (person_id, year);
CREATE INDEX evaluations_org ON evaluations (year, org_id);
CREATE INDEX evaluations_home ON evaluations (state, home_org_id);

-- The disposal an unqualified rating calls for, tracked until closed; an
-- escalation closes one task and opens the next.
CREATE TABLE evaluation_followups (
    id             INTEGER PRIMARY KEY,
    evaluation_id  INTEGER NOT NULL REFERENCES evaluations(id),
    kind           TEXT NOT NULL CHECK (kind IN ('correct', 'persuade', 'remove')),
    due_on         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    open           BOOLEAN NOT NULL,
    outcome        TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'corrected', 'withdrawn', 'removed', 'escalated')),
    outcome_note   TEXT NOT NULL DEFAULT '',
    opened_by      TEXT NOT NULL,
    opened_at      TIMESTAMP NOT NULL,
    closed_by      TEXT NOT NULL DEFAULT '',
    closed_at      TIMESTAMP,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX evaluation_followups_evaluation ON evaluation_followups (evaluation_id, id);
CREATE INDEX evaluation_followups_open ON evaluation_followups (open, due_on);

-- +goose Down
DROP TABLE evaluation_followups;
DROP TABLE evaluations;
DROP TABLE feedback_events;
DROP TABLE feedback;
