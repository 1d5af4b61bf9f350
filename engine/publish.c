#include "publish.h"

#include "opendata.h"
#include "err.h"
#include "format.h"
#include "html.h"
#include "json.h"
#include "output.h"
#include "pdf.h"
#include "render.h"
#include "sha256.h"
#include "table.h"
#include "run.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char json_type[] = "application/json; charset=utf-8";
static const char pdf_type[] = "application/pdf";
static const char html_type[] = "text/html; charset=utf-8";
static const char css_type[] = "text/css; charset=utf-8";

/* Takes the revision's number and row; the caller owns the transaction. */
static int add_revision(db *c, const struct scorecard *pol, long long *id_out, int *number_out,
			char published_out[32])
{
	const char *published;
	char batch_text[24];
	const char *params[6];
	long long id = 0, number = 0;
	rows *r = NULL;
	int rc;

	params[0] = pol->policy_code;
	params[1] = pol->period;
	/* publishers of one (policy, period) queue here until the holder commits,
	 * so that the max read below already sees its revision */
	rc = db_exec(c,
		     "SELECT pg_advisory_xact_lock(hashtext('cruscotto.publish'),"
		     " hashtext($1::text || ' ' || $2::text))",
		     2, params, &r);
	rows_free(r);
	r = NULL;
	if (rc)
		return rc;
	snprintf(batch_text, sizeof(batch_text), "%lld", pol->batch_id);
	params[0] = pol->policy_code;
	params[1] = pol->policy_name;
	params[2] = pol->locale;
	params[3] = pol->period;
	params[4] = pol->batch_id > 0 ? batch_text : NULL;
	params[5] = pol->snapshot;
	rc = db_exec(
		c,
		"INSERT INTO cruscotto.revision (policy_code, policy_name, locale, period,"
		" revision, batch_id, snapshot)"
		" SELECT $1::text, $2::text, $3::text, $4::text, coalesce(max(r.revision), 0) + 1,"
		" $5::bigint, $6::text FROM cruscotto.revision r"
		" WHERE r.policy_code = $1::text AND r.period = $4::text"
		" RETURNING id, revision,"
		" to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC'",
		6, params, &r);
	if (rc == 0)
		rc = rows_get_long(r, 0, 0, &id);
	if (rc == 0)
		rc = rows_get_long(r, 0, 1, &number);
	published = rc == 0 ? rows_get(r, 0, 2) : NULL;
	if (rc == 0 && (!published || strlen(published) >= 32))
		rc = err_set(ERR_FAIL, "internal error: a revision without its date");
	if (rc == 0)
		snprintf(published_out, 32, "%s", published);
	rows_free(r);
	if (rc)
		return rc;
	*id_out = id;
	*number_out = (int)number;
	return 0;
}

/* The documents of a revision as COPY's binary format, one card at a time
 * as the renderers finish them (in card order): a row per document, JSON
 * then PDF, the policy's card first. */
struct copy_feed {
	struct rep_render *render;
	long long revision_id;
	unsigned char *buf; /* encoded rows not yet handed to COPY */
	size_t len, pos, cap;
	int started, ended;
	int cards, documents;
	size_t bytes;	     /* content stored */
	struct rep_csv *csv; /* the open-data table, a card at a time */
	/* the HTML pages, rendered here as each card arrives and encoded as
	 * revision_page rows into a temporary file, which a second COPY
	 * stores once the documents' COPY is done (one COPY at a time on a
	 * connection); NULL in the feed that reads that file */
	struct copy_feed *pages;
	FILE *pages_file;
	const struct rep_html_revision *rev;
	int pages_stored;
};

static int feed_reserve(struct copy_feed *f, size_t more)
{
	unsigned char *b;
	size_t cap = f->cap ? f->cap : 65536;

	if (f->len + more <= f->cap)
		return 0;
	while (cap < f->len + more)
		cap *= 2;
	b = realloc(f->buf, cap);
	if (!b)
		return err_set(ERR_FAIL, "out of memory");
	f->buf = b;
	f->cap = cap;
	return 0;
}

static void put_be(struct copy_feed *f, unsigned long long v, int bytes)
{
	while (bytes-- > 0)
		f->buf[f->len++] = (unsigned char)(v >> (8 * bytes));
}

/* A field: its length (-1 for null) and its bytes. */
static void put_field(struct copy_feed *f, const void *data, size_t len)
{
	if (!data) {
		put_be(f, 0xFFFFFFFFu, 4);
		return;
	}
	put_be(f, len, 4);
	memcpy(f->buf + f->len, data, len);
	f->len += len;
}

static int put_document(struct copy_feed *f, const struct scorecard *sc, const char *format,
			const void *content, size_t len)
{
	int nb = sc->level == CAT_NEIGHBOURHOOD;
	const char *kind = nb ? "neighbourhood" : sc->agreement_code ? "agreement" : "policy";
	const char *title = nb			 ? sc->neighbourhood.name
			    : sc->agreement_code ? sc->agreement_title
						 : sc->policy_name;
	const char *nb_code = nb ? sc->neighbourhood.code : NULL;
	const char *type = strcmp(format, "pdf") == 0 ? pdf_type : json_type;
	char sha[65];
	int rc;

	/* a field's length is an int32 */
	if (len > INT_MAX)
		return err_set(ERR_FAIL, "a scorecard of %s is too large to store (%zu bytes)",
			       nb_code		    ? nb_code
			       : sc->agreement_code ? sc->agreement_code
						    : sc->policy_code,
			       len);
	rc = sha256_hex(content, len, sha);
	if (rc == 0)
		rc = feed_reserve(f, 2 + 9 * 4 + 8 + strlen(kind) +
					     (sc->agreement_code ? strlen(sc->agreement_code) : 0) +
					     (nb_code ? strlen(nb_code) : 0) +
					     (title ? strlen(title) : 0) + strlen(format) + len +
					     64 + strlen(type));
	if (rc)
		return rc;
	put_be(f, 9, 2);
	put_be(f, 8, 4);
	put_be(f, (unsigned long long)f->revision_id, 8);
	put_field(f, kind, strlen(kind));
	put_field(f, sc->agreement_code, sc->agreement_code ? strlen(sc->agreement_code) : 0);
	put_field(f, nb_code, nb_code ? strlen(nb_code) : 0);
	put_field(f, title, title ? strlen(title) : 0);
	put_field(f, format, strlen(format));
	put_field(f, content, len);
	put_field(f, sha, 64);
	put_field(f, type, strlen(type));
	f->documents++;
	f->bytes += len;
	return 0;
}

/* A revision_page row into f->buf, appended to the temporary file. */
static int put_page(struct copy_feed *f, FILE *out, const char *path, const char *content)
{
	const char *type = strstr(path, ".css") ? css_type : html_type;
	size_t len = strlen(content);
	char sha[65];
	int rc;

	if (len > INT_MAX)
		return err_set(ERR_FAIL, "the page %s is too large to store (%zu bytes)", path,
			       len);
	rc = sha256_hex(content, len, sha);
	if (rc == 0)
		rc = feed_reserve(f, 2 + 5 * 4 + 8 + strlen(path) + len + 64 + strlen(type));
	if (rc)
		return rc;
	f->len = 0;
	put_be(f, 5, 2);
	put_be(f, 8, 4);
	put_be(f, (unsigned long long)f->revision_id, 8);
	put_field(f, path, strlen(path));
	put_field(f, content, len);
	put_field(f, sha, 64);
	put_field(f, type, strlen(type));
	if (fwrite(f->buf, 1, f->len, out) != f->len)
		return err_set(ERR_FAIL, "cannot write the pages to a temporary file");
	f->len = 0;
	f->documents++;
	f->bytes += len;
	return 0;
}

/* Renders a card's HTML pages (an agreement's or a neighbourhood's page;
 * the policy's page, its ranking pages and the stylesheet) into the pages'
 * temporary file. */
static int put_pages(struct copy_feed *f, const struct scorecard *sc)
{
	char rel[512], *html = NULL;
	int rc, i, n;

	rc = rep_html_relpath(sc, rel, sizeof(rel));
	if (rc == 0)
		rc = rep_html_render_rev(sc, f->rev, &html);
	if (rc == 0)
		rc = put_page(f->pages, f->pages_file, rel, html);
	free(html);
	if (rc || sc->level != CAT_POLICY)
		return rc;
	rc = put_page(f->pages, f->pages_file, REP_HTML_CSS_NAME, rep_html_css);
	n = rep_html_ranking_pages(sc);
	for (i = 1; rc == 0 && i <= n; i++) {
		html = NULL;
		rc = rep_html_ranking_relpath(i, rel, sizeof(rel));
		if (rc == 0)
			rc = rep_html_render_ranking_rev(sc, i, f->rev, &html);
		if (rc == 0)
			rc = put_page(f->pages, f->pages_file, rel, html);
		free(html);
	}
	return rc;
}

/* The pages' COPY: the header, the temporary file's rows, the trailer. */
static long pages_read(void *arg, char *buf, size_t size)
{
	static const unsigned char header[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
	struct copy_feed *f = arg;
	size_t n;

	if (!f->started) {
		if (size < 19)
			return err_set(ERR_FAIL, "internal error: a COPY buffer of %zu bytes",
				       size);
		memcpy(buf, header, 19);
		f->started = 1;
		return 19;
	}
	if (f->ended)
		return 0;
	n = fread(buf, 1, size, f->pages_file);
	if (n > 0)
		return (long)n;
	if (ferror(f->pages_file))
		return err_set(ERR_FAIL, "cannot read the pages back from a temporary file");
	if (size < 2)
		return err_set(ERR_FAIL, "internal error: a COPY buffer of %zu bytes", size);
	buf[0] = buf[1] = (char)0xFF; /* end of data */
	f->ended = 1;
	return 2;
}

/* Encodes the next card (or the header or the trailer) into f->buf. */
static int feed_more(struct copy_feed *f)
{
	static const unsigned char header[] = "PGCOPY\n\377\r\n";
	const struct rep_rendered *d = NULL;
	int rc;

	f->len = f->pos = 0;
	if (!f->started) {
		rc = feed_reserve(f, 19);
		if (rc)
			return rc;
		memcpy(f->buf, header, 11); /* the signature ends with a NUL */
		f->len = 11;
		put_be(f, 0, 4); /* flags */
		put_be(f, 0, 4); /* header extension length */
		f->started = 1;
		return 0;
	}
	rc = rep_render_next(f->render, &d);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		rc = feed_reserve(f, 2);
		if (rc)
			return rc;
		put_be(f, 0xFFFF, 2); /* end of data */
		f->ended = 1;
		return 0;
	}
	/* HTTP clients get the compact form; files stay indented */
	rep_json_compact(d->json);
	rc = put_document(f, d->sc, "json", d->json, strlen(d->json));
	if (rc == 0)
		rc = put_document(f, d->sc, "pdf", d->pdf, d->pdf_len);
	if (rc == 0)
		rc = put_pages(f, d->sc);
	if (rc == 0) {
		rep_csv_add(f->csv, d->sc);
		f->cards++;
	}
	return rc;
}

static long feed_read(void *arg, char *buf, size_t size)
{
	struct copy_feed *f = arg;
	size_t n;
	int rc;

	while (f->pos == f->len) {
		if (f->ended)
			return 0;
		rc = feed_more(f);
		if (rc < 0)
			return rc;
	}
	n = f->len - f->pos < size ? f->len - f->pos : size;
	memcpy(buf, f->buf + f->pos, n);
	f->pos += n;
	return (long)n;
}

/* The start of a COPY's binary data (signature, flags, no extension). */
static const unsigned char copy_header[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

/* An open-data row up to its content: the field count, the revision and
 * the format. */
static void put_row_start(struct copy_feed *f, long long id, const char *format)
{
	put_be(f, 5, 2);
	put_be(f, 8, 4);
	put_be(f, (unsigned long long)id, 8);
	put_field(f, format, strlen(format));
}

/* COPY data made of pieces that are already in memory, read in turn. */
struct segments {
	const char *seg[3]; /* seg[1] is read from file */
	FILE *file;
	size_t len[3];
	int i;
	size_t pos;
};

static long segments_read(void *arg, char *buf, size_t size)
{
	struct segments *s = arg;
	size_t n;

	while (s->i < 3 && s->pos == s->len[s->i]) {
		s->i++;
		s->pos = 0;
	}
	if (s->i == 3)
		return 0;
	n = s->len[s->i] - s->pos < size ? s->len[s->i] - s->pos : size;
	if (s->i != 1)
		memcpy(buf, s->seg[s->i] + s->pos, n);
	else if (fread(buf, 1, n, s->file) != n)
		return err_set(ERR_FAIL, "cannot read back the open-data table's temporary file");
	s->pos += n;
	return (long)n;
}

/* The SHA-256 of a file's content, read from its start; leaves the file
 * at its start again. */
static int file_sha(FILE *f, char hex[65])
{
	char buf[65536];
	sha256 *h = NULL;
	size_t n;
	int rc;

	rewind(f);
	rc = sha256_new(&h);
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = sha256_update(h, buf, n);
	if (rc == 0 && ferror(f))
		rc = err_set(ERR_FAIL, "cannot read back the open-data table's temporary file");
	if (rc == 0)
		rc = sha256_final(h, hex);
	sha256_free(h);
	rewind(f);
	return rc;
}

/* Stores the period's open-data table (ended and freed here) and its
 * DCAT-AP_IT metadata with the revision `id` (schema 005_opendata.sql), in
 * the caller's transaction. issued is the day the period was first
 * published, modified today. */
static int store_open_data(db *c, const struct scorecard *pol, struct rep_csv *table, FILE *csv,
			   long long id)
{
	static const char *const types[] = {"text/csv; charset=utf-8; header=present",
					    "application/json; charset=utf-8"};
	static const char *const formats[] = {"csv", "dcat"};
	char *docs[2] = {NULL, NULL}, url[160], sha[2][65];
	struct rep_dcat d = {NULL, NULL, url};
	struct copy_feed parts[2] = {{0}, {0}};
	struct segments oc = {{NULL, NULL, NULL}, NULL, {0, 0, 0}, 0, 0};
	const char *params[2];
	int rc, i;
	size_t len[2] = {0, 0};
	long err_line = 0, end;
	rows *r = NULL;

	rc = rep_csv_end_file(table);
	if (rc)
		goto out;
	end = ftell(csv);
	if (end < 0) {
		rc = err_set(ERR_FAIL, "cannot read back the open-data table's temporary file");
		goto out;
	}
	len[0] = (size_t)end;
	params[0] = pol->policy_code;
	params[1] = pol->period;
	rc = db_exec(c,
		     "SELECT to_char(min(r.published_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
		     " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		     " FROM cruscotto.revision r"
		     " WHERE r.policy_code = $1::text AND r.period = $2::text",
		     2, params, &r);
	if (rc)
		goto out;
	d.issued = rows_get(r, 0, 0);
	d.modified = rows_get(r, 0, 1);
	/* where `cruscotto serve` has it, on whatever host serves it */
	snprintf(url, sizeof(url), "/api/v1/policies/%s/scorecards/%s.csv", pol->policy_code,
		 pol->period);
	rc = rep_dcat_render(pol, &d, &docs[1]);
	if (rc)
		goto out;
	len[1] = strlen(docs[1]);
	for (i = 0; i < 2; i++) {
		if (len[i] > INT_MAX) {
			rc = err_set(ERR_FAIL, "the open-data table of %s %s is too large to store",
				     pol->policy_code, pol->period);
			goto out;
		}
	}
	rc = file_sha(csv, sha[0]);
	if (rc == 0)
		rc = sha256_hex(docs[1], len[1], sha[1]);
	if (rc)
		goto out;
	/* a COPY of the two rows, the table streamed from where it is: as a
	 * parameter libpq would hold a second copy of it */
	for (i = 0; i < 2; i++) {
		rc = feed_reserve(&parts[i], 512 + len[1]); /* the fields but the table */
		if (rc)
			goto out;
	}
	memcpy(parts[0].buf, copy_header, 19);
	parts[0].len = 19;
	put_row_start(&parts[0], id, formats[0]);
	put_be(&parts[0], len[0], 4); /* the content follows: the table */
	put_field(&parts[1], sha[0], 64);
	put_field(&parts[1], types[0], strlen(types[0]));
	put_row_start(&parts[1], id, formats[1]);
	put_field(&parts[1], docs[1], len[1]);
	put_field(&parts[1], sha[1], 64);
	put_field(&parts[1], types[1], strlen(types[1]));
	put_be(&parts[1], 0xFFFF, 2); /* end of data */
	oc.seg[0] = (const char *)parts[0].buf;
	oc.len[0] = parts[0].len;
	oc.file = csv;
	oc.len[1] = len[0];
	oc.seg[2] = (const char *)parts[1].buf;
	oc.len[2] = parts[1].len;
	rc = db_copy_in(c,
			"COPY cruscotto.revision_opendata (revision_id, format, content, sha256,"
			" content_type) FROM STDIN (FORMAT binary)",
			segments_read, &oc, &err_line);
out:
	rows_free(r);
	free(docs[0]);
	free(docs[1]);
	free(parts[0].buf);
	free(parts[1].buf);
	return rc;
}

int publish_period(db *c, const char *policy, const char *period, FILE *progress,
		   struct publish_result *out)
{
	struct run_options ro = {policy, period, NULL, NULL, progress, NULL};
	struct publish_result res = {0};
	struct rep_card_source src = {0};
	struct copy_feed feed = {0}, pages = {0}, pages_in = {0};
	struct rep_html_revision rev = {0, NULL, NULL};
	char published[32], list[80];
	struct ind_run *run = NULL;
	const struct scorecard *pol = NULL;
	long err_line = 0;
	int rc, in_tx = 0;
	FILE *csv_file = NULL;

	rc = run_prepare(c, &ro, &run);
	if (rc)
		return rc;
	src = run_card_source(run);
	rc = ind_run_card(run, 0, &pol);
	if (rc)
		goto out;
	if (progress)
		fprintf(progress,
			"rendering and storing %d scorecard(s) of %s %s as JSON, PDF and HTML\n",
			src.count, policy, period);
	/* the open-data table of a large period is tens of megabytes: it
	 * waits in a temporary file, not in memory */
	csv_file = tmpfile();
	if (!csv_file) {
		rc = err_set(ERR_FAIL, "cannot create a temporary file for the open-data table");
		goto out;
	}
	rc = rep_csv_begin_file(csv_file, &feed.csv);
	if (rc)
		goto out;
	rc = db_begin(c);
	if (rc)
		goto out;
	in_tx = 1;
	rc = add_revision(c, pol, &res.id, &res.revision, published);
	if (rc)
		goto out;
	/* the pages are served under /<policy>/<period>/, the revisions
	 * listed on /<policy>/ (docs/HTTP.md); a code is URL-safe */
	snprintf(list, sizeof(list), "/%s/", pol->policy_code);
	rev.number = res.revision;
	rev.published = published;
	rev.list = list;
	feed.rev = &rev;
	feed.pages = &pages;
	pages.revision_id = res.id;
	feed.pages_file = tmpfile();
	if (!feed.pages_file) {
		rc = err_set(ERR_FAIL, "cannot create a temporary file for the pages");
		goto out;
	}
	/* documents stream into COPY as they are rendered: memory holds a few
	 * cards, whatever the period's size; a rendering failure aborts the
	 * COPY and the transaction, so no revision appears */
	rc = rep_render_start(&src, REP_FORMAT_JSON | REP_FORMAT_PDF, 0, &feed.render);
	if (rc)
		goto out;
	feed.revision_id = res.id;
	rc = db_copy_in(c,
			"COPY cruscotto.revision_document (revision_id, kind, agreement_code,"
			" neighbourhood_code, title, format, content, sha256, content_type)"
			" FROM STDIN (FORMAT binary)",
			feed_read, &feed, &err_line);
	if (rc)
		goto out;
	if (feed.cards != src.count) {
		rc = err_set(ERR_FAIL, "internal error: %d of %d scorecards stored", feed.cards,
			     src.count);
		goto out;
	}
	rewind(feed.pages_file);
	pages_in.pages_file = feed.pages_file;
	rc = db_copy_in(c,
			"COPY cruscotto.revision_page (revision_id, path, content, sha256,"
			" content_type) FROM STDIN (FORMAT binary)",
			pages_read, &pages_in, &err_line);
	if (rc)
		goto out;
	rc = store_open_data(c, pol, feed.csv, csv_file, res.id);
	feed.csv = NULL;
	if (rc)
		goto out;
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	res.documents = feed.documents;
	res.pages = pages.documents;
	res.scorecards = feed.cards;
	res.bytes = feed.bytes;
	res.batch_id = pol->batch_id > 0 ? pol->batch_id : -1;
	*out = res;
out:
	if (in_tx)
		db_rollback(c);
	rep_render_stop(feed.render);
	rep_csv_free(feed.csv);
	free(feed.buf);
	free(pages.buf);
	if (feed.pages_file)
		fclose(feed.pages_file);
	if (csv_file)
		fclose(csv_file);
	ind_run_release(run, pol);
	ind_run_free(run);
	return rc;
}

int publish_list(db *c, const char *policy, const char *period, rows **out)
{
	const char *params[2] = {policy, period};
	rows *r = NULL, *known = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT r.period, r.revision,"
		     " to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
		     " AS published_at, r.published_by, r.batch_id,"
		     " (SELECT count(*) FROM cruscotto.revision_document d"
		     " WHERE d.revision_id = r.id) AS documents"
		     " FROM cruscotto.revision r WHERE r.policy_code = $1::text"
		     " AND ($2::text IS NULL OR r.period = $2::text)"
		     " ORDER BY r.period, r.revision",
		     2, params, &r);
	if (rc)
		goto out;
	if (r->nrows == 0) {
		/* revisions outlive their policy's record: only a code that is
		 * neither published nor recorded is unknown */
		rc = db_exec(c, "SELECT 1 FROM cruscotto.policy WHERE code = $1::text", 1, params,
			     &known);
		if (rc)
			goto out;
		if (known->nrows == 0) {
			rc = err_set(ERR_NOTFOUND, "unknown policy %s", policy);
			goto out;
		}
	}
	*out = r;
	r = NULL;
out:
	rows_free(known);
	rows_free(r);
	return rc;
}

int publish_write_table(const rows *r, const char *policy, FILE *f)
{
	static const char *const heads[] = {"PERIOD", "REVISION", "PUBLISHED (UTC)",
					    "BY",     "BATCH",	  "DOCUMENTS"};
	static const int right[] = {0, 1, 0, 0, 1, 1};

	if (r->nrows == 0) {
		fprintf(f, "policy %s has no published revision\n", policy);
		return ferror(f) ? err_set(ERR_FAIL, "cannot write the list") : 0;
	}
	return rep_table_write_rows(r, 6, heads, right, f);
}
