-- +goose Up
-- Party dues (party-rules.md §5): each member's monthly standard from a
-- month on (the yearly standard fixed at the start of the year, the first
-- one from the month of admission, a new one from the month a new pay
-- starts), one payment per member and month with the collecting
-- organization and its retained share, and the months an organization has
-- closed. Months are numbers YYYYMM on both databases.

CREATE TABLE dues_standards (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    from_month  INTEGER NOT NULL CHECK (from_month % 100 BETWEEN 1 AND 12),
    basis       TEXT NOT NULL CHECK (basis IN ('wage', 'annual_salary', 'self_employed', 'migrant_farmer', 'retiree', 'farmer', 'student', 'unemployed')),
    income      BIGINT NOT NULL CHECK (income >= 0),
    amount      BIGINT NOT NULL CHECK (amount >= 0),
    note        TEXT NOT NULL DEFAULT '',
    set_by      TEXT NOT NULL,
    set_at      TIMESTAMP NOT NULL,
    UNIQUE (person_id, from_month)
);

-- One payment per member and month: the unique key is what refuses a
-- second payment for a month, whichever server records it.
CREATE TABLE dues_payments (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    month        INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
    amount       BIGINT NOT NULL CHECK (amount >= 0),
    standard     BIGINT NOT NULL CHECK (standard >= 0),
    retained     BIGINT NOT NULL CHECK (retained >= 0 AND retained <= amount),
    channel      TEXT NOT NULL CHECK (channel IN ('cash', 'wechat', 'alipay', 'bank', 'proxy', 'other')),
    paid_on      TEXT NOT NULL,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    side         TEXT NOT NULL CHECK (side IN ('origin', 'mobile')),
    hardship     TEXT NOT NULL DEFAULT '',
    backpay      TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    UNIQUE (person_id, month)
);
-- The funds ledger sums the retained share by collecting organization and
-- month.
CREATE INDEX dues_payments_org ON dues_payments (org_id, month);

-- A month an organization has closed accepts no payment collected in its
-- subtree.
CREATE TABLE dues_closed_months (
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    month      INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
    closed_by  TEXT NOT NULL,
    closed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (org_id, month)
);

-- +goose Down
DROP TABLE dues_closed_months;
DROP TABLE dues_payments;
DROP TABLE dues_standards;
