-- +goose Up
-- No query reads persons by city: the people list's city filter and the
-- counts by city read person_reach and person_city_counts (migration
-- 00015), whose rows carry the city. The index only cost every write of a
-- person (a roster import of 200,000 people on PostgreSQL writes 200,000
-- entries into it; decision 0007, "session 8").
DROP INDEX persons_city;

-- +goose Down
CREATE INDEX persons_city ON persons (city_code);
