-- The text index keys pieces of words (domain.WordPieces) rather than pairs: pairs of
-- two digits are left out, and every four neighbouring digits are in, so a search of a
-- case number or a house number is narrowed too. An index of pairs would answer such a
-- search without the cases it lacks, so it is emptied and every case noted to index
-- again; a search meanwhile reads the noted cases' rows.
TRUNCATE case_words;
INSERT INTO case_words_todo (case_id) SELECT id FROM cases ON CONFLICT DO NOTHING;
