/* rank: the decision model on a scorecard, and the ranking of a policy's
 * agreements with its sensitivity to the weights (work.h). */
#include "work.h"

#include "decision.h"

/* The decision model's view of the catalogue and the policy's weights (one
 * model for every level: weights.csv has no level). */
struct model {
	int dimension[CAT_COUNT];
	double weight[CAT_COUNT];
	struct dec_model m;
};

static void model_of(const struct scorecard *sc, struct model *md)
{
	int i, d;

	for (i = 0; i < CAT_COUNT; i++) {
		md->dimension[i] = (int)cat_indicators[i].dimension;
		md->weight[i] = sc->ind[i].weight.set ? sc->ind[i].weight.v : 1.0;
	}
	md->m.n = CAT_COUNT;
	md->m.dimension = md->dimension;
	md->m.weight = md->weight;
	for (d = 0; d < DIM_COUNT; d++)
		md->m.dim_weight[d] = sc->dims[d].weight.set ? sc->dims[d].weight.v : 1.0;
}

/* A scorecard's normalised scores as the decision model reads them. */
struct entity {
	double score[CAT_COUNT];
	int has_target[CAT_COUNT];
	struct dec_entity e;
};

static void entity_of(const struct scorecard *sc, struct entity *en)
{
	int i;

	for (i = 0; i < CAT_COUNT; i++) {
		const struct sc_indicator *si = &sc->ind[i];

		en->has_target[i] =
			si->present && si->target.set && si->ind->polarity != POL_NEUTRAL;
		en->score[i] = en->has_target[i] && si->normalised.set ? si->normalised.v : NAN;
	}
	en->e.score = en->score;
	en->e.has_target = en->has_target;
}

/* Status and normalised score of every indicator, the dimension scores with
 * their coverage, and the index. */
int work_decide(struct scorecard *sc)
{
	struct dec_result dr;
	struct model md;
	struct entity en;
	int i, d, rc;

	for (i = 0; i < CAT_COUNT; i++) {
		struct sc_indicator *si = &sc->ind[i];
		enum dec_polarity pol = (enum dec_polarity)si->ind->polarity;
		enum dec_status st = DEC_STATUS_NONE;
		int has = 0;
		double score = 0;

		if (!si->present || !si->target.set || !si->value.set || si->suppressed ||
		    si->ind->polarity == POL_NEUTRAL)
			continue;
		rc = dec_status(pol, si->value.v, si->target.v, si->amber_ratio, &st);
		if (rc == 0)
			rc = dec_normalised(pol, si->value.v, si->target.v, &score, &has);
		if (rc)
			return err_set(rc, "%s: %s", si->ind->code, err_last());
		si->status = (enum sc_status)st;
		si->normalised.set = has;
		si->normalised.v = score;
	}
	model_of(sc, &md);
	entity_of(sc, &en);
	rc = dec_evaluate(&md.m, &en.e, &dr);
	if (rc)
		return rc;
	for (d = 0; d < DIM_COUNT; d++) {
		sc->dims[d].score.set = dr.dim[d].has_score;
		sc->dims[d].score.v = dr.dim[d].score;
		sc->dims[d].coverage.set = dr.dim[d].has_coverage;
		sc->dims[d].coverage.v = dr.dim[d].coverage;
	}
	sc->index.set = dr.has_index;
	sc->index.v = dr.index;
	return 0;
}

static int cmp_rank(const void *a, const void *b)
{
	const struct sc_rank *x = a, *y = b;

	if ((x->rank == 0) != (y->rank == 0))
		return x->rank == 0 ? 1 : -1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->agreement_code, y->agreement_code);
}

/* Ranks every in-scope agreement by index and measures how the policy's
 * index and the ranks move when the weights do (policy scorecard). A light
 * pass: each agreement's card is made with its numbers only (no trend, no
 * lists), its scores kept and the card freed, so memory holds one card and
 * the agreements' scores, never every card. */
int work_rank_agreements(struct work *w, struct scorecard *policy)
{
	struct entity *ents = calloc(w->na ? w->na : 1, sizeof(*ents));
	struct dec_entity *es = calloc(w->na ? w->na : 1, sizeof(*es));
	struct dec_range *ranges = calloc(w->na ? w->na : 1, sizeof(*ranges));
	double *index = calloc(w->na ? w->na : 1, sizeof(*index));
	int *rank = calloc(w->na ? w->na : 1, sizeof(*rank));
	struct scorecard *sc = malloc(sizeof(*sc)); /* each agreement's in turn */
	struct dec_range index_range;
	struct entity pe;
	struct model md;
	int rc = 0, i;

	policy->ranks = calloc(w->na ? w->na : 1, sizeof(*policy->ranks));
	if (!ents || !es || !ranges || !index || !rank || !policy->ranks || !sc) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < w->na; i++) {
		if ((rc = work_build_card_into(w, i, 0, sc)) != 0)
			goto out;
		entity_of(sc, &ents[i]);
		es[i] = ents[i].e;
		index[i] = sc->index.set ? sc->index.v : NAN;
		policy->ranks[i].index = sc->index;
		policy->ranks[i].agreement_code = strdup(w->agr[i].code);
		policy->ranks[i].agreement_title = strdup(w->agr[i].title);
		policy->n_ranks++;
		if (!policy->ranks[i].agreement_code || !policy->ranks[i].agreement_title) {
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
	}
	rc = dec_ranks(w->na, index, rank);
	if (rc)
		goto out;
	model_of(policy, &md);
	entity_of(policy, &pe);
	rc = dec_sensitivity(&md.m, &pe.e, es, w->na, &index_range, ranges);
	if (rc)
		goto out;
	if (index_range.set) {
		policy->index_p05 = num(index_range.p05);
		policy->index_p95 = num(index_range.p95);
	}
	for (i = 0; i < w->na; i++) {
		policy->ranks[i].rank = rank[i];
		if (ranges[i].set) {
			policy->ranks[i].rank_p05 = num(ranges[i].p05);
			policy->ranks[i].rank_p95 = num(ranges[i].p95);
		}
	}
	qsort(policy->ranks, policy->n_ranks, sizeof(*policy->ranks), cmp_rank);
out:
	free(sc); /* owns nothing: sc_free is not needed */
	free(ents);
	free(es);
	free(ranges);
	free(index);
	free(rank);
	return rc;
}
