-- 018 (issue 13): each person carries the unit of their latest
-- candidacy and whether it is open, for the candidates' list's partial
-- indexes: PostgreSQL flavour of ../018-list-latest.sql, which says why
-- and what each column holds. The same columns, backfill, indexes (the
-- ref compared as bytes, as people_name_key) and triggers.
ALTER TABLE people ADD COLUMN latest_unit BIGINT,
	ADD COLUMN latest_open INTEGER NOT NULL DEFAULT 0;

UPDATE people p SET latest_unit = x.unit_id, latest_open = x.is_open
FROM (SELECT DISTINCT ON (person_id) person_id, unit_id, is_open FROM candidacies
	ORDER BY person_id, id DESC) x
WHERE p.id = x.person_id;

CREATE INDEX people_latest_open ON people (name_key, ref COLLATE "C", latest_unit,
	search_name) WHERE latest_open = 1;
CREATE INDEX people_latest ON people (name_key, ref COLLATE "C", latest_unit, latest_open,
	search_name) WHERE latest_unit IS NOT NULL;

CREATE FUNCTION people_latest_recompute(pid BIGINT) RETURNS void LANGUAGE sql AS $$
	UPDATE people SET
		latest_unit = (SELECT c.unit_id FROM candidacies c WHERE c.person_id = pid
			ORDER BY c.id DESC LIMIT 1),
		latest_open = COALESCE((SELECT c.is_open FROM candidacies c
			WHERE c.person_id = pid ORDER BY c.id DESC LIMIT 1), 0)
	WHERE id = pid;
$$;

CREATE FUNCTION candidacies_latest() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		PERFORM people_latest_recompute(OLD.person_id);
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.person_id <> OLD.person_id) THEN
		PERFORM people_latest_recompute(NEW.person_id);
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER candidacies_latest_insert AFTER INSERT ON candidacies FOR EACH ROW
	EXECUTE FUNCTION candidacies_latest();
-- A stage move that neither opens nor closes it queues nothing.
CREATE TRIGGER candidacies_latest_update AFTER UPDATE OF person_id, unit_id, is_open
	ON candidacies FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id
	OR OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.is_open IS DISTINCT FROM NEW.is_open)
	EXECUTE FUNCTION candidacies_latest();
CREATE TRIGGER candidacies_latest_delete AFTER DELETE ON candidacies FOR EACH ROW
	EXECUTE FUNCTION candidacies_latest();
