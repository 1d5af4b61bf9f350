#include "compute.h"

#include "decision.h"
#include "err.h"
#include "evidence.h"
#include "stats.h"
#include "suppress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- finishing ------------------------------------------------------------ */

/* An indicator's numbers for one entity at one date, compact: there is a
 * value per indicator, entity and date, so their size is most of a run's
 * memory. A value is a double in `values` and a byte in `has` (1 when set);
 * an unset value reads as null_num whatever its double. */

/* The rest of an indicator's numbers, only for the indicators that have them
 * (survey indicators and percentages, with an n), kept apart
 * ([nd][ne][such indicators]) so that the others do not pay for them. A
 * number is its double and a bit of `set` (VAL_*). */
struct val_detail {
	double n, ci_low, ci_high, p_value, effect_size;
	unsigned char set, suppression;
};

enum {
	VAL_N = 1,
	VAL_CI_LOW = 2,
	VAL_CI_HIGH = 4,
	VAL_P = 8,
	VAL_EFFECT = 16,
};

/* The catalogue is small; detail_slot is sized for any catalogue a model
 * can rank (the decision model's arrays are 64 too). */
#define MAX_INDICATORS 64

enum { MEAN_AGREEMENT_QUALITY, MEAN_SATISFACTION, MEAN_ORG_CULTURE, MEAN_COUNT };

/* What the queries deliver before it is finished into values. */
struct acc {
	stats_suff mean[MEAN_COUNT];
	long long satisfied;
	stats_suff paired;
	long long improved;
	stats_suff qol[2]; /* T0, T1 */
	double volunteer_hours, in_kind_eur;
};

/* A neighbourhood of the run (Q_AREAS), and where its covering agreements
 * start in work.cover. */
struct nb_row {
	const char *code, *name;
	long long population;
	int first, count;
};

/* The agreements of the run, as Q_AGREEMENTS gives them (sorted by code). */
struct agreement_row {
	const char *code, *title, *lab, *approved, *signed_on, *closed, *published;
};

struct work {
	const struct ind_request *req;
	rows *const *res;
	/* dates; agreements; neighbourhoods; entities: the agreements
	 * (0 .. na - 1), the policy (na), the neighbourhoods (na + 1 + k) */
	int nd, na, nn, ne;
	double *values;			 /* [nd][ne][cat_count] */
	unsigned char *has;		 /* [nd][ne][cat_count] */
	struct val_detail *details;	 /* [nd][ne][ndetail] */
	int detail_slot[MAX_INDICATORS]; /* index into details, or -1 */
	int ndetail;
	struct acc *accs;	/* [nd][ne], freed once finished */
	struct sc_num *ex_ante; /* [na][3] at the period's end */
	struct agreement_row *agr;
	/* the neighbourhoods covered by the run's agreements, by code, and the
	 * agreements covering each: cover[nb[k].first .. + nb[k].count - 1],
	 * agreement indices in code order */
	struct nb_row *nb;
	int *cover;
	/* rows of the list queries by agreement, in query order: first[ei],
	 * then next[row] until -1 (a card reads its own rows only) */
	struct chain {
		int *first, *next;
	} areas, projects, milestones;
	struct ind_evidence *evidence; /* Q_EVIDENCE by agreement and neighbourhood */
	/* targets.csv and weights.csv by indicator, read once (every card,
	 * past ones of the trends included, reads them) */
	struct targets {
		double target[MAX_INDICATORS], amber[MAX_INDICATORS];
		unsigned char has_target[MAX_INDICATORS];
	} targets[3]; /* by level: [0] agreement, [1] policy, [2] neighbourhood */
	double weight[MAX_INDICATORS], dim_weight[DIM_COUNT];
	unsigned char has_weight[MAX_INDICATORS], has_dim_weight[DIM_COUNT];
	double volunteer_value;
	int min_cell;
	const char *locale;
};

static size_t val_index(const struct work *w, int di, int ei, int ci)
{
	return ((size_t)di * w->ne + ei) * cat_count + ci;
}

/* The detail of an indicator that has one (detail_slot[ci] >= 0). */
static struct val_detail *detail_at(const struct work *w, int di, int ei, int ci)
{
	return &w->details[((size_t)di * w->ne + ei) * w->ndetail + w->detail_slot[ci]];
}

static struct sc_num num_of(double v, unsigned set, unsigned bit)
{
	struct sc_num n = {0, 0};

	if (set & bit) {
		n.set = 1;
		n.v = v;
	}
	return n;
}

static struct acc *acc_at(struct work *w, int di, int ei)
{
	return &w->accs[(size_t)di * w->ne + ei];
}

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};
	return n;
}

static const struct sc_num null_num = {0, 0};

static void val_set(struct work *w, int di, int ei, int ci, double x)
{
	size_t i = val_index(w, di, ei, ci);

	w->values[i] = x;
	w->has[i] = 1;
}

static void val_clear(struct work *w, int di, int ei, int ci)
{
	size_t i = val_index(w, di, ei, ci);

	w->values[i] = 0;
	w->has[i] = 0;
}

static struct sc_num val_get(const struct work *w, int di, int ei, int ci)
{
	size_t i = val_index(w, di, ei, ci);

	return num_of(w->values[i], w->has[i], 1);
}

static void val_set_n(struct work *w, int di, int ei, int ci, double x)
{
	struct val_detail *d = detail_at(w, di, ei, ci);

	d->n = x;
	d->set |= VAL_N;
}

/* Sets the value of indicator `code` of an entity at a date; a code that is
 * not in the catalogue is an error (a query or a kind that the catalogue does
 * not know), never a value dropped. */
static int set_value(struct work *w, int di, int ei, const char *code, double v)
{
	int ci = cat_index(code);

	if (ci < 0)
		return err_set(ERR_FAIL, "indicator %s is not in the catalogue", code);
	val_set(w, di, ei, ci, v);
	return 0;
}

static struct sc_num get_value(struct work *w, int di, int ei, const char *code)
{
	int ci = cat_index(code);

	return ci >= 0 ? val_get(w, di, ei, ci) : null_num;
}

/* A cell as a number. ind_build has held every result to its query's
 * contract (ind_check_rows), so a column read here is present and a number,
 * and null only where the contract allows it and the caller checks; NaN,
 * never 0, for anything else. */
static double cell_num(const rows *r, int row, const char *col)
{
	const char *s = rows_get(r, row, rows_col(r, col));

	return s ? strtod(s, NULL) : NAN;
}

static const char *cell_str(const rows *r, int row, const char *col)
{
	return rows_get(r, row, rows_col(r, col));
}

static int date_index(const struct work *w, const char *date)
{
	int i;

	for (i = 0; date && i < w->nd; i++)
		if (strcmp(w->req->dates[i], date) == 0)
			return i;
	return -1;
}

static int cmp_agreement(const void *key, const void *item)
{
	return strcmp(key, ((const struct agreement_row *)item)->code);
}

static int agreement_index(const struct work *w, const char *code)
{
	const struct agreement_row *a;

	if (!code)
		return -1;
	a = bsearch(code, w->agr, w->na, sizeof(*w->agr), cmp_agreement);
	return a ? (int)(a - w->agr) : -1;
}

static int cmp_nb(const void *key, const void *item)
{
	return strcmp(key, ((const struct nb_row *)item)->code);
}

/* The index (0 .. nn - 1) of a neighbourhood of the run, or -1. */
static int nb_index(const struct work *w, const char *code)
{
	const struct nb_row *n;

	if (!code || !w->nn)
		return -1;
	n = bsearch(code, w->nb, w->nn, sizeof(*w->nb), cmp_nb);
	return n ? (int)(n - w->nb) : -1;
}

/* The entity of neighbourhood k. */
static int nb_entity(const struct work *w, int k)
{
	return w->na + 1 + k;
}

/* The date and entity of a row of a grid query (the policy when p = 1, the
 * neighbourhood in column agreement when p = 2, else its agreement). A date,
 * agreement or neighbourhood that is not the run's is an error naming the
 * query and row. */
static int row_target(struct work *w, enum ind_query_id q, int row, int *di, int *ei)
{
	const rows *r = w->res[q];
	const char *asof = cell_str(r, row, "asof"), *agreement = cell_str(r, row, "agreement");
	double p = cell_num(r, row, "p");

	*di = date_index(w, asof);
	if (*di < 0)
		return err_set(ERR_FAIL, "query %s: row %d: %s is not an as-of date of the run",
			       ind_queries[q].name, row + 1, asof);
	if (p == 1) {
		*ei = w->na;
		return 0;
	}
	if (p == 2) {
		int k = nb_index(w, agreement);

		if (k < 0)
			return err_set(
				ERR_FAIL, "query %s: row %d: %s is not a neighbourhood of the run",
				ind_queries[q].name, row + 1, agreement ? agreement : "null");
		*ei = nb_entity(w, k);
		return 0;
	}
	if (p != 0)
		return err_set(ERR_FAIL, "query %s: row %d: column p is %g, not 0, 1 or 2",
			       ind_queries[q].name, row + 1, p);
	*ei = agreement_index(w, agreement);
	if (*ei < 0)
		return err_set(ERR_FAIL, "query %s: row %d: %s is not an agreement of the run",
			       ind_queries[q].name, row + 1, agreement ? agreement : "null");
	return 0;
}

/* set_value from row `row` of query q, naming the query when it fails. */
static int put(struct work *w, enum ind_query_id q, int row, int di, int ei, const char *code,
	       double v)
{
	int rc = set_value(w, di, ei, code, v);

	return rc ? err_set(rc, "query %s: row %d: %s", ind_queries[q].name, row + 1, err_last())
		  : 0;
}

/* Copies a simple grid query's measures into indicators: pairs of (column,
 * indicator code). */
static int take_measures(struct work *w, enum ind_query_id q, const char *const *pairs, int n)
{
	const rows *r = w->res[q];
	int row, i, di, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &di, &ei);
		for (i = 0; rc == 0 && i < n; i++)
			rc = put(w, q, row, di, ei, pairs[2 * i + 1],
				 cell_num(r, row, pairs[2 * i]));
		if (rc)
			return rc;
	}
	return 0;
}

/* A breakdown row's indicator: `code`.<kind>. Signatories of kind `other`
 * count only in the total: the catalogue has no breakdown for them. Writes
 * "" when the row has no indicator of its own. */
static int kind_code(enum ind_query_id q, const rows *r, int row, const char *code, char *name,
		     size_t size)
{
	const char *kind = cell_str(r, row, "kind");

	if (!kind)
		return err_set(ERR_FAIL, "query %s: row %d: a breakdown row without a kind",
			       ind_queries[q].name, row + 1);
	if (q == Q_SIGNATORIES && strcmp(kind, "other") == 0)
		name[0] = '\0';
	else
		snprintf(name, size, "%s.%s", code, kind);
	return 0;
}

/* Like take_measures for queries broken down by a kind column: the total
 * (all_kinds = 1) goes to `code` (and col2 to code2), each kind to
 * `code.<kind>`. */
static int take_by_kind(struct work *w, enum ind_query_id q, const char *col, const char *code,
			const char *col2, const char *code2)
{
	const rows *r = w->res[q];
	int row, di, ei, rc;
	char name[96];

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &di, &ei);
		if (rc == 0 && cell_num(r, row, "all_kinds") != 0) {
			rc = put(w, q, row, di, ei, code, cell_num(r, row, col));
			if (rc == 0 && col2)
				rc = put(w, q, row, di, ei, code2, cell_num(r, row, col2));
		} else if (rc == 0) {
			rc = kind_code(q, r, row, code, name, sizeof(name));
			if (rc == 0 && name[0])
				rc = put(w, q, row, di, ei, name, cell_num(r, row, col));
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int take_finance(struct work *w)
{
	const rows *r = w->res[Q_FINANCE];
	int row, di, ei, rc;
	char stage[96], name[160];

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, Q_FINANCE, row, &di, &ei);
		if (rc)
			return rc;
		snprintf(stage, sizeof(stage), "eff.%s_eur", cell_str(r, row, "stage"));
		if (cell_num(r, row, "all_kinds") != 0)
			snprintf(name, sizeof(name), "%s", stage);
		else if ((rc = kind_code(Q_FINANCE, r, row, stage, name, sizeof(name))) != 0)
			return rc;
		rc = put(w, Q_FINANCE, row, di, ei, name, cell_num(r, row, "amount"));
		if (rc)
			return rc;
	}
	return 0;
}

static int take_resources(struct work *w)
{
	const rows *r = w->res[Q_RESOURCES];
	int row, di, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		const char *kind = cell_str(r, row, "kind");
		double q = cell_num(r, row, "quantity");

		rc = row_target(w, Q_RESOURCES, row, &di, &ei);
		if (rc)
			return rc;
		if (strcmp(kind, "staff_hours") == 0)
			rc = put(w, Q_RESOURCES, row, di, ei, "eff.staff_hours", q);
		else if (strcmp(kind, "volunteer_hours") == 0)
			acc_at(w, di, ei)->volunteer_hours = q;
		else if (strcmp(kind, "in_kind_eur") == 0)
			acc_at(w, di, ei)->in_kind_eur = q;
		else
			rc = err_set(ERR_FAIL, "query resources: row %d: unknown kind %s", row + 1,
				     kind);
		if (rc)
			return rc;
	}
	return 0;
}

static int take_partners(struct work *w)
{
	const rows *r = w->res[Q_PARTNERS];
	int row, di, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		double n = cell_num(r, row, "signatories");

		rc = row_target(w, Q_PARTNERS, row, &di, &ei);
		if (rc)
			return rc;
		if (n <= 0)
			continue;
		rc = put(w, Q_PARTNERS, row, di, ei, "soc.bridging_share",
			 100.0 * cell_num(r, row, "bridging") / n);
		if (rc == 0 && ei < w->na) {
			if (!cell_str(r, row, "new_partners"))
				return err_set(ERR_FAIL,
					       "query partners: row %d: column new_partners is "
					       "null on an agreement's row",
					       row + 1);
			rc = put(w, Q_PARTNERS, row, di, ei, "soc.new_partners_share",
				 100.0 * cell_num(r, row, "new_partners") / n);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int take_milestones(struct work *w)
{
	const rows *r = w->res[Q_MILESTONES];
	int ci = cat_index("eft.milestones_on_time"), row, di, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		double due = cell_num(r, row, "due");

		rc = row_target(w, Q_MILESTONES, row, &di, &ei);
		if (rc)
			return rc;
		val_set_n(w, di, ei, ci, due);
		if (due > 0)
			val_set(w, di, ei, ci, 100.0 * cell_num(r, row, "on_time") / due);
	}
	return 0;
}

static void suff_take(stats_suff *s, const rows *r, int row)
{
	s->n = (long long)cell_num(r, row, "n");
	s->sum = cell_num(r, row, "sum");
	s->sumsq = cell_num(r, row, "sumsq");
}

/* Takes a survey query's sufficient statistics: fn files each row, of an
 * agreement or of the policy. */
static int take_groups(struct work *w, enum ind_query_id q,
		       int (*fn)(struct acc *a, const rows *r, int row))
{
	const rows *r = w->res[q];
	int row, di, ei, rc;

	for (row = 0; row < r->nrows; row++) {
		rc = row_target(w, q, row, &di, &ei);
		if (rc == 0 && (rc = fn(acc_at(w, di, ei), r, row)) != 0)
			rc = err_set(rc, "query %s: row %d: %s", ind_queries[q].name, row + 1,
				     err_last());
		if (rc)
			return rc;
	}
	return 0;
}

static int add_mean(struct acc *a, const rows *r, int row)
{
	static const char *const instruments[MEAN_COUNT] = {"agreement_quality", "satisfaction",
							    "org_culture"};
	const char *instrument = cell_str(r, row, "instrument");
	int m;

	for (m = 0; m < MEAN_COUNT && strcmp(instrument, instruments[m]) != 0; m++)
		;
	if (m == MEAN_COUNT)
		return err_set(ERR_FAIL, "unknown instrument %s", instrument);
	suff_take(&a->mean[m], r, row);
	if (m == MEAN_SATISFACTION)
		a->satisfied = (long long)cell_num(r, row, "k");
	return 0;
}

static int add_paired(struct acc *a, const rows *r, int row)
{
	suff_take(&a->paired, r, row);
	a->improved = (long long)cell_num(r, row, "k");
	return 0;
}

static int add_welch(struct acc *a, const rows *r, int row)
{
	const char *wave = cell_str(r, row, "wave");

	if (strcmp(wave, "T0") != 0 && strcmp(wave, "T1") != 0)
		return err_set(ERR_FAIL, "unknown wave %s", wave);
	suff_take(&a->qol[strcmp(wave, "T1") == 0], r, row);
	return 0;
}

static int take_ex_ante(struct work *w)
{
	const rows *r = w->res[Q_EX_ANTE];
	int row, di, ei, k;

	for (row = 0; row < r->nrows; row++) {
		const char *criterion = cell_str(r, row, "criterion");

		di = date_index(w, cell_str(r, row, "asof"));
		ei = agreement_index(w, cell_str(r, row, "agreement"));
		if (di < 0 || ei < 0)
			return err_set(ERR_FAIL,
				       "query ex_ante: row %d: %s of %s is not a date and "
				       "agreement of the run",
				       row + 1, cell_str(r, row, "asof"),
				       cell_str(r, row, "agreement"));
		for (k = 0; k < 3 && strcmp(criterion, sc_ex_ante_criteria[k]) != 0; k++)
			;
		if (k == 3)
			return err_set(ERR_FAIL, "query ex_ante: row %d: unknown criterion %s",
				       row + 1, criterion);
		if (di == 0) /* the cards show the period's only */
			w->ex_ante[(size_t)ei * 3 + k] = num(cell_num(r, row, "score"));
	}
	return 0;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian). */
static long days_of(const char *date)
{
	int y, m, d;
	long era, yoe, doy, doe;

	if (!date || sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
		return 0;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* True when `date` is present and on or before `asof` (ISO dates compare as
 * strings). */
static int on_or_before(const char *date, const char *asof)
{
	return date && strcmp(date, asof) <= 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The statistic of a survey indicator into its value, with suppression
 * below the policy's min_cell (n itself stays published). */
static void set_stats(struct work *w, int di, int ei, const char *code, const stats_out *s,
		      long long n_check)
{
	int ci = cat_index(code);
	struct val_detail *x = detail_at(w, di, ei, ci);

	val_set_n(w, di, ei, ci, (double)s->n);
	if (n_check < w->min_cell) {
		x->suppression = SUP_PRIMARY;
		return;
	}
	if (s->has_value)
		val_set(w, di, ei, ci, s->value);
	if (s->has_ci) {
		x->ci_low = s->ci_low;
		x->ci_high = s->ci_high;
		x->set |= VAL_CI_LOW | VAL_CI_HIGH;
	}
	if (s->has_p) {
		x->p_value = s->p_value;
		x->set |= VAL_P;
	}
	if (s->has_effect) {
		x->effect_size = s->effect_size;
		x->set |= VAL_EFFECT;
	}
}

static int finish_surveys(struct work *w, int di, int ei)
{
	static const char *const means[MEAN_COUNT] = {"eft.agreement_quality", "eft.satisfaction",
						      "org.culture_score"};
	struct acc *a = acc_at(w, di, ei);
	stats_out s;
	int m, rc;

	for (m = 0; m < MEAN_COUNT; m++) {
		rc = stats_mean(a->mean[m], &s);
		if (rc)
			return rc;
		set_stats(w, di, ei, means[m], &s, s.n);
	}
	rc = stats_share(a->satisfied, a->mean[MEAN_SATISFACTION].n, &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, "eft.satisfied_share", &s, s.n);
	rc = stats_paired(a->paired, &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, "soc.relationship_change", &s, s.n);
	rc = stats_share(a->improved, a->paired.n, &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, "soc.relationship_improved_share", &s, s.n);
	rc = stats_welch(a->qol[0], a->qol[1], &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, "soc.quality_of_life_change", &s,
		  a->qol[0].n < a->qol[1].n ? a->qol[0].n : a->qol[1].n);
	return 0;
}

/* Indicators derived from others, once every query has been taken. */
static int finish_ratios(struct work *w, int di, int ei)
{
	struct acc *a = acc_at(w, di, ei);
	double participants = get_value(w, di, ei, "out.participants").v;
	double population = get_value(w, di, ei, "out.population").v;
	double allocated = get_value(w, di, ei, "eff.allocated_eur").v;
	double committed = get_value(w, di, ei, "eff.committed_eur").v;
	double spent = get_value(w, di, ei, "eff.spent_eur").v;
	double community = a->volunteer_hours * w->volunteer_value + a->in_kind_eur;
	int rc = 0;

	if (population != 0)
		rc = set_value(w, di, ei, "out.participation_rate",
			       participants * 1000.0 / population);
	if (rc == 0 && allocated != 0)
		rc = set_value(w, di, ei, "eff.commitment_rate", committed * 100.0 / allocated);
	if (rc == 0 && allocated != 0)
		rc = set_value(w, di, ei, "eff.spend_rate", spent * 100.0 / allocated);
	if (rc == 0 && participants != 0)
		rc = set_value(w, di, ei, "eff.cost_per_participant", spent / participants);
	if (rc == 0)
		rc = set_value(w, di, ei, "eff.community_value_eur", community);
	if (rc == 0 && spent != 0)
		rc = set_value(w, di, ei, "eff.leverage", community / spent);
	return rc;
}

/* The policy's (or a neighbourhood's) figures of agreement dates at date
 * di over `count` agreements (their indices in `of`, or 0 .. count - 1 when
 * of is NULL): the in-scope ones signed, and the median of their days to
 * signature. `days` holds count doubles. */
static int dates_over(struct work *w, int di, int ei, const int *of, int count, double *days)
{
	const char *asof = w->req->dates[di];
	int k, n = 0, signed_count = 0, rc;

	for (k = 0; k < count; k++) {
		const struct agreement_row *a = &w->agr[of ? of[k] : k];

		if (!on_or_before(a->lab, asof) || !on_or_before(a->signed_on, asof))
			continue;
		signed_count++;
		if (on_or_before(a->approved, asof))
			days[n++] = (double)(days_of(a->signed_on) - days_of(a->approved));
	}
	rc = set_value(w, di, ei, "out.agreements_signed", signed_count);
	if (rc == 0 && n > 0) {
		qsort(days, n, sizeof(double), cmp_double);
		rc = set_value(w, di, ei, "eff.days_to_signature",
			       n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2.0);
	}
	return rc;
}

/* Agreement dates: status-free figures (days to signature, agreements
 * signed), for the agreements, and their median / count at policy level and
 * for each neighbourhood over its covering agreements. */
static int finish_dates(struct work *w, int di)
{
	const char *asof = w->req->dates[di];
	double *days = calloc(w->na ? w->na : 1, sizeof(double));
	int i, k, rc = 0;

	if (!days)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; rc == 0 && i < w->na; i++) {
		const struct agreement_row *a = &w->agr[i];

		if (on_or_before(a->signed_on, asof) && on_or_before(a->approved, asof))
			rc = set_value(w, di, i, "eff.days_to_signature",
				       (double)(days_of(a->signed_on) - days_of(a->approved)));
	}
	if (rc == 0)
		rc = dates_over(w, di, w->na, NULL, w->na, days);
	for (k = 0; rc == 0 && k < w->nn; k++)
		rc = dates_over(w, di, nb_entity(w, k), &w->cover[w->nb[k].first], w->nb[k].count,
				days);
	free(days);
	return rc;
}

/* Withholds a value whose n stays published (secondary suppression). */
static void withhold(struct work *w, int di, int ei, int ci)
{
	struct val_detail *x = detail_at(w, di, ei, ci);

	val_clear(w, di, ei, ci);
	x->ci_low = x->ci_high = x->p_value = x->effect_size = 0;
	x->set &= VAL_N;
	if (x->suppression == SUP_NONE)
		x->suppression = SUP_SECONDARY;
}

/* The territory rule (suppress.h) for every neighbourhood at date di on
 * indicator ci, from the cells of the agreements in scope (pos[i]: agreement
 * i's cell, or -1 when it is not in scope), already completed. `nbc` holds
 * na cells. */
static int territory_suppression(struct work *w, int di, int ci, const struct sup_cell *cells,
				 const int *pos, struct sup_cell *nbc)
{
	int k, j, n, hide, rc;

	for (k = 0; k < w->nn; k++) {
		for (j = n = 0; j < w->nb[k].count; j++) {
			int c = pos[w->cover[w->nb[k].first + j]];

			if (c >= 0)
				nbc[n++] = cells[c];
		}
		rc = sup_territory(nbc, n, &hide);
		if (rc)
			return rc;
		if (hide)
			withhold(w, di, nb_entity(w, k), ci);
	}
	return 0;
}

/* Complementary suppression (docs/METHOD.md) of every survey indicator at
 * every date, over the agreements in scope at that date, then the territory
 * rule for the neighbourhoods, once every entity's survey values are
 * finished: previous and trend values are then read already withheld. */
static int finish_suppression(struct work *w)
{
	size_t size = w->na ? w->na : 1;
	struct sup_cell *cells = calloc(size, sizeof(*cells)), *nbc = calloc(size, sizeof(*nbc));
	int *of = calloc(size, sizeof(*of)), *pos = calloc(size, sizeof(*pos));
	int di, ci, i, k, nc, policy, rc = 0;

	if (!cells || !nbc || !of || !pos) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (di = 0; di < w->nd; di++) {
		for (ci = 0; ci < cat_count; ci++) {
			const struct cat_indicator *ind = &cat_indicators[ci];
			int welch = ind->method == METHOD_WELCH;
			int at_a = (ind->levels & CAT_AGREEMENT) != 0;

			if (!cat_is_survey(ind))
				continue;
			for (i = nc = 0; i < w->na; i++) {
				const struct val_detail *v = detail_at(w, di, i, ci);
				const struct acc *a = acc_at(w, di, i);

				pos[i] = -1;
				if (!on_or_before(w->agr[i].lab, w->req->dates[di]))
					continue;
				cells[nc].code = w->agr[i].code;
				cells[nc].n = (long long)num_of(v->n, v->set, VAL_N).v;
				cells[nc].count[0] = welch ? a->qol[0].n : cells[nc].n;
				cells[nc].count[1] = welch ? a->qol[1].n : 0;
				/* an indicator without agreement values publishes none
				 * a neighbourhood could be checked against */
				cells[nc].suppression =
					at_a ? (enum sc_suppression)v->suppression : SUP_PRIMARY;
				pos[i] = nc;
				of[nc++] = i;
			}
			if (at_a) {
				rc = sup_complete(cells, nc, welch ? 2 : 1, w->min_cell, &policy);
				if (rc)
					goto out;
				for (k = 0; k < nc; k++)
					if (cells[k].suppression == SUP_SECONDARY)
						withhold(w, di, of[k], ci);
				if (policy)
					withhold(w, di, w->na, ci);
			}
			if (ind->levels & CAT_NEIGHBOURHOOD) {
				rc = territory_suppression(w, di, ci, cells, pos, nbc);
				if (rc)
					goto out;
			}
		}
	}
out:
	free(cells);
	free(nbc);
	free(of);
	free(pos);
	return rc;
}

/* What finishing starts from: a sum over no records is 0; n of
 * milestones_on_time is 0 when none is due. */
static void init_values(struct work *w)
{
	int di, ei, ci;

	for (di = 0; di < w->nd; di++)
		for (ei = 0; ei < w->ne; ei++)
			for (ci = 0; ci < cat_count; ci++)
				if (cat_indicators[ci].method == METHOD_COUNT)
					val_set(w, di, ei, ci, 0);
				else if (cat_indicators[ci].method == METHOD_PERCENT)
					val_set_n(w, di, ei, ci, 0);
}

static int chain_rows(struct work *w, enum ind_query_id q, struct chain *c);
static int take_targets(struct work *w);
static int take_weights(struct work *w);

/* Takes query q's rows (w->res[q]) into the values of all entities and
 * dates, or chains a list query's rows for the cards. Each query writes
 * indicators of its own, so the order in which queries are taken does not
 * matter. */
static int take_query(struct work *w, enum ind_query_id q)
{
	static const char *const meetings[] = {"meetings", "out.meetings", "hours",
					       "out.meeting_hours"};
	static const char *const participants[] = {"participants", "out.participants"};
	static const char *const population[] = {"population", "out.population"};
	static const char *const org[] = {
		"new_solutions", "org.new_solutions", "process_changes", "org.process_changes",
		"new_methods",	 "org.new_methods",   "staff_trained",	 "org.staff_trained",
		"departments",	 "org.departments"};

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
		return take_by_kind(w, Q_SIGNATORIES, "signatories", "out.signatories", NULL, NULL);
	case Q_PROJECTS:
		return take_by_kind(w, Q_PROJECTS, "projects", "out.projects", "completed",
				    "out.projects_completed");
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
		return chain_rows(w, Q_PROJECT_LIST, &w->projects);
	case Q_MILESTONE_LIST:
		return chain_rows(w, Q_MILESTONE_LIST, &w->milestones);
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

/* Finishes the values once every query has been taken. */
static int finish_values(struct work *w)
{
	int di, ei, rc;

	for (di = 0; di < w->nd; di++) {
		rc = finish_dates(w, di);
		if (rc)
			return rc;
		for (ei = 0; ei < w->ne; ei++) {
			rc = finish_ratios(w, di, ei);
			if (rc == 0)
				rc = finish_surveys(w, di, ei);
			if (rc)
				return rc;
		}
	}
	return finish_suppression(w);
}

/* ---- scorecards ------------------------------------------------------------ */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

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

	for (ci = 0; ci < cat_count; ci++) {
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
		w->targets[l].amber[ci] =
			cell_str(t, row, "amber_ratio") ? cell_num(t, row, "amber_ratio") : 0.8;
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

/* Targets and weights of the policy onto a scorecard (of its level). */
static void apply_targets(struct work *w, struct scorecard *sc)
{
	const struct targets *t = &w->targets[sc->level == CAT_POLICY	       ? 1
					      : sc->level == CAT_NEIGHBOURHOOD ? 2
									       : 0];
	int ci, d;

	for (ci = 0; ci < cat_count; ci++) {
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

static int build_card(struct work *w, int ei, int di, struct scorecard **out);

/* The decision model's view of the catalogue and the policy's weights (one
 * model for every level: weights.csv has no level). */
struct model {
	int dimension[64];
	double weight[64];
	struct dec_model m;
};

static void model_of(const struct scorecard *sc, struct model *md)
{
	int i, d;

	for (i = 0; i < cat_count; i++) {
		md->dimension[i] = (int)cat_indicators[i].dimension;
		md->weight[i] = sc->ind[i].weight.set ? sc->ind[i].weight.v : 1.0;
	}
	md->m.n = cat_count;
	md->m.dimension = md->dimension;
	md->m.weight = md->weight;
	for (d = 0; d < DIM_COUNT; d++)
		md->m.dim_weight[d] = sc->dims[d].weight.set ? sc->dims[d].weight.v : 1.0;
}

/* A scorecard's normalised scores as the decision model reads them. */
struct entity {
	double score[64];
	int has_target[64];
	struct dec_entity e;
};

static void entity_of(const struct scorecard *sc, struct entity *en)
{
	int i;

	for (i = 0; i < cat_count; i++) {
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
static int decide(struct scorecard *sc)
{
	struct dec_result dr;
	struct model md;
	struct entity en;
	int i, d, rc;

	for (i = 0; i < cat_count; i++) {
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
static int rank_agreements(struct work *w, struct scorecard *policy)
{
	struct entity *ents = calloc(w->na ? w->na : 1, sizeof(*ents));
	struct dec_entity *es = calloc(w->na ? w->na : 1, sizeof(*es));
	struct dec_range *ranges = calloc(w->na ? w->na : 1, sizeof(*ranges));
	double *index = calloc(w->na ? w->na : 1, sizeof(*index));
	int *rank = calloc(w->na ? w->na : 1, sizeof(*rank));
	struct dec_range index_range;
	struct entity pe;
	struct model md;
	int rc = 0, i;

	policy->ranks = calloc(w->na ? w->na : 1, sizeof(*policy->ranks));
	if (!ents || !es || !ranges || !index || !rank || !policy->ranks) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; i < w->na; i++) {
		struct scorecard *sc = NULL;

		if ((rc = build_card(w, i, 0, &sc)) != 0)
			goto out;
		entity_of(sc, &ents[i]);
		es[i] = ents[i].e;
		index[i] = sc->index.set ? sc->index.v : NAN;
		policy->ranks[i].index = sc->index;
		sc_free(sc);
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
	free(ents);
	free(es);
	free(ranges);
	free(index);
	free(rank);
	return rc;
}

/* The policy scorecard's territories: every neighbourhood's figures as its
 * own card shows them at the period's end (withheld there, null here). A
 * light pass like the ranking: one neighbourhood card at a time. */
static int add_territories(struct work *w, struct scorecard *policy)
{
	int k, j, rc;

	policy->territories = calloc(w->nn ? w->nn : 1, sizeof(*policy->territories));
	if (!policy->territories)
		return err_set(ERR_FAIL, "out of memory");
	for (k = 0; k < w->nn; k++) {
		struct sc_territory *t = &policy->territories[policy->n_territories++];
		struct scorecard *sc = NULL;
		const struct sc_indicator *x;

		t->code = strdup(w->nb[k].code);
		t->name = strdup(w->nb[k].name);
		if (!t->code || !t->name)
			return err_set(ERR_FAIL, "out of memory");
		t->population = w->nb[k].population;
		for (j = 0; j < w->nb[k].count; j++)
			t->agreements += on_or_before(w->agr[w->cover[w->nb[k].first + j]].lab,
						      w->req->dates[0]);
		rc = build_card(w, nb_entity(w, k), 0, &sc);
		if (rc)
			return rc;
		if ((x = sc_cget(sc, "out.participants")) != NULL)
			t->participants = x->value;
		if ((x = sc_cget(sc, "out.participation_rate")) != NULL)
			t->participation_rate = x->value;
		if ((x = sc_cget(sc, "soc.quality_of_life_change")) != NULL)
			t->quality_of_life_change = x->value;
		t->index = sc->index;
		sc_free(sc);
	}
	return 0;
}

/* A scorecard of an entity at date `di` with its indicators, targets,
 * weights and the decision model; the rest is filled by the caller. */
static int build_card(struct work *w, int ei, int di, struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc = sc_new(ei < w->na    ? CAT_AGREEMENT
			: ei == w->na ? CAT_POLICY
				      : CAT_NEIGHBOURHOOD,
			&sc);

	if (rc)
		return rc;
	fill_indicators(w, sc, di, ei);
	apply_targets(w, sc);
	rc = decide(sc);
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
	int di, k, rc;

	sc->trend = calloc(w->nd, sizeof(*sc->trend));
	if (!sc->trend)
		return err_set(ERR_FAIL, "out of memory");
	for (di = w->nd - 1; di >= 0; di--) {
		struct sc_trend_point *tp = &sc->trend[sc->n_trend];
		struct scorecard *past = NULL;

		tp->values = calloc(sc_trend_count, sizeof(*tp->values));
		if (!tp->values)
			return err_set(ERR_FAIL, "out of memory");
		sc->n_trend++;
		snprintf(tp->period, sizeof(tp->period), "%s", w->req->periods[di]);
		rc = di == 0 ? 0 : build_card(w, ei, di, &past);
		if (rc)
			return rc;
		tp->index = di == 0 ? sc->index : past->index;
		sc_free(past);
		for (k = 0; k < sc_trend_count; k++)
			tp->values[k] = get_value(w, di, ei, sc_trend_codes[k]);
	}
	return 0;
}

/* The notes on method, in the scorecard's locale. */
static int add_notes(struct work *w, struct scorecard *sc)
{
	const rows *pol = w->res[Q_POLICY];
	const char *batch = cell_str(pol, 0, "batch_id"), *at = cell_str(pol, 0, "batch_at");
	int it = strcmp(sc->locale, "en") != 0, rc;
	char note[1024];

	snprintf(note, sizeof(note),
		 it ? "Valori al %s: contano tutti i dati con data fino a quel giorno compreso; "
		      "il valore precedente è calcolato allo stesso modo alla fine del trimestre "
		      "%s."
		    : "Values as of %s: every record dated up to and including that day counts; "
		      "the previous value is computed the same way at the end of quarter %s.",
		 sc->period_end, sc->period_previous);
	rc = sc_add_note(sc, note);
	if (rc == 0) {
		snprintf(note, sizeof(note),
			 it ? "Gli indicatori da questionario con meno di %d rispondenti (o coppie "
			      "T0-T1) non sono pubblicati: valore e intervallo sono soppressi, n "
			      "resta "
			      "indicato."
			    : "Survey indicators with fewer than %d respondents (or T0-T1 pairs) "
			      "are "
			      "suppressed: value and interval are not published, n is still given.",
			 w->min_cell);
		rc = sc_add_note(sc, note);
	}
	if (rc == 0) {
		/* the complementary rule, so that a reader knows why a value with a
		 * large n can read "suppressed" */
		snprintf(
			note, sizeof(note),
			it ? "Perché nessun valore soppresso si possa ricavare per differenza dal "
			     "totale della politica e dagli altri accordi, è soppresso anche il "
			     "valore degli accordi con meno rispondenti (soppressione secondaria), "
			     "finché i valori soppressi sono almeno due e contano almeno %d "
			     "rispondenti in tutto; se nemmeno tutti gli accordi insieme bastano, "
			     "è soppresso il valore della politica. Si applica a ogni data, "
			     "anche al valore precedente e alle serie storiche."
			   : "So that no suppressed value can be worked out by subtraction from "
			     "the "
			     "policy's total and the other agreements, the values of the "
			     "agreements "
			     "with the fewest respondents are suppressed as well (secondary "
			     "suppression) until at least two values with at least %d respondents "
			     "in all are withheld; when not even all agreements together suffice, "
			     "the policy's value is suppressed. This applies at every date, to the "
			     "previous value and to the trends too.",
			w->min_cell);
		rc = sc_add_note(sc, note);
	}
	if (rc == 0) {
		if (batch)
			snprintf(note, sizeof(note),
				 it ? "Tutti i valori provengono da un'unica istantanea dei dati, "
				      "aggiornata all'importazione n. %s del %s UTC."
				    : "Every value comes from one snapshot of the data, up to "
				      "import "
				      "batch %s of %s UTC.",
				 batch, at ? at : "");
		else
			snprintf(note, sizeof(note), "%s",
				 it ? "Tutti i valori provengono da un'unica istantanea dei dati."
				    : "Every value comes from one snapshot of the data.");
		rc = sc_add_note(sc, note);
		if (rc == 0 && batch) {
			sc->batch_id = strtoll(batch, NULL, 10);
			snprintf(note, sizeof(note), "batch %s (%s UTC)", batch, at ? at : "");
			sc->snapshot = strdup(note);
			if (!sc->snapshot)
				rc = err_set(ERR_FAIL, "out of memory");
		}
	}
	return rc;
}

/* The territory rule, in the scorecard's locale (neighbourhood cards). */
static int add_territory_note(struct scorecard *sc)
{
	int it = strcmp(sc->locale, "en") != 0;

	return sc_add_note(
		sc, it ? "Il quartiere conta tutti i dati degli accordi che lo coprono, anche i "
			 "partecipanti che abitano altrove; la popolazione è quella del quartiere. "
			 "Un valore da questionario del quartiere è pubblicato solo se lo sono "
			 "quelli di tutti gli accordi che lo coprono e hanno rispondenti."
		       : "The neighbourhood counts every record of the agreements that cover it, "
			 "participants living elsewhere included; the population is the "
			 "neighbourhood's own. A survey value of the neighbourhood is published "
			 "only when those of all the covering agreements with respondents are.");
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
	 * agreements, which decide the evidence it lists */
	if (rc == 0)
		rc = ind_evidence_fill(w->evidence, sc);
	if (rc == 0)
		rc = add_notes(w, sc);
	if (rc == 0 && ei > w->na)
		rc = add_territory_note(sc);
	if (rc == 0)
		rc = add_trend(w, sc, ei);
	return rc;
}

static int full_card(struct work *w, int ei, struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc = build_card(w, ei, 0, &sc);

	if (rc == 0)
		rc = describe_card(w, sc, ei);
	if (rc) {
		sc_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

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

/* Chains the rows of a list query (column "agreement") by agreement, in
 * query order; rows of agreements not in scope are left out. */
static int chain_rows(struct work *w, enum ind_query_id q, struct chain *c)
{
	const rows *r = w->res[q];
	int *last = calloc(w->na ? w->na : 1, sizeof(*last)), row, i;

	c->first = malloc((w->na ? w->na : 1) * sizeof(*c->first));
	c->next = malloc((r->nrows ? r->nrows : 1) * sizeof(*c->next));
	if (!last || !c->first || !c->next) {
		free(last);
		return err_set(ERR_FAIL, "out of memory");
	}
	for (i = 0; i < w->na; i++)
		c->first[i] = -1;
	for (row = 0; row < r->nrows; row++) {
		int ei = agreement_index(w, cell_str(r, row, "agreement"));

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

static void chain_free(struct chain *c)
{
	free(c->first);
	free(c->next);
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
	if (cat_count > MAX_INDICATORS) {
		rc = err_set(ERR_FAIL, "internal error: more than %d indicators", MAX_INDICATORS);
		goto out;
	}
	rc = copy_request(r, req);
	if (rc)
		goto out;
	w->req = &r->req;
	w->nd = req->ndates;
	rc = load_agreements(w);
	if (rc == 0)
		rc = chain_rows(w, Q_AREAS, &w->areas);
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
	for (i = 0; i < cat_count; i++)
		w->detail_slot[i] = cat_is_survey(&cat_indicators[i]) ||
						    cat_indicators[i].method == METHOD_PERCENT
					    ? w->ndetail++
					    : -1;
	w->values = calloc((size_t)w->nd * w->ne * cat_count, sizeof(*w->values));
	w->has = calloc((size_t)w->nd * w->ne * cat_count, sizeof(*w->has));
	w->details =
		calloc((size_t)w->nd * w->ne * (w->ndetail ? w->ndetail : 1), sizeof(*w->details));
	w->accs = calloc((size_t)w->nd * w->ne, sizeof(*w->accs));
	w->ex_ante = calloc((size_t)(w->na ? w->na : 1) * 3, sizeof(*w->ex_ante));
	if (!w->values || !w->has || !w->details || !w->accs || !w->ex_ante) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	init_values(w);
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
	rc = take_query(&r->w, q);
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
	rc = finish_values(w);
	free(w->accs); /* every number is finished */
	w->accs = NULL;
	if (rc == 0)
		rc = full_card(w, w->na, &r->policy);
	if (rc == 0)
		rc = rank_agreements(w, r->policy);
	if (rc == 0)
		rc = add_territories(w, r->policy);
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
	/* full_card only reads the run: cards can be made in parallel */
	rc = full_card((struct work *)&r->w, ei, &sc);
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
	free(r->w.ex_ante);
	free(r->w.agr);
	free(r->w.nb);
	free(r->w.cover);
	chain_free(&r->w.areas);
	chain_free(&r->w.projects);
	chain_free(&r->w.milestones);
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
