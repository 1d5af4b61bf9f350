-- cruscotto schema, version 8: the territory level (docs/METHOD.md, "Territory
-- level N").
--
-- Every policy indicator also exists at level neighbourhood: the catalogue
-- (written by `init` from the binary's catalogue) and targets.csv name it.
-- A published revision also holds one scorecard per neighbourhood covered
-- at the period's end, JSON and PDF, under its neighbourhood's code, and its
-- HTML page neighbourhoods/<code>.html. Revisions published before this
-- version have no neighbourhood scorecards.

SET search_path = cruscotto, pg_catalog;

ALTER TABLE catalogue DROP CONSTRAINT catalogue_level_check;
ALTER TABLE catalogue ADD CONSTRAINT catalogue_level_check
	CHECK (level IN ('agreement', 'neighbourhood', 'policy'));

ALTER TABLE target DROP CONSTRAINT target_level_check;
ALTER TABLE target ADD CONSTRAINT target_level_check
	CHECK (level IN ('agreement', 'neighbourhood', 'policy'));

-- A document is the policy's (no code), an agreement's (agreement_code) or
-- a neighbourhood's (neighbourhood_code); the title is the policy's name,
-- the agreement's title or the neighbourhood's name. The rows already
-- stored are the policy's and agreements', which the new checks accept.
ALTER TABLE revision_document ADD COLUMN neighbourhood_code code;
-- (002's unnamed checks: revision_document_check is the sha256's,
-- revision_document_check1 the code's, revision_document_check2 the
-- content type's)
ALTER TABLE revision_document DROP CONSTRAINT revision_document_kind_check;
ALTER TABLE revision_document DROP CONSTRAINT revision_document_check1;
ALTER TABLE revision_document ADD CONSTRAINT revision_document_kind_check
	CHECK (kind IN ('policy', 'agreement', 'neighbourhood'));
ALTER TABLE revision_document ADD CONSTRAINT revision_document_code_check
	CHECK ((kind = 'agreement') = (agreement_code IS NOT NULL)
	       AND (kind = 'neighbourhood') = (neighbourhood_code IS NOT NULL));
-- one document per revision, scorecard and format: an agreement and a
-- neighbourhood may share a code, their kinds tell them apart
DROP INDEX revision_document_key;
CREATE UNIQUE INDEX revision_document_key
	ON revision_document (revision_id, kind, (coalesce(agreement_code, neighbourhood_code, '')),
			      format);

ALTER TABLE revision_page DROP CONSTRAINT revision_page_path_check;
ALTER TABLE revision_page ADD CONSTRAINT revision_page_path_check
	CHECK (path ~ '^(index\.html|cruscotto\.css|ranking/[1-9][0-9]*\.html|agreements/[^/]+\.html|neighbourhoods/[^/]+\.html)$');
