#include "cache.h"

#include "err.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	struct entry *next; /* in its bucket */
	char *key;
	uint64_t hash;
	uint64_t generation;
	size_t size;
	void *value;
	atomic_uint_fast64_t used; /* the cache's clock at the last hit: LRU order */
};

struct cache {
	pthread_rwlock_t lock;
	cache_drop_fn drop;
	size_t budget, bytes, count, nbuckets;
	struct entry **buckets;
	atomic_uint_fast64_t clock;
};

/* FNV-1a, 64 bits. */
static uint64_t hash_of(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int cache_new(size_t budget, cache_drop_fn drop, struct cache **out)
{
	struct cache *c = calloc(1, sizeof(*c));

	if (!c)
		return err_set(ERR_FAIL, "out of memory");
	c->nbuckets = 256;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (!c->buckets || pthread_rwlock_init(&c->lock, NULL) != 0) {
		free(c->buckets);
		free(c);
		return err_set(ERR_FAIL, "out of memory");
	}
	c->budget = budget;
	c->drop = drop;
	atomic_init(&c->clock, 1);
	*out = c;
	return 0;
}

/* The entry of `key`, and the link pointing to it, or NULL. */
static struct entry *find(struct cache *c, const char *key, uint64_t h, struct entry ***link)
{
	struct entry **p = &c->buckets[h % c->nbuckets];

	for (; *p; p = &(*p)->next)
		if ((*p)->hash == h && strcmp((*p)->key, key) == 0) {
			if (link)
				*link = p;
			return *p;
		}
	return NULL;
}

int cache_use(struct cache *c, const char *key, uint64_t generation, cache_use_fn use, void *arg,
	      int *result)
{
	uint64_t h = hash_of(key);
	struct entry *e;
	int hit = 0;

	pthread_rwlock_rdlock(&c->lock);
	e = find(c, key, h, NULL);
	if (e && (e->generation == 0 || e->generation == generation)) {
		atomic_store_explicit(&e->used, atomic_fetch_add(&c->clock, 1),
				      memory_order_relaxed);
		*result = use(e->value, arg);
		hit = 1;
	}
	pthread_rwlock_unlock(&c->lock);
	return hit;
}

static void unlink_entry(struct cache *c, struct entry **link)
{
	struct entry *e = *link;

	*link = e->next;
	c->bytes -= e->size;
	c->count--;
	c->drop(e->value);
	free(e->key);
	free(e);
}

/* Evicts the least recently used entries until `room` more bytes fit. One
 * scan per eviction: inserts happen on misses only, and a cache holds
 * thousands of entries, not millions. */
static void make_room(struct cache *c, size_t room)
{
	while (c->count > 0 && c->bytes + room > c->budget) {
		struct entry **oldest = NULL, **p;
		uint64_t min = UINT64_MAX;
		size_t b;

		for (b = 0; b < c->nbuckets; b++)
			for (p = &c->buckets[b]; *p; p = &(*p)->next) {
				uint64_t u =
					atomic_load_explicit(&(*p)->used, memory_order_relaxed);

				if (u < min) {
					min = u;
					oldest = p;
				}
			}
		unlink_entry(c, oldest);
	}
}

/* Doubles the buckets when entries outnumber them; keeps the old table when
 * memory runs out (chains just grow longer). */
static void grow(struct cache *c)
{
	size_t n = c->nbuckets * 2, b;
	struct entry **t, *e, *next;

	if (c->count < c->nbuckets)
		return;
	t = calloc(n, sizeof(*t));
	if (!t)
		return;
	for (b = 0; b < c->nbuckets; b++)
		for (e = c->buckets[b]; e; e = next) {
			next = e->next;
			e->next = t[e->hash % n];
			t[e->hash % n] = e;
		}
	free(c->buckets);
	c->buckets = t;
	c->nbuckets = n;
}

void cache_put(struct cache *c, const char *key, uint64_t generation, size_t size, void *value)
{
	uint64_t h = hash_of(key);
	struct entry *e, **link = NULL;

	if (size > c->budget / 8) {
		c->drop(value);
		return;
	}
	e = calloc(1, sizeof(*e));
	if (e)
		e->key = strdup(key);
	if (!e || !e->key) {
		free(e);
		c->drop(value);
		return;
	}
	e->hash = h;
	e->generation = generation;
	e->size = size;
	e->value = value;
	pthread_rwlock_wrlock(&c->lock);
	if (find(c, key, h, &link))
		unlink_entry(c, link);
	make_room(c, size);
	atomic_init(&e->used, atomic_fetch_add(&c->clock, 1));
	e->next = c->buckets[h % c->nbuckets];
	c->buckets[h % c->nbuckets] = e;
	c->bytes += size;
	c->count++;
	grow(c);
	pthread_rwlock_unlock(&c->lock);
}

void cache_stats(struct cache *c, size_t *bytes, size_t *entries)
{
	pthread_rwlock_rdlock(&c->lock);
	*bytes = c->bytes;
	*entries = c->count;
	pthread_rwlock_unlock(&c->lock);
}

void cache_free(struct cache *c)
{
	size_t b;

	if (!c)
		return;
	for (b = 0; b < c->nbuckets; b++)
		while (c->buckets[b])
			unlink_entry(c, &c->buckets[b]);
	pthread_rwlock_destroy(&c->lock);
	free(c->buckets);
	free(c);
}
