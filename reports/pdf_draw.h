/* pdf_draw: the drawing primitives the PDF scorecards share (internal to
 * reports/: pdf.c makes the document and draws its page header and frames;
 * pdf_sections.c, pdf_charts.c, pdf_agreement.c and pdf_territory.c draw the
 * sections).
 *
 * Geometry in points on an A4 portrait page; text in the document's two
 * embedded TrueType fonts (struct pdf: reg and bold, loaded once per
 * document by pdf.c) through libharu's UTF-8 encoder. Content flows down
 * the page from p->y; pd_need and pd_new_page start a new page when
 * something does not fit, and the footers are written once every page is
 * drawn. The table engine is pdf_table.h's. */
#ifndef CR_PDF_DRAW_H
#define CR_PDF_DRAW_H

#include "scorecard.h"

#include <hpdf.h>
#include <stddef.h>

/* --- page geometry (points) --------------------------------------------------
 * A4 portrait with 17 mm side margins; the first page starts higher because
 * only the following ones carry a running header. Below, the measures more
 * than one file uses; a section's own stand at the top of its file, under
 * "layout measures". */
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

/* A section heading: the title, a grey note on its right when there is
 * room, a hairline below. */
#define HEADING_H 25.0f /* what it takes, down to the content below */
#define HEADING_SIZE 11.5f
#define HEADING_BASE 13.0f /* the title's baseline below the top */
#define HEADING_RULE 18.0f /* the hairline, below the top */
#define ASIDE_SIZE 7.5f
#define ASIDE_GAP 14.0f	  /* between the title and the note */
#define ASIDE_MIN_W 40.0f /* narrower: no note */

/* Text outside tables: facts, paragraphs, the line of an empty section. */
#define BODY_SIZE 8.0f
#define BODY_LH 10.5f
#define BODY_BASE 8.0f	 /* the first baseline below the top */
#define SMALL_SIZE 7.0f	 /* a remark, as a chart's "no data" */
#define AXIS_SIZE 6.0f	 /* numbers and periods along a chart's axis */
#define EMPTY_KEEP 14.0f /* an empty section's line, kept with its heading */
#define EMPTY_H 26.0f	 /* what an empty section's line takes, gap included */

/* The page header's lines that pdf.c and pdf_territory.c share: the
 * policy's name above a title (an agreement's, a neighbourhood's name), the
 * title's first baseline, and the gaps below the title and the facts. */
#define PH_POLICY_BASE 9.0f
#define PH_POLICY_H 20.0f
#define PH_TITLE_ASCENT 0.95f /* the first baseline, a share of the size */
#define PH_NAME_GAP 6.0f      /* below the title */
#define PH_FACT_H 11.5f	      /* a one-line fact */
#define PH_FACT_GAP 1.0f      /* below a wrapped fact */

/* Panels (headline tiles, a neighbourhood's results): an accent edge on the
 * left; the baselines below the top of their line. */
#define PANEL_EDGE 3.0f
#define PANEL_LABEL_BASE 7.5f
#define PANEL_VALUE_BASE 17.0f
#define PANEL_SUB_BASE 6.5f
#define PANEL_TRIM 2.0f /* the last line's descent, inside the bottom padding */
#define MARK_GAP 3.0f	/* between a status mark and its word */

/* Stroke widths. */
#define LW_HAIR 0.5f   /* rules: under headings, below tables, in the frames */
#define LW_AXIS 0.6f   /* axes, scales and gridlines */
#define LW_ACCENT 0.8f /* the accent rule under a table's header */
#define LW_DATA 1.3f   /* a line of data: trends, the policy's rate */
#define LW_TITLE 1.4f  /* the accent rule under the page header; markers */

#define TEXT_MAX 4096 /* one piece of text, cleaned; longer input is cut */
#define MAX_LINES 16
#define CELL 192 /* a formatted cell: the longest is a sentence of ~80 chars */
#define MAXCOL 8

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

/* Text wrapped into lines: offsets into buf, the cleaned text. */
struct lines {
	char buf[TEXT_MAX];
	int n;
	int off[MAX_LINES], len[MAX_LINES];
};

/* A null number. */
static const struct sc_num pd_null_num = {0, 0.0};

/* ERR_FAIL when libharu reported an error since the document was made. */
int pd_check(const struct pdf *p);

/* it or en by the document's locale. */
const char *pd_tr(const struct pdf *p, const char *it, const char *en);

/* Copies s into out (size bytes with the NUL) as text the fonts can set:
 * invalid UTF-8, surrogates and code points beyond the Basic Multilingual
 * Plane (libharu's UTF-8 encoder maps 16-bit codes only) become U+FFFD,
 * control characters a space. Stops before a code point that does not fit. */
void pd_clean(const char *s, char *out, size_t size);

/* Width in points of the first n bytes of s (clean UTF-8) set in f at size.
 * libharu applies no kerning, so widths add up code point by code point. */
float pd_width(HPDF_Font f, float size, const char *s, size_t n);

/* Sets s (clean) at baseline y from x, as it is. */
void pd_put(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, const char *s);

/* Sets s (clean, modifiable) on one line within [x, x + w] at baseline y:
 * smaller, down to 80% of size, when too wide, then shortened with "…".
 * Returns where the text starts. */
float pd_fit_draw(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, char *s);

/* fit_draw for any text (cleaned first). */
float pd_text_box(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, const char *s);

/* The bytes of the line that starts at q (clean text, no leading space)
 * within width w: whole words at spaces, or when the first word alone is
 * too wide, as much of it as fits (at least one code point). 0 when q is
 * empty. */
size_t pd_break(HPDF_Font f, float size, const char *q, float w);

/* Breaks s into at most max_lines lines at spaces (inside a word only when
 * the word alone is too wide; a no-break space U+00A0 never breaks): the
 * first n_first lines of width w_first (beside something else), the others
 * of width w. The last line ends in "…" when text remains. */
void pd_wrap2(HPDF_Font f, float size, const char *s, float w_first, int n_first, float w,
	      int max_lines, struct lines *l);

/* pd_wrap2 with every line of width w. */
void pd_wrap(HPDF_Font f, float size, const char *s, float w, int max_lines, struct lines *l);

/* Draws line i of l within [x, x + w] at baseline y (it fits: wrap made it). */
void pd_draw_line(struct pdf *p, HPDF_Font f, float size, struct rgb c, float x, float y, float w,
		  enum align al, struct lines *l, int i);

/* Wraps and draws s; returns the number of lines. */
int pd_paragraph(struct pdf *p, HPDF_Font f, float size, float lh, struct rgb c, float x, float y,
		 float w, enum align al, int max_lines, const char *s);

/* The lines pd_paragraph would take for s (0 for empty text). */
int pd_count_lines(HPDF_Font f, float size, float w, int max_lines, const char *s);

/* A filled rectangle; nothing when w or h is not positive. */
void pd_rect(struct pdf *p, float x, float y, float w, float h, struct rgb c);

/* A stroked segment of width lw. */
void pd_line(struct pdf *p, float x0, float y0, float x1, float y1, float lw, struct rgb c);

/* A filled circle of radius r. */
void pd_dot(struct pdf *p, float x, float y, float r, struct rgb c);

/* A small arrow, up (dir > 0) or down, its foot or head on baseline y. */
void pd_arrow(struct pdf *p, float x, float y, int dir, struct rgb c);

/* The colour of a status (grey for none). */
struct rgb pd_status_color(enum sc_status s);

/* Starts a new A4 page; p->y goes to the top of its content. */
int pd_new_page(struct pdf *p);

/* Makes room for h points of content, on a new page if need be. */
int pd_need(struct pdf *p, float h);

/* A section title in the accent colour, an optional note on its right, and
 * a hairline; keep is the height that must follow on the same page. */
int pd_heading(struct pdf *p, const char *title, const char *aside, float keep);

/* The grey line under a section's title that says it has nothing to show;
 * text is any text. */
void pd_none(struct pdf *p, const char *text);

/* A section with nothing to show: its title and pd_none's line. Returns 0
 * or ERR_FAIL. */
int pd_empty_section(struct pdf *p, const char *title, const char *text);

/* A number that can be drawn: set and finite. */
int pd_known(struct sc_num v);

/* A set number. */
struct sc_num pd_num(double v);

/* A whole count held in an int, in the locale's digits. */
int pd_int_text(const struct pdf *p, long long v, char *buf, size_t size);

/* x of value v on a scale lo..hi drawn over [x0, x0 + w], clamped. */
float pd_scale_x(double v, double lo, double hi, float x0, float w);

/* A policy's long lists (its ranking, its neighbourhoods) print whole up to
 * PD_LIST_WHOLE rows, about six pages. Longer ones print their first and
 * last PD_LIST_END rows, with a line between them that says how many are
 * left out (at least 21) and where they are: a council reads the ends of a
 * ranking of 10,000 agreements, and 550 pages would make the document
 * unusable to print, mail or serve. */
#define PD_LIST_WHOLE 120
#define PD_LIST_END 50

/* The rows of a list of n that print: [0, *head) and [*tail, n). *head and
 * *tail are both n when every row prints. */
void pd_list_ends(int n, int *head, int *tail);

#endif
