/* pgembed_int: what the parts of the embedded instance share (pgembed.h is
 * the public side): who runs the server programs (pgembed_proc.c) and where
 * an instance lives (pgembed_layout.c). Internal to engine/. Every function
 * returns 0 or ERR_FAIL with the message set (err.h). */
#ifndef CR_PGEMBED_INT_H
#define CR_PGEMBED_INT_H

#include <limits.h>
#include <sys/types.h>

#define PORT "5432"
#define SOCKET_NAME ".s.PGSQL." PORT
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

/* --- the server programs (pgembed_proc.c) ------------------------------------------- */

/* The account that runs the server programs: ourselves, or SERVER_ACCOUNT
 * when we are root (refused when it is missing or is root itself). */
int pge_account_init(struct account *a);

/* Runs argv[0] (a path) as account `a` to its end, stdin from /dev/null,
 * stdout and stderr on out_fd and err_fd (-1: /dev/null); *code is its
 * exit code, or 128 + signal. */
int pge_run(const struct account *a, char *const argv[], int out_fd, int err_fd, int *code);

/* Writes into out (PATH_MAX bytes) the folder of initdb and pg_ctl:
 * `pg_config --bindir`, else /usr/lib/postgresql/15/bin. */
int pge_find_bindir(char *out);

/* Sets *reachable to whether account `a` may search `path`. */
int pge_account_can_reach(const struct account *a, const char *path, int *reachable);

/* --- where an instance lives (pgembed_layout.c) ---------------------------------------- */

/* Writes "dir/name" into out (PATH_MAX bytes). */
int pge_join(char *out, const char *dir, const char *name);

/* Sets *exists to whether `path` is a regular file (ENOENT: 0). */
int pge_file_exists(const char *path, int *exists);

/* Fills the state folder's own paths of l from `name` (NULL or "": "var");
 * *exists says whether the folder is there. With `create`, a missing folder
 * is created (and exists). */
int pge_state_open(const char *name, int create, struct layout *l, int *exists);

/* Decides base, data and socket folders of an open state folder (the
 * choices of pgembed.h), and who runs the server programs. */
int pge_layout_resolve(struct layout *l);

/* Creates folder `path` (mode 0700) for account `a`, or checks an existing
 * one and makes it private again; a `shared` folder (under /tmp or
 * /var/tmp) that exists must already be the account's and no symlink. */
int pge_ensure_dir(const char *path, const struct account *a, int shared);

/* Writes state/cluster-location, naming l->base. */
int pge_record_location(struct layout *l);

/* Takes the state folder's lock (blocking) into *fd. */
int pge_lock_state(const struct layout *l, int *fd);

/* Opens the log for appending, into *fd. */
int pge_open_log(const struct layout *l, int *fd);

#endif
