-- +goose Up
-- A renamed organization moves the access epoch too (decision 0007,
-- "Since 2026-11-30"): the people lists read organization names from an
-- in-process cache that is good for the epoch it was read at, on every
-- server, instead of joining three organizations per row.
DROP TRIGGER orgs_epoch ON orgs;
CREATE TRIGGER orgs_epoch AFTER UPDATE OF path, status, side, parent_id, name OR DELETE ON orgs
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();

-- +goose Down
DROP TRIGGER orgs_epoch ON orgs;
CREATE TRIGGER orgs_epoch AFTER UPDATE OF path, status, side, parent_id OR DELETE ON orgs
    FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump();
