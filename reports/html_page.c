/* html_page: the page being written (html_page.h): a growing string with
 * HTML escaping and percent-encoding, the small writers every section uses,
 * and the frame of every page (head, header, footer). */
#include "html_page.h"

#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- a growing string --------------------------------------------------------------- */

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

void html_sb_printf(struct sb *b, const char *fmt, ...)
{
	char tmp[1024] = "";
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
void html_sb_url(struct sb *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");

	for (; *u; u++) {
		if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') ||
		    (*u >= '0' && *u <= '9') || *u == '-' || *u == '.' || *u == '_' || *u == '~')
			sb_putn(b, (const char *)u, 1);
		else
			html_sb_printf(b, "%%%02X", *u);
	}
}

/* --- the page being written ---------------------------------------------------------- */

void html_page_init(struct page *p, const struct scorecard *sc, const char *root,
		    const struct rep_html_revision *rev)
{
	memset(p, 0, sizeof(*p));
	p->sc = sc;
	p->loc = sc->locale;
	p->root = root;
	p->rev = rev;
}

struct sc_num html_num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

int html_known(struct sc_num v)
{
	return v.set && isfinite(v.v);
}

const char *html_tr(const struct page *p, const char *it, const char *en)
{
	return lbl_tr(p->loc, it, en);
}

/* Remembers the first error of a formatting call; the page goes on. */
void html_check(struct page *p, int rc)
{
	if (rc < 0 && p->rc == 0)
		p->rc = rc;
}

void html_text(struct page *p, const char *s)
{
	sb_esc(&p->b, s);
}

void html_raw(struct page *p, const char *s)
{
	sb_puts(&p->b, s);
}

/* <tag attrs>escaped text</tag> */
void html_elem(struct page *p, const char *open, const char *s, const char *close)
{
	html_raw(p, open);
	html_text(p, s);
	html_raw(p, close);
}

const char *html_status_class(enum sc_status s)
{
	return s == ST_GREEN   ? "s-green"
	       : s == ST_AMBER ? "s-amber"
	       : s == ST_RED   ? "s-red"
			       : "s-none";
}

/* The mark (hidden from screen readers: the word says it) and the word. */
void html_status_cell(struct page *p, enum sc_status s, const char *word)
{
	html_raw(p, "<td><span class=\"mk ");
	html_raw(p, html_status_class(s));
	html_raw(p, "\" aria-hidden=\"true\">");
	html_raw(p, fmt_status_mark(s));
	html_raw(p, "</span>");
	/* No status is the dash alone, as in the other outputs; its word is
	 * there for screen readers. */
	if (s == ST_NONE && !word)
		html_elem(p, "<span class=\"vh\">", fmt_status_word(s, p->loc), "</span>");
	else
		html_text(p, word ? word : fmt_status_word(s, p->loc));
	html_raw(p, "</td>");
}

/* Opens a scrolling, keyboard-reachable region around a table whose
 * caption has the id `id`. */
void html_table_open(struct page *p, const char *id, const char *caption)
{
	html_sb_printf(&p->b,
		       "<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
		       "aria-labelledby=\"%s\"><table><caption id=\"%s\">",
		       id, id);
	html_text(p, caption);
	html_raw(p, "</caption>\n");
}

void html_table_close(struct page *p)
{
	html_raw(p, "</tbody></table></div>\n");
}

void html_table_head(struct page *p, const char *id, const char *caption,
		     const struct html_col *cols, int n)
{
	int i;

	html_table_open(p, id, caption);
	html_raw(p, "<thead><tr>");
	for (i = 0; i < n; i++) {
		/* a column without English words is headed by the label of the
		 * catalogue indicator its `it` names */
		const struct cat_indicator *ind = cols[i].en ? NULL : cat_find(cols[i].it);

		html_th_col(p,
			    cols[i].en ? html_tr(p, cols[i].it, cols[i].en)
			    : ind      ? rep_label(ind, p->loc)
				       : cols[i].it,
			    cols[i].numeric);
	}
	html_raw(p, "</tr></thead><tbody>\n");
}

void html_section_open(struct page *p, const char *id, const char *it, const char *en)
{
	html_sb_printf(&p->b, "<section aria-labelledby=\"h-%s\"><h2 id=\"h-%s\">%s</h2>\n", id, id,
		       html_tr(p, it, en));
}

void html_section_empty(struct page *p, const char *s)
{
	html_elem(p, "<p>", s, "</p>\n</section>\n");
}

void html_link_open(struct page *p, const char *folder, const char *code)
{
	html_raw(p, "<a href=\"");
	html_raw(p, p->root);
	html_raw(p, folder);
	html_sb_url(&p->b, code);
	html_raw(p, ".html\">");
}

void html_th_col(struct page *p, const char *s, int numeric)
{
	html_raw(p, numeric ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">");
	html_text(p, s);
	html_raw(p, "</th>");
}

void html_td(struct page *p, const char *s, int numeric)
{
	html_raw(p, numeric ? "<td class=\"n\">" : "<td>");
	html_text(p, s);
	html_raw(p, "</td>");
}

/* --- head, header, footer ----------------------------------------------------------- */

/* The subject of the page: the agreement's title or the policy's name. */
const char *html_subject(const struct scorecard *sc)
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

	html_sb_printf(&p->b, "<nav class=\"docs\" aria-label=\"%s\"><ul>",
		       html_tr(p, "Documenti e navigazione", "Documents and navigation"));
	if (sc->level != CAT_POLICY || strcmp(page_root, "") != 0) {
		html_raw(p, "<li><a href=\"");
		html_raw(p, page_root);
		html_raw(p, "index.html\">");
		html_text(p, html_tr(p, "Cruscotto della politica", "Policy scorecard"));
		html_raw(p, "</a></li>");
	}
	for (i = 0; i < 2; i++) {
		html_raw(p, "<li><a href=\"");
		if (sc->level == CAT_AGREEMENT && strcmp(page_root, "../") == 0 &&
		    sc->agreement_code) {
			html_sb_url(&p->b, sc->agreement_code);
		} else if (sc->level == CAT_NEIGHBOURHOOD && sc->neighbourhood.code) {
			html_sb_url(&p->b, sc->neighbourhood.code);
		} else {
			html_raw(p, page_root);
			html_raw(p, "policy");
		}
		html_sb_printf(&p->b, ".%s\" type=\"application/%s\">%s %s</a></li>", ext[i],
			       ext[i], html_tr(p, "Scarica in", "Download as"), i ? "JSON" : "PDF");
	}
	html_raw(p, "</ul></nav>\n");
}

void html_head(struct page *p, const char *title)
{
	html_raw(p, "<!DOCTYPE html>\n<html lang=\"");
	html_raw(p, fmt_is_en(p->loc) ? "en" : "it");
	html_raw(p, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	html_text(p, title);
	html_raw(p, "</title>\n<link rel=\"stylesheet\" href=\"");
	html_raw(p, p->root);
	html_raw(p, REP_HTML_CSS_NAME "\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
	html_text(p, html_tr(p, "Salta al contenuto", "Skip to content"));
	html_raw(p, "</a>\n");
}

void html_title_of(const struct page *p, const char *what, char *buf, size_t size)
{
	const struct scorecard *sc = p->sc;

	if (what)
		lbl_say(buf, size, "%s — %s — %s", what, html_subject(sc), sc->period);
	else
		lbl_say(buf, size, "%s — %s — %s",
			html_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
			html_subject(sc), sc->period);
}

/* A neighbourhood's facts under its name: code, population, and the
 * agreements covering it, each linking its page. */
static void neighbourhood_facts(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", n[CELL] = "";
	int i;

	html_check(p, fmt_number((double)sc->neighbourhood.population, 0, p->loc, n, sizeof(n)));
	lbl_say(buf, sizeof(buf), "%s %s · %s: %s", html_tr(p, "Quartiere", "Neighbourhood"),
		sc->neighbourhood.code ? sc->neighbourhood.code : fmt_null,
		html_tr(p, "popolazione", "population"), n);
	html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
	if (sc->n_covering == 0 || !sc->covering) {
		lbl_say(buf, sizeof(buf), "%s: %s",
			html_tr(p, "Accordi che coprono il quartiere", "Agreements covering it"),
			html_tr(p, "nessuno", "none"));
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
		return;
	}
	lbl_say(buf, sizeof(buf),
		"%s:", html_tr(p, "Accordi che coprono il quartiere", "Agreements covering it"));
	html_elem(p, "<p class=\"meta\" id=\"covering\">", buf, "</p>\n");
	html_raw(p, "<ul class=\"covering\" aria-labelledby=\"covering\">");
	for (i = 0; i < sc->n_covering; i++) {
		const struct sc_covering *c = &sc->covering[i];

		html_raw(p, "<li>");
		if (c->code) {
			html_link_open(p, "agreements/", c->code);
		}
		html_text(p, c->title ? c->title : c->code ? c->code : fmt_null);
		if (c->code) {
			html_raw(p, "</a> <span class=\"sub-l\">");
			html_text(p, c->code);
			html_raw(p, "</span>");
		}
		html_raw(p, "</li>\n");
	}
	html_raw(p, "</ul>\n");
}

/* The title block: kicker, h1, facts, period and as-of date. */
void html_page_header(struct page *p, const char *h1_prefix)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", d[CELL] = "";
	int agreement = sc->level == CAT_AGREEMENT;

	html_raw(p, "<header class=\"top\"><div class=\"wrap\">\n");
	html_elem(p, "<p class=\"kicker\">", lbl_kicker(sc), "</p>\n");
	docs_nav(p, p->root);
	if (p->rev) {
		char n[CELL] = "";

		html_check(p, fmt_number(p->rev->number, 0, p->loc, n, sizeof(n)));
		lbl_say(buf, sizeof(buf), "%s %s", html_tr(p, "Revisione", "Revision"), n);
		html_raw(p, "<p class=\"meta revision\">");
		html_text(p, buf);
		/* how many revisions there are grows after publication: the server
		 * writes " di M" here as it serves the page (html.h) */
		html_raw(p, REP_HTML_REVISIONS_MARK);
		html_raw(p, html_tr(p, "di", "of"));
		html_raw(p, REP_HTML_REVISIONS_MARK_END);
		lbl_say(buf, sizeof(buf), ", %s %s", html_tr(p, "pubblicata il", "published on"),
			p->rev->published);
		html_text(p, buf);
		html_raw(p, " · <a href=\"");
		html_text(p, p->rev->list);
		html_raw(p, "\">");
		html_text(p, html_tr(p, "tutte le revisioni", "all revisions"));
		html_raw(p, "</a></p>\n");
	}
	html_raw(p, "</div></header>\n<main id=\"main\"><div class=\"wrap\">\n");
	if (agreement || sc->level == CAT_NEIGHBOURHOOD)
		html_elem(p, "<p class=\"meta\">", sc->policy_name ? sc->policy_name : fmt_null,
			  "</p>\n");
	html_raw(p, "<h1>");
	if (h1_prefix) {
		html_text(p, h1_prefix);
		html_raw(p, ": ");
	}
	html_text(p, html_subject(sc));
	html_raw(p, "</h1>\n");
	html_check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	lbl_say(buf, sizeof(buf), "%s · %s %s", sc->period, html_tr(p, "dati al", "data as of"), d);
	html_elem(p, "<p class=\"asof\">", buf, "</p>\n");
	if (agreement) {
		char nb[4 * CELL] = "";

		lbl_say(buf, sizeof(buf), "%s %s · %s: %s", html_tr(p, "Accordo", "Agreement"),
			sc->agreement_code ? sc->agreement_code : fmt_null,
			html_tr(p, "stato", "status"),
			fmt_agreement_status(sc->agreement_status, p->loc));
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
		lbl_neighbourhoods(sc, nb, sizeof(nb));
		lbl_say(buf, sizeof(buf), "%s: %s",
			sc->n_neighbourhoods == 1 ? html_tr(p, "Quartiere", "Neighbourhood")
						  : html_tr(p, "Quartieri", "Neighbourhoods"),
			nb[0] ? nb : fmt_null);
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
		html_check(p, lbl_lifecycle(sc, nb, sizeof(nb)));
		lbl_say(buf, sizeof(buf), "%s: %s", html_tr(p, "Percorso", "Lifecycle"), nb);
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		neighbourhood_facts(p);
	} else {
		lbl_say(buf, sizeof(buf), "%s %s", html_tr(p, "Politica", "Policy"),
			sc->policy_code ? sc->policy_code : fmt_null);
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
	}
	html_check(p, lbl_period(sc, buf, sizeof(buf)));
	html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
}

void html_page_footer(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "";

	lbl_say(buf, sizeof(buf), "%s · %s · %s",
		html_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
		sc->policy_name ? sc->policy_name : fmt_null, sc->period);
	html_raw(p, "</div></main>\n<footer><div class=\"wrap\">");
	html_elem(p, "<p>", buf, "</p>");
	if (sc->snapshot) {
		lbl_say(buf, sizeof(buf), "%s: %s",
			html_tr(p, "Istantanea dei dati", "Data snapshot"), sc->snapshot);
		html_elem(p, "<p>", buf, "</p>");
	}
	html_raw(p, "</div></footer>\n</body>\n</html>\n");
}

int html_finish(struct page *p, char **out)
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
