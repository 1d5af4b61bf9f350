#include "testdb.h"

#include "config.h"
#include "err.h"
#include "schema.h"

#include <check.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

void testdb_create(char **conninfo, db **conn)
{
	static int seq;
	char name[64], ci[128];
	const char *params[1] = {name};
	db *admin = NULL, *c = NULL;

	snprintf(name, sizeof(name), "crtest_%ld_%d", (long)getpid(), ++seq);
	ck_assert_msg(db_connect("dbname=postgres", &admin) == 0, "%s", err_last());
	/* CREATE DATABASE takes no parameters: the name is ours and plain */
	{
		char sql[128];
		rows *r = NULL;
		ck_assert(db_exec(admin, "SELECT 1 FROM pg_database WHERE datname = $1::text", 1,
				  params, &r) == 0);
		if (r->nrows) {
			snprintf(sql, sizeof(sql), "DROP DATABASE %s", name);
			ck_assert_msg(db_exec(admin, sql, 0, NULL, NULL) == 0, "%s", err_last());
		}
		rows_free(r);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
		ck_assert_msg(db_exec(admin, sql, 0, NULL, NULL) == 0, "%s", err_last());
	}
	db_close(admin);
	snprintf(ci, sizeof(ci), "dbname=%s", name);
	ck_assert_msg(db_connect(ci, &c) == 0, "%s", err_last());
	ck_assert_msg(schema_migrate(c, NULL, NULL) == 0, "%s", err_last());
	*conninfo = strdup(ci);
	*conn = c;
}

void testdb_drop(char *conninfo, db *conn)
{
	char sql[160];
	db *admin = NULL;

	db_close(conn);
	if (!conninfo)
		return;
	if (db_connect("dbname=postgres", &admin) == 0) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 conninfo + strlen("dbname="));
		db_exec(admin, sql, 0, NULL, NULL);
	}
	db_close(admin);
	free(conninfo);
}

char *testdb_value(db *conn, const char *sql)
{
	rows *r = NULL;
	char *v;

	ck_assert_msg(db_exec(conn, sql, 0, NULL, &r) == 0, "%s: %s", sql, err_last());
	ck_assert_msg(r->nrows == 1 && r->ncols >= 1, "%s: expected one row", sql);
	v = strdup(rows_get(r, 0, 0) ? rows_get(r, 0, 0) : "NULL");
	rows_free(r);
	return v;
}

/* Reads a whole file into a string. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t size = 0;

	if (!f)
		return strdup("");
	{
		FILE *m = open_memstream(&buf, &size);
		int ch;
		while ((ch = fgetc(f)) != EOF)
			fputc(ch, m);
		fclose(m);
	}
	fclose(f);
	return buf;
}

int testdb_run(const char *const *argv, const char *const *env, char **out, char **err)
{
	char out_path[] = "/tmp/crtest_out_XXXXXX", err_path[] = "/tmp/crtest_err_XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path), status = 0, n = 0, i;
	const char *bin = getenv("CRUSCOTTO_BIN");
	posix_spawn_file_actions_t fa;
	char **args, **envp;
	pid_t pid;

	ck_assert(out_fd >= 0 && err_fd >= 0);
	ck_assert_msg(bin != NULL, "CRUSCOTTO_BIN is not set");
	while (argv[n])
		n++;
	args = calloc(n + 1, sizeof(char *));
	args[0] = (char *)bin;
	for (i = 1; i < n; i++)
		args[i] = (char *)argv[i];
	for (n = 0; environ[n]; n++)
		;
	i = 0;
	while (env && env[i])
		i++;
	envp = calloc(n + i + 1, sizeof(char *));
	for (n = 0; environ[n]; n++)
		envp[n] = environ[n];
	for (i = 0; env && env[i]; i++)
		envp[n + i] = (char *)env[i];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	ck_assert(posix_spawn(&pid, bin, &fa, NULL, args, envp) == 0);
	posix_spawn_file_actions_destroy(&fa);
	ck_assert(waitpid(pid, &status, 0) == pid);
	close(out_fd);
	close(err_fd);
	if (out)
		*out = slurp(out_path);
	if (err)
		*err = slurp(err_path);
	unlink(out_path);
	unlink(err_path);
	free(args);
	free(envp);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
