/* Unit tests of reports/method: the methodology as JSON, parsed back, with
 * counts worked out by hand from the catalogue table of the specification
 * (docs/METHOD.md, "Catalogue"), not from the program's own catalogue. */
#include "check_main.h"

#include "catalogue.h"
#include "err.h"
#include "method.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The JSON of `locale` (NULL: both), parsed. */
static cJSON *method_json(const char *locale)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cJSON *root;

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(rep_method_write_json(f, locale) == 0, "%s", err_last());
	fclose(f);
	root = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(root);
	return root;
}

/* Indicators of the document whose "levels" hold `level`. */
static int count_level(const cJSON *inds, const char *level)
{
	const cJSON *ind, *l;
	int n = 0;

	cJSON_ArrayForEach(ind, inds)
	{
		cJSON_ArrayForEach(l, cJSON_GetObjectItem(ind, "levels"))
		{
			if (strcmp(l->valuestring, level) == 0)
				n++;
		}
	}
	return n;
}

START_TEST(test_method_indicator_counts)
{
	cJSON *root = method_json(NULL);
	const cJSON *inds = cJSON_GetObjectItem(root, "indicators");

	/* The spec's tables, breakdowns counted as indicators:
	 * output 9 rows + 3 signatory kinds + 2 project kinds = 14;
	 * efficiency 10 rows + 2 × 3 budget breakdowns = 16;
	 * effectiveness 4; social impact 5; organisational impact 6:
	 * 14 + 16 + 4 + 5 + 6 = 45. */
	ck_assert_int_eq(cJSON_GetArraySize(inds), 45);
	/* level A: all but out.agreements_signed (P only): 45 - 1 = 44;
	 * level P: all but soc.new_partners_share (A only): 45 - 1 = 44;
	 * level N: every P indicator ("Territory level N"): 44 */
	ck_assert_int_eq(count_level(inds, "agreement"), 44);
	ck_assert_int_eq(count_level(inds, "policy"), 44);
	ck_assert_int_eq(count_level(inds, "neighbourhood"), 44);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(root, "dimensions")), 5);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_method_every_indicator_defined)
{
	cJSON *root = method_json(NULL);
	const cJSON *ind;
	int survey = 0;

	cJSON_ArrayForEach(ind, cJSON_GetObjectItem(root, "indicators"))
	{
		const cJSON *def = cJSON_GetObjectItem(ind, "definition");
		const cJSON *label = cJSON_GetObjectItem(ind, "label");
		const char *code = cJSON_GetObjectItem(ind, "code")->valuestring;
		const char *stat = cJSON_GetObjectItem(ind, "statistic")->valuestring;

		ck_assert_msg(strlen(cJSON_GetObjectItem(def, "it")->valuestring) > 0, "%s", code);
		ck_assert_msg(strlen(cJSON_GetObjectItem(def, "en")->valuestring) > 0, "%s", code);
		ck_assert_msg(strlen(cJSON_GetObjectItem(label, "it")->valuestring) > 0, "%s",
			      code);
		ck_assert_msg(strlen(cJSON_GetObjectItem(label, "en")->valuestring) > 0, "%s",
			      code);
		survey += strcmp(stat, "mean") == 0 || strcmp(stat, "share") == 0 ||
			  strcmp(stat, "paired") == 0 || strcmp(stat, "welch") == 0;
	}
	/* survey-based (suppression applies): the three means
	 * (eft.agreement_quality, eft.satisfaction, org.culture_score), the two
	 * shares (eft.satisfied_share, soc.relationship_improved_share), the
	 * paired change and the Welch difference: 3 + 2 + 1 + 1 = 7 */
	ck_assert_int_eq(survey, 7);
	cJSON_Delete(root);
}
END_TEST

/* cat_index finds every code at its own place and nothing else: codes
 * differ from each other (the search would find either of two equal ones),
 * and a prefix, a longer text or another case is not a code. */
START_TEST(test_method_codes_found_by_index)
{
	int i, j;

	for (i = 0; i < cat_count; i++) {
		ck_assert_int_eq(cat_index(cat_indicators[i].code), i);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(cat_indicators[i].code, cat_indicators[j].code);
	}
	ck_assert_ptr_eq(cat_find("out.participants"), &cat_indicators[IND_OUT_PARTICIPANTS]);
	ck_assert_int_eq(cat_index("out."), -1);
	ck_assert_int_eq(cat_index("out.participantsx"), -1);
	ck_assert_int_eq(cat_index("OUT.PARTICIPANTS"), -1);
	ck_assert_int_eq(cat_index(""), -1);
	ck_assert_ptr_null(cat_find("eff.unknown_eur"));
}
END_TEST

START_TEST(test_method_sections_and_locale)
{
	static const char *const ids[] = {"periods",	   "territory", "survey_statistics",
					  "suppression",   "evidence",	"targets",
					  "decision_model"};
	cJSON *root = method_json("en");
	const cJSON *sections = cJSON_GetObjectItem(root, "sections"), *s, *first;
	int i = 0;

	ck_assert_int_eq(cJSON_GetArraySize(sections), 7);
	cJSON_ArrayForEach(s, sections)
	{
		ck_assert_str_eq(cJSON_GetObjectItem(s, "id")->valuestring, ids[i++]);
		ck_assert_int_gt(cJSON_GetArraySize(cJSON_GetObjectItem(s, "rules")), 0);
	}
	/* one locale asked for: texts carry that key only */
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "indicators"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(first, "code")->valuestring, "out.agreements_signed");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(first, "label"), "en")->valuestring,
		"Citizenship agreements signed");
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(first, "label"), "it"));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(root, "locales")), 1);
	cJSON_Delete(root);
}
END_TEST

Suite *method_suite(void)
{
	Suite *s = suite_create("method");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_method_indicator_counts);
	tcase_add_test(tc, test_method_every_indicator_defined);
	tcase_add_test(tc, test_method_sections_and_locale);
	tcase_add_test(tc, test_method_codes_found_by_index);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(method_suite)
