/* files: the layout, and the all-or-nothing writer checked by listing the
 * output folder (names, kinds, contents) before and after. */
#include "check_main.h"
#include "err.h"
#include "files.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A listing: one line per entry below a folder, sorted. */
struct listing {
	char **lines;
	int n;
};

static void list_add(struct listing *l, const char *line)
{
	l->lines = realloc(l->lines, (size_t)(l->n + 1) * sizeof(char *));
	ck_assert_ptr_nonnull(l->lines);
	l->lines[l->n] = strdup(line);
	ck_assert_ptr_nonnull(l->lines[l->n]);
	l->n++;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static void walk(const char *root, const char *rel, struct listing *l)
{
	char path[2048], sub[1024], line[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(path, sizeof(path), "%s/%s", root, sub);
		ck_assert_int_eq(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			snprintf(line, sizeof(line), "%s/", sub);
			list_add(l, line);
			walk(root, sub, l);
		} else {
			char *content = slurp(path);

			snprintf(line, sizeof(line), "%s = %s", sub, content);
			list_add(l, line);
			free(content);
		}
	}
	closedir(d);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct listing list(const char *root)
{
	struct listing l = {NULL, 0};

	walk(root, "", &l);
	qsort(l.lines, (size_t)l.n, sizeof(char *), cmp_lines);
	return l;
}

static void assert_same(struct listing a, struct listing b)
{
	int i;

	for (i = 0; i < a.n && i < b.n; i++)
		ck_assert_str_eq(a.lines[i], b.lines[i]);
	ck_assert_msg(a.n == b.n, "%d entries before, %d after (first extra: %s)", a.n, b.n,
		      a.n > b.n ? a.lines[b.n] : b.lines[a.n]);
}

static void list_free(struct listing l)
{
	int i;

	for (i = 0; i < l.n; i++)
		free(l.lines[i]);
	free(l.lines);
}

static void put(const char *path, const char *content)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char root[64];

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/cruscotto-files-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void add(struct rep_files_tx *tx, const char *relpath, const char *content)
{
	ck_assert_int_eq(rep_files_add(tx, relpath, content, strlen(content)), 0);
}

START_TEST(test_files_commit_all)
{
	struct rep_files_tx *tx = NULL;
	struct listing after;
	char out[128], path[256];

	snprintf(out, sizeof(out), "%s/out", root); /* does not exist yet */
	ck_assert_int_eq(rep_files_begin(out, "QUA", "2024-Q2", &tx), 0);
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2", out);
	ck_assert_str_eq(rep_files_dir(tx), path);
	add(tx, "policy.json", "{\"level\":\"policy\"}");
	add(tx, "policy.pdf", "%PDF-policy");
	add(tx, "agreements/QUA-01.json", "{\"level\":\"agreement\"}");
	add(tx, "agreements/QUA-01.pdf", "%PDF-agreement");
	/* nothing visible before commit */
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/policy.json", out);
	ck_assert(!exists(path));
	ck_assert_int_eq(rep_files_commit(tx), 0);

	after = list(root);
	ck_assert_int_eq(after.n, 8);
	ck_assert_str_eq(after.lines[0], "out/");
	ck_assert_str_eq(after.lines[1], "out/QUA/");
	ck_assert_str_eq(after.lines[2], "out/QUA/2024-Q2/");
	ck_assert_str_eq(after.lines[3], "out/QUA/2024-Q2/agreements/");
	ck_assert_str_eq(after.lines[4],
			 "out/QUA/2024-Q2/agreements/QUA-01.json = {\"level\":\"agreement\"}");
	ck_assert_str_eq(after.lines[5], "out/QUA/2024-Q2/agreements/QUA-01.pdf = %PDF-agreement");
	ck_assert_str_eq(after.lines[6], "out/QUA/2024-Q2/policy.json = {\"level\":\"policy\"}");
	ck_assert_str_eq(after.lines[7], "out/QUA/2024-Q2/policy.pdf = %PDF-policy");
	list_free(after);

	/* a second run replaces the files */
	ck_assert_int_eq(rep_files_begin(out, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "{\"run\":2}");
	ck_assert_int_eq(rep_files_commit(tx), 0);
	after = list(root);
	ck_assert_int_eq(after.n, 8);
	ck_assert_str_eq(after.lines[6], "out/QUA/2024-Q2/policy.json = {\"run\":2}");
	list_free(after);
}
END_TEST

/* A regular file where the agreements folder must go: the second add fails,
 * and the previous run's files and everything else are as they were. */
START_TEST(test_files_failure_leaves_folder)
{
	struct rep_files_tx *tx = NULL;
	struct listing before, after;
	char path[256];

	snprintf(path, sizeof(path), "%s/QUA/2024-Q2", root);
	ck_assert_int_eq(rep_files_mkdirs(path), 0);
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/policy.json", root);
	put(path, "previous run");
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/agreements", root);
	put(path, "in the way");
	before = list(root);

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "new run");
	add(tx, "policy.pdf", "%PDF");
	ck_assert_int_eq(rep_files_add(tx, "agreements/QUA-01.json", "x", 1), ERR_FAIL);
	ck_assert_ptr_nonnull(strstr(err_last(), "agreements"));
	/* a failed transaction cannot be committed: commit rolls back */
	ck_assert_int_eq(rep_files_add(tx, "agreements2.json", "x", 1), ERR_FAIL);
	ck_assert_int_eq(rep_files_commit(tx), ERR_FAIL);

	after = list(root);
	assert_same(before, after);
	list_free(before);
	list_free(after);
}
END_TEST

/* The folders are missing and one cannot be made: abort removes the
 * temporaries and the folders the transaction made. */
START_TEST(test_files_failure_new_folders)
{
	struct rep_files_tx *tx = NULL;
	struct listing before, after;
	char path[256], out[128];

	snprintf(out, sizeof(out), "%s/out", root);
	snprintf(path, sizeof(path), "%s/other", root);
	put(path, "unrelated");
	before = list(root);
	ck_assert_int_eq(rep_files_begin(out, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "new");
	add(tx, "agreements/QUA-01.json", "new");
	/* the run finds something in the way of a later file */
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/agreements/QUA-02", out);
	put(path, "in the way");
	ck_assert_int_eq(rep_files_add(tx, "agreements/QUA-02/x.json", "x", 1), ERR_FAIL);
	unlink(path);
	rep_files_abort(tx);
	after = list(root);
	assert_same(before, after);
	ck_assert(!exists(out));
	list_free(before);
	list_free(after);
}
END_TEST

START_TEST(test_files_abort_removes_temporaries)
{
	struct rep_files_tx *tx = NULL;
	struct listing before, after;
	char path[256];

	snprintf(path, sizeof(path), "%s/QUA/2024-Q1", root);
	ck_assert_int_eq(rep_files_mkdirs(path), 0);
	snprintf(path, sizeof(path), "%s/QUA/2024-Q1/policy.json", root);
	put(path, "Q1");
	before = list(root);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "Q2");
	add(tx, "agreements/QUA-01.json", "Q2");
	after = list(root);
	ck_assert_int_gt(after.n, before.n); /* the temporaries are there */
	list_free(after);
	rep_files_abort(tx);
	rep_files_abort(NULL);
	after = list(root);
	assert_same(before, after);
	list_free(before);
	list_free(after);
}
END_TEST

/* A rename fails half-way through the commit (a temporary vanished): the
 * files already renamed are rolled back to the previous run's. */
START_TEST(test_files_commit_rollback)
{
	struct rep_files_tx *tx = NULL;
	struct listing before, after;
	struct dirent *e;
	char path[600], dir[256];
	int removed = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/QUA/2024-Q2/agreements", root);
	ck_assert_int_eq(rep_files_mkdirs(dir), 0);
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/policy.json", root);
	put(path, "previous policy");
	before = list(root);

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "new policy");
	add(tx, "agreements/QUA-02.json", "new agreement 2");
	add(tx, "agreements/QUA-01.json", "new agreement 1");
	d = opendir(dir);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".QUA-01.json.", 13) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			ck_assert_int_eq(unlink(path), 0);
			removed++;
		}
	}
	closedir(d);
	ck_assert_int_eq(removed, 1);
	ck_assert_int_eq(rep_files_commit(tx), ERR_FAIL);
	ck_assert_ptr_nonnull(strstr(err_last(), "QUA-01.json"));

	after = list(root);
	assert_same(before, after);
	list_free(before);
	list_free(after);
}
END_TEST

/* A folder where a file must go is found before anything is renamed. */
START_TEST(test_files_commit_folder_in_the_way)
{
	struct rep_files_tx *tx = NULL;
	struct listing before, after;
	char path[256];

	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/agreements/QUA-01.json/inner", root);
	ck_assert_int_eq(rep_files_mkdirs(path), 0);
	snprintf(path, sizeof(path), "%s/QUA/2024-Q2/policy.json", root);
	put(path, "previous");
	before = list(root);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "new");
	add(tx, "agreements/QUA-01.json", "new");
	ck_assert_int_eq(rep_files_commit(tx), ERR_FAIL);
	after = list(root);
	assert_same(before, after);
	list_free(before);
	list_free(after);
}
END_TEST

START_TEST(test_files_paths)
{
	struct rep_files_tx *tx = NULL;
	char buf[64], path[128];

	ck_assert_int_eq(rep_files_policy_relpath("json", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "policy.json");
	ck_assert_int_eq(rep_files_agreement_relpath("QUA-01", "pdf", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "agreements/QUA-01.pdf");
	ck_assert_int_eq(rep_files_agreement_relpath("QUA-01", "pdf", buf, 10), ERR_FAIL);
	ck_assert_int_eq(rep_files_agreement_relpath("../x", "pdf", buf, sizeof(buf)), ERR_FAIL);
	ck_assert_int_eq(rep_files_agreement_relpath("a/b", "pdf", buf, sizeof(buf)), ERR_FAIL);
	ck_assert(rep_files_name_ok("2024-Q2"));
	ck_assert(!rep_files_name_ok(""));
	ck_assert(!rep_files_name_ok(".."));
	ck_assert(!rep_files_name_ok(".hidden"));
	ck_assert(!rep_files_name_ok(NULL));
	ck_assert_int_eq(rep_files_begin(root, "..", "2024-Q2", &tx), ERR_USAGE);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "a/b", &tx), ERR_USAGE);
	ck_assert_ptr_null(tx);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	ck_assert_int_eq(rep_files_add(tx, "../escape.json", "x", 1), ERR_FAIL);
	rep_files_abort(tx);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	ck_assert_int_eq(rep_files_add(tx, "/abs.json", "x", 1), ERR_FAIL);
	rep_files_abort(tx);
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "1");
	ck_assert_int_eq(rep_files_add(tx, "policy.json", "2", 1), ERR_FAIL);
	rep_files_abort(tx);
	/* an empty run commits nothing and makes no folder below out_dir */
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	ck_assert_int_eq(rep_files_commit(tx), 0);
	snprintf(path, sizeof(path), "%s/QUA", root);
	ck_assert(!exists(path));
}
END_TEST

/* Many files in one run: each lands, and a path added again is refused
 * wherever it is among them (first, middle, last of 150, past every
 * growth of the run's bookkeeping: at 64 and 128 entries). */
START_TEST(test_files_many_and_twice)
{
	static const int again[] = {0, 75, 149};
	struct rep_files_tx *tx = NULL;
	struct listing after;
	char rel[64], line[128];
	int i, k;

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	for (i = 0; i < 150; i++) {
		snprintf(rel, sizeof(rel), "agreements/QUA-%03d.json", i);
		add(tx, rel, rel + 11);
	}
	ck_assert_int_eq(rep_files_commit(tx), 0);
	/* QUA/, QUA/2024-Q2/, its agreements/, then the 150 files in order */
	after = list(root);
	ck_assert_int_eq(after.n, 153);
	ck_assert_str_eq(after.lines[3], "QUA/2024-Q2/agreements/QUA-000.json = QUA-000.json");
	ck_assert_str_eq(after.lines[152], "QUA/2024-Q2/agreements/QUA-149.json = QUA-149.json");
	list_free(after);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
		/* only the adds the bookkeeping needs before the one refused */
		for (i = 0; i < (k == 0 ? 1 : 150); i++) {
			snprintf(rel, sizeof(rel), "agreements/QUA-%03d.json", i);
			add(tx, rel, "x");
		}
		snprintf(rel, sizeof(rel), "agreements/QUA-%03d.json", again[k]);
		ck_assert_int_eq(rep_files_add(tx, rel, "y", 1), ERR_FAIL);
		snprintf(line, sizeof(line), "%s written twice in one run", rel);
		ck_assert_str_eq(err_last(), line);
		rep_files_abort(tx);
	}
	/* the aborted runs left the first one's files as they were */
	after = list(root);
	ck_assert_int_eq(after.n, 153);
	ck_assert_str_eq(after.lines[78], "QUA/2024-Q2/agreements/QUA-075.json = QUA-075.json");
	list_free(after);
}
END_TEST

struct adder {
	struct rep_files_tx *tx;
	int first, rc;
};

/* Adds agreements/QUA-<first .. first + 39>.json, each holding its name. */
static void *add_hundred(void *arg)
{
	struct adder *a = arg;
	char rel[64];
	int i;

	for (i = a->first; i < a->first + 40 && a->rc == 0; i++) {
		snprintf(rel, sizeof(rel), "agreements/QUA-%03d.json", i);
		a->rc = rep_files_add(a->tx, rel, rel + 11, strlen(rel + 11));
	}
	return NULL;
}

/* Four threads adding at once: the 160 files land, each with its bytes. A
 * failed add (a path outside the folder) fails every later one with its
 * message. */
START_TEST(test_files_concurrent_adds)
{
	struct rep_files_tx *tx = NULL;
	struct adder a[4];
	pthread_t t[4];
	struct listing after;
	int i;

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	for (i = 0; i < 4; i++) {
		a[i].tx = tx;
		a[i].first = 40 * i;
		a[i].rc = 0;
		ck_assert_int_eq(pthread_create(&t[i], NULL, add_hundred, &a[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(a[i].rc, 0);
	}
	ck_assert_int_eq(rep_files_commit(tx), 0);
	/* QUA/, QUA/2024-Q2/, agreements/, then 000 .. 159 */
	after = list(root);
	ck_assert_int_eq(after.n, 163);
	ck_assert_str_eq(after.lines[3], "QUA/2024-Q2/agreements/QUA-000.json = QUA-000.json");
	ck_assert_str_eq(after.lines[95], "QUA/2024-Q2/agreements/QUA-092.json = QUA-092.json");
	ck_assert_str_eq(after.lines[162], "QUA/2024-Q2/agreements/QUA-159.json = QUA-159.json");
	list_free(after);

	/* the same adds aborted: no temporary stays, wherever a thread put it
	 * (next to its file or in QUA/2024-Q2), and the files are the first
	 * run's (list shows hidden names too) */
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	for (i = 0; i < 4; i++) {
		a[i].tx = tx;
		ck_assert_int_eq(pthread_create(&t[i], NULL, add_hundred, &a[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(a[i].rc, 0);
	}
	rep_files_abort(tx);
	after = list(root);
	ck_assert_int_eq(after.n, 163);
	ck_assert_str_eq(after.lines[95], "QUA/2024-Q2/agreements/QUA-092.json = QUA-092.json");
	list_free(after);

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	ck_assert_int_eq(rep_files_add(tx, "../out.json", "x", 1), ERR_FAIL);
	ck_assert_str_eq(err_last(), "\"../out.json\" is not a safe relative path");
	err_clear();
	ck_assert_int_eq(rep_files_add(tx, "policy.json", "x", 1), ERR_FAIL);
	ck_assert_str_eq(err_last(), "\"../out.json\" is not a safe relative path");
	rep_files_abort(tx);
}
END_TEST

START_TEST(test_files_write_atomic)
{
	struct listing after;
	char path[256];

	snprintf(path, sizeof(path), "%s/a.json", root);
	ck_assert_int_eq(rep_files_write_atomic(path, "one", 3), 0);
	ck_assert_int_eq(rep_files_write_atomic(path, "two", 3), 0);
	after = list(root);
	ck_assert_int_eq(after.n, 1);
	ck_assert_str_eq(after.lines[0], "a.json = two");
	list_free(after);
	snprintf(path, sizeof(path), "%s/no/a.json", root);
	ck_assert_int_eq(rep_files_write_atomic(path, "x", 1), ERR_FAIL);
}
END_TEST

/* One transaction per output folder at a time; the next may start once the
 * first has ended, whichever way. */
START_TEST(test_files_one_run_at_a_time)
{
	struct rep_files_tx *a = NULL, *b = NULL;

	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &a), 0);
	ck_assert_int_eq(rep_files_begin(root, "ALT", "2024-Q2", &b), ERR_FAIL);
	ck_assert_ptr_nonnull(strstr(err_last(), "another run"));
	ck_assert_ptr_null(b);
	rep_files_abort(a);
	ck_assert_int_eq(rep_files_begin(root, "ALT", "2024-Q2", &b), 0);
	ck_assert_int_eq(rep_files_commit(b), 0);
}
END_TEST

/* Hidden entries of a folder, counted. */
static int hidden_in(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
		     strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* A run killed with SIGKILL between writing and committing leaves its
 * temporaries behind; the next run into the folder removes those of
 * writers no longer alive, and only those. */
START_TEST(test_files_dead_writer_temporaries_removed)
{
	struct rep_files_tx *tx = NULL;
	char base[256], agr[512], path[768], other[512];
	int status;
	pid_t child;

	snprintf(base, sizeof(base), "%s/QUA/2024-Q2", root);
	snprintf(agr, sizeof(agr), "%s/agreements", base);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		if (rep_files_begin(root, "QUA", "2024-Q2", &tx) == 0 &&
		    rep_files_add(tx, "policy.json", "killed", 6) == 0 &&
		    rep_files_add(tx, "agreements/QUA-01.json", "killed", 6) == 0)
			raise(SIGKILL);
		_exit(1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	/* the dead run's two temporaries, one per folder */
	ck_assert_int_eq(hidden_in(base), 1);
	ck_assert_int_eq(hidden_in(agr), 1);
	/* a temporary of a live writer (pid 1 is always alive) and a hidden
	 * file of someone else's stay */
	snprintf(path, sizeof(path), "%s/.QUA-02.json.tmp-1-0", agr);
	put(path, "live");
	snprintf(other, sizeof(other), "%s/.notes", base);
	put(other, "mine");
	ck_assert_int_eq(rep_files_begin(root, "QUA", "2024-Q2", &tx), 0);
	add(tx, "policy.json", "next");
	ck_assert_int_eq(rep_files_commit(tx), 0);
	ck_assert_int_eq(hidden_in(base), 1); /* .notes */
	ck_assert_int_eq(hidden_in(agr), 1);  /* the live writer's */
	ck_assert(exists(path));
	ck_assert(exists(other));
	snprintf(path, sizeof(path), "%s/policy.json", base);
	{
		char *content = slurp(path);

		ck_assert_str_eq(content, "next");
		free(content);
	}
}
END_TEST

Suite *files_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");

	/* hundreds of files each in some tests: room on a loaded machine */
	tcase_set_timeout(tc, 120);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_files_commit_all);
	tcase_add_test(tc, test_files_failure_leaves_folder);
	tcase_add_test(tc, test_files_failure_new_folders);
	tcase_add_test(tc, test_files_abort_removes_temporaries);
	tcase_add_test(tc, test_files_commit_rollback);
	tcase_add_test(tc, test_files_commit_folder_in_the_way);
	tcase_add_test(tc, test_files_one_run_at_a_time);
	tcase_add_test(tc, test_files_paths);
	tcase_add_test(tc, test_files_many_and_twice);
	tcase_add_test(tc, test_files_concurrent_adds);
	tcase_add_test(tc, test_files_write_atomic);
	tcase_add_test(tc, test_files_dead_writer_temporaries_removed);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(files_suite)
