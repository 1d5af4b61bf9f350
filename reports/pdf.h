/* pdf: a scorecard as an A4 portrait PDF for the city council (libharu).
 *
 * Content, in the scorecard's locale (labels from the catalogue, every
 * number, date and status word through format.h; nothing is recomputed
 * except value − previous, as every renderer does):
 *   page 1     header (policy; at agreement level the title, wrapped, the
 *              neighbourhoods, the status and the lifecycle dates; period
 *              and as-of date in the long form), headline tiles (agreements
 *              signed — policy only —, participants, population, signatories
 *              and projects with their breakdown by kind, the allocated
 *              budgets of community and city care with what is committed
 *              and spent), the five dimension scores as a 0-100 bar chart
 *              with the index (policy: its 5th-95th percentile range), and
 *              small line charts of the index and the sc_trend_ids figures
 *              over the trend quarters (a null point leaves a gap)
 *   then       one table per dimension: indicator, value, previous, change
 *              (drawn arrow and signed text), target, status (coloured mark
 *              AND word, so it survives grayscale printing), and where the
 *              dimension has survey figures n and the 95% interval; a
 *              suppressed value reads "soppresso" / "suppressed"
 *   agreement  the ex-ante evaluation (three criteria on the 1-5 scale,
 *              mean, outcome), the projects with budget bars (allocated,
 *              committed, spent) and milestone counts, every milestone with
 *              due and achieved dates and whether it is late
 *   policy     every agreement ranked by index with its rank range
 *              (5th-95th percentile) as text and as a small range bar;
 *              then, when the model has territories, the "Territori" page
 *              (pdf_territory.h)
 *   neighbourhood  its own header, the quality-of-life and relationship
 *              results on page 1, the covering agreements after the tables
 *              (pdf_territory.h)
 *   every level  the evidence of the period, summaries as written, flowing
 *              across pages, and the total recorded (pdf_territory.h)
 *   last       notes on method (sc->notes, the note on evidence when there
 *              is any, the data snapshot)
 * Every page has a footer "pagina X di Y" / "page X of Y"; pages after the
 * first repeat a one-line running header. Tables that do not fit continue
 * on the next page with their title ("segue" / "continued") and header
 * repeated. Text never leaves its box: long text wraps, and what still does
 * not fit is set smaller and finally shortened with "…".
 *
 * Text is set in DejaVu Sans (regular and bold), taken from
 * fonts-dejavu-core at build time and cut down to Latin, Greek, Cyrillic
 * and the symbols a scorecard may need (pdf_fonts.py; built into the
 * program, no font file is read), embedded as TrueType subsets with the
 * UTF-8 encoder, so accents, €, «» and the status marks are drawn and
 * extract as text; a character outside those scripts draws as an empty box.
 *
 * Determinism: identical scorecards give identical bytes. The document
 * carries no clock time: its creation date is the period's as-of date
 * (period_end, 00:00 UTC); libharu 2.3 writes no /ID without encryption,
 * the font subsets are tagged HPDFAA (regular) and HPDFAB (bold) in every
 * document, and zlib compresses deterministically. */
#ifndef CR_PDF_H
#define CR_PDF_H

#include "scorecard.h"

#include <stddef.h>

/* Renders sc as a PDF. Returns 0 with *out (malloc'd, caller frees with
 * free) and *len, or ERR_FAIL with a message (a libharu error, a font that
 * cannot be loaded, a malformed date in the model, out of memory); the
 * out-parameters are written only on success. */
int rep_pdf_render(const struct scorecard *sc, unsigned char **out, size_t *len);

/* A renderer for many documents: one libharu handle whose fonts are parsed
 * once. The bytes of each document are exactly those rep_pdf_render gives
 * for the same scorecard, whatever was rendered before. One thread at a
 * time per renderer; renderers are independent of each other. Returns 0
 * and *out (free with rep_pdf_free) or ERR_FAIL. */
struct rep_pdf;
int rep_pdf_new(struct rep_pdf **out);

/* Renders sc with renderer r; as rep_pdf_render otherwise. */
int rep_pdf_draw(struct rep_pdf *r, const struct scorecard *sc, unsigned char **out, size_t *len);

/* Frees a renderer; accepts NULL. */
void rep_pdf_free(struct rep_pdf *r);

#endif
