/* pdf_sections: the sections of the PDF scorecards on indicators (internal
 * to reports/, drawn by pdf.c with the primitives of pdf_draw.h):
 *   page 1   the headline tiles (labels.h: lbl_tiles) in rows of three, two
 *            and two for a policy, three and three otherwise; the overall
 *            index as a solid panel (with its 5th–95th percentile range for
 *            a policy) beside the five dimension scores as bars on 0–100
 *   detail   the legend of the status marks; per dimension, its indicators'
 *            table (value, previous, change, target, status, and n and the
 *            95% interval where the dimension has survey figures)
 *   last     the notes on method as bullets, the evidence note and the data
 *            snapshot among them
 * A null value reads "—"; the model nulls what is withheld, so nothing
 * suppressed shows. */
#ifndef CR_PDF_SECTIONS_H
#define CR_PDF_SECTIONS_H

#include "pdf_table.h"

/* The "key figures" tiles. Returns 0 or a negative error. */
int pds_tiles(struct pdf *p);

/* The overall index panel and the dimension score bars. */
int pds_scores(struct pdf *p);

/* The status legend: each mark in its colour with its word and meaning, set
 * smaller when the line would not fit. */
int pds_legend(struct pdf *p);

/* The table of dimension d's indicators; nothing when none is present. */
int pds_dimension_table(struct pdf *p, enum cat_dimension d);

/* The notes on method. */
int pds_notes(struct pdf *p);

#endif
