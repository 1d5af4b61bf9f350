/* pdf_floor: the floor of the PDF step in tests/bench.py, "libharu alone".
 *
 * Each text file given (pdftotext's text of one of cruscotto's PDF
 * scorecards: its pages ended by form feeds) becomes a PDF again, written by
 * libharu as its documentation shows and by nothing else: an A4 page for
 * each page of the text, each line set by HPDF_Page_TextOut in DejaVu Sans
 * (the faces and bytes of cruscotto's PDFs, embedded under the UTF-8
 * encoder), the first line of a page in bold so that both faces are
 * embedded as in every scorecard, the content compressed. No layout, table,
 * rule or chart: what is left is libharu's own cost for the same text on the
 * same number of pages.
 *
 * Usage: pdf_floor OUT_DIR THREADS FILE.txt...
 * The threads share the files, each taking the next one, each with a libharu
 * handle of its own whose fonts are parsed once (HPDF_NewDoc between
 * documents keeps them). FILE.txt becomes OUT_DIR/FILE.pdf; OUT_DIR also
 * gets the two font files that libharu loads. Prints the documents and
 * pages written. Exit 0; 1 with a message on stderr; 2 on a
 * usage error. */
#include "pdf_fonts.h"

#include <hpdf.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_TOP 792.0f /* A4 is 842 pt high: a 50 pt margin */
#define PAGE_BOTTOM 40.0f
#define LEFT 50.0f
#define LINE 10.0f
#define GAP 4.0f /* an empty line */
#define TEXT_SIZE 8.0f
#define HEAD_SIZE 11.0f

/* What the threads share. */
struct job {
	char *const *files;
	int nfiles;
	const char *out;
	char reg_path[PATH_MAX], bold_path[PATH_MAX];
	atomic_int next;
	atomic_int failed;
	atomic_long pages;
	pthread_mutex_t lock;
	char msg[PATH_MAX + 128]; /* the first failure's */
};

/* A thread's libharu handle and its first error. */
struct worker {
	struct job *job;
	HPDF_Doc doc;
	HPDF_STATUS code, detail;
	pthread_t thread;
	int started;
};

static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
	struct worker *w = data;

	if (!w->code) {
		w->code = code;
		w->detail = detail;
	}
}

/* Keeps the first failure's message and stops every thread. */
static void fail(struct job *j, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&j->lock);
	if (!atomic_load(&j->failed)) {
		va_start(ap, fmt);
		vsnprintf(j->msg, sizeof(j->msg), fmt, ap);
		va_end(ap);
	}
	atomic_store(&j->failed, 1);
	pthread_mutex_unlock(&j->lock);
}

/* The whole file, NUL-terminated (caller frees), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) != NULL) {
		if (fread(buf, 1, (size_t)size, f) == (size_t)size) {
			buf[size] = '\0';
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Sets the text's pages into the document: pages end with a form feed,
 * lines with a newline. Returns the pages added. */
static long set_pages(HPDF_Doc doc, HPDF_Font reg, HPDF_Font bold, char *text)
{
	long pages = 0;
	char *page = text;

	while (*page) {
		char *end = strchr(page, '\f'), *line = page;
		HPDF_Page p = HPDF_AddPage(doc);
		float y = PAGE_TOP;
		int first = 1;

		if (end)
			*end = '\0';
		HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		HPDF_Page_BeginText(p);
		while (*line) {
			char *nl = strchr(line, '\n');

			if (nl)
				*nl = '\0';
			if (*line) {
				HPDF_Page_SetFontAndSize(p, first ? bold : reg,
							 first ? HEAD_SIZE : TEXT_SIZE);
				HPDF_Page_TextOut(p, LEFT, y, line);
				y -= LINE;
				first = 0;
			} else {
				y -= GAP;
			}
			/* a page of text longer than A4 piles up at the bottom */
			if (y < PAGE_BOTTOM)
				y = PAGE_BOTTOM;
			if (!nl)
				break;
			line = nl + 1;
		}
		HPDF_Page_EndText(p);
		pages++;
		if (!end)
			break;
		page = end + 1;
	}
	return pages;
}

/* FILE.txt as OUT_DIR/FILE.pdf; returns 0, or -1 with the job's message. */
static int one(struct worker *w, const char *file, const char **reg_name, const char **bold_name,
	       int *used)
{
	struct job *j = w->job;
	const char *base = strrchr(file, '/'), *dot;
	char path[PATH_MAX], *text = slurp(file);
	HPDF_Font reg, bold;
	long pages;
	int len;

	base = base ? base + 1 : file;
	dot = strrchr(base, '.');
	len = dot ? (int)(dot - base) : (int)strlen(base);
	if (!text) {
		fail(j, "pdf_floor: %s: %s", file, strerror(errno));
		return -1;
	}
	if (*used)
		HPDF_NewDoc(w->doc);
	*used = 1;
	HPDF_SetCompressionMode(w->doc, HPDF_COMP_ALL);
	if (!*reg_name) {
		HPDF_UseUTFEncodings(w->doc);
		*reg_name = HPDF_LoadTTFontFromFile(w->doc, j->reg_path, HPDF_TRUE);
		*bold_name = HPDF_LoadTTFontFromFile(w->doc, j->bold_path, HPDF_TRUE);
	}
	HPDF_SetCurrentEncoder(w->doc, "UTF-8");
	reg = *reg_name ? HPDF_GetFont(w->doc, *reg_name, "UTF-8") : NULL;
	bold = *bold_name ? HPDF_GetFont(w->doc, *bold_name, "UTF-8") : NULL;
	pages = reg && bold ? set_pages(w->doc, reg, bold, text) : 0;
	free(text);
	if (snprintf(path, sizeof(path), "%s/%.*s.pdf", j->out, len, base) >= (int)sizeof(path)) {
		fail(j, "pdf_floor: %s: path too long", file);
		return -1;
	}
	if (!w->code)
		HPDF_SaveToFile(w->doc, path);
	if (w->code) {
		fail(j, "pdf_floor: %s: libharu error 0x%04lX (detail %lu)", file,
		     (unsigned long)w->code, (unsigned long)w->detail);
		return -1;
	}
	atomic_fetch_add(&j->pages, pages);
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct job *j = w->job;
	const char *reg_name = NULL, *bold_name = NULL;
	int used = 0;

	w->doc = HPDF_New(on_error, w);
	if (!w->doc) {
		fail(j, "pdf_floor: cannot create a libharu document (out of memory)");
		return NULL;
	}
	while (!atomic_load(&j->failed)) {
		int i = atomic_fetch_add(&j->next, 1);

		if (i >= j->nfiles || one(w, j->files[i], &reg_name, &bold_name, &used) < 0)
			break;
	}
	HPDF_Free(w->doc);
	return NULL;
}

/* The font's bytes as a file of OUT_DIR, for HPDF_LoadTTFontFromFile. */
static int write_font(struct job *j, char *path, size_t size, const char *name,
		      const unsigned char *bytes, unsigned long len)
{
	FILE *f;

	if (snprintf(path, size, "%s/%s", j->out, name) >= (int)size || !(f = fopen(path, "wb"))) {
		fprintf(stderr, "pdf_floor: %s/%s: cannot write it\n", j->out, name);
		return -1;
	}
	if (fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "pdf_floor: %s: cannot write it\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct job j;
	struct worker *w = NULL;
	char *end;
	long threads;
	int i, rc = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: pdf_floor OUT_DIR THREADS FILE.txt...\n");
		return 2;
	}
	threads = strtol(argv[2], &end, 10);
	if (*end || threads < 1 || threads > 64) {
		fprintf(stderr, "pdf_floor: THREADS must be 1 to 64, not %s\n", argv[2]);
		return 2;
	}
	memset(&j, 0, sizeof(j));
	j.files = argv + 3;
	j.nfiles = argc - 3;
	j.out = argv[1];
	pthread_mutex_init(&j.lock, NULL);
	if (write_font(&j, j.reg_path, sizeof(j.reg_path), "DejaVuSans.ttf", pdf_font_regular,
		       pdf_font_regular_len) < 0 ||
	    write_font(&j, j.bold_path, sizeof(j.bold_path), "DejaVuSans-Bold.ttf", pdf_font_bold,
		       pdf_font_bold_len) < 0)
		goto out;
	w = calloc((size_t)threads, sizeof(*w));
	if (!w) {
		fprintf(stderr, "pdf_floor: out of memory\n");
		goto out;
	}
	for (i = 0; i < threads; i++)
		w[i].job = &j;
	/* a thread that cannot start leaves its share to the others */
	for (i = 1; i < threads; i++)
		w[i].started = pthread_create(&w[i].thread, NULL, work, &w[i]) == 0;
	work(&w[0]);
	for (i = 1; i < threads; i++)
		if (w[i].started)
			pthread_join(w[i].thread, NULL);
	if (atomic_load(&j.failed)) {
		fprintf(stderr, "%s\n", j.msg);
		goto out;
	}
	printf("%d documents, %ld pages\n", j.nfiles, atomic_load(&j.pages));
	rc = 0;
out:
	free(w);
	pthread_mutex_destroy(&j.lock);
	return rc;
}
