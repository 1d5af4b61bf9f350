#include "listen.h"

#include "err.h"
#include "session.h"
#include "timeout.h"
#include "worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	LISTEN_WAIT_MS = 250,	      /* how long the listener waits before checking for a stop */
	LISTEN_RETRY_MS = 1000,	      /* before reconnecting the listener after a loss */
	LISTEN_REFUSED_MS = 30000,    /* before trying LISTEN again where it was refused */
	LISTENING_REFRESH_MS = 60000, /* the slow count while notifications arrive */
};

/* The channel publications notify (schema 009_notify.sql). */
#define REVISION_CHANNEL "cruscotto_revision"

struct listener {
	struct pool *pool;
	int pool_wait_ms;
	int refresh_ms;
	/* the generation, read at most every refresh_ms */
	pthread_mutex_t gen_lock;
	atomic_uint_fast64_t gen;
	atomic_llong gen_checked_ms;
	/* the listener: a connection of its own that LISTENs for publications
	 * and raises the generation as each one commits */
	char *conninfo;
	struct worker thread;
	atomic_int listening;	    /* 1 while LISTEN holds */
	atomic_ulong notifications; /* publications learnt by notification */
};

int listen_new(const char *conninfo, struct pool *pool, int pool_wait_ms, int refresh_ms,
	       struct listener **out)
{
	struct listener *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	atomic_init(&l->gen, 0);
	atomic_init(&l->gen_checked_ms, 0);
	atomic_init(&l->listening, 0);
	atomic_init(&l->notifications, 0);
	l->pool = pool;
	l->pool_wait_ms = pool_wait_ms;
	l->refresh_ms = refresh_ms;
	if (pthread_mutex_init(&l->gen_lock, NULL) != 0) {
		free(l);
		return err_set(ERR_FAIL, "cannot create a mutex");
	}
	rc = worker_init(&l->thread);
	if (rc == 0 && conninfo && !(l->conninfo = strdup(conninfo)))
		rc = err_set(ERR_FAIL, "out of memory");
	if (rc) {
		listen_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

/* Counts the published revisions. Revisions are never deleted (the schema
 * forbids it, whoever asks), so the count grows with every publication,
 * whatever order concurrent publications commit in (a maximum id would not:
 * a lower id may commit after a higher one). A hot standby answers it too. */
static int count_revisions(db *c, void *arg)
{
	uint64_t *out = arg;
	long long n = 0;
	int rc = db_exec_long(c, "SELECT count(*) FROM cruscotto.revision", &n);

	if (rc == 0)
		*out = (uint64_t)n + 1;
	return rc;
}

/* Stores a count read from the database as the generation, unless a later
 * one is known already: the count only grows, and a thread that counted
 * before a publication must not undo the listener, which counted after it. */
static void raise_generation(struct listener *s, uint64_t n)
{
	uint64_t g = atomic_load(&s->gen);

	while ((g == 0 || g < n) && !atomic_compare_exchange_weak(&s->gen, &g, n))
		;
	atomic_store(&s->gen_checked_ms, timeout_now_ms());
}

/* The generation of the cache: the revision count as of at most refresh_ms
 * ago, or, while the listener hears every publication, as of its last
 * notification (with a count every LISTENING_REFRESH_MS all the same). One
 * thread counts at a time; the others keep using the last count meanwhile,
 * or wait for it when there is none (at start, after a failure, or when
 * every request counts). */
int listen_generation(struct listener *s, uint64_t *out)
{
	uint64_t g = atomic_load(&s->gen), n = 0;
	long long every = s->refresh_ms;
	int rc;

	if (atomic_load(&s->listening) && every < LISTENING_REFRESH_MS)
		every = LISTENING_REFRESH_MS;
	if (g && s->refresh_ms >= 0) {
		if (timeout_now_ms() - atomic_load(&s->gen_checked_ms) < every)
			goto known;
		if (pthread_mutex_trylock(&s->gen_lock) != 0)
			goto known;
	} else {
		pthread_mutex_lock(&s->gen_lock);
	}
	rc = pool_run(s->pool, s->pool_wait_ms, count_revisions, &n);
	/* a failure forgets the count: until the database answers again, only
	 * documents named by their revision come from memory */
	if (rc == 0) {
		raise_generation(s, n);
	} else {
		atomic_store(&s->gen, 0);
		atomic_store(&s->gen_checked_ms, timeout_now_ms());
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

/* The listener thread: LISTENs on a session of its own (prepared like the
 * pool's) and, on each notification, counts the revisions on that session
 * and raises the generation, so that the very next request sees the new
 * revision. Publications committed while it was not listening (at start,
 * after a lost connection) are caught by the count right after each LISTEN;
 * meanwhile, and where LISTEN is refused (a hot standby), requests count
 * every refresh_ms as before. */
static void *listen_loop(void *arg)
{
	struct listener *s = arg;
	uint64_t n = 0;
	int rc, got, wait_ms;
	db *c = NULL;

	while (!worker_pause(&s->thread, 0)) {
		if (!c) {
			rc = session_open(s->conninfo, &c);
			if (rc == 0)
				rc = db_listen(c, REVISION_CHANNEL);
			if (rc == 0)
				rc = count_revisions(c, &n);
			if (rc) {
				db_close(c);
				c = NULL;
				wait_ms = rc == ERR_DB ? LISTEN_RETRY_MS : LISTEN_REFUSED_MS;
				if (worker_pause(&s->thread, wait_ms))
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
			if (worker_pause(&s->thread, LISTEN_RETRY_MS))
				break;
		}
	}
	atomic_store(&s->listening, 0);
	db_close(c);
	return NULL;
}

void listen_state(struct listener *s, int *listening, unsigned long *notifications)
{
	*listening = atomic_load(&s->listening);
	*notifications = atomic_load(&s->notifications);
}

int listen_start(struct listener *l)
{
	return worker_start(&l->thread, listen_loop, l);
}

void listen_stop(struct listener *l)
{
	if (l)
		worker_stop(&l->thread);
}

void listen_free(struct listener *l)
{
	if (!l)
		return;
	worker_destroy(&l->thread);
	pthread_mutex_destroy(&l->gen_lock);
	free(l->conninfo);
	free(l);
}
