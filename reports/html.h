/* html: a scorecard as accessible HTML pages for the council, with the
 * content of the PDF (pdf.h) in the same words and number formats
 * (labels.h, format.h).
 *
 * Pages of one run, relative to DIR/<policy>/<period>/:
 *     index.html                 the policy scorecard; its ranking shows the
 *                                best REP_HTML_TOP agreements and links
 *     ranking/<k>.html           the whole ranking, REP_HTML_RANKS_PER_PAGE
 *                                agreements a page, k = 1, 2, ...
 *     agreements/<code>.html     an agreement scorecard
 *     neighbourhoods/<code>.html a neighbourhood scorecard (the territory
 *                                level), linked from the policy page's
 *                                neighbourhoods and linking the agreements
 *                                that cover it
 *     cruscotto.css              the one stylesheet every page links
 * Every page links its PDF and JSON (policy.pdf, agreements/<code>.pdf, ...)
 * and the stylesheet by relative address, so the folder reads the same
 * from disk and over HTTP.
 *
 * Content, in the scorecard's locale: the header (kicker, names, status,
 * neighbourhoods, lifecycle, period); the headline tiles; the index (and at
 * policy level its 5th-95th percentile range) and the five dimension scores
 * as an inline SVG bar chart and as a table; the trend of the index and of
 * sc_trend_ids as small SVG line charts, each with a text alternative
 * (<title>), and their figures as one table; the legend of the status
 * marks; one table per dimension (indicator, value, previous, change,
 * target, status as mark AND word, and n and 95% interval where the
 * dimension has survey figures); a suppressed value reads like the PDF's
 * ("soppresso") and links the explanation of its kind (primary: below
 * min_cell; secondary: withheld so that a primary one cannot be recovered),
 * its kind also in data-suppression; at agreement level the ex-ante
 * evaluation, the projects with their budgets and milestones, and every
 * milestone; at policy level the ranking with the rank ranges and the
 * neighbourhoods (population, covering agreements, participants,
 * participation rate, change in quality of life, index; null figures,
 * withheld ones included, as "—"); at neighbourhood level its code,
 * population and covering agreements in the header, and the indicators as
 * on the policy page; at every level the qualitative evidence of the period
 * (kind, date, title, participants, what it concerns, the summary with its
 * line breaks) and how much was recorded up to the period's end; the method
 * notes and the data snapshot.
 *
 * Accessibility by construction: lang on <html>; one h1 and headings in
 * order; every table has a caption, th with scope; the status is a shape
 * and a word, never a colour alone; colours meet WCAG AA contrast; a skip
 * link; focus always visible; wide tables scroll inside a focusable,
 * labelled region; no script at all; a print stylesheet. Pages carry no
 * inline style or script, so they work under a Content-Security-Policy of
 * default-src 'self' (SVG uses presentation attributes only).
 *
 * Safety: every text from the data is escaped (& < > " ' as entities),
 * invalid UTF-8 becomes U+FFFD and control characters a space; codes in
 * addresses are percent-encoded.
 *
 * Determinism: identical scorecards give identical bytes. */
#ifndef CR_HTML_H
#define CR_HTML_H

#include "pagemark.h"
#include "scorecard.h"

#include <stddef.h>

/* Agreements the policy page ranks before linking the ranking pages. */
#define REP_HTML_TOP 10
/* Agreements per ranking page. */
#define REP_HTML_RANKS_PER_PAGE 50

/* The stylesheet's file name, and its text (NUL-terminated). */
#define REP_HTML_CSS_NAME "cruscotto.css"
extern const char rep_html_css[];

/* A published revision, as its pages say it (engine/publish.c): a line
 * "Revisione N, pubblicata il DATE" under the header, linking `list`, the
 * address of the page that lists the period's revisions. Right after N the
 * line holds the comment REP_HTML_REVISIONS_MARK WORD
 * REP_HTML_REVISIONS_MARK_END (WORD "di" or "of", letters only): the stored
 * page cannot know how many revisions its period will have, so the server
 * replaces that comment with " WORD M" (M: the revisions published so far)
 * as it serves the page, and the line reads "Revisione 1 di 2, ...". Read
 * as stored (no server), the line reads "Revisione 1, ...". Data text never
 * holds "<!--": it is escaped. */
struct rep_html_revision {
	int number;
	const char *published; /* e.g. "2026-11-30 10:15 UTC" */
	const char *list;      /* e.g. "/SOC/" (escaped here) */
};

/* Renders sc's own page: the policy page (index.html) or an agreement page
 * (agreements/<code>.html). Returns 0 and *out (NUL-terminated, caller
 * frees with free), or ERR_FAIL (a malformed date in the model, out of
 * memory); *out is written only on success. */
int rep_html_render(const struct scorecard *sc, char **out);

/* rep_html_render and rep_html_render_ranking with revision rev's line
 * (NULL: none, as in files). */
int rep_html_render_rev(const struct scorecard *sc, const struct rep_html_revision *rev,
			char **out);
int rep_html_render_ranking_rev(const struct scorecard *sc, int page,
				const struct rep_html_revision *rev, char **out);

/* How many ranking pages a policy scorecard has: 0 when it ranks nothing
 * (or is not a policy scorecard). */
int rep_html_ranking_pages(const struct scorecard *sc);

/* Renders ranking page `page` (1 to rep_html_ranking_pages) of a policy
 * scorecard. Returns 0 and *out (caller frees), ERR_FAIL otherwise. */
int rep_html_render_ranking(const struct scorecard *sc, int page, char **out);

/* Writes "ranking/<page>.html" into buf. Returns 0 or ERR_FAIL. */
int rep_html_ranking_relpath(int page, char *buf, size_t size);

/* Writes the path of sc's own page into buf: "index.html" (policy),
 * "agreements/<code>.html", "neighbourhoods/<code>.html". Returns 0, or
 * ERR_FAIL (a code that is not a safe name, or it does not fit). */
int rep_html_relpath(const struct scorecard *sc, char *buf, size_t size);

struct rep_files_tx;

/* Adds sc's pages to a run's files (files.h): an agreement's page, or the
 * policy's page with its ranking pages and the stylesheet. Returns 0 or
 * ERR_FAIL (rendering, or an agreement code that is not a safe name). */
int rep_html_add(struct rep_files_tx *tx, const struct scorecard *sc);

#endif
