/* pgembed: the embedded instance's life (pgembed.h): initdb, pg_ctl start,
 * status and stop, the database and the server's login, and destroy. Who
 * runs the programs is pgembed_proc.c's, where the instance lives
 * pgembed_layout.c's. */
#include "pgembed.h"

#include "db.h"
#include "err.h"
#include "pgembed_int.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT "60" /* seconds pg_ctl waits for start and stop */

/* 1 when a log line says what went wrong. */
static int is_error_line(const char *line)
{
	return strstr(line, "FATAL:") || strstr(line, "PANIC:") || strstr(line, "ERROR:") ||
	       strstr(line, "error:") || strstr(line, "cannot ");
}

/* The most telling line appended to the log since offset `from` (the last
 * error line, else the last line), "" when none. */
static void log_tail(int fd, off_t from, char *line, size_t size)
{
	char buf[4096], *p, *next, *pick = NULL;
	off_t end = lseek(fd, 0, SEEK_END);
	ssize_t n;

	line[0] = '\0';
	if (from < 0 || end <= from)
		return;
	if (end - from > (off_t)sizeof(buf) - 1)
		from = end - ((off_t)sizeof(buf) - 1);
	n = pread(fd, buf, (size_t)(end - from), from);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (p = buf; *p; p = next) {
		next = p + strcspn(p, "\n");
		if (*next)
			*next++ = '\0';
		if (p[strspn(p, " \t\r")] && (!pick || !is_error_line(pick) || is_error_line(p)))
			pick = p;
	}
	if (pick) {
		n = (ssize_t)strlen(pick) < (ssize_t)size ? (ssize_t)strlen(pick)
							  : (ssize_t)size - 1;
		memcpy(line, pick, (size_t)n);
		line[n] = '\0';
	}
}

/* Runs a server program of the bindir with its output appended to the log;
 * when it fails, the message is "<failure> (exit code N; see LOG): line". */
static int run_logged(const struct layout *l, int log_fd, const char *failure, char **argv)
{
	char line[600], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	off_t from;
	int rc, code, written, i;

	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&now, &tm));
	written = dprintf(log_fd, "%s cruscotto: running", stamp);
	for (i = 0; argv[i]; i++)
		written = dprintf(log_fd, " %s", argv[i]);
	written = dprintf(log_fd, "\n");
	(void)written;
	from = lseek(log_fd, 0, SEEK_END);
	rc = pge_run(&l->acct, argv, log_fd, log_fd, &code);
	if (rc || code == 0)
		return rc;
	log_tail(log_fd, from, line, sizeof(line));
	return err_set(ERR_FAIL, "%s (exit code %d; see %spostgresql.log)%s%s", failure, code,
		       l->shown, line[0] ? ": " : "", line);
}

/* Writes into buf the path of program `name` of the bindir. */
static int program(char *buf, const struct layout *l, const char *name)
{
	return pge_join(buf, l->bindir, name);
}

/* initdb into l->data. */
static int create_cluster(struct layout *l, int log_fd, FILE *progress)
{
	char initdb[PATH_MAX];
	char *argv[] = {initdb,
			"-D",
			l->data,
			"-U",
			"cruscotto",
			"-E",
			"UTF8",
			"--locale=C.UTF-8",
			"--lc-collate=C",
			"--auth-local=trust",
			"--auth-host=reject",
			NULL};
	int rc;

	if (progress) {
		fprintf(progress, "initialising embedded PostgreSQL in %s ...\n", l->shown);
		fflush(progress);
	}
	rc = program(initdb, l, "initdb");
	if (rc == 0)
		rc = pge_ensure_dir(l->data, &l->acct, 0);
	if (rc == 0)
		rc = run_logged(l, log_fd, "initdb failed", argv);
	return rc;
}

/* pg_ctl status: *running 1 or 0. */
static int server_running(const struct layout *l, int *running)
{
	char pg_ctl[PATH_MAX];
	char *argv[] = {pg_ctl, "status", "-D", (char *)l->data, NULL};
	int rc = program(pg_ctl, l, "pg_ctl"), code;

	if (rc == 0)
		rc = pge_run(&l->acct, argv, -1, -1, &code);
	if (rc)
		return rc;
	if (code == 0 || code == 3) {
		*running = code == 0;
		return 0;
	}
	if (code == 4)
		return err_set(ERR_FAIL, "pg_ctl status: the data directory %s is not accessible%s",
			       l->data, l->acct.drop ? " to the " SERVER_ACCOUNT " account" : "");
	return err_set(ERR_FAIL, "pg_ctl status %s failed with exit code %d", l->data, code);
}

/* pg_ctl start, waiting until the server accepts connections. */
static int start_server(const struct layout *l, int log_fd, FILE *progress)
{
	char pg_ctl[PATH_MAX], opts[PATH_MAX + 160];
	char *argv[] = {pg_ctl, "start", "-D", (char *)l->data, "-w", "-t", TIMEOUT, "-s",
			"-o",	opts,	 NULL};
	int rc;

	if (progress) {
		fprintf(progress, "starting embedded PostgreSQL in %s ...\n", l->shown);
		fflush(progress);
	}
	/* pg_ctl hands -o to /bin/sh: l->sock holds only setting_safe bytes */
	snprintf(opts, sizeof(opts),
		 "-c listen_addresses='' -c port=" PORT " -c unix_socket_directories=%s "
		 "-c unix_socket_permissions=0700 -c logging_collector=off",
		 l->sock);
	rc = program(pg_ctl, l, "pg_ctl");
	if (rc == 0)
		rc = pge_ensure_dir(l->sock, &l->acct, l->sock_moved);
	if (rc == 0)
		rc = run_logged(l, log_fd, "could not start the embedded PostgreSQL", argv);
	return rc;
}

/* The conninfo of database `dbname` on the socket directory, as `user`. */
static int make_conninfo(const struct layout *l, const char *user, const char *dbname, char **out)
{
	char *s = NULL;

	/* sock is setting_safe: nothing in it needs a backslash in quotes */
	if (asprintf(&s, "host='%s' port=" PORT " user=%s dbname=%s", l->sock, user, dbname) < 0)
		return err_set(ERR_FAIL, "out of memory");
	*out = s;
	return 0;
}

/* The login of `cruscotto serve`: no superuser, no right to create
 * anything, a member of cruscotto_web only (the role schema/002 grants the
 * revisions to; created here when init has not run yet), read-only by
 * default. Idempotent: every ensure makes sure of it, also for instances
 * made before the role existed. The instance's user and cluster are
 * private, so no concurrent creation has to be expected. */
static int create_server_role(db *c)
{
	return db_exec_script(
		c,
		"DO $$ BEGIN"
		" IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'cruscotto_web')"
		" THEN CREATE ROLE cruscotto_web NOLOGIN; END IF;"
		" IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles"
		" WHERE rolname = '" PGEMBED_SERVER_ROLE "')"
		" THEN CREATE ROLE " PGEMBED_SERVER_ROLE "; END IF;"
		" END $$;"
		" ALTER ROLE " PGEMBED_SERVER_ROLE " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
		" NOREPLICATION NOBYPASSRLS INHERIT;"
		" ALTER ROLE " PGEMBED_SERVER_ROLE " SET default_transaction_read_only = on;"
		" GRANT cruscotto_web TO " PGEMBED_SERVER_ROLE ";");
}

/* Creates the database cruscotto when pg_database lacks it, and the login of
 * the server. */
static int create_database(const struct layout *l, FILE *progress)
{
	static const char *const params[] = {"cruscotto"};
	char *ci = NULL, why[900];
	rows *r = NULL;
	db *c = NULL;
	int rc;

	rc = make_conninfo(l, "cruscotto", "postgres", &ci);
	if (rc)
		goto out;
	rc = db_connect(ci, &c);
	if (rc == 0)
		rc = db_exec(c, "SELECT 1 FROM pg_database WHERE datname = $1::text", 1, params,
			     &r);
	if (rc == 0 && r->nrows == 0) {
		if (progress) {
			fprintf(progress, "creating database cruscotto ...\n");
			fflush(progress);
		}
		rc = db_exec(c, "CREATE DATABASE cruscotto", 0, NULL, NULL);
	}
	if (rc == 0)
		rc = create_server_role(c);
	if (rc) {
		snprintf(why, sizeof(why), "%s", err_last());
		rc = err_set(rc, "embedded PostgreSQL in %s (see %spostgresql.log): %s%s", l->shown,
			     l->shown,
			     c ? "cannot create database cruscotto or the server's login: " : "",
			     why);
	}
out:
	rows_free(r);
	db_close(c);
	free(ci);
	return rc;
}

/* Closes the log and the lock (-1: not open) and frees the layout. */
static void release(struct layout *l, int log_fd, int lock_fd)
{
	if (log_fd >= 0)
		close(log_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	free(l);
}

static int ensure_as(const char *state_dir, FILE *progress, const char *user, char **conninfo)
{
	struct layout *l = calloc(1, sizeof(*l));
	int lock_fd = -1, log_fd = -1, exists, initialised, running = 0, rc;
	char *ci = NULL;

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = pge_state_open(state_dir, 1, l, &exists);
	if (rc == 0)
		rc = pge_lock_state(l, &lock_fd);
	/* decided under the lock: a process that held it may have relocated */
	if (rc == 0)
		rc = pge_layout_resolve(l);
	if (rc == 0)
		rc = pge_find_bindir(l->bindir);
	if (rc == 0)
		rc = pge_open_log(l, &log_fd);
	/* recorded before initdb, and also when a cluster outlived its record */
	if (rc == 0 && l->relocated)
		rc = pge_ensure_dir(l->base, &l->acct, 1);
	if (rc == 0 && l->relocated && !l->recorded)
		rc = pge_record_location(l);
	if (rc == 0)
		rc = pge_file_exists(l->version, &initialised);
	if (rc == 0 && !initialised)
		rc = create_cluster(l, log_fd, progress);
	if (rc == 0)
		rc = server_running(l, &running);
	if (rc == 0 && !running)
		rc = start_server(l, log_fd, progress);
	if (rc == 0)
		rc = create_database(l, progress);
	if (rc == 0)
		rc = make_conninfo(l, user, "cruscotto", &ci);
	if (rc)
		goto out;
	*conninfo = ci;
out:
	release(l, log_fd, lock_fd);
	return rc;
}

int pgembed_ensure(const char *state_dir, FILE *progress, char **conninfo)
{
	return ensure_as(state_dir, progress, "cruscotto", conninfo);
}

int pgembed_ensure_server(const char *state_dir, FILE *progress, char **conninfo)
{
	return ensure_as(state_dir, progress, PGEMBED_SERVER_ROLE, conninfo);
}

/* The PID on the first line of data/postmaster.pid ("?" when unreadable). */
static void read_pid(const struct layout *l, char *buf, size_t size)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(buf, size, "?");
	if (pge_join(path, l->data, "postmaster.pid") != 0 || !(f = fopen(path, "re")))
		return;
	if (!fgets(buf, (int)size, f))
		snprintf(buf, size, "?");
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Finds the instance of `state_dir` as it is, creating nothing: sets
 * *initialised and *running (left as they are when the folder does not
 * exist); with lock_fd, under the state folder's lock, taken into it. */
static int inspect(const char *state_dir, struct layout *l, int *lock_fd, int *initialised,
		   int *running)
{
	int exists = 0, rc = pge_state_open(state_dir, 0, l, &exists);

	if (rc == 0 && exists && lock_fd)
		rc = pge_lock_state(l, lock_fd);
	if (rc == 0 && exists)
		rc = pge_layout_resolve(l);
	if (rc == 0 && exists)
		rc = pge_file_exists(l->version, initialised);
	if (rc == 0 && *initialised)
		rc = pge_find_bindir(l->bindir);
	if (rc == 0 && *initialised)
		rc = server_running(l, running);
	return rc;
}

int pgembed_status(const char *state_dir, char **text, int *running)
{
	struct layout *l = calloc(1, sizeof(*l));
	int initialised = 0, up = 0, rc, n;
	char *t = NULL, *ci = NULL, pid[32];

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = inspect(state_dir, l, NULL, &initialised, &up);
	if (rc == 0 && up)
		rc = make_conninfo(l, "cruscotto", "cruscotto", &ci);
	if (rc)
		goto out;
	if (up)
		read_pid(l, pid, sizeof(pid));
	if (!initialised)
		n = asprintf(&t, "embedded PostgreSQL of %s: not created yet\n", l->shown);
	else
		n = asprintf(&t,
			     "embedded PostgreSQL of %s: %s%s%s\n"
			     "data directory: %s\n"
			     "socket: %s/" SOCKET_NAME "\n"
			     "log: %s\n"
			     "%s%s%s",
			     l->shown, up ? "running (PID " : "not running", up ? pid : "",
			     up ? ")" : "", l->data, l->sock, l->log, up ? "conninfo: " : "",
			     up ? ci : "", up ? "\n" : "");
	if (n < 0) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	*text = t;
	*running = up;
out:
	free(ci);
	free(l);
	return rc;
}

int pgembed_stop(const char *state_dir)
{
	struct layout *l = calloc(1, sizeof(*l));
	int lock_fd = -1, log_fd = -1, initialised = 0, running = 0, rc;
	char pg_ctl[PATH_MAX];
	char *argv[] = {pg_ctl, "stop", "-D", NULL, "-m", "fast", "-w", "-t", TIMEOUT, "-s", NULL};

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = inspect(state_dir, l, &lock_fd, &initialised, &running);
	if (rc == 0 && running)
		rc = pge_open_log(l, &log_fd);
	if (rc == 0 && running)
		rc = program(pg_ctl, l, "pg_ctl");
	if (rc == 0 && running) {
		argv[3] = l->data;
		rc = run_logged(l, log_fd, "could not stop the embedded PostgreSQL", argv);
	}
	if (rc)
		goto out;
	/* the server removed its socket: a folder of ours in /tmp goes too */
	if (initialised && l->sock_moved)
		rmdir(l->sock);
out:
	release(l, log_fd, lock_fd);
	return rc;
}

/* nftw callback: removes what it is handed, folders after their content. */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

/* Removes a tree that may not exist. */
static int remove_tree(const char *path)
{
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return err_set(ERR_FAIL, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}

int pgembed_destroy(const char *state_dir)
{
	struct layout *l = NULL;
	int rc = pgembed_stop(state_dir), exists = 0, lock_fd = -1;

	if (rc)
		return rc;
	l = calloc(1, sizeof(*l));
	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = pge_state_open(state_dir, 0, l, &exists);
	if (rc || !exists)
		goto out;
	rc = pge_lock_state(l, &lock_fd);
	if (rc == 0)
		rc = pge_layout_resolve(l);
	if (rc == 0)
		rc = remove_tree(l->data);
	if (rc == 0 && !l->sock_moved)
		rc = remove_tree(l->sock);
	if (rc == 0 && l->relocated)
		rc = remove_tree(l->base);
	if (rc == 0 && unlink(l->location) != 0 && errno != ENOENT)
		rc = err_set(ERR_FAIL, "cannot remove %s: %s", l->location, strerror(errno));
	if (rc == 0 && unlink(l->log) != 0 && errno != ENOENT)
		rc = err_set(ERR_FAIL, "cannot remove %s: %s", l->log, strerror(errno));
out:
	release(l, -1, lock_fd);
	return rc;
}
