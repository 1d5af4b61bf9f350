-- cruscotto schema, version 12: a large file into a table with foreign keys of
-- its own has them checked once, after the COPY, rather than row by row.
SET search_path = cruscotto, pg_catalog;

-- A foreign key checks each row inserted with a query of its own: the two of
-- survey (its policy, its agreement in that policy) were two thirds of the
-- time of COPYing 48,000 surveys. When import rebuilds a table's indexes
-- (import_indexes_drop, version 3), it now drops the table's own foreign
-- keys with them, and import_indexes_restore adds them back after the COPY:
-- ALTER TABLE ... ADD FOREIGN KEY checks every row in one query, and refuses
-- the lot if a row names nothing, which sends the file through staging to
-- have the row named. Dropped and added in the import's transaction, under
-- the same names and definitions (pg_get_constraintdef), the keys hold for
-- every other session throughout. Keys that name this table are never
-- dropped: import does not rebuild a table that a foreign key names.
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
		FROM pg_constraint c WHERE c.conrelid = t AND c.contype IN ('p', 'u', 'f')
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
