-- 001 (PostgreSQL flavour of ../001-init.sql): the same tables, columns,
-- CHECKs and indexes. Ids are BIGSERIAL; dates and times stay ISO text so
-- that the store's date handling and every export are byte-identical to
-- SQLite's. Text that the API promises to order (codes, refs, dates, keys)
-- uses COLLATE "C": byte order, as SQLite's BINARY collation. Foreign keys
-- are DEFERRABLE (checked at once unless a transaction defers them) so that
-- `ketnap migrate-to` can copy rows with their ids in any order.

CREATE TABLE units (
	id BIGSERIAL PRIMARY KEY,
	code TEXT COLLATE "C" NOT NULL UNIQUE,
	parent_id BIGINT REFERENCES units(id) DEFERRABLE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('province', 'upper', 'grassroots', 'cell')),
	may_admit INTEGER NOT NULL DEFAULT 0 CHECK (may_admit IN (0, 1)),
	sector TEXT,
	special_area INTEGER NOT NULL DEFAULT 0 CHECK (special_area IN (0, 1))
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE people (
	id BIGSERIAL PRIMARY KEY,
	ref TEXT COLLATE "C" NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	search_name TEXT COLLATE "C" NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
	birth_date TEXT COLLATE "C" NOT NULL,
	unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	ethnicity TEXT,
	religion TEXT,
	education TEXT,
	qualification TEXT,
	occupation TEXT,
	youth_union INTEGER NOT NULL DEFAULT 0,
	trade_union INTEGER NOT NULL DEFAULT 0,
	member_since TEXT COLLATE "C",
	official_since TEXT COLLATE "C",
	phone TEXT,
	note TEXT
);
CREATE INDEX people_unit ON people(unit_id);

-- A candidacy's stage is derived from its steps and written in the same
-- transaction as the step; version counts changes (optimistic locking:
-- UPDATE … WHERE version = $expected takes the row lock, so a second
-- writer waits, then finds the version moved and updates nothing).
CREATE TABLE candidacies (
	id BIGSERIAL PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES people(id) DEFERRABLE,
	unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	stage TEXT NOT NULL,
	is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
	version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX candidacies_person ON candidacies(person_id);
CREATE UNIQUE INDEX candidacies_one_open ON candidacies(person_id) WHERE is_open = 1;

-- The append-only step log.
CREATE TABLE steps (
	id BIGSERIAL PRIMARY KEY,
	candidacy_id BIGINT NOT NULL REFERENCES candidacies(id) DEFERRABLE,
	seq INTEGER NOT NULL,
	step TEXT COLLATE "C" NOT NULL,
	date TEXT COLLATE "C" NOT NULL,
	doc_no TEXT,
	org TEXT,
	member_id BIGINT REFERENCES people(id) DEFERRABLE,
	intro1_id BIGINT REFERENCES people(id) DEFERRABLE,
	intro1_since TEXT COLLATE "C",
	intro2_id BIGINT REFERENCES people(id) DEFERRABLE,
	intro2_since TEXT COLLATE "C",
	votes_for INTEGER,
	votes_total INTEGER,
	consent TEXT,
	override TEXT,
	override_by TEXT,
	note TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	UNIQUE (candidacy_id, seq)
);
CREATE INDEX steps_step_date ON steps(step, date);

CREATE TABLE quotas (
	unit_id BIGINT NOT NULL REFERENCES units(id) DEFERRABLE,
	year INTEGER NOT NULL,
	category TEXT COLLATE "C" NOT NULL,
	target BIGINT NOT NULL CHECK (target >= 0),
	PRIMARY KEY (unit_id, year, category)
);

CREATE TABLE holidays (
	date TEXT COLLATE "C" PRIMARY KEY,
	workday INTEGER NOT NULL DEFAULT 0 CHECK (workday IN (0, 1)),
	name TEXT
);

-- Effective-dated rule parameters (RULES.md §7); from_date '' = always.
CREATE TABLE policy (
	key TEXT COLLATE "C" NOT NULL,
	from_date TEXT COLLATE "C" NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (key, from_date)
);

CREATE TABLE audit (
	id BIGSERIAL PRIMARY KEY,
	at TEXT COLLATE "C" NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	key TEXT COLLATE "C" NOT NULL,
	before TEXT,
	after TEXT
);
