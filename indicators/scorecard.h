/* scorecard: the model every output renders — one policy's, one
 * agreement's or one neighbourhood's indicators for one period, with previous values, statistics,
 * targets, status, dimension scores, index and (policy) sensitivity.
 *
 * The model is computed once (indicators/compute.c and work.h) and rendered by reports/ (JSON,
 * PDF, HTML, open-data CSV, terminal) without recomputing anything. Numbers are full precision. */
#ifndef CR_SCORECARD_H
#define CR_SCORECARD_H

#include "catalogue.h"

/* A number that may be null. */
struct sc_num {
	int set; /* 0 = null */
	double v;
};

enum sc_status { ST_NONE, ST_GREEN, ST_AMBER, ST_RED };

/* Why a value is withheld: below min_cell itself (primary), or to keep a
 * primary cell from being recovered by subtraction (secondary). */
enum sc_suppression { SUP_NONE, SUP_PRIMARY, SUP_SECONDARY };

/* A note on method. The facts each states are fields of the scorecard
 * (reports/notes.h words them in its locale): */
enum sc_note {
	SC_NOTE_AS_OF,	   /* what counts as of period_end, and period_previous */
	SC_NOTE_MIN_CELL,  /* survey values below min_cell respondents are suppressed */
	SC_NOTE_SECONDARY, /* complementary suppression up to min_cell respondents */
	SC_NOTE_SNAPSHOT,  /* one data snapshot: import batch_id at batch_at, when set */
	SC_NOTE_TERRITORY, /* what a neighbourhood counts, and the territory rule */
	SC_NOTE_COUNT
};

/* One indicator of the catalogue on one scorecard. */
struct sc_indicator {
	const struct cat_indicator *ind; /* the catalogue entry */
	int present;			 /* the indicator exists at this level */
	struct sc_num value;
	struct sc_num previous;	       /* as of the previous quarter's end */
	struct sc_num n;	       /* survey indicators and eft.milestones_on_time */
	struct sc_num ci_low, ci_high; /* both set or both null */
	struct sc_num p_value;
	struct sc_num effect_size;
	int suppressed; /* 1 when suppression is not SUP_NONE */
	enum sc_suppression suppression;
	struct sc_num target;
	double amber_ratio; /* meaningful when target is set */
	enum sc_status status;
	struct sc_num normalised; /* 0-100 */
	struct sc_num weight;	  /* weights.csv, default 1 */
};

struct sc_dimension {
	struct sc_num score;
	struct sc_num coverage;
	struct sc_num weight; /* weights.csv item of the dimension, default 1 */
};

/* A value of the index and of a few key indicators at one past quarter. */
struct sc_trend_point {
	char period[8]; /* YYYY-Qn */
	struct sc_num index;
	struct sc_num *values; /* one per entry of sc_trend_ids, in that order */
};

/* The indicators whose trend the scorecards chart, in that order. */
extern const enum cat_id sc_trend_ids[];
extern const int sc_trend_count;

struct sc_neighbourhood {
	char *code;
	char *name;
	long long population;
};

struct sc_project {
	char *code;
	char *title;
	char *kind; /* community_care, city_care */
	char *defined_on;
	char *completed_on;		    /* or NULL */
	double allocated, committed, spent; /* as of the period's end */
	int milestones_due, milestones_on_time, milestones_total;
};

struct sc_milestone {
	char *project_code;
	char *title;
	char *due_on;
	char *achieved_on; /* or NULL */
};

/* A covering agreement of a neighbourhood scorecard. */
struct sc_covering {
	char *code;
	char *title;
};

/* One record of evidence.csv: qualitative monitoring, listed on a
 * scorecard and never changing a number. */
struct sc_evidence {
	char *code;
	char *kind; /* focus_group, interview, observation, document */
	char *recorded_on;
	char *title;
	char *summary;		    /* as written: plain text, newlines and tabs kept */
	struct sc_num participants; /* or null */
	char *agreement_code;	    /* or NULL */
	char *neighbourhood_code;   /* or NULL; never both set */
};

/* One neighbourhood on the policy scorecard's territory page: figures of
 * that neighbourhood's own scorecard at the period's end. A value withheld
 * on that scorecard is null here too. */
struct sc_territory {
	char *code;
	char *name;
	long long population;
	int agreements;			      /* covering agreements in scope */
	struct sc_num participants;	      /* out.participants at N */
	struct sc_num participation_rate;     /* out.participation_rate at N */
	struct sc_num quality_of_life_change; /* soc.quality_of_life_change at N */
	struct sc_num index;
};

/* Sensitivity of one agreement's rank (policy scorecard). */
struct sc_rank {
	char *agreement_code;
	char *agreement_title;
	struct sc_num index;
	int rank; /* 0 = not ranked (null index) */
	struct sc_num rank_p05, rank_p95;
};

struct scorecard {
	enum cat_level level;
	char *policy_code;
	char *policy_name;
	char *locale; /* "it" or "en": labels and number formats */
	int min_cell;

	/* agreement level only */
	char *agreement_code;
	char *agreement_title;
	char *agreement_status; /* lab, approved, signed, closed, published */
	char *lab_started_on, *approved_on, *signed_on, *closed_on, *published_on; /* or NULL */
	struct sc_neighbourhood *neighbourhoods;
	int n_neighbourhoods;
	struct sc_num ex_ante[3]; /* feasibility, opportunity, relevance */
	struct sc_num ex_ante_mean;
	int ex_ante_passed;
	struct sc_project *projects;
	int n_projects;
	struct sc_milestone *milestones;
	int n_milestones;

	/* neighbourhood level only: the neighbourhood and the agreements that
	 * cover it at the period's end, by code */
	struct sc_neighbourhood neighbourhood;
	struct sc_covering *covering;
	int n_covering;

	/* the period */
	char period[8];	       /* YYYY-Qn */
	char period_start[11]; /* YYYY-MM-DD */
	char period_end[11];   /* the as-of date */
	char period_previous[8];

	struct sc_indicator ind[CAT_COUNT]; /* indexed by cat_id */
	struct sc_dimension dims[DIM_COUNT];
	struct sc_num index;

	/* policy level only */
	struct sc_num index_p05, index_p95;
	struct sc_rank *ranks; /* every in-scope agreement, best index first */
	int n_ranks;

	/* policy level only: every neighbourhood covered at the period's end,
	 * by code */
	struct sc_territory *territories;
	int n_territories;

	/* every level: the evidence recorded within the period, newest first
	 * (ties by code), and how much was recorded up to its end */
	struct sc_evidence *evidence;
	int n_evidence;
	long long evidence_total;

	struct sc_trend_point *trend; /* oldest first, the period last */
	int n_trend;

	long long batch_id; /* the last import batch of the snapshot, 0 when none */
	char *batch_at;	    /* the time of batch_id as the database gives it, NULL when none */
	char *snapshot;	    /* what identifies the data state: last batch id and time */
	enum sc_note notes[SC_NOTE_COUNT]; /* the notes on method, in order */
	int n_notes;
};

/* The names of the ex-ante criteria, in the order of scorecard.ex_ante. */
extern const char *const sc_ex_ante_criteria[3];

/* Spec name of a status: none, green, amber, red. */
const char *sc_status_name(enum sc_status s);

/* JSON name of a suppression: "primary", "secondary", or NULL for none. */
const char *sc_suppression_name(enum sc_suppression s);

/* Allocates an empty scorecard of `level` with every catalogue indicator of
 * that level marked present and null. Caller frees with sc_free. */
int sc_new(enum cat_level level, struct scorecard **out);

/* Makes *sc what sc_new gives, in place: for a card that owns nothing
 * (no strings or lists), so that one can be reused. */
void sc_init(struct scorecard *sc, enum cat_level level);

/* Indicator id on the scorecard, or NULL when it is not present at this
 * level. */
const struct sc_indicator *sc_ind(const struct scorecard *sc, enum cat_id id);

/* The indicator with that code on the scorecard, or NULL (unknown code or
 * not present at this level): for codes read from outside (files, JSON). */
struct sc_indicator *sc_get(struct scorecard *sc, const char *code);
const struct sc_indicator *sc_cget(const struct scorecard *sc, const char *code);

/* Appends a note on method; a scorecard holds each at most once (a note
 * already there, or one past SC_NOTE_COUNT, is not added again). */
void sc_add_note(struct scorecard *sc, enum sc_note note);

/* Frees the scorecard and everything it owns; accepts NULL. */
void sc_free(struct scorecard *sc);

#endif
