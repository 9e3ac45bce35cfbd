-- +goose Up
-- Organizational life: meetings of every kind the rules require, joint
-- meetings with a host organization (co_org_id) and the mobile secretary's
-- sitting in at a host committee (kind sit_in, co_org_id the host), with
-- who was expected, who came and how, and the files kept with the minutes.

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL CHECK (kind IN ('assembly', 'committee', 'group', 'lecture', 'theme_day', 'life_meeting', 'evaluation', 'sit_in')),
    state        TEXT NOT NULL CHECK (state IN ('planned', 'held', 'cancelled')),
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP,
    -- The Beijing day the meeting counts for in the rhythm checks.
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    online       BOOLEAN NOT NULL DEFAULT FALSE,
    topic        TEXT NOT NULL,
    organizer    TEXT NOT NULL DEFAULT '',
    co_org_id    INTEGER REFERENCES orgs(id),
    minutes      TEXT NOT NULL DEFAULT '',
    decisions    TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX meetings_org ON meetings (org_id, held_on);
CREATE INDEX meetings_day ON meetings (held_on, kind);
CREATE INDEX meetings_co_org ON meetings (co_org_id) WHERE co_org_id IS NOT NULL;

-- One row per expected member (fixed when the meeting is planned, from
-- where members were placed that day) and per guest the secretary adds.
CREATE TABLE meeting_attendance (
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    expected       BOOLEAN NOT NULL,
    status         TEXT NOT NULL DEFAULT 'unmarked' CHECK (status IN ('unmarked', 'present', 'absent', 'leave', 'excused')),
    leave_reason   TEXT NOT NULL DEFAULT '',
    leave_state    TEXT NOT NULL DEFAULT '' CHECK (leave_state IN ('', 'requested', 'approved', 'refused')),
    method         TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'sheet', 'qr')),
    checked_in_at  TIMESTAMP,
    recorded_by    TEXT NOT NULL DEFAULT '',
    recorded_at    TIMESTAMP,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_attendance_person ON meeting_attendance (person_id, meeting_id);

-- Photos and documents, stored in the data folder under their SHA-256.
CREATE TABLE meeting_files (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL
);
CREATE INDEX meeting_files_meeting ON meeting_files (meeting_id);

-- +goose Down
DROP TABLE meeting_files;
DROP TABLE meeting_attendance;
DROP TABLE meetings;
