#include "render.h"

#include "err.h"
#include "json.h"
#include "output.h"
#include "pdf.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* At most this many workers, whatever the machine says. */
#define MAX_WORKERS 16

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

/* A card on its way: slot i % nslots holds card i between the worker that
 * claims it and the caller that has taken it and moved on. */
struct slot {
	enum slot_state state;
	struct rep_rendered doc;
	int rc;
	char err[1024];
};

struct rep_render {
	const struct rep_card_source *src;
	unsigned formats;
	rep_render_store store; /* or NULL */
	void *store_ctx;
	pthread_mutex_t lock;
	pthread_cond_t done;  /* a slot became SLOT_DONE */
	pthread_cond_t space; /* the caller moved on, or stop */
	struct slot *slots;
	int nslots;
	int next_claim; /* the next card a worker takes */
	int next_give;	/* the next card the caller gets */
	int held;	/* the card the caller holds, or -1 */
	int stop;
	pthread_t *threads;
	int nthreads;
	int failed; /* an error was handed out */
};

static void clear_doc(struct rep_render *r, struct slot *s)
{
	if (s->doc.sc)
		r->src->put(r->src->ctx, s->doc.sc);
	free(s->doc.json);
	free(s->doc.pdf);
	memset(&s->doc, 0, sizeof(s->doc));
	s->rc = 0;
	s->err[0] = '\0';
	s->state = SLOT_FREE;
}

/* Makes and renders card i into s (outside the lock). */
static int render_card(struct rep_render *r, struct rep_pdf **pdf, int i, struct slot *s)
{
	const struct scorecard *sc = NULL;
	int rc;

	s->doc.index = i;
	rc = r->src->get(r->src->ctx, i, &sc);
	if (rc)
		return rc;
	s->doc.sc = sc;
	if (r->formats & REP_FORMAT_JSON) {
		rc = rep_json_render(sc, &s->doc.json);
		if (rc)
			return rc;
		s->doc.json_len = strlen(s->doc.json);
	}
	if (r->formats & REP_FORMAT_PDF) {
		if (!*pdf && (rc = rep_pdf_new(pdf)) != 0)
			return rc;
		rc = rep_pdf_draw(*pdf, sc, &s->doc.pdf, &s->doc.pdf_len);
		if (rc) {
			/* a handle that failed mid-document starts afresh */
			rep_pdf_free(*pdf);
			*pdf = NULL;
		}
	}
	return rc;
}

static void *worker(void *arg)
{
	struct rep_render *r = arg;
	struct rep_pdf *pdf = NULL;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct slot *s;
		int i = r->next_claim, rc;

		if (r->stop || i >= r->src->count)
			break;
		/* never more than nslots cards ahead of the caller */
		if (i >= r->next_give + r->nslots - 1 ||
		    r->slots[i % r->nslots].state != SLOT_FREE) {
			pthread_cond_wait(&r->space, &r->lock);
			continue;
		}
		r->next_claim++;
		s = &r->slots[i % r->nslots];
		s->state = SLOT_BUSY;
		pthread_mutex_unlock(&r->lock);
		err_clear();
		rc = render_card(r, &pdf, i, s);
		if (rc == 0 && r->store && (rc = r->store(r->store_ctx, &s->doc)) != 0) {
			snprintf(s->err, sizeof(s->err), "%s", err_last());
		} else if (rc) {
			const struct scorecard *sc = s->doc.sc;

			if (sc)
				snprintf(s->err, sizeof(s->err),
					 "cannot render the scorecard of %s: %s",
					 sc->agreement_code ? sc->agreement_code : sc->policy_code,
					 err_last());
			else
				snprintf(s->err, sizeof(s->err), "%s", err_last());
		}
		pthread_mutex_lock(&r->lock);
		s->rc = rc;
		s->state = SLOT_DONE;
		/* the caller waits for one card, the next in order: waking it
		 * for any other would only put it back to sleep */
		if (i == r->next_give)
			pthread_cond_signal(&r->done);
	}
	pthread_mutex_unlock(&r->lock);
	rep_pdf_free(pdf);
	return NULL;
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

int rep_render_start(const struct rep_card_source *src, unsigned formats, int workers,
		     struct rep_render **out)
{
	return rep_render_start_stored(src, formats, workers, NULL, NULL, out);
}

int rep_render_start_stored(const struct rep_card_source *src, unsigned formats, int workers,
			    rep_render_store store, void *store_ctx, struct rep_render **out)
{
	struct rep_render *r = calloc(1, sizeof(*r));
	int rc = 0, i;

	if (!r)
		return err_set(ERR_FAIL, "out of memory");
	if (workers <= 0)
		workers = online_cpus();
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	if (workers > src->count)
		workers = src->count > 0 ? src->count : 1;
	r->src = src;
	r->formats = formats;
	r->store = store;
	r->store_ctx = store_ctx;
	r->held = -1;
	/* room for each worker's card and one more each, plus the caller's */
	r->nslots = 2 * workers + 1;
	r->slots = calloc(r->nslots, sizeof(*r->slots));
	r->threads = calloc(workers, sizeof(*r->threads));
	if (!r->slots || !r->threads) {
		free(r->slots);
		free(r->threads);
		free(r);
		return err_set(ERR_FAIL, "out of memory");
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->done, NULL);
	pthread_cond_init(&r->space, NULL);
	for (i = 0; i < workers; i++) {
		if (pthread_create(&r->threads[i], NULL, worker, r) != 0) {
			rc = err_set(ERR_FAIL, "cannot start a rendering thread");
			break;
		}
		r->nthreads++;
	}
	if (rc) {
		rep_render_stop(r);
		return rc;
	}
	*out = r;
	return 0;
}

int rep_render_next(struct rep_render *r, const struct rep_rendered **out)
{
	struct slot *s;
	int i, rc;

	if (r->failed)
		return err_set(ERR_FAIL, "rendering already failed");
	pthread_mutex_lock(&r->lock);
	if (r->held >= 0) {
		/* the card handed out last time is done with: its slot is free */
		s = &r->slots[r->held % r->nslots];
		pthread_mutex_unlock(&r->lock);
		clear_doc(r, s);
		pthread_mutex_lock(&r->lock);
		r->held = -1;
		r->next_give++;
		pthread_cond_broadcast(&r->space);
	}
	i = r->next_give;
	if (i >= r->src->count) {
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	s = &r->slots[i % r->nslots];
	while (!(s->state == SLOT_DONE && s->doc.index == i))
		pthread_cond_wait(&r->done, &r->lock);
	r->held = i;
	rc = s->rc;
	pthread_mutex_unlock(&r->lock);
	if (rc) {
		r->failed = 1;
		return err_set(rc, "%s", s->err);
	}
	*out = &s->doc;
	return 1;
}

void rep_render_stop(struct rep_render *r)
{
	int i;

	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_broadcast(&r->space);
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->nthreads; i++)
		pthread_join(r->threads[i], NULL);
	for (i = 0; i < r->nslots; i++)
		clear_doc(r, &r->slots[i]);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->done);
	pthread_cond_destroy(&r->space);
	free(r->slots);
	free(r->threads);
	free(r);
}
