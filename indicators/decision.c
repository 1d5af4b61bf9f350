#include "decision.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *dec_polarity_name(enum dec_polarity p)
{
	switch (p) {
	case DEC_POL_HIGHER:
		return "higher";
	case DEC_POL_LOWER:
		return "lower";
	case DEC_POL_NEUTRAL:
		return "neutral";
	}
	return NULL;
}

const char *dec_status_name(enum dec_status s)
{
	switch (s) {
	case DEC_STATUS_NONE:
		return "none";
	case DEC_STATUS_GREEN:
		return "green";
	case DEC_STATUS_AMBER:
		return "amber";
	case DEC_STATUS_RED:
		return "red";
	}
	return NULL;
}

/* The checks dec_status and dec_normalised share. Returns 1 when the result
 * is null (neutral, or a null value or target), 0 when there is something to
 * compare, or a negative code. */
static int check_target(const char *what, enum dec_polarity pol, double v, double t)
{
	if (pol != DEC_POL_HIGHER && pol != DEC_POL_LOWER && pol != DEC_POL_NEUTRAL)
		return err_set(ERR_FAIL, "%s: unknown polarity %d", what, (int)pol);
	if (pol == DEC_POL_NEUTRAL || isnan(v) || isnan(t))
		return 1;
	if (!isfinite(v) || !isfinite(t))
		return err_set(ERR_FAIL, "%s: infinite value or target", what);
	return 0;
}

/* How far v falls short of t in the direction the polarity calls better;
 * ≤ 0 when v meets the target. */
static double shortfall(enum dec_polarity pol, double v, double t)
{
	return pol == DEC_POL_HIGHER ? t - v : v - t;
}

static double target_tol(double t)
{
	return DEC_TOLERANCE * fmax(1.0, fabs(t));
}

int dec_status(enum dec_polarity pol, double value, double target, double amber_ratio,
	       enum dec_status *out)
{
	double gap, tol;
	int rc = check_target("status", pol, value, target);

	if (rc < 0)
		return rc;
	if (rc) {
		*out = DEC_STATUS_NONE;
		return 0;
	}
	if (!(amber_ratio >= 0 && amber_ratio <= 1))
		return err_set(ERR_FAIL, "status: amber ratio %g is not in [0, 1]", amber_ratio);
	gap = shortfall(pol, value, target);
	tol = target_tol(target);
	if (gap <= tol)
		*out = DEC_STATUS_GREEN;
	else if (gap <= (1.0 - amber_ratio) * fabs(target) + tol)
		*out = DEC_STATUS_AMBER;
	else
		*out = DEC_STATUS_RED;
	return 0;
}

int dec_normalised(enum dec_polarity pol, double value, double target, double *score,
		   int *has_score)
{
	double gap;
	int rc = check_target("normalised", pol, value, target);

	if (rc < 0)
		return rc;
	if (rc) {
		*score = 0;
		*has_score = 0;
		return 0;
	}
	gap = shortfall(pol, value, target);
	if (gap <= target_tol(target))
		*score = 100;
	else if (target == 0)
		*score = 0;
	else
		*score = 100.0 * fmax(0.0, 1.0 - gap / fabs(target));
	*has_score = 1;
	return 0;
}

static int check_weight(const char *what, double w)
{
	if (!(w >= 0) || !isfinite(w))
		return err_set(ERR_FAIL, "%s: weight %g is not a finite number >= 0", what, w);
	return 0;
}

static int check_model(const struct dec_model *m)
{
	int i, rc;

	if (!m || m->n < 0 || (m->n > 0 && (!m->dimension || !m->weight)))
		return err_set(ERR_FAIL, "decision: incomplete model");
	for (i = 0; i < m->n; i++) {
		if (m->dimension[i] < -1 || m->dimension[i] >= DEC_DIMS)
			return err_set(ERR_FAIL, "decision: indicator %d has dimension %d", i,
				       m->dimension[i]);
		rc = check_weight("decision: indicator", m->weight[i]);
		if (rc)
			return rc;
	}
	for (i = 0; i < DEC_DIMS; i++) {
		rc = check_weight("decision: dimension", m->dim_weight[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int check_entity(const struct dec_model *m, const struct dec_entity *e)
{
	int i;

	if (!e || (m->n > 0 && (!e->score || !e->has_target)))
		return err_set(ERR_FAIL, "decision: incomplete scorecard");
	for (i = 0; i < m->n; i++) {
		double s = e->score[i];

		if (isnan(s))
			continue;
		if (!(s >= 0 && s <= 100))
			return err_set(ERR_FAIL, "decision: indicator %d has score %g", i, s);
		if (!e->has_target[i])
			return err_set(ERR_FAIL, "decision: indicator %d has a score but no target",
				       i);
	}
	return 0;
}

/* Every dimension of e under weights w (n entries) in one pass; inputs are
 * checked. Shared by the plain evaluation and by every sensitivity draw. */
static void dims_of(const struct dec_model *m, const double *w, const struct dec_entity *e,
		    struct dec_dim dims[DEC_DIMS])
{
	double used[DEC_DIMS] = {0}, sum[DEC_DIMS] = {0}, targeted[DEC_DIMS] = {0};
	int i, d;

	for (i = 0; i < m->n; i++) {
		d = m->dimension[i];
		if (d < 0 || !e->has_target[i])
			continue;
		targeted[d] += w[i];
		if (isnan(e->score[i]))
			continue;
		used[d] += w[i];
		sum[d] += w[i] * e->score[i];
	}
	for (d = 0; d < DEC_DIMS; d++) {
		/* Weights are ≥ 0, so a sum is 0 exactly when every term is. */
		dims[d] = (struct dec_dim){0};
		if (used[d] > 0) {
			dims[d].score = sum[d] / used[d];
			dims[d].has_score = 1;
		}
		if (targeted[d] > 0) {
			dims[d].coverage = used[d] / targeted[d];
			dims[d].has_coverage = 1;
		}
	}
}

static void index_of(const struct dec_dim dims[DEC_DIMS], const double dw[DEC_DIMS], double *index,
		     int *has_index)
{
	double used = 0, sum = 0;
	int d;

	for (d = 0; d < DEC_DIMS; d++) {
		if (!dims[d].has_score)
			continue;
		used += dw[d];
		sum += dw[d] * dims[d].score;
	}
	*index = used > 0 ? sum / used : 0;
	*has_index = used > 0;
}

int dec_dimension(const struct dec_model *m, const struct dec_entity *e, int dim,
		  struct dec_dim *out)
{
	struct dec_dim dims[DEC_DIMS];
	int rc;

	if (dim < 0 || dim >= DEC_DIMS)
		return err_set(ERR_FAIL, "decision: no dimension %d", dim);
	rc = check_model(m);
	if (!rc)
		rc = check_entity(m, e);
	if (rc)
		return rc;
	dims_of(m, m->weight, e, dims);
	*out = dims[dim];
	return 0;
}

int dec_index(const struct dec_dim dims[DEC_DIMS], const double dim_weight[DEC_DIMS], double *index,
	      int *has_index)
{
	int d, rc;

	for (d = 0; d < DEC_DIMS; d++) {
		rc = check_weight("index: dimension", dim_weight[d]);
		if (rc)
			return rc;
		if (dims[d].has_score && !isfinite(dims[d].score))
			return err_set(ERR_FAIL, "index: dimension %d score is not finite", d);
	}
	index_of(dims, dim_weight, index, has_index);
	return 0;
}

int dec_evaluate(const struct dec_model *m, const struct dec_entity *e, struct dec_result *out)
{
	struct dec_result r;
	int rc = check_model(m);

	if (!rc)
		rc = check_entity(m, e);
	if (rc)
		return rc;
	dims_of(m, m->weight, e, r.dim);
	index_of(r.dim, m->dim_weight, &r.index, &r.has_index);
	*out = r;
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

static int cmp_asc(const void *a, const void *b)
{
	return cmp_desc(b, a);
}

/* dec_ranks on checked input, with scratch room for n doubles. */
static void ranks_into(int n, const double *index, int *rank, double *scratch)
{
	int i, k = 0, lo, hi, mid;
	double above;

	for (i = 0; i < n; i++)
		if (!isnan(index[i]))
			scratch[k++] = index[i];
	qsort(scratch, (size_t)k, sizeof(*scratch), cmp_desc);
	for (i = 0; i < n; i++) {
		if (isnan(index[i])) {
			rank[i] = 0;
			continue;
		}
		/* The count of values beating index[i] is the length of the
		 * prefix of the descending array that lies above the threshold. */
		above = index[i] + DEC_TOLERANCE * fmax(1.0, fabs(index[i]));
		lo = 0;
		hi = k;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (scratch[mid] > above)
				lo = mid + 1;
			else
				hi = mid;
		}
		rank[i] = 1 + lo;
	}
}

int dec_ranks(int n, const double *index, int *rank)
{
	double *scratch;
	int *r;
	int i;

	if (n < 0)
		return err_set(ERR_FAIL, "ranks: negative count %d", n);
	for (i = 0; i < n; i++)
		if (isinf(index[i]))
			return err_set(ERR_FAIL, "ranks: index %d is infinite", i);
	scratch = malloc(sizeof(*scratch) * (size_t)(n ? n : 1));
	r = malloc(sizeof(*r) * (size_t)(n ? n : 1));
	if (!scratch || !r) {
		free(scratch);
		free(r);
		return err_set(ERR_FAIL, "ranks: out of memory");
	}
	ranks_into(n, index, r, scratch);
	if (n)
		memcpy(rank, r, sizeof(*r) * (size_t)n);
	free(scratch);
	free(r);
	return 0;
}

/* Type 7 quantile of x sorted ascending, n ≥ 1, p in [0, 1]. */
static double pct_sorted(const double *x, int n, double p)
{
	double h = (double)(n - 1) * p;
	int j = (int)floor(h);

	if (j >= n - 1)
		return x[n - 1];
	return x[j] + (h - j) * (x[j + 1] - x[j]);
}

int dec_percentile(const double *x, int n, double p, double *out)
{
	double *s;
	int i;

	if (n < 1 || !(p >= 0 && p <= 1))
		return err_set(ERR_FAIL, "percentile: %g of %d values", p, n);
	for (i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return err_set(ERR_FAIL, "percentile: value %d is not finite", i);
	s = malloc(sizeof(*s) * (size_t)n);
	if (!s)
		return err_set(ERR_FAIL, "percentile: out of memory");
	memcpy(s, x, sizeof(*s) * (size_t)n);
	qsort(s, (size_t)n, sizeof(*s), cmp_asc);
	*out = pct_sorted(s, n, p);
	free(s);
	return 0;
}

void dec_rng_seed(struct dec_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t dec_rng_next(struct dec_rng *r)
{
	uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

double dec_rng_uniform(struct dec_rng *r)
{
	/* The top 53 bits fill a double's mantissa exactly: 2^−53 = 0x1p-53. */
	return (double)(dec_rng_next(r) >> 11) * 0x1p-53;
}

/* The range of `count` values (sorted here, in place); null if none. */
static struct dec_range range_of(double *v, int count)
{
	struct dec_range r = {0};

	if (count > 0) {
		qsort(v, (size_t)count, sizeof(*v), cmp_asc);
		r.p05 = pct_sorted(v, count, 0.05);
		r.p95 = pct_sorted(v, count, 0.95);
		r.set = 1;
	}
	return r;
}

int dec_sensitivity(const struct dec_model *m, const struct dec_entity *policy,
		    const struct dec_entity *agreements, int n_agreements, struct dec_range *index,
		    struct dec_range *ranks)
{
	const double span = DEC_SENS_FACTOR_HIGH - DEC_SENS_FACTOR_LOW;
	const size_t na = (size_t)(n_agreements > 0 ? n_agreements : 0);
	struct dec_model drawn;
	struct dec_dim dims[DEC_DIMS];
	struct dec_rng rng;
	struct dec_range pol_range;
	double *w, *idx, *scratch, *pol_vals, *row;
	int *rank, *rank_count, *rank_vals; /* ranks are whole: half the memory of doubles */
	int pol_count = 0, draw, i, a, has, rc;

	rc = check_model(m);
	if (!rc)
		rc = check_entity(m, policy);
	if (!rc && (n_agreements < 0 || (n_agreements > 0 && !agreements)))
		rc = err_set(ERR_FAIL, "sensitivity: invalid agreements");
	for (a = 0; !rc && a < n_agreements; a++)
		rc = check_entity(m, &agreements[a]);
	if (rc)
		return rc;

	/* + 1 keeps every size non-zero, so NULL always means no memory. */
	w = malloc(sizeof(*w) * ((size_t)m->n + 1));
	idx = malloc(sizeof(*idx) * (na + 1));
	scratch = malloc(sizeof(*scratch) * (na + 1));
	rank = malloc(sizeof(*rank) * (na + 1));
	rank_count = calloc(na + 1, sizeof(*rank_count));
	pol_vals = malloc(sizeof(*pol_vals) * DEC_SENS_DRAWS);
	rank_vals = malloc(sizeof(*rank_vals) * (na * DEC_SENS_DRAWS + 1));
	row = malloc(sizeof(*row) * DEC_SENS_DRAWS);
	if (!w || !idx || !scratch || !rank || !rank_count || !pol_vals || !rank_vals || !row) {
		rc = err_set(ERR_FAIL, "sensitivity: out of memory");
		goto out;
	}

	drawn = *m;
	drawn.weight = w;
	dec_rng_seed(&rng, DEC_SENS_SEED);
	for (draw = 0; draw < DEC_SENS_DRAWS; draw++) {
		/* The order of the factors is part of the contract (decision.h). */
		for (i = 0; i < m->n; i++)
			w[i] = m->weight[i] * (DEC_SENS_FACTOR_LOW + span * dec_rng_uniform(&rng));
		for (i = 0; i < DEC_DIMS; i++)
			drawn.dim_weight[i] = m->dim_weight[i] *
					      (DEC_SENS_FACTOR_LOW + span * dec_rng_uniform(&rng));

		dims_of(&drawn, w, policy, dims);
		index_of(dims, drawn.dim_weight, &pol_vals[pol_count], &has);
		pol_count += has;

		for (a = 0; a < n_agreements; a++) {
			dims_of(&drawn, w, &agreements[a], dims);
			index_of(dims, drawn.dim_weight, &idx[a], &has);
			if (!has)
				idx[a] = NAN;
		}
		ranks_into(n_agreements, idx, rank, scratch);
		/* Agreement a's ranks fill row a of rank_vals, from its start. */
		for (a = 0; a < n_agreements; a++)
			if (rank[a])
				rank_vals[(size_t)a * DEC_SENS_DRAWS + rank_count[a]++] = rank[a];
	}

	pol_range = range_of(pol_vals, pol_count);
	for (a = 0; a < n_agreements; a++) {
		for (i = 0; i < rank_count[a]; i++)
			row[i] = rank_vals[(size_t)a * DEC_SENS_DRAWS + i];
		ranks[a] = range_of(row, rank_count[a]);
	}
	*index = pol_range;
out:
	free(w);
	free(idx);
	free(scratch);
	free(rank);
	free(rank_count);
	free(pol_vals);
	free(rank_vals);
	free(row);
	return rc;
}
