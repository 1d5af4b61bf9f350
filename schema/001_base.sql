-- cruscotto schema, version 1: the system of record for co-production policies.
-- The constraints restate docs/IMPORT.md, so that rows written by other systems
-- directly into PostgreSQL are held to the same rules as imported ones.

CREATE SCHEMA IF NOT EXISTS cruscotto;
SET search_path = cruscotto, pg_catalog;

-- A code: 1-64 characters of [A-Za-z0-9_.-], case-sensitive.
CREATE DOMAIN code AS text CHECK (VALUE ~ '^[A-Za-z0-9_.-]{1,64}$');

-- True when the dates that are present are in non-decreasing order.
CREATE FUNCTION dates_ordered(VARIADIC d date[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(bool_and(x <= y), true)
	FROM (SELECT x, lead(x) OVER (ORDER BY i) AS y
	      FROM unnest(d) WITH ORDINALITY AS u(x, i) WHERE x IS NOT NULL) s
	WHERE y IS NOT NULL
$$;

-- Parsing helpers for the interchange format (docs/IMPORT.md): NULL when the text is
-- not of the form, so that `import` checks a whole staging table with one
-- query per file (PostgreSQL 15 has no pg_input_is_valid). The form is held
-- by a regular expression first, so the cast only ever fails on a value of
-- the right shape that does not exist (2019-02-30) or is too long.
CREATE FUNCTION as_date(t text) RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		RETURN NULL;
	END IF;
	-- the form is fixed above, so the cast reads it the same whatever DateStyle
	RETURN t::date;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
	RETURN NULL;
END
$$;

-- True when `t` is a date YYYY-MM-DD that exists: false for 2019-02-30 and
-- for 14/02/2019 alike (the import tells them apart with the form alone).
CREATE FUNCTION is_date(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT cruscotto.as_date(t) IS NOT NULL
$$;

-- A decimal with '.' (no exponent, no thousands separator, no NaN).
CREATE FUNCTION as_number(t text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	IF t !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$' THEN
		RETURN NULL;
	END IF;
	RETURN t::numeric;
EXCEPTION WHEN numeric_value_out_of_range OR invalid_text_representation
	OR program_limit_exceeded THEN
	RETURN NULL;
END
$$;

-- An integer, as numeric so that its size is checked by the caller's range
-- rule rather than reported as "not an integer".
CREATE FUNCTION as_integer(t text) RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT CASE WHEN t ~ '^[+-]?[0-9]+$' THEN cruscotto.as_number(t) END
$$;

-- Each import is a batch; every file it read is listed with its SHA-256.
CREATE TABLE batch (
	id bigserial PRIMARY KEY,
	imported_at timestamptz NOT NULL DEFAULT now(),
	imported_by text NOT NULL DEFAULT current_user,
	source text NOT NULL
);

CREATE TABLE batch_file (
	batch_id bigint NOT NULL REFERENCES batch,
	file text NOT NULL,
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	data_rows integer NOT NULL CHECK (data_rows >= 0),
	rows_inserted integer NOT NULL DEFAULT 0,
	rows_updated integer NOT NULL DEFAULT 0,
	rows_appended integer NOT NULL DEFAULT 0,
	PRIMARY KEY (batch_id, file)
);
CREATE INDEX batch_file_sha256 ON batch_file (sha256);

-- The indicator catalogue, written by `cruscotto init` from the binary's own
-- catalogue, so that targets and weights can be checked against it.
CREATE TABLE catalogue (
	code text NOT NULL,
	level text NOT NULL CHECK (level IN ('agreement', 'policy')),
	dimension text NOT NULL,
	polarity text NOT NULL CHECK (polarity IN ('higher', 'lower', 'neutral')),
	PRIMARY KEY (code, level)
);

CREATE TABLE dimension (
	code text PRIMARY KEY
);
INSERT INTO dimension VALUES ('output'), ('efficiency'), ('effectiveness'), ('social_impact'),
	('organisational_impact');

CREATE TABLE policy (
	code code PRIMARY KEY,
	name text NOT NULL CHECK (name <> ''),
	started_on date NOT NULL,
	locale text NOT NULL DEFAULT 'it' CHECK (locale IN ('it', 'en')),
	volunteer_hour_value_eur numeric NOT NULL CHECK (volunteer_hour_value_eur >= 0),
	min_cell integer NOT NULL DEFAULT 5 CHECK (min_cell >= 1),
	batch_id bigint REFERENCES batch
);

CREATE TABLE neighbourhood (
	code code PRIMARY KEY,
	name text NOT NULL CHECK (name <> ''),
	population bigint NOT NULL CHECK (population >= 0),
	batch_id bigint REFERENCES batch
);

CREATE TABLE agreement (
	code code PRIMARY KEY,
	policy_code code NOT NULL REFERENCES policy,
	title text NOT NULL CHECK (title <> ''),
	lab_started_on date NOT NULL,
	approved_on date,
	signed_on date,
	closed_on date,
	published_on date,
	batch_id bigint REFERENCES batch,
	UNIQUE (code, policy_code),
	CHECK (dates_ordered(lab_started_on, approved_on, signed_on, closed_on, published_on))
);

CREATE TABLE agreement_area (
	agreement_code code NOT NULL REFERENCES agreement,
	neighbourhood_code code NOT NULL REFERENCES neighbourhood,
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (agreement_code, neighbourhood_code)
);

CREATE TABLE ex_ante (
	id bigserial PRIMARY KEY,
	agreement_code code NOT NULL REFERENCES agreement,
	criterion text NOT NULL CHECK (criterion IN ('feasibility', 'opportunity', 'relevance')),
	score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
	assessed_on date NOT NULL,
	batch_id bigint REFERENCES batch
);

CREATE TABLE signatory (
	code code PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('association', 'volunteer', 'business', 'other')),
	name text CHECK (name <> ''),
	batch_id bigint REFERENCES batch
);

CREATE TABLE signature (
	agreement_code code NOT NULL REFERENCES agreement,
	signatory_code code NOT NULL REFERENCES signatory,
	signed_on date NOT NULL,
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (agreement_code, signatory_code)
);

CREATE TABLE project (
	code code PRIMARY KEY,
	agreement_code code NOT NULL REFERENCES agreement,
	kind text NOT NULL CHECK (kind IN ('community_care', 'city_care')),
	title text NOT NULL CHECK (title <> ''),
	defined_on date NOT NULL,
	completed_on date CHECK (completed_on >= defined_on),
	batch_id bigint REFERENCES batch
);

CREATE TABLE finance (
	id bigserial PRIMARY KEY,
	project_code code NOT NULL REFERENCES project,
	booked_on date NOT NULL,
	stage text NOT NULL CHECK (stage IN ('allocated', 'committed', 'spent')),
	amount_eur numeric NOT NULL,
	batch_id bigint REFERENCES batch
);

CREATE TABLE milestone (
	code code PRIMARY KEY,
	project_code code NOT NULL REFERENCES project,
	title text NOT NULL CHECK (title <> ''),
	due_on date NOT NULL,
	achieved_on date,
	batch_id bigint REFERENCES batch
);

CREATE TABLE meeting (
	code code PRIMARY KEY,
	agreement_code code NOT NULL REFERENCES agreement,
	held_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('workshop', 'assembly', 'coordination', 'event')),
	hours numeric NOT NULL CHECK (hours > 0),
	batch_id bigint REFERENCES batch
);

CREATE TABLE attendance (
	meeting_code code NOT NULL REFERENCES meeting,
	person text NOT NULL CHECK (person <> ''),
	role text NOT NULL CHECK (role IN ('citizen', 'association', 'business', 'staff')),
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (meeting_code, person)
);

CREATE TABLE resource (
	id bigserial PRIMARY KEY,
	agreement_code code NOT NULL REFERENCES agreement,
	recorded_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('staff_hours', 'volunteer_hours', 'in_kind_eur')),
	quantity numeric NOT NULL CHECK (quantity >= 0),
	batch_id bigint REFERENCES batch
);

CREATE TABLE survey (
	code code PRIMARY KEY,
	policy_code code NOT NULL REFERENCES policy,
	agreement_code code,
	instrument text NOT NULL CHECK (instrument IN ('agreement_quality', 'satisfaction',
		'relationship_quality', 'quality_of_life', 'org_culture')),
	wave text NOT NULL CHECK (wave IN ('T0', 'T1', 'once')),
	fielded_on date NOT NULL,
	batch_id bigint REFERENCES batch,
	CHECK (agreement_code IS NOT NULL OR instrument = 'org_culture'),
	-- an agreement's survey belongs to that agreement's policy, and follows it
	-- when the agreement is moved to another policy
	FOREIGN KEY (agreement_code, policy_code) REFERENCES agreement (code, policy_code)
		ON UPDATE CASCADE
);

CREATE TABLE response (
	survey_code code NOT NULL REFERENCES survey,
	respondent text NOT NULL CHECK (respondent <> ''),
	item text NOT NULL CHECK (item <> ''),
	score integer CHECK (score BETWEEN 1 AND 5),
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (survey_code, respondent, item)
);

CREATE TABLE org_event (
	id bigserial PRIMARY KEY,
	policy_code code NOT NULL REFERENCES policy,
	agreement_code code,
	occurred_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('new_solution', 'process_change', 'new_method',
		'training')),
	department text NOT NULL CHECK (department <> ''),
	quantity integer NOT NULL DEFAULT 1 CHECK (quantity >= 1),
	description text CHECK (description <> ''),
	batch_id bigint REFERENCES batch,
	FOREIGN KEY (agreement_code, policy_code) REFERENCES agreement (code, policy_code)
		ON UPDATE CASCADE
);

CREATE TABLE target (
	policy_code code NOT NULL REFERENCES policy,
	indicator text NOT NULL,
	level text NOT NULL CHECK (level IN ('agreement', 'policy')),
	target numeric NOT NULL,
	amber_ratio numeric NOT NULL DEFAULT 0.8 CHECK (amber_ratio > 0 AND amber_ratio <= 1),
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (policy_code, indicator, level),
	FOREIGN KEY (indicator, level) REFERENCES catalogue (code, level)
);

CREATE TABLE weight (
	policy_code code NOT NULL REFERENCES policy,
	item text NOT NULL,
	weight numeric NOT NULL DEFAULT 1 CHECK (weight >= 0),
	batch_id bigint REFERENCES batch,
	PRIMARY KEY (policy_code, item)
);

-- Indexes for the set-based indicator queries (by agreement and by date).
CREATE INDEX agreement_policy ON agreement (policy_code);
CREATE INDEX signature_signatory ON signature (signatory_code, signed_on);
CREATE INDEX project_agreement ON project (agreement_code);
CREATE INDEX finance_project ON finance (project_code, booked_on);
CREATE INDEX milestone_project ON milestone (project_code);
CREATE INDEX meeting_agreement ON meeting (agreement_code, held_on);
CREATE INDEX attendance_person ON attendance (person);
CREATE INDEX resource_agreement ON resource (agreement_code, recorded_on);
CREATE INDEX survey_agreement ON survey (agreement_code, instrument);
CREATE INDEX survey_policy ON survey (policy_code, instrument);
CREATE INDEX org_event_policy ON org_event (policy_code, occurred_on);
CREATE INDEX ex_ante_agreement ON ex_ante (agreement_code, criterion, assessed_on);

-- Targets and weights are checked against the catalogue that `cruscotto init`
-- wrote. A target needs a direction to be judged by, so a neutral indicator
-- takes none; the foreign key already holds that the indicator exists at that
-- level.
CREATE FUNCTION target_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = NEW.indicator
		   AND k.level = NEW.level AND k.polarity = 'neutral') THEN
		RAISE EXCEPTION 'target: indicator % is neutral and takes no target', NEW.indicator
			USING ERRCODE = 'check_violation', TABLE = 'target';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER target_check BEFORE INSERT OR UPDATE ON target
	FOR EACH ROW EXECUTE FUNCTION target_check();

CREATE FUNCTION weight_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = NEW.item)
	   AND NOT EXISTS (SELECT 1 FROM cruscotto.dimension d WHERE d.code = NEW.item) THEN
		RAISE EXCEPTION 'weight: item % is neither a catalogue indicator nor a dimension',
			NEW.item USING ERRCODE = 'check_violation', TABLE = 'weight';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER weight_check BEFORE INSERT OR UPDATE ON weight
	FOR EACH ROW EXECUTE FUNCTION weight_check();

-- Every change to a row already stored: what it was, what it became, and the
-- import batch that did it. The batch is read from the transaction-local
-- setting cruscotto.batch_id that `import` sets, so a change made by another
-- system directly in SQL is recorded too, with a null batch. Inserts are not
-- changes: a new row carries its own batch_id. Only the columns whose value
-- changed are kept (batch_id aside); an update that changes nothing else
-- leaves no trace.
CREATE TABLE history (
	id bigserial PRIMARY KEY,
	table_name text NOT NULL,
	key jsonb NOT NULL, -- the row's primary key, e.g. {"code": "A1"}
	operation text NOT NULL CHECK (operation IN ('update', 'delete')),
	old_values jsonb NOT NULL,
	new_values jsonb, -- null for a delete
	batch_id bigint REFERENCES batch,
	changed_at timestamptz NOT NULL DEFAULT now(),
	changed_by text NOT NULL DEFAULT current_user
);
CREATE INDEX history_table_key ON history (table_name, key);
CREATE INDEX history_batch ON history (batch_id);

-- The trigger's arguments name the table's primary key columns.
CREATE FUNCTION record_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	o jsonb := to_jsonb(OLD) - 'batch_id';
	n jsonb;
	k jsonb := '{}';
	a text;
BEGIN
	FOREACH a IN ARRAY TG_ARGV LOOP
		k := k || jsonb_build_object(a, o -> a);
	END LOOP;
	IF TG_OP = 'UPDATE' THEN
		n := to_jsonb(NEW) - 'batch_id';
		SELECT jsonb_object_agg(e.key, e.value) INTO o
		FROM jsonb_each(to_jsonb(OLD) - 'batch_id') e WHERE n -> e.key IS DISTINCT FROM e.value;
		IF o IS NULL THEN
			RETURN NULL;
		END IF;
		SELECT jsonb_object_agg(e.key, e.value) INTO n
		FROM jsonb_each(to_jsonb(NEW) - 'batch_id') e WHERE o ? e.key;
	END IF;
	INSERT INTO cruscotto.history (table_name, key, operation, old_values, new_values, batch_id)
	VALUES (TG_TABLE_NAME, k, lower(TG_OP), o, n,
		nullif(current_setting('cruscotto.batch_id', true), '')::bigint);
	RETURN NULL;
END
$$;

CREATE TRIGGER policy_history AFTER UPDATE OR DELETE ON policy
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER neighbourhood_history AFTER UPDATE OR DELETE ON neighbourhood
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER agreement_history AFTER UPDATE OR DELETE ON agreement
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER agreement_area_history AFTER UPDATE OR DELETE ON agreement_area
	FOR EACH ROW EXECUTE FUNCTION record_change('agreement_code', 'neighbourhood_code');
CREATE TRIGGER ex_ante_history AFTER UPDATE OR DELETE ON ex_ante
	FOR EACH ROW EXECUTE FUNCTION record_change('id');
CREATE TRIGGER signatory_history AFTER UPDATE OR DELETE ON signatory
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER signature_history AFTER UPDATE OR DELETE ON signature
	FOR EACH ROW EXECUTE FUNCTION record_change('agreement_code', 'signatory_code');
CREATE TRIGGER project_history AFTER UPDATE OR DELETE ON project
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER finance_history AFTER UPDATE OR DELETE ON finance
	FOR EACH ROW EXECUTE FUNCTION record_change('id');
CREATE TRIGGER milestone_history AFTER UPDATE OR DELETE ON milestone
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER meeting_history AFTER UPDATE OR DELETE ON meeting
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER attendance_history AFTER UPDATE OR DELETE ON attendance
	FOR EACH ROW EXECUTE FUNCTION record_change('meeting_code', 'person');
CREATE TRIGGER resource_history AFTER UPDATE OR DELETE ON resource
	FOR EACH ROW EXECUTE FUNCTION record_change('id');
CREATE TRIGGER survey_history AFTER UPDATE OR DELETE ON survey
	FOR EACH ROW EXECUTE FUNCTION record_change('code');
CREATE TRIGGER response_history AFTER UPDATE OR DELETE ON response
	FOR EACH ROW EXECUTE FUNCTION record_change('survey_code', 'respondent', 'item');
CREATE TRIGGER org_event_history AFTER UPDATE OR DELETE ON org_event
	FOR EACH ROW EXECUTE FUNCTION record_change('id');
CREATE TRIGGER target_history AFTER UPDATE OR DELETE ON target
	FOR EACH ROW EXECUTE FUNCTION record_change('policy_code', 'indicator', 'level');
CREATE TRIGGER weight_history AFTER UPDATE OR DELETE ON weight
	FOR EACH ROW EXECUTE FUNCTION record_change('policy_code', 'item');
