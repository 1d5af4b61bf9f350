/* json: a scorecard as the JSON of docs/scorecard.schema.json ("cruscotto.scorecard/1").
 *
 * Every contract key is always written, null when there is no value; keys
 * only for one level ("agreement", "ex_ante" / "sensitivity") appear only
 * at that level. Numbers are full precision: the shortest decimal form that
 * reads back as the same double (0.1 + 0.2 → 0.30000000000000004), integers
 * without ".0"; NaN and infinities are written as null. `delta` is
 * value − previous (null if either is null); `n` is an integer. A suppressed
 * indicator never shows a value: value, delta, ci, p_value, effect_size and
 * normalised are null and status is "none", whatever the model holds.
 * Labels are in the scorecard's locale (NULL: "it"). Every level carries
 * "evidence" [{"code", "kind", "recorded_on", "title", "summary",
 * "participants", "agreement", "neighbourhood"}] (the model's list, newest
 * first; participants, agreement and neighbourhood null when absent) and
 * "evidence_total" (an integer), as docs/scorecard.schema.json defines them.
 *
 * Keys added to the contract (none renamed):
 *   top level  "min_cell", "snapshot" (string or null), "trend"
 *              [{"period", "index", "values": {code: number|null}}] oldest
 *              first; at agreement level "projects" [{"code", "title", "kind",
 *              "defined_on", "completed_on", "allocated", "committed", "spent",
 *              "milestones_due", "milestones_on_time", "milestones_total"}] and
 *              "milestones" [{"project", "title", "due_on", "achieved_on"}];
 *              at policy level "ranks" [{"agreement", "title", "index", "rank"
 *              (null when not ranked), "rank_p05", "rank_p95"}], best first
 *   agreement  "lab_started_on", "approved_on", "signed_on", "closed_on",
 *              "published_on" (YYYY-MM-DD or null); neighbourhoods also carry
 *              "population"
 *   indicator  "weight"
 *   dimension  "label", "weight"
 *
 * The text is indented with tabs (cJSON's printer) and ends with a newline;
 * identical scorecards give identical bytes. */
#ifndef CR_JSON_H
#define CR_JSON_H

#include "scorecard.h"

/* Renders sc; returns 0 and *out (NUL-terminated, caller frees with free),
 * or ERR_FAIL. */
int rep_json_render(const struct scorecard *sc, char **out);

/* Renders sc and writes it to `path` atomically (rep_files_write_atomic: a
 * temporary in the same folder, fsync, rename). The folder must exist.
 * Returns 0 or ERR_FAIL, leaving `path` untouched on failure. */
int rep_json_write(const struct scorecard *sc, const char *path);

/* Removes the indentation and line breaks outside strings from a JSON text
 * in place, keeping one final newline: the compact form HTTP serves. The
 * text must be valid JSON (as rep_json_render writes it). */
void rep_json_compact(char *text);

#endif
