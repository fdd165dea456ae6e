-- The text index keys pieces of words (domain.WordPieces) rather than pairs: pairs of
-- two digits are left out, and every four neighbouring digits are in, so a search of a
-- case number or a house number is narrowed too. An index of pairs would answer such a
-- search without the cases it lacks, so it is emptied; store.IndexWords builds it again
-- from the first case, and meanwhile a search reads the rows of the cases above the mark.
INSERT INTO case_words (case_words) VALUES ('delete-all');
UPDATE case_words_mark SET upto = 0;
