/* server: `cruscotto serve` over real HTTP (libcurl on loopback), in
 * process, against a test database with published revisions: every
 * resource with its status, headers and body, conditional requests, older
 * revisions, malformed paths, methods, the access log, a database outage
 * (on a private cluster, stopped and started again) and concurrent load. */
#include "check_main.h"
#include "err.h"
#include "sha256.h"
#include "http.h"
#include "pgembed.h"
#include "publish.h"
#include "schema.h"
#include "testdb.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <pthread.h>
#include <pwd.h>
#include <regex.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

extern char **environ;

/* The fixture of test_publish.c: one policy, one agreement, with names that
 * need escaping in HTML. */
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
	"INSERT INTO agreement_area VALUES ('A1', 'N1', 1);";

static char *conninfo;
static db *conn;
static struct http_server *server;
static FILE *access_log;
static int port;

/* ---- HTTP client ----------------------------------------------------------- */

struct resp {
	long status;
	char *head; /* the raw header block */
	size_t head_len;
	char *body;
	size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	FILE *f = arg;

	return fwrite(data, size, n, f) * size;
}

static void resp_free(struct resp *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* One request on a new connection: `method` GET, HEAD or any other (sent
 * with a small body when `body` is set), optional extra header lines
 * (separated by newlines). */
static void request(const char *method, const char *path, const char *header, const char *body,
		    struct resp *r)
{
	CURL *h = curl_easy_init();
	struct curl_slist *list = NULL;
	FILE *hf, *bf;
	static _Thread_local char url[20000];
	CURLcode rc;

	memset(r, 0, sizeof(*r));
	ck_assert_ptr_nonnull(h);
	hf = open_memstream(&r->head, &r->head_len);
	bf = open_memstream(&r->body, &r->len);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* the paths go out exactly as written: no dot-segment removal */
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0 || body)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (header) {
		/* one line, or several separated by newlines */
		char *lines = strdup(header), *line, *save = NULL;

		ck_assert_ptr_nonnull(lines);
		for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			list = curl_slist_append(list, line);
		free(lines);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	}
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, hf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, bf);
	rc = curl_easy_perform(h);
	fclose(hf);
	fclose(bf);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(list);
	curl_easy_cleanup(h);
}

static void get(const char *path, struct resp *r)
{
	request("GET", path, NULL, NULL, r);
}

/* The value of a response header (trimmed), or "" when absent; valid until
 * the next call. */
static const char *header(const struct resp *r, const char *name)
{
	static char value[512];
	const char *p = r->head;
	size_t n = strlen(name);

	value[0] = '\0';
	while (p && *p) {
		const char *eol = strstr(p, "\r\n");

		if (!eol)
			break;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;

			v += strspn(v, " ");
			snprintf(value, sizeof(value), "%.*s", (int)(eol - v), v);
			break;
		}
		p = eol + 2;
	}
	return value;
}

static cJSON *json_of(const struct resp *r)
{
	cJSON *j = cJSON_ParseWithLength(r->body, r->len);

	ck_assert_msg(j != NULL, "not JSON: %.*s", (int)r->len, r->body);
	return j;
}

/* Asserts a JSON error response of `status` whose message holds `words`. */
static void expect_error(const char *method, const char *path, long status, const char *words)
{
	struct resp r;
	cJSON *j, *e;

	request(method, path, NULL, NULL, &r);
	ck_assert_msg(r.status == status, "%s %s: %ld, expected %ld", method, path, r.status,
		      status);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_str_eq(header(&r, "Cache-Control"), "no-store");
	ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
	j = json_of(&r);
	e = cJSON_GetObjectItem(j, "error");
	ck_assert_msg(cJSON_IsString(e) && strstr(e->valuestring, words), "%s: %.*s", path,
		      (int)r.len, r.body);
	cJSON_Delete(j);
	resp_free(&r);
}

/* The quoted SHA-256 of a body, as the ETag must be. */
static void etag_of(const void *data, size_t len, char out[67])
{
	char hex[65];

	ck_assert_int_eq(sha256_hex(data, len, hex), 0);
	snprintf(out, 67, "\"%s\"", hex);
}

/* ---- fixture ---------------------------------------------------------------- */

static void publish(db *c, const char *period)
{
	struct publish_result res;

	ck_assert_msg(publish_period(c, "QUA", period, NULL, &res) == 0, "%s", err_last());
}

static void start_server(const char *ci)
{
	struct http_options o = {.conninfo = ci,
				 .listen = "127.0.0.1:0",
				 .pool_size = 4,
				 .access_log = access_log,
				 .refresh_ms = -1};

	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	port = http_port(server);
	ck_assert_int_gt(port, 0);
}

static void setup(void)
{
	testdb_create(&conninfo, &conn);
	ck_assert_msg(db_exec_script(conn, fixture_sql) == 0, "%s", err_last());
	publish(conn, "2024-Q2");
	access_log = tmpfile();
	ck_assert_ptr_nonnull(access_log);
	start_server(conninfo);
}

static void teardown(void)
{
	http_stop(server);
	server = NULL;
	if (access_log)
		fclose(access_log);
	access_log = NULL;
	testdb_drop(conninfo, conn);
	conninfo = NULL;
	conn = NULL;
}

/* The stored document of the latest revision of 2024-Q2, for comparison. */
static void stored(const char *kind, const char *format, unsigned char **data, size_t *len,
		   char sha[65])
{
	const char *params[2] = {kind, format};
	rows *r = NULL;

	ck_assert_int_eq(db_exec(conn,
				 "SELECT d.content, d.sha256 FROM cruscotto.revision_latest l"
				 " JOIN cruscotto.revision_document d ON d.revision_id = l.id"
				 " WHERE l.period = '2024-Q2' AND d.kind = $1::text"
				 " AND d.format = $2::text",
				 2, params, &r),
			 0);
	ck_assert_int_eq(r->nrows, 1);
	ck_assert_int_eq(db_decode_bytea(rows_get(r, 0, 0), data, len), 0);
	snprintf(sha, 65, "%s", rows_get(r, 0, 1));
	rows_free(r);
}

/* ---- resources ---------------------------------------------------------------- */

START_TEST(test_server_policies_lists_published_policies)
{
	struct resp r;
	cJSON *j, *p, *links;
	char etag[67];

	get("/api/v1/policies", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
	ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
	ck_assert_str_eq(header(&r, "X-Content-Type-Options"), "nosniff");
	etag_of(r.body, r.len, etag);
	ck_assert_str_eq(header(&r, "ETag"), etag);
	j = json_of(&r);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "policies")), 1);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "policies"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "code")->valuestring, "QUA");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "name")->valuestring,
			 "Qualità urbana <città> & comunità");
	ck_assert_str_eq(cJSON_GetObjectItem(p, "locale")->valuestring, "it");
	ck_assert_int_eq(cJSON_GetObjectItem(p, "periods")->valueint, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "latest_period")->valuestring, "2024-Q2");
	links = cJSON_GetObjectItem(p, "links");
	ck_assert_str_eq(cJSON_GetObjectItem(links, "periods")->valuestring,
			 "/api/v1/policies/QUA/periods");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(links, "latest"), "pdf")->valuestring,
		"/api/v1/policies/QUA/scorecards/2024-Q2.pdf");
	cJSON_Delete(j);
	resp_free(&r);
}
END_TEST

START_TEST(test_server_periods_lists_revisions_and_agreements)
{
	struct resp r;
	cJSON *j, *per, *a, *revs;

	publish(conn, "2024-Q2");
	publish(conn, "2024-Q1");
	get("/api/v1/policies/QUA/periods", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
	j = json_of(&r);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "policy"), "code")->valuestring,
			 "QUA");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "periods")), 2);
	/* newest period first, with its latest revision */
	per = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "periods"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(per, "period")->valuestring, "2024-Q2");
	ck_assert_int_eq(cJSON_GetObjectItem(per, "revision")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItem(per, "batch")->valueint, 1);
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(per, "links"), "json")->valuestring,
		"/api/v1/policies/QUA/scorecards/2024-Q2");
	/* the agreements are counted, and listed elsewhere */
	ck_assert_int_eq(cJSON_GetObjectItem(per, "agreements")->valueint, 1);
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(per, "links"), "agreements")->valuestring,
		"/api/v1/policies/QUA/periods/2024-Q2/agreements");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "next")));
	revs = cJSON_GetObjectItem(per, "revisions");
	ck_assert_int_eq(cJSON_GetArraySize(revs), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(
				 cJSON_GetObjectItem(cJSON_GetArrayItem(revs, 0), "links"), "pdf")
				 ->valuestring,
			 "/api/v1/policies/QUA/scorecards/2024-Q2.pdf?revision=1");
	per = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "periods"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(per, "period")->valuestring, "2024-Q1");
	ck_assert_int_eq(cJSON_GetObjectItem(per, "revision")->valueint, 1);
	cJSON_Delete(j);
	resp_free(&r);
	get("/api/v1/policies/QUA/periods/2024-Q2/agreements", &r);
	ck_assert_int_eq(r.status, 200);
	j = json_of(&r);
	ck_assert_int_eq(cJSON_GetObjectItem(j, "revision")->valueint, 2);
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "agreements"), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(a, "code")->valuestring, "A1");
	ck_assert_str_eq(cJSON_GetObjectItem(a, "title")->valuestring,
			 "Giardino «comune» di via Rossi");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "links"), "pdf")->valuestring,
			 "/api/v1/agreements/A1/scorecards/2024-Q2.pdf?revision=2");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "next")));
	cJSON_Delete(j);
	resp_free(&r);
}
END_TEST

START_TEST(test_server_scorecards_are_the_stored_documents)
{
	static const char *const paths[] = {
		"/api/v1/policies/QUA/scorecards/2024-Q2",
		"/api/v1/policies/QUA/scorecards/2024-Q2.pdf",
		"/api/v1/agreements/A1/scorecards/2024-Q2",
		"/api/v1/agreements/A1/scorecards/2024-Q2.pdf",
		"/api/v1/policies/QUA/scorecards/2024-Q2.json",
	};
	static const char *const kinds[] = {"policy", "policy", "agreement", "agreement", "policy"};
	static const char *const formats[] = {"json", "pdf", "json", "pdf", "json"};
	unsigned i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		unsigned char *data = NULL;
		size_t len = 0;
		char sha[65], etag[67];
		struct resp r;

		stored(kinds[i], formats[i], &data, &len, sha);
		get(paths[i], &r);
		ck_assert_msg(r.status == 200, "%s: %ld", paths[i], r.status);
		ck_assert_str_eq(header(&r, "Content-Type"),
				 strcmp(formats[i], "pdf") == 0
					 ? "application/pdf"
					 : "application/json; charset=utf-8");
		snprintf(etag, sizeof(etag), "\"%s\"", sha);
		ck_assert_str_eq(header(&r, "ETag"), etag);
		ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
		ck_assert_str_eq(header(&r, "Access-Control-Allow-Origin"), "*");
		ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
		ck_assert_uint_eq(r.len, len);
		ck_assert(memcmp(r.body, data, len) == 0);
		if (strcmp(formats[i], "pdf") == 0) {
			ck_assert(memcmp(r.body, "%PDF-", 5) == 0);
			ck_assert_str_eq(header(&r, "Content-Disposition"),
					 i == 1 ? "inline; filename=\"QUA-2024-Q2-r1.pdf\""
						: "inline; filename=\"A1-2024-Q2-r1.pdf\"");
		} else {
			cJSON *j = json_of(&r);

			ck_assert_str_eq(cJSON_GetObjectItem(j, "level")->valuestring, kinds[i]);
			ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "period"), "id")
						 ->valuestring,
					 "2024-Q2");
			cJSON_Delete(j);
		}
		resp_free(&r);
		free(data);
	}
}
END_TEST

START_TEST(test_server_page_lists_periods_and_links)
{
	struct publish_result res;
	struct resp r;
	char etag[67];

	publish(conn, "2024-Q1");
	/* a second policy, in English */
	ck_assert_msg(db_exec_script(conn,
				     "INSERT INTO cruscotto.policy (code, name, started_on, locale,"
				     " volunteer_hour_value_eur) VALUES ('ENG', 'Urban commons',"
				     " '2023-01-01', 'en', 20)") == 0,
		      "%s", err_last());
	ck_assert_int_eq(publish_period(conn, "ENG", "2024-Q2", NULL, &res), 0);
	get("/", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
	ck_assert_msg(strstr(header(&r, "Content-Security-Policy"), "default-src 'none'"), "%s",
		      r.head);
	etag_of(r.body, r.len, etag);
	ck_assert_str_eq(header(&r, "ETag"), etag);
	ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"it\">"));
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"viewport\""));
	/* text from the database is escaped */
	ck_assert_ptr_nonnull(strstr(r.body, "Qualità urbana &lt;città&gt; &amp; comunità"));
	ck_assert_ptr_null(strstr(r.body, "<città>"));
	ck_assert_ptr_nonnull(strstr(r.body, "Giardino «comune» di via Rossi"));
	ck_assert_ptr_nonnull(strstr(r.body, "2º trimestre 2024"));
	ck_assert_ptr_nonnull(strstr(r.body, "data-period=\"2024-Q1\""));
	ck_assert_ptr_nonnull(
		strstr(r.body, "href=\"api/v1/policies/QUA/scorecards/2024-Q2.pdf\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"api/v1/agreements/A1/scorecards/2024-Q1\""));
	/* each policy in its own locale, the page's words in Italian */
	ck_assert_ptr_nonnull(
		strstr(r.body, "<section class=\"policy\" id=\"policy-ENG\" lang=\"en\">"));
	ck_assert_ptr_nonnull(strstr(r.body, "Q2 2024"));
	ck_assert_ptr_nonnull(strstr(r.body, "Policy scorecard"));
	ck_assert_ptr_nonnull(strstr(r.body, "Scheda della politica"));
	/* policies by code: ENG before QUA */
	ck_assert(strstr(r.body, "policy-ENG") < strstr(r.body, "policy-QUA"));
	/* nothing from elsewhere */
	ck_assert_ptr_null(strstr(r.body, "http://"));
	ck_assert_ptr_null(strstr(r.body, "https://"));
	ck_assert_ptr_null(strstr(r.body, "<script"));
	resp_free(&r);
}
END_TEST

/* Asserts a stored page's answer: 200, its type, its ETag, and the headers
 * every HTML answer carries. */
static void expect_stored(const char *path, const char *type, struct resp *r)
{
	char etag[67];

	get(path, r);
	ck_assert_msg(r->status == 200, "%s: %ld %.*s", path, r->status, (int)r->len, r->body);
	ck_assert_str_eq(header(r, "Content-Type"), type);
	ck_assert_str_eq(header(r, "X-Content-Type-Options"), "nosniff");
	ck_assert_msg(strncmp(header(r, "Content-Security-Policy"), "default-src 'self';", 19) == 0,
		      "%s: %s", path, r->head);
	ck_assert_str_eq(header(r, "Referrer-Policy"), "same-origin");
	etag_of(r->body, r->len, etag);
	ck_assert_str_eq(header(r, "ETag"), etag);
	/* no inline script or style: they would break under the policy above */
	ck_assert_ptr_null(strstr(r->body, "<script"));
	ck_assert_ptr_null(strstr(r->body, "<style"));
	ck_assert_ptr_null(strstr(r->body, " style="));
}

/* The stored HTML pages, served under /{policy}/{period}/ with the relative
 * layout of a run's folder: the period's page, the ranking page, the
 * agreement's page (also by /{policy}/{period}/{agreement}/), the
 * stylesheet, and the PDF and JSON they link; a revision by ?revision=N or
 * by revision/N/; /{policy}/ lists the revisions, / links the period. */
START_TEST(test_server_serves_the_stored_pages)
{
	static const char hostile[] = "<script>alert(1)</script> & \"quotes\"";
	const char *params[1] = {hostile};
	struct resp r, c;
	char line[200], *css = NULL;
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	char sha[65];

	/* revision 2 carries a hostile title */
	ck_assert_int_eq(
		db_exec(conn, "UPDATE cruscotto.agreement SET title = $1::text", 1, params, NULL),
		0);
	publish(conn, "2024-Q2");
	expect_stored("/QUA/2024-Q2/", "text/html; charset=utf-8", &r);
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
	ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"it\">"));
	ck_assert_ptr_nonnull(strstr(r.body, "Qualità urbana &lt;città&gt; &amp; comunità"));
	/* revision 2 of the two published: the server fills in "di 2" */
	ck_assert_ptr_nonnull(strstr(r.body, "Revisione 2 di 2, pubblicata il "));
	ck_assert_ptr_null(strstr(r.body, "<!--cruscotto-of"));
	ck_assert_ptr_nonnull(strstr(r.body, "<a href=\"/QUA/\">tutte le revisioni</a>"));
	/* its relative links: the stylesheet, its documents, the pages below */
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"cruscotto.css\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"policy.pdf\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"agreements/A1.html\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"ranking/1.html\""));
	/* the title is escaped, never markup */
	ck_assert_ptr_null(strstr(r.body, hostile));
	ck_assert_ptr_nonnull(
		strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
	/* the same bytes as index.html, and a 304 for its tag */
	get("/QUA/2024-Q2/index.html", &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_uint_eq(c.len, r.len);
	ck_assert(memcmp(c.body, r.body, r.len) == 0);
	resp_free(&c);
	snprintf(line, sizeof(line), "If-None-Match: %s", header(&r, "ETag"));
	request("GET", "/QUA/2024-Q2/", line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_uint_eq(c.len, 0);
	resp_free(&c);
	resp_free(&r);

	expect_stored("/QUA/2024-Q2/agreements/A1.html", "text/html; charset=utf-8", &r);
	ck_assert_ptr_null(strstr(r.body, hostile));
	ck_assert_ptr_nonnull(
		strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"../cruscotto.css\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"A1.pdf\""));
	resp_free(&r);
	expect_stored("/QUA/2024-Q2/ranking/1.html", "text/html; charset=utf-8", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"../agreements/A1.html\""));
	resp_free(&r);
	expect_stored("/QUA/2024-Q2/cruscotto.css", "text/css; charset=utf-8", &r);
	css = testdb_value(conn, "SELECT convert_from(content, 'UTF8') FROM"
				 " cruscotto.revision_page WHERE path = 'cruscotto.css' LIMIT 1");
	ck_assert_uint_eq(r.len, strlen(css));
	ck_assert(memcmp(r.body, css, r.len) == 0);
	free(css);
	resp_free(&r);

	/* the documents the pages link are the API's */
	stored("policy", "pdf", &pdf, &pdf_len, sha);
	get("/QUA/2024-Q2/policy.pdf", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/pdf");
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "2");
	ck_assert_uint_eq(r.len, pdf_len);
	ck_assert(memcmp(r.body, pdf, pdf_len) == 0);
	free(pdf);
	resp_free(&r);
	get("/QUA/2024-Q2/agreements/A1.json", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "<script>alert(1)</script>"));
	resp_free(&r);
	get("/QUA/2024-Q2/policy.json?revision=1", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);

	/* revision 1, both ways: its own title, and a line that says how many
	 * revisions there are now (so it holds only until the next one) */
	expect_stored("/QUA/2024-Q2/agreements/A1.html?revision=1", "text/html; charset=utf-8", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Giardino «comune» di via Rossi"));
	ck_assert_ptr_nonnull(strstr(r.body, "Revisione 1 di 2, pubblicata il "));
	ck_assert_ptr_null(strstr(r.body, "alert(1)"));
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
	get("/QUA/2024-Q2/revision/1/agreements/A1.html", &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_uint_eq(c.len, r.len);
	ck_assert(memcmp(c.body, r.body, r.len) == 0);
	resp_free(&c);
	resp_free(&r);
	/* the stylesheet of a revision is the same for good */
	get("/QUA/2024-Q2/revision/1/cruscotto.css", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=31536000, immutable");
	resp_free(&r);
	get("/QUA/2024-Q2/revision/1/policy.pdf", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);

	/* an agreement's short address, and the period's without its slash */
	get("/QUA/2024-Q2/A1/", &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_str_eq(header(&r, "Location"), "../agreements/A1.html");
	resp_free(&r);
	get("/QUA/2024-Q2/A1/?revision=1", &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_str_eq(header(&r, "Location"), "../agreements/A1.html?revision=1");
	resp_free(&r);
	get("/QUA/2024-Q2", &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_str_eq(header(&r, "Location"), "2024-Q2/");
	resp_free(&r);

	/* the policy's revisions; the council's page links them */
	get("/QUA/", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"2024-Q2/\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"2024-Q2/revision/1/\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"2024-Q2/revision/2/\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Qualità urbana &lt;città&gt; &amp; comunità"));
	/* newest first */
	ck_assert(strstr(r.body, "revision/2/") < strstr(r.body, "revision/1/"));
	resp_free(&r);
	get("/", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"QUA/2024-Q2/\""));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"QUA/\""));
	resp_free(&r);

	/* what is not there */
	expect_error("GET", "/QUA/2024-Q2/revision/3/", 404, "no published page index.html");
	expect_error("GET", "/QUA/2024-Q2/agreements/ZZ.html", 404, "no published page");
	expect_error("GET", "/QUA/2024-Q2/ranking/2.html", 404, "no published page");
	expect_error("GET", "/QUA/2024-Q3/", 404, "no published page");
	expect_error("GET", "/NOPE/", 404, "no published scorecards of policy NOPE");
	expect_error("GET", "/QUA/2024-Q2/ranking/0.html", 404, "no such resource");
	expect_error("GET", "/QUA/2024-Q2/secret.txt", 404, "no such resource");
	expect_error("GET", "/QUA/2024-Q2/revision/0/", 400, "malformed revision");
	expect_error("GET", "/QUA/2024-Q2/?revision=abc", 400, "malformed revision");
	expect_error("GET", "/QUA/2024-Q2/../../etc/passwd", 400, "\"..\"");
}
END_TEST

/* A neighbourhood's scorecard (the territory level): its JSON and PDF in
 * the API, under its policy, with ETag, 304 and older revisions like the
 * agreements'; its stored page and documents under /{policy}/{period}/
 * neighbourhoods/; and what is not there. */
START_TEST(test_server_neighbourhood_scorecards)
{
	static const char api[] = "/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q2";
	unsigned char *data = NULL;
	size_t len = 0;
	char sha[65], etag[67], line[120];
	struct resp r, c;
	cJSON *j;

	stored("neighbourhood", "json", &data, &len, sha);
	get(api, &r);
	ck_assert_msg(r.status == 200, "%ld %.*s", r.status, (int)r.len, r.body);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	snprintf(etag, sizeof(etag), "\"%s\"", sha);
	ck_assert_str_eq(header(&r, "ETag"), etag);
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=60");
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	ck_assert_uint_eq(r.len, len);
	ck_assert(memcmp(r.body, data, len) == 0);
	j = json_of(&r);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "level")->valuestring, "neighbourhood");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(j, "neighbourhood"), "name")->valuestring,
		"Borgo Panigale");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "agreements"), 0)->valuestring,
			 "A1");
	cJSON_Delete(j);
	free(data);
	snprintf(line, sizeof(line), "If-None-Match: %s", etag);
	request("GET", api, line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_uint_eq(c.len, 0);
	resp_free(&c);
	get("/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q2.json?revision=1", &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_str_eq(header(&c, "Cache-Control"), "public, max-age=31536000, immutable");
	ck_assert_uint_eq(c.len, r.len);
	ck_assert(memcmp(c.body, r.body, r.len) == 0);
	resp_free(&c);
	/* the page's document is the API's */
	get("/QUA/2024-Q2/neighbourhoods/N1.json", &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_uint_eq(c.len, r.len);
	ck_assert(memcmp(c.body, r.body, r.len) == 0);
	resp_free(&c);
	resp_free(&r);

	stored("neighbourhood", "pdf", &data, &len, sha);
	get("/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q2.pdf", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/pdf");
	ck_assert_str_eq(header(&r, "Content-Disposition"),
			 "inline; filename=\"N1-2024-Q2-r1.pdf\"");
	ck_assert_uint_eq(r.len, len);
	ck_assert(memcmp(r.body, data, len) == 0);
	free(data);
	get("/QUA/2024-Q2/revision/1/neighbourhoods/N1.pdf", &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_uint_eq(c.len, r.len);
	resp_free(&c);
	resp_free(&r);

	/* the stored page, and the neighbourhood's short address */
	expect_stored("/QUA/2024-Q2/neighbourhoods/N1.html", "text/html; charset=utf-8", &r);
	/* its revision line counts the period's revisions, as every page's:
	 * one so far */
	ck_assert_ptr_nonnull(strstr(r.body, "1 di 1"));
	resp_free(&r);
	get("/QUA/2024-Q2/neighbourhoods/N1/", &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_str_eq(header(&r, "Location"), "../N1.html");
	resp_free(&r);
	get("/QUA/2024-Q2/neighbourhoods/N1/?revision=1", &r);
	ck_assert_int_eq(r.status, 301);
	ck_assert_str_eq(header(&r, "Location"), "../N1.html?revision=1");
	resp_free(&r);
	/* the council's page lists the policy and agreements, not the
	 * neighbourhood as if it were one of them */
	get("/", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "Borgo Panigale"));
	resp_free(&r);

	/* what is not there */
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N2/scorecards/2024-Q2", 404,
		     "no published JSON scorecard of neighbourhood N2 of policy QUA for 2024-Q2");
	expect_error("GET", "/api/v1/policies/NOPE/neighbourhoods/N1/scorecards/2024-Q2", 404,
		     "no published");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q1.pdf", 404,
		     "no published PDF scorecard");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q2?revision=9",
		     404, "in revision 9");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q2.csv", 404,
		     "open data is published per policy period");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N%3C/scorecards/2024-Q2", 400,
		     "malformed neighbourhood code");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N1/scorecards/2024-Q5", 400,
		     "malformed");
	expect_error("GET", "/api/v1/policies/QUA/neighbourhoods/N1/cards/2024-Q2", 404,
		     "no such resource");
	expect_error("GET", "/QUA/2024-Q2/neighbourhoods/ZZ.html", 404, "no published page");
}
END_TEST

START_TEST(test_server_etag_gives_not_modified)
{
	struct resp r, c;
	char line[200], etag[80];

	get("/api/v1/policies/QUA/scorecards/2024-Q2.pdf", &r);
	ck_assert_int_eq(r.status, 200);
	snprintf(etag, sizeof(etag), "%s", header(&r, "ETag"));
	snprintf(line, sizeof(line), "If-None-Match: %s", etag);
	request("GET", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_uint_eq(c.len, 0);
	ck_assert_str_eq(header(&c, "ETag"), etag);
	ck_assert_str_eq(header(&c, "Cache-Control"), "public, max-age=60");
	ck_assert_str_eq(header(&c, "X-Cruscotto-Revision"), "1");
	resp_free(&c);
	/* a list of tags, weak or not, matches when one of them does */
	snprintf(line, sizeof(line), "If-None-Match: \"abc\", W/%s", etag);
	request("GET", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	resp_free(&c);
	request("HEAD", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", "If-None-Match: *", NULL,
		&c);
	ck_assert_int_eq(c.status, 304);
	resp_free(&c);
	request("GET", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf",
		"If-None-Match: "
		"\"0000000000000000000000000000000000000000000000000000000000000000\"",
		NULL, &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_uint_eq(c.len, r.len);
	resp_free(&c);
	/* lists and the page have tags too */
	get("/api/v1/policies", &c);
	snprintf(line, sizeof(line), "If-None-Match: %s", header(&c, "ETag"));
	resp_free(&c);
	request("GET", "/api/v1/policies", line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_str_eq(header(&c, "Access-Control-Allow-Origin"), "*");
	resp_free(&c);
	resp_free(&r);
}
END_TEST

/* The bytes of a gzip body, inflated: asserts it is one whole gzip member. */
static void gunzip(const struct resp *r, unsigned char **out, size_t *out_len)
{
	z_stream z = {0};
	size_t cap = 1 << 16, len = 0;
	unsigned char *buf = malloc(cap);
	int rc = Z_OK;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK); /* gzip only */
	z.next_in = (Bytef *)r->body;
	z.avail_in = (uInt)r->len;
	while (rc != Z_STREAM_END) {
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		z.next_out = buf + len;
		z.avail_out = (uInt)(cap - len);
		rc = inflate(&z, Z_NO_FLUSH);
		ck_assert_msg(rc == Z_OK || rc == Z_STREAM_END, "not gzip: %d", rc);
		len = cap - z.avail_out;
	}
	ck_assert_uint_eq(z.avail_in, 0); /* nothing after the member */
	inflateEnd(&z);
	*out = buf;
	*out_len = len;
}

START_TEST(test_server_compresses_text_for_clients_that_accept_gzip)
{
	const char *json = "/api/v1/policies/QUA/scorecards/2024-Q2";
	struct resp plain, gz, c;
	unsigned char *inflated;
	size_t n;
	char etag[80], gz_etag[80], line[200];

	get(json, &plain);
	ck_assert_int_eq(plain.status, 200);
	ck_assert_str_eq(header(&plain, "Content-Encoding"), "");
	/* caches keep the two codings apart, also for clients without gzip */
	ck_assert_str_eq(header(&plain, "Vary"), "Accept-Encoding");
	request("GET", json, "Accept-Encoding: gzip, deflate, br", NULL, &gz);
	ck_assert_int_eq(gz.status, 200);
	ck_assert_str_eq(header(&gz, "Content-Encoding"), "gzip");
	ck_assert_str_eq(header(&gz, "Vary"), "Accept-Encoding");
	ck_assert_str_eq(header(&gz, "Content-Type"), "application/json; charset=utf-8");
	/* the same document, smaller, under the same hash with "-gzip" */
	ck_assert_uint_lt(gz.len, plain.len);
	gunzip(&gz, &inflated, &n);
	ck_assert_uint_eq(n, plain.len);
	ck_assert_int_eq(memcmp(inflated, plain.body, n), 0);
	free(inflated);
	snprintf(etag, sizeof(etag), "%s", header(&plain, "ETag"));
	ck_assert_uint_eq(strlen(etag), 66);
	snprintf(line, sizeof(line), "%.65s-gzip\"", etag);
	ck_assert_str_eq(header(&gz, "ETag"), line);
	/* either tag revalidates; the 304 is the coding asked for */
	snprintf(line, sizeof(line), "If-None-Match: %s", header(&gz, "ETag"));
	request("GET", json, line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_str_eq(header(&c, "ETag"), etag);
	resp_free(&c);
	snprintf(gz_etag, sizeof(gz_etag), "%s", header(&gz, "ETag"));
	snprintf(line, sizeof(line), "If-None-Match: \"x\", %s\nAccept-Encoding: gzip", gz_etag);
	request("GET", json, line, NULL, &c);
	ck_assert_int_eq(c.status, 304);
	ck_assert_str_eq(header(&c, "ETag"), gz_etag);
	ck_assert_str_eq(header(&c, "Content-Encoding"), "");
	resp_free(&c);
	resp_free(&gz);
	/* a weight of 0 refuses gzip */
	request("GET", json, "Accept-Encoding: gzip;q=0", NULL, &c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_str_eq(header(&c, "Content-Encoding"), "");
	ck_assert_uint_eq(c.len, plain.len);
	resp_free(&c);
	/* PDFs go as they are: their streams are deflated already */
	request("GET", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", "Accept-Encoding: gzip", NULL,
		&c);
	ck_assert_int_eq(c.status, 200);
	ck_assert_str_eq(header(&c, "Content-Encoding"), "");
	ck_assert_str_eq(header(&c, "Vary"), "");
	ck_assert_int_eq(memcmp(c.body, "%PDF-", 5), 0);
	resp_free(&c);
	/* HEAD tells the compressed length */
	request("HEAD", json, "Accept-Encoding: gzip", NULL, &c);
	ck_assert_str_eq(header(&c, "Content-Encoding"), "gzip");
	ck_assert_uint_eq(c.len, 0);
	resp_free(&c);
	resp_free(&plain);
}
END_TEST

START_TEST(test_server_head_is_get_without_body)
{
	struct resp g, h;
	char length[80];

	get("/api/v1/agreements/A1/scorecards/2024-Q2.pdf", &g);
	request("HEAD", "/api/v1/agreements/A1/scorecards/2024-Q2.pdf", NULL, NULL, &h);
	ck_assert_int_eq(h.status, 200);
	ck_assert_uint_eq(h.len, 0);
	snprintf(length, sizeof(length), "%zu", g.len);
	ck_assert_str_eq(header(&h, "Content-Length"), length);
	ck_assert_str_eq(header(&h, "Content-Type"), "application/pdf");
	snprintf(length, sizeof(length), "%s", header(&g, "ETag"));
	ck_assert_str_eq(header(&h, "ETag"), length);
	resp_free(&g);
	resp_free(&h);
}
END_TEST

START_TEST(test_server_unpublished_is_not_found)
{
	/* 2024-Q1 computes fine (the policy runs since 2023), but nobody
	 * published it */
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q1", 404,
		     "no published JSON scorecard of policy QUA for 2024-Q1");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q1.pdf", 404, "no published");
	expect_error("GET", "/api/v1/agreements/A1/scorecards/2024-Q1", 404, "no published");
	expect_error("GET", "/api/v1/policies/NOPE/periods", 404, "no published scorecards");
	expect_error("GET", "/api/v1/policies/NOPE/scorecards/2024-Q2", 404, "no published");
	expect_error("GET", "/api/v1/agreements/A9/scorecards/2024-Q2", 404, "no published");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=2", 404,
		     "in revision 2");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2.xml", 404, "unknown format");
	expect_error("GET", "/api/v1/policies/QUA", 404, "no such resource");
	expect_error("GET", "/api/v1", 404, "no such resource");
	expect_error("GET", "/favicon.ico", 404, "no such resource");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2/x", 404, "no such resource");
	expect_error("GET", "/api/v1/agreements/A1/periods", 404, "no such resource");
}
END_TEST

START_TEST(test_server_older_revision_still_served)
{
	struct resp first, latest, old;
	char etag1[80];

	get("/api/v1/policies/QUA/scorecards/2024-Q2", &first);
	snprintf(etag1, sizeof(etag1), "%s", header(&first, "ETag"));
	/* the records change, and the period is published again */
	ck_assert_int_eq(db_exec(conn, "UPDATE cruscotto.policy SET name = 'Qualità rivista'", 0,
				 NULL, NULL),
			 0);
	publish(conn, "2024-Q2");
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &latest);
	ck_assert_int_eq(latest.status, 200);
	ck_assert_str_eq(header(&latest, "X-Cruscotto-Revision"), "2");
	ck_assert_str_ne(header(&latest, "ETag"), etag1);
	ck_assert_ptr_nonnull(strstr(latest.body, "Qualità rivista"));
	get("/api/v1/policies/QUA/scorecards/2024-Q2?revision=1", &old);
	ck_assert_int_eq(old.status, 200);
	ck_assert_str_eq(header(&old, "X-Cruscotto-Revision"), "1");
	ck_assert_str_eq(header(&old, "ETag"), etag1);
	ck_assert_str_eq(header(&old, "Cache-Control"), "public, max-age=31536000, immutable");
	ck_assert_uint_eq(old.len, first.len);
	ck_assert(memcmp(old.body, first.body, first.len) == 0);
	resp_free(&old);
	get("/api/v1/agreements/A1/scorecards/2024-Q2.pdf?revision=1", &old);
	ck_assert_int_eq(old.status, 200);
	ck_assert_str_eq(header(&old, "X-Cruscotto-Revision"), "1");
	resp_free(&old);
	resp_free(&first);
	resp_free(&latest);
}
END_TEST

START_TEST(test_server_malformed_paths_are_rejected)
{
	char path[512];
	int i;

	expect_error("GET", "/api/v1/policies/../periods", 400, "\"..\"");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/../../../etc/passwd", 400, "\"..\"");
	expect_error("GET", "/api/v1/policies/%2e%2e/periods", 400, "\"..\"");
	expect_error("GET", "/api/v1/policies/./periods", 400, "\".\"");
	expect_error("GET", "/api/v1/policies/%ff/periods", 400, "not valid UTF-8");
	expect_error("GET", "/api/v1/policies/Q%c3%28/periods", 400, "not valid UTF-8");
	expect_error("GET", "/api/v1/policies/QUA%00x/periods", 400, "malformed policy code");
	expect_error("GET", "/api/v1/policies/QU%20A/periods", 400, "malformed policy code");
	expect_error("GET", "/api/v1/policies/città/periods", 400, "malformed policy code");
	expect_error("GET", "/api/v1/agreements/A%2F1/scorecards/2024-Q2", 400,
		     "malformed agreement code");
	snprintf(path, sizeof(path), "/api/v1/policies/");
	for (i = 0; i < 65; i++)
		strcat(path, "Q");
	strcat(path, "/periods");
	expect_error("GET", path, 400, "malformed policy code");
	snprintf(path, sizeof(path), "/api/v1/agreements/");
	for (i = 0; i < 300; i++)
		strcat(path, "A");
	strcat(path, "/scorecards/2024-Q2");
	expect_error("GET", path, 400, "malformed agreement code");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q5", 400, "malformed period");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/24-Q1", 400, "malformed period");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=abc", 400,
		     "malformed revision");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=0", 400,
		     "malformed revision");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=-1", 400,
		     "malformed revision");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=99999999999", 400,
		     "malformed revision");
	expect_error("GET", "/api/v1/policies/QUA/scorecards/2024-Q2?revision=", 400,
		     "malformed revision");
}
END_TEST

START_TEST(test_server_other_methods_are_refused)
{
	static const char *const methods[] = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
	struct resp r;
	unsigned i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		request(methods[i], "/api/v1/policies", NULL, i == 0 ? "a=1" : NULL, &r);
		ck_assert_msg(r.status == 405, "%s: %ld", methods[i], r.status);
		ck_assert_str_eq(header(&r, "Allow"), "GET, HEAD");
		ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
		ck_assert_ptr_nonnull(strstr(r.body, "\"error\""));
		resp_free(&r);
	}
	expect_error("POST", "/", 405, "read-only");
	/* a GET that carries a body */
	request("GET", "/api/v1/policies", NULL, "x=1", &r);
	ck_assert_int_eq(r.status, 413);
	ck_assert_ptr_nonnull(strstr(r.body, "no body"));
	resp_free(&r);
}
END_TEST

/* How many lines of the access log hold `text`. */
static int log_lines_with(const char *text)
{
	char line[1024];
	int n = 0;

	rewind(access_log);
	while (fgets(line, sizeof(line), access_log))
		n += strstr(line, text) != NULL;
	return n;
}

START_TEST(test_server_logs_one_line_per_request)
{
	regex_t re;
	char line[1024];
	struct resp r;
	int n = 0;

	get("/api/v1/policies", &r);
	resp_free(&r);
	get("/api/v1/policies/QUA/scorecards/2024-Q3", &r);
	resp_free(&r);
	request("HEAD", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", NULL, NULL, &r);
	resp_free(&r);
	request("POST", "/x%0aforged", NULL, "a", &r);
	resp_free(&r);
	/* the log is complete once the server has stopped */
	http_stop(server);
	server = NULL;
	ck_assert_int_eq(regcomp(&re,
				 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z "
				 "(GET|HEAD|POST) [!-~]+ [0-9]{3} [0-9]+ [0-9]+\\.[0-9]ms\n$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	rewind(access_log);
	while (fgets(line, sizeof(line), access_log)) {
		ck_assert_msg(regexec(&re, line, 0, NULL, 0) == 0, "log line: %s", line);
		n++;
	}
	regfree(&re);
	ck_assert_int_eq(n, 4);
	/* each request has its line; a line is written once the response is
	 * sent, so two quick requests may log in either order */
	ck_assert_int_eq(log_lines_with(" GET /api/v1/policies 200 "), 1);
	ck_assert_int_eq(log_lines_with(" GET /api/v1/policies/QUA/scorecards/2024-Q3 404 "), 1);
	ck_assert_int_eq(log_lines_with(" HEAD /api/v1/policies/QUA/scorecards/2024-Q2.pdf 200 0 "),
			 1);
	ck_assert_int_eq(log_lines_with(" POST /x\\x0aforged 405 "), 1);
}
END_TEST

START_TEST(test_server_listen_addresses_are_checked)
{
	ck_assert_int_eq(http_check_listen("127.0.0.1:8080"), 0);
	ck_assert_int_eq(http_check_listen("[::1]:0"), 0);
	ck_assert_int_eq(http_check_listen("localhost:1"), 0);
	ck_assert_int_eq(http_check_listen("127.0.0.1"), ERR_USAGE);
	ck_assert_int_eq(http_check_listen("127.0.0.1:65536"), ERR_USAGE);
	ck_assert_int_eq(http_check_listen("127.0.0.1:8o"), ERR_USAGE);
	ck_assert_int_eq(http_check_listen(":8080"), ERR_USAGE);
	ck_assert_int_eq(http_check_listen("::1:8080"), ERR_USAGE);
}
END_TEST

/* ---- load ----------------------------------------------------------------------- */

enum { LOAD_THREADS = 32, LOAD_REQUESTS = 10000 };

static const char *const load_paths[] = {
	"/api/v1/policies",
	"/api/v1/policies/QUA/periods",
	"/api/v1/policies/QUA/scorecards/2024-Q2",
	"/api/v1/agreements/A1/scorecards/2024-Q2.pdf",
	"/",
};
enum { NPATHS = sizeof(load_paths) / sizeof(load_paths[0]) };

struct load {
	int requests;
	int first;
	const size_t *lengths;
	atomic_int *failures;
	atomic_int *done;
};

static size_t count_bytes(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	*(size_t *)arg += size * n;
	return size * n;
}

/* One client: its own connection (kept alive), a fixed rotation of paths,
 * each answer checked for status and length. */
static void *load_client(void *arg)
{
	struct load *l = arg;
	CURL *h = curl_easy_init();
	char url[256];
	size_t got;
	long status;
	int i;

	if (!h) {
		atomic_fetch_add(l->failures, l->requests);
		return NULL;
	}
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, count_bytes);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
	for (i = 0; i < l->requests; i++) {
		int p = (l->first + i) % NPATHS;

		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, load_paths[p]);
		curl_easy_setopt(h, CURLOPT_URL, url);
		got = 0;
		status = 0;
		if (curl_easy_perform(h) != CURLE_OK ||
		    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
		    status != 200 || got != l->lengths[p])
			atomic_fetch_add(l->failures, 1);
		atomic_fetch_add(l->done, 1);
	}
	curl_easy_cleanup(h);
	return NULL;
}

START_TEST(test_server_survives_concurrent_load)
{
	pthread_t threads[LOAD_THREADS];
	struct load loads[LOAD_THREADS];
	size_t lengths[NPATHS];
	atomic_int failures, done;
	struct resp r;
	int i;

	for (i = 0; i < NPATHS; i++) {
		get(load_paths[i], &r);
		ck_assert_int_eq(r.status, 200);
		lengths[i] = r.len;
		resp_free(&r);
	}
	atomic_init(&failures, 0);
	atomic_init(&done, 0);
	for (i = 0; i < LOAD_THREADS; i++) {
		loads[i].requests =
			LOAD_REQUESTS / LOAD_THREADS + (i < LOAD_REQUESTS % LOAD_THREADS);
		loads[i].first = i;
		loads[i].lengths = lengths;
		loads[i].failures = &failures;
		loads[i].done = &done;
		ck_assert_int_eq(pthread_create(&threads[i], NULL, load_client, &loads[i]), 0);
	}
	for (i = 0; i < LOAD_THREADS; i++)
		pthread_join(threads[i], NULL);
	ck_assert_int_eq(atomic_load(&done), LOAD_REQUESTS);
	ck_assert_int_eq(atomic_load(&failures), 0);
	/* and it still answers */
	get("/api/v1/policies", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
}
END_TEST

/* The "next" link of a listing ("" when null); valid until the next call. */
static const char *next_of(const struct resp *r)
{
	static char link[512];
	cJSON *j = json_of(r), *n = cJSON_GetObjectItem(j, "next");

	ck_assert_ptr_nonnull(n);
	snprintf(link, sizeof(link), "%s", cJSON_IsString(n) ? n->valuestring : "");
	cJSON_Delete(j);
	return link;
}

/* The codes (or periods, with key "period") of a listing's items, joined
 * with spaces; caller frees. */
static char *items_of(const struct resp *r, const char *list, const char *key)
{
	cJSON *j = json_of(r), *it;
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, list))
	{
		fprintf(f, "%s%s", size || ftell(f) ? " " : "",
			cJSON_GetObjectItem(it, key)->valuestring);
	}
	fclose(f);
	cJSON_Delete(j);
	return out;
}

START_TEST(test_server_listings_paginate_with_stable_links)
{
	char *items, next[512];
	struct resp r;

	publish(conn, "2024-Q1");
	publish(conn, "2023-Q4");
	/* periods, newest first, two a page */
	get("/api/v1/policies/QUA/periods?limit=2", &r);
	ck_assert_int_eq(r.status, 200);
	items = items_of(&r, "periods", "period");
	ck_assert_str_eq(items, "2024-Q2 2024-Q1");
	free(items);
	snprintf(next, sizeof(next), "%s", next_of(&r));
	ck_assert_str_eq(next, "/api/v1/policies/QUA/periods?after=2024-Q1&limit=2");
	resp_free(&r);
	get(next, &r);
	items = items_of(&r, "periods", "period");
	ck_assert_str_eq(items, "2023-Q4");
	free(items);
	ck_assert_str_eq(next_of(&r), "");
	resp_free(&r);

	/* 50 more agreements (B01-B50 sort after A1), and 2024-Q2 again */
	ck_assert_msg(db_exec_script(conn,
				     "INSERT INTO cruscotto.agreement (code, policy_code, title,"
				     " lab_started_on, approved_on, signed_on, batch_id)"
				     " SELECT 'B' || lpad(i::text, 2, '0'), 'QUA', 'Accordo ' || i,"
				     " '2023-02-01', '2023-03-01', '2023-04-01', 1"
				     " FROM generate_series(1, 50) i;"
				     " INSERT INTO cruscotto.agreement_area"
				     " SELECT 'B' || lpad(i::text, 2, '0'), 'N1', 1"
				     " FROM generate_series(1, 50) i") == 0,
		      "%s", err_last());
	publish(conn, "2024-Q2");
	/* 51 agreements, 20 a page: 20 + 20 + 11, each next link naming the
	 * revision listed and the last code shown */
	get("/api/v1/policies/QUA/periods/2024-Q2/agreements?limit=20", &r);
	items = items_of(&r, "agreements", "code");
	ck_assert_uint_eq(strlen(items), 2 + 19 * 4); /* "A1" and 19 " Bnn" */
	ck_assert(strncmp(items, "A1 B01 B02", 10) == 0);
	free(items);
	snprintf(next, sizeof(next), "%s", next_of(&r));
	ck_assert_str_eq(
		next,
		"/api/v1/policies/QUA/periods/2024-Q2/agreements?revision=2&after=B19&limit=20");
	resp_free(&r);
	/* a publication in between does not move the pages of revision 2 */
	publish(conn, "2024-Q2");
	get(next, &r);
	ck_assert_str_eq(header(&r, "Cache-Control"), "public, max-age=31536000, immutable");
	items = items_of(&r, "agreements", "code");
	ck_assert(strncmp(items, "B20 B21", 7) == 0);
	ck_assert(strcmp(items + strlen(items) - 3, "B39") == 0);
	free(items);
	snprintf(next, sizeof(next), "%s", next_of(&r));
	resp_free(&r);
	get(next, &r);
	items = items_of(&r, "agreements", "code");
	ck_assert_uint_eq(strlen(items), 11 * 4 - 1); /* B40-B50 */
	free(items);
	ck_assert_str_eq(next_of(&r), "");
	resp_free(&r);
	expect_error("GET", "/api/v1/policies/QUA/periods?limit=0", 400, "malformed limit");
	expect_error("GET", "/api/v1/policies/QUA/periods?limit=1001", 400, "malformed limit");
	expect_error("GET", "/api/v1/policies/QUA/periods?after=2024", 400, "malformed after");
	expect_error("GET", "/api/v1/policies/QUA/periods/2024-Q2/agreements?after=a%20b", 400,
		     "malformed after");
	expect_error("GET", "/api/v1/policies/QUA/periods/2019-Q2/agreements", 404,
		     "no published scorecards");

	/* the council's page lists 50 agreements of a period and links to all */
	get("/", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Accordo 49"));
	ck_assert_ptr_null(strstr(r.body, "Accordo 50 <span"));
	ck_assert_ptr_nonnull(
		strstr(r.body, "<a href=\"periods/QUA/2024-Q2\">Tutti gli accordi (51)</a>"));
	resp_free(&r);
	get("/periods/QUA/2024-Q2?limit=30", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(
		strstr(r.body, "href=\"../../api/v1/agreements/A1/scorecards/2024-Q2.pdf\""));
	ck_assert_ptr_nonnull(strstr(r.body, "Accordo 29 <span"));
	ck_assert_ptr_null(strstr(r.body, "Accordo 30 <span"));
	ck_assert_ptr_nonnull(strstr(r.body, "href=\"?after=B29&amp;limit=30\""));
	resp_free(&r);
	get("/periods/QUA/2024-Q2?after=B29&limit=30", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Accordo 30 <span"));
	ck_assert_ptr_nonnull(strstr(r.body, "Accordo 50 <span"));
	ck_assert_ptr_null(strstr(r.body, "rel=\"next\""));
	resp_free(&r);
}
END_TEST

/* ---- slow and malformed clients ------------------------------------------------- */

/* A TCP connection to the server from `source` (a loopback address: the
 * whole 127.0.0.0/8 is local), or -1 when the server refuses it. */
static int connect_from(const char *source)
{
	struct sockaddr_in from = {0}, to = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	from.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, source, &from.sin_addr), 1);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&from, sizeof(from)), 0);
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* 1 when the server has closed `fd` (or reset it), 0 while it is open. */
static int closed_by_server(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Sends a raw request and reads the whole answer (the server closes after
 * it: Connection: close, or an error). */
static void raw_request(const char *text, char *answer, size_t size)
{
	int fd = connect_from("127.0.0.1");
	size_t got = 0;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
	shutdown(fd, SHUT_WR);
	while (got + 1 < size && (n = recv(fd, answer + got, size - 1 - got, 0)) > 0)
		got += (size_t)n;
	answer[got] = '\0';
	close(fd);
}

/* A GET from a given source address, answered within `timeout_ms`. */
static long get_from(const char *source, const char *path, long timeout_ms)
{
	CURL *h = curl_easy_init();
	char url[256];
	long status = 0;
	size_t got = 0;

	ck_assert_ptr_nonnull(h);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_INTERFACE, source);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, count_bytes);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	return status;
}

enum { SLOW_CLIENTS = 300 };

struct trickle {
	int *fds;
	int n;
	atomic_int stop;
};

/* Each slow client sends one more header line every 100 ms, never the blank
 * line that ends the head: an idle timeout alone would never fire. */
static void *trickle(void *arg)
{
	struct trickle *t = arg;
	struct timespec pause = {0, 100 * 1000000L};
	int i;

	while (!atomic_load(&t->stop)) {
		for (i = 0; i < t->n; i++)
			if (t->fds[i] >= 0)
				send(t->fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL | MSG_DONTWAIT);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

START_TEST(test_server_slow_clients_do_not_hold_the_server)
{
	static int fds[SLOW_CLIENTS];
	struct timespec settle = {0, 500 * 1000000L};
	struct trickle t = {.fds = fds, .n = SLOW_CLIENTS};
	pthread_t thread;
	int i, open = 0;

	/* 300 connections from 127.0.0.1, each with a head that never ends */
	for (i = 0; i < SLOW_CLIENTS; i++) {
		fds[i] = connect_from("127.0.0.1");
		if (fds[i] >= 0)
			send(fds[i], "GET / HTTP/1.1\r\nHost: x\r\n", 25, MSG_NOSIGNAL);
	}
	atomic_init(&t.stop, 0);
	ck_assert_int_eq(pthread_create(&thread, NULL, trickle, &t), 0);
	nanosleep(&settle, NULL);
	/* one address holds at most 64 of them (the default per-client limit) */
	for (i = 0; i < SLOW_CLIENTS; i++)
		open += fds[i] >= 0 && !closed_by_server(fds[i]);
	ck_assert_msg(open <= 64, "%d connections of one address still open", open);
	ck_assert_int_gt(open, 0);
	/* meanwhile another address is served as usual (a generous bound: the
	 * point is that it is answered at all, not how fast) */
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(get_from("127.0.0.2", i % 2 ? "/api/v1/policies" : "/", 10000),
				 200);
		ck_assert_int_eq(
			get_from("127.0.0.2", "/api/v1/policies/QUA/scorecards/2024-Q2.pdf", 10000),
			200);
	}
	atomic_store(&t.stop, 1);
	pthread_join(thread, NULL);
	for (i = 0; i < SLOW_CLIENTS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}
END_TEST

START_TEST(test_server_request_head_has_a_total_deadline)
{
	struct http_options o = {.conninfo = conninfo,
				 .listen = "127.0.0.1:0",
				 .access_log = access_log,
				 .refresh_ms = -1,
				 .header_timeout_ms = 1000};
	struct timespec start, now, pause = {0, 100 * 1000000L};
	double elapsed = 0;
	int fd, closed = 0;

	http_stop(server);
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	port = http_port(server);
	fd = connect_from("127.0.0.3");
	ck_assert_int_ge(fd, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	ck_assert_int_eq(send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL), 16);
	/* a byte every 100 ms keeps an idle timeout from ever firing; the
	 * deadline (1 s here) closes the connection all the same */
	while (!closed && elapsed < 20) {
		nanosleep(&pause, NULL);
		closed = send(fd, "X: 1\r\n", 6, MSG_NOSIGNAL) < 0 || closed_by_server(fd);
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (double)(now.tv_sec - start.tv_sec) +
			  (double)(now.tv_nsec - start.tv_nsec) / 1e9;
	}
	close(fd);
	ck_assert_msg(closed, "the connection was still open after %.1f s", elapsed);
	ck_assert_msg(elapsed >= 0.9, "closed after %.2f s, before its deadline", elapsed);
	/* a complete request is still answered */
	ck_assert_int_eq(get_from("127.0.0.3", "/api/v1/policies", 10000), 200);
}
END_TEST

START_TEST(test_server_host_header_is_required)
{
	char answer[8192];

	/* RFC 9112, 3.2: an HTTP/1.1 request without Host is a 400 */
	raw_request("GET /api/v1/policies HTTP/1.1\r\nConnection: close\r\n\r\n", answer,
		    sizeof(answer));
	ck_assert_msg(strncmp(answer, "HTTP/1.1 400 ", 13) == 0, "%.200s", answer);
	ck_assert_ptr_nonnull(strcasestr(answer, "\r\nX-Content-Type-Options: nosniff\r\n"));
	ck_assert_ptr_nonnull(strcasestr(answer, "\r\nContent-Type: application/json"));
	ck_assert_ptr_nonnull(strstr(answer, "exactly one Host header"));
	/* ... and so is one with two */
	raw_request("GET /api/v1/policies HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close"
		    "\r\n\r\n",
		    answer, sizeof(answer));
	ck_assert_msg(strncmp(answer, "HTTP/1.1 400 ", 13) == 0, "%.200s", answer);
	/* HTTP/1.0 had no Host requirement */
	raw_request("GET /api/v1/policies HTTP/1.0\r\n\r\n", answer, sizeof(answer));
	ck_assert_msg(strncmp(answer, "HTTP/1.0 200 ", 13) == 0 ||
			      strncmp(answer, "HTTP/1.1 200 ", 13) == 0,
		      "%.200s", answer);
	raw_request("GET /api/v1/policies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", answer,
		    sizeof(answer));
	ck_assert_msg(strncmp(answer, "HTTP/1.1 200 ", 13) == 0, "%.200s", answer);
	/* libmicrohttpd answers an unknown version by itself, with its own
	 * body (docs/HTTP.md says so) */
	raw_request("GET /api/v1/policies HTTP/2.0\r\nHost: x\r\n\r\n", answer, sizeof(answer));
	ck_assert_msg(strncmp(answer, "HTTP/1.1 505 ", 13) == 0, "%.200s", answer);
}
END_TEST

START_TEST(test_server_oversized_heads_are_json_errors)
{
	static char path[10000], line[17100];
	struct resp r;
	cJSON *j;

	/* a 9,999-byte target: over the 8 KiB limit, within libmicrohttpd's buffer */
	memcpy(path, "/api/v1/policies?x=", 19);
	memset(path + 19, 'a', sizeof(path) - 20);
	get(path, &r);
	ck_assert_int_eq(r.status, 414);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_str_eq(header(&r, "X-Content-Type-Options"), "nosniff");
	j = json_of(&r);
	ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(j, "error")->valuestring, "8 KiB"));
	cJSON_Delete(j);
	resp_free(&r);
	/* 17,000 bytes of one header field: over the 16 KiB limit */
	memcpy(line, "X-Big: ", 7);
	memset(line + 7, 'b', 17000);
	line[17007] = '\0';
	request("GET", "/api/v1/policies", line, NULL, &r);
	ck_assert_int_eq(r.status, 431);
	ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
	ck_assert_str_eq(header(&r, "X-Content-Type-Options"), "nosniff");
	ck_assert_str_eq(header(&r, "Cache-Control"), "no-store");
	j = json_of(&r);
	ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(j, "error")->valuestring, "16 KiB"));
	cJSON_Delete(j);
	resp_free(&r);
}
END_TEST

/* ---- search ---------------------------------------------------------------------- */

/* How many times `needle` occurs in the body. */
static int occurrences(const struct resp *r, const char *needle)
{
	const char *p = r->body;
	int n = 0;

	while (p && (p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* GET /search answers from the published titles and codes: case folded,
 * accents as typed, % and _ as characters, bounded, escaped. */
START_TEST(test_server_search_finds_agreements)
{
	static const char more_sql[] =
		"SET search_path = cruscotto, pg_catalog;"
		"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		" signed_on) VALUES"
		" ('A2', 'QUA', 'CITTÀ DEI BAMBINI', '2023-02-01', '2023-03-01', '2023-04-01'),"
		" ('A3', 'QUA', 'Orto 100% condiviso_bis', '2023-02-01', '2023-03-01',"
		" '2023-04-01');"
		"INSERT INTO agreement_area VALUES ('A2', 'N1', 1), ('A3', 'N1', 1);";
	char path[700], big[400];
	struct resp r;
	int i;

	ck_assert_msg(db_exec_script(conn, more_sql) == 0, "%s", err_last());
	publish(conn, "2024-Q2");
	/* the form is on the council's page and on a policy's */
	get("/", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "<form class=\"search\" role=\"search\" "
					     "method=\"get\" action=\"search\">"));
	ck_assert_ptr_nonnull(strstr(r.body, "<label for=\"search-q\">"));
	ck_assert_ptr_nonnull(strstr(header(&r, "Content-Security-Policy"), "form-action 'self'"));
	resp_free(&r);
	get("/QUA/", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "action=\"../search\""));
	ck_assert_ptr_nonnull(
		strstr(r.body, "<input type=\"hidden\" name=\"policy\" value=\"QUA\">"));
	resp_free(&r);

	/* by code, whatever the case: A1 only (no title holds "a1") */
	get("/search?q=a1", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "Content-Type"), "text/html; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(header(&r, "Content-Security-Policy"), "default-src 'none'"));
	ck_assert_ptr_nonnull(strstr(r.body, "Un accordo corrisponde a «a1»."));
	ck_assert_ptr_nonnull(strstr(r.body, "<a href=\"QUA/2024-Q2/agreements/A1.html\">"
					     "Giardino «comune» di via Rossi</a>"));
	ck_assert_ptr_nonnull(
		strstr(r.body, "href=\"api/v1/agreements/A1/scorecards/2024-Q2.pdf\""));
	ck_assert_int_eq(occurrences(&r, "<li>"), 1);
	/* the form again, holding the text */
	ck_assert_ptr_nonnull(strstr(r.body, "name=\"q\" maxlength=\"100\" autocomplete=\"off\" "
					     "value=\"a1\""));
	resp_free(&r);
	/* the link leads to the stored page */
	get("/QUA/2024-Q2/agreements/A1.html", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);

	/* by title, an accented capital folded: "città" finds "CITTÀ DEI
	 * BAMBINI" (and not the policy's name, which is no agreement) */
	get("/search?q=citt%C3%A0", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Un accordo corrisponde a «città»."));
	ck_assert_ptr_nonnull(strstr(r.body, "agreements/A2.html\">CITTÀ DEI BAMBINI</a>"));
	ck_assert_int_eq(occurrences(&r, "<li>"), 1);
	resp_free(&r);
	/* a form sends blanks as "+" */
	get("/search?q=dei+bambini", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "agreements/A2.html"));
	resp_free(&r);
	/* accents as typed: "citta" is not "città" */
	get("/search?q=citta", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Nessun accordo corrisponde a «citta»."));
	ck_assert_int_eq(occurrences(&r, "<li>"), 0);
	resp_free(&r);
	/* no match at all */
	get("/search?q=zzz", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Nessun accordo corrisponde a «zzz»."));
	resp_free(&r);
	/* % and _ are characters, not wildcards: each finds A3 alone, where a
	 * LIKE pattern would match every title */
	get("/search?q=%25", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Un accordo corrisponde a «%»."));
	ck_assert_ptr_nonnull(strstr(r.body, "agreements/A3.html"));
	resp_free(&r);
	get("/search?q=_", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Un accordo corrisponde a «_»."));
	ck_assert_ptr_nonnull(strstr(r.body, "agreements/A3.html"));
	resp_free(&r);
	get("/search?q=o%25_", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Nessun accordo"));
	resp_free(&r);
	/* "a" is in all three codes: by code, bytewise */
	get("/search?q=A&policy=QUA", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "3 accordi corrispondono a «A»."));
	ck_assert(strstr(r.body, "A1.html") < strstr(r.body, "A2.html"));
	ck_assert(strstr(r.body, "A2.html") < strstr(r.body, "A3.html"));
	resp_free(&r);

	/* the text is shown escaped, never as markup */
	get("/search?q=%3Cscript%3E%22x%22", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(strstr(r.body, "<script"));
	ck_assert_ptr_nonnull(strstr(r.body, "«&lt;script&gt;&quot;x&quot;»"));
	ck_assert_ptr_nonnull(strstr(r.body, "value=\"&lt;script&gt;&quot;x&quot;\""));
	resp_free(&r);

	/* no text (or blanks only): the form and a hint, no list */
	get("/search", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Scrivi il codice di un accordo"));
	ck_assert_ptr_null(strstr(r.body, "<li>"));
	resp_free(&r);
	get("/search?q=+%20", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Scrivi il codice di un accordo"));
	resp_free(&r);

	/* 100 characters are searched (200 bytes of "à"); 101 are refused */
	snprintf(path, sizeof(path), "/search?q=");
	for (i = 0; i < 100; i++)
		strcat(path, "%C3%A0");
	get(path, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "Nessun accordo"));
	resp_free(&r);
	memset(big, 'x', 101);
	big[101] = '\0';
	snprintf(path, sizeof(path), "/search?q=%s", big);
	expect_error("GET", path, 400, "longer than 100 characters");
	/* malformed text and policies */
	expect_error("GET", "/search?q=%FF", 400, "not valid UTF-8");
	expect_error("GET", "/search?q=a&policy=%3Cx%3E", 400, "malformed policy");
	expect_error("GET", "/search?q=a&policy=NOPE", 404,
		     "no published scorecards of policy NOPE");
}
END_TEST

/* At most 50 agreements are listed, with a word that more matched. */
START_TEST(test_server_search_is_bounded)
{
	static const char many_sql[] =
		"SET search_path = cruscotto, pg_catalog;"
		"INSERT INTO agreement (code, policy_code, title, lab_started_on, approved_on,"
		" signed_on) SELECT format('B%s', lpad(i::text, 2, '0')), 'QUA',"
		" format('Bosco %s', i), '2023-02-01', '2023-03-01', '2023-04-01'"
		" FROM generate_series(1, 55) i;"
		"INSERT INTO agreement_area SELECT format('B%s', lpad(i::text, 2, '0')), 'N1', 1"
		" FROM generate_series(1, 55) i;";
	struct resp r;

	ck_assert_msg(db_exec_script(conn, many_sql) == 0, "%s", err_last());
	publish(conn, "2024-Q2");
	get("/search?q=bosco", &r);
	ck_assert_int_eq(r.status, 200);
	/* 55 match, the first 50 by code are listed: B01 to B50 */
	ck_assert_ptr_nonnull(strstr(r.body, "Più di 50 accordi corrispondono a «bosco»"));
	ck_assert_int_eq(occurrences(&r, "<li>"), 50);
	ck_assert_ptr_nonnull(strstr(r.body, "agreements/B50.html"));
	ck_assert_ptr_null(strstr(r.body, "agreements/B51.html"));
	resp_free(&r);
	/* fewer are all listed, without the word */
	get("/search?q=bosco+1", &r);
	/* Bosco 1, 10-19: 11 */
	ck_assert_ptr_nonnull(strstr(r.body, "11 accordi corrispondono a «bosco 1»."));
	ck_assert_int_eq(occurrences(&r, "<li>"), 11);
	resp_free(&r);
}
END_TEST

/* ---- the cache ------------------------------------------------------------------- */

START_TEST(test_server_learns_new_revisions_without_restart)
{
	struct http_options o = {.conninfo = conninfo,
				 .listen = "127.0.0.1:0",
				 .access_log = access_log,
				 .refresh_ms = 200};
	struct timespec pause = {0, 50 * 1000000L};
	struct resp r;
	int i, seen = 0;

	http_stop(server);
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	port = http_port(server);
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
	publish(conn, "2024-Q2");
	/* the cached answer gives way to revision 2 once the count is read
	 * again (every 200 ms here); 20 s is a generous bound */
	for (i = 0; i < 400 && !seen; i++) {
		get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
		ck_assert_int_eq(r.status, 200);
		seen = strcmp(header(&r, "X-Cruscotto-Revision"), "2") == 0;
		resp_free(&r);
		if (!seen)
			nanosleep(&pause, NULL);
	}
	ck_assert_msg(seen, "revision 2 never served");
	/* the lists learn it too */
	get("/api/v1/policies/QUA/periods", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "?revision=2"));
	resp_free(&r);
	get("/api/v1/policies/QUA/scorecards/2024-Q2?revision=1", &r);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
}
END_TEST

/* Waits until the server's listener says `listening` and has acted on at
 * least `notifications` notifications, within a bounded number of short
 * pauses (a bound, not a timing: the assertions below hold whenever the
 * state is reached). */
static void await_listener(unsigned long notifications)
{
	struct timespec pause = {0, 10 * 1000000L};
	unsigned long got = 0;
	int i, listening = 0;

	for (i = 0; i < 3000; i++) {
		http_listen_state(server, &listening, &got);
		if (listening && got >= notifications)
			return;
		nanosleep(&pause, NULL);
	}
	ck_abort_msg("listener: listening %d, %lu notifications, expected %lu", listening, got,
		     notifications);
}

/* A publication is served on the first request after its notification:
 * the server counts revisions only once an hour here, so nothing but the
 * notification can have told it. */
START_TEST(test_server_learns_a_publication_by_notification)
{
	struct http_options o = {.conninfo = conninfo,
				 .listen = "127.0.0.1:0",
				 .access_log = access_log,
				 .refresh_ms = 3600 * 1000};
	struct resp r;
	int i;

	http_stop(server);
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	port = http_port(server);
	await_listener(0);
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
	get("/QUA/", &r);
	ck_assert_ptr_null(strstr(r.body, "revision/2/"));
	resp_free(&r);
	get("/QUA/2024-Q2/revision/1/", &r);
	ck_assert_ptr_nonnull(strstr(r.body, "Revisione 1 di 1, pubblicata il "));
	resp_free(&r);
	/* two publications, each visible at once: the cached answers of the
	 * latest revision (and the revisions' page) give way */
	for (i = 2; i <= 3; i++) {
		char want[4], link[16], line[64];

		publish(conn, "2024-Q2");
		await_listener((unsigned long)i - 1);
		snprintf(want, sizeof(want), "%d", i);
		get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), want);
		resp_free(&r);
		snprintf(link, sizeof(link), "revision/%d/", i);
		get("/QUA/", &r);
		ck_assert_ptr_nonnull(strstr(r.body, link));
		resp_free(&r);
		/* revision 1's page, cached before, now counts i revisions */
		snprintf(line, sizeof(line), "Revisione 1 di %d, pubblicata il ", i);
		get("/QUA/2024-Q2/revision/1/", &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_msg(strstr(r.body, line), "no \"%s\"", line);
		resp_free(&r);
	}
}
END_TEST

/* ---- the server's session ------------------------------------------------------- */

/* Asserts that `sql` fails on `c` with a message holding `words`. */
static void expect_refused(db *c, const char *sql, const char *words)
{
	int rc = db_exec(c, sql, 0, NULL, NULL);

	ck_assert_msg(rc != 0, "%s succeeded", sql);
	ck_assert_msg(strstr(err_last(), words) != NULL, "%s: %s", sql, err_last());
	ck_assert_int_eq(db_exec(c, "ROLLBACK", 0, NULL, NULL), 0);
}

/* What a server's session cannot do, whatever SQL it runs: RESET ROLE gives
 * it nothing, and even with read-only transactions turned off it creates
 * no temporary table, no large object, and reads no record. */
static void assert_session_confined(db *c)
{
	char *v;

	ck_assert_int_eq(db_exec(c, "RESET ROLE", 0, NULL, NULL), 0);
	v = testdb_value(c, "SELECT current_setting('is_superuser')");
	ck_assert_str_eq(v, "off");
	free(v);
	/* no role it may become is a superuser */
	v = testdb_value(c, "SELECT count(*) FROM pg_catalog.pg_roles r"
			    " WHERE pg_has_role(session_user, r.oid, 'MEMBER') AND r.rolsuper");
	ck_assert_str_eq(v, "0");
	free(v);
	ck_assert_int_eq(db_exec(c, "SET default_transaction_read_only = off", 0, NULL, NULL), 0);
	expect_refused(c, "CREATE TEMP TABLE t (x integer)", "permission denied");
	expect_refused(c, "SELECT lo_create(0)", "permission denied");
	expect_refused(c, "SELECT lo_from_bytea(0, '\\x00')", "permission denied");
	expect_refused(c, "SELECT count(*) FROM cruscotto.response", "permission denied");
	expect_refused(c, "UPDATE cruscotto.revision SET policy_name = 'x'", "permission denied");
	/* what it is for still works */
	v = testdb_value(c, "SELECT count(*) > 0 FROM cruscotto.revision_document");
	ck_assert_str_eq(v, "t");
	free(v);
}

START_TEST(test_server_session_cannot_escalate)
{
	char role[64], sql[512], ci[256], *warned = NULL;
	struct http_options o = {.listen = "127.0.0.1:0", .refresh_ms = -1};
	size_t size = 0;
	struct resp r;
	db *c = NULL;

	/* the login role docs/HTTP.md tells administrators to create (roles
	 * are the cluster's: the name is this process's) */
	snprintf(role, sizeof(role), "crtest_serve_%ld", (long)getpid());
	snprintf(sql, sizeof(sql),
		 "DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN IN ROLE cruscotto_web;"
		 " ALTER ROLE %s SET default_transaction_read_only = on",
		 role, role, role);
	ck_assert_msg(db_exec_script(conn, sql) == 0, "%s", err_last());
	snprintf(ci, sizeof(ci), "%s user=%s", conninfo, role);
	ck_assert_msg(http_session_open(ci, &c) == 0, "%s", err_last());
	assert_session_confined(c);
	db_close(c);
	/* a server logged in so serves, and has nothing to warn about */
	http_stop(server);
	o.conninfo = ci;
	o.warnings = open_memstream(&warned, &size);
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	fclose(o.warnings);
	ck_assert_str_eq(warned, "");
	free(warned);
	port = http_port(server);
	get("/api/v1/policies/QUA/scorecards/2024-Q2.pdf", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
	http_stop(server);
	/* a superuser session is served too, with a warning */
	o.conninfo = conninfo;
	o.warnings = open_memstream(&warned, &size);
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	fclose(o.warnings);
	ck_assert_msg(strstr(warned, "warning: the server's session user postgres is a superuser"),
		      "%s", warned);
	free(warned);
	snprintf(sql, sizeof(sql), "DROP ROLE %s", role);
	ck_assert_msg(db_exec_script(conn, sql) == 0, "%s", err_last());
}
END_TEST

START_TEST(test_server_revision_triggers_fire_in_replica_mode)
{
	char *v;

	/* as the owner (a superuser, even), without any DDL */
	ck_assert_int_eq(db_exec(conn, "SET session_replication_role = replica", 0, NULL, NULL), 0);
	expect_refused(conn, "UPDATE cruscotto.revision SET policy_name = 'forged'", "immutable");
	expect_refused(conn, "DELETE FROM cruscotto.revision_document", "immutable");
	expect_refused(conn, "TRUNCATE cruscotto.revision CASCADE", "immutable");
	expect_refused(conn,
		       "INSERT INTO cruscotto.revision (policy_code, policy_name, locale, period,"
		       " revision) VALUES ('QUA', 'x', 'it', '2024-Q2', 7)",
		       "must be numbered 2");
	ck_assert_int_eq(db_exec(conn, "RESET session_replication_role", 0, NULL, NULL), 0);
	v = testdb_value(conn,
			 "SELECT string_agg(DISTINCT policy_name, ',') FROM cruscotto.revision");
	ck_assert_str_eq(v, "Qualità urbana <città> & comunità");
	free(v);
}
END_TEST

/* ---- the embedded instance's login -------------------------------------------------- */

static char embedded_root[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void embedded_cleanup(void)
{
	char state[128];

	if (!embedded_root[0])
		return;
	snprintf(state, sizeof(state), "%s/state", embedded_root);
	pgembed_destroy(state);
	nftw(embedded_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	embedded_root[0] = '\0';
}

START_TEST(test_server_embedded_login_is_no_superuser)
{
	char state[128], *admin_ci = NULL, *serve_ci = NULL, *v;
	db *admin = NULL, *c = NULL;

	snprintf(embedded_root, sizeof(embedded_root), "/tmp/crtest-embed-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(embedded_root));
	atexit(embedded_cleanup);
	/* as root, the postgres account must reach the state folder */
	ck_assert_int_eq(chmod(embedded_root, 0711), 0);
	snprintf(state, sizeof(state), "%s/state", embedded_root);
	ck_assert_msg(pgembed_ensure(state, NULL, &admin_ci) == 0, "%s", err_last());
	ck_assert_msg(db_connect(admin_ci, &admin) == 0, "%s", err_last());
	ck_assert_msg(schema_migrate(admin, NULL, NULL) == 0, "%s", err_last());
	ck_assert_msg(db_exec_script(admin, fixture_sql) == 0, "%s", err_last());
	publish(admin, "2024-Q2");
	/* what `cruscotto serve` connects with on the embedded instance */
	ck_assert_msg(pgembed_ensure_server(state, NULL, &serve_ci) == 0, "%s", err_last());
	ck_assert_ptr_nonnull(strstr(serve_ci, "user=cruscotto_serve"));
	ck_assert_msg(http_session_open(serve_ci, &c) == 0, "%s", err_last());
	v = testdb_value(c, "SELECT session_user || ' ' || current_user");
	ck_assert_str_eq(v, "cruscotto_serve cruscotto_web");
	free(v);
	v = testdb_value(c, "SELECT current_setting('default_transaction_read_only')");
	ck_assert_str_eq(v, "on");
	free(v);
	assert_session_confined(c);
	expect_refused(c, "SET ROLE cruscotto", "permission denied");
	db_close(c);
	db_close(admin);
	free(admin_ci);
	free(serve_ci);
	embedded_cleanup();
}
END_TEST

/* ---- database outage, on a private cluster ---------------------------------------- */

static char outage_dir[64];
static int outage_started;

/* Runs a PostgreSQL program of the test installation, as the postgres
 * account when root (the servers refuse to run as root); output to `log`. */
static int pg_program(const char *program, const char *const *args, const char *log)
{
	const char *pgbin = getenv("CRUSCOTTO_TEST_PGBIN");
	char path[512];
	const char *argv[24];
	posix_spawn_file_actions_t fa;
	int n = 0, i, status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s",
		 pgbin && *pgbin ? pgbin : "/usr/lib/postgresql/15/bin", program);
	if (geteuid() == 0) {
		argv[n++] = "runuser";
		argv[n++] = "-u";
		argv[n++] = "postgres";
		argv[n++] = "--";
	}
	argv[n++] = path;
	for (i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) != 0)
		status = -1;
	else if (waitpid(pid, &status, 0) != pid)
		status = -1;
	posix_spawn_file_actions_destroy(&fa);
	return status;
}

/* Starts or stops the cluster of `dir` (its data in dir/data, its socket in
 * dir, its log in /tmp/<dir's name>.log). */
static int pg_ctl_at(const char *dir, const char *action, const char *mode)
{
	char data[128], opts[256], log[128];

	snprintf(data, sizeof(data), "%s/data", dir);
	snprintf(log, sizeof(log), "/tmp/%s.log", strrchr(dir, '/') + 1);
	snprintf(opts, sizeof(opts),
		 "-c listen_addresses='' -c unix_socket_directories=%s -c fsync=off", dir);
	if (strcmp(action, "start") == 0)
		return pg_program(
			"pg_ctl",
			(const char *[]){"-D", data, "-w", "-t", "60", "-o", opts, "start", NULL},
			log);
	return pg_program("pg_ctl",
			  (const char *[]){"-D", data, "-w", "-t", "60", "-m", mode, "stop", NULL},
			  log);
}

static int pg_ctl(const char *action, const char *mode)
{
	return pg_ctl_at(outage_dir, action, mode);
}

static char standby_dir[64];
static int standby_started;

static void standby_cleanup(void)
{
	char log[128];
	pid_t pid;
	char *argv[] = {"rm", "-rf", standby_dir, NULL};

	if (!standby_dir[0])
		return;
	if (standby_started)
		pg_ctl_at(standby_dir, "stop", "immediate");
	standby_started = 0;
	if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
		waitpid(pid, NULL, 0);
	snprintf(log, sizeof(log), "/tmp/%s.log", strrchr(standby_dir, '/') + 1);
	unlink(log);
	standby_dir[0] = '\0';
}

static void outage_cleanup(void)
{
	char log[128];
	pid_t pid;
	char *argv[] = {"rm", "-rf", outage_dir, NULL};

	standby_cleanup();
	if (!outage_dir[0])
		return;
	if (outage_started)
		pg_ctl("stop", "immediate");
	outage_started = 0;
	if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
		waitpid(pid, NULL, 0);
	snprintf(log, sizeof(log), "/tmp/%s.log", strrchr(outage_dir, '/') + 1);
	unlink(log);
	outage_dir[0] = '\0';
}

static void outage_setup(void)
{
	char data[128], log[128];
	struct passwd *pw;

	snprintf(outage_dir, sizeof(outage_dir), "/tmp/crtest-outage-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(outage_dir));
	/* removed even when a failing assertion ends the process early */
	atexit(outage_cleanup);
	if (geteuid() == 0) {
		pw = getpwnam("postgres");
		ck_assert_msg(pw != NULL, "no postgres account");
		ck_assert_int_eq(chown(outage_dir, pw->pw_uid, pw->pw_gid), 0);
	}
	snprintf(data, sizeof(data), "%s/data", outage_dir);
	snprintf(log, sizeof(log), "/tmp/%s.log", strrchr(outage_dir, '/') + 1);
	ck_assert_msg(pg_program("initdb",
				 (const char *[]){"-D", data, "-U", "postgres", "--auth=trust",
						  "-E", "UTF8", "--locale=C.UTF-8", NULL},
				 log) == 0,
		      "initdb failed, see %s", log);
	ck_assert_msg(pg_ctl("start", NULL) == 0, "pg_ctl start failed, see %s", log);
	outage_started = 1;
	access_log = tmpfile();
}

static void outage_teardown(void)
{
	http_stop(server);
	server = NULL;
	db_close(conn);
	conn = NULL;
	if (access_log)
		fclose(access_log);
	access_log = NULL;
	outage_cleanup();
}

START_TEST(test_server_database_outage_gives_503_then_recovers)
{
	char ci[160];
	struct resp r, first;
	cJSON *j;
	int i;

	snprintf(ci, sizeof(ci), "host=%s port=5432 user=postgres dbname=postgres", outage_dir);
	ck_assert_msg(db_connect(ci, &conn) == 0, "%s", err_last());
	ck_assert_msg(schema_migrate(conn, NULL, NULL) == 0, "%s", err_last());
	ck_assert_msg(db_exec_script(conn, fixture_sql) == 0, "%s", err_last());
	publish(conn, "2024-Q2");
	db_close(conn);
	conn = NULL;
	start_server(ci);
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);

	get("/api/v1/policies/QUA/scorecards/2024-Q2.pdf?revision=1", &first);
	ck_assert_int_eq(first.status, 200);

	ck_assert_int_eq(pg_ctl("stop", "fast"), 0);
	/* a document named by its revision never changes: served from memory */
	get("/api/v1/policies/QUA/scorecards/2024-Q2.pdf?revision=1", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.len, first.len);
	ck_assert(memcmp(r.body, first.body, r.len) == 0);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
	resp_free(&first);
	for (i = 0; i < 3; i++) {
		get(i == 2 ? "/" : "/api/v1/policies/QUA/scorecards/2024-Q2", &r);
		ck_assert_int_eq(r.status, 503);
		ck_assert_str_eq(header(&r, "Content-Type"), "application/json; charset=utf-8");
		ck_assert_str_eq(header(&r, "Retry-After"), "5");
		ck_assert_str_eq(header(&r, "Cache-Control"), "no-store");
		j = json_of(&r);
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "error")));
		/* what went wrong stays in the log */
		ck_assert_ptr_null(strstr(r.body, outage_dir));
		cJSON_Delete(j);
		resp_free(&r);
	}
	/* requests that need no database are still answered */
	expect_error("GET", "/api/v1/policies/%ff/periods", 400, "UTF-8");

	ck_assert_int_eq(pg_ctl("start", NULL), 0);
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
	/* every pooled connection recovers, not only the first */
	for (i = 0; i < 12; i++) {
		get(i % 2 ? "/" : "/api/v1/policies", &r);
		ck_assert_int_eq(r.status, 200);
		resp_free(&r);
	}
}
END_TEST

/* ---- a hot standby ------------------------------------------------------------------- */

START_TEST(test_server_serves_from_a_hot_standby)
{
	struct http_options o = {.listen = "127.0.0.1:0", .refresh_ms = 200};
	struct timespec pause = {0, 50 * 1000000L};
	char primary[160], standby[160], data[128], log[128];
	struct passwd *pw;
	struct resp r;
	int i, seen = 0;
	char *v;
	db *c = NULL;

	snprintf(primary, sizeof(primary), "host=%s port=5432 user=postgres dbname=postgres",
		 outage_dir);
	ck_assert_msg(db_connect(primary, &conn) == 0, "%s", err_last());
	ck_assert_msg(schema_migrate(conn, NULL, NULL) == 0, "%s", err_last());
	ck_assert_msg(db_exec_script(conn, fixture_sql) == 0, "%s", err_last());
	publish(conn, "2024-Q2");
	/* a streaming replica of it, as an administrator makes one */
	snprintf(standby_dir, sizeof(standby_dir), "/tmp/crtest-standby-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(standby_dir));
	if (geteuid() == 0) {
		pw = getpwnam("postgres");
		ck_assert_int_eq(chown(standby_dir, pw->pw_uid, pw->pw_gid), 0);
	}
	snprintf(data, sizeof(data), "%s/data", standby_dir);
	snprintf(log, sizeof(log), "/tmp/%s.log", strrchr(standby_dir, '/') + 1);
	ck_assert_msg(pg_program("pg_basebackup",
				 (const char *[]){"-h", outage_dir, "-p", "5432", "-U", "postgres",
						  "-D", data, "-R", "-X", "stream", NULL},
				 log) == 0,
		      "pg_basebackup failed, see %s", log);
	ck_assert_msg(pg_ctl_at(standby_dir, "start", NULL) == 0, "standby start failed, see %s",
		      log);
	standby_started = 1;
	snprintf(standby, sizeof(standby), "host=%s port=5432 user=postgres dbname=postgres",
		 standby_dir);
	ck_assert_msg(db_connect(standby, &c) == 0, "%s", err_last());
	v = testdb_value(c, "SELECT pg_is_in_recovery()");
	ck_assert_str_eq(v, "t");
	free(v);
	db_close(c);

	o.conninfo = standby;
	o.access_log = access_log;
	ck_assert_msg(http_start(&o, &server, NULL) == 0, "%s", err_last());
	port = http_port(server);
	get("/api/v1/policies/QUA/scorecards/2024-Q2", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(header(&r, "X-Cruscotto-Revision"), "1");
	resp_free(&r);
	/* published on the primary, read through the standby's server: no
	 * LISTEN there, the revision count shows it (20 s: a generous bound
	 * for replay and the 200 ms refresh) */
	publish(conn, "2024-Q2");
	for (i = 0; i < 400 && !seen; i++) {
		get("/api/v1/policies/QUA/scorecards/2024-Q2.pdf", &r);
		ck_assert_int_eq(r.status, 200);
		seen = strcmp(header(&r, "X-Cruscotto-Revision"), "2") == 0;
		resp_free(&r);
		if (!seen)
			nanosleep(&pause, NULL);
	}
	ck_assert_msg(seen, "revision 2 never served by the standby");
	/* lists (read in one snapshot) and the page work there too */
	get("/api/v1/policies/QUA/periods", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(r.body, "?revision=2"));
	resp_free(&r);
	get("/api/v1/policies/QUA/periods/2024-Q2/agreements", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
	get("/", &r);
	ck_assert_int_eq(r.status, 200);
	resp_free(&r);
}
END_TEST

Suite *server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("server"), *outage = tcase_create("outage"),
	      *standby = tcase_create("standby");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	atexit(curl_global_cleanup);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_server_policies_lists_published_policies);
	tcase_add_test(tc, test_server_periods_lists_revisions_and_agreements);
	tcase_add_test(tc, test_server_scorecards_are_the_stored_documents);
	tcase_add_test(tc, test_server_compresses_text_for_clients_that_accept_gzip);
	tcase_add_test(tc, test_server_neighbourhood_scorecards);
	tcase_add_test(tc, test_server_page_lists_periods_and_links);
	tcase_add_test(tc, test_server_etag_gives_not_modified);
	tcase_add_test(tc, test_server_serves_the_stored_pages);
	tcase_add_test(tc, test_server_head_is_get_without_body);
	tcase_add_test(tc, test_server_unpublished_is_not_found);
	tcase_add_test(tc, test_server_older_revision_still_served);
	tcase_add_test(tc, test_server_malformed_paths_are_rejected);
	tcase_add_test(tc, test_server_other_methods_are_refused);
	tcase_add_test(tc, test_server_logs_one_line_per_request);
	tcase_add_test(tc, test_server_listen_addresses_are_checked);
	tcase_add_test(tc, test_server_survives_concurrent_load);
	tcase_add_test(tc, test_server_listings_paginate_with_stable_links);
	tcase_add_test(tc, test_server_slow_clients_do_not_hold_the_server);
	tcase_add_test(tc, test_server_request_head_has_a_total_deadline);
	tcase_add_test(tc, test_server_host_header_is_required);
	tcase_add_test(tc, test_server_oversized_heads_are_json_errors);
	tcase_add_test(tc, test_server_learns_new_revisions_without_restart);
	tcase_add_test(tc, test_server_learns_a_publication_by_notification);
	tcase_add_test(tc, test_server_search_finds_agreements);
	tcase_add_test(tc, test_server_search_is_bounded);
	tcase_add_test(tc, test_server_session_cannot_escalate);
	tcase_add_test(tc, test_server_revision_triggers_fire_in_replica_mode);
	tcase_add_test(tc, test_server_embedded_login_is_no_superuser);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(outage, outage_setup, outage_teardown);
	tcase_set_timeout(outage, 600);
	tcase_add_test(outage, test_server_database_outage_gives_503_then_recovers);
	suite_add_tcase(s, outage);
	tcase_add_checked_fixture(standby, outage_setup, outage_teardown);
	tcase_set_timeout(standby, 600);
	tcase_add_test(standby, test_server_serves_from_a_hot_standby);
	suite_add_tcase(s, standby);
	return s;
}

CHECK_MAIN(server_suite)
