-- cruscotto schema, version 4: the web role can read the published revisions
-- and nothing else, and the revisions stay immutable whatever the session.
--
-- `cruscotto serve` logs in as a role that is not a superuser and is a member
-- of cruscotto_web only (the embedded instance creates cruscotto_serve for
-- it; docs/HTTP.md shows the role to create for another database). Whatever
-- that session does — RESET ROLE, SET default_transaction_read_only = off —
-- it cannot write, create temporary tables or create large objects.

SET search_path = cruscotto, pg_catalog;

-- session_replication_role = replica skips ordinary triggers without any
-- DDL; these fire in every mode.
ALTER TABLE revision ENABLE ALWAYS TRIGGER revision_insert;
ALTER TABLE revision ENABLE ALWAYS TRIGGER revision_immutable;
ALTER TABLE revision ENABLE ALWAYS TRIGGER revision_immutable_truncate;
ALTER TABLE revision_document ENABLE ALWAYS TRIGGER revision_document_insert;
ALTER TABLE revision_document ENABLE ALWAYS TRIGGER revision_document_immutable;
ALTER TABLE revision_document ENABLE ALWAYS TRIGGER revision_document_immutable_truncate;

-- A server that logs in as a member of cruscotto_web checks the schema
-- version before it serves: this number is all it learns besides the
-- revisions (the table itself stays out of its reach).
CREATE FUNCTION web_schema_version() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT coalesce(max(version), 0) FROM cruscotto.schema_version
$$;
REVOKE ALL ON FUNCTION web_schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION web_schema_version() TO cruscotto_web;

-- Read-only at the role level is a setting of the login role (ALTER ROLE
-- ... SET default_transaction_read_only = on: settings apply to the role a
-- session logs in as, never to cruscotto_web, which cannot log in); the
-- privileges below are what holds whatever the session sets.
DO $$
BEGIN
	-- Temporary tables are PUBLIC's by default, and privileges cannot be
	-- denied to one role: PUBLIC loses them, and the migrating user (who
	-- imports: the import stages rows in temporary tables) keeps them. Only
	-- the database's owner or a superuser can revoke them; for anyone else
	-- PostgreSQL only warns, and `serve` warns too when its session keeps
	-- the privilege.
	EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
	IF NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
		EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(),
			current_user);
	END IF;
END
$$;

-- Large objects are stored outside every table, and creating one needs
-- nothing but these functions, executable by PUBLIC by default. cruscotto
-- never uses them. Revoking needs a superuser (the functions belong to the
-- bootstrap user); anyone else gets PostgreSQL's warning, and `serve`
-- warns too.
REVOKE EXECUTE ON FUNCTION pg_catalog.lo_create(oid), pg_catalog.lo_creat(integer),
	pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC;
