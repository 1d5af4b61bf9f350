/* html_sections: the sections of a scorecard written as text and tables
 * (html_page.h): headline tiles, indicator tables, the agreement's ex-ante
 * evaluation, projects and milestones, the policy's neighbourhoods, the
 * qualitative evidence and the notes. */
#include "html_page.h"

#include "err.h"
#include "format.h"
#include "labels.h"
#include "method.h"
#include "notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- headline tiles ------------------------------------------------------------------- */

void html_tiles(struct page *p)
{
	struct lbl_tile t[LBL_MAX_TILES];
	int i, n = 0;

	html_check(p, lbl_tiles(p->sc, t, &n));
	html_section_open(p, "key", "I numeri chiave", "Key figures");
	html_raw(p, "<ul class=\"tiles\">\n");
	for (i = 0; i < n; i++) {
		html_raw(p, "<li>");
		html_elem(p, "<span class=\"v\">", t[i].value, "</span>");
		html_elem(p, " <span class=\"l\">", t[i].label, "</span>");
		if (t[i].sub[0])
			html_elem(p, " <span class=\"s\">", t[i].sub, "</span>");
		html_raw(p, "</li>\n");
	}
	html_raw(p, "</ul></section>\n");
}

/* --- indicator tables ------------------------------------------------------------------ */

static void legend(struct page *p)
{
	static const enum sc_status order[4] = {ST_GREEN, ST_AMBER, ST_RED, ST_NONE};
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", n[CELL] = "";
	int i;

	html_raw(p, "<ul class=\"legend\">");
	for (i = 0; i < 4; i++) {
		html_sb_printf(&p->b, "<li><span class=\"mk %s\" aria-hidden=\"true\">%s</span>",
			       html_status_class(order[i]), fmt_status_mark(order[i]));
		lbl_say(buf, sizeof(buf), "%s: %s", fmt_status_word(order[i], p->loc),
			lbl_status_meaning(order[i], p->loc));
		html_text(p, buf);
		html_raw(p, "</li>");
	}
	html_raw(p, "</ul>\n");
	/* What a suppressed value means, by kind; the cells link here. */
	html_check(p, fmt_number(sc->min_cell, 0, p->loc, n, sizeof(n)));
	html_raw(p, "<dl class=\"supnote\">");
	lbl_say(buf, sizeof(buf), "%s¹", lbl_suppressed(p->loc));
	html_elem(p, "<dt id=\"sup-primary\">", buf, "</dt>");
	lbl_say(buf, sizeof(buf), "%s %s %s",
		html_tr(p, "Soppressione primaria: il valore si basa su meno di",
			"Primary suppression: the value rests on fewer than"),
		n,
		html_tr(p,
			"rispondenti e non è pubblicato, né il suo intervallo; n resta indicato.",
			"respondents and is not published, nor its interval; n is still given."));
	html_elem(p, "<dd>", buf, "</dd>");
	lbl_say(buf, sizeof(buf), "%s²", lbl_suppressed(p->loc));
	html_elem(p, "<dt id=\"sup-secondary\">", buf, "</dt>");
	html_elem(p, "<dd>",
		  html_tr(p,
			  "Soppressione secondaria: il valore avrebbe abbastanza rispondenti, ma è "
			  "trattenuto perché, insieme ai valori pubblicati, permetterebbe di "
			  "ricavare "
			  "per sottrazione un valore soppresso.",
			  "Secondary suppression: the value has enough respondents but is withheld "
			  "because, with the published values, it would let a suppressed value be "
			  "recovered by subtraction."),
		  "</dd>");
	html_raw(p, "</dl>\n");
}

static void indicator_row(struct page *p, const struct sc_indicator *x, int stats)
{
	struct lbl_row r;

	if (lbl_row(p->sc, x, &r) < 0) {
		html_check(p, ERR_FAIL);
		return;
	}
	html_sb_printf(&p->b, "<tr data-code=\"%s\">", x->ind->code);
	html_elem(p, r.breakdown ? "<th scope=\"row\" class=\"sub\">" : "<th scope=\"row\">",
		  r.label, "</th>");
	if (r.suppressed) {
		int secondary = x->suppression == SUP_SECONDARY;

		html_sb_printf(
			&p->b, "<td class=\"n sup\" data-suppression=\"%s\"><a href=\"#sup-%s\">",
			secondary ? "secondary" : "primary", secondary ? "secondary" : "primary");
		html_text(p, r.value);
		html_raw(p, secondary ? "²" : "¹");
		html_raw(p, "</a></td>");
	} else {
		html_elem(p, "<td class=\"n\"><b>", r.value, "</b></td>");
	}
	html_td(p, r.previous, 1);
	html_raw(p, "<td class=\"n\">");
	if (r.direction)
		html_raw(p, r.direction > 0 ? "<span aria-hidden=\"true\">↑ </span>"
					    : "<span aria-hidden=\"true\">↓ </span>");
	html_text(p, r.delta);
	html_raw(p, "</td>");
	html_td(p, r.target, 1);
	html_status_cell(p, r.status, NULL);
	if (stats) {
		html_td(p, r.n, 1);
		html_td(p, r.interval, 1);
	}
	html_raw(p, "</tr>\n");
}

static void dimension_table(struct page *p, enum cat_dimension d)
{
	const struct scorecard *sc = p->sc;
	char aside[2 * CELL] = "", id[32] = "", cap[2 * CELL] = "";
	int i, any = 0, stats = lbl_dimension_has_stats(sc, d);

	for (i = 0; i < cat_count && i < 64; i++)
		if (sc->ind[i].present && sc->ind[i].ind && sc->ind[i].ind->dimension == d)
			any = 1;
	if (!any)
		return;
	html_sb_printf(&p->b, "<h3 id=\"h-dim%d\">", (int)d);
	html_text(p, rep_dimension_label(d, p->loc));
	html_raw(p, "</h3>\n");
	html_check(p, lbl_dimension_aside(sc, d, aside, sizeof(aside)));
	html_elem(p, "<p>", aside, "</p>\n");
	snprintf(id, sizeof(id), "t-dim%d", (int)d);
	lbl_say(cap, sizeof(cap), "%s: %s %s", rep_dimension_label(d, p->loc),
		html_tr(p, "indicatori al", "indicators for"), sc->period);
	html_table_open(p, id, cap);
	html_raw(p, "<thead><tr>");
	html_th_col(p, html_tr(p, "Indicatore", "Indicator"), 0);
	lbl_say(cap, sizeof(cap), "%s %s", html_tr(p, "Valore", "Value"), sc->period);
	html_th_col(p, cap, 1);
	lbl_say(cap, sizeof(cap), "%s %s", html_tr(p, "Precedente", "Previous"),
		sc->period_previous[0] ? sc->period_previous : "");
	html_th_col(p, cap, 1);
	html_th_col(p, html_tr(p, "Variazione", "Change"), 1);
	html_th_col(p, html_tr(p, "Obiettivo", "Target"), 1);
	html_th_col(p, html_tr(p, "Stato", "Status"), 0);
	if (stats) {
		html_th_col(p, "n", 1);
		html_th_col(p, html_tr(p, "Intervallo 95%", "95% interval"), 1);
	}
	html_raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (x->present && x->ind && x->ind->dimension == d)
			indicator_row(p, x, stats);
	}
	html_table_close(p);
}

void html_indicators(struct page *p)
{
	int d;

	html_section_open(p, "ind", "Indicatori per dimensione", "Indicators by dimension");
	legend(p);
	for (d = 0; d < DIM_COUNT; d++)
		dimension_table(p, (enum cat_dimension)d);
	html_raw(p, "</section>\n");
}

/* --- agreement: ex ante, projects, milestones -------------------------------------------- */

void html_ex_ante(struct page *p)
{
	static const struct html_col cols[] = {{"Criterio", "Criterion", 0},
					       {"Punteggio", "Score", 1}};
	const struct scorecard *sc = p->sc;
	char buf[CELL] = "";
	int i;

	html_section_open(p, "exante", "Valutazione ex ante", "Ex-ante evaluation");
	html_elem(p, "<p>",
		  html_tr(p, "Superata se ogni criterio vale almeno 3 su 5.",
			  "Passed when every criterion scores at least 3 out of 5."),
		  "</p>\n");
	html_table_head(p, "t-exante",
			html_tr(p, "Criteri della valutazione ex ante, scala da 1 a 5",
				"Ex-ante criteria, scale 1 to 5"),
			HTML_COLS(cols));
	for (i = 0; i < 4; i++) {
		struct sc_num v = i < 3 ? sc->ex_ante[i] : sc->ex_ante_mean;

		html_check(p, fmt_value(v, "score", p->loc, buf, sizeof(buf)));
		html_raw(p, "<tr>");
		html_elem(p, "<th scope=\"row\">",
			  i < 3 ? fmt_ex_ante_label(i, p->loc) : html_tr(p, "Media", "Mean"),
			  "</th>");
		html_td(p, buf, 1);
		html_raw(p, "</tr>\n");
	}
	html_raw(p, "<tr>");
	html_elem(p, "<th scope=\"row\">", html_tr(p, "Esito", "Outcome"), "</th>");
	html_status_cell(p, sc->ex_ante_passed ? ST_GREEN : ST_RED, lbl_ex_ante_outcome(sc));
	html_raw(p, "</tr>\n");
	html_table_close(p);
	html_raw(p, "</section>\n");
}

void html_projects(struct page *p)
{
	static const struct html_col cols[] = {
		{"Progetto", "Project", 0}, {"Budget", "Budget", 0}, {"Tappe", "Milestones", 0}};
	const struct scorecard *sc = p->sc;
	char d[CELL] = "", buf[2 * CELL] = "";
	int i;

	html_section_open(p, "prj", "Progetti e budget", "Projects and budget");
	if (sc->n_projects == 0 || !sc->projects) {
		html_check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
		lbl_say(buf, sizeof(buf), "%s %s.",
			html_tr(p, "Nessun progetto definito al", "No project defined as of"), d);
		html_section_empty(p, buf);
		return;
	}
	html_table_head(p, "t-prj",
			html_tr(p, "Progetti, budget e tappe", "Projects, budget and milestones"),
			HTML_COLS(cols));
	for (i = 0; i < sc->n_projects; i++) {
		const struct sc_project *pr = &sc->projects[i];
		struct lbl_project lp;

		if (lbl_project(pr, p->loc, &lp) < 0) {
			html_check(p, ERR_FAIL);
			break;
		}
		html_raw(p, "<tr><th scope=\"row\"><b>");
		html_text(p, pr->title ? pr->title : fmt_null);
		html_elem(p, "</b> <span class=\"sub-l\">", lp.sub, "</span></th>");
		html_td(p, lp.budget, 0);
		html_raw(p, "<td>");
		html_text(p, lp.milestones);
		html_elem(p, " <span class=\"sub-l\">", lp.milestones_sub, "</span></td></tr>\n");
	}
	html_table_close(p);
	html_raw(p, "</section>\n");
}

void html_milestones(struct page *p)
{
	static const struct html_col cols[] = {{"Tappa", "Milestone", 0},
					       {"Progetto", "Project", 0},
					       {"Scadenza", "Due", 1},
					       {"Raggiunta", "Achieved", 1},
					       {"Esito", "Outcome", 0}};
	const struct scorecard *sc = p->sc;
	char due[CELL] = "", got[CELL] = "";
	int i;

	html_section_open(p, "ms", "Tappe dei progetti", "Project milestones");
	if (sc->n_milestones == 0 || !sc->milestones) {
		html_section_empty(p,
				   html_tr(p, "Nessuna tappa prevista.", "No milestone planned."));
		return;
	}
	html_table_head(p, "t-ms",
			html_tr(p, "Tappe dei progetti e loro esito", "Milestones and outcome"),
			HTML_COLS(cols));
	for (i = 0; i < sc->n_milestones; i++) {
		const struct sc_milestone *m = &sc->milestones[i];
		const char *word;
		int done;
		enum sc_status st = lbl_milestone(sc, m, &done, &word);

		html_check(p, fmt_date(m->due_on, FMT_DATE_SHORT, p->loc, due, sizeof(due)));
		html_check(p, fmt_date(done ? m->achieved_on : NULL, FMT_DATE_SHORT, p->loc, got,
				       sizeof(got)));
		html_raw(p, "<tr>");
		html_elem(p, "<th scope=\"row\">", m->title ? m->title : fmt_null, "</th>");
		html_td(p, m->project_code ? m->project_code : fmt_null, 0);
		html_td(p, due, 1);
		html_td(p, got, 1);
		html_status_cell(p, st, word);
		html_raw(p, "</tr>\n");
	}
	html_table_close(p);
	html_raw(p, "</section>\n");
}

/* --- policy: territories ------------------------------------------------------------------- */

/* A territory's figure in the unit of the catalogue indicator id. */
static void territory_cell(struct page *p, struct sc_num v, enum cat_id id)
{
	char buf[CELL] = "";

	html_check(p, fmt_value(v, cat_indicators[id].unit, p->loc, buf, sizeof(buf)));
	html_td(p, buf, 1);
}

void html_territories(struct page *p)
{
	static const struct html_col cols[] = {
		{"Quartiere", "Neighbourhood", 0},	 {"Codice", "Code", 0},
		{"Popolazione", "Population", 1},	 {"Accordi", "Agreements", 1},
		{"out.participants", NULL, 1},		 {"out.participation_rate", NULL, 1},
		{"soc.quality_of_life_change", NULL, 1}, {"Indice", "Index", 1}};
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", d[CELL] = "";
	int i;

	html_section_open(p, "terr", "Territori", "Neighbourhoods");
	html_check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	if (sc->n_territories == 0 || !sc->territories) {
		lbl_say(buf, sizeof(buf), "%s %s.",
			html_tr(p, "Nessun quartiere coperto da un accordo al",
				"No neighbourhood covered by an agreement as of"),
			d);
		html_section_empty(p, buf);
		return;
	}
	html_elem(p, "<p>",
		  html_tr(p,
			  "Ogni quartiere coperto da un accordo, con le cifre della sua scheda; "
			  "«—» dove la cifra manca o è trattenuta per riservatezza.",
			  "Every neighbourhood an agreement covers, with the figures of its own "
			  "scorecard; “—” where a figure is missing or withheld for "
			  "confidentiality."),
		  "</p>\n");
	lbl_say(buf, sizeof(buf), "%s %s",
		html_tr(p, "Quartieri coperti al", "Neighbourhoods covered as of"), d);
	html_table_head(p, "t-terr", buf, HTML_COLS(cols));
	for (i = 0; i < sc->n_territories; i++) {
		const struct sc_territory *t = &sc->territories[i];

		html_raw(p, "<tr><th scope=\"row\">");
		if (t->code)
			html_link_open(p, "neighbourhoods/", t->code);
		html_text(p, t->name ? t->name : t->code ? t->code : fmt_null);
		if (t->code)
			html_raw(p, "</a>");
		html_raw(p, "</th>");
		html_td(p, t->code ? t->code : fmt_null, 0);
		html_check(p, fmt_number((double)t->population, 0, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		html_check(p, fmt_number(t->agreements, 0, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		territory_cell(p, t->participants, IND_OUT_PARTICIPANTS);
		territory_cell(p, t->participation_rate, IND_OUT_PARTICIPATION_RATE);
		territory_cell(p, t->quality_of_life_change, IND_SOC_QUALITY_OF_LIFE_CHANGE);
		html_check(p, lbl_score(t->index, p->loc, buf, sizeof(buf)));
		html_td(p, buf, 1);
		html_raw(p, "</tr>\n");
	}
	html_table_close(p);
	html_raw(p, "</section>\n");
}

/* --- every level: qualitative evidence ------------------------------------------------------ */

/* Writes a summary as written: each line escaped, line breaks kept as <br>
 * (a carriage return before one dropped). */
static void summary_text(struct page *p, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		size_t k = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
		char *line = strndup(s, k);

		if (!line) {
			p->b.oom = 1;
			return;
		}
		html_text(p, line);
		free(line);
		if (!s[n])
			break;
		html_raw(p, "<br>\n");
		s += n + 1;
	}
}

void html_evidence(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", d[CELL] = "", n[CELL] = "";
	int i;

	html_section_open(p, "evid", "Evidenze qualitative", "Qualitative evidence");
	html_check(p, fmt_date(sc->period_end, FMT_DATE_LONG, p->loc, d, sizeof(d)));
	html_check(p, fmt_number((double)sc->evidence_total, 0, p->loc, n, sizeof(n)));
	lbl_say(buf, sizeof(buf), "%s %s: %s. %s",
		html_tr(p, "Evidenze registrate fino al", "Evidence recorded up to"), d, n,
		sc->n_evidence > 0 ? html_tr(p, "Quelle del periodo, dalla più recente:",
					     "The period's, newest first:")
				   : html_tr(p, "Nessuna nel periodo.", "None in the period."));
	html_elem(p, "<p>", buf, "</p>\n");
	html_elem(p, "<p>", lbl_evidence_note(p->loc), "</p>\n");
	if (sc->n_evidence == 0 || !sc->evidence) {
		html_raw(p, "</section>\n");
		return;
	}
	html_raw(p, "<ul class=\"evidence\">\n");
	for (i = 0; i < sc->n_evidence; i++) {
		const struct sc_evidence *e = &sc->evidence[i];

		html_elem(p, "<li><h3>", e->title ? e->title : fmt_null, "</h3>\n");
		html_check(p, fmt_date(e->recorded_on, FMT_DATE_LONG, p->loc, d, sizeof(d)));
		lbl_say(buf, sizeof(buf), "%s · %s", lbl_evidence_kind(e->kind, p->loc), d);
		/* the PDF's words: "12 partecipanti" */
		if (html_known(e->participants)) {
			html_check(p, lbl_evidence_participants(e, p->loc, n, sizeof(n)));
			lbl_append(buf, sizeof(buf), " · %s", n);
		}
		if (e->agreement_code)
			lbl_append(buf, sizeof(buf), " · %s %s", html_tr(p, "accordo", "agreement"),
				   e->agreement_code);
		if (e->neighbourhood_code)
			lbl_append(buf, sizeof(buf), " · %s %s",
				   html_tr(p, "quartiere", "neighbourhood"), e->neighbourhood_code);
		if (e->code)
			lbl_append(buf, sizeof(buf), " · %s", e->code);
		html_elem(p, "<p class=\"meta\">", buf, "</p>\n");
		if (e->summary && e->summary[0]) {
			html_raw(p, "<p class=\"summary\">");
			summary_text(p, e->summary);
			html_raw(p, "</p>\n");
		}
		html_raw(p, "</li>\n");
	}
	html_raw(p, "</ul>\n</section>\n");
}

/* --- notes ----------------------------------------------------------------------------------- */

void html_notes(struct page *p)
{
	const struct scorecard *sc = p->sc;
	int i;

	html_section_open(p, "notes", "Note di metodo", "Notes on method");
	if (sc->n_notes == 0 && !sc->snapshot) {
		html_elem(p, "<p>", html_tr(p, "Nessuna nota.", "No note."), "</p></section>\n");
		return;
	}
	html_raw(p, "<ul>");
	for (i = 0; i < sc->n_notes; i++) {
		char note[NOTES_SIZE] = "";

		notes_text(sc, sc->notes[i], note, sizeof(note));
		html_elem(p, "<li>", note, "</li>\n");
	}
	if (sc->snapshot) {
		char buf[4 * CELL] = "";

		lbl_say(buf, sizeof(buf), "%s: %s",
			html_tr(p, "Istantanea dei dati", "Data snapshot"), sc->snapshot);
		html_elem(p, "<li>", buf, "</li>\n");
	}
	html_raw(p, "</ul></section>\n");
}
