#include "catalogue.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define A CAT_AGREEMENT
/* every policy-level indicator exists at the territory level too */
#define P (CAT_POLICY | CAT_NEIGHBOURHOOD)
#define AP (CAT_AGREEMENT | CAT_POLICY | CAT_NEIGHBOURHOOD)

const struct cat_indicator cat_indicators[CAT_COUNT] = {
#define CAT_X(id, code, dimension, levels, unit, polarity, method)                                 \
	{code, dimension, levels, unit, polarity, method},
#include "catalogue.def"
#undef CAT_X
};

const int cat_count = CAT_COUNT;

static const char *const dimension_codes[DIM_COUNT] = {"output", "efficiency", "effectiveness",
						       "social_impact", "organisational_impact"};

/* The indicators' positions in the byte order of their codes, sorted once,
 * for cat_index's binary search: query rows name codes by the million. */
static int by_code[CAT_COUNT];
static pthread_once_t by_code_once = PTHREAD_ONCE_INIT;

static int cmp_positions(const void *a, const void *b)
{
	return strcmp(cat_indicators[*(const int *)a].code, cat_indicators[*(const int *)b].code);
}

static void sort_codes(void)
{
	int i;

	for (i = 0; i < CAT_COUNT; i++)
		by_code[i] = i;
	qsort(by_code, CAT_COUNT, sizeof(*by_code), cmp_positions);
}

static int cmp_code_position(const void *key, const void *item)
{
	return strcmp(key, cat_indicators[*(const int *)item].code);
}

int cat_index(const char *code)
{
	const int *at;

	pthread_once(&by_code_once, sort_codes);
	at = bsearch(code, by_code, CAT_COUNT, sizeof(*by_code), cmp_code_position);
	return at ? *at : -1;
}

const struct cat_indicator *cat_find(const char *code)
{
	int i = cat_index(code);

	return i < 0 ? NULL : &cat_indicators[i];
}

int cat_is_survey(const struct cat_indicator *ind)
{
	return ind->method == METHOD_MEAN || ind->method == METHOD_SHARE ||
	       ind->method == METHOD_PAIRED || ind->method == METHOD_WELCH;
}

const char *cat_dimension_code(enum cat_dimension d)
{
	return d < DIM_COUNT ? dimension_codes[d] : "";
}

int cat_dimension_find(const char *code)
{
	int d;

	for (d = 0; d < DIM_COUNT; d++)
		if (strcmp(dimension_codes[d], code) == 0)
			return d;
	return -1;
}

const char *cat_polarity_name(enum cat_polarity p)
{
	switch (p) {
	case POL_HIGHER:
		return "higher";
	case POL_LOWER:
		return "lower";
	default:
		return "neutral";
	}
}

const char *cat_level_name(enum cat_level l)
{
	switch (l) {
	case CAT_POLICY:
		return "policy";
	case CAT_NEIGHBOURHOOD:
		return "neighbourhood";
	default:
		return "agreement";
	}
}
