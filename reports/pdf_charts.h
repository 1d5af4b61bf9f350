/* pdf_charts: the trend charts of the PDF scorecards (internal to reports/,
 * drawn by pdf.c with the primitives of pdf_draw.h): the overall index and
 * each trend indicator (sc_trend_codes) over the last quarters, three to a
 * row, each with its latest value, its axis ends, the first and last
 * quarter, a tick per quarter and a line broken where a quarter has no
 * value. */
#ifndef CR_PDF_CHARTS_H
#define CR_PDF_CHARTS_H

#include "pdf_draw.h"

/* The trends section; whole: the charts stay on one page, the next when
 * they do not fit on this one. Returns 0 or a negative error. */
int pdc_trends(struct pdf *p, int whole);

#endif
