/* html_charts: the sections drawn as inline SVG (html_page.h): the
 * dimension scores with the index, and the trends, each chart beside a
 * table of the same figures. */
#include "html_page.h"

#include "format.h"
#include "labels.h"
#include "method.h"

#include <string.h>

/* --- dimension scores and index ------------------------------------------------------- */

void html_scores(struct page *p)
{
	static const struct html_col cols[] = {{"Dimensione", "Dimension", 0},
					       {"Punteggio (0–100)", "Score (0–100)", 1},
					       {"Copertura degli obiettivi", "Target coverage", 1},
					       {"Peso", "Weight", 1}};
	const struct scorecard *sc = p->sc;
	const int rowh = 30, lw = 190, bw = 360, h = DIM_COUNT * rowh + 24;
	char buf[2 * CELL] = "", cov[CELL] = "", w[CELL] = "";
	int d, i;

	html_section_open(p, "scores", "Punteggi delle dimensioni e indice",
			  "Dimension scores and index");
	html_elem(p, "<p>",
		  html_tr(p, "Scala 0–100: 100 = tutti gli obiettivi raggiunti.",
			  "Scale 0–100: 100 = every target met."),
		  "</p>\n");
	html_check(p, lbl_score(sc->index, p->loc, buf, sizeof(buf)));
	html_raw(p, "<p class=\"index\">");
	html_text(p, html_tr(p, "Indice complessivo", "Overall index"));
	html_elem(p, " <strong>", buf, "</strong> ");
	html_text(p, html_known(sc->index)
			     ? html_tr(p, "su 100: media pesata dei punteggi delle dimensioni",
				       "out of 100: weighted mean of the dimension scores")
			     : html_tr(p, "non calcolabile: nessun punteggio di dimensione",
				       "not available: no dimension score"));
	if (sc->level == CAT_POLICY) {
		html_check(p,
			   lbl_score_range(sc->index_p05, sc->index_p95, p->loc, buf, sizeof(buf)));
		html_raw(p, "<br>");
		html_text(p, html_tr(p, "Al variare dei pesi (5°–95° percentile): ",
				     "As weights vary (5th–95th percentile): "));
		html_elem(p, "<b>", buf, "</b>");
	}
	html_raw(p, "</p>\n");

	/* The chart: the same figures as the table below it. */
	html_sb_printf(&p->b,
		       "<svg viewBox=\"0 0 %d %d\" role=\"img\" "
		       "xmlns=\"http://www.w3.org/2000/svg\"><title>",
		       lw + bw + 70, h);
	lbl_say(buf, sizeof(buf),
		"%s — %s: ", html_tr(p, "Punteggi delle dimensioni", "Dimension scores"),
		html_subject(sc));
	html_text(p, buf);
	for (d = 0; d < DIM_COUNT; d++) {
		html_check(p, lbl_score(sc->dims[d].score, p->loc, w, sizeof(w)));
		lbl_say(buf, sizeof(buf), "%s%s %s", d ? "; " : "",
			rep_dimension_label((enum cat_dimension)d, p->loc), w);
		html_text(p, buf);
	}
	html_raw(p, "</title>\n");
	for (d = 0; d < DIM_COUNT; d++) {
		const struct sc_dimension *dim = &sc->dims[d];
		int y = d * rowh;

		html_raw(p, "<text x=\"0\" y=\"");
		html_sb_printf(&p->b, "%d\" font-size=\"14\" fill=\"#212429\">", y + 19);
		html_text(p, rep_dimension_label((enum cat_dimension)d, p->loc));
		html_sb_printf(&p->b,
			       "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" "
			       "fill=\"" COL_TRACK "\"/>",
			       lw, y + 6, bw);
		if (html_known(dim->score)) {
			double v = dim->score.v < 0 ? 0 : dim->score.v > 100 ? 100 : dim->score.v;

			html_sb_printf(&p->b,
				       "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" "
				       "fill=\"" COL_ACCENT "\"/>",
				       lw, y + 6, v * bw / 100.0);
		}
		html_check(p, lbl_score(dim->score, p->loc, w, sizeof(w)));
		html_sb_printf(&p->b,
			       "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\" "
			       "fill=\"#212429\">",
			       lw + bw + 8, y + 19);
		html_text(p, w);
		html_raw(p, "</text>\n");
	}
	for (i = 0; i <= 4; i++)
		html_sb_printf(&p->b,
			       "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"" COL_GREY
			       "\" text-anchor=\"middle\">%d</text>",
			       lw + bw * i / 4, h - 4, i * 25);
	html_raw(p, "</svg>\n");

	html_table_head(p, "t-scores", html_tr(p, "Punteggi delle dimensioni", "Dimension scores"),
			HTML_COLS(cols));
	for (d = 0; d < DIM_COUNT; d++) {
		struct sc_num c = sc->dims[d].coverage;

		if (c.set)
			c.v *= 100.0;
		html_check(p, lbl_score(sc->dims[d].score, p->loc, buf, sizeof(buf)));
		html_check(p, fmt_value(c, "percent", p->loc, cov, sizeof(cov)));
		html_check(p, fmt_value(sc->dims[d].weight, "ratio", p->loc, w, sizeof(w)));
		html_raw(p, "<tr>");
		html_elem(p, "<th scope=\"row\">",
			  rep_dimension_label((enum cat_dimension)d, p->loc), "</th>");
		html_td(p, buf, 1);
		html_td(p, cov, 1);
		html_td(p, w, 1);
		html_raw(p, "</tr>\n");
	}
	html_table_close(p);
	html_raw(p, "</section>\n");
}

/* --- trends ----------------------------------------------------------------------------- */

static const char *trend_unit(int k)
{
	return k < 0 ? NULL : cat_indicators[sc_trend_ids[k]].unit;
}

static const char *trend_label(const struct page *p, int k)
{
	return k < 0 ? html_tr(p, "Indice complessivo", "Overall index")
		     : rep_label(&cat_indicators[sc_trend_ids[k]], p->loc);
}

static int trend_text(const struct page *p, int k, struct sc_num v, char *buf, size_t size)
{
	if (k < 0)
		return lbl_score(v, p->loc, buf, size);
	return fmt_value(v, trend_unit(k), p->loc, buf, size);
}

/* The text alternative of a trend chart: the quarters, the first and last
 * known values, the lowest and highest, and the quarters without data. */
static void trend_alt(struct page *p, int k)
{
	const struct scorecard *sc = p->sc;
	char buf[4 * CELL] = "", a[CELL] = "", gaps[2 * CELL] = "";
	int i, first = -1, last = -1, lo = -1, hi = -1;

	gaps[0] = '\0';
	for (i = 0; i < sc->n_trend; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);

		if (!html_known(v)) {
			lbl_append(gaps, sizeof(gaps), "%s%s", gaps[0] ? ", " : "",
				   sc->trend[i].period);
			continue;
		}
		if (first < 0)
			first = i;
		last = i;
		if (lo < 0 || v.v < lbl_trend_value(sc, k, lo).v)
			lo = i;
		if (hi < 0 || v.v > lbl_trend_value(sc, k, hi).v)
			hi = i;
	}
	lbl_say(buf, sizeof(buf), "%s — %s, %s–%s", trend_label(p, k), html_subject(sc),
		sc->trend[0].period, sc->trend[sc->n_trend - 1].period);
	html_text(p, buf);
	if (first < 0) {
		html_raw(p, ": ");
		html_text(p, html_tr(p, "nessun dato", "no data"));
		return;
	}
	html_check(p, trend_text(p, k, lbl_trend_value(sc, k, first), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), ": %s %s %s", html_tr(p, "da", "from"), a,
		sc->trend[first].period);
	html_text(p, buf);
	html_check(p, trend_text(p, k, lbl_trend_value(sc, k, last), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), " %s %s %s", html_tr(p, "a", "to"), a, sc->trend[last].period);
	html_text(p, buf);
	html_check(p, trend_text(p, k, lbl_trend_value(sc, k, lo), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), "; %s %s (%s)", html_tr(p, "minimo", "lowest"), a,
		sc->trend[lo].period);
	html_text(p, buf);
	html_check(p, trend_text(p, k, lbl_trend_value(sc, k, hi), a, sizeof(a)));
	lbl_say(buf, sizeof(buf), ", %s %s (%s)", html_tr(p, "massimo", "highest"), a,
		sc->trend[hi].period);
	html_text(p, buf);
	if (gaps[0]) {
		lbl_say(buf, sizeof(buf), "; %s: %s", html_tr(p, "nessun dato per", "no data for"),
			gaps);
		html_text(p, buf);
	}
}

static void trend_chart(struct page *p, int k)
{
	const struct scorecard *sc = p->sc;
	const char *unit = trend_unit(k);
	const double x0 = 70, x1 = 310, y0 = 118, y1 = 12;
	const struct sc_indicator *ind = k < 0 ? NULL : sc_ind(sc, sc_trend_ids[k]);
	struct sc_num lastv = lbl_trend_value(sc, k, sc->n_trend - 1);
	double lo = 0, hi = 0;
	char buf[CELL] = "", lo_t[CELL] = "", hi_t[CELL] = "";
	int i, any = 0, prev = -1, n = sc->n_trend;

	if (ind && ind->suppressed)
		lbl_say(buf, sizeof(buf), "%s", lbl_suppressed(p->loc));
	else
		html_check(p, trend_text(p, k, lastv, buf, sizeof(buf)));
	html_sb_printf(&p->b, "<figure><figcaption>");
	html_text(p, trend_label(p, k));
	html_elem(p, " <span>", buf, "</span>");
	html_raw(p, "</figcaption>\n");
	/* the same scale as the PDF's */
	any = lbl_trend_scale(sc, k, &lo, &hi);
	html_check(p, fmt_number(lo, 0, p->loc, lo_t, sizeof(lo_t)));
	if (k < 0 || (unit && strcmp(unit, "score") == 0))
		html_check(p, fmt_number(hi, 0, p->loc, hi_t, sizeof(hi_t)));
	else
		html_check(p, fmt_value(html_num(hi), unit, p->loc, hi_t, sizeof(hi_t)));
	html_sb_printf(&p->b, "<svg viewBox=\"0 0 320 140\" role=\"img\" "
			      "xmlns=\"http://www.w3.org/2000/svg\"><title>");
	trend_alt(p, k);
	html_sb_printf(&p->b,
		       "</title>\n<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"" COL_RULE
		       "\"/><line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"" COL_RULE
		       "\" stroke-width=\"0.5\"/>",
		       x0, y0, x1, y0, x0, y1, x1, y1);
	if (any) {
		html_sb_printf(&p->b,
			       "<text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"" COL_GREY
			       "\" text-anchor=\"end\">",
			       x0 - 4, y1 + 4);
		html_text(p, hi_t);
		html_sb_printf(&p->b,
			       "</text><text x=\"%g\" y=\"%g\" font-size=\"11\" fill=\"" COL_GREY
			       "\" text-anchor=\"end\">",
			       x0 - 4, y0 + 4);
		html_text(p, lo_t);
		html_raw(p, "</text>");
	} else {
		html_sb_printf(&p->b,
			       "<text x=\"%g\" y=\"%g\" font-size=\"12\" fill=\"" COL_GREY
			       "\" text-anchor=\"middle\">",
			       (x0 + x1) / 2, (y0 + y1) / 2);
		html_text(p, html_tr(p, "nessun dato", "no data"));
		html_raw(p, "</text>");
	}
	html_sb_printf(&p->b, "<text x=\"%g\" y=\"136\" font-size=\"11\" fill=\"" COL_GREY "\">",
		       x0);
	html_text(p, sc->trend[0].period);
	html_sb_printf(&p->b,
		       "</text><text x=\"%g\" y=\"136\" font-size=\"11\" fill=\"" COL_GREY
		       "\" text-anchor=\"end\">",
		       x1);
	html_text(p, sc->trend[n - 1].period);
	html_raw(p, "</text>\n");
	/* Segments join consecutive known points only: a gap shows. */
	for (i = 0; i < n; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);
		double xi = n > 1 ? x0 + (x1 - x0) * i / (n - 1) : (x0 + x1) / 2, yi;

		html_sb_printf(
			&p->b,
			"<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" stroke=\"" COL_RULE
			"\"/>",
			xi, y0, xi, y0 + 3);
		if (!html_known(v)) {
			prev = -1;
			continue;
		}
		yi = y0 + (v.v - lo) / (hi - lo) * (y1 - y0);
		yi = yi > y0 ? y0 : yi < y1 ? y1 : yi;
		if (prev >= 0) {
			struct sc_num pv = lbl_trend_value(sc, k, prev);
			double xp = x0 + (x1 - x0) * prev / (n - 1);
			double yp = y0 + (pv.v - lo) / (hi - lo) * (y1 - y0);

			yp = yp > y0 ? y0 : yp < y1 ? y1 : yp;
			html_sb_printf(&p->b,
				       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				       "stroke=\"" COL_ACCENT "\" stroke-width=\"2\"/>",
				       xp, yp, xi, yi);
		}
		html_sb_printf(&p->b,
			       "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"" COL_ACCENT "\"/>",
			       xi, yi, i == n - 1 ? "4" : "2.5");
		prev = i;
	}
	html_raw(p, "\n</svg></figure>\n");
}

void html_trends(struct page *p)
{
	const struct scorecard *sc = p->sc;
	char buf[CELL] = "";
	int i, k;

	html_section_open(p, "trend", "Andamento negli ultimi trimestri",
			  "Trend over the last quarters");
	if (sc->n_trend == 0 || !sc->trend) {
		html_section_empty(
			p, html_tr(p, "Nessun trimestre da mostrare.", "No quarter to show."));
		return;
	}
	html_raw(p, "<div class=\"charts\">\n");
	for (k = -1; k < sc_trend_count; k++)
		trend_chart(p, k);
	html_raw(p, "</div>\n");
	html_table_open(
		p, "t-trend",
		html_tr(p, "I valori dei grafici per trimestre", "The charts' figures by quarter"));
	html_raw(p, "<thead><tr>");
	html_th_col(p, html_tr(p, "Trimestre", "Quarter"), 0);
	for (k = -1; k < sc_trend_count; k++)
		html_th_col(p, trend_label(p, k), 1);
	html_raw(p, "</tr></thead><tbody>\n");
	for (i = 0; i < sc->n_trend; i++) {
		html_raw(p, "<tr>");
		html_elem(p, "<th scope=\"row\">", sc->trend[i].period, "</th>");
		for (k = -1; k < sc_trend_count; k++) {
			const struct sc_indicator *ind = k < 0 ? NULL : sc_ind(sc, sc_trend_ids[k]);

			/* The period's own value is withheld where the
			 * scorecard withholds it. */
			if (i == sc->n_trend - 1 && ind && ind->suppressed)
				lbl_say(buf, sizeof(buf), "%s", lbl_suppressed(p->loc));
			else
				html_check(p, trend_text(p, k, lbl_trend_value(sc, k, i), buf,
							 sizeof(buf)));
			html_td(p, buf, 1);
		}
		html_raw(p, "</tr>\n");
	}
	html_table_close(p);
	html_raw(p, "</section>\n");
}
