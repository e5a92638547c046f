-- 018 (issue 13): the candidates' list and /api/v1/people read one
-- partial index in name order instead of walking every person. Each
-- person carries what the list's default filters ask of their latest
-- candidacy (the one of the largest id, as the list's CAND_LATEST):
--   latest_unit  its unit (NULL: no candidacy),
--   latest_open  1 when it is open, else 0.
-- The two indexes hold, in the list's order (people_name_key's), the
-- people whose latest candidacy is open (about 1 in 60 at a nation's
-- root) and those with any candidacy, with the unit and the folded name
-- so that the subtree and the search are judged in the index and a page
-- number typed skips index entries only. The columns are kept by the
-- triggers below on every write of candidacies, whatever the path (a
-- step that opens or closes one, a re-admission, a transfer, a merge of
-- duplicates, a bulk import); `ketnap verify` compares them with the
-- candidacies.
ALTER TABLE people ADD COLUMN latest_unit INTEGER;
ALTER TABLE people ADD COLUMN latest_open INTEGER NOT NULL DEFAULT 0;

UPDATE people SET latest_unit = x.unit_id, latest_open = x.is_open
FROM (SELECT c.person_id, c.unit_id, c.is_open FROM candidacies c
	JOIN (SELECT person_id, MAX(id) AS id FROM candidacies GROUP BY person_id) m
	ON m.id = c.id) x
WHERE people.id = x.person_id;

CREATE INDEX people_latest_open ON people(name_key, ref, latest_unit, search_name)
	WHERE latest_open = 1;
CREATE INDEX people_latest ON people(name_key, ref, latest_unit, latest_open, search_name)
	WHERE latest_unit IS NOT NULL;

-- A person's two columns from their candidacies.
CREATE TRIGGER candidacies_latest_insert AFTER INSERT ON candidacies BEGIN
	UPDATE people SET
		latest_unit = (SELECT c.unit_id FROM candidacies c WHERE c.person_id = people.id
			ORDER BY c.id DESC LIMIT 1),
		latest_open = COALESCE((SELECT c.is_open FROM candidacies c
			WHERE c.person_id = people.id ORDER BY c.id DESC LIMIT 1), 0)
	WHERE id = NEW.person_id;
END;

-- A stage move that neither opens nor closes it changes nothing here.
CREATE TRIGGER candidacies_latest_update AFTER UPDATE OF person_id, unit_id, is_open
ON candidacies WHEN OLD.person_id IS NOT NEW.person_id OR OLD.unit_id IS NOT NEW.unit_id
	OR OLD.is_open IS NOT NEW.is_open BEGIN
	UPDATE people SET
		latest_unit = (SELECT c.unit_id FROM candidacies c WHERE c.person_id = people.id
			ORDER BY c.id DESC LIMIT 1),
		latest_open = COALESCE((SELECT c.is_open FROM candidacies c
			WHERE c.person_id = people.id ORDER BY c.id DESC LIMIT 1), 0)
	WHERE id IN (OLD.person_id, NEW.person_id);
END;

CREATE TRIGGER candidacies_latest_delete AFTER DELETE ON candidacies BEGIN
	UPDATE people SET
		latest_unit = (SELECT c.unit_id FROM candidacies c WHERE c.person_id = people.id
			ORDER BY c.id DESC LIMIT 1),
		latest_open = COALESCE((SELECT c.is_open FROM candidacies c
			WHERE c.person_id = people.id ORDER BY c.id DESC LIMIT 1), 0)
	WHERE id = OLD.person_id;
END;
