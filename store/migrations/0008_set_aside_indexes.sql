-- Indexes a bulk load dropped to append rows without maintaining them (store.SetAsideIndexes),
-- kept here in the same transaction as the drop, so a load cut short leaves their
-- definitions behind and the next Open builds them.
CREATE TABLE set_aside_indexes (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
