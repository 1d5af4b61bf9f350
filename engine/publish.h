/* publish: a period's scorecards stored as an immutable revision, and the
 * list of revisions (schema 002_revisions.sql).
 *
 * Publishing computes the period once (run_prepare: one snapshot), renders
 * the policy's and every in-scope agreement's scorecard as JSON and as PDF
 * on the rendering threads (render.h), and streams them, with their
 * SHA-256, into one binary COPY as the next revision of (policy, period),
 * with the period's open-data table (CSV, opendata.h) and its DCAT-AP_IT
 * metadata (schema 005_opendata.sql), in one transaction: memory holds a
 * few cards whatever the period's size, and either the whole revision
 * appears or nothing does. Publishers of the same (policy, period) take turns (an
 * advisory transaction lock), so two of them never claim the same number;
 * the revision's number is max + 1 for that policy and period, from 1. The
 * revision records who published it (the database user, current_user: what
 * the database authenticated, like batch.imported_by) and when (the
 * transaction's time), the last import batch the numbers reflect and the
 * scorecards' description of their snapshot. Nothing ever changes a stored
 * revision: the schema refuses it. */
#ifndef CR_PUBLISH_H
#define CR_PUBLISH_H

#include "db.h"

#include <stddef.h>
#include <stdio.h>

struct publish_result {
	long long id;	    /* revision.id */
	int revision;	    /* its number for (policy, period): 1, 2, ... */
	int documents;	    /* documents stored: 2 per scorecard (JSON and PDF) */
	int scorecards;	    /* the policy's and the agreements' */
	int pages;	    /* HTML pages and stylesheet stored (revision_page) */
	long long batch_id; /* the last batch the numbers reflect, -1 when none */
	size_t bytes;	    /* the documents' content, in total */
};

/* Publishes `period` (YYYY-Qn) of `policy` as a new revision, in the
 * policy's locale. `progress` (or NULL) gets one line per step. Writes *out
 * only on success. Errors: ERR_USAGE (malformed period), ERR_NOTFOUND
 * (unknown policy, period before the policy started), ERR_DB, ERR_FAIL
 * (rendering, storing); on any error no revision is stored. */
int publish_period(db *c, const char *policy, const char *period, FILE *progress,
		   struct publish_result *out);

/* The revisions of `policy`, of one `period` or of all when NULL, oldest
 * first (period, then revision), with columns period, revision,
 * published_at ("YYYY-MM-DD HH:MM:SS" UTC), published_by, batch_id (null
 * when none) and documents. An unknown policy without revisions is
 * ERR_NOTFOUND; a known one without revisions gives no rows. Caller frees
 * *out with rows_free. */
int publish_list(db *c, const char *policy, const char *period, rows **out);

/* Writes the rows of publish_list as an aligned table with a header line
 * (numbers right-aligned, a null batch as "-"), or, when there are none, one
 * line saying so. Returns 0 or ERR_FAIL (write error). */
int publish_write_table(const rows *r, const char *policy, FILE *f);

#endif
