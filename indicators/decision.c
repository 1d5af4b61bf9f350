#include "decision.h"

#include "err.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int cmp_asc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* An index to rank: its key (below) and its agreement. */
struct ranked {
	uint64_t key;
	int at;
};

/* The key of a double that is not NaN: keys in unsigned order are the
 * doubles in descending order (IEEE 754 bit patterns order like the
 * magnitudes of same-sign numbers: negatives are flipped whole, positives
 * get the sign bit), so a radix sort can do without comparisons. -0 and 0
 * get adjacent keys, harmless: ranks compare the values. */
static uint64_t desc_key(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	u = u >> 63 ? ~u : u | UINT64_C(1) << 63;
	return ~u;
}

/* The double of a key, bit for bit. */
static double key_value(uint64_t key)
{
	uint64_t u = ~key;
	double v;

	u = u >> 63 ? u & ~(UINT64_C(1) << 63) : ~u;
	memcpy(&v, &u, sizeof(v));
	return v;
}

/* Sorts k entries by key, a byte at a time from the lowest (a stable LSD
 * radix sort, skipping the bytes every key shares), moving them between v
 * and tmp (k entries each); returns the array that holds the result. */
static struct ranked *radix_sort(struct ranked *v, struct ranked *tmp, int k)
{
	size_t count[8][256] = {{0}};
	struct ranked *swap;
	int i, b;

	for (i = 0; i < k; i++)
		for (b = 0; b < 8; b++)
			count[b][(v[i].key >> (8 * b)) & 255]++;
	for (b = 0; b < 8 && k > 0; b++) {
		size_t at = 0, c;
		int d;

		if (count[b][(v[0].key >> (8 * b)) & 255] == (size_t)k)
			continue;
		for (d = 0; d < 256; d++) {
			c = count[b][d];
			count[b][d] = at;
			at += c;
		}
		for (i = 0; i < k; i++)
			tmp[count[b][(v[i].key >> (8 * b)) & 255]++] = v[i];
		swap = v;
		v = tmp;
		tmp = swap;
	}
	return v;
}

/* dec_ranks on checked input: rank[i] for index[i], with scratch
 * room for n entries in buf and in tmp. */
static void ranks_into(int n, const double *index, int *rank, struct ranked *buf,
		       struct ranked *tmp)
{
	struct ranked *s;
	int i, k = 0, lo = 0;

	for (i = 0; i < n; i++) {
		if (isnan(index[i])) {
			rank[i] = 0;
			continue;
		}
		buf[k].key = desc_key(index[i]);
		buf[k++].at = i;
	}
	s = radix_sort(buf, tmp, k);
	for (i = 0; i < k; i++) {
		double v = key_value(s[i].key);
		double above = v + DEC_TOLERANCE * fmax(1.0, fabs(v));

		/* The count of values beating v is the length of the prefix of
		 * the descending order that lies above the threshold. Down the
		 * order the threshold falls and the prefix grows, so it is found
		 * from the last one; the first loop only guards against a
		 * threshold that rounding made rise. */
		while (lo > 0 && key_value(s[lo - 1].key) <= above)
			lo--;
		while (lo < k && key_value(s[lo].key) > above)
			lo++;
		rank[s[i].at] = 1 + lo;
	}
}

int dec_ranks(int n, const double *index, int *rank)
{
	struct ranked *buf, *tmp;
	int *r;
	int i;

	if (n < 0)
		return err_set(ERR_FAIL, "ranks: negative count %d", n);
	for (i = 0; i < n; i++)
		if (isinf(index[i]))
			return err_set(ERR_FAIL, "ranks: index %d is infinite", i);
	buf = malloc(sizeof(*buf) * (size_t)(n ? n : 1));
	tmp = malloc(sizeof(*tmp) * (size_t)(n ? n : 1));
	r = malloc(sizeof(*r) * (size_t)(n ? n : 1));
	if (!buf || !tmp || !r) {
		free(buf);
		free(tmp);
		free(r);
		return err_set(ERR_FAIL, "ranks: out of memory");
	}
	ranks_into(n, index, r, buf, tmp);
	if (n)
		memcpy(rank, r, sizeof(*r) * (size_t)n);
	free(buf);
	free(tmp);
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

/* The k-th smallest of x[0..n−1] (0 ≤ k < n), reordering x so that every
 * entry before k is ≤ x[k] and every one after it ≥ x[k] (Hoare's
 * selection: expected O(n); equal values stop both scans, so ties, which
 * ranks have many of, split evenly). */
static int select_int(int *x, int n, int k)
{
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		int a = x[lo], b = x[lo + (hi - lo) / 2], c = x[hi], pivot, i = lo, j = hi, t;

		/* the median of three */
		pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				t = x[i];
				x[i++] = x[j];
				x[j--] = t;
			}
		}
		/* x[lo..j] ≤ pivot ≤ x[i..hi], and what lies between is the pivot */
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return x[k];
}

/* pct_sorted on integers in any order (reordered), by selection. */
static double pct_int(int *x, int n, double p)
{
	double h = (double)(n - 1) * p;
	int j = (int)floor(h), i, next;

	if (j >= n - 1)
		return select_int(x, n, n - 1);
	select_int(x, n, j);
	/* the next order statistic is the least of what lies after j */
	for (next = x[j + 1], i = j + 2; i < n; i++)
		if (x[i] < next)
			next = x[i];
	return (double)x[j] + (h - j) * ((double)next - (double)x[j]);
}

int dec_percentile_int(int *x, int n, double p, double *out)
{
	if (n < 1 || !(p >= 0 && p <= 1))
		return err_set(ERR_FAIL, "percentile: %g of %d values", p, n);
	*out = pct_int(x, n, p);
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

/* The range of `count` doubles (sorted here, in place); null if none. */
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

/* The same for integers (reordered here). */
static struct dec_range range_of_int(int *v, int count)
{
	struct dec_range r = {0};

	if (count > 0) {
		r.p05 = pct_int(v, count, 0.05);
		r.p95 = pct_int(v, count, 0.95);
		r.set = 1;
	}
	return r;
}

/* A scored indicator of an entity with a target, in a dimension: the
 * terms of the sums dims_of makes for the scores. The indicators it
 * leaves out add nothing to them, and coverage, which would need the
 * unscored ones, is not drawn. */
struct term {
	double score;
	int i, d;
};

/* The terms of e by dimension, each dimension's in model order (m->n
 * room): the order in which dims_of adds them up. */
static int terms_of(const struct dec_model *m, const struct dec_entity *e, struct term *t)
{
	int i, d, k = 0;

	for (d = 0; d < DEC_DIMS; d++)
		for (i = 0; i < m->n; i++) {
			if (m->dimension[i] != d || !e->has_target[i] || isnan(e->score[i]))
				continue;
			t[k].score = e->score[i];
			t[k].i = i;
			t[k++].d = d;
		}
	return k;
}

/* The index of an entity by its terms under indicator weights w and
 * dimension weights dw: dims_of then index_of, the same sums in the same
 * order, so the same double to the bit; NaN when null. */
static double index_of_terms(const struct term *t, int nt, const double *w, const double *dw)
{
	double wsum = 0, isum = 0;
	int k = 0;

	while (k < nt) {
		double used = 0, sum = 0;
		int d = t[k].d;

		for (; k < nt && t[k].d == d; k++) {
			used += w[t[k].i];
			sum += w[t[k].i] * t[k].score;
		}
		if (!(used > 0))
			continue;
		wsum += dw[d];
		isum += dw[d] * (sum / used);
	}
	return wsum > 0 ? isum / wsum : NAN;
}

/* What the sensitivity's threads share: the drawn weights, the terms of
 * every entity, and where each draw's results go. */
struct sens {
	int n_weights;		/* per draw: the n indicator weights, then DEC_DIMS */
	const double *weights;	/* [DEC_SENS_DRAWS][n_weights] */
	const struct term *pol; /* the policy's terms */
	int n_pol;
	const struct term *terms; /* every agreement's, one after another */
	const int *first;	  /* agreement a's are terms[first[a] .. first[a + 1] − 1] */
	int na;
	double *pol_index; /* [DEC_SENS_DRAWS], NaN when null */
	int *rank_vals;	   /* [na][DEC_SENS_DRAWS], 0 when not ranked */
};

/* How many draws a job makes at once. */
#define SENS_BLOCK 16

/* A share of the draws, then of the agreements whose rank ranges it
 * makes (ranks), with scratch room of its own. */
struct sens_job {
	const struct sens *s;
	int from, to;	  /* draws */
	int a_from, a_to; /* agreements */
	double *idx;	  /* [SENS_BLOCK][agreements] */
	int *rk;	  /* [SENS_BLOCK][agreements] */
	struct ranked *buf, *tmp;
	int *row; /* [DEC_SENS_DRAWS] */
	struct dec_range *ranks;
	pthread_t thread;
};

static void *sens_run(void *arg)
{
	struct sens_job *j = arg;
	const struct sens *s = j->s;
	const size_t na = (size_t)s->na;
	int d0, nb, b, a;

	/* SENS_BLOCK draws at a time: each agreement's terms are read once for
	 * all of them, and each agreement's ranks in them are written side by
	 * side */
	for (d0 = j->from; d0 < j->to; d0 += nb) {
		nb = j->to - d0 < SENS_BLOCK ? j->to - d0 : SENS_BLOCK;
		for (b = 0; b < nb; b++) {
			const double *w = &s->weights[(size_t)(d0 + b) * s->n_weights];

			s->pol_index[d0 + b] =
				index_of_terms(s->pol, s->n_pol, w, w + s->n_weights - DEC_DIMS);
		}
		for (a = 0; a < s->na; a++) {
			const struct term *t = &s->terms[s->first[a]];
			int nt = s->first[a + 1] - s->first[a];

			for (b = 0; b < nb; b++) {
				const double *w = &s->weights[(size_t)(d0 + b) * s->n_weights];

				j->idx[(size_t)b * na + (size_t)a] =
					index_of_terms(t, nt, w, w + s->n_weights - DEC_DIMS);
			}
		}
		for (b = 0; b < nb; b++)
			ranks_into(s->na, &j->idx[(size_t)b * na], &j->rk[(size_t)b * na], j->buf,
				   j->tmp);
		for (a = 0; a < s->na; a++)
			for (b = 0; b < nb; b++)
				s->rank_vals[(size_t)a * DEC_SENS_DRAWS + (size_t)(d0 + b)] =
					j->rk[(size_t)b * na + (size_t)a];
	}
	return NULL;
}

/* The rank range of each agreement of the job's share, from its ranks in
 * the draws that rank it. */
static void *ranges_run(void *arg)
{
	struct sens_job *j = arg;
	int a, draw, count;

	for (a = j->a_from; a < j->a_to; a++) {
		const int *r = &j->s->rank_vals[(size_t)a * DEC_SENS_DRAWS];

		for (draw = count = 0; draw < DEC_SENS_DRAWS; draw++)
			if (r[draw])
				j->row[count++] = r[draw];
		j->ranks[a] = range_of_int(j->row, count);
	}
	return NULL;
}

/* Runs fn on every job, job 0 on this thread and the others on their own
 * (here too when a thread cannot start: the results are the same whoever
 * computes them). */
static void run_jobs(struct sens_job *job, int n_jobs, void *(*fn)(void *))
{
	int i, started;

	for (started = 1; started < n_jobs; started++)
		if (pthread_create(&job[started].thread, NULL, fn, &job[started]) != 0)
			break;
	for (i = started; i < n_jobs; i++)
		fn(&job[i]);
	fn(&job[0]);
	for (i = 1; i < started; i++)
		pthread_join(job[i].thread, NULL);
}

/* How many threads share the draws: the processors online, at most 4. */
static int sens_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

int dec_sensitivity(const struct dec_model *m, const struct dec_entity *policy,
		    const struct dec_entity *agreements, int n_agreements, struct dec_range *index,
		    struct dec_range *ranks)
{
	const double span = DEC_SENS_FACTOR_HIGH - DEC_SENS_FACTOR_LOW;
	const size_t na = (size_t)(n_agreements > 0 ? n_agreements : 0);
	struct sens s = {0};
	struct sens_job job[4] = {{0}};
	struct dec_rng rng;
	struct dec_range pol_range;
	double *weights, *pol_vals, *w;
	struct term *terms, *pol;
	int *first, *rank_vals;
	int n_jobs = sens_threads(), count, draw, i, a, rc;

	rc = check_model(m);
	if (!rc)
		rc = check_entity(m, policy);
	if (!rc && (n_agreements < 0 || (n_agreements > 0 && !agreements)))
		rc = err_set(ERR_FAIL, "sensitivity: invalid agreements");
	for (a = 0; !rc && a < n_agreements; a++)
		rc = check_entity(m, &agreements[a]);
	if (rc)
		return rc;

	s.n_weights = m->n + DEC_DIMS;
	/* + 1 keeps every size non-zero, so NULL always means no memory */
	weights = malloc(sizeof(*weights) * (size_t)s.n_weights * DEC_SENS_DRAWS);
	pol = malloc(sizeof(*pol) * ((size_t)m->n + 1));
	terms = malloc(sizeof(*terms) * (na * (size_t)m->n + 1));
	first = malloc(sizeof(*first) * (na + 1));
	pol_vals = malloc(sizeof(*pol_vals) * DEC_SENS_DRAWS);
	rank_vals = malloc(sizeof(*rank_vals) * (na * DEC_SENS_DRAWS + 1));
	if (n_jobs > n_agreements)
		n_jobs = n_agreements > 0 ? n_agreements : 1;
	for (i = 0; i < n_jobs; i++) {
		job[i].idx = malloc(sizeof(*job[i].idx) * (SENS_BLOCK * na + 1));
		job[i].rk = malloc(sizeof(*job[i].rk) * (SENS_BLOCK * na + 1));
		job[i].buf = malloc(sizeof(*job[i].buf) * (na + 1));
		job[i].tmp = malloc(sizeof(*job[i].tmp) * (na + 1));
		job[i].row = malloc(sizeof(*job[i].row) * DEC_SENS_DRAWS);
		if (!job[i].idx || !job[i].rk || !job[i].buf || !job[i].tmp || !job[i].row)
			rc = ERR_FAIL;
	}
	if (rc || !weights || !pol || !terms || !first || !pol_vals || !rank_vals) {
		rc = err_set(ERR_FAIL, "sensitivity: out of memory");
		goto out;
	}

	/* Every draw's weights first, in the generator's order, so that the
	 * draws can then be shared out in any way. The order of the factors is
	 * part of the contract (decision.h). */
	dec_rng_seed(&rng, DEC_SENS_SEED);
	for (draw = 0, w = weights; draw < DEC_SENS_DRAWS; draw++, w += s.n_weights) {
		for (i = 0; i < m->n; i++)
			w[i] = m->weight[i] * (DEC_SENS_FACTOR_LOW + span * dec_rng_uniform(&rng));
		for (i = 0; i < DEC_DIMS; i++)
			w[m->n + i] = m->dim_weight[i] *
				      (DEC_SENS_FACTOR_LOW + span * dec_rng_uniform(&rng));
	}
	s.weights = weights;
	s.pol = pol;
	s.n_pol = terms_of(m, policy, pol);
	for (a = 0, first[0] = 0; a < n_agreements; a++)
		first[a + 1] = first[a] + terms_of(m, &agreements[a], &terms[first[a]]);
	s.terms = terms;
	s.first = first;
	s.na = n_agreements;
	s.pol_index = pol_vals;
	s.rank_vals = rank_vals;

	/* Each job takes a run of draws, then, once every draw is ranked, a
	 * run of agreements. */
	for (i = 0; i < n_jobs; i++) {
		job[i].s = &s;
		job[i].from = (int)((long)DEC_SENS_DRAWS * i / n_jobs);
		job[i].to = (int)((long)DEC_SENS_DRAWS * (i + 1) / n_jobs);
		job[i].a_from = (int)((long)n_agreements * i / n_jobs);
		job[i].a_to = (int)((long)n_agreements * (i + 1) / n_jobs);
		job[i].ranks = ranks;
	}
	run_jobs(job, n_jobs, sens_run);

	/* the policy's non-null indices, in draw order, over pol_vals */
	for (draw = count = 0; draw < DEC_SENS_DRAWS; draw++)
		if (!isnan(pol_vals[draw]))
			pol_vals[count++] = pol_vals[draw];
	pol_range = range_of(pol_vals, count);
	run_jobs(job, n_jobs, ranges_run);
	*index = pol_range;
out:
	for (i = 0; i < n_jobs; i++) {
		free(job[i].idx);
		free(job[i].rk);
		free(job[i].buf);
		free(job[i].tmp);
		free(job[i].row);
	}
	free(weights);
	free(pol);
	free(terms);
	free(first);
	free(pol_vals);
	free(rank_vals);
	return rc;
}
