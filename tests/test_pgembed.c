/* pgembed: the embedded instance, against real servers in throwaway state
 * folders under one mkdtemp folder of the suite (mode 0711, so that as root
 * the postgres account may reach the folders below it). Each test stops and
 * removes what it created; the suite's teardown sweeps whatever a failing
 * test left behind. */
#include "pgembed.h"

#include "check_main.h"
#include "db.h"
#include "err.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char suite_root[64];

/* Writes "<suite root>/<rel>" into out (PATH_MAX bytes). */
static void state_path(char *out, const char *rel)
{
	ck_assert_int_lt(snprintf(out, PATH_MAX, "%s/%s", suite_root, rel), PATH_MAX);
}

/* Reads a whole small file ("" when missing); caller frees. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&buf, &size);
	int ch;

	while (f && (ch = fgetc(f)) != EOF)
		fputc(ch, m);
	fclose(m);
	if (f)
		fclose(f);
	return buf;
}

/* The value of line "key: value" of a status text; caller frees. */
static char *status_field(const char *text, const char *key)
{
	const char *p = text;
	size_t klen = strlen(key);

	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ')
			return strndup(p + klen + 2, strcspn(p + klen + 2, "\n"));
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	ck_abort_msg("status has no %s line: %s", key, text);
	return NULL;
}

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

/* rm -rf */
static void remove_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Stops the instance of `state` and removes it, its relocated cluster too. */
static void state_cleanup(const char *state)
{
	char path[PATH_MAX + 32], *where;

	pgembed_stop(state);
	snprintf(path, sizeof(path), "%s/cluster-location", state);
	where = read_text(path);
	where[strcspn(where, "\n")] = '\0';
	if (strncmp(where, "/var/tmp/cruscotto-", 19) == 0)
		remove_tree(where);
	free(where);
	remove_tree(state);
}

/* For the teardown: cleans up every state folder (one holding pgembed.lock). */
static int sweep_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (flag == FTW_F && strcmp(path + ftw->base, "pgembed.lock") == 0) {
		char *dir = strndup(path, ftw->base - 1);

		state_cleanup(dir);
		free(dir);
	}
	return 0;
}

static void suite_setup(void)
{
	snprintf(suite_root, sizeof(suite_root), "/tmp/crpgembed.XXXXXX");
	ck_assert(mkdtemp(suite_root) != NULL);
	ck_assert(chmod(suite_root, 0711) == 0);
}

static void suite_teardown(void)
{
	nftw(suite_root, sweep_entry, 16, FTW_PHYS);
	remove_tree(suite_root);
}

/* Ensures the instance, asserting success; returns the conninfo. */
static char *ensure_ok(const char *state, FILE *progress)
{
	char *ci = NULL;

	ck_assert_msg(pgembed_ensure(state, progress, &ci) == 0, "ensure %s: %s", state,
		      err_last());
	ck_assert_ptr_nonnull(ci);
	return ci;
}

/* The status text, asserting success and the running flag. */
static char *status_ok(const char *state, int want_running)
{
	char *text = NULL;
	int running = -1;

	ck_assert_msg(pgembed_status(state, &text, &running) == 0, "status %s: %s", state,
		      err_last());
	ck_assert_msg(running == want_running, "running %d: %s", running, text);
	return text;
}

/* Runs a one-cell query on a new connection to `ci`; caller frees. */
static char *query_value(const char *ci, const char *sql)
{
	db *c = NULL;
	rows *r = NULL;
	char *v;

	ck_assert_msg(db_connect(ci, &c) == 0, "connect %s: %s", ci, err_last());
	ck_assert_msg(db_exec(c, sql, 0, NULL, &r) == 0, "%s: %s", sql, err_last());
	ck_assert_msg(r->nrows == 1 && r->ncols == 1, "%s: not one cell", sql);
	v = strdup(rows_get(r, 0, 0) ? rows_get(r, 0, 0) : "NULL");
	rows_free(r);
	db_close(c);
	return v;
}

/* Asserts `ci` reaches database cruscotto as superuser cruscotto. */
static void assert_reaches_cruscotto(const char *ci)
{
	char *v = query_value(ci, "SELECT current_database() || ' ' || current_user || ' ' || "
				  "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)");

	ck_assert_str_eq(v, "cruscotto cruscotto true");
	free(v);
}

/* How often `needle` occurs in the file at `path`. */
static int count_in_file(const char *path, const char *needle)
{
	char *text = read_text(path);
	const char *p = text;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	free(text);
	return n;
}

START_TEST(test_pgembed_ensure_creates_and_starts)
{
	char state[PATH_MAX], log[PATH_MAX + 32], *ci, *out = NULL, *v;
	size_t size = 0;
	FILE *progress = open_memstream(&out, &size);
	struct stat st;

	state_path(state, "fresh/nested");
	ci = ensure_ok(state, progress);
	fclose(progress);
	ck_assert_msg(strstr(out, "initialising embedded PostgreSQL in ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "starting embedded PostgreSQL in ") != NULL, "%s", out);
	ck_assert_msg(strstr(ci, "user=cruscotto") && strstr(ci, "dbname=cruscotto"), "%s", ci);
	assert_reaches_cruscotto(ci);
	v = query_value(ci, "SELECT current_setting('listen_addresses') || '|' || "
			    "current_setting('fsync') || '|' || current_setting('port')");
	ck_assert_str_eq(v, "|on|5432");
	free(v);
	/* the log is the caller's, next to the data */
	snprintf(log, sizeof(log), "%s/postgresql.log", state);
	ck_assert_int_eq(stat(log, &st), 0);
	ck_assert_int_eq(st.st_uid, geteuid());
	ck_assert_int_eq(count_in_file(log, "Success. You can now start"), 1);
	free(out);
	free(ci);
	state_cleanup(state);
}
END_TEST

START_TEST(test_pgembed_ensure_reuses_running_instance)
{
	char state[PATH_MAX], version[PATH_MAX + 16], *ci1, *ci2, *text, *data, *first1, *first2;
	char *out = NULL;
	size_t size = 0;
	struct stat st1, st2;
	FILE *progress;

	state_path(state, "reuse");
	ci1 = ensure_ok(state, NULL);
	text = status_ok(state, 1);
	data = status_field(text, "data directory");
	first1 = strndup(text, strcspn(text, "\n"));
	free(text);
	snprintf(version, sizeof(version), "%s/PG_VERSION", data);
	ck_assert_int_eq(stat(version, &st1), 0);

	progress = open_memstream(&out, &size);
	ci2 = ensure_ok(state, progress);
	fclose(progress);
	ck_assert_str_eq(ci1, ci2);
	ck_assert_msg(size == 0, "a second ensure reported progress: %s", out);
	ck_assert_int_eq(stat(version, &st2), 0);
	ck_assert(st1.st_ino == st2.st_ino && st1.st_mtime == st2.st_mtime);
	text = status_ok(state, 1);
	first2 = strndup(text, strcspn(text, "\n"));
	ck_assert_str_eq(first1, first2); /* same PID */
	assert_reaches_cruscotto(ci2);
	free(text);
	free(first1);
	free(first2);
	free(data);
	free(out);
	free(ci1);
	free(ci2);
	state_cleanup(state);
}
END_TEST

START_TEST(test_pgembed_status_and_stop)
{
	char state[PATH_MAX], *ci, *text, *v;
	struct stat st;
	db *c = NULL;

	state_path(state, "status");
	/* a missing folder: not created, and status does not create it */
	text = status_ok(state, 0);
	ck_assert_msg(strstr(text, ": not created yet\n") != NULL, "%s", text);
	free(text);
	ck_assert_int_ne(stat(state, &st), 0);
	ck_assert_msg(pgembed_stop(state) == 0, "%s", err_last());
	ck_assert_int_ne(stat(state, &st), 0);

	ci = ensure_ok(state, NULL);
	text = status_ok(state, 1);
	ck_assert_msg(strstr(text, ": running (PID ") != NULL, "%s", text);
	v = status_field(text, "conninfo");
	ck_assert_str_eq(v, ci);
	free(v);
	v = status_field(text, "socket");
	ck_assert_msg(strstr(v, "/.s.PGSQL.5432") != NULL, "%s", v);
	free(v);
	free(text);

	ck_assert_msg(pgembed_stop(state) == 0, "%s", err_last());
	text = status_ok(state, 0);
	ck_assert_msg(strstr(text, ": not running\n") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "conninfo:") == NULL, "%s", text);
	free(text);
	ck_assert_int_eq(db_connect(ci, &c), ERR_DB);
	ck_assert_msg(pgembed_stop(state) == 0, "stopping twice: %s", err_last());
	free(ci);
	state_cleanup(state);
}
END_TEST

START_TEST(test_pgembed_ensure_restarts_with_data_kept)
{
	char state[PATH_MAX], *ci1, *ci2, *v;
	db *c = NULL;

	state_path(state, "restart");
	ci1 = ensure_ok(state, NULL);
	ck_assert_msg(db_connect(ci1, &c) == 0, "%s", err_last());
	ck_assert_msg(db_exec_script(c, "CREATE TABLE public.kept (x int); "
					"INSERT INTO public.kept VALUES (42)") == 0,
		      "%s", err_last());
	db_close(c);
	ck_assert_msg(pgembed_stop(state) == 0, "%s", err_last());
	ci2 = ensure_ok(state, NULL);
	ck_assert_str_eq(ci1, ci2);
	v = query_value(ci2, "SELECT x FROM public.kept");
	ck_assert_str_eq(v, "42");
	free(v);
	free(ci1);
	free(ci2);
	state_cleanup(state);
}
END_TEST

START_TEST(test_pgembed_state_folder_that_is_a_file_fails)
{
	char state[PATH_MAX], *ci = NULL, *text = NULL;
	int running = 7;
	FILE *f;

	state_path(state, "plain-file");
	f = fopen(state, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(pgembed_ensure(state, NULL, &ci), ERR_FAIL);
	ck_assert_ptr_null(ci);
	ck_assert_msg(strstr(err_last(), "not a directory") && strstr(err_last(), "plain-file"),
		      "%s", err_last());
	ck_assert_int_eq(pgembed_status(state, &text, &running), ERR_FAIL);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(running, 7);
	ck_assert_int_eq(pgembed_stop(state), ERR_FAIL);
	ck_assert_msg(strstr(err_last(), "not a directory"), "%s", err_last());
	unlink(state);
}
END_TEST

START_TEST(test_pgembed_long_path_puts_socket_in_tmp)
{
	char state[PATH_MAX], long_name[101], *ci, *text, *sock;
	struct stat st;

	memset(long_name, 'l', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	state_path(state, long_name);
	ci = ensure_ok(state, NULL);
	ck_assert_msg(strncmp(ci, "host='/tmp/cruscotto-", 21) == 0, "%s", ci);
	assert_reaches_cruscotto(ci);
	text = status_ok(state, 1);
	sock = status_field(text, "socket");
	ck_assert_msg(strlen(sock) <= 107 && strncmp(sock, "/tmp/cruscotto-", 15) == 0, "%s", sock);
	ck_assert_msg(pgembed_stop(state) == 0, "%s", err_last());
	/* the folder in /tmp goes with the server */
	*strrchr(sock, '/') = '\0';
	ck_assert_int_ne(stat(sock, &st), 0);
	free(sock);
	free(text);
	free(ci);
	state_cleanup(state);
}
END_TEST

START_TEST(test_pgembed_unreachable_folder_relocates_cluster)
{
	char private_dir[PATH_MAX], state[PATH_MAX], path[PATH_MAX + 32], *ci, *text, *data, *where;
	struct passwd *pw = getpwnam("postgres");
	struct stat st;

	state_path(private_dir, "private");
	ck_assert_int_eq(mkdir(private_dir, 0700), 0);
	state_path(state, "private/state");
	ci = ensure_ok(state, NULL);
	assert_reaches_cruscotto(ci);
	text = status_ok(state, 1);
	data = status_field(text, "data directory");
	snprintf(path, sizeof(path), "%s/cluster-location", state);
	where = read_text(path);
	if (geteuid() == 0) {
		/* postgres cannot pass private/: the cluster went to /var/tmp */
		ck_assert_msg(strncmp(where, "/var/tmp/cruscotto-", 19) == 0, "%s", where);
		ck_assert_msg(strncmp(data, where, strlen(where) - 1) == 0, "%s / %s", data, where);
		ck_assert_ptr_nonnull(pw);
		ck_assert_int_eq(stat(data, &st), 0);
		ck_assert_int_eq(st.st_uid, pw->pw_uid);
		ck_assert_int_eq(st.st_mode & 0777, 0700);
	} else {
		/* our own folders are always reachable: the cluster stays inside */
		ck_assert_str_eq(where, "");
		snprintf(path, sizeof(path), "%s/data", state);
		ck_assert_str_eq(data, path);
	}
	/* a new run finds the same cluster */
	ck_assert_msg(pgembed_stop(state) == 0, "%s", err_last());
	free(ci);
	ci = ensure_ok(state, NULL);
	free(text);
	text = status_ok(state, 1);
	free(where);
	where = status_field(text, "data directory");
	ck_assert_str_eq(where, data);
	free(where);
	free(data);
	free(text);
	free(ci);
	state_cleanup(state);
	rmdir(private_dir);
}
END_TEST

START_TEST(test_pgembed_shell_characters_in_path_relocate_cluster)
{
	char state[PATH_MAX], *ci, *text, *data;

	state_path(state, "we\"ird $(touch x) `dir`\\");
	ci = ensure_ok(state, NULL);
	assert_reaches_cruscotto(ci);
	text = status_ok(state, 1);
	data = status_field(text, "data directory");
	ck_assert_msg(strncmp(data, "/var/tmp/cruscotto-", 19) == 0, "%s", data);
	free(data);
	free(text);
	free(ci);
	state_cleanup(state);
}
END_TEST

struct racer {
	const char *state;
	int rc;
	char *ci;
	char msg[256];
};

static void *race(void *arg)
{
	struct racer *r = arg;

	r->rc = pgembed_ensure(r->state, NULL, &r->ci);
	snprintf(r->msg, sizeof(r->msg), "%s", err_last());
	return NULL;
}

START_TEST(test_pgembed_concurrent_ensures_initdb_once)
{
	char state[PATH_MAX], log[PATH_MAX + 32];
	struct racer r[2] = {{.state = state}, {.state = state}};
	pthread_t t[2];
	int i;

	state_path(state, "race");
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_msg(r[i].rc == 0, "racer %d: %s", i, r[i].msg);
	}
	ck_assert_str_eq(r[0].ci, r[1].ci);
	snprintf(log, sizeof(log), "%s/postgresql.log", state);
	ck_assert_int_eq(count_in_file(log, "Success. You can now start"), 1);
	assert_reaches_cruscotto(r[0].ci);
	free(r[0].ci);
	free(r[1].ci);
	state_cleanup(state);
}
END_TEST

Suite *pgembed_suite(void)
{
	Suite *s = suite_create("pgembed");
	TCase *tc = tcase_create("embedded");

	tcase_add_unchecked_fixture(tc, suite_setup, suite_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_pgembed_ensure_creates_and_starts);
	tcase_add_test(tc, test_pgembed_ensure_reuses_running_instance);
	tcase_add_test(tc, test_pgembed_status_and_stop);
	tcase_add_test(tc, test_pgembed_ensure_restarts_with_data_kept);
	tcase_add_test(tc, test_pgembed_state_folder_that_is_a_file_fails);
	tcase_add_test(tc, test_pgembed_long_path_puts_socket_in_tmp);
	tcase_add_test(tc, test_pgembed_unreachable_folder_relocates_cluster);
	tcase_add_test(tc, test_pgembed_shell_characters_in_path_relocate_cluster);
	tcase_add_test(tc, test_pgembed_concurrent_ensures_initdb_once);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(pgembed_suite)
