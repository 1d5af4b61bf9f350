#include "labels.h"

#include "err.h"
#include "format.h"
#include "method.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct sc_num null_num = {0, 0.0};

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

static int known(struct sc_num v)
{
	return v.set && isfinite(v.v);
}

void lbl_utf8_trim(char *s)
{
	size_t len = strlen(s), i = len;
	unsigned char c;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (unsigned char)s[i - 1];
	if (c >= 0xC0 && (size_t)(c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4) > len - (i - 1))
		s[i - 1] = '\0';
}

void lbl_vsay(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n >= 0 && (size_t)n >= size)
		lbl_utf8_trim(buf);
}

void lbl_say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lbl_vsay(buf, size, fmt, ap);
	va_end(ap);
}

void lbl_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= size)
		return;
	va_start(ap, fmt);
	lbl_vsay(buf + used, size - used, fmt, ap);
	va_end(ap);
}

const char *lbl_tr(const char *locale, const char *it, const char *en)
{
	return fmt_is_en(locale) ? en : it;
}

const char *lbl_suppressed(const char *locale)
{
	return lbl_tr(locale, "soppresso", "suppressed");
}

int lbl_indicator_value(const struct scorecard *sc, enum cat_id id, char *buf, size_t size)
{
	const struct sc_indicator *x = sc_ind(sc, id);

	if (!x)
		return fmt_value(null_num, NULL, sc->locale, buf, size);
	if (x->suppressed) {
		lbl_say(buf, size, "%s", lbl_suppressed(sc->locale));
		return 0;
	}
	return fmt_value(x->value, x->ind->unit, sc->locale, buf, size);
}

int lbl_score(struct sc_num v, const char *locale, char *buf, size_t size)
{
	if (!v.set)
		return fmt_value(v, NULL, locale, buf, size);
	return fmt_number(v.v, 1, locale, buf, size);
}

int lbl_score_range(struct sc_num lo, struct sc_num hi, const char *locale, char *buf, size_t size)
{
	char a[LBL_CELL], b[LBL_CELL];
	int rc;

	if ((rc = lbl_score(lo, locale, a, sizeof(a))) < 0 ||
	    (rc = lbl_score(hi, locale, b, sizeof(b))) < 0)
		return rc;
	if (lo.set || hi.set)
		lbl_say(buf, size, "%s – %s", a, b);
	else
		lbl_say(buf, size, "%s", fmt_null);
	return 0;
}

void lbl_glue(char *dst, size_t size, const char *src)
{
	size_t o = 0;

	for (; *src && o + 3 < size; src++) {
		if (*src == ' ') {
			dst[o++] = (char)0xC2;
			dst[o++] = (char)0xA0;
		} else {
			dst[o++] = *src;
		}
	}
	dst[o] = '\0';
	lbl_utf8_trim(dst);
}

int lbl_lifecycle(const struct scorecard *sc, char *buf, size_t size)
{
	const char *const dates[5] = {sc->lab_started_on, sc->approved_on, sc->signed_on,
				      sc->closed_on, sc->published_on};
	const char *const it[5] = {"avvio del laboratorio", "approvazione", "firma", "chiusura",
				   "pubblicazione dei risultati"};
	const char *const en[5] = {"lab started", "approved", "signed", "closed",
				   "results published"};
	int i, rc;

	buf[0] = '\0';
	for (i = 0; i < 5; i++) {
		char d[64], item[LBL_CELL], glued[LBL_CELL];

		if (!dates[i] || !*dates[i])
			continue;
		if ((rc = fmt_date(dates[i], FMT_DATE_SHORT, sc->locale, d, sizeof(d))) < 0)
			return rc;
		lbl_say(item, sizeof(item), "%s %s", fmt_is_en(sc->locale) ? en[i] : it[i], d);
		lbl_glue(glued, sizeof(glued), item);
		lbl_append(buf, size, "%s%s", buf[0] ? " · " : "", glued);
	}
	if (!buf[0])
		lbl_say(buf, size, "%s", fmt_null);
	return 0;
}

int lbl_period(const struct scorecard *sc, char *buf, size_t size)
{
	const char *loc = sc->locale;
	char a[LBL_CELL], b[LBL_CELL], ga[LBL_CELL], gb[LBL_CELL];
	int rc;

	if ((rc = fmt_date(sc->period_start, FMT_DATE_LONG, loc, a, sizeof(a))) < 0 ||
	    (rc = fmt_date(sc->period_end, FMT_DATE_LONG, loc, b, sizeof(b))) < 0)
		return rc;
	lbl_glue(ga, sizeof(ga), a);
	lbl_glue(gb, sizeof(gb), b);
	lbl_say(buf, size, "%s %s %s %s", lbl_tr(loc, "Trimestre dal", "Quarter from"), ga,
		lbl_tr(loc, "al", "to"), gb);
	if (sc->period_previous[0])
		lbl_append(buf, size, " · %s %s", lbl_tr(loc, "confronto con il", "compared with"),
			   sc->period_previous);
	return 0;
}

void lbl_neighbourhoods(const struct scorecard *sc, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; sc->neighbourhoods && i < sc->n_neighbourhoods; i++) {
		const struct sc_neighbourhood *nb = &sc->neighbourhoods[i];

		lbl_append(buf, size, "%s%s", i ? ", " : "",
			   nb->name   ? nb->name
			   : nb->code ? nb->code
				      : fmt_null);
	}
}

/* "375 associazioni + 300 volontari + 20 attività economiche": the parts of
 * a breakdown; empty when every part is null. */
static int breakdown(const struct scorecard *sc, const enum cat_id ids[], const char *const it[],
		     const char *const en[], int n, char *buf, size_t size)
{
	int i, rc, any = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct sc_indicator *x = sc_ind(sc, ids[i]);
		char v[LBL_CELL];

		if (x && x->value.set)
			any = 1;
		if ((rc = lbl_indicator_value(sc, ids[i], v, sizeof(v))) < 0)
			return rc;
		lbl_append(buf, size, "%s%s %s", i ? " + " : "", v,
			   fmt_is_en(sc->locale) ? en[i] : it[i]);
	}
	if (!any)
		buf[0] = '\0';
	return 0;
}

/* "di cui impegnati 590.000 € · spesi 120.000 €" for one kind of project. */
static int budget_sub(const struct scorecard *sc, enum cat_id committed, enum cat_id spent,
		      char *buf, size_t size)
{
	const struct sc_indicator *c = sc_ind(sc, committed), *s = sc_ind(sc, spent);
	char a[LBL_CELL], b[LBL_CELL];
	int rc;

	buf[0] = '\0';
	if ((!c || !c->value.set) && (!s || !s->value.set))
		return 0;
	if ((rc = lbl_indicator_value(sc, committed, a, sizeof(a))) < 0 ||
	    (rc = lbl_indicator_value(sc, spent, b, sizeof(b))) < 0)
		return rc;
	lbl_say(buf, size, "%s %s · %s %s",
		lbl_tr(sc->locale, "di cui impegnati", "of which committed"), a,
		lbl_tr(sc->locale, "spesi", "spent"), b);
	return 0;
}

/* A tile showing an indicator's value; label NULL: the catalogue's. */
static int fill_tile(const struct scorecard *sc, struct lbl_tile *t, enum cat_id id,
		     const char *label)
{
	t->code = cat_indicators[id].code;
	t->label = label ? label : rep_label(&cat_indicators[id], sc->locale);
	return lbl_indicator_value(sc, id, t->value, sizeof(t->value));
}

int lbl_tiles(const struct scorecard *sc, struct lbl_tile tiles[LBL_MAX_TILES], int *n)
{
	static const enum cat_id sig_codes[] = {IND_OUT_SIGNATORIES_ASSOCIATION,
						IND_OUT_SIGNATORIES_VOLUNTEER,
						IND_OUT_SIGNATORIES_BUSINESS};
	static const char *const sig_it[] = {"associazioni", "volontari", "attività economiche"};
	static const char *const sig_en[] = {"associations", "volunteers", "businesses"};
	static const enum cat_id prj_codes[] = {IND_OUT_PROJECTS_COMMUNITY_CARE,
						IND_OUT_PROJECTS_CITY_CARE};
	static const char *const prj_it[] = {"cura della comunità", "cura della città"};
	static const char *const prj_en[] = {"community care", "city care"};
	const char *loc = sc->locale;
	struct lbl_tile *x = tiles;
	int rc;

	memset(tiles, 0, LBL_MAX_TILES * sizeof(*tiles));
	if (sc->level != CAT_AGREEMENT &&
	    (rc = fill_tile(sc, x++, IND_OUT_AGREEMENTS_SIGNED, NULL)) < 0)
		return rc;
	if ((rc = fill_tile(sc, x++, IND_OUT_PARTICIPANTS, NULL)) < 0 ||
	    (rc = fill_tile(sc, x++, IND_OUT_POPULATION, NULL)) < 0)
		return rc;
	if ((rc = fill_tile(sc, x, IND_OUT_SIGNATORIES, NULL)) < 0 ||
	    (rc = breakdown(sc, sig_codes, sig_it, sig_en, 3, x->sub, sizeof(x->sub))) < 0)
		return rc;
	x++;
	if ((rc = fill_tile(sc, x, IND_OUT_PROJECTS, NULL)) < 0 ||
	    (rc = breakdown(sc, prj_codes, prj_it, prj_en, 2, x->sub, sizeof(x->sub))) < 0)
		return rc;
	x++;
	if ((rc = fill_tile(sc, x, IND_EFF_ALLOCATED_EUR_COMMUNITY_CARE,
			    lbl_tr(loc, "Budget stanziato per la cura della comunità",
				   "Budget allocated to community care"))) < 0 ||
	    (rc = budget_sub(sc, IND_EFF_COMMITTED_EUR_COMMUNITY_CARE,
			     IND_EFF_SPENT_EUR_COMMUNITY_CARE, x->sub, sizeof(x->sub))) < 0)
		return rc;
	x++;
	if ((rc = fill_tile(sc, x, IND_EFF_ALLOCATED_EUR_CITY_CARE,
			    lbl_tr(loc, "Budget stanziato per la cura della città",
				   "Budget allocated to city care"))) < 0 ||
	    (rc = budget_sub(sc, IND_EFF_COMMITTED_EUR_CITY_CARE, IND_EFF_SPENT_EUR_CITY_CARE,
			     x->sub, sizeof(x->sub))) < 0)
		return rc;
	x++;
	*n = (int)(x - tiles);
	return 0;
}

int lbl_row(const struct scorecard *sc, const struct sc_indicator *x, struct lbl_row *out)
{
	const char *unit = x->ind->unit, *loc = sc->locale;
	struct sc_num delta = null_num, n = x->n;
	int sup = x->suppressed != 0, rc;
	struct lbl_row r;

	memset(&r, 0, sizeof(r));
	if (!sup && x->value.set && x->previous.set)
		delta = num(x->value.v - x->previous.v);
	if (n.set)
		n.v = round(n.v);
	r.label = rep_label(x->ind, loc);
	r.breakdown = strchr(x->ind->code, '.') && strchr(strchr(x->ind->code, '.') + 1, '.');
	r.suppressed = sup;
	if (sup)
		lbl_say(r.value, sizeof(r.value), "%s", lbl_suppressed(loc));
	else if ((rc = fmt_value(x->value, unit, loc, r.value, sizeof(r.value))) < 0)
		return rc;
	if ((rc = fmt_value(x->previous, unit, loc, r.previous, sizeof(r.previous))) < 0 ||
	    (rc = fmt_delta(delta, unit, loc, r.delta, sizeof(r.delta))) < 0 ||
	    (rc = fmt_value(x->target, unit, loc, r.target, sizeof(r.target))) < 0 ||
	    (rc = fmt_value(n, "count", loc, r.n, sizeof(r.n))) < 0 ||
	    (rc = fmt_interval(sup ? null_num : x->ci_low, sup ? null_num : x->ci_high, unit, loc,
			       r.interval, sizeof(r.interval))) < 0)
		return rc;
	/* The direction follows the printed sign: a change that rounds to
	 * zero prints unsigned and has none. */
	r.direction = r.delta[0] == '+' ? 1 : r.delta[0] == '-' ? -1 : 0;
	r.status = sup ? ST_NONE : x->status;
	*out = r;
	return 0;
}

int lbl_dimension_has_stats(const struct scorecard *sc, enum cat_dimension d)
{
	int i;

	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (!x->present || !x->ind || x->ind->dimension != d)
			continue;
		if (cat_is_survey(x->ind) || x->n.set || x->ci_low.set)
			return 1;
	}
	return 0;
}

int lbl_dimension_aside(const struct scorecard *sc, enum cat_dimension d, char *buf, size_t size)
{
	struct sc_num coverage = sc->dims[d].coverage;
	char score[LBL_CELL], cov[LBL_CELL];
	int rc;

	/* Coverage is a share: shown as a percentage. */
	if (coverage.set)
		coverage.v *= 100.0;
	if ((rc = lbl_score(sc->dims[d].score, sc->locale, score, sizeof(score))) < 0 ||
	    (rc = fmt_value(coverage, "percent", sc->locale, cov, sizeof(cov))) < 0)
		return rc;
	lbl_say(buf, size, "%s %s · %s %s", lbl_tr(sc->locale, "punteggio", "score"), score,
		lbl_tr(sc->locale, "copertura degli obiettivi", "target coverage"), cov);
	return 0;
}

const char *lbl_status_meaning(enum sc_status s, const char *locale)
{
	switch (s) {
	case ST_GREEN:
		return lbl_tr(locale, "obiettivo raggiunto", "target met");
	case ST_AMBER:
		return lbl_tr(locale, "vicino all'obiettivo", "close to target");
	case ST_RED:
		return lbl_tr(locale, "lontano dall'obiettivo", "far from target");
	default:
		return lbl_tr(locale, "senza obiettivo o senza valore", "no target or no value");
	}
}

int lbl_rank(const struct sc_rank *k, const char *locale, char *buf, size_t size)
{
	if (k->rank <= 0) {
		lbl_say(buf, size, "%s", fmt_null);
		return 0;
	}
	return fmt_number((double)k->rank, 0, locale, buf, size);
}

int lbl_rank_range(const struct sc_rank *k, const char *locale, char *buf, size_t size)
{
	char a[LBL_CELL], b[LBL_CELL];
	int rc;

	if (k->rank_p05.set && k->rank_p95.set) {
		if ((rc = fmt_rank(k->rank_p05, locale, a, sizeof(a))) < 0 ||
		    (rc = fmt_rank(k->rank_p95, locale, b, sizeof(b))) < 0)
			return rc;
		lbl_say(buf, size, "%s–%s", a, b);
	} else {
		lbl_say(buf, size, "%s",
			k->rank > 0 ? fmt_null : lbl_tr(locale, "non classificato", "not ranked"));
	}
	return 0;
}

double lbl_rank_scale(const struct scorecard *sc)
{
	double n = 1.0;
	int i;

	for (i = 0; sc->ranks && i < sc->n_ranks; i++) {
		const struct sc_rank *k = &sc->ranks[i];

		if (k->rank > n)
			n = k->rank;
		if (known(k->rank_p95) && k->rank_p95.v > n)
			n = k->rank_p95.v;
	}
	return n;
}

const char *lbl_project_kind(const char *kind, const char *locale)
{
	if (kind && strcmp(kind, "community_care") == 0)
		return lbl_tr(locale, "cura della comunità", "community care");
	if (kind && strcmp(kind, "city_care") == 0)
		return lbl_tr(locale, "cura della città", "city care");
	return kind ? kind : fmt_null;
}

int lbl_project(const struct sc_project *pr, const char *locale, struct lbl_project *out)
{
	char al[LBL_CELL], co[LBL_CELL], sp[LBL_CELL], ga[LBL_CELL], gc[LBL_CELL], gs[LBL_CELL];
	char a[LBL_CELL], b[LBL_CELL], dt[LBL_CELL];
	struct lbl_project r;
	int rc;

	memset(&r, 0, sizeof(r));
	lbl_say(r.sub, sizeof(r.sub), "%s · %s", pr->code ? pr->code : fmt_null,
		lbl_project_kind(pr->kind, locale));
	if (pr->completed_on && *pr->completed_on) {
		if ((rc = fmt_date(pr->completed_on, FMT_DATE_SHORT, locale, dt, sizeof(dt))) < 0)
			return rc;
		lbl_say(a, sizeof(a), "%s %s", lbl_tr(locale, "completato il", "completed on"), dt);
		lbl_glue(b, sizeof(b), a);
		lbl_append(r.sub, sizeof(r.sub), " · %s", b);
	}
	if ((rc = fmt_value(num(pr->allocated), "eur", locale, al, sizeof(al))) < 0 ||
	    (rc = fmt_value(num(pr->committed), "eur", locale, co, sizeof(co))) < 0 ||
	    (rc = fmt_value(num(pr->spent), "eur", locale, sp, sizeof(sp))) < 0)
		return rc;
	lbl_glue(ga, sizeof(ga), al);
	lbl_glue(gc, sizeof(gc), co);
	lbl_glue(gs, sizeof(gs), sp);
	lbl_say(r.budget, sizeof(r.budget), "%s\u00a0%s · %s\u00a0%s · %s\u00a0%s",
		lbl_tr(locale, "stanziati", "allocated"), ga,
		lbl_tr(locale, "impegnati", "committed"), gc, lbl_tr(locale, "spesi", "spent"), gs);
	if ((rc = fmt_number(pr->milestones_on_time, 0, locale, a, sizeof(a))) < 0 ||
	    (rc = fmt_number(pr->milestones_due, 0, locale, b, sizeof(b))) < 0 ||
	    (rc = fmt_number(pr->milestones_total, 0, locale, dt, sizeof(dt))) < 0)
		return rc;
	if (pr->milestones_due > 0)
		lbl_say(r.milestones, sizeof(r.milestones), "%s %s %s %s", a,
			lbl_tr(locale, "nei tempi su", "on time of"), b,
			lbl_tr(locale, "scadute", "due"));
	else
		lbl_say(r.milestones, sizeof(r.milestones), "%s",
			lbl_tr(locale, "nessuna ancora scaduta", "none due yet"));
	lbl_say(r.milestones_sub, sizeof(r.milestones_sub), "%s %s", dt,
		lbl_tr(locale, "in totale", "in total"));
	*out = r;
	return 0;
}

enum sc_status lbl_milestone(const struct scorecard *sc, const struct sc_milestone *m,
			     int *achieved, const char **word)
{
	const char *asof = sc->period_end, *loc = sc->locale;
	/* Achieved only counts as of the scorecard's date, as in
	 * eft.milestones_on_time; dates are ISO, so they compare as text. */
	int done = m->achieved_on && *m->achieved_on && strcmp(m->achieved_on, asof) <= 0;
	int due = m->due_on && strcmp(m->due_on, asof) <= 0;

	*achieved = done;
	if (done && m->due_on && strcmp(m->achieved_on, m->due_on) <= 0) {
		*word = lbl_tr(loc, "nei tempi", "on time");
		return ST_GREEN;
	}
	if (done) {
		*word = lbl_tr(loc, "raggiunta in ritardo", "achieved late");
		return ST_AMBER;
	}
	if (due) {
		*word = lbl_tr(loc, "scaduta, non raggiunta", "overdue");
		return ST_RED;
	}
	*word = lbl_tr(loc, "non ancora scaduta", "not yet due");
	return ST_NONE;
}

const char *lbl_ex_ante_outcome(const struct scorecard *sc)
{
	int i, complete = 1;

	for (i = 0; i < 3; i++)
		if (!sc->ex_ante[i].set)
			complete = 0;
	if (sc->ex_ante_passed)
		return lbl_tr(sc->locale, "superata", "passed");
	return complete ? lbl_tr(sc->locale, "non superata", "not passed")
			: lbl_tr(sc->locale, "non superata: valutazione incompleta",
				 "not passed: assessment incomplete");
}

struct sc_num lbl_trend_value(const struct scorecard *sc, int k, int i)
{
	static const struct sc_num null_num = {0, 0.0};
	const struct sc_trend_point *tp = &sc->trend[i];

	if (k < 0)
		return tp->index;
	return tp->values ? tp->values[k] : null_num;
}

int lbl_trend_scale(const struct scorecard *sc, int k, double *lo_out, double *hi_out)
{
	const struct cat_indicator *ind = k < 0 ? NULL : &cat_indicators[sc_trend_ids[k]];
	const char *unit = ind ? ind->unit : NULL;
	double lo = 0.0, hi = 0.0;
	int i, any = 0;

	for (i = 0; i < sc->n_trend; i++) {
		struct sc_num v = lbl_trend_value(sc, k, i);

		if (!v.set || !isfinite(v.v))
			continue;
		if (!any || v.v > hi)
			hi = v.v;
		if (!any || v.v < lo)
			lo = v.v;
		any = 1;
	}
	if (k < 0) {
		lo = 0.0;
		hi = 100.0;
	} else if (unit && strcmp(unit, "score") == 0) {
		lo = lo < 1.0 ? lo : 1.0;
		hi = hi > 5.0 ? hi : 5.0;
	} else {
		lo = lo < 0.0 ? lo : 0.0;
		if (hi <= lo)
			hi = lo + 1.0;
	}
	*lo_out = lo;
	*hi_out = hi;
	return any;
}

const char *lbl_evidence_kind(const char *kind, const char *locale)
{
	if (!kind)
		return fmt_null;
	if (strcmp(kind, "focus_group") == 0)
		return "Focus group";
	if (strcmp(kind, "interview") == 0)
		return lbl_tr(locale, "Intervista", "Interview");
	if (strcmp(kind, "observation") == 0)
		return lbl_tr(locale, "Osservazione", "Observation");
	if (strcmp(kind, "document") == 0)
		return lbl_tr(locale, "Documento", "Document");
	return kind;
}

int lbl_evidence_participants(const struct sc_evidence *e, const char *locale, char *buf,
			      size_t size)
{
	char n[LBL_CELL];
	int rc;

	if (!known(e->participants)) {
		lbl_say(buf, size, "%s: %s", lbl_tr(locale, "partecipanti", "participants"),
			fmt_null);
		return 0;
	}
	if ((rc = fmt_number(e->participants.v, 0, locale, n, sizeof(n))) < 0)
		return rc;
	lbl_say(buf, size, "%s %s", n,
		strcmp(n, "1") == 0 ? lbl_tr(locale, "partecipante", "participant")
				    : lbl_tr(locale, "partecipanti", "participants"));
	return 0;
}

int lbl_evidence_total(const struct scorecard *sc, char *buf, size_t size)
{
	char n[LBL_CELL], d[LBL_CELL], item[LBL_CELL];
	int rc, one = sc->evidence_total == 1;

	if ((rc = fmt_number((double)sc->evidence_total, 0, sc->locale, n, sizeof(n))) < 0 ||
	    (rc = fmt_date(sc->period_end, FMT_DATE_SHORT, sc->locale, d, sizeof(d))) < 0)
		return rc;
	lbl_say(item, sizeof(item), "%s %s",
		one ? lbl_tr(sc->locale, "registrata fino al", "recorded up to")
		    : lbl_tr(sc->locale, "registrate fino al", "recorded up to"),
		d);
	lbl_say(buf, size, "%s %s", n, item);
	return 0;
}

const char *lbl_evidence_note(const char *locale)
{
	return lbl_tr(locale,
		      "Le sintesi delle evidenze qualitative (focus group, interviste, "
		      "osservazioni, documenti) sono pubblicate come sono state scritte, senza "
		      "modifiche; non cambiano alcun valore degli indicatori.",
		      "Summaries of qualitative evidence (focus groups, interviews, observations, "
		      "documents) are published as written, unedited; they change no indicator "
		      "value.");
}

const char *lbl_kicker(const struct scorecard *sc)
{
	if (sc->level == CAT_AGREEMENT)
		return lbl_tr(sc->locale, "CRUSCOTTO DI VALUTAZIONE · ACCORDO DI CITTADINANZA",
			      "EVALUATION SCORECARD · CITIZENSHIP AGREEMENT");
	if (sc->level == CAT_NEIGHBOURHOOD)
		return lbl_tr(sc->locale, "CRUSCOTTO DI VALUTAZIONE · QUARTIERE",
			      "EVALUATION SCORECARD · NEIGHBOURHOOD");
	return lbl_tr(sc->locale, "CRUSCOTTO DI VALUTAZIONE · POLITICA",
		      "EVALUATION SCORECARD · POLICY");
}

void lbl_covering(const struct scorecard *sc, char *buf, size_t size)
{
	int i;

	buf[0] = '\0';
	for (i = 0; sc->covering && i < sc->n_covering; i++) {
		const struct sc_covering *c = &sc->covering[i];

		lbl_append(buf, size, "%s%s%s%s", i ? " · " : "", c->code ? c->code : fmt_null,
			   c->title ? " " : "", c->title ? c->title : "");
	}
	if (!buf[0])
		lbl_say(buf, size, "%s", fmt_null);
}
