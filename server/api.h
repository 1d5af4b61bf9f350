/* api: the resources of the HTTP API, read from the published revisions
 * only (tables revision and revision_document, view revision_latest).
 *
 * Every function takes a connection that runs as the role cruscotto_web,
 * validated arguments (codes [A-Za-z0-9_.-]{1,64}, periods YYYY-Qn: the HTTP
 * layer checks them) and returns the resource's bytes. Nothing here
 * computes a scorecard: documents are served exactly as stored when they
 * were published. Lists are read inside one snapshot, so that they never
 * mix two publications.
 *
 * Links are absolute paths ("/api/v1/..."), valid on whatever host serves
 * them. Periods are listed newest first; a revision number N of a period
 * can be asked for with ?revision=N for every N from 1 to its latest (the
 * schema numbers revisions without gaps). */
#ifndef CR_API_H
#define CR_API_H

#include "db.h"

#include <cjson/cJSON.h>
#include <stddef.h>

/* A resource ready to be sent. */
struct api_body {
	unsigned char *data; /* malloc'd, `len` bytes (free with api_body_free) */
	size_t len;
	const char *content_type; /* static string */
	char sha256[65];	  /* lowercase hex SHA-256 of data: the ETag */
	int revision;		  /* the revision a document comes from, 0 for lists */
};

/* rc, or, when rc is 0 but the query's rows `r` hold none, ERR_NOTFOUND
 * with the message of `fmt`: for a function that answers 404 when there
 * is nothing to read. */
int api_found(int rc, const rows *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* " in revision N" for a revision asked for (N > 0), else "": the tail of
 * a 404's message. Returns buf. */
const char *api_in_revision(int revision, char *buf, size_t size);

/* Frees b->data and clears *b; accepts NULL. */
void api_body_free(struct api_body *b);

/* Builds a JSON body (cJSON's compact text and a newline) from `json`,
 * with its hash. Consumes `json` (cJSON_Delete) whatever the outcome.
 * Returns 0 and *out, or ERR_FAIL. */
int api_json_body(cJSON *json, struct api_body *out);

/* GET /api/v1/policies: every policy with at least one published revision,
 * by code:
 *   {"policies": [{"code", "name", "locale", "periods" (how many are
 *     published), "latest_period", "links": {"periods", "latest":
 *     {"json", "pdf"}}}]}
 * Name and locale are those of the policy's most recent publication. */
int api_policies(db *c, struct api_body *out);

/* Listings come in pages: at most `limit` items (1 to API_LIMIT_MAX; the
 * HTTP layer defaults it to API_LIMIT_DEFAULT), after the cursor `after`
 * (the last item of the previous page, NULL for the first page), and a
 * "next" link to the following page (null on the last one). A cursor link
 * is stable: it always means "the items after this one", however many
 * periods or revisions are published meanwhile. */
enum { API_LIMIT_DEFAULT = 100, API_LIMIT_MAX = 1000 };

/* GET /api/v1/policies/{policy}/periods[?after=YYYY-Qn&limit=N]:
 * ERR_NOTFOUND when the policy has no published revision (unknown or never
 * published alike), else
 *   {"policy": {"code", "name", "locale"},
 *    "periods": [{"period", "revision" (latest), "published_at" (ISO 8601
 *      UTC), "batch" (or null), "agreements" (how many scorecards of
 *      agreements the latest revision holds), "links": {"json", "pdf",
 *      "agreements" (their listing)},
 *      "revisions": [{"revision", "published_at", "links": {"json",
 *        "pdf"}}] (every revision, oldest first; links name it explicitly)}]
 *      (newest first, older than `after`),
 *    "next": link or null} */
int api_periods(db *c, const char *policy, const char *after, int limit, struct api_body *out);

/* GET /api/v1/policies/{policy}/periods/{period}/agreements
 * [?revision=N&after=CODE&limit=N]: the agreements whose scorecards revision
 * N (0: the latest) of the period holds, by code (bytewise), after `after`:
 *   {"policy": {"code", "name", "locale"}, "period", "revision",
 *    "agreements": [{"code", "title", "links": {"json", "pdf"}}],
 *    "next": link or null}
 * Every link names the revision listed, so that the pages of a listing
 * never mix two revisions. ERR_NOTFOUND when there is no such revision. */
int api_agreements(db *c, const char *policy, const char *period, int revision, const char *after,
		   int limit, struct api_body *out);

/* What a listing of a revision's agreements shows (the API's above, the
 * page's page_period), read in one snapshot: *rev gets revision N (0: the
 * latest) of the period as one row (id, policy name, locale, revision,
 * publication date YYYY-MM-DD), *docs up to limit + 1 agreements (code,
 * title) after `after`, by code (bytewise). Returns 0 (caller frees both),
 * ERR_NOTFOUND when there is no such revision, or the database's error. */
int api_read_agreements(db *c, const char *policy, const char *period, int revision,
			const char *after, int limit, rows **rev, rows **docs);

enum api_level { API_POLICY, API_AGREEMENT };
/* API_CSV and API_DCAT: a period's open-data table and its metadata
 * (policies only, api_open_data). */
enum api_format { API_JSON, API_PDF, API_CSV, API_DCAT };

/* GET /api/v1/policies/{code}/scorecards/{period}[.pdf] (API_POLICY) and
 * /api/v1/agreements/{code}/scorecards/{period}[.pdf] (API_AGREEMENT): the
 * stored document of revision `revision` of the period, or of its latest
 * revision when `revision` is 0. An agreement's document is the one in its
 * policy's revision (when an agreement was published under two policies for
 * one period, the most recent publication wins). ERR_NOTFOUND when there is
 * no such published document (an agreement absent from the latest revision
 * has no latest document, even when an older revision has one). */
int api_scorecard(db *c, enum api_level level, const char *code, const char *period,
		  enum api_format format, int revision, struct api_body *out);

/* GET /api/v1/policies/{policy}/neighbourhoods/{code}/scorecards/{period}[.pdf]:
 * the stored neighbourhood scorecard of revision `revision` of the policy's
 * period, or of its latest revision when `revision` is 0. ERR_NOTFOUND when
 * there is no such published document (a neighbourhood not covered in that
 * revision, or one published before schema version 8). */
int api_neighbourhood_scorecard(db *c, const char *policy, const char *code, const char *period,
				enum api_format format, int revision, struct api_body *out);

/* GET /api/v1/policies/{policy}/scorecards/{period}.csv (API_CSV) and
 * .../{period}.dcat.json (API_DCAT): the period's open-data table and its
 * DCAT-AP_IT metadata as stored with revision `revision` (0: the latest).
 * ERR_NOTFOUND when the period is not published, or was published before
 * the schema kept open data (republish it). */
int api_open_data(db *c, const char *policy, const char *period, enum api_format format,
		  int revision, struct api_body *out);

/* GET /{policy}/{period}/[revision/N/]PATH: the stored page PATH of the
 * period's revision `revision` (0: the latest), one of index.html,
 * ranking/<k>.html, agreements/<code>.html and cruscotto.css (schema
 * 006_html.sql), as text/html or text/css. ERR_NOTFOUND when there is no
 * such page (or the revision was published before the schema kept pages).
 * An HTML page's revision line gets the number of revisions of the period
 * published so far where the stored page marks it (reports/html.h: "di M"
 * after "Revisione N"); its sha256 is then that of the bytes returned. */
int api_page(db *c, const char *policy, const char *period, int revision, const char *path,
	     struct api_body *out);

/* docs/openapi.yaml as compact JSON (generated at build time), its length
 * and the lowercase hex SHA-256 of those bytes. */
extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;
extern const char api_openapi_sha256[];

/* GET /api/v1/openapi.json: the API's OpenAPI 3.1 document. Returns 0 and
 * *out, or ERR_FAIL (out of memory). */
int api_openapi(struct api_body *out);

#endif
