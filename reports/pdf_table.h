/* pdf_table: the table engine of the PDF scorecards (internal to reports/):
 * columns of fixed width, rows of cells that are text (wrapped to the
 * column's lines, with an optional grey second line) or a drawn mark
 * (status, change arrow, 1-5 score, budget bars, rank range). A table's
 * title and column header come before its first row and again on every
 * page it continues on; a row never splits across pages. */
#ifndef CR_PDF_TABLE_H
#define CR_PDF_TABLE_H

#include "pdf_draw.h"

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

/* An empty table with its title and the note on the title's right (NULL:
 * none); columns follow with pd_column. */
void pd_table_init(struct table *t, const char *title, const char *aside);

/* Empties n cells: CK_TEXT, no text. */
void pd_cell_clear(struct cell *c, int n);

/* The cell shows text (not copied: it must outlive the row). */
void pd_cell_set(struct cell *c, const char *text);

/* The cell's text is its buffer (filled by the caller). */
char *pd_cell_buf(struct cell *c);

/* Height of the table's column header. */
float pd_header_height(struct pdf *p, const struct table *t);

/* Draws the column header at p->y and moves below it. */
void pd_draw_header(struct pdf *p, const struct table *t);

/* Height of a row of cells, padding included. */
float pd_row_height(struct pdf *p, const struct table *t, const struct cell *cells);

/* Adds a row: the title and the header first, and again on a new page when
 * the row does not fit. */
int pd_table_row(struct pdf *p, struct table *t, const struct cell *cells);

/* Closes the table with a rule and a gap below. */
void pd_table_end(struct pdf *p, const struct table *t);

/* Adds a column: title, grey sub title (or NULL), width, alignment and
 * the lines its text may wrap to. */
void pd_column(struct table *t, const char *title, const char *sub, float w, enum align al,
	       int lines);

#endif
