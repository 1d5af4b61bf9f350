/* cache: the bounded in-memory store of ready answers of `serve`.
 *
 * Published documents never change, so the server keeps what it sent: each
 * entry is an opaque value (the HTTP layer stores ready responses), its size
 * in bytes and a generation. The generation says how long the value holds:
 *   - 0: for good (a document named by its revision: revisions are
 *     immutable, and the value carries the revision and the SHA-256 it was
 *     stored with);
 *   - N > 0: while the database's revision generation is still N (the
 *     latest revision of a period, the lists, the page: a new publication
 *     makes them stale; see listen.h for how the generation is learnt).
 * The total size stays under the budget: inserting evicts the least
 * recently used entries first. Every function is thread-safe; lookups run
 * in parallel (a read lock), inserts and evictions take the write lock. */
#ifndef CR_CACHE_H
#define CR_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct cache;

/* Frees a value the cache no longer holds. */
typedef void (*cache_drop_fn)(void *value);

/* Uses a value found by cache_use, under the cache's read lock: the value
 * stays alive during the call (and no longer, unless the callback takes its
 * own reference). Returns what cache_use passes on. */
typedef int (*cache_use_fn)(void *value, void *arg);

/* Creates a cache of at most `budget` bytes (0: caches nothing) whose values
 * are freed with `drop`. Returns 0 and *out (free with cache_free), or
 * ERR_FAIL. */
int cache_new(size_t budget, cache_drop_fn drop, struct cache **out);

/* Looks `key` up. An entry of generation 0, or of generation `generation`,
 * is a hit: `use` runs on its value, *result gets what it returned, and the
 * entry counts as recently used. Returns 1 on a hit, 0 on a miss (a stale
 * entry is a miss; the next cache_put replaces it). */
int cache_use(struct cache *c, const char *key, uint64_t generation, cache_use_fn use, void *arg,
	      int *result);

/* Stores `value` (of `size` bytes) under `key` with `generation` (see
 * above), replacing and dropping any previous entry of that key. The cache
 * takes the value in every case: one larger than an eighth of the budget is
 * dropped at once (a few huge documents must not flush every other one), as
 * is any value when memory runs out. */
void cache_put(struct cache *c, const char *key, uint64_t generation, size_t size, void *value);

/* Bytes and entries held now. */
void cache_stats(struct cache *c, size_t *bytes, size_t *entries);

/* Drops every value and frees the cache. Accepts NULL. */
void cache_free(struct cache *c);

#endif
