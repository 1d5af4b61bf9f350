/* finish: the values of a run once every query has been taken: survey
 * statistics, ratios, agreement dates and suppression (work.h). */
#include "work.h"

#include "suppress.h"

#include <pthread.h>
#include <stdio.h>

/* Whether s starts with YYYY-MM-DD not followed by a digit. */
static int iso_date(const char *s)
{
	static const char form[] = "dddd-dd-dd";
	int i;

	for (i = 0; form[i]; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
			return 0;
	return s[10] < '0' || s[10] > '9';
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian). */
static long days_of(const char *date)
{
	int y, m, d;
	long era, yoe, doy, doe;

	if (!date)
		return 0;
	/* the database's YYYY-MM-DD read directly; anything else as before */
	if (iso_date(date)) {
		y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 +
		    (date[3] - '0');
		m = (date[5] - '0') * 10 + (date[6] - '0');
		d = (date[8] - '0') * 10 + (date[9] - '0');
	} else if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3) {
		return 0;
	}
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The statistic of a survey indicator into its value, with suppression
 * below the policy's min_cell (n itself stays published). */
static void set_stats(struct work *w, int di, int ei, enum cat_id ci, const stats_out *s,
		      long long n_check)
{
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
	static const enum cat_id means[MEAN_COUNT] = {IND_EFT_AGREEMENT_QUALITY,
						      IND_EFT_SATISFACTION, IND_ORG_CULTURE_SCORE};
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
	set_stats(w, di, ei, IND_EFT_SATISFIED_SHARE, &s, s.n);
	rc = stats_paired(a->paired, &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, IND_SOC_RELATIONSHIP_CHANGE, &s, s.n);
	rc = stats_share(a->improved, a->paired.n, &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, IND_SOC_RELATIONSHIP_IMPROVED_SHARE, &s, s.n);
	rc = stats_welch(a->qol[0], a->qol[1], &s);
	if (rc)
		return rc;
	set_stats(w, di, ei, IND_SOC_QUALITY_OF_LIFE_CHANGE, &s,
		  a->qol[0].n < a->qol[1].n ? a->qol[0].n : a->qol[1].n);
	return 0;
}

/* Indicators derived from others, once every query has been taken. */
static void finish_ratios(struct work *w, int di, int ei)
{
	struct acc *a = acc_at(w, di, ei);
	double participants = val_get(w, di, ei, IND_OUT_PARTICIPANTS).v;
	double population = val_get(w, di, ei, IND_OUT_POPULATION).v;
	double allocated = val_get(w, di, ei, IND_EFF_ALLOCATED_EUR).v;
	double committed = val_get(w, di, ei, IND_EFF_COMMITTED_EUR).v;
	double spent = val_get(w, di, ei, IND_EFF_SPENT_EUR).v;
	double community = a->volunteer_hours * w->volunteer_value + a->in_kind_eur;

	if (population != 0)
		val_set(w, di, ei, IND_OUT_PARTICIPATION_RATE, participants * 1000.0 / population);
	if (allocated != 0) {
		val_set(w, di, ei, IND_EFF_COMMITMENT_RATE, committed * 100.0 / allocated);
		val_set(w, di, ei, IND_EFF_SPEND_RATE, spent * 100.0 / allocated);
	}
	if (participants != 0)
		val_set(w, di, ei, IND_EFF_COST_PER_PARTICIPANT, spent / participants);
	val_set(w, di, ei, IND_EFF_COMMUNITY_VALUE_EUR, community);
	if (spent != 0)
		val_set(w, di, ei, IND_EFF_LEVERAGE, community / spent);
}

/* The policy's (or a neighbourhood's) figures of agreement dates at date
 * di over `count` agreements (their indices in `of`, or 0 .. count - 1 when
 * of is NULL): the in-scope ones signed, and the median of their days to
 * signature. `days` holds count doubles. */
static void dates_over(struct work *w, int di, int ei, const int *of, int count, double *days)
{
	const char *asof = w->req->dates[di];
	int k, n = 0, signed_count = 0;

	for (k = 0; k < count; k++) {
		const struct agreement_row *a = &w->agr[of ? of[k] : k];

		if (!on_or_before(a->lab, asof) || !on_or_before(a->signed_on, asof))
			continue;
		signed_count++;
		if (on_or_before(a->approved, asof))
			days[n++] = (double)(days_of(a->signed_on) - days_of(a->approved));
	}
	val_set(w, di, ei, IND_OUT_AGREEMENTS_SIGNED, signed_count);
	if (n > 0) {
		qsort(days, n, sizeof(double), cmp_double);
		val_set(w, di, ei, IND_EFF_DAYS_TO_SIGNATURE,
			n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2.0);
	}
}

/* Agreement dates: status-free figures (days to signature, agreements
 * signed), for the agreements, and their median / count at policy level and
 * for each neighbourhood over its covering agreements. */
static int finish_dates(struct work *w, int di)
{
	const char *asof = w->req->dates[di];
	double *days = calloc(w->na ? w->na : 1, sizeof(double));
	int i, k;

	if (!days)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < w->na; i++) {
		const struct agreement_row *a = &w->agr[i];

		if (on_or_before(a->signed_on, asof) && on_or_before(a->approved, asof))
			val_set(w, di, i, IND_EFF_DAYS_TO_SIGNATURE,
				(double)(days_of(a->signed_on) - days_of(a->approved)));
	}
	dates_over(w, di, w->na, NULL, w->na, days);
	for (k = 0; k < w->nn; k++)
		dates_over(w, di, nb_entity(w, k), &w->cover[w->nb[k].first], w->nb[k].count, days);
	free(days);
	return 0;
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
		for (ci = 0; ci < CAT_COUNT; ci++) {
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
void work_init_values(struct work *w)
{
	int di, ei, ci;

	for (di = 0; di < w->nd; di++)
		for (ei = 0; ei < w->ne; ei++)
			for (ci = 0; ci < CAT_COUNT; ci++)
				if (cat_indicators[ci].method == METHOD_COUNT)
					val_set(w, di, ei, ci, 0);
				else if (cat_indicators[ci].method == METHOD_PERCENT)
					val_set_n(w, di, ei, ci, 0);
}

/* Every value of date di but suppression's. */
static int finish_date(struct work *w, int di)
{
	int ei, rc = finish_dates(w, di);

	for (ei = 0; rc == 0 && ei < w->ne; ei++) {
		finish_ratios(w, di, ei);
		rc = finish_surveys(w, di, ei);
	}
	return rc;
}

/* A share of the dates (first, first + step, ...), on a thread of its own:
 * a date's values depend on that date's accumulators alone. */
struct dates_job {
	struct work *w;
	int first, step;
	int failed_at; /* the date that failed, or -1 */
	int rc;
	char err[1024];
	pthread_t thread;
};

static void *dates_run(void *arg)
{
	struct dates_job *j = arg;
	int di;

	for (di = j->first; di < j->w->nd; di += j->step) {
		j->rc = finish_date(j->w, di);
		if (j->rc) {
			j->failed_at = di;
			snprintf(j->err, sizeof(j->err), "%s", err_last());
			break;
		}
	}
	return NULL;
}

/* Finishes the values once every query has been taken. */
int work_finish_values(struct work *w)
{
	struct dates_job job[2];
	int started, i, failed = -1;

	for (i = 0; i < 2; i++) {
		job[i].w = w;
		job[i].first = i;
		job[i].step = 2;
		job[i].failed_at = -1;
		job[i].rc = 0;
	}
	started = w->nd > 1 && pthread_create(&job[1].thread, NULL, dates_run, &job[1]) == 0;
	if (!started)
		job[0].step = 1; /* every date here */
	dates_run(&job[0]);
	if (started)
		pthread_join(job[1].thread, NULL);
	/* the first date that failed, as one thread would have found it */
	for (i = 0; i < 2; i++)
		if (job[i].failed_at >= 0 &&
		    (failed < 0 || job[i].failed_at < job[failed].failed_at))
			failed = i;
	if (failed >= 0)
		return err_set(job[failed].rc, "%s", job[failed].err);
	return finish_suppression(w);
}
