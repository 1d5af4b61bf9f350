/* pdf_territory: the sections of the PDF scorecards on the territory and on
 * qualitative evidence (internal to reports/, drawn by pdf.c with the
 * primitives of pdf_draw.h):
 *   neighbourhood  the header lines (policy, the neighbourhood's name, code
 *                  and population, the covering agreements, wrapped and cut
 *                  with "…" when very many: the full list is the table
 *                  below), the quality-of-life and relationship results with
 *                  n and interval, and the covering agreements' table
 *   policy         the "Territori" page: participation rate per 1,000
 *                  inhabitants by neighbourhood as bars, highest first, with
 *                  the policy's rate as a line, and the neighbourhoods' table
 *                  (agreements, participants, rate, quality-of-life change,
 *                  index); both continue on further pages when long, and
 *                  beyond PD_LIST_WHOLE neighbourhoods show the ends of the
 *                  chart's order, with a line for those between
 *   every level    the evidence of the period, newest first: kind, date,
 *                  participants, code and reference, title, and the summary
 *                  as written (its newlines kept as line breaks, tabs as
 *                  spaces) flowing across lines and pages; the heading gives
 *                  how much was recorded up to the scorecard's date
 * A null value reads "—"; the model nulls what is withheld, so nothing
 * suppressed shows. */
#ifndef CR_PDF_TERRITORY_H
#define CR_PDF_TERRITORY_H

#include "pdf_table.h"

/* The neighbourhood's lines of the page header, from *y (below the kicker)
 * down, the first one within beside_w (the period sits on its right); *y
 * ends below them. Returns 0 or ERR_FAIL. */
int pdt_header(struct pdf *p, float beside_w, float *y);

/* Neighbourhood: soc.quality_of_life_change and soc.relationship_change as
 * two panels with value, status, n, interval, previous and target. */
int pdt_results(struct pdf *p);

/* Neighbourhood: the covering agreements, code and title. */
int pdt_covering(struct pdf *p);

/* Policy: the "Territori" page, from a new page; nothing when the model has
 * no territory. */
int pdt_territories(struct pdf *p);

/* True when the scorecard has an evidence section: evidence in the period
 * or recorded before it. */
int pdt_has_evidence(const struct scorecard *sc);

/* The evidence section (nothing when pdt_has_evidence is false). */
int pdt_evidence(struct pdf *p);

#endif
