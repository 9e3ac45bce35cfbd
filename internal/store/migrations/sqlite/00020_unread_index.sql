-- +goose Up
-- The unread count beside the inbox is read with the session on every
-- signed-in request (store.SessionUseByHash, decision 0013 "Round trips
-- per scan"): an index of the unread notices alone keeps it to the
-- unread ones, however many an officer has read.
CREATE INDEX notifications_unread ON notifications (account_id) WHERE read_at IS NULL;

-- +goose Down
DROP INDEX notifications_unread;
