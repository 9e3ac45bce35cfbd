-- +goose Up
-- The host side of joint meetings, and host feedback as a contact
-- (decision 0012, items 11 and 12).

-- Who came from the host side of a joint meeting (or a sitting-in): a
-- named person with an optional unit or post and Party membership, or a
-- headcount line for those not named (name empty). No ID number, no
-- phone: the host side's people are not on the register.
CREATE TABLE meeting_hosts (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    name          TEXT NOT NULL DEFAULT '',
    post          TEXT NOT NULL DEFAULT '',
    party_member  BOOLEAN,
    headcount     INTEGER NOT NULL DEFAULT 1 CHECK (headcount BETWEEN 1 AND 9999),
    added_by      TEXT NOT NULL,
    added_at      TIMESTAMP NOT NULL,
    CHECK (name = '' OR headcount = 1)
);
CREATE INDEX meeting_hosts_meeting ON meeting_hosts (meeting_id, id);

-- Host feedback about a member is a contact (channel feedback). SQLite
-- cannot alter a CHECK: the table is rebuilt with its rows, ids and index.
CREATE TABLE person_contacts_new (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    on_date      TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('meeting', 'checkin', 'dues', 'feedback', 'phone', 'visit', 'message', 'self_report', 'other')),
    reached      BOOLEAN NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
INSERT INTO person_contacts_new (id, person_id, on_date, channel, reached, note, actor_name, recorded_at)
    SELECT id, person_id, on_date, channel, reached, note, actor_name, recorded_at FROM person_contacts;
DROP TABLE person_contacts;
ALTER TABLE person_contacts_new RENAME TO person_contacts;
CREATE INDEX person_contacts_person ON person_contacts (person_id, on_date);

-- +goose Down
DELETE FROM person_contacts WHERE channel = 'feedback';
CREATE TABLE person_contacts_old (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    on_date      TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('meeting', 'checkin', 'dues', 'phone', 'visit', 'message', 'self_report', 'other')),
    reached      BOOLEAN NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
INSERT INTO person_contacts_old (id, person_id, on_date, channel, reached, note, actor_name, recorded_at)
    SELECT id, person_id, on_date, channel, reached, note, actor_name, recorded_at FROM person_contacts;
DROP TABLE person_contacts;
ALTER TABLE person_contacts_old RENAME TO person_contacts;
CREATE INDEX person_contacts_person ON person_contacts (person_id, on_date);
DROP TABLE meeting_hosts;
