#include "run.h"

#include "err.h"
#include "period.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many quarters the trend charts show, the period included. */
#define TREND_QUARTERS 8

/* Reads the policy and checks the period against its start. Writes the
 * policy row (caller frees) on success. */
static int load_policy(db *c, const char *policy, struct period p, rows **out)
{
	const char *params[1] = {policy};
	char end[11];
	rows *r = NULL;
	int rc;

	rc = db_exec(c, ind_queries[Q_POLICY].sql, 1, params, &r);
	if (rc)
		return rc;
	if (r->nrows == 0) {
		rows_free(r);
		return err_set(ERR_NOTFOUND, "unknown policy %s", policy);
	}
	period_end(p, end);
	if (strcmp(end, rows_get(r, 0, rows_col(r, "started_on"))) < 0) {
		char id[8];

		period_format(p, id);
		rc = err_set(ERR_NOTFOUND, "period %s ends before policy %s started (%s)", id,
			     policy, rows_get(r, 0, rows_col(r, "started_on")));
		rows_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Tells apart the three ways `agreement` can be refused — unknown, another
 * policy's, not yet in scope at the as-of date of `p` — before the run, in
 * its snapshot, so that the message says which. */
static int check_agreement(db *c, const char *policy, const char *agreement, struct period p)
{
	const char *params[1] = {agreement};
	const char *owner, *lab;
	char end[11];
	rows *r = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT policy_code, lab_started_on::text FROM cruscotto.agreement"
		     " WHERE code = $1::text",
		     1, params, &r);
	if (rc)
		return rc;
	period_end(p, end);
	owner = r->nrows ? rows_get(r, 0, 0) : NULL;
	lab = r->nrows ? rows_get(r, 0, 1) : NULL;
	if (!owner)
		rc = err_set(ERR_NOTFOUND, "unknown agreement %s", agreement);
	else if (strcmp(owner, policy) != 0)
		rc = err_set(ERR_NOTFOUND, "agreement %s belongs to policy %s, not to %s",
			     agreement, owner, policy);
	else if (!lab || strcmp(lab, end) > 0)
		rc = err_set(ERR_NOTFOUND,
			     "agreement %s is not in scope at %s: its lab starts on %s", agreement,
			     end, lab ? lab : "a date not yet set");
	rows_free(r);
	return rc;
}

/* The queries of a run, shared by the connections that run them: each takes
 * the next query not yet taken, so the two finish close together, and hands
 * its rows to the run as soon as they arrive (one at a time: take_lock), so
 * that they are freed before the next query's arrive. */
struct batch {
	pthread_mutex_t lock, take_lock;
	struct ind_run *run;
	const char *const *params;
	FILE *progress;
	int next, done, failed;
};

/* The longest first, so that no connection is left with one long query at
 * the end. */
static const enum ind_query_id query_order[] = {
	Q_PARTICIPANTS, Q_SURVEY_MEANS, Q_FINANCE,    Q_PARTNERS,	Q_PAIRED,
	Q_WELCH,	Q_SIGNATORIES,	Q_RESOURCES,  Q_PROJECTS,	Q_MEETINGS,
	Q_PROJECT_LIST, Q_ORG_EVENTS,	Q_MILESTONES, Q_MILESTONE_LIST, Q_EX_ANTE,
	Q_POPULATION,	Q_TARGETS,	Q_WEIGHTS,    Q_EVIDENCE,
};

/* Rows a grid query hands on at a time: its whole result (hundreds of
 * thousands of rows at 10,000 agreements) is never held, by libpq or by us,
 * and a part is still large enough that handing it on costs little. */
#define PART_ROWS 8192

/* A query whose rows are taken in parts (db_exec_parts). */
struct taker {
	struct batch *b;
	enum ind_query_id q;
	int failed; /* the rows, not the database, failed */
};

static int take_part(void *ctx, rows *part)
{
	struct taker *t = ctx;
	int rc;

	pthread_mutex_lock(&t->b->take_lock);
	/* the last part is the one that has fewer rows than a whole part */
	rc = ind_take_part(t->b->run, t->q, part, part->nrows < PART_ROWS);
	pthread_mutex_unlock(&t->b->take_lock);
	t->failed = rc != 0;
	return rc;
}

/* One connection's share of a batch. On failure returns the error with the
 * message set in the calling thread, and stops the others at their next
 * query. */
static int run_batch(db *c, struct batch *b)
{
	int n = (int)(sizeof(query_order) / sizeof(query_order[0])), rc = 0;

	for (;;) {
		enum ind_query_id q;
		rows *res = NULL;
		int failed_in_db;

		pthread_mutex_lock(&b->lock);
		if (b->failed || b->next >= n) {
			pthread_mutex_unlock(&b->lock);
			return 0;
		}
		q = query_order[b->next++];
		pthread_mutex_unlock(&b->lock);
		if (ind_takes_parts(q)) {
			struct taker t = {b, q, 0};

			rc = db_exec_parts(c, ind_queries[q].sql, ind_queries[q].nparams, b->params,
					   PART_ROWS, take_part, &t);
			failed_in_db = rc != 0 && !t.failed;
			if (rc == 0)
				malloc_trim(0);
		} else {
			rc = db_exec(c, ind_queries[q].sql, ind_queries[q].nparams, b->params,
				     &res);
			failed_in_db = rc != 0;
			if (rc == 0) {
				pthread_mutex_lock(&b->take_lock);
				rc = ind_take(b->run, q, res);
				/* the rows just freed go back to the system, not to
				 * a heap that the next query's rows would only partly
				 * reuse */
				malloc_trim(0);
				pthread_mutex_unlock(&b->take_lock);
			}
		}
		pthread_mutex_lock(&b->lock);
		if (rc)
			b->failed = 1;
		else if (b->progress)
			fprintf(b->progress, "\rcomputing: %d of %d queries", ++b->done, n);
		pthread_mutex_unlock(&b->lock);
		if (rc && !failed_in_db)
			return rc; /* ind_take names the query */
		if (rc)
			return rc != ERR_DB ? err_set(rc, "query %s failed: %s",
						      ind_queries[q].name, err_last())
					    : rc;
	}
}

/* The second connection's thread: its own transaction on the snapshot of
 * the first, and its share of the queries. */
struct helper {
	db *c;
	struct batch *b;
	const char *snapshot;
	int rc;
	char err[1024];
};

/* The settings of a run's transaction, on each of its connections: the
 * queries group every fact of the policy at once, so let them hash and sort
 * in memory, and spare them JIT compilation, which costs more than it saves
 * on queries that run once. Without them a query on the second connection
 * took a third longer (work_mem 4 MB spills its sorts and hashes to disk). */
static int run_settings(db *c)
{
	int rc = db_exec(c, "SET LOCAL work_mem = '64MB'", 0, NULL, NULL);

	return rc ? rc : db_exec(c, "SET LOCAL jit = off", 0, NULL, NULL);
}

static void *helper_main(void *arg)
{
	struct helper *h = arg;

	h->rc = db_begin_snapshot_of(h->c, h->snapshot);
	if (h->rc == 0 && (h->rc = run_settings(h->c)) != 0)
		db_rollback(h->c);
	if (h->rc == 0) {
		h->rc = run_batch(h->c, h->b);
		if (h->rc == 0)
			h->rc = db_commit(h->c);
		else
			db_rollback(h->c);
	}
	if (h->rc) {
		pthread_mutex_lock(&h->b->lock);
		h->b->failed = 1;
		pthread_mutex_unlock(&h->b->lock);
		snprintf(h->err, sizeof(h->err), "%s", err_last());
	}
	return NULL;
}

/* Runs every query but Q_POLICY, Q_AGREEMENTS and Q_AREAS into the run, on `c` and,
 * when a second connection can be opened, on that one too in parallel, both
 * on the snapshot of c's open transaction. */
static int run_queries(db *c, struct ind_run *run, const char *const *params, FILE *progress)
{
	struct batch b = {.run = run, .params = params, .progress = progress};
	struct helper h = {0};
	char snapshot[80];
	pthread_t thread;
	int rc, started = 0;

	if (sizeof(query_order) / sizeof(query_order[0]) != IND_QUERY_COUNT - 3)
		return err_set(ERR_FAIL, "internal error: a query is missing from the run's order");
	rc = db_export_snapshot(c, snapshot, sizeof(snapshot));
	if (rc)
		return rc;
	pthread_mutex_init(&b.lock, NULL);
	pthread_mutex_init(&b.take_lock, NULL);
	/* one connection is enough when no second one can be had: the numbers
	 * are the same, only later */
	if (db_connect_again(c, &h.c) == 0) {
		h.b = &b;
		h.snapshot = snapshot;
		started = pthread_create(&thread, NULL, helper_main, &h) == 0;
	}
	err_clear();
	rc = run_batch(c, &b);
	if (started) {
		pthread_join(thread, NULL);
		if (rc == 0 && h.rc)
			rc = err_set(h.rc, "%s", h.err);
	}
	db_close(h.c);
	pthread_mutex_destroy(&b.lock);
	pthread_mutex_destroy(&b.take_lock);
	return rc;
}

/* Reads the period and finishes it, into *all (every card) or *prep (a
 * prepared run), whichever is not NULL. */
static int run(db *c, const struct run_options *opt, struct ind_result **all, struct ind_run **prep)
{
	rows *policy = NULL, *agreements = NULL, *areas = NULL;
	char dates[TREND_QUARTERS][11], periods[TREND_QUARTERS][8], start[11], *array = NULL;
	const char *date_ptrs[TREND_QUARTERS], *period_ptrs[TREND_QUARTERS], *params[2];
	struct ind_request req = {0};
	struct ind_result *ir = NULL;
	struct ind_run *pr = NULL;
	struct period p, first;
	size_t len = 0;
	FILE *f = NULL;
	int rc, i, nd = 0, in_tx = 0;

	rc = period_parse(opt->period, &p);
	if (rc)
		return rc;
	rc = db_begin_snapshot(c);
	if (rc)
		return rc;
	in_tx = 1;
	rc = run_settings(c);
	if (rc)
		goto out;
	rc = load_policy(c, opt->policy, p, &policy);
	if (rc == 0 && opt->agreement)
		rc = check_agreement(c, opt->policy, opt->agreement, p);
	if (rc)
		goto out;
	/* the period, the previous quarter (always), and older trend quarters
	 * from the policy's start on */
	period_of_date(rows_get(policy, 0, rows_col(policy, "started_on")), &first);
	f = open_memstream(&array, &len);
	if (!f) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	fputc('{', f);
	for (i = 0; i < TREND_QUARTERS; i++) {
		struct period q = period_back(p, i);

		if (i >= 2 && period_cmp(q, first) < 0)
			break;
		period_end(q, dates[i]);
		period_format(q, periods[i]);
		date_ptrs[i] = dates[i];
		period_ptrs[i] = periods[i];
		fprintf(f, "%s%s", i ? "," : "", dates[i]);
		nd++;
	}
	fputc('}', f);
	fclose(f);
	f = NULL;
	params[0] = opt->policy;
	params[1] = array;
	period_start(p, start);
	req.policy = opt->policy;
	req.locale = opt->locale;
	req.agreement = opt->agreement;
	req.neighbourhood = opt->neighbourhood;
	req.ndates = nd;
	req.dates = date_ptrs;
	req.periods = period_ptrs;
	req.period_start = start;
	/* the agreements and their neighbourhoods first: the other queries'
	 * rows are taken into a run that knows them */
	rc = db_exec(c, ind_queries[Q_AGREEMENTS].sql, ind_queries[Q_AGREEMENTS].nparams, params,
		     &agreements);
	if (rc == 0)
		rc = db_exec(c, ind_queries[Q_AREAS].sql, ind_queries[Q_AREAS].nparams, params,
			     &areas);
	if (rc) {
		if (rc != ERR_DB)
			rc = err_set(rc, "query %s failed: %s",
				     ind_queries[agreements ? Q_AREAS : Q_AGREEMENTS].name,
				     err_last());
		goto out;
	}
	rc = ind_start(policy, agreements, areas, &req, &pr);
	policy = agreements = areas = NULL; /* the run's, also on failure */
	if (rc)
		goto out;
	rc = run_queries(c, pr, params, opt->progress);
	if (rc)
		goto out;
	if (opt->progress)
		fprintf(opt->progress, "\r\033[K");
	rc = db_commit(c);
	in_tx = 0;
	if (rc == 0)
		rc = ind_finish(pr);
	malloc_trim(0); /* what finishing freed, before the cards are made */
	if (rc == 0 && all)
		rc = ind_run_all(pr, &ir);
	if (rc)
		goto out;
	if (all) {
		*all = ir;
	} else {
		*prep = pr;
		pr = NULL;
	}
out:
	if (in_tx)
		db_rollback(c);
	if (f)
		fclose(f);
	free(array);
	rows_free(policy);
	rows_free(agreements);
	rows_free(areas);
	ind_run_free(pr);
	return rc;
}

int run_compute(db *c, const struct run_options *opt, struct ind_result **out)
{
	return run(c, opt, out, NULL);
}

int run_prepare(db *c, const struct run_options *opt, struct ind_run **out)
{
	return run(c, opt, NULL, out);
}

static int card_get(void *ctx, int i, const struct scorecard **out)
{
	return ind_run_card(ctx, i, out);
}

static void card_put(void *ctx, const struct scorecard *sc)
{
	ind_run_release(ctx, sc);
}

struct rep_card_source run_card_source(struct ind_run *run)
{
	return (struct rep_card_source){ind_run_cards(run), card_get, card_put, run};
}
