-- 016 (issue 13): each candidacy carries the dates its deadlines and its
-- place in the decisions queue are computed from, so that the deadlines
-- report and the dashboard read one row per open candidacy instead of
-- every one of its steps (at the national root 251 k candidacies and 2 M
-- step rows). deadlines_for() and queue_waiting() look, among the steps
-- dated on or before the day asked about, at whether an ending step or
-- `official` exists, at the latest date of trained, introduced,
-- cell_vote, committee_vote, decision, ceremony and probation_vote, and
-- at the highest ordered step present (which among those decides what
-- they count). For a candidacy whose steps are all dated on or before
-- that day (last_date <= as_of) one step of each kind with its latest
-- date is therefore the same; the others still read their steps.
--
-- closed_on: the latest date of an official or ending step. The columns
-- are kept by the triggers below on every write of steps, whatever the
-- path (a step recorded, corrected, moved by a merge, a bulk import):
-- an insert raises the one column of its kind (and last_date), an update
-- of the date, the kind or the candidacy and a delete recompute the
-- candidacy's columns from its steps. `ketnap verify` compares them with
-- the steps.
ALTER TABLE candidacies ADD COLUMN last_date TEXT;
ALTER TABLE candidacies ADD COLUMN trained_on TEXT;
ALTER TABLE candidacies ADD COLUMN introduced_on TEXT;
ALTER TABLE candidacies ADD COLUMN cell_vote_on TEXT;
ALTER TABLE candidacies ADD COLUMN committee_vote_on TEXT;
ALTER TABLE candidacies ADD COLUMN decision_on TEXT;
ALTER TABLE candidacies ADD COLUMN ceremony_on TEXT;
ALTER TABLE candidacies ADD COLUMN probation_vote_on TEXT;
ALTER TABLE candidacies ADD COLUMN closed_on TEXT;

UPDATE candidacies SET (last_date, trained_on, introduced_on, cell_vote_on, committee_vote_on,
	decision_on, ceremony_on, probation_vote_on, closed_on) = (SELECT MAX(date),
	MAX(CASE WHEN step = 'trained' THEN date END),
	MAX(CASE WHEN step = 'introduced' THEN date END),
	MAX(CASE WHEN step = 'cell_vote' THEN date END),
	MAX(CASE WHEN step = 'committee_vote' THEN date END),
	MAX(CASE WHEN step = 'decision' THEN date END),
	MAX(CASE WHEN step = 'ceremony' THEN date END),
	MAX(CASE WHEN step = 'probation_vote' THEN date END),
	MAX(CASE WHEN step IN ('official', 'withdrawn', 'rejected', 'struck_off') THEN date END)
	FROM steps WHERE candidacy_id = candidacies.id);

-- An insert: the one column of its kind and last_date, when later.
CREATE TRIGGER steps_dates_insert AFTER INSERT ON steps BEGIN
	UPDATE candidacies SET
		last_date = CASE WHEN last_date >= NEW.date THEN last_date ELSE NEW.date END,
		trained_on = CASE WHEN NEW.step <> 'trained' OR trained_on >= NEW.date
			THEN trained_on ELSE NEW.date END,
		introduced_on = CASE WHEN NEW.step <> 'introduced' OR introduced_on >= NEW.date
			THEN introduced_on ELSE NEW.date END,
		cell_vote_on = CASE WHEN NEW.step <> 'cell_vote' OR cell_vote_on >= NEW.date
			THEN cell_vote_on ELSE NEW.date END,
		committee_vote_on = CASE WHEN NEW.step <> 'committee_vote' OR
			committee_vote_on >= NEW.date THEN committee_vote_on ELSE NEW.date END,
		decision_on = CASE WHEN NEW.step <> 'decision' OR decision_on >= NEW.date
			THEN decision_on ELSE NEW.date END,
		ceremony_on = CASE WHEN NEW.step <> 'ceremony' OR ceremony_on >= NEW.date
			THEN ceremony_on ELSE NEW.date END,
		probation_vote_on = CASE WHEN NEW.step <> 'probation_vote' OR
			probation_vote_on >= NEW.date THEN probation_vote_on ELSE NEW.date END,
		closed_on = CASE WHEN NEW.step NOT IN ('official', 'withdrawn', 'rejected',
			'struck_off') OR closed_on >= NEW.date THEN closed_on ELSE NEW.date END
	WHERE id = NEW.candidacy_id;
END;

-- A correction (the date), a merge (the candidacy) or any other change of
-- what the columns are made of, and a delete: recomputed from the steps.
CREATE TRIGGER steps_dates_update AFTER UPDATE OF candidacy_id, step, date ON steps BEGIN
	UPDATE candidacies SET (last_date, trained_on, introduced_on, cell_vote_on,
		committee_vote_on, decision_on, ceremony_on, probation_vote_on, closed_on) =
		(SELECT MAX(date), MAX(CASE WHEN step = 'trained' THEN date END),
		MAX(CASE WHEN step = 'introduced' THEN date END),
		MAX(CASE WHEN step = 'cell_vote' THEN date END),
		MAX(CASE WHEN step = 'committee_vote' THEN date END),
		MAX(CASE WHEN step = 'decision' THEN date END),
		MAX(CASE WHEN step = 'ceremony' THEN date END),
		MAX(CASE WHEN step = 'probation_vote' THEN date END),
		MAX(CASE WHEN step IN ('official', 'withdrawn', 'rejected', 'struck_off')
			THEN date END)
		FROM steps s WHERE s.candidacy_id = candidacies.id)
	WHERE id IN (OLD.candidacy_id, NEW.candidacy_id);
END;

CREATE TRIGGER steps_dates_delete AFTER DELETE ON steps BEGIN
	UPDATE candidacies SET (last_date, trained_on, introduced_on, cell_vote_on,
		committee_vote_on, decision_on, ceremony_on, probation_vote_on, closed_on) =
		(SELECT MAX(date), MAX(CASE WHEN step = 'trained' THEN date END),
		MAX(CASE WHEN step = 'introduced' THEN date END),
		MAX(CASE WHEN step = 'cell_vote' THEN date END),
		MAX(CASE WHEN step = 'committee_vote' THEN date END),
		MAX(CASE WHEN step = 'decision' THEN date END),
		MAX(CASE WHEN step = 'ceremony' THEN date END),
		MAX(CASE WHEN step = 'probation_vote' THEN date END),
		MAX(CASE WHEN step IN ('official', 'withdrawn', 'rejected', 'struck_off')
			THEN date END)
		FROM steps s WHERE s.candidacy_id = candidacies.id)
	WHERE id = OLD.candidacy_id;
END;
