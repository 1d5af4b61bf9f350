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
	ADD CONSTRAINT response_blank CHECK (respondent ~ '\S' AND item ~ '\S') NOT VALID;
ALTER TABLE org_event
	ADD CONSTRAINT org_event_bounds CHECK (quantity < 1000000) NOT VALID,
	ADD CONSTRAINT org_event_department_blank CHECK (department ~ '\S') NOT VALID;
ALTER TABLE target
	ADD CONSTRAINT target_bounds CHECK (abs(target) < 1e12 AND scale(target) <= 12
		AND scale(amber_ratio) <= 12) NOT VALID;
ALTER TABLE weight
	ADD CONSTRAINT weight_bounds CHECK (weight < 1e6 AND scale(weight) <= 12) NOT VALID;
