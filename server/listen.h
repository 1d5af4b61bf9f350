/* listen: how the server learns of new publications (http.h, "Cache").
 *
 * The generation of the cache is the number of published revisions, + 1
 * (0: unknown). A listener thread LISTENs on a session of its own (one
 * beyond the pool) for the notifications that publications send as they
 * commit, and counts the revisions on each one, so that the very next
 * request sees the new revision. While it does not listen (at start, after
 * a lost connection, on a hot standby, which cannot LISTEN), requests count
 * the revisions themselves, at most every `refresh_ms`; while it listens
 * they still count once a minute, a safety net. */
#ifndef CR_LISTEN_H
#define CR_LISTEN_H

#include "pool.h"

#include <stdint.h>

struct listener;

/* Creates the generation's state: counts run on `pool` (waiting up to
 * `pool_wait_ms` for a connection) at most every `refresh_ms` (negative:
 * before every request that asks), the listener on a session of its own to
 * `conninfo` (copied; NULL: libpq's environment). Starts no thread. Returns
 * 0 and *out (free with listen_free), or ERR_FAIL. */
int listen_new(const char *conninfo, struct pool *pool, int pool_wait_ms, int refresh_ms,
	       struct listener **out);

/* Starts the listener thread. Returns 0 or ERR_FAIL. */
int listen_start(struct listener *l);

/* Stops the listener thread, if it runs. Accepts NULL. */
void listen_stop(struct listener *l);

/* Frees the state (the thread stopped). Accepts NULL. */
void listen_free(struct listener *l);

/* The generation of the cache, counted when the last count is older than
 * allowed. Returns 0 and *out, or the error of the count (which forgets the
 * generation until the database answers again). */
int listen_generation(struct listener *l, uint64_t *out);

/* Whether the listener holds its LISTEN now, and how many notifications it
 * has acted on (see http_listen_state). */
void listen_state(struct listener *l, int *listening, unsigned long *notifications);

#endif
