#include "pool.h"

#include "err.h"
#include "timeout.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A place for one connection: empty (conn NULL) or holding one, idle or in
 * use. A busy empty slot is one whose connection is being opened. */
struct slot {
	db *conn;
	int busy;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t released; /* a slot became free */
	char *conninfo;
	pool_setup_fn setup;
	void *arg;
	int size;
	struct slot *slots;
};

int pool_new(const char *conninfo, int size, pool_setup_fn setup, void *arg, struct pool **out)
{
	struct pool *p;
	int rc = 0, lock_ok = 0;

	if (size < 1)
		return err_set(ERR_FAIL, "a pool needs at least one connection");
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_set(ERR_FAIL, "out of memory");
	p->size = size;
	p->setup = setup;
	p->arg = arg;
	p->conninfo = strdup(conninfo ? conninfo : "");
	p->slots = calloc((size_t)size, sizeof(*p->slots));
	if (!p->conninfo || !p->slots) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		rc = err_set(ERR_FAIL, "cannot create a mutex");
		goto out;
	}
	lock_ok = 1;
	/* waits are bounded in monotonic time: a clock change cannot stretch them */
	if (timeout_cond_init(&p->released) != 0) {
		rc = err_set(ERR_FAIL, "cannot create a condition variable");
		goto out;
	}
	*out = p;
	p = NULL;
out:
	if (p) {
		if (lock_ok)
			pthread_mutex_destroy(&p->lock);
		free(p->conninfo);
		free(p->slots);
		free(p);
	}
	return rc;
}

/* The slot to take, preferring an idle connection to an empty place, or -1. */
static int free_slot(const struct pool *p)
{
	int i, empty = -1;

	for (i = 0; i < p->size; i++) {
		if (p->slots[i].busy)
			continue;
		if (p->slots[i].conn)
			return i;
		if (empty < 0)
			empty = i;
	}
	return empty;
}

int pool_acquire(struct pool *p, int wait_ms, db **out, int *fresh)
{
	struct timespec deadline;
	db *c = NULL;
	int i, rc = 0;

	timeout_at(CLOCK_MONOTONIC, wait_ms, &deadline);
	pthread_mutex_lock(&p->lock);
	while ((i = free_slot(p)) < 0)
		if (pthread_cond_timedwait(&p->released, &p->lock, &deadline) == ETIMEDOUT &&
		    (i = free_slot(p)) < 0)
			break;
	if (i >= 0) {
		p->slots[i].busy = 1;
		c = p->slots[i].conn;
	}
	pthread_mutex_unlock(&p->lock);
	if (i < 0)
		return err_set(ERR_DB, "all %d database connections stayed busy for %d ms", p->size,
			       wait_ms);
	if (c) {
		*out = c;
		*fresh = 0;
		return 0;
	}
	/* connecting happens outside the lock: a slow or unreachable database
	 * must not hold up the threads that have a connection */
	rc = db_connect(p->conninfo, &c);
	if (rc == 0 && p->setup)
		rc = p->setup(c, p->arg);
	if (rc) {
		db_close(c);
		c = NULL;
	}
	pthread_mutex_lock(&p->lock);
	p->slots[i].conn = c;
	if (!c) {
		p->slots[i].busy = 0;
		pthread_cond_signal(&p->released);
	}
	pthread_mutex_unlock(&p->lock);
	if (rc)
		return rc;
	*out = c;
	*fresh = 1;
	return 0;
}

void pool_release(struct pool *p, db *c, int broken)
{
	int i;

	if (!p || !c)
		return;
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->size; i++) {
		if (p->slots[i].conn != c)
			continue;
		if (broken)
			p->slots[i].conn = NULL;
		p->slots[i].busy = 0;
		break;
	}
	pthread_cond_signal(&p->released);
	pthread_mutex_unlock(&p->lock);
	if (broken)
		db_close(c);
}

void pool_free(struct pool *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < p->size; i++)
		db_close(p->slots[i].conn);
	pthread_cond_destroy(&p->released);
	pthread_mutex_destroy(&p->lock);
	free(p->slots);
	free(p->conninfo);
	free(p);
}

int pool_run(struct pool *p, int wait_ms, int (*fn)(db *c, void *arg), void *arg)
{
	int attempt, rc = ERR_DB, fresh = 0;
	db *c = NULL;

	for (attempt = 0; attempt <= p->size; attempt++) {
		rc = pool_acquire(p, wait_ms, &c, &fresh);
		if (rc)
			return rc;
		rc = fn(c, arg);
		pool_release(p, c, rc == ERR_DB);
		if (rc != ERR_DB || fresh)
			break;
	}
	return rc;
}
