/* publish: revisions stored whole and unchangeable, numbered per policy
 * and period, their hashes, the list of revisions, the web role's reach,
 * and the publish / revisions commands of the binary. */
#include "check_main.h"
#include "err.h"
#include "sha256.h"
#include "html.h"
#include "json.h"
#include "pdf.h"
#include "publish.h"
#include "run.h"
#include "testdb.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A small policy with one agreement covering one neighbourhood: enough for
 * every scorecard (policy, agreement, neighbourhood) to render. The names
 * hold accents, guillemets and HTML specials on purpose. */
static const char fixture_sql[] =
	"SET search_path = cruscotto, pg_catalog;"
	"INSERT INTO batch (source) VALUES ('fixture');"
	"INSERT INTO policy (code, name, started_on, locale, volunteer_hour_value_eur, batch_id)"
	" VALUES ('QUA', 'Qualità urbana <città> & comunità', '2023-01-01', 'it', 15, 1);"
	"INSERT INTO neighbourhood (code, name, population, batch_id)"
	" VALUES ('N1', 'Borgo Panigale', 1000, 1);"
	"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on, signed_on,"
	" batch_id) VALUES ('A1', 'QUA', 'Giardino «comune» di via Rossi', '2023-02-01',"
	" '2023-03-01', '2023-04-01', 1);"
	"INSERT INTO agreement_area VALUES ('A1', 'N1', 1);"
	"INSERT INTO batch (source) VALUES ('second');";

static char *conninfo;
static db *conn;

static void setup(void)
{
	testdb_create(&conninfo, &conn);
	ck_assert_msg(db_exec_script(conn, fixture_sql) == 0, "%s", err_last());
}

static void teardown(void)
{
	testdb_drop(conninfo, conn);
	conninfo = NULL;
	conn = NULL;
}

static struct publish_result publish_ok(const char *period)
{
	struct publish_result res;

	ck_assert_msg(publish_period(conn, "QUA", period, NULL, &res) == 0, "%s", err_last());
	return res;
}

/* Runs `sql` and expects it to fail with a message containing `expected`. */
static void expect_refused(const char *sql, const char *expected)
{
	int rc = db_exec(conn, sql, 0, NULL, NULL);

	ck_assert_msg(rc == ERR_FAIL, "%s: expected a refusal, got %d", sql, rc);
	ck_assert_msg(strstr(err_last(), expected) != NULL, "%s: %s", sql, err_last());
}

/* The documents of a revision, one line each: kind, code, format, hash. */
static char *documents_of(int revision)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT string_agg(d.kind || ' ' || coalesce(d.agreement_code, '-') || ' ' ||"
		 " d.format || ' ' || d.sha256 || ' ' || length(d.content), E'\\n'"
		 " ORDER BY d.kind, d.agreement_code, d.format)"
		 " FROM cruscotto.revision r JOIN cruscotto.revision_document d"
		 " ON d.revision_id = r.id WHERE r.policy_code = 'QUA' AND r.period = '2024-Q2'"
		 " AND r.revision = %d",
		 revision);
	return testdb_value(conn, sql);
}

START_TEST(test_publish_first_revision_hashes_match_content)
{
	struct publish_result res = publish_ok("2024-Q2");
	rows *r = NULL;
	char hex[65], *v;
	int i, seen_pdf = 0, seen_json = 0;

	ck_assert_int_eq(res.revision, 1);
	ck_assert_int_eq(res.scorecards, 3); /* the policy's, A1's and N1's */
	ck_assert_int_eq(res.documents, 6);
	/* the batch the numbers come from: the last one imported */
	ck_assert_int_eq(res.batch_id, 2);
	v = testdb_value(conn, "SELECT revision || ' ' || batch_id || ' ' || policy_name || ' ' ||"
			       " locale || ' ' || (published_by = current_user)"
			       " FROM cruscotto.revision");
	ck_assert_str_eq(v, "1 2 Qualità urbana <città> & comunità it true");
	free(v);
	ck_assert_int_eq(db_exec(conn,
				 "SELECT kind, agreement_code, title, format, sha256, content_type,"
				 " content, neighbourhood_code FROM cruscotto.revision_document"
				 " ORDER BY kind DESC, format",
				 0, NULL, &r),
			 0);
	ck_assert_int_eq(r->nrows, 6);
	for (i = 0; i < r->nrows; i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		const char *format = rows_get(r, i, 3);

		ck_assert_int_eq(db_decode_bytea(rows_get(r, i, 6), &data, &len), 0);
		ck_assert_int_eq(sha256_hex(data, len, hex), 0);
		ck_assert_str_eq(hex, rows_get(r, i, 4));
		if (strcmp(format, "pdf") == 0) {
			ck_assert_str_eq(rows_get(r, i, 5), "application/pdf");
			ck_assert(len > 5 && memcmp(data, "%PDF-", 5) == 0);
			seen_pdf++;
		} else {
			cJSON *json = cJSON_ParseWithLength((const char *)data, len);

			ck_assert_str_eq(rows_get(r, i, 5), "application/json; charset=utf-8");
			ck_assert_ptr_nonnull(json);
			ck_assert_str_eq(cJSON_GetObjectItem(json, "format")->valuestring,
					 "cruscotto.scorecard/1");
			ck_assert_str_eq(cJSON_GetObjectItem(json, "level")->valuestring,
					 rows_get(r, i, 0));
			cJSON_Delete(json);
			seen_json++;
		}
		free(data);
	}
	/* the policy's documents first (kind DESC), then the neighbourhood's,
	 * then the agreement's */
	ck_assert_ptr_null(rows_get(r, 0, 1));
	ck_assert_ptr_null(rows_get(r, 0, 7));
	ck_assert_str_eq(rows_get(r, 0, 2), "Qualità urbana <città> & comunità");
	ck_assert_str_eq(rows_get(r, 2, 0), "neighbourhood");
	ck_assert_ptr_null(rows_get(r, 2, 1));
	ck_assert_str_eq(rows_get(r, 2, 7), "N1");
	ck_assert_str_eq(rows_get(r, 2, 2), "Borgo Panigale");
	ck_assert_str_eq(rows_get(r, 4, 1), "A1");
	ck_assert_ptr_null(rows_get(r, 4, 7));
	ck_assert_str_eq(rows_get(r, 4, 2), "Giardino «comune» di via Rossi");
	ck_assert_int_eq(seen_pdf, 3);
	ck_assert_int_eq(seen_json, 3);
	rows_free(r);
}
END_TEST

/* Schema 14: the documents' columns compress with lz4 (pglz spent a
 * millisecond on each PDF and then stored it as it was). The fixture's JSON
 * scorecards are several kB of text, above PostgreSQL's 2 kB threshold and
 * compressible, so each is stored compressed, by lz4; so are the HTML pages
 * and the open-data CSV above the threshold. A value stored uncompressed
 * (below the threshold, or one lz4 could not shrink) has no method. */
START_TEST(test_publish_documents_compressed_with_lz4)
{
	char *v;

	v = testdb_value(
		conn, "SELECT string_agg(attrelid::regclass::text || ' ' || attcompression::text,"
		      " ', ' ORDER BY attrelid::regclass::text) FROM pg_attribute"
		      " WHERE attname = 'content' AND attrelid IN"
		      " ('cruscotto.revision_document'::regclass,"
		      " 'cruscotto.revision_page'::regclass,"
		      " 'cruscotto.revision_opendata'::regclass)");
	ck_assert_str_eq(v, "revision_document l, revision_opendata l, revision_page l");
	free(v);
	publish_ok("2024-Q2");
	/* the three JSON scorecards, by lz4 */
	v = testdb_value(conn, "SELECT count(*) || ' ' || string_agg(DISTINCT"
			       " coalesce(pg_column_compression(content), 'none'), ',')"
			       " FROM cruscotto.revision_document WHERE format = 'json'");
	ck_assert_str_eq(v, "3 lz4");
	free(v);
	/* no document, page or table stored by another method */
	v = testdb_value(conn,
			 "SELECT count(*) FROM (SELECT content FROM cruscotto.revision_document"
			 " UNION ALL SELECT content FROM cruscotto.revision_page"
			 " UNION ALL SELECT content FROM cruscotto.revision_opendata) d"
			 " WHERE pg_column_compression(content) <> 'lz4'");
	ck_assert_str_eq(v, "0");
	free(v);
	v = testdb_value(conn, "SELECT count(*) > 0 FROM cruscotto.revision_page"
			       " WHERE pg_column_compression(content) = 'lz4'");
	ck_assert_str_eq(v, "t");
	free(v);
}
END_TEST

/* Compares one stored document with the bytes rendered here. */
static void assert_stored(const char *code, const char *format, const void *want, size_t len)
{
	const char *params[2] = {code, format};
	unsigned char *data = NULL;
	size_t got = 0;
	rows *r = NULL;

	ck_assert_int_eq(
		db_exec(conn,
			"SELECT content FROM cruscotto.revision_document"
			" WHERE coalesce(agreement_code, neighbourhood_code, '-') = $1::text"
			" AND format = $2::text",
			2, params, &r),
		0);
	ck_assert_int_eq(r->nrows, 1);
	ck_assert_int_eq(db_decode_bytea(rows_get(r, 0, 0), &data, &got), 0);
	ck_assert_uint_eq(got, len);
	ck_assert_msg(memcmp(data, want, len) == 0, "%s %s differs", code, format);
	free(data);
	rows_free(r);
}

/* Fifteen scorecards streamed into COPY by the rendering threads: each
 * stored document is byte for byte what rendering its card alone gives
 * (the JSON compacted),
 * and the result counts what was stored. */
START_TEST(test_publish_streamed_documents_match_each_card)
{
	struct run_options ro = {.policy = "QUA", .period = "2024-Q2"};
	struct publish_result res;
	struct ind_result *all = NULL;
	char *v;
	int i;

	ck_assert_msg(
		db_exec_script(conn,
			       "INSERT INTO cruscotto.agreement (code, policy_code, title,"
			       " lab_started_on, batch_id) SELECT 'B' || lpad(i::text, 2, '0'),"
			       " 'QUA', 'Orto n. ' || i, DATE '2023-05-01' + i, 1"
			       " FROM generate_series(1, 12) i;") == 0,
		"%s", err_last());
	res = publish_ok("2024-Q2");
	/* the policy, A1, B01-B12 and N1 (A1's; the B are in no neighbourhood) */
	ck_assert_int_eq(res.scorecards, 15);
	ck_assert_int_eq(res.documents, 30);
	v = testdb_value(conn, "SELECT sum(length(content)) FROM cruscotto.revision_document");
	ck_assert_uint_eq(res.bytes, strtoull(v, NULL, 10));
	free(v);
	ck_assert_int_eq(run_compute(conn, &ro, &all), 0);
	ck_assert_int_eq(all->n_agreements, 13);
	ck_assert_int_eq(all->n_neighbourhoods, 1);
	for (i = -1; i < all->n_agreements + all->n_neighbourhoods; i++) {
		const struct scorecard *sc = i < 0		     ? all->policy
					     : i < all->n_agreements ? all->agreements[i]
								     : all->neighbourhoods[0];
		const char *code = i < 0		   ? "-"
				   : i < all->n_agreements ? sc->agreement_code
							   : sc->neighbourhood.code;
		unsigned char *pdf = NULL;
		char *json = NULL;
		size_t len = 0;

		ck_assert_int_eq(rep_json_render(sc, &json), 0);
		rep_json_compact(json); /* stored and served compact */
		assert_stored(code, "json", json, strlen(json));
		ck_assert_int_eq(rep_pdf_render(sc, &pdf, &len), 0);
		assert_stored(code, "pdf", pdf, len);
		free(json);
		free(pdf);
	}
	ind_result_free(all);
}
END_TEST

/* Compares one stored page of revision 2 with the bytes rendered here. */
static void assert_page(const char *path, const char *want, const char *type)
{
	const char *params[1] = {path};
	unsigned char *data = NULL;
	size_t got = 0;
	char hex[65];
	rows *r = NULL;

	ck_assert_int_eq(
		db_exec(conn,
			"SELECT p.content, p.sha256, p.content_type"
			" FROM cruscotto.revision_page p JOIN cruscotto.revision r"
			" ON r.id = p.revision_id WHERE r.revision = 2 AND p.path = $1::text",
			1, params, &r),
		0);
	ck_assert_msg(r->nrows == 1, "page %s: %d rows", path, r->nrows);
	ck_assert_int_eq(db_decode_bytea(rows_get(r, 0, 0), &data, &got), 0);
	ck_assert_uint_eq(got, strlen(want));
	ck_assert_msg(memcmp(data, want, got) == 0, "page %s differs", path);
	ck_assert_int_eq(sha256_hex(data, got, hex), 0);
	ck_assert_str_eq(hex, rows_get(r, 0, 1));
	ck_assert_str_eq(rows_get(r, 0, 2), type);
	free(data);
	rows_free(r);
}

/* Publishing stores every HTML page of the run (the policy's page, each
 * ranking page, each agreement's page, the stylesheet), byte for byte what
 * rendering the card with the revision's line gives; the line says the
 * revision's number and date and links the period's list of revisions. */
START_TEST(test_publish_stores_the_html_pages_with_the_revision_line)
{
	struct run_options ro = {.policy = "QUA", .period = "2024-Q2"};
	struct publish_result res;
	struct ind_result *all = NULL;
	struct rep_html_revision rev = {2, NULL, "/QUA/"};
	char *v, *published, rel[64];
	int i, n;

	ck_assert_msg(
		db_exec_script(conn,
			       "INSERT INTO cruscotto.agreement (code, policy_code, title,"
			       " lab_started_on, batch_id) SELECT 'B' || lpad(i::text, 2, '0'),"
			       " 'QUA', 'Orto n. ' || i, DATE '2023-05-01' + i, 1"
			       " FROM generate_series(1, 60) i;") == 0,
		"%s", err_last());
	publish_ok("2024-Q2");
	res = publish_ok("2024-Q2");
	ck_assert_int_eq(res.revision, 2);
	ck_assert_int_eq(res.scorecards, 63); /* the policy, A1, B01-B60 and N1 */
	ck_assert_int_eq(run_compute(conn, &ro, &all), 0);
	n = rep_html_ranking_pages(all->policy);
	/* 61 agreements ranked, 50 a page: 2 pages */
	ck_assert_int_eq(n, 2);
	/* 61 agreements' pages + N1's + index + stylesheet + 2 ranking pages */
	ck_assert_int_eq(res.pages, 61 + 1 + 1 + 1 + 2);
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision_page");
	ck_assert_str_eq(v, "132"); /* 66 for each of the two revisions */
	free(v);
	published = testdb_value(conn, "SELECT to_char(published_at AT TIME ZONE 'UTC',"
				       " 'YYYY-MM-DD HH24:MI') || ' UTC' FROM cruscotto.revision"
				       " WHERE revision = 2");
	rev.published = published;
	for (i = -1; i < all->n_agreements + all->n_neighbourhoods; i++) {
		const struct scorecard *sc = i < 0		     ? all->policy
					     : i < all->n_agreements ? all->agreements[i]
								     : all->neighbourhoods[0];
		char *html = NULL;

		ck_assert_int_eq(rep_html_render_rev(sc, &rev, &html), 0);
		if (i < 0)
			snprintf(rel, sizeof(rel), "index.html");
		else if (i < all->n_agreements)
			snprintf(rel, sizeof(rel), "agreements/%s.html", sc->agreement_code);
		else
			snprintf(rel, sizeof(rel), "neighbourhoods/%s.html",
				 sc->neighbourhood.code);
		assert_page(rel, html, "text/html; charset=utf-8");
		free(html);
	}
	for (i = 1; i <= n; i++) {
		char *html = NULL;

		ck_assert_int_eq(rep_html_render_ranking_rev(all->policy, i, &rev, &html), 0);
		snprintf(rel, sizeof(rel), "ranking/%d.html", i);
		assert_page(rel, html, "text/html; charset=utf-8");
		free(html);
	}
	assert_page("cruscotto.css", rep_html_css, "text/css; charset=utf-8");
	/* the line itself, escaped like every text, with the list's link */
	v = testdb_value(conn,
			 "SELECT convert_from(p.content, 'UTF8') FROM cruscotto.revision_page p"
			 " JOIN cruscotto.revision r ON r.id = p.revision_id"
			 " WHERE r.revision = 2 AND p.path = 'index.html'");
	/* the number of revisions is left to the server (html.h): a mark */
	ck_assert_ptr_nonnull(strstr(v, "Revisione 2<!--cruscotto-of:di-->, pubblicata il "));
	ck_assert_ptr_nonnull(strstr(v, published));
	ck_assert_ptr_nonnull(strstr(v, "<a href=\"/QUA/\">tutte le revisioni</a>"));
	ck_assert_ptr_nonnull(strstr(v, "Qualità urbana &lt;città&gt; &amp; comunità"));
	free(v);
	/* pages are immutable like the documents */
	expect_refused("UPDATE cruscotto.revision_page SET path = path", "immutable");
	expect_refused("DELETE FROM cruscotto.revision_page", "immutable");
	expect_refused("TRUNCATE cruscotto.revision_page", "immutable");
	expect_refused("INSERT INTO cruscotto.revision_page SELECT revision_id, 'x.html', content,"
		       " sha256, content_type FROM cruscotto.revision_page LIMIT 1",
		       "immutable");
	free(published);
	ind_result_free(all);
}
END_TEST

START_TEST(test_publish_again_makes_revision_2_and_keeps_revision_1)
{
	struct publish_result res;
	char *before, *after, *second, *v;

	publish_ok("2024-Q2");
	before = documents_of(1);
	/* the records are corrected after publication */
	ck_assert_int_eq(db_exec(conn,
				 "UPDATE cruscotto.policy SET name = 'Qualità urbana (rivista)'", 0,
				 NULL, NULL),
			 0);
	res = publish_ok("2024-Q2");
	ck_assert_int_eq(res.revision, 2);
	after = documents_of(1);
	second = documents_of(2);
	ck_assert_str_eq(before, after);
	ck_assert_str_ne(before, second);
	v = testdb_value(conn, "SELECT string_agg(revision || ':' || policy_name, ', '"
			       " ORDER BY revision) FROM cruscotto.revision");
	ck_assert_str_eq(v, "1:Qualità urbana <città> & comunità, 2:Qualità urbana (rivista)");
	free(v);
	/* another period starts its own numbering */
	res = publish_ok("2024-Q1");
	ck_assert_int_eq(res.revision, 1);
	free(before);
	free(after);
	free(second);
}
END_TEST

START_TEST(test_publish_revisions_are_immutable)
{
	char *v;

	publish_ok("2024-Q2");
	expect_refused("UPDATE cruscotto.revision SET policy_name = 'x'", "immutable");
	expect_refused("UPDATE cruscotto.revision_document SET content = 'x'", "immutable");
	expect_refused("DELETE FROM cruscotto.revision_document", "immutable");
	expect_refused("DELETE FROM cruscotto.revision", "immutable");
	expect_refused("TRUNCATE cruscotto.revision_document", "immutable");
	expect_refused("TRUNCATE cruscotto.revision CASCADE", "immutable");
	/* a committed revision takes no further document */
	expect_refused("INSERT INTO cruscotto.revision_document (revision_id, kind, title, format,"
		       " content, sha256, content_type) SELECT id, 'agreement', 'x', 'json', 'x',"
		       " encode(sha256('x'), 'hex'), 'application/json; charset=utf-8'"
		       " FROM cruscotto.revision",
		       "immutable");
	/* numbers have no gaps and no duplicates, whoever inserts */
	expect_refused("INSERT INTO cruscotto.revision (policy_code, policy_name, locale, period,"
		       " revision) VALUES ('QUA', 'x', 'it', '2024-Q2', 5)",
		       "must be numbered 2");
	/* a stored hash always names its bytes */
	ck_assert_int_eq(db_begin(conn), 0);
	ck_assert_int_eq(db_exec(conn,
				 "INSERT INTO cruscotto.revision (policy_code, policy_name, locale,"
				 " period, revision) VALUES ('QUA', 'x', 'it', '2024-Q3', 1)",
				 0, NULL, NULL),
			 0);
	expect_refused("INSERT INTO cruscotto.revision_document (revision_id, kind, title, format,"
		       " content, sha256, content_type) SELECT max(id), 'policy', 'x', 'json',"
		       " 'x', repeat('0', 64), 'application/json; charset=utf-8'"
		       " FROM cruscotto.revision",
		       "check constraint");
	db_rollback(conn);
	v = testdb_value(conn, "SELECT count(*) || ' ' || min(policy_name)"
			       " FROM cruscotto.revision");
	ck_assert_str_eq(v, "1 Qualità urbana <città> & comunità");
	free(v);
}
END_TEST

/* In a revision being created (its own transaction, rolled back), `sql`
 * (which may use the revision's id as max(id)) is refused by a check. */
static void refused_in_new_revision(const char *sql)
{
	ck_assert_int_eq(db_begin(conn), 0);
	ck_assert_int_eq(db_exec(conn,
				 "INSERT INTO cruscotto.revision (policy_code, policy_name, locale,"
				 " period, revision) VALUES ('QUA', 'x', 'it', '2024-Q3', 1)",
				 0, NULL, NULL),
			 0);
	expect_refused(sql, "check constraint");
	db_rollback(conn);
}

/* A neighbourhood's document names its neighbourhood and no agreement; no
 * other document names a neighbourhood; a neighbourhood's page is
 * neighbourhoods/<code>.html and nothing deeper. */
START_TEST(test_publish_neighbourhood_documents_checked)
{
#define DOC(kind, agreement, neighbourhood)                                                        \
	"INSERT INTO cruscotto.revision_document (revision_id, kind, agreement_code,"              \
	" neighbourhood_code, title, format, content, sha256, content_type) SELECT max(id), "      \
	"'" kind "', " agreement ", " neighbourhood                                                \
	", 'x', 'json', 'x', encode(sha256('x'), 'hex'),"                                          \
	" 'application/json; charset=utf-8' FROM cruscotto.revision"
	char *v;

	publish_ok("2024-Q2");
	refused_in_new_revision(DOC("neighbourhood", "NULL", "NULL"));
	refused_in_new_revision(DOC("neighbourhood", "'A1'", "'N1'"));
	refused_in_new_revision(DOC("agreement", "'A1'", "'N1'"));
	refused_in_new_revision(DOC("policy", "NULL", "'N1'"));
	refused_in_new_revision(DOC("quartiere", "NULL", "'N1'"));
	refused_in_new_revision("INSERT INTO cruscotto.revision_page (revision_id, path, content,"
				" sha256, content_type) SELECT max(id), 'neighbourhoods/a/b.html',"
				" 'x', encode(sha256('x'), 'hex'), 'text/html; charset=utf-8'"
				" FROM cruscotto.revision");
	/* what publish stored: N1's JSON, PDF and page */
	v = testdb_value(conn,
			 "SELECT string_agg(d.format || ' ' || d.title, ',' ORDER BY d.format)"
			 " FROM cruscotto.revision_document d WHERE d.kind = 'neighbourhood'"
			 " AND d.neighbourhood_code = 'N1' AND d.agreement_code IS NULL");
	ck_assert_str_eq(v, "json Borgo Panigale,pdf Borgo Panigale");
	free(v);
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision_page"
			       " WHERE path = 'neighbourhoods/N1.html'");
	ck_assert_str_eq(v, "1");
	free(v);
#undef DOC
}
END_TEST

START_TEST(test_publish_web_role_reads_revisions_only)
{
	char *v;

	publish_ok("2024-Q2");
	ck_assert_int_eq(db_exec(conn, "SET ROLE cruscotto_web", 0, NULL, NULL), 0);
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision_document");
	ck_assert_str_eq(v, "6"); /* JSON and PDF of the policy, A1 and N1 */
	free(v);
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision_latest");
	ck_assert_str_eq(v, "1");
	free(v);
	/* index.html, the stylesheet, ranking/1.html (one agreement), A1's and
	 * N1's pages */
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision_page");
	ck_assert_str_eq(v, "5");
	free(v);
	expect_refused("SELECT * FROM cruscotto.agreement", "permission denied");
	expect_refused("SELECT * FROM cruscotto.policy", "permission denied");
	expect_refused("SELECT * FROM cruscotto.batch", "permission denied");
	expect_refused("SELECT * FROM cruscotto.schema_version", "permission denied");
	expect_refused("INSERT INTO cruscotto.revision (policy_code, policy_name, locale, period,"
		       " revision) VALUES ('QUA', 'x', 'it', '2024-Q4', 1)",
		       "permission denied");
	expect_refused("DELETE FROM cruscotto.revision_document", "permission denied");
	expect_refused("CREATE TABLE cruscotto.x (i int)", "permission denied");
	ck_assert_int_eq(db_exec(conn, "RESET ROLE", 0, NULL, NULL), 0);
	/* the role is cluster-wide and created once; migrating again is fine */
	v = testdb_value(conn, "SELECT rolcanlogin::text FROM pg_roles"
			       " WHERE rolname = 'cruscotto_web'");
	ck_assert_str_eq(v, "false");
	free(v);
}
END_TEST

START_TEST(test_publish_unknown_policy_stores_nothing)
{
	struct publish_result res = {.revision = -7};
	char *v;

	ck_assert_int_eq(publish_period(conn, "NOPE", "2024-Q2", NULL, &res), ERR_NOTFOUND);
	ck_assert_int_eq(res.revision, -7);
	ck_assert_int_eq(publish_period(conn, "QUA", "2024-Q7", NULL, &res), ERR_USAGE);
	/* before the policy started */
	ck_assert_int_eq(publish_period(conn, "QUA", "2020-Q1", NULL, &res), ERR_NOTFOUND);
	v = testdb_value(conn, "SELECT count(*) FROM cruscotto.revision");
	ck_assert_str_eq(v, "0");
	free(v);
}
END_TEST

START_TEST(test_publish_list_writes_an_aligned_table)
{
	char *text = NULL, line[256];
	size_t len = 0;
	rows *r = NULL;
	FILE *f;
	int n = 0;

	publish_ok("2024-Q2");
	publish_ok("2024-Q2");
	publish_ok("2024-Q1");
	ck_assert_int_eq(publish_list(conn, "QUA", NULL, &r), 0);
	ck_assert_int_eq(r->nrows, 3);
	ck_assert_str_eq(rows_get(r, 0, 0), "2024-Q1");
	ck_assert_str_eq(rows_get(r, 2, 0), "2024-Q2");
	ck_assert_str_eq(rows_get(r, 2, 1), "2");
	ck_assert_str_eq(rows_get(r, 2, 5), "6"); /* documents: 2 of the policy, A1, N1 */
	f = open_memstream(&text, &len);
	ck_assert_int_eq(publish_write_table(r, "QUA", f), 0);
	fclose(f);
	rows_free(r);
	ck_assert_msg(strncmp(text, "PERIOD   REVISION  PUBLISHED (UTC)      BY", 42) == 0, "%s",
		      text);
	f = fmemopen(text, len, "r");
	while (fgets(line, sizeof(line), f)) {
		/* every line has the same columns at the same place */
		ck_assert_msg(strlen(line) >= 60 && line[17] == ' ' && line[18] == ' ', "%s", line);
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 4);
	free(text);
	ck_assert_int_eq(publish_list(conn, "QUA", "2024-Q1", &r), 0);
	ck_assert_int_eq(r->nrows, 1);
	rows_free(r);
	ck_assert_int_eq(publish_list(conn, "NOPE", NULL, &r), ERR_NOTFOUND);
}
END_TEST

START_TEST(test_publish_commands_of_the_binary)
{
	char *out = NULL, *err = NULL;
	int rc;

	rc = testdb_run((const char *[]){"cruscotto", "revisions", "-q", "--db", conninfo,
					 "--policy", "QUA", NULL},
			NULL, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_str_eq(out, "policy QUA has no published revision\n");
	free(out);
	free(err);
	rc = testdb_run((const char *[]){"cruscotto", "publish", "-q", "--db", conninfo, "--policy",
					 "QUA", "--period", "2024-Q2", NULL},
			NULL, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	/* pages: index.html, cruscotto.css, ranking/1.html, agreements/A1.html,
	 * neighbourhoods/N1.html */
	ck_assert_str_eq(out, "published QUA 2024-Q2 as revision 1: 3 scorecard(s), 6 "
			      "document(s), 5 page(s), data up to import batch 2\n");
	free(out);
	free(err);
	rc = testdb_run((const char *[]){"cruscotto", "revisions", "-q", "--db", conninfo,
					 "--policy", "QUA", "--period", "2024-Q2", NULL},
			NULL, &out, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_msg(strstr(out, "\n2024-Q2         1  ") != NULL, "%s", out);
	free(out);
	free(err);
	/* usage errors exit 2, unknown things 1 */
	rc = testdb_run((const char *[]){"cruscotto", "publish", "-q", "--db", conninfo, "--policy",
					 "QUA", "--period", "2024-Q2", "--agreement", "A1", NULL},
			NULL, NULL, &err);
	ck_assert_int_eq(rc, 2);
	free(err);
	rc = testdb_run((const char *[]){"cruscotto", "revisions", "-q", "--db", conninfo,
					 "--policy", "NOPE", NULL},
			NULL, NULL, &err);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(err, "cruscotto: unknown policy NOPE\n");
	free(err);
}
END_TEST

START_TEST(test_publish_concurrent_publishers_take_turns)
{
	enum { N = 4 };
	const char *bin = getenv("CRUSCOTTO_BIN");
	char *argv[] = {(char *)bin, "publish", "-q",	    "--db",    conninfo,
			"--policy",  "QUA",	"--period", "2024-Q2", NULL};
	posix_spawn_file_actions_t fa;
	pid_t pids[N];
	int i, status;
	char *v;

	ck_assert_ptr_nonnull(bin);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(posix_spawn(&pids[i], bin, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "publisher %d failed",
			      i);
	}
	v = testdb_value(conn, "SELECT string_agg(revision::text, ',' ORDER BY revision) ||"
			       " ' ' || (SELECT count(*) FROM cruscotto.revision_document)"
			       " FROM cruscotto.revision");
	ck_assert_str_eq(v, "1,2,3,4 24"); /* 6 documents a revision */
	free(v);
}
END_TEST

Suite *publish_suite(void)
{
	Suite *s = suite_create("publish");
	TCase *tc = tcase_create("publish");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_publish_first_revision_hashes_match_content);
	tcase_add_test(tc, test_publish_again_makes_revision_2_and_keeps_revision_1);
	tcase_add_test(tc, test_publish_revisions_are_immutable);
	tcase_add_test(tc, test_publish_neighbourhood_documents_checked);
	tcase_add_test(tc, test_publish_web_role_reads_revisions_only);
	tcase_add_test(tc, test_publish_unknown_policy_stores_nothing);
	tcase_add_test(tc, test_publish_list_writes_an_aligned_table);
	tcase_add_test(tc, test_publish_commands_of_the_binary);
	tcase_add_test(tc, test_publish_concurrent_publishers_take_turns);
	tcase_add_test(tc, test_publish_streamed_documents_match_each_card);
	tcase_add_test(tc, test_publish_stores_the_html_pages_with_the_revision_line);
	tcase_add_test(tc, test_publish_documents_compressed_with_lz4);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(publish_suite)
