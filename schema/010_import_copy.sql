-- cruscotto schema, version 10: a fact file COPYed straight into its table.
SET search_path = cruscotto, pg_catalog;

-- A row written without a batch_id takes the batch of the import running in
-- its transaction (the setting cruscotto.batch_id, which import sets for the
-- transaction only), and NULL outside an import as before. So an import can
-- COPY a fact file into its table, naming only the file's columns. The
-- expression is stable, not volatile: COPY keeps inserting rows in batches.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['policy', 'neighbourhood', 'agreement', 'agreement_area',
		'ex_ante', 'signatory', 'signature', 'project', 'finance', 'milestone', 'meeting',
		'attendance', 'resource', 'survey', 'response', 'org_event', 'evidence', 'target',
		'weight']
	LOOP
		EXECUTE format('ALTER TABLE cruscotto.%I ALTER COLUMN batch_id SET DEFAULT'
			' nullif(current_setting(''cruscotto.batch_id'', true), '''')::bigint', t);
	END LOOP;
END
$$;
