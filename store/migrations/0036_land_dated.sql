-- 土地承包经营权登记 (issue 25): a past day's figures read each parcel's area and each
-- contracted parcel as they were that day.

-- a parcel's areas before a correction at `at` (变更: area); its area on a day is the
-- one kept by the first correction after that day, else its current one
CREATE TABLE land_parcel_areas (
    id            {{ID}},
    parcel_id     BIGINT NOT NULL REFERENCES land_parcels (id),
    at            BIGINT NOT NULL,
    contract_area BIGINT NOT NULL,
    measured_area BIGINT NOT NULL
);
CREATE INDEX land_parcel_areas_parcel ON land_parcel_areas (parcel_id, at, id);

-- when a parcel came into and left a contract; rows made before this migration are dated
-- by their contract (a parcel moved out before it is taken as leaving when its contract
-- ended, else when it came in: the day is not known)
ALTER TABLE land_contract_parcels ADD COLUMN added_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE land_contract_parcels ADD COLUMN ended_at BIGINT;
-- the figures' lookup of a parcel's contract rows (the live index holds live rows only)
CREATE INDEX land_contract_parcels_parcel ON land_contract_parcels (parcel_id, added_at);
UPDATE land_contract_parcels SET added_at = (SELECT c.created_at FROM land_contracts c WHERE c.id = land_contract_parcels.contract_id);
UPDATE land_contract_parcels SET ended_at = COALESCE((SELECT c.ended_at FROM land_contracts c WHERE c.id = land_contract_parcels.contract_id), added_at)
    WHERE live = 0;
