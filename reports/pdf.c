#include "pdf.h"

#include "pdf_draw.h"
#include "pdf_fonts.h"
#include "pdf_territory.h"
#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"
#include "notes.h"

#include <hpdf.h>
#include <hpdf_doc.h>	  /* HPDF_Doc_RegisterFontDef: load_font, below */
#include <hpdf_encoder.h> /* HPDF_CMapEncoderAttr: new_fonts, below */
#include <hpdf_fontdef.h> /* HPDF_TTFontDef_Load */
#include <hpdf_font.h>	  /* HPDF_FontAttr: the ToUnicode repair, below */
#include <hpdf_streams.h> /* HPDF_MemStream_FreeData */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A libharu handle kept from one document to the next: the TrueType fonts
 * are parsed once, and libharu recycles their definitions for every new
 * document (HPDF_NewDoc resets their used-glyph marks), so each document
 * embeds exactly the subset it uses, as a fresh handle would. */
struct rep_pdf {
	HPDF_Doc doc;
	struct herr err;
	int used;   /* a document was made: the next one needs HPDF_NewDoc */
	int loaded; /* the fonts' definitions are in the handle */
	char reg_name[128], bold_name[128];
	HPDF_UINT16 (*cid_map)[256]; /* the UTF-8 encoder's, kept: new_fonts */
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	struct herr *e = data;

	if (!e->set) {
		e->set = 1;
		e->code = (unsigned long)code;
		e->detail = (unsigned long)detail;
	}
}

/* --- page 1: header -------------------------------------------------------------- */

/* The title block: kicker, names, facts on the left; the period and the
 * as-of date, large, on the right; an accent rule below. */
static int draw_page_header(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const float rw = 150.0f, lw = CONTENT_W - rw - 16.0f, rx = MARGIN + CONTENT_W - rw;
	float top = p->y, y = top, size, lh;
	char a[CELL], line_buf[TEXT_MAX], big[TEXT_MAX];
	int agreement = sc->level == CAT_AGREEMENT, n, rc;

	pd_text_box(p, p->bold, 7.5f, C_ACCENT, MARGIN, y - 7.0f, lw, AL_LEFT, lbl_kicker(sc));
	/* The period block is two lines high (to top - 36): below it, text
	 * takes the full width. */
	pd_text_box(p, p->bold, 20.0f, C_ACCENT, rx, top - 19.0f, rw, AL_RIGHT, sc->period);
	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, a, sizeof(a))) < 0)
		return rc;
	lbl_say(line_buf, sizeof(line_buf), "%s %s", pd_tr(p, "dati al", "data as of"), a);
	pd_text_box(p, p->bold, 8.0f, C_INK, rx, top - 32.0f, rw, AL_RIGHT, line_buf);
	y -= 18.0f;
	if (agreement) {
		const char *title = sc->agreement_title ? sc->agreement_title : fmt_null;

		pd_text_box(p, p->bold, 10.0f, C_ACCENT, MARGIN, y - 9.0f, lw, AL_LEFT,
			    sc->policy_name ? sc->policy_name : fmt_null);
		y -= 20.0f;
		/* Long titles wrap; very long ones are set smaller rather
		 * than cut. */
		size = 16.0f;
		lh = 19.5f;
		if (pd_count_lines(p->bold, size, CONTENT_W, 8, title) > 3) {
			size = 13.0f;
			lh = 16.0f;
		}
		n = pd_paragraph(p, p->bold, size, lh, C_INK, MARGIN, y - size * 0.95f, CONTENT_W,
				 AL_LEFT, 8, title);
		y -= (float)n * lh + 6.0f;
		lbl_say(line_buf, sizeof(line_buf), "%s %s · %s: %s",
			pd_tr(p, "Accordo", "Agreement"),
			sc->agreement_code ? sc->agreement_code : fmt_null,
			pd_tr(p, "stato", "status"),
			fmt_agreement_status(sc->agreement_status, p->loc));
		pd_text_box(p, p->reg, 8.0f, C_INK, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, line_buf);
		y -= 11.5f;
		lbl_neighbourhoods(sc, big, sizeof(big));
		lbl_say(line_buf, sizeof(line_buf), "%s: %s",
			sc->n_neighbourhoods == 1 ? pd_tr(p, "Quartiere", "Neighbourhood")
						  : pd_tr(p, "Quartieri", "Neighbourhoods"),
			big[0] ? big : fmt_null);
		n = pd_paragraph(p, p->reg, 8.0f, 10.5f, C_INK, MARGIN, y - 8.0f, CONTENT_W,
				 AL_LEFT, 3, line_buf);
		y -= (float)n * 10.5f + 1.0f;
		if ((rc = lbl_lifecycle(sc, big, sizeof(big))) < 0)
			return rc;
		lbl_say(line_buf, sizeof(line_buf), "%s: %s", pd_tr(p, "Percorso", "Lifecycle"),
			big);
		n = pd_paragraph(p, p->reg, 8.0f, 10.5f, C_GREY, MARGIN, y - 8.0f, CONTENT_W,
				 AL_LEFT, 2, line_buf);
		y -= (float)n * 10.5f + 1.0f;
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		if ((rc = pdt_header(p, lw, &y)) < 0)
			return rc;
	} else {
		/* Only the first line of the name sits beside the period. */
		struct lines l;

		pd_wrap2(p->bold, 20.0f, sc->policy_name ? sc->policy_name : fmt_null, lw, 1,
			 CONTENT_W, 3, &l);
		for (n = 0; n < l.n; n++)
			pd_draw_line(p, p->bold, 20.0f, C_INK, MARGIN, y - 19.0f - (float)n * 24.0f,
				     n ? CONTENT_W : lw, AL_LEFT, &l, n);
		y -= (float)n * 24.0f + 6.0f;
		lbl_say(line_buf, sizeof(line_buf), "%s %s", pd_tr(p, "Politica", "Policy"),
			sc->policy_code ? sc->policy_code : fmt_null);
		pd_text_box(p, p->reg, 8.0f, C_INK, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, line_buf);
		y -= 11.5f;
	}
	if ((rc = lbl_period(sc, line_buf, sizeof(line_buf))) < 0)
		return rc;
	n = pd_paragraph(p, p->reg, 8.0f, 10.5f, C_GREY, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, 2,
			 line_buf);
	y -= (float)n * 10.5f;
	if (y > top - 44.0f)
		y = top - 44.0f;
	y -= 7.0f;
	pd_line(p, MARGIN, y, MARGIN + CONTENT_W, y, 1.4f, C_ACCENT);
	p->y = y - 10.0f;
	return 0;
}

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

static int draw_tiles(struct pdf *p)
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

static int draw_scores(struct pdf *p)
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
			    rep_dimension_label((enum cat_dimension)d, p->loc));
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

/* --- page 1: trends ------------------------------------------------------------------ */

static int trend_text(const struct pdf *p, int k, struct sc_num v, char *buf, size_t size)
{
	if (k < 0)
		return lbl_score(v, p->loc, buf, size);
	return fmt_value(v, cat_indicators[sc_trend_ids[k]].unit, p->loc, buf, size);
}

static int trend_chart(struct pdf *p, int k, float x, float top, float w, float h)
{
	const struct scorecard *sc = p->sc;
	const struct cat_indicator *ind = k < 0 ? NULL : &cat_indicators[sc_trend_ids[k]];
	const char *unit = ind ? ind->unit : NULL;
	const float px1 = x + w - 4.0f, py0 = top - h + 13.0f, py1 = top - 34.0f;
	float ax, px0;
	double lo = 0.0, hi = 0.0;
	char buf[CELL], lo_t[CELL], hi_t[CELL];
	int i, any = 0, prev = -1, rc, n = sc->n_trend;
	struct sc_num last = n > 0 ? lbl_trend_value(sc, k, n - 1) : pd_null_num;

	pd_text_box(p, p->bold, 7.5f, C_INK, x, top - 7.0f, w, AL_LEFT,
		    k < 0 ? pd_tr(p, "Indice complessivo", "Overall index")
			  : rep_label(ind, p->loc));
	if (ind && sc_ind(sc, sc_trend_ids[k]) && sc_ind(sc, sc_trend_ids[k])->suppressed)
		lbl_say(buf, sizeof(buf), "%s", pd_tr(p, "soppresso", "suppressed"));
	else if ((rc = trend_text(p, k, last, buf, sizeof(buf))) < 0)
		return rc;
	pd_text_box(p, p->bold, 11.0f, pd_known(last) ? C_ACCENT : C_GREY, x, top - 21.0f, w,
		    AL_LEFT, buf);

	any = lbl_trend_scale(sc, k, &lo, &hi);
	/* Axis ends: whole numbers, except the largest of a series, which is
	 * one of its values and is printed like them, in full: the labels
	 * decide how much room the axis takes. */
	if ((rc = fmt_number(lo, 0, p->loc, lo_t, sizeof(lo_t))) < 0)
		return rc;
	if (k < 0 || (unit && strcmp(unit, "score") == 0))
		rc = fmt_number(hi, 0, p->loc, hi_t, sizeof(hi_t));
	else
		rc = fmt_value(pd_num(hi), unit, p->loc, hi_t, sizeof(hi_t));
	if (rc < 0)
		return rc;
	ax = pd_width(p->reg, 6.0f, hi_t, strlen(hi_t));
	if (pd_width(p->reg, 6.0f, lo_t, strlen(lo_t)) > ax)
		ax = pd_width(p->reg, 6.0f, lo_t, strlen(lo_t));
	ax += 6.0f;
	if (ax < 20.0f)
		ax = 20.0f;
	if (ax > w / 2.0f)
		ax = w / 2.0f;
	px0 = x + ax;
	pd_line(p, px0, py0, px1, py0, 0.6f, C_RULE);
	pd_line(p, px0, py1, px1, py1, 0.3f, C_RULE);
	if (any) {
		pd_text_box(p, p->reg, 6.0f, C_GREY, x, py1 - 2.0f, ax - 4.0f, AL_RIGHT, hi_t);
		pd_text_box(p, p->reg, 6.0f, C_GREY, x, py0 - 2.0f, ax - 4.0f, AL_RIGHT, lo_t);
	} else {
		pd_text_box(p, p->reg, 7.0f, C_GREY, px0, (py0 + py1) / 2.0f - 2.0f, px1 - px0,
			    AL_CENTER, pd_tr(p, "nessun dato", "no data"));
	}
	if (n > 0) {
		pd_text_box(p, p->reg, 6.0f, C_GREY, px0 - 10.0f, py0 - 9.5f, 60.0f, AL_LEFT,
			    sc->trend[0].period);
		if (n > 1)
			pd_text_box(p, p->reg, 6.0f, C_GREY, px1 - 60.0f, py0 - 9.5f, 60.0f,
				    AL_RIGHT, sc->trend[n - 1].period);
	}
	/* Ticks for every quarter, so that a missing point shows as a gap. */
	for (i = 0; i < n; i++) {
		float xi =
			n > 1 ? px0 + (px1 - px0) * (float)i / (float)(n - 1) : (px0 + px1) / 2.0f;

		pd_line(p, xi, py0, xi, py0 - 2.0f, 0.5f, C_RULE);
	}
	/* The line: segments between consecutive known points only. */
	for (i = 0; i < n; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);
		float xi =
			n > 1 ? px0 + (px1 - px0) * (float)i / (float)(n - 1) : (px0 + px1) / 2.0f;
		float yi;

		if (!pd_known(v)) {
			prev = -1;
			continue;
		}
		yi = py0 + (float)((v.v - lo) / (hi - lo)) * (py1 - py0);
		if (yi < py0)
			yi = py0;
		if (yi > py1)
			yi = py1;
		if (prev >= 0) {
			struct sc_num pv = lbl_trend_value(sc, k, prev);
			float xp = px0 + (px1 - px0) * (float)prev / (float)(n - 1);
			float yp = py0 + (float)((pv.v - lo) / (hi - lo)) * (py1 - py0);

			if (yp < py0)
				yp = py0;
			if (yp > py1)
				yp = py1;
			pd_line(p, xp, yp, xi, yi, 1.3f, C_ACCENT);
		}
		pd_dot(p, xi, yi, i == n - 1 ? 2.4f : 1.5f, C_ACCENT);
		prev = i;
	}
	return 0;
}

/* The trend charts' height, within reason, and the gap below each row. */
#define TREND_MIN_H 80.0f
#define TREND_MAX_H 110.0f
#define TREND_ROW_GAP 10.0f

/* whole: the charts stay on one page, the next when they do not fit here. */
static int draw_trends(struct pdf *p, int whole)
{
	const int cols = 3, count = 1 + sc_trend_count, rows = (count + cols - 1) / cols;
	const float gap = 18.0f, w = (CONTENT_W - (float)(cols - 1) * gap) / (float)cols;
	float h;
	char aside[CELL];
	int i, rc;

	if (whole && p->y - BOTTOM - HEADING_H < (float)rows * (TREND_MIN_H + TREND_ROW_GAP) &&
	    (rc = pd_new_page(p)) < 0)
		return rc;
	/* The charts share what is left of page 1, within reason. */
	h = (p->y - BOTTOM - HEADING_H) / (float)rows - TREND_ROW_GAP;
	if (h > TREND_MAX_H)
		h = TREND_MAX_H;
	if (h < TREND_MIN_H)
		h = TREND_MIN_H;
	if (p->sc->n_trend > 0)
		lbl_say(aside, sizeof(aside), "%s – %s", p->sc->trend[0].period,
			p->sc->trend[p->sc->n_trend - 1].period);
	else
		aside[0] = '\0';
	rc = pd_heading(
		p, pd_tr(p, "Andamento negli ultimi trimestri", "Trend over the last quarters"),
		aside, p->sc->n_trend > 0 ? h : 14.0f);
	if (rc)
		return rc;
	if (p->sc->n_trend == 0 || !p->sc->trend) {
		pd_text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			    pd_tr(p, "Nessun trimestre da mostrare.", "No quarter to show."));
		p->y -= 26.0f;
		return 0;
	}
	for (i = 0; i < count; i++) {
		int col = i % cols;

		if (col == 0 && i > 0) {
			p->y -= h + TREND_ROW_GAP;
			if ((rc = pd_need(p, h)) < 0)
				return rc;
		}
		rc = trend_chart(p, i - 1, MARGIN + (float)col * (w + gap), p->y, w, h);
		if (rc)
			return rc;
	}
	p->y -= h + TREND_ROW_GAP;
	return 0;
}

/* --- indicator tables ---------------------------------------------------------------- */

/* "● verde: obiettivo raggiunto · ▲ giallo: ..." with the marks in colour. */
static int draw_legend(struct pdf *p)
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

static int dimension_table(struct pdf *p, enum cat_dimension d)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc, stats = lbl_dimension_has_stats(sc, d), any = 0;

	for (i = 0; i < cat_count && i < 64; i++)
		if (sc->ind[i].present && sc->ind[i].ind && sc->ind[i].ind->dimension == d)
			any = 1;
	if (!any)
		return 0;
	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s", rep_dimension_label(d, p->loc));
	if ((rc = lbl_dimension_aside(sc, d, t.aside, sizeof(t.aside))) < 0)
		return rc;
	if (stats) {
		pd_column(&t, pd_tr(p, "Indicatore", "Indicator"), NULL, 132.0f, AL_LEFT, 3);
		pd_column(&t, pd_tr(p, "Valore", "Value"), sc->period, 52.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Precedente", "Previous"), sc->period_previous, 52.0f,
			  AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Variazione", "Change"), NULL, 56.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Obiettivo", "Target"), NULL, 48.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Stato", "Status"), NULL, 52.0f, AL_LEFT, 1);
		pd_column(&t, "n", NULL, 26.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Intervallo 95%", "95% interval"), NULL, CONTENT_W - 418.0f,
			  AL_RIGHT, 1);
	} else {
		pd_column(&t, pd_tr(p, "Indicatore", "Indicator"), NULL, 201.0f, AL_LEFT, 3);
		pd_column(&t, pd_tr(p, "Valore", "Value"), sc->period, 62.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Precedente", "Previous"), sc->period_previous, 62.0f,
			  AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Variazione", "Change"), NULL, 62.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Obiettivo", "Target"), NULL, 56.0f, AL_RIGHT, 1);
		pd_column(&t, pd_tr(p, "Stato", "Status"), NULL, CONTENT_W - 443.0f, AL_LEFT, 1);
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

/* --- agreement: ex ante, projects, milestones -------------------------------------- */

static int draw_ex_ante(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s",
		pd_tr(p, "Valutazione ex ante", "Ex-ante evaluation"));
	lbl_say(t.aside, sizeof(t.aside), "%s",
		pd_tr(p, "superata se ogni criterio vale almeno 3 su 5",
		      "passed when every criterion scores at least 3 out of 5"));
	pd_column(&t, pd_tr(p, "Criterio", "Criterion"), NULL, 170.0f, AL_LEFT, 1);
	pd_column(&t, pd_tr(p, "Punteggio", "Score"), NULL, 70.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Scala da 1 a 5", "Scale 1 to 5"), NULL, CONTENT_W - 240.0f, AL_LEFT,
		  1);
	for (i = 0; i < 4; i++) {
		struct sc_num v = i < 3 ? sc->ex_ante[i] : sc->ex_ante_mean;

		pd_cell_clear(c, MAXCOL);
		pd_cell_set(&c[0],
			    i < 3 ? fmt_ex_ante_label(i, p->loc) : pd_tr(p, "Media", "Mean"));
		c[0].bold = c[1].bold = i == 3;
		if ((rc = fmt_value(v, "score", p->loc, pd_cell_buf(&c[1]), CELL)) < 0)
			return rc;
		c[2].kind = CK_SCORE5;
		c[2].v[0] = v;
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_cell_clear(c, MAXCOL);
	pd_cell_set(&c[0], pd_tr(p, "Esito", "Outcome"));
	c[0].bold = 1;
	c[2].kind = CK_STATUS;
	c[2].status = sc->ex_ante_passed ? ST_GREEN : ST_RED;
	c[2].bold = 1;
	pd_cell_set(&c[2], lbl_ex_ante_outcome(sc));
	if ((rc = pd_table_row(p, &t, c)) < 0)
		return rc;
	pd_table_end(p, &t);
	return 0;
}

/* Swatches explaining the budget bars. */
static void budget_legend(struct pdf *p)
{
	const struct rgb colors[3] = {C_ACCENT, C_ACCENT_MID, C_ACCENT_LIGHT};
	const char *words[3] = {pd_tr(p, "speso", "spent"), pd_tr(p, "impegnato", "committed"),
				pd_tr(p, "stanziato", "allocated")};
	float x = MARGIN;
	int i;

	for (i = 0; i < 3; i++) {
		pd_rect(p, x, p->y - 8.0f, 10.0f, 6.5f, colors[i]);
		x += 13.0f;
		pd_put(p, p->reg, 7.0f, C_INK, x, p->y - 7.5f, words[i]);
		x += pd_width(p->reg, 7.0f, words[i], strlen(words[i])) + 14.0f;
	}
	p->y -= 14.0f;
}

static int draw_projects(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s",
		pd_tr(p, "Progetti e budget", "Projects and budget"));
	if (sc->n_projects == 0 || !sc->projects) {
		char buf[CELL], d[CELL];

		if ((rc = pd_heading(p, t.title, NULL, 14.0f)) < 0 ||
		    (rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d))) < 0)
			return rc;
		lbl_say(buf, sizeof(buf), "%s %s.",
			pd_tr(p, "Nessun progetto definito al", "No project defined as of"), d);
		pd_text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT, buf);
		p->y -= 26.0f;
		return 0;
	}
	pd_column(&t, pd_tr(p, "Progetto", "Project"), NULL, 180.0f, AL_LEFT, 3);
	pd_column(&t, pd_tr(p, "Budget", "Budget"), NULL, 212.0f, AL_LEFT, 1);
	pd_column(&t, pd_tr(p, "Tappe", "Milestones"), NULL, CONTENT_W - 392.0f, AL_LEFT, 2);
	for (i = 0; i < sc->n_projects; i++) {
		const struct sc_project *pr = &sc->projects[i];
		struct lbl_project lp;

		if ((rc = lbl_project(pr, p->loc, &lp)) < 0)
			return rc;
		pd_cell_clear(c, MAXCOL);
		pd_cell_set(&c[0], pr->title ? pr->title : fmt_null);
		c[0].bold = 1;
		lbl_say(c[0].subbuf, CELL, "%s", lp.sub);
		c[0].sub = c[0].subbuf;
		c[1].kind = CK_BUDGET;
		c[1].v[0] = pd_num(pr->allocated);
		c[1].v[1] = pd_num(pr->committed);
		c[1].v[2] = pd_num(pr->spent);
		lbl_say(pd_cell_buf(&c[1]), CELL, "%s", lp.budget);
		lbl_say(pd_cell_buf(&c[2]), CELL, "%s", lp.milestones);
		lbl_say(c[2].subbuf, CELL, "%s", lp.milestones_sub);
		c[2].sub = c[2].subbuf;
		if (t.rows == 0 && !t.started) {
			/* The legend belongs right under the title. */
			float h = pd_row_height(p, &t, c);

			if ((rc = pd_heading(p, t.title, NULL,
					     14.0f + pd_header_height(p, &t) + h)) < 0)
				return rc;
			budget_legend(p);
			pd_draw_header(p, &t);
			t.started = 1;
		}
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

static int draw_milestones(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s",
		pd_tr(p, "Tappe dei progetti", "Project milestones"));
	if (sc->n_milestones == 0 || !sc->milestones) {
		if ((rc = pd_heading(p, t.title, NULL, 14.0f)) < 0)
			return rc;
		pd_text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			    pd_tr(p, "Nessuna tappa prevista.", "No milestone planned."));
		p->y -= 26.0f;
		return 0;
	}
	pd_column(&t, pd_tr(p, "Progetto", "Project"), NULL, 66.0f, AL_LEFT, 1);
	pd_column(&t, pd_tr(p, "Tappa", "Milestone"), NULL, 191.0f, AL_LEFT, 3);
	pd_column(&t, pd_tr(p, "Scadenza", "Due"), NULL, 62.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Raggiunta", "Achieved"), NULL, 62.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Esito", "Outcome"), NULL, CONTENT_W - 381.0f, AL_LEFT, 1);
	for (i = 0; i < sc->n_milestones; i++) {
		const struct sc_milestone *m = &sc->milestones[i];
		const char *word;
		int done;

		pd_cell_clear(c, MAXCOL);
		c[4].kind = CK_STATUS;
		c[4].status = lbl_milestone(sc, m, &done, &word);
		pd_cell_set(&c[4], word);
		pd_cell_set(&c[0], m->project_code ? m->project_code : fmt_null);
		c[0].muted = 1;
		pd_cell_set(&c[1], m->title ? m->title : fmt_null);
		if ((rc = fmt_date(m->due_on, FMT_DATE_SHORT, p->loc, pd_cell_buf(&c[2]), CELL)) <
			    0 ||
		    (rc = fmt_date(done ? m->achieved_on : NULL, FMT_DATE_SHORT, p->loc,
				   pd_cell_buf(&c[3]), CELL)) < 0)
			return rc;
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

/* --- policy: ranking ------------------------------------------------------------------ */

static int draw_ranks(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	char range_title[CELL], nb[CELL];
	double n;
	int i, rc;

	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s",
		pd_tr(p, "Accordi per indice", "Agreements ranked by index"));
	lbl_say(t.aside, sizeof(t.aside), "%s",
		pd_tr(p, "posizione e sua variabilità al variare dei pesi",
		      "rank and how it varies as the weights vary"));
	if (sc->n_ranks == 0 || !sc->ranks) {
		if ((rc = pd_heading(p, t.title, NULL, 14.0f)) < 0)
			return rc;
		pd_text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			    pd_tr(p, "Nessun accordo nel periodo.", "No agreement in the period."));
		p->y -= 26.0f;
		return 0;
	}
	/* The scale of the range bars: 1 to the worst rank or percentile. */
	n = lbl_rank_scale(sc);
	if ((rc = fmt_number(n, 0, p->loc, nb, sizeof(nb))) < 0)
		return rc;
	lbl_say(range_title, sizeof(range_title), "%s 1–%s",
		pd_tr(p, "Intervallo di posizione, scala", "Rank range, scale"), nb);
	/* One line per agreement where the title allows: 300 agreements
	 * take about eight pages. */
	pd_column(&t, pd_tr(p, "Pos.", "Rank"), NULL, 30.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Codice", "Code"), NULL, 52.0f, AL_LEFT, 1);
	pd_column(&t, pd_tr(p, "Accordo", "Agreement"), NULL, 185.0f, AL_LEFT, 3);
	pd_column(&t, pd_tr(p, "Indice", "Index"), NULL, 40.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Posizioni 5°–95°", "Ranks 5th–95th"), NULL, 60.0f, AL_RIGHT, 1);
	pd_column(&t, range_title,
		  pd_tr(p, "punto: posizione · barra: 5°–95° percentile",
			"dot: rank · bar: 5th–95th percentile"),
		  CONTENT_W - 367.0f, AL_LEFT, 1);
	for (i = 0; i < sc->n_ranks; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		pd_cell_clear(c, MAXCOL);
		if ((rc = lbl_rank(k, p->loc, pd_cell_buf(&c[0]), CELL)) < 0)
			return rc;
		c[0].bold = 1;
		pd_cell_set(&c[1], k->agreement_code ? k->agreement_code : fmt_null);
		c[1].muted = 1;
		pd_cell_set(&c[2], k->agreement_title ? k->agreement_title : fmt_null);
		if ((rc = lbl_score(k->index, p->loc, pd_cell_buf(&c[3]), CELL)) < 0 ||
		    (rc = lbl_rank_range(k, p->loc, pd_cell_buf(&c[4]), CELL)) < 0)
			return rc;
		c[3].bold = 1;
		c[4].muted = !(k->rank_p05.set && k->rank_p95.set);
		c[5].kind = CK_RANGE;
		c[5].v[0] = k->rank_p05;
		c[5].v[1] = k->rank_p95;
		c[5].v[2] = k->rank > 0 ? pd_num(k->rank) : pd_null_num;
		c[5].v[3] = pd_num(n);
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

/* --- notes ------------------------------------------------------------------------------ */

static int draw_notes(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char buf[TEXT_MAX], text[NOTES_SIZE];
	int ev = pdt_has_evidence(sc);
	int i, rc, total = sc->n_notes + ev + (sc->snapshot ? 1 : 0);

	if ((rc = pd_heading(p, pd_tr(p, "Note di metodo", "Notes on method"), NULL, 24.0f)) < 0)
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

/* --- footers, running headers, metadata --------------------------------------------------- */

static int draw_frames(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char left[4 * CELL], right[CELL], a[CELL], b[CELL], asof[CELL];
	int i, rc;

	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, asof, sizeof(asof))) < 0)
		return rc;
	for (i = 0; i < p->n_pages; i++) {
		p->page = p->pages[i];
		if ((rc = pd_int_text(p, i + 1, a, sizeof(a))) < 0 ||
		    (rc = pd_int_text(p, p->n_pages, b, sizeof(b))) < 0)
			return rc;
		lbl_say(right, sizeof(right), "%s %s %s %s", pd_tr(p, "pagina", "page"), a,
			pd_tr(p, "di", "of"), b);
		lbl_say(left, sizeof(left), "%s · %s · %s",
			pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
			sc->policy_name ? sc->policy_name : fmt_null, sc->period);
		pd_line(p, MARGIN, FOOTER_Y + 11.0f, MARGIN + CONTENT_W, FOOTER_Y + 11.0f, 0.5f,
			C_RULE);
		pd_text_box(p, p->reg, 7.0f, C_GREY, MARGIN, FOOTER_Y, CONTENT_W - 110.0f, AL_LEFT,
			    left);
		pd_text_box(p, p->bold, 7.0f, C_GREY, MARGIN + CONTENT_W - 100.0f, FOOTER_Y, 100.0f,
			    AL_RIGHT, right);
		if (i == 0)
			continue;
		/* Pages after the first say whose scorecard they belong to. */
		if (sc->level == CAT_AGREEMENT)
			lbl_say(left, sizeof(left), "%s — %s",
				sc->agreement_code ? sc->agreement_code : fmt_null,
				sc->agreement_title ? sc->agreement_title : fmt_null);
		else if (sc->level == CAT_NEIGHBOURHOOD)
			lbl_say(left, sizeof(left), "%s %s — %s",
				pd_tr(p, "Quartiere", "Neighbourhood"),
				sc->neighbourhood.name	 ? sc->neighbourhood.name
				: sc->neighbourhood.code ? sc->neighbourhood.code
							 : fmt_null,
				sc->policy_name ? sc->policy_name : fmt_null);
		else
			lbl_say(left, sizeof(left), "%s",
				sc->policy_name ? sc->policy_name : fmt_null);
		lbl_say(right, sizeof(right), "%s · %s %s", sc->period,
			pd_tr(p, "dati al", "data as of"), asof);
		pd_text_box(p, p->bold, 7.5f, C_INK, MARGIN, PAGE_H - 38.0f, CONTENT_W - 170.0f,
			    AL_LEFT, left);
		pd_text_box(p, p->reg, 7.5f, C_GREY, MARGIN + CONTENT_W - 160.0f, PAGE_H - 38.0f,
			    160.0f, AL_RIGHT, right);
		pd_line(p, MARGIN, PAGE_H - 45.0f, MARGIN + CONTENT_W, PAGE_H - 45.0f, 0.5f,
			C_RULE);
	}
	return 0;
}

/* Sets an info string (UTF-8; libharu stores it as UTF-16). */
static void __attribute__((format(printf, 3, 4)))
info(struct pdf *p, HPDF_InfoType type, const char *fmt, ...)
{
	char raw[2 * TEXT_MAX / 4], buf[2 * TEXT_MAX / 4];
	va_list ap;

	va_start(ap, fmt);
	lbl_vsay(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	pd_clean(raw, buf, sizeof(buf));
	HPDF_SetInfoAttr(p->doc, type, buf);
}

static int metadata(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	const char *name = sc->policy_name ? sc->policy_name : "";
	HPDF_Date date;
	char d[CELL];
	int y, m, day, rc;

	/* The creation date comes from the data, never from the clock: the
	 * as-of date, so that identical scorecards give identical bytes.
	 * fmt_date checks that it is a calendar date. */
	if ((rc = fmt_date(sc->period_end, FMT_DATE_SHORT, "it", d, sizeof(d))) < 0)
		return rc;
	if (sscanf(sc->period_end, "%4d-%2d-%2d", &y, &m, &day) != 3)
		return err_set(ERR_FAIL, "PDF: bad as-of date %s", sc->period_end);
	memset(&date, 0, sizeof(date));
	date.year = y;
	date.month = m;
	date.day = day;
	date.ind = 'Z';
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, date);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, date);
	if (sc->level == CAT_AGREEMENT) {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->agreement_title ? sc->agreement_title : "", sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione dell'accordo di cittadinanza",
			   "Evaluation of citizenship agreement"),
		     sc->agreement_code ? sc->agreement_code : "", pd_tr(p, "periodo", "period"),
		     sc->period);
	} else if (sc->level == CAT_NEIGHBOURHOOD) {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->neighbourhood.name ? sc->neighbourhood.name : "", sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione del quartiere", "Evaluation of neighbourhood"),
		     sc->neighbourhood.code ? sc->neighbourhood.code : "",
		     pd_tr(p, "periodo", "period"), sc->period);
	} else {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s",
		     pd_tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     pd_tr(p, "Valutazione della politica", "Evaluation of policy"),
		     sc->policy_code ? sc->policy_code : "", pd_tr(p, "periodo", "period"),
		     sc->period);
	}
	info(p, HPDF_INFO_AUTHOR, "%s", name);
	info(p, HPDF_INFO_CREATOR, "%s", "cruscotto");
	if (sc->level == CAT_AGREEMENT)
		info(p, HPDF_INFO_KEYWORDS, "%s %s %s", sc->policy_code ? sc->policy_code : "",
		     sc->agreement_code ? sc->agreement_code : "", sc->period);
	else if (sc->level == CAT_NEIGHBOURHOOD)
		info(p, HPDF_INFO_KEYWORDS, "%s %s %s", sc->policy_code ? sc->policy_code : "",
		     sc->neighbourhood.code ? sc->neighbourhood.code : "", sc->period);
	else
		info(p, HPDF_INFO_KEYWORDS, "%s %s", sc->policy_code ? sc->policy_code : "",
		     sc->period);
	return 0;
}

/* libharu 2.3 gives a TrueType font under the UTF-8 encoder a ToUnicode
 * stream that is really an identity CID CMap ("begincidrange"): poppler
 * warns and guesses, other readers may extract nothing. The codes it writes
 * are the text's Unicode code points (BMP), so the right ToUnicode is the
 * identity: rewritten here, in the stream libharu already links, for the
 * blocks of 256 code points that hold one drawn in the font (bits: see
 * struct pdf), as ranges of one block each, as a CMap wants them (every
 * block of the BMP would make 5.6 kB to deflate twice per document). This
 * uses the font record of the installed hpdf_font.h, which matches the
 * library the headers ship with. */
static int fix_to_unicode(struct pdf *p, HPDF_Font font, const unsigned char *bits)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Dict cmap = attr && attr->type == HPDF_FONT_TYPE0_TT ? attr->cmap_stream : NULL;
	HPDF_Stream s = cmap ? cmap->stream : NULL;
	char buf[64];
	int hi, i, n = 0, ranges = 0, used[256];

	if (!s)
		return err_set(ERR_FAIL, "PDF: unexpected libharu font layout");
	for (hi = 0; hi < 256; hi++) {
		used[hi] = 0;
		for (i = 0; i < 32 && !used[hi]; i++)
			used[hi] = bits[hi * 32 + i] != 0;
		ranges += used[hi];
	}
	HPDF_MemStream_FreeData(s);
	HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
				"12 dict begin\nbegincmap\n"
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
				"/Supplement 0 >> def\n"
				"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
				"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* At most 100 entries per block; a range may vary in its last byte only. */
	for (hi = 0; hi < 256; hi++) {
		if (!used[hi])
			continue;
		if (n % 100 == 0) {
			snprintf(buf, sizeof(buf), "%d beginbfrange\n",
				 ranges - n < 100 ? ranges - n : 100);
			HPDF_Stream_WriteStr(s, buf);
		}
		snprintf(buf, sizeof(buf), "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
		HPDF_Stream_WriteStr(s, buf);
		if (++n % 100 == 0 || n == ranges)
			HPDF_Stream_WriteStr(s, "endbfrange\n");
	}
	HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
				"end\nend\n");
	return pd_check(p);
}

/* The document's two fonts. libharu 2.3 makes a font under the UTF-8
 * encoder by looking up the glyph of every code point of the BMP (a linear
 * search of the font's cmap, 65,536 times per font) to write a /W array
 * and a CIDToGIDMap that trim_font replaces anyway with those of the code
 * points drawn: a quarter of a scorecard's time. While the fonts are made,
 * the encoder passes for a CMap encoder, which libharu reads through its
 * code-to-CID table instead, and that table is empty but for the space:
 * one lookup. Both are restored before any text is drawn (text is written
 * as code points through the encoder's other functions). */
static int new_fonts(struct pdf *p, struct rep_pdf *r)
{
	HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
	HPDF_CMapEncoderAttr ea =
		enc && enc->type == HPDF_ENCODER_TYPE_DOUBLE_BYTE ? enc->attr : NULL;
	HPDF_Encoder_ToUnicode_Func to_unicode;
	HPDF_UINT16 keep;

	if (!ea)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (!r->cid_map) {
		r->cid_map = malloc(sizeof(ea->cid_map));
		if (!r->cid_map)
			return err_set(ERR_FAIL, "out of memory");
		memcpy(r->cid_map, ea->cid_map, sizeof(ea->cid_map));
	}
	/* libharu wants at least one CID: the space's */
	keep = r->cid_map[0][' '];
	memset(ea->cid_map, 0, sizeof(ea->cid_map));
	ea->cid_map[0][' '] = keep ? keep : ' ';
	to_unicode = enc->to_unicode_fn;
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	p->reg = HPDF_GetFont(p->doc, r->reg_name, "UTF-8");
	p->bold = p->reg ? HPDF_GetFont(p->doc, r->bold_name, "UTF-8") : NULL;
	enc->to_unicode_fn = to_unicode;
	memcpy(ea->cid_map, r->cid_map, sizeof(ea->cid_map));
	return 0;
}

/* Parses the TrueType font of bytes (len) into the handle, to be embedded
 * with subset tag `tag`, as HPDF_LoadTTFontFromFile would from a file; the
 * definition keeps its memory stream for the subsets it writes. Returns its
 * name, or NULL with the handle's error set. */
static const char *load_font(struct pdf *p, const unsigned char *bytes, unsigned long len,
			     const char *tag)
{
	HPDF_Stream s = HPDF_MemStream_New(p->doc->mmgr, 0x10000);
	HPDF_FontDef def;

	if (!s)
		return NULL;
	if (HPDF_Stream_Write(s, bytes, (HPDF_UINT)len) != HPDF_OK) {
		HPDF_Stream_Free(s);
		return NULL;
	}
	def = HPDF_TTFontDef_Load(p->doc->mmgr, s, HPDF_TRUE);
	if (!def)
		return NULL; /* libharu freed the stream */
	if (HPDF_Doc_RegisterFontDef(p->doc, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	HPDF_TTFontDef_SetTagName(def, (char *)tag);
	return def->base_font;
}

/* The fonts of a document: parsed into the handle the first time (from
 * pdf_fonts.h: no file is read), then taken from the definitions libharu
 * keeps. */
static int load_fonts(struct pdf *p, struct rep_pdf *r)
{
	const char *name;

	if (!r->loaded && HPDF_UseUTFEncodings(p->doc) != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (HPDF_SetCurrentEncoder(p->doc, "UTF-8") != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (!r->loaded) {
		name = load_font(p, pdf_font_regular, pdf_font_regular_len, "HPDFAA");
		if (name)
			snprintf(r->reg_name, sizeof(r->reg_name), "%s", name);
		name = name ? load_font(p, pdf_font_bold, pdf_font_bold_len, "HPDFAB") : NULL;
		if (name)
			snprintf(r->bold_name, sizeof(r->bold_name), "%s", name);
		r->loaded = name != NULL;
	}
	if (r->loaded && new_fonts(p, r) < 0)
		return ERR_FAIL;
	if (!p->reg || !p->bold)
		return err_set(ERR_FAIL,
			       "PDF: cannot load the DejaVu Sans fonts: libharu error 0x%04lX",
			       p->err->code);
	return pd_check(p);
}

/* libharu 2.3 describes every code point of the BMP in a TrueType font
 * under the UTF-8 encoder: a /W array of some 6,000 widths and a
 * CIDToGIDMap of 65,536 entries, per font and per document (70 kB of a
 * 200 kB scorecard). A document needs only the code points it draws:
 * both are rewritten here for those, with the same widths and glyphs
 * libharu gives them. The map ends with the last code point drawn (no
 * other CID is used) and gives the others glyph 0: deflating 128 kB of
 * zeros twice per document cost more than the text. */
static int trim_font(struct pdf *p, HPDF_Font font, const unsigned char *bits)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Font desc = attr ? attr->descendant_font : NULL;
	HPDF_FontDef def = attr ? attr->fontdef : NULL;
	HPDF_Dict map = attr ? attr->map_stream : NULL;
	HPDF_Array w = desc ? HPDF_Dict_GetItem(desc, "W", HPDF_OCLASS_ARRAY) : NULL;
	HPDF_Array run = NULL;
	HPDF_INT16 dw = def ? def->missing_width : 0;
	HPDF_BYTE *gids = NULL;
	unsigned cp, end = 1; /* map entries: at least CID 0 */
	int rc;

	if (!desc || !def || !map || !map->stream || !w)
		return err_set(ERR_FAIL, "PDF: unexpected libharu font layout");
	gids = calloc(65536, 2);
	if (!gids)
		return err_set(ERR_FAIL, "out of memory");
	HPDF_Array_Clear(w);
	for (cp = 0; cp < 65536; cp++) {
		HPDF_UINT16 gid;
		HPDF_INT16 width;

		if (!((bits[cp >> 3] >> (cp & 7)) & 1)) {
			run = NULL;
			continue;
		}
		gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
		width = HPDF_TTFontDef_GetGidWidth(def, gid);
		end = cp + 1;
		gids[2 * cp] = (HPDF_BYTE)(gid >> 8);
		gids[2 * cp + 1] = (HPDF_BYTE)gid;
		/* runs of consecutive code points whose width is not the default,
		 * as libharu writes them: c [w1 w2 ...] */
		if (width == dw) {
			run = NULL;
			continue;
		}
		if (!run) {
			run = HPDF_Array_New(w->mmgr);
			if (!run || HPDF_Array_AddNumber(w, (HPDF_INT32)cp) != HPDF_OK ||
			    HPDF_Array_Add(w, run) != HPDF_OK) {
				rc = pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "out of memory");
				goto out;
			}
		}
		HPDF_Array_AddNumber(run, width);
	}
	HPDF_MemStream_FreeData(map->stream);
	HPDF_Stream_Write(map->stream, gids, end * 2);
	rc = pd_check(p);
out:
	free(gids);
	return rc;
}

static int trim_fonts(struct pdf *p)
{
	int rc = trim_font(p, p->reg, p->drawn[0]);

	if (rc == 0)
		rc = trim_font(p, p->bold, p->drawn[1]);
	if (rc == 0)
		rc = fix_to_unicode(p, p->reg, p->drawn[0]);
	return rc ? rc : fix_to_unicode(p, p->bold, p->drawn[1]);
}

/* Copies the saved document out of libharu's memory stream into a new
 * buffer (caller frees). */
static int take_bytes(struct pdf *p, unsigned char **out, size_t *len)
{
	HPDF_UINT32 size, got = 0;
	unsigned char *buf = NULL;
	int rc = 0;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot save");
	size = HPDF_GetStreamSize(p->doc);
	if (size == 0)
		return err_set(ERR_FAIL, "PDF: empty document");
	buf = malloc(size);
	if (!buf)
		return err_set(ERR_FAIL, "out of memory");
	HPDF_ResetStream(p->doc);
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS st = HPDF_ReadFromStream(p->doc, buf + got, &n);

		got += n;
		/* The read that reaches the end may say HPDF_STREAM_EOF. */
		if (n == 0 || (st != HPDF_OK && st != HPDF_STREAM_EOF))
			break;
	}
	if (got != size) {
		rc = err_set(ERR_FAIL, "PDF: read %lu of %lu bytes", (unsigned long)got,
			     (unsigned long)size);
		goto out;
	}
	*out = buf;
	*len = size;
	buf = NULL;
out:
	free(buf);
	return rc;
}

static int draw(struct pdf *p)
{
	int d, rc;

	int nb = p->sc->level == CAT_NEIGHBOURHOOD;

	if ((rc = pd_new_page(p)) < 0 || (rc = draw_page_header(p)) < 0 ||
	    (rc = draw_tiles(p)) < 0 || (rc = draw_scores(p)) < 0)
		return rc;
	/* A neighbourhood's summary has its survey results too, and its trends
	 * whole, on page 2 when page 1 is full. */
	if (nb && (rc = pdt_results(p)) < 0)
		return rc;
	if ((rc = draw_trends(p, nb)) < 0)
		return rc;
	/* Page 1 is the summary; the detail starts on a page of its own (for a
	 * neighbourhood whose trends moved to page 2, below them). */
	if ((!nb || p->n_pages == 1) && (rc = pd_new_page(p)) < 0)
		return rc;
	if ((rc = draw_legend(p)) < 0)
		return rc;
	for (d = 0; d < DIM_COUNT; d++)
		if ((rc = dimension_table(p, (enum cat_dimension)d)) < 0)
			return rc;
	if (p->sc->level == CAT_AGREEMENT) {
		if ((rc = draw_ex_ante(p)) < 0 || (rc = draw_projects(p)) < 0 ||
		    (rc = draw_milestones(p)) < 0)
			return rc;
	} else if (p->sc->level == CAT_NEIGHBOURHOOD) {
		if ((rc = pdt_covering(p)) < 0)
			return rc;
	} else if ((rc = draw_ranks(p)) < 0 || (rc = pdt_territories(p)) < 0) {
		return rc;
	}
	if ((rc = pdt_evidence(p)) < 0 || (rc = draw_notes(p)) < 0 || (rc = draw_frames(p)) < 0)
		return rc;
	return pd_check(p);
}

int rep_pdf_new(struct rep_pdf **out)
{
	struct rep_pdf *r = calloc(1, sizeof(*r));

	if (!r)
		return err_set(ERR_FAIL, "out of memory");
	r->doc = HPDF_New(on_error, &r->err);
	if (!r->doc) {
		free(r);
		return err_set(ERR_FAIL, "PDF: cannot create a document (out of memory)");
	}
	*out = r;
	return 0;
}

void rep_pdf_free(struct rep_pdf *r)
{
	if (!r)
		return;
	HPDF_Free(r->doc);
	free(r->cid_map);
	free(r);
}

int rep_pdf_draw(struct rep_pdf *r, const struct scorecard *sc, unsigned char **out, size_t *len)
{
	struct pdf p;
	unsigned char *bytes = NULL;
	size_t size = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&r->err, 0, sizeof(r->err));
	p.sc = sc;
	p.loc = sc->locale;
	p.doc = r->doc;
	p.err = &r->err;
	/* the previous document goes; the font definitions stay */
	if (r->used && HPDF_NewDoc(r->doc) != HPDF_OK) {
		rc = pd_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot start a document");
		goto out;
	}
	r->used = 1;
	/* zlib at its fixed default level: same input, same bytes. */
	if (HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL) != HPDF_OK) {
		rc = pd_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no compression");
		goto out;
	}
	if ((rc = load_fonts(&p, r)) < 0 || (rc = metadata(&p)) < 0 || (rc = draw(&p)) < 0 ||
	    (rc = trim_fonts(&p)) < 0 || (rc = take_bytes(&p, &bytes, &size)) < 0 ||
	    (rc = pd_check(&p)) < 0)
		goto out;
	*out = bytes;
	*len = size;
	bytes = NULL;
out:
	free(bytes);
	free(p.pages);
	return rc;
}

int rep_pdf_render(const struct scorecard *sc, unsigned char **out, size_t *len)
{
	struct rep_pdf *r = NULL;
	int rc = rep_pdf_new(&r);

	if (rc == 0)
		rc = rep_pdf_draw(r, sc, out, len);
	rep_pdf_free(r);
	return rc;
}
