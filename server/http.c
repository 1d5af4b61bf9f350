#include "http.h"

#include "api.h"
#include "cache.h"
#include "code.h"
#include "err.h"
#include "page.h"
#include "pool.h"
#include "migrations.h"
#include "utf8.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	DEFAULT_POOL = 4,
	DEFAULT_THREADS = 8, /* serving threads; each multiplexes its connections */
	DEFAULT_MAX_CONNECTIONS = 1024,
	DEFAULT_PER_CLIENT = 64,	   /* connections of one client address */
	DEFAULT_HEADER_TIMEOUT_MS = 10000, /* to deliver a whole request head */
	DEFAULT_REFRESH_MS = 1000,	   /* how stale the known revision count may get */
	POOL_WAIT_MS = 5000,		   /* how long a request waits for a database connection */
	IDLE_TIMEOUT_S = 30,		   /* idle HTTP connections are closed after this */
	REQUEST_MEMORY = 32768,		   /* libmicrohttpd's buffer of one connection */
	TARGET_MAX = 8192,		   /* bytes of a request target (414 beyond) */
	HEADERS_MAX = 16384,		   /* bytes of the header fields (431 beyond) */
	WATCH_MS = 100,			   /* how often deadlines are checked */
	STOP_WAIT_MS = 10000,		   /* how long a stop lets running requests finish */
	LOG_PATH_MAX = 200,		   /* bytes of the path an access-log line shows */
	KEY_MAX = 256,			   /* bytes of a cache key */
	LISTEN_WAIT_MS = 250,	      /* how long the listener waits before checking for a stop */
	LISTEN_RETRY_MS = 1000,	      /* before reconnecting the listener after a loss */
	LISTEN_REFUSED_MS = 30000,    /* before trying LISTEN again where it was refused */
	LISTENING_REFRESH_MS = 60000, /* the slow count while notifications arrive */
};

/* The channel publications notify (schema 009_notify.sql). */
#define REVISION_CHANNEL "cruscotto_revision"

#define DEFAULT_CACHE_BYTES (128L * 1024 * 1024)

/* An open HTTP connection, while it may be waiting for a request head. */
struct conn {
	struct conn *prev, *next;
	MHD_socket fd;
	int waiting; /* 1 from its opening or its last response to its next request head */
	struct timespec deadline;
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct pool *pool;
	struct cache *cache;
	FILE *log;
	atomic_int active; /* requests received and not yet completed */
	int pool_size;
	int port;
	int header_timeout_ms;
	int refresh_ms;
	char host[128];
	/* the number of published revisions, + 1 (0: unknown): the generation
	 * of the cache, read at most every refresh_ms */
	pthread_mutex_t gen_lock;
	atomic_uint_fast64_t gen;
	atomic_llong gen_checked_ms;
	int gen_lock_ok;
	/* the listener: a connection of its own that LISTENs for publications
	 * and raises the generation as each one commits */
	char *conninfo;
	pthread_t listener;
	pthread_mutex_t listen_lock;
	pthread_cond_t listen_wake;
	int listen_lock_ok, listener_running, listen_stop;
	atomic_int listening;	    /* 1 while LISTEN holds */
	atomic_ulong notifications; /* publications learnt by notification */
	/* the open connections, for the request-head deadline */
	pthread_mutex_t conns_lock;
	pthread_cond_t watch_wake;
	struct conn *conns;
	pthread_t watcher;
	int conns_lock_ok, watching, stopping;
};

/* One request, from its first callback to its completion. */
struct request {
	struct timespec start;
	char method[12];
	char path[4 * LOG_PATH_MAX + 4]; /* escaped for the log */
	unsigned status;
	size_t bytes;
	int answered;
	char reason[300]; /* why a 5xx happened, for the log */
};

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

/* The answer to send. */
struct reply {
	unsigned status;
	struct api_body body;
	int api;       /* an /api/ resource: CORS headers */
	int immutable; /* an explicit revision: cached for good */
	int scorecard; /* X-Cruscotto-Revision, Content-Disposition for PDFs */
	const struct target *target;
};

/* ---- listen address ------------------------------------------------------ */

/* Splits "HOST:PORT" / "[V6]:PORT" and resolves it (numeric port). */
static int resolve_listen(const char *text, struct sockaddr_storage *addr, socklen_t *len,
			  char *host, size_t hsize, int *port)
{
	struct addrinfo hints = {0}, *res = NULL;
	const char *colon, *h = text, *p;
	size_t hlen;
	char *end;
	long n;
	int gai;

	if (!text || !*text)
		return err_set(ERR_USAGE, "--listen needs HOST:PORT, e.g. 127.0.0.1:8080");
	if (*text == '[') {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':')
			return err_set(ERR_USAGE, "--listen %s: expected [IPV6]:PORT", text);
		h = text + 1;
		hlen = (size_t)(close - h);
		p = close + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon || strchr(text, ':') != colon)
			return err_set(
				ERR_USAGE,
				"--listen %s: expected HOST:PORT (an IPv6 address as [::1]:8080)",
				text);
		hlen = (size_t)(colon - text);
		p = colon + 1;
	}
	errno = 0;
	n = strtol(p, &end, 10);
	if (hlen == 0 || hlen >= hsize || !*p || *end || errno || n < 0 || n > 65535 ||
	    strspn(p, "0123456789") != strlen(p))
		return err_set(ERR_USAGE, "--listen %s: expected HOST:PORT with a port 0-65535",
			       text);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(host, p, &hints, &res);
	if (gai != 0)
		return err_set(ERR_USAGE, "--listen %s: cannot resolve %s: %s", text, host,
			       gai_strerror(gai));
	if (res->ai_addrlen > sizeof(*addr)) {
		freeaddrinfo(res);
		return err_set(ERR_USAGE, "--listen %s: unsupported address", text);
	}
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	*port = (int)n;
	freeaddrinfo(res);
	return 0;
}

int http_check_listen(const char *listen)
{
	struct sockaddr_storage addr;
	socklen_t len;
	char host[128];
	int port;

	return resolve_listen(listen, &addr, &len, host, sizeof(host), &port);
}

/* ---- path checks ---------------------------------------------------------- */

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
static int parse_number(struct MHD_Connection *conn, const char *name, long max, int *out)
{
	const char *v = NULL;
	char *end;
	long n;

	if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
					  NULL) != MHD_YES)
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
static int parse_revision(struct MHD_Connection *conn, struct target *t)
{
	return parse_number(conn, "revision", INT32_MAX, &t->revision);
}

/* Reads a listing's ?limit=N and ?after=CURSOR (a period when `periods`,
 * else a code). */
static int parse_page(struct MHD_Connection *conn, int periods, struct target *t)
{
	const char *v = NULL;
	int rc;

	t->limit = API_LIMIT_DEFAULT;
	rc = parse_number(conn, "limit", API_LIMIT_MAX, &t->limit);
	if (rc ||
	    MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, "after", 5, &v, NULL) !=
		    MHD_YES ||
	    !v)
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
static int match_pages(struct MHD_Connection *conn, char *const *seg, int n, struct target *t)
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
		rc = parse_revision(conn, t);
		if (rc)
			return rc;
	}
	MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, "revision", 8, &qrev, NULL);
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
static int parse_search(struct MHD_Connection *conn, struct target *t)
{
	const char *q = NULL, *policy = NULL;
	size_t n, chars = 0, i;

	t->kind = T_SEARCH;
	if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, "policy", 6, &policy,
					  NULL) == MHD_YES &&
	    policy && *policy) {
		if (!code_valid(policy))
			return err_set(ERR_USAGE, "malformed policy: expected a code of 1 to 64 of "
						  "A-Z a-z 0-9 _ . -");
		snprintf(t->code, sizeof(t->code), "%s", policy);
	}
	if (MHD_lookup_connection_value_n(conn, MHD_GET_ARGUMENT_KIND, "q", 1, &q, NULL) !=
		    MHD_YES ||
	    !q)
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
static int match(struct MHD_Connection *conn, char *const *seg, int n, struct target *t)
{
	int rc;

	if (n == 1 && strcmp(seg[0], "search") == 0)
		return parse_search(conn, t);
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
			rc = parse_page(conn, 0, t);
		t->kind = T_PERIOD_PAGE;
		return rc;
	}
	if (strcmp(seg[0], "api") != 0 && strcmp(seg[0], "periods") != 0)
		return match_pages(conn, seg, n, t);
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
		return rc ? rc : parse_revision(conn, t);
	}
	if (n == 5 && t->level == API_POLICY && strcmp(seg[4], "periods") == 0) {
		t->kind = T_PERIODS;
		return parse_page(conn, 1, t);
	}
	if (n == 7 && t->level == API_POLICY && strcmp(seg[4], "periods") == 0 &&
	    strcmp(seg[6], "agreements") == 0) {
		t->kind = T_AGREEMENTS;
		rc = parse_period_segment(seg[5], t);
		if (rc == 0 && t->format != API_JSON)
			rc = err_set(ERR_NOTFOUND, "unknown format: listings are JSON");
		if (rc == 0)
			rc = parse_revision(conn, t);
		return rc ? rc : parse_page(conn, 0, t);
	}
	if (n != 6 || strcmp(seg[4], "scorecards") != 0)
		return err_set(ERR_NOTFOUND, "no such resource (see /api/v1/policies)");
	t->kind = T_SCORECARD;
	rc = parse_period_segment(seg[5], t);
	if (rc == 0 && t->level == API_AGREEMENT && (t->format == API_CSV || t->format == API_DCAT))
		rc = err_set(ERR_NOTFOUND, "open data is published per policy period: "
					   "/api/v1/policies/{policy}/scorecards/{period}.csv");
	return rc ? rc : parse_revision(conn, t);
}

/* Maps a path onto a target, or ERR_USAGE (malformed) / ERR_NOTFOUND. */
static int route(struct MHD_Connection *conn, const char *url, struct target *t)
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
				 : match(conn, seg, n, t);
	free(copy);
	return rc;
}

/* ---- database ------------------------------------------------------------- */

/* Checks that the database holds this binary's schema, through the one
 * function schema version 4 lets cruscotto_web call (the version table is
 * out of its reach). Before version 4 the function does not exist. */
static int check_schema(db *c)
{
	long long version = 0;
	rows *r = NULL;
	int rc;

	rc = db_exec(c, "SELECT cruscotto.web_schema_version()", 0, NULL, &r);
	if (rc == 0)
		rc = rows_get_long(r, 0, 0, &version);
	rows_free(r);
	if (rc == ERR_DB)
		return rc;
	if (rc || version < schema_binary_version())
		return err_set(ERR_FAIL,
			       "the database does not hold cruscotto's schema version %d: run "
			       "cruscotto init",
			       schema_binary_version());
	if (version > schema_binary_version())
		return err_set(ERR_FAIL,
			       "the database has schema version %lld, newer than this cruscotto's "
			       "%d: use a newer cruscotto",
			       version, schema_binary_version());
	return 0;
}

/* Prepares each new pooled connection: the schema this binary serves, then
 * the web role and read-only transactions for the rest of the session. */
static int setup_session(db *c, void *arg)
{
	int rc;

	(void)arg;
	rc = check_schema(c);
	if (rc)
		return rc;
	rc = db_exec(c, "SET ROLE cruscotto_web", 0, NULL, NULL);
	if (rc)
		return rc == ERR_DB ? rc
				    : err_set(rc,
					      "cannot act as the role cruscotto_web (%s): run "
					      "cruscotto init as a user who may create roles",
					      err_last());
	rc = db_exec(c, "SET default_transaction_read_only = on", 0, NULL, NULL);
	if (rc == 0)
		rc = db_exec(c, "SET statement_timeout = '15s'", 0, NULL, NULL);
	return rc;
}

int http_session_open(const char *conninfo, db **out)
{
	db *c = NULL;
	int rc = db_connect(conninfo, &c);

	if (rc == 0)
		rc = setup_session(c, NULL);
	if (rc) {
		db_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int fetch_on(db *c, const struct target *t, struct api_body *out)
{
	switch (t->kind) {
	case T_PAGE:
		return page_render(c, out);
	case T_POLICIES:
		return api_policies(c, out);
	case T_PERIOD_PAGE:
		return page_period(c, t->code, t->period, t->after[0] ? t->after : NULL, t->limit,
				   out);
	case T_PERIODS:
		return api_periods(c, t->code, t->after[0] ? t->after : NULL, t->limit, out);
	case T_AGREEMENTS:
		return api_agreements(c, t->code, t->period, t->revision,
				      t->after[0] ? t->after : NULL, t->limit, out);
	case T_POLICY_PAGE:
		return page_policy(c, t->code, out);
	case T_STORED:
		return api_page(c, t->code, t->period, t->revision, t->path, out);
	case T_SEARCH:
		return page_search(c, t->code[0] ? t->code : NULL, t->query, out);
	default:
		if (t->format == API_CSV || t->format == API_DCAT)
			return api_open_data(c, t->code, t->period, t->format, t->revision, out);
		if (t->neighbourhood)
			return api_neighbourhood_scorecard(c, t->policy, t->code, t->period,
							   t->format, t->revision, out);
		return api_scorecard(c, t->level, t->code, t->period, t->format, t->revision, out);
	}
}

/* Runs fn on a pooled connection. A failure on a connection that was open
 * before (the database may have restarted since) is retried on another
 * one; the connections found broken are dropped, so this ends with a fresh
 * one. */
static int on_db(struct http_server *s, int (*fn)(db *c, void *arg), void *arg)
{
	int attempt, rc = ERR_DB, fresh = 0;
	db *c = NULL;

	for (attempt = 0; attempt <= s->pool_size; attempt++) {
		rc = pool_acquire(s->pool, POOL_WAIT_MS, &c, &fresh);
		if (rc)
			return rc;
		rc = fn(c, arg);
		pool_release(s->pool, c, rc == ERR_DB);
		if (rc != ERR_DB || fresh)
			break;
	}
	return rc;
}

struct fetch_args {
	const struct target *t;
	struct api_body *out;
};

static int fetch_cb(db *c, void *arg)
{
	struct fetch_args *f = arg;

	return fetch_on(c, f->t, f->out);
}

/* Reads the target's body from the database. */
static int fetch(struct http_server *s, const struct target *t, struct api_body *out)
{
	struct fetch_args f = {t, out};

	return on_db(s, fetch_cb, &f);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Counts the published revisions. Revisions are never deleted (the schema
 * forbids it, whoever asks), so the count grows with every publication,
 * whatever order concurrent publications commit in (a maximum id would not:
 * a lower id may commit after a higher one). A hot standby answers it too. */
static int count_revisions(db *c, void *arg)
{
	uint64_t *out = arg;
	long long n = 0;
	rows *r = NULL;
	int rc;

	rc = db_exec(c, "SELECT count(*) FROM cruscotto.revision", 0, NULL, &r);
	if (rc == 0)
		rc = rows_get_long(r, 0, 0, &n);
	if (rc == 0)
		*out = (uint64_t)n + 1;
	rows_free(r);
	return rc;
}

/* Stores a count read from the database as the generation, unless a later
 * one is known already: the count only grows, and a thread that counted
 * before a publication must not undo the listener, which counted after it. */
static void raise_generation(struct http_server *s, uint64_t n)
{
	uint64_t g = atomic_load(&s->gen);

	while ((g == 0 || g < n) && !atomic_compare_exchange_weak(&s->gen, &g, n))
		;
	atomic_store(&s->gen_checked_ms, now_ms());
}

/* The generation of the cache: the revision count as of at most refresh_ms
 * ago, or, while the listener hears every publication, as of its last
 * notification (with a count every LISTENING_REFRESH_MS all the same). One
 * thread counts at a time; the others keep using the last count meanwhile,
 * or wait for it when there is none (at start, after a failure, or when
 * every request counts). */
static int generation(struct http_server *s, uint64_t *out)
{
	uint64_t g = atomic_load(&s->gen), n = 0;
	long long every = s->refresh_ms;
	int rc;

	if (atomic_load(&s->listening) && every < LISTENING_REFRESH_MS)
		every = LISTENING_REFRESH_MS;
	if (g && s->refresh_ms >= 0) {
		if (now_ms() - atomic_load(&s->gen_checked_ms) < every)
			goto known;
		if (pthread_mutex_trylock(&s->gen_lock) != 0)
			goto known;
	} else {
		pthread_mutex_lock(&s->gen_lock);
	}
	rc = on_db(s, count_revisions, &n);
	/* a failure forgets the count: until the database answers again, only
	 * documents named by their revision come from memory */
	if (rc == 0) {
		raise_generation(s, n);
	} else {
		atomic_store(&s->gen, 0);
		atomic_store(&s->gen_checked_ms, now_ms());
	}
	pthread_mutex_unlock(&s->gen_lock);
	if (rc)
		return rc;
	*out = atomic_load(&s->gen);
	return 0;
known:
	*out = g;
	return 0;
}

/* Waits up to `ms` on the listener's condition; returns 1 once asked to stop. */
static int listener_pause(struct http_server *s, int ms)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->listen_lock);
	if (!s->listen_stop)
		pthread_cond_timedwait(&s->listen_wake, &s->listen_lock, &until);
	stop = s->listen_stop;
	pthread_mutex_unlock(&s->listen_lock);
	return stop;
}

static int listener_stopping(struct http_server *s)
{
	int stop;

	pthread_mutex_lock(&s->listen_lock);
	stop = s->listen_stop;
	pthread_mutex_unlock(&s->listen_lock);
	return stop;
}

/* The listener thread: LISTENs on a session of its own (prepared like the
 * pool's) and, on each notification, counts the revisions on that session
 * and raises the generation, so that the very next request sees the new
 * revision. Publications committed while it was not listening (at start,
 * after a lost connection) are caught by the count right after each LISTEN;
 * meanwhile, and where LISTEN is refused (a hot standby), requests count
 * every refresh_ms as before. */
static void *listen_loop(void *arg)
{
	struct http_server *s = arg;
	uint64_t n = 0;
	int rc, got, wait_ms;
	db *c = NULL;

	while (!listener_stopping(s)) {
		if (!c) {
			rc = http_session_open(s->conninfo, &c);
			if (rc == 0)
				rc = db_listen(c, REVISION_CHANNEL);
			if (rc == 0)
				rc = count_revisions(c, &n);
			if (rc) {
				db_close(c);
				c = NULL;
				wait_ms = rc == ERR_DB ? LISTEN_RETRY_MS : LISTEN_REFUSED_MS;
				if (listener_pause(s, wait_ms))
					break;
				continue;
			}
			raise_generation(s, n);
			atomic_store(&s->listening, 1);
		}
		rc = db_wait_notify(c, LISTEN_WAIT_MS, &got);
		if (rc == 0 && got > 0) {
			rc = count_revisions(c, &n);
			if (rc == 0) {
				raise_generation(s, n);
				atomic_fetch_add(&s->notifications, 1);
			}
		}
		if (rc) {
			/* back to counting until LISTEN holds again */
			atomic_store(&s->listening, 0);
			db_close(c);
			c = NULL;
			if (listener_pause(s, LISTEN_RETRY_MS))
				break;
		}
	}
	atomic_store(&s->listening, 0);
	db_close(c);
	return NULL;
}

void http_listen_state(struct http_server *s, int *listening, unsigned long *notifications)
{
	*listening = atomic_load(&s->listening);
	*notifications = atomic_load(&s->notifications);
}

/* ---- responses ------------------------------------------------------------ */

/* True when an If-None-Match value names the tag (weak comparison, as
 * RFC 9110 asks for If-None-Match) or is "*". */
static int etag_matches(const char *header, const char *sha)
{
	const char *p = header, *q;

	while (p && *p) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return 1;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"') {
			p = strchr(p, ',');
			continue;
		}
		q = strchr(p + 1, '"');
		if (!q)
			return 0;
		if (q - p - 1 == 64 && strncmp(p + 1, sha, 64) == 0)
			return 1;
		p = q + 1;
	}
	return 0;
}

static int add_header(struct MHD_Response *r, const char *name, const char *value, int *ok)
{
	*ok = *ok && MHD_add_response_header(r, name, value) == MHD_YES;
	return *ok;
}

/* The bytes of a body, shared by the responses made of it and freed with
 * the last one. */
struct shared_body {
	atomic_int refs;
	unsigned char *data;
};

static void shared_body_release(void *cls)
{
	struct shared_body *b = cls;

	if (atomic_fetch_sub(&b->refs, 1) == 1) {
		free(b->data);
		free(b);
	}
}

/* An answer ready to be queued, as many times as wanted: libmicrohttpd
 * counts the references to a response, so a cached answer is sent by every
 * thread at once without a copy. */
struct answer {
	struct MHD_Response *full; /* with the body: 200, or an error */
	struct MHD_Response *nm;   /* 304 Not Modified; NULL for errors */
	unsigned status;	   /* of `full` */
	size_t len;
	char sha256[65];
};

static void answer_free(void *value)
{
	struct answer *a = value;

	if (!a)
		return;
	if (a->full)
		MHD_destroy_response(a->full);
	if (a->nm)
		MHD_destroy_response(a->nm);
	free(a);
}

/* Adds the headers of `rp` to a response of `status`. */
static int add_headers(struct MHD_Response *resp, const struct reply *rp, unsigned status,
		       const char *allow)
{
	char etag[70], value[200];
	int ok = 1;

	snprintf(etag, sizeof(etag), "\"%s\"", rp->body.sha256);
	if (status != MHD_HTTP_NOT_MODIFIED)
		add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rp->body.content_type, &ok);
	add_header(resp, "X-Content-Type-Options", "nosniff", &ok);
	if (status == MHD_HTTP_OK || status == MHD_HTTP_NOT_MODIFIED) {
		add_header(resp, MHD_HTTP_HEADER_ETAG, etag, &ok);
		add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
			   rp->immutable ? "public, max-age=31536000, immutable"
					 : "public, max-age=60",
			   &ok);
	} else {
		add_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store", &ok);
	}
	if (rp->scorecard && rp->body.revision > 0) {
		snprintf(value, sizeof(value), "%d", rp->body.revision);
		add_header(resp, "X-Cruscotto-Revision", value, &ok);
		if (rp->target->format == API_PDF && status == MHD_HTTP_OK) {
			/* codes and periods hold no quote: the name needs no escaping */
			snprintf(value, sizeof(value), "inline; filename=\"%s-%s-r%d.pdf\"",
				 rp->target->code, rp->target->period, rp->body.revision);
			add_header(resp, "Content-Disposition", value, &ok);
		}
	}
	if (rp->api || rp->status != MHD_HTTP_OK) {
		/* errors are JSON wherever they happen, readable by any origin */
		add_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*", &ok);
		add_header(resp, "Access-Control-Expose-Headers", "ETag, X-Cruscotto-Revision",
			   &ok);
	} else if (rp->target && rp->target->kind == T_STORED) {
		/* the stored pages hold no inline style or script (html.h) */
		add_header(resp, "Content-Security-Policy",
			   "default-src 'self'; base-uri 'none'; form-action 'none'; "
			   "frame-ancestors 'none'",
			   &ok);
		add_header(resp, "Referrer-Policy", "same-origin", &ok);
	} else if (rp->target &&
		   (rp->target->kind == T_PAGE || rp->target->kind == T_PERIOD_PAGE ||
		    rp->target->kind == T_POLICY_PAGE || rp->target->kind == T_SEARCH)) {
		/* the search form submits to this server only */
		add_header(resp, "Content-Security-Policy",
			   "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
			   "form-action 'self'; frame-ancestors 'none'",
			   &ok);
		add_header(resp, "Referrer-Policy", "no-referrer", &ok);
	}
	if (allow)
		add_header(resp, MHD_HTTP_HEADER_ALLOW, allow, &ok);
	if (status == MHD_HTTP_SERVICE_UNAVAILABLE)
		add_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5", &ok);
	return ok;
}

/* Makes the answer of `rp`, taking its body (freed whatever the outcome).
 * A 200 gets its 304 twin: libmicrohttpd sends no body with a 304 (nor for
 * HEAD) but derives Content-Length from it, which must then be the length a
 * 200 would have had (RFC 9110, 8.6), not 0; both share the bytes. Returns
 * NULL when memory runs out. */
static struct answer *make_answer(struct reply *rp, const char *allow)
{
	struct answer *a = calloc(1, sizeof(*a));
	struct shared_body *b = calloc(1, sizeof(*b));

	if (!a || !b)
		goto fail;
	atomic_init(&b->refs, 1);
	b->data = rp->body.data;
	rp->body.data = NULL;
	a->status = rp->status;
	a->len = rp->body.len;
	snprintf(a->sha256, sizeof(a->sha256), "%s", rp->body.sha256);
	a->full = MHD_create_response_from_buffer_with_free_callback_cls(a->len, b->data,
									 shared_body_release, b);
	if (!a->full)
		goto fail;
	/* from here on the response owns the bytes */
	if (!add_headers(a->full, rp, rp->status, allow))
		goto fail_answer;
	if (rp->status == MHD_HTTP_OK && rp->body.sha256[0]) {
		atomic_fetch_add(&b->refs, 1);
		a->nm = MHD_create_response_from_buffer_with_free_callback_cls(
			a->len, b->data, shared_body_release, b);
		if (!a->nm) {
			shared_body_release(b);
			goto fail_answer;
		}
		if (!add_headers(a->nm, rp, MHD_HTTP_NOT_MODIFIED, NULL))
			goto fail_answer;
	}
	api_body_free(&rp->body);
	return a;
fail:
	if (b)
		free(b->data); /* NULL while rp still holds the bytes */
	free(b);
	free(a);
	api_body_free(&rp->body);
	return NULL;
fail_answer:
	answer_free(a);
	api_body_free(&rp->body);
	return NULL;
}

/* Queues `a` (304 when If-None-Match names its tag) and notes the status and
 * size for the log. */
static enum MHD_Result queue_answer(struct MHD_Connection *conn, struct request *rq,
				    const struct answer *a)
{
	const char *inm = NULL;
	int not_modified = 0;
	enum MHD_Result res;

	if (a->nm) {
		inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						  MHD_HTTP_HEADER_IF_NONE_MATCH);
		not_modified = inm && etag_matches(inm, a->sha256);
	}
	res = not_modified ? MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, a->nm)
			   : MHD_queue_response(conn, a->status, a->full);
	rq->status = not_modified ? MHD_HTTP_NOT_MODIFIED : a->status;
	rq->bytes = not_modified || strcmp(rq->method, "HEAD") == 0 ? 0 : a->len;
	rq->answered = 1;
	return res;
}

/* Sends `rp` once (its body is handed over). */
static enum MHD_Result send_reply(struct MHD_Connection *conn, struct request *rq, struct reply *rp,
				  const char *allow)
{
	struct answer *a = make_answer(rp, allow);
	enum MHD_Result res;

	if (!a)
		return MHD_NO;
	res = queue_answer(conn, rq, a);
	answer_free(a);
	return res;
}

/* Sends a JSON error {"error": message}. */
static enum MHD_Result send_error(struct MHD_Connection *conn, struct request *rq, unsigned status,
				  const char *message, const char *allow)
{
	struct reply rp = {0};
	cJSON *json = cJSON_CreateObject();

	rp.status = status;
	if (json && !cJSON_AddStringToObject(json, "error", message)) {
		cJSON_Delete(json);
		json = NULL;
	}
	/* without memory for the body the status still says it all */
	if (!json || api_json_body(json, &rp.body) != 0)
		rp.body.content_type = "application/json; charset=utf-8";
	return send_reply(conn, rq, &rp, allow);
}

/* Sends 301 Moved Permanently to `location` (a reference relative to the
 * request's path, RFC 9110 10.2.2), without a body. */
static enum MHD_Result send_redirect(struct MHD_Connection *conn, struct request *rq,
				     const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result res;
	int ok = 1;

	if (!r)
		return MHD_NO;
	add_header(r, MHD_HTTP_HEADER_LOCATION, location, &ok);
	add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=3600", &ok);
	add_header(r, "X-Content-Type-Options", "nosniff", &ok);
	res = ok ? MHD_queue_response(conn, MHD_HTTP_MOVED_PERMANENTLY, r) : MHD_NO;
	MHD_destroy_response(r);
	rq->status = MHD_HTTP_MOVED_PERMANENTLY;
	rq->bytes = 0;
	rq->answered = 1;
	return res;
}

/* Turns a failure into its response; 5xx details go to the log only. */
static enum MHD_Result send_failure(struct MHD_Connection *conn, struct request *rq, int rc)
{
	switch (rc) {
	case ERR_USAGE:
		return send_error(conn, rq, MHD_HTTP_BAD_REQUEST, err_last(), NULL);
	case ERR_NOTFOUND:
		return send_error(conn, rq, MHD_HTTP_NOT_FOUND, err_last(), NULL);
	case ERR_DB:
		snprintf(rq->reason, sizeof(rq->reason), "%s", err_last());
		return send_error(conn, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
				  "the database is unavailable; try again shortly", NULL);
	default:
		snprintf(rq->reason, sizeof(rq->reason), "%s", err_last());
		return send_error(conn, rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error", NULL);
	}
}

/* ---- libmicrohttpd callbacks ---------------------------------------------- */

/* Copies `s` into `buf` for a log line: printable ASCII as is (blanks only
 * when `blanks`), every other byte (control characters, quotes, non-ASCII)
 * as \xHH, so that a request can neither forge log lines nor shift their
 * fields. */
static void log_escape(const char *s, int blanks, char *buf, size_t size)
{
	size_t n = 0, i;

	for (i = 0; s[i] && i < LOG_PATH_MAX && n + 5 < size; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (((ch == ' ' && blanks) || (ch > 0x20 && ch < 0x7f)) && ch != '"' && ch != '\\')
			buf[n++] = (char)ch;
		else
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", ch);
	}
	if (s[i] && n + 4 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/* ---- request heads --------------------------------------------------------- */

static void deadline_from_now(struct timespec *t, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/* Marks the connection of a request as waiting for a head (from now on) or
 * as having delivered one. */
static void set_waiting(struct http_server *s, struct MHD_Connection *conn, int waiting)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = info ? info->socket_context : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&s->conns_lock);
	c->waiting = waiting;
	if (waiting)
		deadline_from_now(&c->deadline, s->header_timeout_ms);
	pthread_mutex_unlock(&s->conns_lock);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	const union MHD_ConnectionInfo *info;
	struct conn *c = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		c = calloc(1, sizeof(*c));
		if (!c || !info) {
			/* without its record the connection has no deadline: refuse it */
			free(c);
			if (info)
				shutdown(info->connect_fd, SHUT_RDWR);
			return;
		}
		c->fd = info->connect_fd;
		c->waiting = 1;
		deadline_from_now(&c->deadline, s->header_timeout_ms);
		pthread_mutex_lock(&s->conns_lock);
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->conns_lock);
		*socket_context = c;
		return;
	}
	if (!c)
		return;
	/* libmicrohttpd closes the socket after this: the watcher, which holds
	 * the same lock, never touches a descriptor that was reused */
	pthread_mutex_lock(&s->conns_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->conns_lock);
	free(c);
	*socket_context = NULL;
}

static int before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Closes the connections that missed their request-head deadline: shutdown
 * wakes libmicrohttpd's polling on the socket, which then sees the end of
 * the stream and closes it as it closes any other. */
static void *watch(void *arg)
{
	struct http_server *s = arg;
	struct timespec now, wake;
	struct conn *c;

	pthread_mutex_lock(&s->conns_lock);
	while (!s->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (c = s->conns; c; c = c->next)
			if (c->waiting && before(&c->deadline, &now)) {
				shutdown(c->fd, SHUT_RDWR);
				c->waiting = 0;
			}
		deadline_from_now(&wake, WATCH_MS);
		pthread_cond_timedwait(&s->watch_wake, &s->conns_lock, &wake);
	}
	pthread_mutex_unlock(&s->conns_lock);
	return NULL;
}

struct head_size {
	size_t bytes;
	int hosts;
};

static enum MHD_Result measure_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      size_t key_size, const char *value, size_t value_size)
{
	struct head_size *h = cls;

	(void)kind;
	(void)value;
	h->bytes += key_size + value_size + 4; /* "K: V\r\n" */
	if (key_size == 4 && strncasecmp(key, "Host", 4) == 0)
		h->hosts++;
	return MHD_YES;
}

static enum MHD_Result measure_argument(void *cls, enum MHD_ValueKind kind, const char *key,
					size_t key_size, const char *value, size_t value_size)
{
	size_t *n = cls;

	(void)kind;
	(void)key;
	(void)value;
	*n += key_size + value_size + 2; /* "&k=v" */
	return MHD_YES;
}

/* Checks a request head: its size (the limits of http.h, answered in JSON;
 * beyond libmicrohttpd's buffer it answers by itself) and its Host header
 * (RFC 9112, 3.2: required in HTTP/1.1, never twice). Returns 0, or the
 * status to answer with and *why. */
static unsigned check_head(struct MHD_Connection *conn, const char *url, const char *version,
			   const char **why)
{
	struct head_size h = {0, 0};
	size_t target = strlen(url);

	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, measure_argument, &target);
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, measure_header, &h);
	if (target > TARGET_MAX) {
		*why = "the request target is longer than 8 KiB";
		return MHD_HTTP_URI_TOO_LONG;
	}
	if (h.bytes > HEADERS_MAX) {
		*why = "the request header fields are larger than 16 KiB";
		return MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE;
	}
	if (h.hosts > 1 || (h.hosts == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0)) {
		*why = "a request needs exactly one Host header (RFC 9112, 3.2)";
		return MHD_HTTP_BAD_REQUEST;
	}
	return 0;
}

/* ---- serving ------------------------------------------------------------------ */

/* The cache key of a target: every part of it that changes the answer. */
static void cache_key(const struct target *t, char *key, size_t size)
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

struct use_args {
	struct MHD_Connection *conn;
	struct request *rq;
};

static int use_cached(void *value, void *arg)
{
	struct use_args *u = arg;

	return queue_answer(u->conn, u->rq, value) == MHD_YES;
}

/* Answers a routed request: from memory when the cache holds a valid
 * answer, else from the database (and keeps the answer). */
static enum MHD_Result serve_target(struct http_server *s, struct MHD_Connection *conn,
				    struct request *rq, const struct target *t)
{
	struct use_args u = {conn, rq};
	struct reply rp = {0};
	struct answer *a;
	enum MHD_Result res;
	char key[KEY_MAX];
	uint64_t gen = 0;
	/* a stored HTML page says how many revisions its period has (api.h):
	 * even one named by its revision holds only until the next publication;
	 * searches are as many as texts: not worth the memory */
	int rc, sent = 0, cached = t->kind != T_SEARCH,
		immutable = (t->kind == T_SCORECARD || t->kind == T_AGREEMENTS ||
			     (t->kind == T_STORED && strcmp(t->path, "cruscotto.css") == 0)) &&
			    t->revision > 0;
	/* a document named by its revision, or the OpenAPI document (in the
	 * binary), needs no database at all */
	int pinned = immutable || t->kind == T_OPENAPI;

	cache_key(t, key, sizeof(key));
	if (cached && pinned && cache_use(s->cache, key, 0, use_cached, &u, &sent))
		return sent ? MHD_YES : MHD_NO;
	if (cached && !pinned) {
		rc = generation(s, &gen);
		if (rc)
			return send_failure(conn, rq, rc);
		if (cache_use(s->cache, key, gen, use_cached, &u, &sent))
			return sent ? MHD_YES : MHD_NO;
	}
	rc = t->kind == T_OPENAPI ? api_openapi(&rp.body) : fetch(s, t, &rp.body);
	if (rc)
		return send_failure(conn, rq, rc);
	rp.status = MHD_HTTP_OK;
	rp.target = t;
	rp.api = t->kind != T_PAGE && t->kind != T_PERIOD_PAGE && t->kind != T_POLICY_PAGE &&
		 t->kind != T_STORED && t->kind != T_SEARCH;
	rp.scorecard = t->kind == T_SCORECARD;
	rp.immutable = immutable;
	a = make_answer(&rp, NULL);
	if (!a)
		return MHD_NO;
	res = queue_answer(conn, rq, a);
	/* tagged with the count read before the fetch: if a publication came
	 * in between, the answer is newer than its tag, never older */
	if (cached)
		cache_put(s->cache, key, pinned ? 0 : gen, a->len + sizeof(*a) + 1024, a);
	else
		answer_free(a);
	return res;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct request *rq = *con_cls;
	struct target t = {0};
	const char *length, *why = NULL;
	unsigned bad;
	int rc;

	(void)upload_data;
	if (!rq) {
		set_waiting(s, conn, 0);
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		log_escape(method, 0, rq->method, sizeof(rq->method));
		log_escape(url, 0, rq->path, sizeof(rq->path));
		*con_cls = rq;
		atomic_fetch_add(&s->active, 1);
		bad = check_head(conn, url, version, &why);
		if (bad)
			return send_error(conn, rq, bad, why, NULL);
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return send_error(conn, rq, MHD_HTTP_METHOD_NOT_ALLOWED,
					  "method not allowed: the API is read-only (GET, HEAD)",
					  "GET, HEAD");
		length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if ((length && strcmp(length, "0") != 0) ||
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_TRANSFER_ENCODING))
			return send_error(conn, rq, MHD_HTTP_CONTENT_TOO_LARGE,
					  "requests carry no body", NULL);
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* a body the headers did not announce: read and dropped */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	rc = route(conn, url, &t);
	if (rc)
		return send_failure(conn, rq, rc);
	if (t.kind == T_REDIRECT)
		return send_redirect(conn, rq, t.location);
	return serve_target(s, conn, rq, &t);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct request *rq = *con_cls;
	struct timespec now;
	char when[40], status[8];
	struct tm tm;
	time_t t;
	double ms;

	(void)toe;
	if (!rq)
		return;
	*con_cls = NULL;
	/* a kept-alive connection owes its next request head from now on */
	set_waiting(s, conn, 1);
	if (s->log) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (double)(now.tv_sec - rq->start.tv_sec) * 1e3 +
		     (double)(now.tv_nsec - rq->start.tv_nsec) / 1e6;
		t = time(NULL);
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (rq->answered)
			snprintf(status, sizeof(status), "%u", rq->status);
		else
			snprintf(status, sizeof(status), "-");
		/* one fprintf per line: stdio locks the stream for the call, so
		 * lines of concurrent requests never interleave */
		if (rq->reason[0]) {
			char reason[sizeof(rq->reason) * 4];

			log_escape(rq->reason, 1, reason, sizeof(reason));
			fprintf(s->log, "%s %s %s %s %zu %.1fms \"%s\"\n", when, rq->method,
				rq->path, status, rq->bytes, ms, reason);
		} else {
			fprintf(s->log, "%s %s %s %s %zu %.1fms\n", when, rq->method, rq->path,
				status, rq->bytes, ms);
		}
		fflush(s->log);
	}
	free(rq);
	atomic_fetch_sub(&s->active, 1);
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes %HH in place, like libmicrohttpd's own unescaper, except %00 and
 * %2F: a NUL would silently cut the path short (a/%00/b read as "a/") and
 * an encoded slash would turn data into a separator, so both are kept as
 * the three characters, which fail every check of a segment. */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *r = s, *w = s;

	(void)cls;
	(void)conn;
	while (*r) {
		int v = r[0] == '%' && hex_value(r[1]) >= 0 && hex_value(r[2]) >= 0
				? hex_value(r[1]) * 16 + hex_value(r[2])
				: -1;

		if (v > 0 && v != '/') {
			*w++ = (char)v;
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strcspn(line, "\n");
	line[n] = '\0';
	fprintf(stderr, "cruscotto: libmicrohttpd: %s\n", line);
}

/* ---- life cycle ----------------------------------------------------------- */

/* Warns about what the session could do beyond reading the revisions: the
 * role it logged in as (not the one it SET ROLE to: RESET ROLE gives that
 * back) being a superuser, or able to create temporary tables or large
 * objects. */
static int check_session(db *c, void *arg)
{
	FILE *f = arg;
	rows *r = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT session_user, r.rolsuper,"
		     " has_database_privilege(session_user, current_database(), 'TEMPORARY'),"
		     " has_function_privilege(session_user, 'pg_catalog.lo_create(oid)', 'EXECUTE')"
		     " FROM pg_catalog.pg_roles r WHERE r.rolname = session_user",
		     0, NULL, &r);
	if (rc)
		goto out;
	if (r->nrows == 1 && strcmp(rows_get(r, 0, 1), "t") == 0)
		fprintf(f,
			"cruscotto: warning: the server's session user %s is a superuser: RESET "
			"ROLE "
			"would give every right back; log in as a role that is a member of "
			"cruscotto_web only (see docs/HTTP.md)\n",
			rows_get(r, 0, 0));
	else if (r->nrows == 1 &&
		 (strcmp(rows_get(r, 0, 2), "t") == 0 || strcmp(rows_get(r, 0, 3), "t") == 0))
		fprintf(f,
			"cruscotto: warning: the server's session user %s may create%s%s: run "
			"cruscotto init as a superuser to revoke it (see docs/HTTP.md)\n",
			rows_get(r, 0, 0),
			strcmp(rows_get(r, 0, 2), "t") == 0 ? " temporary tables" : "",
			strcmp(rows_get(r, 0, 3), "t") == 0
				? (strcmp(rows_get(r, 0, 2), "t") == 0 ? " and large objects"
								       : " large objects")
				: "");
	fflush(f);
out:
	rows_free(r);
	return rc;
}

/* Lets the process hold as many descriptors as the connections need. */
static void raise_fd_limit(unsigned connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + 128;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int http_start(const struct http_options *opt, struct http_server **out, int *warning)
{
	struct sockaddr_storage addr;
	const union MHD_DaemonInfo *info;
	struct http_server *s = NULL;
	socklen_t addr_len = 0;
	unsigned flags, max_conn;
	int rc, fresh = 0, unreachable;
	db *c = NULL;

	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(ERR_FAIL, "out of memory");
	atomic_init(&s->active, 0);
	atomic_init(&s->gen, 0);
	atomic_init(&s->gen_checked_ms, 0);
	atomic_init(&s->listening, 0);
	atomic_init(&s->notifications, 0);
	s->log = opt->access_log;
	s->header_timeout_ms =
		opt->header_timeout_ms > 0 ? opt->header_timeout_ms : DEFAULT_HEADER_TIMEOUT_MS;
	s->refresh_ms = opt->refresh_ms ? opt->refresh_ms : DEFAULT_REFRESH_MS;
	max_conn = (unsigned)(opt->max_connections > 0 ? opt->max_connections
						       : DEFAULT_MAX_CONNECTIONS);
	if (pthread_mutex_init(&s->gen_lock, NULL) != 0) {
		free(s);
		return err_set(ERR_FAIL, "cannot create a mutex");
	}
	s->gen_lock_ok = 1;
	if (pthread_mutex_init(&s->listen_lock, NULL) != 0 ||
	    pthread_cond_init(&s->listen_wake, NULL) != 0) {
		rc = err_set(ERR_FAIL, "cannot create a mutex");
		goto out;
	}
	s->listen_lock_ok = 1;
	if (opt->conninfo) {
		s->conninfo = strdup(opt->conninfo);
		if (!s->conninfo) {
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
	}
	if (pthread_mutex_init(&s->conns_lock, NULL) != 0 ||
	    pthread_cond_init(&s->watch_wake, NULL) != 0) {
		rc = err_set(ERR_FAIL, "cannot create a mutex");
		goto out;
	}
	s->conns_lock_ok = 1;
	rc = resolve_listen(opt->listen ? opt->listen : "127.0.0.1:8080", &addr, &addr_len, s->host,
			    sizeof(s->host), &s->port);
	if (rc)
		goto out;
	rc = cache_new(opt->cache_bytes < 0    ? 0
		       : opt->cache_bytes == 0 ? (size_t)DEFAULT_CACHE_BYTES
					       : (size_t)opt->cache_bytes,
		       answer_free, &s->cache);
	if (rc)
		goto out;
	s->pool_size = opt->pool_size > 0 ? opt->pool_size : DEFAULT_POOL;
	rc = pool_new(opt->conninfo, s->pool_size, setup_session, NULL, &s->pool);
	if (rc)
		goto out;
	/* a schema or role problem will not heal by itself: refuse to start;
	 * an unreachable database may come back: serve 503 until then */
	rc = pool_acquire(s->pool, POOL_WAIT_MS, &c, &fresh);
	unreachable = rc == ERR_DB;
	if (rc && !unreachable)
		goto out;
	if (c && opt->warnings) {
		rc = check_session(c, opt->warnings);
		pool_release(s->pool, c, rc == ERR_DB);
		if (rc && rc != ERR_DB)
			goto out;
	} else {
		pool_release(s->pool, c, 0);
	}
	raise_fd_limit(max_conn);
	/* a fixed pool of threads, each polling many connections: the number of
	 * threads does not grow with the number of clients */
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
		flags, (uint16_t)s->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
		on_mhd_error, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY,
		MHD_OPTION_CONNECTION_LIMIT, max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(opt->per_client > 0 ? opt->per_client : DEFAULT_PER_CLIENT),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)DEFAULT_THREADS, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, s, MHD_OPTION_END);
	if (!s->daemon) {
		rc = err_set(ERR_FAIL,
			     "cannot listen on %s (in use, or not an address of this host?)",
			     opt->listen ? opt->listen : "127.0.0.1:8080");
		goto out;
	}
	if (pthread_create(&s->watcher, NULL, watch, s) != 0) {
		rc = err_set(ERR_FAIL, "cannot start a thread");
		goto out;
	}
	s->watching = 1;
	if (pthread_create(&s->listener, NULL, listen_loop, s) != 0) {
		rc = err_set(ERR_FAIL, "cannot start a thread");
		goto out;
	}
	s->listener_running = 1;
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		s->port = info->port;
	if (warning)
		*warning = unreachable;
	*out = s;
	s = NULL;
	rc = 0;
out:
	http_stop(s);
	return rc;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

void http_stop(struct http_server *s)
{
	struct timespec pause = {0, 10 * 1000000L};
	MHD_socket fd;
	int waited;

	if (!s)
		return;
	if (s->listener_running) {
		pthread_mutex_lock(&s->listen_lock);
		s->listen_stop = 1;
		pthread_cond_signal(&s->listen_wake);
		pthread_mutex_unlock(&s->listen_lock);
		pthread_join(s->listener, NULL);
	}
	if (s->watching) {
		pthread_mutex_lock(&s->conns_lock);
		s->stopping = 1;
		pthread_cond_signal(&s->watch_wake);
		pthread_mutex_unlock(&s->conns_lock);
		pthread_join(s->watcher, NULL);
	}
	if (s->daemon) {
		/* no new connection from here on; the running requests finish */
		fd = MHD_quiesce_daemon(s->daemon);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
		for (waited = 0; atomic_load(&s->active) > 0 && waited < STOP_WAIT_MS; waited += 10)
			nanosleep(&pause, NULL);
		MHD_stop_daemon(s->daemon);
	}
	cache_free(s->cache);
	pool_free(s->pool);
	if (s->conns_lock_ok) {
		pthread_cond_destroy(&s->watch_wake);
		pthread_mutex_destroy(&s->conns_lock);
	}
	if (s->gen_lock_ok)
		pthread_mutex_destroy(&s->gen_lock);
	if (s->listen_lock_ok) {
		pthread_cond_destroy(&s->listen_wake);
		pthread_mutex_destroy(&s->listen_lock);
	}
	free(s->conninfo);
	free(s);
}

int http_serve(const struct http_options *opt, FILE *status)
{
	struct http_server *s = NULL;
	sigset_t stop, old;
	int rc, sig = 0, warning = 0;

	/* the signals are taken synchronously by sigwait below: blocked here,
	 * before any thread exists, so that every thread inherits the mask and
	 * none of them is interrupted. A shell starts background jobs with
	 * SIGINT ignored, which would discard it even when blocked. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	rc = http_start(opt, &s, &warning);
	if (rc)
		goto out;
	if (warning)
		fprintf(status,
			"cruscotto: the database is unreachable for now (%s); "
			"answering 503 until it is back\n",
			err_last());
	fprintf(status,
		"cruscotto: serving published revisions on http://%s%s%s:%d/ "
		"(stop with Ctrl-C)\n",
		strchr(s->host, ':') ? "[" : "", s->host, strchr(s->host, ':') ? "]" : "",
		http_port(s));
	fflush(status);
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(status, "cruscotto: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(status);
	http_stop(s);
out:
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
