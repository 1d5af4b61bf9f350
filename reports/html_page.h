/* html_page: what the HTML writers share (html.h is the public side). A
 * page is written into a growing string; the writers of its sections
 * (html_sections.c, html_charts.c, html_ranking.c) append markup through
 * the calls below and never fail on the spot: an out-of-memory sets
 * b.oom, a formatting error is kept in rc, and html_finish reports the
 * first of them. Internal to reports/: nothing outside includes it. */
#ifndef CR_HTML_PAGE_H
#define CR_HTML_PAGE_H

#include "html.h"
#include "labels.h"
#include "scorecard.h"

#include <stddef.h>

#define CELL LBL_CELL

/* Colours (also in the stylesheet): each meets 4.5:1 on white and on the
 * tiles' background, so that text and marks read at AA. */
#define COL_ACCENT "#1b3a6b"
#define COL_ACCENT_MID "#5a7bb0"
#define COL_ACCENT_LIGHT "#cdd9ec"
#define COL_GREY "#555d69"
#define COL_RULE "#c4c9d1"
#define COL_TRACK "#e7e9ed"

/* A growing string; oom is set once an allocation fails, and every later
 * append is then a no-op. */
struct sb {
	char *p;
	size_t len, cap;
	int oom;
};

/* The page being written. */
struct page {
	struct sb b;
	const struct scorecard *sc;
	const char *loc;
	const char *root;		     /* "" for the period folder, "../" one level below */
	const struct rep_html_revision *rev; /* NULL: not a published revision */
	int rc;				     /* the first formatting error */
};

/* Appends printf output: markup and numbers only, never data text
 * (html_text is for that); more than 1023 bytes sets oom. */
void __attribute__((format(printf, 2, 3))) html_sb_printf(struct sb *b, const char *fmt, ...);

/* Appends s percent-encoded for a path segment: all but A-Z a-z 0-9 - . _ ~. */
void html_sb_url(struct sb *b, const char *s);

/* Starts page p of sc, its files `root` ("" or "../") away from the
 * period folder, with revision rev's line (NULL: none). */
void html_page_init(struct page *p, const struct scorecard *sc, const char *root,
		    const struct rep_html_revision *rev);

/* A known number v. */
struct sc_num html_num(double v);

/* Whether v is set and finite. */
int html_known(struct sc_num v);

/* The page's locale's text of a sentence: it or en. */
const char *html_tr(const struct page *p, const char *it, const char *en);

/* Remembers the first error (rc < 0) of a formatting call; the page goes on
 * and is thrown away at the end. A failed formatter leaves its buffer as it
 * was, so the writers start every buffer empty. */
void html_check(struct page *p, int rc);

/* Appends data text, escaped: & < > " ' as entities; invalid UTF-8,
 * surrogates and noncharacters as U+FFFD; control characters (but tab and
 * newline) as a space. */
void html_text(struct page *p, const char *s);

/* Appends markup as it is. */
void html_raw(struct page *p, const char *s);

/* Appends open, s escaped, close: <tag attrs>text</tag>. */
void html_elem(struct page *p, const char *open, const char *s, const char *close);

/* The stylesheet's class of a status: "s-green", "s-amber", "s-red", "s-none". */
const char *html_status_class(enum sc_status s);

/* A status cell: the mark (hidden from screen readers) and the word
 * (NULL: the status's own word). */
void html_status_cell(struct page *p, enum sc_status s, const char *word);

/* Opens a scrolling, keyboard-reachable region around a table whose
 * caption has the id `id`; html_table_close closes its body, table and region. */
void html_table_open(struct page *p, const char *id, const char *caption);
void html_table_close(struct page *p);

/* A column of a table's head: its heading in Italian and English (en NULL:
 * `it` is a catalogue indicator's code, and its label heads the column),
 * and whether its cells are numeric (right-aligned). */
struct html_col {
	const char *it, *en;
	int numeric;
};

/* html_table_open, then the head row of the n columns cols; the body's rows
 * follow, and html_table_close ends it. */
void html_table_head(struct page *p, const char *id, const char *caption,
		     const struct html_col *cols, int n);

/* The arguments cols, n of html_table_head for an array of columns. */
#define HTML_COLS(cols) (cols), (int)(sizeof(cols) / sizeof((cols)[0]))

/* Opens a section headed by an h2 (id "h-<id>") in the page's locale. */
void html_section_open(struct page *p, const char *id, const char *it, const char *en);

/* Ends a section that has nothing to show with a paragraph saying so. */
void html_section_empty(struct page *p, const char *s);

/* Opens a link to the page of `code` in folder `folder` ("agreements/",
 * "neighbourhoods/") of the period, from where p stands. */
void html_link_open(struct page *p, const char *folder, const char *code);

/* A column heading, and a data cell (numeric: right-aligned). */
void html_th_col(struct page *p, const char *s, int numeric);
void html_td(struct page *p, const char *s, int numeric);

/* The subject of the page: the agreement's title, the neighbourhood's
 * name or the policy's name. */
const char *html_subject(const struct scorecard *sc);

/* The document's title: "WHAT — subject — period" (what NULL: "Evaluation
 * scorecard"). */
void html_title_of(const struct page *p, const char *what, char *buf, size_t size);

/* From the doctype to the skip link, titled `title`. */
void html_head(struct page *p, const char *title);

/* The title block: kicker, documents, revision, h1 (h1_prefix ": "
 * before the subject, or none), facts, period and as-of date. */
void html_page_header(struct page *p, const char *h1_prefix);

/* Closes main, and writes the footer and the end of the document. */
void html_page_footer(struct page *p);

/* Hands the page over: 0 and *out (the caller frees), or the first error
 * (the page is freed, *out untouched). */
int html_finish(struct page *p, char **out);

/* The sections of a scorecard's own page, in their order on it. */
void html_tiles(struct page *p);       /* headline figures */
void html_scores(struct page *p);      /* index and dimension scores (SVG, table) */
void html_trends(struct page *p);      /* trend charts (SVG) and their figures */
void html_indicators(struct page *p);  /* legend and one table per dimension */
void html_ex_ante(struct page *p);     /* agreement: ex-ante evaluation */
void html_projects(struct page *p);    /* agreement: projects and budget */
void html_milestones(struct page *p);  /* agreement: every milestone */
void html_ranking(struct page *p);     /* policy: the first REP_HTML_TOP ranks */
void html_territories(struct page *p); /* policy: the neighbourhoods */
void html_evidence(struct page *p);    /* qualitative evidence */
void html_notes(struct page *p);       /* method notes and data snapshot */

#endif
