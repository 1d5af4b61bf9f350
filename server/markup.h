/* markup: what the server's own HTML pages (page.h) share: their words in
 * the two locales, their inline stylesheet, HTML escaping, the search form,
 * the links to a scorecard's PDF and JSON, and the text stream a page is
 * written into. */
#ifndef CR_MARKUP_H
#define CR_MARKUP_H

#include "api.h"

#include <stdio.h>

/* The page's words in the two locales. */
struct markup_words {
	const char *lang, *title, *lead, *empty, *quarter, *meta, *policy_card, *agreements,
		*earlier, *footer, *api, *more, *next, *back, *html, *revisions;
	/* the search form and its results */
	const char *search, *search_label, *search_policy_label, *search_title, *search_hint,
		*search_none, *search_one, *search_many, *search_more, *search_no_page;
};

/* The inline stylesheet of every page. */
extern const char markup_style[];

/* The words of `locale` (Italian unless "en"). */
const struct markup_words *markup_words_of(const char *locale);

/* Writes one of the words that are printf formats (quarter, meta, more)
 * with its arguments. */
void markup_printf(FILE *f, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Writes `s` with the five HTML-special characters escaped, for text and
 * for quoted attribute values alike. NULL writes nothing. */
void markup_escaped(FILE *f, const char *s);

/* The search form (GET, no script): `action` is the address of /search
 * relative to the page, `policy` (or NULL) limits it to one policy, `value`
 * (or NULL) is the text searched for last. */
void markup_search_form(FILE *f, const struct markup_words *w, const char *action,
			const char *policy, const char *value);

/* "<a>PDF</a><a>JSON</a>" for the scorecards of `code` (kind "policies" or
 * "agreements") for `period`, of `revision` (NULL: the latest), the
 * addresses relative to the page through `prefix`. */
void markup_links(FILE *f, const char *prefix, const char *kind, const char *code,
		  const char *period, const char *revision);

/* "revisione N, pubblicata il <long date>" in the locale. */
void markup_meta(FILE *f, const struct markup_words *w, const char *locale, const char *revision,
		 const char *iso);

/* Writes a page with put(f, arg) into memory and makes it the body *out
 * (text/html; charset=utf-8, with its hash). Returns 0 or ERR_FAIL. */
int markup_render(void (*put)(FILE *f, const void *arg), const void *arg, struct api_body *out);

#endif
