#include "evidence.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

/* One row of Q_EVIDENCE, its text pointing into the rows. */
struct record {
	const char *code, *kind, *recorded_on, *title, *summary, *agreement, *neighbourhood;
	struct sc_num participants;
};

/* The records in listing order (newest first, ties by code), so that a
 * record's index is its place in any list; and the indexes of those that
 * name an agreement (a neighbourhood), sorted by that code and then by
 * listing order, so that one place's records are a run found by bisection
 * and already in listing order. */
struct ind_evidence {
	struct record *rec;
	int n;
	int *by_agreement, n_agreement;
	int *by_neighbourhood, n_neighbourhood;
};

static int cmp_listing(const void *a, const void *b)
{
	const struct record *x = a, *y = b;
	int c = strcmp(y->recorded_on, x->recorded_on);

	return c ? c : strcmp(x->code, y->code);
}

/* What cmp_place reads besides the two indexes it compares: the records,
 * and which place orders them (then the listing order, the index itself). */
struct by_place {
	const struct record *rec;
	int agreement; /* 1: by agreement, 0: by neighbourhood */
};

static const char *place_of(const struct record *r, int agreement)
{
	return agreement ? r->agreement : r->neighbourhood;
}

static int cmp_place(const void *a, const void *b, void *arg)
{
	const struct by_place *bp = arg;
	int i = *(const int *)a, j = *(const int *)b;
	int c = strcmp(place_of(&bp->rec[i], bp->agreement), place_of(&bp->rec[j], bp->agreement));

	return c ? c : (i > j) - (i < j);
}

/* The indexes of the records that name a place of that kind, sorted. */
static int index_places(struct ind_evidence *ev, int agreement, int **out, int *n_out)
{
	struct by_place bp = {ev->rec, agreement};
	int *idx = malloc((ev->n ? ev->n : 1) * sizeof(*idx)), i, n = 0;

	if (!idx)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < ev->n; i++)
		if (place_of(&ev->rec[i], agreement))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_place, &bp);
	*out = idx;
	*n_out = n;
	return 0;
}

int ind_evidence_new(const rows *r, struct ind_evidence **out)
{
	struct ind_evidence *ev = calloc(1, sizeof(*ev));
	int c[8], i, k, rc = 0;
	static const char *const cols[8] = {"code",	 "kind",	 "recorded_on",
					    "title",	 "summary",	 "participants",
					    "agreement", "neighbourhood"};

	if (!ev)
		return err_set(ERR_FAIL, "out of memory");
	for (k = 0; k < 8; k++) {
		c[k] = rows_col(r, cols[k]);
		if (c[k] < 0) {
			rc = err_set(ERR_FAIL, "query evidence: no column %s", cols[k]);
			goto out;
		}
	}
	ev->n = r->nrows;
	ev->rec = calloc(ev->n ? ev->n : 1, sizeof(*ev->rec));
	if (!ev->rec) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < ev->n; i++) {
		struct record *x = &ev->rec[i];
		const char *p = rows_get(r, i, c[5]);

		x->code = rows_get(r, i, c[0]);
		x->kind = rows_get(r, i, c[1]);
		x->recorded_on = rows_get(r, i, c[2]);
		x->title = rows_get(r, i, c[3]);
		x->summary = rows_get(r, i, c[4]);
		x->agreement = rows_get(r, i, c[6]);
		x->neighbourhood = rows_get(r, i, c[7]);
		if (!x->code || !x->kind || !x->recorded_on || !x->title || !x->summary) {
			rc = err_set(ERR_FAIL, "query evidence: row %d: a required column is null",
				     i + 1);
			goto out;
		}
		if (p) {
			x->participants.set = 1;
			x->participants.v = strtod(p, NULL);
		}
	}
	/* the query's order is not relied on: the listing order is this one */
	qsort(ev->rec, ev->n, sizeof(*ev->rec), cmp_listing);
	rc = index_places(ev, 1, &ev->by_agreement, &ev->n_agreement);
	if (rc == 0)
		rc = index_places(ev, 0, &ev->by_neighbourhood, &ev->n_neighbourhood);
out:
	if (rc) {
		ind_evidence_free(ev);
		return rc;
	}
	*out = ev;
	return 0;
}

/* Appends to pick[n ..] (only counts when pick is NULL) the records whose
 * place (an agreement's or a neighbourhood's) is `code`: their run in the
 * place index, found by bisection. Returns n plus their number. */
static int add_place(const struct ind_evidence *ev, int agreement, const char *code, int *pick,
		     int n)
{
	const int *idx = agreement ? ev->by_agreement : ev->by_neighbourhood;
	int size = agreement ? ev->n_agreement : ev->n_neighbourhood, lo = 0, hi = size, end;

	if (!code)
		return n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(place_of(&ev->rec[idx[mid]], agreement), code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < size && strcmp(place_of(&ev->rec[idx[end]], agreement), code) == 0;
	     end++)
		;
	if (pick)
		memcpy(pick + n, idx + lo, (size_t)(end - lo) * sizeof(*pick));
	return n + end - lo;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void free_list(struct sc_evidence *list, int n)
{
	int i;

	for (i = 0; list && i < n; i++) {
		free(list[i].code);
		free(list[i].kind);
		free(list[i].recorded_on);
		free(list[i].title);
		free(list[i].summary);
		free(list[i].agreement_code);
		free(list[i].neighbourhood_code);
	}
	free(list);
}

/* Copies a record into a scorecard's list entry; 0 or ERR_FAIL. */
static int copy_record(const struct record *x, struct sc_evidence *e)
{
	e->code = strdup(x->code);
	e->kind = strdup(x->kind);
	e->recorded_on = strdup(x->recorded_on);
	e->title = strdup(x->title);
	e->summary = strdup(x->summary);
	e->participants = x->participants;
	e->agreement_code = dup_or_null(x->agreement);
	e->neighbourhood_code = dup_or_null(x->neighbourhood);
	if (!e->code || !e->kind || !e->recorded_on || !e->title || !e->summary ||
	    (x->agreement && !e->agreement_code) || (x->neighbourhood && !e->neighbourhood_code))
		return err_set(ERR_FAIL, "out of memory");
	return 0;
}

/* The indexes of the records of sc's places, in listing order, each once:
 * *out (caller frees) and *n_out. At P every record, *out NULL. */
static int pick_records(const struct ind_evidence *ev, const struct scorecard *sc, int **out,
			int *n_out)
{
	int *pick = NULL, n = 0, pass, i, k;

	*out = NULL;
	*n_out = 0;
	if (sc->level == CAT_POLICY) {
		*n_out = ev->n;
		return 0;
	}
	/* the first pass counts, the second copies */
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		if (sc->level == CAT_AGREEMENT)
			n = add_place(ev, 1, sc->agreement_code, pick, n);
		if (sc->level == CAT_NEIGHBOURHOOD) {
			n = add_place(ev, 0, sc->neighbourhood.code, pick, n);
			for (i = 0; sc->covering && i < sc->n_covering; i++)
				n = add_place(ev, 1, sc->covering[i].code, pick, n);
		}
		if (pass == 0) {
			pick = malloc((n ? n : 1) * sizeof(*pick));
			if (!pick)
				return err_set(ERR_FAIL, "out of memory");
		}
	}
	/* one place's run is in listing order already; several are merged,
	 * and a record met twice (an agreement listed twice) kept once */
	qsort(pick, n, sizeof(*pick), cmp_int);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || pick[k - 1] != pick[i])
			pick[k++] = pick[i];
	*out = pick;
	*n_out = k;
	return 0;
}

int ind_evidence_fill(const struct ind_evidence *ev, struct scorecard *sc)
{
	const char *start = sc->period_start, *end = sc->period_end;
	struct sc_evidence *list = NULL;
	long long total = 0;
	int *pick = NULL, n = 0, listed = 0, i, rc;

	rc = pick_records(ev, sc, &pick, &n);
	if (rc)
		return rc;
	list = calloc(n ? n : 1, sizeof(*list));
	if (!list) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct record *x = &ev->rec[pick ? pick[i] : i];

		if (strcmp(x->recorded_on, end) > 0)
			continue;
		total++;
		if (strcmp(x->recorded_on, start) < 0)
			continue;
		rc = copy_record(x, &list[listed++]);
		if (rc)
			goto out;
	}
	free_list(sc->evidence, sc->n_evidence);
	sc->evidence = list;
	sc->n_evidence = listed;
	sc->evidence_total = total;
	list = NULL;
out:
	free_list(list, listed);
	free(pick);
	return rc;
}

void ind_evidence_free(struct ind_evidence *ev)
{
	if (!ev)
		return;
	free(ev->rec);
	free(ev->by_agreement);
	free(ev->by_neighbourhood);
	free(ev);
}
