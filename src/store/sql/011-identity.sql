-- 011: identity and duplicates (issue 15, RULES.md §10).
--
-- Possible duplicates are people whose folded names (people.search_name,
-- text_fold(): accents, đ, case and spaces folded) and birth dates are
-- equal: this index finds a person's namesakes born the same day with one
-- probe (an import's warning, the person page), and lets `person
-- duplicates` over the whole organisation pair everybody in one walk of
-- it rather than a sort of the people table.
CREATE INDEX people_dup ON people(search_name, birth_date);

-- A merged-away ref (`person merge KEEP DROP`): the ref that was dropped,
-- the person it went into (repointed when that person is merged away in
-- turn, so it always names a person who exists), when and by whom. A
-- later import or command naming the dropped ref is refused with the
-- kept ref, instead of creating the duplicate again.
CREATE TABLE merged_refs (
	ref TEXT PRIMARY KEY,
	into_id INTEGER NOT NULL REFERENCES people(id),
	merged_at TEXT NOT NULL,
	merged_by TEXT NOT NULL
) STRICT;
CREATE INDEX merged_refs_into ON merged_refs(into_id);
