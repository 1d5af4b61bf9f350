#include "html.h"

#include "err.h"
#include "files.h"
#include "format.h"
#include "labels.h"
#include "notes.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL LBL_CELL

/* Colours (also in the stylesheet): each meets 4.5:1 on white and on the
 * tiles' background, so that text and marks read at AA. */
#define COL_ACCENT "#1b3a6b"
#define COL_ACCENT_MID "#5a7bb0"
#define COL_ACCENT_LIGHT "#cdd9ec"
#define COL_GREY "#555d69"
#define COL_RULE "#c4c9d1"
#define COL_TRACK "#e7e9ed"

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

/* --- a growing string --------------------------------------------------------------- */

struct sb {
	char *p;
	size_t len, cap;
	int oom;
};

static void sb_putn(struct sb *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 16384;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* Markup and numbers only: never data text (sb_esc is for that). */
static void __attribute__((format(printf, 2, 3))) sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->oom = 1; /* a programming error: markup is short */
		return;
	}
	sb_putn(b, tmp, (size_t)n);
}

/* Appends text escaped for element content and quoted attribute values:
 * & < > " ' as entities; invalid UTF-8, surrogates and noncharacters
 * U+FFFE/U+FFFF as U+FFFD; control characters (but tab and newline) as a
 * space, since HTML forbids them. */
static void sb_esc(struct sb *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	while (*u) {
		size_t n = 1, k;
		unsigned cp;

		switch (*u) {
		case '&':
			sb_puts(b, "&amp;");
			u++;
			continue;
		case '<':
			sb_puts(b, "&lt;");
			u++;
			continue;
		case '>':
			sb_puts(b, "&gt;");
			u++;
			continue;
		case '"':
			sb_puts(b, "&quot;");
			u++;
			continue;
		case '\'':
			sb_puts(b, "&#39;");
			u++;
			continue;
		default:
			break;
		}
		if (*u < 0x80) {
			if ((*u < 0x20 && *u != '\t' && *u != '\n') || *u == 0x7F)
				sb_putn(b, " ", 1);
			else
				sb_putn(b, (const char *)u, 1);
			u++;
			continue;
		}
		cp = 0xFFFD;
		if (*u >= 0xC2 && *u <= 0xF4) {
			n = *u < 0xE0 ? 2 : *u < 0xF0 ? 3 : 4;
			cp = *u & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
			for (k = 1; k < n && (u[k] & 0xC0) == 0x80; k++)
				cp = (cp << 6) | (u[k] & 0x3F);
			if (k < n) {
				n = k;
				cp = 0xFFFD;
			} else if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
				   (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
				   (cp >= 0x80 && cp < 0xA0) || (cp & 0xFFFE) == 0xFFFE ||
				   (cp >= 0xFDD0 && cp <= 0xFDEF)) {
				cp = 0xFFFD;
			}
		}
		if (cp == 0xFFFD && !(n == 3 && u[0] == 0xEF && u[1] == 0xBF && u[2] == 0xBD))
			sb_puts(b, "\xEF\xBF\xBD");
		else
			sb_putn(b, (const char *)u, n);
		u += n;
	}
}

/* Appends s percent-encoded for a path segment: all but A-Z a-z 0-9 - . _ ~. */
static void sb_url(struct sb *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	for (; *u; u++) {
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') ||
		    (*u >= '0' && *u <= '9') || *u == '-' || *u == '.' || *u == '_' || *u == '~')
			sb_putn(b, (const char *)u, 1);
		else
			sb_printf(b, "%%%02X", *u);
	}
}

/* --- the page being written ---------------------------------------------------------- */

struct page {
	struct sb b;
	const struct scorecard *sc;
	const char *loc;
	const char *root;		     /* "" for the period folder, "../" one level below */
	const struct rep_html_revision *rev; /* NULL: not a published revision */
	int rc;				     /* the first formatting error */
};

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

static int known(struct sc_num v)
{
	return v.set && isfinite(v.v);
}

static const char *tr(const struct page *p, const char *it, const char *en)
{
	return lbl_tr(p->loc, it, en);
}

/* Remembers the first error of a formatting call; the page goes on. */
static void check(struct page *p, int rc)
{
	if (rc < 0 && p->rc == 0)
		p->rc = rc;
}

static void text(struct page *p, const char *s)
{
	sb_esc(&p->b, s);
}

static void raw(struct page *p, const char *s)
{
	sb_puts(&p->b, s);
}

/* <tag attrs>escaped text</tag> */
static void elem(struct page *p, const char *open, const char *s, const char *close)
{
	raw(p, open);
	text(p, s);
	raw(p, close);
}

static const char *status_class(enum sc_status s)
{
	return s == ST_GREEN   ? "s-green"
	       : s == ST_AMBER ? "s-amber"
	       : s == ST_RED   ? "s-red"
			       : "s-none";
}

/* The mark (hidden from screen readers: the word says it) and the word. */
static void status_cell(struct page *p, enum sc_status s, const char *word)
{
	raw(p, "<td><span class=\"mk ");
	raw(p, status_class(s));
	raw(p, "\" aria-hidden=\"true\">");
	raw(p, fmt_status_mark(s));
	raw(p, "</span>");
	/* No status is the dash alone, as in the other outputs; its word is
	 * there for screen readers. */
	if (s == ST_NONE && !word)
		elem(p, "<span class=\"vh\">", fmt_status_word(s, p->loc), "</span>");
	else
		text(p, word ? word : fmt_status_word(s, p->loc));
	raw(p, "</td>");
}

/* Opens a scrolling, keyboard-reachable region around a table whose
 * caption has the id `id`. */
static void table_open(struct page *p, const char *id, const char *caption)
{
	sb_printf(&p->b,
		  "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
		  "aria-labelledby=\"%s\"><table><caption id=\"%s\">",
		  id, id);
	text(p, caption);
	raw(p, "</caption>\n");
}

static void table_close(struct page *p)
{
	raw(p, "</tbody></table></div>\n");
}

static void th_col(struct page *p, const char *s, int numeric)
{
	raw(p, numeric ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">");
	text(p, s);
	raw(p, "</th>");
}

static void td(struct page *p, const char *s, int numeric)
{
	raw(p, numeric ? "<td class=\"n\">" : "<td>");
	text(p, s);
	raw(p, "</td>");
}

/* --- head, header, footer ----------------------------------------------------------- */

/* The subject of the page: the agreement's title or the policy's name. */
static const char *subject(const struct scorecard *sc)
{
	if (sc->level == CAT_AGREEMENT)
		return sc->agreement_title ? sc->agreement_title : fmt_null;
	if (sc->level == CAT_NEIGHBOURHOOD)
		return sc->neighbourhood.name ? sc->neighbourhood.name : fmt_null;
	return sc->policy_name ? sc->policy_name : fmt_null;
}

/* The document's own files: PDF and JSON next to the page. */
static void docs_nav(struct page *p, const char *page_root)
{
	const struct scorecard *sc = p->sc;
	const char *ext[2] = {"pdf", "json"};
	int i;

	sb_printf(&p->b, "<nav class=\"docs\" aria-label=\"%s\"><ul>",
		  tr(p, "Documenti e navigazione", "Documents and navigation"));
	if (sc->level != CAT_POLICY || strcmp(page_root, "") != 0) {
		raw(p, "<li><a href=\"");
		raw(p, page_root);
		raw(p, "index.html\">");
		text(p, tr(p, "Cruscotto della politica", "Policy scorecard"));
		raw(p, "</a></li>");
	}
	for (i = 0; i < 2; i++) {
		raw(p, "<li><a href=\"");
		if (sc->level == CAT_AGREEMENT && strcmp(page_root, "../") == 0 &&
		    sc->agreement_code) {
			sb_url(&p->b, sc->agreement_code);
		} else if (sc->level == CAT_NEIGHBOURHOOD && sc->neighbourhood.code) {
			sb_url(&p->b, sc->neighbourhood.code);
		} else {
			raw(p, page_root);
			raw(p, "policy");
		}
		sb_printf(&p->b, ".%s\" type=\"application/%s\">%s %s</a></li>", ext[i], ext[i],
			  tr(p, "Scarica in", "Download as"), i ? "JSON" : "PDF");
	}
	raw(p, "</ul></nav>\n");
}

static void head(struct page *p, const char *title)
{
	raw(p, "<!DOCTYPE html>\n<html lang=\"");
	raw(p, fmt_is_en(p->loc) ? "en" : "it");
	raw(p, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<title>");
	text(p, title);
	raw(p, "</title>\n<link rel=\"stylesheet\" href=\"");
	raw(p, p->root);
	raw(p, REP_HTML_CSS_NAME "\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	text(p, tr(p, "Salta al contenuto", "Skip to content"));
	raw(p, "</a>\n");
}

static void title_of(const struct page *p, const char *what, char *buf, size_t size)
{
	const struct scorecard *sc = p->sc;

	if (what)
		lbl_say(buf, size, "%s — %s — %s", what, subject(sc), sc->period);
	else
		lbl_say(buf, size, "%s — %s — %s",
			tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), subject(sc),
			sc->period);
}

/* A neighbourhood's facts under its name: code, population, and the
 * agreements covering it, each linking its page. */
static void neighbourhood_facts(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], n[CELL];
	int i;

	check(p, fmt_number((double)sc->neighbourhood.population, 0, p->loc, n, sizeof(n)));
	lbl_say(buf, sizeof(buf), "%s %s · %s: %s", tr(p, "Quartiere", "Neighbourhood"),
		sc->neighbourhood.code ? sc->neighbourhood.code : fmt_null,
		tr(p, "popolazione", "population"), n);
	elem(p, "<p class=\"meta\">", buf, "</p>\n");
	if (sc->n_covering == 0 || !sc->covering) {
		lbl_say(buf, sizeof(buf), "%s: %s",
			tr(p, "Accordi che coprono il quartiere", "Agreements covering it"),
			tr(p, "nessuno", "none"));
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
		return;
	}
	lbl_say(buf, sizeof(buf),
		"%s:", tr(p, "Accordi che coprono il quartiere", "Agreements covering it"));
	elem(p, "<p class=\"meta\" id=\"covering\">", buf, "</p>\n");
	raw(p, "<ul class=\"covering\" aria-labelledby=\"covering\">");
	for (i = 0; i < sc->n_covering; i++) {
		const struct sc_covering *c = &sc->covering[i];

		raw(p, "<li>");
		if (c->code) {
			raw(p, "<a href=\"");
			raw(p, p->root);
			raw(p, "agreements/");
			sb_url(&p->b, c->code);
			raw(p, ".html\">");
		}
		text(p, c->title ? c->title : c->code ? c->code : fmt_null);
		if (c->code) {
			raw(p, "</a> <span class=\"sub-l\">");
			text(p, c->code);
			raw(p, "</span>");
		}
		raw(p, "</li>\n");
	}
	raw(p, "</ul>\n");
}

/* The title block: kicker, h1, facts, period and as-of date. */
static void page_header(struct page *p, const char *h1_prefix)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], d[CELL];
	int agreement = sc->level == CAT_AGREEMENT;

	raw(p, "<header class=\"top\"><div class=\"wrap\">\n");
	elem(p, "<p class=\"kicker\">",
	     agreement ? tr(p, "CRUSCOTTO DI VALUTAZIONE · ACCORDO DI CITTADINANZA",
			    "EVALUATION SCORECARD · CITIZENSHIP AGREEMENT")
	     : sc->level == CAT_NEIGHBOURHOOD ? tr(p, "CRUSCOTTO DI VALUTAZIONE · QUARTIERE",
						   "EVALUATION SCORECARD · NEIGHBOURHOOD")
					      : tr(p, "CRUSCOTTO DI VALUTAZIONE · POLITICA",
						   "EVALUATION SCORECARD · POLICY"),
	     "</p>\n");
	docs_nav(p, p->root);
	if (p->rev) {
		char n[CELL];

		check(p, fmt_number(p->rev->number, 0, p->loc, n, sizeof(n)));
		lbl_say(buf, sizeof(buf), "%s %s", tr(p, "Revisione", "Revision"), n);
		raw(p, "<p class=\"meta revision\">");
		text(p, buf);
		/* how many revisions there are grows after publication: the server
		 * writes " di M" here as it serves the page (html.h) */
		raw(p, REP_HTML_REVISIONS_MARK);
		raw(p, tr(p, "di", "of"));
		raw(p, REP_HTML_REVISIONS_MARK_END);
		lbl_say(buf, sizeof(buf), ", %s %s", tr(p, "pubblicata il", "published on"),
			p->rev->published);
		text(p, buf);
		raw(p, " · <a href=\"");
		text(p, p->rev->list);
		raw(p, "\">");
		text(p, tr(p, "tutte le revisioni", "all revisions"));
		raw(p, "</a></p>\n");
	}
	raw(p, "</div></header>\n<main id=\"main\"><div class=\"wrap\">\n");
	if (agreement || sc->level == CAT_NEIGHBOURHOOD)
		elem(p, "<p class=\"meta\">", sc->policy_name ? sc->policy_name : fmt_null,
		     "</p>\n");
	raw(p, "<h1>");
	if (h1_prefix) {
		text(p, h1_prefix);
		raw(p, ": ");
	}
	text(p, subject(sc));
	raw(p, "</h1>\n");
	check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	lbl_say(buf, sizeof(buf), "%s · %s %s", sc->period, tr(p, "dati al", "data as of"), d);
	elem(p, "<p class=\"asof\">", buf, "</p>\n");
	if (agreement) {
		char nb[4 * CELL];

		lbl_say(buf, sizeof(buf), "%s %s · %s: %s", tr(p, "Accordo", "Agreement"),
			sc->agreement_code ? sc->agreement_code : fmt_null,
			tr(p, "stato", "status"),
			fmt_agreement_status(sc->agreement_status, p->loc));
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
		lbl_neighbourhoods(sc, nb, sizeof(nb));
		lbl_say(buf, sizeof(buf), "%s: %s",
			sc->n_neighbourhoods == 1 ? tr(p, "Quartiere", "Neighbourhood")
						  : tr(p, "Quartieri", "Neighbourhoods"),
			nb[0] ? nb : fmt_null);
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
		check(p, lbl_lifecycle(sc, nb, sizeof(nb)));
		lbl_say(buf, sizeof(buf), "%s: %s", tr(p, "Percorso", "Lifecycle"), nb);
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		neighbourhood_facts(p);
	} else {
		lbl_say(buf, sizeof(buf), "%s %s", tr(p, "Politica", "Policy"),
			sc->policy_code ? sc->policy_code : fmt_null);
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
	}
	check(p, lbl_period(sc, buf, sizeof(buf)));
	elem(p, "<p class=\"meta\">", buf, "</p>\n");
}

static void page_footer(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL];

	lbl_say(buf, sizeof(buf), "%s · %s · %s",
		tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
		sc->policy_name ? sc->policy_name : fmt_null, sc->period);
	raw(p, "</div></main>\n<footer><div class=\"wrap\">");
	elem(p, "<p>", buf, "</p>");
	if (sc->snapshot) {
		lbl_say(buf, sizeof(buf), "%s: %s", tr(p, "Istantanea dei dati", "Data snapshot"),
			sc->snapshot);
		elem(p, "<p>", buf, "</p>");
	}
	raw(p, "</div></footer>\n</body>\n</html>\n");
}

/* --- headline tiles ------------------------------------------------------------------- */

static void tiles(struct page *p)
{
	struct lbl_tile t[LBL_MAX_TILES];
	int i, n = 0;

	check(p, lbl_tiles(p->sc, t, &n));
	sb_printf(&p->b,
		  "<section aria-labelledby=\"h-key\"><h2 id=\"h-key\">%s</h2>\n"
		  "<ul class=\"tiles\">\n",
		  tr(p, "I numeri chiave", "Key figures"));
	for (i = 0; i < n; i++) {
		raw(p, "<li>");
		elem(p, "<span class=\"v\">", t[i].value, "</span>");
		elem(p, " <span class=\"l\">", t[i].label, "</span>");
		if (t[i].sub[0])
			elem(p, " <span class=\"s\">", t[i].sub, "</span>");
		raw(p, "</li>\n");
	}
	raw(p, "</ul></section>\n");
}

/* --- dimension scores and index ------------------------------------------------------- */

static void scores(struct page *p)
{
	const struct scorecard *sc = p->sc;
	const int rowh = 30, lw = 190, bw = 360, h = DIM_COUNT * rowh + 24;
	char buf[2 * CELL], cov[CELL], w[CELL];
	int d, i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-scores\"><h2 id=\"h-scores\">%s</h2>\n",
		  tr(p, "Punteggi delle dimensioni e indice", "Dimension scores and index"));
	elem(p, "<p>",
	     tr(p, "Scala 0–100: 100 = tutti gli obiettivi raggiunti.",
		"Scale 0–100: 100 = every target met."),
	     "</p>\n");
	check(p, lbl_score(sc->index, p->loc, buf, sizeof(buf)));
	raw(p, "<p class=\"index\">");
	text(p, tr(p, "Indice complessivo", "Overall index"));
	elem(p, " <strong>", buf, "</strong> ");
	text(p, known(sc->index) ? tr(p, "su 100: media pesata dei punteggi delle dimensioni",
				      "out of 100: weighted mean of the dimension scores")
				 : tr(p, "non calcolabile: nessun punteggio di dimensione",
				      "not available: no dimension score"));
	if (sc->level == CAT_POLICY) {
		check(p, lbl_score_range(sc->index_p05, sc->index_p95, p->loc, buf, sizeof(buf)));
		raw(p, "<br>");
		text(p, tr(p, "Al variare dei pesi (5°–95° percentile): ",
			   "As weights vary (5th–95th percentile): "));
		elem(p, "<b>", buf, "</b>");
	}
	raw(p, "</p>\n");

	/* The chart: the same figures as the table below it. */
	sb_printf(&p->b,
		  "<svg viewBox=\"0 0 %d %d\" role=\"img\" "
		  "xmlns=\"http://www.w3.org/2000/svg\"><title>",
		  lw + bw + 70, h);
	lbl_say(buf, sizeof(buf),
		"%s — %s: ", tr(p, "Punteggi delle dimensioni", "Dimension scores"), subject(sc));
	text(p, buf);
	for (d = 0; d < DIM_COUNT; d++) {
		check(p, lbl_score(sc->dims[d].score, p->loc, w, sizeof(w)));
		lbl_say(buf, sizeof(buf), "%s%s %s", d ? "; " : "",
			cat_dimension_label((enum cat_dimension)d, p->loc), w);
		text(p, buf);
	}
	raw(p, "</title>\n");
	for (d = 0; d < DIM_COUNT; d++) {
		const struct sc_dimension *dim = &sc->dims[d];
		int y = d * rowh;

		raw(p, "<text x=\"0\" y=\"");
		sb_printf(&p->b, "%d\" font-size=\"14\" fill=\"#212429\">", y + 19);
		text(p, cat_dimension_label((enum cat_dimension)d, p->loc));
		sb_printf(&p->b,
			  "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" "
			  "fill=\"" COL_TRACK "\"/>",
			  lw, y + 6, bw);
		if (known(dim->score)) {
			double v = dim->score.v < 0 ? 0 : dim->score.v > 100 ? 100 : dim->score.v;

			sb_printf(&p->b,
				  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" "
				  "fill=\"" COL_ACCENT "\"/>",
				  lw, y + 6, v * bw / 100.0);
		}
		check(p, lbl_score(dim->score, p->loc, w, sizeof(w)));
		sb_printf(&p->b,
			  "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\" "
			  "fill=\"#212429\">",
			  lw + bw + 8, y + 19);
		text(p, w);
		raw(p, "</text>\n");
	}
	for (i = 0; i <= 4; i++)
		sb_printf(&p->b,
			  "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"" COL_GREY
			  "\" text-anchor=\"middle\">%d</text>",
			  lw + bw * i / 4, h - 4, i * 25);
	raw(p, "</svg>\n");

	table_open(p, "t-scores", tr(p, "Punteggi delle dimensioni", "Dimension scores"));
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Dimensione", "Dimension"), 0);
	th_col(p, tr(p, "Punteggio (0–100)", "Score (0–100)"), 1);
	th_col(p, tr(p, "Copertura degli obiettivi", "Target coverage"), 1);
	th_col(p, tr(p, "Peso", "Weight"), 1);
	raw(p, "</tr></thead><tbody>\n");
	for (d = 0; d < DIM_COUNT; d++) {
		struct sc_num c = sc->dims[d].coverage;

		if (c.set)
			c.v *= 100.0;
		check(p, lbl_score(sc->dims[d].score, p->loc, buf, sizeof(buf)));
		check(p, fmt_value(c, "percent", p->loc, cov, sizeof(cov)));
		check(p, fmt_value(sc->dims[d].weight, "ratio", p->loc, w, sizeof(w)));
		raw(p, "<tr>");
		elem(p, "<th scope=\"row\">", cat_dimension_label((enum cat_dimension)d, p->loc),
		     "</th>");
		td(p, buf, 1);
		td(p, cov, 1);
		td(p, w, 1);
		raw(p, "</tr>\n");
	}
	table_close(p);
	raw(p, "</section>\n");
}

/* --- trends ----------------------------------------------------------------------------- */

static const char *trend_unit(int k)
{
	return k < 0 ? NULL : cat_indicators[sc_trend_ids[k]].unit;
}

static const char *trend_label(const struct page *p, int k)
{
	return k < 0 ? tr(p, "Indice complessivo", "Overall index")
		     : cat_label(&cat_indicators[sc_trend_ids[k]], p->loc);
}

static int trend_text(const struct page *p, int k, struct sc_num v, char *buf, size_t size)
{
	if (k < 0)
		return lbl_score(v, p->loc, buf, size);
	return fmt_value(v, trend_unit(k), p->loc, buf, size);
}

/* The text alternative of a trend chart: the quarters, the first and last
 * known values, the lowest and highest, and the quarters without data. */
static void trend_alt(struct page *p, int k)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], a[CELL], gaps[2 * CELL];
	int i, first = -1, last = -1, lo = -1, hi = -1;

	gaps[0] = '\0';
	for (i = 0; i < sc->n_trend; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);

		if (!known(v)) {
			lbl_append(gaps, sizeof(gaps), "%s%s", gaps[0] ? ", " : "",
				   sc->trend[i].period);
			continue;
		}
		if (first < 0)
			first = i;
		last = i;
		if (lo < 0 || v.v < lbl_trend_value(sc, k, lo).v)
			lo = i;
		if (hi < 0 || v.v > lbl_trend_value(sc, k, hi).v)
			hi = i;
	}
	lbl_say(buf, sizeof(buf), "%s — %s, %s–%s", trend_label(p, k), subject(sc),
		sc->trend[0].period, sc->trend[sc->n_trend - 1].period);
	text(p, buf);
	if (first < 0) {
		raw(p, ": ");
		text(p, tr(p, "nessun dato", "no data"));
		return;
	}
	check(p, trend_text(p, k, lbl_trend_value(sc, k, first), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), ": %s %s %s", tr(p, "da", "from"), a, sc->trend[first].period);
	text(p, buf);
	check(p, trend_text(p, k, lbl_trend_value(sc, k, last), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), " %s %s %s", tr(p, "a", "to"), a, sc->trend[last].period);
	text(p, buf);
	check(p, trend_text(p, k, lbl_trend_value(sc, k, lo), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), "; %s %s (%s)", tr(p, "minimo", "lowest"), a,
		sc->trend[lo].period);
	text(p, buf);
	check(p, trend_text(p, k, lbl_trend_value(sc, k, hi), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), ", %s %s (%s)", tr(p, "massimo", "highest"), a,
		sc->trend[hi].period);
	text(p, buf);
	if (gaps[0]) {
		lbl_say(buf, sizeof(buf), "; %s: %s", tr(p, "nessun dato per", "no data for"),
			gaps);
		text(p, buf);
	}
}

static void trend_chart(struct page *p, int k)
{
	const struct scorecard *sc = p->sc;
	const char *unit = trend_unit(k);
	const double x0 = 70, x1 = 310, y0 = 118, y1 = 12;
	const struct sc_indicator *ind = k < 0 ? NULL : sc_ind(sc, sc_trend_ids[k]);
	struct sc_num lastv = lbl_trend_value(sc, k, sc->n_trend - 1);
	double lo = 0, hi = 0;
	char buf[CELL], lo_t[CELL], hi_t[CELL];
	int i, any = 0, prev = -1, n = sc->n_trend;

	if (ind && ind->suppressed)
		lbl_say(buf, sizeof(buf), "%s", lbl_suppressed(p->loc));
	else
		check(p, trend_text(p, k, lastv, buf, sizeof(buf)));
	sb_printf(&p->b, "<figure><figcaption>");
	text(p, trend_label(p, k));
	elem(p, " <span>", buf, "</span>");
	raw(p, "</figcaption>\n");
	/* the same scale as the PDF's */
	any = lbl_trend_scale(sc, k, &lo, &hi);
	check(p, fmt_number(lo, 0, p->loc, lo_t, sizeof(lo_t)));
	if (k < 0 || (unit && strcmp(unit, "score") == 0))
		check(p, fmt_number(hi, 0, p->loc, hi_t, sizeof(hi_t)));
	else
		check(p, fmt_value(num(hi), unit, p->loc, hi_t, sizeof(hi_t)));
	sb_printf(&p->b, "<svg viewBox=\"0 0 320 140\" role=\"img\" "
			 "xmlns=\"http://www.w3.org/2000/svg\"><title>");
	trend_alt(p, k);
	sb_printf(&p->b,
		  "</title>\n<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"" COL_RULE
		  "\"/><line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"" COL_RULE
		  "\" stroke-width=\"0.5\"/>",
		  x0, y0, x1, y0, x0, y1, x1, y1);
	if (any) {
		sb_printf(&p->b,
			  "<text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"" COL_GREY
			  "\" text-anchor=\"end\">",
			  x0 - 4, y1 + 4);
		text(p, hi_t);
		sb_printf(&p->b,
			  "</text><text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"" COL_GREY
			  "\" text-anchor=\"end\">",
			  x0 - 4, y0 + 4);
		text(p, lo_t);
		raw(p, "</text>");
	} else {
		sb_printf(&p->b,
			  "<text x=\"%g\" y=\"%g\" font-size=\"12\" fill=\"" COL_GREY
			  "\" text-anchor=\"middle\">",
			  (x0 + x1) / 2, (y0 + y1) / 2);
		text(p, tr(p, "nessun dato", "no data"));
		raw(p, "</text>");
	}
	sb_printf(&p->b, "<text x=\"%g\" y=\"136\" font-size=\"11\" fill=\"" COL_GREY "\">", x0);
	text(p, sc->trend[0].period);
	sb_printf(&p->b,
		  "</text><text x=\"%g\" y=\"136\" font-size=\"11\" fill=\"" COL_GREY
		  "\" text-anchor=\"end\">",
		  x1);
	text(p, sc->trend[n - 1].period);
	raw(p, "</text>\n");
	/* Segments join consecutive known points only: a gap shows. */
	for (i = 0; i < n; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);
		double xi = n > 1 ? x0 + (x1 - x0) * i / (n - 1) : (x0 + x1) / 2, yi;

		sb_printf(&p->b,
			  "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" stroke=\"" COL_RULE
			  "\"/>",
			  xi, y0, xi, y0 + 3);
		if (!known(v)) {
			prev = -1;
			continue;
		}
		yi = y0 + (v.v - lo) / (hi - lo) * (y1 - y0);
		yi = yi > y0 ? y0 : yi < y1 ? y1 : yi;
		if (prev >= 0) {
			struct sc_num pv = lbl_trend_value(sc, k, prev);
			double xp = x0 + (x1 - x0) * prev / (n - 1);
			double yp = y0 + (pv.v - lo) / (hi - lo) * (y1 - y0);

			yp = yp > y0 ? y0 : yp < y1 ? y1 : yp;
			sb_printf(&p->b,
				  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				  "stroke=\"" COL_ACCENT "\" stroke-width=\"2\"/>",
				  xp, yp, xi, yi);
		}
		sb_printf(&p->b,
			  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"" COL_ACCENT "\"/>", xi,
			  yi, i == n - 1 ? "4" : "2.5");
		prev = i;
	}
	raw(p, "\n</svg></figure>\n");
}

static void trends(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[CELL];
	int i, k;

	sb_printf(&p->b, "<section aria-labelledby=\"h-trend\"><h2 id=\"h-trend\">%s</h2>\n",
		  tr(p, "Andamento negli ultimi trimestri", "Trend over the last quarters"));
	if (sc->n_trend == 0 || !sc->trend) {
		elem(p, "<p>", tr(p, "Nessun trimestre da mostrare.", "No quarter to show."),
		     "</p>\n</section>\n");
		return;
	}
	raw(p, "<div class=\"charts\">\n");
	for (k = -1; k < sc_trend_count; k++)
		trend_chart(p, k);
	raw(p, "</div>\n");
	table_open(p, "t-trend",
		   tr(p, "I valori dei grafici per trimestre", "The charts' figures by quarter"));
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Trimestre", "Quarter"), 0);
	for (k = -1; k < sc_trend_count; k++)
		th_col(p, trend_label(p, k), 1);
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < sc->n_trend; i++) {
		raw(p, "<tr>");
		elem(p, "<th scope=\"row\">", sc->trend[i].period, "</th>");
		for (k = -1; k < sc_trend_count; k++) {
			const struct sc_indicator *ind = k < 0 ? NULL : sc_ind(sc, sc_trend_ids[k]);

			/* The period's own value is withheld where the
			 * scorecard withholds it. */
			if (i == sc->n_trend - 1 && ind && ind->suppressed)
				lbl_say(buf, sizeof(buf), "%s", lbl_suppressed(p->loc));
			else
				check(p, trend_text(p, k, lbl_trend_value(sc, k, i), buf,
						    sizeof(buf)));
			td(p, buf, 1);
		}
		raw(p, "</tr>\n");
	}
	table_close(p);
	raw(p, "</section>\n");
}

/* --- indicator tables ------------------------------------------------------------------ */

static void legend(struct page *p)
{
	static const enum sc_status order[4] = {ST_GREEN, ST_AMBER, ST_RED, ST_NONE};
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], n[CELL];
	int i;

	raw(p, "<ul class=\"legend\">");
	for (i = 0; i < 4; i++) {
		sb_printf(&p->b, "<li><span class=\"mk %s\" aria-hidden=\"true\">%s</span>",
			  status_class(order[i]), fmt_status_mark(order[i]));
		lbl_say(buf, sizeof(buf), "%s: %s", fmt_status_word(order[i], p->loc),
			lbl_status_meaning(order[i], p->loc));
		text(p, buf);
		raw(p, "</li>");
	}
	raw(p, "</ul>\n");
	/* What a suppressed value means, by kind; the cells link here. */
	check(p, fmt_number(sc->min_cell, 0, p->loc, n, sizeof(n)));
	raw(p, "<dl class=\"supnote\">");
	lbl_say(buf, sizeof(buf), "%s¹", lbl_suppressed(p->loc));
	elem(p, "<dt id=\"sup-primary\">", buf, "</dt>");
	lbl_say(buf, sizeof(buf), "%s %s %s",
		tr(p, "Soppressione primaria: il valore si basa su meno di",
		   "Primary suppression: the value rests on fewer than"),
		n,
		tr(p, "rispondenti e non è pubblicato, né il suo intervallo; n resta indicato.",
		   "respondents and is not published, nor its interval; n is still given."));
	elem(p, "<dd>", buf, "</dd>");
	lbl_say(buf, sizeof(buf), "%s²", lbl_suppressed(p->loc));
	elem(p, "<dt id=\"sup-secondary\">", buf, "</dt>");
	elem(p, "<dd>",
	     tr(p,
		"Soppressione secondaria: il valore avrebbe abbastanza rispondenti, ma è "
		"trattenuto perché, insieme ai valori pubblicati, permetterebbe di ricavare "
		"per sottrazione un valore soppresso.",
		"Secondary suppression: the value has enough respondents but is withheld "
		"because, with the published values, it would let a suppressed value be "
		"recovered by subtraction."),
	     "</dd>");
	raw(p, "</dl>\n");
}

static void indicator_row(struct page *p, const struct sc_indicator *x, int stats)
{
	struct lbl_row r;

	if (lbl_row(p->sc, x, &r) < 0) {
		check(p, ERR_FAIL);
		return;
	}
	sb_printf(&p->b, "<tr data-code=\"%s\">", x->ind->code);
	elem(p, r.breakdown ? "<th scope=\"row\" class=\"sub\">" : "<th scope=\"row\">", r.label,
	     "</th>");
	if (r.suppressed) {
		int secondary = x->suppression == SUP_SECONDARY;

		sb_printf(&p->b, "<td class=\"n sup\" data-suppression=\"%s\"><a href=\"#sup-%s\">",
			  secondary ? "secondary" : "primary", secondary ? "secondary" : "primary");
		text(p, r.value);
		raw(p, secondary ? "²" : "¹");
		raw(p, "</a></td>");
	} else {
		elem(p, "<td class=\"n\"><b>", r.value, "</b></td>");
	}
	td(p, r.previous, 1);
	raw(p, "<td class=\"n\">");
	if (r.direction)
		raw(p, r.direction > 0 ? "<span aria-hidden=\"true\">↑ </span>"
				       : "<span aria-hidden=\"true\">↓ </span>");
	text(p, r.delta);
	raw(p, "</td>");
	td(p, r.target, 1);
	status_cell(p, r.status, NULL);
	if (stats) {
		td(p, r.n, 1);
		td(p, r.interval, 1);
	}
	raw(p, "</tr>\n");
}

static void dimension_table(struct page *p, enum cat_dimension d)
{
	const struct scorecard *sc = p->sc;
	char aside[2 * CELL], id[32], cap[2 * CELL];
	int i, any = 0, stats = lbl_dimension_has_stats(sc, d);

	for (i = 0; i < cat_count && i < 64; i++)
		if (sc->ind[i].present && sc->ind[i].ind && sc->ind[i].ind->dimension == d)
			any = 1;
	if (!any)
		return;
	sb_printf(&p->b, "<h3 id=\"h-dim%d\">", (int)d);
	text(p, cat_dimension_label(d, p->loc));
	raw(p, "</h3>\n");
	check(p, lbl_dimension_aside(sc, d, aside, sizeof(aside)));
	elem(p, "<p>", aside, "</p>\n");
	snprintf(id, sizeof(id), "t-dim%d", (int)d);
	lbl_say(cap, sizeof(cap), "%s: %s %s", cat_dimension_label(d, p->loc),
		tr(p, "indicatori al", "indicators for"), sc->period);
	table_open(p, id, cap);
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Indicatore", "Indicator"), 0);
	lbl_say(cap, sizeof(cap), "%s %s", tr(p, "Valore", "Value"), sc->period);
	th_col(p, cap, 1);
	lbl_say(cap, sizeof(cap), "%s %s", tr(p, "Precedente", "Previous"),
		sc->period_previous[0] ? sc->period_previous : "");
	th_col(p, cap, 1);
	th_col(p, tr(p, "Variazione", "Change"), 1);
	th_col(p, tr(p, "Obiettivo", "Target"), 1);
	th_col(p, tr(p, "Stato", "Status"), 0);
	if (stats) {
		th_col(p, "n", 1);
		th_col(p, tr(p, "Intervallo 95%", "95% interval"), 1);
	}
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (x->present && x->ind && x->ind->dimension == d)
			indicator_row(p, x, stats);
	}
	table_close(p);
}

static void indicators(struct page *p)
{
	int d;

	sb_printf(&p->b, "<section aria-labelledby=\"h-ind\"><h2 id=\"h-ind\">%s</h2>\n",
		  tr(p, "Indicatori per dimensione", "Indicators by dimension"));
	legend(p);
	for (d = 0; d < DIM_COUNT; d++)
		dimension_table(p, (enum cat_dimension)d);
	raw(p, "</section>\n");
}

/* --- agreement: ex ante, projects, milestones -------------------------------------------- */

static void ex_ante(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[CELL];
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-exante\"><h2 id=\"h-exante\">%s</h2>\n",
		  tr(p, "Valutazione ex ante", "Ex-ante evaluation"));
	elem(p, "<p>",
	     tr(p, "Superata se ogni criterio vale almeno 3 su 5.",
		"Passed when every criterion scores at least 3 out of 5."),
	     "</p>\n");
	table_open(p, "t-exante",
		   tr(p, "Criteri della valutazione ex ante, scala da 1 a 5",
		      "Ex-ante criteria, scale 1 to 5"));
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Criterio", "Criterion"), 0);
	th_col(p, tr(p, "Punteggio", "Score"), 1);
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < 4; i++) {
		struct sc_num v = i < 3 ? sc->ex_ante[i] : sc->ex_ante_mean;

		check(p, fmt_value(v, "score", p->loc, buf, sizeof(buf)));
		raw(p, "<tr>");
		elem(p, "<th scope=\"row\">",
		     i < 3 ? fmt_ex_ante_label(i, p->loc) : tr(p, "Media", "Mean"), "</th>");
		td(p, buf, 1);
		raw(p, "</tr>\n");
	}
	raw(p, "<tr>");
	elem(p, "<th scope=\"row\">", tr(p, "Esito", "Outcome"), "</th>");
	status_cell(p, sc->ex_ante_passed ? ST_GREEN : ST_RED, lbl_ex_ante_outcome(sc));
	raw(p, "</tr>\n");
	table_close(p);
	raw(p, "</section>\n");
}

static void projects(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char d[CELL], buf[2 * CELL];
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-prj\"><h2 id=\"h-prj\">%s</h2>\n",
		  tr(p, "Progetti e budget", "Projects and budget"));
	if (sc->n_projects == 0 || !sc->projects) {
		check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
		lbl_say(buf, sizeof(buf), "%s %s.",
			tr(p, "Nessun progetto definito al", "No project defined as of"), d);
		elem(p, "<p>", buf, "</p>\n</section>\n");
		return;
	}
	table_open(p, "t-prj",
		   tr(p, "Progetti, budget e tappe", "Projects, budget and milestones"));
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Progetto", "Project"), 0);
	th_col(p, tr(p, "Budget", "Budget"), 0);
	th_col(p, tr(p, "Tappe", "Milestones"), 0);
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < sc->n_projects; i++) {
		const struct sc_project *pr = &sc->projects[i];
		struct lbl_project lp;

		if (lbl_project(pr, p->loc, &lp) < 0) {
			check(p, ERR_FAIL);
			break;
		}
		raw(p, "<tr><th scope=\"row\"><b>");
		text(p, pr->title ? pr->title : fmt_null);
		elem(p, "</b> <span class=\"sub-l\">", lp.sub, "</span></th>");
		td(p, lp.budget, 0);
		raw(p, "<td>");
		text(p, lp.milestones);
		elem(p, " <span class=\"sub-l\">", lp.milestones_sub, "</span></td></tr>\n");
	}
	table_close(p);
	raw(p, "</section>\n");
}

static void milestones(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char due[CELL], got[CELL];
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-ms\"><h2 id=\"h-ms\">%s</h2>\n",
		  tr(p, "Tappe dei progetti", "Project milestones"));
	if (sc->n_milestones == 0 || !sc->milestones) {
		elem(p, "<p>", tr(p, "Nessuna tappa prevista.", "No milestone planned."),
		     "</p>\n</section>\n");
		return;
	}
	table_open(p, "t-ms", tr(p, "Tappe dei progetti e loro esito", "Milestones and outcome"));
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Tappa", "Milestone"), 0);
	th_col(p, tr(p, "Progetto", "Project"), 0);
	th_col(p, tr(p, "Scadenza", "Due"), 1);
	th_col(p, tr(p, "Raggiunta", "Achieved"), 1);
	th_col(p, tr(p, "Esito", "Outcome"), 0);
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < sc->n_milestones; i++) {
		const struct sc_milestone *m = &sc->milestones[i];
		const char *word;
		int done;
		enum sc_status st = lbl_milestone(sc, m, &done, &word);

		check(p, fmt_date(m->due_on, FMT_DATE_SHORT, p->loc, due, sizeof(due)));
		check(p, fmt_date(done ? m->achieved_on : NULL, FMT_DATE_SHORT, p->loc, got,
				  sizeof(got)));
		raw(p, "<tr>");
		elem(p, "<th scope=\"row\">", m->title ? m->title : fmt_null, "</th>");
		td(p, m->project_code ? m->project_code : fmt_null, 0);
		td(p, due, 1);
		td(p, got, 1);
		status_cell(p, st, word);
		raw(p, "</tr>\n");
	}
	table_close(p);
	raw(p, "</section>\n");
}

/* --- policy: ranking ----------------------------------------------------------------------- */

/* A small bar of the rank range on 1..scale, decorative: the cell beside
 * it says the same in words. */
static void range_bar(struct page *p, const struct sc_rank *k, double scale)
{
	const double w = 120;
	double a, b;

	raw(p, "<td class=\"rng\"><svg viewBox=\"0 0 120 10\" aria-hidden=\"true\" "
	       "xmlns=\"http://www.w3.org/2000/svg\">"
	       "<line x1=\"0\" y1=\"5\" x2=\"120\" y2=\"5\" stroke=\"" COL_RULE "\"/>");
	if (known(k->rank_p05) && known(k->rank_p95) && scale > 1) {
		a = (k->rank_p05.v - 1) / (scale - 1) * w;
		b = (k->rank_p95.v - 1) / (scale - 1) * w;
		a = a < 0 ? 0 : a > w ? w : a;
		b = b < a ? a : b > w ? w : b;
		if (b - a < 2) {
			a = a > 1 ? a - 1 : 0;
			b = a + 2;
		}
		sb_printf(&p->b,
			  "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"6\" "
			  "fill=\"" COL_ACCENT_MID "\"/>",
			  a, b - a);
	}
	if (k->rank > 0 && scale > 1) {
		a = (k->rank - 1) / (scale - 1) * w;
		sb_printf(&p->b, "<circle cx=\"%.1f\" cy=\"5\" r=\"3\" fill=\"" COL_ACCENT "\"/>",
			  a < 3	      ? 3
			  : a > w - 3 ? w - 3
				      : a);
	}
	raw(p, "</svg></td>");
}

/* Rows first..last-1 of the ranking; agreement pages are under `agr`. */
static void rank_table(struct page *p, int first, int last, const char *caption, const char *agr)
{
	const struct scorecard *sc = p->sc;
	double scale = lbl_rank_scale(sc);
	char buf[CELL];
	int i;

	table_open(p, "t-rank", caption);
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Pos.", "Rank"), 1);
	th_col(p, tr(p, "Accordo", "Agreement"), 0);
	th_col(p, tr(p, "Codice", "Code"), 0);
	th_col(p, tr(p, "Indice", "Index"), 1);
	th_col(p, tr(p, "Posizioni 5°–95° percentile", "Ranks 5th–95th percentile"), 1);
	th_col(p, tr(p, "Grafico: posizione e intervallo", "Chart: rank and range"), 0);
	raw(p, "</tr></thead><tbody>\n");
	for (i = first; i < last; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		raw(p, "<tr>");
		check(p, lbl_rank(k, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		raw(p, "<th scope=\"row\">");
		if (k->agreement_code) {
			raw(p, "<a href=\"");
			raw(p, agr);
			sb_url(&p->b, k->agreement_code);
			raw(p, ".html\">");
			text(p, k->agreement_title ? k->agreement_title : k->agreement_code);
			raw(p, "</a>");
		} else {
			text(p, k->agreement_title ? k->agreement_title : fmt_null);
		}
		raw(p, "</th>");
		td(p, k->agreement_code ? k->agreement_code : fmt_null, 0);
		check(p, lbl_score(k->index, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		check(p, lbl_rank_range(k, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		range_bar(p, k, scale);
		raw(p, "</tr>\n");
	}
	table_close(p);
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

	sb_printf(&p->b, "<nav class=\"pages\" aria-label=\"%s\"><ul>",
		  tr(p, "Pagine della classifica", "Ranking pages"));
	for (i = 1; i <= n; i++) {
		int show = i == 1 || i == n ||
			   (current > 0 && i >= current - 3 && i <= current + 3) ||
			   (current == 0 && i <= 5);

		if (!show) {
			if (i == 2 || i == n - 1)
				raw(p, "<li aria-hidden=\"true\">…</li>");
			continue;
		}
		if (i == current)
			sb_printf(&p->b, "<li><b>%s %d</b><span class=\"vh\"> (%s)</span></li>",
				  tr(p, "pagina", "page"), i, tr(p, "questa pagina", "this page"));
		else
			sb_printf(&p->b, "<li><a href=\"%s%d.html\">%s %d</a></li>", prefix, i,
				  tr(p, "pagina", "page"), i);
	}
	raw(p, "</ul></nav>\n");
}

static void ranking(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char cap[2 * CELL], a[CELL], b[CELL];
	int top = sc->n_ranks < REP_HTML_TOP ? sc->n_ranks : REP_HTML_TOP;

	sb_printf(&p->b, "<section aria-labelledby=\"h-rank\"><h2 id=\"h-rank\">%s</h2>\n",
		  tr(p, "Accordi per indice", "Agreements ranked by index"));
	if (sc->n_ranks == 0 || !sc->ranks) {
		elem(p, "<p>", tr(p, "Nessun accordo nel periodo.", "No agreement in the period."),
		     "</p>\n</section>\n");
		return;
	}
	elem(p, "<p>",
	     tr(p, "Posizione e sua variabilità al variare dei pesi (5°–95° percentile).",
		"Rank and how it varies as the weights vary (5th–95th percentile)."),
	     "</p>\n");
	check(p, fmt_number(top, 0, p->loc, a, sizeof(a)));
	check(p, fmt_number(sc->n_ranks, 0, p->loc, b, sizeof(b)));
	lbl_say(cap, sizeof(cap), "%s %s %s %s", tr(p, "I primi", "The first"), a,
		tr(p, "accordi per indice, su", "agreements by index, of"), b);
	rank_table(p, 0, top, cap, "agreements/");
	elem(p, "<p>",
	     tr(p, "La classifica completa, con ogni accordo:",
		"The whole ranking, with every agreement:"),
	     "</p>\n");
	pages_nav(p, "ranking/", 0);
	raw(p, "</section>\n");
}

/* --- policy: territories ------------------------------------------------------------------- */

/* A territory's figure in the unit of the catalogue indicator id. */
static void territory_cell(struct page *p, struct sc_num v, enum cat_id id)
{
	char buf[CELL];

	check(p, fmt_value(v, cat_indicators[id].unit, p->loc, buf, sizeof(buf)));
	td(p, buf, 1);
}

static void territories(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], d[CELL];
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-terr\"><h2 id=\"h-terr\">%s</h2>\n",
		  tr(p, "Territori", "Neighbourhoods"));
	check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	if (sc->n_territories == 0 || !sc->territories) {
		lbl_say(buf, sizeof(buf), "%s %s.",
			tr(p, "Nessun quartiere coperto da un accordo al",
			   "No neighbourhood covered by an agreement as of"),
			d);
		elem(p, "<p>", buf, "</p>\n</section>\n");
		return;
	}
	elem(p, "<p>",
	     tr(p,
		"Ogni quartiere coperto da un accordo, con le cifre della sua scheda; "
		"«—» dove la cifra manca o è trattenuta per riservatezza.",
		"Every neighbourhood an agreement covers, with the figures of its own "
		"scorecard; “—” where a figure is missing or withheld for confidentiality."),
	     "</p>\n");
	lbl_say(buf, sizeof(buf), "%s %s",
		tr(p, "Quartieri coperti al", "Neighbourhoods covered as of"), d);
	table_open(p, "t-terr", buf);
	raw(p, "<thead><tr>");
	th_col(p, tr(p, "Quartiere", "Neighbourhood"), 0);
	th_col(p, tr(p, "Codice", "Code"), 0);
	th_col(p, tr(p, "Popolazione", "Population"), 1);
	th_col(p, tr(p, "Accordi", "Agreements"), 1);
	th_col(p, cat_label(&cat_indicators[IND_OUT_PARTICIPANTS], p->loc), 1);
	th_col(p, cat_label(&cat_indicators[IND_OUT_PARTICIPATION_RATE], p->loc), 1);
	th_col(p, cat_label(&cat_indicators[IND_SOC_QUALITY_OF_LIFE_CHANGE], p->loc), 1);
	th_col(p, tr(p, "Indice", "Index"), 1);
	raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < sc->n_territories; i++) {
		const struct sc_territory *t = &sc->territories[i];

		raw(p, "<tr><th scope=\"row\">");
		if (t->code) {
			raw(p, "<a href=\"");
			raw(p, p->root);
			raw(p, "neighbourhoods/");
			sb_url(&p->b, t->code);
			raw(p, ".html\">");
		}
		text(p, t->name ? t->name : t->code ? t->code : fmt_null);
		if (t->code)
			raw(p, "</a>");
		raw(p, "</th>");
		td(p, t->code ? t->code : fmt_null, 0);
		check(p, fmt_number((double)t->population, 0, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		check(p, fmt_number(t->agreements, 0, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		territory_cell(p, t->participants, IND_OUT_PARTICIPANTS);
		territory_cell(p, t->participation_rate, IND_OUT_PARTICIPATION_RATE);
		territory_cell(p, t->quality_of_life_change, IND_SOC_QUALITY_OF_LIFE_CHANGE);
		check(p, lbl_score(t->index, p->loc, buf, sizeof(buf)));
		td(p, buf, 1);
		raw(p, "</tr>\n");
	}
	table_close(p);
	raw(p, "</section>\n");
}

/* --- every level: qualitative evidence ------------------------------------------------------ */

/* Writes a summary as written: each line escaped, line breaks kept as <br>
 * (a carriage return before one dropped). */
static void summary_text(struct page *p, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
		char *line = strndup(s, k);

		if (!line) {
			p->b.oom = 1;
			return;
		}
		text(p, line);
		free(line);
		if (!s[n])
			break;
		raw(p, "<br>\n");
		s += n + 1;
	}
}

static void evidence(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL], d[CELL], n[CELL];
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-evid\"><h2 id=\"h-evid\">%s</h2>\n",
		  tr(p, "Evidenze qualitative", "Qualitative evidence"));
	check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	check(p, fmt_number((double)sc->evidence_total, 0, p->loc, n, sizeof(n)));
	lbl_say(buf, sizeof(buf), "%s %s: %s. %s",
		tr(p, "Evidenze registrate fino al", "Evidence recorded up to"), d, n,
		sc->n_evidence > 0 ? tr(p, "Quelle del periodo, dalla più recente:",
					"The period's, newest first:")
				   : tr(p, "Nessuna nel periodo.", "None in the period."));
	elem(p, "<p>", buf, "</p>\n");
	elem(p, "<p>", lbl_evidence_note(p->loc), "</p>\n");
	if (sc->n_evidence == 0 || !sc->evidence) {
		raw(p, "</section>\n");
		return;
	}
	raw(p, "<ul class=\"evidence\">\n");
	for (i = 0; i < sc->n_evidence; i++) {
		const struct sc_evidence *e = &sc->evidence[i];

		elem(p, "<li><h3>", e->title ? e->title : fmt_null, "</h3>\n");
		check(p, fmt_date(e->recorded_on, FMT_DATE_LONG, p->loc, d, sizeof(d)));
		lbl_say(buf, sizeof(buf), "%s · %s", lbl_evidence_kind(e->kind, p->loc), d);
		if (known(e->participants)) {
			check(p, fmt_number(e->participants.v, 0, p->loc, n, sizeof(n)));
			lbl_append(buf, sizeof(buf), " · %s %s", n,
				   e->participants.v == 1 ? tr(p, "partecipante", "participant")
							  : tr(p, "partecipanti", "participants"));
		}
		if (e->agreement_code)
			lbl_append(buf, sizeof(buf), " · %s %s", tr(p, "accordo", "agreement"),
				   e->agreement_code);
		if (e->neighbourhood_code)
			lbl_append(buf, sizeof(buf), " · %s %s",
				   tr(p, "quartiere", "neighbourhood"), e->neighbourhood_code);
		if (e->code)
			lbl_append(buf, sizeof(buf), " · %s", e->code);
		elem(p, "<p class=\"meta\">", buf, "</p>\n");
		if (e->summary && e->summary[0]) {
			raw(p, "<p class=\"summary\">");
			summary_text(p, e->summary);
			raw(p, "</p>\n");
		}
		raw(p, "</li>\n");
	}
	raw(p, "</ul>\n</section>\n");
}

/* --- notes ----------------------------------------------------------------------------------- */

static void notes(struct page *p)
{
	const struct scorecard *sc = p->sc;
	int i;

	sb_printf(&p->b, "<section aria-labelledby=\"h-notes\"><h2 id=\"h-notes\">%s</h2>\n",
		  tr(p, "Note di metodo", "Notes on method"));
	if (sc->n_notes == 0 && !sc->snapshot) {
		elem(p, "<p>", tr(p, "Nessuna nota.", "No note."), "</p></section>\n");
		return;
	}
	raw(p, "<ul>");
	for (i = 0; i < sc->n_notes; i++) {
		char note[NOTES_SIZE];

		notes_text(sc, sc->notes[i], note, sizeof(note));
		elem(p, "<li>", note, "</li>\n");
	}
	if (sc->snapshot) {
		char buf[4 * CELL];

		lbl_say(buf, sizeof(buf), "%s: %s", tr(p, "Istantanea dei dati", "Data snapshot"),
			sc->snapshot);
		elem(p, "<li>", buf, "</li>\n");
	}
	raw(p, "</ul></section>\n");
}

/* --- pages ------------------------------------------------------------------------------------ */

static int finish(struct page *p, char **out)
{
	if (p->b.oom) {
		free(p->b.p);
		return err_set(ERR_FAIL, "HTML: out of memory");
	}
	if (p->rc < 0) {
		free(p->b.p);
		return p->rc;
	}
	*out = p->b.p;
	return 0;
}

int rep_html_render(const struct scorecard *sc, char **out)
{
	return rep_html_render_rev(sc, NULL, out);
}

int rep_html_render_rev(const struct scorecard *sc, const struct rep_html_revision *rev, char **out)
{
	struct page p;
	char title[4 * CELL];

	memset(&p, 0, sizeof(p));
	p.sc = sc;
	p.rev = rev;
	p.loc = sc->locale;
	p.root = sc->level == CAT_POLICY ? "" : "../";
	title_of(&p, NULL, title, sizeof(title));
	head(&p, title);
	page_header(&p, NULL);
	tiles(&p);
	scores(&p);
	trends(&p);
	indicators(&p);
	if (sc->level == CAT_AGREEMENT) {
		ex_ante(&p);
		projects(&p);
		milestones(&p);
	} else if (sc->level == CAT_POLICY) {
		ranking(&p);
		territories(&p);
	}
	evidence(&p);
	notes(&p);
	page_footer(&p);
	return finish(&p, out);
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
	char title[4 * CELL], cap[2 * CELL], a[CELL], b[CELL], c[CELL];

	if (page < 1 || page > n)
		return err_set(ERR_FAIL, "ranking page %d of %d", page, n);
	memset(&p, 0, sizeof(p));
	p.sc = sc;
	p.loc = sc->locale;
	p.root = "../";
	p.rev = rev;
	first = (page - 1) * REP_HTML_RANKS_PER_PAGE;
	last = first + REP_HTML_RANKS_PER_PAGE < sc->n_ranks ? first + REP_HTML_RANKS_PER_PAGE
							     : sc->n_ranks;
	check(&p, fmt_number(page, 0, p.loc, a, sizeof(a)));
	check(&p, fmt_number(n, 0, p.loc, b, sizeof(b)));
	lbl_say(cap, sizeof(cap), "%s (%s %s %s %s)",
		tr(&p, "Accordi per indice", "Agreements ranked by index"),
		tr(&p, "pagina", "page"), a, tr(&p, "di", "of"), b);
	title_of(&p, cap, title, sizeof(title));
	head(&p, title);
	page_header(&p, cap);
	elem(&p, "<p>",
	     tr(&p, "Posizione e sua variabilità al variare dei pesi (5°–95° percentile).",
		"Rank and how it varies as the weights vary (5th–95th percentile)."),
	     "</p>\n");
	pages_nav(&p, "", page);
	check(&p, fmt_number(first + 1, 0, p.loc, a, sizeof(a)));
	check(&p, fmt_number(last, 0, p.loc, b, sizeof(b)));
	check(&p, fmt_number(sc->n_ranks, 0, p.loc, c, sizeof(c)));
	lbl_say(cap, sizeof(cap), "%s %s–%s %s %s",
		tr(&p, "Accordi per indice", "Agreements by index"), a, b, tr(&p, "di", "of"), c);
	rank_table(&p, first, last, cap, "../agreements/");
	page_footer(&p);
	return finish(&p, out);
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
