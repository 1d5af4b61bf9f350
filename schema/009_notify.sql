-- cruscotto schema, version 9: publishing tells the servers at once, and
-- search folds case the same on every database.
--
-- Every new revision sends NOTIFY cruscotto_revision with its id as the
-- payload. PostgreSQL delivers it when the publishing transaction commits,
-- and only then (a rolled-back publication says nothing), so a server that
-- LISTENs learns of it as soon as the revision can be read, whoever
-- published it. A hot standby cannot LISTEN: servers there keep counting
-- the revisions (server/http.h).

SET search_path = cruscotto, pg_catalog;

CREATE FUNCTION revision_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_catalog.pg_notify('cruscotto_revision', NEW.id::text);
	RETURN NULL;
END
$$;
CREATE TRIGGER revision_notify AFTER INSERT ON revision
	FOR EACH ROW EXECUTE FUNCTION revision_notify();
-- fire whatever session_replication_role says (004_web.sql)
ALTER TABLE revision ENABLE ALWAYS TRIGGER revision_notify;

-- The council's search (server/page.h) matches titles case-insensitively,
-- accents as typed: "città" finds "CITTÀ". lower() folds by the database's
-- collation, which for C or POSIX leaves every accented capital as it is;
-- search_fold folds by Unicode's rules (ICU's root locale) wherever
-- PostgreSQL was built with ICU, and like lower() otherwise.
DO $$
BEGIN
	EXECUTE format('CREATE FUNCTION cruscotto.search_fold(t text) RETURNS text'
		' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE'
		' AS $f$ SELECT lower(t%s) $f$',
		CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_collation
				  WHERE collname = 'und-x-icu')
		THEN ' COLLATE "und-x-icu"' ELSE '' END);
END
$$;
GRANT EXECUTE ON FUNCTION search_fold(text) TO cruscotto_web;
