/* html: the public side of the HTML writer (html.h): the stylesheet, a
 * scorecard's own page from its sections (html_sections.c, html_charts.c,
 * html_ranking.c), and the pages a run adds to its files. */
#include "html.h"

#include "err.h"
#include "files.h"
#include "html_page.h"
#include "labels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char rep_html_css[] =
	":root{--ink:#212429;--accent:" COL_ACCENT ";--grey:" COL_GREY ";--rule:" COL_RULE
	";--tile:#f0f3f8;--green:#1e6b22;--amber:#805300;--red:#b3261e}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"body{margin:0;font-family:\"DejaVu Sans\",Verdana,system-ui,sans-serif;"
	"font-size:1rem;line-height:1.5;color:var(--ink);background:#fff}\n"
	".skip{position:absolute;left:.5rem;top:-4rem;padding:.5rem 1rem;background:var(--accent);"
	"color:#fff;z-index:10}\n"
	".skip:focus{top:.5rem}\n"
	"a{color:var(--accent)}\n"
	"a:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--accent);"
	"outline-offset:2px;box-shadow:0 0 0 5px #fff}\n"
	"a:focus{outline:3px solid var(--accent);outline-offset:2px}\n"
	".wrap{max-width:72rem;margin:0 auto;padding:0 1rem}\n"
	"header.top{border-bottom:3px solid var(--accent);padding:1rem 0 .75rem}\n"
	".kicker{font-weight:bold;color:var(--accent);font-size:.8rem;letter-spacing:.04em;"
	"margin:0}\n"
	"h1{font-size:1.6rem;line-height:1.25;margin:.3rem 0}\n"
	"h2{font-size:1.25rem;color:var(--accent);border-bottom:1px solid var(--rule);"
	"padding-bottom:.2rem;margin:2rem 0 .75rem}\n"
	"h3{font-size:1.05rem;margin:1.5rem 0 .4rem}\n"
	".meta{margin:.2rem 0;color:var(--grey)}\n"
	".asof{font-weight:bold;color:var(--accent);margin:.2rem 0}\n"
	"nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}\n"
	"nav a{display:inline-block;padding:.25rem 0}\n"
	".tiles{list-style:none;padding:0;margin:0;display:grid;"
	"grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem}\n"
	".tiles li{background:var(--tile);border-left:4px solid var(--accent);padding:.75rem}\n"
	".tiles .v{display:block;font-size:1.5rem;font-weight:bold;color:var(--accent)}\n"
	".tiles .l{display:block;font-weight:bold}\n"
	".tiles .s{display:block;color:var(--grey);font-size:.875rem}\n"
	".index{background:var(--accent);color:#fff;padding:.75rem 1rem;margin:0 0 1rem}\n"
	".index strong{font-size:2rem;display:block}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem}\n"
	"figure{margin:0}\n"
	"figcaption{font-weight:bold}\n"
	"figcaption span{display:block;color:var(--accent);font-size:1.2rem}\n"
	"svg{display:block;width:100%;height:auto;max-width:40rem}\n"
	".rng svg{width:8rem;max-width:8rem}\n"
	".scroll{overflow-x:auto;margin:0 0 1rem}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:bold;padding:.3rem 0;color:var(--ink)}\n"
	"th,td{padding:.35rem .5rem;border-bottom:1px solid var(--rule);vertical-align:top;"
	"text-align:left}\n"
	"thead th{border-bottom:2px solid var(--accent);color:var(--grey);font-size:.8rem}\n"
	"td.n,th.n{text-align:right;white-space:nowrap}\n"
	"tbody tr:nth-child(even){background:#f6f7f9}\n"
	"th.sub{font-weight:normal;padding-left:1.5rem;color:var(--grey)}\n"
	"tbody th{font-weight:normal}\n"
	".s-green{color:var(--green)}.s-amber{color:var(--amber)}.s-red{color:var(--red)}"
	".s-none{color:var(--grey)}\n"
	".mk{display:inline-block;width:1.1em}\n"
	".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}\n"
	".sub-l{display:block;color:var(--grey);font-size:.8rem}\n"
	".sup{color:var(--grey);font-style:italic}\n"
	".covering{margin:.2rem 0 .5rem;padding-left:1.25rem}\n"
	".evidence{list-style:none;padding:0;margin:0}\n"
	".evidence li{border-left:4px solid var(--rule);padding:.25rem 0 .25rem .75rem;"
	"margin:0 0 1rem}\n"
	".evidence h3{margin:0 0 .2rem}\n"
	".evidence .summary{margin:.3rem 0 0}\n"
	".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
	"white-space:nowrap}\n"
	"footer{border-top:1px solid var(--rule);margin-top:2rem;padding:1rem 0;"
	"color:var(--grey);font-size:.875rem}\n"
	"@media (max-width:40rem){h1{font-size:1.3rem}table{font-size:.8rem}"
	"th,td{padding:.3rem}}\n"
	"@media print{.skip,nav.docs,nav.pages{display:none}body{font-size:10pt}"
	".wrap{max-width:none;padding:0}.scroll{overflow:visible}"
	"a{color:inherit;text-decoration:none}h2,h3,caption{break-after:avoid}"
	"tr,figure,.tiles li{break-inside:avoid}.index{border:2px solid #000;color:#000;"
	"background:none}}\n";

/* --- pages ------------------------------------------------------------------------------------ */

int rep_html_render(const struct scorecard *sc, char **out)
{
	return rep_html_render_rev(sc, NULL, out);
}

int rep_html_render_rev(const struct scorecard *sc, const struct rep_html_revision *rev, char **out)
{
	struct page p;
	char title[4 * CELL] = "";

	html_page_init(&p, sc, sc->level == CAT_POLICY ? "" : "../", rev);
	html_title_of(&p, NULL, title, sizeof(title));
	html_head(&p, title);
	html_page_header(&p, NULL);
	html_tiles(&p);
	html_scores(&p);
	html_trends(&p);
	html_indicators(&p);
	if (sc->level == CAT_AGREEMENT) {
		html_ex_ante(&p);
		html_projects(&p);
		html_milestones(&p);
	} else if (sc->level == CAT_POLICY) {
		html_ranking(&p);
		html_territories(&p);
	}
	html_evidence(&p);
	html_notes(&p);
	html_page_footer(&p);
	return html_finish(&p, out);
}

int rep_html_relpath(const struct scorecard *sc, char *buf, size_t size)
{
	int n;

	if (sc->level == CAT_AGREEMENT)
		return rep_files_agreement_relpath(sc->agreement_code, "html", buf, size);
	if (sc->level == CAT_NEIGHBOURHOOD)
		return rep_files_neighbourhood_relpath(sc->neighbourhood.code, "html", buf, size);
	n = snprintf(buf, size, "index.html");
	if (n < 0 || (size_t)n >= size)
		return err_set(ERR_FAIL, "the policy's page: path too long");
	return 0;
}

int rep_html_add(struct rep_files_tx *tx, const struct scorecard *sc)
{
	char rel[512], *html = NULL;
	int rc, i, n;

	rc = rep_html_relpath(sc, rel, sizeof(rel));
	if (rc == 0)
		rc = rep_html_render(sc, &html);
	if (rc == 0)
		rc = rep_files_add(tx, rel, html, strlen(html));
	free(html);
	if (rc || sc->level != CAT_POLICY)
		return rc;
	rc = rep_files_add(tx, REP_HTML_CSS_NAME, rep_html_css, strlen(rep_html_css));
	n = rep_html_ranking_pages(sc);
	for (i = 1; rc == 0 && i <= n; i++) {
		html = NULL;
		rc = rep_html_ranking_relpath(i, rel, sizeof(rel));
		if (rc == 0)
			rc = rep_html_render_ranking(sc, i, &html);
		if (rc == 0)
			rc = rep_files_add(tx, rel, html, strlen(html));
		free(html);
	}
	return rc;
}
