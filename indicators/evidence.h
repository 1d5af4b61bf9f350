/* evidence: the qualitative evidence of a run (evidence.csv, query
 * Q_EVIDENCE) listed on its scorecards (docs/METHOD.md, "Qualitative
 * evidence"). Evidence is listed, never computed with: no number reads it.
 *
 * The rows are indexed once per run, by agreement and by neighbourhood, so
 * that each scorecard reads only its own records: a policy of 10,000
 * agreements costs one sort of the rows, not a scan of them per card. */
#ifndef CR_EVIDENCE_H
#define CR_EVIDENCE_H

#include "rows.h"
#include "scorecard.h"

struct ind_evidence;

/* Indexes the rows of query Q_EVIDENCE, held to its contract
 * (ind_check_rows). The rows must outlive the index, which points into
 * them; its own memory is O(rows). Returns 0 and *out (free with
 * ind_evidence_free), or ERR_FAIL. */
int ind_evidence_new(const rows *r, struct ind_evidence **out);

/* Fills sc->evidence, sc->n_evidence and sc->evidence_total from the index,
 * by sc->level:
 * - CAT_AGREEMENT: the records of sc->agreement_code;
 * - CAT_NEIGHBOURHOOD: those of sc->neighbourhood.code and of the covering
 *   agreements sc->covering[0 .. n_covering), each record once;
 * - CAT_POLICY: every record of the index.
 * Listed: those recorded within the period (sc->period_start <= recorded_on
 * <= sc->period_end), newest first, ties by code (byte order), as copies
 * the scorecard owns. evidence_total: those recorded <= sc->period_end.
 * Replaces what sc listed before. Only reads `ev`: cards may be filled in
 * parallel. Returns 0, or ERR_FAIL with sc unchanged. */
int ind_evidence_fill(const struct ind_evidence *ev, struct scorecard *sc);

/* Frees the index (not the rows); accepts NULL. */
void ind_evidence_free(struct ind_evidence *ev);

#endif
