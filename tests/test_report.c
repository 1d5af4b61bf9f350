/* report: the cruscotto binary end to end on the bundled demo — import,
 * report, the seed's published figures — and its behaviour on bad input. */
#include "check_main.h"
#include "config.h"
#include "err.h"
#include "run.h"
#include "testdb.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEMO CR_SOURCE_ROOT "/data/demo"

/* A fresh database with the demo imported through the binary. */
static void demo_db(char **conninfo, db **conn)
{
	char *err = NULL;
	int rc;

	testdb_create(conninfo, conn);
	rc = testdb_run(
		(const char *[]){"cruscotto", "import", "-q", "--db", *conninfo, DEMO, NULL}, NULL,
		NULL, &err);
	ck_assert_msg(rc == 0, "import of the demo failed (%d): %s", rc, err);
	free(err);
}

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/crtest_report_XXXXXX";

	ck_assert(mkdtemp(tmpl) != NULL);
	return strdup(tmpl);
}

static void remove_tree(const char *path)
{
	char *argv[] = {"rm", "-rf", (char *)path, NULL};
	pid_t pid = fork();

	if (pid == 0) {
		execvp("rm", argv);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0)
		;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	ck_assert(fread(buf, 1, n, f) == (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Number of entries of a folder, "." and ".." excluded. */
static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static double value_of(cJSON *doc, const char *code)
{
	cJSON *ind = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(doc, "indicators"), code);
	cJSON *v = cJSON_GetObjectItemCaseSensitive(ind, "value");

	ck_assert_msg(cJSON_IsNumber(v), "%s has no numeric value", code);
	return v->valuedouble;
}

START_TEST(test_report_demo_reproduces_seed_figures)
{
	char *ci, *out = make_tmpdir(), *err = NULL, path[512], *json;
	db *c;
	cJSON *doc;
	int rc;

	demo_db(&ci, &c);
	rc = testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci, "--policy", "QUA",
					 "--period", "2018-Q4", "--out", out, "--format", "json",
					 NULL},
			NULL, NULL, &err);
	ck_assert_msg(rc == 0, "report failed (%d): %s", rc, err);
	snprintf(path, sizeof(path), "%s/QUA/2018-Q4/policy.json", out);
	json = slurp(path);
	doc = cJSON_Parse(json);
	ck_assert(doc != NULL);
	/* The seed slides ("I primi 25 accordi di cittadinanza"), as of 2018-12-31:
	 * 25 agreements signed, 2.415 participants, 134.893 inhabitants of the
	 * areas involved, 695 signatories = 375 associations + 300 volunteers +
	 * 20 businesses, 154 projects = 131 community care + 23 city care,
	 * 520.800 € for community-care projects, 1.290.000 € for city-care
	 * projects of which 590.000 € committed. data/demo/README.md derives each
	 * from the CSV files. */
	ck_assert_double_eq(value_of(doc, "out.agreements_signed"), 25);
	ck_assert_double_eq(value_of(doc, "out.participants"), 2415);
	ck_assert_double_eq(value_of(doc, "out.population"), 134893);
	ck_assert_double_eq(value_of(doc, "out.signatories"), 695);
	ck_assert_double_eq(value_of(doc, "out.signatories.association"), 375);
	ck_assert_double_eq(value_of(doc, "out.signatories.volunteer"), 300);
	ck_assert_double_eq(value_of(doc, "out.signatories.business"), 20);
	ck_assert_double_eq(value_of(doc, "out.projects"), 154);
	ck_assert_double_eq(value_of(doc, "out.projects.community_care"), 131);
	ck_assert_double_eq(value_of(doc, "out.projects.city_care"), 23);
	ck_assert_double_eq(value_of(doc, "eff.allocated_eur.community_care"), 520800);
	ck_assert_double_eq(value_of(doc, "eff.allocated_eur.city_care"), 1290000);
	ck_assert_double_eq(value_of(doc, "eff.committed_eur.city_care"), 590000);
	/* participation rate: 2415 / 134893 × 1000 = 17.90307... */
	ck_assert_double_eq_tol(value_of(doc, "out.participation_rate"), 2415.0 / 134893 * 1000,
				1e-9);
	ck_assert_str_eq(cJSON_GetObjectItem(doc, "format")->valuestring, "cruscotto.scorecard/1");
	ck_assert_str_eq(cJSON_GetObjectItem(doc, "level")->valuestring, "policy");
	ck_assert(cJSON_IsObject(cJSON_GetObjectItem(doc, "sensitivity")));
	/* one scorecard per agreement in scope: QUA-01 ... QUA-25 */
	snprintf(path, sizeof(path), "%s/QUA/2018-Q4/agreements", out);
	ck_assert_int_eq(count_entries(path), 25);
	cJSON_Delete(doc);
	free(json);
	free(err);
	remove_tree(out);
	free(out);
	testdb_drop(ci, c);
}
END_TEST

/* Runs a report that must fail, and checks the exit code, the single
 * stderr line and that the output folder is exactly as before (one marker
 * file). */
static void failing_report(const char *ci, const char *const *extra, int want_rc,
			   const char *want_err)
{
	char *out = make_tmpdir(), *err = NULL, marker[512];
	const char *argv[32] = {"cruscotto", "report", "-q", "--db", ci, "--out", out};
	int n = 7, rc;
	FILE *f;

	snprintf(marker, sizeof(marker), "%s/keep.txt", out);
	f = fopen(marker, "w");
	ck_assert(f != NULL);
	fputs("before\n", f);
	fclose(f);
	while (*extra)
		argv[n++] = *extra++;
	argv[n] = NULL;
	rc = testdb_run(argv, NULL, NULL, &err);
	ck_assert_msg(rc == want_rc, "exit %d, expected %d: %s", rc, want_rc, err);
	ck_assert_str_eq(err, want_err);
	ck_assert_int_eq(count_entries(out), 1);
	free(err);
	remove_tree(out);
	free(out);
}

START_TEST(test_report_bad_input_writes_nothing)
{
	char *ci;
	db *c;

	demo_db(&ci, &c);
	failing_report(ci, (const char *[]){"--policy", "NOPE", "--period", "2018-Q4", NULL}, 1,
		       "cruscotto: unknown policy NOPE\n");
	failing_report(ci, (const char *[]){"--policy", "QUA", "--period", "2018-Q5", NULL}, 2,
		       "cruscotto: period 2018-Q5: the year must be 1900-9999 and the quarter "
		       "1-4\n");
	failing_report(ci, (const char *[]){"--policy", "QUA", "--period", "2018Q4", NULL}, 2,
		       "cruscotto: period 2018Q4 is not of the form YYYY-Qn (e.g. 2018-Q4)\n");
	/* QUA started on 2015-03-02 (policies.csv): 2014-Q4 ends on 2014-12-31 */
	failing_report(ci, (const char *[]){"--policy", "QUA", "--period", "2014-Q4", NULL}, 1,
		       "cruscotto: period 2014-Q4 ends before policy QUA started (2015-03-02)\n");
	failing_report(ci,
		       (const char *[]){"--policy", "QUA", "--period", "2018-Q4", "--agreement",
					"QUA-99", NULL},
		       1,
		       "cruscotto: agreement QUA-99 is not an agreement of policy QUA in scope at "
		       "2018-12-31\n");
	failing_report(
		ci,
		(const char *[]){"--policy", "QUA", "--period", "2018-Q4", "--format", "doc", NULL},
		2, "cruscotto: unknown format doc (a list of pdf, json, csv)\n");
	testdb_drop(ci, c);
}
END_TEST

START_TEST(test_report_identical_data_identical_files)
{
	char *ci, *a = make_tmpdir(), *b = make_tmpdir(), pa[512], pb[512], *x, *y;
	db *c;
	int i;
	static const char *const files[] = {"policy.json", "policy.pdf", "agreements/QUA-16.json",
					    "agreements/QUA-16.pdf"};

	demo_db(&ci, &c);
	ck_assert_int_eq(
		testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci, "--policy",
					    "QUA", "--period", "2018-Q4", "--out", a, NULL},
			   NULL, NULL, NULL),
		0);
	ck_assert_int_eq(
		testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci, "--policy",
					    "QUA", "--period", "2018-Q4", "--out", b, NULL},
			   NULL, NULL, NULL),
		0);
	for (i = 0; i < 4; i++) {
		struct stat sa, sb;

		snprintf(pa, sizeof(pa), "%s/QUA/2018-Q4/%s", a, files[i]);
		snprintf(pb, sizeof(pb), "%s/QUA/2018-Q4/%s", b, files[i]);
		ck_assert_msg(stat(pa, &sa) == 0 && stat(pb, &sb) == 0, "%s missing", files[i]);
		ck_assert_msg(sa.st_size == sb.st_size, "%s differs in size", files[i]);
		x = slurp(pa);
		y = slurp(pb);
		ck_assert_msg(memcmp(x, y, sa.st_size) == 0, "%s differs", files[i]);
		free(x);
		free(y);
	}
	remove_tree(a);
	remove_tree(b);
	free(a);
	free(b);
	testdb_drop(ci, c);
}
END_TEST

START_TEST(test_report_locale_override)
{
	char *ci, *out = make_tmpdir(), path[512], *json;
	db *c;
	cJSON *doc, *ind;

	demo_db(&ci, &c);
	ck_assert_int_eq(
		testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci, "--policy",
					    "QUA", "--period", "2018-Q4", "--out", out, "--format",
					    "json", "--locale", "en", NULL},
			   NULL, NULL, NULL),
		0);
	snprintf(path, sizeof(path), "%s/QUA/2018-Q4/policy.json", out);
	json = slurp(path);
	doc = cJSON_Parse(json);
	ck_assert_str_eq(cJSON_GetObjectItem(doc, "locale")->valuestring, "en");
	ind = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "indicators"), "out.participants");
	/* the catalogue's English label of out.participants */
	ck_assert_str_eq(cJSON_GetObjectItem(ind, "label")->valuestring, "Participants");
	cJSON_Delete(doc);
	free(json);
	remove_tree(out);
	free(out);
	testdb_drop(ci, c);
}
END_TEST

/* The database goes away in the middle of a run: the server ends the
 * session after the connection was made; the run fails with ERR_DB. */
START_TEST(test_report_database_lost)
{
	char *ci, *pid;
	db *c, *killer = NULL;
	struct ind_result *r = NULL;
	const char *params[1];
	rows *res = NULL;

	demo_db(&ci, &c);
	pid = testdb_value(c, "SELECT pg_backend_pid()::text");
	ck_assert(db_connect(ci, &killer) == 0);
	params[0] = pid;
	ck_assert(db_exec(killer, "SELECT pg_terminate_backend($1::integer)", 1, params, &res) ==
		  0);
	rows_free(res);
	ck_assert_int_eq(
		run_compute(c, &(struct run_options){.policy = "QUA", .period = "2018-Q4"}, &r),
		ERR_DB);
	ck_assert_msg(strncmp(err_last(), "database connection lost", 24) == 0, "%s", err_last());
	ck_assert(r == NULL);
	db_close(killer);
	free(pid);
	testdb_drop(ci, c);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_report_demo_reproduces_seed_figures);
	tcase_add_test(tc, test_report_bad_input_writes_nothing);
	tcase_add_test(tc, test_report_identical_data_identical_files);
	tcase_add_test(tc, test_report_locale_override);
	tcase_add_test(tc, test_report_database_lost);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(report_suite)
