/* timeout: the clock arithmetic of the server's deadlines and waits. */
#ifndef CR_TIMEOUT_H
#define CR_TIMEOUT_H

#include <pthread.h>
#include <time.h>

/* Writes into *at the time `ms` (>= 0) milliseconds from now on `clock`
 * (CLOCK_MONOTONIC, or CLOCK_REALTIME for a condition variable that uses
 * it). */
void timeout_at(clockid_t clock, int ms, struct timespec *at);

/* Initialises a condition variable whose timed waits take times of
 * CLOCK_MONOTONIC (timeout_at), which a change of the system's clock
 * cannot stretch. Returns 0 or an errno value. */
int timeout_cond_init(pthread_cond_t *cond);

/* True when a is earlier than b. */
int timeout_before(const struct timespec *a, const struct timespec *b);

/* Milliseconds on the monotonic clock (from an arbitrary origin). */
long long timeout_now_ms(void);

#endif
