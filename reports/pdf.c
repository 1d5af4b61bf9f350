#include "pdf.h"

#include "err.h"
#include "format.h"
#include "labels.h"

#include <hpdf.h>
#include <hpdf_font.h>	  /* HPDF_FontAttr: the ToUnicode repair, below */
#include <hpdf_streams.h> /* HPDF_MemStream_FreeData */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- page geometry (points) --------------------------------------------------
 * A4 portrait with 17 mm side margins; the first page starts higher because
 * only the following ones carry a running header. */
#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define MARGIN 48.0f
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define PAGE1_TOP (PAGE_H - 46.0f)
#define CONT_TOP (PAGE_H - 64.0f)
#define BOTTOM 62.0f   /* content stays above; the footer lives below */
#define FOOTER_Y 34.0f /* footer baseline */

/* Table typography: text, secondary lines, column headers. */
#define T_SIZE 7.5f
#define T_LH 9.8f
#define T_BASE 7.0f /* first baseline below a row's padded top */
#define S_SIZE 6.5f
#define S_LH 8.4f
#define H_SIZE 6.8f
#define H_LH 8.2f
#define PAD_X 4.0f
#define PAD_Y 4.0f
#define HEADING_H 25.0f

#define TEXT_MAX 4096 /* one piece of text, cleaned; longer input is cut */
#define MAX_LINES 16
#define CELL 192 /* a formatted cell: the longest is a sentence of ~80 chars */
#define MAXCOL 8

static const char font_regular[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
static const char font_bold[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
static const char ellipsis[] = "…";

/* --- palette: one deep blue accent, greys, and the three status colours,
 * dark enough to read as text on white. ---------------------------------- */
struct rgb {
	float r, g, b;
};

static const struct rgb C_ACCENT = {0.106f, 0.227f, 0.420f};
static const struct rgb C_ACCENT_MID = {0.431f, 0.561f, 0.757f};
static const struct rgb C_ACCENT_LIGHT = {0.804f, 0.851f, 0.925f};
static const struct rgb C_INK = {0.129f, 0.141f, 0.161f};
static const struct rgb C_GREY = {0.400f, 0.427f, 0.471f};
static const struct rgb C_RULE = {0.800f, 0.816f, 0.843f};
static const struct rgb C_TRACK = {0.906f, 0.914f, 0.929f};
static const struct rgb C_ZEBRA = {0.957f, 0.961f, 0.969f};
static const struct rgb C_TILE = {0.941f, 0.953f, 0.973f};
static const struct rgb C_WHITE = {1.0f, 1.0f, 1.0f};
static const struct rgb C_GREEN = {0.180f, 0.490f, 0.196f};
static const struct rgb C_AMBER = {0.780f, 0.510f, 0.035f};
static const struct rgb C_RED = {0.776f, 0.157f, 0.157f};

enum align { AL_LEFT, AL_RIGHT, AL_CENTER };

/* The first libharu error of the document (its handler cannot return one). */
struct herr {
	int set;
	unsigned long code, detail;
};

/* The document being drawn, and where the flow of content stands. */
struct pdf {
	HPDF_Doc doc;
	HPDF_Font reg, bold;
	const struct scorecard *sc;
	const char *loc;
	HPDF_Page page;	  /* the page being drawn */
	HPDF_Page *pages; /* every page, for the footers written at the end */
	int n_pages, cap_pages;
	float y;	  /* top of the free space on the page */
	struct herr *err; /* the renderer's */
	/* the code points drawn in each font (0 regular, 1 bold), one bit
	 * each: the font dictionaries describe these only (trim_fonts) */
	unsigned char drawn[2][65536 / 8];
};

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
};

/* Text wrapped into lines: offsets into buf, the cleaned text. */
struct lines {
	char buf[TEXT_MAX];
	int n;
	int off[MAX_LINES], len[MAX_LINES];
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

/* ERR_FAIL when libharu reported an error since the document was made. */
static int hpdf_check(const struct pdf *p)
{
	if (!p->err->set)
		return 0;
	return err_set(ERR_FAIL, "PDF: libharu error 0x%04lX (detail %lu)", p->err->code,
		       p->err->detail);
}

static const char *tr(const struct pdf *p, const char *it, const char *en)
{
	return fmt_is_en(p->loc) ? en : it;
}

/* --- UTF-8 ------------------------------------------------------------------ */

/* Bytes of the code point starting at s (clean UTF-8). */
static size_t cp_len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Copies s into out (size bytes with the NUL) as text the fonts can set:
 * invalid UTF-8, surrogates and code points beyond the Basic Multilingual
 * Plane (libharu's UTF-8 encoder maps 16-bit codes only) become U+FFFD,
 * control characters a space. Stops before a code point that does not fit. */
static void clean(const char *s, char *out, size_t size)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t o = 0;

	while (*u) {
		unsigned cp = 0xFFFD;
		size_t n = 1, k;
		char enc[3];
		size_t elen;

		if (u[0] < 0x80) {
			cp = u[0];
		} else if (u[0] >= 0xC2 && u[0] <= 0xF4) {
			n = u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
			cp = u[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
			for (k = 1; k < n && (u[k] & 0xC0) == 0x80; k++)
				cp = (cp << 6) | (u[k] & 0x3F);
			if (k < n) {
				n = k; /* a cut sequence: resume at the odd byte */
				cp = 0xFFFD;
			} else if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
				   (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0xFFFF) {
				cp = 0xFFFD;
			}
		}
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			cp = ' ';
		if (cp < 0x80) {
			enc[0] = (char)cp;
			elen = 1;
		} else if (cp < 0x800) {
			enc[0] = (char)(0xC0 | (cp >> 6));
			enc[1] = (char)(0x80 | (cp & 0x3F));
			elen = 2;
		} else {
			enc[0] = (char)(0xE0 | (cp >> 12));
			enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			enc[2] = (char)(0x80 | (cp & 0x3F));
			elen = 3;
		}
		if (o + elen + 1 > size)
			break;
		memcpy(out + o, enc, elen);
		o += elen;
		u += n;
	}
	out[o] = '\0';
}

/* --- text --------------------------------------------------------------------- */

/* Width in points of the first n bytes of s (clean UTF-8) set in f at size.
 * libharu applies no kerning, so widths add up code point by code point. */
static float width(HPDF_Font f, float size, const char *s, size_t n)
{
	HPDF_TextWidth tw;

	if (n == 0)
		return 0.0f;
	tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)n);
	return (float)tw.width * size / 1000.0f;
}

/* Notes the code points of s (UTF-8, BMP: what clean() leaves) as drawn
 * in font f. */
static void mark_drawn(struct pdf *p, HPDF_Font f, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *bits = p->drawn[f == p->bold];

	while (*u) {
		unsigned cp;

		if (u[0] < 0x80) {
			cp = u[0];
			u += 1;
		} else if ((u[0] & 0xE0) == 0xC0 && u[1]) {
			cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
			u += 2;
		} else if ((u[0] & 0xF0) == 0xE0 && u[1] && u[2]) {
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
			u += 3;
		} else {
			cp = 0xFFFD; /* what libharu's encoder makes of it */
			u += 1;
		}
		bits[cp >> 3] |= (unsigned char)(1u << (cp & 7));
	}
}

static void put(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y,
		const char *s)
{
	if (!*s)
		return;
	mark_drawn(p, f, s);
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, f, size);
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_TextOut(p->page, x, y, s);
	HPDF_Page_EndText(p->page);
}

/* Cuts s (clean, with room for 3 more bytes) in place to fit in w: the
 * longest prefix of whole code points followed by "…"; empty when not even
 * "…" fits. Text that fits is left alone. */
static void shorten(HPDF_Font f, float size, char *s, float w)
{
	float we = width(f, size, ellipsis, sizeof(ellipsis) - 1), acc = 0.0f;
	size_t i = 0, cut = 0, len = strlen(s);

	if (width(f, size, s, len) <= w)
		return;
	if (we > w) {
		s[0] = '\0';
		return;
	}
	while (i < len) {
		size_t n = cp_len(s + i);
		float cw = width(f, size, s + i, n);

		if (acc + cw + we > w)
			break;
		acc += cw;
		i += n;
		cut = i;
	}
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	memcpy(s + cut, ellipsis, sizeof(ellipsis));
}

/* Sets s (clean, modifiable) on one line within [x, x + w] at baseline y:
 * smaller, down to 80% of size, when too wide, then shortened with "…".
 * Returns where the text starts. */
static float fit_draw(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y,
		      float w, enum align al, char *s)
{
	float tw = width(f, size, s, strlen(s));

	if (tw > w && w > 0.0f) {
		float smaller = size * w / tw * 0.995f;

		size = smaller < size * 0.8f ? size * 0.8f : smaller;
		tw = width(f, size, s, strlen(s));
		if (tw > w) {
			shorten(f, size, s, w);
			tw = width(f, size, s, strlen(s));
		}
	}
	if (al == AL_RIGHT)
		x += w - tw;
	else if (al == AL_CENTER)
		x += (w - tw) / 2.0f;
	put(p, f, size, c, x, y, s);
	return x;
}

/* fit_draw for any text (cleaned first). */
static float text_box(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y,
		      float w, enum align al, const char *s)
{
	char buf[TEXT_MAX];

	clean(s, buf, sizeof(buf) - 4);
	return fit_draw(p, f, size, c, x, y, w, al, buf);
}

/* Breaks s into at most max_lines lines at spaces (inside a word only when
 * the word alone is too wide; a no-break space U+00A0 never breaks): the
 * first n_first lines of width w_first (beside something else), the others
 * of width w. The last line ends in "…" when text remains. */
static void wrap2(HPDF_Font f, float size, const char *s, float w_first, int n_first, float w,
		  int max_lines, struct lines *l)
{
	char *q = l->buf;
	float full = w;

	clean(s, l->buf, sizeof(l->buf) - 4);
	l->n = 0;
	if (max_lines > MAX_LINES)
		max_lines = MAX_LINES;
	while (l->n < max_lines) {
		char *end = NULL, *e, *rest;

		w = l->n < n_first ? w_first : full;
		while (*q == ' ')
			q++;
		if (!*q)
			break;
		for (e = q;;) {
			char *we = e;

			while (*we == ' ')
				we++;
			while (*we && *we != ' ')
				we++;
			if (width(f, size, q, (size_t)(we - q)) > w)
				break;
			end = we;
			if (!*we)
				break;
			e = we;
		}
		if (!end) {
			float acc = 0.0f;

			for (end = q; *end && *end != ' ';) {
				size_t n = cp_len(end);
				float cw = width(f, size, end, n);

				if (end > q && acc + cw > w)
					break;
				acc += cw;
				end += n;
			}
		}
		for (rest = end; *rest == ' ';)
			rest++;
		l->off[l->n] = (int)(q - l->buf);
		if (*rest && l->n == max_lines - 1) {
			shorten(f, size, q, w); /* the rest of the text, cut */
			l->len[l->n] = (int)strlen(q);
		} else {
			l->len[l->n] = (int)(end - q);
		}
		l->n++;
		q = end;
	}
}

static void wrap(HPDF_Font f, float size, const char *s, float w, int max_lines, struct lines *l)
{
	wrap2(f, size, s, w, 0, w, max_lines, l);
}

/* Draws line i of l within [x, x + w] at baseline y (it fits: wrap made it). */
static void draw_line(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y,
		      float w, enum align al, struct lines *l, int i)
{
	char *s = l->buf + l->off[i];
	char saved = s[l->len[i]];
	float tw = width(f, size, s, (size_t)l->len[i]);

	s[l->len[i]] = '\0';
	if (al == AL_RIGHT)
		x += w - tw;
	else if (al == AL_CENTER)
		x += (w - tw) / 2.0f;
	put(p, f, size, c, x, y, s);
	s[l->len[i]] = saved;
}

/* Wraps and draws s; returns the number of lines. */
static int paragraph(struct pdf *p, HPDF_Font f, float size, float lh, struct rgb c, float x,
		     float y, float w, enum align al, int max_lines, const char *s)
{
	struct lines l;
	int i;

	wrap(f, size, s, w, max_lines, &l);
	for (i = 0; i < l.n; i++)
		draw_line(p, f, size, c, x, y - (float)i * lh, w, al, &l, i);
	return l.n;
}

static int count_lines(HPDF_Font f, float size, float w, int max_lines, const char *s)
{
	struct lines l;

	if (!s || !*s)
		return 0;
	wrap(f, size, s, w, max_lines, &l);
	return l.n;
}

/* --- shapes ------------------------------------------------------------------ */

static void rect(struct pdf *p, float x, float y, float w, float h, struct rgb c)
{
	if (!(w > 0.0f) || !(h > 0.0f)) /* also NaN: never into the content stream */
		return;
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Fill(p->page);
}

static void line(struct pdf *p, float x0, float y0, float x1, float y1, float lw, struct rgb c)
{
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_MoveTo(p->page, x0, y0);
	HPDF_Page_LineTo(p->page, x1, y1);
	HPDF_Page_Stroke(p->page);
}

static void dot(struct pdf *p, float x, float y, float r, struct rgb c)
{
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_Circle(p->page, x, y, r);
	HPDF_Page_Fill(p->page);
}

/* A small arrow, up (dir > 0) or down, its foot or head on baseline y. */
static void arrow(struct pdf *p, float x, float y, int dir, struct rgb c)
{
	float lo = y + 0.2f, hi = y + 5.6f, tip = dir > 0 ? hi : lo, base = dir > 0 ? lo : hi;
	float neck = dir > 0 ? hi - 2.6f : lo + 2.6f;

	line(p, x, base, x, neck, 0.9f, c);
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
	HPDF_Page_MoveTo(p->page, x - 2.3f, neck);
	HPDF_Page_LineTo(p->page, x + 2.3f, neck);
	HPDF_Page_LineTo(p->page, x, tip);
	HPDF_Page_ClosePath(p->page);
	HPDF_Page_Fill(p->page);
}

static struct rgb status_color(enum sc_status s)
{
	return s == ST_GREEN ? C_GREEN : s == ST_AMBER ? C_AMBER : s == ST_RED ? C_RED : C_GREY;
}

/* --- pages and flow -------------------------------------------------------- */

static int new_page(struct pdf *p)
{
	HPDF_Page pg;

	if (p->n_pages == p->cap_pages) {
		int cap = p->cap_pages ? 2 * p->cap_pages : 16;
		HPDF_Page *pages = realloc(p->pages, (size_t)cap * sizeof(*pages));

		if (!pages)
			return err_set(ERR_FAIL, "out of memory");
		p->pages = pages;
		p->cap_pages = cap;
	}
	pg = HPDF_AddPage(p->doc);
	if (!pg)
		return hpdf_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot add a page");
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->pages[p->n_pages++] = pg;
	p->page = pg;
	p->y = p->n_pages == 1 ? PAGE1_TOP : CONT_TOP;
	return 0;
}

/* Makes room for h points of content, on a new page if need be. */
static int need(struct pdf *p, float h)
{
	if (p->y - h >= BOTTOM)
		return 0;
	return new_page(p);
}

/* A section title in the accent colour, an optional note on its right, and
 * a hairline; keep is the height that must follow on the same page. */
static int heading(struct pdf *p, const char *title, const char *aside, float keep)
{
	float base, tw;
	int rc = need(p, HEADING_H + keep);
	char buf[TEXT_MAX];

	if (rc)
		return rc;
	base = p->y - 13.0f;
	clean(title, buf, sizeof(buf) - 4);
	tw = width(p->bold, 11.5f, buf, strlen(buf));
	if (tw > CONTENT_W)
		tw = CONTENT_W;
	fit_draw(p, p->bold, 11.5f, C_ACCENT, MARGIN, base, tw, AL_LEFT, buf);
	if (aside && *aside && CONTENT_W - tw - 14.0f > 40.0f)
		text_box(p, p->reg, 7.5f, C_GREY, MARGIN + tw + 14.0f, base, CONTENT_W - tw - 14.0f,
			 AL_RIGHT, aside);
	line(p, MARGIN, p->y - 18.0f, MARGIN + CONTENT_W, p->y - 18.0f, 0.5f, C_RULE);
	p->y -= HEADING_H;
	return 0;
}

/* --- formatting helpers ---------------------------------------------------------- */

static const struct sc_num null_num = {0, 0.0};

/* A number that can be drawn: set and finite. */
static int known(struct sc_num v)
{
	return v.set && isfinite(v.v);
}

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

/* A whole count held in an int, in the locale's digits. */
static int int_text(const struct pdf *p, long long v, char *buf, size_t size)
{
	return fmt_number((double)v, 0, p->loc, buf, size);
}

/* --- tables ---------------------------------------------------------------------- */

enum cell_kind {
	CK_TEXT,   /* text (wrapped when the column allows), optional grey sub line */
	CK_STATUS, /* coloured mark and word */
	CK_DELTA,  /* drawn arrow and signed text */
	CK_SCORE5, /* v[0] on five segments (ex-ante 1-5) */
	CK_BUDGET, /* bars v[0] allocated, v[1] committed, v[2] spent; text below */
	CK_RANGE,  /* rank v[2] and range v[0]-v[1] on a 1..v[3] scale */
};

struct cell {
	enum cell_kind kind;
	const char *text; /* NULL: empty */
	const char *sub;  /* second, smaller grey text, or NULL */
	char buf[CELL], subbuf[CELL];
	int bold, muted;
	float indent;
	enum sc_status status;
	int arrow;
	struct sc_num v[4];
};

struct column {
	const char *title;
	const char *sub; /* a grey second header line, or NULL */
	float w;
	enum align al;
	int lines; /* lines the main text may wrap to; 1: one line, fitted */
};

struct table {
	char title[CELL];
	char aside[2 * CELL];
	int ncol;
	struct column col[MAXCOL];
	int rows;
	int started;
};

static void cell_clear(struct cell *c, int n)
{
	memset(c, 0, (size_t)n * sizeof(*c));
}

static void cell_set(struct cell *c, const char *text)
{
	c->text = text;
}

/* The cell's text is its buffer (filled by the caller). */
static char *cell_buf(struct cell *c)
{
	c->text = c->buf;
	return c->buf;
}

static float inner(const struct column *col)
{
	return col->w - 2.0f * PAD_X;
}

static float header_height(struct pdf *p, const struct table *t)
{
	float h = 0.0f;
	int i;

	for (i = 0; i < t->ncol; i++) {
		const struct column *col = &t->col[i];
		float ch = (float)count_lines(p->bold, H_SIZE, inner(col), 2, col->title) * H_LH;

		if (col->sub)
			ch += S_LH;
		if (ch > h)
			h = ch;
	}
	return h + 2.0f * 3.5f;
}

static void draw_header(struct pdf *p, const struct table *t)
{
	float h = header_height(p, t), x = MARGIN, top = p->y;
	int i;

	for (i = 0; i < t->ncol; i++) {
		const struct column *col = &t->col[i];
		int n = paragraph(p, p->bold, H_SIZE, H_LH, C_GREY, x + PAD_X, top - 3.5f - 6.0f,
				  inner(col), col->al, 2, col->title);

		if (col->sub)
			text_box(p, p->reg, S_SIZE, C_GREY, x + PAD_X,
				 top - 3.5f - 6.0f - (float)n * H_LH, inner(col), col->al,
				 col->sub);
		x += col->w;
	}
	line(p, MARGIN, top - h, MARGIN + CONTENT_W, top - h, 0.8f, C_ACCENT);
	p->y -= h;
}

static float cell_height(struct pdf *p, const struct column *col, const struct cell *c)
{
	float w = inner(col) - c->indent, h = T_LH;

	switch (c->kind) {
	case CK_TEXT:
		if (col->lines > 1 && c->text)
			h = (float)count_lines(c->bold ? p->bold : p->reg, T_SIZE, w, col->lines,
					       c->text) *
			    T_LH;
		if (h < T_LH)
			h = T_LH;
		if (c->sub && *c->sub)
			h += (float)count_lines(p->reg, S_SIZE, w, 2, c->sub) * S_LH;
		return h;
	case CK_BUDGET:
		return 10.5f + (float)count_lines(p->reg, S_SIZE, w, 3, c->text) * S_LH;
	default:
		return T_LH;
	}
}

static float row_height(struct pdf *p, const struct table *t, const struct cell *cells)
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

/* x of value v on a scale lo..hi drawn over [x0, x0 + w], clamped. */
static float scale_x(double v, double lo, double hi, float x0, float w)
{
	double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;

	if (isnan(t)) /* a non-finite value in the model: draw it at the origin */
		t = 0;
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	return x0 + (float)t * w;
}

static void draw_budget(struct pdf *p, float x, float top, float w, const struct cell *c)
{
	/* Longest bar first so that each stays visible over the others; the
	 * colours, dark to light, read the same in grayscale. */
	const struct rgb colors[3] = {C_ACCENT_LIGHT, C_ACCENT_MID, C_ACCENT};
	double scale = 0.0;
	int order[3] = {0, 1, 2}, i, j;

	for (i = 0; i < 3; i++)
		if (known(c->v[i]) && c->v[i].v > scale)
			scale = c->v[i].v;
	rect(p, x, top - 6.5f, w, 6.5f, C_TRACK);
	for (i = 0; i < 3; i++)
		for (j = i + 1; j < 3; j++)
			if ((known(c->v[order[j]]) ? c->v[order[j]].v : 0) >
			    (known(c->v[order[i]]) ? c->v[order[i]].v : 0)) {
				int k = order[i];

				order[i] = order[j];
				order[j] = k;
			}
	for (i = 0; scale > 0 && i < 3; i++) {
		const struct sc_num *v = &c->v[order[i]];

		if (known(*v) && v->v > 0)
			rect(p, x, top - 6.5f, scale_x(v->v, 0, scale, 0, w), 6.5f,
			     colors[order[i]]);
	}
	paragraph(p, p->reg, S_SIZE, S_LH, C_INK, x, top - 6.5f - 3.0f - 5.0f, w, AL_LEFT, 3,
		  c->text ? c->text : "");
}

static void draw_range(struct pdf *p, float x, float base, float w, const struct cell *c)
{
	double n = known(c->v[3]) ? c->v[3].v : 1.0;
	float mid = base + 2.6f;

	line(p, x, mid, x + w, mid, 0.6f, C_RULE);
	line(p, x, mid - 2.0f, x, mid + 2.0f, 0.6f, C_RULE);
	line(p, x + w, mid - 2.0f, x + w, mid + 2.0f, 0.6f, C_RULE);
	if (known(c->v[0]) && known(c->v[1])) {
		float a = scale_x(c->v[0].v, 1, n, x, w), b = scale_x(c->v[1].v, 1, n, x, w);

		if (b - a < 2.0f) {
			a -= 1.0f;
			b += 1.0f;
		}
		rect(p, a, mid - 2.0f, b - a, 4.0f, C_ACCENT_MID);
	}
	if (known(c->v[2]))
		dot(p, scale_x(c->v[2].v, 1, n, x, w), mid, 2.2f, C_ACCENT);
}

static void draw_score5(struct pdf *p, float x, float base, float w, const struct cell *c)
{
	float gap = 2.0f, seg = (w - 4.0f * gap) / 5.0f;
	int i;

	if (w > 150.0f)
		seg = (150.0f - 4.0f * gap) / 5.0f;
	for (i = 0; i < 5; i++) {
		float sx = x + (float)i * (seg + gap);
		double fill = known(c->v[0]) ? c->v[0].v - i : 0.0;

		rect(p, sx, base - 0.5f, seg, 6.5f, C_TRACK);
		if (fill > 0)
			rect(p, sx, base - 0.5f, fill >= 1 ? seg : seg * (float)fill, 6.5f,
			     C_ACCENT);
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
			n = paragraph(p, f, T_SIZE, T_LH, ink, x, base, w, col->al, col->lines,
				      c->text);
		else if (c->text)
			text_box(p, f, T_SIZE, ink, x, base, w, col->al, c->text);
		if (c->sub && *c->sub)
			paragraph(p, p->reg, S_SIZE, S_LH, C_GREY, x,
				  base - (float)(n > 0 ? n - 1 : 0) * T_LH - S_LH, w, col->al, 2,
				  c->sub);
		break;
	}
	case CK_STATUS: {
		const char *mark = fmt_status_mark(c->status);
		float mw = width(p->reg, T_SIZE, mark, strlen(mark)) + 3.0f;

		put(p, p->reg, T_SIZE, status_color(c->status), x, base, mark);
		/* No status is the dash alone, as in the other outputs. */
		if (c->text || c->status != ST_NONE)
			text_box(p, f, T_SIZE, c->status == ST_NONE ? C_GREY : C_INK, x + mw, base,
				 w - mw, AL_LEFT,
				 c->text ? c->text : fmt_status_word(c->status, p->loc));
		break;
	}
	case CK_DELTA: {
		float tx = text_box(p, f, T_SIZE, ink, x + 8.0f, base, w - 8.0f, AL_RIGHT,
				    c->text ? c->text : "");

		if (c->arrow)
			arrow(p, tx - 5.0f, base, c->arrow, C_GREY);
		break;
	}
	case CK_SCORE5:
		draw_score5(p, x, base, w, c);
		break;
	case CK_BUDGET:
		draw_budget(p, x, top - PAD_Y - 1.0f, w, c);
		break;
	case CK_RANGE:
		draw_range(p, x, base, w, c);
		break;
	}
}

/* Adds a row: the title and the header first, and again on a new page when
 * the row does not fit. */
static int table_row(struct pdf *p, struct table *t, const struct cell *cells)
{
	float h = row_height(p, t, cells), x = MARGIN;
	int i, rc;

	if (!t->started || p->y - h < BOTTOM) {
		char title[2 * CELL];

		if (t->started) {
			rc = new_page(p);
			if (rc)
				return rc;
			lbl_say(title, sizeof(title), "%s (%s)", t->title,
				tr(p, "segue", "continued"));
		}
		rc = heading(p, t->started ? title : t->title, t->started ? NULL : t->aside,
			     header_height(p, t) + h);
		if (rc)
			return rc;
		draw_header(p, t);
		t->started = 1;
	}
	if (t->rows % 2 == 1)
		rect(p, MARGIN, p->y - h, CONTENT_W, h, C_ZEBRA);
	for (i = 0; i < t->ncol; i++) {
		draw_cell(p, x, p->y, &t->col[i], &cells[i]);
		x += t->col[i].w;
	}
	p->y -= h;
	t->rows++;
	return 0;
}

static void table_end(struct pdf *p, const struct table *t)
{
	if (t->started)
		line(p, MARGIN, p->y, MARGIN + CONTENT_W, p->y, 0.5f, C_RULE);
	p->y -= 16.0f;
}

static void column(struct table *t, const char *title, const char *sub, float w, enum align al,
		   int lines)
{
	struct column *c = &t->col[t->ncol++];

	c->title = title;
	c->sub = sub;
	c->w = w;
	c->al = al;
	c->lines = lines;
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

	text_box(p, p->bold, 7.5f, C_ACCENT, MARGIN, y - 7.0f, lw, AL_LEFT,
		 agreement ? tr(p, "CRUSCOTTO DI VALUTAZIONE · ACCORDO DI CITTADINANZA",
				"EVALUATION SCORECARD · CITIZENSHIP AGREEMENT")
			   : tr(p, "CRUSCOTTO DI VALUTAZIONE · POLITICA",
				"EVALUATION SCORECARD · POLICY"));
	/* The period block is two lines high (to top - 36): below it, text
	 * takes the full width. */
	text_box(p, p->bold, 20.0f, C_ACCENT, rx, top - 19.0f, rw, AL_RIGHT, sc->period);
	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, a, sizeof(a))) < 0)
		return rc;
	lbl_say(line_buf, sizeof(line_buf), "%s %s", tr(p, "dati al", "data as of"), a);
	text_box(p, p->bold, 8.0f, C_INK, rx, top - 32.0f, rw, AL_RIGHT, line_buf);
	y -= 18.0f;
	if (agreement) {
		const char *title = sc->agreement_title ? sc->agreement_title : fmt_null;

		text_box(p, p->bold, 10.0f, C_ACCENT, MARGIN, y - 9.0f, lw, AL_LEFT,
			 sc->policy_name ? sc->policy_name : fmt_null);
		y -= 20.0f;
		/* Long titles wrap; very long ones are set smaller rather
		 * than cut. */
		size = 16.0f;
		lh = 19.5f;
		if (count_lines(p->bold, size, CONTENT_W, 8, title) > 3) {
			size = 13.0f;
			lh = 16.0f;
		}
		n = paragraph(p, p->bold, size, lh, C_INK, MARGIN, y - size * 0.95f, CONTENT_W,
			      AL_LEFT, 8, title);
		y -= (float)n * lh + 6.0f;
		lbl_say(line_buf, sizeof(line_buf), "%s %s · %s: %s", tr(p, "Accordo", "Agreement"),
			sc->agreement_code ? sc->agreement_code : fmt_null,
			tr(p, "stato", "status"),
			fmt_agreement_status(sc->agreement_status, p->loc));
		text_box(p, p->reg, 8.0f, C_INK, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, line_buf);
		y -= 11.5f;
		lbl_neighbourhoods(sc, big, sizeof(big));
		lbl_say(line_buf, sizeof(line_buf), "%s: %s",
			sc->n_neighbourhoods == 1 ? tr(p, "Quartiere", "Neighbourhood")
						  : tr(p, "Quartieri", "Neighbourhoods"),
			big[0] ? big : fmt_null);
		n = paragraph(p, p->reg, 8.0f, 10.5f, C_INK, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT,
			      3, line_buf);
		y -= (float)n * 10.5f + 1.0f;
		if ((rc = lbl_lifecycle(sc, big, sizeof(big))) < 0)
			return rc;
		lbl_say(line_buf, sizeof(line_buf), "%s: %s", tr(p, "Percorso", "Lifecycle"), big);
		n = paragraph(p, p->reg, 8.0f, 10.5f, C_GREY, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT,
			      2, line_buf);
		y -= (float)n * 10.5f + 1.0f;
	} else {
		/* Only the first line of the name sits beside the period. */
		struct lines l;

		wrap2(p->bold, 20.0f, sc->policy_name ? sc->policy_name : fmt_null, lw, 1,
		      CONTENT_W, 3, &l);
		for (n = 0; n < l.n; n++)
			draw_line(p, p->bold, 20.0f, C_INK, MARGIN, y - 19.0f - (float)n * 24.0f,
				  n ? CONTENT_W : lw, AL_LEFT, &l, n);
		y -= (float)n * 24.0f + 6.0f;
		lbl_say(line_buf, sizeof(line_buf), "%s %s", tr(p, "Politica", "Policy"),
			sc->policy_code ? sc->policy_code : fmt_null);
		text_box(p, p->reg, 8.0f, C_INK, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, line_buf);
		y -= 11.5f;
	}
	if ((rc = lbl_period(sc, line_buf, sizeof(line_buf))) < 0)
		return rc;
	n = paragraph(p, p->reg, 8.0f, 10.5f, C_GREY, MARGIN, y - 8.0f, CONTENT_W, AL_LEFT, 2,
		      line_buf);
	y -= (float)n * 10.5f;
	if (y > top - 44.0f)
		y = top - 44.0f;
	y -= 7.0f;
	line(p, MARGIN, y, MARGIN + CONTENT_W, y, 1.4f, C_ACCENT);
	p->y = y - 10.0f;
	return 0;
}

/* --- page 1: headline tiles -------------------------------------------------------- */

#define TILE_GAP 10.0f
#define TILE_PAD 11.0f

static float tile_height(struct pdf *p, const struct lbl_tile *t, float w)
{
	float h = TILE_PAD + 20.0f + 4.0f;

	h += (float)count_lines(p->bold, 8.0f, w - 2 * TILE_PAD, 2, t->label) * 10.0f;
	if (t->sub[0])
		h += 2.0f + (float)count_lines(p->reg, 7.0f, w - 2 * TILE_PAD, 3, t->sub) * 9.0f;
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
	if ((rc = need(p, h)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const struct lbl_tile *t = &tiles[i];
		float x = MARGIN + (float)i * (w + TILE_GAP), y = p->y - TILE_PAD, tw;
		int lines;

		rect(p, x, p->y - h, w, h, C_TILE);
		rect(p, x, p->y - h, 3.0f, h, C_ACCENT);
		tw = w - 2 * TILE_PAD;
		text_box(p, p->bold, 20.0f, C_ACCENT, x + TILE_PAD, y - 17.0f, tw, AL_LEFT,
			 t->value);
		y -= 24.0f;
		lines = paragraph(p, p->bold, 8.0f, 10.0f, C_INK, x + TILE_PAD, y - 7.5f, tw,
				  AL_LEFT, 2, t->label);
		y -= (float)lines * 10.0f + 2.0f;
		if (t->sub[0])
			paragraph(p, p->reg, 7.0f, 9.0f, C_GREY, x + TILE_PAD, y - 6.5f, tw,
				  AL_LEFT, 3, t->sub);
	}
	p->y -= h + TILE_GAP;
	return 0;
}

static int draw_tiles(struct pdf *p)
{
	struct lbl_tile t[LBL_MAX_TILES];
	int rc, n;

	if ((rc = heading(p, tr(p, "I numeri chiave", "Key figures"), NULL, 70.0f)) < 0 ||
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

	rc = heading(p, tr(p, "Punteggi delle dimensioni e indice", "Dimension scores and index"),
		     tr(p, "scala 0–100: 100 = tutti gli obiettivi raggiunti",
			"scale 0–100: 100 = every target met"),
		     ph + 8.0f);
	if (rc)
		return rc;
	top = p->y - 2.0f;

	/* The index, prominent: a solid panel on the left. */
	rect(p, MARGIN, top - ph, pw, ph, C_ACCENT);
	text_box(p, p->bold, 8.5f, C_WHITE, MARGIN + 12.0f, top - 16.0f, pw - 24.0f, AL_LEFT,
		 tr(p, "Indice complessivo", "Overall index"));
	if ((rc = lbl_score(sc->index, p->loc, buf, sizeof(buf))) < 0)
		return rc;
	text_box(p, p->bold, 30.0f, C_WHITE, MARGIN + 12.0f, top - 50.0f, pw - 24.0f, AL_LEFT, buf);
	paragraph(p, p->reg, 7.0f, 8.8f, C_ACCENT_LIGHT, ix, top - 62.0f, iw, AL_LEFT, 2,
		  known(sc->index) ? tr(p, "su 100: media pesata dei punteggi delle dimensioni",
					"out of 100: weighted mean of the dimension scores")
				   : tr(p, "non calcolabile: nessun punteggio di dimensione",
					"not available: no dimension score"));
	if (sc->level == CAT_POLICY) {
		text_box(p, p->reg, 7.0f, C_ACCENT_LIGHT, ix, top - 87.0f, iw, AL_LEFT,
			 tr(p, "Al variare dei pesi (5°–95° percentile)",
			    "As weights vary (5th–95th percentile)"));
		if ((rc = lbl_score_range(sc->index_p05, sc->index_p95, p->loc, buf, sizeof(buf))) <
		    0)
			return rc;
		text_box(p, p->bold, 8.5f, C_WHITE, ix, top - 98.0f, iw, AL_LEFT, buf);
		y = top - 109.0f;
		line(p, MARGIN + 12.0f, y, MARGIN + pw - 12.0f, y, 0.8f, C_ACCENT_MID);
		if (known(sc->index_p05) && known(sc->index_p95)) {
			float x0 = scale_x(sc->index_p05.v, 0, 100, MARGIN + 12.0f, pw - 24.0f);
			float x1 = scale_x(sc->index_p95.v, 0, 100, MARGIN + 12.0f, pw - 24.0f);

			rect(p, x0, y - 2.0f, x1 - x0 < 1.5f ? 1.5f : x1 - x0, 4.0f,
			     C_ACCENT_LIGHT);
		}
		if (known(sc->index))
			line(p, scale_x(sc->index.v, 0, 100, MARGIN + 12.0f, pw - 24.0f), y - 4.0f,
			     scale_x(sc->index.v, 0, 100, MARGIN + 12.0f, pw - 24.0f), y + 4.0f,
			     1.4f, C_WHITE);
	}

	/* The five dimensions as horizontal bars on a shared 0-100 axis. */
	for (d = 0; d < DIM_COUNT; d++) {
		const struct sc_dimension *dim = &sc->dims[d];
		float ry = top - (float)d * SCORE_ROW;

		text_box(p, p->reg, 8.0f, C_INK, cx, ry - 11.5f, lw - 8.0f, AL_LEFT,
			 cat_dimension_label((enum cat_dimension)d, p->loc));
		rect(p, tx, ry - 14.0f, tw, 9.0f, C_TRACK);
		if (known(dim->score))
			rect(p, tx, ry - 14.0f, scale_x(dim->score.v, 0, 100, 0, tw), 9.0f,
			     C_ACCENT);
		if ((rc = lbl_score(dim->score, p->loc, buf, sizeof(buf))) < 0)
			return rc;
		text_box(p, p->bold, 8.0f, known(dim->score) ? C_INK : C_GREY, tx + tw + 4.0f,
			 ry - 11.5f, vw, AL_RIGHT, buf);
	}
	/* Gridlines over the bars (white, so they read as notches) and the
	 * axis labels below. */
	y = top - DIM_COUNT * SCORE_ROW;
	for (i = 0; i <= 4; i++) {
		float gx = tx + tw * (float)i / 4.0f;

		if (i > 0 && i < 4)
			line(p, gx, y + 3.0f, gx, top - 3.0f, 0.6f, C_WHITE);
		line(p, gx, y + 2.0f, gx, y - 0.5f, 0.5f, C_GREY);
		lbl_say(buf, sizeof(buf), "%d", i * 25);
		text_box(p, p->reg, 6.5f, C_GREY, gx - 12.0f, y - 8.0f, 24.0f, AL_CENTER, buf);
	}
	p->y = top - ph - 14.0f;
	return 0;
}

/* --- page 1: trends ------------------------------------------------------------------ */

static int trend_text(const struct pdf *p, int k, struct sc_num v, char *buf, size_t size)
{
	if (k < 0)
		return lbl_score(v, p->loc, buf, size);
	return fmt_value(v, cat_find(sc_trend_codes[k]) ? cat_find(sc_trend_codes[k])->unit : NULL,
			 p->loc, buf, size);
}

static int trend_chart(struct pdf *p, int k, float x, float top, float w, float h)
{
	const struct scorecard *sc = p->sc;
	const struct cat_indicator *ind = k < 0 ? NULL : cat_find(sc_trend_codes[k]);
	const char *unit = ind ? ind->unit : NULL;
	const float px1 = x + w - 4.0f, py0 = top - h + 13.0f, py1 = top - 34.0f;
	float ax, px0;
	double lo = 0.0, hi = 0.0;
	char buf[CELL], lo_t[CELL], hi_t[CELL];
	int i, any = 0, prev = -1, rc, n = sc->n_trend;
	struct sc_num last = n > 0 ? lbl_trend_value(sc, k, n - 1) : null_num;

	text_box(p, p->bold, 7.5f, C_INK, x, top - 7.0f, w, AL_LEFT,
		 k < 0 ? tr(p, "Indice complessivo", "Overall index")
		       : (ind ? cat_label(ind, p->loc) : sc_trend_codes[k]));
	if (ind && sc_cget(sc, ind->code) && sc_cget(sc, ind->code)->suppressed)
		lbl_say(buf, sizeof(buf), "%s", tr(p, "soppresso", "suppressed"));
	else if ((rc = trend_text(p, k, last, buf, sizeof(buf))) < 0)
		return rc;
	text_box(p, p->bold, 11.0f, known(last) ? C_ACCENT : C_GREY, x, top - 21.0f, w, AL_LEFT,
		 buf);

	any = lbl_trend_scale(sc, k, &lo, &hi);
	/* Axis ends: whole numbers, except the largest of a series, which is
	 * one of its values and is printed like them, in full: the labels
	 * decide how much room the axis takes. */
	if ((rc = fmt_number(lo, 0, p->loc, lo_t, sizeof(lo_t))) < 0)
		return rc;
	if (k < 0 || (unit && strcmp(unit, "score") == 0))
		rc = fmt_number(hi, 0, p->loc, hi_t, sizeof(hi_t));
	else
		rc = fmt_value(num(hi), unit, p->loc, hi_t, sizeof(hi_t));
	if (rc < 0)
		return rc;
	ax = width(p->reg, 6.0f, hi_t, strlen(hi_t));
	if (width(p->reg, 6.0f, lo_t, strlen(lo_t)) > ax)
		ax = width(p->reg, 6.0f, lo_t, strlen(lo_t));
	ax += 6.0f;
	if (ax < 20.0f)
		ax = 20.0f;
	if (ax > w / 2.0f)
		ax = w / 2.0f;
	px0 = x + ax;
	line(p, px0, py0, px1, py0, 0.6f, C_RULE);
	line(p, px0, py1, px1, py1, 0.3f, C_RULE);
	if (any) {
		text_box(p, p->reg, 6.0f, C_GREY, x, py1 - 2.0f, ax - 4.0f, AL_RIGHT, hi_t);
		text_box(p, p->reg, 6.0f, C_GREY, x, py0 - 2.0f, ax - 4.0f, AL_RIGHT, lo_t);
	} else {
		text_box(p, p->reg, 7.0f, C_GREY, px0, (py0 + py1) / 2.0f - 2.0f, px1 - px0,
			 AL_CENTER, tr(p, "nessun dato", "no data"));
	}
	if (n > 0) {
		text_box(p, p->reg, 6.0f, C_GREY, px0 - 10.0f, py0 - 9.5f, 60.0f, AL_LEFT,
			 sc->trend[0].period);
		if (n > 1)
			text_box(p, p->reg, 6.0f, C_GREY, px1 - 60.0f, py0 - 9.5f, 60.0f, AL_RIGHT,
				 sc->trend[n - 1].period);
	}
	/* Ticks for every quarter, so that a missing point shows as a gap. */
	for (i = 0; i < n; i++) {
		float xi =
			n > 1 ? px0 + (px1 - px0) * (float)i / (float)(n - 1) : (px0 + px1) / 2.0f;

		line(p, xi, py0, xi, py0 - 2.0f, 0.5f, C_RULE);
	}
	/* The line: segments between consecutive known points only. */
	for (i = 0; i < n; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);
		float xi =
			n > 1 ? px0 + (px1 - px0) * (float)i / (float)(n - 1) : (px0 + px1) / 2.0f;
		float yi;

		if (!known(v)) {
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
			line(p, xp, yp, xi, yi, 1.3f, C_ACCENT);
		}
		dot(p, xi, yi, i == n - 1 ? 2.4f : 1.5f, C_ACCENT);
		prev = i;
	}
	return 0;
}

static int draw_trends(struct pdf *p)
{
	const int cols = 3, count = 1 + sc_trend_count, rows = (count + cols - 1) / cols;
	const float gap = 18.0f, w = (CONTENT_W - (float)(cols - 1) * gap) / (float)cols;
	/* The charts share what is left of page 1, within reason. */
	float h = (p->y - BOTTOM - HEADING_H) / (float)rows - 10.0f;
	char aside[CELL];
	int i, rc;

	if (h > 110.0f)
		h = 110.0f;
	if (h < 80.0f)
		h = 80.0f;
	if (p->sc->n_trend > 0)
		lbl_say(aside, sizeof(aside), "%s – %s", p->sc->trend[0].period,
			p->sc->trend[p->sc->n_trend - 1].period);
	else
		aside[0] = '\0';
	rc = heading(p, tr(p, "Andamento negli ultimi trimestri", "Trend over the last quarters"),
		     aside, p->sc->n_trend > 0 ? h : 14.0f);
	if (rc)
		return rc;
	if (p->sc->n_trend == 0 || !p->sc->trend) {
		text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			 tr(p, "Nessun trimestre da mostrare.", "No quarter to show."));
		p->y -= 26.0f;
		return 0;
	}
	for (i = 0; i < count; i++) {
		int col = i % cols;

		if (col == 0 && i > 0) {
			p->y -= h + 10.0f;
			if ((rc = need(p, h)) < 0)
				return rc;
		}
		rc = trend_chart(p, i - 1, MARGIN + (float)col * (w + gap), p->y, w, h);
		if (rc)
			return rc;
	}
	p->y -= h + 10.0f;
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

	if ((rc = need(p, 16.0f)) < 0)
		return rc;
	for (i = 0; i < 4; i++) {
		const char *mark = fmt_status_mark(order[i]);

		lbl_say(text[i], sizeof(text[i]), "%s: %s", fmt_status_word(order[i], p->loc),
			lbl_status_meaning(order[i], p->loc));
		mw[i] = width(p->reg, size, mark, strlen(mark)) + 2.5f;
		total += mw[i] + width(p->reg, size, text[i], strlen(text[i])) + gap;
	}
	total -= gap;
	if (total > CONTENT_W) {
		size *= CONTENT_W / total * 0.99f;
		gap *= CONTENT_W / total * 0.99f;
		for (i = 0; i < 4; i++)
			mw[i] *= CONTENT_W / total * 0.99f;
	}
	for (i = 0; i < 4; i++) {
		put(p, p->reg, size, status_color(order[i]), x, p->y - 8.0f,
		    fmt_status_mark(order[i]));
		x += mw[i];
		put(p, p->reg, size, C_INK, x, p->y - 8.0f, text[i]);
		x += width(p->reg, size, text[i], strlen(text[i])) + gap;
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

	cell_clear(c, MAXCOL);
	if ((rc = lbl_row(p->sc, x, &r)) < 0)
		return rc;
	cell_set(&c[0], r.label);
	/* Breakdowns (out.signatories.association, ...) sit under their total. */
	if (r.breakdown) {
		c[0].indent = 9.0f;
		c[0].muted = 1;
	}
	lbl_say(cell_buf(&c[1]), CELL, "%s", r.value);
	c[1].muted = r.suppressed;
	c[1].bold = !r.suppressed;
	lbl_say(cell_buf(&c[2]), CELL, "%s", r.previous);
	c[3].kind = CK_DELTA;
	lbl_say(cell_buf(&c[3]), CELL, "%s", r.delta);
	c[3].arrow = r.direction;
	lbl_say(cell_buf(&c[4]), CELL, "%s", r.target);
	c[5].kind = CK_STATUS;
	c[5].status = r.status;
	if (stats) {
		lbl_say(cell_buf(&c[6]), CELL, "%s", r.n);
		lbl_say(cell_buf(&c[7]), CELL, "%s", r.interval);
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
	lbl_say(t.title, sizeof(t.title), "%s", cat_dimension_label(d, p->loc));
	if ((rc = lbl_dimension_aside(sc, d, t.aside, sizeof(t.aside))) < 0)
		return rc;
	if (stats) {
		column(&t, tr(p, "Indicatore", "Indicator"), NULL, 132.0f, AL_LEFT, 3);
		column(&t, tr(p, "Valore", "Value"), sc->period, 52.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Precedente", "Previous"), sc->period_previous, 52.0f, AL_RIGHT,
		       1);
		column(&t, tr(p, "Variazione", "Change"), NULL, 56.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Obiettivo", "Target"), NULL, 48.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Stato", "Status"), NULL, 52.0f, AL_LEFT, 1);
		column(&t, "n", NULL, 26.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Intervallo 95%", "95% interval"), NULL, CONTENT_W - 418.0f,
		       AL_RIGHT, 1);
	} else {
		column(&t, tr(p, "Indicatore", "Indicator"), NULL, 201.0f, AL_LEFT, 3);
		column(&t, tr(p, "Valore", "Value"), sc->period, 62.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Precedente", "Previous"), sc->period_previous, 62.0f, AL_RIGHT,
		       1);
		column(&t, tr(p, "Variazione", "Change"), NULL, 62.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Obiettivo", "Target"), NULL, 56.0f, AL_RIGHT, 1);
		column(&t, tr(p, "Stato", "Status"), NULL, CONTENT_W - 443.0f, AL_LEFT, 1);
	}
	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (!x->present || !x->ind || x->ind->dimension != d)
			continue;
		if ((rc = indicator_cells(p, x, stats, c)) < 0 || (rc = table_row(p, &t, c)) < 0)
			return rc;
	}
	table_end(p, &t);
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
	lbl_say(t.title, sizeof(t.title), "%s", tr(p, "Valutazione ex ante", "Ex-ante evaluation"));
	lbl_say(t.aside, sizeof(t.aside), "%s",
		tr(p, "superata se ogni criterio vale almeno 3 su 5",
		   "passed when every criterion scores at least 3 out of 5"));
	column(&t, tr(p, "Criterio", "Criterion"), NULL, 170.0f, AL_LEFT, 1);
	column(&t, tr(p, "Punteggio", "Score"), NULL, 70.0f, AL_RIGHT, 1);
	column(&t, tr(p, "Scala da 1 a 5", "Scale 1 to 5"), NULL, CONTENT_W - 240.0f, AL_LEFT, 1);
	for (i = 0; i < 4; i++) {
		struct sc_num v = i < 3 ? sc->ex_ante[i] : sc->ex_ante_mean;

		cell_clear(c, MAXCOL);
		cell_set(&c[0], i < 3 ? fmt_ex_ante_label(i, p->loc) : tr(p, "Media", "Mean"));
		c[0].bold = c[1].bold = i == 3;
		if ((rc = fmt_value(v, "score", p->loc, cell_buf(&c[1]), CELL)) < 0)
			return rc;
		c[2].kind = CK_SCORE5;
		c[2].v[0] = v;
		if ((rc = table_row(p, &t, c)) < 0)
			return rc;
	}
	cell_clear(c, MAXCOL);
	cell_set(&c[0], tr(p, "Esito", "Outcome"));
	c[0].bold = 1;
	c[2].kind = CK_STATUS;
	c[2].status = sc->ex_ante_passed ? ST_GREEN : ST_RED;
	c[2].bold = 1;
	cell_set(&c[2], lbl_ex_ante_outcome(sc));
	if ((rc = table_row(p, &t, c)) < 0)
		return rc;
	table_end(p, &t);
	return 0;
}

/* Swatches explaining the budget bars. */
static void budget_legend(struct pdf *p)
{
	const struct rgb colors[3] = {C_ACCENT, C_ACCENT_MID, C_ACCENT_LIGHT};
	const char *words[3] = {tr(p, "speso", "spent"), tr(p, "impegnato", "committed"),
				tr(p, "stanziato", "allocated")};
	float x = MARGIN;
	int i;

	for (i = 0; i < 3; i++) {
		rect(p, x, p->y - 8.0f, 10.0f, 6.5f, colors[i]);
		x += 13.0f;
		put(p, p->reg, 7.0f, C_INK, x, p->y - 7.5f, words[i]);
		x += width(p->reg, 7.0f, words[i], strlen(words[i])) + 14.0f;
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
	lbl_say(t.title, sizeof(t.title), "%s", tr(p, "Progetti e budget", "Projects and budget"));
	if (sc->n_projects == 0 || !sc->projects) {
		char buf[CELL], d[CELL];

		if ((rc = heading(p, t.title, NULL, 14.0f)) < 0 ||
		    (rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d))) < 0)
			return rc;
		lbl_say(buf, sizeof(buf), "%s %s.",
			tr(p, "Nessun progetto definito al", "No project defined as of"), d);
		text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT, buf);
		p->y -= 26.0f;
		return 0;
	}
	column(&t, tr(p, "Progetto", "Project"), NULL, 180.0f, AL_LEFT, 3);
	column(&t, tr(p, "Budget", "Budget"), NULL, 212.0f, AL_LEFT, 1);
	column(&t, tr(p, "Tappe", "Milestones"), NULL, CONTENT_W - 392.0f, AL_LEFT, 2);
	for (i = 0; i < sc->n_projects; i++) {
		const struct sc_project *pr = &sc->projects[i];
		struct lbl_project lp;

		if ((rc = lbl_project(pr, p->loc, &lp)) < 0)
			return rc;
		cell_clear(c, MAXCOL);
		cell_set(&c[0], pr->title ? pr->title : fmt_null);
		c[0].bold = 1;
		lbl_say(c[0].subbuf, CELL, "%s", lp.sub);
		c[0].sub = c[0].subbuf;
		c[1].kind = CK_BUDGET;
		c[1].v[0] = num(pr->allocated);
		c[1].v[1] = num(pr->committed);
		c[1].v[2] = num(pr->spent);
		lbl_say(cell_buf(&c[1]), CELL, "%s", lp.budget);
		lbl_say(cell_buf(&c[2]), CELL, "%s", lp.milestones);
		lbl_say(c[2].subbuf, CELL, "%s", lp.milestones_sub);
		c[2].sub = c[2].subbuf;
		if (t.rows == 0 && !t.started) {
			/* The legend belongs right under the title. */
			float h = row_height(p, &t, c);

			if ((rc = heading(p, t.title, NULL, 14.0f + header_height(p, &t) + h)) < 0)
				return rc;
			budget_legend(p);
			draw_header(p, &t);
			t.started = 1;
		}
		if ((rc = table_row(p, &t, c)) < 0)
			return rc;
	}
	table_end(p, &t);
	return 0;
}

static int draw_milestones(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	memset(&t, 0, sizeof(t));
	lbl_say(t.title, sizeof(t.title), "%s", tr(p, "Tappe dei progetti", "Project milestones"));
	if (sc->n_milestones == 0 || !sc->milestones) {
		if ((rc = heading(p, t.title, NULL, 14.0f)) < 0)
			return rc;
		text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			 tr(p, "Nessuna tappa prevista.", "No milestone planned."));
		p->y -= 26.0f;
		return 0;
	}
	column(&t, tr(p, "Progetto", "Project"), NULL, 66.0f, AL_LEFT, 1);
	column(&t, tr(p, "Tappa", "Milestone"), NULL, 191.0f, AL_LEFT, 3);
	column(&t, tr(p, "Scadenza", "Due"), NULL, 62.0f, AL_RIGHT, 1);
	column(&t, tr(p, "Raggiunta", "Achieved"), NULL, 62.0f, AL_RIGHT, 1);
	column(&t, tr(p, "Esito", "Outcome"), NULL, CONTENT_W - 381.0f, AL_LEFT, 1);
	for (i = 0; i < sc->n_milestones; i++) {
		const struct sc_milestone *m = &sc->milestones[i];
		const char *word;
		int done;

		cell_clear(c, MAXCOL);
		c[4].kind = CK_STATUS;
		c[4].status = lbl_milestone(sc, m, &done, &word);
		cell_set(&c[4], word);
		cell_set(&c[0], m->project_code ? m->project_code : fmt_null);
		c[0].muted = 1;
		cell_set(&c[1], m->title ? m->title : fmt_null);
		if ((rc = fmt_date(m->due_on, FMT_DATE_SHORT, p->loc, cell_buf(&c[2]), CELL)) < 0 ||
		    (rc = fmt_date(done ? m->achieved_on : NULL, FMT_DATE_SHORT, p->loc,
				   cell_buf(&c[3]), CELL)) < 0)
			return rc;
		if ((rc = table_row(p, &t, c)) < 0)
			return rc;
	}
	table_end(p, &t);
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
		tr(p, "Accordi per indice", "Agreements ranked by index"));
	lbl_say(t.aside, sizeof(t.aside), "%s",
		tr(p, "posizione e sua variabilità al variare dei pesi",
		   "rank and how it varies as the weights vary"));
	if (sc->n_ranks == 0 || !sc->ranks) {
		if ((rc = heading(p, t.title, NULL, 14.0f)) < 0)
			return rc;
		text_box(p, p->reg, 8.0f, C_GREY, MARGIN, p->y - 8.0f, CONTENT_W, AL_LEFT,
			 tr(p, "Nessun accordo nel periodo.", "No agreement in the period."));
		p->y -= 26.0f;
		return 0;
	}
	/* The scale of the range bars: 1 to the worst rank or percentile. */
	n = lbl_rank_scale(sc);
	if ((rc = fmt_number(n, 0, p->loc, nb, sizeof(nb))) < 0)
		return rc;
	lbl_say(range_title, sizeof(range_title), "%s 1–%s",
		tr(p, "Intervallo di posizione, scala", "Rank range, scale"), nb);
	/* One line per agreement where the title allows: 300 agreements
	 * take about eight pages. */
	column(&t, tr(p, "Pos.", "Rank"), NULL, 30.0f, AL_RIGHT, 1);
	column(&t, tr(p, "Codice", "Code"), NULL, 52.0f, AL_LEFT, 1);
	column(&t, tr(p, "Accordo", "Agreement"), NULL, 185.0f, AL_LEFT, 3);
	column(&t, tr(p, "Indice", "Index"), NULL, 40.0f, AL_RIGHT, 1);
	column(&t, tr(p, "Posizioni 5°–95°", "Ranks 5th–95th"), NULL, 60.0f, AL_RIGHT, 1);
	column(&t, range_title,
	       tr(p, "punto: posizione · barra: 5°–95° percentile",
		  "dot: rank · bar: 5th–95th percentile"),
	       CONTENT_W - 367.0f, AL_LEFT, 1);
	for (i = 0; i < sc->n_ranks; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		cell_clear(c, MAXCOL);
		if ((rc = lbl_rank(k, p->loc, cell_buf(&c[0]), CELL)) < 0)
			return rc;
		c[0].bold = 1;
		cell_set(&c[1], k->agreement_code ? k->agreement_code : fmt_null);
		c[1].muted = 1;
		cell_set(&c[2], k->agreement_title ? k->agreement_title : fmt_null);
		if ((rc = lbl_score(k->index, p->loc, cell_buf(&c[3]), CELL)) < 0 ||
		    (rc = lbl_rank_range(k, p->loc, cell_buf(&c[4]), CELL)) < 0)
			return rc;
		c[3].bold = 1;
		c[4].muted = !(k->rank_p05.set && k->rank_p95.set);
		c[5].kind = CK_RANGE;
		c[5].v[0] = k->rank_p05;
		c[5].v[1] = k->rank_p95;
		c[5].v[2] = k->rank > 0 ? num(k->rank) : null_num;
		c[5].v[3] = num(n);
		if ((rc = table_row(p, &t, c)) < 0)
			return rc;
	}
	table_end(p, &t);
	return 0;
}

/* --- notes ------------------------------------------------------------------------------ */

static int draw_notes(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	char buf[TEXT_MAX];
	int i, rc, total = sc->n_notes + (sc->snapshot ? 1 : 0);

	if ((rc = heading(p, tr(p, "Note di metodo", "Notes on method"), NULL, 24.0f)) < 0)
		return rc;
	for (i = 0; i < total; i++) {
		const char *note;
		int n;

		if (i < sc->n_notes) {
			note = sc->notes[i] ? sc->notes[i] : "";
		} else {
			lbl_say(buf, sizeof(buf), "%s: %s",
				tr(p, "Istantanea dei dati", "Data snapshot"), sc->snapshot);
			note = buf;
		}
		n = count_lines(p->reg, 7.5f, CONTENT_W - 12.0f, 12, note);
		if ((rc = need(p, (float)n * 10.0f + 4.0f)) < 0)
			return rc;
		put(p, p->reg, 7.5f, C_ACCENT, MARGIN + 1.0f, p->y - 8.0f, "•");
		paragraph(p, p->reg, 7.5f, 10.0f, C_INK, MARGIN + 12.0f, p->y - 8.0f,
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
		if ((rc = int_text(p, i + 1, a, sizeof(a))) < 0 ||
		    (rc = int_text(p, p->n_pages, b, sizeof(b))) < 0)
			return rc;
		lbl_say(right, sizeof(right), "%s %s %s %s", tr(p, "pagina", "page"), a,
			tr(p, "di", "of"), b);
		lbl_say(left, sizeof(left), "%s · %s · %s",
			tr(p, "Cruscotto di valutazione", "Evaluation scorecard"),
			sc->policy_name ? sc->policy_name : fmt_null, sc->period);
		line(p, MARGIN, FOOTER_Y + 11.0f, MARGIN + CONTENT_W, FOOTER_Y + 11.0f, 0.5f,
		     C_RULE);
		text_box(p, p->reg, 7.0f, C_GREY, MARGIN, FOOTER_Y, CONTENT_W - 110.0f, AL_LEFT,
			 left);
		text_box(p, p->bold, 7.0f, C_GREY, MARGIN + CONTENT_W - 100.0f, FOOTER_Y, 100.0f,
			 AL_RIGHT, right);
		if (i == 0)
			continue;
		/* Pages after the first say whose scorecard they belong to. */
		if (sc->level == CAT_AGREEMENT)
			lbl_say(left, sizeof(left), "%s — %s",
				sc->agreement_code ? sc->agreement_code : fmt_null,
				sc->agreement_title ? sc->agreement_title : fmt_null);
		else
			lbl_say(left, sizeof(left), "%s",
				sc->policy_name ? sc->policy_name : fmt_null);
		lbl_say(right, sizeof(right), "%s · %s %s", sc->period,
			tr(p, "dati al", "data as of"), asof);
		text_box(p, p->bold, 7.5f, C_INK, MARGIN, PAGE_H - 38.0f, CONTENT_W - 170.0f,
			 AL_LEFT, left);
		text_box(p, p->reg, 7.5f, C_GREY, MARGIN + CONTENT_W - 160.0f, PAGE_H - 38.0f,
			 160.0f, AL_RIGHT, right);
		line(p, MARGIN, PAGE_H - 45.0f, MARGIN + CONTENT_W, PAGE_H - 45.0f, 0.5f, C_RULE);
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
	clean(raw, buf, sizeof(buf));
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
		     tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name,
		     sc->agreement_title ? sc->agreement_title : "", sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     tr(p, "Valutazione dell'accordo di cittadinanza",
			"Evaluation of citizenship agreement"),
		     sc->agreement_code ? sc->agreement_code : "", tr(p, "periodo", "period"),
		     sc->period);
	} else {
		info(p, HPDF_INFO_TITLE, "%s — %s — %s",
		     tr(p, "Cruscotto di valutazione", "Evaluation scorecard"), name, sc->period);
		info(p, HPDF_INFO_SUBJECT, "%s %s, %s %s",
		     tr(p, "Valutazione della politica", "Evaluation of policy"),
		     sc->policy_code ? sc->policy_code : "", tr(p, "periodo", "period"),
		     sc->period);
	}
	info(p, HPDF_INFO_AUTHOR, "%s", name);
	info(p, HPDF_INFO_CREATOR, "%s", "cruscotto");
	if (sc->level == CAT_AGREEMENT)
		info(p, HPDF_INFO_KEYWORDS, "%s %s %s", sc->policy_code ? sc->policy_code : "",
		     sc->agreement_code ? sc->agreement_code : "", sc->period);
	else
		info(p, HPDF_INFO_KEYWORDS, "%s %s", sc->policy_code ? sc->policy_code : "",
		     sc->period);
	return 0;
}

/* libharu 2.3 gives a TrueType font under the UTF-8 encoder a ToUnicode
 * stream that is really an identity CID CMap ("begincidrange"): poppler
 * warns and guesses, other readers may extract nothing. The codes it writes
 * are the text's Unicode code points (BMP), so the right ToUnicode is the
 * identity: rewritten here, in the stream libharu already links. This uses
 * the font record of the installed hpdf_font.h, which matches the library
 * the headers ship with. */
static int fix_to_unicode(struct pdf *p, HPDF_Font font)
{
	HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
	HPDF_Dict cmap = attr && attr->type == HPDF_FONT_TYPE0_TT ? attr->cmap_stream : NULL;
	HPDF_Stream s = cmap ? cmap->stream : NULL;
	char buf[64];
	int hi, n = 0, ranges = 256 - 8; /* every high byte but the surrogates D8-DF */

	if (!s)
		return err_set(ERR_FAIL, "PDF: unexpected libharu font layout");
	HPDF_MemStream_FreeData(s);
	HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
				"12 dict begin\nbegincmap\n"
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
				"/Supplement 0 >> def\n"
				"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
				"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	/* At most 100 entries per block; a range may vary in its last byte only. */
	for (hi = 0; hi < 256; hi++) {
		if (hi >= 0xD8 && hi <= 0xDF)
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
	return hpdf_check(p);
}

/* The fonts of a document: parsed from their files into the handle the
 * first time, then taken from the definitions libharu keeps. */
static int load_fonts(struct pdf *p, struct rep_pdf *r)
{
	const char *name;

	if (!r->loaded && HPDF_UseUTFEncodings(p->doc) != HPDF_OK)
		return hpdf_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (HPDF_SetCurrentEncoder(p->doc, "UTF-8") != HPDF_OK)
		return hpdf_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no UTF-8 encoder");
	if (!r->loaded) {
		name = HPDF_LoadTTFontFromFile(p->doc, font_regular, HPDF_TRUE);
		if (name)
			snprintf(r->reg_name, sizeof(r->reg_name), "%s", name);
		name = name ? HPDF_LoadTTFontFromFile(p->doc, font_bold, HPDF_TRUE) : NULL;
		if (name)
			snprintf(r->bold_name, sizeof(r->bold_name), "%s", name);
		r->loaded = name != NULL;
	}
	if (r->loaded) {
		p->reg = HPDF_GetFont(p->doc, r->reg_name, "UTF-8");
		p->bold = p->reg ? HPDF_GetFont(p->doc, r->bold_name, "UTF-8") : NULL;
	}
	if (!p->reg || !p->bold)
		return err_set(ERR_FAIL,
			       "PDF: cannot load the DejaVu Sans fonts (%s, %s; package "
			       "fonts-dejavu-core): libharu error 0x%04lX",
			       font_regular, font_bold, p->err->code);
	if (fix_to_unicode(p, p->reg) < 0 || fix_to_unicode(p, p->bold) < 0)
		return ERR_FAIL;
	return hpdf_check(p);
}

/* libharu 2.3 describes every code point of the BMP in a TrueType font
 * under the UTF-8 encoder: a /W array of some 6,000 widths and a
 * CIDToGIDMap of 65,536 entries, per font and per document (70 kB of a
 * 200 kB scorecard). A document needs only the code points it draws:
 * both are rewritten here for those, with the same widths and glyphs
 * libharu gives them (the map keeps its length, unused entries 0, which
 * deflate to almost nothing). */
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
	unsigned cp;
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
				rc = hpdf_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "out of memory");
				goto out;
			}
		}
		HPDF_Array_AddNumber(run, width);
	}
	HPDF_MemStream_FreeData(map->stream);
	HPDF_Stream_Write(map->stream, gids, 65536 * 2);
	rc = hpdf_check(p);
out:
	free(gids);
	return rc;
}

static int trim_fonts(struct pdf *p)
{
	int rc = trim_font(p, p->reg, p->drawn[0]);

	return rc ? rc : trim_font(p, p->bold, p->drawn[1]);
}

/* Copies the saved document out of libharu's memory stream into a new
 * buffer (caller frees). */
static int take_bytes(struct pdf *p, unsigned char **out, size_t *len)
{
	HPDF_UINT32 size, got = 0;
	unsigned char *buf = NULL;
	int rc = 0;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return hpdf_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot save");
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

	if ((rc = new_page(p)) < 0 || (rc = draw_page_header(p)) < 0 || (rc = draw_tiles(p)) < 0 ||
	    (rc = draw_scores(p)) < 0 || (rc = draw_trends(p)) < 0)
		return rc;
	/* Page 1 is the summary; the detail starts on a page of its own. */
	if ((rc = new_page(p)) < 0 || (rc = draw_legend(p)) < 0)
		return rc;
	for (d = 0; d < DIM_COUNT; d++)
		if ((rc = dimension_table(p, (enum cat_dimension)d)) < 0)
			return rc;
	if (p->sc->level == CAT_AGREEMENT) {
		if ((rc = draw_ex_ante(p)) < 0 || (rc = draw_projects(p)) < 0 ||
		    (rc = draw_milestones(p)) < 0)
			return rc;
	} else if ((rc = draw_ranks(p)) < 0) {
		return rc;
	}
	if ((rc = draw_notes(p)) < 0 || (rc = draw_frames(p)) < 0)
		return rc;
	return hpdf_check(p);
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
		rc = hpdf_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot start a document");
		goto out;
	}
	r->used = 1;
	/* zlib at its fixed default level: same input, same bytes. */
	if (HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL) != HPDF_OK) {
		rc = hpdf_check(&p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: no compression");
		goto out;
	}
	if ((rc = load_fonts(&p, r)) < 0 || (rc = metadata(&p)) < 0 || (rc = draw(&p)) < 0 ||
	    (rc = trim_fonts(&p)) < 0 || (rc = take_bytes(&p, &bytes, &size)) < 0 ||
	    (rc = hpdf_check(&p)) < 0)
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
