/* cards: one entity's scorecard from the finished values of a run:
 * indicators, targets, lists, territories, trend and notes (work.h). */
#include "work.h"

#include "evidence.h"

#include <stdio.h>

/* The last stage an agreement reached by `asof`. */
static const char *agreement_status(const struct agreement_row *a, const char *asof)
{
	if (on_or_before(a->published, asof))
		return "published";
	if (on_or_before(a->closed, asof))
		return "closed";
	if (on_or_before(a->signed_on, asof))
		return "signed";
	if (on_or_before(a->approved, asof))
		return "approved";
	return "lab";
}

/* Copies the values of an entity at date `di` (and previous at di + 1, the
 * quarter before) into the scorecard's indicators. */
static void fill_indicators(struct work *w, struct scorecard *sc, int di, int ei)
{
	int ci;

	for (ci = 0; ci < CAT_COUNT; ci++) {
		struct sc_indicator *si = &sc->ind[ci];

		if (!si->present)
			continue;
		si->value = val_get(w, di, ei, ci);
		si->n = si->ci_low = si->ci_high = si->p_value = si->effect_size = null_num;
		si->suppression = SUP_NONE;
		if (w->detail_slot[ci] >= 0) {
			const struct val_detail *x = detail_at(w, di, ei, ci);

			si->n = num_of(x->n, x->set, VAL_N);
			si->suppression = (enum sc_suppression)x->suppression;
			si->ci_low = num_of(x->ci_low, x->set, VAL_CI_LOW);
			si->ci_high = num_of(x->ci_high, x->set, VAL_CI_HIGH);
			si->p_value = num_of(x->p_value, x->set, VAL_P);
			si->effect_size = num_of(x->effect_size, x->set, VAL_EFFECT);
		}
		si->suppressed = si->suppression != SUP_NONE;
		if (si->ind->method != METHOD_PERCENT && !cat_is_survey(si->ind))
			si->n = null_num;
		si->previous = di + 1 < w->nd ? val_get(w, di + 1, ei, ci) : null_num;
	}
}

/* Targets and weights of the policy onto a scorecard (of its level). */
static void apply_targets(struct work *w, struct scorecard *sc)
{
	const struct targets *t = &w->targets[sc->level == CAT_POLICY	       ? 1
					      : sc->level == CAT_NEIGHBOURHOOD ? 2
									       : 0];
	int ci, d;

	for (ci = 0; ci < CAT_COUNT; ci++) {
		struct sc_indicator *si = &sc->ind[ci];

		if (!si->present)
			continue;
		if (t->has_target[ci]) {
			si->target = num(t->target[ci]);
			si->amber_ratio = t->amber[ci];
		}
		if (w->has_weight[ci])
			si->weight = num(w->weight[ci]);
	}
	for (d = 0; d < DIM_COUNT; d++)
		if (w->has_dim_weight[d])
			sc->dims[d].weight = num(w->dim_weight[d]);
}

static int chain_count(const struct chain *c, int ei)
{
	int row, n = 0;

	for (row = c->first[ei]; row >= 0; row = c->next[row])
		n++;
	return n;
}

static int add_neighbourhoods(struct work *w, struct scorecard *sc, int ei)
{
	const rows *r = w->res[Q_AREAS];
	int row, n = chain_count(&w->areas, ei);

	if (!n)
		return 0;
	sc->neighbourhoods = calloc(n, sizeof(*sc->neighbourhoods));
	if (!sc->neighbourhoods)
		return err_set(ERR_FAIL, "out of memory");
	for (row = w->areas.first[ei]; row >= 0; row = w->areas.next[row]) {
		struct sc_neighbourhood *nb = &sc->neighbourhoods[sc->n_neighbourhoods++];

		nb->code = dup_or_null(cell_str(r, row, "code"));
		nb->name = dup_or_null(cell_str(r, row, "name"));
		nb->population = (long long)cell_num(r, row, "population");
		if (!nb->code || !nb->name)
			return err_set(ERR_FAIL, "out of memory");
	}
	return 0;
}

static int add_projects(struct work *w, struct scorecard *sc, int ei)
{
	const rows *r = w->res[Q_PROJECT_LIST], *m = w->res[Q_MILESTONE_LIST];
	int row, n = chain_count(&w->projects, ei), k = chain_count(&w->milestones, ei);

	sc->projects = calloc(n ? n : 1, sizeof(*sc->projects));
	sc->milestones = calloc(k ? k : 1, sizeof(*sc->milestones));
	if (!sc->projects || !sc->milestones)
		return err_set(ERR_FAIL, "out of memory");
	for (row = w->projects.first[ei]; row >= 0; row = w->projects.next[row]) {
		struct sc_project *p = &sc->projects[sc->n_projects++];

		p->code = dup_or_null(cell_str(r, row, "code"));
		p->title = dup_or_null(cell_str(r, row, "title"));
		p->kind = dup_or_null(cell_str(r, row, "kind"));
		p->defined_on = dup_or_null(cell_str(r, row, "defined_on"));
		p->completed_on = dup_or_null(cell_str(r, row, "completed_on"));
		p->allocated = cell_num(r, row, "allocated");
		p->committed = cell_num(r, row, "committed");
		p->spent = cell_num(r, row, "spent");
		p->milestones_total = (int)cell_num(r, row, "milestones");
		p->milestones_due = (int)cell_num(r, row, "due");
		p->milestones_on_time = (int)cell_num(r, row, "on_time");
		if (!p->code || !p->title || !p->kind || !p->defined_on)
			return err_set(ERR_FAIL, "out of memory");
	}
	for (row = w->milestones.first[ei]; row >= 0; row = w->milestones.next[row]) {
		struct sc_milestone *ms = &sc->milestones[sc->n_milestones++];

		ms->project_code = dup_or_null(cell_str(m, row, "project_code"));
		ms->title = dup_or_null(cell_str(m, row, "title"));
		ms->due_on = dup_or_null(cell_str(m, row, "due_on"));
		ms->achieved_on = dup_or_null(cell_str(m, row, "achieved_on"));
		if (!ms->project_code || !ms->title || !ms->due_on)
			return err_set(ERR_FAIL, "out of memory");
	}
	return 0;
}

/* The policy scorecard's territories: every neighbourhood's figures as its
 * own card shows them at the period's end (withheld there, null here). A
 * light pass like the ranking: one neighbourhood card at a time. */
int work_add_territories(struct work *w, struct scorecard *policy)
{
	struct scorecard *sc = malloc(sizeof(*sc)); /* each neighbourhood's in turn */
	int k, j, rc = 0;

	policy->territories = calloc(w->nn ? w->nn : 1, sizeof(*policy->territories));
	if (!policy->territories || !sc) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (k = 0; k < w->nn; k++) {
		struct sc_territory *t = &policy->territories[policy->n_territories++];
		const struct sc_indicator *x;

		t->code = strdup(w->nb[k].code);
		t->name = strdup(w->nb[k].name);
		if (!t->code || !t->name) {
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
		t->population = w->nb[k].population;
		for (j = 0; j < w->nb[k].count; j++)
			t->agreements += on_or_before(w->agr[w->cover[w->nb[k].first + j]].lab,
						      w->req->dates[0]);
		rc = work_build_card_into(w, nb_entity(w, k), 0, sc);
		if (rc)
			goto out;
		if ((x = sc_ind(sc, IND_OUT_PARTICIPANTS)) != NULL)
			t->participants = x->value;
		if ((x = sc_ind(sc, IND_OUT_PARTICIPATION_RATE)) != NULL)
			t->participation_rate = x->value;
		if ((x = sc_ind(sc, IND_SOC_QUALITY_OF_LIFE_CHANGE)) != NULL)
			t->quality_of_life_change = x->value;
		t->index = sc->index;
	}
out:
	free(sc); /* owns nothing: sc_free is not needed */
	return rc;
}

/* A scorecard of an entity at date `di` with its indicators, targets,
 * weights and the decision model; the rest is filled by the caller. */
int work_build_card_into(struct work *w, int ei, int di, struct scorecard *sc)
{
	sc_init(sc, ei < w->na ? CAT_AGREEMENT : ei == w->na ? CAT_POLICY : CAT_NEIGHBOURHOOD);
	fill_indicators(w, sc, di, ei);
	apply_targets(w, sc);
	return work_decide(sc);
}

int work_build_card(struct work *w, int ei, int di, struct scorecard **out)
{
	struct scorecard *sc = malloc(sizeof(*sc));
	int rc;

	if (!sc)
		return err_set(ERR_FAIL, "out of memory");
	rc = work_build_card_into(w, ei, di, sc);
	if (rc) {
		sc_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

/* The trend of an entity: the index and the key indicators at every date of
 * the run, oldest first. */
static int add_trend(struct work *w, struct scorecard *sc, int ei)
{
	/* one card, rebuilt at every past date, for its index */
	struct scorecard *past = malloc(sizeof(*past));
	int di, k, rc = 0;

	sc->trend = calloc(w->nd, sizeof(*sc->trend));
	if (!sc->trend || !past) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (di = w->nd - 1; di >= 0; di--) {
		struct sc_trend_point *tp = &sc->trend[sc->n_trend];

		tp->values = calloc(sc_trend_count, sizeof(*tp->values));
		if (!tp->values) {
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
		sc->n_trend++;
		snprintf(tp->period, sizeof(tp->period), "%s", w->req->periods[di]);
		rc = di == 0 ? 0 : work_build_card_into(w, ei, di, past);
		if (rc)
			goto out;
		tp->index = di == 0 ? sc->index : past->index;
		for (k = 0; k < sc_trend_count; k++)
			tp->values[k] = val_get(w, di, ei, sc_trend_ids[k]);
	}
out:
	free(past); /* owns nothing: sc_free is not needed */
	return rc;
}

/* The facts the notes on method state (reports/notes.c words them): the
 * as-of date and the previous quarter, min_cell, the snapshot's batch. */
static int add_notes(struct work *w, struct scorecard *sc)
{
	const rows *pol = w->res[Q_POLICY];
	const char *batch = cell_str(pol, 0, "batch_id"), *at = cell_str(pol, 0, "batch_at");
	char snapshot[1024];

	sc_add_note(sc, SC_NOTE_AS_OF);
	sc_add_note(sc, SC_NOTE_MIN_CELL);
	/* the complementary rule, so that a reader knows why a value with a
	 * large n can read "suppressed" */
	sc_add_note(sc, SC_NOTE_SECONDARY);
	sc_add_note(sc, SC_NOTE_SNAPSHOT);
	if (!batch)
		return 0;
	sc->batch_id = strtoll(batch, NULL, 10);
	sc->batch_at = strdup(at ? at : "");
	snprintf(snapshot, sizeof(snapshot), "batch %s (%s UTC)", batch, at ? at : "");
	sc->snapshot = strdup(snapshot);
	if (!sc->batch_at || !sc->snapshot)
		return err_set(ERR_FAIL, "out of memory");
	return 0;
}

/* The neighbourhood and its covering agreements in scope at the period's
 * end (neighbourhood cards). */
static int describe_neighbourhood(struct work *w, struct scorecard *sc, int k)
{
	const struct nb_row *nb = &w->nb[k];
	int j;

	sc->neighbourhood.code = strdup(nb->code);
	sc->neighbourhood.name = strdup(nb->name);
	sc->neighbourhood.population = nb->population;
	sc->covering = calloc(nb->count ? nb->count : 1, sizeof(*sc->covering));
	if (!sc->neighbourhood.code || !sc->neighbourhood.name || !sc->covering)
		return err_set(ERR_FAIL, "out of memory");
	for (j = 0; j < nb->count; j++) {
		const struct agreement_row *a = &w->agr[w->cover[nb->first + j]];
		struct sc_covering *c = &sc->covering[sc->n_covering];

		if (!on_or_before(a->lab, w->req->dates[0]))
			continue;
		sc->n_covering++;
		c->code = strdup(a->code);
		c->title = strdup(a->title);
		if (!c->code || !c->title)
			return err_set(ERR_FAIL, "out of memory");
	}
	return 0;
}

/* Everything a scorecard shows besides its numbers. */
static int describe_card(struct work *w, struct scorecard *sc, int ei)
{
	const rows *pol = w->res[Q_POLICY];
	const char *asof = w->req->dates[0];
	int rc = 0, k;

	sc->policy_code = dup_or_null(cell_str(pol, 0, "code"));
	sc->policy_name = dup_or_null(cell_str(pol, 0, "name"));
	sc->locale = strdup(w->locale);
	sc->min_cell = w->min_cell;
	snprintf(sc->period, sizeof(sc->period), "%s", w->req->periods[0]);
	snprintf(sc->period_start, sizeof(sc->period_start), "%s", w->req->period_start);
	snprintf(sc->period_end, sizeof(sc->period_end), "%s", asof);
	snprintf(sc->period_previous, sizeof(sc->period_previous), "%s", w->req->periods[1]);
	if (!sc->policy_code || !sc->policy_name || !sc->locale)
		return err_set(ERR_FAIL, "out of memory");
	if (ei < w->na) {
		const struct agreement_row *a = &w->agr[ei];
		const struct sc_num *ex_ante = &w->ex_ante[(size_t)ei * 3];
		double sum = 0;
		int n = 0, passed = 1;

		sc->agreement_code = strdup(a->code);
		sc->agreement_title = strdup(a->title);
		sc->agreement_status = strdup(agreement_status(a, asof));
		sc->lab_started_on = dup_or_null(a->lab);
		sc->approved_on = on_or_before(a->approved, asof) ? strdup(a->approved) : NULL;
		sc->signed_on = on_or_before(a->signed_on, asof) ? strdup(a->signed_on) : NULL;
		sc->closed_on = on_or_before(a->closed, asof) ? strdup(a->closed) : NULL;
		sc->published_on = on_or_before(a->published, asof) ? strdup(a->published) : NULL;
		if (!sc->agreement_code || !sc->agreement_title || !sc->agreement_status)
			return err_set(ERR_FAIL, "out of memory");
		for (k = 0; k < 3; k++) {
			sc->ex_ante[k] = ex_ante[k];
			if (ex_ante[k].set) {
				sum += ex_ante[k].v;
				n++;
			}
			passed = passed && ex_ante[k].set && ex_ante[k].v >= 3 - 1e-9;
		}
		if (n)
			sc->ex_ante_mean = num(sum / n);
		sc->ex_ante_passed = passed;
		rc = add_neighbourhoods(w, sc, ei);
		if (rc == 0)
			rc = add_projects(w, sc, ei);
	} else if (ei > w->na) {
		rc = describe_neighbourhood(w, sc, ei - w->na - 1);
	}
	/* once the card knows its agreement or its neighbourhood and covering
	 * agreements, which work_decide the evidence it lists */
	if (rc == 0)
		rc = ind_evidence_fill(w->evidence, sc);
	if (rc == 0)
		rc = add_notes(w, sc);
	if (rc == 0 && ei > w->na)
		sc_add_note(sc, SC_NOTE_TERRITORY);
	if (rc == 0)
		rc = add_trend(w, sc, ei);
	return rc;
}

int work_full_card(struct work *w, int ei, struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc = work_build_card(w, ei, 0, &sc);

	if (rc == 0)
		rc = describe_card(w, sc, ei);
	if (rc) {
		sc_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}
