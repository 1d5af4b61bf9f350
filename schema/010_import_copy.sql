-- cruscotto schema, version 10: a fact file COPYed straight into its table, and
-- its values checked at less cost.
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

-- The same rules as version 3's, written so that a value checked as it is
-- COPYed costs less. "Not only blanks" first looks at the first character:
-- a printable ASCII character other than the space settles it, and only
-- text that starts otherwise goes through the regular expression, which
-- was a third of the time of COPYing a file of responses. A code's regular
-- expression runs in the "C" collation (its ranges are code points in every
-- collation, so it accepts the same codes), after its length. NOT VALID as
-- in version 3: the rules are unchanged, rows already stored obey them.
ALTER DOMAIN code DROP CONSTRAINT code_check;
ALTER DOMAIN code ADD CONSTRAINT code_check
	CHECK (length(VALUE) <= 64 AND VALUE COLLATE "C" ~ '^[A-Za-z0-9_.-]+$') NOT VALID;

ALTER TABLE policy DROP CONSTRAINT policy_name_blank,
	ADD CONSTRAINT policy_name_blank CHECK (ascii(name) BETWEEN 33 AND 126
		OR name ~ '\S') NOT VALID;
ALTER TABLE neighbourhood DROP CONSTRAINT neighbourhood_name_blank,
	ADD CONSTRAINT neighbourhood_name_blank CHECK (ascii(name) BETWEEN 33 AND 126
		OR name ~ '\S') NOT VALID;
ALTER TABLE agreement DROP CONSTRAINT agreement_title_blank,
	ADD CONSTRAINT agreement_title_blank CHECK (ascii(title) BETWEEN 33 AND 126
		OR title ~ '\S') NOT VALID;
ALTER TABLE project DROP CONSTRAINT project_title_blank,
	ADD CONSTRAINT project_title_blank CHECK (ascii(title) BETWEEN 33 AND 126
		OR title ~ '\S') NOT VALID;
ALTER TABLE milestone DROP CONSTRAINT milestone_title_blank,
	ADD CONSTRAINT milestone_title_blank CHECK (ascii(title) BETWEEN 33 AND 126
		OR title ~ '\S') NOT VALID;
ALTER TABLE attendance DROP CONSTRAINT attendance_person_blank,
	ADD CONSTRAINT attendance_person_blank CHECK (ascii(person) BETWEEN 33 AND 126
		OR person ~ '\S') NOT VALID;
ALTER TABLE response DROP CONSTRAINT response_blank,
	ADD CONSTRAINT response_blank CHECK ((ascii(respondent) BETWEEN 33 AND 126
		OR respondent ~ '\S') AND (ascii(item) BETWEEN 33 AND 126 OR item ~ '\S')) NOT VALID;
ALTER TABLE org_event DROP CONSTRAINT org_event_department_blank,
	ADD CONSTRAINT org_event_department_blank CHECK (ascii(department) BETWEEN 33 AND 126
		OR department ~ '\S') NOT VALID;
