/* pgembed_proc: the server programs and who runs them (pgembed_int.h):
 * the account (ourselves, or postgres when we are root), forking and
 * exec'ing a program as that account, and finding initdb and pg_ctl. */
#include "pgembed_int.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define FALLBACK_BINDIR "/usr/lib/postgresql/15/bin"

/* The account that runs the server programs. */
int pge_account_init(struct account *a)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	int n = MAX_GROUPS, e;

	memset(a, 0, sizeof(*a));
	a->uid = geteuid();
	a->gid = getegid();
	if (a->uid != 0)
		return 0;
	e = getpwnam_r(SERVER_ACCOUNT, &pw, buf, sizeof(buf), &found);
	if (!found)
		return err_set(
			ERR_FAIL,
			"running as root, the embedded PostgreSQL runs as the " SERVER_ACCOUNT
			" account, which %s",
			e ? strerror(e)
			  : "does not exist (install postgresql-15, or run cruscotto as "
			    "an ordinary user)");
	if (pw.pw_uid == 0)
		return err_set(ERR_FAIL, "the " SERVER_ACCOUNT " account is root: PostgreSQL "
					 "refuses to run as root");
	if (getgrouplist(SERVER_ACCOUNT, pw.pw_gid, a->groups, &n) < 0) {
		a->groups[0] = pw.pw_gid;
		n = 1;
	}
	a->drop = 1;
	a->uid = pw.pw_uid;
	a->gid = pw.pw_gid;
	a->ngroups = n;
	return 0;
}

/* In a forked child: becomes the account (no-op when it need not drop). */
static int account_become(const struct account *a)
{
	if (!a->drop)
		return 0;
	if (setgroups((size_t)a->ngroups, a->groups) != 0 || setgid(a->gid) != 0 ||
	    setuid(a->uid) != 0 || getuid() == 0)
		return -1;
	return 0;
}

/* Writes a constant message in a forked child (async-signal-safe). */
static void child_say(const char *a, const char *b)
{
	ssize_t ignored;

	ignored = write(2, a, strlen(a));
	ignored = write(2, b, strlen(b));
	ignored = write(2, "\n", 1);
	(void)ignored;
}

/* The forked child of spawn: stdin from /dev/null, stdout and stderr on the
 * given descriptors, nothing else inherited, working directory /, the
 * account's ids, then exec. Only async-signal-safe calls. */
static void __attribute__((noreturn)) child_exec(const struct account *a, char *const argv[],
						 int null_fd, int out_fd, int err_fd, int search)
{
	int in = fcntl(null_fd, F_DUPFD_CLOEXEC, 3), out = fcntl(out_fd, F_DUPFD_CLOEXEC, 3),
	    err = fcntl(err_fd, F_DUPFD_CLOEXEC, 3), fd, max;

	if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	if (close_range(3, ~0U, 0) != 0) {
		max = (int)sysconf(_SC_OPEN_MAX);
		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			close(fd);
	}
	if (chdir("/") != 0 || account_become(a) != 0) {
		child_say("cruscotto: cannot switch to the account of the server to run ", argv[0]);
		_exit(126);
	}
	if (search)
		execvp(argv[0], argv);
	else
		execv(argv[0], argv);
	child_say("cruscotto: cannot execute ", argv[0]);
	_exit(127);
}

/* Starts argv[0] (a path, or with `search` a name looked up in PATH) as
 * account `a`; out_fd and err_fd of -1 mean /dev/null. Writes *pid. */
static int spawn(const struct account *a, char *const argv[], int out_fd, int err_fd, int search,
		 pid_t *pid)
{
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t p;

	if (null_fd < 0)
		return err_set(ERR_FAIL, "cannot open /dev/null: %s", strerror(errno));
	p = fork();
	if (p == 0)
		child_exec(a, argv, null_fd, out_fd < 0 ? null_fd : out_fd,
			   err_fd < 0 ? null_fd : err_fd, search);
	close(null_fd);
	if (p < 0)
		return err_set(ERR_FAIL, "cannot start %s: %s", argv[0], strerror(errno));
	*pid = p;
	return 0;
}

/* Waits for a child; *code is its exit code, or 128 + signal. */
static int wait_child(pid_t pid, const char *what, int *code)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(ERR_FAIL, "cannot wait for %s: %s", what, strerror(errno));
	*code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return 0;
}

/* Runs argv[0] to its end; *code is its exit code. */
int pge_run(const struct account *a, char *const argv[], int out_fd, int err_fd, int *code)
{
	pid_t pid;
	int rc = spawn(a, argv, out_fd, err_fd, 0, &pid);

	return rc ? rc : wait_child(pid, argv[0], code);
}

/* 1 when `dir` holds executable initdb and pg_ctl. */
static int has_server_programs(const char *dir)
{
	char path[PATH_MAX];

	return pge_join(path, dir, "initdb") == 0 && access(path, X_OK) == 0 &&
	       pge_join(path, dir, "pg_ctl") == 0 && access(path, X_OK) == 0;
}

/* The folder of initdb and pg_ctl: `pg_config --bindir`, else the
 * fallback. pg_config may be missing: that only means the fallback. */
int pge_find_bindir(char *out)
{
	static char *const argv[] = {"pg_config", "--bindir", NULL};
	struct account self = {0};
	char buf[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fds[2], code = -1;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == 0) {
		if (spawn(&self, argv, fds[1], -1, 1, &pid) == 0) {
			close(fds[1]);
			fds[1] = -1;
			while (len < sizeof(buf) - 1 &&
			       ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0 ||
				(n < 0 && errno == EINTR)))
				len += n > 0 ? (size_t)n : 0;
			if (wait_child(pid, "pg_config", &code) != 0)
				code = -1;
		}
		close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
	}
	buf[len] = '\0';
	while (len > 0 && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (code == 0 && buf[0] == '/' && has_server_programs(buf)) {
		snprintf(out, PATH_MAX, "%s", buf);
		return 0;
	}
	if (has_server_programs(FALLBACK_BINDIR)) {
		snprintf(out, PATH_MAX, "%s", FALLBACK_BINDIR);
		return 0;
	}
	return err_set(ERR_FAIL,
		       "PostgreSQL's server programs initdb and pg_ctl were found neither "
		       "in `pg_config --bindir` nor in " FALLBACK_BINDIR
		       " (install postgresql-15)");
}

/* Sets *reachable to whether account `a` may search `path` (and so reach
 * what lies below it, given permission there): `test -x` run as `a` is
 * access(2) with its ids, ACLs included. */
int pge_account_can_reach(const struct account *a, const char *path, int *reachable)
{
	char *argv[] = {access("/usr/bin/test", X_OK) == 0 ? "/usr/bin/test" : "/bin/test", "-x",
			(char *)path, NULL};
	pid_t pid;
	int rc = spawn(a, argv, -1, -1, 0, &pid), code;

	if (rc == 0)
		rc = wait_child(pid, "test -x", &code);
	if (rc)
		return rc;
	if (code > 1)
		return err_set(ERR_FAIL,
			       "cannot check whether the " SERVER_ACCOUNT
			       " account may reach %s (test -x: exit code %d)",
			       path, code);
	*reachable = code == 0;
	return 0;
}
