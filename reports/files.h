/* files: where a run's scorecards go, and writing them all or none.
 *
 * Layout (cruscotto(1), FILES):
 *     DIR/<policy>/<period>/policy.{json,pdf}
 *     DIR/<policy>/<period>/agreements/<agreement>.{json,pdf}
 *     DIR/<policy>/<period>/neighbourhoods/<neighbourhood>.{json,pdf}
 *
 * A transaction writes every file of a run next to its target under a
 * hidden temporary name (".<name>.tmp-<pid>-<n>"), makes them all durable
 * at commit (one syncfs, not one fsync per file) and only then renames them
 * into place. Until then readers see the previous files; a failure
 * anywhere (writing, creating a folder, renaming) leaves DIR exactly as it
 * was: temporaries removed, folders the transaction created removed, files
 * it had already replaced put back. One transaction at a time per DIR (an
 * exclusive flock on DIR from begin to commit/abort, in this process or any
 * other), so a folder never mixes files of two runs. A run killed before
 * it ends (SIGKILL, power cut) leaves its temporaries behind: the next
 * transaction on the same folder removes those of writers no longer alive. */
#ifndef CR_FILES_H
#define CR_FILES_H

#include <stddef.h>

struct rep_files_tx;

/* True when `name` can be one path component of the layout: not empty, at
 * most 200 bytes, no '/', no NUL, not starting with '.' (which also rules
 * out "." and "..", and keeps names apart from the temporaries). Policy,
 * period and agreement codes are checked with it before they become paths. */
int rep_files_name_ok(const char *name);

/* Writes "policy.<ext>" into buf. Returns 0 or ERR_FAIL (does not fit). */
int rep_files_policy_relpath(const char *ext, char *buf, size_t size);

/* Writes "agreements/<agreement>.<ext>" into buf. Returns 0, or ERR_FAIL
 * when the code is not a safe name (rep_files_name_ok) or it does not fit. */
int rep_files_agreement_relpath(const char *agreement, const char *ext, char *buf, size_t size);

/* Writes "neighbourhoods/<neighbourhood>.<ext>" into buf, checked like
 * rep_files_agreement_relpath. */
int rep_files_neighbourhood_relpath(const char *neighbourhood, const char *ext, char *buf,
				    size_t size);

/* Creates `path` and its missing parents (mode 0777 less umask), like
 * mkdir -p. Returns 0, or ERR_FAIL when a component exists and is not a
 * folder or cannot be created. */
int rep_files_mkdirs(const char *path);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * folder, fsync, rename over `path`, fsync of the folder. The folder must
 * exist. On failure `path` is untouched and no temporary remains. The file
 * gets mode 0666 less umask. Returns 0 or ERR_FAIL. */
int rep_files_write_atomic(const char *path, const void *data, size_t len);

/* Starts a transaction writing below out_dir/<policy>/<period>. Creates
 * out_dir if missing (removed again on abort). Removes the temporaries and
 * backups that dead writers left in that folder, its agreements/ and its
 * neighbourhoods/. Does not wait: while another
 * transaction on out_dir is open (this process or another) it fails with
 * ERR_FAIL saying so. Returns 0 and *out (finish it with rep_files_commit
 * or rep_files_abort), ERR_USAGE when policy or period is not a safe name,
 * or ERR_FAIL. */
int rep_files_begin(const char *out_dir, const char *policy, const char *period,
		    struct rep_files_tx **out);

/* The folder of the transaction, out_dir/<policy>/<period>. */
const char *rep_files_dir(const struct rep_files_tx *tx);

/* Writes `len` bytes, aside, for relpath (relative to rep_files_dir, '/'
 * separated, components safe by rep_files_name_ok, each relpath at most
 * once per transaction); creates the folders it needs. Several threads
 * may add at once (the files are written concurrently); commit and abort
 * come after every add has returned. Returns 0 or ERR_FAIL; after a failure
 * the transaction can only be aborted (commit would roll back and fail),
 * and every later add fails with the first failure's message. */
int rep_files_add(struct rep_files_tx *tx, const char *relpath, const void *data, size_t len);

/* Renames every file added into place, then fsyncs their folders. Consumes
 * tx whatever the outcome. Returns 0, or ERR_FAIL with everything rolled
 * back (DIR as before begin). */
int rep_files_commit(struct rep_files_tx *tx);

/* Removes every temporary and every folder the transaction created; DIR is
 * as before begin. Accepts NULL. */
void rep_files_abort(struct rep_files_tx *tx);

#endif
