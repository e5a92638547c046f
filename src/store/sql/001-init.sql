-- 001: the first schema. Portable SQL (SQLite 3.37+ STRICT tables; the
-- PostgreSQL flavour lives beside it in pg/). Dates are ISO 'YYYY-MM-DD' text.

CREATE TABLE units (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	parent_id INTEGER REFERENCES units(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('province', 'upper', 'grassroots', 'cell')),
	may_admit INTEGER NOT NULL DEFAULT 0 CHECK (may_admit IN (0, 1)),
	sector TEXT,
	special_area INTEGER NOT NULL DEFAULT 0 CHECK (special_area IN (0, 1))
) STRICT;
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE people (
	id INTEGER PRIMARY KEY,
	ref TEXT NOT NULL UNIQUE,
	full_name TEXT NOT NULL,
	search_name TEXT NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
	birth_date TEXT NOT NULL,
	unit_id INTEGER NOT NULL REFERENCES units(id),
	ethnicity TEXT,
	religion TEXT,
	education TEXT,
	qualification TEXT,
	occupation TEXT,
	youth_union INTEGER NOT NULL DEFAULT 0,
	trade_union INTEGER NOT NULL DEFAULT 0,
	member_since TEXT,
	official_since TEXT,
	phone TEXT,
	note TEXT
) STRICT;
CREATE INDEX people_unit ON people(unit_id);

-- A candidacy's stage is derived from its steps and written in the same
-- transaction as the step; version counts changes (optimistic locking).
CREATE TABLE candidacies (
	id INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES people(id),
	unit_id INTEGER NOT NULL REFERENCES units(id),
	stage TEXT NOT NULL,
	is_open INTEGER NOT NULL CHECK (is_open IN (0, 1)),
	version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX candidacies_person ON candidacies(person_id);
CREATE UNIQUE INDEX candidacies_one_open ON candidacies(person_id) WHERE is_open = 1;

-- The append-only step log.
CREATE TABLE steps (
	id INTEGER PRIMARY KEY,
	candidacy_id INTEGER NOT NULL REFERENCES candidacies(id),
	seq INTEGER NOT NULL,
	step TEXT NOT NULL,
	date TEXT NOT NULL,
	doc_no TEXT,
	org TEXT,
	member_id INTEGER REFERENCES people(id),
	intro1_id INTEGER REFERENCES people(id),
	intro1_since TEXT,
	intro2_id INTEGER REFERENCES people(id),
	intro2_since TEXT,
	votes_for INTEGER,
	votes_total INTEGER,
	consent TEXT,
	override TEXT,
	override_by TEXT,
	note TEXT,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	UNIQUE (candidacy_id, seq)
) STRICT;
CREATE INDEX steps_step_date ON steps(step, date);

CREATE TABLE quotas (
	unit_id INTEGER NOT NULL REFERENCES units(id),
	year INTEGER NOT NULL,
	category TEXT NOT NULL,
	target INTEGER NOT NULL CHECK (target >= 0),
	PRIMARY KEY (unit_id, year, category)
) STRICT;

CREATE TABLE holidays (
	date TEXT PRIMARY KEY,
	workday INTEGER NOT NULL DEFAULT 0 CHECK (workday IN (0, 1)),
	name TEXT
) STRICT;

-- Effective-dated rule parameters (RULES.md §7); from_date '' = always.
CREATE TABLE policy (
	key TEXT NOT NULL,
	from_date TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (key, from_date)
) STRICT;

CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	key TEXT NOT NULL,
	before TEXT,
	after TEXT
) STRICT;
