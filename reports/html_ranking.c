/* html_ranking: the ranking of the agreements (html_page.h): the policy
 * page's first REP_HTML_TOP, and the ranking pages with every agreement. */
#include "html_page.h"

#include "err.h"
#include "format.h"
#include "labels.h"

#include <stdio.h>
#include <string.h>

/* --- policy: ranking ----------------------------------------------------------------------- */

/* A small bar of the rank range on 1..scale, decorative: the cell beside
 * it says the same in words. */
static void range_bar(struct page *p, const struct sc_rank *k, double scale)
{
	const double w = 120;
	double a, b;

	html_raw(p, "<td class=\"rng\"><svg viewBox=\"0 0 120 10\" aria-hidden=\"true\" "
		    "xmlns=\"http://www.w3.org/2000/svg\">"
		    "<line x1=\"0\" y1=\"5\" x2=\"120\" y2=\"5\" stroke=\"" COL_RULE "\"/>");
	if (html_known(k->rank_p05) && html_known(k->rank_p95) && scale > 1) {
		a = (k->rank_p05.v - 1) / (scale - 1) * w;
		b = (k->rank_p95.v - 1) / (scale - 1) * w;
		a = a < 0 ? 0 : a > w ? w : a;
		b = b < a ? a : b > w ? w : b;
		if (b - a < 2) {
			a = a > 1 ? a - 1 : 0;
			b = a + 2;
		}
		html_sb_printf(&p->b,
			       "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"6\" "
			       "fill=\"" COL_ACCENT_MID "\"/>",
			       a, b - a);
	}
	if (k->rank > 0 && scale > 1) {
		a = (k->rank - 1) / (scale - 1) * w;
		html_sb_printf(&p->b,
			       "<circle cx=\"%.1f\" cy=\"5\" r=\"3\" fill=\"" COL_ACCENT "\"/>",
			       a < 3	   ? 3
			       : a > w - 3 ? w - 3
					   : a);
	}
	html_raw(p, "</svg></td>");
}

/* Rows first..last-1 of the ranking, linking the agreements' pages. */
static void rank_table(struct page *p, int first, int last, const char *caption)
{
	static const struct html_col cols[] = {
		{"Pos.", "Rank", 1},
		{"Accordo", "Agreement", 0},
		{"Codice", "Code", 0},
		{"Indice", "Index", 1},
		{"Posizioni 5°–95° percentile", "Ranks 5th–95th percentile", 1},
		{"Grafico: posizione e intervallo", "Chart: rank and range", 0}};
	const struct scorecard *sc = p->sc;
	double scale = lbl_rank_scale(sc);
	char buf[CELL] = "";
	int i;

	html_table_head(p, "t-rank", caption, HTML_COLS(cols));
	for (i = first; i < last; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		html_raw(p, "<tr>");
		html_check(p, lbl_rank(k, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		html_raw(p, "<th scope=\"row\">");
		if (k->agreement_code) {
			html_link_open(p, "agreements/", k->agreement_code);
			html_text(p, k->agreement_title ? k->agreement_title : k->agreement_code);
			html_raw(p, "</a>");
		} else {
			html_text(p, k->agreement_title ? k->agreement_title : fmt_null);
		}
		html_raw(p, "</th>");
		html_td(p, k->agreement_code ? k->agreement_code : fmt_null, 0);
		html_check(p, lbl_score(k->index, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		html_check(p, lbl_rank_range(k, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		range_bar(p, k, scale);
		html_raw(p, "</tr>\n");
	}
	html_table_close(p);
}

int rep_html_ranking_pages(const struct scorecard *sc)
{
	if (sc->level != CAT_POLICY || !sc->ranks || sc->n_ranks <= 0)
		return 0;
	return (sc->n_ranks + REP_HTML_RANKS_PER_PAGE - 1) / REP_HTML_RANKS_PER_PAGE;
}

int rep_html_ranking_relpath(int page, char *buf, size_t size)
{
	int n = snprintf(buf, size, "ranking/%d.html", page);

	if (page < 1 || n < 0 || (size_t)n >= size)
		return err_set(ERR_FAIL, "ranking page %d: no path", page);
	return 0;
}

/* Links to the ranking pages: first, previous, a few around `current`
 * (0: none), next, last, so that 200 pages need no 200 links. */
static void pages_nav(struct page *p, const char *prefix, int current)
{
	int n = rep_html_ranking_pages(p->sc), i;

	html_sb_printf(&p->b, "<nav class=\"pages\" aria-label=\"%s\"><ul>",
		       html_tr(p, "Pagine della classifica", "Ranking pages"));
	for (i = 1; i <= n; i++) {
		int show = i == 1 || i == n ||
			   (current > 0 && i >= current - 3 && i <= current + 3) ||
			   (current == 0 && i <= 5);

		if (!show) {
			if (i == 2 || i == n - 1)
				html_raw(p, "<li aria-hidden=\"true\">…</li>");
			continue;
		}
		if (i == current)
			html_sb_printf(&p->b,
				       "<li><b>%s %d</b><span class=\"vh\"> (%s)</span></li>",
				       html_tr(p, "pagina", "page"), i,
				       html_tr(p, "questa pagina", "this page"));
		else
			html_sb_printf(&p->b, "<li><a href=\"%s%d.html\">%s %d</a></li>", prefix, i,
				       html_tr(p, "pagina", "page"), i);
	}
	html_raw(p, "</ul></nav>\n");
}

void html_ranking(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char cap[2 * CELL] = "", a[CELL] = "", b[CELL] = "";
	int top = sc->n_ranks < REP_HTML_TOP ? sc->n_ranks : REP_HTML_TOP;

	html_section_open(p, "rank", "Accordi per indice", "Agreements ranked by index");
	if (sc->n_ranks == 0 || !sc->ranks) {
		html_section_empty(p, html_tr(p, "Nessun accordo nel periodo.",
					      "No agreement in the period."));
		return;
	}
	html_elem(p, "<p>",
		  html_tr(p, "Posizione e sua variabilità al variare dei pesi (5°–95° percentile).",
			  "Rank and how it varies as the weights vary (5th–95th percentile)."),
		  "</p>\n");
	html_check(p, fmt_number(top, 0, p->loc, a, sizeof(a)));
	html_check(p, fmt_number(sc->n_ranks, 0, p->loc, b, sizeof(b)));
	lbl_say(cap, sizeof(cap), "%s %s %s %s", html_tr(p, "I primi", "The first"), a,
		html_tr(p, "accordi per indice, su", "agreements by index, of"), b);
	rank_table(p, 0, top, cap);
	html_elem(p, "<p>",
		  html_tr(p, "La classifica completa, con ogni accordo:",
			  "The whole ranking, with every agreement:"),
		  "</p>\n");
	pages_nav(p, "ranking/", 0);
	html_raw(p, "</section>\n");
}

int rep_html_render_ranking(const struct scorecard *sc, int page, char **out)
{
	return rep_html_render_ranking_rev(sc, page, NULL, out);
}

int rep_html_render_ranking_rev(const struct scorecard *sc, int page,
				const struct rep_html_revision *rev, char **out)
{
	int n = rep_html_ranking_pages(sc), first, last;
	struct page p;
	char title[4 * CELL] = "", cap[2 * CELL] = "", a[CELL] = "", b[CELL] = "", c[CELL] = "";

	if (page < 1 || page > n)
		return err_set(ERR_FAIL, "ranking page %d of %d", page, n);
	html_page_init(&p, sc, "../", rev);
	first = (page - 1) * REP_HTML_RANKS_PER_PAGE;
	last = first + REP_HTML_RANKS_PER_PAGE < sc->n_ranks ? first + REP_HTML_RANKS_PER_PAGE
							     : sc->n_ranks;
	html_check(&p, fmt_number(page, 0, p.loc, a, sizeof(a)));
	html_check(&p, fmt_number(n, 0, p.loc, b, sizeof(b)));
	lbl_say(cap, sizeof(cap), "%s (%s %s %s %s)",
		html_tr(&p, "Accordi per indice", "Agreements ranked by index"),
		html_tr(&p, "pagina", "page"), a, html_tr(&p, "di", "of"), b);
	html_title_of(&p, cap, title, sizeof(title));
	html_head(&p, title);
	html_page_header(&p, cap);
	html_elem(&p, "<p>",
		  html_tr(&p,
			  "Posizione e sua variabilità al variare dei pesi (5°–95° percentile).",
			  "Rank and how it varies as the weights vary (5th–95th percentile)."),
		  "</p>\n");
	pages_nav(&p, "", page);
	html_check(&p, fmt_number(first + 1, 0, p.loc, a, sizeof(a)));
	html_check(&p, fmt_number(last, 0, p.loc, b, sizeof(b)));
	html_check(&p, fmt_number(sc->n_ranks, 0, p.loc, c, sizeof(c)));
	lbl_say(cap, sizeof(cap), "%s %s–%s %s %s",
		html_tr(&p, "Accordi per indice", "Agreements by index"), a, b,
		html_tr(&p, "di", "of"), c);
	rank_table(&p, first, last, cap);
	html_page_footer(&p);
	return html_finish(&p, out);
}
