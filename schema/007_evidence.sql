-- cruscotto schema, version 7: qualitative evidence (evidence.csv).
--
-- Focus groups, interviews, observations and documents of a policy's
-- qualitative monitoring. A scorecard lists them and never computes a number
-- from them (docs/METHOD.md, "Qualitative evidence"). Held to the rules of
-- docs/IMPORT.md, like every other record table, so that rows
-- written directly in SQL obey them too.

SET search_path = cruscotto, pg_catalog;

CREATE TABLE evidence (
	code code PRIMARY KEY,
	policy_code code NOT NULL REFERENCES policy,
	-- at most one of the two; neither: the whole policy
	agreement_code code,
	neighbourhood_code code REFERENCES neighbourhood,
	recorded_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('focus_group', 'interview', 'observation', 'document')),
	-- one line: 1-200 characters, no control character at all
	title text NOT NULL CONSTRAINT evidence_title CHECK (title ~ '\S'
		AND char_length(title) <= 200 AND title !~ '[\x01-\x1f\x7f-\x9f]'),
	-- plain text as written: 1-4000 characters (not bytes), of which the
	-- only control characters are newline and tab (a carriage return is
	-- one: docs/DECISIONS.md)
	summary text NOT NULL CONSTRAINT evidence_summary CHECK (summary ~ '\S'
		AND char_length(summary) <= 4000 AND summary !~ '[\x01-\x08\x0b-\x1f\x7f-\x9f]'),
	participants integer CONSTRAINT evidence_participants
		CHECK (participants >= 1 AND participants < 1000000),
	batch_id bigint,
	CONSTRAINT evidence_one_place CHECK (agreement_code IS NULL OR neighbourhood_code IS NULL),
	-- an agreement's evidence belongs to that agreement's policy, and
	-- follows it when the agreement is moved to another policy (as surveys
	-- and organisational events do)
	FOREIGN KEY (agreement_code, policy_code) REFERENCES agreement (code, policy_code)
		ON UPDATE CASCADE
);

-- The first character of `t` that the bracket expression `re` matches,
-- described for an import error: "U+000D (carriage return) at character 9"
-- (characters, not bytes). NULL when there is none.
CREATE FUNCTION control_at(t text, re text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT 'U+' || lpad(upper(to_hex(ascii(s.c))), 4, '0')
		|| CASE ascii(s.c) WHEN 13 THEN ' (carriage return)' WHEN 10 THEN ' (newline)'
			WHEN 9 THEN ' (tab)' ELSE '' END
		|| ' at character ' || strpos(t, s.c)
	FROM (SELECT substring(t from re) AS c) s
$$;

-- A scorecard run reads a policy's evidence up to a date.
CREATE INDEX evidence_policy ON evidence (policy_code, recorded_on);
CREATE INDEX evidence_agreement ON evidence (agreement_code);
CREATE INDEX evidence_neighbourhood ON evidence (neighbourhood_code);

CREATE TRIGGER evidence_history AFTER UPDATE OR DELETE ON evidence
	FOR EACH ROW EXECUTE FUNCTION record_change('code');

-- batch_id -> batch(id), checked once per statement as on every other table
-- (003_import.sql, ref_check_new and ref_check_old).
CREATE TRIGGER evidence_batch_id_ref_ins AFTER INSERT ON evidence
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION ref_check_new('batch_id', 'batch', 'id');
CREATE TRIGGER evidence_batch_id_ref_upd AFTER UPDATE ON evidence
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
	EXECUTE FUNCTION ref_check_new('batch_id', 'batch', 'id');
CREATE TRIGGER evidence_batch_id_ref_del AFTER DELETE ON batch
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION ref_check_old('evidence', 'batch_id', 'id');
CREATE TRIGGER evidence_batch_id_ref_key AFTER UPDATE ON batch
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
	EXECUTE FUNCTION ref_check_old('evidence', 'batch_id', 'id');
