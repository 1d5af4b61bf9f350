-- cruscotto schema, version 11: a large fact file's references checked by
-- import against its parents' keys, references held as text, and an index
-- and checks that added nothing dropped.
SET search_path = cruscotto, pg_catalog;

-- No query reads attendance by person, yet every large import built this
-- index again: a quarter of the time of storing a file of attendance.
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

-- Required text that is not blank is not empty either: a check that it is
-- not empty beside the one that it is not blank said nothing more, at a cost
-- on every row of the two largest tables.
ALTER TABLE attendance DROP CONSTRAINT attendance_person_check;
ALTER TABLE response DROP CONSTRAINT response_respondent_check,
	DROP CONSTRAINT response_item_check;

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

-- Readies table t for the COPY of a file by an import that checks the
-- references in the columns `cols` itself, against import_ref_keys
-- (trusted = true), or puts it back as it was (false). Ready, the table's
-- reference checks on insert for those columns and for batch_id are off
-- (the batch is the import's own), and batch_id defaults to the import's
-- batch as a constant rather than through current_setting() on every row.
-- Only for that COPY, inside the import's transaction: ALTER TABLE is
-- transactional, so an import that fails leaves the table as it was.
CREATE FUNCTION import_copy_trusted(t regclass, cols text[], trusted boolean) RETURNS void
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
			CASE WHEN trusted THEN 'DISABLE' ELSE 'ENABLE' END, g);
	END LOOP;
	IF trusted THEN
		EXECUTE format('ALTER TABLE %s ALTER COLUMN batch_id SET DEFAULT %s', t,
			current_setting('cruscotto.batch_id')::bigint);
	ELSE
		-- schema 010's default
		EXECUTE format('ALTER TABLE %s ALTER COLUMN batch_id SET DEFAULT'
			' nullif(current_setting(''cruscotto.batch_id'', true), '''')::bigint', t);
	END IF;
END
$$;
