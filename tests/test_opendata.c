/* csv: the open-data table and its DCAT-AP_IT metadata, rendered from
 * scorecards built by hand and checked byte for byte where it matters:
 * RFC 4180 quoting of titles with commas, quotes and line breaks, full
 * precision numbers, empty suppressed cells. */
#include "check_main.h"
#include "opendata.h"
#include "err.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_num(struct sc_num *n, double v)
{
	n->set = 1;
	n->v = v;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

static void fill(struct scorecard *sc, const char *agreement, const char *title)
{
	struct sc_indicator *x;

	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Quartieri in comune");
	sc->locale = xstrdup("it");
	if (agreement) {
		sc->agreement_code = xstrdup(agreement);
		sc->agreement_title = xstrdup(title);
	}
	snprintf(sc->period, sizeof(sc->period), "2024-Q2");
	snprintf(sc->period_start, sizeof(sc->period_start), "2024-04-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2024-06-30");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2024-Q1");

	x = sc_get(sc, "out.participants");
	set_num(&x->value, 2415);
	set_num(&x->previous, 2301);
	set_num(&x->target, 2500);
	x->status = ST_AMBER;
	set_num(&x->normalised, 96.6);

	x = sc_get(sc, "eff.leverage");
	set_num(&x->value, 0.1 + 0.2);
	set_num(&x->previous, 2.0 / 3.0);

	x = sc_get(sc, "eft.satisfaction");
	x->suppressed = 1;
	x->suppression = SUP_SECONDARY;
	set_num(&x->value, 4.2);
	set_num(&x->previous, 4.0);
	set_num(&x->n, 3);
	set_num(&x->ci_low, 3.0);
	set_num(&x->ci_high, 5.0);
	set_num(&x->target, 4.0);
	x->status = ST_GREEN;
	set_num(&x->normalised, 100);
}

static int present(const struct scorecard *sc)
{
	int i, n = 0;

	for (i = 0; i < cat_count; i++)
		n += sc->ind[i].present != 0;
	return n;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

START_TEST(test_opendata_rows_and_quoting)
{
	static const char header[] =
		"policy,level,code,title,period,indicator,dimension,unit,value,previous,delta,n,"
		"ci_low,ci_high,suppressed,suppression,target,status,normalised\r\n";
	struct scorecard *pol = NULL, *agr = NULL;
	char *csv = NULL;
	size_t len = 0;

	ck_assert_int_eq(sc_new(CAT_POLICY, &pol), 0);
	ck_assert_int_eq(sc_new(CAT_AGREEMENT, &agr), 0);
	fill(pol, NULL, NULL);
	fill(agr, "QUA-07", "Parco \"Nord\", via Roma\nlotto 2");
	ck_assert_int_eq(rep_csv_render(pol, &agr, 1, &csv, &len), 0);
	ck_assert_uint_eq(len, strlen(csv));
	/* the header, in the documented order */
	ck_assert(strncmp(csv, header, strlen(header)) == 0);
	/* delta = 2415 - 2301 = 114; no interval, not suppressed */
	ck_assert_ptr_nonnull(strstr(csv, "\r\nQUA,policy,,Quartieri in comune,2024-Q2,"
					  "out.participants,output,count,2415,2301,114,,,,false,,"
					  "2500,amber,96.6\r\n"));
	/* 0.1 + 0.2 is 0.30000000000000004, 2/3 is 0.6666666666666666 and
	 * their difference -0.3666666666666666: the shortest forms that read
	 * back as the same doubles; no target: empty target, status none */
	ck_assert_ptr_nonnull(strstr(csv, ",eff.leverage,efficiency,ratio,0.30000000000000004,"
					  "0.6666666666666666,-0.3666666666666666,,,,false,,,none,"
					  "\r\n"));
	/* the title is quoted, its quotes doubled, its line break kept; the
	 * suppressed value, delta, interval and score are empty, the status
	 * none, the previous value and n stay as in the JSON */
	ck_assert_ptr_nonnull(strstr(csv,
				     "\r\nQUA,agreement,QUA-07,\"Parco \"\"Nord\"\", via Roma\n"
				     "lotto 2\",2024-Q2,eft.satisfaction,effectiveness,score,,4,"
				     ",3,,,true,secondary,4,none,\r\n"));
	/* one row per present indicator of each card, and the header */
	ck_assert_int_eq(count(csv, "\r\n"), 1 + present(pol) + present(agr));
	ck_assert_int_eq(count(csv, "\r\nQUA,policy,"), present(pol));
	ck_assert_int_eq(count(csv, "\r\nQUA,agreement,QUA-07,"), present(agr));
	free(csv);
	sc_free(pol);
	sc_free(agr);
}
END_TEST

/* A neighbourhood's rows: level neighbourhood, its code and name, one row
 * per policy indicator, after the cards added before it. */
START_TEST(test_opendata_neighbourhood_rows)
{
	struct scorecard *pol = NULL, *nb = NULL;
	struct rep_csv *t = NULL;
	char *csv = NULL;
	size_t len = 0;

	ck_assert_int_eq(sc_new(CAT_POLICY, &pol), 0);
	ck_assert_int_eq(sc_new(CAT_NEIGHBOURHOOD, &nb), 0);
	fill(pol, NULL, NULL);
	fill(nb, NULL, NULL);
	nb->neighbourhood.code = xstrdup("CEN");
	nb->neighbourhood.name = xstrdup("Centro, storico");
	ck_assert_int_eq(rep_csv_begin(&t), 0);
	rep_csv_add(t, pol);
	rep_csv_add(t, nb);
	ck_assert_int_eq(rep_csv_finish(t, &csv, &len), 0);
	/* the name quoted for its comma; same figures as the policy's here */
	ck_assert_ptr_nonnull(strstr(csv, "\r\nQUA,neighbourhood,CEN,\"Centro, storico\",2024-Q2,"
					  "out.participants,output,count,2415,2301,114,,,,false,,"
					  "2500,amber,96.6\r\n"));
	ck_assert_int_eq(count(csv, "\r\nQUA,neighbourhood,CEN,"), present(nb));
	ck_assert_int_eq(present(nb), present(pol)); /* every policy indicator */
	ck_assert(strstr(csv, "\r\nQUA,policy,") < strstr(csv, "\r\nQUA,neighbourhood,"));
	free(csv);
	sc_free(pol);
	sc_free(nb);
}
END_TEST

START_TEST(test_opendata_dcat_fields)
{
	struct rep_dcat d = {"2024-07-01", "2024-07-15",
			     "/api/v1/policies/QUA/scorecards/2024-Q2.csv"};
	struct scorecard *pol = NULL;
	cJSON *root, *dist;
	char *text = NULL;

	ck_assert_int_eq(sc_new(CAT_POLICY, &pol), 0);
	fill(pol, NULL, NULL);
	ck_assert_int_eq(rep_dcat_render(pol, &d, &text), 0);
	/* compact, one line */
	ck_assert_ptr_eq(strchr(text, '\n'), text + strlen(text) - 1);
	root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(cJSON_GetObjectItem(root, "issued")->valuestring, "2024-07-01");
	ck_assert_str_eq(cJSON_GetObjectItem(root, "modified")->valuestring, "2024-07-15");
	ck_assert_str_eq(cJSON_GetObjectItem(root, "license")->valuestring,
			 "https://creativecommons.org/licenses/by/4.0/");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(root, "publisher"), "name")->valuestring,
		"Quartieri in comune");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(root, "temporal"), "end")->valuestring,
		"2024-06-30");
	ck_assert_ptr_nonnull(
		strstr(cJSON_GetObjectItem(root, "title")->valuestring, "Quartieri in comune"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(root, "description")->valuestring);
	dist = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "distribution"), 0);
	ck_assert_ptr_nonnull(dist);
	ck_assert_str_eq(cJSON_GetObjectItem(dist, "format")->valuestring, "CSV");
	ck_assert_str_eq(cJSON_GetObjectItem(dist, "mediaType")->valuestring, "text/csv");
	ck_assert_str_eq(cJSON_GetObjectItem(dist, "downloadURL")->valuestring,
			 "/api/v1/policies/QUA/scorecards/2024-Q2.csv");
	cJSON_Delete(root);
	free(text);
	sc_free(pol);
}
END_TEST

static Suite *opendata_suite(void)
{
	Suite *s = suite_create("opendata");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_opendata_rows_and_quoting);
	tcase_add_test(tc, test_opendata_dcat_fields);
	tcase_add_test(tc, test_opendata_neighbourhood_rows);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(opendata_suite)
