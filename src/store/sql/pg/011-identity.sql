-- 011 (PostgreSQL flavour): the possible duplicates' index and the
-- merged-away refs (see ../011-identity.sql). The ref is compared byte by
-- byte (COLLATE "C"), as people.ref is looked up on SQLite.
CREATE INDEX people_dup ON people(search_name, birth_date);

CREATE TABLE merged_refs (
	ref TEXT COLLATE "C" PRIMARY KEY,
	into_id BIGINT NOT NULL REFERENCES people(id) DEFERRABLE,
	merged_at TEXT NOT NULL,
	merged_by TEXT NOT NULL
);
CREATE INDEX merged_refs_into ON merged_refs(into_id);
