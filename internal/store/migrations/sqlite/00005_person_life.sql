-- +goose Up
-- A member's life on the register after the first entry: the account that
-- is the member's own, every contact with them (and every attempt to reach
-- them), the lost-contact state the scheduled check keeps, the in-app
-- inbox, and the leases that let one of several servers run a job.

-- The person record that is an account's own (a member on a phone).
ALTER TABLE accounts ADD COLUMN person_id INTEGER REFERENCES persons(id);
CREATE UNIQUE INDEX accounts_person ON accounts (person_id) WHERE person_id IS NOT NULL;

-- Contacts and attempts: reached = false is a step taken that failed.
CREATE TABLE person_contacts (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    on_date      TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('meeting', 'checkin', 'dues', 'phone', 'visit', 'message', 'self_report', 'other')),
    reached      BOOLEAN NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    actor_name   TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX person_contacts_person ON person_contacts (person_id, on_date);

-- The certificate's issue date, and the contact state the scheduled check
-- writes: last_contact_on is the latest reached contact (or the date the
-- member was registered), contact_state its reading against the thresholds.
ALTER TABLE memberships ADD COLUMN certificate_from TEXT;
ALTER TABLE memberships ADD COLUMN last_contact_on TEXT;
ALTER TABLE memberships ADD COLUMN contact_state TEXT NOT NULL DEFAULT 'ok' CHECK (contact_state IN ('ok', 'at_risk', 'lost'));
ALTER TABLE memberships ADD COLUMN contact_state_on TEXT;
CREATE INDEX memberships_contact ON memberships (contact_state, home_org_id);

-- One row per scheduled job; a server runs the job only while it holds
-- the lease (holder, lease_until), taken with a conditional update.
CREATE TABLE job_leases (
    name         TEXT PRIMARY KEY,
    holder       TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMP,
    last_run_at  TIMESTAMP,
    last_result  TEXT NOT NULL DEFAULT ''
);

-- The in-app inbox. dedupe_key makes a notice arrive once however many
-- servers or retries produce it.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    kind         TEXT NOT NULL,
    msg_id       TEXT NOT NULL,
    args         TEXT NOT NULL DEFAULT '{}',
    link         TEXT NOT NULL DEFAULT '',
    dedupe_key   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    read_at      TIMESTAMP
);
CREATE UNIQUE INDEX notifications_once ON notifications (account_id, dedupe_key);
CREATE INDEX notifications_inbox ON notifications (account_id, id);

-- +goose Down
DROP TABLE notifications;
DROP TABLE job_leases;
DROP INDEX memberships_contact;
ALTER TABLE memberships DROP COLUMN contact_state_on;
ALTER TABLE memberships DROP COLUMN contact_state;
ALTER TABLE memberships DROP COLUMN last_contact_on;
ALTER TABLE memberships DROP COLUMN certificate_from;
DROP TABLE person_contacts;
DROP INDEX accounts_person;
ALTER TABLE accounts DROP COLUMN person_id;
