/* import: `cruscotto import DIR` against a fresh database per test. Each bad
 * input is checked for its exact message and for leaving every table of the
 * schema as it was. */
#include "check_main.h"
#include "err.h"
#include "import.h"
#include "schema.h"
#include "testdb.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *conninfo;
static db *conn;
static char *folders[4];
static int nfolders;

static void setup(void)
{
	testdb_create(&conninfo, &conn);
}

static void teardown(void)
{
	char path[512];
	struct dirent *e;
	DIR *d;
	int i;

	for (i = 0; i < nfolders; i++) {
		d = opendir(folders[i]);
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", folders[i], e->d_name);
			unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(folders[i]);
		free(folders[i]);
	}
	nfolders = 0;
	testdb_drop(conninfo, conn);
	conninfo = NULL;
	conn = NULL;
}

/* Writes `text` to dir/name, byte for byte. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert(fwrite(text, 1, strlen(text), f) == strlen(text));
	ck_assert(fclose(f) == 0);
}

/* A new folder holding `files`: name, text, name, text, ..., NULL. Removed
 * by the teardown. */
static const char *folder(const char *const *files)
{
	char tmpl[] = "/tmp/crimport_XXXXXX";
	int i;

	ck_assert(nfolders < 4);
	ck_assert(mkdtemp(tmpl) != NULL);
	folders[nfolders] = strdup(tmpl);
	for (i = 0; files[i]; i += 2)
		put(tmpl, files[i], files[i + 1]);
	return folders[nfolders++];
}

/* Every table of the schema with its row count, in one query, as text:
 * "agreement=2 agreement_area=0 ...". */
static char *counts(void)
{
	return testdb_value(conn,
			    "SELECT string_agg(table_name || '=' || (xpath('/row/n/text()', "
			    "query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, "
			    "table_name), false, true, '')))[1]::text, ' ' ORDER BY table_name) "
			    "FROM information_schema.tables WHERE table_schema = 'cruscotto' AND "
			    "table_type = 'BASE TABLE'");
}

static void import_ok(const char *dir, int dry_run, struct import_summary *sum)
{
	struct import_options opt = {.dry_run = dry_run, .progress = NULL};

	ck_assert_msg(import_run(conn, dir, &opt, sum) == 0, "%s", err_last());
}

/* The import fails with exactly `msg` and changes no table. */
static void import_fails(const char *dir, const char *msg)
{
	struct import_summary sum;
	char *before = counts(), *after;
	int rc = import_run(conn, dir, NULL, &sum);

	ck_assert_int_eq(rc, ERR_FAIL);
	ck_assert_str_eq(err_last(), msg);
	after = counts();
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}

static void expect_value(const char *sql, const char *expected)
{
	char *v = testdb_value(conn, sql);

	ck_assert_str_eq(v, expected);
	free(v);
}

static void expect_file(const struct import_summary *s, int i, const char *name, long rows,
			long inserted, long updated, long appended)
{
	ck_assert_int_lt(i, s->nfiles);
	ck_assert_str_eq(s->files[i].name, name);
	ck_assert_int_eq(s->files[i].data_rows, rows);
	ck_assert_int_eq(s->files[i].inserted, inserted);
	ck_assert_int_eq(s->files[i].updated, updated);
	ck_assert_int_eq(s->files[i].appended, appended);
}

/* --- a valid folder, every file ------------------------------------------- */

#define POLICIES                                                                                   \
	"code,name,started_on,locale,volunteer_hour_value_eur,min_cell\n"                          \
	"P1,Quartiere bene comune,2015-01-01,it,15.5,5\n"
#define NEIGHBOURHOODS                                                                             \
	"code,name,population\n"                                                                   \
	"N1,Centro storico,12000\n"                                                                \
	"N2,Ospizio,9000\n"
#define AGREEMENTS                                                                                 \
	"code,policy_code,title,lab_started_on,approved_on,signed_on,closed_on,published_on\n"     \
	"A1,P1,Accordo Centro,2016-01-10,2016-03-01,,,\n"                                          \
	"A2,P1,Accordo Ospizio,2016-02-01,2016-04-01,2016-05-01,,\n"
#define SIGNATORIES                                                                                \
	"code,kind,name\n"                                                                         \
	"S1,association,Associazione Amici\n"                                                      \
	"S2,volunteer,Mario Rossi\n"

static const char *const full_folder[] = {
	"policies.csv",
	POLICIES,
	"neighbourhoods.csv",
	NEIGHBOURHOODS,
	"agreements.csv",
	AGREEMENTS,
	"agreement_areas.csv",
	"agreement_code,neighbourhood_code\nA1,N1\nA2,N2\nA2,N1\n",
	"ex_ante.csv",
	"agreement_code,criterion,score,assessed_on\n"
	"A1,feasibility,4,2016-01-20\nA1,relevance,5,2016-01-20\n",
	"signatories.csv",
	SIGNATORIES,
	"signatures.csv",
	"agreement_code,signatory_code,signed_on\nA2,S1,2016-05-01\nA2,S2,2016-05-01\n",
	"projects.csv",
	"code,agreement_code,kind,title,defined_on,completed_on\n"
	"PR1,A2,community_care,Doposcuola,2016-05-10,\n"
	"PR2,A2,city_care,Panchine,2016-05-10,2016-09-30\n",
	"finance.csv",
	"project_code,booked_on,stage,amount_eur\n"
	"PR1,2016-06-01,allocated,5000\nPR1,2016-07-01,committed,4500.50\n"
	"PR2,2016-08-01,spent,-20\n",
	"milestones.csv",
	"code,project_code,title,due_on,achieved_on\nM1,PR1,Avvio,2016-06-30,2016-06-28\n",
	"meetings.csv",
	"code,agreement_code,held_on,kind,hours\n"
	"MT1,A1,2016-01-15,workshop,2.5\nMT2,A2,2016-02-15,assembly,2\n",
	"attendance.csv",
	"meeting_code,person,role\nMT1,p001,citizen\nMT1,p002,association\nMT2,p001,citizen\n",
	"resources.csv",
	"agreement_code,recorded_on,kind,quantity\nA2,2016-06-30,volunteer_hours,120\n",
	"surveys.csv",
	"code,policy_code,agreement_code,instrument,wave,fielded_on\n"
	"SV1,P1,A2,satisfaction,once,2016-10-01\nSV2,P1,,org_culture,T0,2016-01-05\n",
	"responses.csv",
	"survey_code,respondent,item,score\nSV1,r01,q1,4\nSV1,r01,q2,\nSV2,r02,q1,3\n",
	"org_events.csv",
	"policy_code,agreement_code,occurred_on,kind,department,quantity,description\n"
	"P1,A2,2016-09-01,new_solution,Lavori pubblici,,\"Nuova procedura, semplificata\"\n"
	"P1,,2016-10-01,training,Quartieri,12,\n",
	"targets.csv",
	"policy_code,indicator,level,target,amber_ratio\n"
	"P1,out.meetings,policy,20,\nP1,eff.days_to_signature,agreement,90,0.9\n",
	"weights.csv",
	"policy_code,item,weight\nP1,output,2\nP1,eft.satisfaction,1.5\n",
	"notes.txt",
	"not an interchange file\n",
	NULL};

START_TEST(test_import_valid_folder)
{
	struct import_summary s;

	import_ok(folder(full_folder), 0, &s);
	ck_assert_int_eq(s.batch_id, 1);
	ck_assert_int_eq(s.nfiles, 18);
	/* in dependency order, whatever the folder's order */
	expect_file(&s, 0, "policies.csv", 1, 1, 0, 0);
	expect_file(&s, 1, "neighbourhoods.csv", 2, 2, 0, 0);
	expect_file(&s, 2, "agreements.csv", 2, 2, 0, 0);
	expect_file(&s, 3, "agreement_areas.csv", 3, 0, 0, 3);
	expect_file(&s, 4, "ex_ante.csv", 2, 0, 0, 2);
	expect_file(&s, 5, "signatories.csv", 2, 2, 0, 0);
	expect_file(&s, 6, "signatures.csv", 2, 0, 0, 2);
	expect_file(&s, 7, "projects.csv", 2, 2, 0, 0);
	expect_file(&s, 8, "finance.csv", 3, 0, 0, 3);
	expect_file(&s, 9, "milestones.csv", 1, 1, 0, 0);
	expect_file(&s, 10, "meetings.csv", 2, 2, 0, 0);
	expect_file(&s, 11, "attendance.csv", 3, 0, 0, 3);
	expect_file(&s, 12, "resources.csv", 1, 0, 0, 1);
	expect_file(&s, 13, "surveys.csv", 2, 2, 0, 0);
	expect_file(&s, 14, "responses.csv", 3, 0, 0, 3);
	expect_file(&s, 15, "org_events.csv", 2, 0, 0, 2);
	expect_file(&s, 16, "targets.csv", 2, 2, 0, 0);
	expect_file(&s, 17, "weights.csv", 2, 2, 0, 0);
	/* unknown files are mentioned, not read */
	ck_assert_int_eq(s.nignored, 1);
	ck_assert_str_eq(s.ignored[0], "notes.txt");
	/* the defaults of docs/IMPORT.md for empty fields: quantity 1, amber 0.8 */
	expect_value("SELECT string_agg(quantity::text, ',' ORDER BY id) FROM org_event", "1,12");
	expect_value("SELECT amber_ratio::text FROM target WHERE indicator = 'out.meetings'",
		     "0.8");
	expect_value("SELECT coalesce(score::text, 'none') FROM response WHERE item = 'q2'",
		     "none");
	expect_value("SELECT description FROM org_event WHERE quantity = 1",
		     "Nuova procedura, semplificata");
	/* every row records its batch; the batch every file with its SHA-256 */
	expect_value("SELECT count(*) FROM finance WHERE batch_id = 1", "3");
	expect_value(
		"SELECT count(*) FROM batch_file WHERE batch_id = 1 AND sha256 ~ '^[0-9a-f]{64}$'",
		"18");
	/* sha256sum of policies.csv's bytes */
	expect_value("SELECT sha256 FROM batch_file WHERE file = 'policies.csv'",
		     "eb751924ef62904c96244cf3360cd0c2e0cb3af931ff762aff8111681050731e");
	/* vacuumed after the commit: every page of a table written is marked
	 * all-visible (one page each here), which ANALYZE alone leaves at 0 */
	expect_value(
		"SELECT string_agg(relname || ' ' || relallvisible || '/' || relpages, ',' "
		"ORDER BY relname) FROM pg_class WHERE oid IN ('cruscotto.attendance'::regclass, "
		"'cruscotto.response'::regclass)",
		"attendance 1/1,response 1/1");
}
END_TEST

/* --- one test per bad input ------------------------------------------------- */

START_TEST(test_import_missing_required_column)
{
	static const char *const files[] = {"policies.csv", POLICIES, "agreements.csv",
					    "code,policy_code,lab_started_on\nA1,P1,2016-01-10\n",
					    NULL};

	/* a header error is on line 1; a missing column has no position */
	import_fails(folder(files), "agreements.csv:1: required column title is missing");
}
END_TEST

START_TEST(test_import_unknown_column)
{
	static const char *const files[] = {
		"policies.csv",
		"code,name,started_on,colour,volunteer_hour_value_eur\nP1,Q,2015-01-01,red,15\n",
		NULL};

	/* colour is the header's 4th column */
	import_fails(folder(files), "policies.csv:1:4: unknown column colour (the columns are "
				    "code, name, started_on, locale, volunteer_hour_value_eur, "
				    "min_cell)");
}
END_TEST

START_TEST(test_import_repeated_column)
{
	static const char *const files[] = {
		"neighbourhoods.csv", "code,name,population,name\nN1,Centro,10,Centro\n", NULL};

	/* name is the 2nd and the 4th column */
	import_fails(folder(files),
		     "neighbourhoods.csv:1:4: column name is repeated (first in column 2)");
}
END_TEST

START_TEST(test_import_quoted_header)
{
	static const char *const files[] = {"neighbourhoods.csv",
					    "\"code\",name,population\nN1,Centro,10\n", NULL};

	/* the name is shown quoted, its own quotes escaped */
	import_fails(folder(files), "neighbourhoods.csv:1:1: column name \"\\\"code\\\"\" is "
				    "quoted: write the header without quotes");
}
END_TEST

START_TEST(test_import_header_not_utf8)
{
	static const char *const files[] = {"neighbourhoods.csv",
					    "code,n\xe4me,population\nN1,Centro,10\n", NULL};

	/* a Latin-1 byte in the header: shown escaped, the message stays UTF-8 */
	import_fails(folder(files), "neighbourhoods.csv:1:2: unknown column \"n\\xe4me\" (the "
				    "columns are code, name, population)");
}
END_TEST

START_TEST(test_import_wrong_number_of_fields)
{
	static const char *const files[] = {"policies.csv", POLICIES, "agreements.csv",
					    "code,policy_code,title,lab_started_on\n"
					    "A1,P1,Accordo Centro,2016-01-10\n"
					    "A2,P1,Accordo Ospizio,2016-02-01,2016-04-01\n",
					    NULL};

	/* line 3, as COPY counts it: the header is line 1 */
	import_fails(folder(files), "agreements.csv:3: extra data after last expected column");
}
END_TEST

START_TEST(test_import_not_a_number)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"meetings.csv",
		"code,agreement_code,held_on,kind,hours\nMT1,A1,2016-01-15,workshop,two\n",
		NULL};

	/* hours is the 5th column of the header */
	import_fails(folder(files), "meetings.csv:2:5: hours two is not a number");
}
END_TEST

START_TEST(test_import_not_an_integer)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"ex_ante.csv",
		"agreement_code,criterion,score,assessed_on\nA1,feasibility,4.5,2016-01-20\n",
		NULL};

	/* line 2 = the first record; score is the 3rd column */
	import_fails(folder(files), "ex_ante.csv:2:3: score 4.5 is not an integer");
}
END_TEST

START_TEST(test_import_not_a_date)
{
	static const char *const files[] = {
		"policies.csv", POLICIES, "agreements.csv",
		"code,policy_code,title,lab_started_on,approved_on,signed_on\n"
		"A1,P1,Accordo Centro,2016-01-10,,\n"
		"A2,P1,Accordo Ospizio,2016-02-01,2016-04-01,01/05/2016\n",
		NULL};

	/* signed_on is the 6th column; the wrong form is told from a wrong day */
	import_fails(folder(files),
		     "agreements.csv:3:6: signed_on 01/05/2016 is not of the form YYYY-MM-DD");
}
END_TEST

START_TEST(test_import_impossible_date)
{
	static const char *const files[] = {
		"policies.csv", POLICIES, "agreements.csv",
		"code,policy_code,title,lab_started_on,approved_on,signed_on\n"
		"A1,P1,Accordo Centro,2016-01-10,,\n"
		"A2,P1,Accordo Ospizio,2019-01-01,,2019-02-30\n",
		NULL};

	/* A2 is on line 3, signed_on its 6th column: the form is right, the day
	 * does not exist */
	import_fails(folder(files), "agreements.csv:3:6: signed_on 2019-02-30 is not a date");
}
END_TEST

START_TEST(test_import_unknown_enum)
{
	static const char *const files[] = {
		"signatories.csv", "code,kind,name\nS1,association,Amici\nS2,company,Ditta\n",
		NULL};

	/* S2 on line 3, kind the 2nd column */
	import_fails(folder(files), "signatories.csv:3:2: kind company is not one of association, "
				    "volunteer, business, other");
}
END_TEST

START_TEST(test_import_score_out_of_range)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"ex_ante.csv",
		"agreement_code,criterion,score,assessed_on\n"
		"A1,feasibility,4,2016-01-20\nA1,relevance,7,2016-01-20\n",
		NULL};

	/* the second record (line 3), score the 3rd column */
	import_fails(folder(files), "ex_ante.csv:3:3: score 7 is out of range 1-5");
}
END_TEST

START_TEST(test_import_negative_population)
{
	static const char *const files[] = {
		"neighbourhoods.csv", "code,name,population\nN1,Centro,12000\nN2,Ospizio,-5\n",
		NULL};

	/* N2 on line 3, population the 3rd column */
	import_fails(folder(files), "neighbourhoods.csv:3:3: population -5 must be >= 0");
}
END_TEST

START_TEST(test_import_unknown_reference_same_import)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"signatories.csv",
		SIGNATORIES,
		"signatures.csv",
		"agreement_code,signatory_code,signed_on\n"
		"A2,S1,2016-05-01\nA2,S2,2016-05-01\nA1,S1,2016-05-02\nA99,S2,2016-05-02\n",
		NULL};

	/* A1 and A2 come from agreements.csv of the same import; A99 from nowhere */
	import_fails(folder(files), "signatures.csv:5:1: agreement_code A99 does not name an "
				    "agreement");
}
END_TEST

START_TEST(test_import_unknown_reference_across_imports)
{
	static const char *const first[] = {"policies.csv", POLICIES, "agreements.csv", AGREEMENTS,
					    NULL};
	static const char *const second[] = {
		"projects.csv",
		"code,agreement_code,kind,title,defined_on,completed_on\n"
		"PR1,A2,community_care,Doposcuola,2016-05-10,\n"
		"PR2,A3,city_care,Panchine,2016-05-10,\n",
		NULL};
	struct import_summary s;

	import_ok(folder(first), 0, &s);
	/* A2 is in the database since the first import; A3 (line 3, column 2)
	 * is not */
	import_fails(folder(second), "projects.csv:3:2: agreement_code A3 does not name an "
				     "agreement");
}
END_TEST

START_TEST(test_import_duplicate_code)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"projects.csv",
		"code,agreement_code,kind,title,defined_on,completed_on\n"
		"P001,A1,city_care,Uno,2016-05-10,\n"
		"P002,A1,city_care,Due,2016-05-10,\n"
		"P007,A1,city_care,Sette,2016-05-10,\n"
		"P003,A1,city_care,Tre,2016-05-10,\n"
		"P004,A1,city_care,Quattro,2016-05-10,\n"
		"P005,A1,city_care,Cinque,2016-05-10,\n"
		"P006,A1,city_care,Sei,2016-05-10,\n"
		"P007,A1,city_care,Sette bis,2016-05-10,\n",
		NULL};

	/* P007 on lines 4 and 9 (header = line 1) */
	import_fails(folder(files), "projects.csv:9:1: code P007 is repeated (first on line 4)");
}
END_TEST

START_TEST(test_import_duplicate_pair)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"meetings.csv",
		"code,agreement_code,held_on,kind,hours\nMT1,A1,2016-01-15,workshop,2\n",
		"attendance.csv",
		"meeting_code,person,role\nMT1,p1,citizen\nMT1,p1,staff\n",
		NULL};

	/* (MT1, p1) on lines 2 and 3; reported on the key's first column */
	import_fails(folder(files), "attendance.csv:3:1: meeting_code MT1 is repeated with the "
				    "same person (first on line 2)");
}
END_TEST

START_TEST(test_import_fact_already_imported)
{
	struct import_summary s;
	static const char *const second[] = {"attendance.csv",
					     "meeting_code,person,role\nMT2,p002,citizen\n"
					     "MT1,p001,staff\n",
					     NULL};

	import_ok(folder(full_folder), 0, &s);
	/* (MT1, p001) came with batch 1: a fact file carries only new facts */
	import_fails(folder(second), "attendance.csv:3:1: meeting_code MT1 is already in the "
				     "database with the same person (batch 1)");
}
END_TEST

START_TEST(test_import_same_folder_twice)
{
	struct import_summary s;
	const char *dir = folder(full_folder);
	char *when, expected[256];

	import_ok(dir, 0, &s);
	ck_assert_int_eq(s.batch_id, 1);
	when = testdb_value(conn, "SELECT date_trunc('second', imported_at)::text FROM batch");
	snprintf(expected, sizeof(expected),
		 "policies.csv: identical to the file imported in batch 1 (%s): nothing imported",
		 when);
	/* refused at the first file: nothing is counted twice */
	import_fails(dir, expected);
	expect_value("SELECT count(*) FROM finance", "3");
	expect_value("SELECT count(*) FROM batch", "1");
	free(when);
}
END_TEST

START_TEST(test_import_dates_out_of_order)
{
	static const char *const files[] = {
		"policies.csv", POLICIES, "agreements.csv",
		"code,policy_code,title,lab_started_on,approved_on,signed_on\n"
		"A1,P1,Accordo Centro,2016-01-10,2016-03-01,\n"
		"A2,P1,Accordo Ospizio,2016-02-01,2016-04-01,2016-03-15\n",
		NULL};

	/* A2 (line 3) signed on 2016-03-15, before its approval (the 6th column
	 * is the later date, so it is the one named) */
	import_fails(folder(files), "agreements.csv:3:6: signed_on 2016-03-15 is before "
				    "approved_on 2016-04-01");
}
END_TEST

START_TEST(test_import_completed_before_defined)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"projects.csv",
		"completed_on,code,agreement_code,kind,title,defined_on\n"
		"2016-04-30,PR1,A1,city_care,Panchine,2016-05-10\n",
		NULL};

	/* the column order is the file's: completed_on is its 1st column */
	import_fails(folder(files), "projects.csv:2:1: completed_on 2016-04-30 is before "
				    "defined_on 2016-05-10");
}
END_TEST

START_TEST(test_import_invalid_utf8)
{
	static const char *const files[] = {"neighbourhoods.csv",
					    "code,name,population\nN1,Centro,12000\nN2,Osp\xff"
					    "zio,9000\n",
					    NULL};

	/* COPY's own message, with the line its CONTEXT names (N2 on line 3) */
	import_fails(folder(files),
		     "neighbourhoods.csv:3: invalid byte sequence for encoding \"UTF8\": 0xff");
}
END_TEST

START_TEST(test_import_no_header)
{
	static const char *const files[] = {
		"policies.csv", "P1,Quartiere bene comune,2015-01-01,it,15.5,5\n", NULL};

	/* the first line is data: its first field is taken for a column name */
	import_fails(folder(files),
		     "policies.csv:1:1: unknown column P1 (the columns are code, "
		     "name, started_on, locale, volunteer_hour_value_eur, min_cell)");
}
END_TEST

START_TEST(test_import_survey_policy_mismatch)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES "P2,Altra politica,2017-01-01,en,10,\n",
		"agreements.csv",
		AGREEMENTS,
		"surveys.csv",
		"code,policy_code,agreement_code,instrument,wave,fielded_on\n"
		"SV1,P2,A2,satisfaction,once,2016-10-01\n",
		NULL};

	/* A2 belongs to P1 (agreements.csv); policy_code is the 2nd column */
	import_fails(folder(files), "surveys.csv:2:2: policy_code P2 is not the policy of "
				    "agreement A2 (P1)");
}
END_TEST

START_TEST(test_import_target_on_neutral_indicator)
{
	static const char *const files[] = {
		"policies.csv", POLICIES, "targets.csv",
		"policy_code,indicator,level,target\nP1,out.meetings,policy,20\n"
		"P1,eff.spent_eur,policy,1000\n",
		NULL};

	/* out.meetings (line 2) is fine; eff.spent_eur is neutral in the
	 * catalogue */
	import_fails(folder(files),
		     "targets.csv:3:2: indicator eff.spent_eur is neutral and takes no target");
}
END_TEST

/* Targets at level neighbourhood: a policy indicator is accepted; one that
 * exists at agreement level only (soc.new_partners_share) is refused, as is
 * an unknown level. */
START_TEST(test_import_target_at_neighbourhood_level)
{
	static const char *const ok[] = {"policies.csv", POLICIES, "targets.csv",
					 "policy_code,indicator,level,target,amber_ratio\n"
					 "P1,out.participation_rate,neighbourhood,20,0.85\n"
					 "P1,out.participation_rate,policy,25,\n",
					 NULL};
	static const char *const agreement_only[] = {
		"policies.csv", POLICIES, "targets.csv",
		"policy_code,indicator,level,target\nP1,out.participants,neighbourhood,100\n"
		"P1,soc.new_partners_share,neighbourhood,50\n",
		NULL};
	static const char *const level[] = {
		"policies.csv", POLICIES, "targets.csv",
		"policy_code,indicator,level,target\nP1,out.participants,quartiere,100\n", NULL};
	struct import_summary sum;

	import_fails(folder(agreement_only), "targets.csv:3:2: indicator soc.new_partners_share is "
					     "not an indicator at level neighbourhood");
	import_fails(folder(level), "targets.csv:2:3: level quartiere is not one of agreement, "
				    "neighbourhood, policy");
	import_ok(folder(ok), 0, &sum);
	expect_value("SELECT string_agg(level || ' ' || target || ' ' || amber_ratio, ','"
		     " ORDER BY level) FROM cruscotto.target",
		     "neighbourhood 20 0.85,policy 25 0.8");
}
END_TEST

START_TEST(test_import_weight_unknown_item)
{
	static const char *const files[] = {"policies.csv", POLICIES, "weights.csv",
					    "policy_code,item,weight\nP1,outputs,2\n", NULL};

	/* the dimension is "output" */
	import_fails(folder(files), "weights.csv:2:2: item outputs is neither a catalogue "
				    "indicator nor a dimension");
}
END_TEST

START_TEST(test_import_end_of_data_marker)
{
	static const char *const files[] = {
		"neighbourhoods.csv",
		"code,name,population\nN1,Centro,12000\n\\.\nN2,Ospizio,9000\n", NULL};

	/* COPY would stop at \. and drop N2 without a word */
	import_fails(folder(files), "neighbourhoods.csv:3: a line holding only \\. is not allowed "
				    "(PostgreSQL's COPY would take it for the end of the data)");
}
END_TEST

START_TEST(test_import_end_of_data_marker_across_reads)
{
	static const char *const none[] = {NULL};
	const char *dir = folder(none);
	char text[4200], expected[200];
	size_t len;
	long lines = 1;
	int k = 0;

	/* The file arrives in reads; the first ends after byte 4095. Rows fill the
	 * file so that the "\" of a "\." line is byte 4095 and its "." byte 4096:
	 * the line is refused even though no single read holds it whole. */
	len = (size_t)snprintf(text, sizeof(text), "code,name,population\n");
	while (len < 4094 - 40)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "N%03d,Quartiere,100\n",
					k++);
	/* a last row "NPAD,xxx...,1\n" ending exactly at byte 4094 */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "NPAD,%0*d,1\n",
				(int)(4094 - len - strlen("NPAD,,1\n")), 0);
	ck_assert_uint_eq(len, 4094);
	snprintf(text + len, sizeof(text) - len, "\\.\nNZ,Fine,5\n");
	/* the header, the k rows and the pad row come before the marker line */
	lines += k + 1 + 1;
	put(dir, "neighbourhoods.csv", text);
	snprintf(expected, sizeof(expected),
		 "neighbourhoods.csv:%ld: a line holding only \\. is not allowed "
		 "(PostgreSQL's COPY would take it for the end of the data)",
		 lines);
	import_fails(dir, expected);
}
END_TEST

/* The writer of a named pipe: opens it once a reader is there, writes the
 * text, closes. Gives up after about ten seconds without a reader. */
struct pipe_writer {
	char path[512];
	const char *text;
	int opened;
};

static void *write_pipe(void *arg)
{
	struct pipe_writer *w = arg;
	int fd = -1, tries;

	for (tries = 0; tries < 10000 && fd < 0; tries++) {
		fd = open(w->path, O_WRONLY | O_NONBLOCK);
		if (fd < 0)
			usleep(1000);
	}
	if (fd < 0)
		return NULL;
	w->opened = 1;
	/* blocking again: the reader takes the text at its own pace */
	fcntl(fd, F_SETFL, 0);
	if (write(fd, w->text, strlen(w->text)) != (ssize_t)strlen(w->text))
		w->opened = 2;
	close(fd);
	return NULL;
}

START_TEST(test_import_reads_each_file_once)
{
	static const char *const none[] = {NULL};
	struct pipe_writer w = {.text = "code,name,population\nN1,Centro,12000\nN2,Ospizio,9000\n"};
	struct import_summary s;
	const char *dir = folder(none);
	pthread_t t;

	/* A named pipe can be read only once: the import succeeds only if the
	 * header, the rows and the SHA-256 all come from one reading, so the
	 * hash recorded is always that of the rows loaded. */
	snprintf(w.path, sizeof(w.path), "%s/neighbourhoods.csv", dir);
	ck_assert(mkfifo(w.path, 0600) == 0);
	ck_assert(pthread_create(&t, NULL, write_pipe, &w) == 0);
	import_ok(dir, 0, &s);
	ck_assert(pthread_join(t, NULL) == 0);
	ck_assert_int_eq(w.opened, 1);
	expect_value("SELECT string_agg(code || ':' || population, ' ' ORDER BY code) FROM "
		     "neighbourhood",
		     "N1:12000 N2:9000");
	/* printf 'code,name,population\nN1,Centro,12000\nN2,Ospizio,9000\n' | sha256sum */
	expect_value("SELECT sha256 FROM batch_file WHERE file = 'neighbourhoods.csv'",
		     "6a9aa543153d650e246fa16e4c0d8047fece432fbc045dd45237ad02bd260c86");
}
END_TEST

START_TEST(test_import_schema_not_initialised)
{
	static const char *const files[] = {"policies.csv", POLICIES, NULL};
	struct import_summary s;
	char expected[200];

	/* a schema newer than the binary: this cruscotto cannot know its rules */
	ck_assert(db_exec(conn,
			  "UPDATE schema_version SET version = 99 WHERE version = (SELECT "
			  "max(version) FROM schema_version)",
			  0, NULL, NULL) == 0);
	ck_assert_int_eq(import_run(conn, folder(files), NULL, &s), ERR_FAIL);
	snprintf(expected, sizeof(expected),
		 "the database has schema version 99, newer than this cruscotto's %d: use a "
		 "newer cruscotto",
		 schema_binary_version());
	ck_assert_str_eq(err_last(), expected);
	ck_assert(db_exec(conn, "DROP SCHEMA cruscotto CASCADE", 0, NULL, NULL) == 0);
	ck_assert_int_eq(import_run(conn, folder(files), NULL, &s), ERR_FAIL);
	ck_assert_str_eq(err_last(),
			 "the database has no cruscotto schema: run `cruscotto init` first");
}
END_TEST

START_TEST(test_import_no_interchange_file)
{
	static const char *const files[] = {"Policies.CSV", POLICIES, NULL};
	const char *dir = folder(files);
	struct import_summary s;
	char expected[256];

	snprintf(expected, sizeof(expected),
		 "%s holds none of the interchange files (policies.csv, agreements.csv, ...: see "
		 "docs/IMPORT.md)",
		 dir);
	import_fails(dir, expected);
	ck_assert_int_eq(import_run(conn, "/nonexistent/folder", NULL, &s), ERR_FAIL);
	ck_assert_str_eq(err_last(),
			 "cannot open folder /nonexistent/folder: No such file or directory");
}
END_TEST

/* --- valid cases ------------------------------------------------------------- */

START_TEST(test_import_update_keeps_history)
{
	static const char *const first[] = {"policies.csv", POLICIES, "agreements.csv", AGREEMENTS,
					    NULL};
	/* a quarter later: A1 has been signed; A2 is unchanged */
	static const char *const second[] = {
		"agreements.csv",
		"code,policy_code,title,lab_started_on,approved_on,signed_on,closed_on,published_"
		"on\n"
		"A1,P1,Accordo Centro,2016-01-10,2016-03-01,2016-06-01,,\n"
		"A2,P1,Accordo Ospizio,2016-02-01,2016-04-01,2016-05-01,,\n",
		NULL};
	struct import_summary s;

	import_ok(folder(first), 0, &s);
	import_ok(folder(second), 0, &s);
	ck_assert_int_eq(s.batch_id, 2);
	/* A1 updated; A2 unchanged, so neither inserted nor updated */
	expect_file(&s, 0, "agreements.csv", 2, 0, 1, 0);
	expect_value("SELECT signed_on::text FROM agreement WHERE code = 'A1'", "2016-06-01");
	/* the changed row carries the new batch, the unchanged one its own */
	expect_value("SELECT string_agg(batch_id::text, ',' ORDER BY code) FROM agreement", "2,1");
	expect_value("SELECT count(*) FROM history", "1");
	expect_value(
		"SELECT table_name || ' ' || key::text || ' ' || old_values::text || ' -> ' || "
		"new_values::text || ' batch ' || batch_id FROM history",
		"agreement {\"code\": \"A1\"} {\"signed_on\": null} -> {\"signed_on\": "
		"\"2016-06-01\"} batch 2");
}
END_TEST

START_TEST(test_import_embedded_newline)
{
	/* A1's title holds a newline: its record takes lines 2-3, A2 line 4
	 * and A3 line 5 */
	static const char *const bad[] = {"policies.csv", POLICIES, "agreements.csv",
					  "code,policy_code,title,lab_started_on\n"
					  "A1,P1,\"Accordo\nCentro\",2016-01-10\n"
					  "A2,P1,\"Accordo, Ospizio\",2016-02-01\n"
					  "A3,P1,Accordo Pieve,2016-13-01\n",
					  NULL};
	static const char *const good[] = {"policies.csv", POLICIES, "agreements.csv",
					   "code,policy_code,title,lab_started_on\n"
					   "A1,P1,\"Accordo\nCentro\",2016-01-10\n"
					   "A2,P1,\"Accordo, Ospizio\",2016-02-01\n",
					   NULL};
	struct import_summary s;

	/* A3 starts on physical line 5, not 4: A1 took two lines */
	import_fails(folder(bad), "agreements.csv:5:4: lab_started_on 2016-13-01 is not a date");
	import_ok(folder(good), 0, &s);
	expect_file(&s, 1, "agreements.csv", 2, 2, 0, 0);
	expect_value("SELECT title FROM agreement WHERE code = 'A1'", "Accordo\nCentro");
}
END_TEST

START_TEST(test_import_header_only)
{
	static const char *const files[] = {"policies.csv", POLICIES, "signatures.csv",
					    "agreement_code,signatory_code,signed_on\n", NULL};
	static const char *const again[] = {"signatures.csv",
					    "agreement_code,signatory_code,signed_on\n", NULL};
	struct import_summary s;

	import_ok(folder(files), 0, &s);
	expect_file(&s, 1, "signatures.csv", 0, 0, 0, 0);
	/* the same header-only file again is not refused: it holds no record */
	import_ok(folder(again), 0, &s);
	ck_assert_int_eq(s.batch_id, 2);
	expect_file(&s, 0, "signatures.csv", 0, 0, 0, 0);
}
END_TEST

START_TEST(test_import_dry_run)
{
	struct import_summary s;
	char *before = counts(), *after;

	import_ok(folder(full_folder), 1, &s);
	ck_assert_int_eq(s.batch_id, 0);
	expect_file(&s, 2, "agreements.csv", 2, 2, 0, 0);
	expect_file(&s, 8, "finance.csv", 3, 0, 0, 3);
	after = counts();
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
}
END_TEST

/* --- the schema holds the rules for rows written directly in SQL -------------- */

static void sql_refused(const char *sql, const char *msg)
{
	ck_assert_int_eq(db_exec(conn, sql, 0, NULL, NULL), ERR_FAIL);
	ck_assert_str_eq(err_last(), msg);
}

START_TEST(test_import_schema_refuses_direct_sql)
{
	static const char *const files[] = {"policies.csv", POLICIES, "agreements.csv", AGREEMENTS,
					    NULL};
	struct import_summary s;

	import_ok(folder(files), 0, &s);
	sql_refused("INSERT INTO ex_ante (agreement_code, criterion, score, assessed_on) VALUES "
		    "('A1', 'relevance', 7, '2016-01-20')",
		    "new row for relation \"ex_ante\" violates check constraint "
		    "\"ex_ante_score_check\"");
	sql_refused("INSERT INTO target (policy_code, indicator, level, target) VALUES "
		    "('P1', 'eff.spent_eur', 'policy', 1000)",
		    "target: indicator eff.spent_eur is neutral and takes no target");
	sql_refused("INSERT INTO weight (policy_code, item, weight) VALUES ('P1', 'outputs', 1)",
		    "weight: item outputs is neither a catalogue indicator nor a dimension");
	sql_refused("UPDATE agreement SET signed_on = '2016-01-01' WHERE code = 'A2'",
		    "new row for relation \"agreement\" violates check constraint "
		    "\"agreement_check\"");
	/* a change made outside import is in the history, with no batch */
	ck_assert(db_exec(conn, "UPDATE agreement SET title = 'Centro' WHERE code = 'A1'", 0, NULL,
			  NULL) == 0);
	expect_value("SELECT old_values::text || ' -> ' || new_values::text || ' batch ' || "
		     "coalesce(batch_id::text, 'none') FROM history",
		     "{\"title\": \"Accordo Centro\"} -> {\"title\": \"Centro\"} batch none");
}
END_TEST

/* --- the command ------------------------------------------------------------- */

START_TEST(test_import_cli_error)
{
	static const char *const files[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"ex_ante.csv",
		"agreement_code,criterion,score,assessed_on\n"
		"A1,feasibility,4,2016-01-20\nA1,relevance,7,2016-01-20\n",
		NULL};
	const char *argv[] = {"cruscotto", "import", "-q", "--db", conninfo, folder(files), NULL};
	char *out = NULL, *err = NULL, *before = counts(), *after;

	ck_assert_int_eq(testdb_run(argv, NULL, &out, &err), 1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "cruscotto: ex_ante.csv:3:3: score 7 is out of range 1-5\n");
	after = counts();
	ck_assert_str_eq(after, before);
	free(out);
	free(err);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_import_cli_dry_run)
{
	static const char *const files[] = {"policies.csv", POLICIES, "neighbourhoods.csv",
					    NEIGHBOURHOODS, NULL};
	const char *argv[] = {"cruscotto", "import", "--dry-run",   "-q",
			      "--db",	   conninfo, folder(files), NULL};
	const char *usage[] = {"cruscotto", "import", "-q", NULL};
	char *out = NULL, *err = NULL;

	ck_assert_int_eq(testdb_run(argv, NULL, &out, &err), 0);
	ck_assert_str_eq(out, "file                     rows inserted  updated appended\n"
			      "policies.csv                1        1        0        0\n"
			      "neighbourhoods.csv          2        2        0        0\n"
			      "dry run: nothing committed\n");
	ck_assert_str_eq(err, "");
	expect_value("SELECT count(*) FROM policy", "0");
	free(out);
	free(err);
	ck_assert_int_eq(testdb_run(usage, NULL, NULL, &err), 2);
	ck_assert_str_eq(err, "cruscotto: usage: cruscotto import [--dry-run] DIR\n");
	free(err);
}
END_TEST

/* --- strict RFC 4180 --------------------------------------------------------- */

/* Eleven signatories, S0001-S0010 on lines 2-11, with `line3` and `line11`
 * in place of lines 3 and 11. */
static char *signatories(const char *line3, const char *line11)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	ck_assert(f != NULL);
	fprintf(f, "code,kind,name\n");
	for (i = 1; i <= 10; i++)
		if (i == 2)
			fprintf(f, "%s\n", line3);
		else if (i == 10)
			fprintf(f, "%s\n", line11);
		else
			fprintf(f, "S%04d,association,Associazione %d\n", i, i);
	ck_assert(fclose(f) == 0);
	return text;
}

START_TEST(test_import_quote_inside_unquoted_field)
{
	char *text = signatories("S0002,association,APS 5\" schermo",
				 "S0010,association,ODV 7\" pollici");
	const char *files[] = {"signatories.csv", text, NULL};

	/* PostgreSQL's CSV reader opens a quoted section at the quote of line
	 * 3 and closes it at the one of line 11: S0002's name would swallow
	 * S0003-S0010. The quote is in the 3rd field of line 3. */
	import_fails(folder(files), "signatories.csv:3:3: a quote inside an unquoted field (quote "
				    "the field and double the quote)");
	free(text);
}
END_TEST

START_TEST(test_import_doubled_quote_inside_quoted_field)
{
	char *text = signatories("S0002,association,\"APS 5\"\" schermo\"",
				 "S0010,association,\"ODV 7\"\" pollici, \"\"Centro\"\"\"");
	const char *files[] = {"signatories.csv", text, NULL};
	struct import_summary s;

	/* RFC 4180: a quoted field holds a quote as two quotes; all ten load */
	import_ok(folder(files), 0, &s);
	expect_file(&s, 0, "signatories.csv", 10, 10, 0, 0);
	expect_value("SELECT name FROM signatory WHERE code = 'S0002'", "APS 5\" schermo");
	expect_value("SELECT name FROM signatory WHERE code = 'S0010'",
		     "ODV 7\" pollici, \"Centro\"");
	free(text);
}
END_TEST

START_TEST(test_import_text_after_closing_quote)
{
	char *text = signatories("S0002,association,Amici", "S0010,\"association\" ,Amici");
	const char *files[] = {"signatories.csv", text, NULL};

	/* COPY would read `"association" ` as "association " and refuse it as
	 * not a kind; RFC 4180 ends a quoted field at its closing quote. Line
	 * 11, 2nd field. */
	import_fails(folder(files), "signatories.csv:11:2: text after the closing quote of a "
				    "quoted field (double a quote inside a quoted field)");
	free(text);
}
END_TEST

START_TEST(test_import_unterminated_quote)
{
	static const char *const files[] = {
		"signatories.csv",
		"code,kind,name\n"
		"S1,association,\"Amici\ndel quartiere\"\n" /* lines 2-3 */
		"S2,volunteer,\"Mario Rossi\n"		    /* line 4: never closed */
		"S3,business,Ditta\n"
		"S4,other,Altro\n",
		NULL};

	/* the record whose quote is never closed starts on line 4 (the quoted
	 * newline of S1 makes it the 3rd record but the 4th line), 3rd field;
	 * the error is known only at the end of the file, line 7 */
	import_fails(folder(files), "signatories.csv:4:3: a quoted field is not closed (its "
				    "closing quote is missing)");
}
END_TEST

/* --- statistics refreshed after the commit ----------------------------------- */

START_TEST(test_import_statistics_after_commit)
{
	struct import_summary s;
	db *c = NULL, *other = NULL;
	char *n;

	/* Another session holds weight in a mode that the import's INSERT
	 * passes and VACUUM (ANALYZE) needs. The maintenance after the commit
	 * skips weight rather than wait, and says nothing: the import succeeds
	 * with its batch stored, and only weight is left to autovacuum. */
	ck_assert(db_connect(conninfo, &other) == 0);
	ck_assert(db_exec(other, "BEGIN", 0, NULL, NULL) == 0);
	ck_assert(db_exec(other, "LOCK TABLE cruscotto.weight IN SHARE UPDATE EXCLUSIVE MODE", 0,
			  NULL, NULL) == 0);
	ck_assert(db_connect(conninfo, &c) == 0);
	ck_assert_int_eq(import_run(c, folder(full_folder), NULL, &s), 0);
	ck_assert_int_eq(s.batch_id, 1);
	db_close(c);
	ck_assert(db_exec(other, "ROLLBACK", 0, NULL, NULL) == 0);
	/* one batch; the 2 weights of full_folder; weight neither vacuumed nor
	 * analysed, agreement and attendance both (the statistics of a table
	 * are in shared memory as soon as its ANALYZE ends) */
	n = testdb_value(
		other,
		"SELECT (SELECT count(*) FROM cruscotto.batch) || ' ' || (SELECT count(*) "
		"FROM cruscotto.weight) || ' ' || string_agg(relname || ':' || (last_vacuum "
		"IS NOT NULL) || '/' || (last_analyze IS NOT NULL), ' ' ORDER BY relname) FROM "
		"pg_stat_user_tables WHERE schemaname = 'cruscotto' AND relname IN ('weight', "
		"'agreement', 'attendance')");
	ck_assert_str_eq(n, "1 2 agreement:true/true attendance:true/true weight:false/false");
	free(n);
	db_close(other);
}
END_TEST

/* --- bounds, blank text, links, long headers --------------------------------- */

#define PROJECTS                                                                                   \
	"code,agreement_code,kind,title,defined_on,completed_on\n"                                 \
	"PR1,A2,community_care,Doposcuola,2016-05-10,\n"

START_TEST(test_import_number_too_large)
{
	char digits[460], finance[600], population[600], expected[300];
	const char *bad_amount[] = {"policies.csv", POLICIES,	    "agreements.csv",
				    AGREEMENTS,	    "projects.csv", PROJECTS,
				    "finance.csv",  finance,	    NULL};
	const char *bad_population[] = {"neighbourhoods.csv", population, NULL};
	static const char *const bad_hours[] = {
		"policies.csv",
		POLICIES,
		"agreements.csv",
		AGREEMENTS,
		"meetings.csv",
		"code,agreement_code,held_on,kind,hours\n"
		/* 10^6 hours has 7 digits: the bound is < 10^6 */
		"MT1,A1,2016-01-15,workshop,999999.5\nMT2,A1,2016-01-16,workshop,1000000\n",
		NULL};
	static const char *const bad_decimals[] = {"policies.csv",
						   "code,name,started_on,volunteer_hour_value_eur\n"
						   /* 13 decimals, one more than allowed */
						   "P1,Quartiere,2015-01-01,15.1234567890123\n",
						   NULL};

	/* -(10^400 - 1): stored before, then shown as "—" and 0.0%; the value
	 * is shown cut to its first 40 bytes */
	memset(digits, '9', 400);
	digits[400] = '\0';
	snprintf(finance, sizeof(finance),
		 "project_code,booked_on,stage,amount_eur\nPR1,2016-06-01,allocated,-%s\n", digits);
	snprintf(expected, sizeof(expected), "finance.csv:2:4: amount_eur -%.39s... is too large",
		 digits);
	import_fails(folder(bad_amount), expected);
	/* 150 digits: "is not an integer" before */
	memset(digits, '1', 150);
	digits[150] = '\0';
	snprintf(population, sizeof(population), "code,name,population\nN1,Centro,%s\n", digits);
	snprintf(expected, sizeof(expected),
		 "neighbourhoods.csv:2:3: population %.40s... is too large", digits);
	import_fails(folder(bad_population), expected);
	import_fails(folder(bad_hours), "meetings.csv:3:5: hours 1000000 is too large");
	import_fails(folder(bad_decimals), "policies.csv:2:4: volunteer_hour_value_eur "
					   "15.1234567890123 has more than 12 decimals");
}
END_TEST

START_TEST(test_import_blank_required_text)
{
	static const char *const files[] = {
		"neighbourhoods.csv", "code,name,population\nN1,Centro,12000\nN2,   ,9000\n", NULL};

	import_fails(folder(files), "neighbourhoods.csv:3:2: name \"   \" is blank");
}
END_TEST

START_TEST(test_import_symlink_outside_folder)
{
	static const char *const none[] = {NULL};
	const char *dir = folder(none);
	char path[512];

	/* before, /etc/passwd was read, and its first line quoted in the error */
	snprintf(path, sizeof(path), "%s/policies.csv", dir);
	ck_assert(symlink("/etc/passwd", path) == 0);
	import_fails(dir, "policies.csv: a symbolic link that leads outside the folder: not read");
}
END_TEST

START_TEST(test_import_symlink_inside_folder)
{
	static const char *const files[] = {"policies-2026.txt", POLICIES, NULL};
	const char *dir = folder(files);
	struct import_summary s;
	char path[512];

	snprintf(path, sizeof(path), "%s/policies.csv", dir);
	ck_assert(symlink("policies-2026.txt", path) == 0);
	import_ok(dir, 0, &s);
	expect_file(&s, 0, "policies.csv", 1, 1, 0, 0);
}
END_TEST

START_TEST(test_import_long_header_cut)
{
	char header[200];
	const char *files[] = {"policies.csv", header, NULL};

	/* 30 control bytes, each shown as \x01 (4 characters): 1 quote + 14 x 4
	 * + 1 quote + "..." = 61 characters; a 15th would make 65 > 64 */
	memset(header, 1, 30);
	snprintf(header + 30, sizeof(header) - 30, ",name\nP1,x\n");
	import_fails(
		folder(files),
		"policies.csv:1:1: unknown column "
		"\"\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\"... "
		"(the columns are code, name, started_on, locale, volunteer_hour_value_eur, "
		"min_cell)");
}
END_TEST

START_TEST(test_import_references_checked_per_statement)
{
	static const char *const files[] = {"policies.csv", POLICIES, "agreements.csv", AGREEMENTS,
					    NULL};
	struct import_summary s;

	/* the foreign keys replaced by statement triggers hold the same rule
	 * for rows written directly in SQL, in both directions */
	import_ok(folder(files), 0, &s);
	sql_refused(
		"INSERT INTO resource (agreement_code, recorded_on, kind, quantity) VALUES "
		"('A1', '2016-06-30', 'staff_hours', 3), ('A9', '2016-06-30', 'staff_hours', 4)",
		"insert or update on table \"resource\" violates foreign key constraint "
		"\"resource_agreement_code_fkey\"");
	ck_assert(db_exec(conn,
			  "INSERT INTO resource (agreement_code, recorded_on, kind, quantity) "
			  "VALUES ('A1', '2016-06-30', 'staff_hours', 3)",
			  0, NULL, NULL) == 0);
	sql_refused("DELETE FROM agreement WHERE code = 'A1'",
		    "update or delete on table \"agreement\" violates foreign key constraint "
		    "\"resource_agreement_code_fkey\" on table \"resource\"");
	sql_refused("UPDATE agreement SET code = 'A7' WHERE code = 'A1'",
		    "update or delete on table \"agreement\" violates foreign key constraint "
		    "\"resource_agreement_code_fkey\" on table \"resource\"");
	/* A2 is named by nothing */
	ck_assert(db_exec(conn, "DELETE FROM agreement WHERE code = 'A2'", 0, NULL, NULL) == 0);
}
END_TEST

/* A CSV file: `header`, then n rows <before><i as %04d><after> for i = 1..n,
 * then `extra` (whole lines). The caller frees it. */
static char *numbered(const char *header, const char *before, const char *after, int n,
		      const char *extra)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	ck_assert(f != NULL);
	fprintf(f, "%s\n", header);
	for (i = 1; i <= n; i++)
		fprintf(f, "%s%04d%s\n", before, i, after);
	fprintf(f, "%s", extra);
	ck_assert(fclose(f) == 0);
	return text;
}

/* attendance.csv with `n` persons at MT1, p0001 to p<n>, and `extra` last. */
static char *attendance(int n, const char *extra)
{
	return numbered("meeting_code,person,role", "MT1,p", ",citizen", n, extra);
}

#define MEETINGS "code,agreement_code,held_on,kind,hours\nMT1,A1,2016-01-15,workshop,2.5\n"

START_TEST(test_import_large_append_rebuilds_indexes)
{
	char *good = attendance(1200, ""), *bad = attendance(1200, "MT1,p0007,staff\n");
	const char *first[] = {"policies.csv",
			       POLICIES,
			       "agreements.csv",
			       AGREEMENTS,
			       "meetings.csv",
			       MEETINGS,
			       "attendance.csv",
			       bad,
			       NULL};
	const char *second[] = {"policies.csv",	  POLICIES,	  "agreements.csv",
				AGREEMENTS,	  "meetings.csv", MEETINGS,
				"attendance.csv", good,		  NULL};
	struct import_summary s;

	/* 1200 rows into an empty table: its indexes are dropped and built
	 * again after the INSERT, and the primary key's build finds the
	 * repeated pair: p0007 is on line 8 (header on line 1) and again on
	 * line 1202 */
	import_fails(folder(first), "attendance.csv:1202:1: meeting_code MT1 is repeated with the "
				    "same person (first on line 8)");
	import_ok(folder(second), 0, &s);
	expect_file(&s, 3, "attendance.csv", 1200, 0, 0, 1200);
	expect_value("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE "
		     "tablename = 'attendance'",
		     "attendance_pkey");
	free(good);
	free(bad);
}
END_TEST

/* A large file's references are checked by import as its values stream by,
 * against the parents' keys, with the table's statement triggers off for
 * that COPY only: a missing parent or a value of another form is named at
 * its line as through staging, nothing is stored, and the triggers are on
 * again for every later writer. */
START_TEST(test_import_large_append_checks_references)
{
	char *missing = attendance(1200, "MT9,p0001,citizen\n"),
	     *malformed = attendance(1200, "M!,p0001,citizen\n"), *good = attendance(1200, "");
	const char *files[] = {"policies.csv",	 POLICIES,	 "agreements.csv",
			       AGREEMENTS,	 "meetings.csv", MEETINGS,
			       "attendance.csv", missing,	 NULL};
	struct import_summary s;

	/* the header is line 1 and p0001 to p1200 lines 2 to 1201: the last
	 * row, on line 1202, names MT9, which no meeting has as its code */
	import_fails(folder(files),
		     "attendance.csv:1202:1: meeting_code MT9 does not name a meeting");
	/* "M!" is no code: the reference implies the form, which is named */
	files[7] = malformed;
	import_fails(folder(files), "attendance.csv:1202:1: meeting_code M! is not a code (1-64 "
				    "characters among A-Z a-z 0-9 _ . -)");
	files[7] = good;
	import_ok(folder(files), 0, &s);
	expect_file(&s, 3, "attendance.csv", 1200, 0, 0, 1200);
	/* the rows carry the batch, and batch_id's default is the expression
	 * of schema 10 again, not the batch the COPY took as a constant */
	expect_value("SELECT count(*) FROM attendance a JOIN batch b ON b.id = a.batch_id", "1200");
	expect_value(
		"SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = "
		"'attendance'::regclass",
		"(NULLIF(current_setting('cruscotto.batch_id'::text, true), ''::text))::bigint");
	/* O: the trigger fires as it did before the import */
	expect_value(
		"SELECT string_agg(tgname || ' ' || tgenabled::text, ',' ORDER BY tgname) FROM "
		"pg_trigger WHERE tgrelid = 'attendance'::regclass AND tgname LIKE '%_ref_ins'",
		"attendance_batch_id_ref_ins O,attendance_meeting_code_ref_ins O");
	sql_refused("INSERT INTO attendance (meeting_code, person, role) VALUES ('MT9', 'q1', "
		    "'citizen')",
		    "insert or update on table \"attendance\" violates foreign key constraint "
		    "\"attendance_meeting_code_fkey\"");
	free(missing);
	free(malformed);
	free(good);
}
END_TEST

/* surveys.csv with `n` surveys SV0001 to SV<n> of A1 in P1, and `extra` last. */
static char *surveys(int n, const char *extra)
{
	return numbered("code,policy_code,agreement_code,instrument,wave,fielded_on", "SV",
			",P1,A1,satisfaction,once,2016-10-01", n, extra);
}

/* A large entity file into an empty table with foreign keys of its own
 * (survey: its policy, its agreement in that policy) is COPYed with the keys
 * dropped and checked once after; a row they refuse is still named, and the
 * keys are back, unchanged, whatever happened. */
START_TEST(test_import_large_file_checks_foreign_keys)
{
	char *wrong = surveys(1200, "SV9999,P2,A2,satisfaction,once,2016-10-01\n"),
	     *good = surveys(1200, "");
	const char *files[] = {"policies.csv",
			       POLICIES "P2,Altra politica,2017-01-01,en,10,\n",
			       "agreements.csv",
			       AGREEMENTS,
			       "surveys.csv",
			       wrong,
			       NULL};
	const char *keys = "SELECT string_agg(conname || ' ' || convalidated || ' ' || "
			   "pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint "
			   "WHERE conrelid = 'survey'::regclass AND contype = 'f'";
	const char *both =
		"survey_agreement_code_policy_code_fkey true FOREIGN KEY "
		"(agreement_code, policy_code) REFERENCES agreement(code, policy_code) ON "
		"UPDATE CASCADE, "
		"survey_policy_code_fkey true FOREIGN KEY (policy_code) REFERENCES "
		"policy(code)";
	struct import_summary s;

	/* the header is line 1 and SV0001 to SV1200 lines 2 to 1201: the last
	 * row, on line 1202, puts A2 (of P1, agreements.csv) in P2 */
	import_fails(folder(files), "surveys.csv:1202:2: policy_code P2 is not the policy of "
				    "agreement A2 (P1)");
	expect_value(keys, both);
	files[5] = good;
	import_ok(folder(files), 0, &s);
	expect_file(&s, 2, "surveys.csv", 1200, 1200, 0, 0);
	expect_value(keys, both);
	/* the keys hold for everyone after the import, as before it */
	sql_refused("INSERT INTO survey (code, policy_code, agreement_code, instrument, wave, "
		    "fielded_on) VALUES ('SV9999', 'P2', 'A2', 'satisfaction', 'once', "
		    "'2016-10-01')",
		    "insert or update on table \"survey\" violates foreign key constraint "
		    "\"survey_agreement_code_policy_code_fkey\"");
	free(wrong);
	free(good);
}
END_TEST

/* A foreign key NOT VALID is never dropped when a large file rebuilds its
 * table (added back as it was, it would check none of the new rows): its
 * constraint keeps its oid, while the validated key is dropped and added
 * back (a new oid, the same definition). */
START_TEST(test_import_large_file_keeps_foreign_key_not_valid)
{
	char *good = surveys(1200, "");
	const char *files[] = {
		"policies.csv", POLICIES, "agreements.csv", AGREEMENTS, "surveys.csv", good, NULL};
	const char *oid = "SELECT oid::text FROM pg_constraint WHERE conrelid = 'survey'::regclass "
			  "AND conname = 'survey_policy_code_fkey'";
	const char *other = "SELECT oid::text FROM pg_constraint WHERE conrelid = "
			    "'survey'::regclass AND conname = "
			    "'survey_agreement_code_policy_code_fkey'";
	struct import_summary s;
	char *before, *other_before, *other_after;

	ck_assert(db_exec(conn,
			  "ALTER TABLE survey DROP CONSTRAINT survey_policy_code_fkey, ADD "
			  "CONSTRAINT survey_policy_code_fkey FOREIGN KEY (policy_code) "
			  "REFERENCES policy(code) NOT VALID",
			  0, NULL, NULL) == 0);
	before = testdb_value(conn, oid);
	other_before = testdb_value(conn, other);
	import_ok(folder(files), 0, &s);
	expect_file(&s, 2, "surveys.csv", 1200, 1200, 0, 0);
	expect_value(oid, before);
	expect_value("SELECT convalidated::text FROM pg_constraint WHERE conrelid = "
		     "'survey'::regclass AND conname = 'survey_policy_code_fkey'",
		     "false");
	/* the table was rebuilt: its validated key came back under a new oid */
	other_after = testdb_value(conn, other);
	ck_assert_str_ne(other_after, other_before);
	free(before);
	free(other_before);
	free(other_after);
	free(good);
}
END_TEST

/* A fact file is COPYed straight into its table; the forms the casts of
 * that COPY would read and DATA.md refuses are still refused, at their line
 * and column. */
START_TEST(test_import_direct_forms)
{
	const char *ex_ante[] = {"policies.csv",
				 POLICIES,
				 "agreements.csv",
				 AGREEMENTS,
				 "ex_ante.csv",
				 "agreement_code,criterion,score,assessed_on\n"
				 "A1,feasibility,4,2016-01-20\nA1,relevance, 4,2016-01-20\n",
				 NULL};
	const char *resources[] = {"policies.csv",
				   POLICIES,
				   "agreements.csv",
				   AGREEMENTS,
				   "resources.csv",
				   "agreement_code,recorded_on,kind,quantity\n"
				   "A1,2016-02-01,staff_hours,1e5\n",
				   NULL};
	const char *finance[] = {"policies.csv",
				 POLICIES,
				 "agreements.csv",
				 AGREEMENTS,
				 "projects.csv",
				 "code,agreement_code,kind,title,defined_on\n"
				 "PR1,A1,city_care,Aiuole,2016-03-01\n",
				 "finance.csv",
				 "project_code,booked_on,stage,amount_eur\n"
				 "PR1,2016-03-05,allocated,100\nPR1,2016-3-5,spent,NaN\n",
				 NULL};

	/* int4in would read " 4" as 4: line 3, score the 3rd column */
	import_fails(folder(ex_ante), "ex_ante.csv:3:3: score \" 4\" is not an integer");
	/* numeric_in would read 1e5 as 100000 */
	import_fails(folder(resources), "resources.csv:2:4: quantity 1e5 is not a number");
	/* date_in would read 2016-3-5; on the same line NaN, a later column,
	 * comes second */
	import_fails(folder(finance),
		     "finance.csv:3:2: booked_on 2016-3-5 is not of the form YYYY-MM-DD");
}
END_TEST

/* Two rules broken in one fact file, one the COPY's form check sees as the
 * values stream by and one only the table sees (a reference, checked at the
 * end of the statement): the first in file order is named, whichever was
 * found first. */
START_TEST(test_import_direct_first_error_in_file_order)
{
	const char *form_first[] = {"policies.csv",
				    POLICIES,
				    "agreements.csv",
				    AGREEMENTS,
				    "ex_ante.csv",
				    "agreement_code,criterion,score,assessed_on\n"
				    "A1,feasibility,x,2016-01-20\nA9,relevance,4,2016-01-20\n",
				    NULL};
	const char *ref_first[] = {"policies.csv",
				   POLICIES,
				   "agreements.csv",
				   AGREEMENTS,
				   "ex_ante.csv",
				   "agreement_code,criterion,score,assessed_on\n"
				   "A9,feasibility,4,2016-01-20\nA1,relevance,x,2016-01-20\n",
				   NULL};
	const char *range_first[] = {"policies.csv",
				     POLICIES,
				     "agreements.csv",
				     AGREEMENTS,
				     "ex_ante.csv",
				     "agreement_code,criterion,score,assessed_on\n"
				     "A1,feasibility,9,2016-01-20\nA1,relevance,4,2016-1-20\n",
				     NULL};

	/* line 2: score x (3rd column); line 3: A9 names no agreement */
	import_fails(folder(form_first), "ex_ante.csv:2:3: score x is not an integer");
	/* line 2: A9 (1st column); line 3: score x */
	import_fails(folder(ref_first), "ex_ante.csv:2:1: agreement_code A9 does not name an "
					"agreement");
	/* line 2: 9 out of range (a constraint); line 3: a date of another form */
	import_fails(folder(range_first), "ex_ante.csv:2:3: score 9 is out of range 1-5");
}
END_TEST

/* The rows COPYed straight into their table carry the import's batch, like
 * those inserted from staging; rows written in SQL outside an import have
 * none, as before. */
START_TEST(test_import_direct_batch)
{
	const char *files[] = {"policies.csv",
			       POLICIES,
			       "agreements.csv",
			       AGREEMENTS,
			       "ex_ante.csv",
			       "agreement_code,criterion,score,assessed_on\n"
			       "A1,feasibility,4,2016-01-20\nA2,relevance,\"5\",2016-01-21\n",
			       NULL};
	struct import_summary s;

	import_ok(folder(files), 0, &s);
	expect_file(&s, 2, "ex_ante.csv", 2, 0, 0, 2);
	/* ids in file order, both rows of batch 1; the quoted "5" is 5 */
	expect_value("SELECT string_agg(agreement_code || ':' || score || ':' || batch_id, ' ' "
		     "ORDER BY id) FROM ex_ante",
		     "A1:4:1 A2:5:1");
	ck_assert(db_exec(conn,
			  "INSERT INTO ex_ante (agreement_code, criterion, score, assessed_on) "
			  "VALUES ('A1', 'opportunity', 3, '2016-02-01')",
			  0, NULL, NULL) == 0);
	expect_value("SELECT count(*) FROM ex_ante WHERE batch_id IS NULL", "1");
}
END_TEST

/* signatories.csv with S0001 to S<n>, all associations named Amici <i>,
 * but S0007 of kind `kind7`, and `extra` last. */
static char *many_signatories(int n, const char *kind7, const char *extra)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int i;

	ck_assert(f != NULL);
	fprintf(f, "code,kind,name\n");
	for (i = 1; i <= n; i++)
		fprintf(f, "S%04d,%s,Amici %d\n", i, i == 7 ? kind7 : "association", i);
	fprintf(f, "%s", extra);
	ck_assert(fclose(f) == 0);
	return text;
}

/* An upserted file of at least 1,000 rows into a table that holds fewer:
 * the indexes are built again after one statement that updates the known
 * keys and inserts the others, with the counts, the history and the
 * messages of the upsert it replaces. */
START_TEST(test_import_large_upsert_rebuilds_indexes)
{
	char *first = many_signatories(1200, "association", ""),
	     *second = many_signatories(1500, "volunteer", ""),
	     *bad = many_signatories(1500, "volunteer", "S0009,other,Altri\n"),
	     *wrong = many_signatories(1500, "company", "");
	const char *f1[] = {"signatories.csv", first, NULL};
	const char *f2[] = {"signatories.csv", second, NULL};
	const char *f3[] = {"signatories.csv", bad, NULL};
	const char *f4[] = {"signatories.csv", wrong, NULL};
	struct import_summary s;

	import_ok(folder(f1), 0, &s);
	expect_file(&s, 0, "signatories.csv", 1200, 1200, 0, 0);
	/* S0007 (line 8) is of a kind that does not exist; the table holds 1200
	 * rows, fewer than the file's 1500 */
	import_fails(folder(f4), "signatories.csv:8:2: kind company is not one of association, "
				 "volunteer, business, other");
	/* S0009 is on line 10 and again on line 1502 */
	import_fails(folder(f3), "signatories.csv:1502:1: code S0009 is repeated (first on line "
				 "10)");
	/* S1201-S1500 new, S0007 changed, the other 1199 as they were */
	import_ok(folder(f2), 0, &s);
	expect_file(&s, 0, "signatories.csv", 1500, 300, 1, 0);
	/* 301 rows of this import's batch, the last one (the failed imports
	 * took batch ids too) */
	expect_value(
		"SELECT count(*) || ' ' || count(*) FILTER (WHERE batch_id = (SELECT max(id) "
		"FROM batch)) || ' ' || min(kind) FILTER (WHERE code = 'S0007') FROM signatory",
		"1500 301 volunteer");
	expect_value("SELECT key::text || ' ' || old_values::text || ' -> ' || new_values::text "
		     "FROM history",
		     "{\"code\": \"S0007\"} {\"kind\": \"association\"} -> {\"kind\": "
		     "\"volunteer\"}");
	expect_value("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE "
		     "tablename = 'signatory'",
		     "signatory_pkey");
	free(first);
	free(second);
	free(bad);
	free(wrong);
}
END_TEST

/* --- evidence.csv ------------------------------------------------------------ */

#define EVIDENCE_HEADER                                                                            \
	"code,policy_code,agreement_code,neighbourhood_code,recorded_on,kind,title,summary,"       \
	"participants\n"

/* policies, neighbourhoods, agreements (A1, A2 of P1, and P2 of its own),
 * then evidence.csv holding `evidence`. */
static const char *evidence_folder(const char *evidence)
{
	const char *files[] = {"policies.csv",
			       POLICIES "P2,Altra politica,2017-01-01,en,10,\n",
			       "neighbourhoods.csv",
			       NEIGHBOURHOODS,
			       "agreements.csv",
			       AGREEMENTS,
			       "evidence.csv",
			       evidence,
			       NULL};

	return folder(files);
}

/* `n` times the UTF-8 text `unit`, newly allocated. */
static char *repeat(const char *unit, int n)
{
	size_t len = strlen(unit);
	char *s = malloc(len * (size_t)n + 1);
	int i;

	ck_assert(s != NULL);
	for (i = 0; i < n; i++)
		memcpy(s + len * (size_t)i, unit, len);
	s[len * (size_t)n] = '\0';
	return s;
}

START_TEST(test_import_evidence_valid)
{
	/* 4000 characters of "è": 8000 bytes, the longest summary there is */
	char *longest = repeat("\xc3\xa8", 4000), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct import_summary s;

	ck_assert(f != NULL);
	/* the file's lines end with CR LF, as RFC 4180 writes them, and so do
	 * the lines inside E3's quoted summary; E1's summary keeps its LF and
	 * its tab */
	fprintf(f,
		"code,policy_code,agreement_code,neighbourhood_code,recorded_on,kind,title,summary,"
		"participants\r\n"
		"E1,P1,,N1,2016-05-12,focus_group,Qualità della vita in Centro,\"Prima riga\n\t"
		"seconda, con virgola\",12\r\n"
		"E2,P1,A2,,2016-06-01,interview,Intervista al referente,\"Città, comunità: "
		"«sì»\",\r\n"
		"E3,P1,,,2016-07-01,document,Relazione annuale,\"Riga uno\r\nRiga due\",\r\n"
		"E4,P1,A1,,2016-08-01,observation,Osservazione,%s,1\r\n",
		longest);
	ck_assert(fclose(f) == 0);
	import_ok(evidence_folder(text), 0, &s);
	/* evidence.csv comes after agreements.csv (files 0-2): 4 rows, all new */
	expect_file(&s, 3, "evidence.csv", 4, 4, 0, 0);
	expect_value("SELECT string_agg(code || ':' || coalesce(agreement_code, '-') || ':' || "
		     "coalesce(neighbourhood_code, '-') || ':' || coalesce(participants::text, "
		     "'-') || ':' || kind, ' ' ORDER BY code) FROM evidence",
		     "E1:-:N1:12:focus_group E2:A2:-:-:interview E3:-:-:-:document "
		     "E4:A1:-:1:observation");
	expect_value("SELECT summary FROM evidence WHERE code = 'E1'",
		     "Prima riga\n\tseconda, con virgola");
	expect_value("SELECT summary FROM evidence WHERE code = 'E2'", "Città, comunità: «sì»");
	/* the CR LF inside the quotes is stored as LF */
	expect_value("SELECT summary FROM evidence WHERE code = 'E3'", "Riga uno\nRiga due");
	expect_value("SELECT char_length(summary) || ' ' || octet_length(summary) FROM evidence "
		     "WHERE code = 'E4'",
		     "4000 8000");
	expect_value("SELECT count(*) FROM evidence WHERE batch_id = 1", "4");
	free(longest);
	free(text);
}
END_TEST

START_TEST(test_import_evidence_update)
{
	static const char *const again[] = {
		"evidence.csv",
		EVIDENCE_HEADER "E1,P1,,N1,2016-05-12,focus_group,Centro,Testo corretto,12\n",
		NULL};
	struct import_summary s;

	import_ok(evidence_folder(EVIDENCE_HEADER "E1,P1,,N1,2016-05-12,focus_group,Centro,Prima "
						  "stesura,12\n"),
		  0, &s);
	/* evidence is upserted on its code: a corrected summary replaces the
	 * old one, which the history keeps */
	import_ok(folder(again), 0, &s);
	expect_file(&s, 0, "evidence.csv", 1, 0, 1, 0);
	expect_value("SELECT summary || ' / ' || batch_id FROM evidence", "Testo corretto / 2");
	expect_value("SELECT old_values::text || ' -> ' || new_values::text || ' batch ' || "
		     "batch_id FROM history WHERE table_name = 'evidence'",
		     "{\"summary\": \"Prima stesura\"} -> {\"summary\": \"Testo corretto\"} "
		     "batch 2");
}
END_TEST

START_TEST(test_import_evidence_summary_too_long)
{
	/* 4001 characters of "à", 8002 bytes; shown cut to 40 bytes (20
	 * characters) and "..."; summary is the 8th column of the header */
	char *summary = repeat("\xc3\xa0", 4001), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert(f != NULL);
	fprintf(f, EVIDENCE_HEADER "E1,P1,,,2016-05-12,document,Relazione,%s,\n", summary);
	ck_assert(fclose(f) == 0);
	import_fails(evidence_folder(text),
		     "evidence.csv:2:8: summary "
		     "àààààààààààààààààààà... has 4001 characters, more than 4000");
	free(summary);
	free(text);
}
END_TEST

START_TEST(test_import_evidence_control_character)
{
	/* E1's summary takes lines 2-3; E2 is on line 4 and its summary holds
	 * U+0001 as its 9th character */
	import_fails(evidence_folder(EVIDENCE_HEADER
				     "E1,P1,,N1,2016-05-12,focus_group,Centro,\"Due\nrighe\",8\n"
				     "E2,P1,,N1,2016-05-13,focus_group,Centro,\"Riunione\x01 al "
				     "parco\",8\n"),
		     "evidence.csv:4:8: summary \"Riunione\\x01 al parco\" holds control "
		     "character U+0001 at character 9 (only newline and tab may be used)");
}
END_TEST

START_TEST(test_import_evidence_carriage_return)
{
	/* a CR alone inside the quotes is no line end (LF or CR LF): the 9th
	 * character of the summary */
	import_fails(evidence_folder(EVIDENCE_HEADER "E1,P1,,,2016-05-12,observation,Parco,"
						     "\"Riga uno\rRiga due\",\n"),
		     "evidence.csv:2:8: summary \"Riga uno\\rRiga due\" holds control character "
		     "U+000D (carriage return) at character 9 (only newline and tab may be "
		     "used)");
}
END_TEST

START_TEST(test_import_evidence_title_one_line)
{
	/* title is the 7th column; its newline is the 5th character */
	import_fails(evidence_folder(EVIDENCE_HEADER "E1,P1,,,2016-05-12,observation,\"Riga\n"
						     "due\",Testo,\n"),
		     "evidence.csv:2:7: title \"Riga\\ndue\" holds control character U+000A "
		     "(newline) at character 5 (a title is one line of plain text)");
}
END_TEST

START_TEST(test_import_evidence_title_too_long)
{
	/* 201 characters of "ò" (402 bytes), title the 7th column: shown cut to
	 * 40 bytes, 20 characters */
	char *title = repeat("\xc3\xb2", 201), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert(f != NULL);
	fprintf(f, EVIDENCE_HEADER "E1,P1,,,2016-05-12,document,%s,Testo,\n", title);
	ck_assert(fclose(f) == 0);
	import_fails(
		evidence_folder(text),
		"evidence.csv:2:7: title òòòòòòòòòòòòòòòòòòòò... has 201 characters, more than "
		"200");
	free(title);
	free(text);
}
END_TEST

START_TEST(test_import_evidence_agreement_and_neighbourhood)
{
	/* neighbourhood_code, the 4th column, is the one refused */
	import_fails(evidence_folder(EVIDENCE_HEADER
				     "E1,P1,A1,N1,2016-05-12,interview,Intervista,Testo,\n"),
		     "evidence.csv:2:4: neighbourhood_code N1 must be empty when agreement_code "
		     "is set (a record belongs to an agreement, a neighbourhood or the whole "
		     "policy)");
}
END_TEST

START_TEST(test_import_evidence_unknown_agreement)
{
	import_fails(evidence_folder(EVIDENCE_HEADER
				     "E1,P1,A1,,2016-05-12,interview,Intervista,Testo,\n"
				     "E2,P1,A9,,2016-05-12,interview,Intervista,Testo,\n"),
		     "evidence.csv:3:3: agreement_code A9 does not name an agreement");
}
END_TEST

START_TEST(test_import_evidence_unknown_neighbourhood)
{
	import_fails(
		evidence_folder(EVIDENCE_HEADER "E1,P1,,N9,2016-05-12,focus_group,Gruppo,Testo,\n"),
		"evidence.csv:2:4: neighbourhood_code N9 does not name a neighbourhood");
}
END_TEST

START_TEST(test_import_evidence_policy_mismatch)
{
	/* A2 belongs to P1 (agreements.csv); policy_code is the 2nd column */
	import_fails(evidence_folder(EVIDENCE_HEADER
				     "E1,P2,A2,,2016-05-12,interview,Intervista,Testo,\n"),
		     "evidence.csv:2:2: policy_code P2 is not the policy of agreement A2 (P1)");
}
END_TEST

START_TEST(test_import_evidence_bad_kind)
{
	import_fails(
		evidence_folder(EVIDENCE_HEADER "E1,P1,,,2016-05-12,survey,Questionario,Testo,\n"),
		"evidence.csv:2:6: kind survey is not one of focus_group, interview, "
		"observation, document");
}
END_TEST

START_TEST(test_import_evidence_no_participants)
{
	import_fails(evidence_folder(EVIDENCE_HEADER
				     "E1,P1,,N1,2016-05-12,focus_group,Gruppo,Testo,0\n"),
		     "evidence.csv:2:9: participants 0 must be >= 1");
}
END_TEST

START_TEST(test_import_evidence_empty_summary)
{
	/* quoted or not, an empty field is empty */
	import_fails(
		evidence_folder(EVIDENCE_HEADER "E1,P1,,N1,2016-05-12,focus_group,Gruppo,\"\",3\n"),
		"evidence.csv:2:8: summary is required");
}
END_TEST

START_TEST(test_import_evidence_cli_error)
{
	const char *argv[] = {"cruscotto",
			      "import",
			      "-q",
			      "--db",
			      conninfo,
			      evidence_folder(EVIDENCE_HEADER
					      "E1,P1,,,2016-05-12,observation,Parco,"
					      "\"Riga uno\rRiga due\",\n"),
			      NULL};
	char *out = NULL, *err = NULL, *before = counts(), *after;

	/* one line on stderr, the CR shown escaped */
	ck_assert_int_eq(testdb_run(argv, NULL, &out, &err), 1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "cruscotto: evidence.csv:2:8: summary \"Riga uno\\rRiga due\" holds "
			      "control character U+000D (carriage return) at character 9 (only "
			      "newline and tab may be used)\n");
	after = counts();
	ck_assert_str_eq(after, before);
	free(out);
	free(err);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_import_evidence_schema_refuses_direct_sql)
{
	struct import_summary s;

	import_ok(evidence_folder(EVIDENCE_HEADER), 0, &s);
	sql_refused("INSERT INTO evidence (code, policy_code, agreement_code, neighbourhood_code, "
		    "recorded_on, kind, title, summary) VALUES ('E1', 'P1', 'A1', 'N1', "
		    "'2016-05-12', 'interview', 'T', 'S')",
		    "new row for relation \"evidence\" violates check constraint "
		    "\"evidence_one_place\"");
	sql_refused("INSERT INTO evidence (code, policy_code, recorded_on, kind, title, summary) "
		    "VALUES ('E1', 'P1', '2016-05-12', 'document', 'T', E'a\\rb')",
		    "new row for relation \"evidence\" violates check constraint "
		    "\"evidence_summary\"");
	sql_refused("INSERT INTO evidence (code, policy_code, recorded_on, kind, title, summary) "
		    "VALUES ('E1', 'P1', '2016-05-12', 'document', 'T', repeat('x', 4001))",
		    "new row for relation \"evidence\" violates check constraint "
		    "\"evidence_summary\"");
	sql_refused("INSERT INTO evidence (code, policy_code, agreement_code, recorded_on, kind, "
		    "title, summary) VALUES ('E1', 'P2', 'A1', '2016-05-12', 'interview', 'T', "
		    "'S')",
		    "insert or update on table \"evidence\" violates foreign key constraint "
		    "\"evidence_agreement_code_policy_code_fkey\"");
	/* 4000 characters and a tab are fine */
	ck_assert(db_exec(conn,
			  "INSERT INTO evidence (code, policy_code, recorded_on, kind, title, "
			  "summary) VALUES ('E1', 'P1', '2016-05-12', 'document', 'T', "
			  "repeat(E'\\t', 3999) || 'x')",
			  0, NULL, NULL) == 0);
}
END_TEST

Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_import_valid_folder);
	tcase_add_test(tc, test_import_missing_required_column);
	tcase_add_test(tc, test_import_unknown_column);
	tcase_add_test(tc, test_import_repeated_column);
	tcase_add_test(tc, test_import_quoted_header);
	tcase_add_test(tc, test_import_header_not_utf8);
	tcase_add_test(tc, test_import_wrong_number_of_fields);
	tcase_add_test(tc, test_import_not_a_number);
	tcase_add_test(tc, test_import_not_an_integer);
	tcase_add_test(tc, test_import_not_a_date);
	tcase_add_test(tc, test_import_impossible_date);
	tcase_add_test(tc, test_import_unknown_enum);
	tcase_add_test(tc, test_import_score_out_of_range);
	tcase_add_test(tc, test_import_negative_population);
	tcase_add_test(tc, test_import_unknown_reference_same_import);
	tcase_add_test(tc, test_import_unknown_reference_across_imports);
	tcase_add_test(tc, test_import_duplicate_code);
	tcase_add_test(tc, test_import_duplicate_pair);
	tcase_add_test(tc, test_import_fact_already_imported);
	tcase_add_test(tc, test_import_same_folder_twice);
	tcase_add_test(tc, test_import_dates_out_of_order);
	tcase_add_test(tc, test_import_completed_before_defined);
	tcase_add_test(tc, test_import_invalid_utf8);
	tcase_add_test(tc, test_import_no_header);
	tcase_add_test(tc, test_import_survey_policy_mismatch);
	tcase_add_test(tc, test_import_target_on_neutral_indicator);
	tcase_add_test(tc, test_import_target_at_neighbourhood_level);
	tcase_add_test(tc, test_import_weight_unknown_item);
	tcase_add_test(tc, test_import_end_of_data_marker);
	tcase_add_test(tc, test_import_end_of_data_marker_across_reads);
	tcase_add_test(tc, test_import_reads_each_file_once);
	tcase_add_test(tc, test_import_schema_not_initialised);
	tcase_add_test(tc, test_import_no_interchange_file);
	tcase_add_test(tc, test_import_update_keeps_history);
	tcase_add_test(tc, test_import_embedded_newline);
	tcase_add_test(tc, test_import_header_only);
	tcase_add_test(tc, test_import_dry_run);
	tcase_add_test(tc, test_import_schema_refuses_direct_sql);
	tcase_add_test(tc, test_import_cli_error);
	tcase_add_test(tc, test_import_cli_dry_run);
	tcase_add_test(tc, test_import_quote_inside_unquoted_field);
	tcase_add_test(tc, test_import_doubled_quote_inside_quoted_field);
	tcase_add_test(tc, test_import_text_after_closing_quote);
	tcase_add_test(tc, test_import_unterminated_quote);
	tcase_add_test(tc, test_import_statistics_after_commit);
	tcase_add_test(tc, test_import_number_too_large);
	tcase_add_test(tc, test_import_blank_required_text);
	tcase_add_test(tc, test_import_symlink_outside_folder);
	tcase_add_test(tc, test_import_symlink_inside_folder);
	tcase_add_test(tc, test_import_long_header_cut);
	tcase_add_test(tc, test_import_references_checked_per_statement);
	tcase_add_test(tc, test_import_large_append_rebuilds_indexes);
	tcase_add_test(tc, test_import_large_append_checks_references);
	tcase_add_test(tc, test_import_large_file_checks_foreign_keys);
	tcase_add_test(tc, test_import_large_file_keeps_foreign_key_not_valid);
	tcase_add_test(tc, test_import_evidence_valid);
	tcase_add_test(tc, test_import_evidence_update);
	tcase_add_test(tc, test_import_evidence_summary_too_long);
	tcase_add_test(tc, test_import_evidence_control_character);
	tcase_add_test(tc, test_import_evidence_carriage_return);
	tcase_add_test(tc, test_import_evidence_title_one_line);
	tcase_add_test(tc, test_import_evidence_title_too_long);
	tcase_add_test(tc, test_import_evidence_agreement_and_neighbourhood);
	tcase_add_test(tc, test_import_evidence_unknown_agreement);
	tcase_add_test(tc, test_import_evidence_unknown_neighbourhood);
	tcase_add_test(tc, test_import_evidence_policy_mismatch);
	tcase_add_test(tc, test_import_evidence_bad_kind);
	tcase_add_test(tc, test_import_evidence_no_participants);
	tcase_add_test(tc, test_import_evidence_empty_summary);
	tcase_add_test(tc, test_import_evidence_cli_error);
	tcase_add_test(tc, test_import_evidence_schema_refuses_direct_sql);
	tcase_add_test(tc, test_import_direct_forms);
	tcase_add_test(tc, test_import_direct_first_error_in_file_order);
	tcase_add_test(tc, test_import_direct_batch);
	tcase_add_test(tc, test_import_large_upsert_rebuilds_indexes);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(import_suite)
