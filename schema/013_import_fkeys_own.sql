-- cruscotto schema, version 13: a rebuilt table's own foreign keys dropped by
-- a function of their own, and never one that is NOT VALID.
SET search_path = cruscotto, pg_catalog;

-- Version 12 made import_indexes_drop drop the table's foreign keys with its
-- indexes. import now drops them with import_fkeys_drop, after
-- import_indexes_drop, which goes back to what version 3 made it: indexes,
-- primary keys and unique constraints. import_indexes_restore adds them all
-- back after the COPY (ALTER TABLE ... ADD FOREIGN KEY checks every row in
-- one query, and refuses the lot if a row names nothing, which sends the
-- file through staging to have the row named). Both keep their list in the
-- same temporary table, created by whichever runs first. A key NOT VALID is
-- never dropped (none is, today): added back as it was, it would check none
-- of the rows just written. Keys that name this table are never dropped:
-- import does not rebuild a table that a foreign key names.
CREATE OR REPLACE FUNCTION import_indexes_drop(t regclass) RETURNS void
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

CREATE OR REPLACE FUNCTION import_fkeys_drop(t regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	d record;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS import_index (tbl regclass, name text,
		is_constraint boolean, def text) ON COMMIT DROP;
	FOR d IN
		SELECT c.conname::text AS name, pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c WHERE c.conrelid = t AND c.contype = 'f' AND c.convalidated
	LOOP
		INSERT INTO pg_temp.import_index VALUES (t, d.name, true, d.def);
		EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t, d.name);
	END LOOP;
END
$$;
