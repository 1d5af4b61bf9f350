#include "guard.h"

#include "err.h"
#include "timeout.h"
#include "worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

enum {
	TARGET_MAX = 8192,   /* bytes of a request target (414 beyond) */
	HEADERS_MAX = 16384, /* bytes of the header fields (431 beyond) */
	WATCH_MS = 100,	     /* how often deadlines are checked */
};

/* An open HTTP connection, while it may be waiting for a request head. */
struct conn {
	struct conn *prev, *next;
	MHD_socket fd;
	int waiting; /* 1 from its opening or its last response to its next request head */
	struct timespec deadline;
};

/* The open connections, for the request-head deadline. */
struct guard {
	struct worker watcher; /* its lock guards the list */
	struct conn *conns;
	int header_timeout_ms;
};

int guard_new(int header_timeout_ms, struct guard **out)
{
	struct guard *l = calloc(1, sizeof(*l));

	int rc;

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = worker_init(&l->watcher);
	if (rc) {
		free(l);
		return rc;
	}
	l->header_timeout_ms = header_timeout_ms;
	*out = l;
	return 0;
}

void guard_set_waiting(struct guard *s, struct MHD_Connection *conn, int waiting)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = info ? info->socket_context : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&s->watcher.lock);
	c->waiting = waiting;
	if (waiting)
		timeout_at(CLOCK_MONOTONIC, s->header_timeout_ms, &c->deadline);
	pthread_mutex_unlock(&s->watcher.lock);
}

void guard_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			 enum MHD_ConnectionNotificationCode code)
{
	struct guard *s = cls;
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
		timeout_at(CLOCK_MONOTONIC, s->header_timeout_ms, &c->deadline);
		pthread_mutex_lock(&s->watcher.lock);
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		pthread_mutex_unlock(&s->watcher.lock);
		*socket_context = c;
		return;
	}
	if (!c)
		return;
	/* libmicrohttpd closes the socket after this: the watcher, which holds
	 * the same lock, never touches a descriptor that was reused */
	pthread_mutex_lock(&s->watcher.lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&s->watcher.lock);
	free(c);
	*socket_context = NULL;
}

/* Closes the connections that missed their request-head deadline: shutdown
 * wakes libmicrohttpd's polling on the socket, which then sees the end of
 * the stream and closes it as it closes any other. */
static void *watch(void *arg)
{
	struct guard *s = arg;
	struct timespec now;
	struct conn *c;

	pthread_mutex_lock(&s->watcher.lock);
	do {
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (c = s->conns; c; c = c->next)
			if (c->waiting && timeout_before(&c->deadline, &now)) {
				shutdown(c->fd, SHUT_RDWR);
				c->waiting = 0;
			}
	} while (!worker_wait(&s->watcher, WATCH_MS));
	pthread_mutex_unlock(&s->watcher.lock);
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

unsigned guard_check_head(struct MHD_Connection *conn, const char *url, const char *version,
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

int guard_start(struct guard *l)
{
	return worker_start(&l->watcher, watch, l);
}

void guard_stop(struct guard *l)
{
	if (l)
		worker_stop(&l->watcher);
}

void guard_free(struct guard *l)
{
	if (!l)
		return;
	worker_destroy(&l->watcher);
	free(l);
}

void guard_raise_fd(unsigned connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + 128;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}
