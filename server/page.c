#include "page.h"

#include "err.h"
#include "fmt.h"
#include "markup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Agreements listed in a period of the main page; the rest are a link away,
 * on the period's own pages. */
#define PAGE_AGREEMENTS_TEXT "50"

/* What a page is written from; each page reads its part (see its put_). */
struct view {
	const char *policy, *period, *query;
	const rows *a, *b;
	int limit;
};

/* The earlier revisions of one period: the rows of `old` from *j on that
 * belong to (policy, period); `old` is ordered like the periods. */
static void put_earlier(FILE *f, const struct markup_words *w, const char *locale, const rows *old,
			int *j, const char *policy, const char *period)
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
		markup_meta(f, w, locale, number, rows_get(old, *j, 3));
		fputs("</span>", f);
		markup_links(f, "", "policies", policy, period, number);
		fputs("</li>\n", f);
	}
	if (opened)
		fputs("</ul></details>\n", f);
}

/* A period's heading, from the value of its data-period attribute on: its
 * name ("4º trimestre 2018"), its code, and the line of `revision`
 * published on `date`, left open for what follows. */
static void put_period_head(FILE *f, const struct markup_words *w, const char *locale,
			    const char *period, const char *revision, const char *date)
{
	markup_escaped(f, period);
	fputs("\">\n<h3>", f);
	/* the period is YYYY-Qn (the schema holds it to that form) */
	markup_printf(f, w->quarter, period[6] - '0', atoi(period));
	fputs(" <span class=\"id\">", f);
	markup_escaped(f, period);
	fputs("</span></h3>\n<p class=\"meta\">", f);
	markup_meta(f, w, locale, revision, date);
}

/* One row of the scorecard list: the policy's or an agreement's. */
static void put_doc(FILE *f, const struct markup_words *w, const rows *docs, int i,
		    const char *prefix, const char *policy, const char *period)
{
	const char *code = rows_get(docs, i, 6);

	fputs("<li><span class=\"doc\">", f);
	if (code) {
		markup_escaped(f, rows_get(docs, i, 7));
		fputs(" <span class=\"code\">", f);
		markup_escaped(f, code);
		fputs("</span>", f);
	} else {
		fputs(w->policy_card, f);
	}
	fputs("</span>", f);
	markup_links(f, prefix, code ? "agreements" : "policies", code ? code : policy, period,
		     NULL);
	fputs("</li>\n", f);
}

/* One period of a policy from row *i of `docs` on; advances *i past it. */
static void put_period(FILE *f, const rows *docs, int *i, const rows *old, int *j)
{
	const char *policy = rows_get(docs, *i, 0), *locale = rows_get(docs, *i, 2);
	const char *period = rows_get(docs, *i, 3);
	const struct markup_words *w = markup_words_of(locale);
	int agreements = 0, total = 0, shown = 0;

	fputs("<article class=\"period\" id=\"", f);
	markup_escaped(f, policy);
	fputc('-', f);
	markup_escaped(f, period);
	fputs("\" data-period=\"", f);
	put_period_head(f, w, locale, period, rows_get(docs, *i, 4), rows_get(docs, *i, 5));
	/* the stored HTML pages of the latest revision (http.h lists them) */
	fputs("</p>\n<p class=\"more\"><a href=\"", f);
	markup_escaped(f, policy);
	fputc('/', f);
	markup_escaped(f, period);
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
		markup_escaped(f, policy);
		fputc('/', f);
		markup_escaped(f, period);
		fputs("\">", f);
		markup_printf(f, w->more, total);
		fputs("</a></p>\n", f);
	}
	put_earlier(f, w, locale, old, j, policy, period);
	fputs("</article>\n", f);
}

/* One policy's section from row *i of `docs` on; advances *i past it. */
static void put_policy(FILE *f, const rows *docs, int *i, const rows *old, int *j)
{
	const char *policy = rows_get(docs, *i, 0);
	const struct markup_words *w = markup_words_of(rows_get(docs, *i, 2));

	fputs("<section class=\"policy\" id=\"policy-", f);
	markup_escaped(f, policy);
	fprintf(f, "\" lang=\"%s\">\n<h2>", w->lang);
	markup_escaped(f, rows_get(docs, *i, 1));
	fputs(" <span class=\"code\">", f);
	markup_escaped(f, policy);
	fputs("</span></h2>\n<p><a href=\"", f);
	markup_escaped(f, policy);
	fprintf(f, "/\">%s</a></p>\n", w->revisions);
	while (*i < docs->nrows && strcmp(rows_get(docs, *i, 0), policy) == 0)
		put_period(f, docs, i, old, j);
	fputs("</section>\n", f);
}

/* Writes the whole document from the two lists. */
static void put_page(FILE *f, const void *arg)
{
	const struct view *v = arg;
	const rows *docs = v->a, *old = v->b;
	const struct markup_words *w = markup_words_of("en");
	int i = 0, j = 0;

	/* the page's own words are English only when every policy is */
	for (i = 0; i < docs->nrows; i++)
		if (!fmt_is_en(rows_get(docs, i, 2)))
			w = markup_words_of("it");
	if (docs->nrows == 0)
		w = markup_words_of("it");
	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>%s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n"
		"<header>\n<h1>%s</h1>\n<p>%s</p>\n</header>\n<main>\n",
		w->lang, w->title, markup_style, w->title, w->lead);
	if (docs->nrows > 0)
		markup_search_form(f, w, "search", NULL, NULL);
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
	rows *docs = NULL, *old = NULL;
	int rc, in_tx = 0;

	rc = db_begin_snapshot_at(c, &in_tx);
	if (rc)
		goto out;
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
	rc = db_commit_if(c, rc, &in_tx);
	if (rc == 0)
		rc = markup_render(put_page, &(struct view){.a = docs, .b = old}, out);
out:
	if (in_tx)
		db_rollback(c);
	rows_free(docs);
	rows_free(old);
	return rc;
}

/* The page of one period's agreements: v->a is the latest revision (id,
 * policy name, locale, revision, date: api_read_agreements), v->b up to
 * limit + 1 agreements (code, title) after the cursor. */
static void put_period_page(FILE *f, const void *arg)
{
	const struct view *v = arg;
	const char *policy = v->policy, *period = v->period;
	const rows *rev = v->a, *docs = v->b;
	int limit = v->limit;
	const char *locale = rows_get(rev, 0, 2);
	const struct markup_words *w = markup_words_of(locale);
	int i, shown = docs->nrows < limit ? docs->nrows : limit;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>",
		w->lang);
	markup_escaped(f, rows_get(rev, 0, 1));
	fprintf(f, " · %s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		period, markup_style);
	fprintf(f, "<p><a href=\"../../\">%s</a></p>\n<h1>", w->back);
	markup_escaped(f, rows_get(rev, 0, 1));
	fputs(" <span class=\"code\">", f);
	markup_escaped(f, policy);
	fputs("</span></h1>\n</header>\n<main>\n<article class=\"period\" data-period=\"", f);
	put_period_head(f, w, locale, period, rows_get(rev, 0, 3), rows_get(rev, 0, 4));
	fprintf(f, "</p>\n<h4>%s</h4>\n<ul class=\"docs\">\n", w->agreements);
	for (i = 0; i < shown; i++) {
		fputs("<li><span class=\"doc\">", f);
		markup_escaped(f, rows_get(docs, i, 1));
		fputs(" <span class=\"code\">", f);
		markup_escaped(f, rows_get(docs, i, 0));
		fputs("</span></span>", f);
		markup_links(f, "../../", "agreements", rows_get(docs, i, 0), period, NULL);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	if (docs->nrows > limit) {
		fputs("<p class=\"more\"><a rel=\"next\" href=\"?after=", f);
		markup_escaped(f, rows_get(docs, shown - 1, 0));
		fprintf(f, "&amp;limit=%d\">%s</a></p>\n", limit, w->next);
	}
	fputs("</article>\n</main>\n</body>\n</html>\n", f);
}

int page_period(db *c, const char *policy, const char *period, const char *after, int limit,
		struct api_body *out)
{
	rows *rev = NULL, *docs = NULL;
	int rc;

	rc = api_read_agreements(c, policy, period, 0, after, limit, &rev, &docs);
	if (rc == 0)
		rc = markup_render(put_period_page,
				   &(struct view){.policy = policy,
						  .period = period,
						  .a = rev,
						  .b = docs,
						  .limit = limit},
				   out);
	rows_free(rev);
	rows_free(docs);
	return rc;
}

/* The page of one policy's revisions: v->a holds every revision (period,
 * revision, date, policy name, locale), newest period and revision first. */
static void put_policy_page(FILE *f, const void *arg)
{
	const struct view *v = arg;
	const char *policy = v->policy;
	const rows *rev = v->a;
	const char *locale = rows_get(rev, 0, 4);
	const struct markup_words *w = markup_words_of(locale);
	int i = 0;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>",
		w->lang);
	markup_escaped(f, rows_get(rev, 0, 3));
	fprintf(f, " · %s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		w->revisions, markup_style);
	fprintf(f, "<p><a href=\"../\">%s</a></p>\n<h1>", w->back);
	markup_escaped(f, rows_get(rev, 0, 3));
	fputs(" <span class=\"code\">", f);
	markup_escaped(f, policy);
	fprintf(f, "</span></h1>\n<p>%s</p>\n</header>\n<main>\n", w->revisions);
	markup_search_form(f, w, "../search", policy, NULL);
	while (i < rev->nrows) {
		const char *period = rows_get(rev, i, 0);

		fputs("<article class=\"period\" data-period=\"", f);
		markup_escaped(f, period);
		fputs("\">\n<h2>", f);
		markup_printf(f, w->quarter, period[6] - '0', atoi(period));
		fputs(" <span class=\"id\">", f);
		markup_escaped(f, period);
		fputs("</span></h2>\n<p class=\"more\"><a href=\"", f);
		markup_escaped(f, period);
		fprintf(f, "/\">%s</a></p>\n<ul class=\"docs\">\n", w->html);
		for (; i < rev->nrows && strcmp(rows_get(rev, i, 0), period) == 0; i++) {
			const char *number = rows_get(rev, i, 1);

			fputs("<li><a class=\"doc\" href=\"", f);
			markup_escaped(f, period);
			fputs("/revision/", f);
			markup_escaped(f, number);
			fputs("/\">", f);
			markup_meta(f, w, locale, number, rows_get(rev, i, 2));
			fputs("</a>", f);
			markup_links(f, "../", "policies", policy, period, number);
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
	int rc;

	rc = db_exec(c,
		     "SELECT r.period, r.revision,"
		     " to_char(r.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),"
		     " r.policy_name, r.locale FROM cruscotto.revision r"
		     " WHERE r.policy_code = $1::text ORDER BY r.period DESC, r.revision DESC",
		     1, params, &rev);
	rc = api_found(rc, rev, "no published scorecards of policy %s", policy);
	if (rc == 0)
		rc = markup_render(put_policy_page, &(struct view){.policy = policy, .a = rev},
				   out);
	rows_free(rev);
	return rc;
}

/* The results page: v->a the page's locale and the name of v->policy (or
 * NULL), v->query the text searched for ("" when none), v->b up to
 * PAGE_SEARCH_RESULTS + 1 matches (code, title, policy, period, whether the
 * revision holds the agreement's page) or NULL. */
static void put_search_page(FILE *f, const void *arg)
{
	const struct view *v = arg;
	const char *policy = v->policy, *policy_name = rows_get(v->a, 0, 1), *query = v->query;
	const rows *found = v->b;
	const struct markup_words *w = markup_words_of(rows_get(v->a, 0, 0));
	int i, shown;

	fprintf(f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"robots\" content=\"noindex\">\n<title>",
		w->lang);
	if (query[0]) {
		markup_escaped(f, query);
		fputs(" · ", f);
	}
	fprintf(f, "%s · cruscotto</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n",
		w->search_title, markup_style);
	fprintf(f, "<p><a href=\"./\">%s</a>", w->back);
	if (policy) {
		fputs(" · <a href=\"", f);
		markup_escaped(f, policy);
		fputs("/\">", f);
		markup_escaped(f, policy_name);
		fputs("</a>", f);
	}
	fprintf(f, "</p>\n<h1>%s", w->search_title);
	if (policy) {
		fputs(" <span class=\"code\">", f);
		markup_escaped(f, policy);
		fputs("</span>", f);
	}
	fputs("</h1>\n</header>\n<main>\n", f);
	markup_search_form(f, w, "search", policy, query);
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
				markup_escaped(f, query);
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
			markup_escaped(f, pol);
			fputc('/', f);
			markup_escaped(f, period);
			fputs("/agreements/", f);
			markup_escaped(f, code);
			fputs(".html\">", f);
		}
		markup_escaped(f, rows_get(found, i, 1));
		if (page)
			fputs("</a>", f);
		fputs(" <span class=\"code\">", f);
		markup_escaped(f, code);
		fputs(" · ", f);
		markup_escaped(f, pol);
		fputs(" · ", f);
		markup_escaped(f, period);
		fputs("</span>", f);
		if (!page)
			fprintf(f, " <span class=\"code\">%s</span>", w->search_no_page);
		fputs("</span>", f);
		markup_links(f, "", "agreements", code, period, NULL);
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
	int rc, in_tx = 0;

	rc = db_begin_snapshot_at(c, &in_tx);
	if (rc)
		goto out;
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
	rc = api_found(rc, pol, "no published scorecards of policy %s", policy);
	if (rc)
		goto out;
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
	}
	rc = db_commit_if(c, rc, &in_tx);
	if (rc == 0)
		rc = markup_render(
			put_search_page,
			&(struct view){.policy = policy, .query = query, .a = pol, .b = found},
			out);
out:
	if (in_tx)
		db_rollback(c);
	rows_free(pol);
	rows_free(found);
	return rc;
}
