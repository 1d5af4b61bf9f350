#include "pgembed.h"

#include "db.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_STATE "var"
#define FALLBACK_BINDIR "/usr/lib/postgresql/15/bin"
#define RELOCATE_PARENT "/var/tmp"
#define SOCKET_PARENT "/tmp"
#define NAME_PREFIX "cruscotto-"
#define PORT "5432"
#define SOCKET_NAME ".s.PGSQL." PORT
#define SUN_PATH_MAX 107 /* sizeof(sockaddr_un.sun_path) - 1 */
#define BASE_PATH_MAX 900
#define TIMEOUT "60" /* seconds pg_ctl waits for start and stop */
#define SERVER_ACCOUNT "postgres"
#define MAX_GROUPS 256

/* Who runs the server programs: ourselves, or the postgres account when we
 * are root (then `drop` is set and the child switches to these ids). */
struct account {
	int drop;
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];
	int ngroups;
};

/* Where everything of one state folder is (see pgembed.h). */
struct layout {
	const char *name;	 /* the folder as the user named it */
	char shown[PATH_MAX];	 /* `name` ending with '/', for messages */
	char state[PATH_MAX];	 /* absolute path of the folder */
	char lock[PATH_MAX];	 /* state/pgembed.lock */
	char log[PATH_MAX];	 /* state/postgresql.log */
	char location[PATH_MAX]; /* state/cluster-location */
	char base[PATH_MAX];	 /* holds data/ and run/ */
	char data[PATH_MAX];	 /* base/data */
	char version[PATH_MAX];	 /* base/data/PG_VERSION: exists once initdb ran */
	char sock[PATH_MAX];	 /* the socket directory */
	char bindir[PATH_MAX];	 /* initdb and pg_ctl */
	int relocated;		 /* base is /var/tmp/cruscotto-<h> */
	int recorded;		 /* state/cluster-location names base */
	int sock_moved;		 /* sock is /tmp/cruscotto-<h> */
	struct account acct;
};

/* Writes "dir/name" into out (PATH_MAX bytes). */
static int join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX)
		return err_set(ERR_FAIL, "path too long: %s/%s", dir, name);
	return 0;
}

/* 1 when pg_ctl can carry `path` in double quotes through /bin/sh. */
static int shell_safe(const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("\"$`\\", *p))
			return 0;
	return 1;
}

/* 1 when `path` can be a server setting and a conninfo value unquoted. */
static int setting_safe(const char *path)
{
	static const char ok[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._+-";

	return strspn(path, ok) == strlen(path);
}

/* Writes "<parent>/cruscotto-<16 hex digits of FNV-1a 64 of path>". */
static void hashed_dir(char *out, const char *parent, const char *path)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(out, PATH_MAX, "%s/" NAME_PREFIX "%016llx", parent, (unsigned long long)h);
}

/* Sets *exists to whether `path` is a regular file (ENOENT: 0). */
static int file_exists(const char *path, int *exists)
{
	struct stat st;

	if (stat(path, &st) == 0) {
		*exists = S_ISREG(st.st_mode);
		return 0;
	}
	if (errno == ENOENT || errno == ENOTDIR) {
		*exists = 0;
		return 0;
	}
	return err_set(ERR_FAIL, "cannot inspect %s: %s", path, strerror(errno));
}

/* The account that runs the server programs. */
static int account_init(struct account *a)
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
static int run(const struct account *a, char *const argv[], int out_fd, int err_fd, int *code)
{
	pid_t pid;
	int rc = spawn(a, argv, out_fd, err_fd, 0, &pid);

	return rc ? rc : wait_child(pid, argv[0], code);
}

/* 1 when `dir` holds executable initdb and pg_ctl. */
static int has_server_programs(const char *dir)
{
	char path[PATH_MAX];

	return join(path, dir, "initdb") == 0 && access(path, X_OK) == 0 &&
	       join(path, dir, "pg_ctl") == 0 && access(path, X_OK) == 0;
}

/* The folder of initdb and pg_ctl: `pg_config --bindir`, else the
 * fallback. pg_config may be missing: that only means the fallback. */
static int find_bindir(char *out)
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
static int account_can_reach(const struct account *a, const char *path, int *reachable)
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

/* mkdir -p of `path` (new folders 0755 less the umask). */
static int make_dirs(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return err_set(ERR_FAIL, "path too long: %s", path);
	for (p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(buf, 0755) != 0 && errno != EEXIST)
				return err_set(ERR_FAIL, "cannot create the state folder %s: %s",
					       buf, strerror(errno));
			*p = c;
		}
		if (*p == '\0')
			return 0;
	}
}

/* Fills the state folder's own paths; *exists says whether it is there. With
 * `create`, a missing folder is created (and exists). */
static int state_open(const char *name, int create, struct layout *l, int *exists)
{
	struct stat st;
	int rc;

	if (!name || !*name)
		name = DEFAULT_STATE;
	l->name = name;
	snprintf(l->shown, sizeof(l->shown), "%s%s", name,
		 name[strlen(name) - 1] == '/' ? "" : "/");
	*exists = 0;
	if (stat(name, &st) != 0) {
		if (errno != ENOENT)
			return err_set(ERR_FAIL, "cannot use the state folder %s: %s", name,
				       strerror(errno));
		if (!create)
			return 0;
		rc = make_dirs(name);
		if (rc)
			return rc;
		if (stat(name, &st) != 0)
			return err_set(ERR_FAIL, "cannot use the state folder %s: %s", name,
				       strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return err_set(ERR_FAIL, "the state folder %s is not a directory", name);
	if (!realpath(name, l->state))
		return err_set(ERR_FAIL, "cannot resolve the state folder %s: %s", name,
			       strerror(errno));
	rc = join(l->lock, l->state, "pgembed.lock");
	if (rc == 0)
		rc = join(l->log, l->state, "postgresql.log");
	if (rc == 0)
		rc = join(l->location, l->state, "cluster-location");
	if (rc == 0)
		*exists = 1;
	return rc;
}

/* Reads state/cluster-location into l->base; *found is 0 when it is absent. */
static int read_location(struct layout *l, int *found)
{
	FILE *f = fopen(l->location, "re");
	size_t n;

	*found = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return err_set(ERR_FAIL, "cannot read %s: %s", l->location, strerror(errno));
	}
	if (!fgets(l->base, sizeof(l->base), f))
		l->base[0] = '\0';
	fclose(f);
	n = strcspn(l->base, "\n");
	l->base[n] = '\0';
	if (l->base[0] != '/' || !shell_safe(l->base) || n > BASE_PATH_MAX)
		return err_set(ERR_FAIL,
			       "%s names no usable folder (it should hold one absolute path)",
			       l->location);
	*found = 1;
	return 0;
}

/* Decides base, data and socket folders (the choices of pgembed.h). */
static int layout_resolve(struct layout *l)
{
	char in_state[PATH_MAX];
	struct stat st;
	int rc, found, have_data, usable, reachable = 1;

	rc = account_init(&l->acct);
	if (rc == 0)
		rc = read_location(l, &found);
	if (rc)
		return rc;
	if (found) {
		l->relocated = l->recorded = 1;
	} else {
		rc = join(in_state, l->state, "data");
		if (rc)
			return rc;
		have_data = lstat(in_state, &st) == 0;
		usable = shell_safe(l->state) && strlen(l->state) <= BASE_PATH_MAX;
		if (!have_data && usable && l->acct.drop) {
			rc = account_can_reach(&l->acct, l->state, &reachable);
			if (rc)
				return rc;
		}
		if (have_data || (usable && reachable)) {
			snprintf(l->base, sizeof(l->base), "%s", l->state);
		} else {
			hashed_dir(l->base, RELOCATE_PARENT, l->state);
			l->relocated = 1;
		}
	}
	rc = join(l->data, l->base, "data");
	if (rc == 0)
		rc = join(l->version, l->data, "PG_VERSION");
	if (rc == 0)
		rc = join(l->sock, l->base, "run");
	if (rc)
		return rc;
	/* root's mkdir that did not reach its chown is the only other owner */
	if (lstat(l->data, &st) == 0 && st.st_uid != l->acct.uid && !(l->acct.drop && !st.st_uid))
		return err_set(
			ERR_FAIL,
			"the embedded PostgreSQL of %s belongs to uid %ld, not to uid %ld: run "
			"cruscotto as the user who created it (root when it belongs to "
			"the " SERVER_ACCOUNT " account)",
			l->shown, (long)st.st_uid, (long)l->acct.uid);
	if (!setting_safe(l->sock) || strlen(l->sock) + 1 + strlen(SOCKET_NAME) > SUN_PATH_MAX) {
		hashed_dir(l->sock, SOCKET_PARENT, l->state);
		l->sock_moved = 1;
	}
	return 0;
}

/* Creates folder `path` (mode 0700) for the server's account, or checks an
 * existing one and makes it private again. A `shared` folder (under /tmp or
 * /var/tmp) that exists must already be the account's and no symlink. */
static int ensure_dir(const char *path, const struct account *a, int shared)
{
	struct stat st;
	int created = mkdir(path, 0700) == 0;

	if (!created && errno != EEXIST)
		return err_set(ERR_FAIL, "cannot create %s: %s", path, strerror(errno));
	if (lstat(path, &st) != 0)
		return err_set(ERR_FAIL, "cannot inspect %s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(ERR_FAIL, "%s exists and is not a directory", path);
	if (st.st_uid != a->uid) {
		if ((shared && !created) || !a->drop)
			return err_set(ERR_FAIL,
				       "refusing to use %s: it belongs to uid %ld, not to uid %ld",
				       path, (long)st.st_uid, (long)a->uid);
		if (chown(path, a->uid, a->gid) != 0)
			return err_set(ERR_FAIL,
				       "cannot hand %s to the " SERVER_ACCOUNT " account: %s", path,
				       strerror(errno));
	}
	/* trust authentication is safe only while nobody else reaches the socket */
	if ((st.st_mode & 077) && chmod(path, 0700) != 0)
		return err_set(ERR_FAIL, "cannot make %s private: %s", path, strerror(errno));
	return 0;
}

/* Writes state/cluster-location (through a temporary file and rename). */
static int record_location(struct layout *l)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof(tmp), "%s.new", l->location);
	f = fopen(tmp, "we");
	if (!f)
		return err_set(ERR_FAIL, "cannot write %s: %s", tmp, strerror(errno));
	ok = fprintf(f, "%s\n", l->base) > 0;
	ok = (fflush(f) == 0 && fsync(fileno(f)) == 0) && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, l->location) != 0) {
		int e = errno;

		unlink(tmp);
		return err_set(ERR_FAIL, "cannot write %s: %s", l->location, strerror(e));
	}
	l->recorded = 1;
	return 0;
}

/* Takes the state folder's lock (blocking) into *fd. */
static int lock_state(const struct layout *l, int *fd)
{
	int f = open(l->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (f < 0)
		return err_set(ERR_FAIL, "cannot open %s: %s", l->lock, strerror(errno));
	while (flock(f, LOCK_EX) != 0) {
		if (errno != EINTR) {
			int e = errno;

			close(f);
			return err_set(ERR_FAIL, "cannot lock %s: %s", l->lock, strerror(e));
		}
	}
	*fd = f;
	return 0;
}

/* Opens the log for appending, into *fd. */
static int open_log(const struct layout *l, int *fd)
{
	int f = open(l->log, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (f < 0)
		return err_set(ERR_FAIL, "cannot open %s: %s", l->log, strerror(errno));
	*fd = f;
	return 0;
}

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
	rc = run(&l->acct, argv, log_fd, log_fd, &code);
	if (rc || code == 0)
		return rc;
	log_tail(log_fd, from, line, sizeof(line));
	return err_set(ERR_FAIL, "%s (exit code %d; see %spostgresql.log)%s%s", failure, code,
		       l->shown, line[0] ? ": " : "", line);
}

/* Writes into buf the path of program `name` of the bindir. */
static int program(char *buf, const struct layout *l, const char *name)
{
	return join(buf, l->bindir, name);
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
		rc = ensure_dir(l->data, &l->acct, 0);
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
		rc = run(&l->acct, argv, -1, -1, &code);
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
		rc = ensure_dir(l->sock, &l->acct, l->sock_moved);
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

static int ensure_as(const char *state_dir, FILE *progress, const char *user, char **conninfo)
{
	struct layout *l = calloc(1, sizeof(*l));
	int lock_fd = -1, log_fd = -1, exists, initialised, running = 0, rc;
	char *ci = NULL;

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = state_open(state_dir, 1, l, &exists);
	if (rc == 0)
		rc = lock_state(l, &lock_fd);
	/* decided under the lock: a process that held it may have relocated */
	if (rc == 0)
		rc = layout_resolve(l);
	if (rc == 0)
		rc = find_bindir(l->bindir);
	if (rc == 0)
		rc = open_log(l, &log_fd);
	/* recorded before initdb, and also when a cluster outlived its record */
	if (rc == 0 && l->relocated)
		rc = ensure_dir(l->base, &l->acct, 1);
	if (rc == 0 && l->relocated && !l->recorded)
		rc = record_location(l);
	if (rc == 0)
		rc = file_exists(l->version, &initialised);
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
	if (log_fd >= 0)
		close(log_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	free(l);
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
	if (join(path, l->data, "postmaster.pid") != 0 || !(f = fopen(path, "re")))
		return;
	if (!fgets(buf, (int)size, f))
		snprintf(buf, size, "?");
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int pgembed_status(const char *state_dir, char **text, int *running)
{
	struct layout *l = calloc(1, sizeof(*l));
	int exists, initialised = 0, up = 0, rc, n;
	char *t = NULL, *ci = NULL, pid[32];

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = state_open(state_dir, 0, l, &exists);
	if (rc == 0 && exists)
		rc = layout_resolve(l);
	if (rc == 0 && exists)
		rc = file_exists(l->version, &initialised);
	if (rc == 0 && initialised)
		rc = find_bindir(l->bindir);
	if (rc == 0 && initialised)
		rc = server_running(l, &up);
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
	int lock_fd = -1, log_fd = -1, exists, initialised = 0, running = 0, rc;
	char pg_ctl[PATH_MAX];
	char *argv[] = {pg_ctl, "stop", "-D", NULL, "-m", "fast", "-w", "-t", TIMEOUT, "-s", NULL};

	if (!l)
		return err_set(ERR_FAIL, "out of memory");
	rc = state_open(state_dir, 0, l, &exists);
	if (rc == 0 && exists)
		rc = lock_state(l, &lock_fd);
	if (rc == 0 && exists)
		rc = layout_resolve(l);
	if (rc == 0 && exists)
		rc = file_exists(l->version, &initialised);
	if (rc == 0 && initialised)
		rc = find_bindir(l->bindir);
	if (rc == 0 && initialised)
		rc = server_running(l, &running);
	if (rc == 0 && running)
		rc = open_log(l, &log_fd);
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
	if (log_fd >= 0)
		close(log_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	free(l);
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
	rc = state_open(state_dir, 0, l, &exists);
	if (rc || !exists)
		goto out;
	rc = lock_state(l, &lock_fd);
	if (rc == 0)
		rc = layout_resolve(l);
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
	if (lock_fd >= 0)
		close(lock_fd);
	free(l);
	return rc;
}
