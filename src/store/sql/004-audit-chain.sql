-- 004: the audit log's hash chain (issue 11). Each entry carries
-- hash = BLAKE2b-256 of the previous entry's hash and of its own content
-- (store_audit_hash() in store.c says exactly how), so that an entry
-- edited, deleted or reordered behind the program's back breaks the chain
-- there, and `ketnap verify` names it. audit_head holds the last entry's
-- id and hash and the number of entries: store_audit() chains onto it
-- (under the write lock), verify checks that the chain ends there (entries
-- cut off its end), and the year-end review prints it. It has one row,
-- from the first audit entry on.
--
-- The hashes of the entries already there are computed by the program
-- right after this script, in the same transaction (SQL has no BLAKE2b).
ALTER TABLE audit ADD COLUMN hash TEXT;

CREATE TABLE audit_head (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	id INTEGER NOT NULL,
	hash TEXT NOT NULL,
	n INTEGER NOT NULL
) STRICT;
