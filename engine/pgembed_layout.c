/* pgembed_layout: where an instance lives (pgembed_int.h, and the layout
 * pgembed.h describes): the state folder and its files, the base, data
 * and socket folders with relocation, their ownership and modes, the lock
 * and the log. */
#include "pgembed_int.h"

#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_STATE "var"
#define RELOCATE_PARENT "/var/tmp"
#define SOCKET_PARENT "/tmp"
#define NAME_PREFIX "cruscotto-"
#define SUN_PATH_MAX 107 /* sizeof(sockaddr_un.sun_path) - 1 */
#define BASE_PATH_MAX 900

/* Writes "dir/name" into out (PATH_MAX bytes). */
int pge_join(char *out, const char *dir, const char *name)
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
int pge_file_exists(const char *path, int *exists)
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
int pge_state_open(const char *name, int create, struct layout *l, int *exists)
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
	rc = pge_join(l->lock, l->state, "pgembed.lock");
	if (rc == 0)
		rc = pge_join(l->log, l->state, "postgresql.log");
	if (rc == 0)
		rc = pge_join(l->location, l->state, "cluster-location");
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
int pge_layout_resolve(struct layout *l)
{
	char in_state[PATH_MAX];
	struct stat st;
	int rc, found, have_data, usable, reachable = 1;

	rc = pge_account_init(&l->acct);
	if (rc == 0)
		rc = read_location(l, &found);
	if (rc)
		return rc;
	if (found) {
		l->relocated = l->recorded = 1;
	} else {
		rc = pge_join(in_state, l->state, "data");
		if (rc)
			return rc;
		have_data = lstat(in_state, &st) == 0;
		usable = shell_safe(l->state) && strlen(l->state) <= BASE_PATH_MAX;
		if (!have_data && usable && l->acct.drop) {
			rc = pge_account_can_reach(&l->acct, l->state, &reachable);
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
	rc = pge_join(l->data, l->base, "data");
	if (rc == 0)
		rc = pge_join(l->version, l->data, "PG_VERSION");
	if (rc == 0)
		rc = pge_join(l->sock, l->base, "run");
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
int pge_ensure_dir(const char *path, const struct account *a, int shared)
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
int pge_record_location(struct layout *l)
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
int pge_lock_state(const struct layout *l, int *fd)
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
int pge_open_log(const struct layout *l, int *fd)
{
	int f = open(l->log, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (f < 0)
		return err_set(ERR_FAIL, "cannot open %s: %s", l->log, strerror(errno));
	*fd = f;
	return 0;
}
