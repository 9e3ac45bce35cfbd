-- +goose Up
-- A renamed organization moves the access epoch too (decision 0007,
-- "Since 2026-11-30"): the people lists read organization names from an
-- in-process cache that is good for the epoch it was read at, on every
-- server, instead of joining three organizations per row.
DROP TRIGGER orgs_epoch_update;
-- +goose StatementBegin
CREATE TRIGGER orgs_epoch_update AFTER UPDATE OF path, status, side, parent_id, name ON orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER orgs_epoch_update;
-- +goose StatementBegin
CREATE TRIGGER orgs_epoch_update AFTER UPDATE OF path, status, side, parent_id ON orgs BEGIN UPDATE access_epoch SET n = n + 1; END;
-- +goose StatementEnd
