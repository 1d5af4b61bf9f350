/* pdf_agreement: the sections on agreements (internal to reports/): an
 * agreement's ex-ante evaluation, projects with their budget, and
 * milestones; a policy's ranking of its agreements. */
#include "pdf_agreement.h"

#include "err.h"
#include "format.h"
#include "labels.h"

#include <string.h>

/* --- layout measures (points) ------------------------------------------------ */

/* The budget legend under the projects' title: a swatch and a word each. */
#define SWATCH_W 10.0f
#define SWATCH_H 6.5f
#define SWATCH_TOP 8.0f	 /* the swatch's foot below the line's top */
#define SWATCH_GAP 13.0f /* from a swatch to its word */
#define KEY_SIZE 7.0f
#define KEY_BASE 7.5f
#define KEY_GAP 14.0f /* after a word */
#define KEY_H 14.0f

/* --- agreement: ex ante, projects, milestones -------------------------------------- */

int pda_ex_ante(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	pd_table_init(&t, pd_tr(p, "Valutazione ex ante", "Ex-ante evaluation"),
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
		pd_rect(p, x, p->y - SWATCH_TOP, SWATCH_W, SWATCH_H, colors[i]);
		x += SWATCH_GAP;
		pd_put(p, p->reg, KEY_SIZE, C_INK, x, p->y - KEY_BASE, words[i]);
		x += pd_width(p->reg, KEY_SIZE, words[i], strlen(words[i])) + KEY_GAP;
	}
	p->y -= KEY_H;
}

int pda_projects(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	pd_table_init(&t, pd_tr(p, "Progetti e budget", "Projects and budget"), NULL);
	if (sc->n_projects == 0 || !sc->projects) {
		char buf[CELL], d[CELL];

		if ((rc = fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d))) < 0)
			return rc;
		lbl_say(buf, sizeof(buf), "%s %s.",
			pd_tr(p, "Nessun progetto definito al", "No project defined as of"), d);
		return pd_empty_section(p, t.title, buf);
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
					     KEY_H + pd_header_height(p, &t) + h)) < 0)
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

int pda_milestones(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	int i, rc;

	pd_table_init(&t, pd_tr(p, "Tappe dei progetti", "Project milestones"), NULL);
	if (sc->n_milestones == 0 || !sc->milestones)
		return pd_empty_section(
			p, t.title, pd_tr(p, "Nessuna tappa prevista.", "No milestone planned."));
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

/* The row in place of ranks [head, tail) that a long ranking leaves out:
 * how many, from which rank to which (when they are ranked), and where the
 * whole ranking is. */
static int ranks_gap(struct pdf *p, struct table *t, int head, int tail)
{
	const struct sc_rank *first = &p->sc->ranks[head], *last = &p->sc->ranks[tail - 1];
	struct cell c[MAXCOL];
	char n[CELL], a[CELL], b[CELL];
	int rc;

	pd_cell_clear(c, MAXCOL);
	pd_cell_set(&c[0], "…");
	if ((rc = pd_int_text(p, tail - head, n, sizeof(n))) < 0 ||
	    (rc = pd_int_text(p, first->rank, a, sizeof(a))) < 0 ||
	    (rc = pd_int_text(p, last->rank, b, sizeof(b))) < 0)
		return rc;
	/* the same words in either locale, in its own order */
	if (first->rank > 0 && last->rank > 0 && fmt_is_en(p->loc))
		lbl_say(pd_cell_buf(&c[2]), CELL, "%s more agreements, ranks %s to %s", n, a, b);
	else if (first->rank > 0 && last->rank > 0)
		lbl_say(pd_cell_buf(&c[2]), CELL, "altri %s accordi, dalla posizione %s alla %s", n,
			a, b);
	else if (fmt_is_en(p->loc))
		lbl_say(pd_cell_buf(&c[2]), CELL, "%s more agreements", n);
	else
		lbl_say(pd_cell_buf(&c[2]), CELL, "altri %s accordi", n);
	c[2].sub = pd_tr(p, "la graduatoria intera è nel cruscotto JSON e nelle pagine HTML",
			 "the whole ranking is in the JSON scorecard and the HTML pages");
	c[2].muted = 1;
	return pd_table_row(p, t, c);
}

int pda_ranks(struct pdf *p)
{
	const struct scorecard *sc = p->sc;
	struct table t;
	struct cell c[MAXCOL];
	char range_title[CELL], nb[CELL];
	double n;
	int i, head, tail, rc;

	pd_table_init(&t, pd_tr(p, "Accordi per indice", "Agreements ranked by index"),
		      pd_tr(p, "posizione e sua variabilità al variare dei pesi",
			    "rank and how it varies as the weights vary"));
	if (sc->n_ranks == 0 || !sc->ranks)
		return pd_empty_section(
			p, t.title,
			pd_tr(p, "Nessun accordo nel periodo.", "No agreement in the period."));
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
	pd_list_ends(sc->n_ranks, &head, &tail);
	for (i = 0; i < sc->n_ranks; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		if (i == head && head < tail) {
			if ((rc = ranks_gap(p, &t, head, tail)) < 0)
				return rc;
			i = tail - 1;
			continue;
		}
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
