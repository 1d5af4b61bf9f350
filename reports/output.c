#include "output.h"

#include "err.h"
#include "files.h"
#include "json.h"
#include "pdf.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

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
		else
			rc = err_set(ERR_USAGE, "unknown format %s (pdf, json or pdf,json)", tok);
	}
	free(copy);
	if (rc == 0 && !formats)
		rc = err_set(ERR_USAGE, "no format given (pdf, json or pdf,json)");
	if (rc == 0)
		*out = formats;
	return rc;
}

/* Adds one card's documents to the transaction. */
static int add_card(struct rep_files_tx *tx, const struct rep_rendered *d)
{
	const struct scorecard *sc = d->sc;
	char rel[512];
	int rc = 0;

	if (d->json) {
		rc = sc->agreement_code ? rep_files_agreement_relpath(sc->agreement_code, "json",
								      rel, sizeof(rel))
					: rep_files_policy_relpath("json", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_files_add(tx, rel, d->json, d->json_len);
	}
	if (rc == 0 && d->pdf) {
		rc = sc->agreement_code ? rep_files_agreement_relpath(sc->agreement_code, "pdf",
								      rel, sizeof(rel))
					: rep_files_policy_relpath("pdf", rel, sizeof(rel));
		if (rc == 0)
			rc = rep_files_add(tx, rel, d->pdf, d->pdf_len);
	}
	return rc;
}

int rep_output_write(const struct rep_card_source *src, const struct rep_output_options *opt)
{
	struct rep_files_tx *tx = NULL;
	struct rep_render *r = NULL;
	const struct rep_rendered *d = NULL;
	int rc, n = 0;

	rc = rep_render_start(src, opt->formats, opt->workers, &r);
	if (rc)
		return rc;
	while ((rc = rep_render_next(r, &d)) > 0) {
		/* card 0 is the policy's: it names the folder */
		if (!tx && (rc = rep_files_begin(opt->out_dir, d->sc->policy_code, d->sc->period,
						 &tx)) < 0)
			break;
		if (opt->progress)
			fprintf(opt->progress, "\rwriting scorecards: %d of %d", ++n, src->count);
		rc = add_card(tx, d);
		if (rc < 0)
			break;
	}
	if (opt->progress)
		fprintf(opt->progress, "\r\033[K");
	rep_render_stop(r);
	if (rc < 0 || !tx) {
		rep_files_abort(tx);
		return rc < 0 ? rc : err_set(ERR_FAIL, "internal error: a run without scorecards");
	}
	return rep_files_commit(tx);
}
