-- +goose Up
-- The members expected at a meeting dated in the past are found from the
-- placements recorded after that day; this index finds those moves without
-- reading every person's history.
CREATE INDEX person_events_kind ON person_events (kind, on_date);

-- +goose Down
DROP INDEX person_events_kind;
