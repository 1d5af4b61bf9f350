/* page: the HTML page for the city council (GET /): every policy with
 * published scorecards, its published periods newest first, and for each
 * period the latest revision's documents (the policy's scorecard, then every
 * agreement's, each as PDF and JSON) and links to the earlier revisions.
 *
 * Lists are bounded: a period shows its first 50 agreements and links to
 * its own pages (page_period) for all of them.
 *
 * Read from the published revisions only, inside one snapshot, through a
 * connection running as cruscotto_web (see api.h). Each policy's section is
 * written in that policy's locale (Italian unless "en"); the page's own
 * words are Italian unless every policy is English. Every text from the
 * database is HTML-escaped. One self-contained document: a viewport meta,
 * an inline stylesheet that reads on a phone, no script, no external asset.
 * Links are relative ("api/v1/..."), so the page also works behind a proxy
 * that mounts the server under a prefix. */
#ifndef CR_PAGE_H
#define CR_PAGE_H

#include "api.h"

/* Renders the page (text/html; charset=utf-8, with its SHA-256). Returns 0
 * and *out, ERR_DB or ERR_FAIL. */
int page_render(db *c, struct api_body *out);

/* GET /periods/{policy}/{period}[?after=CODE&limit=N]: the agreements of
 * the period's latest revision, `limit` per page after the code `after`
 * (NULL: from the first), each with its PDF and JSON, and a link to the
 * next page; the main page links here when a period has more agreements
 * than it lists (50). Links are relative ("../../api/v1/..."). Returns 0
 * and *out, ERR_NOTFOUND (nothing published for the period), ERR_DB or
 * ERR_FAIL. */
int page_period(db *c, const char *policy, const char *period, const char *after, int limit,
		struct api_body *out);

/* GET /{policy}/: every published revision of the policy, periods newest
 * first, each period linking its latest stored pages ({period}/) and each
 * revision its own ({period}/revision/N/) and its PDF and JSON. Returns 0
 * and *out, ERR_NOTFOUND (nothing published), ERR_DB or ERR_FAIL. */
int page_policy(db *c, const char *policy, struct api_body *out);

/* The search of GET /search?q=TEXT[&policy=CODE], and its limits: at most
 * PAGE_SEARCH_MAX characters of text (the HTTP layer answers 400 beyond),
 * PAGE_SEARCH_RESULTS agreements listed. */
enum { PAGE_SEARCH_MAX = 100, PAGE_SEARCH_RESULTS = 50 };

/* GET /search: the agreements whose code or title holds `query` (trimmed,
 * valid UTF-8, at most PAGE_SEARCH_MAX characters; "" shows the form and a
 * hint), case-insensitively with accents as typed ("città" finds "CITTÀ",
 * not "citta"; schema 009_notify.sql: search_fold), % and _ taken as the
 * characters they are. Read from the published revisions only: each
 * agreement's latest published scorecard (its latest period's latest
 * revision), only `policy`'s when not NULL. The page lists up to
 * PAGE_SEARCH_RESULTS by code, each linking its stored page
 * (POLICY/PERIOD/agreements/CODE.html, relative to /) and its PDF and JSON,
 * says how many matched (or that more did), and repeats the form: a GET
 * form (role search, a label) that works without script, also on the
 * council's page (page_render) and a policy's (page_policy). Returns 0 and
 * *out, ERR_NOTFOUND (`policy` never published), ERR_DB or ERR_FAIL. */
int page_search(db *c, const char *policy, const char *query, struct api_body *out);

#endif
