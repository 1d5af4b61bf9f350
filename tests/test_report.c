/* report: the cruscotto binary end to end on the bundled demo — import,
 * report, the seed's published figures — and its behaviour on bad input. */
#include "check_main.h"
#include "catalogue.h"
#include "config.h"
#include "err.h"
#include "run.h"
#include "testdb.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
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

/* The codes of a scorecard's "evidence" list, space-separated, into buf. */
static const char *evidence_codes(cJSON *doc, char *buf, size_t size)
{
	cJSON *e;

	buf[0] = '\0';
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc, "evidence"))
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "",
			 cJSON_GetObjectItemCaseSensitive(e, "code")->valuestring);
	return buf;
}

static double evidence_total(cJSON *doc)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "evidence_total");

	ck_assert(cJSON_IsNumber(t));
	return t->valuedouble;
}

/* A scorecard that `report` wrote under out/QUA/<period>/, parsed. */
static cJSON *card_json(const char *out, const char *period, const char *file)
{
	char path[512], *json;
	cJSON *doc;

	snprintf(path, sizeof(path), "%s/QUA/%s/%s", out, period, file);
	json = slurp(path);
	doc = cJSON_Parse(json);
	ck_assert_msg(doc != NULL, "%s is not JSON", path);
	free(json);
	return doc;
}

/* Counts the UTF-8 characters of s. */
static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

START_TEST(test_report_demo_evidence)
{
	char *ci, *out = make_tmpdir(), *err = NULL, buf[512];
	const char *periods[] = {"2018-Q4", "2018-Q2"};
	cJSON *doc, *e;
	db *c;
	int rc, i;

	demo_db(&ci, &c);
	for (i = 0; i < 2; i++) {
		rc = testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci,
						 "--policy", "QUA", "--period", periods[i], "--out",
						 out, "--format", "json", NULL},
				NULL, NULL, &err);
		ck_assert_msg(rc == 0, "report failed (%d): %s", rc, err);
		free(err);
		err = NULL;
	}
	/* data/demo/evidence.csv: 22 records, QUA-EV-001 (2017-10-17) to
	 * QUA-EV-022 (2018-12-18), one per row in date order. At 2018-Q4
	 * (2018-10-01..12-31) the policy lists QUA-EV-016 (10-09) to QUA-EV-022,
	 * newest first, out of all 22 recorded by 12-31. */
	doc = card_json(out, "2018-Q4", "policy.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)),
			 "QUA-EV-022 QUA-EV-021 QUA-EV-020 QUA-EV-019 QUA-EV-018 QUA-EV-017 "
			 "QUA-EV-016");
	ck_assert_double_eq(evidence_total(doc), 22);
	cJSON_Delete(doc);
	/* QUA-16: its interview QUA-EV-005 (2018-02-08) before the quarter, its
	 * observation QUA-EV-018 (11-06) within it: one listed, two recorded;
	 * an observation has no participants and no neighbourhood */
	doc = card_json(out, "2018-Q4", "agreements/QUA-16.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)), "QUA-EV-018");
	ck_assert_double_eq(evidence_total(doc), 2);
	e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "evidence"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "kind")->valuestring, "observation");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "recorded_on")->valuestring,
			 "2018-11-06");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "title")->valuestring,
			 "Parco Nilde Iotti: la festa d'autunno");
	ck_assert_str_eq(
		cJSON_GetObjectItemCaseSensitive(e, "summary")->valuestring,
		"Circa duecento presenze nel pomeriggio; stand di sette associazioni dei "
		"due quartieri.\nMolte famiglie nuove al parco; i volontari più anziani si "
		"sono occupati della cucina.");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "participants")));
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "agreement")->valuestring, "QUA-16");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(e, "neighbourhood")));
	cJSON_Delete(doc);
	/* QUA-25: the interview QUA-EV-020 of 1 participant (2018-11-27) */
	doc = card_json(out, "2018-Q4", "agreements/QUA-25.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)), "QUA-EV-020");
	ck_assert_double_eq(evidence_total(doc), 1);
	e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "evidence"), 0);
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(e, "participants")->valuedouble, 1);
	cJSON_Delete(doc);
	/* QUA-13: only QUA-EV-002 (2017-11-21): none listed, one recorded */
	doc = card_json(out, "2018-Q4", "agreements/QUA-13.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)), "");
	ck_assert_double_eq(evidence_total(doc), 1);
	cJSON_Delete(doc);
	/* QUA-01 has none at all */
	doc = card_json(out, "2018-Q4", "agreements/QUA-01.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)), "");
	ck_assert_double_eq(evidence_total(doc), 0);
	cJSON_Delete(doc);
	/* 2018-Q2 (04-01..06-30): QUA-EV-008 (04-17) to QUA-EV-011 (06-12),
	 * newest first, out of QUA-EV-001..011 recorded by 06-30; QUA-EV-008 is
	 * Pieve Modolena's focus group of 10, its summary five paragraphs of
	 * 1,678 characters (1,693 bytes: 15 accented letters) */
	doc = card_json(out, "2018-Q2", "policy.json");
	ck_assert_str_eq(evidence_codes(doc, buf, sizeof(buf)),
			 "QUA-EV-011 QUA-EV-010 QUA-EV-009 QUA-EV-008");
	ck_assert_double_eq(evidence_total(doc), 11);
	e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "evidence"), 3);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(e, "neighbourhood")->valuestring, "PIE");
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(e, "participants")->valuedouble, 10);
	ck_assert_int_eq(utf8_chars(cJSON_GetObjectItemCaseSensitive(e, "summary")->valuestring),
			 1678);
	cJSON_Delete(doc);
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
		       1, "cruscotto: unknown agreement QUA-99\n");
	failing_report(
		ci,
		(const char *[]){"--policy", "QUA", "--period", "2018-Q4", "--format", "doc", NULL},
		2, "cruscotto: unknown format doc (a list of pdf, json, html, csv)\n");
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

/* ---- the subtraction attack -------------------------------------------------- */

/* What the published JSON tells about one survey indicator of one entity at
 * one quarter, gathered over every scorecard and every place (value,
 * previous, trend) that shows it. */
struct seen {
	int seen;     /* shown somewhere */
	int withheld; /* shown as null */
	double value; /* when not withheld */
	int has_n;    /* n is published for that quarter (a run's own period) */
	double n;
};

#define ATTACK_CODES 16
#define ATTACK_PERIODS 32
#define ATTACK_ENTITIES 64 /* agreements, then the policy */

struct attack {
	const char *codes[ATTACK_CODES];
	int ncodes;
	char periods[ATTACK_PERIODS][8];
	int nperiods;
	char agreements[ATTACK_ENTITIES][16];
	char lab[ATTACK_ENTITIES][11];
	int na;
	struct seen grid[ATTACK_CODES][ATTACK_PERIODS][ATTACK_ENTITIES + 1];
	int conflicts;
};

static int attack_period(struct attack *a, const char *period)
{
	int i;

	for (i = 0; i < a->nperiods; i++)
		if (strcmp(a->periods[i], period) == 0)
			return i;
	ck_assert(a->nperiods < ATTACK_PERIODS);
	snprintf(a->periods[a->nperiods], sizeof(a->periods[0]), "%s", period);
	return a->nperiods++;
}

/* The last day of quarter YYYY-Qn. */
static void quarter_end(const char *period, char out[11])
{
	static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};
	int y = 0, q = 0;

	ck_assert(sscanf(period, "%d-Q%d", &y, &q) == 2 && q >= 1 && q <= 4);
	snprintf(out, 11, "%04d-%s", y, ends[q - 1]);
}

/* One published sighting of a cell; two sightings of the same cell must
 * agree (the same rule at the same date). */
static void attack_see(struct attack *a, int ci, const char *period, int ent, const cJSON *value,
		       const cJSON *n)
{
	struct seen *s = &a->grid[ci][attack_period(a, period)][ent];
	int withheld = !cJSON_IsNumber(value);

	if (s->seen && (s->withheld != withheld || (!withheld && s->value != value->valuedouble)))
		a->conflicts++;
	s->seen = 1;
	s->withheld = withheld;
	if (!withheld)
		s->value = value->valuedouble;
	if (cJSON_IsNumber(n)) {
		s->has_n = 1;
		s->n = n->valuedouble;
	}
}

static cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* Every survey cell one scorecard shows: its own value and n at the period,
 * its previous value, its trend values. */
static void attack_read(struct attack *a, const char *path, int ent)
{
	char *json = slurp(path);
	cJSON *doc = cJSON_Parse(json), *inds, *t;
	const char *period, *previous;
	int ci;

	ck_assert_msg(doc != NULL, "%s is not JSON", path);
	inds = get(doc, "indicators");
	period = get(get(doc, "period"), "id")->valuestring;
	previous = get(get(doc, "period"), "previous")->valuestring;
	for (ci = 0; ci < a->ncodes; ci++) {
		cJSON *x = get(inds, a->codes[ci]);

		ck_assert_msg(x != NULL, "%s: no %s", path, a->codes[ci]);
		attack_see(a, ci, period, ent, get(x, "value"), get(x, "n"));
		attack_see(a, ci, previous, ent, get(x, "previous"), NULL);
		cJSON_ArrayForEach(t, get(doc, "trend"))
		{
			cJSON *v = get(get(t, "values"), a->codes[ci]);

			if (v)
				attack_see(a, ci, get(t, "period")->valuestring, ent, v, NULL);
		}
	}
	cJSON_Delete(doc);
	free(json);
}

/* The agreement scorecards of a run's folder: each agreement's code and lab
 * date (its scope) once, then its cells. */
static void attack_agreements(struct attack *a, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];

	ck_assert_msg(d != NULL, "no %s", dir);
	while ((e = readdir(d))) {
		char *json;
		cJSON *doc, *ag;
		int i;

		if (!strstr(e->d_name, ".json"))
			continue;
		ck_assert((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) <
			  sizeof(path));
		json = slurp(path);
		doc = cJSON_Parse(json);
		ag = get(doc, "agreement");
		for (i = 0; i < a->na; i++)
			if (strcmp(a->agreements[i], get(ag, "code")->valuestring) == 0)
				break;
		if (i == a->na) {
			ck_assert(a->na < ATTACK_ENTITIES);
			snprintf(a->agreements[i], sizeof(a->agreements[0]), "%s",
				 get(ag, "code")->valuestring);
			snprintf(a->lab[i], sizeof(a->lab[0]), "%s",
				 get(ag, "lab_started_on")->valuestring);
			a->na++;
		}
		cJSON_Delete(doc);
		free(json);
		attack_read(a, path, i);
	}
	closedir(d);
}

/* The attacker's arithmetic on one indicator at one quarter. Returns 1 and
 * describes the leak in `why` when a withheld agreement cell is not
 * protected: either it is the only withheld in-scope agreement while the
 * policy's value is published (then, n being known, its value comes out as
 * (policy value × policy n − Σ published value × n) / its n), or the
 * withheld ones hold fewer than min_cell respondents together (Welch: fewer
 * than 2 × min_cell, as n = n0 + n1 and each must reach min_cell): their
 * pooled value comes out the same way. */
static int attack_leaks(const struct attack *a, int ci, int pi, int min_cell, char *why,
			size_t size)
{
	const struct seen *row = a->grid[ci][pi], *pol = &row[ATTACK_ENTITIES];
	const char *period = a->periods[pi];
	int welch = cat_find(a->codes[ci])->method == METHOD_WELCH;
	int i, withheld = 0, last = -1, all_n = pol->has_n;
	double sum = pol->value * pol->n, wn = 0;
	char end[11];

	if (!pol->seen)
		return 0; /* a quarter this indicator is not shown at (trends show a few) */
	quarter_end(period, end);
	for (i = 0; i < a->na; i++) {
		if (strcmp(a->lab[i], end) > 0)
			continue; /* not in scope then: not pooled by the policy */
		ck_assert_msg(row[i].seen, "%s of %s at %s is shown nowhere", a->codes[ci],
			      a->agreements[i], period);
		all_n = all_n && row[i].has_n;
		if (row[i].withheld) {
			withheld++;
			last = i;
			wn += row[i].n;
		} else {
			sum -= row[i].value * row[i].n;
		}
	}
	if (withheld == 0 || pol->withheld)
		return 0;
	if (withheld == 1) {
		if (all_n && row[last].n > 0)
			snprintf(why, size, "%s of %s at %s = %.6g (n %.0f) by subtraction",
				 a->codes[ci], a->agreements[last], period, sum / row[last].n,
				 row[last].n);
		else
			snprintf(why, size, "%s of %s at %s: the only withheld agreement",
				 a->codes[ci], a->agreements[last], period);
		return 1;
	}
	if (all_n && wn < (welch ? 2.0 : 1.0) * min_cell) {
		snprintf(why, size,
			 "%s at %s: %d withheld agreements hold only n %.0f, their pooled value "
			 "%.6g comes out by subtraction",
			 a->codes[ci], period, withheld, wn, wn > 0 ? sum / wn : NAN);
		return 1;
	}
	return 0;
}

START_TEST(test_report_no_suppressed_value_recoverable)
{
	/* The demo (min_cell 5) read as an outsider reads the published JSON of
	 * 2018-Q4 and 2018-Q3: for every survey indicator of the agreements and
	 * every quarter shown (the period, the previous quarter, the trend
	 * quarters), the agreements in scope then (lab started on or before the
	 * quarter's end) whose value is withheld must be two or more holding at
	 * least min_cell respondents, or the policy's value must be withheld
	 * too; otherwise subtracting the published agreement values × n from the
	 * policy's value × n gives a withheld value (or the pooled value of a
	 * few respondents) back. The scorecards of the older trend quarters,
	 * 2016-Q4 ... 2018-Q2, are read too: they publish n for their own
	 * quarter, which the attacker needs. */
	static const char *const periods[] = {"2018-Q4", "2018-Q3", "2018-Q2", "2018-Q1", "2017-Q4",
					      "2017-Q3", "2017-Q2", "2017-Q1", "2016-Q4"};
	const int nperiods = (int)(sizeof(periods) / sizeof(periods[0]));
	struct attack *a = calloc(1, sizeof(*a));
	char *ci, *out = make_tmpdir(), *err = NULL, path[512], why[256], first[256] = "";
	db *c;
	int rc, k, cj, pi, leaks = 0, withheld_cells = 0, checked = 0, i;

	for (i = 0; i < cat_count; i++)
		if (cat_is_survey(&cat_indicators[i]) && (cat_indicators[i].levels & CAT_AGREEMENT))
			a->codes[a->ncodes++] = cat_indicators[i].code;
	ck_assert_int_eq(a->ncodes, 7); /* docs/METHOD.md: 3 means, 2 shares, paired, Welch */
	demo_db(&ci, &c);
	for (k = 0; k < nperiods; k++) {
		rc = testdb_run((const char *[]){"cruscotto", "report", "-q", "--db", ci,
						 "--policy", "QUA", "--period", periods[k], "--out",
						 out, "--format", "json", NULL},
				NULL, NULL, &err);
		ck_assert_msg(rc == 0, "report %s failed (%d): %s", periods[k], rc, err);
		free(err);
		snprintf(path, sizeof(path), "%s/QUA/%s/agreements", out, periods[k]);
		attack_agreements(a, path);
		snprintf(path, sizeof(path), "%s/QUA/%s/policy.json", out, periods[k]);
		attack_read(a, path, ATTACK_ENTITIES);
	}
	ck_assert_int_eq(a->na, 25);
	ck_assert_int_eq(a->conflicts, 0);
	for (cj = 0; cj < a->ncodes; cj++)
		for (pi = 0; pi < a->nperiods; pi++) {
			/* only the quarters 2018-Q4's and 2018-Q3's scorecards show:
			 * 2016-Q4 ... 2018-Q4 */
			if (strcmp(a->periods[pi], "2016-Q4") < 0)
				continue;
			for (i = 0; i < a->na; i++)
				withheld_cells +=
					a->grid[cj][pi][i].seen && a->grid[cj][pi][i].withheld;
			checked += a->grid[cj][pi][ATTACK_ENTITIES].seen &&
				   a->grid[cj][pi][ATTACK_ENTITIES].has_n;
			if (attack_leaks(a, cj, pi, 5, why, sizeof(why))) {
				if (!leaks)
					snprintf(first, sizeof(first), "%s", why);
				leaks++;
			}
		}
	/* every one of the 7 indicators at each of the 9 quarters, n known */
	ck_assert_int_eq(checked, 7 * 9);
	/* the attack has something to attack: the demo withholds cells */
	ck_assert_int_gt(withheld_cells, 0);
	ck_assert_msg(leaks == 0, "%d indicator-quarters leak a withheld value, e.g. %s", leaks,
		      first);
	free(a);
	remove_tree(out);
	free(out);
	testdb_drop(ci, c);
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_report_demo_reproduces_seed_figures);
	tcase_add_test(tc, test_report_demo_evidence);
	tcase_add_test(tc, test_report_bad_input_writes_nothing);
	tcase_add_test(tc, test_report_identical_data_identical_files);
	tcase_add_test(tc, test_report_locale_override);
	tcase_add_test(tc, test_report_database_lost);
	tcase_add_test(tc, test_report_no_suppressed_value_recoverable);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(report_suite)
