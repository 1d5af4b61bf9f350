#include "opendata.h"

#include "err.h"
#include "fmt.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const header[] = {
	"policy",     "level",	     "code",	 "title",  "period",	 "indicator", "dimension",
	"unit",	      "value",	     "previous", "delta",  "n",		 "ci_low",    "ci_high",
	"suppressed", "suppression", "target",	 "status", "normalised",
};

/* Writes one field and the separator before it (none for the first); a
 * field holding a comma, a quote or a line break is quoted by libcsv, which
 * doubles the quotes inside. */
static void field(FILE *f, int first, const char *s)
{
	if (!first)
		fputc(',', f);
	if (!s || !*s)
		return;
	if (strpbrk(s, ",\"\r\n"))
		csv_fwrite(f, s, strlen(s));
	else
		fputs(s, f);
}

/* A number at full precision (the fewest digits that read back as the same
 * double, integers whole, '.' whatever LC_NUMERIC says); null is empty. */
static void number(FILE *f, struct sc_num n)
{
	char buf[FMT_NUMBER_SIZE];

	fputc(',', f);
	if (!n.set || !isfinite(n.v))
		return;
	fmt_number_json(n.v, buf);
	fputs(buf, f);
}

static void rows_of(FILE *f, const struct scorecard *sc)
{
	static const struct sc_num null_num = {0, 0.0};
	int i;

	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];
		const struct cat_indicator *ci = x->ind ? x->ind : &cat_indicators[i];
		int sup = x->suppressed != 0;
		struct sc_num value = sup ? null_num : x->value, delta = null_num, n = x->n;

		if (!x->present)
			continue;
		if (value.set && x->previous.set) {
			delta.set = 1;
			delta.v = value.v - x->previous.v;
		}
		if (n.set && isfinite(n.v))
			n.v = (double)llround(n.v);
		field(f, 1, sc->policy_code);
		field(f, 0, cat_level_name(sc->level));
		if (sc->level == CAT_NEIGHBOURHOOD) {
			field(f, 0, sc->neighbourhood.code);
			field(f, 0, sc->neighbourhood.name);
		} else {
			field(f, 0, sc->agreement_code);
			field(f, 0, sc->agreement_code ? sc->agreement_title : sc->policy_name);
		}
		field(f, 0, sc->period);
		field(f, 0, ci->code);
		field(f, 0, cat_dimension_code(ci->dimension));
		field(f, 0, ci->unit);
		number(f, value);
		number(f, x->previous);
		number(f, delta);
		number(f, n);
		/* an interval is both ends or none, and never of a suppressed cell */
		number(f, !sup && x->ci_low.set && x->ci_high.set ? x->ci_low : null_num);
		number(f, !sup && x->ci_low.set && x->ci_high.set ? x->ci_high : null_num);
		field(f, 0, sup ? "true" : "false");
		field(f, 0,
		      sup ? sc_suppression_name(x->suppression == SUP_SECONDARY ? SUP_SECONDARY
										: SUP_PRIMARY)
			  : NULL);
		number(f, x->target);
		field(f, 0, sc_status_name(sup ? ST_NONE : x->status));
		number(f, sup ? null_num : x->normalised);
		fputs("\r\n", f);
	}
}

struct rep_csv {
	FILE *f;
	char *buf;
	size_t size;
	int borrowed; /* f is the caller's (rep_csv_begin_file) */
};

/* The table's header row. */
static void csv_header(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		field(f, i == 0, header[i]);
	fputs("\r\n", f);
}

int rep_csv_begin(struct rep_csv **out)
{
	struct rep_csv *t = calloc(1, sizeof(*t));

	if (!t)
		return err_set(ERR_FAIL, "out of memory while writing the CSV table");
	t->f = open_memstream(&t->buf, &t->size);
	if (!t->f) {
		free(t);
		return err_set(ERR_FAIL, "out of memory while writing the CSV table");
	}
	csv_header(t->f);
	*out = t;
	return 0;
}

int rep_csv_begin_file(FILE *f, struct rep_csv **out)
{
	struct rep_csv *t = calloc(1, sizeof(*t));

	if (!t)
		return err_set(ERR_FAIL, "out of memory while writing the CSV table");
	t->f = f;
	t->borrowed = 1;
	csv_header(t->f);
	*out = t;
	return 0;
}

int rep_csv_end_file(struct rep_csv *t)
{
	int failed = fflush(t->f) != 0 || ferror(t->f);

	free(t);
	return failed ? err_set(ERR_FAIL, "cannot write the CSV table to a temporary file") : 0;
}

void rep_csv_add(struct rep_csv *t, const struct scorecard *sc)
{
	rows_of(t->f, sc);
}

int rep_csv_finish(struct rep_csv *t, char **out, size_t *len)
{
	int failed = ferror(t->f);

	if (fclose(t->f) != 0 || failed || !t->buf) {
		free(t->buf);
		free(t);
		return err_set(ERR_FAIL, "out of memory while writing the CSV table");
	}
	*out = t->buf;
	*len = t->size;
	free(t);
	return 0;
}

void rep_csv_free(struct rep_csv *t)
{
	if (!t)
		return;
	if (!t->borrowed)
		fclose(t->f);
	free(t->buf);
	free(t);
}

int rep_csv_render(const struct scorecard *policy, struct scorecard *const *agreements,
		   int n_agreements, char **out, size_t *len)
{
	struct rep_csv *t = NULL;
	int k, rc = rep_csv_begin(&t);

	if (rc)
		return rc;
	rep_csv_add(t, policy);
	for (k = 0; k < n_agreements; k++)
		rep_csv_add(t, agreements[k]);
	return rep_csv_finish(t, out, len);
}

/* Adds a string (NULL: JSON null) and remembers a failure in *ok. */
static void add_str(cJSON *o, const char *key, const char *v, int *ok)
{
	*ok = *ok && o && (v ? cJSON_AddStringToObject(o, key, v) : cJSON_AddNullToObject(o, key));
}

int rep_dcat_render(const struct scorecard *policy, const struct rep_dcat *d, char **out)
{
	static const char license[] = "https://creativecommons.org/licenses/by/4.0/";
	cJSON *root = cJSON_CreateObject(), *o, *list;
	char title[512], desc[1024], id[128];
	int ok = root != NULL, en = policy->locale && strcmp(policy->locale, "en") == 0;
	char *text = NULL, *result;
	size_t n;

	if (en) {
		snprintf(title, sizeof(title), "%s — %s: indicators", policy->policy_name,
			 policy->period);
		snprintf(desc, sizeof(desc),
			 "Evaluation indicators of the policy %s (%s) as of %s, for the policy, "
			 "each citizenship agreement and each neighbourhood: value, previous "
			 "value, change, confidence "
			 "interval, suppression, target and status (long format, one row per "
			 "scorecard and indicator).",
			 policy->policy_name, policy->policy_code, policy->period_end);
	} else {
		snprintf(title, sizeof(title), "%s — %s: indicatori", policy->policy_name,
			 policy->period);
		snprintf(
			desc, sizeof(desc),
			"Indicatori di valutazione della politica %s (%s) al %s, per la politica, "
			"per ciascun accordo di cittadinanza e per ciascun quartiere: valore, "
			"valore precedente, "
			"variazione, "
			"intervallo di confidenza, soppressione, obiettivo e stato (formato lungo, "
			"una riga per scheda e indicatore).",
			policy->policy_name, policy->policy_code, policy->period_end);
	}
	snprintf(id, sizeof(id), "cruscotto:%s:%s", policy->policy_code, policy->period);
	add_str(root, "title", title, &ok);
	add_str(root, "description", desc, &ok);
	add_str(root, "identifier", id, &ok);
	add_str(root, "language",
		policy->locale && strcmp(policy->locale, "en") == 0 ? "ENG" : "ITA", &ok);
	o = ok ? cJSON_AddObjectToObject(root, "publisher") : NULL;
	add_str(o, "name", policy->policy_name, &ok);
	add_str(o, "identifier", policy->policy_code, &ok);
	add_str(root, "issued", d->issued, &ok);
	add_str(root, "modified", d->modified, &ok);
	add_str(root, "license", license, &ok);
	o = ok ? cJSON_AddObjectToObject(root, "temporal") : NULL;
	add_str(o, "start", policy->period_start, &ok);
	add_str(o, "end", policy->period_end, &ok);
	list = ok ? cJSON_AddArrayToObject(root, "distribution") : NULL;
	o = list ? cJSON_CreateObject() : NULL;
	ok = ok && o && cJSON_AddItemToArray(list, o);
	if (!ok) {
		cJSON_Delete(o);
		o = NULL;
	}
	add_str(ok ? o : NULL, "title", title, &ok);
	add_str(o, "format", "CSV", &ok);
	add_str(o, "mediaType", "text/csv", &ok);
	add_str(o, "downloadURL", d->download_url, &ok);
	add_str(o, "license", license, &ok);
	text = ok ? cJSON_PrintUnformatted(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return err_set(ERR_FAIL, "out of memory while writing the DCAT metadata");
	n = strlen(text);
	result = malloc(n + 2);
	if (!result) {
		cJSON_free(text);
		return err_set(ERR_FAIL, "out of memory");
	}
	memcpy(result, text, n);
	result[n] = '\n';
	result[n + 1] = '\0';
	cJSON_free(text);
	*out = result;
	return 0;
}
