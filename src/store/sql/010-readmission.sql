-- 010: re-admission (issue 15, RULES.md §9). People carry when and why
-- they last left the Party (left_on, left_reason: the latest leaving
-- replaces an earlier one), when a criminal record was cleared
-- (record_cleared_on, for minor_crime) and whether they were already
-- re-admitted once (readmitted, set by the program when a re-admission's
-- decision is recorded and kept when they leave again: KN-READMIT-ONCE is
-- judged from the person alone).
--
-- A candidacy remembers that it is a re-admission in its own column,
-- candidacies.readmission, set once when its `source` step is recorded
-- (the person then had a left_on on or before the source's date) and
-- never recomputed: a person who leaves again gets a newer left_on, and
-- last year's re-admission must still count as one in last year's
-- structure report, and still be judged by the re-admission rules at its
-- later steps. "On or before": a person struck off on the very day a new
-- source is recorded is not a member that day (KN-OPEN), and must not
-- escape KN-READMIT-NEVER by the day's coincidence.
--
-- Carried forward: a person whose candidacy records `struck_off` gets the
-- latest such date as left_on with the reason struck_off (what the
-- program now writes with the step); a later candidacy of theirs sourced
-- on or after a struck_off of an earlier one is a re-admission, and a
-- person with a re-admission that records a decision is readmitted.
ALTER TABLE people ADD COLUMN left_on TEXT;
ALTER TABLE people ADD COLUMN left_reason TEXT CHECK (left_reason IN ('struck_off',
	'expelled', 'resigned', 'resigned_family', 'abandoned', 'disunity', 'corruption',
	'serious_crime', 'minor_crime', 'population_policy', 'other'));
ALTER TABLE people ADD COLUMN record_cleared_on TEXT;
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
