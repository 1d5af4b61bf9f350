/* pdf_territory: see pdf_territory.h. */
#include "pdf_territory.h"

#include "err.h"
#include "format.h"
#include "labels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* Neighbourhood header: the policy line, the name, the facts. */
#define NB_POLICY_SIZE 10.0f
#define NB_NAME_SIZE 18.0f
#define NB_NAME_LH 21.5f
#define NB_NAME_LINES 2
#define NB_FACT_SIZE 8.0f
#define NB_FACT_LH 10.5f
#define NB_COVER_LINES 4 /* then "…": the table lists them all */

/* Neighbourhood results: two panels side by side. */
#define RES_GAP 10.0f
#define RES_PAD 11.0f
#define RES_LABEL_SIZE 8.0f
#define RES_LABEL_LH 10.0f
#define RES_VALUE_SIZE 20.0f
#define RES_VALUE_H 24.0f
#define RES_STATUS_H 11.0f
#define RES_SUB_SIZE 7.0f
#define RES_SUB_LH 9.0f
#define RES_LABEL_GAP 4.0f /* below the label */
#define RES_LINES 2	   /* the label's, and each line of facts' */

/* Territori chart: one bar per neighbourhood. */
#define TERR_KEY_H 16.0f /* the chart's title and key line */
#define TERR_ROW 13.0f	 /* one neighbourhood */
#define TERR_BAR_H 7.0f
#define TERR_LABEL_W 132.0f /* names, left of the bars */
#define TERR_VALUE_W 40.0f  /* the rate, right of the bars */
#define TERR_AXIS_H 16.0f   /* ticks and their numbers below the bars */
#define TERR_MIN_ROWS 3	    /* fewer than that on a page: the chart moves on */
#define TERR_TICKS 4	    /* axis intervals */
#define TERR_POLICY_LW 1.3f /* the policy's line */
#define TERR_KEY_SIZE 7.0f  /* the key: the policy's rate, right */
#define TERR_KEY_MARK 6.0f  /* its line, left of the key */
#define TERR_KEY_MARK_TOP 2.0f
#define TERR_KEY_MARK_FOOT 11.0f
#define TERR_TITLE_GAP 20.0f /* between the chart's title and the key */
#define TERR_TEXT_SIZE 7.5f  /* the title, names and rates */
#define TERR_TEXT_BASE 9.0f  /* below a line's top */
#define TERR_LABEL_GAP 8.0f  /* right of a name */
#define TERR_VALUE_GAP 4.0f  /* left of a rate */
#define TERR_BAR_TOP 3.0f    /* a bar's top below its row's */
#define TERR_AXIS_RISE 1.0f  /* the axis above the last row's foot */
#define TERR_NOTCH 2.0f	     /* the notches stop short of the rows' ends */
#define TERR_TICK 2.5f	     /* below the axis */
#define TERR_NUM_SIZE 6.5f
#define TERR_NUM_W 30.0f
#define TERR_NUM_BASE 10.0f   /* below the axis */
#define TERR_POLICY_OVER 1.0f /* the policy's line beyond the rows */
#define TERR_GAP 14.0f	      /* between the chart and the table */
#define TERR_GAP_H 16.0f      /* the line in place of the rows left out */

/* Evidence: a grey line of facts, the title, the summary. */
#define EV_META_SIZE 7.0f
#define EV_META_LH 11.0f
#define EV_TITLE_SIZE 9.0f
#define EV_TITLE_LH 11.5f
#define EV_TITLE_LINES 3
#define EV_TEXT_SIZE 7.5f
#define EV_TEXT_LH 10.2f
#define EV_TEXT_BASE 7.5f /* a line's baseline below its top */
#define EV_KEEP_LINES 3	  /* summary lines that stay with their title */
#define EV_CONT_H 12.0f	  /* the "(segue)" line atop a continued summary */
#define EV_META_BASE 7.0f /* below the line's top, as "(segue)"'s */
#define EV_TITLE_BASE 8.5f
#define EV_TITLE_GAP 2.0f /* below the title */
#define EV_KIND_MAX 3.0f  /* the kind takes at most a third of the width */
#define EV_BELOW 16.0f	  /* below the section */
#define EV_GAP 12.0f	  /* between two entries, a hairline in the middle */

/* --- neighbourhood: header ------------------------------------------------------ */

int pdt_header(struct pdf *p, float beside_w, float *yp)
{
	const struct scorecard *sc = p->sc;
	const struct sc_neighbourhood *nb = &sc->neighbourhood;
	float y = *yp;
	char line_buf[TEXT_MAX], big[TEXT_MAX], pop[CELL], count[CELL];
	int n, rc;

	pd_text_box(p, p->bold, NB_POLICY_SIZE, C_ACCENT, MARGIN, y - PH_POLICY_BASE, beside_w,
		    AL_LEFT, sc->policy_name ? sc->policy_name : fmt_null);
	y -= PH_POLICY_H;
	n = pd_paragraph(p, p->bold, NB_NAME_SIZE, NB_NAME_LH, C_INK, MARGIN,
			 y - NB_NAME_SIZE * PH_TITLE_ASCENT, CONTENT_W, AL_LEFT, NB_NAME_LINES,
			 nb->name   ? nb->name
			 : nb->code ? nb->code
				    : fmt_null);
	y -= (float)n * NB_NAME_LH + PH_NAME_GAP;
	if ((rc = fmt_value(pd_num((double)nb->population), "persons", p->loc, pop, sizeof(pop))) <
	    0)
		return rc;
	lbl_say(line_buf, sizeof(line_buf), "%s %s · %s %s", pd_tr(p, "Quartiere", "Neighbourhood"),
		nb->code ? nb->code : fmt_null, pop, pd_tr(p, "abitanti", "inhabitants"));
	pd_text_box(p, p->reg, NB_FACT_SIZE, C_INK, MARGIN, y - BODY_BASE, CONTENT_W, AL_LEFT,
		    line_buf);
	y -= NB_FACT_LH + PH_FACT_GAP;
	if ((rc = pd_int_text(p, sc->n_covering, count, sizeof(count))) < 0)
		return rc;
	lbl_covering(sc, big, sizeof(big));
	lbl_say(line_buf, sizeof(line_buf), "%s (%s): %s",
		pd_tr(p, "Accordi che coprono il quartiere", "Covering agreements"), count, big);
	n = pd_paragraph(p, p->reg, NB_FACT_SIZE, NB_FACT_LH, C_INK, MARGIN, y - BODY_BASE,
			 CONTENT_W, AL_LEFT, NB_COVER_LINES, line_buf);
	y -= (float)n * NB_FACT_LH + PH_FACT_GAP;
	*yp = y;
	return 0;
}

/* --- neighbourhood: quality of life and relationships ---------------------------- */

static const enum cat_id result_ids[2] = {IND_SOC_QUALITY_OF_LIFE_CHANGE,
					  IND_SOC_RELATIONSHIP_CHANGE};

/* The panel's two grey lines: n and interval; previous, change, target. */
static void result_lines(struct pdf *p, const struct lbl_row *r, char *a, char *b, size_t size)
{
	lbl_say(a, size, "n %s · %s %s", r->n, pd_tr(p, "intervallo al 95%", "95% interval"),
		r->interval);
	lbl_say(b, size, "%s %s · %s %s · %s %s", pd_tr(p, "precedente", "previous"), r->previous,
		pd_tr(p, "variazione", "change"), r->delta, pd_tr(p, "obiettivo", "target"),
		r->target);
}

static float result_height(struct pdf *p, const struct lbl_row *r, float w)
{
	char a[2 * CELL], b[2 * CELL];
	float tw = w - 2.0f * RES_PAD;

	result_lines(p, r, a, b, sizeof(a));
	return RES_PAD +
	       (float)pd_count_lines(p->bold, RES_LABEL_SIZE, tw, RES_LINES, r->label) *
		       RES_LABEL_LH +
	       RES_LABEL_GAP + RES_VALUE_H + RES_STATUS_H +
	       (float)(pd_count_lines(p->reg, RES_SUB_SIZE, tw, RES_LINES, a) +
		       pd_count_lines(p->reg, RES_SUB_SIZE, tw, RES_LINES, b)) *
		       RES_SUB_LH +
	       RES_PAD - PANEL_TRIM;
}

static void result_panel(struct pdf *p, const struct lbl_row *r, float x, float top, float w,
			 float h)
{
	const char *mark = fmt_status_mark(r->status);
	char a[2 * CELL], b[2 * CELL];
	float tw = w - 2.0f * RES_PAD, y = top - RES_PAD, mw;
	int n;

	pd_rect(p, x, top - h, w, h, C_TILE);
	pd_rect(p, x, top - h, PANEL_EDGE, h, C_ACCENT);
	x += RES_PAD;
	n = pd_paragraph(p, p->bold, RES_LABEL_SIZE, RES_LABEL_LH, C_INK, x, y - PANEL_LABEL_BASE,
			 tw, AL_LEFT, RES_LINES, r->label);
	y -= (float)n * RES_LABEL_LH + RES_LABEL_GAP;
	pd_text_box(p, p->bold, RES_VALUE_SIZE, r->suppressed ? C_GREY : C_ACCENT, x,
		    y - PANEL_VALUE_BASE, tw, AL_LEFT, r->value);
	y -= RES_VALUE_H;
	mw = pd_width(p->reg, T_SIZE, mark, strlen(mark)) + MARK_GAP;
	pd_put(p, p->reg, T_SIZE, pd_status_color(r->status), x, y - T_BASE, mark);
	pd_text_box(p, p->reg, T_SIZE, r->status == ST_NONE ? C_GREY : C_INK, x + mw, y - T_BASE,
		    tw - mw, AL_LEFT, fmt_status_word(r->status, p->loc));
	y -= RES_STATUS_H;
	result_lines(p, r, a, b, sizeof(a));
	n = pd_paragraph(p, p->reg, RES_SUB_SIZE, RES_SUB_LH, C_GREY, x, y - PANEL_SUB_BASE, tw,
			 AL_LEFT, RES_LINES, a);
	y -= (float)n * RES_SUB_LH;
	pd_paragraph(p, p->reg, RES_SUB_SIZE, RES_SUB_LH, C_GREY, x, y - PANEL_SUB_BASE, tw,
		     AL_LEFT, RES_LINES, b);
}

int pdt_results(struct pdf *p)
{
	const float w = (CONTENT_W - RES_GAP) / 2.0f;
	struct lbl_row r[2];
	float h = 0.0f, top;
	int i, rc;

	for (i = 0; i < 2; i++) {
		const struct sc_indicator *x = sc_ind(p->sc, result_ids[i]);
		float rh;

		if (!x)
			return err_set(ERR_FAIL, "PDF: %s missing from the neighbourhood scorecard",
				       cat_indicators[result_ids[i]].code);
		if ((rc = lbl_row(p->sc, x, &r[i])) < 0)
			return rc;
		rh = result_height(p, &r[i], w);
		if (rh > h)
			h = rh;
	}
	rc = pd_heading(
		p, pd_tr(p, "Qualità della vita e relazioni", "Quality of life and relationships"),
		pd_tr(p, "questionari T0→T1 nel quartiere: n e intervallo di confidenza",
		      "T0→T1 surveys in the neighbourhood: n and confidence interval"),
		h);
	if (rc)
		return rc;
	top = p->y;
	for (i = 0; i < 2; i++)
		result_panel(p, &r[i], MARGIN + (float)i * (w + RES_GAP), top, w, h);
	p->y = top - h - TERR_GAP;
	return 0;
}

/* --- neighbourhood: covering agreements ------------------------------------------- */

int pdt_covering(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	const char *title = pd_tr(p, "Accordi che coprono il quartiere",
				  "Agreements covering the neighbourhood");
	int i, rc;

	/* The aside only over a table: an empty section has none. */
	if (sc->n_covering == 0 || !sc->covering)
		return pd_empty_section(
			p, title,
			pd_tr(p, "Nessun accordo nel periodo.", "No agreement in the period."));
	pd_table_init(
		&t, title,
		pd_tr(p, "in corso alla fine del trimestre", "in scope at the quarter's end"));
	pd_column(&t, pd_tr(p, "Codice", "Code"), NULL, 70.0f, AL_LEFT, 1);
	pd_column(&t, pd_tr(p, "Accordo", "Agreement"), NULL, CONTENT_W - 70.0f, AL_LEFT, 3);
	for (i = 0; i < sc->n_covering; i++) {
		pd_cell_clear(c, MAXCOL);
		pd_cell_set(&c[0], sc->covering[i].code ? sc->covering[i].code : fmt_null);
		c[0].muted = 1;
		pd_cell_set(&c[1], sc->covering[i].title ? sc->covering[i].title : fmt_null);
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

/* --- policy: the Territori page ---------------------------------------------------- */

/* Highest participation rate first; a null rate last; ties by name, then
 * by code, so that the order never depends on the sort. */
static int by_rate(const void *a, const void *b)
{
	const struct sc_territory *x = *(const struct sc_territory *const *)a;
	const struct sc_territory *y = *(const struct sc_territory *const *)b;
	int kx = pd_known(x->participation_rate), ky = pd_known(y->participation_rate), c;

	if (kx != ky)
		return ky - kx;
	if (kx && x->participation_rate.v != y->participation_rate.v)
		return x->participation_rate.v > y->participation_rate.v ? -1 : 1;
	c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	return c ? c : strcmp(x->code ? x->code : "", y->code ? y->code : "");
}

/* The top of the chart's scale: the largest rate or the policy's, rounded
 * up to TERR_TICKS steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
 * ten (the bars fill at least about two thirds of the scale). *step is one
 * step. */
static double nice_top(double hi, double *step)
{
	static const double m[] = {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0};
	const int n = (int)(sizeof(m) / sizeof(m[0]));
	double raw = hi > 0.0 ? hi / TERR_TICKS : 1.0, mag = pow(10.0, floor(log10(raw)));
	int i;

	for (i = 0; i < n - 1; i++)
		if (m[i] * mag >= raw * (1.0 - 1e-9))
			break;
	*step = m[i] * mag;
	return *step * TERR_TICKS;
}

/* Decimals that print every multiple of step exactly (0 to 2). */
static int step_decimals(double step)
{
	if (fabs(step - round(step)) < 1e-9)
		return 0;
	return fabs(step * 10.0 - round(step * 10.0)) < 1e-9 ? 1 : 2;
}

/* The chart's title on the left and, on the right, the key of the
 * policy's line with its value. */
static int chart_key(struct pdf *p, const char *title, struct sc_num policy)
{
	char v[CELL], key[2 * CELL];
	float kw, x;
	int rc;

	if ((rc = fmt_value(policy, "per_1000", p->loc, v, sizeof(v))) < 0)
		return rc;
	lbl_say(key, sizeof(key), "%s: %s",
		pd_tr(p, "politica nel suo insieme", "policy as a whole"), v);
	kw = pd_width(p->reg, TERR_KEY_SIZE, key, strlen(key));
	if (kw > CONTENT_W / 2.0f)
		kw = CONTENT_W / 2.0f;
	x = MARGIN + CONTENT_W - kw;
	pd_text_box(p, p->reg, TERR_KEY_SIZE, C_INK, x, p->y - TERR_TEXT_BASE, kw, AL_LEFT, key);
	pd_line(p, x - TERR_KEY_MARK, p->y - TERR_KEY_MARK_FOOT, x - TERR_KEY_MARK,
		p->y - TERR_KEY_MARK_TOP, TERR_POLICY_LW, C_INK);
	pd_text_box(p, p->bold, TERR_TEXT_SIZE, C_INK, MARGIN, p->y - TERR_TEXT_BASE,
		    CONTENT_W - kw - TERR_TITLE_GAP, AL_LEFT, title);
	p->y -= TERR_KEY_H;
	return 0;
}

/* Rows [from, to) of the chart at p->y, the axis below and the policy's
 * line over them. */
static int chart_rows(struct pdf *p, const struct sc_territory *const *order, int from, int to,
		      double top, double step, struct sc_num policy)
{
	const float bx = MARGIN + TERR_LABEL_W, bw = CONTENT_W - TERR_LABEL_W - TERR_VALUE_W;
	float y0 = p->y, y = y0, yb;
	char buf[CELL];
	int i, rc, decimals = step_decimals(step);

	for (i = from; i < to; i++) {
		const struct sc_territory *t = order[i];
		struct sc_num r = t->participation_rate;

		pd_text_box(p, p->reg, TERR_TEXT_SIZE, C_INK, MARGIN, y - TERR_TEXT_BASE,
			    TERR_LABEL_W - TERR_LABEL_GAP, AL_LEFT,
			    t->name   ? t->name
			    : t->code ? t->code
				      : fmt_null);
		pd_rect(p, bx, y - TERR_BAR_TOP - TERR_BAR_H, bw, TERR_BAR_H, C_TRACK);
		if (pd_known(r) && r.v > 0.0)
			pd_rect(p, bx, y - TERR_BAR_TOP - TERR_BAR_H,
				pd_scale_x(r.v, 0.0, top, 0.0f, bw), TERR_BAR_H, C_ACCENT);
		if ((rc = fmt_value(r, "per_1000", p->loc, buf, sizeof(buf))) < 0)
			return rc;
		pd_text_box(p, p->bold, TERR_TEXT_SIZE, pd_known(r) ? C_INK : C_GREY,
			    bx + bw + TERR_VALUE_GAP, y - TERR_TEXT_BASE,
			    TERR_VALUE_W - TERR_VALUE_GAP, AL_RIGHT, buf);
		y -= TERR_ROW;
	}
	/* White notches over the bars, ticks and numbers below. */
	yb = y + TERR_AXIS_RISE;
	for (i = 0; i <= TERR_TICKS; i++) {
		float gx = bx + bw * (float)i / TERR_TICKS;

		if (i > 0 && i < TERR_TICKS)
			pd_line(p, gx, yb + TERR_NOTCH, gx, y0 - TERR_NOTCH, LW_AXIS, C_WHITE);
		pd_line(p, gx, yb, gx, yb - TERR_TICK, LW_HAIR, C_GREY);
		if ((rc = fmt_number(step * i, decimals, p->loc, buf, sizeof(buf))) < 0)
			return rc;
		pd_text_box(p, p->reg, TERR_NUM_SIZE, C_GREY, gx - TERR_NUM_W / 2.0f,
			    yb - TERR_NUM_BASE, TERR_NUM_W, AL_CENTER, buf);
	}
	if (pd_known(policy)) {
		float px = pd_scale_x(policy.v, 0.0, top, bx, bw);

		pd_line(p, px, yb - TERR_POLICY_OVER, px, y0 + TERR_POLICY_OVER, TERR_POLICY_LW,
			C_INK);
	}
	p->y = y - TERR_AXIS_H;
	return 0;
}

/* Rows [from, to) of the chart, continued on new pages as they need. */
static int chart_part(struct pdf *p, const struct sc_territory *const *order, int from, int to,
		      double top, double step, struct sc_num policy)
{
	const char *title = pd_tr(p, "Partecipanti ogni 1.000 abitanti, dal quartiere più alto",
				  "Participants per 1,000 inhabitants, highest first");
	int i, rc;

	for (i = from; i < to;) {
		int fit = (int)((p->y - BOTTOM - TERR_KEY_H - TERR_AXIS_H) / TERR_ROW), rows;

		if (fit < (to - i < TERR_MIN_ROWS ? to - i : TERR_MIN_ROWS)) {
			char cont[2 * CELL];

			lbl_say(cont, sizeof(cont), "%s (%s)", pd_tr(p, "Territori", "Territories"),
				pd_tr(p, "segue", "continued"));
			if ((rc = pd_new_page(p)) < 0 || (rc = pd_heading(p, cont, NULL, 0.0f)) < 0)
				return rc;
			continue;
		}
		rows = to - i < fit ? to - i : fit;
		if ((rc = chart_key(p, title, policy)) < 0 ||
		    (rc = chart_rows(p, order, i, i + rows, top, step, policy)) < 0)
			return rc;
		i += rows;
	}
	return 0;
}

/* "… altri 1.900 quartieri": the neighbourhoods [head, tail) that a long
 * list leaves out. */
static int territory_gap_text(struct pdf *p, int head, int tail, char *buf, size_t size)
{
	char n[CELL];
	int rc = pd_int_text(p, tail - head, n, sizeof(n));

	if (rc < 0)
		return rc;
	if (fmt_is_en(p->loc))
		lbl_say(buf, size, "… %s more neighbourhoods", n);
	else
		lbl_say(buf, size, "… altri %s quartieri", n);
	return 0;
}

/* The chart's grey line in place of the neighbourhoods [head, tail): how
 * many, and where their figures are. */
static int territory_gap(struct pdf *p, int head, int tail)
{
	char line[TEXT_MAX];
	int rc;

	if ((rc = territory_gap_text(p, head, tail, line, sizeof(line))) < 0 ||
	    (rc = pd_need(p, TERR_GAP_H)) < 0)
		return rc;
	lbl_append(line, sizeof(line), ": %s",
		   pd_tr(p, "i loro valori sono nei cruscotti di quartiere",
			 "their figures are in their own scorecards"));
	pd_text_box(p, p->reg, TERR_TEXT_SIZE, C_GREY, MARGIN, p->y - TERR_TEXT_BASE, CONTENT_W,
		    AL_LEFT, line);
	p->y -= TERR_GAP_H;
	return 0;
}

/* The bars of the neighbourhoods [0, head) and [tail, n) of order, on one
 * scale: that of every neighbourhood, so that both ends compare. */
static int territory_chart(struct pdf *p, const struct sc_territory *const *order, int head,
			   int tail)
{
	const struct scorecard *sc = p->sc;
	const struct sc_indicator *pol = sc_ind(sc, IND_OUT_PARTICIPATION_RATE);
	struct sc_num policy = pol && !pol->suppressed ? pol->value : pd_null_num;
	double hi = pd_known(policy) ? policy.v : 0.0, step, top;
	int i, n = sc->n_territories, rc;

	for (i = 0; i < n; i++)
		if (pd_known(sc->territories[i].participation_rate) &&
		    sc->territories[i].participation_rate.v > hi)
			hi = sc->territories[i].participation_rate.v;
	top = nice_top(hi, &step);
	if ((rc = chart_part(p, order, 0, head, top, step, policy)) < 0)
		return rc;
	if (head < tail && ((rc = territory_gap(p, head, tail)) < 0 ||
			    (rc = chart_part(p, order, tail, n, top, step, policy)) < 0))
		return rc;
	p->y -= TERR_GAP;
	return 0;
}

/* The neighbourhoods' table: every one in the model's order, or, when the
 * list is long, the chart's [0, head) and [tail, n) in its order. */
static int territory_table(struct pdf *p, const struct sc_territory *const *order, int head,
			   int tail)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	pd_table_init(&t, pd_tr(p, "Quartieri", "Neighbourhoods"),
		      pd_tr(p, "valori dei cruscotti di quartiere; — dove non disponibili",
			    "figures of the neighbourhood scorecards; — where not available"));
	pd_column(&t, pd_tr(p, "Quartiere", "Neighbourhood"), NULL, 128.0f, AL_LEFT, 2);
	pd_column(&t, pd_tr(p, "Popolazione", "Population"), pd_tr(p, "abitanti", "inhabitants"),
		  62.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Accordi", "Agreements"), pd_tr(p, "in corso", "in scope"), 54.0f,
		  AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Partecipanti", "Participants"), NULL, 62.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Partecipazione", "Participation"),
		  pd_tr(p, "per 1.000 abitanti", "per 1,000 inhabitants"), 72.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Qualità della vita", "Quality of life"),
		  pd_tr(p, "variazione T0→T1", "change T0→T1"), 70.0f, AL_RIGHT, 1);
	pd_column(&t, pd_tr(p, "Indice", "Index"), "0–100", CONTENT_W - 448.0f, AL_RIGHT, 1);
	for (i = 0; i < sc->n_territories; i++) {
		const struct sc_territory *x = head < tail ? order[i] : &sc->territories[i];

		pd_cell_clear(c, MAXCOL);
		if (i == head && head < tail) {
			if ((rc = territory_gap_text(p, head, tail, pd_cell_buf(&c[0]), CELL)) < 0)
				return rc;
			c[0].muted = 1;
			c[0].sub = pd_tr(p, "valori nei cruscotti di quartiere",
					 "figures in their own scorecards");
			if ((rc = pd_table_row(p, &t, c)) < 0)
				return rc;
			i = tail - 1;
			continue;
		}
		pd_cell_set(&c[0], x->name ? x->name : x->code ? x->code : fmt_null);
		c[0].bold = 1;
		c[0].sub = x->code;
		if ((rc = fmt_value(pd_num((double)x->population), "persons", p->loc,
				    pd_cell_buf(&c[1]), CELL)) < 0 ||
		    (rc = pd_int_text(p, x->agreements, pd_cell_buf(&c[2]), CELL)) < 0 ||
		    (rc = fmt_value(x->participants, "count", p->loc, pd_cell_buf(&c[3]), CELL)) <
			    0 ||
		    (rc = fmt_value(x->participation_rate, "per_1000", p->loc, pd_cell_buf(&c[4]),
				    CELL)) < 0 ||
		    (rc = fmt_value(x->quality_of_life_change, "score_diff", p->loc,
				    pd_cell_buf(&c[5]), CELL)) < 0 ||
		    (rc = lbl_score(x->index, p->loc, pd_cell_buf(&c[6]), CELL)) < 0)
			return rc;
		c[4].bold = 1;
		c[6].bold = 1;
		if ((rc = pd_table_row(p, &t, c)) < 0)
			return rc;
	}
	pd_table_end(p, &t);
	return 0;
}

int pdt_territories(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char aside[2 * CELL], n[CELL], d[CELL];
	const struct sc_territory **order = NULL;
	int i, head, tail, rc;

	if (sc->n_territories <= 0 || !sc->territories)
		return 0;
	order = malloc((size_t)sc->n_territories * sizeof(*order));
	if (!order)
		return err_set(ERR_FAIL, "out of memory");
	for (i = 0; i < sc->n_territories; i++)
		order[i] = &sc->territories[i];
	qsort(order, (size_t)sc->n_territories, sizeof(*order), by_rate);
	pd_list_ends(sc->n_territories, &head, &tail);
	if ((rc = pd_int_text(p, sc->n_territories, n, sizeof(n))) < 0 ||
	    (rc = fmt_date(sc->period_end, FMT_DATE_SHORT, p->loc, d, sizeof(d))) < 0)
		goto out;
	lbl_say(aside, sizeof(aside), "%s %s %s", n,
		sc->n_territories == 1
			? pd_tr(p, "quartiere coperto dagli accordi al", "neighbourhood covered on")
			: pd_tr(p, "quartieri coperti dagli accordi al",
				"neighbourhoods covered on"),
		d);
	/* The page of its own: the chart starts right under the title. */
	if ((rc = pd_new_page(p)) < 0 ||
	    (rc = pd_heading(p, pd_tr(p, "Territori", "Territories"), aside, 0.0f)) < 0 ||
	    (rc = territory_chart(p, order, head, tail)) < 0)
		goto out;
	rc = territory_table(p, order, head, tail);
out:
	free(order);
	return rc;
}

/* --- every level: qualitative evidence ------------------------------------------- */

int pdt_has_evidence(const struct scorecard *sc)
{
	return (sc->n_evidence > 0 && sc->evidence) || sc->evidence_total > 0;
}

/* The name of a neighbourhood the scorecard knows by code, else the code. */
static const char *neighbourhood_name(const struct scorecard *sc, const char *code)
{
	int i;

	for (i = 0; sc->territories && i < sc->n_territories; i++)
		if (sc->territories[i].code && strcmp(sc->territories[i].code, code) == 0 &&
		    sc->territories[i].name)
			return sc->territories[i].name;
	for (i = 0; sc->neighbourhoods && i < sc->n_neighbourhoods; i++)
		if (sc->neighbourhoods[i].code && strcmp(sc->neighbourhoods[i].code, code) == 0 &&
		    sc->neighbourhoods[i].name)
			return sc->neighbourhoods[i].name;
	if (sc->neighbourhood.code && strcmp(sc->neighbourhood.code, code) == 0 &&
	    sc->neighbourhood.name)
		return sc->neighbourhood.name;
	return code;
}

/* "12/11/2018 · 14 partecipanti · EV-003 · accordo AGR-002". */
static int evidence_meta(struct pdf *p, const struct sc_evidence *e, char *buf, size_t size)
{
	char d[CELL], who[CELL];
	int rc;

	if ((rc = fmt_date(e->recorded_on, FMT_DATE_SHORT, p->loc, d, sizeof(d))) < 0 ||
	    (rc = lbl_evidence_participants(e, p->loc, who, sizeof(who))) < 0)
		return rc;
	lbl_say(buf, size, " · %s · %s · %s", d, who, e->code ? e->code : fmt_null);
	if (e->agreement_code)
		lbl_append(buf, size, " · %s %s", pd_tr(p, "accordo", "agreement"),
			   e->agreement_code);
	if (e->neighbourhood_code)
		lbl_append(buf, size, " · %s %s", pd_tr(p, "quartiere", "neighbourhood"),
			   neighbourhood_name(p->sc, e->neighbourhood_code));
	return 0;
}

/* Makes room for one line of summary; on a new page, a grey line first
 * says whose summary continues. */
static int summary_room(struct pdf *p, const char *title)
{
	char cont[2 * CELL];
	int rc;

	if (p->y - EV_TEXT_LH >= BOTTOM)
		return 0;
	if ((rc = pd_new_page(p)) < 0)
		return rc;
	lbl_say(cont, sizeof(cont), "%s (%s)", title, pd_tr(p, "segue", "continued"));
	pd_text_box(p, p->reg, EV_META_SIZE, C_GREY, MARGIN, p->y - EV_META_BASE, CONTENT_W,
		    AL_LEFT, cont);
	p->y -= EV_CONT_H;
	return 0;
}

/* The summary as written, line by line down the pages: each newline starts
 * a new line (an empty one leaves a blank line, except at the start and
 * end); tabs and other control characters set as spaces. */
static int evidence_summary(struct pdf *p, const char *s, const char *title)
{
	size_t len = strlen(s);
	char *raw = malloc(len + 1), *buf = malloc(3 * len + 4);
	const char *a = s;
	int rc = 0, drawn = 0, blank = 0;

	if (!raw || !buf) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	for (;;) {
		const char *nl = strchr(a, '\n');
		size_t n = nl ? (size_t)(nl - a) : strlen(a);
		char *q = buf;

		memcpy(raw, a, n);
		raw[n] = '\0';
		pd_clean(raw, buf, 3 * len + 4);
		while (*q == ' ')
			q++;
		if (!*q) {
			blank += drawn; /* only between lines of text */
		} else {
			for (; blank > 0; blank--)
				if (p->y - EV_TEXT_LH >= BOTTOM)
					p->y -= EV_TEXT_LH;
			blank = 0;
		}
		while (*q) {
			size_t k = pd_break(p->reg, EV_TEXT_SIZE, q, CONTENT_W);
			char saved = q[k];

			if ((rc = summary_room(p, title)) < 0)
				goto out;
			q[k] = '\0';
			pd_put(p, p->reg, EV_TEXT_SIZE, C_INK, MARGIN, p->y - EV_TEXT_BASE, q);
			q[k] = saved;
			p->y -= EV_TEXT_LH;
			drawn = 1;
			for (q += k; *q == ' ';)
				q++;
		}
		if (!nl)
			break;
		a = nl + 1;
	}
out:
	free(raw);
	free(buf);
	return rc;
}

static int evidence_entry(struct pdf *p, const struct sc_evidence *e, int first)
{
	const char *kind = lbl_evidence_kind(e->kind, p->loc);
	const char *title = e->title && *e->title ? e->title : fmt_null;
	const char *summary = e->summary ? e->summary : "";
	char meta[4 * CELL];
	float kw, keep;
	int n, rc;

	if ((rc = evidence_meta(p, e, meta, sizeof(meta))) < 0)
		return rc;
	n = pd_count_lines(p->bold, EV_TITLE_SIZE, CONTENT_W, EV_TITLE_LINES, title);
	keep = EV_META_LH + (float)n * EV_TITLE_LH + EV_TITLE_GAP +
	       (float)(*summary ? EV_KEEP_LINES : 0) * EV_TEXT_LH;
	if (!first) {
		if (p->y - EV_GAP - keep >= BOTTOM)
			pd_line(p, MARGIN, p->y - EV_GAP / 2.0f, MARGIN + CONTENT_W,
				p->y - EV_GAP / 2.0f, LW_HAIR, C_RULE);
		p->y -= EV_GAP;
	}
	if ((rc = pd_need(p, keep)) < 0)
		return rc;
	/* the kind in the accent, the facts after it in grey */
	kw = pd_width(p->bold, EV_META_SIZE, kind, strlen(kind));
	if (kw > CONTENT_W / EV_KIND_MAX)
		kw = CONTENT_W / EV_KIND_MAX;
	pd_text_box(p, p->bold, EV_META_SIZE, C_ACCENT, MARGIN, p->y - EV_META_BASE, kw, AL_LEFT,
		    kind);
	pd_text_box(p, p->reg, EV_META_SIZE, C_GREY, MARGIN + kw, p->y - EV_META_BASE,
		    CONTENT_W - kw, AL_LEFT, meta);
	p->y -= EV_META_LH;
	n = pd_paragraph(p, p->bold, EV_TITLE_SIZE, EV_TITLE_LH, C_INK, MARGIN,
			 p->y - EV_TITLE_BASE, CONTENT_W, AL_LEFT, EV_TITLE_LINES, title);
	p->y -= (float)n * EV_TITLE_LH + EV_TITLE_GAP;
	return evidence_summary(p, summary, title);
}

int pdt_evidence(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char aside[2 * CELL];
	int i, rc;

	if (!pdt_has_evidence(sc))
		return 0;
	if ((rc = lbl_evidence_total(sc, aside, sizeof(aside))) < 0)
		return rc;
	rc = pd_heading(p,
			pd_tr(p, "Evidenze qualitative del trimestre",
			      "Qualitative evidence of the quarter"),
			aside,
			sc->n_evidence > 0 ? EV_META_LH + EV_TITLE_LH + EV_KEEP_LINES * EV_TEXT_LH
					   : EMPTY_KEEP);
	if (rc)
		return rc;
	if (sc->n_evidence <= 0 || !sc->evidence) {
		pd_none(p, pd_tr(p, "Nessuna evidenza registrata nel trimestre.",
				 "No evidence recorded in the quarter."));
		return 0;
	}
	for (i = 0; i < sc->n_evidence; i++)
		if ((rc = evidence_entry(p, &sc->evidence[i], i == 0)) < 0)
			return rc;
	p->y -= EV_BELOW;
	return 0;
}
