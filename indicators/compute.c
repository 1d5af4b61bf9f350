#include "compute.h"

#include "decision.h"
#include "err.h"
#include "stats.h"
#include "suppress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queries ---------------------------------------------------------
 *
 * d: the as-of dates. g: every agreement of the policy that is in scope at
 * the period's end (the scorecards of the run), at every as-of date, with
 * in_scope telling whether it was in scope at that date. Agreement rows are
 * computed over all of g (an agreement's previous value is computed even when
 * it was not yet in scope then); policy rows only over the in-scope part, so
 * each measure comes as x (agreement rows) and x_p (policy rows). Policy rows
 * are the GROUPING SETS roll-up, flagged p = 1, so that distinct counts are
 * distinct across agreements. */
#define GRID                                                                                       \
	"WITH d AS (SELECT DISTINCT unnest($2::date[]) AS asof),"                                  \
	" g AS (SELECT d.asof, a.code, a.lab_started_on <= d.asof AS in_scope"                     \
	" FROM d CROSS JOIN agreement a WHERE a.policy_code = $1::text"                            \
	" AND a.lab_started_on <= (SELECT max(asof) FROM d))"

/* The respondent scores of one instrument: the mean of each respondent's
 * answered items across the agreement's surveys fielded by the date.
 * Scores and their sums stay numeric with 30 decimals (exact to far below
 * a double's precision, whatever the order rows are added in) and groups
 * come ordered, so identical data gives bit-identical statistics run after
 * run, and 985 / 250 reads 3.94, not 3.9400000000000004. */
#define WAVE_SCORES(instrument)                                                                    \
	" w AS (SELECT g.asof, g.code AS agreement, g.in_scope, x.respondent, s.wave,"             \
	" sum(x.score)::numeric(40, 30) / count(*) AS score"                                       \
	" FROM g JOIN survey s ON s.agreement_code = g.code AND s.instrument = '" instrument "'"   \
	" AND s.wave IN ('T0', 'T1') AND s.fielded_on <= g.asof"                                   \
	" JOIN response x ON x.survey_code = s.code AND x.score IS NOT NULL"                       \
	" GROUP BY g.asof, g.code, g.in_scope, x.respondent, s.wave)"

/* n, Σx and Σx² of a score, for agreement rows and (the _p twins) for the
 * policy roll-up, which counts only groups in scope. Summed in SQL, exactly:
 * the policy's statistics are not added up from rounded group sums. */
#define SUFF_STATS(x)                                                                              \
	" count(*) AS n, count(*) FILTER (WHERE in_scope) AS n_p,"                                 \
	" sum(" x ") AS sum, coalesce(sum(" x ") FILTER (WHERE in_scope), 0) AS sum_p,"            \
	" sum(" x " * " x ") AS sumsq,"                                                            \
	" coalesce(sum(" x " * " x ") FILTER (WHERE in_scope), 0) AS sumsq_p"

const struct ind_query ind_queries[IND_QUERY_COUNT] = {
	[Q_POLICY] = {"policy",
		      "SELECT p.code, p.name, p.started_on, p.locale, p.volunteer_hour_value_eur,"
		      " p.min_cell, b.id AS batch_id,"
		      " to_char(b.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS batch_at"
		      " FROM policy p LEFT JOIN (SELECT id, imported_at FROM batch"
		      " ORDER BY id DESC LIMIT 1) b ON true WHERE p.code = $1::text",
		      1},
	[Q_AGREEMENTS] = {"agreements",
			  "WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)"
			  " SELECT a.code, a.title, a.lab_started_on, a.approved_on, a.signed_on,"
			  " a.closed_on, a.published_on FROM agreement a, d"
			  " WHERE a.policy_code = $1::text AND a.lab_started_on <= d.asof"
			  " ORDER BY a.code COLLATE \"C\"",
			  2},
	[Q_AREAS] = {"areas",
		     "WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)"
		     " SELECT aa.agreement_code AS agreement, n.code, n.name, n.population"
		     " FROM agreement a JOIN d ON a.lab_started_on <= d.asof"
		     " JOIN agreement_area aa ON aa.agreement_code = a.code"
		     " JOIN neighbourhood n ON n.code = aa.neighbourhood_code"
		     " WHERE a.policy_code = $1::text ORDER BY 1, n.name, n.code",
		     2},
	[Q_MEETINGS] = {"meetings",
			GRID
			" SELECT g.asof, GROUPING(g.code) AS p, g.code AS agreement,"
			" count(*) AS meetings, count(*) FILTER (WHERE g.in_scope) AS meetings_p,"
			" sum(m.hours) AS hours,"
			" coalesce(sum(m.hours) FILTER (WHERE g.in_scope), 0) AS hours_p"
			" FROM g JOIN meeting m ON m.agreement_code = g.code"
			" AND m.held_on <= g.asof"
			" GROUP BY GROUPING SETS ((g.asof, g.code), (g.asof))",
			2},
	/* distinct persons: deduplicated by hashing first (u), then counted per
	 * agreement and, once more distinct across agreements, per policy */
	[Q_PARTICIPANTS] = {"participants",
			    GRID
			    ", u AS (SELECT DISTINCT g.asof, g.code, g.in_scope, t.person"
			    " FROM g JOIN meeting m ON m.agreement_code = g.code"
			    " AND m.held_on <= g.asof"
			    " JOIN attendance t ON t.meeting_code = m.code"
			    " AND t.role <> 'staff')"
			    " SELECT asof, 0 AS p, code AS agreement, count(*) AS participants"
			    " FROM u GROUP BY asof, code"
			    " UNION ALL SELECT asof, 1, NULL, count(*) FROM"
			    " (SELECT DISTINCT asof, person FROM u WHERE in_scope) v GROUP BY asof",
			    2},
	/* a signature is unique per agreement and signatory, so agreement rows
	 * count rows; the policy counts signatories distinct across agreements */
	[Q_SIGNATORIES] = {"signatories",
			   GRID
			   ", u AS (SELECT g.asof, g.code, g.in_scope, s.code AS signatory,"
			   " s.kind FROM g JOIN signature x ON x.agreement_code = g.code"
			   " AND x.signed_on <= g.asof"
			   " JOIN signatory s ON s.code = x.signatory_code)"
			   " SELECT asof, 0 AS p, code AS agreement, GROUPING(kind) AS all_kinds,"
			   " kind, count(*) AS signatories FROM u"
			   " GROUP BY GROUPING SETS ((asof, code, kind), (asof, code))"
			   " UNION ALL SELECT asof, 1, NULL, GROUPING(kind), kind, count(*)"
			   " FROM (SELECT DISTINCT asof, signatory, kind FROM u WHERE in_scope) v"
			   " GROUP BY GROUPING SETS ((asof, kind), (asof))",
			   2},
	/* a signatory's earliest signature is looked for anywhere, in any
	 * policy; a tie on that date counts for each tied agreement */
	[Q_PARTNERS] = {"partners",
			GRID
			", s AS (SELECT g.asof, g.code, g.in_scope, x.signatory_code, x.signed_on"
			" FROM g JOIN signature x ON x.agreement_code = g.code"
			" AND x.signed_on <= g.asof),"
			" k AS (SELECT asof, signatory_code, count(*) AS n_all,"
			" count(*) FILTER (WHERE in_scope) AS n_p"
			" FROM s GROUP BY asof, signatory_code),"
			" f AS (SELECT x.signatory_code, min(x.signed_on) AS first_on"
			" FROM signature x WHERE x.signatory_code IN"
			" (SELECT signatory_code FROM s) GROUP BY 1)"
			" SELECT s.asof, 0 AS p, s.code AS agreement, count(*) AS signatories,"
			" count(*) FILTER (WHERE s.signed_on = f.first_on) AS new_partners,"
			" count(*) FILTER (WHERE k.n_all >= 2) AS bridging"
			" FROM s JOIN k USING (asof, signatory_code)"
			" JOIN f USING (signatory_code) GROUP BY s.asof, s.code"
			" UNION ALL SELECT asof, 1, NULL, count(*), NULL,"
			" count(*) FILTER (WHERE n_p >= 2) FROM k WHERE n_p >= 1 GROUP BY asof",
			2},
	[Q_PROJECTS] = {"projects",
			GRID " SELECT g.asof, GROUPING(g.code) AS p, g.code AS agreement,"
			     " GROUPING(j.kind) AS all_kinds, j.kind,"
			     " count(*) FILTER (WHERE j.defined_on <= g.asof) AS projects,"
			     " count(*) FILTER (WHERE j.defined_on <= g.asof AND g.in_scope)"
			     " AS projects_p,"
			     " count(*) FILTER (WHERE j.completed_on <= g.asof) AS completed,"
			     " count(*) FILTER (WHERE j.completed_on <= g.asof AND g.in_scope)"
			     " AS completed_p"
			     " FROM g JOIN project j ON j.agreement_code = g.code"
			     " GROUP BY GROUPING SETS ((g.asof, g.code, j.kind), (g.asof, g.code),"
			     " (g.asof, j.kind), (g.asof))",
			2},
	/* distinct neighbourhoods: a neighbourhood shared by agreements counts once */
	[Q_POPULATION] = {"population",
			  GRID
			  ", n AS (SELECT g.asof, g.code, g.in_scope, nb.code AS nb,"
			  " nb.population FROM g"
			  " JOIN agreement_area aa ON aa.agreement_code = g.code"
			  " JOIN neighbourhood nb ON nb.code = aa.neighbourhood_code)"
			  " SELECT asof, 0 AS p, code AS agreement, sum(population) AS population"
			  " FROM n GROUP BY asof, code"
			  " UNION ALL SELECT asof, 1, NULL, sum(population) FROM"
			  " (SELECT DISTINCT asof, nb, population FROM n WHERE in_scope) u"
			  " GROUP BY asof",
			  2},
	[Q_FINANCE] = {"finance",
		       GRID
		       " SELECT g.asof, GROUPING(g.code) AS p, g.code AS agreement,"
		       " GROUPING(j.kind) AS all_kinds, j.kind, f.stage,"
		       " sum(f.amount_eur) AS amount,"
		       " coalesce(sum(f.amount_eur) FILTER (WHERE g.in_scope), 0) AS amount_p"
		       " FROM g JOIN project j ON j.agreement_code = g.code"
		       " JOIN finance f ON f.project_code = j.code AND f.booked_on <= g.asof"
		       " GROUP BY GROUPING SETS ((g.asof, g.code, j.kind, f.stage),"
		       " (g.asof, g.code, f.stage), (g.asof, j.kind, f.stage), (g.asof, f.stage))",
		       2},
	[Q_RESOURCES] = {"resources",
			 GRID
			 " SELECT g.asof, GROUPING(g.code) AS p, g.code AS agreement, r.kind,"
			 " sum(r.quantity) AS quantity,"
			 " coalesce(sum(r.quantity) FILTER (WHERE g.in_scope), 0) AS quantity_p"
			 " FROM g JOIN resource r ON r.agreement_code = g.code"
			 " AND r.recorded_on <= g.asof"
			 " GROUP BY GROUPING SETS ((g.asof, g.code, r.kind), (g.asof, r.kind))",
			 2},
	[Q_MILESTONES] = {"milestones",
			  GRID " SELECT g.asof, GROUPING(g.code) AS p, g.code AS agreement,"
			       " count(*) AS due, count(*) FILTER (WHERE g.in_scope) AS due_p,"
			       " count(*) FILTER (WHERE m.achieved_on <= m.due_on) AS on_time,"
			       " count(*) FILTER (WHERE m.achieved_on <= m.due_on AND g.in_scope)"
			       " AS on_time_p"
			       " FROM g JOIN project j ON j.agreement_code = g.code"
			       " JOIN milestone m ON m.project_code = j.code AND m.due_on <= g.asof"
			       " GROUP BY GROUPING SETS ((g.asof, g.code), (g.asof))",
			  2},
#define ORG_SUMS                                                                                   \
	" coalesce(sum(e.quantity) FILTER (WHERE e.kind = 'new_solution'), 0) AS new_solutions,"   \
	" coalesce(sum(e.quantity) FILTER (WHERE e.kind = 'process_change'), 0)"                   \
	" AS process_changes,"                                                                     \
	" coalesce(sum(e.quantity) FILTER (WHERE e.kind = 'new_method'), 0) AS new_methods,"       \
	" coalesce(sum(e.quantity) FILTER (WHERE e.kind = 'training'), 0) AS staff_trained,"       \
	" count(DISTINCT e.department) AS departments"
	/* A: the agreement's events; P: the events of the agreements in scope
	 * and the policy's own events, which belong to no agreement */
	[Q_ORG_EVENTS] = {"org_events",
			  GRID " SELECT g.asof, 0 AS p, g.code AS agreement," ORG_SUMS
			       " FROM g JOIN org_event e ON e.agreement_code = g.code"
			       " AND e.occurred_on <= g.asof GROUP BY g.asof, g.code"
			       " UNION ALL SELECT d.asof, 1, NULL," ORG_SUMS
			       " FROM d JOIN org_event e ON e.policy_code = $1::text"
			       " AND e.occurred_on <= d.asof"
			       " LEFT JOIN agreement a ON a.code = e.agreement_code"
			       " WHERE e.agreement_code IS NULL OR a.lab_started_on <= d.asof"
			       " GROUP BY d.asof",
			  2},
	/* one score per respondent and agreement, whatever the wave; the
	 * policy-wide org_culture surveys are one more group (agreement null),
	 * read at policy level only */
	[Q_SURVEY_MEANS] =
		{"survey_means",
		 GRID
		 ", r AS (SELECT d.asof, s.agreement_code AS agreement,"
		 " coalesce(g.in_scope, true) AS in_scope, s.instrument,"
		 " x.respondent, sum(x.score)::numeric(40, 30) / count(*) AS score"
		 " FROM d JOIN survey s ON s.policy_code = $1::text"
		 " AND s.fielded_on <= d.asof AND s.instrument IN"
		 " ('agreement_quality', 'satisfaction', 'org_culture')"
		 " LEFT JOIN g ON g.asof = d.asof AND g.code = s.agreement_code"
		 " JOIN response x ON x.survey_code = s.code"
		 " AND x.score IS NOT NULL"
		 " WHERE s.agreement_code IS NULL OR g.code IS NOT NULL"
		 " GROUP BY 1, 2, 3, 4, 5)"
		 " SELECT asof, GROUPING(agreement) AS p, agreement, instrument," SUFF_STATS(
			 "score") ","
				  " count(*) FILTER (WHERE score >= 4 - 1e-9) AS k,"
				  " count(*) FILTER (WHERE score >= 4 - 1e-9 AND in_scope) AS k_p"
				  " FROM r GROUP BY GROUPING SETS ((asof, agreement, instrument),"
				  " (asof, instrument))",
		 2},
	/* a pair: a respondent with a T0 and a T1 score in the same agreement */
	[Q_PAIRED] =
		{"paired",
		 GRID "," WAVE_SCORES(
			 "relationship_quality") ", r AS (SELECT asof, agreement, in_scope,"
						 " max(score) FILTER (WHERE wave = 'T1')"
						 " - max(score) FILTER (WHERE wave = 'T0') AS score"
						 " FROM w GROUP BY asof, agreement, in_scope, "
						 "respondent"
						 " HAVING count(*) = 2)"
						 " SELECT asof, GROUPING(agreement) AS p, "
						 "agreement," SUFF_STATS(
							 "score") ","
								  " count(*) FILTER (WHERE score > "
								  "1e-9) AS k,"
								  " count(*) FILTER (WHERE score > "
								  "1e-9 AND in_scope) AS k_p"
								  " FROM r GROUP BY GROUPING SETS "
								  "((asof, agreement), (asof))",
		 2},
	[Q_WELCH] =
		{"welch",
		 GRID "," WAVE_SCORES(
			 "quality_of_life") " SELECT asof, GROUPING(agreement) AS p, agreement, "
					    "wave," SUFF_STATS("score") " FROM w GROUP BY GROUPING "
									"SETS ((asof, agreement, "
									"wave), (asof, wave))",
		 2},
	/* the latest assessment by the date; several on that date: their mean */
	[Q_EX_ANTE] = {"ex_ante",
		       GRID ", e AS (SELECT g.asof, g.code AS agreement, x.criterion, x.score,"
			    " rank() OVER (PARTITION BY g.asof, g.code, x.criterion"
			    " ORDER BY x.assessed_on DESC) AS rk"
			    " FROM g JOIN ex_ante x ON x.agreement_code = g.code"
			    " AND x.assessed_on <= g.asof)"
			    " SELECT asof, agreement, criterion, avg(score) AS score"
			    " FROM e WHERE rk = 1 GROUP BY 1, 2, 3",
		       2},
	[Q_TARGETS] = {"targets",
		       "SELECT indicator, level, target, amber_ratio FROM target"
		       " WHERE policy_code = $1::text ORDER BY 1, 2",
		       1},
	[Q_WEIGHTS] = {"weights",
		       "SELECT item, weight FROM weight WHERE policy_code = $1::text ORDER BY 1",
		       1},
	[Q_PROJECT_LIST] =
		{"project_list",
		 "WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x),"
		 " f AS (SELECT f.project_code,"
		 " sum(f.amount_eur) FILTER (WHERE f.stage = 'allocated') AS allocated,"
		 " sum(f.amount_eur) FILTER (WHERE f.stage = 'committed') AS committed,"
		 " sum(f.amount_eur) FILTER (WHERE f.stage = 'spent') AS spent"
		 " FROM finance f, d WHERE f.booked_on <= d.asof GROUP BY 1),"
		 " m AS (SELECT m.project_code, count(*) AS total,"
		 " count(*) FILTER (WHERE m.due_on <= d.asof) AS due,"
		 " count(*) FILTER (WHERE m.due_on <= d.asof"
		 " AND m.achieved_on <= m.due_on) AS on_time"
		 " FROM milestone m, d GROUP BY 1)"
		 " SELECT j.agreement_code AS agreement, j.code, j.title, j.kind,"
		 " j.defined_on, CASE WHEN j.completed_on <= d.asof THEN j.completed_on"
		 " END AS completed_on, coalesce(f.allocated, 0) AS allocated,"
		 " coalesce(f.committed, 0) AS committed, coalesce(f.spent, 0) AS spent,"
		 " coalesce(m.total, 0) AS milestones, coalesce(m.due, 0) AS due,"
		 " coalesce(m.on_time, 0) AS on_time"
		 " FROM agreement a JOIN d ON a.lab_started_on <= d.asof"
		 " JOIN project j ON j.agreement_code = a.code AND j.defined_on <= d.asof"
		 " LEFT JOIN f ON f.project_code = j.code"
		 " LEFT JOIN m ON m.project_code = j.code"
		 " WHERE a.policy_code = $1::text"
		 " ORDER BY 1, j.defined_on, j.code COLLATE \"C\"",
		 2},
	[Q_MILESTONE_LIST] = {"milestone_list",
			      "WITH d AS (SELECT max(x) AS asof FROM unnest($2::date[]) x)"
			      " SELECT j.agreement_code AS agreement, m.project_code, m.title,"
			      " m.due_on, CASE WHEN m.achieved_on <= d.asof THEN m.achieved_on"
			      " END AS achieved_on"
			      " FROM agreement a JOIN d ON a.lab_started_on <= d.asof"
			      " JOIN project j ON j.agreement_code = a.code"
			      " AND j.defined_on <= d.asof"
			      " JOIN milestone m ON m.project_code = j.code"
			      " WHERE a.policy_code = $1::text"
			      " ORDER BY 1, m.due_on, m.code COLLATE \"C\"",
			      2},
};

/* ---- finishing ------------------------------------------------------------ */

/* One indicator's numbers for one entity at one date. */
struct val {
	struct sc_num value, n, ci_low, ci_high, p_value, effect_size;
	enum sc_suppression suppression;
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
	struct sc_num ex_ante[3];
};

/* The agreements of the run, as Q_AGREEMENTS gives them (sorted by code). */
struct agreement_row {
	const char *code, *title, *lab, *approved, *signed_on, *closed, *published;
};

struct work {
	const struct ind_request *req;
	rows *const *res;
	int nd, na;	  /* dates; agreements (entity na is the policy) */
	struct val *vals; /* [nd][na + 1][cat_count] */
	struct acc *accs; /* [nd][na + 1] */
	struct agreement_row *agr;
	/* rows of the list queries by agreement, in query order: first[ei],
	 * then next[row] until -1 (a card reads its own rows only) */
	struct chain {
		int *first, *next;
	} areas, projects, milestones;
	double volunteer_value;
	int min_cell;
	const char *locale;
};

static struct val *val_at(struct work *w, int di, int ei, int ci)
{
	return &w->vals[((size_t)di * (w->na + 1) + ei) * cat_count + ci];
}

static struct acc *acc_at(struct work *w, int di, int ei)
{
	return &w->accs[(size_t)di * (w->na + 1) + ei];
}

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};
	return n;
}

static const struct sc_num null_num = {0, 0};

/* Sets the value of indicator `code` of an entity at a date. */
static void set_value(struct work *w, int di, int ei, const char *code, double v)
{
	int ci = cat_index(code);

	if (ci >= 0)
		val_at(w, di, ei, ci)->value = num(v);
}

static struct sc_num get_value(struct work *w, int di, int ei, const char *code)
{
	int ci = cat_index(code);

	return ci >= 0 ? val_at(w, di, ei, ci)->value : null_num;
}

/* A cell as a number (0 for null: sums over no record). */
static double cell_num(const rows *r, int row, const char *col)
{
	const char *s = rows_get(r, row, rows_col(r, col));

	return s ? strtod(s, NULL) : 0.0;
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

/* The entity of a roll-up row: the policy when p = 1, else its agreement.
 * Writes the date and entity indexes; returns 0, or -1 for a row that is not
 * the run's (which cannot happen with the queries above). */
static int row_target(struct work *w, const rows *r, int row, int *di, int *ei)
{
	*di = date_index(w, cell_str(r, row, "asof"));
	if (cell_num(r, row, "p") != 0)
		*ei = w->na;
	else
		*ei = agreement_index(w, cell_str(r, row, "agreement"));
	return *di < 0 || *ei < 0 ? -1 : 0;
}

/* The measure `col` of a roll-up row: its _p twin on policy rows. */
static double measure(const struct work *w, const rows *r, int row, int ei, const char *col)
{
	char name[64];

	if (ei < w->na)
		return cell_num(r, row, col);
	snprintf(name, sizeof(name), "%s_p", col);
	return rows_col(r, name) >= 0 ? cell_num(r, row, name) : cell_num(r, row, col);
}

/* Copies a simple roll-up query's measures into indicators: pairs of
 * (column, indicator code). */
static void take_measures(struct work *w, enum ind_query_id q, const char *const *pairs, int n)
{
	const rows *r = w->res[q];
	int row, i, di, ei;

	for (row = 0; row < r->nrows; row++) {
		if (row_target(w, r, row, &di, &ei))
			continue;
		for (i = 0; i < n; i++)
			set_value(w, di, ei, pairs[2 * i + 1],
				  measure(w, r, row, ei, pairs[2 * i]));
	}
}

/* Like take_measures for queries broken down by a kind column: the total
 * (all_kinds = 1) goes to `code`, each kind to `code.<kind>`. */
static void take_by_kind(struct work *w, enum ind_query_id q, const char *col, const char *code,
			 const char *col2, const char *code2)
{
	const rows *r = w->res[q];
	int row, di, ei;
	char name[96];

	for (row = 0; row < r->nrows; row++) {
		if (row_target(w, r, row, &di, &ei))
			continue;
		if (cell_num(r, row, "all_kinds") != 0) {
			set_value(w, di, ei, code, measure(w, r, row, ei, col));
			if (col2)
				set_value(w, di, ei, code2, measure(w, r, row, ei, col2));
		} else {
			snprintf(name, sizeof(name), "%s.%s", code, cell_str(r, row, "kind"));
			set_value(w, di, ei, name, measure(w, r, row, ei, col));
		}
	}
}

static void take_finance(struct work *w)
{
	const rows *r = w->res[Q_FINANCE];
	int row, di, ei;
	char name[96];

	for (row = 0; row < r->nrows; row++) {
		if (row_target(w, r, row, &di, &ei))
			continue;
		if (cell_num(r, row, "all_kinds") != 0)
			snprintf(name, sizeof(name), "eff.%s_eur", cell_str(r, row, "stage"));
		else
			snprintf(name, sizeof(name), "eff.%s_eur.%s", cell_str(r, row, "stage"),
				 cell_str(r, row, "kind"));
		set_value(w, di, ei, name, measure(w, r, row, ei, "amount"));
	}
}

static void take_resources(struct work *w)
{
	const rows *r = w->res[Q_RESOURCES];
	int row, di, ei;

	for (row = 0; row < r->nrows; row++) {
		const char *kind = cell_str(r, row, "kind");
		double q;

		if (row_target(w, r, row, &di, &ei))
			continue;
		q = measure(w, r, row, ei, "quantity");
		if (strcmp(kind, "staff_hours") == 0)
			set_value(w, di, ei, "eff.staff_hours", q);
		else if (strcmp(kind, "volunteer_hours") == 0)
			acc_at(w, di, ei)->volunteer_hours = q;
		else
			acc_at(w, di, ei)->in_kind_eur = q;
	}
}

static void take_partners(struct work *w)
{
	const rows *r = w->res[Q_PARTNERS];
	int row, di, ei;

	for (row = 0; row < r->nrows; row++) {
		double n;

		if (row_target(w, r, row, &di, &ei))
			continue;
		n = cell_num(r, row, "signatories");
		if (n <= 0)
			continue;
		set_value(w, di, ei, "soc.bridging_share",
			  100.0 * cell_num(r, row, "bridging") / n);
		if (ei < w->na)
			set_value(w, di, ei, "soc.new_partners_share",
				  100.0 * cell_num(r, row, "new_partners") / n);
	}
}

static void take_milestones(struct work *w)
{
	const rows *r = w->res[Q_MILESTONES];
	int ci = cat_index("eft.milestones_on_time"), row, di, ei;

	for (row = 0; row < r->nrows; row++) {
		struct val *v;
		double due;

		if (row_target(w, r, row, &di, &ei))
			continue;
		v = val_at(w, di, ei, ci);
		due = measure(w, r, row, ei, "due");
		v->n = num(due);
		if (due > 0)
			v->value = num(100.0 * measure(w, r, row, ei, "on_time") / due);
	}
}

static void suff_add(struct work *w, stats_suff *s, const rows *r, int row, int ei)
{
	s->n = (long long)measure(w, r, row, ei, "n");
	s->sum = measure(w, r, row, ei, "sum");
	s->sumsq = measure(w, r, row, ei, "sumsq");
}

/* Takes a survey query's sufficient statistics: fn files each row, of an
 * agreement or of the policy roll-up. */
static void take_groups(struct work *w, enum ind_query_id q,
			void (*fn)(struct work *w, struct acc *a, const rows *r, int row, int ei))
{
	const rows *r = w->res[q];
	int row, di, ei;

	for (row = 0; row < r->nrows; row++)
		if (row_target(w, r, row, &di, &ei) == 0)
			fn(w, acc_at(w, di, ei), r, row, ei);
}

static void add_mean(struct work *w, struct acc *a, const rows *r, int row, int ei)
{
	const char *instrument = cell_str(r, row, "instrument");
	int m = strcmp(instrument, "agreement_quality") == 0 ? MEAN_AGREEMENT_QUALITY
		: strcmp(instrument, "satisfaction") == 0    ? MEAN_SATISFACTION
							     : MEAN_ORG_CULTURE;

	suff_add(w, &a->mean[m], r, row, ei);
	if (m == MEAN_SATISFACTION)
		a->satisfied = (long long)measure(w, r, row, ei, "k");
}

static void add_paired(struct work *w, struct acc *a, const rows *r, int row, int ei)
{
	suff_add(w, &a->paired, r, row, ei);
	a->improved = (long long)measure(w, r, row, ei, "k");
}

static void add_welch(struct work *w, struct acc *a, const rows *r, int row, int ei)
{
	suff_add(w, &a->qol[strcmp(cell_str(r, row, "wave"), "T1") == 0], r, row, ei);
}

static void take_ex_ante(struct work *w)
{
	const rows *r = w->res[Q_EX_ANTE];
	int row, di, ei, k;

	for (row = 0; row < r->nrows; row++) {
		di = date_index(w, cell_str(r, row, "asof"));
		ei = agreement_index(w, cell_str(r, row, "agreement"));
		if (di < 0 || ei < 0)
			continue;
		for (k = 0; k < 3; k++)
			if (strcmp(cell_str(r, row, "criterion"), sc_ex_ante_criteria[k]) == 0)
				acc_at(w, di, ei)->ex_ante[k] = num(cell_num(r, row, "score"));
	}
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
static void set_stats(struct work *w, struct val *v, const stats_out *s, long long n_check)
{
	v->n = num((double)s->n);
	if (n_check < w->min_cell) {
		v->suppression = SUP_PRIMARY;
		return;
	}
	if (s->has_value)
		v->value = num(s->value);
	if (s->has_ci) {
		v->ci_low = num(s->ci_low);
		v->ci_high = num(s->ci_high);
	}
	if (s->has_p)
		v->p_value = num(s->p_value);
	if (s->has_effect)
		v->effect_size = num(s->effect_size);
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
		set_stats(w, val_at(w, di, ei, cat_index(means[m])), &s, s.n);
	}
	rc = stats_share(a->satisfied, a->mean[MEAN_SATISFACTION].n, &s);
	if (rc)
		return rc;
	set_stats(w, val_at(w, di, ei, cat_index("eft.satisfied_share")), &s, s.n);
	rc = stats_paired(a->paired, &s);
	if (rc)
		return rc;
	set_stats(w, val_at(w, di, ei, cat_index("soc.relationship_change")), &s, s.n);
	rc = stats_share(a->improved, a->paired.n, &s);
	if (rc)
		return rc;
	set_stats(w, val_at(w, di, ei, cat_index("soc.relationship_improved_share")), &s, s.n);
	rc = stats_welch(a->qol[0], a->qol[1], &s);
	if (rc)
		return rc;
	set_stats(w, val_at(w, di, ei, cat_index("soc.quality_of_life_change")), &s,
		  a->qol[0].n < a->qol[1].n ? a->qol[0].n : a->qol[1].n);
	return 0;
}

/* Indicators derived from others, once every query has been taken. */
static void finish_ratios(struct work *w, int di, int ei)
{
	struct acc *a = acc_at(w, di, ei);
	double participants = get_value(w, di, ei, "out.participants").v;
	double population = get_value(w, di, ei, "out.population").v;
	double allocated = get_value(w, di, ei, "eff.allocated_eur").v;
	double committed = get_value(w, di, ei, "eff.committed_eur").v;
	double spent = get_value(w, di, ei, "eff.spent_eur").v;
	double community = a->volunteer_hours * w->volunteer_value + a->in_kind_eur;

	if (population != 0)
		set_value(w, di, ei, "out.participation_rate", participants * 1000.0 / population);
	if (allocated != 0) {
		set_value(w, di, ei, "eff.commitment_rate", committed * 100.0 / allocated);
		set_value(w, di, ei, "eff.spend_rate", spent * 100.0 / allocated);
	}
	if (participants != 0)
		set_value(w, di, ei, "eff.cost_per_participant", spent / participants);
	set_value(w, di, ei, "eff.community_value_eur", community);
	if (spent != 0)
		set_value(w, di, ei, "eff.leverage", community / spent);
}

/* Agreement dates: status-free figures (days to signature, agreements
 * signed), for the agreements and their median / count at policy level. */
static int finish_dates(struct work *w, int di)
{
	const char *asof = w->req->dates[di];
	double *days = calloc(w->na ? w->na : 1, sizeof(double));
	int i, n = 0, signed_count = 0;

	if (!days)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < w->na; i++) {
		const struct agreement_row *a = &w->agr[i];
		int in_scope = on_or_before(a->lab, asof);

		if (on_or_before(a->signed_on, asof) && on_or_before(a->approved, asof)) {
			double d = (double)(days_of(a->signed_on) - days_of(a->approved));

			set_value(w, di, i, "eff.days_to_signature", d);
			if (in_scope)
				days[n++] = d;
		}
		if (in_scope && on_or_before(a->signed_on, asof))
			signed_count++;
	}
	set_value(w, di, w->na, "out.agreements_signed", signed_count);
	if (n > 0) {
		qsort(days, n, sizeof(double), cmp_double);
		set_value(w, di, w->na, "eff.days_to_signature",
			  n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2.0);
	}
	free(days);
	return 0;
}

/* Withholds a value whose n stays published (secondary suppression). */
static void withhold(struct val *v)
{
	v->value = null_num;
	v->ci_low = null_num;
	v->ci_high = null_num;
	v->p_value = null_num;
	v->effect_size = null_num;
	if (v->suppression == SUP_NONE)
		v->suppression = SUP_SECONDARY;
}

/* Complementary suppression (INDICATORS.md) of every survey indicator of
 * level A at every date, over the agreements in scope at that date, once
 * every entity's survey values are finished: previous and trend values are
 * then read already withheld. */
static int finish_suppression(struct work *w)
{
	struct sup_cell *cells = calloc(w->na ? w->na : 1, sizeof(*cells));
	int *of = calloc(w->na ? w->na : 1, sizeof(*of));
	int di, ci, i, k, nc, policy, rc = 0;

	if (!cells || !of) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (di = 0; di < w->nd; di++) {
		for (ci = 0; ci < cat_count; ci++) {
			const struct cat_indicator *ind = &cat_indicators[ci];
			int welch = ind->method == METHOD_WELCH;

			if (!cat_is_survey(ind) || !(ind->levels & CAT_AGREEMENT))
				continue;
			for (i = nc = 0; i < w->na; i++) {
				const struct val *v = val_at(w, di, i, ci);
				const struct acc *a = acc_at(w, di, i);

				if (!on_or_before(w->agr[i].lab, w->req->dates[di]))
					continue;
				cells[nc].code = w->agr[i].code;
				cells[nc].n = (long long)v->n.v;
				cells[nc].count[0] = welch ? a->qol[0].n : (long long)v->n.v;
				cells[nc].count[1] = welch ? a->qol[1].n : 0;
				cells[nc].suppression = v->suppression;
				of[nc++] = i;
			}
			rc = sup_complete(cells, nc, welch ? 2 : 1, w->min_cell, &policy);
			if (rc)
				goto out;
			for (k = 0; k < nc; k++)
				if (cells[k].suppression == SUP_SECONDARY)
					withhold(val_at(w, di, of[k], ci));
			if (policy)
				withhold(val_at(w, di, w->na, ci));
		}
	}
out:
	free(cells);
	free(of);
	return rc;
}

/* Takes every query's rows into values for all entities and dates. */
static int finish_values(struct work *w)
{
	static const char *const meetings[] = {"meetings", "out.meetings", "hours",
					       "out.meeting_hours"};
	static const char *const participants[] = {"participants", "out.participants"};
	static const char *const population[] = {"population", "out.population"};
	static const char *const org[] = {
		"new_solutions", "org.new_solutions", "process_changes", "org.process_changes",
		"new_methods",	 "org.new_methods",   "staff_trained",	 "org.staff_trained",
		"departments",	 "org.departments"};
	int di, ei, ci, rc;

	/* a sum over no records is 0; n of milestones_on_time is 0 when none is due */
	for (di = 0; di < w->nd; di++)
		for (ei = 0; ei <= w->na; ei++)
			for (ci = 0; ci < cat_count; ci++)
				if (cat_indicators[ci].method == METHOD_COUNT)
					val_at(w, di, ei, ci)->value = num(0);
				else if (cat_indicators[ci].method == METHOD_PERCENT)
					val_at(w, di, ei, ci)->n = num(0);
	take_measures(w, Q_MEETINGS, meetings, 2);
	take_measures(w, Q_PARTICIPANTS, participants, 1);
	take_measures(w, Q_POPULATION, population, 1);
	take_measures(w, Q_ORG_EVENTS, org, 5);
	take_by_kind(w, Q_SIGNATORIES, "signatories", "out.signatories", NULL, NULL);
	take_by_kind(w, Q_PROJECTS, "projects", "out.projects", "completed",
		     "out.projects_completed");
	take_finance(w);
	take_resources(w);
	take_partners(w);
	take_milestones(w);
	take_groups(w, Q_SURVEY_MEANS, add_mean);
	take_groups(w, Q_PAIRED, add_paired);
	take_groups(w, Q_WELCH, add_welch);
	take_ex_ante(w);
	for (di = 0; di < w->nd; di++) {
		rc = finish_dates(w, di);
		if (rc)
			return rc;
		for (ei = 0; ei <= w->na; ei++) {
			finish_ratios(w, di, ei);
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
		const struct val *v = val_at(w, di, ei, ci);

		if (!si->present)
			continue;
		si->value = v->value;
		si->n = v->n;
		si->ci_low = v->ci_low;
		si->ci_high = v->ci_high;
		si->p_value = v->p_value;
		si->effect_size = v->effect_size;
		si->suppressed = v->suppression != SUP_NONE;
		si->suppression = v->suppression;
		if (si->ind->method != METHOD_PERCENT && !cat_is_survey(si->ind))
			si->n = null_num;
		si->previous = di + 1 < w->nd ? val_at(w, di + 1, ei, ci)->value : null_num;
	}
}

/* Targets and weights of the policy onto a scorecard of `level`. */
static void apply_targets(struct work *w, struct scorecard *sc)
{
	const rows *t = w->res[Q_TARGETS], *wt = w->res[Q_WEIGHTS];
	const char *level = cat_level_name(sc->level);
	int row, d;

	for (row = 0; row < t->nrows; row++) {
		struct sc_indicator *si = sc_get(sc, cell_str(t, row, "indicator"));

		if (!si || strcmp(cell_str(t, row, "level"), level) != 0)
			continue;
		si->target = num(cell_num(t, row, "target"));
		si->amber_ratio =
			cell_str(t, row, "amber_ratio") ? cell_num(t, row, "amber_ratio") : 0.8;
	}
	for (row = 0; row < wt->nrows; row++) {
		const char *item = cell_str(wt, row, "item");
		struct sc_indicator *si = sc_get(sc, item);

		d = cat_dimension_find(item);
		if (si)
			si->weight = num(cell_num(wt, row, "weight"));
		else if (d >= 0)
			sc->dims[d].weight = num(cell_num(wt, row, "weight"));
	}
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
 * model for both levels: weights.csv has no level). */
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

/* A scorecard of an entity at date `di` with its indicators, targets,
 * weights and the decision model; the rest is filled by the caller. */
static int build_card(struct work *w, int ei, int di, struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc = sc_new(ei == w->na ? CAT_POLICY : CAT_AGREEMENT, &sc);

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
		snprintf(note, sizeof(note),
			 it ? "Perché nessun valore soppresso si possa ricavare per differenza dal "
			      "totale della politica e dagli altri accordi, è soppresso anche il "
			      "valore degli accordi con meno rispondenti (soppressione secondaria), "
			      "finché i valori soppressi sono almeno due e contano almeno %d "
			      "rispondenti in tutto; se nemmeno tutti gli accordi insieme bastano, "
			      "è soppresso il valore della politica. Si applica a ogni data, "
			      "anche al valore precedente e alle serie storiche."
			    : "So that no suppressed value can be worked out by subtraction from the "
			      "policy's total and the other agreements, the values of the agreements "
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
		struct acc *x = acc_at(w, 0, ei);
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
			sc->ex_ante[k] = x->ex_ante[k];
			if (x->ex_ante[k].set) {
				sum += x->ex_ante[k].v;
				n++;
			}
			passed = passed && x->ex_ante[k].set && x->ex_ante[k].v >= 3 - 1e-9;
		}
		if (n)
			sc->ex_ante_mean = num(sum / n);
		sc->ex_ante_passed = passed;
		rc = add_neighbourhoods(w, sc, ei);
		if (rc == 0)
			rc = add_projects(w, sc, ei);
	}
	if (rc == 0)
		rc = add_notes(w, sc);
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
	rows *own[IND_QUERY_COUNT]; /* the rows, when the run owns them */
	rows *const *res;	    /* own, or the caller's */
	struct scorecard *policy;
	int want; /* the one agreement asked for, or -1 for all */
};

/* What a card still reads once the numbers are finished (the rest of the
 * rows only feeds finish_values and is freed before the cards are made). */
static int kept_after_finish(int q)
{
	return q == Q_POLICY || q == Q_AGREEMENTS || q == Q_AREAS || q == Q_TARGETS ||
	       q == Q_WEIGHTS || q == Q_PROJECT_LIST || q == Q_MILESTONE_LIST;
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
	const char *src[5] = {req->policy, req->locale, req->agreement, req->period_start, NULL};
	size_t size = 0;
	char *p;
	int i;

	for (i = 0; i < 4; i++)
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
	for (i = 0; i < req->ndates; i++) {
		r->dates[i] = put_str(&p, req->dates[i]);
		r->periods[i] = put_str(&p, req->periods[i]);
	}
	r->req.dates = r->dates;
	r->req.periods = r->periods;
	return 0;
}

/* Prepares a run from rows the caller keeps (owned = 0) or hands over
 * (owned = 1: res[] is taken and its entries set to NULL on success). */
static int prepare(rows **res, int owned, const struct ind_request *req, struct ind_run **out_ptr)
{
	struct ind_run *r = calloc(1, sizeof(*r));
	struct work *w = r ? &r->w : NULL;
	const char *locale;
	int rc, i;

	if (!r)
		return err_set(ERR_FAIL, "out of memory");
	r->want = -1;
	if (req->ndates < 2 || !res[Q_POLICY] || res[Q_POLICY]->nrows != 1) {
		rc = err_set(ERR_FAIL, "internal error: a run needs the policy and two dates");
		goto out;
	}
	rc = copy_request(r, req);
	if (rc)
		goto out;
	if (owned)
		for (i = 0; i < IND_QUERY_COUNT; i++)
			r->own[i] = res[i];
	r->res = owned ? r->own : res;
	w->req = &r->req;
	w->res = r->res;
	w->nd = req->ndates;
	rc = load_agreements(w);
	if (rc)
		goto out;
	if (req->agreement) {
		r->want = agreement_index(w, req->agreement);
		if (r->want < 0) {
			rc = err_set(ERR_NOTFOUND,
				     "agreement %s is not an agreement of policy %s in scope at %s",
				     req->agreement, req->policy, req->dates[0]);
			goto out;
		}
	}
	locale = req->locale ? req->locale : cell_str(w->res[Q_POLICY], 0, "locale");
	w->locale = locale && strcmp(locale, "en") == 0 ? "en" : "it";
	w->volunteer_value = cell_num(w->res[Q_POLICY], 0, "volunteer_hour_value_eur");
	w->min_cell = (int)cell_num(w->res[Q_POLICY], 0, "min_cell");
	w->vals = calloc((size_t)w->nd * (w->na + 1) * cat_count, sizeof(*w->vals));
	w->accs = calloc((size_t)w->nd * (w->na + 1), sizeof(*w->accs));
	if (!w->vals || !w->accs) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	rc = finish_values(w);
	if (rc)
		goto out;
	if (owned)
		for (i = 0; i < IND_QUERY_COUNT; i++)
			if (!kept_after_finish(i)) {
				rows_free(r->own[i]);
				r->own[i] = NULL;
			}
	rc = chain_rows(w, Q_AREAS, &w->areas);
	if (rc == 0)
		rc = chain_rows(w, Q_PROJECT_LIST, &w->projects);
	if (rc == 0)
		rc = chain_rows(w, Q_MILESTONE_LIST, &w->milestones);
	if (rc == 0)
		rc = full_card(w, w->na, &r->policy);
	if (rc == 0)
		rc = rank_agreements(w, r->policy);
out:
	if (rc) {
		if (owned) /* the caller keeps what it had */
			for (i = 0; i < IND_QUERY_COUNT; i++)
				r->own[i] = NULL;
		ind_run_free(r);
		return rc;
	}
	if (owned)
		for (i = 0; i < IND_QUERY_COUNT; i++)
			res[i] = NULL;
	*out_ptr = r;
	return 0;
}

int ind_prepare(rows *res[IND_QUERY_COUNT], const struct ind_request *req, struct ind_run **out)
{
	return prepare(res, 1, req, out);
}

int ind_run_cards(const struct ind_run *r)
{
	return 1 + (r->want >= 0 ? 1 : r->w.na);
}

int ind_run_card(const struct ind_run *r, int i, const struct scorecard **out)
{
	struct scorecard *sc = NULL;
	int rc;

	if (i < 0 || i >= ind_run_cards(r))
		return err_set(ERR_FAIL, "internal error: no scorecard %d in this run", i);
	if (i == 0) {
		*out = r->policy;
		return 0;
	}
	/* full_card only reads the run: cards can be made in parallel */
	rc = full_card((struct work *)&r->w, r->want >= 0 ? r->want : i - 1, &sc);
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
	free(r->w.vals);
	free(r->w.accs);
	free(r->w.agr);
	chain_free(&r->w.areas);
	chain_free(&r->w.projects);
	chain_free(&r->w.milestones);
	for (i = 0; i < IND_QUERY_COUNT; i++)
		rows_free(r->own[i]);
	free(r->strings);
	free(r->dates);
	free(r->periods);
	free(r);
}

int ind_build(rows *const res[IND_QUERY_COUNT], const struct ind_request *req,
	      struct ind_result **out_ptr)
{
	struct ind_run *run = NULL;
	struct ind_result *r = NULL;
	int rc, i, n;

	rc = prepare((rows **)res, 0, req, &run);
	if (rc)
		return rc;
	n = ind_run_cards(run);
	r = calloc(1, sizeof(*r));
	if (r)
		r->agreements = calloc(n, sizeof(*r->agreements));
	if (!r || !r->agreements) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (i = 1; i < n; i++) {
		const struct scorecard *sc = NULL;

		rc = ind_run_card(run, i, &sc);
		if (rc)
			goto out;
		r->agreements[r->n_agreements++] = (struct scorecard *)sc;
	}
	r->policy = run->policy;
	run->policy = NULL; /* now the result's */
	*out_ptr = r;
	r = NULL;
out:
	ind_result_free(r);
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
	free(r);
}
