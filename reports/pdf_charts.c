/* pdf_charts: the trend charts of page 1 (internal to reports/). */
#include "pdf_charts.h"

#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"

#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* A chart: its title and latest value on top, then the plot, with the axis
 * ends on its left and the first and last quarter below. A baseline
 * (_BASE) is below the chart's top. */
#define CH_TITLE_SIZE 7.5f
#define CH_TITLE_BASE 7.0f
#define CH_VALUE_SIZE 11.0f
#define CH_VALUE_BASE 21.0f
#define CH_PLOT_TOP 34.0f    /* the plot's top line, below the chart's top */
#define CH_PLOT_BOTTOM 13.0f /* its base line, above the chart's bottom */
#define CH_RIGHT 4.0f	     /* room right of the plot */
#define CH_AXIS_GAP 6.0f     /* the axis labels' room beyond their width */
#define CH_AXIS_PAD 4.0f     /* between a label and the plot */
#define CH_AXIS_MIN_W 20.0f  /* at most half the chart */
#define CH_LABEL_RISE 2.0f   /* an axis label's baseline below its line */
#define CH_EMPTY_RISE 2.0f   /* "no data", about mid-plot */
#define CH_PERIOD_W 60.0f    /* a quarter below the plot */
#define CH_PERIOD_BACK 10.0f /* the first one starts left of the plot */
#define CH_PERIOD_BASE 9.5f  /* below the base line */
#define CH_TICK 2.0f	     /* a quarter's tick below the base line */
#define CH_TOP_LW 0.3f	     /* the top line, fainter than the base */
#define CH_DOT 1.5f	     /* a point */
#define CH_LAST_DOT 2.4f     /* the latest point */

/* The section: three charts a row, the rows sharing what is left of the
 * page within reason. */
#define CH_COL_GAP 18.0f
#define TREND_MIN_H 80.0f
#define TREND_MAX_H 110.0f
#define TREND_ROW_GAP 10.0f /* below each row */

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
	const float px1 = x + w - CH_RIGHT, py0 = top - h + CH_PLOT_BOTTOM, py1 = top - CH_PLOT_TOP;
	float ax, px0;
	double lo = 0.0, hi = 0.0;
	char buf[CELL], lo_t[CELL], hi_t[CELL];
	int i, any = 0, prev = -1, rc, n = sc->n_trend;
	struct sc_num last = n > 0 ? lbl_trend_value(sc, k, n - 1) : pd_null_num;

	pd_text_box(p, p->bold, CH_TITLE_SIZE, C_INK, x, top - CH_TITLE_BASE, w, AL_LEFT,
		    k < 0 ? pd_tr(p, "Indice complessivo", "Overall index")
			  : rep_label(ind, p->loc));
	if (ind && sc_ind(sc, sc_trend_ids[k]) && sc_ind(sc, sc_trend_ids[k])->suppressed)
		lbl_say(buf, sizeof(buf), "%s", pd_tr(p, "soppresso", "suppressed"));
	else if ((rc = trend_text(p, k, last, buf, sizeof(buf))) < 0)
		return rc;
	pd_text_box(p, p->bold, CH_VALUE_SIZE, pd_known(last) ? C_ACCENT : C_GREY, x,
		    top - CH_VALUE_BASE, w, AL_LEFT, buf);

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
	ax = pd_width(p->reg, AXIS_SIZE, hi_t, strlen(hi_t));
	if (pd_width(p->reg, AXIS_SIZE, lo_t, strlen(lo_t)) > ax)
		ax = pd_width(p->reg, AXIS_SIZE, lo_t, strlen(lo_t));
	ax += CH_AXIS_GAP;
	if (ax < CH_AXIS_MIN_W)
		ax = CH_AXIS_MIN_W;
	if (ax > w / 2.0f)
		ax = w / 2.0f;
	px0 = x + ax;
	pd_line(p, px0, py0, px1, py0, LW_AXIS, C_RULE);
	pd_line(p, px0, py1, px1, py1, CH_TOP_LW, C_RULE);
	if (any) {
		pd_text_box(p, p->reg, AXIS_SIZE, C_GREY, x, py1 - CH_LABEL_RISE, ax - CH_AXIS_PAD,
			    AL_RIGHT, hi_t);
		pd_text_box(p, p->reg, AXIS_SIZE, C_GREY, x, py0 - CH_LABEL_RISE, ax - CH_AXIS_PAD,
			    AL_RIGHT, lo_t);
	} else {
		pd_text_box(p, p->reg, SMALL_SIZE, C_GREY, px0, (py0 + py1) / 2.0f - CH_EMPTY_RISE,
			    px1 - px0, AL_CENTER, pd_tr(p, "nessun dato", "no data"));
	}
	if (n > 0) {
		pd_text_box(p, p->reg, AXIS_SIZE, C_GREY, px0 - CH_PERIOD_BACK,
			    py0 - CH_PERIOD_BASE, CH_PERIOD_W, AL_LEFT, sc->trend[0].period);
		if (n > 1)
			pd_text_box(p, p->reg, AXIS_SIZE, C_GREY, px1 - CH_PERIOD_W,
				    py0 - CH_PERIOD_BASE, CH_PERIOD_W, AL_RIGHT,
				    sc->trend[n - 1].period);
	}
	/* Ticks for every quarter, so that a missing point shows as a gap. */
	for (i = 0; i < n; i++) {
		float xi =
			n > 1 ? px0 + (px1 - px0) * (float)i / (float)(n - 1) : (px0 + px1) / 2.0f;

		pd_line(p, xi, py0, xi, py0 - CH_TICK, LW_HAIR, C_RULE);
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
			pd_line(p, xp, yp, xi, yi, LW_DATA, C_ACCENT);
		}
		pd_dot(p, xi, yi, i == n - 1 ? CH_LAST_DOT : CH_DOT, C_ACCENT);
		prev = i;
	}
	return 0;
}

/* whole: the charts stay on one page, the next when they do not fit here. */
int pdc_trends(struct pdf *p, int whole)
{
	const int cols = 3, count = 1 + sc_trend_count, rows = (count + cols - 1) / cols;
	const float gap = CH_COL_GAP, w = (CONTENT_W - (float)(cols - 1) * gap) / (float)cols;
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
		aside, p->sc->n_trend > 0 ? h : EMPTY_KEEP);
	if (rc)
		return rc;
	if (p->sc->n_trend == 0 || !p->sc->trend) {
		pd_none(p, pd_tr(p, "Nessun trimestre da mostrare.", "No quarter to show."));
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
