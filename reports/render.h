/* render: a run's scorecards made and rendered by a fixed pool of worker
 * threads, and handed out one at a time in card order.
 *
 * Each worker makes a card (through the source), renders it as JSON and/or
 * PDF with a libharu renderer of its own (pdf.h: fonts parsed once per
 * worker) and gives the card back. The caller takes the results strictly in
 * card order, whatever order the workers finish in, so what it writes or
 * stores is the same from run to run. Workers run at most a few cards ahead
 * of the caller: memory holds a handful of cards and documents, never the
 * whole period. */
#ifndef CR_RENDER_H
#define CR_RENDER_H

#include "scorecard.h"

#include <stddef.h>

/* Where the cards come from. get(ctx, i, &sc) makes card i (0 <= i <
 * count) and is called from the workers, several at once for different i;
 * put(ctx, sc) gives a card back and is called by rep_render_next and
 * rep_render_stop. */
struct rep_card_source {
	int count;
	int (*get)(void *ctx, int i, const struct scorecard **out);
	void (*put)(void *ctx, const struct scorecard *sc);
	void *ctx;
};

/* One card's documents; `json` / `pdf` are NULL when not asked for. */
struct rep_rendered {
	int index;
	const struct scorecard *sc;
	char *json; /* NUL-terminated */
	size_t json_len;
	unsigned char *pdf;
	size_t pdf_len;
};

struct rep_render;

/* Starts rendering every card of `src` in the REP_FORMAT_* bits of
 * `formats` (output.h) with `workers` threads (0: one per online CPU).
 * `src` must outlive the renderer. Returns 0 and *out (finish with
 * rep_render_stop), or ERR_FAIL. */
int rep_render_start(const struct rep_card_source *src, unsigned formats, int workers,
		     struct rep_render **out);

/* What a worker does with a card's documents once rendered, before the
 * caller gets them, so that several cards are stored at once (e.g. written
 * to files): called from the workers, several at once for different cards.
 * Returns 0, or a negative error (message set) that the card then fails
 * with, the message as it is. */
typedef int (*rep_render_store)(void *ctx, const struct rep_rendered *d);

/* rep_render_start with `store` (and its ctx) called on every card. */
int rep_render_start_stored(const struct rep_card_source *src, unsigned formats, int workers,
			    rep_render_store store, void *store_ctx, struct rep_render **out);

/* The next card's documents, in card order: returns 1 and *out (valid until
 * the next call or rep_render_stop), 0 when every card was handed out, or a
 * negative error of the first card that failed (its message set, naming the
 * card); after an error only rep_render_stop remains. */
int rep_render_next(struct rep_render *r, const struct rep_rendered **out);

/* Stops the workers (cards not yet handed out are abandoned) and frees
 * everything; accepts NULL. */
void rep_render_stop(struct rep_render *r);

#endif
