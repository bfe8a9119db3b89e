-- Search, second form (issue 14: Kazakh letters; issue 18: speed at 10⁶ applications).
--
-- `folded`: the names and the employer with Kazakh letters folded to their Russian look-alikes
-- (ә→а, ө→о, ү ұ→у, қ→к, ғ→г, ң→н, һ→х, і→и), filled only where that changes something, so that
-- «Асем» finds «Әсем» and the other way round (the query is folded too).
--
-- Prefix indexes for one to six characters: a prefix query of up to six characters (a name
-- being typed, the start of an IIN, a certificate number's year) is one lookup instead of a
-- merge of every token that starts with it. At 10⁶ applications «иван»* went from 15 ms to
-- under 1 ms and «"00012 2026"*» from 50 ms to under 1 ms; the index grew from 190 to 296 MB.
--
-- The rows are rebuilt by the migration's hook in Rust (the folding is Rust's).
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    names, ids, certificates, employer, folded,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6'
);
-- Ranking: a match in the names counts most, a match only through folding least, so that
-- exact matches come first.
INSERT INTO search (search, rank) VALUES ('rank', 'bm25(10.0, 5.0, 5.0, 1.0, 0.5)');
