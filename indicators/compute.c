/* compute: the run lifecycle of compute.h: start from the policy, agreements
 * and areas, take each query, finish, and hand out the cards (work.h). */
#include "work.h"

#include "evidence.h"

static int load_agreements(struct work *w)
{
	const rows *r = w->res[Q_AGREEMENTS];
	int i;

	w->na = r->nrows;
	w->agr = calloc(w->na ? w->na : 1, sizeof(*w->agr));
	if (!w->agr)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < w->na; i++) {
		w->agr[i].code = cell_str(r, i, "code");
		w->agr[i].title = cell_str(r, i, "title");
		w->agr[i].lab = cell_str(r, i, "lab_started_on");
		w->agr[i].approved = cell_str(r, i, "approved_on");
		w->agr[i].signed_on = cell_str(r, i, "signed_on");
		w->agr[i].closed = cell_str(r, i, "closed_on");
		w->agr[i].published = cell_str(r, i, "published_on");
	}
	return 0;
}

/* A row of Q_AREAS: a neighbourhood covered by an agreement of the run. */
struct area_pair {
	const char *code;
	int agreement, row;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct area_pair *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c ? c : x->agreement - y->agreement;
}

/* The neighbourhoods covered by the run's agreements (Q_AREAS), by code in
 * byte order, each with its covering agreements in code order. Every
 * agreement of the run is in scope at the last date, the period's end, so
 * these are the neighbourhoods covered then. */
static int load_neighbourhoods(struct work *w)
{
	const rows *r = w->res[Q_AREAS];
	struct area_pair *pairs = calloc(r->nrows ? r->nrows : 1, sizeof(*pairs));
	int row, n = 0, i, rc = 0;

	w->cover = calloc(r->nrows ? r->nrows : 1, sizeof(*w->cover));
	w->nb = calloc(r->nrows ? r->nrows : 1, sizeof(*w->nb));
	if (!pairs || !w->cover || !w->nb) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (row = 0; row < r->nrows; row++) {
		int ei = agreement_index(w, cell_str(r, row, "agreement"));

		if (ei < 0)
			continue;
		pairs[n].code = cell_str(r, row, "code");
		pairs[n].agreement = ei;
		pairs[n++].row = row;
	}
	qsort(pairs, n, sizeof(*pairs), cmp_pair);
	for (i = 0; i < n; i++) {
		struct nb_row *nb = &w->nb[w->nn > 0 ? w->nn - 1 : 0];

		if (i > 0 && strcmp(pairs[i].code, pairs[i - 1].code) == 0) {
			if (pairs[i].agreement == pairs[i - 1].agreement) {
				rc = err_set(ERR_FAIL,
					     "query areas: row %d: %s covered twice by %s",
					     pairs[i].row + 1, pairs[i].code,
					     w->agr[pairs[i].agreement].code);
				goto out;
			}
		} else {
			nb = &w->nb[w->nn++];
			nb->code = pairs[i].code;
			nb->name = cell_str(r, pairs[i].row, "name");
			nb->population = (long long)cell_num(r, pairs[i].row, "population");
			nb->first = i;
		}
		w->cover[i] = pairs[i].agreement;
		nb->count++;
	}
	w->ne = w->na + 1 + w->nn;
out:
	free(pairs);
	return rc;
}

/* A prepared run: the finished numbers of every entity at every date, the
 * rows the cards still read, and the policy's card. */
struct ind_run {
	struct work w;
	struct ind_request req;
	char *strings;	    /* the request's strings, copied */
	const char **dates; /* into strings */
	const char **periods;
	rows *res[IND_QUERY_COUNT]; /* the rows taken and still read (w.res) */
	int owned;		    /* res[] is the run's to free */
	int taken[IND_QUERY_COUNT];
	int taken_rows[IND_QUERY_COUNT]; /* rows taken so far by ind_take_part */
	int finished;
	struct scorecard *policy;
	int want;    /* the one agreement asked for, or -1 */
	int want_nb; /* the one neighbourhood asked for, or -1 */
};

/* What a card still reads once the numbers are finished (the rest of the
 * rows only feeds the values and is freed as soon as it is taken). */
static int kept_after_finish(int q)
{
	return q == Q_POLICY || q == Q_AGREEMENTS || q == Q_AREAS || q == Q_PROJECT_LIST ||
	       q == Q_MILESTONE_LIST || q == Q_EVIDENCE;
}

/* Copies s (or NULL) to *p, moving *p past it; returns the copy. */
static const char *put_str(char **p, const char *s)
{
	char *copy = *p;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(copy, s, n);
	*p += n;
	return copy;
}

/* w->by_date: the date indices, earliest date first (insertion sort: a run
 * has a handful of dates). */
static int sort_dates(struct work *w)
{
	const char *const *dates = w->req->dates;
	int i, j;

	w->by_date = malloc((size_t)w->nd * sizeof(*w->by_date));
	if (!w->by_date)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < w->nd; i++) {
		for (j = i; j > 0 && strcmp(dates[w->by_date[j - 1]], dates[i]) > 0; j--)
			w->by_date[j] = w->by_date[j - 1];
		w->by_date[j] = i;
	}
	return 0;
}

/* Copies the request, so that the run outlives the caller's arrays. */
static int copy_request(struct ind_run *r, const struct ind_request *req)
{
	const char *src[5] = {req->policy, req->locale, req->agreement, req->period_start,
			      req->neighbourhood};
	size_t size = 0;
	char *p;
	int i;

	for (i = 0; i < 5; i++)
		size += src[i] ? strlen(src[i]) + 1 : 0;
	for (i = 0; i < req->ndates; i++)
		size += strlen(req->dates[i]) + strlen(req->periods[i]) + 2;
	r->strings = malloc(size ? size : 1);
	r->dates = calloc(req->ndates ? req->ndates : 1, sizeof(*r->dates));
	r->periods = calloc(req->ndates ? req->ndates : 1, sizeof(*r->periods));
	if (!r->strings || !r->dates || !r->periods)
		return err_set(ERR_FAIL, "out of memory");
	p = r->strings;
	r->req = *req;
	r->req.policy = put_str(&p, req->policy);
	r->req.locale = put_str(&p, req->locale);
	r->req.agreement = put_str(&p, req->agreement);
	r->req.period_start = put_str(&p, req->period_start);
	r->req.neighbourhood = put_str(&p, req->neighbourhood);
	for (i = 0; i < req->ndates; i++) {
		r->dates[i] = put_str(&p, req->dates[i]);
		r->periods[i] = put_str(&p, req->periods[i]);
	}
	r->req.dates = r->dates;
	r->req.periods = r->periods;
	return 0;
}

/* Starts a run from the policy's, the agreements' and the areas' rows,
 * which it owns (owned = 1) or only reads (owned = 0; they must outlive the
 * run). On failure owned rows are freed. */
static int start(rows *policy, rows *agreements, rows *areas, int owned,
		 const struct ind_request *req, struct ind_run **out_ptr)
{
	struct ind_run *r = calloc(1, sizeof(*r));
	struct work *w = r ? &r->w : NULL;
	const char *locale;
	int rc, i;

	if (!r) {
		if (owned) {
			rows_free(policy);
			rows_free(agreements);
			rows_free(areas);
		}
		return err_set(ERR_FAIL, "out of memory");
	}
	r->want = r->want_nb = -1;
	r->owned = owned;
	r->res[Q_POLICY] = policy;
	r->res[Q_AGREEMENTS] = agreements;
	r->res[Q_AREAS] = areas;
	r->taken[Q_POLICY] = r->taken[Q_AGREEMENTS] = r->taken[Q_AREAS] = 1;
	w->res = r->res;
	rc = ind_check_rows(Q_POLICY, policy);
	if (rc == 0)
		rc = ind_check_rows(Q_AGREEMENTS, agreements);
	if (rc == 0)
		rc = ind_check_rows(Q_AREAS, areas);
	if (rc)
		goto out;
	if (req->ndates < 2 || policy->nrows != 1) {
		rc = err_set(ERR_FAIL, "internal error: a run needs the policy and two dates");
		goto out;
	}
	rc = copy_request(r, req);
	if (rc)
		goto out;
	w->req = &r->req;
	w->nd = req->ndates;
	rc = sort_dates(w);
	if (rc == 0)
		rc = load_agreements(w);
	if (rc == 0)
		rc = work_chain_rows(w, Q_AREAS, &w->areas);
	if (rc == 0)
		rc = load_neighbourhoods(w);
	if (rc)
		goto out;
	if (req->agreement && req->neighbourhood) {
		rc = err_set(ERR_FAIL, "internal error: a run asked for an agreement and a "
				       "neighbourhood at once");
		goto out;
	}
	if (req->neighbourhood) {
		r->want_nb = nb_index(w, req->neighbourhood);
		if (r->want_nb < 0) {
			rc = err_set(ERR_NOTFOUND,
				     "neighbourhood %s is not covered by an agreement of policy %s "
				     "in scope at %s",
				     req->neighbourhood, req->policy, req->dates[0]);
			goto out;
		}
	}
	if (req->agreement) {
		r->want = agreement_index(w, req->agreement);
		if (r->want < 0) {
			rc = err_set(ERR_NOTFOUND,
				     "agreement %s is not an agreement of policy %s in scope at %s",
				     req->agreement, req->policy, req->dates[0]);
			goto out;
		}
	}
	locale = req->locale ? req->locale : cell_str(policy, 0, "locale");
	w->locale = locale && strcmp(locale, "en") == 0 ? "en" : "it";
	w->volunteer_value = cell_num(policy, 0, "volunteer_hour_value_eur");
	w->min_cell = (int)cell_num(policy, 0, "min_cell");
	for (i = 0; i < CAT_COUNT; i++)
		w->detail_slot[i] = cat_is_survey(&cat_indicators[i]) ||
						    cat_indicators[i].method == METHOD_PERCENT
					    ? w->ndetail++
					    : -1;
	w->values = calloc((size_t)w->nd * w->ne * CAT_COUNT, sizeof(*w->values));
	w->has = calloc((size_t)w->nd * w->ne * CAT_COUNT, sizeof(*w->has));
	w->details =
		calloc((size_t)w->nd * w->ne * (w->ndetail ? w->ndetail : 1), sizeof(*w->details));
	w->accs = calloc((size_t)w->nd * w->ne, sizeof(*w->accs));
	w->ex_ante = calloc((size_t)(w->na ? w->na : 1) * 3, sizeof(*w->ex_ante));
	if (!w->values || !w->has || !w->details || !w->accs || !w->ex_ante) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	work_init_values(w);
out:
	if (rc) {
		ind_run_free(r);
		return rc;
	}
	*out_ptr = r;
	return 0;
}

/* Takes query q's rows into a started run; owned rows are freed at once
 * unless the cards still read them, and on failure. */
static int take(struct ind_run *r, enum ind_query_id q, rows *res)
{
	int rc;

	if ((int)q < 0 || q >= IND_QUERY_COUNT) {
		rc = err_set(ERR_FAIL, "internal error: no query %d", (int)q);
		goto out;
	}
	if (r->taken[q] || r->finished) {
		rc = err_set(ERR_FAIL, "internal error: query %s taken twice or after finishing",
			     ind_queries[q].name);
		goto out;
	}
	rc = ind_check_rows(q, res);
	if (rc)
		goto out;
	r->res[q] = res;
	r->taken[q] = 1;
	rc = work_take(&r->w, q);
	if (rc == 0 && kept_after_finish(q))
		return 0;
	r->res[q] = NULL;
out:
	if (r->owned)
		rows_free(res);
	return rc;
}

/* Finishes a run once every query has been taken: the values, the
 * policy's card and the ranking. */
static int finish(struct ind_run *r)
{
	struct work *w = &r->w;
	int rc, i;

	if (r->finished)
		return err_set(ERR_FAIL, "internal error: a run finished twice");
	for (i = 0; i < IND_QUERY_COUNT; i++)
		if (!r->taken[i])
			return err_set(ERR_FAIL,
				       "internal error: query %s not taken before finishing",
				       ind_queries[i].name);
	r->finished = 1;
	rc = work_finish_values(w);
	free(w->accs); /* every number is finished */
	w->accs = NULL;
	if (rc == 0)
		rc = work_full_card(w, w->na, &r->policy);
	if (rc == 0)
		rc = work_rank_agreements(w, r->policy);
	if (rc == 0)
		rc = work_add_territories(w, r->policy);
	return rc;
}

int ind_start(rows *policy, rows *agreements, rows *areas, const struct ind_request *req,
	      struct ind_run **out)
{
	return start(policy, agreements, areas, 1, req, out);
}

int ind_take(struct ind_run *r, enum ind_query_id q, rows *res)
{
	return take(r, q, res);
}

int ind_takes_parts(enum ind_query_id q)
{
	return (int)q >= 0 && q < IND_QUERY_COUNT && !kept_after_finish(q) && q != Q_TARGETS &&
	       q != Q_WEIGHTS;
}

int ind_take_part(struct ind_run *r, enum ind_query_id q, rows *part, int last)
{
	int rc;

	if (!ind_takes_parts(q)) {
		rc = err_set(ERR_FAIL, "internal error: query %s is not taken in parts",
			     (int)q >= 0 && q < IND_QUERY_COUNT ? ind_queries[q].name : "unknown");
		goto out;
	}
	if (r->taken[q] || r->finished) {
		rc = err_set(ERR_FAIL, "internal error: query %s taken twice or after finishing",
			     ind_queries[q].name);
		goto out;
	}
	rc = ind_check_rows_from(q, part, r->taken_rows[q]);
	if (rc)
		goto out;
	r->res[q] = part;
	r->w.row0 = r->taken_rows[q];
	rc = work_take(&r->w, q);
	r->res[q] = NULL;
	r->w.row0 = 0;
	if (rc == 0) {
		r->taken_rows[q] += part->nrows;
		r->taken[q] = last;
	}
out:
	rows_free(part);
	return rc;
}

int ind_finish(struct ind_run *r)
{
	return finish(r);
}

/* How many agreement and neighbourhood cards the run makes. */
static int agreement_cards(const struct ind_run *r)
{
	return r->want >= 0 ? 1 : r->want_nb >= 0 ? 0 : r->w.na;
}

static int neighbourhood_cards(const struct ind_run *r)
{
	return r->want_nb >= 0 ? 1 : r->want >= 0 ? 0 : r->w.nn;
}

int ind_run_cards(const struct ind_run *r)
{
	return 1 + agreement_cards(r) + neighbourhood_cards(r);
}

int ind_run_card(const struct ind_run *r, int i, const struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc, na = agreement_cards(r), ei;

	if (i < 0 || i >= ind_run_cards(r))
		return err_set(ERR_FAIL, "internal error: no scorecard %d in this run", i);
	if (i == 0) {
		*out = r->policy;
		return 0;
	}
	if (i <= na)
		ei = r->want >= 0 ? r->want : i - 1;
	else
		ei = nb_entity(&r->w, r->want_nb >= 0 ? r->want_nb : i - 1 - na);
	/* work_full_card only reads the run: cards can be made in parallel */
	rc = work_full_card((struct work *)&r->w, ei, &sc);
	if (rc)
		return rc;
	*out = sc;
	return 0;
}

void ind_run_release(const struct ind_run *r, const struct scorecard *sc)
{
	if (sc && sc != r->policy)
		sc_free((struct scorecard *)sc);
}

void ind_run_free(struct ind_run *r)
{
	int i;

	if (!r)
		return;
	sc_free(r->policy);
	free(r->w.values);
	free(r->w.has);
	free(r->w.details);
	free(r->w.accs);
	free(r->w.by_date);
	free(r->w.ex_ante);
	free(r->w.agr);
	free(r->w.nb);
	free(r->w.cover);
	work_chain_free(&r->w.areas);
	work_chain_free(&r->w.projects);
	work_chain_free(&r->w.milestones);
	ind_evidence_free(r->w.evidence);
	if (r->owned)
		for (i = 0; i < IND_QUERY_COUNT; i++)
			rows_free(r->res[i]);
	free(r->strings);
	free(r->dates);
	free(r->periods);
	free(r);
}

int ind_run_all(struct ind_run *run, struct ind_result **out_ptr)
{
	struct ind_result *r = NULL;
	int rc = 0, i, n = ind_run_cards(run);

	r = calloc(1, sizeof(*r));
	if (r) {
		r->agreements = calloc(n, sizeof(*r->agreements));
		r->neighbourhoods = calloc(n, sizeof(*r->neighbourhoods));
	}
	if (!r || !r->agreements || !r->neighbourhoods) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 1; i < n; i++) {
		const struct scorecard *sc = NULL;

		rc = ind_run_card(run, i, &sc);
		if (rc)
			goto out;
		if (sc->level == CAT_NEIGHBOURHOOD)
			r->neighbourhoods[r->n_neighbourhoods++] = (struct scorecard *)sc;
		else
			r->agreements[r->n_agreements++] = (struct scorecard *)sc;
	}
	r->policy = run->policy;
	run->policy = NULL; /* now the result's */
	*out_ptr = r;
	r = NULL;
out:
	ind_result_free(r);
	return rc;
}

int ind_build(rows *const res[IND_QUERY_COUNT], const struct ind_request *req,
	      struct ind_result **out_ptr)
{
	struct ind_run *run = NULL;
	int rc, i;

	/* every contract first, so that a broken query is named before any
	 * row is read */
	for (i = 0; i < IND_QUERY_COUNT; i++) {
		rc = ind_check_rows(i, res[i]);
		if (rc)
			return rc;
	}
	rc = start(res[Q_POLICY], res[Q_AGREEMENTS], res[Q_AREAS], 0, req, &run);
	for (i = 0; rc == 0 && i < IND_QUERY_COUNT; i++)
		if (i != Q_POLICY && i != Q_AGREEMENTS && i != Q_AREAS)
			rc = take(run, i, res[i]);
	if (rc == 0)
		rc = finish(run);
	if (rc == 0)
		rc = ind_run_all(run, out_ptr);
	ind_run_free(run);
	return rc;
}

void ind_result_free(struct ind_result *r)
{
	int i;

	if (!r)
		return;
	sc_free(r->policy);
	for (i = 0; i < r->n_agreements; i++)
		sc_free(r->agreements[i]);
	free(r->agreements);
	for (i = 0; i < r->n_neighbourhoods; i++)
		sc_free(r->neighbourhoods[i]);
	free(r->neighbourhoods);
	free(r);
}
