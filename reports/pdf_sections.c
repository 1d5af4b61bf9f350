/* pdf_sections: the PDF scorecards' sections on indicators (internal to
 * reports/, drawn by pdf.c with the primitives of pdf_draw.h): the headline
 * tiles and the dimension scores of page 1, the status legend, a dimension's
 * indicator table and the notes on method. */
#include "pdf_sections.h"

#include "pdf_territory.h"
#include "err.h"
#include "format.h"
#include "labels.h"

#include <string.h>

/* --- page 1: headline tiles -------------------------------------------------------- */

#define TILE_GAP 10.0f
#define TILE_PAD 11.0f

static float tile_height(struct pdf *p, const struct lbl_tile *t, float w)
{
	float h = TILE_PAD + 20.0f + 4.0f;

	h += (float)pd_count_lines(p->bold, 8.0f, w - 2 * TILE_PAD, 2, t->label) * 10.0f;
	if (t->sub[0])
		h += 2.0f + (float)pd_count_lines(p->reg, 7.0f, w - 2 * TILE_PAD, 3, t->sub) * 9.0f;
	return h + TILE_PAD - 2.0f;
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
		pd_rect(p, x, p->y - h, 3.0f, h, C_ACCENT);
		tw = w - 2 * TILE_PAD;
		pd_text_box(p, p->bold, 20.0f, C_ACCENT, x + TILE_PAD, y - 17.0f, tw, AL_LEFT,
			    t->value);
		y -= 24.0f;
		lines = pd_paragraph(p, p->bold, 8.0f, 10.0f, C_INK, x + TILE_PAD, y - 7.5f, tw,
				     AL_LEFT, 2, t->label);
		y -= (float)lines * 10.0f + 2.0f;
		if (t->sub[0])
			pd_paragraph(p, p->reg, 7.0f, 9.0f, C_GREY, x + TILE_PAD, y - 6.5f, tw,
				     AL_LEFT, 3, t->sub);
	}
	p->y -= h + TILE_GAP;
	return 0;
}

int pds_tiles(struct pdf *p)
{
	struct lbl_tile t[LBL_MAX_TILES];
	int rc, n;

	if ((rc = pd_heading(p, pd_tr(p, "I numeri chiave", "Key figures"), NULL, 70.0f)) < 0 ||
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
	p->y -= 4.0f;
	return rc;
}

/* --- page 1: dimension scores and index ------------------------------------------- */

#define SCORE_ROW 19.0f

int pds_scores(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const float pw = 150.0f, cx = MARGIN + pw + 20.0f, cw = CONTENT_W - pw - 20.0f;
	const float lw = 112.0f, vw = 34.0f, tx = cx + lw, tw = cw - lw - vw - 6.0f;
	float top, ph = DIM_COUNT * SCORE_ROW + 22.0f, y, ix = MARGIN + 12.0f, iw = pw - 24.0f;
	char buf[2 * CELL];
	int d, i, rc;

	rc = pd_heading(
		p, pd_tr(p, "Punteggi delle dimensioni e indice", "Dimension scores and index"),
		pd_tr(p, "scala 0–100: 100 = tutti gli obiettivi raggiunti",
		      "scale 0–100: 100 = every target met"),
		ph + 8.0f);
	if (rc)
		return rc;
	top = p->y - 2.0f;

	/* The index, prominent: a solid panel on the left. */
	pd_rect(p, MARGIN, top - ph, pw, ph, C_ACCENT);
	pd_text_box(p, p->bold, 8.5f, C_WHITE, MARGIN + 12.0f, top - 16.0f, pw - 24.0f, AL_LEFT,
		    pd_tr(p, "Indice complessivo", "Overall index"));
	if ((rc = lbl_score(sc->index, p->loc, buf, sizeof(buf))) < 0)
		return rc;
	pd_text_box(p, p->bold, 30.0f, C_WHITE, MARGIN + 12.0f, top - 50.0f, pw - 24.0f, AL_LEFT,
		    buf);
	pd_paragraph(p, p->reg, 7.0f, 8.8f, C_ACCENT_LIGHT, ix, top - 62.0f, iw, AL_LEFT, 2,
		     pd_known(sc->index)
			     ? pd_tr(p, "su 100: media pesata dei punteggi delle dimensioni",
				     "out of 100: weighted mean of the dimension scores")
			     : pd_tr(p, "non calcolabile: nessun punteggio di dimensione",
				     "not available: no dimension score"));
	if (sc->level == CAT_POLICY) {
		pd_text_box(p, p->reg, 7.0f, C_ACCENT_LIGHT, ix, top - 87.0f, iw, AL_LEFT,
			    pd_tr(p, "Al variare dei pesi (5°–95° percentile)",
				  "As weights vary (5th–95th percentile)"));
		if ((rc = lbl_score_range(sc->index_p05, sc->index_p95, p->loc, buf, sizeof(buf))) <
		    0)
			return rc;
		pd_text_box(p, p->bold, 8.5f, C_WHITE, ix, top - 98.0f, iw, AL_LEFT, buf);
		y = top - 109.0f;
		pd_line(p, MARGIN + 12.0f, y, MARGIN + pw - 12.0f, y, 0.8f, C_ACCENT_MID);
		if (pd_known(sc->index_p05) && pd_known(sc->index_p95)) {
			float x0 = pd_scale_x(sc->index_p05.v, 0, 100, MARGIN + 12.0f, pw - 24.0f);
			float x1 = pd_scale_x(sc->index_p95.v, 0, 100, MARGIN + 12.0f, pw - 24.0f);

			pd_rect(p, x0, y - 2.0f, x1 - x0 < 1.5f ? 1.5f : x1 - x0, 4.0f,
				C_ACCENT_LIGHT);
		}
		if (pd_known(sc->index))
			pd_line(p, pd_scale_x(sc->index.v, 0, 100, MARGIN + 12.0f, pw - 24.0f),
				y - 4.0f,
				pd_scale_x(sc->index.v, 0, 100, MARGIN + 12.0f, pw - 24.0f),
				y + 4.0f, 1.4f, C_WHITE);
	}

	/* The five dimensions as horizontal bars on a shared 0-100 axis. */
	for (d = 0; d < DIM_COUNT; d++) {
		const struct sc_dimension *dim = &sc->dims[d];
		float ry = top - (float)d * SCORE_ROW;

		pd_text_box(p, p->reg, 8.0f, C_INK, cx, ry - 11.5f, lw - 8.0f, AL_LEFT,
			    cat_dimension_label((enum cat_dimension)d, p->loc));
		pd_rect(p, tx, ry - 14.0f, tw, 9.0f, C_TRACK);
		if (pd_known(dim->score))
			pd_rect(p, tx, ry - 14.0f, pd_scale_x(dim->score.v, 0, 100, 0, tw), 9.0f,
				C_ACCENT);
		if ((rc = lbl_score(dim->score, p->loc, buf, sizeof(buf))) < 0)
			return rc;
		pd_text_box(p, p->bold, 8.0f, pd_known(dim->score) ? C_INK : C_GREY, tx + tw + 4.0f,
			    ry - 11.5f, vw, AL_RIGHT, buf);
	}
	/* Gridlines over the bars (white, so they read as notches) and the
	 * axis labels below. */
	y = top - DIM_COUNT * SCORE_ROW;
	for (i = 0; i <= 4; i++) {
		float gx = tx + tw * (float)i / 4.0f;

		if (i > 0 && i < 4)
			pd_line(p, gx, y + 3.0f, gx, top - 3.0f, 0.6f, C_WHITE);
		pd_line(p, gx, y + 2.0f, gx, y - 0.5f, 0.5f, C_GREY);
		lbl_say(buf, sizeof(buf), "%d", i * 25);
		pd_text_box(p, p->reg, 6.5f, C_GREY, gx - 12.0f, y - 8.0f, 24.0f, AL_CENTER, buf);
	}
	p->y = top - ph - 14.0f;
	return 0;
}

/* --- indicator tables ---------------------------------------------------------------- */

/* "● verde: obiettivo raggiunto · ▲ giallo: ..." with the marks in colour. */
int pds_legend(struct pdf *p)
{
	static const enum sc_status order[4] = {ST_GREEN, ST_AMBER, ST_RED, ST_NONE};
	char text[4][CELL];
	float total = 0.0f, size = 7.0f, x = MARGIN, gap = 12.0f, mw[4];
	int i, rc;

	if ((rc = pd_need(p, 16.0f)) < 0)
		return rc;
	for (i = 0; i < 4; i++) {
		const char *mark = fmt_status_mark(order[i]);

		lbl_say(text[i], sizeof(text[i]), "%s: %s", fmt_status_word(order[i], p->loc),
			lbl_status_meaning(order[i], p->loc));
		mw[i] = pd_width(p->reg, size, mark, strlen(mark)) + 2.5f;
		total += mw[i] + pd_width(p->reg, size, text[i], strlen(text[i])) + gap;
	}
	total -= gap;
	if (total > CONTENT_W) {
		size *= CONTENT_W / total * 0.99f;
		gap *= CONTENT_W / total * 0.99f;
		for (i = 0; i < 4; i++)
			mw[i] *= CONTENT_W / total * 0.99f;
	}
	for (i = 0; i < 4; i++) {
		pd_put(p, p->reg, size, pd_status_color(order[i]), x, p->y - 8.0f,
		       fmt_status_mark(order[i]));
		x += mw[i];
		pd_put(p, p->reg, size, C_INK, x, p->y - 8.0f, text[i]);
		x += pd_width(p->reg, size, text[i], strlen(text[i])) + gap;
	}
	p->y -= 18.0f;
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
		c[0].indent = 9.0f;
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
	pd_table_init(&t, cat_dimension_label(d, p->loc), NULL);
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
	char buf[TEXT_MAX];
	int ev = pdt_has_evidence(sc);
	int i, rc, total = sc->n_notes + ev + (sc->snapshot ? 1 : 0);

	if ((rc = pd_heading(p, pd_tr(p, "Note di metodo", "Notes on method"), NULL, 24.0f)) < 0)
		return rc;
	for (i = 0; i < total; i++) {
		const char *note;
		int n;

		if (i < sc->n_notes) {
			note = sc->notes[i] ? sc->notes[i] : "";
		} else if (i == sc->n_notes && ev) {
			/* The PDF's own word on what it publishes as written. */
			note = lbl_evidence_note(p->loc);
		} else {
			lbl_say(buf, sizeof(buf), "%s: %s",
				pd_tr(p, "Istantanea dei dati", "Data snapshot"), sc->snapshot);
			note = buf;
		}
		n = pd_count_lines(p->reg, 7.5f, CONTENT_W - 12.0f, 12, note);
		if ((rc = pd_need(p, (float)n * 10.0f + 4.0f)) < 0)
			return rc;
		pd_put(p, p->reg, 7.5f, C_ACCENT, MARGIN + 1.0f, p->y - 8.0f, "•");
		pd_paragraph(p, p->reg, 7.5f, 10.0f, C_INK, MARGIN + 12.0f, p->y - 8.0f,
			     CONTENT_W - 12.0f, AL_LEFT, 12, note);
		p->y -= (float)n * 10.0f + 4.0f;
	}
	return 0;
}
