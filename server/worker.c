#include "worker.h"

#include "err.h"
#include "timeout.h"

int worker_init(struct worker *w)
{
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		return err_set(ERR_FAIL, "cannot create a mutex");
	if (timeout_cond_init(&w->wake) != 0) {
		pthread_mutex_destroy(&w->lock);
		return err_set(ERR_FAIL, "cannot create a condition variable");
	}
	w->ready = 1;
	return 0;
}

int worker_start(struct worker *w, void *(*fn)(void *), void *arg)
{
	if (pthread_create(&w->thread, NULL, fn, arg) != 0)
		return err_set(ERR_FAIL, "cannot start a thread");
	w->running = 1;
	return 0;
}

int worker_wait(struct worker *w, int ms)
{
	struct timespec until;

	timeout_at(CLOCK_MONOTONIC, ms, &until);
	if (!w->stop)
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
	return w->stop;
}

int worker_pause(struct worker *w, int ms)
{
	int stop;

	pthread_mutex_lock(&w->lock);
	stop = ms > 0 ? worker_wait(w, ms) : w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

void worker_stop(struct worker *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->running = 0;
}

void worker_destroy(struct worker *w)
{
	if (!w->ready)
		return;
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	w->ready = 0;
}
