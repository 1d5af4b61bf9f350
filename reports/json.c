#include "json.h"

#include "err.h"
#include "files.h"
#include "fmt.h"
#include "method.h"
#include "notes.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Building state: one flag instead of a check after every cJSON call; an
 * item that could not be made or attached sets it, and render fails once. */
struct ctx {
	int failed;
	const char *locale;
};

/* The tree of a card lives only while rep_json_render prints it, and every
 * key and almost every string it holds (literals, the catalogue's and the
 * labels' tables, the card's own strings) outlives it: they go in by
 * reference, not copied, which spares an allocation and a free for each. */

/* The tree of a card is allocated from an arena of the rendering thread:
 * some two thousand items and number texts a card, each a malloc and a
 * free otherwise, were a tenth of the report's own CPU at 10,000
 * agreements. cJSON's allocator is the process's (cJSON_InitHooks): in a
 * thread that is not rendering a card, and for memory that is not the
 * arena's, it is malloc and free. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

/* The chunks of this thread's arena, newest first, and whether it is on */
static _Thread_local struct arena_chunk *arena;
static _Thread_local int arena_on;

#define ARENA_FIRST_SIZE 65536

static void *arena_alloc(size_t n)
{
	struct arena_chunk *c = arena;
	size_t align = sizeof(max_align_t), need = (n + align - 1) / align * align;
	void *p;

	if (!c || c->size - c->used < need) {
		size_t size = c ? 2 * c->size : ARENA_FIRST_SIZE;

		if (size < need)
			size = need;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = arena;
		c->size = size;
		c->used = 0;
		arena = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

static int arena_owns(const void *p)
{
	const struct arena_chunk *c;

	for (c = arena; c; c = c->next)
		if ((const char *)p >= (const char *)c->data &&
		    (const char *)p < (const char *)c->data + c->size)
			return 1;
	return 0;
}

static void *hook_malloc(size_t n)
{
	return arena_on ? arena_alloc(n) : malloc(n);
}

/* The arena's memory goes all at once, when the card is printed. */
static void hook_free(void *p)
{
	if (p && !(arena_on && arena_owns(p)))
		free(p);
}

static void arena_begin(void)
{
	arena_on = 1;
}

static void arena_end(void)
{
	arena_on = 0;
	while (arena) {
		struct arena_chunk *next = arena->next;

		free(arena);
		arena = next;
	}
}

/* Before main, while the process has one thread: cJSON reads its hooks
 * on every allocation. */
__attribute__((constructor)) static void json_hooks(void)
{
	cJSON_Hooks hooks = {hook_malloc, hook_free};

	cJSON_InitHooks(&hooks);
}

/* Attaches item to obj under key (or appends it when obj is an array). */
static void add(struct ctx *c, cJSON *obj, const char *key, cJSON *item)
{
	cJSON_bool ok;

	if (!item || !obj) {
		cJSON_Delete(item);
		c->failed = 1;
		return;
	}
	ok = key ? cJSON_AddItemToObjectCS(obj, key, item) : cJSON_AddItemToArray(obj, item);
	if (!ok) {
		cJSON_Delete(item);
		c->failed = 1;
	}
}

/* A double at full precision (fmt_number_json), as a raw JSON token.
 * cJSON 1.7.15 would print %1.15g and fall back to %1.17g only when a
 * tolerant comparison fails, so 0.1 + 0.2 would come out as 0.3: not the
 * same double. */
static cJSON *num(double v)
{
	char buf[FMT_NUMBER_SIZE];

	if (!isfinite(v))
		return cJSON_CreateNull();
	fmt_number_json(v, buf);
	return cJSON_CreateRaw(buf);
}

static cJSON *snum(struct sc_num n)
{
	return n.set ? num(n.v) : cJSON_CreateNull();
}

static cJSON *integer(long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	return cJSON_CreateRaw(buf);
}

/* An integral count held as a double (`n`): rounded, never "12.0". */
static cJSON *count(struct sc_num n)
{
	if (!n.set || !isfinite(n.v) || fabs(n.v) > 9e15)
		return snum(n);
	return integer(llround(n.v));
}

/* A string that outlives the tree (see above); NULL, as cJSON_CreateString
 * gives, when there is none, which fails the rendering. */
static cJSON *ref(const char *s)
{
	return s ? cJSON_CreateStringReference(s) : NULL;
}

static cJSON *str(const char *s)
{
	return s ? ref(s) : cJSON_CreateNull();
}

/* An empty fixed-size text field of the model (period ids, dates) is null. */
static cJSON *field(const char *s)
{
	return s && *s ? ref(s) : cJSON_CreateNull();
}

static cJSON *pair(struct ctx *c, struct sc_num a, struct sc_num b)
{
	cJSON *arr;

	if (!a.set || !b.set || !isfinite(a.v) || !isfinite(b.v))
		return cJSON_CreateNull();
	arr = cJSON_CreateArray();
	add(c, arr, NULL, num(a.v));
	add(c, arr, NULL, num(b.v));
	return arr;
}

static cJSON *indicator_json(struct ctx *c, const struct sc_indicator *x,
			     const struct cat_indicator *ci)
{
	static const struct sc_num null_num = {0, 0.0};
	cJSON *o = cJSON_CreateObject();
	/* Suppression protects small groups of respondents: nothing derived
	 * from the value may leak, whatever the model holds. */
	int sup = x->suppressed != 0;
	struct sc_num value = sup ? null_num : x->value;
	struct sc_num delta = null_num;

	if (value.set && x->previous.set) {
		delta.set = 1;
		delta.v = value.v - x->previous.v;
	}
	add(c, o, "dimension", ref(cat_dimension_code(ci->dimension)));
	add(c, o, "label", ref(rep_label(ci, c->locale)));
	add(c, o, "unit", ref(ci->unit));
	add(c, o, "polarity", ref(cat_polarity_name(ci->polarity)));
	add(c, o, "value", snum(value));
	add(c, o, "previous", snum(x->previous));
	add(c, o, "delta", snum(delta));
	add(c, o, "n", count(x->n));
	add(c, o, "ci", sup ? cJSON_CreateNull() : pair(c, x->ci_low, x->ci_high));
	add(c, o, "p_value", snum(sup ? null_num : x->p_value));
	add(c, o, "effect_size", snum(sup ? null_num : x->effect_size));
	add(c, o, "suppressed", cJSON_CreateBool(sup));
	/* A suppressed cell is primary unless the model says it was withheld
	 * only to protect another one. */
	add(c, o, "suppression",
	    sup ? ref(sc_suppression_name(x->suppression == SUP_SECONDARY ? SUP_SECONDARY
									  : SUP_PRIMARY))
		: cJSON_CreateNull());
	add(c, o, "target", snum(x->target));
	add(c, o, "status", ref(sc_status_name(sup ? ST_NONE : x->status)));
	add(c, o, "normalised", snum(sup ? null_num : x->normalised));
	add(c, o, "weight", snum(x->weight));
	return o;
}

static cJSON *indicators_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject();
	int i;

	for (i = 0; i < cat_count && i < 64; i++) {
		const struct sc_indicator *x = &sc->ind[i];

		if (x->present)
			add(c, o, cat_indicators[i].code,
			    indicator_json(c, x, x->ind ? x->ind : &cat_indicators[i]));
	}
	return o;
}

static cJSON *dimensions_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject();
	int d;

	for (d = 0; d < DIM_COUNT; d++) {
		cJSON *dim = cJSON_CreateObject();

		add(c, dim, "score", snum(sc->dims[d].score));
		add(c, dim, "coverage", snum(sc->dims[d].coverage));
		add(c, dim, "label", ref(rep_dimension_label((enum cat_dimension)d, c->locale)));
		add(c, dim, "weight", snum(sc->dims[d].weight));
		add(c, o, cat_dimension_code((enum cat_dimension)d), dim);
	}
	return o;
}

static cJSON *agreement_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject(), *list = cJSON_CreateArray();
	int i;

	add(c, o, "code", str(sc->agreement_code));
	add(c, o, "title", str(sc->agreement_title));
	add(c, o, "status", str(sc->agreement_status));
	for (i = 0; sc->neighbourhoods && i < sc->n_neighbourhoods; i++) {
		const struct sc_neighbourhood *nb = &sc->neighbourhoods[i];
		cJSON *n = cJSON_CreateObject();

		add(c, n, "code", str(nb->code));
		add(c, n, "name", str(nb->name));
		add(c, n, "population", integer(nb->population));
		add(c, list, NULL, n);
	}
	add(c, o, "neighbourhoods", list);
	add(c, o, "lab_started_on", field(sc->lab_started_on));
	add(c, o, "approved_on", field(sc->approved_on));
	add(c, o, "signed_on", field(sc->signed_on));
	add(c, o, "closed_on", field(sc->closed_on));
	add(c, o, "published_on", field(sc->published_on));
	return o;
}

static cJSON *neighbourhood_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject();

	add(c, o, "code", str(sc->neighbourhood.code));
	add(c, o, "name", str(sc->neighbourhood.name));
	add(c, o, "population", integer(sc->neighbourhood.population));
	return o;
}

/* The covering agreements of a neighbourhood card, by code. */
static cJSON *covering_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i;

	for (i = 0; sc->covering && i < sc->n_covering; i++)
		add(c, list, NULL, str(sc->covering[i].code));
	return list;
}

static cJSON *ex_ante_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject();
	int i;

	for (i = 0; i < 3; i++)
		add(c, o, sc_ex_ante_criteria[i], snum(sc->ex_ante[i]));
	add(c, o, "mean", snum(sc->ex_ante_mean));
	add(c, o, "passed", cJSON_CreateBool(sc->ex_ante_passed != 0));
	return o;
}

static cJSON *sensitivity_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *o = cJSON_CreateObject(), *ranks = cJSON_CreateObject();
	int i;

	add(c, o, "index_p05", snum(sc->index_p05));
	add(c, o, "index_p95", snum(sc->index_p95));
	for (i = 0; sc->ranks && i < sc->n_ranks; i++) {
		const struct sc_rank *r = &sc->ranks[i];

		if (r->agreement_code)
			add(c, ranks, r->agreement_code, pair(c, r->rank_p05, r->rank_p95));
	}
	add(c, o, "ranks", ranks);
	return o;
}

static cJSON *ranks_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i;

	for (i = 0; sc->ranks && i < sc->n_ranks; i++) {
		const struct sc_rank *r = &sc->ranks[i];
		cJSON *o = cJSON_CreateObject();

		add(c, o, "agreement", str(r->agreement_code));
		add(c, o, "title", str(r->agreement_title));
		add(c, o, "index", snum(r->index));
		add(c, o, "rank", r->rank > 0 ? integer(r->rank) : cJSON_CreateNull());
		add(c, o, "rank_p05", snum(r->rank_p05));
		add(c, o, "rank_p95", snum(r->rank_p95));
		add(c, list, NULL, o);
	}
	return list;
}

static cJSON *trend_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i, k;

	for (i = 0; sc->trend && i < sc->n_trend; i++) {
		const struct sc_trend_point *t = &sc->trend[i];
		cJSON *o = cJSON_CreateObject(), *values = cJSON_CreateObject();

		add(c, o, "period", field(t->period));
		add(c, o, "index", snum(t->index));
		for (k = 0; k < sc_trend_count; k++)
			add(c, values, cat_indicators[sc_trend_ids[k]].code,
			    t->values ? snum(t->values[k]) : cJSON_CreateNull());
		add(c, o, "values", values);
		add(c, list, NULL, o);
	}
	return list;
}

static cJSON *projects_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i;

	for (i = 0; sc->projects && i < sc->n_projects; i++) {
		const struct sc_project *p = &sc->projects[i];
		cJSON *o = cJSON_CreateObject();

		add(c, o, "code", str(p->code));
		add(c, o, "title", str(p->title));
		add(c, o, "kind", str(p->kind));
		add(c, o, "defined_on", field(p->defined_on));
		add(c, o, "completed_on", field(p->completed_on));
		add(c, o, "allocated", num(p->allocated));
		add(c, o, "committed", num(p->committed));
		add(c, o, "spent", num(p->spent));
		add(c, o, "milestones_due", integer(p->milestones_due));
		add(c, o, "milestones_on_time", integer(p->milestones_on_time));
		add(c, o, "milestones_total", integer(p->milestones_total));
		add(c, list, NULL, o);
	}
	return list;
}

static cJSON *milestones_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i;

	for (i = 0; sc->milestones && i < sc->n_milestones; i++) {
		const struct sc_milestone *m = &sc->milestones[i];
		cJSON *o = cJSON_CreateObject();

		add(c, o, "project", str(m->project_code));
		add(c, o, "title", str(m->title));
		add(c, o, "due_on", field(m->due_on));
		add(c, o, "achieved_on", field(m->achieved_on));
		add(c, list, NULL, o);
	}
	return list;
}

/* The evidence listed, as the model holds it (newest first); the summary
 * as written, its newlines and tabs escaped by the printer. */
static cJSON *evidence_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *list = cJSON_CreateArray();
	int i;

	for (i = 0; sc->evidence && i < sc->n_evidence; i++) {
		const struct sc_evidence *e = &sc->evidence[i];
		cJSON *o = cJSON_CreateObject();

		add(c, o, "code", str(e->code));
		add(c, o, "kind", str(e->kind));
		add(c, o, "recorded_on", field(e->recorded_on));
		add(c, o, "title", str(e->title));
		add(c, o, "summary", str(e->summary));
		add(c, o, "participants", count(e->participants));
		add(c, o, "agreement", str(e->agreement_code));
		add(c, o, "neighbourhood", str(e->neighbourhood_code));
		add(c, list, NULL, o);
	}
	return list;
}

static cJSON *scorecard_json(struct ctx *c, const struct scorecard *sc)
{
	cJSON *root = cJSON_CreateObject(), *o;
	int agreement = sc->level == CAT_AGREEMENT, i;
	int neighbourhood = sc->level == CAT_NEIGHBOURHOOD;

	add(c, root, "format", ref("cruscotto.scorecard/1"));
	add(c, root, "level", ref(cat_level_name(sc->level)));
	o = cJSON_CreateObject();
	add(c, o, "code", str(sc->policy_code));
	add(c, o, "name", str(sc->policy_name));
	add(c, root, "policy", o);
	if (agreement)
		add(c, root, "agreement", agreement_json(c, sc));
	if (neighbourhood) {
		add(c, root, "neighbourhood", neighbourhood_json(c, sc));
		add(c, root, "agreements", covering_json(c, sc));
	}
	o = cJSON_CreateObject();
	add(c, o, "id", field(sc->period));
	add(c, o, "start", field(sc->period_start));
	add(c, o, "end", field(sc->period_end));
	add(c, o, "previous", field(sc->period_previous));
	add(c, root, "period", o);
	add(c, root, "locale", ref(c->locale));
	add(c, root, "indicators", indicators_json(c, sc));
	add(c, root, "dimensions", dimensions_json(c, sc));
	add(c, root, "index", snum(sc->index));
	if (agreement)
		add(c, root, "ex_ante", ex_ante_json(c, sc));
	else if (!neighbourhood)
		add(c, root, "sensitivity", sensitivity_json(c, sc));
	o = cJSON_CreateArray();
	for (i = 0; i < sc->n_notes; i++) {
		char note[NOTES_SIZE];

		notes_text(sc, sc->notes[i], note, sizeof(note));
		add(c, o, NULL, cJSON_CreateString(note)); /* a copy: note goes */
	}
	add(c, root, "notes", o);

	add(c, root, "min_cell", integer(sc->min_cell));
	add(c, root, "snapshot", str(sc->snapshot));
	add(c, root, "trend", trend_json(c, sc));
	add(c, root, "evidence", evidence_json(c, sc));
	add(c, root, "evidence_total", integer(sc->evidence_total));
	if (agreement) {
		add(c, root, "projects", projects_json(c, sc));
		add(c, root, "milestones", milestones_json(c, sc));
	} else if (!neighbourhood) {
		add(c, root, "ranks", ranks_json(c, sc));
	}
	return root;
}

/* The buffer a card's text is printed into first. */
#define JSON_FIRST_SIZE 65536

int rep_json_render(const struct scorecard *sc, char **out)
{
	struct ctx c = {0, sc->locale ? sc->locale : "it"};
	cJSON *root;
	char *text = NULL, *result = NULL;
	size_t len;
	int rc = 0;

	arena_begin();
	root = scorecard_json(&c, sc);
	if (c.failed || !root) {
		rc = err_set(ERR_FAIL, "out of memory while building the JSON scorecard");
		goto out;
	}
	/* A card's text (some 25 kB) is printed straight into its result, with
	 * room for the newline; cJSON would grow a buffer of its own from 256
	 * bytes by doubling and leave it to be copied. A larger text (a policy's
	 * ranking of thousands) takes cJSON's own way. */
	result = malloc(JSON_FIRST_SIZE);
	if (!result) {
		rc = err_set(ERR_FAIL, "out of memory");
		goto out;
	}
	if (!cJSON_PrintPreallocated(root, result, JSON_FIRST_SIZE - 1, 1)) {
		free(result);
		result = NULL;
		text = cJSON_Print(root);
		if (!text) {
			rc = err_set(ERR_FAIL, "out of memory while printing the JSON scorecard");
			goto out;
		}
		len = strlen(text);
		result = malloc(len + 2);
		if (!result) {
			rc = err_set(ERR_FAIL, "out of memory");
			goto out;
		}
		memcpy(result, text, len + 1);
	}
	/* A file ends with a newline; the same bytes serve HTTP and files. */
	len = strlen(result);
	result[len] = '\n';
	result[len + 1] = '\0';
out:
	/* the tree and cJSON_Print's text are the arena's, every byte: they go
	 * with it, unwalked (cJSON_Delete would visit two thousand items to
	 * free none) */
	arena_end();
	if (rc < 0)
		return rc;
	*out = result;
	return 0;
}

int rep_json_write(const struct scorecard *sc, const char *path)
{
	char *text = NULL;
	int rc = rep_json_render(sc, &text);

	if (rc < 0)
		return rc;
	rc = rep_files_write_atomic(path, text, strlen(text));
	free(text);
	return rc;
}

void rep_json_compact(char *text)
{
	char *r = text, *w = text;
	int in_string = 0;

	for (; *r; r++) {
		if (in_string) {
			*w++ = *r;
			if (*r == '\\' && r[1])
				*w++ = *++r;
			else if (*r == '"')
				in_string = 0;
		} else if (*r == '"') {
			in_string = 1;
			*w++ = *r;
		} else if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\r') {
			*w++ = *r;
		}
	}
	if (w > text)
		*w++ = '\n';
	*w = '\0';
}
