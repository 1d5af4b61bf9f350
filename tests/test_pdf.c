/* pdf: scorecards built by hand, rendered, and checked with the Debian PDF
 * tools (qpdf, pdffonts, pdftotext, pdfinfo from poppler-utils), run with
 * posix_spawnp in a temporary folder that is removed afterwards.
 *
 * CR_PDF_KEEP=DIR also writes every rendered PDF to DIR, to look at them. */
#include "check_main.h"

#include "cards.h"
#include "err.h"
#include "pdf.h"
#include "pdf_draw.h"
#include "pdf_fonts.h"
#include "scorecard.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>

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

/* The text of page `page` only, white space as in text_of; with layout
 * as pdftotext -layout sets it. */
static char *page_text_mode(const char *path, int page, int layout)
{
	char num[16], *out = NULL, *r, *w;
	const char *argv[] = {"pdftotext", "-enc", "UTF-8", "-f", num, "-l",
			      num,	   path,   "-",	    NULL, NULL};

	snprintf(num, sizeof(num), "%d", page);
	if (layout) { /* table rows read across, one line each */
		memmove(argv + 2, argv + 1, 9 * sizeof(*argv));
		argv[1] = "-layout";
	}
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

static char *page_text(const char *path, int page)
{
	return page_text_mode(path, page, 0);
}

/* The text of page `page` laid out as on the page: a table row or a row
 * of tiles is one line (white space collapsed). */
static char *page_layout(const char *path, int page)
{
	return page_text_mode(path, page, 1);
}

/* The first page (1-based) whose text holds needle, or the last one when
 * last is set; 0 when none does. */
static int find_page(const char *path, const char *needle, int last)
{
	int k, n = page_count(path);

	for (k = 0; k < n; k++) {
		int i = last ? n - k : k + 1;
		char *t = page_text(path, i);
		int found = strstr(t, needle) != NULL;

		free(t);
		if (found)
			return i;
	}
	return 0;
}

static int page_with(const char *path, const char *needle)
{
	return find_page(path, needle, 0);
}

static int last_page_with(const char *path, const char *needle)
{
	return find_page(path, needle, 1);
}

/* The smallest yMin (points from the top) of the word `word` on page
 * `page`, or -1 when it is not there. */
static double word_top(const char *path, int page, const char *word)
{
	char num[16], *out = NULL, *p, pat[128];
	const char *argv[] = {"pdftotext", "-bbox", "-f", num, "-l", num, path, "-", NULL};
	double best = -1;

	snprintf(num, sizeof(num), "%d", page);
	snprintf(pat, sizeof(pat), ">%s</word>", word);
	ck_assert_int_eq(run(argv, &out), 0);
	for (p = strstr(out, pat); p; p = strstr(p + 1, pat)) {
		char *w = p;
		double x0, y0;

		while (w > out && strncmp(w, "<word ", 6) != 0)
			w--;
		ck_assert_int_eq(sscanf(w, "<word xMin=\"%lf\" yMin=\"%lf\"", &x0, &y0), 2);
		if (best < 0 || y0 < best)
			best = y0;
	}
	free(out);
	return best;
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

		render_to(i ? card_agreement("it") : card_policy("it", 25), kinds[i], path,
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

	render_to(card_policy("it", 10), "fonts.pdf", path, sizeof(path));
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

	render_to(card_policy("it", 12), "it.pdf", path, sizeof(path));
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

	render_to(card_policy("en", 12), "en.pdf", path, sizeof(path));
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

	render_to(card_agreement("it"), "agreement.pdf", path, sizeof(path));
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

	render_to(card_agreement("en"), "agreement-en.pdf", path, sizeof(path));
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

START_TEST(test_pdf_secondary_like_primary)
{
	/* eft.satisfaction is primary (fill_common: n 3, previous 4.1, target 4).
	 * eft.agreement_quality is made secondary with the same n, previous and
	 * target, while the model still holds its value 3.92 and interval: its
	 * row must read exactly as the primary one, and nothing of the value
	 * leak. */
	struct scorecard *sc = card_agreement("en");
	struct sc_indicator *x = sc_get(sc, "eft.agreement_quality");
	static const char aq[] = "Agreement quality (survey)",
			  sat[] = "Satisfaction with the projects",
			  share[] = "Share of satisfied respondents";
	char path[512], *text, *a, *b, *e;

	x->suppressed = 1;
	x->suppression = SUP_SECONDARY;
	x->n = card_num(3);
	x->previous = card_num(4.1);
	x->target = card_num(4);
	render_to(sc, "secondary.pdf", path, sizeof(path));
	text = text_of(path);
	/* the table rows, where the two labels follow each other (the labels
	 * appear elsewhere too, e.g. in the trend tiles) */
	for (a = strstr(text, aq); a; a = strstr(a + 1, aq)) {
		b = strstr(a, sat);
		if (b && b - a < 200)
			break;
	}
	ck_assert_msg(a != NULL, "the rows are not next to each other");
	e = strstr(b, share);
	ck_assert(e != NULL);
	a += strlen(aq);
	b += strlen(sat);
	/* the secondary row's cells are the text between its label and the next */
	ck_assert_int_eq((int)(b - strlen(sat) - a), (int)(e - b));
	ck_assert_msg(strncmp(a, b, (size_t)(e - b)) == 0, "secondary %.*s, primary %.*s",
		      (int)(e - b), a, (int)(e - b), b);
	ck_assert_ptr_null(strstr(text, "3.92"));
	ck_assert_ptr_null(strstr(text, "3.78"));
	free(text);
}
END_TEST

START_TEST(test_pdf_is_deterministic)
{
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct scorecard *sc = card_agreement("it");
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
	struct scorecard *cards[4] = {card_agreement("it"), card_policy("en", 300),
				      card_agreement("en"), card_agreement("it")};
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
	struct scorecard *sc = card_agreement("it");
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

/* The glyph index each font's CIDToGIDMap gives code point cp (the codes
 * are the text's code points), at most 0 per font: in qdf, the document as
 * qpdf --qdf writes it, streams uncompressed. 0 is .notdef, the empty box
 * of a missing glyph: with the code point drawn, a font lacks it. */
static int glyph_of(const char *qdf, size_t len, unsigned cp)
{
	const char *at = qdf, *end = qdf + len;
	int best = 0;

	while ((at = memmem(at, (size_t)(end - at), "/CIDToGIDMap ", 13)) != NULL) {
		char head[32];
		const char *obj, *data, *stop;
		long num = strtol(at + 13, NULL, 10);

		at += 13;
		ck_assert_int_gt(num, 0);
		snprintf(head, sizeof(head), "\n%ld 0 obj\n", num);
		obj = memmem(qdf, len, head, strlen(head));
		ck_assert_ptr_nonnull(obj);
		data = memmem(obj, (size_t)(end - obj), "stream\n", 7);
		ck_assert_ptr_nonnull(data);
		data += 7;
		stop = memmem(data, (size_t)(end - data), "endstream", 9);
		ck_assert_ptr_nonnull(stop);
		/* the map may end after the last code point drawn */
		if ((size_t)(stop - data) >= 2 * (size_t)cp + 2) {
			int gid = ((unsigned char)data[2 * cp] << 8) |
				  (unsigned char)data[2 * cp + 1];

			if (gid > best)
				best = gid;
		}
	}
	return best;
}

/* The fonts embedded (DejaVu Sans cut down to the scripts a scorecard may
 * need: reports/pdf_fonts.py) still draw every letter of a title written in
 * Greek, Cyrillic and accented Latin, with €, « », arrows and dashes, and
 * Armenian, Georgian and Hebrew words: each code point of it has a glyph,
 * and the text extracts as written (that the check can fail:
 * test_pdf_missing_glyph_is_notdef). */
START_TEST(test_pdf_scripts_have_glyphs)
{
	static const char title[] =
		"Ελληνικά ΑΒΓΔ άέήίόύώ · Кириллица ЖЩЫЭЮЯ ёїєґ · Łódź Ąčęėįšųūž Ğş Őű ŒÆß "
		"Ñç ĳ · € £ «prova» “sì” ‘no’ → ← ↑ ↓ – — … ± × − ≤ ≥ ● ▲ ■ ﬁ · Բարեւ "
		"გამარჯობა שלום";
	struct scorecard *sc = card_agreement("it");
	char path[512], qdf[600], *out = NULL, *text;
	const char *argv[] = {"qpdf", "--qdf", "--object-streams=disable", path, qdf, NULL};
	const unsigned char *u = (const unsigned char *)title;
	FILE *f;
	long len;
	char *buf;
	int checked = 0;

	free(sc->agreement_title);
	sc->agreement_title = card_strdup(title);
	render_to(sc, "scripts.pdf", path, sizeof(path));
	snprintf(qdf, sizeof(qdf), "%s/scripts.qdf", tmpdir);
	ck_assert_msg(run(argv, &out) == 0, "qpdf --qdf: %s", out);
	free(out);
	f = fopen(qdf, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_gt(len, 0);
	rewind(f);
	buf = malloc((size_t)len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	while (*u) {
		unsigned cp;

		if (u[0] < 0x80) {
			cp = u[0];
			u += 1;
		} else if ((u[0] & 0xE0) == 0xC0) {
			cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
			u += 2;
		} else {
			cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
			u += 3;
		}
		if (cp == ' ')
			continue;
		ck_assert_msg(glyph_of(buf, (size_t)len, cp) > 0, "no glyph for U+%04X", cp);
		checked++;
	}
	ck_assert_int_eq(checked, 116); /* the title: 156 characters, 40 spaces */
	free(buf);
	/* the title wraps at spaces: its words extract as written */
	text = text_of(path);
	assert_has(text, "Ελληνικά ΑΒΓΔ άέήίόύώ");
	assert_has(text, "Кириллица ЖЩЫЭЮЯ ёїєґ");
	assert_has(text, "Łódź Ąčęėįšųūž Ğş Őű ŒÆß");
	assert_has(text, "€ £ «prova» “sì” ‘no’ → ← ↑ ↓ – — … ± × − ≤ ≥ ● ▲ ■");
	free(text);
}
END_TEST

/* A title with a character that DejaVu Sans lacks (中): the PDF is still
 * made, and that code point's glyph is .notdef. */
START_TEST(test_pdf_missing_glyph_is_notdef)
{
	struct scorecard *sc = card_agreement("it");
	char path[512], qdf[600], *out = NULL;
	const char *argv[] = {"qpdf", "--qdf", "--object-streams=disable", path, qdf, NULL};
	FILE *f;
	long len;
	char *buf;

	free(sc->agreement_title);
	sc->agreement_title = card_strdup("Accordo 中 Ω");
	render_to(sc, "notdef.pdf", path, sizeof(path));
	snprintf(qdf, sizeof(qdf), "%s/notdef.qdf", tmpdir);
	ck_assert_msg(run(argv, &out) == 0, "qpdf --qdf: %s", out);
	free(out);
	f = fopen(qdf, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	ck_assert_int_gt(glyph_of(buf, (size_t)len, 0x3A9), 0);	 /* Ω drawn, there */
	ck_assert_int_eq(glyph_of(buf, (size_t)len, 0x4E2D), 0); /* 中 drawn, missing */
	free(buf);
}
END_TEST

/* pd_width, from the width tables built with the fonts (pdf_fonts.h),
 * measures every code point of the BMP as libharu does itself
 * (HPDF_Font_TextWidth, in 1/1000 em at size 1000: the same number), in
 * both faces, loaded here as the writer loads them; a mismatch would move
 * wrapped and right-aligned text. */
START_TEST(test_pdf_widths_as_libharu)
{
	static const struct {
		const unsigned char *bytes;
		const unsigned long *len;
	} faces[2] = {{pdf_font_regular, &pdf_font_regular_len},
		      {pdf_font_bold, &pdf_font_bold_len}};
	HPDF_Doc doc = HPDF_New(NULL, NULL);
	int i, differ = 0, first = -1;
	unsigned cp;

	ck_assert_ptr_nonnull(doc);
	ck_assert_int_eq(HPDF_UseUTFEncodings(doc), HPDF_OK);
	ck_assert_int_eq(HPDF_SetCurrentEncoder(doc, "UTF-8"), HPDF_OK);
	for (i = 0; i < 2; i++) {
		HPDF_Stream st = HPDF_MemStream_New(doc->mmgr, 0x10000);
		HPDF_FontDef def;
		HPDF_Font f;

		ck_assert_ptr_nonnull(st);
		ck_assert_int_eq(HPDF_Stream_Write(st, faces[i].bytes, (HPDF_UINT)*faces[i].len),
				 HPDF_OK);
		def = HPDF_TTFontDef_Load(doc->mmgr, st, HPDF_TRUE);
		ck_assert_ptr_nonnull(def);
		ck_assert_int_eq(HPDF_Doc_RegisterFontDef(doc, def), HPDF_OK);
		f = HPDF_GetFont(doc, def->base_font, "UTF-8");
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(strncmp(HPDF_Font_GetFontName(f), "DejaVuSans-Bold", 15) == 0, i);
		for (cp = 1; cp < 0x10000; cp++) {
			char s[4];
			size_t n;
			HPDF_TextWidth tw;

			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			if (cp < 0x80) {
				s[0] = (char)cp;
				n = 1;
			} else if (cp < 0x800) {
				s[0] = (char)(0xC0 | (cp >> 6));
				s[1] = (char)(0x80 | (cp & 0x3F));
				n = 2;
			} else {
				s[0] = (char)(0xE0 | (cp >> 12));
				s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
				s[2] = (char)(0x80 | (cp & 0x3F));
				n = 3;
			}
			tw = HPDF_Font_TextWidth(f, (const HPDF_BYTE *)s, (HPDF_UINT)n);
			if (pd_width(f, 1000.0f, s, n) != (float)tw.width) {
				differ++;
				if (first < 0)
					first = (int)cp;
			}
		}
	}
	HPDF_Free(doc);
	ck_assert_msg(differ == 0, "%d widths differ, the first U+%04X", differ, first);
}
END_TEST

START_TEST(test_pdf_metadata)
{
	char path[512], *out = NULL;
	const char *argv[] = {"pdfinfo", "-isodates", path, NULL};

	render_to(card_policy("it", 3), "meta.pdf", path, sizeof(path));
	ck_assert_int_eq(run(argv, &out), 0);
	assert_has(out, "Cruscotto di valutazione — Città bene comune «prova» — 2018-Q4");
	assert_has(out, "Author:          Città bene comune «prova»");
	assert_has(out, "Creator:         cruscotto");
	assert_has(out, "2018-12-31T00:00:00");
	assert_has(out, "Page size:       595.276 x 841.89 pts (A4)");
	free(out);
}
END_TEST

/* The text of a ranking of n agreements cut to its ends (card_policy:
 * AGR-<k> at rank k): AGR-001 to AGR-050, then AGR-<n-49> to AGR-<n>. */
static void assert_ranking_ends(const char *text, int n)
{
	char code[32];

	assert_has(text, "AGR-001");
	assert_has(text, "AGR-050");
	ck_assert_ptr_null(strstr(text, "AGR-051"));
	snprintf(code, sizeof(code), "AGR-%03d", n - 50);
	ck_assert_ptr_null(strstr(text, code));
	snprintf(code, sizeof(code), "AGR-%03d", n - 49);
	assert_has(text, code);
	snprintf(code, sizeof(code), "AGR-%03d", n);
	assert_has(text, code);
}

/* 300 agreements: ranks 1-50, one line for the 200 between, ranks
 * 251-299 and the unranked last one (AGR-300 has no rank). */
START_TEST(test_pdf_long_ranking_prints_its_ends)
{
	char path[512], *text;

	render_to(card_policy("it", 300), "many.pdf", path, sizeof(path));
	text = text_of(path);
	assert_ranking_ends(text, 300);
	/* 300 - 50 - 50 = 200 left out, ranks 51 to 250 */
	assert_has(text, "altri 200 accordi, dalla posizione 51 alla 250");
	assert_has(text, "la graduatoria intera è nel cruscotto JSON e nelle pagine HTML");
	assert_has(text, "Accordi per indice (segue)");
	assert_has(text, "non classificato");
	free(text);
	/* 100 rows of one or two lines: about four pages, not the thirteen
	 * that 300 would take */
	ck_assert_int_le(page_count(path), 8);
	assert_words_inside(path);
}
END_TEST

/* 120 agreements print whole; 121 leave out the 21 ranked 51 to 71. */
START_TEST(test_pdf_ranking_whole_up_to_120)
{
	char path[512], *text;

	render_to(card_policy("it", 120), "whole.pdf", path, sizeof(path));
	text = text_of(path);
	assert_has(text, "AGR-051");
	assert_has(text, "AGR-070");
	assert_has(text, "AGR-120");
	ck_assert_ptr_null(strstr(text, "altri"));
	free(text);
	render_to(card_policy("en", 121), "cut.pdf", path, sizeof(path));
	text = text_of(path);
	assert_ranking_ends(text, 121);
	/* 121 - 50 - 50 = 21, ranks 51 to 71 */
	assert_has(text, "21 more agreements, ranks 51 to 71");
	assert_has(text, "the whole ranking is in the JSON scorecard and the HTML pages");
	free(text);
	assert_words_inside(path);
}
END_TEST

START_TEST(test_pdf_all_null_scorecard)
{
	struct scorecard *sc = NULL;
	char path[512], *text;

	/* Nothing computed at all: no value, score, trend, rank or note. */
	ck_assert_int_eq(sc_new(CAT_POLICY, &sc), 0);
	sc->policy_code = card_strdup("QUA");
	sc->policy_name = card_strdup("Politica vuota");
	sc->locale = card_strdup("it");
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
	struct scorecard *sc = card_agreement("it");
	char path[512], word[700], *text, *out = NULL;
	const char *argv[] = {"qpdf", "--check", path, NULL};

	/* A 600-letter word, invalid UTF-8, an emoji, control characters. */
	memset(word, 'x', 600);
	word[600] = '\0';
	free(sc->agreement_title);
	sc->agreement_title = card_strdup(word);
	free(sc->neighbourhoods[0].name);
	sc->neighbourhoods[0].name =
		card_strdup("Santa Croce \xff\xfe\tEsterna \xf0\x9f\x8c\xb3 \x01fine");
	free(sc->projects[1].title);
	sc->projects[1].title = card_strdup(word);
	free(sc->policy_name);
	sc->policy_name = card_strdup(word);
	/* Non-finite numbers flagged as set must not reach the drawing. */
	sc->index = card_num(NAN);
	sc->dims[0].score = card_num(INFINITY);
	sc->dims[1].score = card_num(NAN);
	sc->projects[0].allocated = NAN;
	sc->projects[2].committed = INFINITY;
	sc->ex_ante[1] = card_num(NAN);
	sc->trend[4].index = card_num(NAN);
	sc->trend[5].values[0] = card_num(INFINITY);
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
	struct scorecard *sc = card_policy("it", 2);
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

/* --- territory level and qualitative evidence ----------------------------------------------- */

/* qpdf finds no error, and every font is DejaVu Sans, embedded, with a
 * ToUnicode map (as test_pdf_embeds_dejavu). */
static void assert_sound(const char *path)
{
	const char *check[] = {"qpdf", "--check", path, NULL};
	const char *fonts[] = {"pdffonts", path, NULL};
	char *out = NULL, *line, *save = NULL;
	size_t emb = 0;
	int n = 0;

	ck_assert_msg(run(check, &out) == 0, "qpdf --check %s:\n%s", path, out);
	free(out);
	ck_assert_int_eq(run(fonts, &out), 0);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "emb sub uni")) {
			emb = (size_t)(strstr(line, "emb") - line);
			continue;
		}
		if (!emb || line[0] == '-')
			continue;
		ck_assert_msg(strstr(line, "DejaVuSans") != NULL, "not DejaVu: %s", line);
		ck_assert_msg(strncmp(line + emb, "yes", 3) == 0, "not embedded: %s", line);
		ck_assert_msg(strncmp(line + emb + 8, "yes", 3) == 0, "no ToUnicode: %s", line);
		n++;
	}
	ck_assert_int_eq(n, 2);
	free(out);
}

/* Identical data, identical bytes, from a fresh renderer and a reused one. */
static void assert_same_bytes(struct scorecard *sc)
{
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	size_t la = 0, lb = 0, lc = 0;
	struct rep_pdf *r = NULL;

	ck_assert_int_eq(rep_pdf_render(sc, &a, &la), 0);
	ck_assert_int_eq(rep_pdf_render(sc, &b, &lb), 0);
	ck_assert_int_eq(rep_pdf_new(&r), 0);
	ck_assert_int_eq(rep_pdf_draw(r, sc, &c, &lc), 0); /* a first document */
	free(c);
	ck_assert_int_eq(rep_pdf_draw(r, sc, &c, &lc), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_uint_eq(la, lc);
	ck_assert(memcmp(a, b, la) == 0);
	ck_assert(memcmp(a, c, la) == 0);
	rep_pdf_free(r);
	free(a);
	free(b);
	free(c);
}

START_TEST(test_pdf_neighbourhood_italian)
{
	struct scorecard *sc = card_neighbourhood("it", 0);
	char path[512], *text;

	assert_same_bytes(sc);
	render_to(sc, "neighbourhood.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "CRUSCOTTO DI VALUTAZIONE · QUARTIERE");
	assert_has(text, "Città bene comune «prova»");
	assert_has(text, "Santa Croce");
	assert_has(text, "Quartiere SC · 9.876 abitanti");
	assert_has(text, "Accordi che coprono il quartiere (3): AGR-001 Orti condivisi di Santa "
			 "Croce · AGR-002 Portierato sociale — Amici del parco · AGR-007");
	/* the survey results, n and interval (cards.c: n 210, [-0.31, 0.07];
	 * relationship n 64, [0.12, 0.58]) */
	assert_has(text, "Qualità della vita e relazioni");
	assert_has(text, "n 210 · intervallo al 95% [-0,31 – 0,07]");
	assert_has(text, "n 64 · intervallo al 95% [0,12 – 0,58]");
	assert_has(text, "precedente +0,05 · variazione -0,17 · obiettivo +0,20");
	assert_has(text, "Punteggi delle dimensioni e indice");
	assert_has(text, "Andamento negli ultimi trimestri");
	assert_has(text, "soppresso");
	/* the covering agreements' table lists the long title whole */
	assert_has(text, "in corso alla fine del trimestre");
	assert_has(text, "associazioni del territorio");
	ck_assert_ptr_null(strstr(text, "Accordi per indice"));
	ck_assert_ptr_null(strstr(text, "Territori"));
	/* the evidence: kind, date, participants, reference, title, summary
	 * with its newlines as line breaks and its tab as a space; the total
	 * is n_evidence + 4 = 7 */
	assert_has(text, "Evidenze qualitative del trimestre 7 registrate fino al 31/12/2018");
	assert_has(text, "Focus group · 12/12/2018 · 12 partecipanti · EV-014 · quartiere Santa "
			 "Croce");
	assert_has(text, "Intervista · 20/11/2018 · partecipanti: — · EV-011 · accordo AGR-002");
	assert_has(text, "Osservazione · 05/10/2018 · 40 partecipanti");
	assert_has(text, "Dodici residenti, tre associazioni. La piazza «di sotto» è più viva la "
			 "sera. L’orto costa 1.200 € l’anno; la città è più curata.");
	assert_has(text, "Le sintesi delle evidenze qualitative");
	assert_has(text, "sono pubblicate come sono state scritte");
	free(text);
	/* the tiles: the covering agreements signed first (cards.c: 3) */
	text = page_layout(path, 1);
	assert_has(text, "3 2.415 9.876");
	free(text);
}
END_TEST

START_TEST(test_pdf_neighbourhood_english)
{
	struct scorecard *sc = card_neighbourhood("en", 0);
	char path[512], *text;

	assert_same_bytes(sc);
	render_to(sc, "neighbourhood-en.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "EVALUATION SCORECARD · NEIGHBOURHOOD");
	assert_has(text, "Neighbourhood SC · 9,876 inhabitants");
	assert_has(text, "Covering agreements (3): AGR-001");
	assert_has(text, "Quality of life and relationships");
	assert_has(text, "n 210 · 95% interval [-0.31 – 0.07]");
	assert_has(text, "Agreements covering the neighbourhood");
	assert_has(text, "Qualitative evidence of the quarter 7 recorded up to 31/12/2018");
	assert_has(text, "Interview · 20/11/2018 · participants: — · EV-011 · agreement AGR-002");
	assert_has(text, "Observation · 05/10/2018 · 40 participants");
	assert_has(text, "are published as written");
	assert_has(text, "Neighbourhood Santa Croce — Città bene comune «prova»");
	ck_assert_ptr_null(strstr(text, "pagina"));
	free(text);
}
END_TEST

/* The Territori page of a policy scorecard, in each locale: after the
 * ranking, the bars highest first, the policy's rate as the key says, a
 * null rate as "—", and the table of every neighbourhood. */
static void territori_page(const char *locale)
{
	/* cards.c rates: Sabbione 61.8, Foro 44.2, Borgo 31.0, Pieve 27.3,
	 * Ospizio 22.6, Esterna 17.9, Tribunale 14.0, Aurora 12.4, Rosta
	 * 9.95, Centro 8.7, Gaiano 5.1, Villaggio 3.3, Quaresimo 0, and
	 * Darsena null, last. */
	static const char *const order[CARD_TERRITORIES] = {
		"Sabbione", "Foro",  "Borgo",  "Pieve",	 "Ospizio",   "Esterna",   "Tribunale",
		"Aurora",   "Rosta", "Centro", "Gaiano", "Villaggio", "Quaresimo", "Darsena"};
	int en = strcmp(locale, "en") == 0, page, i;
	struct scorecard *sc = card_policy(locale, 12);
	char path[512], name[64], *text;
	double prev = -1;

	card_add_territories(sc);
	card_add_evidence(sc, 0);
	assert_same_bytes(sc);
	snprintf(name, sizeof(name), "territori-%s.pdf", locale);
	render_to(sc, name, path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	page = page_with(path, en ? "Participants per 1,000 inhabitants, highest first"
				  : "Partecipanti ogni 1.000 abitanti, dal quartiere più alto");
	ck_assert_int_gt(page, 0);
	ck_assert_int_gt(page,
			 page_with(path, en ? "Agreements ranked by index" : "Accordi per indice"));
	text = page_text(path, page);
	assert_has(text, en ? "Territories 14 neighbourhoods covered on 31/12/2018"
			    : "Territori 14 quartieri coperti dagli accordi al 31/12/2018");
	/* fill_common: out.participation_rate 17.9 */
	assert_has(text, en ? "policy as a whole: 17.9" : "politica nel suo insieme: 17,9");
	assert_has(text, en ? "Sabbione 61.8" : "Sabbione 61,8");
	assert_has(text, "Darsena —");
	free(text);
	/* Q07 Gaiano: 5,000 + 731 × 6 = 9,386 inhabitants, 1 + 6 % 4 = 3
	 * agreements, rate 5.1 so 47.9 rounded to 48 participants, quality of
	 * life withheld (null), index 50 + 3 × 6 = 68 */
	text = page_layout(path, page);
	assert_has(text, en ? "Gaiano 9,386 3 48 5.1 — 68.0" : "Gaiano 9.386 3 48 5,1 — 68,0");
	free(text);
	/* the bars from the top of the page down, in the order of their rates */
	for (i = 0; i < CARD_TERRITORIES; i++) {
		double y = word_top(path, page, order[i]);

		ck_assert_msg(y > prev, "%s (%.1f) is not below the bar before it (%.1f)", order[i],
			      y, prev);
		prev = y;
	}
}

START_TEST(test_pdf_territori_page_italian)
{
	territori_page("it");
}
END_TEST

START_TEST(test_pdf_territori_page_english)
{
	territori_page("en");
}
END_TEST

/* Without territories (the cards above) the policy scorecard has no
 * Territori page, and without evidence no evidence section nor its note. */
START_TEST(test_pdf_no_territory_no_evidence)
{
	char path[512], *text;

	render_to(card_policy("it", 5), "plain.pdf", path, sizeof(path));
	text = text_of(path);
	ck_assert_ptr_null(strstr(text, "Territori"));
	ck_assert_ptr_null(strstr(text, "Evidenze qualitative"));
	ck_assert_ptr_null(strstr(text, "come sono state scritte"));
	free(text);
}
END_TEST

/* Evidence recorded before the period but none within it: the section
 * gives the total and says so. */
START_TEST(test_pdf_evidence_none_in_period)
{
	struct scorecard *sc = card_policy("en", 3);
	char path[512], *text;

	sc->evidence_total = 1;
	render_to(sc, "evidence-none.pdf", path, sizeof(path));
	text = page_layout(path, page_with(path, "No evidence recorded in the quarter."));
	assert_has(text, "Qualitative evidence of the quarter 1 recorded up to 31/12/2018");
	assert_has(text, "No evidence recorded in the quarter.");
	free(text);
}
END_TEST

/* A summary of 138 lines (card_long_summary: 3,863 characters, one line
 * each) flows across pages. A continued page holds 69 lines: its content
 * runs from CONT_TOP = 841.89 - 64 = 777.89 pt, less the 12 pt "(segue)"
 * line, down to BOTTOM = 62 pt, at 10.2 pt a line: 703.89 / 10.2 = 69.0.
 * The first page holds between 3 (the lines kept with the title) and 65
 * (the section starting at the top of a page: (777.89 - 25 heading - 11
 * facts - 11.5 title - 2 - 62) / 10.2 = 65.1), leaving 73 to 135 lines:
 * always two more pages. So the summary spans exactly three pages whatever
 * comes before it, and the document has two pages more than the same card
 * whose long summary is one line. */
START_TEST(test_pdf_long_evidence_crosses_pages)
{
	const char *locales[2] = {"it", "en"};
	int l;

	for (l = 0; l < 2; l++) {
		struct scorecard *sc = card_neighbourhood(locales[l], 1);
		struct scorecard *one = card_neighbourhood(locales[l], 1);
		char path[512], path1[512], name[64], *text;
		int first, last;

		free(one->evidence[2].summary);
		one->evidence[2].summary = card_strdup("001\tcittà «viva» 5 € l’orto");
		assert_same_bytes(sc);
		snprintf(name, sizeof(name), "evidence-long-%s.pdf", locales[l]);
		render_to(sc, name, path, sizeof(path));
		snprintf(name, sizeof(name), "evidence-one-%s.pdf", locales[l]);
		render_to(one, name, path1, sizeof(path1));
		assert_sound(path);
		assert_words_inside(path);
		first = page_with(path, "001 città «viva» 5 € l’orto");
		last = page_with(path, "138 città «viva» 5 € l’orto");
		ck_assert_int_gt(first, 0);
		ck_assert_int_eq(last, first + 2);
		text = page_text(path, first + 1);
		assert_has(text, l ? "Trascrizione del focus group al centro civico (continued)"
				   : "Trascrizione del focus group al centro civico (segue)");
		free(text);
		text = text_of(path);
		/* every line is there, its tab a space */
		assert_has(text, "069 città «viva» 5 € l’orto 070 città «viva» 5 € l’orto");
		assert_has(text, "137 città «viva» 5 € l’orto 138 città «viva» 5 € l’orto");
		/* the prose summary of 3,900 characters ends whole */
		assert_has(
			text,
			l ? "porta 300 € di spesa in più alle botteghe della città. Notes on method"
			  : "porta 300 € di spesa in più alle botteghe della città. Note di "
			    "metodo");
		free(text);
		ck_assert_int_eq(page_count(path), page_count(path1) + 2);
	}
}
END_TEST

/* Hostile territory and evidence text stays inside the page: a summary of
 * 4,000 letters without a space, invalid UTF-8, an emoji and control
 * characters; a 600-letter title and neighbourhood name; an unknown kind;
 * 60 covering agreements (the header cuts them with "…", the table lists
 * them all); and a territory with a name of 600 letters. */
START_TEST(test_pdf_hostile_territory_text_stays_inside)
{
	struct scorecard *sc = card_neighbourhood("it", 1);
	struct scorecard *pol = card_policy("en", 3);
	char path[512], word[4001], *text;
	int i;

	memset(word, 'x', 4000);
	word[4000] = '\0';
	free(sc->evidence[0].summary);
	sc->evidence[0].summary = card_strdup(word);
	free(sc->evidence[1].summary);
	sc->evidence[1].summary =
		card_strdup("\n\n\xff\xfe inizio\x01\x7f \xf0\x9f\x8c\xb3\r\n\t\t\tfine\n\n\n");
	free(sc->evidence[1].kind);
	sc->evidence[1].kind = card_strdup("survey");
	word[600] = '\0';
	free(sc->evidence[3].title);
	sc->evidence[3].title = card_strdup(word);
	free(sc->neighbourhood.name);
	sc->neighbourhood.name = card_strdup(word);
	for (i = 0; i < sc->n_covering; i++) {
		free(sc->covering[i].code);
		free(sc->covering[i].title);
	}
	free(sc->covering);
	sc->n_covering = 60;
	sc->covering = calloc(60, sizeof(*sc->covering));
	ck_assert_ptr_nonnull(sc->covering);
	for (i = 0; i < 60; i++) {
		char code[16];

		snprintf(code, sizeof(code), "AGR-%03d", i + 1);
		sc->covering[i].code = card_strdup(code);
		sc->covering[i].title =
			card_strdup(i % 9 == 4 ? card_long_title : "Orti condivisi");
	}
	render_to(sc, "hostile-nb.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "AGR-060 Orti condivisi");
	assert_has(text, "survey · 20/11/2018");
	assert_has(text, "inizio");
	assert_has(text, "fine");
	assert_has(text, "\xef\xbf\xbd"); /* U+FFFD for what cannot be set */
	free(text);

	card_add_territories(pol);
	free(pol->territories[3].name);
	pol->territories[3].name = card_strdup(word);
	render_to(pol, "hostile-territori.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
}
END_TEST

/* A policy of n quartieri, N001 to N<n>, of rate 0.5 × k for N<k>: the
 * chart's order (highest first) is N<n> down to N001. */
static struct scorecard *policy_of_territories(int n)
{
	struct scorecard *sc = card_policy("it", 3);
	int i;

	sc->n_territories = n;
	sc->territories = calloc((size_t)n, sizeof(*sc->territories));
	ck_assert_ptr_nonnull(sc->territories);
	for (i = 0; i < n; i++) {
		struct sc_territory *t = &sc->territories[i];
		char buf[64];

		snprintf(buf, sizeof(buf), "N%03d", i + 1);
		t->code = card_strdup(buf);
		snprintf(buf, sizeof(buf), "Quartiere%03d", i + 1);
		t->name = card_strdup(buf);
		t->population = 1000 + 10 * i;
		t->agreements = 1;
		t->participation_rate = card_num(0.5 * (i + 1));
	}
	return sc;
}

/* A policy of 90 quartieri: the chart (13 pt a bar) and the table both
 * continue on further pages, titled "(segue)", everything inside the
 * pages. */
START_TEST(test_pdf_many_territories_continue)
{
	struct scorecard *sc = policy_of_territories(90);
	char path[512], *text;
	int first, last;

	card_add_evidence(sc, 0);
	render_to(sc, "territori-many.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "Territori (segue)");
	assert_has(text, "Quartieri (segue)");
	ck_assert_ptr_null(strstr(text, "altri"));
	free(text);
	/* N090 (45.0) first, N001 (0.5) last */
	first = page_with(path, "Quartiere090");
	last = page_with(path, "Quartiere001");
	/* 90 bars do not fit on one page: the lowest rate is drawn later */
	ck_assert_int_gt(last, first);
	ck_assert_double_lt(word_top(path, first, "Quartiere090"),
			    word_top(path, first, "Quartiere089"));
}
END_TEST

/* 150 quartieri: the chart and the table show the 50 highest rates
 * (N150 to N101) and the 50 lowest (N050 to N001), each with a line for
 * the 50 between; the table then follows the chart's order. */
START_TEST(test_pdf_many_territories_print_their_ends)
{
	struct scorecard *sc = policy_of_territories(150);
	char path[512], *text;
	int p150, p001;

	render_to(sc, "territori-ends.pdf", path, sizeof(path));
	assert_sound(path);
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "Quartiere150");
	assert_has(text, "Quartiere101");
	ck_assert_ptr_null(strstr(text, "Quartiere100"));
	ck_assert_ptr_null(strstr(text, "Quartiere051"));
	assert_has(text, "Quartiere050");
	assert_has(text, "Quartiere001");
	/* 150 - 50 - 50 = 50 left out, in the chart and in the table */
	assert_has(text, "… altri 50 quartieri: i loro valori sono nei cruscotti di quartiere");
	assert_has(text, "valori nei cruscotti di quartiere");
	free(text);
	/* the table comes last and begins with N150, the highest rate, and
	 * ends with N001 (by code, N001 would come first) */
	p150 = last_page_with(path, "Quartiere150");
	p001 = last_page_with(path, "Quartiere001");
	ck_assert_int_gt(p150, 0);
	ck_assert(p150 < p001 || (p150 == p001 && word_top(path, p150, "Quartiere150") <
							  word_top(path, p001, "Quartiere001")));
}
END_TEST

/* An agreement's scorecard lists its evidence too. */
START_TEST(test_pdf_agreement_evidence)
{
	struct scorecard *sc = card_agreement("en");
	char path[512], *text;

	card_add_evidence(sc, 0);
	assert_same_bytes(sc);
	render_to(sc, "agreement-evidence.pdf", path, sizeof(path));
	assert_words_inside(path);
	text = text_of(path);
	assert_has(text, "Project milestones");
	assert_has(text, "Qualitative evidence of the quarter");
	assert_has(text, "Focus group sulla qualità della vita a Santa Croce");
	/* the agreement knows SC by name */
	assert_has(text, "EV-014 · neighbourhood Santa Croce");
	free(text);
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
	tcase_add_test(tc, test_pdf_secondary_like_primary);
	tcase_add_test(tc, test_pdf_is_deterministic);
	tcase_add_test(tc, test_pdf_renderer_reuse_same_bytes);
	tcase_add_test(tc, test_pdf_fonts_describe_drawn_text_only);
	tcase_add_test(tc, test_pdf_scripts_have_glyphs);
	tcase_add_test(tc, test_pdf_missing_glyph_is_notdef);
	tcase_add_test(tc, test_pdf_widths_as_libharu);
	tcase_add_test(tc, test_pdf_metadata);
	tcase_add_test(tc, test_pdf_long_ranking_prints_its_ends);
	tcase_add_test(tc, test_pdf_ranking_whole_up_to_120);
	tcase_add_test(tc, test_pdf_all_null_scorecard);
	tcase_add_test(tc, test_pdf_hostile_text_stays_inside);
	tcase_add_test(tc, test_pdf_bad_date_fails_cleanly);
	tcase_add_test(tc, test_pdf_neighbourhood_italian);
	tcase_add_test(tc, test_pdf_neighbourhood_english);
	tcase_add_test(tc, test_pdf_territori_page_italian);
	tcase_add_test(tc, test_pdf_territori_page_english);
	tcase_add_test(tc, test_pdf_no_territory_no_evidence);
	tcase_add_test(tc, test_pdf_evidence_none_in_period);
	tcase_add_test(tc, test_pdf_long_evidence_crosses_pages);
	tcase_add_test(tc, test_pdf_hostile_territory_text_stays_inside);
	tcase_add_test(tc, test_pdf_many_territories_continue);
	tcase_add_test(tc, test_pdf_many_territories_print_their_ends);
	tcase_add_test(tc, test_pdf_agreement_evidence);
	suite_add_tcase(s, tc);
	return s;
}

CHECK_MAIN(pdf_suite)
