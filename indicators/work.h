/* work: what the parts of an indicator run share: the finished numbers of
 * every entity at every date, the accumulators the queries fill before they
 * are finished, the run's agreements and neighbourhoods, and the accessors
 * every part reads them with. Internal to indicators/ (the public lifecycle
 * is compute.h).
 *
 * A run: take.c takes the query rows into accumulators and values,
 * finish.c finishes the values (ratios, dates, surveys, suppression),
 * cards.c assembles one entity's scorecard, rank.c applies the decision
 * model and ranks, and compute.c drives them. */
#ifndef CR_WORK_H
#define CR_WORK_H

#include "compute.h"
#include "err.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ind_evidence;

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
	int row0; /* rows of the query taken before res[q]: messages number
		     rows in the whole result (ind_take_part) */
	/* dates; agreements; neighbourhoods; entities: the agreements
	 * (0 .. na - 1), the policy (na), the neighbourhoods (na + 1 + k) */
	int nd, na, nn, ne;
	/* the date indices in the order of the dates, earliest first: a grid
	 * row's values hold at a run of them (take.c) */
	int *by_date;
	double *values;		    /* [nd][ne][CAT_COUNT] */
	unsigned char *has;	    /* [nd][ne][CAT_COUNT] */
	struct val_detail *details; /* [nd][ne][ndetail] */
	int detail_slot[CAT_COUNT]; /* index into details, or -1 */
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
		double target[CAT_COUNT], amber[CAT_COUNT];
		unsigned char has_target[CAT_COUNT];
	} targets[3]; /* by level: [0] agreement, [1] policy, [2] neighbourhood */
	double weight[CAT_COUNT], dim_weight[DIM_COUNT];
	unsigned char has_weight[CAT_COUNT], has_dim_weight[DIM_COUNT];
	double volunteer_value;
	int min_cell;
	const char *locale;
};

static inline size_t val_index(const struct work *w, int di, int ei, int ci)
{
	return ((size_t)di * w->ne + ei) * CAT_COUNT + ci;
}

/* The detail of an indicator that has one (detail_slot[ci] >= 0). */
static inline struct val_detail *detail_at(const struct work *w, int di, int ei, int ci)
{
	return &w->details[((size_t)di * w->ne + ei) * w->ndetail + w->detail_slot[ci]];
}

static inline struct sc_num num_of(double v, unsigned set, unsigned bit)
{
	struct sc_num n = {0, 0};

	if (set & bit) {
		n.set = 1;
		n.v = v;
	}
	return n;
}

static inline struct acc *acc_at(struct work *w, int di, int ei)
{
	return &w->accs[(size_t)di * w->ne + ei];
}

static inline struct sc_num num(double v)
{
	struct sc_num n = {1, v};
	return n;
}

static const struct sc_num null_num = {0, 0};

static inline void val_set(struct work *w, int di, int ei, int ci, double x)
{
	size_t i = val_index(w, di, ei, ci);

	w->values[i] = x;
	w->has[i] = 1;
}

static inline void val_clear(struct work *w, int di, int ei, int ci)
{
	size_t i = val_index(w, di, ei, ci);

	w->values[i] = 0;
	w->has[i] = 0;
}

static inline struct sc_num val_get(const struct work *w, int di, int ei, int ci)
{
	size_t i = val_index(w, di, ei, ci);

	return num_of(w->values[i], w->has[i], 1);
}

static inline void val_set_n(struct work *w, int di, int ei, int ci, double x)
{
	struct val_detail *d = detail_at(w, di, ei, ci);

	d->n = x;
	d->set |= VAL_N;
}

/* A cell as a number. ind_build has held every result to its query's
 * contract (ind_check_rows), so a column read here is present and a number,
 * and null only where the contract allows it and the caller checks; NaN,
 * never 0, for anything else. */
static inline double cell_num_at(const rows *r, int row, int col)
{
	const char *s = rows_get(r, row, col);

	return s ? rows_strtod(s, NULL) : NAN;
}

static inline double cell_num(const rows *r, int row, const char *col)
{
	return cell_num_at(r, row, rows_col(r, col));
}

static inline const char *cell_str(const rows *r, int row, const char *col)
{
	return rows_get(r, row, rows_col(r, col));
}

static inline int cmp_agreement(const void *key, const void *item)
{
	return strcmp(key, ((const struct agreement_row *)item)->code);
}

static inline int agreement_index(const struct work *w, const char *code)
{
	const struct agreement_row *a;

	if (!code)
		return -1;
	a = bsearch(code, w->agr, w->na, sizeof(*w->agr), cmp_agreement);
	return a ? (int)(a - w->agr) : -1;
}

/* agreement_index for rows that come grouped by agreement: *last (-1 at
 * first) is the previous row's index, tried before any search, and
 * becomes this row's when it is one of the run's. */
static inline int agreement_index_near(const struct work *w, const char *code, int *last)
{
	int ei;

	if (code && *last >= 0 && strcmp(code, w->agr[*last].code) == 0)
		return *last;
	ei = agreement_index(w, code);
	if (ei >= 0)
		*last = ei;
	return ei;
}

static inline int cmp_nb(const void *key, const void *item)
{
	return strcmp(key, ((const struct nb_row *)item)->code);
}

/* The index (0 .. nn - 1) of a neighbourhood of the run, or -1. */
static inline int nb_index(const struct work *w, const char *code)
{
	const struct nb_row *n;

	if (!code || !w->nn)
		return -1;
	n = bsearch(code, w->nb, w->nn, sizeof(*w->nb), cmp_nb);
	return n ? (int)(n - w->nb) : -1;
}

/* The entity of neighbourhood k. */
static inline int nb_entity(const struct work *w, int k)
{
	return w->na + 1 + k;
}

/* True when `date` is present and on or before `asof` (ISO dates compare as
 * strings). */
static inline int on_or_before(const char *date, const char *asof)
{
	return date && strcmp(date, asof) <= 0;
}

static inline char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* take.c: takes query q's rows (w->res[q]) into the values of all entities
 * and dates, or chains a list query's rows for the cards. */
int work_take(struct work *w, enum ind_query_id q);

/* take.c: chains the rows of a list query by agreement; work_chain_free
 * frees what it allocated (accepts a zeroed chain). */
int work_chain_rows(struct work *w, enum ind_query_id q, struct chain *c);
void work_chain_free(struct chain *c);

/* finish.c: the values before any query is taken, and their finishing once
 * every query has been. */
void work_init_values(struct work *w);
int work_finish_values(struct work *w);

/* cards.c: a scorecard of entity ei at date di with its numbers, targets,
 * weights and decision model only (work_build_card), or with everything it
 * shows at the period's end (work_full_card). Caller frees with sc_free. */
int work_build_card(struct work *w, int ei, int di, struct scorecard **out);

/* work_build_card into a card the caller owns (its previous content,
 * which must own nothing, is replaced), so that one can be reused. */
int work_build_card_into(struct work *w, int ei, int di, struct scorecard *sc);
int work_full_card(struct work *w, int ei, struct scorecard **out);

/* cards.c: the policy scorecard's territory page. */
int work_add_territories(struct work *w, struct scorecard *policy);

/* rank.c: statuses, normalised and dimension scores and the index of a
 * scorecard with its values and targets. */
int work_decide(struct scorecard *sc);

/* rank.c: the policy scorecard's ranking of agreements and its
 * sensitivity to the weights. */
int work_rank_agreements(struct work *w, struct scorecard *policy);

#endif
