#include "api.h"

#include "err.h"
#include "pagemark.h"
#include "sha256.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char json_type[] = "application/json; charset=utf-8";

int api_found(int rc, const rows *r, const char *fmt, ...)
{
	char message[512];
	va_list ap;

	if (rc || r->nrows > 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return err_set(ERR_NOTFOUND, "%s", message);
}

const char *api_in_revision(int revision, char *buf, size_t size)
{
	buf[0] = '\0';
	if (revision > 0)
		snprintf(buf, size, " in revision %d", revision);
	return buf;
}

void api_body_free(struct api_body *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof(*b));
}

int api_json_body(cJSON *json, struct api_body *out)
{
	struct api_body b = {0};
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;
	size_t n;
	int rc;

	cJSON_Delete(json);
	if (!text)
		return err_set(ERR_FAIL, "out of memory");
	n = strlen(text);
	b.data = malloc(n + 1);
	if (!b.data) {
		free(text);
		return err_set(ERR_FAIL, "out of memory");
	}
	memcpy(b.data, text, n);
	b.data[n] = '\n';
	b.len = n + 1;
	free(text);
	b.content_type = json_type;
	rc = sha256_hex(b.data, b.len, b.sha256);
	if (rc) {
		api_body_free(&b);
		return rc;
	}
	*out = b;
	return 0;
}

/* The body of a document built with `ok` still 1 (else ERR_FAIL: building
 * it ran out of memory). Consumes `root` whatever the outcome. */
static int finish_json(cJSON *root, int ok, struct api_body *out)
{
	if (!ok) {
		cJSON_Delete(root);
		return err_set(ERR_FAIL, "out of memory");
	}
	return api_json_body(root, out);
}

/* cJSON adders that remember a failure (out of memory) in *ok, so that a
 * document is built straight through and checked once at the end. */
static cJSON *add_object(cJSON *parent, const char *key, int *ok)
{
	cJSON *o = cJSON_AddObjectToObject(parent, key);

	*ok = *ok && o;
	return o;
}

static cJSON *add_array(cJSON *parent, const char *key, int *ok)
{
	cJSON *a = cJSON_AddArrayToObject(parent, key);

	*ok = *ok && a;
	return a;
}

/* A NULL value is written as JSON null. */
static void add_string(cJSON *o, const char *key, const char *v, int *ok)
{
	*ok = *ok && (v ? cJSON_AddStringToObject(o, key, v) : cJSON_AddNullToObject(o, key));
}

static void add_number_text(cJSON *o, const char *key, const char *v, int *ok)
{
	*ok = *ok && (v ? cJSON_AddNumberToObject(o, key, strtod(v, NULL))
			: cJSON_AddNullToObject(o, key));
}

static cJSON *append_object(cJSON *array, int *ok)
{
	cJSON *o = cJSON_CreateObject();

	if (o && !cJSON_AddItemToArray(array, o)) {
		cJSON_Delete(o);
		o = NULL;
	}
	*ok = *ok && o;
	return o;
}

/* Adds {"json": ..., "pdf": ...} links to the scorecards of `code` (a
 * policy or an agreement) for `period`, naming `revision` when it is > 0. */
static void add_doc_links(cJSON *o, const char *key, const char *kind, const char *code,
			  const char *period, int revision, int *ok)
{
	char base[256], query[32] = "", link[300];
	cJSON *l = add_object(o, key, ok);

	if (!l)
		return;
	snprintf(base, sizeof(base), "/api/v1/%s/%s/scorecards/%s", kind, code, period);
	if (revision > 0)
		snprintf(query, sizeof(query), "?revision=%d", revision);
	snprintf(link, sizeof(link), "%s%s", base, query);
	add_string(l, "json", link, ok);
	snprintf(link, sizeof(link), "%s.pdf%s", base, query);
	add_string(l, "pdf", link, ok);
}

int api_policies(db *c, struct api_body *out)
{
	cJSON *root = cJSON_CreateObject(), *list, *p, *links;
	char link[256];
	rows *r = NULL;
	int rc, i, ok = root != NULL;

	rc = db_exec(c,
		     "SELECT l.policy_code,"
		     " (array_agg(l.policy_name ORDER BY l.id DESC))[1] AS name,"
		     " (array_agg(l.locale ORDER BY l.id DESC))[1] AS locale,"
		     " count(*) AS periods, max(l.period) AS latest_period"
		     " FROM cruscotto.revision_latest l GROUP BY l.policy_code"
		     " ORDER BY l.policy_code COLLATE \"C\"",
		     0, NULL, &r);
	if (rc)
		goto out;
	list = ok ? add_array(root, "policies", &ok) : NULL;
	for (i = 0; ok && i < r->nrows; i++) {
		const char *code = rows_get(r, i, 0), *latest = rows_get(r, i, 4);

		p = append_object(list, &ok);
		if (!ok)
			break;
		add_string(p, "code", code, &ok);
		add_string(p, "name", rows_get(r, i, 1), &ok);
		add_string(p, "locale", rows_get(r, i, 2), &ok);
		add_number_text(p, "periods", rows_get(r, i, 3), &ok);
		add_string(p, "latest_period", latest, &ok);
		links = add_object(p, "links", &ok);
		if (!ok)
			break;
		snprintf(link, sizeof(link), "/api/v1/policies/%s/periods", code);
		add_string(links, "periods", link, &ok);
		add_doc_links(links, "latest", "policies", code, latest, 0, &ok);
	}
	rc = finish_json(root, ok, out);
	root = NULL;
out:
	cJSON_Delete(root);
	rows_free(r);
	return rc;
}

/* Adds the first `limit` periods of a policy from its revisions (rows
 * ordered by period newest first, then revision), with the number of
 * agreements of their latest revisions (`counts`: period, count, newest
 * first). Writes the last period added to *last (a row of `revs`). */
static void add_periods(cJSON *list, const char *policy, const rows *revs, const rows *counts,
			int limit, const char **last, int *ok)
{
	cJSON *p = NULL, *history = NULL, *h, *links;
	char link[300];
	int i, j = 0, number, added = 0;

	for (i = 0; *ok && i < revs->nrows && added < limit; i++) {
		const char *period = rows_get(revs, i, 0);
		int end = i + 1 == revs->nrows || strcmp(rows_get(revs, i + 1, 0), period) != 0;

		if (!history) {
			p = append_object(list, ok);
			if (*ok)
				add_string(p, "period", period, ok);
			history = *ok ? cJSON_CreateArray() : NULL;
			*ok = *ok && history;
		}
		number = atoi(rows_get(revs, i, 1));
		h = *ok ? append_object(history, ok) : NULL;
		if (h) {
			add_number_text(h, "revision", rows_get(revs, i, 1), ok);
			add_string(h, "published_at", rows_get(revs, i, 2), ok);
			add_doc_links(h, "links", "policies", policy, period, number, ok);
		}
		if (!end || !*ok)
			continue;
		/* the period's own fields describe its latest revision, this one */
		add_number_text(p, "revision", rows_get(revs, i, 1), ok);
		add_string(p, "published_at", rows_get(revs, i, 2), ok);
		add_number_text(p, "batch", rows_get(revs, i, 3), ok);
		add_doc_links(p, "links", "policies", policy, period, 0, ok);
		links = *ok ? cJSON_GetObjectItem(p, "links") : NULL;
		snprintf(link, sizeof(link), "/api/v1/policies/%s/periods/%s/agreements", policy,
			 period);
		if (links)
			add_string(links, "agreements", link, ok);
		*ok = *ok && cJSON_AddItemToObject(p, "revisions", history);
		if (!*ok)
			break;
		history = NULL;
		while (j < counts->nrows && strcmp(rows_get(counts, j, 0), period) > 0)
			j++;
		add_number_text(p, "agreements",
				j < counts->nrows && strcmp(rows_get(counts, j, 0), period) == 0
					? rows_get(counts, j, 1)
					: "0",
				ok);
		*last = period;
		added++;
	}
	cJSON_Delete(history);
}

int api_periods(db *c, const char *policy, const char *after, int limit, struct api_body *out)
{
	char lim[16];
	const char *params[3] = {policy, after, lim}, *last = NULL;
	cJSON *root = cJSON_CreateObject(), *p;
	rows *revs = NULL, *counts = NULL, *head = NULL;
	int rc, ok = root != NULL, in_tx = 0, more;
	char link[300];

	/* one period more than asked for: whether there is a next page */
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	rc = db_begin_snapshot_at(c, &in_tx);
	if (rc)
		goto out;
	rc = db_exec(
		c,
		"WITH page AS (SELECT DISTINCT x.period FROM cruscotto.revision x"
		" WHERE x.policy_code = $1::text AND ($2::text IS NULL OR x.period < $2::text)"
		" ORDER BY x.period DESC LIMIT $3::integer)"
		" SELECT r.period, r.revision,"
		" to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" r.batch_id FROM cruscotto.revision r JOIN page ON page.period = r.period"
		" WHERE r.policy_code = $1::text ORDER BY r.period DESC, r.revision",
		3, params, &revs);
	if (rc == 0)
		rc = db_exec(c,
			     "SELECT policy_name, locale FROM cruscotto.revision"
			     " WHERE policy_code = $1::text ORDER BY id DESC LIMIT 1",
			     1, params, &head);
	if (rc == 0)
		rc = db_exec(c,
			     "SELECT l.period, count(*) FROM cruscotto.revision_latest l"
			     " JOIN cruscotto.revision_document d ON d.revision_id = l.id"
			     " WHERE l.policy_code = $1::text AND ($2::text IS NULL OR"
			     " l.period < $2::text) AND d.kind = 'agreement' AND d.format = 'json'"
			     " GROUP BY l.period ORDER BY l.period DESC LIMIT $3::integer",
			     3, params, &counts);
	rc = db_commit_if(c, rc, &in_tx);
	rc = api_found(rc, head, "policy %s has no published scorecards", policy);
	if (rc)
		goto out;
	p = ok ? add_object(root, "policy", &ok) : NULL;
	if (ok) {
		add_string(p, "code", policy, &ok);
		add_string(p, "name", rows_get(head, 0, 0), &ok);
		add_string(p, "locale", rows_get(head, 0, 1), &ok);
	}
	if (ok)
		add_periods(add_array(root, "periods", &ok), policy, revs, counts, limit, &last,
			    &ok);
	/* a period after the last one shown: the rows hold limit + 1 periods */
	more = last && revs->nrows > 0 && strcmp(rows_get(revs, revs->nrows - 1, 0), last) != 0;
	snprintf(link, sizeof(link), "/api/v1/policies/%s/periods?after=%s&limit=%d", policy,
		 last ? last : "", limit);
	if (ok)
		add_string(root, "next", more ? link : NULL, &ok);
	rc = finish_json(root, ok, out);
	root = NULL;
out:
	if (in_tx)
		db_rollback(c);
	cJSON_Delete(root);
	rows_free(revs);
	rows_free(counts);
	rows_free(head);
	return rc;
}

int api_read_agreements(db *c, const char *policy, const char *period, int revision,
			const char *after, int limit, rows **rev_out, rows **docs_out)
{
	char number[16], lim[16], which[32];
	const char *params[3] = {policy, period, revision > 0 ? number : NULL};
	rows *rev = NULL, *docs = NULL;
	int rc, in_tx = 0;

	snprintf(number, sizeof(number), "%d", revision);
	rc = db_begin_snapshot_at(c, &in_tx);
	if (rc)
		goto out;
	rc = db_exec(c,
		     "SELECT r.id, r.policy_name, r.locale, r.revision,"
		     " to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		     " FROM cruscotto.revision r"
		     " WHERE r.policy_code = $1::text AND r.period = $2::text"
		     " AND r.revision = coalesce($3::integer, (SELECT max(x.revision)"
		     " FROM cruscotto.revision x WHERE x.policy_code = $1::text"
		     " AND x.period = $2::text))",
		     3, params, &rev);
	rc = api_found(rc, rev, "no published scorecards of policy %s for %s%s", policy, period,
		       api_in_revision(revision, which, sizeof(which)));
	if (rc)
		goto out;
	/* one more than asked for: whether there is a next page */
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	rc = db_exec(c,
		     "SELECT d.agreement_code, min(d.title)"
		     " FROM cruscotto.revision_document d WHERE d.revision_id = $1::bigint"
		     " AND d.kind = 'agreement' AND ($2::text IS NULL OR"
		     " d.agreement_code::text COLLATE \"C\" > $2::text COLLATE \"C\")"
		     " GROUP BY d.agreement_code"
		     " ORDER BY d.agreement_code::text COLLATE \"C\" LIMIT $3::integer",
		     3, (const char *[]){rows_get(rev, 0, 0), after, lim}, &docs);
	rc = db_commit_if(c, rc, &in_tx);
	if (rc)
		goto out;
	*rev_out = rev;
	*docs_out = docs;
	rev = docs = NULL;
out:
	if (in_tx)
		db_rollback(c);
	rows_free(rev);
	rows_free(docs);
	return rc;
}

int api_agreements(db *c, const char *policy, const char *period, int revision, const char *after,
		   int limit, struct api_body *out)
{
	char link[400];
	cJSON *root = cJSON_CreateObject(), *p, *list, *a;
	rows *rev = NULL, *docs = NULL;
	int rc, ok = root != NULL, i, shown;

	rc = api_read_agreements(c, policy, period, revision, after, limit, &rev, &docs);
	if (rc)
		goto out;
	revision = atoi(rows_get(rev, 0, 3));
	p = ok ? add_object(root, "policy", &ok) : NULL;
	if (ok) {
		add_string(p, "code", policy, &ok);
		add_string(p, "name", rows_get(rev, 0, 1), &ok);
		add_string(p, "locale", rows_get(rev, 0, 2), &ok);
	}
	add_string(root, "period", period, &ok);
	add_number_text(root, "revision", rows_get(rev, 0, 3), &ok);
	list = ok ? add_array(root, "agreements", &ok) : NULL;
	shown = docs->nrows < limit ? docs->nrows : limit;
	for (i = 0; ok && i < shown; i++) {
		a = append_object(list, &ok);
		if (!ok)
			break;
		add_string(a, "code", rows_get(docs, i, 0), &ok);
		add_string(a, "title", rows_get(docs, i, 1), &ok);
		/* the links name the revision listed: a page never mixes two */
		add_doc_links(a, "links", "agreements", rows_get(docs, i, 0), period, revision,
			      &ok);
	}
	snprintf(link, sizeof(link),
		 "/api/v1/policies/%s/periods/%s/agreements?revision=%d&after=%s&limit=%d", policy,
		 period, revision, shown > 0 ? rows_get(docs, shown - 1, 0) : "", limit);
	add_string(root, "next", docs->nrows > limit ? link : NULL, &ok);
	rc = finish_json(root, ok, out);
	root = NULL;
out:
	cJSON_Delete(root);
	rows_free(rev);
	rows_free(docs);
	return rc;
}

/* Writes the number of revisions into a stored page where its revision
 * line holds the mark (html.h): "<!--cruscotto-of:di-->" becomes " di 2".
 * The body's tag is then the hash of the bytes served, so that it changes
 * with the count. A page without the mark (a stylesheet, a page stored
 * before the mark existed) stays as it is. Returns 0 or ERR_FAIL. */
static int fill_revisions(struct api_body *b, const char *total)
{
	static const char mark[] = REP_HTML_REVISIONS_MARK, end[] = REP_HTML_REVISIONS_MARK_END;
	const unsigned char *at, *word, *stop;
	size_t n, word_len, tail;
	unsigned char *data;

	at = memmem(b->data, b->len, mark, sizeof(mark) - 1);
	if (!at)
		return 0;
	word = at + sizeof(mark) - 1;
	stop = memmem(word, b->len - (size_t)(word - b->data), end, sizeof(end) - 1);
	for (word_len = 0; stop && word + word_len < stop; word_len++)
		if (!((word[word_len] >= 'a' && word[word_len] <= 'z') ||
		      (word[word_len] >= 'A' && word[word_len] <= 'Z')))
			return 0;
	if (!stop || word_len == 0 || word_len > 16)
		return 0;
	tail = b->len - (size_t)(stop + sizeof(end) - 1 - b->data);
	n = (size_t)(at - b->data);
	data = malloc(n + word_len + strlen(total) + 2 + tail);
	if (!data)
		return err_set(ERR_FAIL, "out of memory");
	memcpy(data, b->data, n);
	data[n] = ' ';
	memcpy(data + n + 1, word, word_len);
	data[n + 1 + word_len] = ' ';
	memcpy(data + n + 2 + word_len, total, strlen(total));
	memcpy(data + n + 2 + word_len + strlen(total), stop + sizeof(end) - 1, tail);
	free(b->data);
	b->data = data;
	b->len = n + word_len + strlen(total) + 2 + tail;
	return sha256_hex(b->data, b->len, b->sha256);
}

/* Reads one stored document into *out: `sql` takes four parameters, the
 * last the revision asked for (NULL: the latest), and returns (revision,
 * sha256, content_type, content) and, for a page, how many revisions its
 * period has (filled in where the page marks it). With no row: ERR_NOTFOUND saying "no
 * published <what> for <period>[ in revision N]". The content type is the
 * one of `types` (static strings, which outlive the rows; NULL-terminated)
 * equal to the stored one, else the first. */
static int stored_body(db *c, const char *sql, int nparams, const char *const *params, int revision,
		       const char *what, const char *period, const char *const *types,
		       struct api_body *out)
{
	struct api_body b = {0};
	char which[32];
	const char *type;
	rows *r = NULL;
	int rc, i;

	rc = db_exec(c, sql, nparams, params, &r);
	rc = api_found(rc, r, "no published %s for %s%s", what, period,
		       api_in_revision(revision, which, sizeof(which)));
	if (rc)
		goto out;
	type = rows_get(r, 0, 2);
	b.content_type = types[0];
	for (i = 1; type && types[i]; i++)
		if (strcmp(type, types[i]) == 0)
			b.content_type = types[i];
	b.revision = atoi(rows_get(r, 0, 0));
	snprintf(b.sha256, sizeof(b.sha256), "%s", rows_get(r, 0, 1));
	rc = db_decode_bytea(rows_get(r, 0, 3), &b.data, &b.len);
	/* a page's fifth column: revisions are numbered without gaps, so the
	 * highest is how many */
	if (rc == 0 && r->ncols > 4 && rows_get(r, 0, 4))
		rc = fill_revisions(&b, rows_get(r, 0, 4));
	if (rc)
		goto out;
	*out = b;
	b.data = NULL;
out:
	free(b.data);
	rows_free(r);
	return rc;
}

int api_scorecard(db *c, enum api_level level, const char *code, const char *period,
		  enum api_format format, int revision, struct api_body *out)
{
	/* $4 null: the period's latest revision (of the agreement's policy) */
	static const char *const sql[] = {
		[API_POLICY] = "SELECT r.revision, d.sha256, d.content_type, d.content"
			       " FROM cruscotto.revision r JOIN cruscotto.revision_document d"
			       " ON d.revision_id = r.id"
			       " WHERE r.policy_code = $1::text AND r.period = $2::text"
			       " AND d.kind = 'policy' AND d.format = $3::text"
			       " AND r.revision = coalesce($4::integer, (SELECT max(x.revision)"
			       " FROM cruscotto.revision x WHERE x.policy_code = $1::text"
			       " AND x.period = $2::text))",
		[API_AGREEMENT] = "SELECT r.revision, d.sha256, d.content_type, d.content"
				  " FROM cruscotto.revision r JOIN cruscotto.revision_document d"
				  " ON d.revision_id = r.id"
				  " WHERE d.agreement_code = $1::text AND r.period = $2::text"
				  " AND d.format = $3::text"
				  " AND r.revision = coalesce($4::integer, (SELECT max(x.revision)"
				  " FROM cruscotto.revision x WHERE x.policy_code = r.policy_code"
				  " AND x.period = r.period))"
				  " ORDER BY r.published_at DESC, r.id DESC LIMIT 1",
	};
	static const char *const types[] = {json_type, "application/pdf", NULL};
	char number[16], what[120];
	const char *params[4] = {code, period, format == API_PDF ? "pdf" : "json",
				 revision > 0 ? number : NULL};

	snprintf(number, sizeof(number), "%d", revision);
	snprintf(what, sizeof(what), "%s scorecard of %s %s", format == API_PDF ? "PDF" : "JSON",
		 level == API_POLICY ? "policy" : "agreement", code);
	return stored_body(c, sql[level], 4, params, revision, what, period, types, out);
}

int api_neighbourhood_scorecard(db *c, const char *policy, const char *code, const char *period,
				enum api_format format, int revision, struct api_body *out)
{
	/* $5 null: the period's latest revision of the policy */
	static const char sql[] = "SELECT r.revision, d.sha256, d.content_type, d.content"
				  " FROM cruscotto.revision r JOIN cruscotto.revision_document d"
				  " ON d.revision_id = r.id"
				  " WHERE r.policy_code = $1::text AND r.period = $2::text"
				  " AND d.kind = 'neighbourhood' AND d.format = $3::text"
				  " AND d.neighbourhood_code = $5::text"
				  " AND r.revision = coalesce($4::integer, (SELECT max(x.revision)"
				  " FROM cruscotto.revision x WHERE x.policy_code = $1::text"
				  " AND x.period = $2::text))";
	static const char *const types[] = {json_type, "application/pdf", NULL};
	char number[16], what[200];
	const char *params[5] = {policy, period, format == API_PDF ? "pdf" : "json",
				 revision > 0 ? number : NULL, code};

	snprintf(number, sizeof(number), "%d", revision);
	snprintf(what, sizeof(what), "%s scorecard of neighbourhood %s of policy %s",
		 format == API_PDF ? "PDF" : "JSON", code, policy);
	return stored_body(c, sql, 5, params, revision, what, period, types, out);
}

int api_open_data(db *c, const char *policy, const char *period, enum api_format format,
		  int revision, struct api_body *out)
{
	const char *const types[] = {
		format == API_CSV ? "text/csv; charset=utf-8; header=present" : json_type, NULL};
	char number[16], what[120];
	const char *params[4] = {policy, period, format == API_CSV ? "csv" : "dcat",
				 revision > 0 ? number : NULL};

	snprintf(number, sizeof(number), "%d", revision);
	snprintf(what, sizeof(what), "open-data %s of policy %s",
		 format == API_CSV ? "table" : "metadata", policy);
	return stored_body(c,
			   "SELECT r.revision, o.sha256, NULL::text, o.content"
			   " FROM cruscotto.revision r"
			   " JOIN cruscotto.revision_opendata o ON o.revision_id = r.id"
			   " WHERE r.policy_code = $1::text AND r.period = $2::text"
			   " AND o.format = $3::text"
			   " AND r.revision = coalesce($4::integer, (SELECT max(x.revision)"
			   " FROM cruscotto.revision x WHERE x.policy_code = $1::text"
			   " AND x.period = $2::text))",
			   4, params, revision, what, period, types, out);
}

int api_page(db *c, const char *policy, const char *period, int revision, const char *path,
	     struct api_body *out)
{
	/* the schema allows only these two */
	static const char *const types[] = {"text/html; charset=utf-8", "text/css; charset=utf-8",
					    NULL};
	char number[16], what[900];
	const char *params[4] = {policy, period, path, revision > 0 ? number : NULL};

	snprintf(number, sizeof(number), "%d", revision);
	snprintf(what, sizeof(what), "page %s of policy %s", path, policy);
	return stored_body(c,
			   "SELECT r.revision, p.sha256, p.content_type, p.content,"
			   " (SELECT max(x.revision) FROM cruscotto.revision x"
			   " WHERE x.policy_code = $1::text AND x.period = $2::text)"
			   " FROM cruscotto.revision r"
			   " JOIN cruscotto.revision_page p ON p.revision_id = r.id"
			   " WHERE r.policy_code = $1::text AND r.period = $2::text"
			   " AND p.path = $3::text"
			   " AND r.revision = coalesce($4::integer, (SELECT max(x.revision)"
			   " FROM cruscotto.revision x WHERE x.policy_code = $1::text"
			   " AND x.period = $2::text))",
			   4, params, revision, what, period, types, out);
}

int api_openapi(struct api_body *out)
{
	struct api_body b = {0};

	b.data = malloc(api_openapi_json_len);
	if (!b.data)
		return err_set(ERR_FAIL, "out of memory");
	memcpy(b.data, api_openapi_json, api_openapi_json_len);
	b.len = api_openapi_json_len;
	b.content_type = json_type;
	snprintf(b.sha256, sizeof(b.sha256), "%s", api_openapi_sha256);
	*out = b;
	return 0;
}
