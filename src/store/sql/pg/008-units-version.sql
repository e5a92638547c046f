-- 008: the units version: PostgreSQL flavour of ../008-units-version.sql.
-- One bump per statement (FOR EACH STATEMENT), not per row: an import of
-- a nation's 330 thousand units is one statement per unit anyway through
-- the store, but a COPY or a TRUNCATE is one bump. The bump takes the
-- changes row's lock from the units statement on, not only at commit as
-- migration 005's bump does, so a transaction that writes units makes
-- other writers' commits wait for it; units are written rarely (an
-- administrator's import or edit), so that is accepted.
ALTER TABLE changes ADD COLUMN units BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION units_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE changes SET units = units + 1 WHERE one = 1;
	RETURN NULL;
END;
$$;

CREATE TRIGGER units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
	FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump();
