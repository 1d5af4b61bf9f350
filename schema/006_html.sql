-- cruscotto schema, version 6: the HTML pages of each revision.
--
-- Publishing a period also stores the accessible HTML pages of its
-- scorecards (reports/html.h): the policy's page, its ranking pages, every
-- agreement's page and the stylesheet, each under its path relative to the
-- period's folder. revision_document's key (revision, agreement, format)
-- cannot name a ranking page or the stylesheet, hence a table of its own.
-- The HTTP server serves these bytes as stored. Revisions published before
-- this version have no pages.

SET search_path = cruscotto, pg_catalog;

CREATE TABLE revision_page (
	revision_id bigint NOT NULL REFERENCES revision,
	-- relative to the period's folder: index.html, ranking/<k>.html,
	-- agreements/<code>.html, cruscotto.css
	path text NOT NULL CHECK (path ~ '^(index\.html|cruscotto\.css|ranking/[1-9][0-9]*\.html|agreements/[^/]+\.html)$'),
	content bytea NOT NULL,
	sha256 text NOT NULL CHECK (sha256 = encode(sha256(content), 'hex')),
	content_type text NOT NULL,
	CHECK (content_type = CASE WHEN path LIKE '%.css' THEN 'text/css; charset=utf-8'
		ELSE 'text/html; charset=utf-8' END),
	PRIMARY KEY (revision_id, path)
);

-- Joins only the transaction that creates its revision, like the scorecards.
CREATE FUNCTION revision_page_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM cruscotto.revision r WHERE r.id = NEW.revision_id
		       AND r.xmin = pg_current_xact_id()::xid) THEN
		RAISE EXCEPTION 'revision % is published and immutable: no document can be added',
			NEW.revision_id USING ERRCODE = 'restrict_violation',
			TABLE = 'revision_page';
	END IF;
	RETURN NEW;
END
$$;
CREATE TRIGGER revision_page_insert BEFORE INSERT ON revision_page
	FOR EACH ROW EXECUTE FUNCTION revision_page_insert();
CREATE TRIGGER revision_page_immutable BEFORE UPDATE OR DELETE ON revision_page
	FOR EACH ROW EXECUTE FUNCTION revision_immutable();
CREATE TRIGGER revision_page_immutable_truncate BEFORE TRUNCATE ON revision_page
	FOR EACH STATEMENT EXECUTE FUNCTION revision_immutable();
-- fire whatever session_replication_role says (004_web.sql)
ALTER TABLE revision_page ENABLE ALWAYS TRIGGER revision_page_insert;
ALTER TABLE revision_page ENABLE ALWAYS TRIGGER revision_page_immutable;
ALTER TABLE revision_page ENABLE ALWAYS TRIGGER revision_page_immutable_truncate;

REVOKE ALL ON revision_page FROM PUBLIC;
GRANT SELECT ON revision_page TO cruscotto_web;
