#include "format.h"

#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A non-negative decimal number: digits[0..n) with the decimal point after
 * the first `point` digits (point may be ≤ 0 or > n: implied zeros). n == 0
 * is zero. */
struct dec {
	int neg;
	char digits[24];
	int n;
	int point;
};

/* A caller buffer being filled; `full` remembers that something did not fit,
 * so that writers need not check every step. */
struct out {
	char *buf;
	size_t size;
	size_t len;
	int full;
};

enum sign_mode {
	SIGN_NEG,    /* '-' for negatives only */
	SIGN_ALWAYS, /* '+' or '-', none for zero */
};

static void out_init(struct out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	o->full = size == 0;
	if (size)
		buf[0] = '\0';
}

static void out_putn(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	if (o->len + n + 1 > o->size) {
		o->full = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_puts(struct out *o, const char *s)
{
	out_putn(o, s, strlen(s));
}

static void out_putc(struct out *o, char c)
{
	out_putn(o, &c, 1);
}

static int out_done(struct out *o)
{
	if (o->full)
		return err_set(ERR_FAIL, "formatted text does not fit in %zu bytes", o->size);
	return 0;
}

/* Whether printf's %.*e of a at precision prec reads back as a; tmp gets
 * the text. */
static int reads_back(double a, int prec, char *tmp, size_t size)
{
	snprintf(tmp, size, "%.*e", prec, a);
	return strtod(tmp, NULL) == a;
}

/* The shortest decimal digits that read back as |v| (v finite): the least
 * precision of printf's %.*e that round-trips; 17 significant digits
 * always do. A precision that reads back stays so with one digit more (the
 * longer rounding is at least as close), so past the short values most
 * numbers are, the least one is found by bisection: a computed share
 * needs 4 or 5 tries, not 16. The digits are taken whatever the locale's
 * decimal point is. */
static void dec_shortest(double v, struct dec *d)
{
	char tmp[64];
	const char *p;
	double a = fabs(v);
	int prec, lo, hi, exp10;

	d->neg = signbit(v) != 0;
	d->n = 0;
	d->point = 0;
	if (a == 0.0)
		return;
	for (prec = 0; prec < 3; prec++)
		if (reads_back(a, prec, tmp, sizeof(tmp)))
			break;
	if (prec == 3) {
		for (lo = 3, hi = 16; lo < hi;) {
			int mid = (lo + hi) / 2;

			if (reads_back(a, mid, tmp, sizeof(tmp)))
				hi = mid;
			else
				lo = mid + 1;
		}
		snprintf(tmp, sizeof(tmp), "%.*e", lo, a);
	}
	for (p = tmp; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			d->digits[d->n++] = *p;
	exp10 = *p == 'e' ? atoi(p + 1) : 0;
	d->point = exp10 + 1;
	while (d->n > 0 && d->digits[d->n - 1] == '0')
		d->n--;
}

/* Rounds d half away from zero to `decimals` decimals. */
static void dec_round(struct dec *d, int decimals)
{
	int keep = d->point + decimals, i;

	if (keep >= d->n)
		return;
	if (keep < 0) {
		d->n = 0;
		return;
	}
	if (d->digits[keep] < '5') {
		d->n = keep;
	} else {
		/* Carry into the kept digits; a carry out of the first one
		 * makes the number one digit longer (9,96 → 10,0). */
		for (i = keep - 1; i >= 0; i--) {
			if (d->digits[i] != '9') {
				d->digits[i]++;
				break;
			}
			d->digits[i] = '0';
		}
		if (i < 0) {
			memmove(d->digits + 1, d->digits, (size_t)keep);
			d->digits[0] = '1';
			keep++;
			d->point++;
		}
		d->n = keep;
	}
	while (d->n > 0 && d->digits[d->n - 1] == '0')
		d->n--;
}

static char dec_digit(const struct dec *d, int pos)
{
	return pos >= 0 && pos < d->n ? d->digits[pos] : '0';
}

/* Writes |d| with grouped thousands and `decimals` decimals; `trim` drops a
 * fraction that is all zeros. */
static void dec_write(struct out *o, const struct dec *d, int decimals, int trim,
		      const char *locale)
{
	const char *group = fmt_is_en(locale) ? "," : ".";
	const char *point = fmt_is_en(locale) ? "." : ",";
	int int_digits = d->point > 0 ? d->point : 1, i;

	for (i = 0; i < int_digits; i++) {
		if (i > 0 && (int_digits - i) % 3 == 0)
			out_puts(o, group);
		out_putc(o, d->point > 0 ? dec_digit(d, i) : '0');
	}
	if (decimals <= 0 || (trim && d->n <= d->point))
		return;
	out_puts(o, point);
	for (i = 0; i < decimals; i++)
		out_putc(o, dec_digit(d, d->point + i));
}

static void write_sign(struct out *o, const struct dec *d, enum sign_mode mode)
{
	if (d->n == 0)
		return; /* zero after rounding: "0,0", never "-0,0" */
	if (d->neg)
		out_putc(o, '-');
	else if (mode == SIGN_ALWAYS)
		out_putc(o, '+');
}

/* How many decimals a value of `unit` shows, and whether a zero fraction is
 * dropped. */
static void unit_rule(const char *unit, double v, int *decimals, int *trim)
{
	*trim = 0;
	if (!unit)
		unit = "";
	if (strcmp(unit, "count") == 0 || strcmp(unit, "persons") == 0) {
		*decimals = 0;
	} else if (strcmp(unit, "eur") == 0) {
		/* Budgets read in whole euros; small sums (a cost per
		 * participant) need their cents. */
		*decimals = fabs(v) >= 1000.0 ? 0 : 2;
	} else if (strcmp(unit, "percent") == 0 || strcmp(unit, "per_1000") == 0) {
		*decimals = 1;
	} else if (strcmp(unit, "hours") == 0 || strcmp(unit, "days") == 0) {
		/* Mostly whole (a median of days, hours of meetings); the
		 * half of a median of two or a 1.5 h meeting must show. */
		*decimals = 1;
		*trim = 1;
	} else {
		*decimals = 2; /* ratio, score, score_diff, unknown */
	}
}

/* Writes one number of `unit` with its symbol: € or %, and a "p.p." suffix
 * for a difference of percentages (`diff`). */
static void write_unit_number(struct out *o, double v, const char *unit, enum sign_mode mode,
			      int diff, const char *locale)
{
	struct dec d;
	int decimals, trim;
	int en = fmt_is_en(locale);
	int eur = unit && strcmp(unit, "eur") == 0;
	int percent = unit && strcmp(unit, "percent") == 0;

	if (!isfinite(v)) {
		out_puts(o, fmt_null);
		return;
	}
	unit_rule(unit, v, &decimals, &trim);
	dec_shortest(v, &d);
	dec_round(&d, decimals);
	write_sign(o, &d, mode);
	if (eur && en)
		out_puts(o, "€");
	dec_write(o, &d, decimals, trim, locale);
	if (eur && !en)
		out_puts(o, " €");
	if (percent)
		out_puts(o, diff ? (en ? " pp" : " p.p.") : "%");
}

int fmt_number(double v, int decimals, const char *locale, char *buf, size_t size)
{
	struct out o;
	struct dec d;

	if (decimals < 0 || decimals > 15)
		return err_set(ERR_FAIL, "fmt_number: %d decimals", decimals);
	out_init(&o, buf, size);
	if (!isfinite(v)) {
		out_puts(&o, fmt_null);
		return out_done(&o);
	}
	dec_shortest(v, &d);
	dec_round(&d, decimals);
	write_sign(&o, &d, SIGN_NEG);
	dec_write(&o, &d, decimals, 0, locale);
	return out_done(&o);
}

int fmt_value(struct sc_num v, const char *unit, const char *locale, char *buf, size_t size)
{
	struct out o;
	int signed_unit = unit && strcmp(unit, "score_diff") == 0;

	out_init(&o, buf, size);
	if (!v.set)
		out_puts(&o, fmt_null);
	else
		write_unit_number(&o, v.v, unit, signed_unit ? SIGN_ALWAYS : SIGN_NEG, 0, locale);
	return out_done(&o);
}

int fmt_delta(struct sc_num d, const char *unit, const char *locale, char *buf, size_t size)
{
	struct out o;

	out_init(&o, buf, size);
	if (!d.set)
		out_puts(&o, fmt_null);
	else
		write_unit_number(&o, d.v, unit, SIGN_ALWAYS, 1, locale);
	return out_done(&o);
}

int fmt_interval(struct sc_num low, struct sc_num high, const char *unit, const char *locale,
		 char *buf, size_t size)
{
	struct out o;

	out_init(&o, buf, size);
	if (!low.set || !high.set || !isfinite(low.v) || !isfinite(high.v)) {
		out_puts(&o, fmt_null);
		return out_done(&o);
	}
	out_putc(&o, '[');
	write_unit_number(&o, low.v, unit, SIGN_NEG, 0, locale);
	out_puts(&o, " – ");
	write_unit_number(&o, high.v, unit, SIGN_NEG, 0, locale);
	out_putc(&o, ']');
	return out_done(&o);
}

const char *fmt_status_word(enum sc_status s, const char *locale)
{
	int en = fmt_is_en(locale);

	switch (s) {
	case ST_GREEN:
		return en ? "green" : "verde";
	case ST_AMBER:
		return en ? "amber" : "giallo";
	case ST_RED:
		return en ? "red" : "rosso";
	default:
		return en ? "none" : "nessuno";
	}
}

const char *fmt_status_mark(enum sc_status s)
{
	switch (s) {
	case ST_GREEN:
		return "●";
	case ST_AMBER:
		return "▲";
	case ST_RED:
		return "■";
	default:
		return fmt_null;
	}
}

const char *fmt_unit_label(const char *unit, const char *locale)
{
	static const struct {
		const char *unit, *it, *en;
	} labels[] = {
		{"count", "numero", "number"},
		{"persons", "persone", "people"},
		{"hours", "ore", "hours"},
		{"days", "giorni", "days"},
		{"eur", "euro", "euro"},
		{"percent", "%", "%"},
		{"per_1000", "per 1.000 abitanti", "per 1,000 inhabitants"},
		{"ratio", "rapporto", "ratio"},
		{"score", "punteggio", "score"},
		{"score_diff", "differenza di punteggio", "score difference"},
	};
	size_t i;

	if (!unit)
		return "";
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].unit, unit) == 0)
			return fmt_is_en(locale) ? labels[i].en : labels[i].it;
	return unit;
}

const char *fmt_agreement_status(const char *status, const char *locale)
{
	static const struct {
		const char *status, *it, *en;
	} words[] = {
		{"lab", "in laboratorio", "in the lab"},  {"approved", "approvato", "approved"},
		{"signed", "sottoscritto", "signed"},	  {"closed", "concluso", "closed"},
		{"published", "pubblicato", "published"},
	};
	size_t i;

	if (!status)
		return fmt_null;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].status, status) == 0)
			return fmt_is_en(locale) ? words[i].en : words[i].it;
	return status;
}

const char *fmt_ex_ante_label(int i, const char *locale)
{
	static const char *const it[3] = {"Fattibilità", "Opportunità", "Rilevanza"};
	static const char *const en[3] = {"Feasibility", "Opportunity", "Relevance"};

	if (i < 0 || i > 2)
		return "";
	return fmt_is_en(locale) ? en[i] : it[i];
}

size_t fmt_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

int fmt_rank(struct sc_num v, const char *locale, char *buf, size_t size)
{
	double tenths;

	if (!v.set)
		return fmt_value(v, "count", locale, buf, size);
	tenths = round(v.v * 10.0);
	return fmt_number(tenths / 10.0, fmod(tenths, 10.0) == 0 ? 0 : 1, locale, buf, size);
}
