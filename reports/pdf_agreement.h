/* pdf_agreement: the sections of the PDF scorecards on agreements (internal
 * to reports/, drawn by pdf.c with the primitives of pdf_draw.h):
 *   agreement  the ex-ante evaluation (three criteria and their mean on a
 *              1–5 scale, and the outcome), the projects with their budget
 *              bars (allocated, committed, spent) and milestones, and the
 *              milestones with due and achieved dates and outcome
 *   policy     the agreements ranked by index, with the range of ranks as
 *              the weights vary (5th–95th percentile) drawn on a bar; a
 *              ranking longer than PD_LIST_WHOLE prints its ends and a row
 *              for the ranks between
 * A section with nothing to show says so in a grey line under its title. */
#ifndef CR_PDF_AGREEMENT_H
#define CR_PDF_AGREEMENT_H

#include "pdf_table.h"

/* The ex-ante evaluation table. Returns 0 or a negative error. */
int pda_ex_ante(struct pdf *p);

/* The projects and budget table, with the bars' legend under its title. */
int pda_projects(struct pdf *p);

/* The project milestones table. */
int pda_milestones(struct pdf *p);

/* The policy's agreements ranked by index. */
int pda_ranks(struct pdf *p);

#endif
