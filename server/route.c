#include "route.h"

#include "code.h"
#include "err.h"
#include "utf8.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads "YYYY-Qn", "YYYY-Qn.json", "YYYY-Qn.pdf", "YYYY-Qn.csv" or
 * "YYYY-Qn.dcat.json" into t. */
static int parse_period_segment(const char *s, struct target *t)
{
	if (strlen(s) < 7 || strspn(s, "0123456789") != 4 || s[4] != '-' || s[5] != 'Q' ||
	    s[6] < '1' || s[6] > '4' || (s[7] && s[7] != '.'))
		return err_set(ERR_USAGE, "malformed period: expected YYYY-Qn (n from 1 to 4), "
					  "with .pdf for the PDF");
	if (strcmp(s + 7, "") == 0 || strcmp(s + 7, ".json") == 0)
		t->format = API_JSON;
	else if (strcmp(s + 7, ".pdf") == 0)
		t->format = API_PDF;
	else if (strcmp(s + 7, ".csv") == 0)
		t->format = API_CSV;
	else if (strcmp(s + 7, ".dcat.json") == 0)
		t->format = API_DCAT;
	else
		return err_set(ERR_NOTFOUND, "unknown format: scorecards are JSON or .pdf, "
					     "a policy's open data .csv or .dcat.json");
	memcpy(t->period, s, 7);
	t->period[7] = '\0';
	return 0;
}

/* Reads ?NAME=N, a positive integer up to `max`, into *out (left as it is
 * when absent). */
static int parse_number(route_arg_fn arg, void *ctx, const char *name, long max, int *out)
{
	const char *v = NULL;
	char *end;
	long n;

	if (!arg(ctx, name, &v))
		return 0;
	errno = 0;
	n = v && *v >= '1' && *v <= '9' ? strtol(v, &end, 10) : 0;
	if (n < 1 || n > max || errno || *end)
		return err_set(ERR_USAGE, "malformed %s: expected an integer from 1 to %ld", name,
			       max);
	*out = (int)n;
	return 0;
}

/* Reads ?revision=N: absent is 0 (the latest), else a positive integer. */
static int parse_revision(route_arg_fn arg, void *ctx, struct target *t)
{
	return parse_number(arg, ctx, "revision", INT32_MAX, &t->revision);
}

/* Reads a listing's ?limit=N and ?after=CURSOR (a period when `periods`,
 * else a code). */
static int parse_page(route_arg_fn arg, void *ctx, int periods, struct target *t)
{
	const char *v = NULL;
	int rc;

	t->limit = API_LIMIT_DEFAULT;
	rc = parse_number(arg, ctx, "limit", API_LIMIT_MAX, &t->limit);
	if (rc || !arg(ctx, "after", &v) || !v)
		return rc;
	if (periods ? strlen(v) != 7 || strspn(v, "0123456789") != 4 || v[4] != '-' ||
			      v[5] != 'Q' || v[6] < '1' || v[6] > '4'
		    : !code_valid(v))
		return err_set(ERR_USAGE, "malformed after: expected %s",
			       periods ? "a period YYYY-Qn"
				       : "a code of 1 to 64 of A-Z a-z 0-9 _ . -");
	snprintf(t->after, sizeof(t->after), "%s", v);
	return 0;
}

/* True when s is "<digits>.html" (a ranking page, from 1 on). */
static int ranking_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 6 && s[0] != '0' && strcmp(s + n, ".html") == 0;
}

/* Reads "<code>.<ext>" into t->code; returns the extension, or NULL. */
static const char *split_code(const char *s, struct target *t)
{
	const char *dot = strrchr(s, '.');

	if (!dot || dot == s || (size_t)(dot - s) >= sizeof(t->code))
		return NULL;
	memcpy(t->code, s, dot - s);
	t->code[dot - s] = '\0';
	return code_valid(t->code) ? dot + 1 : NULL;
}

/* The council's browsing paths: /{policy}/, /{policy}/{period}/ and the
 * stored pages below it, with the same relative layout as a run's folder
 * (reports/html.h), so that the pages' relative links resolve: PATH is
 * index.html, ranking/<k>.html, agreements/<code>.html, cruscotto.css,
 * neighbourhoods/<code>.html, policy.pdf|json, agreements/<code>.pdf|json,
 * neighbourhoods/<code>.pdf|json (the last three are the API's scorecards),
 * optionally after revision/N/ (a revision's own pages, whose links stay in
 * it) or with ?revision=N. /{policy}/{period}/{agreement}/ redirects to
 * agreements/{agreement}.html, /{policy}/{period}/neighbourhoods/{code}/ to
 * neighbourhoods/{code}.html. */
static int match_pages(route_arg_fn arg, void *ctx, char *const *seg, int n, struct target *t)
{
	const char *qrev = NULL, *ext;
	int rc, path_rev = 0;

	if (!code_valid(seg[0]))
		return err_set(ERR_NOTFOUND, "no such resource (see /)");
	snprintf(t->code, sizeof(t->code), "%s", seg[0]);
	if (n == 1)
		return err_set(ERR_NOTFOUND, "no such resource (see /)");
	if (n == 2 && seg[1][0] == '\0') {
		t->kind = T_POLICY_PAGE;
		return 0;
	}
	rc = parse_period_segment(seg[1], t);
	if (rc == 0 && t->format != API_JSON)
		rc = err_set(ERR_NOTFOUND, "no such resource (see /%s/)", t->code);
	if (rc)
		return rc;
	if (n == 2) {
		t->kind = T_REDIRECT;
		snprintf(t->location, sizeof(t->location), "%s/", seg[1]);
		return 0;
	}
	seg += 2;
	n -= 2;
	if (n >= 3 && strcmp(seg[0], "revision") == 0) {
		char *end;
		long v;

		errno = 0;
		v = seg[1][0] >= '1' && seg[1][0] <= '9' ? strtol(seg[1], &end, 10) : 0;
		if (v < 1 || v > INT32_MAX || errno || *end)
			return err_set(ERR_USAGE,
				       "malformed revision: expected an integer from 1 "
				       "to %ld",
				       (long)INT32_MAX);
		t->revision = (int)v;
		path_rev = 1;
		seg += 2;
		n -= 2;
	}
	if (!path_rev) {
		rc = parse_revision(arg, ctx, t);
		if (rc)
			return rc;
	}
	arg(ctx, "revision", &qrev);
	t->kind = T_STORED;
	if (n == 1 && (seg[0][0] == '\0' || strcmp(seg[0], "index.html") == 0)) {
		snprintf(t->path, sizeof(t->path), "index.html");
		return 0;
	}
	if (n == 1 && strcmp(seg[0], "cruscotto.css") == 0) {
		snprintf(t->path, sizeof(t->path), "cruscotto.css");
		return 0;
	}
	if (n == 1 && (strcmp(seg[0], "policy.pdf") == 0 || strcmp(seg[0], "policy.json") == 0)) {
		t->kind = T_SCORECARD;
		t->level = API_POLICY;
		t->format = seg[0][7] == 'p' ? API_PDF : API_JSON;
		return 0;
	}
	if (n == 2 && strcmp(seg[0], "ranking") == 0 && ranking_ok(seg[1])) {
		snprintf(t->path, sizeof(t->path), "ranking/%s", seg[1]);
		return 0;
	}
	if (n == 2 && strcmp(seg[0], "agreements") == 0 && (ext = split_code(seg[1], t)) != NULL) {
		char policy[65];

		if (strcmp(ext, "html") == 0) {
			snprintf(policy, sizeof(policy), "%s", seg[-2 - 2 * path_rev]);
			snprintf(t->path, sizeof(t->path), "agreements/%s", seg[1]);
			/* t->code names the policy for a page */
			snprintf(t->code, sizeof(t->code), "%s", policy);
			return 0;
		}
		if (strcmp(ext, "pdf") == 0 || strcmp(ext, "json") == 0) {
			t->kind = T_SCORECARD;
			t->level = API_AGREEMENT;
			t->format = ext[0] == 'p' ? API_PDF : API_JSON;
			return 0;
		}
	}
	if (n == 2 && strcmp(seg[0], "neighbourhoods") == 0 &&
	    (ext = split_code(seg[1], t)) != NULL) {
		const char *policy = seg[-2 - 2 * path_rev];

		if (strcmp(ext, "html") == 0) {
			snprintf(t->path, sizeof(t->path), "neighbourhoods/%s", seg[1]);
			snprintf(t->code, sizeof(t->code), "%s", policy);
			return 0;
		}
		if (strcmp(ext, "pdf") == 0 || strcmp(ext, "json") == 0) {
			t->kind = T_SCORECARD;
			t->neighbourhood = 1;
			snprintf(t->policy, sizeof(t->policy), "%s", policy);
			t->format = ext[0] == 'p' ? API_PDF : API_JSON;
			return 0;
		}
	}
	if (n == 3 && strcmp(seg[0], "neighbourhoods") == 0 && code_valid(seg[1]) &&
	    seg[2][0] == '\0') {
		t->kind = T_REDIRECT;
		snprintf(t->location, sizeof(t->location), "../%s.html%s%s", seg[1],
			 !path_rev && qrev ? "?revision=" : "", !path_rev && qrev ? qrev : "");
		return 0;
	}
	if (n == 2 && seg[1][0] == '\0' && code_valid(seg[0])) {
		t->kind = T_REDIRECT;
		snprintf(t->location, sizeof(t->location), "../agreements/%s.html%s%s", seg[0],
			 !path_rev && qrev ? "?revision=" : "", !path_rev && qrev ? qrev : "");
		return 0;
	}
	return err_set(ERR_NOTFOUND, "no such resource (see /%s/)", seg[-2 - 2 * path_rev]);
}

/* Reads /search's ?q=TEXT (absent: "") and ?policy=CODE (absent: any). The
 * text is trimmed of blanks; it must be UTF-8 of at most PAGE_SEARCH_MAX
 * characters (the form's maxlength says the same). */
static int parse_search(route_arg_fn arg, void *ctx, struct target *t)
{
	const char *q = NULL, *policy = NULL;
	size_t n, chars = 0, i;

	t->kind = T_SEARCH;
	if (arg(ctx, "policy", &policy) && policy && *policy) {
		if (!code_valid(policy))
			return err_set(ERR_USAGE, "malformed policy: expected a code of 1 to 64 of "
						  "A-Z a-z 0-9 _ . -");
		snprintf(t->code, sizeof(t->code), "%s", policy);
	}
	if (!arg(ctx, "q", &q) || !q)
		return 0;
	if (!utf8_valid(q, strlen(q)))
		return err_set(ERR_USAGE, "malformed q: the search text is not valid UTF-8");
	q += strspn(q, " \t\r\n");
	n = strlen(q);
	while (n > 0 && strchr(" \t\r\n", q[n - 1]))
		n--;
	for (i = 0; i < n; i++)
		chars += ((unsigned char)q[i] & 0xc0) != 0x80;
	if (chars > PAGE_SEARCH_MAX)
		return err_set(ERR_USAGE,
			       "the search text is longer than %d characters: search for a "
			       "shorter part of the code or title",
			       PAGE_SEARCH_MAX);
	memcpy(t->query, q, n);
	t->query[n] = '\0';
	return 0;
}

/* Matches the segments of a path against the resources. */
static int match(route_arg_fn arg, void *ctx, char *const *seg, int n, struct target *t)
{
	int rc;

	if (n == 1 && strcmp(seg[0], "search") == 0)
		return parse_search(arg, ctx, t);
	if (n == 3 && strcmp(seg[0], "periods") == 0) {
		/* the council's page of one period's agreements */
		if (!code_valid(seg[1]))
			return err_set(
				ERR_USAGE,
				"malformed policy code: expected 1 to 64 of A-Z a-z 0-9 _ . -");
		snprintf(t->code, sizeof(t->code), "%s", seg[1]);
		rc = parse_period_segment(seg[2], t);
		if (rc == 0 && t->format != API_JSON)
			rc = err_set(ERR_NOTFOUND, "no such resource (see /)");
		if (rc == 0)
			rc = parse_page(arg, ctx, 0, t);
		t->kind = T_PERIOD_PAGE;
		return rc;
	}
	if (strcmp(seg[0], "api") != 0 && strcmp(seg[0], "periods") != 0)
		return match_pages(arg, ctx, seg, n, t);
	if (n < 3 || strcmp(seg[0], "api") != 0 || strcmp(seg[1], "v1") != 0)
		return err_set(ERR_NOTFOUND, "no such resource (see /api/v1/policies)");
	if (n == 3 && strcmp(seg[2], "policies") == 0) {
		t->kind = T_POLICIES;
		return 0;
	}
	if (n == 3 && strcmp(seg[2], "openapi.json") == 0) {
		t->kind = T_OPENAPI;
		return 0;
	}
	if (n < 5 || (strcmp(seg[2], "policies") != 0 && strcmp(seg[2], "agreements") != 0))
		return err_set(ERR_NOTFOUND, "no such resource (see /api/v1/policies)");
	t->level = seg[2][0] == 'p' ? API_POLICY : API_AGREEMENT;
	if (!code_valid(seg[3]))
		return err_set(ERR_USAGE,
			       "malformed %s code: expected 1 to 64 of A-Z a-z 0-9 _ . -",
			       t->level == API_POLICY ? "policy" : "agreement");
	snprintf(t->code, sizeof(t->code), "%s", seg[3]);
	if (n == 8 && t->level == API_POLICY && strcmp(seg[4], "neighbourhoods") == 0 &&
	    strcmp(seg[6], "scorecards") == 0) {
		/* a neighbourhood's scorecard, in its policy's revision */
		if (!code_valid(seg[5]))
			return err_set(ERR_USAGE,
				       "malformed neighbourhood code: expected 1 to 64 of "
				       "A-Z a-z 0-9 _ . -");
		snprintf(t->policy, sizeof(t->policy), "%s", seg[3]);
		snprintf(t->code, sizeof(t->code), "%s", seg[5]);
		t->neighbourhood = 1;
		t->kind = T_SCORECARD;
		rc = parse_period_segment(seg[7], t);
		if (rc == 0 && (t->format == API_CSV || t->format == API_DCAT))
			rc = err_set(ERR_NOTFOUND,
				     "open data is published per policy period: "
				     "/api/v1/policies/{policy}/scorecards/{period}.csv");
		return rc ? rc : parse_revision(arg, ctx, t);
	}
	if (n == 5 && t->level == API_POLICY && strcmp(seg[4], "periods") == 0) {
		t->kind = T_PERIODS;
		return parse_page(arg, ctx, 1, t);
	}
	if (n == 7 && t->level == API_POLICY && strcmp(seg[4], "periods") == 0 &&
	    strcmp(seg[6], "agreements") == 0) {
		t->kind = T_AGREEMENTS;
		rc = parse_period_segment(seg[5], t);
		if (rc == 0 && t->format != API_JSON)
			rc = err_set(ERR_NOTFOUND, "unknown format: listings are JSON");
		if (rc == 0)
			rc = parse_revision(arg, ctx, t);
		return rc ? rc : parse_page(arg, ctx, 0, t);
	}
	if (n != 6 || strcmp(seg[4], "scorecards") != 0)
		return err_set(ERR_NOTFOUND, "no such resource (see /api/v1/policies)");
	t->kind = T_SCORECARD;
	rc = parse_period_segment(seg[5], t);
	if (rc == 0 && t->level == API_AGREEMENT && (t->format == API_CSV || t->format == API_DCAT))
		rc = err_set(ERR_NOTFOUND, "open data is published per policy period: "
					   "/api/v1/policies/{policy}/scorecards/{period}.csv");
	return rc ? rc : parse_revision(arg, ctx, t);
}

int route_parse(const char *url, route_arg_fn arg, void *ctx, struct target *t)
{
	enum { MAX_SEG = 8 };
	char *copy, *seg[MAX_SEG], *p;
	int n = 0, rc = 0;

	if (!utf8_valid(url, strlen(url)))
		return err_set(ERR_USAGE, "malformed path: not valid UTF-8");
	if (url[0] != '/')
		return err_set(ERR_USAGE, "malformed path: it must start with /");
	if (strcmp(url, "/") == 0) {
		t->kind = T_PAGE;
		return 0;
	}
	copy = strdup(url + 1);
	if (!copy)
		return err_set(ERR_FAIL, "out of memory");
	/* every segment is checked, also past the ones a route could use */
	for (p = copy; p && rc == 0; n++) {
		char *next = strchr(p, '/');

		if (next)
			*next++ = '\0';
		if (strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
			rc = err_set(ERR_USAGE,
				     "malformed path: \".\" and \"..\" segments are not allowed");
		if (n < MAX_SEG)
			seg[n] = p;
		p = next;
	}
	if (rc == 0)
		rc = n > MAX_SEG ? err_set(ERR_NOTFOUND, "no such resource (see /api/v1/policies)")
				 : match(arg, ctx, seg, n, t);
	free(copy);
	return rc;
}

void route_key(const struct target *t, char *key, size_t size)
{
	switch (t->kind) {
	case T_PAGE:
		snprintf(key, size, "page");
		break;
	case T_POLICIES:
		snprintf(key, size, "policies");
		break;
	case T_PERIOD_PAGE:
		snprintf(key, size, "page %s %s %s %d", t->code, t->period, t->after, t->limit);
		break;
	case T_PERIODS:
		snprintf(key, size, "periods %s %s %d", t->code, t->after, t->limit);
		break;
	case T_AGREEMENTS:
		snprintf(key, size, "agreements %s %s %d %s %d", t->code, t->period, t->revision,
			 t->after, t->limit);
		break;
	case T_OPENAPI:
		snprintf(key, size, "openapi");
		break;
	case T_POLICY_PAGE:
		snprintf(key, size, "policy page %s", t->code);
		break;
	case T_STORED:
		snprintf(key, size, "stored %s %s %d %s", t->code, t->period, t->revision, t->path);
		break;
	case T_SEARCH:
		snprintf(key, size, "search"); /* never cached */
		break;
	default:
		/* a neighbourhood's code is its policy's: both name it */
		snprintf(key, size, "%s %s%s%s %s %s %d",
			 t->neighbourhood	  ? "neighbourhood"
			 : t->level == API_POLICY ? "policy"
						  : "agreement",
			 t->neighbourhood ? t->policy : "", t->neighbourhood ? " " : "", t->code,
			 t->period,
			 t->format == API_PDF	 ? "pdf"
			 : t->format == API_CSV	 ? "csv"
			 : t->format == API_DCAT ? "dcat"
						 : "json",
			 t->revision);
	}
}

/* Whether a weight ("q=...", the text after "q=") is zero: 0, 0., 0.0,
 * 0.00 or 0.000 (RFC 9110, 12.4.2), up to the next delimiter. */
static int weight_is_zero(const char *w)
{
	size_t n = strcspn(w, " \t,;");

	if (n == 0 || w[0] != '0')
		return 0;
	return n == 1 || (w[1] == '.' && strspn(w + 2, "0") >= n - 2);
}

int route_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;
	int gzip = -1, star = -1; /* -1 not named, else whether accepted */

	while (p && *p) {
		size_t n;
		int accepted = 1, *which = NULL;

		p += strspn(p, " \t,");
		if (!*p)
			break;
		n = strcspn(p, " \t,;");
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			which = &gzip;
		else if (n == 1 && *p == '*')
			which = &star;
		p += n;
		/* the parameters of this coding, up to the next one */
		while (*p && *p != ',') {
			p += strspn(p, " \t;");
			if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=' && weight_is_zero(p + 2))
				accepted = 0;
			p += strcspn(p, ",;");
		}
		/* a coding named twice: the last word holds */
		if (which)
			*which = accepted;
	}
	return gzip >= 0 ? gzip : star > 0;
}
