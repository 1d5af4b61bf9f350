-- cruscotto schema, version 5: the open-data export of each revision.
--
-- Publishing a period also stores its long-format CSV table (every scorecard's
-- indicators) and the DCAT-AP_IT metadata that describes it, made from the
-- same snapshot as the revision's scorecards. The HTTP server serves these
-- bytes as stored, like the scorecards: it never builds a table itself.
-- Revisions published before this version have no such documents.

SET search_path = cruscotto, pg_catalog;

CREATE TABLE revision_opendata (
	revision_id bigint NOT NULL REFERENCES revision,
	format text NOT NULL CHECK (format IN ('csv', 'dcat')),
	content bytea NOT NULL,
	sha256 text NOT NULL CHECK (sha256 = encode(sha256(content), 'hex')),
	content_type text NOT NULL,
	CHECK (content_type = CASE format WHEN 'csv' THEN 'text/csv; charset=utf-8; header=present'
		ELSE 'application/json; charset=utf-8' END),
	PRIMARY KEY (revision_id, format)
);

-- Joins only the transaction that creates its revision, like the scorecards.
CREATE FUNCTION revision_opendata_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cruscotto.revision r WHERE r.id = NEW.revision_id
		       AND r.xmin = pg_current_xact_id()::xid) THEN
		RAISE EXCEPTION 'revision % is published and immutable: no document can be added',
			NEW.revision_id USING ERRCODE = 'restrict_violation',
			TABLE = 'revision_opendata';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER revision_opendata_insert BEFORE INSERT ON revision_opendata
	FOR EACH ROW EXECUTE FUNCTION revision_opendata_insert();
CREATE TRIGGER revision_opendata_immutable BEFORE UPDATE OR DELETE ON revision_opendata
	FOR EACH ROW EXECUTE FUNCTION revision_immutable();
CREATE TRIGGER revision_opendata_immutable_truncate BEFORE TRUNCATE ON revision_opendata
	FOR EACH STATEMENT EXECUTE FUNCTION revision_immutable();

REVOKE ALL ON revision_opendata FROM PUBLIC;
GRANT SELECT ON revision_opendata TO cruscotto_web;
