-- cruscotto schema, version 11: a large fact file's references checked by
-- import against its parents' keys, references held as text, and an index
-- nothing reads dropped.
SET search_path = cruscotto, pg_catalog;

-- No query reads attendance by person, yet every large import built this
-- index again: a third of the time of storing a file of attendance.
DROP INDEX attendance_person;

-- A fact's column that names a row of another table holds text, not a code:
-- the reference implies the form (the parent's key is a code), and the
-- domain's check was a third of the time of COPYing a file of responses.
-- import still names a value of another form "not a code" (docs/IMPORT.md).
ALTER TABLE agreement_area ALTER COLUMN agreement_code TYPE text,
	ALTER COLUMN neighbourhood_code TYPE text;
ALTER TABLE ex_ante ALTER COLUMN agreement_code TYPE text;
ALTER TABLE signature ALTER COLUMN agreement_code TYPE text,
	ALTER COLUMN signatory_code TYPE text;
ALTER TABLE finance ALTER COLUMN project_code TYPE text;
ALTER TABLE attendance ALTER COLUMN meeting_code TYPE text;
ALTER TABLE resource ALTER COLUMN agreement_code TYPE text;
ALTER TABLE response ALTER COLUMN survey_code TYPE text;

-- The keys of `parent` (a table keyed by code), in byte order, with the table
-- locked against every other writer until the import's transaction ends: the
-- keys an import checks a large fact file's references against (the same
-- guarantee as the FOR KEY SHARE of ref_check_new, at the cost of one lock).
CREATE FUNCTION import_ref_keys(parent regclass) RETURNS SETOF text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('LOCK TABLE %s IN SHARE MODE', parent);
	RETURN QUERY EXECUTE format('SELECT p.code::text FROM %s p ORDER BY p.code COLLATE "C"',
		parent);
END
$$;

-- Turns off (checked = true) or on again (false) the reference checks on
-- insert of table t for the columns `cols` and for batch_id: those of a file
-- COPYed by an import that checks these columns itself against
-- import_ref_keys, and whose batch_id is its own batch. Only for the
-- statement of that COPY, inside its transaction: ALTER TABLE is
-- transactional, and an import that fails leaves the checks on.
CREATE FUNCTION import_refs_checked(t regclass, cols text[], checked boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	g text;
BEGIN
	FOR g IN SELECT tg.tgname FROM pg_trigger tg
		JOIN pg_class c ON c.oid = tg.tgrelid
		WHERE tg.tgrelid = t
		AND tg.tgfoid = 'cruscotto.ref_check_new()'::regprocedure
		AND tg.tgname IN (SELECT c.relname || '_' || x || '_ref_ins'
			FROM unnest(cols || 'batch_id'::text) x)
		ORDER BY tg.tgname
	LOOP
		EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t,
			CASE WHEN checked THEN 'DISABLE' ELSE 'ENABLE' END, g);
	END LOOP;
END
$$;
