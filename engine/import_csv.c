/* import_csv: the one pass over a file. Its bytes are read once, here, and
 * go at the same time to COPY, to SHA-256 and to libcsv's strict RFC 4180
 * check (which also checks the forms of values COPYed straight into a
 * table); the header line is checked before any of it reaches SQL text. */
#include "import_int.h"

#include "err.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes `v` for an error message: as is when it is plain, else quoted with C
 * escapes, so that the message stays one line whatever the file holds; cut to
 * 40 bytes (on a UTF-8 boundary), and to what `size` holds (at most size - 1
 * characters, quotes and "..." included), "..." saying it was cut. */
void imp_show_value(const char *v, char *buf, size_t size)
{
	const size_t limit = 40;
	size_t len = strlen(v), n = len, i, o = 0, room = size - 1, w;
	int quote = len == 0, utf8;
	char esc[8];

	if (n > limit) {
		n = limit;
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	utf8 = utf8_valid(v, n);
	quote = quote || !utf8;
	for (i = 0; i < n && !quote; i++)
		quote = (unsigned char)v[i] <= ' ' || v[i] == '"' || v[i] == '\\' || v[i] == ',' ||
			v[i] == 0x7f;
	if (quote && o < room)
		buf[o++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (!quote || ch == ' ' ||
		    (ch > ' ' && ch != '"' && ch != '\\' && ch != 0x7f && (ch < 0x80 || utf8)))
			snprintf(esc, sizeof(esc), "%c", ch);
		else if (ch == '\n')
			snprintf(esc, sizeof(esc), "\\n");
		else if (ch == '\r')
			snprintf(esc, sizeof(esc), "\\r");
		else if (ch == '\t')
			snprintf(esc, sizeof(esc), "\\t");
		else if (ch == '"' || ch == '\\')
			snprintf(esc, sizeof(esc), "\\%c", ch);
		else
			snprintf(esc, sizeof(esc), "\\x%02x", ch);
		w = strlen(esc);
		/* room left for the closing quote and "..." */
		if (o + w + (size_t)quote + 3 > room)
			break;
		/* a UTF-8 sequence is cut whole or not at all */
		if (ch >= 0xC0 && utf8) {
			size_t more = (ch & 0xE0) == 0xC0 ? 1 : (ch & 0xF0) == 0xE0 ? 2 : 3;

			if (o + 1 + more + (size_t)quote + 3 > room)
				break;
		}
		memcpy(buf + o, esc, w);
		o += w;
	}
	if (i < n)
		n = i;
	if (quote && o < room)
		buf[o++] = '"';
	if (n < len && o + 3 <= room) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
}

/* True when the n bytes at v (an empty field: NULL) have the form DATA.md
 * gives a value of type t: the same forms as the regular expressions of
 * rule_cond, so that a COPY into a typed column reads no other form than an
 * INSERT from staging would ("2016-1-5", " 5", "1e5" and "NaN" are
 * refused). */
static int form_ok(enum type t, const char *v, size_t n)
{
	size_t i = 0, digits = 0;

	if (n == 0)
		return 1;
	switch (t) {
	case T_DATE:
		if (n != 10 || v[4] != '-' || v[7] != '-')
			return 0;
		for (i = 0; i < n; i++)
			if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
				return 0;
		return 1;
	case T_INT:
	case T_BIGINT:
	case T_NUM:
		if (v[0] == '+' || v[0] == '-')
			i++;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			digits++;
		if (t != T_NUM || i == n || v[i] != '.')
			return digits > 0 && i == n;
		for (i++; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			digits++;
		return digits > 0 && i == n;
	default:
		return 1;
	}
}

/* Byte-wise order of the n bytes at v against the string k. */
static int key_cmp(const char *v, size_t n, const char *k)
{
	size_t kn = strlen(k);
	int d = memcmp(v, k, n < kn ? n : kn);

	return d ? d : (n > kn) - (n < kn);
}

/* True when the n bytes at v (an empty field: NULL, which names nothing) are
 * one of the keys: the one found last, or one found by binary search. */
static int key_ok(struct imp_keys *k, const char *v, size_t n)
{
	size_t lo = 0, hi = k->n, mid;
	int d;

	if (n == 0 || (k->last && n == k->last_len && memcmp(v, k->last, n) == 0))
		return 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		d = key_cmp(v, n, k->v[mid]);
		if (d == 0) {
			k->last = k->v[mid];
			k->last_len = n;
			return 1;
		}
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* libcsv's callbacks: only the shape is kept, not the values. */
static void csv_field(void *field, size_t len, void *arg)
{
	struct source *s = arg;

	/* a value cut short is longer than any date or number of the format,
	 * and than any code */
	if (s->records > 0 && s->nfield < s->nform &&
	    (s->cut ? s->form[s->nfield] != T_TEXT
		    : !form_ok(s->form[s->nfield], field, len) ||
			      (s->keys[s->nfield] && !key_ok(s->keys[s->nfield], field, len))))
		s->refused = 1;
	s->cut = 0;
	s->nfield++;
}

static void csv_record(int term, void *arg)
{
	struct source *s = arg;

	(void)term;
	s->records++;
	s->nfield = 0;
	s->rec_ended = 1;
}

/* RFC 4180 knows no blanks around fields: a space is text like any other. */
static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Opens the file and reads its first bytes. A symbolic link is followed only
 * when it leads to a file inside `dir`. imp_source_close() releases the source,
 * after a failure too. */
int imp_source_open(struct source *s, const char *dir, const char *path, const char *name)
{
	char *real = NULL, *top = NULL;
	size_t n_top;
	struct stat st;
	ssize_t n;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->line = s->rec_line = 1;
	s->rec_ended = 1;
	s->marker = 1;
	s->fd = -1;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		top = realpath(dir, NULL);
		n_top = top ? strlen(top) : 0;
		if (!real || !top || strncmp(real, top, n_top) != 0 ||
		    (real[n_top] != '/' && strcmp(top, "/") != 0)) {
			rc = err_set(ERR_FAIL,
				     "%s: a symbolic link that leads outside the folder: not read",
				     name);
			goto out;
		}
		path = real;
	}
	s->fd = open(path, O_RDONLY | O_CLOEXEC | (real ? O_NOFOLLOW : 0));
	if (s->fd < 0) {
		rc = err_set(ERR_FAIL, "%s: cannot read: %s", name, strerror(errno));
		goto out;
	}
	if (sha256_new(&s->md) != 0) {
		rc = err_set(ERR_FAIL, "%s: cannot compute its SHA-256", name);
		goto out;
	}
	if (csv_init(&s->csv, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = err_set(ERR_FAIL, "%s: out of memory", name);
		goto out;
	}
	s->csv_open = 1;
	csv_set_space_func(&s->csv, csv_no_space);
	csv_set_blk_size(&s->csv, 4096);
	/* a short read is not the end of a pipe or a slow file system */
	while (s->head_len < sizeof(s->head) - 1) {
		n = read(s->fd, s->head + s->head_len, sizeof(s->head) - 1 - s->head_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(ERR_FAIL, "%s: cannot read: %s", name, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		s->head_len += (size_t)n;
	}
out:
	free(real);
	free(top);
	return rc;
}

void imp_source_close(struct source *s)
{
	sha256_free(s->md);
	s->md = NULL;
	if (s->csv_open)
		csv_free(&s->csv);
	s->csv_open = 0;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Runs libcsv over `n` bytes of one line (a newline, if any, last). */
static int source_csv(struct source *s, const char *seg, size_t n)
{
	size_t done, k;

	/* a line of line ends alone is no record (COPY refuses it) */
	for (k = 0; k < n && (seg[k] == '\r' || seg[k] == '\n'); k++)
		;
	if (s->rec_ended && k < n) {
		s->rec_line = s->line;
		s->rec_ended = 0;
	}
	done = csv_parse(&s->csv, seg, n, csv_field, csv_record, s);
	if (done < n && csv_error(&s->csv) == CSV_EPARSE) {
		if (seg[done] == '"')
			return err_set(ERR_FAIL,
				       "%s:%ld:%d: a quote inside an unquoted field (quote the "
				       "field and double the quote)",
				       s->name, s->line, s->nfield + 1);
		return err_set(ERR_FAIL,
			       "%s:%ld:%d: text after the closing quote of a quoted field (double "
			       "a quote inside a quoted field)",
			       s->name, s->line, s->nfield + 1);
	}
	if (done < n)
		return err_set(ERR_FAIL, "%s:%ld: out of memory", s->name, s->line);
	/* the values are not needed: keep the parser's copy of a long quoted
	 * field small (one byte stays, for the quote it may still drop) */
	if (s->csv.entry_pos > 4096) {
		s->csv.entry_pos = 1;
		s->cut = 1;
	}
	return 0;
}

/* Hashes a chunk, checks it as RFC 4180 and refuses a physical line that is
 * exactly "\." (or "\.\r"): COPY takes it for the end of the data, even inside
 * a quoted field, and would silently drop every row after it. At the end of
 * the file (n == 0) the last line, without a newline, is judged too, and a
 * quoted field still open is reported at the line its record starts on. */
static int source_scan(struct source *s, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n, *nl;
	size_t len, k;
	int rc;

	if (sha256_update(s->md, buf, n) != 0)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", s->name);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		rc = source_csv(s, p, len + (nl ? 1 : 0));
		if (rc)
			return rc;
		for (k = 0; k < len && s->marker; k++, s->col++)
			s->marker = s->col < 3 && p[k] == "\\.\r"[s->col];
		s->col += (int)(len - k < 4 ? len - k : 4);
		if (!nl)
			break;
		if (s->marker && s->col >= 2)
			goto marker;
		s->line++;
		s->col = 0;
		s->marker = 1;
		p = nl + 1;
	}
	if (n)
		return 0;
	if (s->marker && s->col >= 2)
		goto marker;
	if (csv_fini(&s->csv, csv_field, csv_record, s) != 0)
		return err_set(ERR_FAIL,
			       "%s:%ld:%d: a quoted field is not closed (its closing quote is "
			       "missing)",
			       s->name, s->rec_line, s->nfield + 1);
	return 0;
marker:
	return err_set(ERR_FAIL,
		       "%s:%ld: a line holding only \\. is not allowed (PostgreSQL's COPY "
		       "would take it for the end of the data)",
		       s->name, s->line);
}

/* db_copy_source over a source: the head first, then the rest of the file. */
long imp_source_read(void *arg, char *buf, size_t size)
{
	struct source *s = arg;
	ssize_t n;
	int rc;

	if (s->head_sent < s->head_len) {
		n = (ssize_t)(s->head_len - s->head_sent < size ? s->head_len - s->head_sent
								: size);
		memcpy(buf, s->head + s->head_sent, (size_t)n);
		s->head_sent += (size_t)n;
	} else {
		do
			n = read(s->fd, buf, size);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			s->failed = 1;
			return err_set(ERR_FAIL, "%s: cannot read: %s", s->name, strerror(errno));
		}
	}
	rc = source_scan(s, buf, (size_t)n);
	if (rc) {
		s->failed = 1;
		return rc;
	}
	if (s->refused)
		return err_set(
			ERR_FAIL,
			"%s: a value of another form than DATA.md's, or an unknown reference",
			s->name);
	return (long)n;
}

/* The SHA-256 of everything read, as lowercase hex; once, at the end. */
int imp_source_digest(struct source *s, char hex[65])
{
	if (sha256_final(s->md, hex) != 0)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", s->name);
	return 0;
}

/* Checks the header line, in the file's first bytes: up to the first newline, less a
 * UTF-8 BOM and a trailing \r, split on ','. Names must be the spec's own,
 * unquoted, each once, and every required column must be there. */
int imp_read_header(const struct source *src, const struct file_spec *fs, struct header *out)
{
	/* a header quoted in a message is cut to 64 characters: the file may be
	 * anything, not a CSV file at all */
	char buf[sizeof(src->head)], shown[65], known[512] = "";
	struct header h = {0};
	int seen[MAX_COLS], ncols = imp_spec_ncols(fs), i, pos = 0;
	char *line = buf, *nl, *name, *next;
	size_t n = src->head_len;

	for (i = 0; i < MAX_COLS; i++)
		seen[i] = 0;
	memcpy(buf, src->head, n);
	buf[n] = '\0';
	if (n == 0)
		return err_set(ERR_FAIL, "%s:1: the file is empty: a header line is required",
			       fs->name);
	nl = memchr(buf, '\n', n);
	if (!nl && n == sizeof(buf) - 1)
		return err_set(ERR_FAIL, "%s:1: the first line is too long to be a header",
			       fs->name);
	if (nl)
		*nl = '\0';
	if (strlen(buf) != (nl ? (size_t)(nl - buf) : n))
		return err_set(ERR_FAIL, "%s:1: the header holds a NUL byte", fs->name);
	if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3;
	if (*line && line[strlen(line) - 1] == '\r')
		line[strlen(line) - 1] = '\0';
	for (i = 0; i < ncols; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", fs->cols[i].name);
	for (name = line; name; name = next) {
		next = strchr(name, ',');
		if (next)
			*next++ = '\0';
		pos++;
		imp_show_value(name, shown, sizeof(shown));
		if (strchr(name, '"'))
			return err_set(
				ERR_FAIL,
				"%s:1:%d: column name %s is quoted: write the header without "
				"quotes",
				fs->name, pos, shown);
		for (i = 0; i < ncols && strcmp(name, fs->cols[i].name) != 0; i++)
			;
		if (i == ncols)
			return err_set(ERR_FAIL, "%s:1:%d: unknown column %s (the columns are %s)",
				       fs->name, pos, shown, known);
		if (seen[i])
			return err_set(ERR_FAIL,
				       "%s:1:%d: column %s is repeated (first in column %d)",
				       fs->name, pos, name, seen[i]);
		seen[i] = pos;
		h.col[h.ncols++] = i;
	}
	for (i = 0; i < ncols; i++)
		if (fs->cols[i].required && !seen[i])
			return err_set(ERR_FAIL, "%s:1: required column %s is missing", fs->name,
				       fs->cols[i].name);
	*out = h;
	return 0;
}

/* The rows a file holds, estimated from its size and its first bytes (the
 * header line left out). */
long long imp_rows_estimate(const struct source *src, long long size)
{
	long long lines = 0;
	size_t i;

	for (i = 0; i < src->head_len; i++)
		lines += src->head[i] == '\n';
	if (src->head_len < sizeof(src->head) - 1 || lines < 2)
		return lines > 0 ? lines - 1 : 0;
	return size * lines / (long long)src->head_len - 1;
}
