-- Aid in kind (issue 17): an entry of the assistance ledger is given as cash or in
-- kind (实物: 落实基本住房, 发放米油); item says what was given, and unvalued marks an
-- entry in kind whose value in yuan nobody knows, so its amount_fen (0) is no figure.
ALTER TABLE assistance ADD COLUMN form TEXT NOT NULL DEFAULT 'cash';
ALTER TABLE assistance ADD COLUMN item TEXT NOT NULL DEFAULT '';
ALTER TABLE assistance ADD COLUMN unvalued INTEGER NOT NULL DEFAULT 0;
