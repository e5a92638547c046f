-- 016 (issue 13): each candidacy carries the dates its deadlines and its
-- place in the decisions queue are computed from: PostgreSQL flavour of
-- ../016-candidacy-dates.sql, which says why and what each column holds.
-- The same columns, backfill and triggers (one function per kind of
-- write).
ALTER TABLE candidacies ADD COLUMN last_date TEXT COLLATE "C",
	ADD COLUMN trained_on TEXT COLLATE "C", ADD COLUMN introduced_on TEXT COLLATE "C",
	ADD COLUMN cell_vote_on TEXT COLLATE "C", ADD COLUMN committee_vote_on TEXT COLLATE "C",
	ADD COLUMN decision_on TEXT COLLATE "C", ADD COLUMN ceremony_on TEXT COLLATE "C",
	ADD COLUMN probation_vote_on TEXT COLLATE "C", ADD COLUMN closed_on TEXT COLLATE "C";

CREATE FUNCTION candidacy_dates_recompute(cid BIGINT) RETURNS void LANGUAGE sql AS $$
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
		FROM steps s WHERE s.candidacy_id = cid)
	WHERE id = cid;
$$;

UPDATE candidacies c SET (last_date, trained_on, introduced_on, cell_vote_on, committee_vote_on,
	decision_on, ceremony_on, probation_vote_on, closed_on) = (a.last_date, a.trained_on,
	a.introduced_on, a.cell_vote_on, a.committee_vote_on, a.decision_on, a.ceremony_on,
	a.probation_vote_on, a.closed_on)
FROM (SELECT candidacy_id, MAX(date) AS last_date,
	MAX(CASE WHEN step = 'trained' THEN date END) AS trained_on,
	MAX(CASE WHEN step = 'introduced' THEN date END) AS introduced_on,
	MAX(CASE WHEN step = 'cell_vote' THEN date END) AS cell_vote_on,
	MAX(CASE WHEN step = 'committee_vote' THEN date END) AS committee_vote_on,
	MAX(CASE WHEN step = 'decision' THEN date END) AS decision_on,
	MAX(CASE WHEN step = 'ceremony' THEN date END) AS ceremony_on,
	MAX(CASE WHEN step = 'probation_vote' THEN date END) AS probation_vote_on,
	MAX(CASE WHEN step IN ('official', 'withdrawn', 'rejected', 'struck_off') THEN date END)
		AS closed_on
	FROM steps GROUP BY candidacy_id) a
WHERE a.candidacy_id = c.id;

-- An insert: the one column of its kind and last_date, when later.
CREATE FUNCTION steps_dates_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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
	RETURN NULL;
END;
$$;
CREATE TRIGGER steps_dates_insert AFTER INSERT ON steps
	FOR EACH ROW EXECUTE FUNCTION steps_dates_insert();

-- A correction (the date), a merge (the candidacy) or any other change of
-- what the columns are made of, and a delete: recomputed from the steps.
CREATE FUNCTION steps_dates_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		IF NEW.candidacy_id IS DISTINCT FROM OLD.candidacy_id THEN
			PERFORM candidacy_dates_recompute(NEW.candidacy_id);
		END IF;
	END IF;
	PERFORM candidacy_dates_recompute(OLD.candidacy_id);
	RETURN NULL;
END;
$$;
CREATE TRIGGER steps_dates_update AFTER UPDATE OF candidacy_id, step, date ON steps
	FOR EACH ROW EXECUTE FUNCTION steps_dates_change();
CREATE TRIGGER steps_dates_delete AFTER DELETE ON steps
	FOR EACH ROW EXECUTE FUNCTION steps_dates_change();
