/* compute: the queries a run reads and the finishing of every indicator from
 * their rows into scorecards. No database here: the engine runs the queries
 * (engine/run.c) and hands their rows in, so all of this is testable with
 * rows built by hand.
 *
 * Every query aggregates for the policy, all its agreements and all the
 * neighbourhoods they cover at once, for all as-of dates of the run (the
 * period, the previous quarter and the trend quarters), so their number never
 * grows with the number of agreements or neighbourhoods. */
#ifndef CR_COMPUTE_H
#define CR_COMPUTE_H

#include "rows.h"
#include "scorecard.h"

enum ind_query_id {
	Q_POLICY,	  /* the policy's settings and the data snapshot ($1) */
	Q_AGREEMENTS,	  /* agreements in scope at the last date, with their dates */
	Q_AREAS,	  /* neighbourhoods of those agreements: the territory level */
	Q_MEETINGS,	  /* out.meetings, out.meeting_hours */
	Q_PARTICIPANTS,	  /* out.participants */
	Q_SIGNATORIES,	  /* out.signatories and breakdown */
	Q_PARTNERS,	  /* soc.new_partners_share, soc.bridging_share */
	Q_PROJECTS,	  /* out.projects and breakdown, out.projects_completed */
	Q_POPULATION,	  /* out.population */
	Q_FINANCE,	  /* eff.*_eur by stage and project kind */
	Q_RESOURCES,	  /* eff.staff_hours, eff.community_value_eur */
	Q_MILESTONES,	  /* eft.milestones_on_time */
	Q_ORG_EVENTS,	  /* org.* counts and departments */
	Q_SURVEY_MEANS,	  /* eft.agreement_quality, eft.satisfaction, eft.satisfied_share,
			     org.culture_score: respondent-score sufficient statistics */
	Q_PAIRED,	  /* soc.relationship_change, soc.relationship_improved_share */
	Q_WELCH,	  /* soc.quality_of_life_change */
	Q_EX_ANTE,	  /* the ex-ante block */
	Q_TARGETS,	  /* targets.csv of the policy */
	Q_WEIGHTS,	  /* weights.csv of the policy */
	Q_PROJECT_LIST,	  /* projects with budget progress at the last date */
	Q_MILESTONE_LIST, /* milestones at the last date */
	Q_EVIDENCE,	  /* evidence.csv recorded by the last date (evidence.h) */
	IND_QUERY_COUNT
};

/* A query: SQL with $1 = policy code (text) and, when nparams is 2, $2 = the
 * as-of dates as a date[] literal ({2018-12-31,2018-09-30,...}). The SQL is
 * indicators/sql/<name>.sql; `columns` is its contract with the finishing
 * code: the columns it returns, space-separated, "#" after a number, "?"
 * after a column that may be null (queries.c). */
struct ind_query {
	const char *name;
	const char *sql;
	int nparams;
	const char *columns;
};

extern const struct ind_query ind_queries[IND_QUERY_COUNT];

/* Holds the rows of query q to its contract: every declared column present
 * and no other, no null where none is allowed, numbers that are numbers.
 * Returns 0, or ERR_FAIL with a message naming the query, row and column. */
int ind_check_rows(enum ind_query_id q, const rows *r);

/* Like ind_check_rows for a part of a result whose first row is row
 * row0 + 1 of the whole (the number messages give). */
int ind_check_rows_from(enum ind_query_id q, const rows *r, int row0);

/* What a run computes: the policy, the as-of dates (the first is the
 * period's end, then the previous quarter's end, then older trend quarters),
 * and the period ids of those dates. */
struct ind_request {
	const char *policy;
	const char *locale;	    /* override, or NULL for the policy's */
	const char *agreement;	    /* only this agreement's scorecard, or NULL */
	const char *neighbourhood;  /* only this neighbourhood's scorecard, or NULL (not
				       both with agreement) */
	int ndates;		    /* >= 2 */
	const char *const *dates;   /* YYYY-MM-DD */
	const char *const *periods; /* YYYY-Qn */
	const char *period_start;   /* first day of the period */
};

/* A run: once finished, every number finished, every agreement ranked, the
 * policy's scorecard made (with its territories); the other scorecards are
 * made one at a time on demand, so memory holds the numbers (entities x
 * indicators x dates, the entities being the agreements, the policy and the
 * neighbourhoods) and the cards being used, never every card of the
 * period. */
struct ind_run;

/* A run is made in three steps, so that each query's rows can be taken into
 * the numbers as soon as they arrive and freed, and memory never holds every
 * query's rows at once:
 *
 * ind_start: from the policy's row (Q_POLICY), the agreements in scope
 * (Q_AGREEMENTS) and their neighbourhoods (Q_AREAS: the neighbourhoods of
 * the run, those covered at the period's end), all held to their contract
 * (ind_check_rows). Takes the three over, also on failure (the run keeps
 * them: the cards read them). Returns 0 and *out (free with ind_run_free),
 * ERR_NOTFOUND when the requested agreement is not in scope or the requested
 * neighbourhood is not covered by one in scope (or not known at all), or
 * ERR_FAIL. */
int ind_start(rows *policy, rows *agreements, rows *areas, const struct ind_request *req,
	      struct ind_run **out);

/* ind_take: takes the rows of query q (any but Q_POLICY, Q_AGREEMENTS and Q_AREAS,
 * each exactly once, in any order) into the run's numbers. Takes `res` over,
 * also on failure: it is freed at once unless the cards read it later (the
 * lists, targets and weights). Not thread-safe: one call at a time per run.
 * Returns 0, or ERR_FAIL when the rows break the query's contract or name
 * an unknown date, agreement, kind or indicator (the run is then only good
 * for ind_run_free). */
int ind_take(struct ind_run *r, enum ind_query_id q, rows *res);

/* Whether query q's rows may be taken in parts (ind_take_part): each of its
 * rows feeds the numbers alone and no card reads them later. */
int ind_takes_parts(enum ind_query_id q);

/* ind_take_part: like ind_take for a query that ind_takes_parts, with its
 * rows in consecutive parts, in order, each held to the contract (messages
 * number rows in the whole result); `last` marks the final part (it may
 * have no rows), after which q counts as taken. Takes `part` over, also on
 * failure. Returns as ind_take. */
int ind_take_part(struct ind_run *r, enum ind_query_id q, rows *part, int last);

/* ind_finish: once every query is taken, finishes every number, makes the
 * policy's scorecard with the ranking (a light pass over the agreements'
 * scores) and keeps what the other cards need. Returns 0 or ERR_FAIL. */
int ind_finish(struct ind_run *r);

/* Number of scorecards of the run: card 0 is the policy's, then the
 * in-scope agreements' by code, then the neighbourhoods' (level
 * CAT_NEIGHBOURHOOD) by code in byte order. With request.agreement: the
 * policy's and that agreement's only; with request.neighbourhood: the
 * policy's and that neighbourhood's only. */
int ind_run_cards(const struct ind_run *r);

/* Card i of the run (0 <= i < ind_run_cards). Only reads the run: several
 * threads may make different cards at once. Returns 0 and *out (give it back
 * with ind_run_release), or ERR_FAIL. */
int ind_run_card(const struct ind_run *r, int i, const struct scorecard **out);

/* Gives a card of ind_run_card back (the policy's stays with the run;
 * agreements' are freed). Accepts NULL. */
void ind_run_release(const struct ind_run *r, const struct scorecard *sc);

/* Frees a run; accepts NULL. */
void ind_run_free(struct ind_run *r);

/* Every card of a run at once (the `compute` command's tables, tests), in
 * the order of ind_run_card. */
struct ind_result {
	struct scorecard *policy;
	struct scorecard **agreements;
	int n_agreements;
	struct scorecard **neighbourhoods;
	int n_neighbourhoods;
};

/* Every card of a finished run into *out (free with ind_result_free; the
 * run may then be freed). Returns 0 or ERR_FAIL. */
int ind_run_all(struct ind_run *r, struct ind_result **out);

/* Finishes every scorecard from the rows of all queries (res[Q_...]), which
 * stay the caller's. Returns 0 and *out (free with ind_result_free),
 * ERR_NOTFOUND when the requested agreement or neighbourhood is not in the
 * run (as ind_start), or ERR_FAIL,
 * also when a query's rows break its contract (ind_check_rows) or name an
 * unknown date, agreement, kind or indicator. */
int ind_build(rows *const res[IND_QUERY_COUNT], const struct ind_request *req,
	      struct ind_result **out);

/* Frees a result; accepts NULL. */
void ind_result_free(struct ind_result *r);

#endif
