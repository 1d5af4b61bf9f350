#include "output.h"

#include "csv.h"
#include "err.h"
#include "files.h"
#include "html.h"
#include "json.h"
#include "pdf.h"

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

/* Renders one scorecard in every chosen format into the transaction. */
static int add_card(struct rep_files_tx *tx, const struct scorecard *sc, unsigned formats)
{
	char rel[512];
	unsigned char *pdf = NULL;
	char *json = NULL;
	size_t len = 0;
	int rc = 0;

	if (formats & REP_FORMAT_JSON) {
		rc = sc->agreement_code ? rep_files_agreement_relpath(sc->agreement_code, "json",
								      rel, sizeof(rel))
					: rep_files_policy_relpath("json", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_json_render(sc, &json);
		if (rc == 0)
			rc = rep_files_add(tx, rel, json, strlen(json));
		if (rc)
			goto out;
	}
	if (formats & REP_FORMAT_PDF) {
		rc = sc->agreement_code ? rep_files_agreement_relpath(sc->agreement_code, "pdf",
								      rel, sizeof(rel))
					: rep_files_policy_relpath("pdf", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_pdf_render(sc, &pdf, &len);
		if (rc == 0)
			rc = rep_files_add(tx, rel, pdf, len);
		if (rc)
			goto out;
	}
	if (formats & REP_FORMAT_HTML)
		rc = rep_html_add(tx, sc);
out:
	free(json);
	free(pdf);
	return rc;
}

/* The period's open-data table and its DCAT-AP_IT metadata, dated today
 * (UTC): a report is made available when it is written. */
static int add_open_data(struct rep_files_tx *tx, const struct scorecard *policy,
			 struct scorecard *const *agreements, int n_agreements)
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
	rc = rep_csv_render(policy, agreements, n_agreements, &csv, &len);
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

int rep_output_write(const struct scorecard *policy, struct scorecard *const *agreements,
		     int n_agreements, const struct rep_output_options *opt)
{
	struct rep_files_tx *tx = NULL;
	int rc, i;

	rc = rep_files_begin(opt->out_dir, policy->policy_code, policy->period, &tx);
	if (rc)
		return rc;
	rc = add_card(tx, policy, opt->formats);
	for (i = 0; rc == 0 && i < n_agreements; i++) {
		if (opt->progress)
			fprintf(opt->progress, "\rwriting scorecards: %d of %d", i + 2,
				n_agreements + 1);
		rc = add_card(tx, agreements[i], opt->formats);
	}
	if (opt->progress)
		fprintf(opt->progress, "\r\033[K");
	if (rc == 0 && (opt->formats & REP_FORMAT_CSV))
		rc = add_open_data(tx, policy, agreements, n_agreements);
	if (rc) {
		rep_files_abort(tx);
		return rc;
	}
	return rep_files_commit(tx);
}
