/* Unit tests of server/route.c: hand-written request targets and the
 * targets they are read as (http.h lists the resources). No server, no
 * database: route_parse is given the decoded path and the query arguments
 * as libmicrohttpd would hand them over. */
#include "check_main.h"

#include "err.h"
#include "route.h"

#include <string.h>

/* The query of a request: "name=value" or "name" (no "=": present without
 * a value), NULL-terminated. */
static int lookup(void *ctx, const char *name, const char **value)
{
	const char *const *a = ctx;
	size_t n = strlen(name);

	*value = NULL;
	for (; a && *a; a++)
		if (strncmp(*a, name, n) == 0 && ((*a)[n] == '=' || (*a)[n] == '\0')) {
			*value = (*a)[n] == '=' ? *a + n + 1 : NULL;
			return 1;
		}
	return 0;
}

/* Routes `url` with the query `args` (NULL: none) into *t. */
static int parse(const char *url, const char *const *args, struct target *t)
{
	memset(t, 0, sizeof(*t));
	return route_parse(url, lookup, (void *)args, t);
}

START_TEST(test_route_root_and_api_lists)
{
	struct target t;
	const char *const page[] = {"limit=5", "after=2018-Q3", NULL};

	ck_assert_int_eq(parse("/", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_PAGE);
	ck_assert_int_eq(parse("/api/v1/policies", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_POLICIES);
	ck_assert_int_eq(parse("/api/v1/openapi.json", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_OPENAPI);
	/* without ?limit a listing pages by API_LIMIT_DEFAULT (100) */
	ck_assert_int_eq(parse("/api/v1/policies/QUA/periods", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_PERIODS);
	ck_assert_str_eq(t.code, "QUA");
	ck_assert_int_eq(t.limit, 100);
	ck_assert_str_eq(t.after, "");
	ck_assert_int_eq(parse("/api/v1/policies/QUA/periods", page, &t), 0);
	ck_assert_int_eq(t.limit, 5);
	ck_assert_str_eq(t.after, "2018-Q3");
	ck_assert_int_eq(parse("/api/v1/policies/QUA/periods/2018-Q4/agreements", page, &t), 0);
	ck_assert_int_eq(t.kind, T_AGREEMENTS);
	ck_assert_str_eq(t.period, "2018-Q4");
	/* an agreements' cursor is a code: "2018-Q3" is one as well */
	ck_assert_str_eq(t.after, "2018-Q3");
}
END_TEST

START_TEST(test_route_scorecards)
{
	struct target t;
	const char *const rev3[] = {"revision=3", NULL};

	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_SCORECARD);
	ck_assert_int_eq(t.level, API_POLICY);
	ck_assert_int_eq(t.format, API_JSON);
	ck_assert_int_eq(t.revision, 0);
	ck_assert_int_eq(parse("/api/v1/agreements/A-1/scorecards/2018-Q4.pdf", rev3, &t), 0);
	ck_assert_int_eq(t.level, API_AGREEMENT);
	ck_assert_str_eq(t.code, "A-1");
	ck_assert_int_eq(t.format, API_PDF);
	ck_assert_int_eq(t.revision, 3);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4.csv", NULL, &t), 0);
	ck_assert_int_eq(t.format, API_CSV);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4.dcat.json", NULL, &t), 0);
	ck_assert_int_eq(t.format, API_DCAT);
	/* open data is a policy's only */
	ck_assert_int_eq(parse("/api/v1/agreements/A-1/scorecards/2018-Q4.csv", NULL, &t),
			 ERR_NOTFOUND);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4.xml", NULL, &t),
			 ERR_NOTFOUND);
}
END_TEST

START_TEST(test_route_neighbourhood_api)
{
	struct target t;
	const char *const rev2[] = {"revision=2", NULL};

	ck_assert_int_eq(
		parse("/api/v1/policies/QUA/neighbourhoods/N01/scorecards/2018-Q4", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_SCORECARD);
	ck_assert_int_eq(t.neighbourhood, 1);
	ck_assert_str_eq(t.policy, "QUA");
	ck_assert_str_eq(t.code, "N01");
	ck_assert_str_eq(t.period, "2018-Q4");
	ck_assert_int_eq(t.format, API_JSON);
	ck_assert_int_eq(t.revision, 0);
	ck_assert_int_eq(
		parse("/api/v1/policies/QUA/neighbourhoods/N01/scorecards/2018-Q4.pdf", rev2, &t),
		0);
	ck_assert_int_eq(t.format, API_PDF);
	ck_assert_int_eq(t.revision, 2);
	/* open data is published per policy period, not per neighbourhood */
	ck_assert_int_eq(
		parse("/api/v1/policies/QUA/neighbourhoods/N01/scorecards/2018-Q4.csv", NULL, &t),
		ERR_NOTFOUND);
	/* an agreement has no neighbourhoods */
	ck_assert_int_eq(
		parse("/api/v1/agreements/A1/neighbourhoods/N01/scorecards/2018-Q4", NULL, &t),
		ERR_NOTFOUND);
	ck_assert_int_eq(
		parse("/api/v1/policies/QUA/neighbourhoods/N%01/scorecards/2018-Q4", NULL, &t),
		ERR_USAGE);
}
END_TEST

START_TEST(test_route_pages)
{
	struct target t;
	const char *const rev2[] = {"revision=2", NULL};

	ck_assert_int_eq(parse("/QUA/", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_POLICY_PAGE);
	ck_assert_str_eq(t.code, "QUA");
	/* /QUA/2018-Q4 → 2018-Q4/, relative to /QUA/ */
	ck_assert_int_eq(parse("/QUA/2018-Q4", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_REDIRECT);
	ck_assert_str_eq(t.location, "2018-Q4/");
	ck_assert_int_eq(parse("/QUA/2018-Q4/", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_STORED);
	ck_assert_str_eq(t.path, "index.html");
	ck_assert_int_eq(parse("/QUA/2018-Q4/ranking/2.html", NULL, &t), 0);
	ck_assert_str_eq(t.path, "ranking/2.html");
	ck_assert_int_eq(parse("/QUA/2018-Q4/ranking/02.html", NULL, &t), ERR_NOTFOUND);
	/* a page is named by its policy: t.code is the policy's */
	ck_assert_int_eq(parse("/QUA/2018-Q4/agreements/A1.html", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_STORED);
	ck_assert_str_eq(t.code, "QUA");
	ck_assert_str_eq(t.path, "agreements/A1.html");
	ck_assert_int_eq(parse("/QUA/2018-Q4/policy.pdf", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_SCORECARD);
	ck_assert_int_eq(t.level, API_POLICY);
	ck_assert_int_eq(t.format, API_PDF);
	/* /{policy}/{period}/{agreement}/ → ../agreements/{agreement}.html,
	 * keeping ?revision */
	ck_assert_int_eq(parse("/QUA/2018-Q4/A1/", rev2, &t), 0);
	ck_assert_int_eq(t.kind, T_REDIRECT);
	ck_assert_str_eq(t.location, "../agreements/A1.html?revision=2");
}
END_TEST

START_TEST(test_route_neighbourhood_pages)
{
	struct target t;
	const char *const rev2[] = {"revision=2", NULL};

	ck_assert_int_eq(parse("/QUA/2018-Q4/neighbourhoods/N01.html", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_STORED);
	ck_assert_str_eq(t.code, "QUA");
	ck_assert_str_eq(t.period, "2018-Q4");
	ck_assert_str_eq(t.path, "neighbourhoods/N01.html");
	ck_assert_int_eq(t.revision, 0);
	/* revision/N/ in the path: the revision's own pages */
	ck_assert_int_eq(parse("/QUA/2018-Q4/revision/2/neighbourhoods/N01.pdf", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_SCORECARD);
	ck_assert_int_eq(t.neighbourhood, 1);
	ck_assert_str_eq(t.policy, "QUA");
	ck_assert_str_eq(t.code, "N01");
	ck_assert_int_eq(t.format, API_PDF);
	ck_assert_int_eq(t.revision, 2);
	/* {code}/ → ../{code}.html, relative to neighbourhoods/{code}/ */
	ck_assert_int_eq(parse("/QUA/2018-Q4/neighbourhoods/N01/", rev2, &t), 0);
	ck_assert_int_eq(t.kind, T_REDIRECT);
	ck_assert_str_eq(t.location, "../N01.html?revision=2");
	/* inside revision/N/ the path names the revision: no query to keep */
	ck_assert_int_eq(parse("/QUA/2018-Q4/revision/2/neighbourhoods/N01/", NULL, &t), 0);
	ck_assert_str_eq(t.location, "../N01.html");
	ck_assert_int_eq(parse("/QUA/2018-Q4/neighbourhoods/N01.txt", NULL, &t), ERR_NOTFOUND);
	ck_assert_int_eq(parse("/QUA/2018-Q4/neighbourhoods/N 1.html", NULL, &t), ERR_NOTFOUND);
}
END_TEST

START_TEST(test_route_search)
{
	struct target t;
	const char *const q[] = {"q= \tparco nord \r\n", "policy=QUA", NULL};
	const char *const bad_policy[] = {"policy=Q/A", NULL};
	char text[2 + 4 * 101 + 1] = "q=";
	const char *const long_q[] = {text, NULL};
	int i;

	ck_assert_int_eq(parse("/search", NULL, &t), 0);
	ck_assert_int_eq(t.kind, T_SEARCH);
	ck_assert_str_eq(t.query, "");
	ck_assert_str_eq(t.code, "");
	/* the blanks around the text go, the ones inside stay */
	ck_assert_int_eq(parse("/search", q, &t), 0);
	ck_assert_str_eq(t.query, "parco nord");
	ck_assert_str_eq(t.code, "QUA");
	ck_assert_int_eq(parse("/search", bad_policy, &t), ERR_USAGE);
	/* 100 × "à" (2 bytes each) is 100 characters: allowed; 101 is not */
	for (i = 0; i < 100; i++)
		strcat(text, "\xC3\xA0");
	ck_assert_int_eq(parse("/search", long_q, &t), 0);
	ck_assert_int_eq(strlen(t.query), 200);
	strcat(text, "a");
	ck_assert_int_eq(parse("/search", long_q, &t), ERR_USAGE);
	/* a lone continuation byte is not UTF-8 */
	text[2] = '\x80';
	text[3] = '\0';
	ck_assert_int_eq(parse("/search", long_q, &t), ERR_USAGE);
}
END_TEST

START_TEST(test_route_malformed)
{
	struct target t;
	const char *const rev0[] = {"revision=0", NULL};
	const char *const rev01[] = {"revision=01", NULL};
	const char *const rev_bare[] = {"revision", NULL};
	const char *const limit[] = {"limit=1001", NULL};
	const char *const after[] = {"after=2018-Q5", NULL};
	/* 65 characters: one more than a code may hold */
	const char *long_code = "/api/v1/policies/"
				"ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDE"
				"/periods";

	ck_assert_int_eq(parse("/\xff", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("api/v1/policies", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse(long_code, NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/Q%2FA/periods", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q5", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/18-Q4", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4", rev0, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4", rev01, &t), ERR_USAGE);
	/* ?revision without a value is malformed, not absent */
	ck_assert_int_eq(parse("/api/v1/policies/QUA/scorecards/2018-Q4", rev_bare, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/QUA/2018-Q4/revision/0/index.html", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/periods", limit, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/policies/QUA/periods", after, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v2/policies", NULL, &t), ERR_NOTFOUND);
	ck_assert_int_eq(parse("/QUA", NULL, &t), ERR_NOTFOUND);
}
END_TEST

START_TEST(test_route_dot_segments)
{
	struct target t;

	ck_assert_int_eq(parse("/api/v1/../v1/policies", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/api/v1/./policies", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/QUA/2018-Q4/agreements/..", NULL, &t), ERR_USAGE);
	/* checked past the eight segments a route can use, too */
	ck_assert_int_eq(parse("/a/b/c/d/e/f/g/h/i/..", NULL, &t), ERR_USAGE);
	ck_assert_int_eq(parse("/a/b/c/d/e/f/g/h/i/j", NULL, &t), ERR_NOTFOUND);
	/* a dot inside a segment is a character like any other */
	ck_assert_int_eq(parse("/api/v1/agreements/A..1/scorecards/2018-Q4", NULL, &t), 0);
	ck_assert_str_eq(t.code, "A..1");
}
END_TEST

START_TEST(test_route_key)
{
	struct target t;
	char a[256], b[256];
	const char *const rev2[] = {"revision=2", NULL};

	/* the neighbourhood N01 of QUA and an agreement coded N01 differ */
	ck_assert_int_eq(
		parse("/api/v1/policies/QUA/neighbourhoods/N01/scorecards/2018-Q4.pdf", rev2, &t),
		0);
	route_key(&t, a, sizeof(a));
	ck_assert_str_eq(a, "neighbourhood QUA N01 2018-Q4 pdf 2");
	ck_assert_int_eq(parse("/api/v1/agreements/N01/scorecards/2018-Q4.pdf", rev2, &t), 0);
	route_key(&t, b, sizeof(b));
	ck_assert_str_eq(b, "agreement N01 2018-Q4 pdf 2");
	/* the page and the listing of the same policy differ */
	ck_assert_int_eq(parse("/QUA/2018-Q4/neighbourhoods/N01.html", NULL, &t), 0);
	route_key(&t, a, sizeof(a));
	ck_assert_str_eq(a, "stored QUA 2018-Q4 0 neighbourhoods/N01.html");
}
END_TEST

START_TEST(test_route_accepts_gzip)
{
	/* no header, or codings that are not gzip: the bytes go as they are */
	ck_assert_int_eq(route_accepts_gzip(NULL), 0);
	ck_assert_int_eq(route_accepts_gzip(""), 0);
	ck_assert_int_eq(route_accepts_gzip("identity"), 0);
	ck_assert_int_eq(route_accepts_gzip("br, deflate"), 0);
	ck_assert_int_eq(route_accepts_gzip("gzipped"), 0);
	/* what browsers and curl --compressed send */
	ck_assert_int_eq(route_accepts_gzip("gzip, deflate, br, zstd"), 1);
	ck_assert_int_eq(route_accepts_gzip("deflate, gzip"), 1);
	ck_assert_int_eq(route_accepts_gzip("GZIP"), 1);
	ck_assert_int_eq(route_accepts_gzip("x-gzip"), 1);
	/* a weight: only 0 refuses, in any of its spellings */
	ck_assert_int_eq(route_accepts_gzip("gzip;q=0.5"), 1);
	ck_assert_int_eq(route_accepts_gzip("gzip ; q=0.001"), 1);
	ck_assert_int_eq(route_accepts_gzip("gzip;q=0"), 0);
	ck_assert_int_eq(route_accepts_gzip("gzip; q=0.000, br"), 0);
	ck_assert_int_eq(route_accepts_gzip("gzip;Q=0."), 0);
	ck_assert_int_eq(route_accepts_gzip("br;q=0, gzip;q=1.0"), 1);
	/* "*" stands for every coding not named */
	ck_assert_int_eq(route_accepts_gzip("*"), 1);
	ck_assert_int_eq(route_accepts_gzip("*;q=0"), 0);
	ck_assert_int_eq(route_accepts_gzip("gzip;q=0, *"), 0);
	ck_assert_int_eq(route_accepts_gzip("*;q=0, gzip"), 1);
}
END_TEST

static Suite *route_suite(void)
{
	Suite *s = suite_create("route");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_route_root_and_api_lists);
	tcase_add_test(tc, test_route_scorecards);
	tcase_add_test(tc, test_route_neighbourhood_api);
	tcase_add_test(tc, test_route_pages);
	tcase_add_test(tc, test_route_neighbourhood_pages);
	tcase_add_test(tc, test_route_search);
	tcase_add_test(tc, test_route_malformed);
	tcase_add_test(tc, test_route_dot_segments);
	tcase_add_test(tc, test_route_key);
	tcase_add_test(tc, test_route_accepts_gzip);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(route_suite)
