/* pgembed: the embedded default PostgreSQL instance of a state folder.
 *
 * When the user names no database, cruscotto runs its own PostgreSQL server
 * with the installed server programs (initdb and pg_ctl of `pg_config
 * --bindir`, else /usr/lib/postgresql/15/bin): created on first use, started
 * when stopped, reused while it runs. The instance accepts Unix-socket
 * connections only (listen_addresses = ''), trusts local socket connections
 * (TCP lines of pg_hba.conf say reject), has the superuser `cruscotto`
 * (initdb -U cruscotto) and the database `cruscotto`; fsync stays on.
 *
 * Layout of a state folder S (default ./var, created when missing):
 *   S/pgembed.lock      flock'ed by ensure and stop: two processes starting
 *                       at once never both run initdb or pg_ctl start
 *   S/postgresql.log    output of initdb and pg_ctl, and the server's log:
 *                       cruscotto opens it (O_APPEND, mode 0600, owned by the
 *                       caller, e.g. root) and hands the descriptor to the
 *                       programs, so the server needs no access to S
 *   B/data              the cluster (B = S, or see relocation below)
 *   B/run               the Unix socket directory (or see below)
 *   S/cluster-location  only when relocated: one line, the absolute path of B
 *
 * Running as root: initdb and postgres refuse to run as root, so when
 * geteuid() == 0 every server program runs as Debian's `postgres` account
 * (fork, setgroups/setgid/setuid to the account's ids, execv), and B/data and
 * B/run are owned by it; connecting stays root's (root may use any socket).
 *
 * Relocation: when S cannot serve as B, the cluster lives in
 * B = /var/tmp/cruscotto-<h> instead (h: 16 hex digits of the 64-bit FNV-1a
 * hash of S's absolute path; /var/tmp survives reboots, unlike /tmp), owned
 * by the server's account, mode 0700, refused when it exists with another
 * owner or as a symlink. S cannot serve when
 *   - as root, the postgres account cannot reach S (e.g. under /root, 0700),
 *   - or S's absolute path holds a character pg_ctl's shell command line
 *     cannot carry (" $ ` \ or a control character) or exceeds 900 bytes.
 * The choice is written to S/cluster-location before initdb (and again when
 * a relocated cluster outlived the file) and read first on every later run,
 * so the instance is found again whatever changes; an existing S/data is
 * likewise always kept where it is.
 *
 * Socket: B/run/.s.PGSQL.5432 must fit sun_path (107 bytes) and B/run is
 * passed to the server as a setting, so it may hold only [A-Za-z0-9/._+-].
 * Otherwise the socket directory is /tmp/cruscotto-<h> (same hash, same
 * ownership checks), recomputed on every run; stop removes it when empty.
 *
 * Trust authentication is safe only while no other account reaches the
 * socket: the socket directory is made 0700 on every start and the socket
 * itself is 0700 (unix_socket_permissions), so only the server's account and
 * root may connect; an instance made as root serves root only.
 *
 * The port is always 5432: each instance has its own socket directory, and
 * listens on no TCP port, so instances never collide.
 *
 * All functions take `state_dir` as given by the user (relative paths are
 * relative to the working directory; NULL or "" means "var") and return 0 or
 * a negative ERR_* code with the message set (err.h). */
#ifndef CR_PGEMBED_H
#define CR_PGEMBED_H

#include <stdio.h>

/* Ensures the instance of `state_dir` exists and runs: creates the folder,
 * runs initdb on first use, starts the server when it is stopped and creates
 * the database cruscotto when missing. Writes to *conninfo (caller frees) a
 * libpq connection string for database cruscotto as user cruscotto, e.g.
 * "host='/srv/var/run' port=5432 user=cruscotto dbname=cruscotto"; it names
 * host, port, user and dbname, so libpq's PG* environment cannot redirect it.
 * When `progress` is non-NULL, one line per slow step is written to it
 * ("initialising embedded PostgreSQL in var/ ..."). Failures name the step,
 * the log and its telling line, e.g. "initdb failed (exit code 1; see
 * var/postgresql.log): initdb: error: ..."; ERR_FAIL, or ERR_DB when the
 * running server cannot be reached to create the database. */
int pgembed_ensure(const char *state_dir, FILE *progress, char **conninfo);

/* The login role of `cruscotto serve` on the embedded instance. */
#define PGEMBED_SERVER_ROLE "cruscotto_serve"

/* Like pgembed_ensure, for `cruscotto serve`: the conninfo logs in as
 * PGEMBED_SERVER_ROLE, a LOGIN role that is no superuser, may create
 * nothing (no database, no role) and is a member of cruscotto_web only, with
 * default_transaction_read_only on; every ensure creates or repairs it.
 * Trust authentication on the private socket stays as it is (see above): the
 * point is that the server's session, whatever SQL it ran, could never act
 * as a superuser. */
int pgembed_ensure_server(const char *state_dir, FILE *progress, char **conninfo);

/* Describes the instance of `state_dir` without changing anything (a missing
 * folder is not created). Writes *text (caller frees): a first line
 * "embedded PostgreSQL of var/: running (PID 1234)", "...: not running" or
 * "...: not created yet", then, when created, lines "data directory: PATH",
 * "socket: PATH", "log: PATH" and, when running, "conninfo: CONNINFO"; each
 * line ends with '\n'. *running is 1 when the server runs, else 0 (like
 * pg_ctl status: 0 running, 3 not running). Returns 0, or ERR_FAIL when the
 * folder is not a directory or pg_ctl status fails otherwise. */
int pgembed_status(const char *state_dir, char **text, int *running);

/* Stops the instance of `state_dir` (pg_ctl stop -m fast, waiting for it) and
 * keeps its data. Returns 0 also when it does not run or does not exist, or
 * ERR_FAIL (e.g. when the folder is a regular file or pg_ctl stop fails). */
int pgembed_stop(const char *state_dir);

/* Stops the instance of `state_dir` and deletes it: its data, its socket
 * folder, the relocation record and the log (the state folder itself and
 * its lock file stay). The next pgembed_ensure starts from an empty
 * database. Returns 0 (also when nothing existed) or ERR_FAIL. */
int pgembed_destroy(const char *state_dir);

#endif
