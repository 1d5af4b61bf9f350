#include "output.h"

#include "opendata.h"
#include "err.h"
#include "files.h"
#include "html.h"
#include "json.h"
#include "pdf.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int rep_output_formats(const char *list, unsigned *out)
{
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned formats = 0;
	int rc = 0;

	if (!copy)
		return err_set(ERR_FAIL, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "json") == 0)
			formats |= REP_FORMAT_JSON;
		else if (strcmp(tok, "pdf") == 0)
			formats |= REP_FORMAT_PDF;
		else if (strcmp(tok, "csv") == 0)
			formats |= REP_FORMAT_CSV;
		else if (strcmp(tok, "html") == 0)
			formats |= REP_FORMAT_HTML;
		else
			rc = err_set(ERR_USAGE,
				     "unknown format %s (a list of pdf, json, html, csv)", tok);
	}
	free(copy);
	if (rc == 0 && !formats)
		rc = err_set(ERR_USAGE, "no format given (a list of pdf, json, html, csv)");
	if (rc == 0)
		*out = formats;
	return rc;
}

/* The path of a card's document: policy.<ext>, agreements/<code>.<ext> or
 * neighbourhoods/<code>.<ext>. */
static int card_relpath(const struct scorecard *sc, const char *ext, char *rel, size_t size)
{
	if (sc->level == CAT_NEIGHBOURHOOD)
		return rep_files_neighbourhood_relpath(sc->neighbourhood.code, ext, rel, size);
	if (sc->agreement_code)
		return rep_files_agreement_relpath(sc->agreement_code, ext, rel, size);
	return rep_files_policy_relpath(ext, rel, size);
}

/* Writes one card's JSON and PDF into the transaction: a rendering
 * worker's last step (rep_render_store), so that the workers write cards
 * at once. */
static int store_card(void *ctx, const struct rep_rendered *d)
{
	struct rep_files_tx *tx = ctx;
	const struct scorecard *sc = d->sc;
	char rel[512];
	int rc = 0;

	if (d->json) {
		rc = card_relpath(sc, "json", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_files_add(tx, rel, d->json, d->json_len);
	}
	if (rc == 0 && d->pdf) {
		rc = card_relpath(sc, "pdf", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_files_add(tx, rel, d->pdf, d->pdf_len);
	}
	return rc;
}

/* The period's open-data table (ended and freed here, whatever happens)
 * and its DCAT-AP_IT metadata, dated today (UTC): a report is made
 * available when it is written. */
static int add_open_data(struct rep_files_tx *tx, const struct scorecard *policy,
			 struct rep_csv *table)
{
	struct rep_dcat d = {NULL, NULL, "scorecards.csv"};
	char *csv = NULL, *dcat = NULL, today[16];
	time_t now = time(NULL);
	struct tm tm;
	size_t len = 0;
	int rc;

	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	d.issued = d.modified = today;
	rc = rep_csv_finish(table, &csv, &len);
	if (rc == 0)
		rc = rep_files_add(tx, "scorecards.csv", csv, len);
	if (rc == 0)
		rc = rep_dcat_render(policy, &d, &dcat);
	if (rc == 0)
		rc = rep_files_add(tx, "dcat.json", dcat, strlen(dcat));
	free(csv);
	free(dcat);
	return rc;
}

/* Starts the transaction in the folder the policy's card (card 0) names. */
static int begin(const struct rep_card_source *src, const struct rep_output_options *opt,
		 struct rep_files_tx **tx)
{
	const struct scorecard *pol = NULL;
	int rc;

	if (src->count < 1)
		return err_set(ERR_FAIL, "internal error: a run without scorecards");
	rc = src->get(src->ctx, 0, &pol);
	if (rc)
		return rc;
	rc = rep_files_begin(opt->out_dir, pol->policy_code, pol->period, tx);
	src->put(src->ctx, pol);
	return rc;
}

int rep_output_write(const struct rep_card_source *src, const struct rep_output_options *opt)
{
	struct rep_files_tx *tx = NULL;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;
	struct rep_csv *table = NULL;
	int rc, n = 0;

	if ((opt->formats & REP_FORMAT_CSV) && (rc = rep_csv_begin(&table)) < 0)
		return rc;
	rc = begin(src, opt, &tx);
	if (rc == 0)
		rc = rep_render_start_stored(src, opt->formats, opt->workers, store_card, tx, &r);
	if (rc) {
		rep_files_abort(tx);
		rep_csv_free(table);
		return rc;
	}
	/* the workers wrote each card's JSON and PDF; HTML and the table
	 * follow here, in card order */
	while ((rc = rep_render_next(r, &d)) > 0) {
		if (opt->progress)
			fprintf(opt->progress, "\rwriting scorecards: %d of %d", ++n, src->count);
		if (opt->formats & REP_FORMAT_HTML) {
			rc = rep_html_add(tx, d->sc);
			if (rc < 0)
				break;
		}
		if (table)
			rep_csv_add(table, d->sc);
	}
	if (opt->progress)
		fprintf(opt->progress, "\r\033[K");
	rep_render_stop(r);
	if (rc == 0 && table) {
		/* the policy's card once more, for the table's metadata */
		const struct scorecard *pol = NULL;

		rc = src->get(src->ctx, 0, &pol);
		if (rc == 0) {
			rc = add_open_data(tx, pol, table); /* ends the table */
			table = NULL;
			src->put(src->ctx, pol);
		}
	}
	rep_csv_free(table);
	if (rc < 0) {
		rep_files_abort(tx);
		return rc;
	}
	return rep_files_commit(tx);
}
