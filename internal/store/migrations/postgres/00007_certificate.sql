-- +goose Up
-- The activity certificate's number is looked up when an official issues
-- one (it must not be held by another member). Not a unique index: rosters
-- bring legacy paper numbers that may repeat, and an import must not fail
-- on them (docs/decisions/0008-member-self-service.md).
CREATE INDEX memberships_certificate ON memberships (certificate_no) WHERE certificate_no <> '';

-- +goose Down
DROP INDEX memberships_certificate;
