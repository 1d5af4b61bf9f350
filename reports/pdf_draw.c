/* pdf_draw: see pdf_draw.h. */
#include "pdf_draw.h"
#include "pdf_fonts.h"

#include "err.h"
#include "format.h"
#include "labels.h"

#include <math.h>
#include <string.h>

static const char ellipsis[] = "…";

/* pd_fit_draw: how far text may shrink to fit (a share of its size), and
 * the share of the exact fit it takes, a hair under so that rounding never
 * overflows the box. */
#define FIT_MIN 0.8f
#define FIT_SHARE 0.995f

/* pd_arrow, from its baseline: foot and head heights, the head's length and
 * half width, the stem's width. */
#define ARROW_LO 0.2f
#define ARROW_HI 5.6f
#define ARROW_HEAD 2.6f
#define ARROW_HALF_W 2.3f
#define ARROW_LW 0.9f

/* ERR_FAIL when libharu reported an error since the document was made. */
int pd_check(const struct pdf *p)
{
	if (!p->err->set)
		return 0;
	return err_set(ERR_FAIL, "PDF: libharu error 0x%04lX (detail %lu)", p->err->code,
		       p->err->detail);
}

const char *pd_tr(const struct pdf *p, const char *it, const char *en)
{
	return lbl_tr(p->loc, it, en);
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
void pd_clean(const char *s, char *out, size_t size)
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
 * libharu applies no kerning, so widths add up code point by code point:
 * from the tables of pdf_fonts.h, the same as HPDF_Font_TextWidth gives
 * without its UTF-8 decoder and cmap search per character (lines are
 * measured many times over while they are wrapped and fitted). */
float pd_width(HPDF_Font f, float size, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s, *end = u + n;
	const char *name = n ? HPDF_Font_GetFontName(f) : NULL;
	int bold = name && strncmp(name, "DejaVuSans-Bold", 15) == 0; /* "…,Bold" */
	const unsigned char *index =
		bold ? pdf_font_bold_widths_index : pdf_font_regular_widths_index;
	const short(*blocks)[256] =
		bold ? pdf_font_bold_widths_blocks : pdf_font_regular_widths_blocks;
	long total = 0;

	while (u < end) {
		unsigned cp;

		if (u[0] < 0x80) {
			cp = u[0];
			u += 1;
		} else if ((u[0] & 0xE0) == 0xC0 && end - u >= 2) {
			cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
			u += 2;
		} else if ((u[0] & 0xF0) == 0xE0 && end - u >= 3) {
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
			u += 3;
		} else {
			break; /* not clean: a cut sequence */
		}
		total += blocks[index[cp >> 8]][cp & 0xFF];
	}
	return (float)total * size / 1000.0f;
}

/* Notes the code points of s (UTF-8, BMP: what pd_clean() leaves) as drawn
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

/* The page's graphics state, font and size included, lasts across text
 * objects and shapes (the writer never saves or restores it): an operator
 * that would set what is already set is left out of the content stream,
 * as libharu's own record of the state says. */
static void fill(struct pdf *p, struct rgb c)
{
	HPDF_RGBColor now = HPDF_Page_GetRGBFill(p->page);

	if (now.r != c.r || now.g != c.g || now.b != c.b ||
	    HPDF_Page_GetFillingColorSpace(p->page) != HPDF_CS_DEVICE_RGB)
		HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
}

static void stroke(struct pdf *p, float lw, struct rgb c)
{
	HPDF_RGBColor now = HPDF_Page_GetRGBStroke(p->page);

	if (HPDF_Page_GetLineWidth(p->page) != lw)
		HPDF_Page_SetLineWidth(p->page, lw);
	if (now.r != c.r || now.g != c.g || now.b != c.b ||
	    HPDF_Page_GetStrokingColorSpace(p->page) != HPDF_CS_DEVICE_RGB)
		HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
}

void pd_put(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, const char *s)
{
	if (!*s)
		return;
	mark_drawn(p, f, s);
	HPDF_Page_BeginText(p->page);
	if (HPDF_Page_GetCurrentFont(p->page) != f || HPDF_Page_GetCurrentFontSize(p->page) != size)
		HPDF_Page_SetFontAndSize(p->page, f, size);
	fill(p, c);
	HPDF_Page_TextOut(p->page, x, y, s);
	HPDF_Page_EndText(p->page);
}

/* Cuts s (clean, with room for 3 more bytes) in place to fit in w: the
 * longest prefix of whole code points followed by "…"; empty when not even
 * "…" fits. Text that fits is left alone. */
static void shorten(HPDF_Font f, float size, char *s, float w)
{
	float we = pd_width(f, size, ellipsis, sizeof(ellipsis) - 1), acc = 0.0f;
	size_t i = 0, cut = 0, len = strlen(s);

	if (pd_width(f, size, s, len) <= w)
		return;
	if (we > w) {
		s[0] = '\0';
		return;
	}
	while (i < len) {
		size_t n = cp_len(s + i);
		float cw = pd_width(f, size, s + i, n);

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
float pd_fit_draw(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, char *s)
{
	float tw = pd_width(f, size, s, strlen(s));

	if (tw > w && w > 0.0f) {
		float smaller = size * w / tw * FIT_SHARE;

		size = smaller < size * FIT_MIN ? size * FIT_MIN : smaller;
		tw = pd_width(f, size, s, strlen(s));
		if (tw > w) {
			shorten(f, size, s, w);
			tw = pd_width(f, size, s, strlen(s));
		}
	}
	if (al == AL_RIGHT)
		x += w - tw;
	else if (al == AL_CENTER)
		x += (w - tw) / 2.0f;
	pd_put(p, f, size, c, x, y, s);
	return x;
}

/* fit_draw for any text (cleaned first). */
float pd_text_box(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, const char *s)
{
	char buf[TEXT_MAX];

	pd_clean(s, buf, sizeof(buf) - 4);
	return pd_fit_draw(p, f, size, c, x, y, w, al, buf);
}

/* Breaks s into at most max_lines lines at spaces (inside a word only when
 * the word alone is too wide; a no-break space U+00A0 never breaks): the
 * first n_first lines of width w_first (beside something else), the others
 * of width w. The last line ends in "…" when text remains. */
size_t pd_break(HPDF_Font f, float size, const char *q, float w)
{
	const char *end = NULL, *e;

	for (e = q;;) {
		const char *we = e;

		while (*we == ' ')
			we++;
		while (*we && *we != ' ')
			we++;
		if (pd_width(f, size, q, (size_t)(we - q)) > w)
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
			float cw = pd_width(f, size, end, n);

			if (end > q && acc + cw > w)
				break;
			acc += cw;
			end += n;
		}
	}
	return (size_t)(end - q);
}

void pd_wrap2(HPDF_Font f, float size, const char *s, float w_first, int n_first, float w,
	      int max_lines, struct lines *l)
{
	char *q = l->buf;
	float full = w;

	pd_clean(s, l->buf, sizeof(l->buf) - 4);
	l->n = 0;
	if (max_lines > MAX_LINES)
		max_lines = MAX_LINES;
	while (l->n < max_lines) {
		char *end, *rest;

		w = l->n < n_first ? w_first : full;
		while (*q == ' ')
			q++;
		if (!*q)
			break;
		end = q + pd_break(f, size, q, w);
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

void pd_wrap(HPDF_Font f, float size, const char *s, float w, int max_lines, struct lines *l)
{
	pd_wrap2(f, size, s, w, 0, w, max_lines, l);
}

/* Draws line i of l within [x, x + w] at baseline y (it fits: wrap made it). */
void pd_draw_line(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, struct lines *l, int i)
{
	char *s = l->buf + l->off[i];
	char saved = s[l->len[i]];
	float tw = pd_width(f, size, s, (size_t)l->len[i]);

	s[l->len[i]] = '\0';
	if (al == AL_RIGHT)
		x += w - tw;
	else if (al == AL_CENTER)
		x += (w - tw) / 2.0f;
	pd_put(p, f, size, c, x, y, s);
	s[l->len[i]] = saved;
}

/* Wraps and draws s; returns the number of lines. */
int pd_paragraph(struct pdf *p, HPDF_Font f, float size, float lh, struct rgb c, float x, float y,
		 float w, enum align al, int max_lines, const char *s)
{
	struct lines l;
	int i;

	pd_wrap(f, size, s, w, max_lines, &l);
	for (i = 0; i < l.n; i++)
		pd_draw_line(p, f, size, c, x, y - (float)i * lh, w, al, &l, i);
	return l.n;
}

int pd_count_lines(HPDF_Font f, float size, float w, int max_lines, const char *s)
{
	struct lines l;

	if (!s || !*s)
		return 0;
	pd_wrap(f, size, s, w, max_lines, &l);
	return l.n;
}

/* --- shapes ------------------------------------------------------------------ */

void pd_rect(struct pdf *p, float x, float y, float w, float h, struct rgb c)
{
	if (!(w > 0.0f) || !(h > 0.0f)) /* also NaN: never into the content stream */
		return;
	fill(p, c);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Fill(p->page);
}

void pd_line(struct pdf *p, float x0, float y0, float x1, float y1, float lw, struct rgb c)
{
	stroke(p, lw, c);
	HPDF_Page_MoveTo(p->page, x0, y0);
	HPDF_Page_LineTo(p->page, x1, y1);
	HPDF_Page_Stroke(p->page);
}

void pd_dot(struct pdf *p, float x, float y, float r, struct rgb c)
{
	fill(p, c);
	HPDF_Page_Circle(p->page, x, y, r);
	HPDF_Page_Fill(p->page);
}

/* A small arrow, up (dir > 0) or down, its foot or head on baseline y. */
void pd_arrow(struct pdf *p, float x, float y, int dir, struct rgb c)
{
	float lo = y + ARROW_LO, hi = y + ARROW_HI, tip = dir > 0 ? hi : lo,
	      base = dir > 0 ? lo : hi;
	float neck = dir > 0 ? hi - ARROW_HEAD : lo + ARROW_HEAD;

	pd_line(p, x, base, x, neck, ARROW_LW, c);
	fill(p, c);
	HPDF_Page_MoveTo(p->page, x - ARROW_HALF_W, neck);
	HPDF_Page_LineTo(p->page, x + ARROW_HALF_W, neck);
	HPDF_Page_LineTo(p->page, x, tip);
	HPDF_Page_ClosePath(p->page);
	HPDF_Page_Fill(p->page);
}

struct rgb pd_status_color(enum sc_status s)
{
	return s == ST_GREEN ? C_GREEN : s == ST_AMBER ? C_AMBER : s == ST_RED ? C_RED : C_GREY;
}

/* --- pages and flow -------------------------------------------------------- */

int pd_new_page(struct pdf *p)
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
		return pd_check(p) ? ERR_FAIL : err_set(ERR_FAIL, "PDF: cannot add a page");
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->pages[p->n_pages++] = pg;
	p->page = pg;
	p->y = p->n_pages == 1 ? PAGE1_TOP : CONT_TOP;
	return 0;
}

/* Makes room for h points of content, on a new page if need be. */
int pd_need(struct pdf *p, float h)
{
	if (p->y - h >= BOTTOM)
		return 0;
	return pd_new_page(p);
}

/* A section title in the accent colour, an optional note on its right, and
 * a hairline; keep is the height that must follow on the same page. */
int pd_heading(struct pdf *p, const char *title, const char *aside, float keep)
{
	float base, tw;
	int rc = pd_need(p, HEADING_H + keep);
	char buf[TEXT_MAX];

	if (rc)
		return rc;
	base = p->y - HEADING_BASE;
	pd_clean(title, buf, sizeof(buf) - 4);
	tw = pd_width(p->bold, HEADING_SIZE, buf, strlen(buf));
	if (tw > CONTENT_W)
		tw = CONTENT_W;
	pd_fit_draw(p, p->bold, HEADING_SIZE, C_ACCENT, MARGIN, base, tw, AL_LEFT, buf);
	if (aside && *aside && CONTENT_W - tw - ASIDE_GAP > ASIDE_MIN_W)
		pd_text_box(p, p->reg, ASIDE_SIZE, C_GREY, MARGIN + tw + ASIDE_GAP, base,
			    CONTENT_W - tw - ASIDE_GAP, AL_RIGHT, aside);
	pd_line(p, MARGIN, p->y - HEADING_RULE, MARGIN + CONTENT_W, p->y - HEADING_RULE, LW_HAIR,
		C_RULE);
	p->y -= HEADING_H;
	return 0;
}

void pd_none(struct pdf *p, const char *text)
{
	pd_text_box(p, p->reg, BODY_SIZE, C_GREY, MARGIN, p->y - BODY_BASE, CONTENT_W, AL_LEFT,
		    text);
	p->y -= EMPTY_H;
}

int pd_empty_section(struct pdf *p, const char *title, const char *text)
{
	int rc = pd_heading(p, title, NULL, EMPTY_KEEP);

	if (rc)
		return rc;
	pd_none(p, text);
	return 0;
}

/* --- formatting helpers ---------------------------------------------------------- */

/* A number that can be drawn: set and finite. */
int pd_known(struct sc_num v)
{
	return v.set && isfinite(v.v);
}

struct sc_num pd_num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

/* A whole count held in an int, in the locale's digits. */
int pd_int_text(const struct pdf *p, long long v, char *buf, size_t size)
{
	return fmt_number((double)v, 0, p->loc, buf, size);
}

/* x of value v on a scale lo..hi drawn over [x0, x0 + w], clamped. */
float pd_scale_x(double v, double lo, double hi, float x0, float w)
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

void pd_list_ends(int n, int *head, int *tail)
{
	int cut = n > PD_LIST_WHOLE;

	*head = cut ? PD_LIST_END : n;
	*tail = cut ? n - PD_LIST_END : n;
}
