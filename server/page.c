#include "page.h"

#include "err.h"
#include "format.h"
#include "publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page's words in the two locales. */
struct words {
	const char *lang, *title, *lead, *empty, *quarter, *meta, *policy_card, *agreements,
		*earlier, *footer, *api, *more, *next, *back, *html, *revisions;
};

/* Agreements listed in a period of the main page; the rest are a link away,
 * on the period's own pages. */
#define PAGE_AGREEMENTS_TEXT "50"

static const struct words italian = {
	"it",
	"Risultati pubblicati",
	"Le schede di valutazione delle politiche di co-produzione, come pubblicate dagli "
	"uffici dopo la verifica. Ogni scheda è disponibile in PDF e in JSON.",
	"Non è ancora stato pubblicato alcun risultato.",
	"%dº trimestre %d",
	"revisione %s, pubblicata il %s",
	"Scheda della politica",
	"Accordi di cittadinanza",
	"Revisioni precedenti",
	"Gli stessi dati, per altri sistemi:",
	"API JSON",
	"Tutti gli accordi (%d)",
	"Pagina successiva",
	"Tutti i risultati",
	"Scheda consultabile",
	"Periodi e revisioni",
};

static const struct words english = {
	"en",
	"Published results",
	"The evaluation scorecards of the co-production policies, as published by the "
	"officers once checked. Every scorecard is available as PDF and as JSON.",
	"Nothing has been published yet.",
	"Q%d %d",
	"revision %s, published on %s",
	"Policy scorecard",
	"Collaboration agreements",
	"Earlier revisions",
	"The same data, for other systems:",
	"JSON API",
	"All %d agreements",
	"Next page",
	"All results",
	"Readable scorecard",
	"Periods and revisions",
};

static const char style[] =
	":root{color-scheme:light dark;--fg:#1b1f23;--muted:#57606a;--bg:#fff;--card:#f6f8fa;"
	"--line:#d0d7de;--link:#0b57d0}"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;"
	"--card:#161b22;--line:#30363d;--link:#6ea8fe}}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\","
	"sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}"
	"header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}"
	"header{padding-top:1rem}"
	"h1{font-size:1.6rem;margin:.5rem 0}"
	"h2{font-size:1.3rem;margin:1.5rem 0 .5rem;padding-bottom:.25rem;"
	"border-bottom:2px solid var(--line)}"
	"h3{font-size:1.1rem;margin:0}"
	"h4{font-size:1rem;margin:.75rem 0 .25rem}"
	".code,.id{color:var(--muted);font-size:.85em;font-weight:normal}"
	".period{background:var(--card);border:1px solid var(--line);border-radius:.5rem;"
	"padding:.75rem 1rem;margin:.75rem 0}"
	".meta{color:var(--muted);margin:.25rem 0 .5rem;font-size:.9rem}"
	"ul.docs{list-style:none;margin:0;padding:0}"
	"ul.docs li{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;"
	"gap:.5rem;padding:.4rem 0;border-top:1px solid var(--line)}"
	".links{display:flex;gap:.5rem}"
	".links a{display:inline-block;min-width:3.5rem;text-align:center;padding:.45rem .75rem;"
	"border:1px solid var(--link);border-radius:.4rem;color:var(--link);"
	"text-decoration:none;font-weight:600}"
	".links a:hover,.links a:focus{background:var(--link);color:var(--bg)}"
	"details{margin-top:.5rem;font-size:.9rem}"
	"details ul{padding-left:1.25rem}"
	"a{color:var(--link)}"
	"footer{color:var(--muted);font-size:.9rem;padding-bottom:1.5rem}";

static const struct words *words_of(const char *locale)
{
	return fmt_is_en(locale) ? &english : &italian;
}

/* Writes `s` with the five HTML-special characters escaped, for text and
 * for quoted attribute values alike. */
static void put_escaped(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* "<a>PDF</a><a>JSON</a>" for the scorecards of `code` (kind "policies" or
 * "agreements") for `period`, of `revision` (NULL: the latest). */
static void put_links(FILE *f, const char *prefix, const char *kind, const char *code,
		      const char *period, const char *revision)
{
	static const char *const exts[2] = {".pdf", ""}, *const names[2] = {"PDF", "JSON"},
				 *const classes[2] = {"pdf", "json"};
	int i;

	fputs("<span class=\"links\">", f);
	for (i = 0; i < 2; i++) {
		fprintf(f, "<a class=\"%s\" href=\"%sapi/v1/%s/", classes[i], prefix, kind);
		put_escaped(f, code);
		fputs("/scorecards/", f);
		put_escaped(f, period);
		fputs(exts[i], f);
		if (revision) {
			fputs("?revision=", f);
			put_escaped(f, revision);
		}
		fprintf(f, "\">%s</a>", names[i]);
	}
	fputs("</span>", f);
}

/* "revisione N, pubblicata il <long date>" in the locale. */
static void put_meta(FILE *f, const struct words *w, const char *locale, const char *revision,
		     const char *iso)
{
	char date[64];

	if (fmt_date(iso, FMT_DATE_LONG, locale, date, sizeof(date)) != 0)
		snprintf(date, sizeof(date), "%s", iso ? iso : "");
	fprintf(f, w->meta, revision, date);
}

/* The earlier revisions of one period: the rows of `old` from *j on that
 * belong to (policy, period); `old` is ordered like the periods. */
static void put_earlier(FILE *f, const struct words *w, const char *locale, const rows *old, int *j,
			const char *policy, const char *period)
{
	int opened = 0;

	for (; *j < old->nrows; (*j)++) {
		const char *number = rows_get(old, *j, 2);

		if (strcmp(rows_get(old, *j, 0), policy) != 0 ||
		    strcmp(rows_get(old, *j, 1), period) != 0)
			break;
		if (!opened)
			fprintf(f, "<details><summary>%s</summary>\n<ul class=\"docs\">\n",
				w->earlier);
		opened = 1;
		fputs("<li><span class=\"doc\">", f);
		put_meta(f, w, locale, number, rows_get(old, *j, 3));
		fputs("</span>", f);
		put_links(f, "", "policies", policy, period, number);
		fputs("</li>\n", f);
	}
	if (opened)
		fputs("</ul></details>\n", f);
}

/* One row of the scorecard list: the policy's or an agreement's. */
static void put_doc(FILE *f, const struct words *w, const rows *docs, int i, const char *prefix,
		    const char *policy, const char *period)
{
	const char *code = rows_get(docs, i, 6);

	fputs("<li><span class=\"doc\">", f);
	if (code) {
		put_escaped(f, rows_get(docs, i, 7));
		fputs(" <span class=\"code\">", f);
		put_escaped(f, code);
		fputs("</span>", f);
	} else {
		fputs(w->policy_card, f);
	}
	fputs("</span>", f);
	put_links(f, prefix, code ? "agreements" : "policies", code ? code : policy, period, NULL);
	fputs("</li>\n", f);
}

/* One period of a policy from row *i of `docs` on; advances *i past it. */
static void put_period(FILE *f, const rows *docs, int *i, const rows *old, int *j)
{
	const char *policy = rows_get(docs, *i, 0), *locale = rows_get(docs, *i, 2);
	const char *period = rows_get(docs, *i, 3);
	const struct words *w = words_of(locale);
	int agreements = 0, total = 0, shown = 0;

	fputs("<article class=\"period\" id=\"", f);
	put_escaped(f, policy);
	fputc('-', f);
	put_escaped(f, period);
	fputs("\" data-period=\"", f);
	put_escaped(f, period);
	fputs("\">\n<h3>", f);
	/* the period is YYYY-Qn (the schema holds it to that form) */
	fprintf(f, w->quarter, period[6] - '0', atoi(period));
	fputs(" <span class=\"id\">", f);
	put_escaped(f, period);
	fputs("</span></h3>\n<p class=\"meta\">", f);
	put_meta(f, w, locale, rows_get(docs, *i, 4), rows_get(docs, *i, 5));
	/* the stored HTML pages of the latest revision (http.c serves them) */
	fputs("</p>\n<p class=\"more\"><a href=\"", f);
	put_escaped(f, policy);
	fputc('/', f);
	put_escaped(f, period);
	fprintf(f, "/\">%s</a></p>\n<ul class=\"docs\">\n", w->html);
	for (; *i < docs->nrows && strcmp(rows_get(docs, *i, 0), policy) == 0 &&
	       strcmp(rows_get(docs, *i, 3), period) == 0;
	     (*i)++) {
		if (rows_get(docs, *i, 6) && !agreements) {
			fprintf(f, "</ul>\n<h4>%s</h4>\n<ul class=\"docs\">\n", w->agreements);
			agreements = 1;
		}
		put_doc(f, w, docs, *i, "", policy, period);
		total = atoi(rows_get(docs, *i, 8)) - 1; /* the policy's own is one */
		shown += rows_get(docs, *i, 6) != NULL;
	}
	fputs("</ul>\n", f);
	if (total > shown) {
		fputs("<p class=\"more\"><a href=\"periods/", f);
		put_escaped(f, policy);
		fputc('/', f);
		put_escaped(f, period);
		fputs("\">", f);
		fprintf(f, w->more, total);
		fputs("</a></p>\n", f);
	}
	put_earlier(f, w, locale, old, j, policy, period);
	fputs("</article>\n", f);
}

/* One policy's section from row *i of `docs` on; advances *i past it. */
static void put_policy(FILE *f, const rows *docs, int *i, const rows *old, int *j)
{
	const char *policy = rows_get(docs, *i, 0);
	const struct words *w = words_of(rows_get(docs, *i, 2));

	fputs("<section class=\"policy\" id=\"policy-", f);
	put_escaped(f, policy);
	fprintf(f, "\" lang=\"%s\">\n<h2>", w->lang);
	put_escaped(f, rows_get(docs, *i, 1));
	fputs(" <span class=\"code\">", f);
	put_escaped(f, policy);
	fputs("</span></h2>\n<p><a href=\"", f);
	put_escaped(f, policy);
	fprintf(f, "/\">%s</a></p>\n", w->revisions);
	while (*i < docs->nrows && strcmp(rows_get(docs, *i, 0), policy) == 0)
		put_period(f, docs, i, old, j);
	fputs("</section>\n", f);
}

/* Writes the whole document from the two lists. */
static void put_page(FILE *f, const rows *docs, const rows *old)
{
	const struct words *w = &english;
	int i = 0, j = 0;

	/* the page's own words are English only when every policy is */
	for (i = 0; i < docs->nrows; i++)
		if (!fmt_is_en(rows_get(docs, i, 2)))
			w = &italian;
	if (docs->nrows == 0)
		w = &italian;
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<header>\n<h1>%s</h1>\n<p>%s</p>\n</header>\n<main>\n",
		w->lang, w->title, style, w->title, w->lead);
	if (docs->nrows == 0)
		fprintf(f, "<p class=\"empty\">%s</p>\n", w->empty);
	for (i = 0; i < docs->nrows;)
		put_policy(f, docs, &i, old, &j);
	fprintf(f,
		"</main>\n<footer>\n<p>%s <a href=\"api/v1/policies\">%s</a></p>\n</footer>\n"
		"</body>\n</html>\n",
		w->footer, w->api);
}

int page_render(db *c, struct api_body *out)
{
	struct api_body b = {0};
	rows *docs = NULL, *old = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc, in_tx = 0;

	rc = db_begin_snapshot(c);
	if (rc)
		goto out;
	in_tx = 1;
	/* the published scorecards of the latest revisions, listed once (each
	 * has its PDF too): policy by code, period newest first, the policy's
	 * own scorecard first, then the first agreements by code, with how
	 * many there are in all */
	rc = db_exec(c,
		     "SELECT * FROM (SELECT l.policy_code, l.policy_name, l.locale, l.period,"
		     " l.revision, to_char(l.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
		     " d.agreement_code, d.title,"
		     " count(*) OVER (PARTITION BY l.id) AS total,"
		     " row_number() OVER (PARTITION BY l.id ORDER BY d.agreement_code::text"
		     " COLLATE \"C\" NULLS FIRST) AS n"
		     " FROM cruscotto.revision_latest l JOIN cruscotto.revision_document d"
		     " ON d.revision_id = l.id WHERE d.format = 'json'"
		     " AND d.kind IN ('policy', 'agreement')) x"
		     " WHERE x.n <= $1::integer + 1"
		     " ORDER BY x.policy_code COLLATE \"C\", x.period DESC, x.n",
		     1, (const char *[]){PAGE_AGREEMENTS_TEXT}, &docs);
	if (rc == 0)
		rc = db_exec(
			c,
			"SELECT r.policy_code, r.period, r.revision,"
			" to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
			" FROM cruscotto.revision r JOIN cruscotto.revision_latest l"
			" ON l.policy_code = r.policy_code AND l.period = r.period"
			" AND r.revision < l.revision"
			" ORDER BY r.policy_code COLLATE \"C\", r.period DESC, r.revision DESC",
			0, NULL, &old);
	if (rc)
		goto out;
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	f = open_memstream(&text, &len);
	if (!f) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	put_page(f, docs, old);
	if (fclose(f) != 0 || !text) {
		f = NULL;
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	f = NULL;
	b.data = (unsigned char *)text;
	b.len = len;
	b.content_type = "text/html; charset=utf-8";
	rc = publish_sha256_hex(b.data, b.len, b.sha256);
	if (rc)
		goto out;
	text = NULL;
	*out = b;
out:
	if (in_tx)
		db_rollback(c);
	if (f)
		fclose(f);
	free(text);
	rows_free(docs);
	rows_free(old);
	return rc;
}

/* Turns the text of `f` into the body *out (HTML, with its hash); closes f. */
static int finish_html(FILE *f, char **text, size_t *len, struct api_body *out)
{
	struct api_body b = {0};
	int rc;

	if (fclose(f) != 0 || !*text)
		return err_set(ERR_FAIL, "out of memory");
	b.data = (unsigned char *)*text;
	b.len = *len;
	b.content_type = "text/html; charset=utf-8";
	rc = publish_sha256_hex(b.data, b.len, b.sha256);
	if (rc)
		return rc;
	*text = NULL;
	*out = b;
	return 0;
}

/* The page of one period's agreements: `rev` is the latest revision (id,
 * policy name, locale, revision, date), `docs` up to limit + 1 agreements
 * (code, title) after the cursor. */
static void put_period_page(FILE *f, const char *policy, const char *period, const rows *rev,
			    const rows *docs, int limit)
{
	const char *locale = rows_get(rev, 0, 2);
	const struct words *w = words_of(locale);
	int i, shown = docs->nrows < limit ? docs->nrows : limit;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>",
		w->lang);
	put_escaped(f, rows_get(rev, 0, 1));
	fprintf(f, " · %s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		period, style);
	fprintf(f, "<p><a href=\"../../\">%s</a></p>\n<h1>", w->back);
	put_escaped(f, rows_get(rev, 0, 1));
	fputs(" <span class=\"code\">", f);
	put_escaped(f, policy);
	fputs("</span></h1>\n</header>\n<main>\n<article class=\"period\" data-period=\"", f);
	put_escaped(f, period);
	fputs("\">\n<h3>", f);
	fprintf(f, w->quarter, period[6] - '0', atoi(period));
	fputs(" <span class=\"id\">", f);
	put_escaped(f, period);
	fputs("</span></h3>\n<p class=\"meta\">", f);
	put_meta(f, w, locale, rows_get(rev, 0, 3), rows_get(rev, 0, 4));
	fprintf(f, "</p>\n<h4>%s</h4>\n<ul class=\"docs\">\n", w->agreements);
	for (i = 0; i < shown; i++) {
		fputs("<li><span class=\"doc\">", f);
		put_escaped(f, rows_get(docs, i, 1));
		fputs(" <span class=\"code\">", f);
		put_escaped(f, rows_get(docs, i, 0));
		fputs("</span></span>", f);
		put_links(f, "../../", "agreements", rows_get(docs, i, 0), period, NULL);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	if (docs->nrows > limit) {
		fputs("<p class=\"more\"><a rel=\"next\" href=\"?after=", f);
		put_escaped(f, rows_get(docs, shown - 1, 0));
		fprintf(f, "&amp;limit=%d\">%s</a></p>\n", limit, w->next);
	}
	fputs("</article>\n</main>\n</body>\n</html>\n", f);
}

int page_period(db *c, const char *policy, const char *period, const char *after, int limit,
		struct api_body *out)
{
	char lim[16];
	const char *params[2] = {policy, period};
	rows *rev = NULL, *docs = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc, in_tx = 0;

	rc = db_begin_snapshot(c);
	if (rc)
		goto out;
	in_tx = 1;
	rc = db_exec(c,
		     "SELECT l.id, l.policy_name, l.locale, l.revision,"
		     " to_char(l.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
		     " FROM cruscotto.revision_latest l"
		     " WHERE l.policy_code = $1::text AND l.period = $2::text",
		     2, params, &rev);
	if (rc)
		goto out;
	if (rev->nrows == 0) {
		rc = err_set(ERR_NOTFOUND, "no published scorecards of policy %s for %s", policy,
			     period);
		goto out;
	}
	/* one more than shown: whether there is a next page */
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	rc = db_exec(c,
		     "SELECT d.agreement_code, min(d.title)"
		     " FROM cruscotto.revision_document d WHERE d.revision_id = $1::bigint"
		     " AND d.kind = 'agreement' AND ($2::text IS NULL OR"
		     " d.agreement_code::text COLLATE \"C\" > $2::text COLLATE \"C\")"
		     " GROUP BY d.agreement_code"
		     " ORDER BY d.agreement_code::text COLLATE \"C\" LIMIT $3::integer",
		     3, (const char *[]){rows_get(rev, 0, 0), after, lim}, &docs);
	if (rc)
		goto out;
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	f = open_memstream(&text, &len);
	if (!f) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	put_period_page(f, policy, period, rev, docs, limit);
	rc = finish_html(f, &text, &len, out);
out:
	if (in_tx)
		db_rollback(c);
	free(text);
	rows_free(rev);
	rows_free(docs);
	return rc;
}

/* The page of one policy's revisions: `rev` holds every revision (period,
 * revision, date, policy name, locale), newest period and revision first. */
static void put_policy_page(FILE *f, const char *policy, const rows *rev)
{
	const char *locale = rows_get(rev, 0, 4);
	const struct words *w = words_of(locale);
	int i = 0;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>",
		w->lang);
	put_escaped(f, rows_get(rev, 0, 3));
	fprintf(f, " · %s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		w->revisions, style);
	fprintf(f, "<p><a href=\"../\">%s</a></p>\n<h1>", w->back);
	put_escaped(f, rows_get(rev, 0, 3));
	fputs(" <span class=\"code\">", f);
	put_escaped(f, policy);
	fprintf(f, "</span></h1>\n<p>%s</p>\n</header>\n<main>\n", w->revisions);
	while (i < rev->nrows) {
		const char *period = rows_get(rev, i, 0);

		fputs("<article class=\"period\" data-period=\"", f);
		put_escaped(f, period);
		fputs("\">\n<h2>", f);
		fprintf(f, w->quarter, period[6] - '0', atoi(period));
		fputs(" <span class=\"id\">", f);
		put_escaped(f, period);
		fputs("</span></h2>\n<p class=\"more\"><a href=\"", f);
		put_escaped(f, period);
		fprintf(f, "/\">%s</a></p>\n<ul class=\"docs\">\n", w->html);
		for (; i < rev->nrows && strcmp(rows_get(rev, i, 0), period) == 0; i++) {
			const char *number = rows_get(rev, i, 1);

			fputs("<li><a class=\"doc\" href=\"", f);
			put_escaped(f, period);
			fputs("/revision/", f);
			put_escaped(f, number);
			fputs("/\">", f);
			put_meta(f, w, locale, number, rows_get(rev, i, 2));
			fputs("</a>", f);
			put_links(f, "../", "policies", policy, period, number);
			fputs("</li>\n", f);
		}
		fputs("</ul>\n</article>\n", f);
	}
	fputs("</main>\n</body>\n</html>\n", f);
}

int page_policy(db *c, const char *policy, struct api_body *out)
{
	const char *params[1] = {policy};
	rows *rev = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT r.period, r.revision,"
		     " to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
		     " r.policy_name, r.locale FROM cruscotto.revision r"
		     " WHERE r.policy_code = $1::text ORDER BY r.period DESC, r.revision DESC",
		     1, params, &rev);
	if (rc)
		goto out;
	if (rev->nrows == 0) {
		rc = err_set(ERR_NOTFOUND, "no published scorecards of policy %s", policy);
		goto out;
	}
	f = open_memstream(&text, &len);
	if (!f) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	put_policy_page(f, policy, rev);
	rc = finish_html(f, &text, &len, out);
out:
	free(text);
	rows_free(rev);
	return rc;
}
