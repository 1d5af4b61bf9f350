/* import: loads a folder in the interchange format (docs/IMPORT.md) into the
 * database, all or nothing. */
#ifndef CR_IMPORT_H
#define CR_IMPORT_H

#include "db.h"

#include <stdio.h>

/* What one file contributed. */
struct import_file {
	char name[32];	/* e.g. "agreements.csv" */
	long data_rows; /* records read, header excluded */
	long inserted;	/* new entities (files with a code or key) */
	long updated;	/* known entities whose values changed (history written) */
	long appended;	/* facts appended */
};

struct import_summary {
	long batch_id; /* the batch recorded (0 on a dry run) */
	int nfiles;    /* files present in the folder, in load order */
	struct import_file files[32];
	int nignored;	     /* other entries of the folder (hidden ones aside), not read */
	char ignored[8][64]; /* the first min(nignored, 8) of them, by name */
};

struct import_options {
	int dry_run;	/* validate and report, then roll back */
	FILE *progress; /* where to say what is being loaded, or NULL */
};

/* Imports every known file of `dir` in one transaction. On any error the
 * transaction is rolled back, nothing is changed, and the message names
 * file:line:column, the column and the rule broken. Returns 0 and *out, or
 * ERR_FAIL / ERR_DB. */
int import_run(db *c, const char *dir, const struct import_options *opt,
	       struct import_summary *out);

#endif
