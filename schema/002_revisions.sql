-- cruscotto schema, version 2: published revisions, and the role the HTTP
-- server reads them as.
--
-- Officers publish a period once they have checked it: the scorecards of that
-- run (JSON and PDF, the policy's and every agreement's) are stored here as an
-- immutable revision. The council and other systems read exactly these bytes
-- over HTTP from then on, whatever later happens to the records: a revision
-- carries everything it shows (policy name, locale, agreement titles) and has
-- no foreign key into the record tables, so correcting or deleting a record
-- never touches it. Re-publishing makes the next revision; old ones stay.

SET search_path = cruscotto, pg_catalog;

CREATE TABLE revision (
	id bigserial PRIMARY KEY,
	policy_code code NOT NULL,
	policy_name text NOT NULL CHECK (policy_name <> ''),
	locale text NOT NULL CHECK (locale IN ('it', 'en')),
	period text NOT NULL CHECK (period ~ '^[0-9]{4}-Q[1-4]$'),
	-- 1, 2, ... per (policy, period), without gaps (revision_insert)
	revision integer NOT NULL CHECK (revision >= 1),
	published_at timestamptz NOT NULL DEFAULT now(),
	-- the database user who published (revision_insert sets it)
	published_by text NOT NULL DEFAULT current_user,
	-- the last import batch the numbers reflect (max batch id in the
	-- snapshot they were computed from); null when nothing was ever imported
	batch_id bigint,
	-- the scorecards' own description of that snapshot, e.g.
	-- "batch 12 (2024-07-01 09:30 UTC)"
	snapshot text,
	UNIQUE (policy_code, period, revision)
);

CREATE TABLE revision_document (
	revision_id bigint NOT NULL REFERENCES revision,
	kind text NOT NULL CHECK (kind IN ('policy', 'agreement')),
	agreement_code code,
	-- the policy's name or the agreement's title, as the document shows it
	title text NOT NULL CHECK (title <> ''),
	format text NOT NULL CHECK (format IN ('json', 'pdf')),
	content bytea NOT NULL,
	-- lowercase hex SHA-256 of content: the HTTP ETag. Checked here too, so
	-- that a stored hash can never disagree with the bytes it names.
	sha256 text NOT NULL CHECK (sha256 = encode(sha256(content), 'hex')),
	content_type text NOT NULL,
	CHECK ((kind = 'policy') = (agreement_code IS NULL)),
	CHECK (content_type = CASE format WHEN 'json' THEN 'application/json; charset=utf-8'
		ELSE 'application/pdf' END)
);
-- one document per revision, scorecard and format (the policy's has no code)
CREATE UNIQUE INDEX revision_document_key
	ON revision_document (revision_id, (coalesce(agreement_code, '')), format);
CREATE INDEX revision_document_agreement ON revision_document (agreement_code, format);

-- The latest revision of every published (policy, period): what the HTTP
-- server serves when no revision is asked for.
CREATE VIEW revision_latest AS
	SELECT DISTINCT ON (policy_code, period) id, policy_code, policy_name, locale, period,
		revision, published_at, batch_id
	FROM revision
	ORDER BY policy_code, period, revision DESC;

-- A new revision takes the next number of its (policy, period) and records
-- who published it and when, whatever the inserting statement says. The
-- publisher holds a lock so that two publishers do not collide; the unique
-- key catches anyone who does not.
CREATE FUNCTION revision_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	expected integer;
BEGIN
	SELECT coalesce(max(r.revision), 0) + 1 INTO expected FROM cruscotto.revision r
	WHERE r.policy_code = NEW.policy_code AND r.period = NEW.period;
	IF NEW.revision IS DISTINCT FROM expected THEN
		RAISE EXCEPTION 'revision % of % % must be numbered %', NEW.revision,
			NEW.policy_code, NEW.period, expected
			USING ERRCODE = 'check_violation', TABLE = 'revision';
	END IF;
	NEW.published_at := now();
	NEW.published_by := current_user;
	RETURN NEW;
END
$$;
CREATE TRIGGER revision_insert BEFORE INSERT ON revision
	FOR EACH ROW EXECUTE FUNCTION revision_insert();

-- Documents are added only by the transaction that creates their revision:
-- once committed, a revision is complete and nothing joins it later.
CREATE FUNCTION revision_document_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cruscotto.revision r WHERE r.id = NEW.revision_id
		       AND r.xmin = pg_current_xact_id()::xid) THEN
		RAISE EXCEPTION 'revision % is published and immutable: no document can be added',
			NEW.revision_id USING ERRCODE = 'restrict_violation',
			TABLE = 'revision_document';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER revision_document_insert BEFORE INSERT ON revision_document
	FOR EACH ROW EXECUTE FUNCTION revision_document_insert();

-- Nothing updates, deletes or truncates a revision, whoever asks.
CREATE FUNCTION revision_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'published revisions are immutable: % on % refused', TG_OP, TG_TABLE_NAME
		USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME,
		HINT = 'publish again to make a new revision';
END
$$;
CREATE TRIGGER revision_immutable BEFORE UPDATE OR DELETE ON revision
	FOR EACH ROW EXECUTE FUNCTION revision_immutable();
CREATE TRIGGER revision_immutable_truncate BEFORE TRUNCATE ON revision
	FOR EACH STATEMENT EXECUTE FUNCTION revision_immutable();
CREATE TRIGGER revision_document_immutable BEFORE UPDATE OR DELETE ON revision_document
	FOR EACH ROW EXECUTE FUNCTION revision_immutable();
CREATE TRIGGER revision_document_immutable_truncate BEFORE TRUNCATE ON revision_document
	FOR EACH STATEMENT EXECUTE FUNCTION revision_immutable();

-- The role of `cruscotto serve`: NOLOGIN. The server connects as the same
-- user as every other command and then runs SET ROLE cruscotto_web, so it
-- works with whatever authentication the database uses (no password to
-- manage for a second login), and every query it makes is checked against
-- this role's privileges: SELECT on the revision tables and views, nothing
-- else. Roles are cluster-wide while this migration runs once per database,
-- possibly for several databases at once: the role is created only when
-- missing, and a concurrent creation by another database's migration counts
-- as done.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'cruscotto_web') THEN
		BEGIN
			CREATE ROLE cruscotto_web NOLOGIN;
		EXCEPTION
		WHEN duplicate_object OR unique_violation THEN
			NULL; -- created meanwhile by another database's migration
		WHEN insufficient_privilege THEN
			-- the primary message says it all: cruscotto prints only that
			RAISE EXCEPTION 'cannot create the role cruscotto_web: user % may not create '
				'roles (run cruscotto init once as a superuser or a user with '
				'CREATEROLE, or have an administrator create the role)', current_user
				USING ERRCODE = 'insufficient_privilege';
		END;
	END IF;
	-- SET ROLE needs membership; superusers have it implicitly
	IF NOT pg_catalog.pg_has_role(current_user, 'cruscotto_web', 'MEMBER') THEN
		BEGIN
			EXECUTE format('GRANT cruscotto_web TO %I', current_user);
		EXCEPTION
		WHEN duplicate_object OR unique_violation THEN
			NULL;
		WHEN insufficient_privilege THEN
			RAISE EXCEPTION 'cannot grant the role cruscotto_web to % (have an '
				'administrator run GRANT cruscotto_web TO %)', current_user, current_user
				USING ERRCODE = 'insufficient_privilege';
		END;
	END IF;
END
$$;

-- Whatever the role may have been given in this database before, it now reads
-- the published revisions and nothing else.
REVOKE ALL ON ALL TABLES IN SCHEMA cruscotto FROM cruscotto_web;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA cruscotto FROM cruscotto_web;
REVOKE ALL ON revision, revision_document, revision_latest FROM PUBLIC;
GRANT USAGE ON SCHEMA cruscotto TO cruscotto_web;
GRANT SELECT ON revision, revision_document, revision_latest TO cruscotto_web;
