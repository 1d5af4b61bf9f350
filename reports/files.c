#include "files.h"

#include "err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* One file of a transaction. */
struct entry {
	char *relpath;
	char *final;  /* where it goes */
	char *tmp;    /* the written bytes until the rename; NULL once renamed */
	char *backup; /* a hard link to the file it replaces, during commit only */
	int fresh;    /* its folder was made by this transaction: it replaces nothing */
};

struct rep_files_tx {
	char *base;	/* out_dir/<policy>/<period> */
	int lock_fd;	/* out_dir, flocked; -1 when not open */
	char **created; /* folders this transaction created, parents first */
	int n_created;
	struct entry *entries;
	int n_entries, cap_entries;
	/* the entries by relpath: an open-addressing hash set of entry
	 * indices + 1 (0 = free), at most half full, so that an add checks for
	 * a path written twice in constant time, not against every entry */
	int *slots;
	size_t n_slots;	      /* a power of 2, or 0 */
	char *last_dir;	      /* the folder the last add made sure of */
	int last_dir_fresh;   /* and whether this transaction made it */
	int failed;	      /* an add failed: only abort remains */
	char first_err[1024]; /* the message it failed with */
	/* adds may come from several threads at once: the bookkeeping is
	 * theirs in turn, the writing of the files concurrent */
	pthread_mutex_t lock;
};

int rep_files_name_ok(const char *name)
{
	size_t n;

	if (!name || !*name || name[0] == '.')
		return 0;
	n = strlen(name);
	return n <= 200 && !strchr(name, '/');
}

int rep_files_policy_relpath(const char *ext, char *buf, size_t size)
{
	int n = snprintf(buf, size, "policy.%s", ext);

	if (n < 0 || (size_t)n >= size)
		return err_set(ERR_FAIL, "path does not fit in %zu bytes", size);
	return 0;
}

/* "<folder>/<code>.<ext>" into buf; `what` names the code in errors. */
static int code_relpath(const char *folder, const char *what, const char *code, const char *ext,
			char *buf, size_t size)
{
	int n;

	if (!rep_files_name_ok(code))
		return err_set(ERR_FAIL, "%s code \"%.60s\" cannot be a file name", what,
			       code ? code : "");
	n = snprintf(buf, size, "%s/%s.%s", folder, code, ext);
	if (n < 0 || (size_t)n >= size)
		return err_set(ERR_FAIL, "path does not fit in %zu bytes", size);
	return 0;
}

int rep_files_agreement_relpath(const char *agreement, const char *ext, char *buf, size_t size)
{
	return code_relpath("agreements", "agreement", agreement, ext, buf, size);
}

int rep_files_neighbourhood_relpath(const char *neighbourhood, const char *ext, char *buf,
				    size_t size)
{
	return code_relpath("neighbourhoods", "neighbourhood", neighbourhood, ext, buf, size);
}

/* The folder part of a path: "a/b" → "a", "b" → ".", "/b" → "/". */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Records a folder this transaction created, so that abort removes it. */
static int note_created(struct rep_files_tx *tx, const char *dir)
{
	char **created;
	char *copy = strdup(dir);

	if (!copy)
		return err_set(ERR_FAIL, "out of memory");
	created = realloc(tx->created, (size_t)(tx->n_created + 1) * sizeof(*created));
	if (!created) {
		free(copy);
		return err_set(ERR_FAIL, "out of memory");
	}
	created[tx->n_created++] = copy;
	tx->created = created;
	return 0;
}

/* mkdir -p; each folder made is noted in tx when tx is not NULL. */
static int make_dirs(const char *path, struct rep_files_tx *tx)
{
	struct stat st;
	char *p = strdup(path), *s;
	int rc = 0, last;

	if (!p)
		return err_set(ERR_FAIL, "out of memory");
	if (!*p)
		goto out; /* nothing to make; also keeps s[-1] in bounds */
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		last = *s == '\0';
		*s = '\0';
		if (s[-1] == '/') {
			/* "a//b" or a trailing slash: nothing new to make */
		} else if (mkdir(p, 0777) == 0) {
			if (tx && (rc = note_created(tx, p)) < 0)
				goto out;
		} else if (errno != EEXIST) {
			rc = err_set(ERR_FAIL, "cannot create folder %s: %s", p, strerror(errno));
			goto out;
		} else if (stat(p, &st) < 0 || !S_ISDIR(st.st_mode)) {
			rc = err_set(ERR_FAIL, "cannot create folder %s: a file is in the way", p);
			goto out;
		}
		if (last)
			break;
		*s = '/';
	}
out:
	free(p);
	return rc;
}

int rep_files_mkdirs(const char *path)
{
	if (!path || !*path)
		return err_set(ERR_FAIL, "no folder given");
	return make_dirs(path, NULL);
}

/* Creates a new file next to `path` (or in folder `dir`, when not NULL,
 * on the same filesystem) named ".<name>.<tag>-<pid>-<n>" with O_EXCL, so
 * that neither another run nor a leftover of a crashed one is ever
 * overwritten; the name is hidden and never a valid layout name. Mode 0666
 * less umask, as a plain open would give. Returns the fd and *out. */
static int create_aside(const char *path, const char *dir, const char *tag, char **out)
{
	static unsigned long counter;
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	const char *name = path + dir_len;
	char *tmp;
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		unsigned long n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
		int rc =
			dir ? asprintf(&tmp, "%s/.%s.%s-%ld-%lu", dir, name, tag, (long)getpid(), n)
			    : asprintf(&tmp, "%.*s.%s.%s-%ld-%lu", dir_len, path, name, tag,
				       (long)getpid(), n);

		if (rc < 0)
			return err_set(ERR_FAIL, "out of memory");
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			*out = tmp;
			return fd;
		}
		free(tmp);
		if (errno != EEXIST)
			return err_set(ERR_FAIL, "cannot create a file next to %s: %s", path,
				       strerror(errno));
	}
	return err_set(ERR_FAIL, "cannot find a free temporary name next to %s", path);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes the bytes to a new temporary next to `path`. With `durable`, it is
 * fsynced here; without, the caller makes it durable before any rename
 * makes it visible (a transaction syncs the filesystem once at commit
 * rather than each of its files: thousands of fsyncs cost minutes). The
 * writeback is left to that sync: started file by file here
 * (sync_file_range), it cost the 12,000 JSON files of 10,000 agreements
 * about 0.45 s more system time on ext4, and the report no less time. Returns
 * 0 and *tmp_out; on failure nothing remains. */
static int write_aside(const char *path, const char *dir, const void *data, size_t len, int durable,
		       char **tmp_out)
{
	char *tmp = NULL;
	int fd = create_aside(path, dir, "tmp", &tmp), rc = 0;

	if (fd < 0)
		return fd;
	if (write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
		rc = err_set(ERR_FAIL, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		rc = err_set(ERR_FAIL, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
out:
	if (rc < 0) {
		unlink(tmp);
		free(tmp);
		return rc;
	}
	*tmp_out = tmp;
	return 0;
}

/* Makes the renames in a folder durable. Best effort: by now the files are
 * in place, and a folder that refuses fsync (some filesystems do) is no
 * reason to undo a correct result. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

int rep_files_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = NULL, *dir = NULL;
	int rc;

	rc = write_aside(path, NULL, data, len, 1, &tmp);
	if (rc < 0)
		goto out;
	if (rename(tmp, path) < 0) {
		rc = err_set(ERR_FAIL, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	dir = dir_of(path);
	if (dir)
		sync_dir(dir);
out:
	free(tmp);
	free(dir);
	return rc;
}

static void free_tx(struct rep_files_tx *tx)
{
	int i;

	for (i = 0; i < tx->n_entries; i++) {
		free(tx->entries[i].relpath);
		free(tx->entries[i].final);
		free(tx->entries[i].tmp);
		free(tx->entries[i].backup);
	}
	free(tx->entries);
	free(tx->slots);
	free(tx->last_dir);
	for (i = 0; i < tx->n_created; i++)
		free(tx->created[i]);
	free(tx->created);
	if (tx->lock_fd >= 0)
		close(tx->lock_fd); /* releases the flock */
	pthread_mutex_destroy(&tx->lock);
	free(tx->base);
	free(tx);
}

void rep_files_abort(struct rep_files_tx *tx)
{
	int i;

	if (!tx)
		return;
	for (i = 0; i < tx->n_entries; i++) {
		if (tx->entries[i].tmp)
			unlink(tx->entries[i].tmp);
		if (tx->entries[i].backup)
			unlink(tx->entries[i].backup);
	}
	/* Children before parents; a folder someone else filled meanwhile
	 * stays (rmdir refuses), which is what it should do. */
	for (i = tx->n_created - 1; i >= 0; i--)
		rmdir(tx->created[i]);
	free_tx(tx);
}

/* The writer's pid in a temporary's or backup's name
 * (".<name>.tmp-<pid>-<n>" or ".<name>.old-<pid>-<n>"), or 0 when `name`
 * is not one. */
static long aside_pid(const char *name)
{
	const char *tag = NULL, *p, *q;
	long pid;

	if (name[0] != '.')
		return 0;
	for (p = name + 1; (p = strchr(p, '.')) != NULL; p++)
		if (strncmp(p, ".tmp-", 5) == 0 || strncmp(p, ".old-", 5) == 0)
			tag = p;
	if (!tag || tag == name)
		return 0;
	p = tag + 5;
	if (*p < '1' || *p > '9')
		return 0;
	pid = strtol(p, (char **)&q, 10);
	if (*q != '-' || !q[1])
		return 0;
	for (q++; *q; q++)
		if (*q < '0' || *q > '9')
			return 0;
	return pid;
}

/* Removes from `dir` the temporaries and backups of writers that are no
 * longer alive: what a run killed before its commit or abort (SIGKILL, a
 * power cut) left behind. The caller holds the lock of the output folder,
 * so no live transaction writes there; this process's own pid can only be
 * a leftover of an earlier process that had it. A pid alive (or reused) is
 * left alone: a file too many beats one lost. Best effort. */
static void remove_dead_asides(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid = aside_pid(e->d_name);

		if (pid <= 0 || pid > INT_MAX)
			continue;
		if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

int rep_files_begin(const char *out_dir, const char *policy, const char *period,
		    struct rep_files_tx **out)
{
	char *sub = NULL;
	struct rep_files_tx *tx = NULL;
	size_t n;
	int rc, i;

	if (!out_dir || !*out_dir)
		return err_set(ERR_USAGE, "no output folder given");
	if (!rep_files_name_ok(policy))
		return err_set(ERR_USAGE, "policy code \"%.60s\" cannot be a folder name",
			       policy ? policy : "");
	if (!rep_files_name_ok(period))
		return err_set(ERR_USAGE, "period \"%.60s\" cannot be a folder name",
			       period ? period : "");
	tx = calloc(1, sizeof(*tx));
	if (!tx) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	tx->lock_fd = -1;
	pthread_mutex_init(&tx->lock, NULL);
	n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	if (asprintf(&tx->base, "%.*s/%s/%s", (int)n, out_dir, policy, period) < 0) {
		tx->base = NULL;
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	rc = make_dirs(out_dir, tx);
	if (rc < 0)
		goto out;
	tx->lock_fd = open(out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tx->lock_fd < 0) {
		rc = err_set(ERR_FAIL, "cannot open %s: %s", out_dir, strerror(errno));
		goto out;
	}
	/* Fail fast rather than wait: a second transaction of the same process
	 * would wait forever, and an officer would rather be told. */
	if (flock(tx->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			rc = err_set(ERR_FAIL,
				     "another run is writing to %s; try again when it ends",
				     out_dir);
		else
			rc = err_set(ERR_FAIL, "cannot lock %s: %s", out_dir, strerror(errno));
		goto out;
	}
	remove_dead_asides(tx->base);
	for (i = 0; i < 2; i++) {
		free(sub);
		if (asprintf(&sub, "%s/%s", tx->base, i ? "neighbourhoods" : "agreements") < 0) {
			sub = NULL;
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
		remove_dead_asides(sub);
	}
out:
	free(sub);
	if (rc < 0) {
		rep_files_abort(tx);
		return rc;
	}
	*out = tx;
	return 0;
}

const char *rep_files_dir(const struct rep_files_tx *tx)
{
	return tx->base;
}

/* True when every '/'-separated component of relpath is a safe name. */
static int relpath_ok(const char *relpath)
{
	char *copy = strdup(relpath), *part, *save = NULL;
	int ok = copy && *relpath && relpath[strlen(relpath) - 1] != '/' && relpath[0] != '/' &&
		 !strstr(relpath, "//");

	for (part = ok ? strtok_r(copy, "/", &save) : NULL; part && ok;
	     part = strtok_r(NULL, "/", &save))
		ok = rep_files_name_ok(part);
	free(copy);
	return ok;
}

/* FNV-1a of a string. */
static size_t hash_of(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

/* The slot of relpath in tx's set: the one holding it, or the free one
 * where it would go. */
static size_t slot_of(const struct rep_files_tx *tx, const char *relpath)
{
	size_t i = hash_of(relpath) & (tx->n_slots - 1);

	while (tx->slots[i] && strcmp(tx->entries[tx->slots[i] - 1].relpath, relpath) != 0)
		i = (i + 1) & (tx->n_slots - 1);
	return i;
}

/* Room for one more entry, in the array and in the set. */
static int grow(struct rep_files_tx *tx)
{
	size_t n, i;
	int *slots, k;

	if (tx->n_entries == tx->cap_entries) {
		int cap = tx->cap_entries ? 2 * tx->cap_entries : 64;
		struct entry *entries = realloc(tx->entries, (size_t)cap * sizeof(*entries));

		if (!entries)
			return err_set(ERR_FAIL, "out of memory");
		tx->entries = entries;
		tx->cap_entries = cap;
	}
	if (2 * ((size_t)tx->n_entries + 1) <= tx->n_slots)
		return 0;
	n = tx->n_slots ? 2 * tx->n_slots : 128;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return err_set(ERR_FAIL, "out of memory");
	free(tx->slots);
	tx->slots = slots;
	tx->n_slots = n;
	for (k = 0; k < tx->n_entries; k++) {
		i = slot_of(tx, tx->entries[k].relpath);
		tx->slots[i] = k + 1;
	}
	return 0;
}

/* Fails tx with the message just set (the first failure's is kept, and
 * every later add repeats it); tx->lock held. */
static int fail(struct rep_files_tx *tx, int rc)
{
	if (!tx->failed) {
		tx->failed = 1;
		snprintf(tx->first_err, sizeof(tx->first_err), "%s", err_last());
	}
	return rc;
}

/* The bookkeeping half of an add, under tx->lock: checks relpath, reserves
 * its entry (its tmp still NULL) and makes its folders. Returns the entry's
 * index, or a negative error. */
static int reserve(struct rep_files_tx *tx, const char *relpath, char **final)
{
	struct entry e = {0};
	char *dir = NULL;
	size_t slot;
	int rc;

	if (tx->failed)
		return err_set(ERR_FAIL, "%s", tx->first_err);
	if (!relpath || !relpath_ok(relpath)) {
		rc = err_set(ERR_FAIL, "\"%.80s\" is not a safe relative path",
			     relpath ? relpath : "");
		goto out;
	}
	rc = grow(tx);
	if (rc < 0)
		goto out;
	slot = slot_of(tx, relpath);
	if (tx->slots[slot]) {
		rc = err_set(ERR_FAIL, "%s written twice in one run", relpath);
		goto out;
	}
	e.relpath = strdup(relpath);
	if (!e.relpath || asprintf(&e.final, "%s/%s", tx->base, relpath) < 0) {
		e.final = NULL;
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	*final = strdup(e.final);
	dir = dir_of(e.final);
	if (!*final || !dir) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	/* the files of a folder come together: its folders are made once */
	if (!tx->last_dir || strcmp(dir, tx->last_dir) != 0) {
		int i;

		rc = make_dirs(dir, tx);
		if (rc < 0)
			goto out;
		for (i = 0, tx->last_dir_fresh = 0; i < tx->n_created; i++)
			if (strcmp(tx->created[i], dir) == 0)
				tx->last_dir_fresh = 1;
		free(tx->last_dir);
		tx->last_dir = dir;
		dir = NULL;
	}
	e.fresh = tx->last_dir_fresh;
	rc = tx->n_entries;
	tx->slots[slot] = tx->n_entries + 1;
	tx->entries[tx->n_entries++] = e;
	memset(&e, 0, sizeof(e)); /* now owned by tx */
out:
	free(e.relpath);
	free(e.final);
	free(dir);
	if (rc < 0) {
		free(*final);
		*final = NULL;
		return fail(tx, rc);
	}
	return rc;
}

/* Where this thread writes its temporaries: every other thread (by the
 * order in which threads first add) next to the file, the others in the
 * transaction's folder. Creating a file holds its folder's lock, long when
 * the filesystem searches for a free inode (ext4 skips the ones deleted in
 * the last seconds, e.g. by the removal of a previous output), so threads
 * creating in the same folder would wait for each other; the rename at
 * commit moves a temporary to its place across folders as well. */
static int aside_in_base(void)
{
	static _Atomic int threads;
	static _Thread_local int lane = -1;

	if (lane < 0)
		lane = atomic_fetch_add_explicit(&threads, 1, memory_order_relaxed);
	return lane % 2;
}

int rep_files_add(struct rep_files_tx *tx, const char *relpath, const void *data, size_t len)
{
	char *final = NULL, *tmp = NULL;
	int k, rc;

	pthread_mutex_lock(&tx->lock);
	k = reserve(tx, relpath, &final);
	pthread_mutex_unlock(&tx->lock);
	if (k < 0)
		return k;
	/* the writing, which takes the time, outside the lock */
	rc = write_aside(final, aside_in_base() ? tx->base : NULL, data, len, 0, &tmp);
	free(final);
	pthread_mutex_lock(&tx->lock);
	if (rc < 0)
		rc = fail(tx, rc);
	else
		tx->entries[k].tmp = tmp;
	pthread_mutex_unlock(&tx->lock);
	return rc;
}

/* Links the file an entry replaces to a hidden name, so that a failed
 * commit can put it back with one rename; readers keep seeing it meanwhile
 * (a hard link, not a move). Nothing to keep when there is no such file. */
static int keep_previous(struct entry *e)
{
	struct stat st;
	char *name = NULL;
	int fd;

	if (e->fresh)
		return 0;
	if (lstat(e->final, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return err_set(ERR_FAIL, "cannot read %s: %s", e->final, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return err_set(ERR_FAIL, "cannot write %s: a folder is in the way", e->final);
	/* create_aside reserves a free name; link() needs it absent. */
	fd = create_aside(e->final, NULL, "old", &name);
	if (fd < 0)
		return fd;
	close(fd);
	unlink(name);
	if (link(e->final, name) < 0) {
		int rc = err_set(ERR_FAIL, "cannot keep %s while replacing it: %s", e->final,
				 strerror(errno));
		free(name);
		return rc;
	}
	e->backup = name;
	return 0;
}

int rep_files_commit(struct rep_files_tx *tx)
{
	int i, k, rc = 0;
	char *dir, *last = NULL;

	if (tx->failed) {
		rc = err_set(ERR_FAIL, "the output transaction failed; nothing was written");
		goto out;
	}
	/* every temporary durable before the first rename shows one */
	if (tx->n_entries && syncfs(tx->lock_fd) < 0) {
		rc = err_set(ERR_FAIL, "cannot write the files of %s to disk: %s", tx->base,
			     strerror(errno));
		goto out;
	}
	for (i = 0; i < tx->n_entries; i++) {
		rc = keep_previous(&tx->entries[i]);
		if (rc < 0)
			goto out;
	}
	for (k = 0; k < tx->n_entries; k++) {
		struct entry *e = &tx->entries[k];

		if (rename(e->tmp, e->final) < 0) {
			rc = err_set(ERR_FAIL, "cannot rename %s to %s: %s", e->tmp, e->final,
				     strerror(errno));
			break;
		}
		free(e->tmp);
		e->tmp = NULL;
	}
	if (rc < 0) {
		/* Undo the renames done, newest first: the previous file comes
		 * back from its link, a file that did not exist goes away. */
		while (--k >= 0) {
			struct entry *e = &tx->entries[k];

			if (e->backup) {
				/* Should the restore fail, the link stays on
				 * disk (abort would delete it): a hidden
				 * leftover beats losing the previous file. */
				(void)rename(e->backup, e->final);
				free(e->backup);
				e->backup = NULL;
			} else {
				unlink(e->final);
			}
		}
		goto out;
	}
	for (i = 0; i < tx->n_entries; i++) {
		struct entry *e = &tx->entries[i];

		if (e->backup) {
			unlink(e->backup);
			free(e->backup);
			e->backup = NULL;
		}
		/* Files of one folder are added together: sync each folder once. */
		dir = dir_of(e->final);
		if (dir && (!last || strcmp(dir, last) != 0))
			sync_dir(dir);
		free(last);
		last = dir;
	}
	free(last);
	/* temporaries may have left the transaction's folder for their own */
	if (tx->n_entries)
		sync_dir(tx->base);
	/* New folders are entries of their parents: make those durable too. */
	for (i = 0; i < tx->n_created; i++) {
		dir = dir_of(tx->created[i]);
		if (dir)
			sync_dir(dir);
		free(dir);
	}
out:
	if (rc < 0) {
		rep_files_abort(tx);
		return rc;
	}
	free_tx(tx);
	return 0;
}
