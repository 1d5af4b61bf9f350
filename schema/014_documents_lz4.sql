-- cruscotto schema, version 14: published documents compressed with lz4.
--
-- A published revision's documents are stored in bytea columns, which
-- PostgreSQL compresses when a value exceeds about 2 kB, with pglz unless a
-- column says otherwise. A scorecard's PDF is mostly deflated streams
-- already: pglz worked through each one, about a millisecond, and then
-- stored it as it was. lz4 is some ten times faster and shrinks the PDFs by
-- 7%, the JSON and HTML a little less than pglz did and the CSV more: at
-- 10,000 agreements, `publish` took 51-53 s instead of 61 s, and a revision
-- 691 MB instead of 720 MB. Only values stored from now on are compressed
-- with lz4; those stored before keep pglz, and PostgreSQL reads both. A
-- server built without lz4 keeps pglz (the publish is slower, nothing else
-- changes).
SET search_path = cruscotto, pg_catalog;

DO $$
BEGIN
	ALTER TABLE revision_document ALTER COLUMN content SET COMPRESSION lz4;
	ALTER TABLE revision_page ALTER COLUMN content SET COMPRESSION lz4;
	ALTER TABLE revision_opendata ALTER COLUMN content SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END
$$;
