#include "table.h"

#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"
#include "notes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { COL_LABEL, COL_VALUE, COL_PREV, COL_DELTA, COL_TARGET, COL_STATUS, COL_N, COL_CI, NCOL };

#define CELL 192 /* bytes of one cell: the longest label is ~60 */

/* One line of a table: its cells and, for colouring, its status. */
struct row {
	char cell[NCOL][CELL];
	enum sc_status status;
};

/* The columns of one table: how many, how wide, which right-aligned, and
 * which one carries the status colour (-1: none); rows are indented by two
 * spaces unless `flush`. */
struct layout {
	int ncol;
	size_t width[NCOL];
	int right[NCOL];
	int status_col;
	int flush;
};

static const char *const green = "\033[32m", *const yellow = "\033[33m", *const red = "\033[31m",
			 *const reset = "\033[0m";

/* Appends to a NUL-terminated line, truncating at its size. */
static void append(char *line, size_t size, const char *a, const char *b, const char *c)
{
	size_t used = strlen(line);

	snprintf(line + used, size - used, "%s%s%s", a, b, c);
}

/* A 0-100 score (dimension, index): one decimal, "—" when null. */
static int score_text(struct sc_num v, const char *loc, char *buf, size_t size)
{
	if (!v.set)
		return fmt_value(v, NULL, loc, buf, size);
	return fmt_number(v.v, 1, loc, buf, size);
}

static void set(struct row *r, int col, const char *text)
{
	snprintf(r->cell[col], CELL, "%s", text);
}

static void widen(struct layout *l, const struct row *r)
{
	int c;

	for (c = 0; c < l->ncol; c++) {
		size_t w = fmt_width(r->cell[c]);

		if (w > l->width[c])
			l->width[c] = w;
	}
}

static void pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* Prints a row indented by two spaces (none when flush), columns two spaces
 * apart, without trailing blanks; colour goes around the text, never around
 * padding. */
static void print_row(FILE *f, const struct layout *l, const struct row *r, int color)
{
	int c;

	if (!l->flush)
		fputs("  ", f);
	for (c = 0; c < l->ncol; c++) {
		const char *text = r->cell[c];
		size_t gap = l->width[c] - fmt_width(text);
		const char *on = NULL;

		if (c > 0)
			fputs("  ", f);
		if (color && c == l->status_col)
			on = r->status == ST_GREEN   ? green
			     : r->status == ST_AMBER ? yellow
			     : r->status == ST_RED   ? red
						     : NULL;
		if (l->right[c])
			pad(f, gap);
		if (on)
			fputs(on, f);
		fputs(text, f);
		if (on)
			fputs(reset, f);
		if (!l->right[c] && c < l->ncol - 1)
			pad(f, gap);
	}
	fputc('\n', f);
}

static void indicator_header(const char *loc, struct row *r)
{
	set(r, COL_LABEL, lbl_tr(loc, "Indicatore", "Indicator"));
	set(r, COL_VALUE, lbl_tr(loc, "Valore", "Value"));
	set(r, COL_PREV, lbl_tr(loc, "Precedente", "Previous"));
	set(r, COL_DELTA, lbl_tr(loc, "Variazione", "Change"));
	set(r, COL_TARGET, lbl_tr(loc, "Obiettivo", "Target"));
	set(r, COL_STATUS, lbl_tr(loc, "Stato", "Status"));
	set(r, COL_N, "n");
	set(r, COL_CI, lbl_tr(loc, "Intervallo 95%", "95% interval"));
	r->status = ST_NONE;
}

/* The cells of one indicator; nothing derived from a suppressed value is
 * shown (the JSON renderer does the same). */
static int indicator_row(const char *loc, const struct sc_indicator *x, struct row *r)
{
	static const struct sc_num null_num = {0, 0.0};
	const char *unit = x->ind->unit;
	struct sc_num delta = null_num, n = x->n;
	int sup = x->suppressed != 0;
	int rc;

	if (!sup && x->value.set && x->previous.set) {
		delta.set = 1;
		delta.v = x->value.v - x->previous.v;
	}
	if (n.set)
		n.v = round(n.v);
	set(r, COL_LABEL, rep_label(x->ind, loc));
	r->status = sup ? ST_NONE : x->status;
	if (sup)
		set(r, COL_VALUE, lbl_tr(loc, "soppresso", "suppressed"));
	else if ((rc = fmt_value(x->value, unit, loc, r->cell[COL_VALUE], CELL)) < 0)
		return rc;
	if ((rc = fmt_value(x->previous, unit, loc, r->cell[COL_PREV], CELL)) < 0 ||
	    (rc = fmt_delta(delta, unit, loc, r->cell[COL_DELTA], CELL)) < 0 ||
	    (rc = fmt_value(x->target, unit, loc, r->cell[COL_TARGET], CELL)) < 0 ||
	    (rc = fmt_value(n, "count", loc, r->cell[COL_N], CELL)) < 0 ||
	    (rc = fmt_interval(sup ? null_num : x->ci_low, sup ? null_num : x->ci_high, unit, loc,
			       r->cell[COL_CI], CELL)) < 0)
		return rc;
	if (r->status == ST_NONE)
		set(r, COL_STATUS, fmt_null);
	else
		snprintf(r->cell[COL_STATUS], CELL, "%s %s", fmt_status_mark(r->status),
			 fmt_status_word(r->status, loc));
	return 0;
}

/* Header lines "Label   text", labels padded to a common width. */
static void header_line(FILE *f, const char *label, size_t width, const char *text)
{
	fputs(label, f);
	pad(f, width - fmt_width(label) + 2);
	fputs(text, f);
	fputc('\n', f);
}

static int write_header(FILE *f, const struct scorecard *sc)
{
	const char *loc = sc->locale;
	const char *labels[] = {lbl_tr(loc, "Politica", "Policy"),
				lbl_tr(loc, "Accordo", "Agreement"),
				lbl_tr(loc, "Quartieri", "Neighbourhoods"),
				lbl_tr(loc, "Percorso", "Lifecycle"),
				lbl_tr(loc, "Periodo", "Period"),
				lbl_tr(loc, "Dati al", "As of"),
				lbl_tr(loc, "Versione dati", "Data version"),
				lbl_tr(loc, "Quartiere", "Neighbourhood"),
				lbl_tr(loc, "Accordi", "Agreements")};
	const char *const stages[5][3] = {{"lab", "laboratorio", "lab"},
					  {"approved", "approvato", "approved"},
					  {"signed", "sottoscritto", "signed"},
					  {"closed", "concluso", "closed"},
					  {"published", "pubblicato", "published"}};
	const char *const dates[5] = {sc->lab_started_on, sc->approved_on, sc->signed_on,
				      sc->closed_on, sc->published_on};
	char line[1024], a[32], b[32];
	size_t width = 0, i;
	int rc, agreement = sc->level == CAT_AGREEMENT;
	int neighbourhood = sc->level == CAT_NEIGHBOURHOOD;

	/* Only the labels of the lines printed decide the width. */
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (fmt_width(labels[i]) > width && (agreement || i < 1 || i > 3) &&
		    (sc->snapshot || i != 6) && (neighbourhood || i < 7))
			width = fmt_width(labels[i]);
	snprintf(line, sizeof(line), "%s — %s", sc->policy_code ? sc->policy_code : fmt_null,
		 sc->policy_name ? sc->policy_name : fmt_null);
	header_line(f, labels[0], width, line);
	if (agreement) {
		snprintf(line, sizeof(line), "%s — %s (%s)",
			 sc->agreement_code ? sc->agreement_code : fmt_null,
			 sc->agreement_title ? sc->agreement_title : fmt_null,
			 fmt_agreement_status(sc->agreement_status, loc));
		header_line(f, labels[1], width, line);
		line[0] = '\0';
		for (i = 0; sc->neighbourhoods && i < (size_t)sc->n_neighbourhoods; i++) {
			const struct sc_neighbourhood *nb = &sc->neighbourhoods[i];
			const char *name = nb->name ? nb->name : nb->code ? nb->code : "";

			append(line, sizeof(line), i ? ", " : "", name, "");
		}
		header_line(f, labels[2], width, line[0] ? line : fmt_null);
		line[0] = '\0';
		for (i = 0; i < 5; i++) {
			if (!dates[i] || !*dates[i])
				continue;
			if ((rc = fmt_date(dates[i], FMT_DATE_SHORT, loc, a, sizeof(a))) < 0)
				return rc;
			append(line, sizeof(line), line[0] ? " · " : "",
			       stages[i][fmt_is_en(loc) ? 2 : 1], " ");
			append(line, sizeof(line), a, "", "");
		}
		header_line(f, labels[3], width, line[0] ? line : fmt_null);
	}
	if (neighbourhood) {
		if ((rc = fmt_number((double)sc->neighbourhood.population, 0, loc, a, sizeof(a))) <
		    0)
			return rc;
		snprintf(line, sizeof(line), "%s — %s (%s %s)",
			 sc->neighbourhood.code ? sc->neighbourhood.code : fmt_null,
			 sc->neighbourhood.name ? sc->neighbourhood.name : fmt_null, a,
			 lbl_tr(loc, "abitanti", "inhabitants"));
		header_line(f, labels[7], width, line);
		line[0] = '\0';
		for (i = 0; sc->covering && i < (size_t)sc->n_covering; i++)
			append(line, sizeof(line), i ? ", " : "",
			       sc->covering[i].code ? sc->covering[i].code : "", "");
		header_line(f, labels[8], width, line[0] ? line : fmt_null);
	}
	if ((rc = fmt_date(sc->period_start, FMT_DATE_SHORT, loc, a, sizeof(a))) < 0 ||
	    (rc = fmt_date(sc->period_end, FMT_DATE_SHORT, loc, b, sizeof(b))) < 0)
		return rc;
	snprintf(line, sizeof(line), "%s, %s %s %s %s (%s %s)", sc->period,
		 lbl_tr(loc, "dal", "from"), a, lbl_tr(loc, "al", "to"), b,
		 lbl_tr(loc, "precedente", "previous"),
		 sc->period_previous[0] ? sc->period_previous : fmt_null);
	header_line(f, labels[4], width, line);
	if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, loc, line, sizeof(line))) < 0)
		return rc;
	header_line(f, labels[5], width, line);
	if (sc->snapshot)
		header_line(f, labels[6], width, sc->snapshot);
	return 0;
}

/* The indicator blocks, one per dimension, with widths shared by all. */
static int write_indicators(FILE *f, const struct scorecard *sc, int color)
{
	struct layout l = {NCOL, {0}, {0}, COL_STATUS, 0};
	struct row r;
	int i, d, rc, stats = 0, any;

	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (x->present && x->ind && (x->n.set || x->ci_low.set))
			stats = 1;
	}
	/* n and interval only exist for survey figures: without any, the
	 * two columns would be all dashes. */
	l.ncol = stats ? NCOL : COL_N;
	for (i = COL_VALUE; i <= COL_TARGET; i++)
		l.right[i] = 1;
	l.right[COL_N] = 1;
	indicator_header(sc->locale, &r);
	widen(&l, &r);
	for (i = 0; i < cat_count && i < 64; i++) {
		if (!sc->ind[i].present || !sc->ind[i].ind)
			continue;
		if ((rc = indicator_row(sc->locale, &sc->ind[i], &r)) < 0)
			return rc;
		widen(&l, &r);
	}
	for (d = 0; d < DIM_COUNT; d++) {
		any = 0;
		for (i = 0; i < cat_count && i < 64; i++) {
			const struct sc_indicator *x = &sc->ind[i];

			if (!x->present || !x->ind || x->ind->dimension != (enum cat_dimension)d)
				continue;
			if (!any) {
				fprintf(f, "\n%s\n",
					rep_dimension_label((enum cat_dimension)d, sc->locale));
				indicator_header(sc->locale, &r);
				print_row(f, &l, &r, 0);
				any = 1;
			}
			if ((rc = indicator_row(sc->locale, x, &r)) < 0)
				return rc;
			print_row(f, &l, &r, color);
		}
	}
	return 0;
}

static int write_scores(FILE *f, const struct scorecard *sc)
{
	const char *loc = sc->locale;
	struct layout l = {3, {0}, {0, 1, 1}, -1, 0};
	struct row rows[DIM_COUNT + 1];
	struct sc_num cov;
	char a[64], b[64];
	int d, rc;

	set(&rows[0], 0, lbl_tr(loc, "Dimensione", "Dimension"));
	set(&rows[0], 1, lbl_tr(loc, "Punteggio", "Score"));
	set(&rows[0], 2, lbl_tr(loc, "Copertura", "Coverage"));
	for (d = 0; d < DIM_COUNT; d++) {
		struct row *r = &rows[d + 1];

		set(r, 0, rep_dimension_label((enum cat_dimension)d, loc));
		/* Coverage is a share: shown as a percentage. */
		cov = sc->dims[d].coverage;
		cov.v *= 100.0;
		if ((rc = score_text(sc->dims[d].score, loc, r->cell[1], CELL)) < 0 ||
		    (rc = fmt_value(cov, "percent", loc, r->cell[2], CELL)) < 0)
			return rc;
	}
	for (d = 0; d <= DIM_COUNT; d++)
		widen(&l, &rows[d]);
	fprintf(f, "\n%s\n", lbl_tr(loc, "Punteggi delle dimensioni", "Dimension scores"));
	for (d = 0; d <= DIM_COUNT; d++)
		print_row(f, &l, &rows[d], 0);
	if ((rc = score_text(sc->index, loc, a, sizeof(a))) < 0)
		return rc;
	fprintf(f, "\n%s: %s", lbl_tr(loc, "Indice", "Index"), a);
	if (sc->level == CAT_POLICY && sc->index_p05.set && sc->index_p95.set) {
		if ((rc = score_text(sc->index_p05, loc, a, sizeof(a))) < 0 ||
		    (rc = score_text(sc->index_p95, loc, b, sizeof(b))) < 0)
			return rc;
		fprintf(f, " (%s %s – %s)",
			lbl_tr(loc, "sensibilità ai pesi, 5°–95° percentile:",
			       "weight sensitivity, 5th–95th percentile:"),
			a, b);
	}
	fputc('\n', f);
	return 0;
}

static int write_ex_ante(FILE *f, const struct scorecard *sc)
{
	const char *loc = sc->locale;
	struct layout l = {2, {0}, {0, 1}, -1, 0};
	struct row rows[5];
	int i, rc;

	for (i = 0; i < 3; i++) {
		set(&rows[i], 0, fmt_ex_ante_label(i, loc));
		if ((rc = fmt_value(sc->ex_ante[i], "score", loc, rows[i].cell[1], CELL)) < 0)
			return rc;
	}
	set(&rows[3], 0, lbl_tr(loc, "Media", "Mean"));
	if ((rc = fmt_value(sc->ex_ante_mean, "score", loc, rows[3].cell[1], CELL)) < 0)
		return rc;
	set(&rows[4], 0, lbl_tr(loc, "Esito", "Outcome"));
	set(&rows[4], 1,
	    sc->ex_ante_passed ? lbl_tr(loc, "superata", "passed")
			       : lbl_tr(loc, "non superata", "not passed"));
	for (i = 0; i < 5; i++)
		widen(&l, &rows[i]);
	fprintf(f, "\n%s\n", lbl_tr(loc, "Valutazione ex ante", "Ex-ante evaluation"));
	for (i = 0; i < 5; i++)
		print_row(f, &l, &rows[i], 0);
	return 0;
}

/* A rank percentile: whole unless interpolation made it fractional. */
static int write_ranks(FILE *f, const struct scorecard *sc)
{
	const char *loc = sc->locale;
	struct layout l = {5, {0}, {1, 0, 0, 1, 1}, -1, 0};
	struct row r;
	char a[64], b[64];
	int i, pass, rc;

	fprintf(f, "\n%s\n", lbl_tr(loc, "Accordi per indice", "Agreements by index"));
	/* Two passes over the same rows: measure, then print. */
	for (pass = 0; pass < 2; pass++) {
		set(&r, 0, lbl_tr(loc, "Pos.", "Rank"));
		set(&r, 1, lbl_tr(loc, "Accordo", "Agreement"));
		set(&r, 2, lbl_tr(loc, "Titolo", "Title"));
		set(&r, 3, lbl_tr(loc, "Indice", "Index"));
		set(&r, 4, lbl_tr(loc, "Posizioni (5°–95°)", "Ranks (5th–95th)"));
		if (pass)
			print_row(f, &l, &r, 0);
		else
			widen(&l, &r);
		for (i = 0; sc->ranks && i < sc->n_ranks; i++) {
			const struct sc_rank *k = &sc->ranks[i];

			if (k->rank > 0)
				snprintf(r.cell[0], CELL, "%d", k->rank);
			else
				set(&r, 0, fmt_null);
			set(&r, 1, k->agreement_code ? k->agreement_code : fmt_null);
			set(&r, 2, k->agreement_title ? k->agreement_title : "");
			if ((rc = score_text(k->index, loc, r.cell[3], CELL)) < 0)
				return rc;
			if (k->rank_p05.set && k->rank_p95.set) {
				if ((rc = fmt_rank(k->rank_p05, loc, a, sizeof(a))) < 0 ||
				    (rc = fmt_rank(k->rank_p95, loc, b, sizeof(b))) < 0)
					return rc;
				snprintf(r.cell[4], CELL, "%s–%s", a, b);
			} else {
				set(&r, 4, fmt_null);
			}
			if (pass)
				print_row(f, &l, &r, 0);
			else
				widen(&l, &r);
		}
	}
	return 0;
}

int rep_table_write(const struct scorecard *sc, FILE *f, int color)
{
	int i, rc;

	if ((rc = write_header(f, sc)) < 0 || (rc = write_indicators(f, sc, color)) < 0 ||
	    (rc = write_scores(f, sc)) < 0)
		return rc;
	if (sc->level == CAT_AGREEMENT)
		rc = write_ex_ante(f, sc);
	else
		rc = write_ranks(f, sc);
	if (rc < 0)
		return rc;
	if (sc->n_notes > 0) {
		char note[NOTES_SIZE];

		fprintf(f, "\n%s\n", lbl_tr(sc->locale, "Note", "Notes"));
		for (i = 0; i < sc->n_notes; i++) {
			notes_text(sc, sc->notes[i], note, sizeof(note));
			fprintf(f, "  - %s\n", note);
		}
	}
	if (fflush(f) != 0 || ferror(f))
		return err_set(ERR_FAIL, "cannot write the table");
	return 0;
}

int rep_table_write_rows(const rows *r, int ncol, const char *const *heads, const int *right,
			 FILE *f)
{
	struct layout l = {ncol, {0}, {0}, -1, 1};
	struct row row = {0};
	int i, c, pass;

	if (ncol < 1 || ncol > NCOL)
		return err_set(ERR_FAIL, "a table of %d columns (1 to %d)", ncol, NCOL);
	for (c = 0; c < ncol; c++)
		l.right[c] = right[c];
	/* first the widths, then the lines */
	for (pass = 0; pass < 2; pass++) {
		for (i = -1; i < r->nrows; i++) {
			for (c = 0; c < ncol; c++) {
				const char *v = i < 0 ? heads[c] : rows_get(r, i, c);

				set(&row, c, v ? v : "-");
			}
			if (pass)
				print_row(f, &l, &row, 0);
			else
				widen(&l, &row);
		}
	}
	if (fflush(f) != 0 || ferror(f))
		return err_set(ERR_FAIL, "cannot write the table");
	return 0;
}
