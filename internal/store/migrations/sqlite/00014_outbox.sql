-- +goose Up
-- The outbox: the in-app notices whose kind goes out by SMS, e-mail or
-- the log as well. One row per notice, claimed by one sender at a time
-- with a conditional update (claimed_by, claim_until), so a notice goes
-- out once however many servers run; a claim that outlives its server
-- expires and the row is tried again, with a growing delay (next_at)
-- between attempts, until it is sent or fails for good.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    notification_id  INTEGER NOT NULL UNIQUE REFERENCES notifications(id),
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_at          TIMESTAMP NOT NULL,
    claimed_by       TEXT NOT NULL DEFAULT '',
    claim_until      TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    sent_at          TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (state, next_at);

-- +goose Down
DROP TABLE outbox;
