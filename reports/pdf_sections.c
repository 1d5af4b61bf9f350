/* pdf_sections: the PDF scorecards' sections on indicators (internal to
 * reports/, drawn by pdf.c with the primitives of pdf_draw.h): the headline
 * tiles and the dimension scores of page 1, the status legend, a dimension's
 * indicator table and the notes on method. */
#include "pdf_sections.h"

#include "pdf_territory.h"
#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"
#include "notes.h"

#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* Headline tiles: an accent edge on the left, the value, large, the label
 * and a grey sub text; a baseline (_BASE) is below the top of its line. */
#define TILE_GAP 10.0f /* between tiles and below a row */
#define TILE_PAD 11.0f
#define TILE_VALUE_SIZE 20.0f
#define TILE_VALUE_H 24.0f
#define TILE_LABEL_SIZE 8.0f
#define TILE_LABEL_LH 10.0f
#define TILE_LABEL_LINES 2
#define TILE_SUB_GAP 2.0f /* between the label and the sub text */
#define TILE_SUB_SIZE 7.0f
#define TILE_SUB_LH 9.0f
#define TILE_SUB_LINES 3
#define TILES_KEEP 70.0f /* kept with the heading: the first row, mostly */
#define TILES_BELOW 4.0f

/* Dimension scores: the index panel on the left, the dimensions' bars on
 * the right, one row each, on a 0-100 axis. */
#define SCORE_ROW 19.0f
#define SCORE_AXIS_H 22.0f /* the axis labels below the rows */
#define SCORE_KEEP_MORE 8.0f
#define SCORE_TOP 2.0f /* the panel's top below the heading */
#define SCORE_BELOW 14.0f
#define INDEX_W 150.0f	/* the panel */
#define INDEX_GAP 20.0f /* between the panel and the bars */
#define INDEX_PAD 12.0f
#define INDEX_TITLE_SIZE 8.5f
#define INDEX_TITLE_BASE 16.0f /* below the panel's top, as the ones below */
#define INDEX_VALUE_SIZE 30.0f
#define INDEX_VALUE_BASE 50.0f
#define INDEX_NOTE_SIZE 7.0f
#define INDEX_NOTE_LH 8.8f
#define INDEX_NOTE_BASE 62.0f
#define INDEX_NOTE_LINES 2
#define INDEX_RANGE_BASE 87.0f /* policy: the title of the weights' range */
#define INDEX_RANGE_VALUE_BASE 98.0f
#define INDEX_SCALE_Y 109.0f /* its scale */
#define INDEX_SCALE_LW 0.8f
#define INDEX_BAR_H 4.0f /* the range on the scale, at least INDEX_BAR_MIN_W */
#define INDEX_BAR_MIN_W 1.5f
#define INDEX_MARK_H 4.0f /* the index on the scale, above and below it */
#define DIM_LABEL_W 112.0f
#define DIM_LABEL_GAP 8.0f /* right of a label */
#define DIM_LABEL_SIZE 8.0f
#define DIM_LABEL_BASE 11.5f /* below the row's top, as the value's */
#define DIM_VALUE_W 34.0f
#define DIM_VALUE_GAP 4.0f /* between a bar's track and its value */
#define DIM_TRACK_GAP 6.0f /* the track's end left of the value's column */
#define DIM_BAR_TOP 14.0f  /* the bar's foot below the row's top */
#define DIM_BAR_H 9.0f
#define GRID_OVER 3.0f /* the white gridlines stop short of the rows' ends */
#define GRID_TICK 2.0f /* a tick above the axis */
#define GRID_DROP 0.5f /* and below */
#define GRID_LABEL_W 24.0f
#define GRID_LABEL_SIZE 6.5f
#define GRID_LABEL_BASE 8.0f /* below the axis */

/* The status legend: one line, smaller when it would not fit. */
#define LEGEND_SIZE 7.0f
#define LEGEND_GAP 12.0f     /* between two entries */
#define LEGEND_MARK_GAP 2.5f /* between a mark and its word */
#define LEGEND_SHRINK 0.99f  /* of the share that would just fit */
#define LEGEND_KEEP 16.0f
#define LEGEND_BASE 8.0f
#define LEGEND_H 18.0f

/* Indicator tables: a breakdown's indent under its total. */
#define BREAKDOWN_INDENT 9.0f

/* Notes on method: bullets, the text indented. */
#define NOTE_KEEP 24.0f
#define NOTE_SIZE 7.5f
#define NOTE_LH 10.0f
#define NOTE_BASE 8.0f
#define NOTE_INDENT 12.0f
#define NOTE_BULLET_X 1.0f
#define NOTE_LINES 12
#define NOTE_GAP 4.0f

/* --- page 1: headline tiles -------------------------------------------------------- */

static float tile_height(struct pdf *p, const struct lbl_tile *t, float w)
{
	float h = TILE_PAD + TILE_VALUE_H;

	h += (float)pd_count_lines(p->bold, TILE_LABEL_SIZE, w - 2 * TILE_PAD, TILE_LABEL_LINES,
				   t->label) *
	     TILE_LABEL_LH;
	if (t->sub[0])
		h += TILE_SUB_GAP + (float)pd_count_lines(p->reg, TILE_SUB_SIZE, w - 2 * TILE_PAD,
							  TILE_SUB_LINES, t->sub) *
					    TILE_SUB_LH;
	return h + TILE_PAD - PANEL_TRIM;
}

static int tile_row(struct pdf *p, const struct lbl_tile *tiles, int n)
{
	float w = (CONTENT_W - (float)(n - 1) * TILE_GAP) / (float)n, h = 0.0f;
	int i, rc;

	for (i = 0; i < n; i++) {
		float th = tile_height(p, &tiles[i], w);

		if (th > h)
			h = th;
	}
	if ((rc = pd_need(p, h)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const struct lbl_tile *t = &tiles[i];
		float x = MARGIN + (float)i * (w + TILE_GAP), y = p->y - TILE_PAD, tw;
		int lines;

		pd_rect(p, x, p->y - h, w, h, C_TILE);
		pd_rect(p, x, p->y - h, PANEL_EDGE, h, C_ACCENT);
		tw = w - 2 * TILE_PAD;
		pd_text_box(p, p->bold, TILE_VALUE_SIZE, C_ACCENT, x + TILE_PAD,
			    y - PANEL_VALUE_BASE, tw, AL_LEFT, t->value);
		y -= TILE_VALUE_H;
		lines = pd_paragraph(p, p->bold, TILE_LABEL_SIZE, TILE_LABEL_LH, C_INK,
				     x + TILE_PAD, y - PANEL_LABEL_BASE, tw, AL_LEFT,
				     TILE_LABEL_LINES, t->label);
		y -= (float)lines * TILE_LABEL_LH + TILE_SUB_GAP;
		if (t->sub[0])
			pd_paragraph(p, p->reg, TILE_SUB_SIZE, TILE_SUB_LH, C_GREY, x + TILE_PAD,
				     y - PANEL_SUB_BASE, tw, AL_LEFT, TILE_SUB_LINES, t->sub);
	}
	p->y -= h + TILE_GAP;
	return 0;
}

int pds_tiles(struct pdf *p)
{
	struct lbl_tile t[LBL_MAX_TILES];
	int rc, n;

	if ((rc = pd_heading(p, pd_tr(p, "I numeri chiave", "Key figures"), NULL, TILES_KEEP)) <
		    0 ||
	    (rc = lbl_tiles(p->sc, t, &n)) < 0)
		return rc;
	/* Policy: 3 + 2 + 2 tiles, as the seed slides group them; agreement
	 * (no agreements signed, a taller header): 3 + 3, so that the whole
	 * summary stays on page 1. */
	if (n == LBL_MAX_TILES) {
		rc = tile_row(p, t, 3);
		if (rc == 0)
			rc = tile_row(p, t + 3, 2);
		if (rc == 0)
			rc = tile_row(p, t + 5, 2);
	} else {
		rc = tile_row(p, t, 3);
		if (rc == 0)
			rc = tile_row(p, t + 3, 3);
	}
	p->y -= TILES_BELOW;
	return rc;
}

/* --- page 1: dimension scores and index ------------------------------------------- */

int pds_scores(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const float pw = INDEX_W, cx = MARGIN + pw + INDEX_GAP, cw = CONTENT_W - pw - INDEX_GAP;
	const float lw = DIM_LABEL_W, vw = DIM_VALUE_W, tx = cx + lw,
		    tw = cw - lw - vw - DIM_TRACK_GAP;
	float top, ph = DIM_COUNT * SCORE_ROW + SCORE_AXIS_H, y, ix = MARGIN + INDEX_PAD,
		   iw = pw - 2 * INDEX_PAD;
	char buf[2 * CELL];
	int d, i, rc;

	rc = pd_heading(
		p, pd_tr(p, "Punteggi delle dimensioni e indice", "Dimension scores and index"),
		pd_tr(p, "scala 0–100: 100 = tutti gli obiettivi raggiunti",
		      "scale 0–100: 100 = every target met"),
		ph + SCORE_KEEP_MORE);
	if (rc)
		return rc;
	top = p->y - SCORE_TOP;

	/* The index, prominent: a solid panel on the left. */
	pd_rect(p, MARGIN, top - ph, pw, ph, C_ACCENT);
	pd_text_box(p, p->bold, INDEX_TITLE_SIZE, C_WHITE, ix, top - INDEX_TITLE_BASE, iw, AL_LEFT,
		    pd_tr(p, "Indice complessivo", "Overall index"));
	if ((rc = lbl_score(sc->index, p->loc, buf, sizeof(buf))) < 0)
		return rc;
	pd_text_box(p, p->bold, INDEX_VALUE_SIZE, C_WHITE, ix, top - INDEX_VALUE_BASE, iw, AL_LEFT,
		    buf);
	pd_paragraph(p, p->reg, INDEX_NOTE_SIZE, INDEX_NOTE_LH, C_ACCENT_LIGHT, ix,
		     top - INDEX_NOTE_BASE, iw, AL_LEFT, INDEX_NOTE_LINES,
		     pd_known(sc->index)
			     ? pd_tr(p, "su 100: media pesata dei punteggi delle dimensioni",
				     "out of 100: weighted mean of the dimension scores")
			     : pd_tr(p, "non calcolabile: nessun punteggio di dimensione",
				     "not available: no dimension score"));
	if (sc->level == CAT_POLICY) {
		pd_text_box(p, p->reg, INDEX_NOTE_SIZE, C_ACCENT_LIGHT, ix, top - INDEX_RANGE_BASE,
			    iw, AL_LEFT,
			    pd_tr(p, "Al variare dei pesi (5°–95° percentile)",
				  "As weights vary (5th–95th percentile)"));
		if ((rc = lbl_score_range(sc->index_p05, sc->index_p95, p->loc, buf, sizeof(buf))) <
		    0)
			return rc;
		pd_text_box(p, p->bold, INDEX_TITLE_SIZE, C_WHITE, ix, top - INDEX_RANGE_VALUE_BASE,
			    iw, AL_LEFT, buf);
		y = top - INDEX_SCALE_Y;
		pd_line(p, ix, y, MARGIN + pw - INDEX_PAD, y, INDEX_SCALE_LW, C_ACCENT_MID);
		if (pd_known(sc->index_p05) && pd_known(sc->index_p95)) {
			float x0 = pd_scale_x(sc->index_p05.v, 0, 100, ix, iw);
			float x1 = pd_scale_x(sc->index_p95.v, 0, 100, ix, iw);

			pd_rect(p, x0, y - INDEX_BAR_H / 2.0f,
				x1 - x0 < INDEX_BAR_MIN_W ? INDEX_BAR_MIN_W : x1 - x0, INDEX_BAR_H,
				C_ACCENT_LIGHT);
		}
		if (pd_known(sc->index))
			pd_line(p, pd_scale_x(sc->index.v, 0, 100, ix, iw), y - INDEX_MARK_H,
				pd_scale_x(sc->index.v, 0, 100, ix, iw), y + INDEX_MARK_H, LW_TITLE,
				C_WHITE);
	}

	/* The five dimensions as horizontal bars on a shared 0-100 axis. */
	for (d = 0; d < DIM_COUNT; d++) {
		const struct sc_dimension *dim = &sc->dims[d];
		float ry = top - (float)d * SCORE_ROW;

		pd_text_box(p, p->reg, DIM_LABEL_SIZE, C_INK, cx, ry - DIM_LABEL_BASE,
			    lw - DIM_LABEL_GAP, AL_LEFT,
			    rep_dimension_label((enum cat_dimension)d, p->loc));
		pd_rect(p, tx, ry - DIM_BAR_TOP, tw, DIM_BAR_H, C_TRACK);
		if (pd_known(dim->score))
			pd_rect(p, tx, ry - DIM_BAR_TOP, pd_scale_x(dim->score.v, 0, 100, 0, tw),
				DIM_BAR_H, C_ACCENT);
		if ((rc = lbl_score(dim->score, p->loc, buf, sizeof(buf))) < 0)
			return rc;
		pd_text_box(p, p->bold, DIM_LABEL_SIZE, pd_known(dim->score) ? C_INK : C_GREY,
			    tx + tw + DIM_VALUE_GAP, ry - DIM_LABEL_BASE, vw, AL_RIGHT, buf);
	}
	/* Gridlines over the bars (white, so they read as notches) and the
	 * axis labels below. */
	y = top - DIM_COUNT * SCORE_ROW;
	for (i = 0; i <= 4; i++) {
		float gx = tx + tw * (float)i / 4.0f;

		if (i > 0 && i < 4)
			pd_line(p, gx, y + GRID_OVER, gx, top - GRID_OVER, LW_AXIS, C_WHITE);
		pd_line(p, gx, y + GRID_TICK, gx, y - GRID_DROP, LW_HAIR, C_GREY);
		lbl_say(buf, sizeof(buf), "%d", i * 25);
		pd_text_box(p, p->reg, GRID_LABEL_SIZE, C_GREY, gx - GRID_LABEL_W / 2.0f,
			    y - GRID_LABEL_BASE, GRID_LABEL_W, AL_CENTER, buf);
	}
	p->y = top - ph - SCORE_BELOW;
	return 0;
}

/* --- indicator tables ---------------------------------------------------------------- */

/* "● verde: obiettivo raggiunto · ▲ giallo: ..." with the marks in colour. */
int pds_legend(struct pdf *p)
{
	static const enum sc_status order[4] = {ST_GREEN, ST_AMBER, ST_RED, ST_NONE};
	char text[4][CELL];
	float total = 0.0f, size = LEGEND_SIZE, x = MARGIN, gap = LEGEND_GAP, mw[4];
	int i, rc;

	if ((rc = pd_need(p, LEGEND_KEEP)) < 0)
		return rc;
	for (i = 0; i < 4; i++) {
		const char *mark = fmt_status_mark(order[i]);

		lbl_say(text[i], sizeof(text[i]), "%s: %s", fmt_status_word(order[i], p->loc),
			lbl_status_meaning(order[i], p->loc));
		mw[i] = pd_width(p->reg, size, mark, strlen(mark)) + LEGEND_MARK_GAP;
		total += mw[i] + pd_width(p->reg, size, text[i], strlen(text[i])) + gap;
	}
	total -= gap;
	if (total > CONTENT_W) {
		size *= CONTENT_W / total * LEGEND_SHRINK;
		gap *= CONTENT_W / total * LEGEND_SHRINK;
		for (i = 0; i < 4; i++)
			mw[i] *= CONTENT_W / total * LEGEND_SHRINK;
	}
	for (i = 0; i < 4; i++) {
		pd_put(p, p->reg, size, pd_status_color(order[i]), x, p->y - LEGEND_BASE,
		       fmt_status_mark(order[i]));
		x += mw[i];
		pd_put(p, p->reg, size, C_INK, x, p->y - LEGEND_BASE, text[i]);
		x += pd_width(p->reg, size, text[i], strlen(text[i])) + gap;
	}
	p->y -= LEGEND_H;
	return 0;
}

/* The cells of one indicator (labels.h: nothing derived from a suppressed
 * value). */
static int indicator_cells(struct pdf *p, const struct sc_indicator *x, int stats, struct cell *c)
{
	struct lbl_row r;
	int rc;

	pd_cell_clear(c, MAXCOL);
	if ((rc = lbl_row(p->sc, x, &r)) < 0)
		return rc;
	pd_cell_set(&c[0], r.label);
	/* Breakdowns (out.signatories.association, ...) sit under their total. */
	if (r.breakdown) {
		c[0].indent = BREAKDOWN_INDENT;
		c[0].muted = 1;
	}
	lbl_say(pd_cell_buf(&c[1]), CELL, "%s", r.value);
	c[1].muted = r.suppressed;
	c[1].bold = !r.suppressed;
	lbl_say(pd_cell_buf(&c[2]), CELL, "%s", r.previous);
	c[3].kind = CK_DELTA;
	lbl_say(pd_cell_buf(&c[3]), CELL, "%s", r.delta);
	c[3].arrow = r.direction;
	lbl_say(pd_cell_buf(&c[4]), CELL, "%s", r.target);
	c[5].kind = CK_STATUS;
	c[5].status = r.status;
	if (stats) {
		lbl_say(pd_cell_buf(&c[6]), CELL, "%s", r.n);
		lbl_say(pd_cell_buf(&c[7]), CELL, "%s", r.interval);
	}
	return 0;
}

/* A dimension table's columns: header (it, en), its grey second line (1:
 * the period, 2: the previous one), its width without (0) and with (1) the
 * survey columns n and interval, which only the latter has (the last column
 * of each takes what the others leave), alignment and lines. */
static const struct dim_column {
	const char *it, *en;
	int sub;
	float w[2];
	enum align al;
	int lines;
} dim_columns[8] = {
	{"Indicatore", "Indicator", 0, {201.0f, 132.0f}, AL_LEFT, 3},
	{"Valore", "Value", 1, {62.0f, 52.0f}, AL_RIGHT, 1},
	{"Precedente", "Previous", 2, {62.0f, 52.0f}, AL_RIGHT, 1},
	{"Variazione", "Change", 0, {62.0f, 56.0f}, AL_RIGHT, 1},
	{"Obiettivo", "Target", 0, {56.0f, 48.0f}, AL_RIGHT, 1},
	{"Stato", "Status", 0, {0.0f, 52.0f}, AL_LEFT, 1},
	{"n", "n", 0, {0.0f, 26.0f}, AL_RIGHT, 1},
	{"Intervallo 95%", "95% interval", 0, {0.0f, 0.0f}, AL_RIGHT, 1},
};

int pds_dimension_table(struct pdf *p, enum cat_dimension d)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	float used = 0.0f;
	int i, rc, stats = lbl_dimension_has_stats(sc, d), any = 0;

	for (i = 0; i < cat_count && i < 64; i++)
		if (sc->ind[i].present && sc->ind[i].ind && sc->ind[i].ind->dimension == d)
			any = 1;
	if (!any)
		return 0;
	pd_table_init(&t, rep_dimension_label(d, p->loc), NULL);
	if ((rc = lbl_dimension_aside(sc, d, t.aside, sizeof(t.aside))) < 0)
		return rc;
	for (i = 0; i < (stats ? 8 : 6); i++) {
		const struct dim_column *k = &dim_columns[i];
		const char *sub = k->sub == 1	? sc->period
				  : k->sub == 2 ? sc->period_previous
						: NULL;
		/* The last column takes the rest of the width. */
		float w = i == (stats ? 7 : 5) ? CONTENT_W - used : k->w[stats];

		pd_column(&t, pd_tr(p, k->it, k->en), sub, w, k->al, k->lines);
		used += w;
	}
	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (!x->present || !x->ind || x->ind->dimension != d)
			continue;
		if ((rc = indicator_cells(p, x, stats, c)) < 0 || (rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

/* --- notes ------------------------------------------------------------------------------ */

int pds_notes(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char buf[TEXT_MAX], text[NOTES_SIZE];
	int ev = pdt_has_evidence(sc);
	int i, rc, total = sc->n_notes + ev + (sc->snapshot ? 1 : 0);

	if ((rc = pd_heading(p, pd_tr(p, "Note di metodo", "Notes on method"), NULL, NOTE_KEEP)) <
	    0)
		return rc;
	for (i = 0; i < total; i++) {
		const char *note;
		int n;

		if (i < sc->n_notes) {
			notes_text(sc, sc->notes[i], text, sizeof(text));
			note = text;
		} else if (i == sc->n_notes && ev) {
			/* The PDF's own word on what it publishes as written. */
			note = lbl_evidence_note(p->loc);
		} else {
			lbl_say(buf, sizeof(buf), "%s: %s",
				pd_tr(p, "Istantanea dei dati", "Data snapshot"), sc->snapshot);
			note = buf;
		}
		n = pd_count_lines(p->reg, NOTE_SIZE, CONTENT_W - NOTE_INDENT, NOTE_LINES, note);
		if ((rc = pd_need(p, (float)n * NOTE_LH + NOTE_GAP)) < 0)
			return rc;
		pd_put(p, p->reg, NOTE_SIZE, C_ACCENT, MARGIN + NOTE_BULLET_X, p->y - NOTE_BASE,
		       "•");
		pd_paragraph(p, p->reg, NOTE_SIZE, NOTE_LH, C_INK, MARGIN + NOTE_INDENT,
			     p->y - NOTE_BASE, CONTENT_W - NOTE_INDENT, AL_LEFT, NOTE_LINES, note);
		p->y -= (float)n * NOTE_LH + NOTE_GAP;
	}
	return 0;
}
