-- The text index of the cases' words (issue 20), SQLite's form; PostgreSQL's is in
-- 0042_case_words.postgres.sql. The pairs of neighbouring letters or digits of each
-- case's title, description and address (domain.WordPairs) are one document of a
-- contentless FTS5 table whose rowid is the case's id: it keeps only which cases hold
-- each pair (detail=none), a few bytes a case, and the 'ascii' tokenizer keeps each
-- pair one token. A word search asks it for
-- the cases holding all of a search's pairs and reads only their rows (caseConds).
--
-- Filings do not write it: store.IndexWords adds the cases numbered above
-- case_words_mark.upto in batches, and a search reads those above the mark as before.
-- SQLite commits one writer at a time, so every case below the mark was committed when
-- the mark passed it. The index is derived: a copy leaves it out, and the target's
-- mark starts again from 0 (copy.go skips files of one engine).
CREATE VIRTUAL TABLE case_words USING fts5(pairs, content='', contentless_delete=1, detail=none, tokenize='ascii');
CREATE TABLE case_words_mark (
    upto INTEGER NOT NULL
);
INSERT INTO case_words_mark (upto) VALUES (0);
