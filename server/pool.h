/* pool: a small, thread-safe set of database connections for the HTTP
 * server.
 *
 * At most `size` connections exist; each is used by one thread at a time.
 * Connections are opened lazily, on the first acquire that finds no idle
 * one, and prepared by the caller's `setup` (e.g. SET ROLE). A connection
 * released as broken is closed, and its place is filled by a new connection
 * on a later acquire: once the database is back after an outage, the next
 * request reconnects without any restart. */
#ifndef CR_POOL_H
#define CR_POOL_H

#include "db.h"

struct pool;

/* Prepares a freshly opened connection; returns 0 or a negative ERR_*. */
typedef int (*pool_setup_fn)(db *c, void *arg);

/* Creates a pool of at most `size` (>= 1) connections to `conninfo` (as
 * db_connect: NULL or "" means libpq's environment; copied). `setup` (or
 * NULL) runs on each new connection with `arg`. Opens nothing yet. Returns
 * 0 and *out (free with pool_free), or ERR_FAIL. */
int pool_new(const char *conninfo, int size, pool_setup_fn setup, void *arg, struct pool **out);

/* Takes a connection, waiting at most `wait_ms` milliseconds for one to be
 * released when all are in use. Opens (and sets up) a new one when no idle
 * one exists. Writes *out and *fresh (1 when opened by this call, so that a
 * failure on it is not blamed on a stale connection) only on success.
 * Errors: ERR_DB (cannot connect, or every connection stayed busy), or what
 * `setup` returned. */
int pool_acquire(struct pool *p, int wait_ms, db **out, int *fresh);

/* Gives back a connection taken with pool_acquire; `broken` closes it (after
 * ERR_DB, or when its session state is unknown). Accepts NULL. */
void pool_release(struct pool *p, db *c, int broken);

/* Runs fn(c, arg) on a connection of the pool (waiting for one as
 * pool_acquire) and returns what it returned. A failure ERR_DB on a
 * connection that was open before (the database may have restarted since)
 * is retried on another one; the connections found broken are dropped, so
 * this ends with a fresh one. */
int pool_run(struct pool *p, int wait_ms, int (*fn)(db *c, void *arg), void *arg);

/* Closes every connection; none may be in use. Accepts NULL. */
void pool_free(struct pool *p);

#endif
