-- 010: re-admission: PostgreSQL flavour of ../010-readmission.sql, which
-- says what the columns are, why a candidacy keeps its own readmission
-- flag, and what an existing database's data becomes. Dates are text in
-- the "C" collation, as in 001.
ALTER TABLE people ADD COLUMN left_on TEXT COLLATE "C";
ALTER TABLE people ADD COLUMN left_reason TEXT CHECK (left_reason IN ('struck_off',
	'expelled', 'resigned', 'resigned_family', 'abandoned', 'disunity', 'corruption',
	'serious_crime', 'minor_crime', 'population_policy', 'other'));
ALTER TABLE people ADD COLUMN record_cleared_on TEXT COLLATE "C";
ALTER TABLE people ADD COLUMN readmitted INTEGER NOT NULL DEFAULT 0
	CHECK (readmitted IN (0, 1));
ALTER TABLE candidacies ADD COLUMN readmission INTEGER NOT NULL DEFAULT 0
	CHECK (readmission IN (0, 1));

UPDATE people SET left_on = (SELECT MAX(s.date) FROM steps s JOIN candidacies c
		ON c.id = s.candidacy_id WHERE c.person_id = people.id AND s.step = 'struck_off'),
	left_reason = 'struck_off'
WHERE EXISTS (SELECT 1 FROM steps s JOIN candidacies c ON c.id = s.candidacy_id
	WHERE c.person_id = people.id AND s.step = 'struck_off');

UPDATE candidacies SET readmission = 1
WHERE EXISTS (SELECT 1 FROM steps src, steps off JOIN candidacies e
		ON e.id = off.candidacy_id
	WHERE src.candidacy_id = candidacies.id AND src.step = 'source'
	AND e.person_id = candidacies.person_id AND e.id < candidacies.id
	AND off.step = 'struck_off' AND off.date <= src.date);

UPDATE people SET readmitted = 1
WHERE EXISTS (SELECT 1 FROM candidacies c JOIN steps d ON d.candidacy_id = c.id
	WHERE c.person_id = people.id AND c.readmission = 1 AND d.step = 'decision');
