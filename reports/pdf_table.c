/* pdf_table: see pdf_table.h. */
#include "pdf_table.h"

#include "format.h"
#include "labels.h"

#include <math.h>
#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* The column header: padding above and below, the first baseline. */
#define HEADER_PAD 3.5f
#define HEADER_BASE 6.0f
#define HEADER_LINES 2	/* a title's; a sub title has one */
#define SUB_LINES 2	/* a cell's grey second text */
#define GAP_BELOW 16.0f /* below a table */

/* Budget bars: the bars' top below the padded top, their height, then the
 * text below them; BUDGET_ROOM is what the bars add to the text's lines. */
#define BUDGET_TOP 1.0f
#define BUDGET_BAR_H 6.5f
#define BUDGET_TEXT_GAP 3.0f
#define BUDGET_TEXT_BASE 5.0f
#define BUDGET_ROOM 10.5f
#define BUDGET_LINES 3

/* Rank range: the scale's height above the baseline, its end ticks' half
 * height, the bar's least width and height, the rank's dot. */
#define RANGE_MID 2.6f
#define RANGE_TICK 2.0f
#define RANGE_MIN_W 2.0f
#define RANGE_BAR_H 4.0f
#define RANGE_DOT 2.2f

/* Ex-ante score: five segments, at most SCORE5_MAX_W wide in all. */
#define SCORE5_GAP 2.0f
#define SCORE5_MAX_W 150.0f
#define SCORE5_DROP 0.5f /* below the baseline */
#define SCORE5_H 6.5f

/* Change: the room its arrow takes on the left, and its place left of the
 * text. */
#define DELTA_ROOM 8.0f
#define DELTA_ARROW 5.0f

/* --- tables ---------------------------------------------------------------------- */

void pd_table_init(struct table *t, const char *title, const char *aside)
{
	memset(t, 0, sizeof(*t));
	lbl_say(t->title, sizeof(t->title), "%s", title);
	if (aside)
		lbl_say(t->aside, sizeof(t->aside), "%s", aside);
}

void pd_cell_clear(struct cell *c, int n)
{
	memset(c, 0, (size_t)n * sizeof(*c));
}

void pd_cell_set(struct cell *c, const char *text)
{
	c->text = text;
}

/* The cell's text is its buffer (filled by the caller). */
char *pd_cell_buf(struct cell *c)
{
	c->text = c->buf;
	return c->buf;
}

static float inner(const struct column *col)
{
	return col->w - 2.0f * PAD_X;
}

float pd_header_height(struct pdf *p, const struct table *t)
{
	float h = 0.0f;
	int i;

	for (i = 0; i < t->ncol; i++) {
		const struct column *col = &t->col[i];
		float ch = (float)pd_count_lines(p->bold, H_SIZE, inner(col), HEADER_LINES,
						 col->title) *
			   H_LH;

		if (col->sub)
			ch += S_LH;
		if (ch > h)
			h = ch;
	}
	return h + 2.0f * HEADER_PAD;
}

void pd_draw_header(struct pdf *p, const struct table *t)
{
	float h = pd_header_height(p, t), x = MARGIN, top = p->y;
	int i;

	for (i = 0; i < t->ncol; i++) {
		const struct column *col = &t->col[i];
		int n = pd_paragraph(p, p->bold, H_SIZE, H_LH, C_GREY, x + PAD_X,
				     top - HEADER_PAD - HEADER_BASE, inner(col), col->al,
				     HEADER_LINES, col->title);

		if (col->sub)
			pd_text_box(p, p->reg, S_SIZE, C_GREY, x + PAD_X,
				    top - HEADER_PAD - HEADER_BASE - (float)n * H_LH, inner(col),
				    col->al, col->sub);
		x += col->w;
	}
	pd_line(p, MARGIN, top - h, MARGIN + CONTENT_W, top - h, LW_ACCENT, C_ACCENT);
	p->y -= h;
}

static float cell_height(struct pdf *p, const struct column *col, const struct cell *c)
{
	float w = inner(col) - c->indent, h = T_LH;

	switch (c->kind) {
	case CK_TEXT:
		if (col->lines > 1 && c->text)
			h = (float)pd_count_lines(c->bold ? p->bold : p->reg, T_SIZE, w, col->lines,
						  c->text) *
			    T_LH;
		if (h < T_LH)
			h = T_LH;
		if (c->sub && *c->sub)
			h += (float)pd_count_lines(p->reg, S_SIZE, w, SUB_LINES, c->sub) * S_LH;
		return h;
	case CK_BUDGET:
		return BUDGET_ROOM +
		       (float)pd_count_lines(p->reg, S_SIZE, w, BUDGET_LINES, c->text) * S_LH;
	default:
		return T_LH;
	}
}

float pd_row_height(struct pdf *p, const struct table *t, const struct cell *cells)
{
	float h = 0.0f;
	int i;

	for (i = 0; i < t->ncol; i++) {
		float ch = cell_height(p, &t->col[i], &cells[i]);

		if (ch > h)
			h = ch;
	}
	return h + 2.0f * PAD_Y;
}

static void draw_budget(struct pdf *p, float x, float top, float w, const struct cell *c)
{
	/* Longest bar first so that each stays visible over the others; the
	 * colours, dark to light, read the same in grayscale. */
	const struct rgb colors[3] = {C_ACCENT_LIGHT, C_ACCENT_MID, C_ACCENT};
	double scale = 0.0;
	int order[3] = {0, 1, 2}, i, j;

	for (i = 0; i < 3; i++)
		if (pd_known(c->v[i]) && c->v[i].v > scale)
			scale = c->v[i].v;
	pd_rect(p, x, top - BUDGET_BAR_H, w, BUDGET_BAR_H, C_TRACK);
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if ((pd_known(c->v[order[j]]) ? c->v[order[j]].v : 0) >
			    (pd_known(c->v[order[i]]) ? c->v[order[i]].v : 0)) {
				int k = order[i];

				order[i] = order[j];
				order[j] = k;
			}
	for (i = 0; scale > 0 && i < 3; i++) {
		const struct sc_num *v = &c->v[order[i]];

		if (pd_known(*v) && v->v > 0)
			pd_rect(p, x, top - BUDGET_BAR_H, pd_scale_x(v->v, 0, scale, 0, w),
				BUDGET_BAR_H, colors[order[i]]);
	}
	pd_paragraph(p, p->reg, S_SIZE, S_LH, C_INK, x,
		     top - BUDGET_BAR_H - BUDGET_TEXT_GAP - BUDGET_TEXT_BASE, w, AL_LEFT,
		     BUDGET_LINES, c->text ? c->text : "");
}

static void draw_range(struct pdf *p, float x, float base, float w, const struct cell *c)
{
	double n = pd_known(c->v[3]) ? c->v[3].v : 1.0;
	float mid = base + RANGE_MID;

	pd_line(p, x, mid, x + w, mid, LW_AXIS, C_RULE);
	pd_line(p, x, mid - RANGE_TICK, x, mid + RANGE_TICK, LW_AXIS, C_RULE);
	pd_line(p, x + w, mid - RANGE_TICK, x + w, mid + RANGE_TICK, LW_AXIS, C_RULE);
	if (pd_known(c->v[0]) && pd_known(c->v[1])) {
		float a = pd_scale_x(c->v[0].v, 1, n, x, w), b = pd_scale_x(c->v[1].v, 1, n, x, w);

		if (b - a < RANGE_MIN_W) {
			a -= RANGE_MIN_W / 2.0f;
			b += RANGE_MIN_W / 2.0f;
		}
		pd_rect(p, a, mid - RANGE_BAR_H / 2.0f, b - a, RANGE_BAR_H, C_ACCENT_MID);
	}
	if (pd_known(c->v[2]))
		pd_dot(p, pd_scale_x(c->v[2].v, 1, n, x, w), mid, RANGE_DOT, C_ACCENT);
}

static void draw_score5(struct pdf *p, float x, float base, float w, const struct cell *c)
{
	float gap = SCORE5_GAP, seg = (w - 4.0f * gap) / 5.0f;
	int i;

	if (w > SCORE5_MAX_W)
		seg = (SCORE5_MAX_W - 4.0f * gap) / 5.0f;
	for (i = 0; i < 5; i++) {
		float sx = x + (float)i * (seg + gap);
		double fill = pd_known(c->v[0]) ? c->v[0].v - i : 0.0;

		pd_rect(p, sx, base - SCORE5_DROP, seg, SCORE5_H, C_TRACK);
		if (fill > 0)
			pd_rect(p, sx, base - SCORE5_DROP, fill >= 1 ? seg : seg * (float)fill,
				SCORE5_H, C_ACCENT);
	}
}

static void draw_cell(struct pdf *p, float x, float top, const struct column *col,
		      const struct cell *c)
{
	float w = inner(col) - c->indent, base = top - PAD_Y - T_BASE;
	HPDF_Font f = c->bold ? p->bold : p->reg;
	struct rgb ink = c->muted ? C_GREY : C_INK;

	x += PAD_X + c->indent;
	switch (c->kind) {
	case CK_TEXT: {
		int n = 1;

		if (c->text && col->lines > 1)
			n = pd_paragraph(p, f, T_SIZE, T_LH, ink, x, base, w, col->al, col->lines,
					 c->text);
		else if (c->text)
			pd_text_box(p, f, T_SIZE, ink, x, base, w, col->al, c->text);
		if (c->sub && *c->sub)
			pd_paragraph(p, p->reg, S_SIZE, S_LH, C_GREY, x,
				     base - (float)(n > 0 ? n - 1 : 0) * T_LH - S_LH, w, col->al,
				     SUB_LINES, c->sub);
		break;
	}
	case CK_STATUS: {
		const char *mark = fmt_status_mark(c->status);
		float mw = pd_width(p->reg, T_SIZE, mark, strlen(mark)) + MARK_GAP;

		pd_put(p, p->reg, T_SIZE, pd_status_color(c->status), x, base, mark);
		/* No status is the dash alone, as in the other outputs. */
		if (c->text || c->status != ST_NONE)
			pd_text_box(p, f, T_SIZE, c->status == ST_NONE ? C_GREY : C_INK, x + mw,
				    base, w - mw, AL_LEFT,
				    c->text ? c->text : fmt_status_word(c->status, p->loc));
		break;
	}
	case CK_DELTA: {
		float tx = pd_text_box(p, f, T_SIZE, ink, x + DELTA_ROOM, base, w - DELTA_ROOM,
				       AL_RIGHT, c->text ? c->text : "");

		if (c->arrow)
			pd_arrow(p, tx - DELTA_ARROW, base, c->arrow, C_GREY);
		break;
	}
	case CK_SCORE5:
		draw_score5(p, x, base, w, c);
		break;
	case CK_BUDGET:
		draw_budget(p, x, top - PAD_Y - BUDGET_TOP, w, c);
		break;
	case CK_RANGE:
		draw_range(p, x, base, w, c);
		break;
	}
}

/* Adds a row: the title and the header first, and again on a new page when
 * the row does not fit. */
int pd_table_row(struct pdf *p, struct table *t, const struct cell *cells)
{
	float h = pd_row_height(p, t, cells), x = MARGIN;
	int i, rc;

	if (!t->started || p->y - h < BOTTOM) {
		char title[2 * CELL];

		if (t->started) {
			rc = pd_new_page(p);
			if (rc)
				return rc;
			lbl_say(title, sizeof(title), "%s (%s)", t->title,
				pd_tr(p, "segue", "continued"));
		}
		rc = pd_heading(p, t->started ? title : t->title, t->started ? NULL : t->aside,
				pd_header_height(p, t) + h);
		if (rc)
			return rc;
		pd_draw_header(p, t);
		t->started = 1;
	}
	if (t->rows % 2 == 1)
		pd_rect(p, MARGIN, p->y - h, CONTENT_W, h, C_ZEBRA);
	for (i = 0; i < t->ncol; i++) {
		draw_cell(p, x, p->y, &t->col[i], &cells[i]);
		x += t->col[i].w;
	}
	p->y -= h;
	t->rows++;
	return 0;
}

void pd_table_end(struct pdf *p, const struct table *t)
{
	if (t->started)
		pd_line(p, MARGIN, p->y, MARGIN + CONTENT_W, p->y, LW_HAIR, C_RULE);
	p->y -= GAP_BELOW;
}

void pd_column(struct table *t, const char *title, const char *sub, float w, enum align al,
	       int lines)
{
	struct column *c = &t->col[t->ncol++];

	c->title = title;
	c->sub = sub;
	c->w = w;
	c->al = al;
	c->lines = lines;
}
