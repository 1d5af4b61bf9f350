/* pdf: scorecards built by hand, rendered, and checked with the Debian PDF
 * tools (qpdf, pdffonts, pdftotext, pdfinfo from poppler-utils), run with
 * posix_spawnp in a temporary folder that is removed afterwards.
 *
 * CR_PDF_KEEP=DIR also writes every rendered PDF to DIR, to look at them. */
#include "check_main.h"

#include "err.h"
#include "pdf.h"
#include "scorecard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_pdf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

/* --- building scorecards ---------------------------------------------------------- */

static char *xstrdup(const char *s)
{
	char *c = strdup(s);

	ck_assert_ptr_nonnull(c);
	return c;
}

static struct sc_num num(double v)
{
	struct sc_num n = {1, v};

	return n;
}

/* Sets an indicator: value, previous, target (NaN: none) and status. */
static struct sc_indicator *set(struct scorecard *sc, const char *code, double value,
				double previous, double target, enum sc_status status)
{
	struct sc_indicator *x = sc_get(sc, code);

	ck_assert_msg(x != NULL, "no indicator %s", code);
	x->value = num(value);
	if (!isnan(previous))
		x->previous = num(previous);
	if (!isnan(target)) {
		x->target = num(target);
		x->normalised = num(status == ST_GREEN ? 100.0 : 80.0);
	}
	x->status = status;
	return x;
}

static void survey(struct sc_indicator *x, double n, double lo, double hi)
{
	x->n = num(n);
	x->ci_low = num(lo);
	x->ci_high = num(hi);
}

/* What both levels share: period, indicators, scores, trend, notes. */
static void fill_common(struct scorecard *sc, const char *locale)
{
	const double nan = NAN;
	struct sc_indicator *x;
	int i, k;

	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Città bene comune «prova»");
	sc->locale = xstrdup(locale);
	sc->min_cell = 5;
	snprintf(sc->period, sizeof(sc->period), "2018-Q4");
	snprintf(sc->period_start, sizeof(sc->period_start), "2018-10-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2018-12-31");
	snprintf(sc->period_previous, sizeof(sc->period_previous), "2018-Q3");

	set(sc, "out.participants", 2415, 2301, 2500, ST_AMBER);
	set(sc, "out.meetings", 312, 280, 300, ST_GREEN);
	set(sc, "out.meeting_hours", 624.5, 560, nan, ST_NONE);
	set(sc, "out.signatories", 695, 650, 700, ST_AMBER);
	set(sc, "out.signatories.association", 375, 350, nan, ST_NONE);
	set(sc, "out.signatories.volunteer", 300, 282, nan, ST_NONE);
	set(sc, "out.signatories.business", 20, 18, nan, ST_NONE);
	set(sc, "out.projects", 154, 140, 150, ST_GREEN);
	set(sc, "out.projects.community_care", 131, 120, nan, ST_NONE);
	set(sc, "out.projects.city_care", 23, 20, nan, ST_NONE);
	set(sc, "out.projects_completed", 61, 48, 80, ST_RED);
	set(sc, "out.population", 134893, 120000, nan, ST_NONE);
	set(sc, "out.participation_rate", 17.9, 19.2, 20, ST_AMBER);
	set(sc, "eff.allocated_eur", 1810800, 1700000, nan, ST_NONE);
	set(sc, "eff.allocated_eur.community_care", 520800, 480000, nan, ST_NONE);
	set(sc, "eff.allocated_eur.city_care", 1290000, 1220000, nan, ST_NONE);
	set(sc, "eff.committed_eur", 827500, 700000, nan, ST_NONE);
	set(sc, "eff.committed_eur.community_care", 237500, 200000, nan, ST_NONE);
	set(sc, "eff.committed_eur.city_care", 590000, 500000, nan, ST_NONE);
	set(sc, "eff.spent_eur", 402000, 350000, nan, ST_NONE);
	set(sc, "eff.spent_eur.community_care", 182000, 150000, nan, ST_NONE);
	set(sc, "eff.spent_eur.city_care", 220000, 200000, nan, ST_NONE);
	set(sc, "eff.commitment_rate", 45.7, 41.2, 60, ST_RED);
	set(sc, "eff.spend_rate", 22.2, 20.6, 30, ST_RED);
	set(sc, "eff.cost_per_participant", 166.46, 152.1, 150, ST_AMBER);
	set(sc, "eff.staff_hours", 1840, 1600, nan, ST_NONE);
	set(sc, "eff.community_value_eur", 96500, 80000, 90000, ST_GREEN);
	set(sc, "eff.leverage", 0.24, 0.23, 0.2, ST_GREEN);
	set(sc, "eff.days_to_signature", 42, 45, 30, ST_RED);
	x = set(sc, "eft.agreement_quality", 3.92, 3.85, 3.5, ST_GREEN);
	survey(x, 148, 3.78, 4.06);
	x = sc_get(sc, "eft.satisfaction");
	x->suppressed = 1;
	x->n = num(3);
	x->target = num(4);
	x->previous = num(4.1);
	x = set(sc, "eft.satisfied_share", 72.4, 70.1, 75, ST_AMBER);
	survey(x, 116, 63.6, 79.7);
	x = set(sc, "eft.milestones_on_time", 81.3, 78, 85, ST_AMBER);
	x->n = num(48);
	x = set(sc, "soc.relationship_change", 0.35, 0.21, 0.3, ST_GREEN);
	survey(x, 64, 0.12, 0.58);
	sc_get(sc, "soc.relationship_change")->p_value = num(0.004);
	x = set(sc, "soc.relationship_improved_share", 58.2, 55, 60, ST_AMBER);
	survey(x, 64, 45.9, 69.5);
	x = set(sc, "soc.quality_of_life_change", -0.12, 0.05, 0.2, ST_RED);
	survey(x, 210, -0.31, 0.07);
	set(sc, "soc.bridging_share", 12.5, 11.8, 15, ST_AMBER);
	set(sc, "org.new_solutions", 14, 11, 10, ST_GREEN);
	set(sc, "org.process_changes", 6, 5, 8, ST_AMBER);
	set(sc, "org.new_methods", 4, 3, 5, ST_AMBER);
	set(sc, "org.staff_trained", 57, 40, 50, ST_GREEN);
	set(sc, "org.departments", 9, 8, nan, ST_NONE);
	x = set(sc, "org.culture_score", 3.41, 3.3, 3.5, ST_AMBER);
	survey(x, 38, 3.12, 3.7);

	for (i = 0; i < DIM_COUNT; i++) {
		sc->dims[i].score = num(60.0 + 8.0 * i);
		sc->dims[i].coverage = num(i == 2 ? 0.75 : 1.0);
	}
	sc->dims[DIM_SOCIAL_IMPACT].score.set = 0;
	sc->index = num(78.4);

	sc->n_trend = 8;
	sc->trend = calloc(8, sizeof(*sc->trend));
	ck_assert_ptr_nonnull(sc->trend);
	for (i = 0; i < 8; i++) {
		struct sc_trend_point *tp = &sc->trend[i];

		/* 2017-Q1 to 2018-Q4, the period last, with the period's values. */
		snprintf(tp->period, sizeof(tp->period), "%d-Q%d", 2017 + i / 4, i % 4 + 1);
		tp->values = calloc((size_t)sc_trend_count, sizeof(*tp->values));
		ck_assert_ptr_nonnull(tp->values);
		if (i != 2) /* a quarter without an index: a gap in the line */
			tp->index = num(55.0 + 3.0 * i);
		for (k = 0; k < sc_trend_count; k++) {
			const struct sc_indicator *ind = sc_cget(sc, sc_trend_codes[k]);

			if (ind->value.set)
				tp->values[k] = num(ind->value.v * (0.45 + 0.55 * i / 7.0));
		}
		/* Satisfaction: surveyed from 2017-Q4, suppressed now. */
		if (i >= 3 && i < 7)
			tp->values[4] = num(3.6 + 0.1 * (i - 3));
	}
	sc->trend[7].index = sc->index;

	sc_add_note(sc, strcmp(locale, "en") == 0
				? "Values as of 2018-12-31: every record dated up to and "
				  "including that day counts; the previous value is computed "
				  "the same way at the end of quarter 2018-Q3."
				: "Valori al 2018-12-31: contano tutti i dati con data fino a "
				  "quel giorno compreso; il valore precedente è calcolato allo "
				  "stesso modo alla fine del trimestre 2018-Q3.");
	sc_add_note(sc, strcmp(locale, "en") == 0
				? "Survey indicators with fewer than 5 respondents are "
				  "suppressed: value and interval are not published, n is "
				  "still given."
				: "Gli indicatori da questionario con meno di 5 rispondenti "
				  "non sono pubblicati: valore e intervallo sono soppressi, n "
				  "resta indicato.");
	sc->snapshot = xstrdup("batch 42 (2019-01-15 09:30:00 UTC)");
}

static const char long_title[] =
	"Accordo di cittadinanza per la cura della comunità e della città nel quartiere "
	"Santa Croce: orti condivisi, portierato sociale e riqualificazione del parco "
	"di via Adua con le associazioni del territorio";

static struct scorecard *policy_card(const char *locale, int n_ranks)
{
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	fill_common(sc, locale);
	set(sc, "out.agreements_signed", 25, 22, 24, ST_GREEN);
	sc->index_p05 = num(75.0);
	sc->index_p95 = num(81.0);
	sc->n_ranks = n_ranks;
	sc->ranks = calloc((size_t)n_ranks, sizeof(*sc->ranks));
	ck_assert_ptr_nonnull(sc->ranks);
	for (i = 0; i < n_ranks; i++) {
		struct sc_rank *k = &sc->ranks[i];
		char buf[512];

		snprintf(buf, sizeof(buf), "AGR-%03d", i + 1);
		k->agreement_code = xstrdup(buf);
		/* Every seventh title is long enough to wrap; the last
		 * agreement has no index and no rank. */
		snprintf(buf, sizeof(buf), "%s %d",
			 i % 7 == 3 ? long_title : "Laboratorio di quartiere — città", i + 1);
		k->agreement_title = xstrdup(buf);
		if (i == n_ranks - 1 && n_ranks > 1)
			continue;
		k->index = num(95.0 - 80.0 * i / n_ranks);
		k->rank = i + 1;
		k->rank_p05 = num(i + 1 > 3 ? i - 2 : 1);
		k->rank_p95 = num(i + 1 + 4 < n_ranks ? i + 4.5 : n_ranks);
	}
	return sc;
}

static struct scorecard *agreement_card(const char *locale)
{
	static const char *const kinds[2] = {"community_care", "city_care"};
	struct scorecard *sc = NULL;
	int i;

	ck_assert_int_eq(sc_new(CAT_AGREEMENT, &sc), 0);
	fill_common(sc, locale);
	set(sc, "soc.new_partners_share", 33.3, 30, 25, ST_GREEN);
	sc->agreement_code = xstrdup("AGR-007");
	sc->agreement_title = xstrdup(long_title);
	sc->agreement_status = xstrdup("signed");
	sc->lab_started_on = xstrdup("2018-01-15");
	sc->approved_on = xstrdup("2018-05-02");
	sc->signed_on = xstrdup("2018-06-20");
	sc->n_neighbourhoods = 2;
	sc->neighbourhoods = calloc(2, sizeof(*sc->neighbourhoods));
	ck_assert_ptr_nonnull(sc->neighbourhoods);
	sc->neighbourhoods[0].code = xstrdup("SC");
	sc->neighbourhoods[0].name = xstrdup("Santa Croce");
	sc->neighbourhoods[0].population = 9876;
	sc->neighbourhoods[1].code = xstrdup("OSP");
	sc->neighbourhoods[1].name = xstrdup("Ospizio");
	sc->neighbourhoods[1].population = 7345;
	sc->ex_ante[0] = num(4);
	sc->ex_ante[1] = num(3.5);
	sc->ex_ante[2] = num(5);
	sc->ex_ante_mean = num(12.5 / 3);
	sc->ex_ante_passed = 1;
	sc->n_projects = 4;
	sc->projects = calloc(4, sizeof(*sc->projects));
	ck_assert_ptr_nonnull(sc->projects);
	for (i = 0; i < 4; i++) {
		struct sc_project *pr = &sc->projects[i];
		char buf[256];

		snprintf(buf, sizeof(buf), "PRJ-%02d", i + 1);
		pr->code = xstrdup(buf);
		pr->title = xstrdup(i == 1   ? "Riqualificazione del parco di via Adua: nuove "
					       "panchine, illuminazione e un'area giochi accessibile"
				    : i == 0 ? "Orti condivisi della comunità"
					     : "Portierato sociale di quartiere");
		pr->kind = xstrdup(kinds[i % 2]);
		pr->defined_on = xstrdup("2018-06-20");
		if (i == 0)
			pr->completed_on = xstrdup("2018-11-30");
		pr->allocated = i == 1 ? 1290000 : 20000.0 * (i + 1);
		pr->committed = i == 1 ? 590000 : 15000.0 * (i + 1);
		pr->spent = i == 1 ? 220000 : 9000.0 * (i + 1) * (i == 3 ? 0 : 1);
		pr->milestones_total = 3 + i;
		pr->milestones_due = 2 + i % 2;
		pr->milestones_on_time = 1 + i % 2;
	}
	sc->n_milestones = 5;
	sc->milestones = calloc(5, sizeof(*sc->milestones));
	ck_assert_ptr_nonnull(sc->milestones);
	for (i = 0; i < 5; i++) {
		struct sc_milestone *m = &sc->milestones[i];
		static const char *const due[5] = {"2018-07-31", "2018-09-30", "2018-11-15",
						   "2018-12-20", "2019-03-31"};
		static const char *const done[5] = {"2018-07-20", "2018-10-12", NULL, NULL, NULL};

		m->project_code = xstrdup(i < 2 ? "PRJ-01" : "PRJ-02");
		m->title = xstrdup(i == 2 ? "Progetto esecutivo approvato dal Servizio Lavori "
					    "Pubblici della città"
					  : "Inaugurazione con la comunità");
		m->due_on = xstrdup(due[i]);
		if (done[i])
			m->achieved_on = xstrdup(done[i]);
	}
	return sc;
}

/* --- running the tools --------------------------------------------------------------- */

/* Runs argv (PATH lookup) with stdout captured; returns the exit status
 * (-1 when it did not exit normally) and *out (caller frees). */
static int run(const char *const argv[], char **out)
{
	posix_spawn_file_actions_t fa;
	int fd[2], status = 0;
	pid_t pid;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	ck_assert_msg(posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ) == 0,
		      "cannot run %s (apt-get install -y qpdf poppler-utils)", argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	while ((n = read(fd[0], buf + len, cap - len - 1)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_ge(n, 0);
		len += (size_t)n;
		if (cap - len < 4096) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	close(fd[0]);
	buf[len] = '\0';
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	*out = buf;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* Renders sc into tmpdir/name (and CR_PDF_KEEP/name); frees sc. */
static void render_to(struct scorecard *sc, const char *name, char *path, size_t size)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	const char *keep = getenv("CR_PDF_KEEP");

	ck_assert_msg(rep_pdf_render(sc, &pdf, &len) == 0, "render: %s", err_last());
	ck_assert_uint_gt(len, 1000);
	ck_assert(memcmp(pdf, "%PDF-", 5) == 0);
	snprintf(path, size, "%s/%s", tmpdir, name);
	write_file(path, pdf, len);
	if (keep && *keep) {
		char kp[1024];

		snprintf(kp, sizeof(kp), "%s/%s", keep, name);
		write_file(kp, pdf, len);
	}
	free(pdf);
	sc_free(sc);
}

/* The text of the PDF with every run of white space (line breaks of wrapped
 * text, no-break spaces) as one space. */
static char *text_of(const char *path)
{
	const char *argv[] = {"pdftotext", "-enc", "UTF-8", path, "-", NULL};
	char *out = NULL, *r, *w;

	ck_assert_int_eq(run(argv, &out), 0);
	for (r = w = out; *r;) {
		int space = *r == ' ' || *r == '\n' || *r == '\t' || *r == '\f' ||
			    (r[0] == '\xc2' && r[1] == '\xa0');

		if (!space) {
			*w++ = *r++;
			continue;
		}
		r += *r == '\xc2' ? 2 : 1;
		if (w > out && w[-1] != ' ')
			*w++ = ' ';
	}
	*w = '\0';
	return out;
}

static int page_count(const char *path)
{
	const char *argv[] = {"pdfinfo", path, NULL};
	char *out = NULL, *p;
	int pages = 0;

	ck_assert_int_eq(run(argv, &out), 0);
	p = strstr(out, "\nPages:");
	ck_assert_ptr_nonnull(p);
	pages = atoi(p + strlen("\nPages:"));
	free(out);
	return pages;
}

#define assert_has(text, needle)                                                                   \
	ck_assert_msg(strstr((text), (needle)) != NULL, "\"%s\" not found in the text", (needle))

/* Every word of every page inside the page box and inside the margins
 * (pdftotext -bbox: xMin/yMin/xMax/yMax per word, origin top left). */
static void assert_words_inside(const char *path)
{
	const char *argv[] = {"pdftotext", "-bbox", path, "-", NULL};
	const double w = 595.276, h = 841.89;
	char *out = NULL, *p;
	int words = 0;

	ck_assert_int_eq(run(argv, &out), 0);
	for (p = strstr(out, "<word "); p; p = strstr(p + 1, "<word ")) {
		double x0, y0, x1, y1;

		ck_assert_int_eq(sscanf(p,
					"<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" "
					"yMax=\"%lf\"",
					&x0, &y0, &x1, &y1),
				 4);
		ck_assert_msg(x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h,
			      "word outside the page: %.80s", p);
		/* Stronger than the contract: inside the 48 pt margins. */
		ck_assert_msg(x0 >= 47.5 && x1 <= w - 47.5 && y0 >= 30 && y1 <= h - 30,
			      "word outside the margins: %.80s", p);
		words++;
	}
	ck_assert_int_gt(words, 100);
	free(out);
}

/* --- tests ------------------------------------------------------------------------------ */

START_TEST(test_pdf_passes_qpdf_check)
{
	const char *kinds[2] = {"policy.pdf", "agreement.pdf"};
	char path[512], *out = NULL;
	int i;

	for (i = 0; i < 2; i++) {
		const char *argv[] = {"qpdf", "--check", path, NULL};

		render_to(i ? agreement_card("it") : policy_card("it", 25), kinds[i], path,
			  sizeof(path));
		ck_assert_msg(run(argv, &out) == 0, "qpdf --check %s:\n%s", kinds[i], out);
		assert_has(out, "No syntax or stream encoding errors");
		free(out);
	}
}
END_TEST

START_TEST(test_pdf_embeds_dejavu)
{
	char path[512], *out = NULL, *line, *save = NULL;
	const char *argv[] = {"pdffonts", path, NULL};
	size_t emb = 0;
	int fonts = 0;

	render_to(policy_card("it", 10), "fonts.pdf", path, sizeof(path));
	ck_assert_int_eq(run(argv, &out), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "emb sub uni")) {
			emb = (size_t)(strstr(line, "emb") - line);
			continue;
		}
		if (!emb || line[0] == '-')
			continue;
		ck_assert_msg(strstr(line, "DejaVuSans") != NULL, "not DejaVu: %s", line);
		ck_assert_msg(strlen(line) > emb + 3 && strncmp(line + emb, "yes", 3) == 0,
			      "not embedded: %s", line);
		/* uni: a ToUnicode map, so the text extracts. */
		ck_assert_msg(strncmp(line + emb + 8, "yes", 3) == 0, "no ToUnicode: %s", line);
		fonts++;
	}
	ck_assert_int_eq(fonts, 2); /* regular and bold */
	free(out);
}
END_TEST

START_TEST(test_pdf_text_italian)
{
	char path[512], needle[64], *text;
	int pages;

	render_to(policy_card("it", 12), "it.pdf", path, sizeof(path));
	text = text_of(path);
	pages = page_count(path);
	assert_has(text, "1.290.000 €");
	assert_has(text, "520.800 €");
	assert_has(text, "134.893");
	assert_has(text, "2.415");
	assert_has(text, "45,7%");
	assert_has(text, "città");
	assert_has(text, "comunità");
	assert_has(text, "«prova»");
	assert_has(text, "Città bene comune «prova»");
	assert_has(text, "375 associazioni + 300 volontari + 20 attività economiche");
	assert_has(text, "131 cura della comunità + 23 cura della città");
	assert_has(text, "soppresso");
	assert_has(text, "31 dicembre 2018");
	assert_has(text, "● verde");
	assert_has(text, "▲ giallo");
	assert_has(text, "■ rosso");
	assert_has(text, "[63,6% – 79,7%]");
	assert_has(text, "Accordi per indice");
	assert_has(text, "AGR-011");
	assert_has(text, "Note di metodo");
	ck_assert_int_ge(pages, 3);
	snprintf(needle, sizeof(needle), "pagina 1 di %d", pages);
	assert_has(text, needle);
	snprintf(needle, sizeof(needle), "pagina %d di %d", pages, pages);
	assert_has(text, needle);
	free(text);
}
END_TEST

START_TEST(test_pdf_text_english)
{
	char path[512], needle[64], *text;
	int pages;

	render_to(policy_card("en", 12), "en.pdf", path, sizeof(path));
	text = text_of(path);
	pages = page_count(path);
	assert_has(text, "€1,290,000");
	assert_has(text, "45.7%");
	assert_has(text, "134,893");
	assert_has(text, "suppressed");
	assert_has(text, "31 December 2018");
	assert_has(text, "● green");
	assert_has(text, "Agreements ranked by index");
	assert_has(text, "«prova»");
	snprintf(needle, sizeof(needle), "page 1 of %d", pages);
	assert_has(text, needle);
	ck_assert_ptr_null(strstr(text, "pagina"));
	free(text);
}
END_TEST

START_TEST(test_pdf_agreement_sections)
{
	char path[512], *text;

	render_to(agreement_card("it"), "agreement.pdf", path, sizeof(path));
	text = text_of(path);
	assert_has(text, "Santa Croce");
	assert_has(text, "Ospizio");
	assert_has(text, "sottoscritto");
	assert_has(text, "20/06/2018");
	assert_has(text, "Valutazione ex ante");
	assert_has(text, "Fattibilità");
	assert_has(text, "superata");
	assert_has(text, "Progetti e budget");
	assert_has(text, "Orti condivisi della comunità");
	assert_has(text, "1.290.000 €");
	assert_has(text, "Tappe dei progetti");
	assert_has(text, "nei tempi");
	assert_has(text, "raggiunta in ritardo");
	assert_has(text, "scaduta, non raggiunta");
	assert_has(text, "non ancora scaduta");
	assert_has(text, "soppresso");
	/* The long title wraps: its last words are on the page too. */
	assert_has(text, "associazioni del territorio");
	ck_assert_ptr_null(strstr(text, "Accordi per indice"));
	free(text);
	assert_words_inside(path);
}
END_TEST

START_TEST(test_pdf_agreement_sections_english)
{
	char path[512], *text;

	render_to(agreement_card("en"), "agreement-en.pdf", path, sizeof(path));
	text = text_of(path);
	assert_has(text, "EVALUATION SCORECARD · CITIZENSHIP AGREEMENT");
	assert_has(text, "Neighbourhoods: Santa Croce, Ospizio");
	assert_has(text, "status: signed");
	assert_has(text, "Ex-ante evaluation");
	assert_has(text, "Feasibility");
	assert_has(text, "Projects and budget");
	assert_has(text, "allocated €1,290,000");
	assert_has(text, "achieved late");
	assert_has(text, "overdue");
	assert_has(text, "not yet due");
	assert_has(text, "suppressed");
	assert_has(text, "page 1 of");
	free(text);
	assert_words_inside(path);
}
END_TEST

START_TEST(test_pdf_is_deterministic)
{
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct scorecard *sc = agreement_card("it");
	struct timespec pause = {1, 100000000};

	ck_assert_int_eq(rep_pdf_render(sc, &a, &la), 0);
	nanosleep(&pause, NULL); /* a clock-based date would now differ */
	ck_assert_int_eq(rep_pdf_render(sc, &b, &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert(memcmp(a, b, la) == 0);
	/* The creation date is the as-of date. */
	ck_assert_ptr_nonnull(memmem(a, la, "D:20181231000000Z", 17));
	free(a);
	free(b);
	sc_free(sc);
}
END_TEST

/* One renderer for many documents (fonts parsed once) gives each exactly
 * the bytes of a fresh one: a document's font subsets hold its own glyphs
 * only, whatever came before; and every stream is compressed. */
START_TEST(test_pdf_renderer_reuse_same_bytes)
{
	struct scorecard *cards[4] = {agreement_card("it"), policy_card("en", 300),
				      agreement_card("en"), agreement_card("it")};
	struct rep_pdf *r = NULL;
	int i;

	ck_assert_int_eq(rep_pdf_new(&r), 0);
	for (i = 0; i < 4; i++) {
		unsigned char *fresh = NULL, *reused = NULL;
		size_t lf = 0, lr = 0, streams = 0, flate = 0;
		const unsigned char *at;

		ck_assert_int_eq(rep_pdf_render(cards[i], &fresh, &lf), 0);
		ck_assert_int_eq(rep_pdf_draw(r, cards[i], &reused, &lr), 0);
		ck_assert_uint_eq(lf, lr);
		ck_assert(memcmp(fresh, reused, lf) == 0);
		for (at = reused; (at = memmem(at, lr - (size_t)(at - reused), "endstream", 9));
		     at += 9)
			streams++;
		for (at = reused; (at = memmem(at, lr - (size_t)(at - reused), "/FlateDecode", 12));
		     at += 12)
			flate++;
		/* page contents, font files, CID maps and ToUnicode: all deflated */
		ck_assert_uint_ge(streams, 6);
		ck_assert_uint_eq(flate, streams);
		free(fresh);
		free(reused);
	}
	rep_pdf_free(r);
	rep_pdf_free(NULL);
	for (i = 0; i < 4; i++)
		sc_free(cards[i]);
}
END_TEST

/* The code points a font's /W array describes (c [w1 w2 ...] runs), in
 * the uncompressed font dictionaries of a PDF: adds them to seen[]. */
static int w_entries(const unsigned char *pdf, size_t len, unsigned char *seen)
{
	const unsigned char *at = pdf, *end = pdf + len;
	int total = 0;

	while ((at = memmem(at, (size_t)(end - at), "/W [", 4)) != NULL) {
		const char *q = (const char *)at + 4;
		long c = 0;
		int depth = 0;

		for (;;) {
			char *next;
			long v;

			while (*q == ' ' || *q == '\n' || *q == '\r')
				q++;
			if (*q == '[') {
				depth++;
				q++;
				continue;
			}
			if (*q == ']') {
				if (depth-- == 0)
					break;
				q++;
				continue;
			}
			v = strtol(q, &next, 10);
			ck_assert_ptr_ne(next, q);
			q = next;
			if (depth == 0) {
				c = v;
			} else {
				ck_assert(c >= 0 && c < 65536);
				seen[c] = 1;
				c++;
				total++;
			}
		}
		at += 4;
	}
	return total;
}

/* A document's fonts describe the code points it draws, not the whole
 * Basic Multilingual Plane that libharu would list (some 6,000 widths per
 * font): "C" of the heading is there, Cyrillic Zhe (never drawn, yet in
 * DejaVu with a width of its own) is not. */
START_TEST(test_pdf_fonts_describe_drawn_text_only)
{
	struct scorecard *sc = agreement_card("it");
	unsigned char *pdf = NULL, *seen = calloc(65536, 1);
	size_t len = 0;
	int n;

	ck_assert_ptr_nonnull(seen);
	ck_assert_int_eq(rep_pdf_render(sc, &pdf, &len), 0);
	n = w_entries(pdf, len, seen);
	ck_assert_int_gt(n, 20);
	ck_assert_int_lt(n, 400); /* two fonts, each a few dozen to 150 code points */
	ck_assert(seen['C']);
	ck_assert(seen[0x20AC]); /* € of the budgets */
	ck_assert(!seen[0x416]);
	free(seen);
	free(pdf);
	sc_free(sc);
}
END_TEST

START_TEST(test_pdf_metadata)
{
	char path[512], *out = NULL;
	const char *argv[] = {"pdfinfo", "-isodates", path, NULL};

	render_to(policy_card("it", 3), "meta.pdf", path, sizeof(path));
	ck_assert_int_eq(run(argv, &out), 0);
	assert_has(out, "Cruscotto di valutazione — Città bene comune «prova» — 2018-Q4");
	assert_has(out, "Author:          Città bene comune «prova»");
	assert_has(out, "Creator:         cruscotto");
	assert_has(out, "2018-12-31T00:00:00");
	assert_has(out, "Page size:       595.276 x 841.89 pts (A4)");
	free(out);
}
END_TEST

START_TEST(test_pdf_300_agreements_stay_inside_pages)
{
	char path[512], *text;

	render_to(policy_card("it", 300), "many.pdf", path, sizeof(path));
	text = text_of(path);
	assert_has(text, "AGR-001");
	assert_has(text, "AGR-299");
	assert_has(text, "AGR-300");
	assert_has(text, "Accordi per indice (segue)");
	assert_has(text, "non classificato");
	free(text);
	ck_assert_int_ge(page_count(path), 6);
	assert_words_inside(path);
}
END_TEST

START_TEST(test_pdf_all_null_scorecard)
{
	struct scorecard *sc = NULL;
	char path[512], *text;

	/* Nothing computed at all: no value, score, trend, rank or note. */
	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	sc->policy_code = xstrdup("QUA");
	sc->policy_name = xstrdup("Politica vuota");
	sc->locale = xstrdup("it");
	snprintf(sc->period, sizeof(sc->period), "2019-Q1");
	snprintf(sc->period_start, sizeof(sc->period_start), "2019-01-01");
	snprintf(sc->period_end, sizeof(sc->period_end), "2019-03-31");
	render_to(sc, "empty.pdf", path, sizeof(path));
	text = text_of(path);
	assert_has(text, "Nessun accordo nel periodo.");
	assert_has(text, "Nessun trimestre da mostrare.");
	assert_has(text, "1º gennaio 2019");
	free(text);
}
END_TEST

START_TEST(test_pdf_hostile_text_stays_inside)
{
	struct scorecard *sc = agreement_card("it");
	char path[512], word[700], *text, *out = NULL;
	const char *argv[] = {"qpdf", "--check", path, NULL};

	/* A 600-letter word, invalid UTF-8, an emoji, control characters. */
	memset(word, 'x', 600);
	word[600] = '\0';
	free(sc->agreement_title);
	sc->agreement_title = xstrdup(word);
	free(sc->neighbourhoods[0].name);
	sc->neighbourhoods[0].name =
		xstrdup("Santa Croce \xff\xfe\tEsterna \xf0\x9f\x8c\xb3 \x01fine");
	free(sc->projects[1].title);
	sc->projects[1].title = xstrdup(word);
	free(sc->policy_name);
	sc->policy_name = xstrdup(word);
	/* Non-finite numbers flagged as set must not reach the drawing. */
	sc->index = num(NAN);
	sc->dims[0].score = num(INFINITY);
	sc->dims[1].score = num(NAN);
	sc->projects[0].allocated = NAN;
	sc->projects[2].committed = INFINITY;
	sc->ex_ante[1] = num(NAN);
	sc->trend[4].index = num(NAN);
	sc->trend[5].values[0] = num(INFINITY);
	render_to(sc, "hostile.pdf", path, sizeof(path));
	ck_assert_int_eq(run(argv, &out), 0);
	free(out);
	text = text_of(path);
	assert_has(text, "Santa Croce");
	assert_has(text, "\xef\xbf\xbd"); /* U+FFFD for what cannot be set */
	free(text);
	assert_words_inside(path);
}
END_TEST

START_TEST(test_pdf_bad_date_fails_cleanly)
{
	struct scorecard *sc = policy_card("it", 2);
	unsigned char sentinel, *pdf = &sentinel;
	size_t len = 12345;

	snprintf(sc->period_end, sizeof(sc->period_end), "2018-02-30");
	ck_assert_int_eq(rep_pdf_render(sc, &pdf, &len), ERR_FAIL);
	ck_assert_ptr_eq(pdf, &sentinel); /* out-parameters untouched */
	ck_assert_uint_eq(len, 12345);
	ck_assert_str_ne(err_last(), "");
	sc_free(sc);
}
END_TEST

Suite *pdf_suite(void)
{
	Suite *s = suite_create("pdf");
	TCase *tc = tcase_create("render");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_pdf_passes_qpdf_check);
	tcase_add_test(tc, test_pdf_embeds_dejavu);
	tcase_add_test(tc, test_pdf_text_italian);
	tcase_add_test(tc, test_pdf_text_english);
	tcase_add_test(tc, test_pdf_agreement_sections);
	tcase_add_test(tc, test_pdf_agreement_sections_english);
	tcase_add_test(tc, test_pdf_is_deterministic);
	tcase_add_test(tc, test_pdf_renderer_reuse_same_bytes);
	tcase_add_test(tc, test_pdf_fonts_describe_drawn_text_only);
	tcase_add_test(tc, test_pdf_metadata);
	tcase_add_test(tc, test_pdf_300_agreements_stay_inside_pages);
	tcase_add_test(tc, test_pdf_all_null_scorecard);
	tcase_add_test(tc, test_pdf_hostile_text_stays_inside);
	tcase_add_test(tc, test_pdf_bad_date_fails_cleanly);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(pdf_suite)
