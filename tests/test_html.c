/* html: the HTML scorecards of hand-built cards (cards.h): escaping, the
 * same formatted figures as the PDF, suppressed cells, well-formed SVG
 * (parsed with libxml2), the accessible structure, the paginated ranking.
 *
 * CR_HTML_KEEP=DIR also writes the rendered pages (and the stylesheet) to
 * DIR, to look at them or to check them with other tools. */
#include "cards.h"
#include "check_main.h"

#include "err.h"
#include "format.h"
#include "html.h"
#include "labels.h"
#include "scorecard.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char hostile[] = "<script>alert(1)</script> & \"quotes\"";
static const char hostile_escaped[] =
	"&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;";

static void keep(const char *name, const char *html)
{
	const char *dir = getenv("CR_HTML_KEEP");
	char path[512];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(html, f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, REP_HTML_CSS_NAME);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(rep_html_css, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Renders sc's page (and keeps it as `name`); does not free sc. */
static char *render(const struct scorecard *sc, const char *name)
{
	char *html = NULL;

	ck_assert_msg(rep_html_render(sc, &html) == 0, "%s", err_last());
	ck_assert_ptr_nonnull(html);
	keep(name, html);
	return html;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* The row of indicator `code`: from its <tr> to its </tr> (caller frees). */
static char *row_of(const char *html, const char *code)
{
	char open[128], *r;
	const char *a, *b;

	snprintf(open, sizeof(open), "<tr data-code=\"%s\">", code);
	a = strstr(html, open);
	ck_assert_msg(a != NULL, "no row for %s", code);
	ck_assert_msg(strstr(a + 1, open) == NULL, "two rows for %s", code);
	b = strstr(a, "</tr>");
	ck_assert_ptr_nonnull(b);
	r = strndup(a, (size_t)(b - a));
	ck_assert_ptr_nonnull(r);
	return r;
}

/* The text of a value as it appears in HTML: formatted, then escaped (only
 * '&' and '<' can occur in formatted numbers, and do not). */
static void assert_cell(const char *row, const char *code, const char *text)
{
	char cell[256];

	ck_assert_msg(strchr(text, '&') == NULL && strchr(text, '<') == NULL, "%s", text);
	snprintf(cell, sizeof(cell), ">%s<", text);
	ck_assert_msg(strstr(row, cell) != NULL, "%s: no cell %s in %s", code, cell, row);
}

START_TEST(test_html_hand_worked_figures)
{
	/* Values of cards.c formatted by hand (format.h's rules):
	 *   out.participants 2415, previous 2301 → it "2.415", "2.301", change
	 *   +114; en "2,415".
	 *   eff.allocated_eur.city_care 1290000 → it "1.290.000 €" (ordinary
	 *   space), en "€1,290,000".
	 *   eft.satisfied_share 72.4, n 116, interval 63.6-79.7 → it "72,4%",
	 *   "116", "[63,6% – 79,7%]" (bounds like values of the unit); change 72.4 − 70.1 = 2.3 →
	 * "+2,3 p.p.". soc.quality_of_life_change -0.12 (score_diff: signed) → "-0,12", previous
	 * 0.05 → "+0,05", change −0.17 → "-0,17". The index 78.4 → "78,4"; its range 75-81 → "75,0
	 * – 81,0". */
	struct scorecard *it = card_policy("it", 12), *en = card_policy("en", 12);
	char *h = render(it, "policy-it.html"), *e = render(en, "policy-en.html"), *r;

	r = row_of(h, "out.participants");
	ck_assert(strstr(r, "<b>2.415</b>") != NULL);
	assert_cell(r, "out.participants", "2.301");
	ck_assert(strstr(r, "+114</td>") != NULL);
	free(r);
	r = row_of(e, "out.participants");
	ck_assert(strstr(r, "<b>2,415</b>") != NULL);
	free(r);
	r = row_of(h, "eff.allocated_eur.city_care");
	ck_assert(strstr(r, "<b>1.290.000 €</b>") != NULL);
	free(r);
	r = row_of(e, "eff.allocated_eur.city_care");
	ck_assert(strstr(r, "<b>€1,290,000</b>") != NULL);
	free(r);
	r = row_of(h, "eft.satisfied_share");
	ck_assert(strstr(r, "<b>72,4%</b>") != NULL);
	assert_cell(r, "eft.satisfied_share", "116");
	assert_cell(r, "eft.satisfied_share", "[63,6% – 79,7%]");
	ck_assert(strstr(r, "+2,3 p.p.</td>") != NULL);
	free(r);
	r = row_of(h, "soc.quality_of_life_change");
	ck_assert(strstr(r, "<b>-0,12</b>") != NULL);
	assert_cell(r, "soc.quality_of_life_change", "+0,05");
	ck_assert(strstr(r, "-0,17</td>") != NULL);
	free(r);
	ck_assert(strstr(h, "<strong>78,4</strong>") != NULL);
	ck_assert(strstr(h, "<b>75,0 – 81,0</b>") != NULL);
	ck_assert(strstr(e, "<b>75.0 – 81.0</b>") != NULL);
	free(h);
	free(e);
	sc_free(it);
	sc_free(en);
}
END_TEST

/* Every present indicator has one row with the PDF's texts (labels.h's
 * lbl_row, which pdf.c draws): value, previous, change, target, status word,
 * n and interval. */
static void assert_rows_like_pdf(const struct scorecard *sc, const char *html)
{
	int i, rows = 0;

	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];
		struct lbl_row l;
		char *r;

		if (!x->present || !x->ind)
			continue;
		ck_assert_int_eq(lbl_row(sc, x, &l), 0);
		r = row_of(html, x->ind->code);
		if (!x->suppressed) {
			char b[256];

			snprintf(b, sizeof(b), "<b>%s</b>", l.value);
			ck_assert_msg(strstr(r, b) != NULL, "%s: no %s", x->ind->code, b);
		}
		assert_cell(r, x->ind->code, l.previous);
		assert_cell(r, x->ind->code, l.target);
		ck_assert_msg(strstr(r, l.delta) != NULL, "%s: no change %s", x->ind->code,
			      l.delta);
		if (l.status != ST_NONE)
			ck_assert(strstr(r, fmt_status_word(l.status, sc->locale)) != NULL);
		ck_assert(strstr(r, fmt_status_mark(l.status)) != NULL);
		if (lbl_dimension_has_stats(sc, x->ind->dimension)) {
			assert_cell(r, x->ind->code, l.n);
			assert_cell(r, x->ind->code, l.interval);
		}
		free(r);
		rows++;
	}
	/* cards.c sets the whole catalogue of the level: 50 policy or 50
	 * agreement indicators (cat_count minus the other level's only). */
	ck_assert_int_ge(rows, 40);
}

START_TEST(test_html_every_indicator_like_pdf)
{
	const char *locales[2] = {"it", "en"};
	int i;

	for (i = 0; i < 2; i++) {
		struct scorecard *p = card_policy(locales[i], 12), *a = card_agreement(locales[i]);
		char *hp = render(p, i ? "every-policy-en.html" : "every-policy-it.html");
		char *ha = render(a, i ? "every-agreement-en.html" : "every-agreement-it.html");

		assert_rows_like_pdf(p, hp);
		assert_rows_like_pdf(a, ha);
		free(hp);
		free(ha);
		sc_free(p);
		sc_free(a);
	}
}
END_TEST

START_TEST(test_html_headline_tiles_like_pdf)
{
	struct scorecard *sc = card_policy("it", 3);
	struct lbl_tile t[LBL_MAX_TILES];
	char *h = render(sc, "tiles.html"), want[1024];
	int i, n;

	ck_assert_int_eq(lbl_tiles(sc, t, &n), 0);
	ck_assert_int_eq(n, 7);
	/* agreements signed 25 → "25"; signatories 695 with 375 + 300 + 20 */
	ck_assert_str_eq(t[0].value, "25");
	ck_assert_str_eq(t[3].sub, "375 associazioni + 300 volontari + 20 attività economiche");
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "<span class=\"v\">%s</span>", t[i].value);
		ck_assert_msg(strstr(h, want) != NULL, "no tile %s", want);
	}
	free(h);
	sc_free(sc);
}
END_TEST

START_TEST(test_html_escapes_data_text)
{
	struct scorecard *a = card_agreement("it"), *p = card_policy("en", 60);
	char *h, *q, *rk, *svg, *end;

	free(a->agreement_title);
	a->agreement_title = card_strdup(hostile);
	free(a->projects[0].title);
	a->projects[0].title = card_strdup(hostile);
	free(p->ranks[0].agreement_title);
	p->ranks[0].agreement_title = card_strdup(hostile);
	free(p->ranks[55].agreement_title);
	p->ranks[55].agreement_title = card_strdup(hostile);
	/* a code that must be percent-encoded in the address */
	free(p->ranks[1].agreement_code);
	p->ranks[1].agreement_code = card_strdup("A&B \"x\"");
	h = render(a, "hostile-agreement.html");
	q = render(p, "hostile-policy.html");
	ck_assert_int_eq(rep_html_render_ranking(p, 2, &rk), 0);
	keep("hostile-ranking-2.html", rk);

	/* no markup from the data anywhere; the title as text in the <title>,
	 * the h1, the project table and the text alternative of the charts */
	ck_assert_ptr_null(strstr(h, "<script"));
	ck_assert_ptr_null(strstr(q, "<script"));
	ck_assert_ptr_null(strstr(rk, "<script"));
	ck_assert(strstr(h, "<h1>"
			    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"
			    "</h1>") != NULL);
	ck_assert_int_ge(count(h, hostile_escaped), 4);
	svg = strstr(h, "<svg");
	ck_assert_ptr_nonnull(svg);
	end = strstr(svg, "</svg>");
	ck_assert_ptr_nonnull(end);
	*end = '\0';
	ck_assert_msg(strstr(svg, hostile_escaped) != NULL, "the SVG lacks the title as text");
	*end = '<';
	ck_assert(strstr(q, hostile_escaped) != NULL);
	ck_assert(strstr(rk, hostile_escaped) != NULL); /* rank 56 is on page 2 */
	ck_assert(strstr(q, "href=\"agreements/A%26B%20%22x%22.html\"") != NULL);
	ck_assert(strstr(q, "<td>A&amp;B &quot;x&quot;</td>") != NULL);
	free(h);
	free(q);
	free(rk);
	sc_free(a);
	sc_free(p);
}
END_TEST

START_TEST(test_html_bad_bytes_become_text)
{
	/* invalid UTF-8 (0xff 0xfe), a tab, an emoji, a control byte 0x01:
	 * U+FFFD, the tab, the emoji, a space */
	struct scorecard *a = card_agreement("it");
	char *h;

	free(a->agreement_title);
	a->agreement_title = card_strdup("A\xff\xfe\tB \xf0\x9f\x8c\xb3 \x01"
					 "C");
	h = render(a, "bytes.html");
	ck_assert(strstr(h, "<h1>A\xEF\xBF\xBD\xEF\xBF\xBD\tB \xf0\x9f\x8c\xb3  C</h1>") != NULL);
	free(h);
	sc_free(a);
}
END_TEST

START_TEST(test_html_suppressed_cells_marked)
{
	/* eft.satisfaction is primary (cards.c: n 3); eft.agreement_quality is
	 * made secondary while the model still holds 3.92 and [3.78 – 4.06]:
	 * neither shows a value, interval, change or status, both read
	 * "soppresso" and link the explanation of their kind, n stays. */
	struct scorecard *a = card_agreement("it");
	struct sc_indicator *x = sc_get(a, "eft.agreement_quality");
	char *h, *r;

	x->suppressed = 1;
	x->suppression = SUP_SECONDARY;
	sc_get(a, "eft.satisfaction")->suppression = SUP_PRIMARY;
	h = render(a, "suppressed.html");
	r = row_of(h, "eft.satisfaction");
	ck_assert(
		strstr(r, "data-suppression=\"primary\"><a href=\"#sup-primary\">soppresso¹</a>") !=
		NULL);
	assert_cell(r, "eft.satisfaction", "3");		/* n */
	assert_cell(r, "eft.satisfaction", "4,10");		/* previous */
	ck_assert(strstr(r, "<td class=\"n\">—</td>") != NULL); /* change */
	free(r);
	r = row_of(h, "eft.agreement_quality");
	ck_assert(strstr(r, "data-suppression=\"secondary\"><a href=\"#sup-secondary\">"
			    "soppresso²</a>") != NULL);
	ck_assert_ptr_null(strstr(r, "3,92"));
	ck_assert_ptr_null(strstr(r, "3,78"));
	ck_assert_ptr_null(strstr(r, "verde"));
	assert_cell(r, "eft.agreement_quality", "148");
	free(r);
	ck_assert(strstr(h, "<dt id=\"sup-primary\">") != NULL);
	ck_assert(strstr(h, "<dt id=\"sup-secondary\">") != NULL);
	/* min_cell 5 in the explanation */
	ck_assert(strstr(h, "meno di 5 rispondenti") != NULL);
	/* the satisfaction trend tile and its table cell of the period */
	ck_assert(strstr(h, "<span>soppresso</span>") != NULL);
	free(h);
	sc_free(a);
}
END_TEST

/* Parses every <svg>...</svg> of html as XML; returns how many. */
static int parse_svgs(const char *html)
{
	const char *a = html, *b;
	int n = 0;

	while ((a = strstr(a, "<svg")) != NULL) {
		xmlDocPtr doc;
		xmlNodePtr root, c;
		int has_title = 0, hidden;

		b = strstr(a, "</svg>");
		ck_assert_ptr_nonnull(b);
		b += strlen("</svg>");
		doc = xmlReadMemory(a, (int)(b - a), "svg.xml", "UTF-8",
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		ck_assert_msg(doc != NULL, "SVG %d is not well-formed XML: %.200s", n + 1, a);
		root = xmlDocGetRootElement(doc);
		ck_assert_str_eq((const char *)root->name, "svg");
		ck_assert_ptr_nonnull(root->ns);
		ck_assert_str_eq((const char *)root->ns->href, "http://www.w3.org/2000/svg");
		for (c = root->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)c->name, "title") == 0)
				has_title = 1;
		/* an image has a text alternative; a decoration is hidden */
		hidden = xmlHasProp(root, (const xmlChar *)"aria-hidden") != NULL;
		ck_assert_msg(has_title || hidden, "SVG %d: neither a <title> nor aria-hidden",
			      n + 1);
		xmlFreeDoc(doc);
		a = b;
		n++;
	}
	return n;
}

START_TEST(test_html_svg_well_formed)
{
	struct scorecard *a = card_agreement("en"), *p = card_policy("it", 12);
	char *h, *q;

	free(a->agreement_title);
	a->agreement_title = card_strdup(hostile);
	h = render(a, "svg-agreement.html");
	q = render(p, "svg-policy.html");
	/* scores + the index and 5 trend series = 7 charts; the policy adds
	 * a range bar per ranked row of the top 10 */
	ck_assert_int_eq(parse_svgs(h), 1 + 1 + sc_trend_count);
	ck_assert_int_eq(parse_svgs(q), 1 + 1 + sc_trend_count + 10);
	free(h);
	free(q);
	sc_free(a);
	sc_free(p);
}
END_TEST

/* Structure a screen reader relies on. */
static void assert_structure(const char *html, const char *lang)
{
	char want[64];
	const char *a;
	int last = 1;

	snprintf(want, sizeof(want), "<html lang=\"%s\">", lang);
	ck_assert(strstr(html, want) != NULL);
	ck_assert_int_eq(count(html, "<h1"), 1);
	/* headings never skip a level going down */
	for (a = strstr(html, "<h"); a; a = strstr(a + 1, "<h")) {
		int lv = a[2] - '0';

		if (a[2] < '1' || a[2] > '6' || (a[3] != '>' && a[3] != ' '))
			continue;
		ck_assert_msg(lv <= last + 1, "h%d after h%d", lv, last);
		last = lv;
	}
	ck_assert_int_eq(count(html, "<table>"), count(html, "<caption"));
	ck_assert_int_eq(count(html, "<th "), count(html, "<th scope=\""));
	ck_assert_int_eq(count(html, "<th>"), 0);
	ck_assert_ptr_null(strstr(html, "style="));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<style"));
	ck_assert(strstr(html, "<a class=\"skip\" href=\"#main\">") != NULL);
	ck_assert(strstr(html, "<main id=\"main\">") != NULL);
	ck_assert(strstr(html, REP_HTML_CSS_NAME "\">") != NULL);
}

START_TEST(test_html_structure)
{
	struct scorecard *a = card_agreement("it"), *p = card_policy("en", 120);
	char *h = render(a, "structure-agreement.html"), *q = render(p, "structure-policy.html");
	char *rk = NULL;

	assert_structure(h, "it");
	assert_structure(q, "en");
	ck_assert_int_eq(rep_html_render_ranking(p, 1, &rk), 0);
	assert_structure(rk, "en");
	/* the agreement links its own PDF and JSON and the policy page */
	ck_assert(strstr(h, "href=\"AGR-007.pdf\"") != NULL);
	ck_assert(strstr(h, "href=\"AGR-007.json\"") != NULL);
	ck_assert(strstr(h, "href=\"../index.html\"") != NULL);
	ck_assert(strstr(h, "href=\"../cruscotto.css\"") != NULL);
	ck_assert(strstr(q, "href=\"policy.pdf\"") != NULL);
	ck_assert(strstr(rk, "href=\"../policy.json\"") != NULL);
	/* the status is a shape and a word: the legend has all four */
	ck_assert(strstr(h, "●</span>verde: obiettivo raggiunto") != NULL);
	ck_assert(strstr(h, "▲</span>giallo: vicino all&#39;obiettivo") != NULL);
	ck_assert(strstr(h, "■</span>rosso: lontano dall&#39;obiettivo") != NULL);
	free(h);
	free(q);
	free(rk);
	sc_free(a);
	sc_free(p);
}
END_TEST

START_TEST(test_html_ranking_paginated)
{
	/* 120 agreements, 50 a page: pages 1-50, 51-100, 101-120 → 3 pages;
	 * the policy page ranks the first 10 and links the 3 pages. */
	struct scorecard *p = card_policy("it", 120);
	char *q = render(p, "ranked.html"), *rk = NULL, path[64];
	int page;

	ck_assert_int_eq(rep_html_ranking_pages(p), 3);
	ck_assert_int_eq(count(q, "href=\"agreements/AGR-"), 10);
	ck_assert(strstr(q, "href=\"agreements/AGR-010.html\"") != NULL);
	ck_assert_ptr_null(strstr(q, "AGR-011"));
	for (page = 1; page <= 3; page++) {
		snprintf(path, sizeof(path), "href=\"ranking/%d.html\"", page);
		ck_assert_msg(strstr(q, path) != NULL, "no link %s", path);
	}
	ck_assert_int_eq(rep_html_render_ranking(p, 3, &rk), 0);
	keep("ranking-3.html", rk);
	ck_assert_int_eq(count(rk, "href=\"../agreements/AGR-"), 20);
	ck_assert(strstr(rk, "href=\"../agreements/AGR-101.html\"") != NULL);
	ck_assert(strstr(rk, "<b>pagina 3</b><span class=\"vh\"> (questa pagina)</span>") != NULL);
	ck_assert(strstr(rk, "href=\"2.html\"") != NULL);
	/* the last agreement is not ranked (cards.c) */
	ck_assert(strstr(rk, "non classificato") != NULL);
	free(rk);
	rk = NULL;
	ck_assert_int_eq(rep_html_render_ranking(p, 2, &rk), 0);
	ck_assert_int_eq(count(rk, "href=\"../agreements/AGR-"), 50);
	ck_assert(strstr(rk, "href=\"../agreements/AGR-051.html\"") != NULL);
	ck_assert(strstr(rk, "href=\"../agreements/AGR-100.html\"") != NULL);
	free(rk);
	rk = NULL;
	ck_assert_int_eq(rep_html_render_ranking(p, 4, &rk), ERR_FAIL);
	ck_assert_ptr_null(rk);
	ck_assert_int_eq(rep_html_render_ranking(p, 0, &rk), ERR_FAIL);
	ck_assert_int_eq(rep_html_ranking_relpath(2, path, sizeof(path)), 0);
	ck_assert_str_eq(path, "ranking/2.html");
	free(q);
	sc_free(p);
}
END_TEST

START_TEST(test_html_is_deterministic)
{
	struct scorecard *a = card_agreement("it"), *b = card_agreement("it");
	char *x = render(a, "det1.html"), *y = render(b, "det2.html");

	ck_assert_str_eq(x, y);
	free(x);
	free(y);
	sc_free(a);
	sc_free(b);
}
END_TEST

START_TEST(test_html_bad_date_fails_cleanly)
{
	struct scorecard *a = card_agreement("it");
	char *out = (char *)"untouched";

	snprintf(a->period_end, sizeof(a->period_end), "2018-13-45");
	ck_assert_int_eq(rep_html_render(a, &out), ERR_FAIL);
	ck_assert_str_eq(out, "untouched");
	ck_assert(strstr(err_last(), "2018-13-45") != NULL);
	sc_free(a);
}
END_TEST

START_TEST(test_html_empty_policy)
{
	/* a policy without agreements, trend or values: dashes, no ranking
	 * pages, still one h1 and well-formed SVG */
	struct scorecard *sc = NULL;
	char *h;

	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	sc->policy_code = card_strdup("QUA");
	sc->policy_name = card_strdup("Politica vuota");
	sc->locale = card_strdup("it");
	snprintf(sc->period, sizeof(sc->period), "2018-Q4");
	snprintf(sc->period_start, sizeof(sc->period_start), "2018-10-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2018-12-31");
	h = render(sc, "empty.html");
	assert_structure(h, "it");
	ck_assert_int_eq(rep_html_ranking_pages(sc), 0);
	ck_assert(strstr(h, "Nessun accordo nel periodo.") != NULL);
	ck_assert(strstr(h, "Nessun trimestre da mostrare.") != NULL);
	ck_assert_int_eq(parse_svgs(h), 1);
	free(h);
	sc_free(sc);
}
END_TEST

/* ---- the territory level and evidence (hand-built here) ---------------------------------- */

static struct sc_num null_num(void)
{
	struct sc_num n = {0, 0};

	return n;
}

/* Appends one record of evidence to sc. */
static void add_evidence(struct scorecard *sc, const char *code, const char *kind,
			 const char *recorded_on, const char *title, const char *summary,
			 struct sc_num participants, const char *agreement,
			 const char *neighbourhood)
{
	struct sc_evidence *e;

	sc->evidence = realloc(sc->evidence, (size_t)(sc->n_evidence + 1) * sizeof(*sc->evidence));
	ck_assert_ptr_nonnull(sc->evidence);
	e = &sc->evidence[sc->n_evidence++];
	memset(e, 0, sizeof(*e));
	e->code = card_strdup(code);
	e->kind = card_strdup(kind);
	e->recorded_on = card_strdup(recorded_on);
	e->title = card_strdup(title);
	e->summary = card_strdup(summary);
	e->participants = participants;
	e->agreement_code = agreement ? card_strdup(agreement) : NULL;
	e->neighbourhood_code = neighbourhood ? card_strdup(neighbourhood) : NULL;
}

/* The neighbourhood N07 (population 12,345) covered by two agreements, the
 * second with a title that needs escaping; the common indicators. */
static struct scorecard *html_neighbourhood_card(const char *locale)
{
	struct scorecard *sc = NULL;

	ck_assert_int_eq(sc_new(CAT_NEIGHBOURHOOD, &sc), 0);
	card_fill_common(sc, locale);
	sc->neighbourhood.code = card_strdup("N07");
	sc->neighbourhood.name = card_strdup("Borgo «Panigale» & Reno");
	sc->neighbourhood.population = 12345;
	sc->n_covering = 2;
	sc->covering = calloc(2, sizeof(*sc->covering));
	ck_assert_ptr_nonnull(sc->covering);
	sc->covering[0].code = card_strdup("AGR-001");
	sc->covering[0].title = card_strdup("Orto comune di via Rossi");
	sc->covering[1].code = card_strdup("AGR-002");
	sc->covering[1].title = card_strdup(hostile);
	return sc;
}

/* A neighbourhood's page: its header (code, population, the covering
 * agreements linking their pages), the indicators as on the policy page,
 * its own documents, and no ranking. */
START_TEST(test_html_neighbourhood_page)
{
	struct scorecard *it = html_neighbourhood_card("it"), *en = html_neighbourhood_card("en");
	char *h = render(it, "neighbourhood-it.html"), *e = render(en, "neighbourhood-en.html");
	char rel[64];

	assert_structure(h, "it");
	assert_structure(e, "en");
	ck_assert(strstr(h, "CRUSCOTTO DI VALUTAZIONE · QUARTIERE") != NULL);
	ck_assert(strstr(e, "EVALUATION SCORECARD · NEIGHBOURHOOD") != NULL);
	ck_assert(strstr(h, "<h1>Borgo «Panigale» &amp; Reno</h1>") != NULL);
	/* 12345 with the locale's thousands separator (format.h, as the PDF) */
	ck_assert_msg(strstr(h, "Quartiere N07 · popolazione: 12.345") != NULL, "%.600s",
		      strstr(h, "class=\"meta") ? strstr(h, "class=\"meta") : h);
	ck_assert(strstr(e, "Neighbourhood N07 · population: 12,345") != NULL);
	ck_assert(
		strstr(h, "<a href=\"../agreements/AGR-001.html\">Orto comune di via Rossi</a>") !=
		NULL);
	ck_assert(strstr(h, "<a href=\"../agreements/AGR-002.html\">") != NULL);
	ck_assert(strstr(h, hostile_escaped) != NULL);
	ck_assert(strstr(h, hostile) == NULL);
	/* its documents beside it, the policy page and the stylesheet above */
	ck_assert(strstr(h, "href=\"N07.pdf\"") != NULL);
	ck_assert(strstr(h, "href=\"N07.json\"") != NULL);
	ck_assert(strstr(h, "href=\"../index.html\"") != NULL);
	ck_assert(strstr(h, "href=\"../cruscotto.css\"") != NULL);
	/* the policy page's sections, without ranking or territories */
	ck_assert(strstr(h, "id=\"h-ind\"") != NULL);
	ck_assert(strstr(h, "id=\"h-scores\"") != NULL);
	ck_assert(strstr(h, "id=\"h-evid\"") != NULL);
	ck_assert(strstr(h, "id=\"h-rank\"") == NULL);
	ck_assert(strstr(h, "id=\"h-terr\"") == NULL);
	ck_assert(strstr(h, "id=\"h-exante\"") == NULL);
	ck_assert_int_eq(rep_html_ranking_pages(it), 0);
	ck_assert_int_eq(rep_html_relpath(it, rel, sizeof(rel)), 0);
	ck_assert_str_eq(rel, "neighbourhoods/N07.html");
	/* scores, index and trends: well-formed SVG as on every page */
	ck_assert_int_eq(parse_svgs(h), 1 + 1 + sc_trend_count);
	/* no covering agreement: said, not an empty list */
	sc_free(en);
	en = html_neighbourhood_card("en");
	for (int i = 0; i < en->n_covering; i++) {
		free(en->covering[i].code);
		free(en->covering[i].title);
	}
	en->n_covering = 0;
	free(e);
	e = render(en, "neighbourhood-none.html");
	ck_assert(strstr(e, "Agreements covering it: none") != NULL);
	ck_assert(strstr(e, "class=\"covering\"") == NULL);
	free(h);
	free(e);
	sc_free(it);
	sc_free(en);
}
END_TEST

/* The policy page's neighbourhoods: one row each, linking the
 * neighbourhood's page, figures in the catalogue's units, withheld or
 * missing ones as a dash. */
START_TEST(test_html_policy_territories)
{
	struct scorecard *p = card_policy("en", 3), *q = card_policy("it", 3);
	struct sc_territory *t;
	char *h, *row;
	const char *a, *b;

	p->n_territories = 2;
	p->territories = calloc(2, sizeof(*p->territories));
	ck_assert_ptr_nonnull(p->territories);
	t = &p->territories[0];
	t->code = card_strdup("N01");
	t->name = card_strdup("Navile <nord>");
	t->population = 68500;
	t->agreements = 3;
	t->participants = card_num(1234);
	t->participation_rate = card_num(18.0146);
	t->quality_of_life_change = card_num(0.25);
	t->index = card_num(71.26);
	t = &p->territories[1];
	t->code = card_strdup("N02");
	t->name = card_strdup("Reno");
	t->population = 900;
	t->agreements = 1;
	t->participants = card_num(12);
	t->participation_rate = card_num(13.3333);
	/* withheld on N02's own scorecard: null here too */
	t->quality_of_life_change = null_num();
	t->index = null_num();
	h = render(p, "territories-en.html");
	assert_structure(h, "en");
	ck_assert(strstr(h, "<h2 id=\"h-terr\">Neighbourhoods</h2>") != NULL);
	ck_assert(
		strstr(h, "<caption id=\"t-terr\">Neighbourhoods covered as of 31 December 2018") !=
		NULL);
	/* the first row, from its link to its end */
	a = strstr(h, "<a href=\"neighbourhoods/N01.html\">Navile &lt;nord&gt;</a>");
	ck_assert_ptr_nonnull(a);
	b = strstr(a, "</tr>");
	ck_assert_ptr_nonnull(b);
	row = strndup(a, (size_t)(b - a));
	ck_assert_ptr_nonnull(row);
	/* population 68,500; 3 agreements; 1,234 participants (count); 18.0
	 * per 1,000 (per_1000, one decimal); +0.25 (score_diff, signed, two
	 * decimals); index 71.3 (scores to one decimal) */
	ck_assert_msg(strstr(row, "<td class=\"n\">68,500</td>") != NULL, "%.800s", row);
	ck_assert_msg(strstr(row, "<td class=\"n\">3</td>") != NULL, "%.800s", row);
	ck_assert_msg(strstr(row, "<td class=\"n\">1,234</td>") != NULL, "%.800s", row);
	ck_assert_msg(strstr(row, "<td class=\"n\">18.0</td><td class=\"n\">+0.25</td>"
				  "<td class=\"n\">71.3</td>") != NULL,
		      "%.800s", row);
	free(row);
	a = strstr(h, "<a href=\"neighbourhoods/N02.html\">Reno</a>");
	ck_assert_ptr_nonnull(a);
	b = strstr(a, "</tr>");
	row = strndup(a, (size_t)(b - a));
	ck_assert_ptr_nonnull(row);
	/* the two null figures are dashes */
	ck_assert_int_eq(count(row, "<td class=\"n\">—</td>"), 2);
	free(row);
	free(h);
	/* none: said in words */
	h = render(q, "territories-none.html");
	ck_assert(strstr(h, "Nessun quartiere coperto da un accordo al 31 dicembre 2018.") != NULL);
	free(h);
	sc_free(p);
	sc_free(q);
}
END_TEST

/* Every page lists the period's evidence: kind, date, title, participants,
 * what it concerns, the summary escaped with its line breaks; and the total
 * to date. */
START_TEST(test_html_evidence_listed_and_escaped)
{
	struct scorecard *a = card_agreement("it"), *p = card_policy("en", 2),
			 *n = html_neighbourhood_card("it");
	char *h, *q, *m;

	add_evidence(a, "EV-2", "focus_group", "2018-11-20", hostile,
		     "Prima riga\n<script>alert(1)</script>\r\nterza & ultima", card_num(14),
		     "AGR-007", NULL);
	add_evidence(a, "EV-1", "document", "2018-10-02", "Verbale", "Una riga sola", null_num(),
		     "AGR-007", NULL);
	a->evidence_total = 7;
	h = render(a, "evidence-agreement.html");
	assert_structure(h, "it");
	ck_assert(strstr(h, "<h2 id=\"h-evid\">Evidenze qualitative</h2>") != NULL);
	/* 7 recorded up to the period's end, two of them in the period */
	ck_assert_msg(strstr(h, "Evidenze registrate fino al 31 dicembre 2018: 7. Quelle del "
				"periodo, dalla più recente:") != NULL,
		      "%.1500s", strstr(h, "h-evid"));
	ck_assert(strstr(h, "<li><h3>"
			    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
			    "&quot;quotes&quot;</h3>") != NULL);
	ck_assert_msg(strstr(h, "Focus group · 20 novembre 2018 · 14 partecipanti · accordo "
				"AGR-007 · EV-2") != NULL,
		      "%.1500s", strstr(h, "h-evid"));
	/* the summary: each line escaped, the breaks kept, the \r dropped */
	ck_assert(strstr(h, "<p class=\"summary\">Prima riga<br>\n&lt;script&gt;alert(1)&lt;/"
			    "script&gt;<br>\nterza &amp; ultima</p>") != NULL);
	ck_assert(strstr(h, "<script") == NULL);
	/* no participants recorded: none said */
	ck_assert(strstr(h, "Documento · 2 ottobre 2018 · accordo AGR-007 · EV-1") != NULL);
	/* newest first, as the model holds them */
	ck_assert(strstr(h, "EV-2") < strstr(h, "EV-1"));
	ck_assert_int_eq(count(h, "<li><h3>"), 2);

	/* the policy page: none in the period, the total still said */
	p->evidence_total = 3;
	q = render(p, "evidence-policy.html");
	ck_assert(strstr(q, "Evidence recorded up to 31 December 2018: 3. None in the period.") !=
		  NULL);
	ck_assert(strstr(q, "class=\"evidence\"") == NULL);
	/* a neighbourhood's, about the neighbourhood */
	add_evidence(n, "EV-9", "observation", "2018-12-31", "Passeggiata", "", card_num(1), NULL,
		     "N07");
	n->evidence_total = 1;
	m = render(n, "evidence-neighbourhood.html");
	ck_assert(strstr(m, "Osservazione · 31 dicembre 2018 · 1 partecipante · quartiere N07 · "
			    "EV-9") != NULL);
	/* an empty summary writes no paragraph */
	ck_assert(strstr(m, "class=\"summary\"") == NULL);
	free(h);
	free(q);
	free(m);
	sc_free(a);
	sc_free(p);
	sc_free(n);
}
END_TEST

/* The revision line leaves the number of revisions to the server: a mark
 * with the locale's word, which nothing from the data can forge. */
START_TEST(test_html_revision_line_marks_the_count)
{
	struct scorecard *p = card_policy("it", 2), *e = card_agreement("en");
	struct rep_html_revision rev = {3, "2026-11-30 10:15 UTC", "/QUA/"};
	char *h = NULL, *g = NULL;

	ck_assert_int_eq(rep_html_render_rev(p, &rev, &h), 0);
	ck_assert_int_eq(rep_html_render_rev(e, &rev, &g), 0);
	ck_assert_msg(strstr(h,
			     "Revisione 3" REP_HTML_REVISIONS_MARK "di" REP_HTML_REVISIONS_MARK_END
			     ", pubblicata il 2026-11-30 10:15 UTC · <a href=\"/QUA/\">tutte le "
			     "revisioni</a>") != NULL,
		      "%.600s", strstr(h, "class=\"meta") ? strstr(h, "class=\"meta") : h);
	ck_assert(strstr(g, "Revision 3" REP_HTML_REVISIONS_MARK "of" REP_HTML_REVISIONS_MARK_END
			    ", published on ") != NULL);
	ck_assert_int_eq(count(h, REP_HTML_REVISIONS_MARK), 1);
	free(h);
	free(g);
	/* a title holding the mark is text, not a second mark */
	free(e->agreement_title);
	e->agreement_title = card_strdup(REP_HTML_REVISIONS_MARK "x-->");
	ck_assert_int_eq(rep_html_render_rev(e, &rev, &g), 0);
	ck_assert_int_eq(count(g, REP_HTML_REVISIONS_MARK), 1);
	free(g);
	/* files have no revision line at all */
	h = render(p, "no-revision.html");
	ck_assert(strstr(h, REP_HTML_REVISIONS_MARK) == NULL);
	free(h);
	sc_free(p);
	sc_free(e);
}
END_TEST

Suite *html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_html_hand_worked_figures);
	tcase_add_test(tc, test_html_every_indicator_like_pdf);
	tcase_add_test(tc, test_html_headline_tiles_like_pdf);
	tcase_add_test(tc, test_html_escapes_data_text);
	tcase_add_test(tc, test_html_bad_bytes_become_text);
	tcase_add_test(tc, test_html_suppressed_cells_marked);
	tcase_add_test(tc, test_html_svg_well_formed);
	tcase_add_test(tc, test_html_structure);
	tcase_add_test(tc, test_html_ranking_paginated);
	tcase_add_test(tc, test_html_is_deterministic);
	tcase_add_test(tc, test_html_bad_date_fails_cleanly);
	tcase_add_test(tc, test_html_empty_policy);
	tcase_add_test(tc, test_html_neighbourhood_page);
	tcase_add_test(tc, test_html_policy_territories);
	tcase_add_test(tc, test_html_evidence_listed_and_escaped);
	tcase_add_test(tc, test_html_revision_line_marks_the_count);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(html_suite)
