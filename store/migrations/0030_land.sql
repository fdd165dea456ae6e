-- 土地承包经营权登记 (issue 25): registration offices, collectives (发包方), contracting
-- households (承包方) and their members, parcels (承包地块) with their polygons, contracts,
-- applications, the register book (登记簿, append-only), certificates and consent codes.

-- a county's registration office; its org's officers register, its number names it
CREATE TABLE land_offices (
    id     {{ID}},
    org    TEXT NOT NULL REFERENCES orgs (code),
    region TEXT NOT NULL REFERENCES regions (code),
    abbr   TEXT NOT NULL,
    name   TEXT NOT NULL,
    UNIQUE (region)
);

CREATE TABLE land_collectives (
    id      {{ID}},
    village TEXT NOT NULL REFERENCES regions (code),
    grp     TEXT NOT NULL,
    name    TEXT NOT NULL,
    head    TEXT NOT NULL DEFAULT '',
    UNIQUE (village, grp)
);

-- members' ID numbers and phones and the bank account sealed (secret), with the keyed
-- hash of the ID number for an exact search; seq numbers the household in its village
-- (the unit number's)
CREATE TABLE land_households (
    id            {{ID}},
    collective_id BIGINT NOT NULL REFERENCES land_collectives (id),
    village       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    code          TEXT NOT NULL UNIQUE,
    head          TEXT NOT NULL,
    address       TEXT NOT NULL DEFAULT '',
    bank_sealed   TEXT NOT NULL DEFAULT '',
    user_id       BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    UNIQUE (village, seq)
);
CREATE INDEX land_households_user ON land_households (user_id);

CREATE TABLE land_members (
    id           {{ID}},
    household_id BIGINT NOT NULL REFERENCES land_households (id),
    pos          INTEGER NOT NULL,
    name         TEXT NOT NULL,
    relation     TEXT NOT NULL,
    id_sealed    TEXT NOT NULL,
    id_hash      TEXT NOT NULL,
    phone_sealed TEXT NOT NULL DEFAULT ''
);
CREATE INDEX land_members_household ON land_members (household_id, pos);
CREATE INDEX land_members_hash ON land_members (id_hash);

-- areas exact: contract area in 1/10000 亩, measured in 1/100 m²; the polygon's box in
-- 10^-7 degrees for the lookup by point (boxes are at most domain.LandMaxSpan wide)
CREATE TABLE land_parcels (
    id             {{ID}},
    code           TEXT NOT NULL UNIQUE,
    collective_id  BIGINT NOT NULL REFERENCES land_collectives (id),
    name           TEXT NOT NULL,
    contract_area  BIGINT NOT NULL,
    measured_area  BIGINT NOT NULL,
    east           TEXT NOT NULL DEFAULT '',
    south          TEXT NOT NULL DEFAULT '',
    west           TEXT NOT NULL DEFAULT '',
    north          TEXT NOT NULL DEFAULT '',
    land_use       TEXT NOT NULL,
    land_class     INTEGER NOT NULL,
    basic_farmland INTEGER NOT NULL DEFAULT 0,
    geometry       TEXT NOT NULL,
    min_x          BIGINT NOT NULL,
    min_y          BIGINT NOT NULL,
    max_x          BIGINT NOT NULL,
    max_y          BIGINT NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX land_parcels_box ON land_parcels (min_x, min_y, max_x, max_y);
CREATE INDEX land_parcels_collective ON land_parcels (collective_id, code);

CREATE TABLE land_contracts (
    id            {{ID}},
    number        TEXT NOT NULL UNIQUE,
    collective_id BIGINT NOT NULL REFERENCES land_collectives (id),
    household_id  BIGINT NOT NULL REFERENCES land_households (id),
    from_day      TEXT NOT NULL,
    to_day        TEXT NOT NULL,
    live          INTEGER NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    ended_at      BIGINT
);
CREATE INDEX land_contracts_household ON land_contracts (household_id);

-- a parcel is in one live contract at most: the partial unique index says so whatever
-- the door
CREATE TABLE land_contract_parcels (
    contract_id BIGINT NOT NULL REFERENCES land_contracts (id),
    parcel_id   BIGINT NOT NULL REFERENCES land_parcels (id),
    live        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (contract_id, parcel_id)
);
CREATE UNIQUE INDEX land_contract_parcels_live ON land_contract_parcels (parcel_id) WHERE live = 1;

CREATE TABLE land_applications (
    id           {{ID}},
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    office_id    BIGINT NOT NULL REFERENCES land_offices (id),
    household_id BIGINT NOT NULL REFERENCES land_households (id),
    contract_id  BIGINT NOT NULL REFERENCES land_contracts (id),
    village      TEXT NOT NULL,
    terms        TEXT NOT NULL,
    documents    TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    accepted_at  BIGINT NOT NULL,
    accepted_by  BIGINT NOT NULL,
    due_at       BIGINT NOT NULL,
    entry_id     BIGINT,
    cert_id      BIGINT,
    -- when it was issued or refused, for the figures of a past day
    done_at      BIGINT,
    -- when the sweeper flagged it past its limit, once
    flagged_at   BIGINT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX land_applications_village ON land_applications (village, id);
-- the sweeper's: applications neither done nor flagged, by their limit
CREATE INDEX land_applications_due ON land_applications (due_at) WHERE done_at IS NULL AND flagged_at IS NULL;
CREATE INDEX land_applications_open ON land_applications (office_id, status, id);

CREATE TABLE land_steps (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES land_applications (id),
    act            TEXT NOT NULL,
    at             BIGINT NOT NULL,
    user_id        BIGINT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX land_steps_application ON land_steps (application_id, id);

-- the register book: each entry keeps the unit's whole right after it; never updated
-- nor deleted, so the right on a past day is the last entry of that day or before
CREATE TABLE land_register (
    id             {{ID}},
    unit           TEXT NOT NULL,
    village        TEXT NOT NULL,
    kind           TEXT NOT NULL,
    at             BIGINT NOT NULL,
    day            TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES land_applications (id),
    user_id        BIGINT NOT NULL,
    data           TEXT NOT NULL
);
CREATE INDEX land_register_unit ON land_register (unit, day, id);
CREATE INDEX land_register_village ON land_register (village, day, id);

-- numbered per office and year without gaps (the counter is taken in the booking's
-- transaction); voided when a later certificate replaces it
CREATE TABLE land_certificates (
    id           {{ID}},
    office_id    BIGINT NOT NULL REFERENCES land_offices (id),
    year         INTEGER NOT NULL,
    seq          BIGINT NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    unit         TEXT NOT NULL,
    household_id BIGINT NOT NULL REFERENCES land_households (id),
    entry_id     BIGINT NOT NULL REFERENCES land_register (id),
    issued_at    BIGINT NOT NULL,
    voided_at    BIGINT,
    UNIQUE (office_id, year, seq)
);
CREATE INDEX land_certificates_unit ON land_certificates (unit, id);
CREATE INDEX land_certificates_household ON land_certificates (household_id, id);

-- a holder's consent for a bank to read a certificate's state: the code's hash, until
CREATE TABLE land_consents (
    id             {{ID}},
    certificate_id BIGINT NOT NULL REFERENCES land_certificates (id),
    code_hash      TEXT NOT NULL UNIQUE,
    expires_at     BIGINT NOT NULL,
    created_by     BIGINT NOT NULL,
    created_at     BIGINT NOT NULL
);
