#include "page.h"

#include "err.h"
#include "fmt.h"
#include "sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page's words in the two locales. */
struct words {
	const char *lang, *title, *lead, *empty, *quarter, *meta, *policy_card, *agreements,
		*earlier, *footer, *api, *more, *next, *back, *html, *revisions;
	/* the search form and its results */
	const char *search, *search_label, *search_policy_label, *search_title, *search_hint,
		*search_none, *search_one, *search_many, *search_more, *search_no_page;
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
	"Cerca",
	"Cerca un accordo per codice o titolo",
	"Cerca un accordo di questa politica per codice o titolo",
	"Ricerca degli accordi",
	"Scrivi il codice di un accordo o una parte del suo titolo.",
	"Nessun accordo corrisponde a «%s».",
	"Un accordo corrisponde a «%s».",
	"%d accordi corrispondono a «%s».",
	"Più di %d accordi corrispondono a «%s»: ecco i primi %d. Precisa la ricerca per "
	"trovare gli altri.",
	"(solo PDF: pubblicato prima delle schede consultabili)",
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
	"Search",
	"Search an agreement by code or title",
	"Search an agreement of this policy by code or title",
	"Agreement search",
	"Type an agreement's code or part of its title.",
	"No agreement matches “%s”.",
	"One agreement matches “%s”.",
	"%d agreements match “%s”.",
	"More than %d agreements match “%s”: here are the first %d. Refine the search to "
	"find the others.",
	"(PDF only: published before the readable scorecards)",
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
	"footer{color:var(--muted);font-size:.9rem;padding-bottom:1.5rem}"
	"form.search{display:flex;flex-wrap:wrap;align-items:end;gap:.5rem;margin:1rem 0}"
	"form.search label{flex:1 0 100%;font-weight:600}"
	"form.search input{flex:1 1 12rem;font:inherit;padding:.45rem .6rem;color:var(--fg);"
	"background:var(--bg);border:1px solid var(--muted);border-radius:.4rem}"
	"form.search button{font:inherit;font-weight:600;padding:.45rem 1rem;color:var(--bg);"
	"background:var(--link);border:1px solid var(--link);border-radius:.4rem;cursor:pointer}"
	"a:focus-visible,input:focus-visible,button:focus-visible{outline:3px solid var(--link);"
	"outline-offset:2px}";

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

/* The search form (GET, no script): `action` is the address of /search
 * relative to the page, `policy` (or NULL) limits it to one policy, `value`
 * (or NULL) is the text searched for last. */
static void put_search_form(FILE *f, const struct words *w, const char *action, const char *policy,
			    const char *value)
{
	fputs("<form class=\"search\" role=\"search\" method=\"get\" action=\"", f);
	put_escaped(f, action);
	fprintf(f, "\">\n<label for=\"search-q\">%s</label>\n",
		policy ? w->search_policy_label : w->search_label);
	fprintf(f,
		"<input type=\"search\" id=\"search-q\" name=\"q\" maxlength=\"%d\" "
		"autocomplete=\"off\" value=\"",
		PAGE_SEARCH_MAX);
	put_escaped(f, value);
	fputs("\">\n", f);
	if (policy) {
		fputs("<input type=\"hidden\" name=\"policy\" value=\"", f);
		put_escaped(f, policy);
		fputs("\">\n", f);
	}
	fprintf(f, "<button type=\"submit\">%s</button>\n</form>\n", w->search);
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
	if (docs->nrows > 0)
		put_search_form(f, w, "search", NULL, NULL);
	if (docs->nrows == 0)
		fprintf(f, "<p class=\"empty\">%s</p>\n", w->empty);
	for (i = 0; i < docs->nrows;)
		put_policy(f, docs, &i, old, &j);
	fprintf(f,
		"</main>\n<footer>\n<p>%s <a href=\"api/v1/policies\">%s</a></p>\n</footer>\n"
		"</body>\n</html>\n",
		w->footer, w->api);
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
	rc = sha256_hex(b.data, b.len, b.sha256);
	if (rc)
		return rc;
	*text = NULL;
	*out = b;
	return 0;
}

int page_render(db *c, struct api_body *out)
{
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
	rc = finish_html(f, &text, &len, out);
	f = NULL;
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

/* The page of one period's agreements: `rev` is the latest revision (id,
 * policy name, locale, revision, date: api_read_agreements), `docs` up to limit + 1 agreements
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
	rows *rev = NULL, *docs = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc;

	rc = api_read_agreements(c, policy, period, 0, after, limit, &rev, &docs);
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
	put_search_form(f, w, "../search", policy, NULL);
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

/* The results page: `loc` the page's locale, `policy` (or NULL) and its
 * name, `query` the text searched for ("" when none), `found` up to
 * PAGE_SEARCH_RESULTS + 1 matches (code, title, policy, period, whether the
 * revision holds the agreement's page) or NULL. */
static void put_search_page(FILE *f, const char *loc, const char *policy, const char *policy_name,
			    const char *query, const rows *found)
{
	const struct words *w = words_of(loc);
	int i, shown;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"robots\" content=\"noindex\">\n<title>",
		w->lang);
	if (query[0]) {
		put_escaped(f, query);
		fputs(" · ", f);
	}
	fprintf(f, "%s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		w->search_title, style);
	fprintf(f, "<p><a href=\"./\">%s</a>", w->back);
	if (policy) {
		fputs(" · <a href=\"", f);
		put_escaped(f, policy);
		fputs("/\">", f);
		put_escaped(f, policy_name);
		fputs("</a>", f);
	}
	fprintf(f, "</p>\n<h1>%s", w->search_title);
	if (policy) {
		fputs(" <span class=\"code\">", f);
		put_escaped(f, policy);
		fputs("</span>", f);
	}
	fputs("</h1>\n</header>\n<main>\n", f);
	put_search_form(f, w, "search", policy, query);
	if (!found) {
		fprintf(f, "<p class=\"empty\">%s</p>\n", w->search_hint);
		fputs("</main>\n</body>\n</html>\n", f);
		return;
	}
	shown = found->nrows > PAGE_SEARCH_RESULTS ? PAGE_SEARCH_RESULTS : found->nrows;
	/* the count is a status the form's result announces; the words are
	 * the page's own, the query escaped inside them */
	fputs("<h2 id=\"results\">", f);
	{
		char *line = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&line, &len);

		if (m) {
			if (found->nrows == 0)
				fprintf(m, w->search_none, "\x01");
			else if (found->nrows == 1)
				fprintf(m, w->search_one, "\x01");
			else if (found->nrows <= PAGE_SEARCH_RESULTS)
				fprintf(m, w->search_many, found->nrows, "\x01");
			else
				fprintf(m, w->search_more, PAGE_SEARCH_RESULTS, "\x01",
					PAGE_SEARCH_RESULTS);
			fclose(m);
		}
		for (i = 0; line && line[i]; i++) {
			if (line[i] == '\x01')
				put_escaped(f, query);
			else
				fputc(line[i], f);
		}
		free(line);
	}
	fputs("</h2>\n", f);
	if (shown > 0)
		fputs("<ul class=\"docs\" aria-labelledby=\"results\">\n", f);
	for (i = 0; i < shown; i++) {
		const char *code = rows_get(found, i, 0), *pol = rows_get(found, i, 2);
		const char *period = rows_get(found, i, 3);
		int page = strcmp(rows_get(found, i, 4), "t") == 0;

		fputs("<li><span class=\"doc\">", f);
		if (page) {
			fputs("<a href=\"", f);
			put_escaped(f, pol);
			fputc('/', f);
			put_escaped(f, period);
			fputs("/agreements/", f);
			put_escaped(f, code);
			fputs(".html\">", f);
		}
		put_escaped(f, rows_get(found, i, 1));
		if (page)
			fputs("</a>", f);
		fputs(" <span class=\"code\">", f);
		put_escaped(f, code);
		fputs(" · ", f);
		put_escaped(f, pol);
		fputs(" · ", f);
		put_escaped(f, period);
		fputs("</span>", f);
		if (!page)
			fprintf(f, " <span class=\"code\">%s</span>", w->search_no_page);
		fputs("</span>", f);
		put_links(f, "", "agreements", code, period, NULL);
		fputs("</li>\n", f);
	}
	if (shown > 0)
		fputs("</ul>\n", f);
	fputs("</main>\n</body>\n</html>\n", f);
}

int page_search(db *c, const char *policy, const char *query, struct api_body *out)
{
	char lim[16];
	rows *pol = NULL, *found = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int rc, in_tx = 0;

	rc = db_begin_snapshot(c);
	if (rc)
		goto out;
	in_tx = 1;
	/* the page's words: the policy's locale, or Italian unless every
	 * published policy is English (as the council's page) */
	if (policy)
		rc = db_exec(c,
			     "SELECT l.locale, l.policy_name FROM cruscotto.revision_latest l"
			     " WHERE l.policy_code = $1::text"
			     " ORDER BY l.period DESC LIMIT 1",
			     1, (const char *[]){policy}, &pol);
	else
		rc = db_exec(c,
			     "SELECT CASE WHEN bool_and(l.locale = 'en') THEN 'en' ELSE 'it' END,"
			     " NULL FROM cruscotto.revision_latest l",
			     0, NULL, &pol);
	if (rc)
		goto out;
	if (pol->nrows == 0) {
		rc = err_set(ERR_NOTFOUND, "no published scorecards of policy %s", policy);
		goto out;
	}
	if (query[0]) {
		/* every agreement's latest published scorecard (the latest
		 * revision of its latest period; of the most recent publication
		 * when two policies published it for one period, as the API),
		 * kept when its code or title holds the text: strpos, not LIKE,
		 * so that % and _ are the characters they are */
		snprintf(lim, sizeof(lim), "%d", PAGE_SEARCH_RESULTS + 1);
		rc = db_exec(
			c,
			"SELECT x.agreement_code, x.title, x.policy_code, x.period,"
			" EXISTS (SELECT 1 FROM cruscotto.revision_page p WHERE p.revision_id = "
			"x.id"
			" AND p.path = 'agreements/' || x.agreement_code || '.html')"
			" FROM (SELECT DISTINCT ON (d.agreement_code) d.agreement_code, d.title,"
			" l.id, l.policy_code, l.period"
			" FROM cruscotto.revision_latest l JOIN cruscotto.revision_document d"
			" ON d.revision_id = l.id"
			" WHERE d.kind = 'agreement' AND d.format = 'json'"
			" AND ($2::text IS NULL OR l.policy_code = $2::text)"
			" ORDER BY d.agreement_code, l.period DESC, l.published_at DESC, l.id "
			"DESC) x"
			" WHERE strpos(cruscotto.search_fold(x.agreement_code::text),"
			" cruscotto.search_fold($1::text)) > 0"
			" OR strpos(cruscotto.search_fold(x.title), "
			"cruscotto.search_fold($1::text)) > 0"
			" ORDER BY x.agreement_code::text COLLATE \"C\" LIMIT $3::integer",
			3, (const char *[]){query, policy, lim}, &found);
		if (rc)
			goto out;
	}
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	f = open_memstream(&text, &len);
	if (!f) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	put_search_page(f, rows_get(pol, 0, 0), policy, rows_get(pol, 0, 1), query, found);
	rc = finish_html(f, &text, &len, out);
out:
	if (in_tx)
		db_rollback(c);
	free(text);
	rows_free(pol);
	rows_free(found);
	return rc;
}
