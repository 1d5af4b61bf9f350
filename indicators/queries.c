/* The query table: each query's SQL (indicators/sql/<name>.sql, embedded at
 * build time) and its contract with the finishing code in take.c, the
 * columns it returns. ind_check_rows holds a result to that contract before
 * any number is finished from it. */
#include "compute.h"

#include "err.h"
#include "ind_sql.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns: space-separated names; "#" marks a number, "?" a column that may
 * be null (both: "x#?"). Rows of the grid queries are (asof, until, p,
 * agreement): values that hold at every as-of date of the run from asof up
 * to, not including, until (null: no end), both dates of the run; p = 0 an
 * agreement's row, p = 1 the policy's (agreement null), p = 2 a
 * neighbourhood's (its code in column agreement). */
#define GRID_ROW "asof until? p# agreement? "

const struct ind_query ind_queries[IND_QUERY_COUNT] = {
	[Q_POLICY] = {"policy", ind_sql_policy, 1,
		      "code name started_on locale volunteer_hour_value_eur# min_cell#"
		      " batch_id#? batch_at?"},
	[Q_AGREEMENTS] = {"agreements", ind_sql_agreements, 2,
			  "code title lab_started_on approved_on? signed_on? closed_on?"
			  " published_on?"},
	[Q_AREAS] = {"areas", ind_sql_areas, 2, "agreement code name population#"},
	[Q_MEETINGS] = {"meetings", ind_sql_meetings, 2, GRID_ROW "meetings# hours#"},
	[Q_PARTICIPANTS] = {"participants", ind_sql_participants, 2, GRID_ROW "participants#"},
	[Q_SIGNATORIES] = {"signatories", ind_sql_signatories, 2,
			   GRID_ROW "all_kinds# kind? signatories#"},
	[Q_PARTNERS] = {"partners", ind_sql_partners, 2,
			GRID_ROW "signatories# new_partners#? bridging#"},
	[Q_PROJECTS] = {"projects", ind_sql_projects, 2,
			GRID_ROW "all_kinds# kind? projects# completed#"},
	[Q_POPULATION] = {"population", ind_sql_population, 2, GRID_ROW "population#"},
	[Q_FINANCE] = {"finance", ind_sql_finance, 2, GRID_ROW "all_kinds# kind? stage amount#"},
	[Q_RESOURCES] = {"resources", ind_sql_resources, 2, GRID_ROW "kind quantity#"},
	[Q_MILESTONES] = {"milestones", ind_sql_milestones, 2, GRID_ROW "due# on_time#"},
	[Q_ORG_EVENTS] = {"org_events", ind_sql_org_events, 2,
			  GRID_ROW "new_solutions# process_changes# new_methods# staff_trained#"
				   " departments#"},
	[Q_SURVEY_MEANS] = {"survey_means", ind_sql_survey_means, 2,
			    GRID_ROW "instrument n# sum# sumsq# k#"},
	[Q_PAIRED] = {"paired", ind_sql_paired, 2, GRID_ROW "n# sum# sumsq# k#"},
	[Q_WELCH] = {"welch", ind_sql_welch, 2, GRID_ROW "wave n# sum# sumsq#"},
	[Q_EX_ANTE] = {"ex_ante", ind_sql_ex_ante, 2, "asof until? agreement criterion score#"},
	[Q_TARGETS] = {"targets", ind_sql_targets, 1, "indicator level target# amber_ratio#?"},
	[Q_WEIGHTS] = {"weights", ind_sql_weights, 1, "item weight#"},
	[Q_PROJECT_LIST] = {"project_list", ind_sql_project_list, 2,
			    "agreement code title kind defined_on completed_on? allocated#"
			    " committed# spent# milestones# due# on_time#"},
	[Q_MILESTONE_LIST] = {"milestone_list", ind_sql_milestone_list, 2,
			      "agreement project_code title due_on achieved_on?"},
	[Q_EVIDENCE] = {"evidence", ind_sql_evidence, 2,
			"code kind recorded_on title summary participants#? agreement?"
			" neighbourhood?"},
};

/* True when `s` is a finite number and nothing else. */
static int is_number(const char *s)
{
	char *end;
	double v = rows_strtod(s, &end);

	return end != s && *end == '\0' && isfinite(v);
}

/* ind_check_rows of rows numbered from row0 + 1 in messages. */
static int check_rows(enum ind_query_id q, const rows *r, int row0)
{
	const struct ind_query *iq = &ind_queries[q];
	const char *p = iq->columns;
	int declared = 0, row;

	if (!r)
		return err_set(ERR_FAIL, "query %s: no result", iq->name);
	while (*p) {
		char name[64];
		size_t len = strcspn(p, " #?");
		int number, nullable, col;

		if (len == 0 || len >= sizeof(name))
			return err_set(ERR_FAIL, "query %s: bad column list", iq->name);
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		number = *p == '#';
		p += number;
		nullable = *p == '?';
		p += nullable;
		p += strspn(p, " ");
		declared++;
		col = rows_col(r, name);
		if (col < 0)
			return err_set(ERR_FAIL, "query %s: no column %s", iq->name, name);
		for (row = 0; row < r->nrows; row++) {
			const char *s = rows_get(r, row, col);

			if (!s && !nullable)
				return err_set(ERR_FAIL, "query %s: row %d: column %s is null",
					       iq->name, row0 + row + 1, name);
			if (s && number && !is_number(s))
				return err_set(ERR_FAIL,
					       "query %s: row %d: column %s is not a number: '%s'",
					       iq->name, row0 + row + 1, name, s);
		}
	}
	if (r->ncols != declared) {
		int col;

		for (col = 0; col < r->ncols; col++) {
			char word[72];
			const char *c = iq->columns;
			size_t n = strlen(r->names[col]);
			int found = 0;

			while (*c && !found) {
				size_t len = strcspn(c, " #?");

				found = len == n && strncmp(c, r->names[col], n) == 0;
				c += len;
				c += strcspn(c, " ");
				c += strspn(c, " ");
			}
			if (!found) {
				snprintf(word, sizeof(word), "%s", r->names[col]);
				return err_set(ERR_FAIL, "query %s: unexpected column %s", iq->name,
					       word);
			}
		}
		return err_set(ERR_FAIL, "query %s: %d columns, %d expected (a column twice)",
			       iq->name, r->ncols, declared);
	}
	return 0;
}

int ind_check_rows(enum ind_query_id q, const rows *r)
{
	return check_rows(q, r, 0);
}

int ind_check_rows_from(enum ind_query_id q, const rows *r, int row0)
{
	return check_rows(q, r, row0);
}
