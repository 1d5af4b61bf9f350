/* catalogue: every indicator of docs/METHOD.md as one descriptor, known to
 * the compiler: catalogue.def lists them once, and yields both enum cat_id
 * (IND_OUT_PARTICIPANTS, ..., CAT_COUNT) and cat_indicators[].
 *
 * Code inside the program names an indicator by its cat_id; lookups by code
 * string (cat_index, cat_find) are for the boundaries only: targets and
 * weights files, JSON keys, the catalogue command. */
#ifndef CR_CATALOGUE_H
#define CR_CATALOGUE_H

/* The levels a scorecard is made at; an indicator's `levels` is a set of them. */
enum cat_level { CAT_AGREEMENT = 1, CAT_POLICY = 2, CAT_NEIGHBOURHOOD = 4 };

enum cat_dimension {
	DIM_OUTPUT,
	DIM_EFFICIENCY,
	DIM_EFFECTIVENESS,
	DIM_SOCIAL_IMPACT,
	DIM_ORGANISATIONAL_IMPACT,
	DIM_COUNT
};

enum cat_polarity { POL_HIGHER, POL_LOWER, POL_NEUTRAL };

/* How a value is finished, which decides the statistics published with it. */
enum cat_method {
	METHOD_COUNT,	/* a count or sum of records; never suppressed */
	METHOD_RATIO,	/* a ratio of two other figures; null on a zero denominator */
	METHOD_MEDIAN,	/* eff.days_to_signature at policy level */
	METHOD_MEAN,	/* survey mean with t interval */
	METHOD_SHARE,	/* survey share with Wilson interval */
	METHOD_PAIRED,	/* paired T0->T1 change */
	METHOD_WELCH,	/* independent T1 - T0 difference, Welch interval */
	METHOD_PERCENT, /* a record percentage with n (eft.milestones_on_time) */
};

struct cat_indicator {
	const char *code;
	enum cat_dimension dimension;
	unsigned levels;  /* CAT_AGREEMENT | CAT_POLICY | CAT_NEIGHBOURHOOD */
	const char *unit; /* count, hours, persons, per_1000, eur, percent, ratio, days, score,
			     score_diff */
	enum cat_polarity polarity;
	enum cat_method method;
};

/* An indicator's identity: its index in cat_indicators. */
enum cat_id {
#define CAT_X(id, code, dimension, levels, unit, polarity, method) id,
#include "catalogue.def"
#undef CAT_X
	CAT_COUNT
};

/* The catalogue, in the order of docs/METHOD.md; CAT_COUNT entries
 * (cat_count is the same number, for code that loops at run time). */
extern const struct cat_indicator cat_indicators[CAT_COUNT];
extern const int cat_count;

/* The entry with that code, or NULL. */
const struct cat_indicator *cat_find(const char *code);

/* Index of the entry in cat_indicators, or -1. */
int cat_index(const char *code);

/* True when the indicator is survey-based (suppression applies). */
int cat_is_survey(const struct cat_indicator *ind);

/* Spec names: "output", ...; "higher", ...; "agreement"/"policy"/"neighbourhood". */
const char *cat_dimension_code(enum cat_dimension d);
const char *cat_polarity_name(enum cat_polarity p);
const char *cat_level_name(enum cat_level l);

/* The dimension with that code, or -1. */
int cat_dimension_find(const char *code);

/* The words for people (labels, definitions) are reports/'s: method.h. */

#endif
