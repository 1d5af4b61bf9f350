/* timeout: the clock arithmetic of the server's deadlines and waits. */
#ifndef CR_TIMEOUT_H
#define CR_TIMEOUT_H

#include <time.h>

/* Writes into *at the time `ms` (>= 0) milliseconds from now on `clock`
 * (CLOCK_MONOTONIC, or CLOCK_REALTIME for a condition variable that uses
 * it). */
void timeout_at(clockid_t clock, int ms, struct timespec *at);

/* True when a is earlier than b. */
int timeout_before(const struct timespec *a, const struct timespec *b);

/* Milliseconds on the monotonic clock (from an arbitrary origin). */
long long timeout_now_ms(void);

#endif
