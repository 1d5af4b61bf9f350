/* take: the query rows of a run into accumulators and values (work.h). */
#include "work.h"

#include "decision.h"
#include "evidence.h"

#include <stdio.h>

/* How a grid query's rows are read: the columns every grid query has,
 * looked up once for all its rows, and the last row's agreement (rows come
 * grouped by entity, so most find theirs without a search). */
struct grid {
	int asof, until, agreement, p;
	int last_ei; /* the last agreement found (agreement_index_near) */
};

static struct grid grid_of(const rows *r)
{
	struct grid g = {rows_col(r, "asof"), rows_col(r, "until"), rows_col(r, "agreement"),
			 rows_col(r, "p"), -1};

	return g;
}

/* The position of `date` in w->by_date, or -1 when it is not a date of the
 * run. */
static int date_pos(const struct work *w, const char *date)
{
	int j;

	for (j = 0; date && j < w->nd; j++)
		if (strcmp(w->req->dates[w->by_date[j]], date) == 0)
			return j;
	return -1;
}

/* The dates at which row `row`'s values hold (columns asof and until of
 * query q): w->by_date[*lo .. *hi - 1], from its asof, a date of the run, up
 * to its until, a later date of the run, not included (null: no end). Any
 * other asof or until is an error naming the query and row. */
static int row_span(struct work *w, enum ind_query_id q, int row, int c_asof, int c_until, int *lo,
		    int *hi)
{
	const rows *r = w->res[q];
	const char *asof = rows_get(r, row, c_asof), *until = rows_get(r, row, c_until);
	int from = date_pos(w, asof), to = until ? date_pos(w, until) : w->nd;

	if (from < 0)
		return err_set(ERR_FAIL, "query %s: row %d: %s is not an as-of date of the run",
			       ind_queries[q].name, w->row0 + row + 1, asof ? asof : "null");
	if (to <= from)
		return err_set(
			ERR_FAIL,
			"query %s: row %d: until %s is not an as-of date of the run after %s",
			ind_queries[q].name, w->row0 + row + 1, until, asof);
	*lo = from;
	*hi = to;
	return 0;
}

/* The entity of a grid query's row: the policy when p = 1, the
 * neighbourhood in column agreement when p = 2, else its agreement; -1 with
 * the error set when it is not the run's (naming the query and row). */
static int row_entity(struct work *w, enum ind_query_id q, int row, struct grid *g)
{
	const rows *r = w->res[q];
	const char *agreement = rows_get(r, row, g->agreement);
	double p = cell_num_at(r, row, g->p);
	int ei;

	if (p == 1)
		return w->na;
	if (p == 2) {
		int k = nb_index(w, agreement);

		if (k >= 0)
			return nb_entity(w, k);
		err_set(ERR_FAIL, "query %s: row %d: %s is not a neighbourhood of the run",
			ind_queries[q].name, w->row0 + row + 1, agreement ? agreement : "null");
		return -1;
	}
	if (p != 0) {
		err_set(ERR_FAIL, "query %s: row %d: column p is %g, not 0, 1 or 2",
			ind_queries[q].name, w->row0 + row + 1, p);
		return -1;
	}
	ei = agreement_index_near(w, agreement, &g->last_ei);
	if (ei < 0)
		err_set(ERR_FAIL, "query %s: row %d: %s is not an agreement of the run",
			ind_queries[q].name, w->row0 + row + 1, agreement ? agreement : "null");
	return ei;
}

/* The entity of a grid query's row (row_entity) and the dates its values
 * hold at (row_span), or the error naming the query and row. */
static int row_target(struct work *w, enum ind_query_id q, int row, struct grid *g, int *lo,
		      int *hi, int *ei)
{
	int from, to, rc = row_span(w, q, row, g->asof, g->until, &from, &to), e;

	if (rc)
		return rc;
	e = row_entity(w, q, row, g);
	if (e < 0)
		return ERR_FAIL;
	*lo = from;
	*hi = to;
	*ei = e;
	return 0;
}

/* Sets indicator ci of entity ei to v at the dates by_date[lo .. hi - 1]. */
static void span_set(struct work *w, int lo, int hi, int ei, int ci, double v)
{
	for (; lo < hi; lo++)
		val_set(w, w->by_date[lo], ei, ci, v);
}

/* Sets the value of indicator `code`, made of row `row`'s kind column
 * (query q), at the dates by_date[lo .. hi - 1]; a code that is not in the
 * catalogue is an error naming the query and row (a kind that the catalogue
 * does not know), never a value dropped. */
static int put(struct work *w, enum ind_query_id q, int row, int lo, int hi, int ei,
	       const char *code, double v)
{
	int ci = cat_index(code);

	if (ci < 0)
		return err_set(ERR_FAIL, "query %s: row %d: indicator %s is not in the catalogue",
			       ind_queries[q].name, w->row0 + row + 1, code);
	span_set(w, lo, hi, ei, ci, v);
	return 0;
}

/* A column of a grid query and the indicator it is the value of. */
struct measure {
	const char *column;
	enum cat_id id;
};

/* The most measures a query has (work_take checks its lists). */
#define MAX_MEASURES 5

/* Copies a simple grid query's measures into indicators (n ≤ MAX_MEASURES). */
static int take_measures(struct work *w, enum ind_query_id q, const struct measure *m, int n)
{
	const rows *r = w->res[q];
	struct grid g = grid_of(r);
	int row, i, lo, hi, ei, rc, col[MAX_MEASURES];

	for (i = 0; i < n; i++)
		col[i] = rows_col(r, m[i].column);
	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &g, &lo, &hi, &ei);
		if (rc)
			return rc;
		for (i = 0; i < n; i++)
			span_set(w, lo, hi, ei, m[i].id, cell_num_at(r, row, col[i]));
	}
	return 0;
}

/* A breakdown row's indicator: `code`.<kind>. Signatories of kind `other`
 * count only in the total: the catalogue has no breakdown for them. Writes
 * "" when the row has no indicator of its own. */
static int kind_code(enum ind_query_id q, const char *kind, int row0, int row, const char *code,
		     char *name, size_t size)
{
	if (!kind)
		return err_set(ERR_FAIL, "query %s: row %d: a breakdown row without a kind",
			       ind_queries[q].name, row0 + row + 1);
	if (q == Q_SIGNATORIES && strcmp(kind, "other") == 0)
		name[0] = '\0';
	else
		snprintf(name, size, "%s.%s", code, kind);
	return 0;
}

/* Like take_measures for queries broken down by a kind column: the total
 * (all_kinds = 1) goes to indicator id (and col2, when not NULL, to id2),
 * each kind to the indicator coded `<id's code>.<kind>`. */
static int take_by_kind(struct work *w, enum ind_query_id q, const char *col, enum cat_id id,
			const char *col2, enum cat_id id2)
{
	const rows *r = w->res[q];
	struct grid g = grid_of(r);
	int row, lo, hi, ei, rc, all = rows_col(r, "all_kinds"), kind = rows_col(r, "kind");
	int c1 = rows_col(r, col), c2 = col2 ? rows_col(r, col2) : -1;
	char name[96];

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &g, &lo, &hi, &ei);
		if (rc == 0 && cell_num_at(r, row, all) != 0) {
			span_set(w, lo, hi, ei, id, cell_num_at(r, row, c1));
			if (col2)
				span_set(w, lo, hi, ei, id2, cell_num_at(r, row, c2));
		} else if (rc == 0) {
			rc = kind_code(q, rows_get(r, row, kind), w->row0, row,
				       cat_indicators[id].code, name, sizeof(name));
			if (rc == 0 && name[0])
				rc = put(w, q, row, lo, hi, ei, name, cell_num_at(r, row, c1));
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int take_finance(struct work *w)
{
	const rows *r = w->res[Q_FINANCE];
	struct grid g = grid_of(r);
	int row, lo, hi, ei, rc, all = rows_col(r, "all_kinds"), kind = rows_col(r, "kind");
	int stage_col = rows_col(r, "stage"), amount = rows_col(r, "amount");
	char stage[96], name[160];

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, Q_FINANCE, row, &g, &lo, &hi, &ei);
		if (rc)
			return rc;
		snprintf(stage, sizeof(stage), "eff.%s_eur", rows_get(r, row, stage_col));
		if (cell_num_at(r, row, all) != 0)
			snprintf(name, sizeof(name), "%s", stage);
		else if ((rc = kind_code(Q_FINANCE, rows_get(r, row, kind), w->row0, row, stage,
					 name, sizeof(name))) != 0)
			return rc;
		rc = put(w, Q_FINANCE, row, lo, hi, ei, name, cell_num_at(r, row, amount));
		if (rc)
			return rc;
	}
	return 0;
}

static int take_resources(struct work *w)
{
	const rows *r = w->res[Q_RESOURCES];
	struct grid g = grid_of(r);
	int row, lo, hi, j, ei, rc, kind_col = rows_col(r, "kind");
	int quantity = rows_col(r, "quantity");

	for (row = 0; row < r->nrows; row++) {
		const char *kind = rows_get(r, row, kind_col);
		double q = cell_num_at(r, row, quantity);

		rc = row_target(w, Q_RESOURCES, row, &g, &lo, &hi, &ei);
		if (rc)
			return rc;
		if (strcmp(kind, "staff_hours") == 0)
			span_set(w, lo, hi, ei, IND_EFF_STAFF_HOURS, q);
		else if (strcmp(kind, "volunteer_hours") == 0)
			for (j = lo; j < hi; j++)
				acc_at(w, w->by_date[j], ei)->volunteer_hours = q;
		else if (strcmp(kind, "in_kind_eur") == 0)
			for (j = lo; j < hi; j++)
				acc_at(w, w->by_date[j], ei)->in_kind_eur = q;
		else
			return err_set(ERR_FAIL, "query resources: row %d: unknown kind %s",
				       w->row0 + row + 1, kind);
	}
	return 0;
}

static int take_partners(struct work *w)
{
	const rows *r = w->res[Q_PARTNERS];
	struct grid g = grid_of(r);
	int row, lo, hi, ei, rc, signatories = rows_col(r, "signatories");
	int bridging = rows_col(r, "bridging"), new_partners = rows_col(r, "new_partners");

	for (row = 0; row < r->nrows; row++) {
		double n = cell_num_at(r, row, signatories);

		rc = row_target(w, Q_PARTNERS, row, &g, &lo, &hi, &ei);
		if (rc)
			return rc;
		if (n <= 0)
			continue;
		span_set(w, lo, hi, ei, IND_SOC_BRIDGING_SHARE,
			 100.0 * cell_num_at(r, row, bridging) / n);
		if (ei < w->na) {
			if (!rows_get(r, row, new_partners))
				return err_set(ERR_FAIL,
					       "query partners: row %d: column new_partners is "
					       "null on an agreement's row",
					       w->row0 + row + 1);
			span_set(w, lo, hi, ei, IND_SOC_NEW_PARTNERS_SHARE,
				 100.0 * cell_num_at(r, row, new_partners) / n);
		}
	}
	return 0;
}

static int take_milestones(struct work *w)
{
	const rows *r = w->res[Q_MILESTONES];
	struct grid g = grid_of(r);
	int ci = IND_EFT_MILESTONES_ON_TIME, row, lo, hi, j, ei, rc;
	int due_col = rows_col(r, "due"), on_time = rows_col(r, "on_time");

	for (row = 0; row < r->nrows; row++) {
		double due = cell_num_at(r, row, due_col);

		rc = row_target(w, Q_MILESTONES, row, &g, &lo, &hi, &ei);
		if (rc)
			return rc;
		for (j = lo; j < hi; j++)
			val_set_n(w, w->by_date[j], ei, ci, due);
		if (due > 0)
			span_set(w, lo, hi, ei, ci, 100.0 * cell_num_at(r, row, on_time) / due);
	}
	return 0;
}

/* The columns of a survey query (-1 for those it does not have), looked
 * up once for all its rows. */
struct survey_cols {
	int n, sum, sumsq, k, instrument, wave;
};

static void suff_take(stats_suff *s, const rows *r, int row, const struct survey_cols *c)
{
	s->n = (long long)cell_num_at(r, row, c->n);
	s->sum = cell_num_at(r, row, c->sum);
	s->sumsq = cell_num_at(r, row, c->sumsq);
}

/* Takes a survey query's sufficient statistics: fn files each row, of an
 * agreement or of the policy. */
static int take_groups(struct work *w, enum ind_query_id q,
		       int (*fn)(struct acc *a, const rows *r, int row,
				 const struct survey_cols *c))
{
	const rows *r = w->res[q];
	struct grid g = grid_of(r);
	struct survey_cols c = {rows_col(r, "n"), rows_col(r, "sum"),	     rows_col(r, "sumsq"),
				rows_col(r, "k"), rows_col(r, "instrument"), rows_col(r, "wave")};
	int row, lo, hi, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &g, &lo, &hi, &ei);
		for (; rc == 0 && lo < hi; lo++)
			if ((rc = fn(acc_at(w, w->by_date[lo], ei), r, row, &c)) != 0)
				rc = err_set(rc, "query %s: row %d: %s", ind_queries[q].name,
					     w->row0 + row + 1, err_last());
		if (rc)
			return rc;
	}
	return 0;
}

static int add_mean(struct acc *a, const rows *r, int row, const struct survey_cols *c)
{
	static const char *const instruments[MEAN_COUNT] = {"agreement_quality", "satisfaction",
							    "org_culture"};
	const char *instrument = rows_get(r, row, c->instrument);
	int m;

	for (m = 0; m < MEAN_COUNT && strcmp(instrument, instruments[m]) != 0; m++)
		;
	if (m == MEAN_COUNT)
		return err_set(ERR_FAIL, "unknown instrument %s", instrument);
	suff_take(&a->mean[m], r, row, c);
	if (m == MEAN_SATISFACTION)
		a->satisfied = (long long)cell_num_at(r, row, c->k);
	return 0;
}

static int add_paired(struct acc *a, const rows *r, int row, const struct survey_cols *c)
{
	suff_take(&a->paired, r, row, c);
	a->improved = (long long)cell_num_at(r, row, c->k);
	return 0;
}

static int add_welch(struct acc *a, const rows *r, int row, const struct survey_cols *c)
{
	const char *wave = rows_get(r, row, c->wave);

	if (strcmp(wave, "T0") != 0 && strcmp(wave, "T1") != 0)
		return err_set(ERR_FAIL, "unknown wave %s", wave);
	suff_take(&a->qol[strcmp(wave, "T1") == 0], r, row, c);
	return 0;
}

static int take_ex_ante(struct work *w)
{
	const rows *r = w->res[Q_EX_ANTE];
	int row, lo, hi, ei, k, rc, last = -1, c_criterion = rows_col(r, "criterion");
	int c_asof = rows_col(r, "asof"), c_until = rows_col(r, "until");
	int c_agreement = rows_col(r, "agreement"), c_score = rows_col(r, "score");

	for (row = 0; row < r->nrows; row++) {
		const char *criterion = rows_get(r, row, c_criterion);

		rc = row_span(w, Q_EX_ANTE, row, c_asof, c_until, &lo, &hi);
		if (rc)
			return rc;
		ei = agreement_index_near(w, rows_get(r, row, c_agreement), &last);
		if (ei < 0)
			return err_set(ERR_FAIL,
				       "query ex_ante: row %d: %s is not an agreement of the run",
				       w->row0 + row + 1, cell_str(r, row, "agreement"));
		for (k = 0; k < 3 && strcmp(criterion, sc_ex_ante_criteria[k]) != 0; k++)
			;
		if (k == 3)
			return err_set(ERR_FAIL, "query ex_ante: row %d: unknown criterion %s",
				       w->row0 + row + 1, criterion);
		/* the cards show the period's only: date 0 */
		for (; lo < hi; lo++)
			if (w->by_date[lo] == 0)
				w->ex_ante[(size_t)ei * 3 + k] = num(cell_num_at(r, row, c_score));
	}
	return 0;
}

/* Reads targets.csv (Q_TARGETS) of the policy: for each level, the last
 * row of an indicator counts; rows of codes or levels the catalogue does not
 * know are left out. */
static int take_targets(struct work *w)
{
	const rows *t = w->res[Q_TARGETS];
	int row, ci, l;

	for (row = 0; row < t->nrows; row++) {
		const char *level = cell_str(t, row, "level");

		ci = cat_index(cell_str(t, row, "indicator"));
		if (ci < 0)
			continue;
		if (strcmp(level, cat_level_name(CAT_AGREEMENT)) == 0)
			l = 0;
		else if (strcmp(level, cat_level_name(CAT_POLICY)) == 0)
			l = 1;
		else if (strcmp(level, cat_level_name(CAT_NEIGHBOURHOOD)) == 0)
			l = 2;
		else
			continue;
		w->targets[l].target[ci] = cell_num(t, row, "target");
		w->targets[l].amber[ci] = cell_str(t, row, "amber_ratio")
						  ? cell_num(t, row, "amber_ratio")
						  : DEC_AMBER_RATIO_DEFAULT;
		w->targets[l].has_target[ci] = 1;
	}
	return 0;
}

/* Reads weights.csv (Q_WEIGHTS): an item is an indicator or a dimension
 * (their codes never coincide); the last row of an item counts. */
static int take_weights(struct work *w)
{
	const rows *wt = w->res[Q_WEIGHTS];
	int row, ci, d;

	for (row = 0; row < wt->nrows; row++) {
		const char *item = cell_str(wt, row, "item");

		ci = cat_index(item);
		d = ci < 0 ? cat_dimension_find(item) : -1;
		if (ci >= 0) {
			w->weight[ci] = cell_num(wt, row, "weight");
			w->has_weight[ci] = 1;
		} else if (d >= 0) {
			w->dim_weight[d] = cell_num(wt, row, "weight");
			w->has_dim_weight[d] = 1;
		}
	}
	return 0;
}

/* Takes query q's rows (w->res[q]) into the values of all entities and
 * dates, or chains a list query's rows for the cards. Each query writes
 * indicators of its own, so the order in which queries are taken does not
 * matter. */
int work_take(struct work *w, enum ind_query_id q)
{
	static const struct measure meetings[] = {{"meetings", IND_OUT_MEETINGS},
						  {"hours", IND_OUT_MEETING_HOURS}};
	static const struct measure participants[] = {{"participants", IND_OUT_PARTICIPANTS}};
	static const struct measure population[] = {{"population", IND_OUT_POPULATION}};
	static const struct measure org[] = {{"new_solutions", IND_ORG_NEW_SOLUTIONS},
					     {"process_changes", IND_ORG_PROCESS_CHANGES},
					     {"new_methods", IND_ORG_NEW_METHODS},
					     {"staff_trained", IND_ORG_STAFF_TRAINED},
					     {"departments", IND_ORG_DEPARTMENTS}};

	_Static_assert(sizeof(org) / sizeof(*org) <= MAX_MEASURES, "MAX_MEASURES too small");
	_Static_assert(sizeof(meetings) / sizeof(*meetings) <= MAX_MEASURES,
		       "MAX_MEASURES too small");

	switch (q) {
	case Q_MEETINGS:
		return take_measures(w, Q_MEETINGS, meetings, 2);
	case Q_PARTICIPANTS:
		return take_measures(w, Q_PARTICIPANTS, participants, 1);
	case Q_POPULATION:
		return take_measures(w, Q_POPULATION, population, 1);
	case Q_ORG_EVENTS:
		return take_measures(w, Q_ORG_EVENTS, org, 5);
	case Q_SIGNATORIES:
		return take_by_kind(w, Q_SIGNATORIES, "signatories", IND_OUT_SIGNATORIES, NULL,
				    IND_OUT_SIGNATORIES);
	case Q_PROJECTS:
		return take_by_kind(w, Q_PROJECTS, "projects", IND_OUT_PROJECTS, "completed",
				    IND_OUT_PROJECTS_COMPLETED);
	case Q_FINANCE:
		return take_finance(w);
	case Q_RESOURCES:
		return take_resources(w);
	case Q_PARTNERS:
		return take_partners(w);
	case Q_MILESTONES:
		return take_milestones(w);
	case Q_SURVEY_MEANS:
		return take_groups(w, Q_SURVEY_MEANS, add_mean);
	case Q_PAIRED:
		return take_groups(w, Q_PAIRED, add_paired);
	case Q_WELCH:
		return take_groups(w, Q_WELCH, add_welch);
	case Q_EX_ANTE:
		return take_ex_ante(w);
	case Q_PROJECT_LIST:
		return work_chain_rows(w, Q_PROJECT_LIST, &w->projects);
	case Q_MILESTONE_LIST:
		return work_chain_rows(w, Q_MILESTONE_LIST, &w->milestones);
	case Q_EVIDENCE:
		return ind_evidence_new(w->res[Q_EVIDENCE], &w->evidence);
	case Q_TARGETS:
		return take_targets(w);
	case Q_WEIGHTS:
		return take_weights(w);
	default:
		return err_set(ERR_FAIL, "internal error: query %s is not taken one by one",
			       ind_queries[q].name);
	}
}

/* Chains the rows of a list query (column "agreement") by agreement, in
 * query order; rows of agreements not in scope are left out. */
int work_chain_rows(struct work *w, enum ind_query_id q, struct chain *c)
{
	const rows *r = w->res[q];
	int *last = calloc(w->na ? w->na : 1, sizeof(*last)), row, i, last_ei = -1;
	int col = rows_col(r, "agreement");

	c->first = malloc((w->na ? w->na : 1) * sizeof(*c->first));
	c->next = malloc((r->nrows ? r->nrows : 1) * sizeof(*c->next));
	if (!last || !c->first || !c->next) {
		free(last);
		return err_set(ERR_FAIL, "out of memory");
	}
	for (i = 0; i < w->na; i++)
		c->first[i] = -1;
	for (row = 0; row < r->nrows; row++) {
		int ei = agreement_index_near(w, rows_get(r, row, col), &last_ei);

		c->next[row] = -1;
		if (ei < 0)
			continue;
		if (c->first[ei] < 0)
			c->first[ei] = row;
		else
			c->next[last[ei]] = row;
		last[ei] = row;
	}
	free(last);
	return 0;
}

void work_chain_free(struct chain *c)
{
	free(c->first);
	free(c->next);
}
