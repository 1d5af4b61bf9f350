#include "publish.h"

#include "csv.h"
#include "err.h"
#include "format.h"
#include "json.h"
#include "pdf.h"
#include "run.h"

#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* One rendered document of the revision, before it is stored. */
struct doc {
	const struct scorecard *sc;
	const char *format;	  /* "json" or "pdf" */
	const char *content_type; /* what the schema requires for the format */
	unsigned char *content;
	size_t len;
	char sha256[65];
};

static const char json_type[] = "application/json; charset=utf-8";
static const char pdf_type[] = "application/pdf";

int publish_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return err_set(ERR_FAIL, "cannot compute a SHA-256 (libcrypto failure)");
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

/* Renders one scorecard in one format into d, with its hash. */
static int render(const struct scorecard *sc, int pdf, struct doc *d)
{
	char *json = NULL;
	int rc;

	d->sc = sc;
	d->format = pdf ? "pdf" : "json";
	d->content_type = pdf ? pdf_type : json_type;
	if (pdf) {
		rc = rep_pdf_render(sc, &d->content, &d->len);
	} else {
		rc = rep_json_render(sc, &json);
		if (rc == 0) {
			/* HTTP clients get the compact form; files stay indented */
			rep_json_compact(json);
			d->content = (unsigned char *)json;
			d->len = strlen(json);
		}
	}
	if (rc)
		return rc;
	/* a bound parameter's length is an int */
	if (d->len > INT_MAX)
		return err_set(ERR_FAIL, "a scorecard of %s is too large to store (%zu bytes)",
			       sc->agreement_code ? sc->agreement_code : sc->policy_code, d->len);
	return publish_sha256_hex(d->content, d->len, d->sha256);
}

/* Stores the revision and its documents; the caller owns the transaction. */
static int store(db *c, const struct scorecard *pol, const struct doc *docs, int ndocs,
		 struct publish_result *res)
{
	char batch_text[24], id_text[24];
	const char *params[8];
	int lengths[8], rc, i;
	long long id = 0, number = 0;
	rows *r = NULL;

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
		" RETURNING id, revision",
		6, params, &r);
	if (rc)
		goto out;
	rc = rows_get_long(r, 0, 0, &id);
	if (rc == 0)
		rc = rows_get_long(r, 0, 1, &number);
	if (rc)
		goto out;
	snprintf(id_text, sizeof(id_text), "%lld", id);
	for (i = 0; i < 8; i++)
		lengths[i] = -1;
	for (i = 0; i < ndocs; i++) {
		const struct scorecard *sc = docs[i].sc;

		params[0] = id_text;
		params[1] = sc->agreement_code ? "agreement" : "policy";
		params[2] = sc->agreement_code;
		params[3] = sc->agreement_code ? sc->agreement_title : sc->policy_name;
		params[4] = docs[i].format;
		params[5] = (const char *)docs[i].content;
		lengths[5] = (int)docs[i].len;
		params[6] = docs[i].sha256;
		params[7] = docs[i].content_type;
		rc = db_exec_binary(c,
				    "INSERT INTO cruscotto.revision_document (revision_id, kind,"
				    " agreement_code, title, format, content, sha256, content_type)"
				    " VALUES ($1::bigint, $2::text, $3::text, $4::text, $5::text,"
				    " $6::bytea, $7::text, $8::text)",
				    8, params, lengths, NULL);
		if (rc)
			goto out;
	}
	res->id = id;
	res->revision = (int)number;
	res->documents = ndocs;
	res->batch_id = pol->batch_id > 0 ? pol->batch_id : -1;
out:
	rows_free(r);
	return rc;
}

/* Stores the period's open-data table and its DCAT-AP_IT metadata with the
 * revision `id` (schema 005_opendata.sql), in the caller's transaction.
 * issued is the day the period was first published, modified today. */
static int store_open_data(db *c, const struct ind_result *rr, long long id)
{
	static const char *const types[] = {"text/csv; charset=utf-8; header=present",
					    "application/json; charset=utf-8"};
	static const char *const formats[] = {"csv", "dcat"};
	const struct scorecard *pol = rr->policy;
	char *docs[2] = {NULL, NULL}, url[160], id_text[24], sha[65];
	struct rep_dcat d = {NULL, NULL, url};
	const char *params[5];
	int lengths[5] = {-1, -1, -1, -1, -1}, rc, i;
	size_t len[2] = {0, 0};
	rows *r = NULL;

	rc = rep_csv_render(pol, rr->agreements, rr->n_agreements, &docs[0], &len[0]);
	if (rc)
		goto out;
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
	snprintf(id_text, sizeof(id_text), "%lld", id);
	for (i = 0; i < 2; i++) {
		if (len[i] > INT_MAX) {
			rc = err_set(ERR_FAIL, "the open-data table of %s %s is too large to store",
				     pol->policy_code, pol->period);
			goto out;
		}
		rc = publish_sha256_hex(docs[i], len[i], sha);
		if (rc)
			goto out;
		params[0] = id_text;
		params[1] = formats[i];
		params[2] = docs[i];
		lengths[2] = (int)len[i];
		params[3] = sha;
		params[4] = types[i];
		rc = db_exec_binary(c,
				    "INSERT INTO cruscotto.revision_opendata (revision_id, format,"
				    " content, sha256, content_type) VALUES ($1::bigint, $2::text,"
				    " $3::bytea, $4::text, $5::text)",
				    5, params, lengths, NULL);
		if (rc)
			goto out;
	}
out:
	rows_free(r);
	free(docs[0]);
	free(docs[1]);
	return rc;
}

int publish_period(db *c, const char *policy, const char *period, FILE *progress,
		   struct publish_result *out)
{
	struct run_options ro = {policy, period, NULL, NULL, progress};
	struct publish_result res = {0};
	struct ind_result *rr = NULL;
	struct doc *docs = NULL;
	int rc, i, ncards = 0, ndocs = 0, in_tx = 0;

	rc = run_compute(c, &ro, &rr);
	if (rc)
		return rc;
	ncards = 1 + rr->n_agreements;
	docs = calloc((size_t)ncards * 2, sizeof(*docs));
	if (!docs) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	if (progress)
		fprintf(progress, "rendering %d scorecard(s) of %s %s as JSON and PDF\n", ncards,
			policy, period);
	/* everything is rendered before the transaction opens: a rendering
	 * failure never touches the database, and the lock is held briefly */
	for (i = 0; i < ncards; i++) {
		const struct scorecard *sc = i == 0 ? rr->policy : rr->agreements[i - 1];

		rc = render(sc, 0, &docs[ndocs++]);
		if (rc == 0)
			rc = render(sc, 1, &docs[ndocs++]);
		if (rc) {
			rc = err_set(rc, "cannot render the scorecard of %s: %s",
				     sc->agreement_code ? sc->agreement_code : sc->policy_code,
				     err_last());
			goto out;
		}
	}
	rc = db_begin(c);
	if (rc)
		goto out;
	in_tx = 1;
	rc = store(c, rr->policy, docs, ndocs, &res);
	if (rc == 0)
		rc = store_open_data(c, rr, res.id);
	if (rc)
		goto out;
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	res.scorecards = ncards;
	*out = res;
out:
	if (in_tx)
		db_rollback(c);
	for (i = 0; docs && i < ndocs; i++)
		free(docs[i].content);
	free(docs);
	ind_result_free(rr);
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
	enum { NCOL = 6 };
	size_t width[NCOL];
	int i, j;

	if (r->nrows == 0) {
		fprintf(f, "policy %s has no published revision\n", policy);
		return ferror(f) ? err_set(ERR_FAIL, "cannot write the list") : 0;
	}
	for (j = 0; j < NCOL; j++) {
		width[j] = fmt_width(heads[j]);
		for (i = 0; i < r->nrows; i++) {
			const char *v = rows_get(r, i, j);
			size_t w = fmt_width(v ? v : "-");

			if (w > width[j])
				width[j] = w;
		}
	}
	for (i = -1; i < r->nrows; i++) {
		for (j = 0; j < NCOL; j++) {
			const char *v = i < 0 ? heads[j] : rows_get(r, i, j);
			size_t pad;

			v = v ? v : "-";
			pad = width[j] - fmt_width(v);
			/* the last column is not padded on the right: no trailing blanks */
			if (right[j])
				fprintf(f, "%s%*s%s", j ? "  " : "", (int)pad, "", v);
			else
				fprintf(f, "%s%s%*s", j ? "  " : "", v,
					j == NCOL - 1 ? 0 : (int)pad, "");
		}
		fputc('\n', f);
	}
	return ferror(f) ? err_set(ERR_FAIL, "cannot write the list") : 0;
}
