/* worker: a background thread of the server that runs until it is asked
 * to stop (the request-head watcher of guard.c, the listener of listen.c),
 * with the lock and the condition it waits on. Waits are measured on the
 * monotonic clock. */
#ifndef CR_WORKER_H
#define CR_WORKER_H

#include <pthread.h>

struct worker {
	pthread_mutex_t lock; /* guards `stop`, and whatever the owner puts under it */
	pthread_cond_t wake;  /* signalled by worker_stop */
	pthread_t thread;
	int ready, running, stop;
};

/* Creates the lock and the condition of *w (zeroed). Returns 0 or
 * ERR_FAIL. */
int worker_init(struct worker *w);

/* Runs fn(arg) in a new thread. Returns 0 or ERR_FAIL. */
int worker_start(struct worker *w, void *(*fn)(void *), void *arg);

/* With w->lock held: waits up to `ms` milliseconds, or until worker_stop.
 * Returns w->stop. */
int worker_wait(struct worker *w, int ms);

/* Waits up to `ms` milliseconds, or until worker_stop (taking the lock);
 * 0 only looks. Returns 1 once the worker is asked to stop. */
int worker_pause(struct worker *w, int ms);

/* Asks the thread to stop and waits for it to end, if it runs. */
void worker_stop(struct worker *w);

/* Frees what worker_init created (none if it failed or never ran); the
 * thread stopped. */
void worker_destroy(struct worker *w);

#endif
