-- +goose Up
-- The foundation: organizations (minimal; extended by the organizations
-- issue), accounts and their credentials, role grants, sessions, API
-- tokens, login attempts, settings and the hash-chained audit log.
CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES orgs(id),
    name        TEXT NOT NULL UNIQUE,
    short_name  TEXT NOT NULL DEFAULT '',
    side        TEXT NOT NULL CHECK (side IN ('origin', 'mobile', 'host')),
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    password_changed_at  TIMESTAMP NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT 0,
    totp_secret          TEXT NOT NULL DEFAULT '',
    totp_pending         TEXT NOT NULL DEFAULT '',
    totp_enabled         BOOLEAN NOT NULL DEFAULT 0,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    totp_required        BOOLEAN NOT NULL DEFAULT 0,
    locale               TEXT NOT NULL DEFAULT '',
    disabled_at          TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    version              BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE password_history (
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    hash        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX password_history_account ON password_history (account_id, created_at);

CREATE TABLE grants (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL,
    org_id      INTEGER REFERENCES orgs(id),
    created_at  TIMESTAMP NOT NULL,
    created_by  INTEGER REFERENCES accounts(id)
);
CREATE UNIQUE INDEX grants_unique ON grants (account_id, role, COALESCE(org_id, 0));

CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    mfa_ok        BOOLEAN NOT NULL DEFAULT 0,
    address       TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    name          TEXT NOT NULL,
    token_hash    BLOB NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    expires_at    TIMESTAMP,
    revoked_at    TIMESTAMP
);

CREATE TABLE login_attempts (
    id            INTEGER PRIMARY KEY,
    account_name  TEXT NOT NULL,
    address       TEXT NOT NULL,
    at            TIMESTAMP NOT NULL,
    ok            BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_account ON login_attempts (account_name, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  BLOB NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, X'');

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    actor_id     BIGINT,
    actor_name   TEXT NOT NULL,
    address      TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_id    TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    BLOB NOT NULL,
    hash         BLOB NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_name, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- The audit log is append-only for the application; the chain catches
-- whoever bypasses these triggers.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_log;
DROP TABLE audit_head;
DROP TABLE settings;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE grants;
DROP TABLE password_history;
DROP TABLE accounts;
DROP TABLE orgs;
