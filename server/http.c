#include "http.h"

#include "api.h"
#include "cache.h"
#include "err.h"
#include "guard.h"
#include "listen.h"
#include "page.h"
#include "pool.h"
#include "respond.h"
#include "route.h"
#include "session.h"

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
	STOP_WAIT_MS = 10000,		   /* how long a stop lets running requests finish */
	KEY_MAX = 256,			   /* bytes of a cache key */
};

#define DEFAULT_CACHE_BYTES (128L * 1024 * 1024)

struct http_server {
	struct MHD_Daemon *daemon;
	struct pool *pool;
	struct cache *cache;
	struct listener *listener; /* the generation of the cache (listen.h) */
	struct guard *guard;	   /* the request-head deadlines (guard.h) */
	FILE *log;
	atomic_int active; /* requests received and not yet completed */
	int port;
	char host[128];
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

int http_session_open(const char *conninfo, db **out)
{
	return session_open(conninfo, out);
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

	return pool_run(s->pool, POOL_WAIT_MS, fetch_cb, &f);
}

void http_listen_state(struct http_server *s, int *listening, unsigned long *notifications)
{
	listen_state(s->listener, listening, notifications);
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

/* ---- serving ------------------------------------------------------------------ */

struct use_args {
	struct MHD_Connection *conn;
	struct request *rq;
};

static int use_cached(void *value, void *arg)
{
	struct use_args *u = arg;

	return respond_queue(u->conn, u->rq, value) == MHD_YES;
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

	route_key(t, key, sizeof(key));
	if (cached && pinned && cache_use(s->cache, key, 0, use_cached, &u, &sent))
		return sent ? MHD_YES : MHD_NO;
	if (cached && !pinned) {
		rc = listen_generation(s->listener, &gen);
		if (rc)
			return respond_failure(conn, rq, rc);
		if (cache_use(s->cache, key, gen, use_cached, &u, &sent))
			return sent ? MHD_YES : MHD_NO;
	}
	rc = t->kind == T_OPENAPI ? api_openapi(&rp.body) : fetch(s, t, &rp.body);
	if (rc)
		return respond_failure(conn, rq, rc);
	rp.status = MHD_HTTP_OK;
	rp.target = t;
	rp.api = t->kind != T_PAGE && t->kind != T_PERIOD_PAGE && t->kind != T_POLICY_PAGE &&
		 t->kind != T_STORED && t->kind != T_SEARCH;
	rp.scorecard = t->kind == T_SCORECARD;
	rp.immutable = immutable;
	a = respond_make(&rp, NULL);
	if (!a)
		return MHD_NO;
	res = respond_queue(conn, rq, a);
	/* tagged with the count read before the fetch: if a publication came
	 * in between, the answer is newer than its tag, never older */
	if (cached)
		cache_put(s->cache, key, pinned ? 0 : gen, a->len + a->gz_len + sizeof(*a) + 1024,
			  a);
	else
		respond_free(a);
	return res;
}

/* Looks up a query argument for route_parse. */
static int query_arg(void *ctx, const char *name, const char **value)
{
	*value = NULL;
	return MHD_lookup_connection_value_n(ctx, MHD_GET_ARGUMENT_KIND, name, strlen(name), value,
					     NULL) == MHD_YES;
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
		guard_set_waiting(s->guard, conn, 0);
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		log_escape(method, 0, rq->method, sizeof(rq->method));
		log_escape(url, 0, rq->path, sizeof(rq->path));
		*con_cls = rq;
		atomic_fetch_add(&s->active, 1);
		bad = guard_check_head(conn, url, version, &why);
		if (bad)
			return respond_error(conn, rq, bad, why, NULL);
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return respond_error(conn, rq, MHD_HTTP_METHOD_NOT_ALLOWED,
					     "method not allowed: the API is read-only (GET, HEAD)",
					     "GET, HEAD");
		length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if ((length && strcmp(length, "0") != 0) ||
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_TRANSFER_ENCODING))
			return respond_error(conn, rq, MHD_HTTP_CONTENT_TOO_LARGE,
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
	rc = route_parse(url, query_arg, conn, &t);
	if (rc)
		return respond_failure(conn, rq, rc);
	if (t.kind == T_REDIRECT)
		return respond_redirect(conn, rq, t.location);
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
	guard_set_waiting(s->guard, conn, 1);
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
	s->log = opt->access_log;
	max_conn = (unsigned)(opt->max_connections > 0 ? opt->max_connections
						       : DEFAULT_MAX_CONNECTIONS);
	rc = guard_new(opt->header_timeout_ms > 0 ? opt->header_timeout_ms
						  : DEFAULT_HEADER_TIMEOUT_MS,
		       &s->guard);
	if (rc)
		goto out;
	rc = resolve_listen(opt->listen ? opt->listen : "127.0.0.1:8080", &addr, &addr_len, s->host,
			    sizeof(s->host), &s->port);
	if (rc)
		goto out;
	rc = cache_new(opt->cache_bytes < 0    ? 0
		       : opt->cache_bytes == 0 ? (size_t)DEFAULT_CACHE_BYTES
					       : (size_t)opt->cache_bytes,
		       respond_free, &s->cache);
	if (rc)
		goto out;
	rc = pool_new(opt->conninfo, opt->pool_size > 0 ? opt->pool_size : DEFAULT_POOL,
		      session_setup, NULL, &s->pool);
	if (rc == 0)
		rc = listen_new(opt->conninfo, s->pool, POOL_WAIT_MS,
				opt->refresh_ms ? opt->refresh_ms : DEFAULT_REFRESH_MS,
				&s->listener);
	if (rc)
		goto out;
	/* a schema or role problem will not heal by itself: refuse to start;
	 * an unreachable database may come back: serve 503 until then */
	rc = pool_acquire(s->pool, POOL_WAIT_MS, &c, &fresh);
	unreachable = rc == ERR_DB;
	if (rc && !unreachable)
		goto out;
	if (c && opt->warnings) {
		rc = session_warn(c, opt->warnings);
		pool_release(s->pool, c, rc == ERR_DB);
		if (rc && rc != ERR_DB)
			goto out;
	} else {
		pool_release(s->pool, c, 0);
	}
	guard_raise_fd(max_conn);
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
		on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, guard_on_connection, s->guard,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, s, MHD_OPTION_END);
	if (!s->daemon) {
		rc = err_set(ERR_FAIL,
			     "cannot listen on %s (in use, or not an address of this host?)",
			     opt->listen ? opt->listen : "127.0.0.1:8080");
		goto out;
	}
	rc = guard_start(s->guard);
	if (rc == 0)
		rc = listen_start(s->listener);
	if (rc)
		goto out;
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
	listen_stop(s->listener);
	guard_stop(s->guard);
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
	listen_free(s->listener);
	guard_free(s->guard);
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
