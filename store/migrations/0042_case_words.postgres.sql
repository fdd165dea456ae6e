-- The text index of the cases' words (issue 20), PostgreSQL's form; SQLite's is in
-- 0042_case_words.sqlite.sql. The pairs of neighbouring letters or digits of each
-- case's title, description and address (domain.WordPairs, each as a number:
-- WordPair.Key) in an array under a GIN index: a word search asks it for the cases
-- holding all of a search's pairs (pairs @> ...) and reads only their rows (caseConds).
--
-- Filings do not index: a trigger notes each new case in case_words_todo (a key in a
-- small table), store.IndexWords indexes the noted cases in batches, and a search reads
-- the noted ones as before. A mark of the highest id indexed would not do here:
-- concurrent filings commit out of their ids' order, so a case below the mark could
-- become visible after it passed. The index is derived: a copy leaves it out, and the
-- cases it copies in are noted by the trigger.
CREATE TABLE case_words (
    case_id BIGINT PRIMARY KEY,
    pairs   BIGINT[] NOT NULL
);
CREATE INDEX case_words_pairs ON case_words USING gin (pairs);
CREATE TABLE case_words_todo (
    case_id BIGINT PRIMARY KEY
);
CREATE FUNCTION case_words_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_words_todo (case_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER case_words_note AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION case_words_note();
INSERT INTO case_words_todo (case_id) SELECT id FROM cases;
