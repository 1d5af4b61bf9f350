/* route: what a request target asks for (the resources of http.h).
 *
 * Pure: a path (already percent-decoded, see http.c) and its query
 * arguments in, a struct target or an error out; no connection, no
 * database. Every part of a path is checked here, so that everything
 * behind it receives valid codes and periods (api.h). */
#ifndef CR_ROUTE_H
#define CR_ROUTE_H

#include "api.h"
#include "page.h"

#include <stddef.h>

/* What a request asks for, once its path is checked. */
struct target {
	enum {
		T_PAGE,
		T_PERIOD_PAGE,
		T_POLICIES,
		T_PERIODS,
		T_AGREEMENTS,
		T_SCORECARD,
		T_OPENAPI,
		T_POLICY_PAGE, /* /{policy}/: its revisions */
		T_STORED,      /* a stored page of a revision (revision_page) */
		T_SEARCH,      /* /search?q=TEXT[&policy=CODE] */
		T_REDIRECT     /* to `location` */
	} kind;
	enum api_level level;
	int neighbourhood; /* T_SCORECARD of a neighbourhood: code, of policy `policy` */
	enum api_format format;
	char code[65];
	char policy[65];
	char period[8];
	int revision;	    /* 0: the latest */
	char after[65];	    /* a listing's cursor: a period or a code; "" for the first page */
	int limit;	    /* a listing's page size */
	char path[96];	    /* T_STORED: the page's path in its revision */
	char location[160]; /* T_REDIRECT: where to, relative to the request */
	char query[4 * PAGE_SEARCH_MAX + 1]; /* T_SEARCH: the text, trimmed */
};

/* Looks up the query argument `name`: returns 1 when the request has it,
 * with *value its decoded value (NULL for a name without "="), or 0 when
 * it does not (*value NULL). */
typedef int (*route_arg_fn)(void *ctx, const char *name, const char **value);

/* Maps `url` (the decoded path, from its leading "/") and the query
 * arguments that `arg` looks up (with `ctx`) onto *t, which must start
 * zeroed. Returns 0, ERR_USAGE (malformed: not UTF-8, a "." or ".."
 * segment, a bad code, period, revision, cursor, limit or search text),
 * ERR_NOTFOUND (no such resource) or ERR_FAIL (out of memory); the message
 * (err_last) is the one the client receives. *t may be partly written on
 * failure. */
int route_parse(const char *url, route_arg_fn arg, void *ctx, struct target *t);

/* Writes the cache key of a target: every part of it that changes the
 * answer (truncated to `size`). */
void route_key(const struct target *t, char *key, size_t size);

/* Whether an Accept-Encoding header value (RFC 9110, 12.5.3; NULL when the
 * request has none) lets the answer be gzip-compressed: 1 when it names
 * gzip or x-gzip, or "*" without naming them, with a weight other than 0;
 * else 0. */
int route_accepts_gzip(const char *accept_encoding);

#endif
