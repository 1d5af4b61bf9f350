#include "run.h"

#include "err.h"
#include "period.h"

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

int run_compute(db *c, const struct run_options *opt, struct ind_result **out)
{
	rows *res[IND_QUERY_COUNT] = {0};
	char dates[TREND_QUARTERS][11], periods[TREND_QUARTERS][8], start[11], *array = NULL;
	const char *date_ptrs[TREND_QUARTERS], *period_ptrs[TREND_QUARTERS], *params[2];
	struct ind_request req = {0};
	struct ind_result *ir = NULL;
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
	/* the queries group every fact of the policy at once: let them hash and
	 * sort in memory, and spare them JIT compilation, which costs more than
	 * it saves on queries that run once */
	rc = db_exec(c, "SET LOCAL work_mem = '64MB'", 0, NULL, NULL);
	if (rc == 0)
		rc = db_exec(c, "SET LOCAL jit = off", 0, NULL, NULL);
	if (rc)
		goto out;
	rc = load_policy(c, opt->policy, p, &res[Q_POLICY]);
	if (rc)
		goto out;
	/* the period, the previous quarter (always), and older trend quarters
	 * from the policy's start on */
	period_of_date(rows_get(res[Q_POLICY], 0, rows_col(res[Q_POLICY], "started_on")), &first);
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
	for (i = 0; i < IND_QUERY_COUNT; i++) {
		if (i == Q_POLICY)
			continue;
		if (opt->progress)
			fprintf(opt->progress, "\rcomputing: %s query %d of %d",
				ind_queries[i].name, i, IND_QUERY_COUNT - 1);
		rc = db_exec(c, ind_queries[i].sql, ind_queries[i].nparams, params, &res[i]);
		if (rc) {
			if (rc != ERR_DB)
				rc = err_set(rc, "query %s failed: %s", ind_queries[i].name,
					     err_last());
			goto out;
		}
	}
	if (opt->progress)
		fprintf(opt->progress, "\r\033[K");
	rc = db_commit(c);
	in_tx = 0;
	if (rc)
		goto out;
	period_start(p, start);
	req.policy = opt->policy;
	req.locale = opt->locale;
	req.agreement = opt->agreement;
	req.ndates = nd;
	req.dates = date_ptrs;
	req.periods = period_ptrs;
	req.period_start = start;
	rc = ind_build(res, &req, &ir);
	if (rc)
		goto out;
	*out = ir;
	ir = NULL;
out:
	if (in_tx)
		db_rollback(c);
	if (f)
		fclose(f);
	free(array);
	ind_result_free(ir);
	for (i = 0; i < IND_QUERY_COUNT; i++)
		rows_free(res[i]);
	return rc;
}
