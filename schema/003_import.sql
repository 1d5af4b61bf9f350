-- cruscotto schema, version 3: import at the speed of COPY, and bounds on what
-- a municipality's data can hold.
SET search_path = cruscotto, pg_catalog;

-- The same rule as version 1's (1-64 characters of [A-Za-z0-9_.-]), written
-- without the bounded repetition {1,64}: PostgreSQL's regular expression
-- engine expands it into 64 states, which made this check cost ten times the
-- rest of a row's insert.
ALTER DOMAIN code DROP CONSTRAINT code_check;
ALTER DOMAIN code ADD CONSTRAINT code_check
	CHECK (VALUE ~ '^[A-Za-z0-9_.-]+$' AND length(VALUE) <= 64);

-- True when `t`, of the form YYYY-MM-DD, names a day that exists (years 0001
-- to 9999). An expression, not a cast in an EXCEPTION block: PostgreSQL
-- inlines it into the query, so checking a million dates opens no
-- subtransaction. NULL when `t` is not of the form.
CREATE FUNCTION date_ok(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN t ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$' THEN
		substr(t, 1, 4)::integer >= 1
		AND substr(t, 6, 2)::integer BETWEEN 1 AND 12
		AND substr(t, 9, 2)::integer BETWEEN 1 AND CASE substr(t, 6, 2)::integer
			WHEN 2 THEN CASE WHEN substr(t, 1, 4)::integer % 4 = 0
				AND (substr(t, 1, 4)::integer % 100 <> 0
				     OR substr(t, 1, 4)::integer % 400 = 0) THEN 29 ELSE 28 END
			WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30
			ELSE 31 END
	END
$$;

-- Raised by import's INSERT for a row that breaks a rule of the interchange
-- format; the import then looks for the first broken rule to name it.
CREATE FUNCTION import_refuse() RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	RAISE EXCEPTION 'a row breaks a rule of the interchange format'
		USING ERRCODE = 'check_violation';
END
$$;

-- Bounds (docs/IMPORT.md): no quantity beyond what a municipality's data can
-- hold, at most 12 decimals, and required text that is not only blanks.
-- NOT VALID: rows stored before version 3 are not re-checked, so that an
-- upgrade never fails on them; every row written from now on is.
ALTER TABLE policy
	ADD CONSTRAINT policy_bounds CHECK (volunteer_hour_value_eur < 1e6
		AND scale(volunteer_hour_value_eur) <= 12 AND min_cell < 1000000) NOT VALID,
	ADD CONSTRAINT policy_name_blank CHECK (name ~ '\S') NOT VALID;
ALTER TABLE neighbourhood
	ADD CONSTRAINT neighbourhood_bounds CHECK (population < 1000000000) NOT VALID,
	ADD CONSTRAINT neighbourhood_name_blank CHECK (name ~ '\S') NOT VALID;
ALTER TABLE agreement
	ADD CONSTRAINT agreement_title_blank CHECK (title ~ '\S') NOT VALID;
ALTER TABLE project
	ADD CONSTRAINT project_title_blank CHECK (title ~ '\S') NOT VALID;
ALTER TABLE finance
	ADD CONSTRAINT finance_bounds CHECK (abs(amount_eur) < 1e12 AND scale(amount_eur) <= 12)
		NOT VALID;
ALTER TABLE milestone
	ADD CONSTRAINT milestone_title_blank CHECK (title ~ '\S') NOT VALID;
ALTER TABLE meeting
	ADD CONSTRAINT meeting_bounds CHECK (hours < 1e6 AND scale(hours) <= 12) NOT VALID;
ALTER TABLE attendance
	ADD CONSTRAINT attendance_person_blank CHECK (person ~ '\S') NOT VALID;
ALTER TABLE resource
	ADD CONSTRAINT resource_bounds CHECK (quantity < 1e12 AND scale(quantity) <= 12) NOT VALID;
ALTER TABLE response
	ADD CONSTRAINT response_blank CHECK (respondent ~ '\S'
		AND item ~ '\S') NOT VALID;
ALTER TABLE org_event
	ADD CONSTRAINT org_event_bounds CHECK (quantity < 1000000) NOT VALID,
	ADD CONSTRAINT org_event_department_blank CHECK (department ~ '\S') NOT VALID;
ALTER TABLE target
	ADD CONSTRAINT target_bounds CHECK (abs(target) < 1e12 AND scale(target) <= 12
		AND scale(amber_ratio) <= 12) NOT VALID;
ALTER TABLE weight
	ADD CONSTRAINT weight_bounds CHECK (weight < 1e6 AND scale(weight) <= 12) NOT VALID;

-- References checked once per statement rather than once per row. A foreign
-- key checks each inserted row with a query of its own: for the two million
-- attendances of a large import that is most of its time. These triggers
-- hold the same rule as the foreign keys they replace, with one query per
-- statement over the rows it wrote (its transition table):
-- - a row written must name a row of the parent table, which is locked FOR
--   KEY SHARE as a foreign key locks it, so that it cannot be deleted or its
--   code changed until the writing transaction ends;
-- - a parent row deleted, or whose code changed, must not be named any more.
-- Unlike a foreign key, TRUNCATE of a parent table is not refused.

-- TG_ARGV: the column holding the reference, the parent table and its key.
CREATE FUNCTION ref_check_new() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	col text := TG_ARGV[0];
	parent text := TG_ARGV[1];
	pkey text := TG_ARGV[2];
	missing text;
BEGIN
	-- the values named, once each (an import's rows name few parents many
	-- times); those found are locked, the first one missing reported
	EXECUTE format('WITH d AS MATERIALIZED (SELECT DISTINCT n.%I AS v FROM new_rows n'
		' WHERE n.%I IS NOT NULL), l AS (SELECT p.%I AS k FROM cruscotto.%I p WHERE p.%I IN'
		' (SELECT d.v FROM d) FOR KEY SHARE OF p) SELECT (SELECT d.v::text FROM d WHERE NOT'
		' EXISTS (SELECT 1 FROM l WHERE l.k = d.v) LIMIT 1)', col, col, pkey, parent, pkey)
		INTO missing;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"',
			TG_TABLE_NAME, TG_TABLE_NAME || '_' || col || '_fkey'
			USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
			DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, missing,
				parent);
	END IF;
	RETURN NULL;
END
$$;

-- TG_ARGV: the table that refers to this one, its column, and this table's
-- key.
CREATE FUNCTION ref_check_old() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	child text := TG_ARGV[0];
	col text := TG_ARGV[1];
	pkey text := TG_ARGV[2];
	gone text;
BEGIN
	EXECUTE format('SELECT o.%I::text FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM'
		' cruscotto.%I p WHERE p.%I = o.%I) AND EXISTS (SELECT 1 FROM cruscotto.%I c'
		' WHERE c.%I = o.%I) LIMIT 1', pkey, TG_TABLE_NAME, pkey, pkey, child, col, pkey)
		INTO gone;
	IF gone IS NOT NULL THEN
		RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"',
			TG_TABLE_NAME, child || '_' || col || '_fkey', child
			USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME,
			DETAIL = format('Key (%s)=(%s) is still referenced from table "%s".', pkey,
				gone, child);
	END IF;
	RETURN NULL;
END
$$;

-- Replaces the foreign key child(col) -> parent(pkey) by the triggers above.
CREATE FUNCTION pg_temp.ref_by_statement(child text, col text, parent text, pkey text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE cruscotto.%I DROP CONSTRAINT %I', child,
		child || '_' || col || '_fkey');
	EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON cruscotto.%I REFERENCING NEW TABLE AS'
		' new_rows FOR EACH STATEMENT EXECUTE FUNCTION cruscotto.ref_check_new(%L, %L, %L)',
		child || '_' || col || '_ref_ins', child, col, parent, pkey);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON cruscotto.%I REFERENCING NEW TABLE AS'
		' new_rows FOR EACH STATEMENT EXECUTE FUNCTION cruscotto.ref_check_new(%L, %L, %L)',
		child || '_' || col || '_ref_upd', child, col, parent, pkey);
	EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON cruscotto.%I REFERENCING OLD TABLE AS'
		' old_rows FOR EACH STATEMENT EXECUTE FUNCTION cruscotto.ref_check_old(%L, %L, %L)',
		child || '_' || col || '_ref_del', parent, child, col, pkey);
	EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON cruscotto.%I REFERENCING OLD TABLE AS'
		' old_rows FOR EACH STATEMENT EXECUTE FUNCTION cruscotto.ref_check_old(%L, %L, %L)',
		child || '_' || col || '_ref_key', parent, child, col, pkey);
END
$$;

-- every table's batch_id -> batch(id), and the references of the files
-- that may be large
SELECT pg_temp.ref_by_statement(child, col, parent, pkey) FROM (
	SELECT t, 'batch_id', 'batch', 'id' FROM unnest(ARRAY['policy', 'neighbourhood',
		'agreement', 'agreement_area', 'ex_ante', 'signatory', 'signature', 'project',
		'finance', 'milestone', 'meeting', 'attendance', 'resource', 'survey', 'response',
		'org_event', 'target', 'weight']) AS t
	UNION ALL VALUES
	('agreement_area', 'agreement_code', 'agreement', 'code'),
	('agreement_area', 'neighbourhood_code', 'neighbourhood', 'code'),
	('ex_ante', 'agreement_code', 'agreement', 'code'),
	('signature', 'agreement_code', 'agreement', 'code'),
	('signature', 'signatory_code', 'signatory', 'code'),
	('project', 'agreement_code', 'agreement', 'code'),
	('finance', 'project_code', 'project', 'code'),
	('milestone', 'project_code', 'project', 'code'),
	('meeting', 'agreement_code', 'agreement', 'code'),
	('attendance', 'meeting_code', 'meeting', 'code'),
	('resource', 'agreement_code', 'agreement', 'code'),
	('response', 'survey_code', 'survey', 'code')) AS r(child, col, parent, pkey);
DROP FUNCTION pg_temp.ref_by_statement(text, text, text, text);

-- A large append into a table that holds fewer rows than it brings: its
-- indexes are dropped before the INSERT and built again after it, by sorting,
-- rather than updated row by row in random order (docs/IMPORT.md). Both run
-- in the import's transaction: a failure restores everything, and a repeated
-- key makes the unique index's build fail like the INSERT would.
CREATE FUNCTION import_indexes_drop(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	d record;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS import_index (tbl regclass, name text,
		is_constraint boolean, def text) ON COMMIT DROP;
	FOR d IN
		SELECT c.conname::text AS name, true AS is_constraint,
			pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c WHERE c.conrelid = t AND c.contype IN ('p', 'u')
		UNION ALL
		SELECT i.indexrelid::regclass::text, false, pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid = t AND NOT EXISTS (SELECT 1 FROM pg_constraint c
			WHERE c.conindid = i.indexrelid AND c.conrelid = t)
	LOOP
		INSERT INTO pg_temp.import_index VALUES (t, d.name, d.is_constraint, d.def);
		IF d.is_constraint THEN
			EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t, d.name);
		ELSE
			EXECUTE format('DROP INDEX %s', d.name);
		END IF;
	END LOOP;
END
$$;

CREATE FUNCTION import_indexes_restore() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	d record;
BEGIN
	-- the sort of a few million keys in memory rather than on disk; for
	-- this transaction only
	PERFORM set_config('maintenance_work_mem', '256MB', true);
	FOR d IN SELECT * FROM pg_temp.import_index LOOP
		IF d.is_constraint THEN
			EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', d.tbl, d.name, d.def);
		ELSE
			EXECUTE d.def;
		END IF;
	END LOOP;
	DELETE FROM pg_temp.import_index;
END
$$;
