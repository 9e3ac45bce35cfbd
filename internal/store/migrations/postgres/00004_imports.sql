-- +goose Up
-- Roster imports, one row per file, keyed by the file's SHA-256: the
-- session a preview leaves (so a page reload shows it again), the state
-- of its commit, and, once done, the proof that this exact file was
-- imported, so that importing it again changes nothing. The parsed rows
-- are not kept here: the preview re-reads a sealed copy of the file from
-- the data folder, which the commit wipes.
CREATE TABLE imports (
    sha256          TEXT PRIMARY KEY,
    kind            TEXT NOT NULL DEFAULT 'persons' CHECK (kind IN ('persons')),
    file_name       TEXT NOT NULL,
    size            BIGINT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('parsing', 'previewed', 'committing', 'done', 'failed')),
    mode            TEXT NOT NULL CHECK (mode IN ('update', 'skip')),
    origin_org_id   BIGINT REFERENCES orgs(id),
    actor_id        BIGINT REFERENCES accounts(id),
    actor_name      TEXT NOT NULL,
    total_rows      INTEGER NOT NULL DEFAULT 0,
    new_rows        INTEGER NOT NULL DEFAULT 0,
    updated_rows    INTEGER NOT NULL DEFAULT 0,
    unchanged_rows  INTEGER NOT NULL DEFAULT 0,
    duplicate_rows  INTEGER NOT NULL DEFAULT 0,
    rejected_rows   INTEGER NOT NULL DEFAULT 0,
    warned_rows     INTEGER NOT NULL DEFAULT 0,
    skipped_rows    INTEGER NOT NULL DEFAULT 0,
    preview         TEXT NOT NULL DEFAULT '{}',
    error           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
CREATE INDEX imports_actor ON imports (actor_id, updated_at);
CREATE INDEX imports_state ON imports (state, updated_at);

-- +goose Down
DROP TABLE imports;
