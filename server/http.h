/* http: `cruscotto serve`, the read-only HTTP server of the published
 * revisions (libmicrohttpd).
 *
 * Resources (GET and HEAD; see api.h and page.h for the bodies):
 *   /                                                  the council's page
 *   /search?q=TEXT[&policy=CODE]                       the agreements' search
 *   /api/v1/policies                                   policies with revisions
 *   /api/v1/policies/{policy}/periods                  their published periods
 *   /api/v1/policies/{policy}/scorecards/{period}      JSON (.json too), .pdf
 *   /api/v1/agreements/{agreement}/scorecards/{period} JSON (.json too), .pdf
 * Scorecards take ?revision=N for an older revision (latest without it).
 *
 * HTTP rules:
 *   - Content-Type application/json; charset=utf-8, application/pdf or
 *     text/html; charset=utf-8; X-Content-Type-Options: nosniff everywhere,
 *     a strict Content-Security-Policy on the page.
 *   - ETag: the quoted SHA-256 of the body (for a scorecard, the stored
 *     document's hash); If-None-Match with a matching tag (or *) gives 304
 *     without a body. Cache-Control: "public, max-age=31536000, immutable"
 *     for an explicit ?revision=N (but for a stored HTML page, which says
 *     how many revisions there are), "public, max-age=60" for everything else
 *     that succeeds, "no-store" for errors. Scorecards carry the revision
 *     served in X-Cruscotto-Revision.
 *   - /api/ responses carry Access-Control-Allow-Origin: * (and expose ETag
 *     and X-Cruscotto-Revision).
 *   - Errors are JSON {"error": "..."} (cJSON): 400 for a malformed path
 *     (not UTF-8, a "." or ".." segment, a code outside
 *     [A-Za-z0-9_.-]{1,64}, a period not YYYY-Qn, a revision that is not a
 *     positive integer), 404 for anything unknown or not published (a
 *     period computed but never published included), 405 with
 *     Allow: GET, HEAD for any other method, 413 for a request with a body,
 *     500 for an internal failure, 503 (Retry-After: 5) while the database is
 *     unreachable. The details of 500 and 503 go to the log, not to clients.
 *   - HEAD: the headers of GET, no body.
 *
 * The server never computes and never writes: every query runs as the role
 * cruscotto_web (SET ROLE right after connecting; the role may read the
 * revision tables only) in read-only transactions, over a pool of database
 * connections. A connection that fails is dropped and the request answered
 * 503; a request that failed on a connection opened before the failure is
 * retried once on a new one, so the first request after the database is
 * back already succeeds.
 *
 * Threads: a pool of 8 serving threads (libmicrohttpd's internal polling
 * with MHD_OPTION_THREAD_POOL_SIZE), each polling its share of at most
 * `max_connections` connections. A slow client costs no thread (its socket
 * is polled) and cannot hold the server: one client address may hold at
 * most `per_client` connections, and a connection must deliver a whole
 * request head (request line and headers) within `header_timeout_ms` of its
 * opening or of the previous response (a total deadline, not an idle
 * timeout that each byte restarts), else it is closed. The database sees at
 * most `pool_size` connections, and a request waits at most 5 s for one.
 * Requests are bounded: an 8 KiB request target (414), 16 KiB of header
 * fields (431), no body; the Host header is required in HTTP/1.1 (400).
 *
 * Cache: answers of 200 are kept in memory (cache.h), up to `cache_bytes`:
 * a document named by its revision for good, everything else (the latest
 * revision of a period, lists, the page) until a new revision is
 * published. Every publication notifies the channel cruscotto_revision
 * as it commits (schema 009_notify.sql); a listener thread LISTENs on a
 * database connection of its own (one beyond the pool) and, on each
 * notification, counts the revisions and so invalidates the answers of the
 * latest revisions before the next request. While it is not listening (at
 * start, after a lost connection, on a hot standby, which cannot LISTEN),
 * requests count the revisions themselves (one cheap query, at most every
 * `refresh_ms`); while it listens they still count once a minute, a safety
 * net. Each new LISTEN is followed by a count, which catches what was
 * published while nobody listened. While the database is unreachable,
 * documents named by their revision are still served from memory; the
 * rest is 503. */
#ifndef CR_HTTP_H
#define CR_HTTP_H

#include "db.h"

#include <stdio.h>

struct http_options {
	const char *conninfo;  /* the database, as db_connect; NULL: libpq's environment */
	const char *listen;    /* "HOST:PORT" (IPv6 as "[::1]:8080"); NULL: 127.0.0.1:8080.
				  Port 0 takes any free port (see http_port) */
	int pool_size;	       /* database connections; 0: 4 */
	int max_connections;   /* HTTP connections at once; 0: 1024 */
	FILE *access_log;      /* one line per request, or NULL for none */
	int per_client;	       /* connections of one client address at once; 0: 64 */
	int header_timeout_ms; /* deadline of a request head; 0: 10000 */
	int refresh_ms;	       /* how stale the known revision count may get; 0: 1000;
				  negative: counted before every request that needs it */
	long cache_bytes;      /* memory for cached answers; 0: 128 MiB; negative: none */
	FILE *warnings;	       /* where start-up warnings about the session go (a
				  superuser session, a role that may create temporary
				  tables or large objects), or NULL */
};
struct http_server;

/* Parses a --listen value. Returns 0 or ERR_USAGE saying what is wrong. */
int http_check_listen(const char *listen);

/* Starts serving in background threads. Checks the database first: a
 * schema or role problem (e.g. an older schema, a role cruscotto_web the
 * user cannot SET ROLE to) is ERR_FAIL; an unreachable database is not an
 * error (requests get 503 until it is back): *warning (when non-NULL) says
 * 1 then, with err_last() telling why, else 0. Errors: ERR_USAGE (bad
 * listen address), ERR_FAIL (cannot bind, ...). Writes *out (stop with
 * http_stop) and *warning only on success. */
int http_start(const struct http_options *opt, struct http_server **out, int *warning);

/* Opens a database session exactly as the server prepares each of its
 * pooled connections: the schema version checked, SET ROLE cruscotto_web,
 * read-only transactions, a statement timeout. Returns 0 and *out (close
 * with db_close), ERR_DB (unreachable) or ERR_FAIL (schema, role). */
int http_session_open(const char *conninfo, db **out);

/* The TCP port the server listens on. */
int http_port(const struct http_server *s);

/* Whether the listener holds its LISTEN now (*listening 1 or 0), and how
 * many notifications of publications it has acted on so far (each one
 * raised the cache's generation before it was counted here). */
void http_listen_state(struct http_server *s, int *listening, unsigned long *notifications);

/* Stops gracefully: accepts no new connection, lets the requests being
 * handled finish (up to 10 s), closes every connection and frees
 * everything. Accepts NULL. */
void http_stop(struct http_server *s);

/* `cruscotto serve`: starts, says where it listens on `status` (one line,
 * "cruscotto: serving http://HOST:PORT/ ..."), runs until SIGINT or SIGTERM,
 * then stops gracefully. Returns 0, or the error of http_start. */
int http_serve(const struct http_options *opt, FILE *status);

#endif
