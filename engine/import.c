/* import: a folder of CSV files (the interchange format of DATA.md) into the
 * database, all or nothing.
 *
 * PostgreSQL does the CSV parsing: each file is streamed by COPY into a
 * staging table of text columns, then checked with a fixed set of queries
 * (one query per file, whatever its size) and moved into the schema with one
 * INSERT. The only part of a file read here is its header line, which decides
 * the COPY column list and so must be checked against the known columns before
 * any of it reaches SQL text. */
#include "import.h"

#include "err.h"
#include "schema.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a field must hold. Every field arrives as text; the empty field is NULL. */
enum type {
	T_TEXT,	  /* anything */
	T_CODE,	  /* 1-64 characters of [A-Za-z0-9_.-] */
	T_DATE,	  /* YYYY-MM-DD, a day that exists */
	T_INT,	  /* integer column */
	T_BIGINT, /* bigint column */
	T_NUM,	  /* decimal with '.' */
	T_ENUM,	  /* one of `values` */
};

struct column {
	const char *name;
	enum type type;
	int required;
	const char *values;    /* T_ENUM: the allowed values, comma-separated */
	const char *range;     /* SQL condition on the typed value `v`, e.g. "v >= 0" */
	const char *range_msg; /* what the error says when `range` is false */
	const char *ref;       /* table whose code the value must name */
	const char *ref_what;  /* "a policy", for the error */
	const char *def;       /* SQL literal taken when the field is empty */
};

#define MAX_COLS 8

struct file_spec {
	const char *name;     /* file name, e.g. "agreements.csv" */
	const char *table;    /* table in schema cruscotto */
	int upsert;	      /* 1: upserted on `key`; 0: facts, appended */
	const char *key[4];   /* unique within the file (NULL-terminated) */
	int key_new;	      /* facts: `key` is the table's primary key, so it must be new */
	const char *order[6]; /* date columns that must not decrease, in order */
	const char *extra;    /* more error branches over pg_temp.import_rec r (SQL) */
	struct column cols[MAX_COLS + 1];
};

#define CODE_RE "'^[A-Za-z0-9_.-]{1,64}$'"
#define DATE_RE "'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"

/* A survey's or an org event's policy must be its agreement's (DATA.md). */
#define SAME_POLICY_SQL                                                                            \
	"SELECT r._line, 'policy_code', r.policy_code,"                                            \
	" 'is not the policy of agreement ' || a.code || ' (' || a.policy_code || ')', 21"         \
	" FROM pg_temp.import_rec r JOIN cruscotto.agreement a ON a.code = r.agreement_code"       \
	" WHERE r.policy_code <> a.policy_code"

/* Column shorthands: R = required, O = optional. */
#define TEXT(n, req)                                                                               \
	{                                                                                          \
		.name = n, .type = T_TEXT, .required = req                                         \
	}
#define CODE(n)                                                                                    \
	{                                                                                          \
		.name = n, .type = T_CODE, .required = 1                                           \
	}
#define DATE(n, req)                                                                               \
	{                                                                                          \
		.name = n, .type = T_DATE, .required = req                                         \
	}
#define REF(n, req, table, what)                                                                   \
	{                                                                                          \
		.name = n, .type = T_CODE, .required = req, .ref = table, .ref_what = what         \
	}
#define ENUM(n, req, vals, dflt)                                                                   \
	{                                                                                          \
		.name = n, .type = T_ENUM, .required = req, .values = vals, .def = dflt            \
	}
#define NUMBER(n, t, req, rng, msg, dflt)                                                          \
	{                                                                                          \
		.name = n, .type = t, .required = req, .range = rng, .range_msg = msg, .def = dflt \
	}
#define R 1
#define O 0

/* The files in dependency order: a file only refers to files before it. */
static const struct file_spec specs[] = {
	{.name = "policies.csv",
	 .table = "policy",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), TEXT("name", R), DATE("started_on", R),
		  ENUM("locale", O, "it,en", "'it'"),
		  NUMBER("volunteer_hour_value_eur", T_NUM, R, "v >= 0", "must be >= 0", NULL),
		  NUMBER("min_cell", T_INT, O, "v >= 1", "must be >= 1", "'5'")}},
	{.name = "neighbourhoods.csv",
	 .table = "neighbourhood",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), TEXT("name", R),
		  NUMBER("population", T_BIGINT, R, "v >= 0", "must be >= 0", NULL)}},
	{.name = "agreements.csv",
	 .table = "agreement",
	 .upsert = 1,
	 .key = {"code"},
	 .order = {"lab_started_on", "approved_on", "signed_on", "closed_on", "published_on"},
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"), TEXT("title", R),
		  DATE("lab_started_on", R), DATE("approved_on", O), DATE("signed_on", O),
		  DATE("closed_on", O), DATE("published_on", O)}},
	{.name = "agreement_areas.csv",
	 .table = "agreement_area",
	 .key = {"agreement_code", "neighbourhood_code"},
	 .key_new = 1,
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  REF("neighbourhood_code", R, "neighbourhood", "a neighbourhood")}},
	{.name = "ex_ante.csv",
	 .table = "ex_ante",
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  ENUM("criterion", R, "feasibility,opportunity,relevance", NULL),
		  NUMBER("score", T_INT, R, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL),
		  DATE("assessed_on", R)}},
	{.name = "signatories.csv",
	 .table = "signatory",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), ENUM("kind", R, "association,volunteer,business,other", NULL),
		  TEXT("name", O)}},
	{.name = "signatures.csv",
	 .table = "signature",
	 .key = {"agreement_code", "signatory_code"},
	 .key_new = 1,
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"),
		  REF("signatory_code", R, "signatory", "a signatory"), DATE("signed_on", R)}},
	{.name = "projects.csv",
	 .table = "project",
	 .upsert = 1,
	 .key = {"code"},
	 .order = {"defined_on", "completed_on"},
	 .cols = {CODE("code"), REF("agreement_code", R, "agreement", "an agreement"),
		  ENUM("kind", R, "community_care,city_care", NULL), TEXT("title", R),
		  DATE("defined_on", R), DATE("completed_on", O)}},
	{.name = "finance.csv",
	 .table = "finance",
	 .cols = {REF("project_code", R, "project", "a project"), DATE("booked_on", R),
		  ENUM("stage", R, "allocated,committed,spent", NULL),
		  NUMBER("amount_eur", T_NUM, R, NULL, NULL, NULL)}},
	{.name = "milestones.csv",
	 .table = "milestone",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), REF("project_code", R, "project", "a project"), TEXT("title", R),
		  DATE("due_on", R), DATE("achieved_on", O)}},
	{.name = "meetings.csv",
	 .table = "meeting",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), REF("agreement_code", R, "agreement", "an agreement"),
		  DATE("held_on", R), ENUM("kind", R, "workshop,assembly,coordination,event", NULL),
		  NUMBER("hours", T_NUM, R, "v > 0", "must be > 0", NULL)}},
	{.name = "attendance.csv",
	 .table = "attendance",
	 .key = {"meeting_code", "person"},
	 .key_new = 1,
	 .cols = {REF("meeting_code", R, "meeting", "a meeting"), TEXT("person", R),
		  ENUM("role", R, "citizen,association,business,staff", NULL)}},
	{.name = "resources.csv",
	 .table = "resource",
	 .cols = {REF("agreement_code", R, "agreement", "an agreement"), DATE("recorded_on", R),
		  ENUM("kind", R, "staff_hours,volunteer_hours,in_kind_eur", NULL),
		  NUMBER("quantity", T_NUM, R, "v >= 0", "must be >= 0", NULL)}},
	{.name = "surveys.csv",
	 .table = "survey",
	 .upsert = 1,
	 .key = {"code"},
	 .extra = "SELECT r._line, 'agreement_code', NULL, 'is required unless instrument is"
		  " org_culture', 20 FROM pg_temp.import_rec r WHERE r.agreement_code IS NULL AND"
		  " r.instrument IN ('agreement_quality', 'satisfaction', 'relationship_quality',"
		  " 'quality_of_life') UNION ALL " SAME_POLICY_SQL,
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"),
		  ENUM("instrument", R,
		       "agreement_quality,satisfaction,relationship_quality,quality_of_life,"
		       "org_culture",
		       NULL),
		  ENUM("wave", R, "T0,T1,once", NULL), DATE("fielded_on", R)}},
	{.name = "responses.csv",
	 .table = "response",
	 .key = {"survey_code", "respondent", "item"},
	 .key_new = 1,
	 .cols = {REF("survey_code", R, "survey", "a survey"), TEXT("respondent", R),
		  TEXT("item", R),
		  NUMBER("score", T_INT, O, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL)}},
	{.name = "org_events.csv",
	 .table = "org_event",
	 .extra = SAME_POLICY_SQL,
	 .cols = {REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"), DATE("occurred_on", R),
		  ENUM("kind", R, "new_solution,process_change,new_method,training", NULL),
		  TEXT("department", R),
		  NUMBER("quantity", T_INT, O, "v >= 1", "must be >= 1", "'1'"),
		  TEXT("description", O)}},
	{.name = "targets.csv",
	 .table = "target",
	 .upsert = 1,
	 .key = {"policy_code", "indicator", "level"},
	 /* the rules of the foreign key to the catalogue and of the trigger
	  * target_check, told apart so that the message says which */
	 .extra =
		 "SELECT r._line, 'indicator', r.indicator, 'is not a catalogue indicator', 20"
		 " FROM pg_temp.import_rec r WHERE r.indicator IS NOT NULL AND NOT EXISTS (SELECT 1"
		 " FROM cruscotto.catalogue k WHERE k.code = r.indicator) UNION ALL"
		 " SELECT r._line, 'indicator', r.indicator, 'is not an indicator at level ' ||"
		 " r.level, 21 FROM pg_temp.import_rec r WHERE r.level IN ('agreement', 'policy')"
		 " AND EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = r.indicator)"
		 " AND NOT EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code ="
		 " r.indicator AND k.level = r.level) UNION ALL"
		 " SELECT r._line, 'indicator', r.indicator, 'is neutral and takes no target', 22"
		 " FROM pg_temp.import_rec r JOIN cruscotto.catalogue k ON k.code = r.indicator"
		 " AND k.level = r.level WHERE k.polarity = 'neutral'",
	 .cols = {REF("policy_code", R, "policy", "a policy"), TEXT("indicator", R),
		  ENUM("level", R, "agreement,policy", NULL),
		  NUMBER("target", T_NUM, R, NULL, NULL, NULL),
		  NUMBER("amber_ratio", T_NUM, O, "v > 0 AND v <= 1", "must be in (0,1]",
			 "'0.8'")}},
	{.name = "weights.csv",
	 .table = "weight",
	 .upsert = 1,
	 .key = {"policy_code", "item"},
	 /* the rule of the trigger weight_check */
	 .extra = "SELECT r._line, 'item', r.item, 'is neither a catalogue indicator nor a"
		  " dimension', 20 FROM pg_temp.import_rec r WHERE r.item IS NOT NULL AND NOT"
		  " EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = r.item) AND NOT"
		  " EXISTS (SELECT 1 FROM cruscotto.dimension d WHERE d.code = r.item)",
	 .cols = {REF("policy_code", R, "policy", "a policy"), TEXT("item", R),
		  NUMBER("weight", T_NUM, R, "v >= 0", "must be >= 0", NULL)}},
};

#undef TEXT
#undef CODE
#undef DATE
#undef REF
#undef ENUM
#undef NUMBER
#undef R
#undef O

#define NSPECS ((int)(sizeof(specs) / sizeof(specs[0])))

/* The header of one file: for each of its columns, the spec column it names. */
struct header {
	int ncols;
	int col[MAX_COLS]; /* index into spec->cols, in header order */
};

static int spec_ncols(const struct file_spec *fs)
{
	int n = 0;

	while (n < MAX_COLS && fs->cols[n].name)
		n++;
	return n;
}

/* Rolls back and keeps the message of the failure that made us roll back
 * (db_rollback would overwrite it, and err_set cannot take err_last() as its
 * own argument). */
static int fail(db *c, int rc)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s", err_last());
	db_rollback(c);
	return err_set(rc, "%s", msg);
}

/* True when the n bytes at s are well-formed UTF-8 (a header, unlike the
 * data, has not been through PostgreSQL's encoding check). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, more;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0)
			more = 1;
		else if ((s[i] & 0xF0) == 0xE0)
			more = 2;
		else if ((s[i] & 0xF8) == 0xF0)
			more = 3;
		else
			return 0;
		if (i + more >= n)
			return 0;
		for (k = 1; k <= more; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += more + 1;
	}
	return 1;
}

/* Writes `v` for an error message: as is when it is plain, else quoted with C
 * escapes, so that the message stays one line whatever the file holds; cut to
 * 40 bytes (on a UTF-8 boundary). */
static void show_value(const char *v, char *buf, size_t size)
{
	const size_t limit = 40;
	size_t len = strlen(v), n = len, i, o = 0;
	int quote = len == 0, utf8;

	if (n > limit) {
		n = limit;
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	utf8 = utf8_ok((const unsigned char *)v, n);
	quote = quote || !utf8;
	for (i = 0; i < n && !quote; i++)
		quote = (unsigned char)v[i] <= ' ' || v[i] == '"' || v[i] == '\\' || v[i] == ',' ||
			v[i] == 0x7f;
	if (quote && o + 1 < size)
		buf[o++] = '"';
	for (i = 0; i < n && o + 5 < size; i++) {
		unsigned char ch = (unsigned char)v[i];

		if (!quote || ch == ' ' ||
		    (ch > ' ' && ch != '"' && ch != '\\' && ch != 0x7f && (ch < 0x80 || utf8)))
			buf[o++] = (char)ch;
		else if (ch == '\n')
			o += (size_t)snprintf(buf + o, size - o, "\\n");
		else if (ch == '\r')
			o += (size_t)snprintf(buf + o, size - o, "\\r");
		else if (ch == '\t')
			o += (size_t)snprintf(buf + o, size - o, "\\t");
		else if (ch == '"' || ch == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", ch);
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
	}
	if (quote && o + 1 < size)
		buf[o++] = '"';
	if (n < len && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o < size ? o : size - 1] = '\0';
}

/* One pass over a file. Every byte is read once, here: the header checked,
 * the rows COPY loads and the SHA-256 recorded are the same bytes, even if
 * the file is rewritten while it is being imported. */
struct source {
	const char *name;
	int fd;
	char head[4096]; /* the first bytes, read before COPY starts: the header */
	size_t head_len, head_sent;
	EVP_MD_CTX *md;
	long line;
	int col;
	int marker; /* the line so far is a prefix of "\.\r" */
	int failed; /* the stream set the error: it is the file's error as it is */
};

/* Opens the file and reads its first bytes. source_close() releases the
 * source, after a failure too. */
static int source_open(struct source *s, const char *path, const char *name)
{
	ssize_t n;

	memset(s, 0, sizeof(*s));
	s->name = name;
	s->line = 1;
	s->marker = 1;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0)
		return err_set(ERR_FAIL, "%s: cannot read: %s", name, strerror(errno));
	s->md = EVP_MD_CTX_new();
	if (!s->md || EVP_DigestInit_ex(s->md, EVP_sha256(), NULL) != 1)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", name);
	/* a short read is not the end of a pipe or a slow file system */
	while (s->head_len < sizeof(s->head) - 1) {
		n = read(s->fd, s->head + s->head_len, sizeof(s->head) - 1 - s->head_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(ERR_FAIL, "%s: cannot read: %s", name, strerror(errno));
		if (n == 0)
			break;
		s->head_len += (size_t)n;
	}
	return 0;
}

static void source_close(struct source *s)
{
	EVP_MD_CTX_free(s->md);
	s->md = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Hashes a chunk and refuses a physical line that is exactly "\." (or
 * "\.\r"): COPY takes it for the end of the data, even inside a quoted field,
 * and would silently drop every row after it. At the end of the file
 * (n == 0) the last line, without a newline, is judged too. */
static int source_scan(struct source *s, const char *buf, size_t n)
{
	size_t k;

	if (n && EVP_DigestUpdate(s->md, buf, n) != 1)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", s->name);
	for (k = 0; k < n; k++) {
		if (buf[k] != '\n') {
			s->marker = s->marker && s->col < 3 && buf[k] == "\\.\r"[s->col];
			s->col++;
		} else if (s->marker && s->col >= 2) {
			break;
		} else {
			s->line++;
			s->col = 0;
			s->marker = 1;
		}
	}
	if (k < n || (n == 0 && s->marker && s->col >= 2))
		return err_set(ERR_FAIL,
			       "%s:%ld: a line holding only \\. is not allowed (PostgreSQL's COPY "
			       "would take it for the end of the data)",
			       s->name, s->line);
	return 0;
}

/* db_copy_source over a source: the head first, then the rest of the file. */
static long source_read(void *arg, char *buf, size_t size)
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
	return (long)n;
}

/* The SHA-256 of everything read, as lowercase hex; once, at the end. */
static int source_digest(struct source *s, char hex[65])
{
	static const char hexdigits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (EVP_DigestFinal_ex(s->md, md, &mdlen) != 1 || mdlen != 32)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", s->name);
	for (i = 0; i < mdlen; i++) {
		hex[2 * i] = hexdigits[md[i] >> 4];
		hex[2 * i + 1] = hexdigits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

/* Checks the header line, in the file's first bytes: up to the first newline, less a
 * UTF-8 BOM and a trailing \r, split on ','. Names must be the spec's own,
 * unquoted, each once, and every required column must be there. */
static int read_header(const struct source *src, const struct file_spec *fs, struct header *out)
{
	char buf[sizeof(src->head)], shown[200], known[512] = "";
	struct header h = {0};
	int seen[MAX_COLS], ncols = spec_ncols(fs), i, pos = 0;
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
		show_value(name, shown, sizeof(shown));
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

/* The SQL builders below write only names from `specs` (never anything read
 * from a file) into statement text; values travel as bound parameters. */

/* Closes a memstream and hands back its text, or NULL when out of memory. */
static char *sql_end(FILE *f, char **buf)
{
	/* the stream writes *buf only when flushed: read it after fclose */
	if (fclose(f) != 0) {
		free(*buf);
		return NULL;
	}
	return *buf;
}

/* The staging table: every known column as text (those the header leaves
 * out stay null) and the ordinal COPY fills in file order. */
static char *stage_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	if (!f)
		return NULL;
	fprintf(f, "CREATE TEMP TABLE import_stage (_ord bigint GENERATED ALWAYS AS IDENTITY");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, ", \"%s\" text", fs->cols[i].name);
	fprintf(f, ") ON COMMIT DROP");
	return sql_end(f, &buf);
}

static char *copy_sql(const struct file_spec *fs, const struct header *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	if (!f)
		return NULL;
	fprintf(f, "COPY pg_temp.import_stage (");
	for (i = 0; i < h->ncols; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", fs->cols[h->col[i]].name);
	fprintf(f, ") FROM STDIN (FORMAT csv, HEADER true)");
	return sql_end(f, &buf);
}

/* The records: '' made NULL (an empty field is NULL, quoted or not) and each
 * record's physical line, the header being line 1 and a record taking one
 * line plus one per newline inside its quoted fields. */
static char *rec_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	if (!f)
		return NULL;
	fprintf(f,
		"CREATE TEMP TABLE import_rec ON COMMIT DROP AS SELECT s._ord, (2 + coalesce(sum(1 "
		"+ s._nl) OVER (ORDER BY s._ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 "
		"PRECEDING), 0))::bigint AS _line");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, ", nullif(s.\"%s\", '') AS \"%s\"", fs->cols[i].name, fs->cols[i].name);
	fprintf(f, " FROM (SELECT t.*, 0");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f,
			" + coalesce(length(t.\"%s\") - length(replace(t.\"%s\", E'\\n', '')), 0)",
			fs->cols[i].name, fs->cols[i].name);
	fprintf(f, " AS _nl FROM pg_temp.import_stage t) s");
	return sql_end(f, &buf);
}

/* One branch of the error query: rows (line, column, value, rule, priority). */
static void branch(FILE *f, int *first, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void branch(FILE *f, int *first, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%s", *first ? "" : " UNION ALL ");
	*first = 0;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

/* The SQL expression reading column `name` as its type (validated first). */
static const char *typed_fn(enum type t)
{
	return t == T_NUM ? "cruscotto.as_number" : "cruscotto.as_integer";
}

/* Every rule of DATA.md for this file as one query over the staging records,
 * returning the first broken one: lowest line, then leftmost column of the
 * header ($1, the header's names), then the order the rules are written in
 * (a value's form before its range, before what it refers to). */
static char *check_sql(const struct file_spec *fs)
{
	static const char from[] = "FROM pg_temp.import_rec r";
	char *buf = NULL, values[256];
	size_t len = 0, k;
	FILE *f = open_memstream(&buf, &len);
	int i, j, first = 1, nkey;

	if (!f)
		return NULL;
	fprintf(f, "SELECT e._line, e.col, e.val, e.rule FROM (");
	for (i = 0; fs->cols[i].name; i++) {
		const struct column *c = &fs->cols[i];
		const char *n = c->name;

		if (c->required)
			branch(f, &first,
			       "SELECT r._line, '%s'::text, NULL::text, 'is required'::text, 1 %s "
			       "WHERE r.\"%s\" IS NULL",
			       n, from, n);
		switch (c->type) {
		case T_TEXT:
			break;
		case T_CODE:
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is not a code (1-64 characters "
			       "among A-Z a-z 0-9 _ . -)', 2 %s WHERE r.\"%s\" !~ " CODE_RE,
			       n, n, from, n);
			break;
		case T_DATE:
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is not of the form YYYY-MM-DD', 2 "
			       "%s WHERE r.\"%s\" !~ " DATE_RE,
			       n, n, from, n);
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is not a date', 3 %s WHERE "
			       "r.\"%s\" "
			       "~ " DATE_RE " AND NOT cruscotto.is_date(r.\"%s\")",
			       n, n, from, n, n);
			break;
		case T_INT:
		case T_BIGINT:
		case T_NUM:
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is not %s', 2 %s WHERE r.\"%s\" "
			       "IS "
			       "NOT NULL AND %s(r.\"%s\") IS NULL",
			       n, n, c->type == T_NUM ? "a number" : "an integer", from, n,
			       typed_fn(c->type), n);
			break;
		case T_ENUM:
			/* "a,b,c" is both the array literal and, spaced, the message */
			for (j = 0, k = 0; c->values[j] && k + 3 < sizeof(values); j++) {
				values[k++] = c->values[j];
				if (c->values[j] == ',')
					values[k++] = ' ';
			}
			values[k] = '\0';
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is not one of %s', 2 %s WHERE "
			       "r.\"%s\" <> ALL ('{%s}'::text[])",
			       n, n, values, from, n, c->values);
			break;
		}
		if (c->range)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", '%s', 4 %s, LATERAL (SELECT "
			       "%s(r.\"%s\") AS v) x WHERE NOT (%s)",
			       n, n, c->range_msg, from, typed_fn(c->type), n, c->range);
		/* the column types of the schema, so that a value checked here is
		 * never refused by the INSERT */
		if (c->type == T_INT || c->type == T_BIGINT)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is too large', 5 %s, LATERAL "
			       "(SELECT cruscotto.as_integer(r.\"%s\") AS v) x WHERE abs(v) > %s",
			       n, n, from, n,
			       c->type == T_INT ? "2147483647" : "9223372036854775807");
		if (c->ref)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'does not name %s', 6 %s WHERE "
			       "r.\"%s\" ~ " CODE_RE
			       " AND NOT EXISTS (SELECT 1 FROM cruscotto.%s t "
			       "WHERE t.code = r.\"%s\")",
			       n, n, c->ref_what, from, n, c->ref, n);
	}
	for (nkey = 0; fs->key[nkey]; nkey++)
		;
	if (nkey) {
		/* the rule names the other key columns, not their values: those
		 * may be free text (a person's pseudonym) */
		char others[128] = "", part[128] = "", on[512] = "", notnull[256] = "";

		for (j = 1; j < nkey; j++)
			snprintf(others + strlen(others), sizeof(others) - strlen(others), "%s%s",
				 j == 1 ? " with the same " : (j == nkey - 1 ? " and " : ", "),
				 fs->key[j]);
		for (j = 0; j < nkey; j++) {
			snprintf(part + strlen(part), sizeof(part) - strlen(part), "%sr.\"%s\"",
				 j ? ", " : "", fs->key[j]);
			snprintf(on + strlen(on), sizeof(on) - strlen(on), "%st.\"%s\" = r.\"%s\"",
				 j ? " AND " : "", fs->key[j], fs->key[j]);
			snprintf(notnull + strlen(notnull), sizeof(notnull) - strlen(notnull),
				 "%sr.\"%s\" IS NOT NULL", j ? " AND " : "", fs->key[j]);
		}
		branch(f, &first,
		       "SELECT u._line, '%s', u.v, 'is repeated%s (first on line ' || u.first || "
		       "')', 7 FROM (SELECT r._line, r.\"%s\" AS v, min(r._line) OVER (PARTITION "
		       "BY "
		       "%s) AS first %s WHERE %s) u WHERE u._line > u.first",
		       fs->key[0], others, fs->key[0], part, from, notnull);
		if (fs->key_new)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is already in the database%s' || "
			       "coalesce(' (batch ' || t.batch_id || ')', ''), 8 %s JOIN "
			       "cruscotto.%s t ON %s",
			       fs->key[0], fs->key[0], others, from, fs->table, on);
	}
	/* dates in order: a date earlier than one before it in the list; the
	 * nearest earlier column is named first */
	for (j = 1; j < 6 && fs->order[j]; j++)
		for (i = j - 1; i >= 0; i--)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'is before %s ' || r.\"%s\", %d %s "
			       "WHERE cruscotto.as_date(r.\"%s\") < cruscotto.as_date(r.\"%s\")",
			       fs->order[j], fs->order[j], fs->order[i], fs->order[i], 10 + j - i,
			       from, fs->order[j], fs->order[i]);
	if (fs->extra)
		branch(f, &first, "%s", fs->extra);
	fprintf(f, ") e(_line, col, val, rule, prio) ORDER BY e._line, "
		   "array_position($1::text[], e.col), e.prio LIMIT 1");
	return sql_end(f, &buf);
}

/* The value a column is stored as: its cast, with the default of DATA.md
 * when the field is empty. */
static void insert_expr(FILE *f, const struct column *c)
{
	static const char *const casts[] = {
		[T_TEXT] = "",	       [T_CODE] = "",		[T_DATE] = "::date",
		[T_INT] = "::integer", [T_BIGINT] = "::bigint", [T_NUM] = "::numeric",
		[T_ENUM] = ""};

	if (c->def)
		fprintf(f, "coalesce(r.\"%s\", %s)%s", c->name, c->def, casts[c->type]);
	else
		fprintf(f, "r.\"%s\"%s", c->name, casts[c->type]);
}

static int is_key(const struct file_spec *fs, const char *name)
{
	int j;

	for (j = 0; fs->key[j]; j++)
		if (strcmp(fs->key[j], name) == 0)
			return 1;
	return 0;
}

/* The INSERT, returning (inserted, updated). Entities are upserted: a known
 * key is updated only when a value differs, so an unchanged row keeps its
 * batch and leaves no history; xmax = 0 tells an inserted row from an
 * updated one. Facts are appended. $1 is the batch. */
static char *insert_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j, n;

	if (!f)
		return NULL;
	fprintf(f, "WITH w AS (INSERT INTO cruscotto.%s AS t (", fs->table);
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, "\"%s\", ", fs->cols[i].name);
	fprintf(f, "batch_id) SELECT ");
	for (i = 0; fs->cols[i].name; i++) {
		insert_expr(f, &fs->cols[i]);
		fprintf(f, ", ");
	}
	fprintf(f, "$1::bigint FROM pg_temp.import_rec r ORDER BY r._ord");
	if (fs->upsert) {
		fprintf(f, " ON CONFLICT (");
		for (j = 0; fs->key[j]; j++)
			fprintf(f, "%s\"%s\"", j ? ", " : "", fs->key[j]);
		fprintf(f, ") DO UPDATE SET ");
		for (i = 0; fs->cols[i].name; i++)
			if (!is_key(fs, fs->cols[i].name))
				fprintf(f, "\"%s\" = excluded.\"%s\", ", fs->cols[i].name,
					fs->cols[i].name);
		fprintf(f, "batch_id = excluded.batch_id WHERE ROW(");
		for (i = 0, n = 0; fs->cols[i].name; i++)
			if (!is_key(fs, fs->cols[i].name))
				fprintf(f, "%st.\"%s\"", n++ ? ", " : "", fs->cols[i].name);
		fprintf(f, ") IS DISTINCT FROM ROW(");
		for (i = 0, n = 0; fs->cols[i].name; i++)
			if (!is_key(fs, fs->cols[i].name))
				fprintf(f, "%sexcluded.\"%s\"", n++ ? ", " : "", fs->cols[i].name);
		fprintf(f, ") RETURNING (t.xmax = 0) AS ins) ");
	} else {
		fprintf(f, " RETURNING true AS ins) ");
	}
	fprintf(f, "SELECT count(*) FILTER (WHERE w.ins) AS inserted, count(*) FILTER (WHERE NOT "
		   "w.ins) AS updated FROM w");
	return sql_end(f, &buf);
}

/* Refuses a file identical to one already imported, unless it holds no
 * record: a header-only file means "nothing new" and is the same every
 * quarter, so refusing it would make an unchanged empty file an error. */
static int check_identical(db *c, const char *name, const char *hex)
{
	const char *params[1] = {hex};
	rows *r = NULL;
	int rc;

	rc = db_exec(c,
		     "SELECT b.id, date_trunc('second', b.imported_at)::text FROM "
		     "cruscotto.batch_file f JOIN cruscotto.batch b ON b.id = f.batch_id WHERE "
		     "f.sha256 = $1::text AND f.data_rows > 0 ORDER BY b.id LIMIT 1",
		     1, params, &r);
	if (rc)
		goto out;
	if (r->nrows)
		rc = err_set(
			ERR_FAIL,
			"%s: identical to the file imported in batch %s (%s): nothing imported",
			name, rows_get(r, 0, 0), rows_get(r, 0, 1));
out:
	rows_free(r);
	return rc;
}

/* Runs a statement of the load of file `name`; a failure here is not a rule
 * of the file broken (those are checked first) but the database refusing, so
 * the message names the file. */
static int file_exec(db *c, const char *name, const char *sql, int nparams,
		     const char *const *params, rows **out)
{
	char msg[900];
	int rc;

	if (!sql)
		return err_set(ERR_FAIL, "%s: out of memory", name);
	rc = db_exec(c, sql, nparams, params, out);
	if (rc == 0)
		return 0;
	snprintf(msg, sizeof(msg), "%s", err_last());
	return err_set(rc, "%s: %s", name, msg);
}

/* file_exec for a statement of the builders above, which it frees. */
static int file_exec_built(db *c, const char *name, char *sql, int nparams,
			   const char *const *params, rows **out)
{
	int rc = file_exec(c, name, sql, nparams, params, out);

	free(sql);
	return rc;
}

/* The first broken rule as the one-line message FILE:LINE:COL: COLUMN VALUE
 * RULE, COL being the column's position in the header. */
static int rule_error(const struct file_spec *fs, const struct header *h, const rows *r)
{
	const char *line = rows_get(r, 0, 0), *col = rows_get(r, 0, 1), *val = rows_get(r, 0, 2);
	char shown[200] = "";
	int pos;

	for (pos = 0; pos < h->ncols && strcmp(fs->cols[h->col[pos]].name, col) != 0; pos++)
		;
	if (val)
		show_value(val, shown, sizeof(shown));
	return err_set(ERR_FAIL, "%s:%s:%d: %s%s%s %s", fs->name, line, pos + 1, col,
		       val ? " " : "", shown, rows_get(r, 0, 3));
}

/* Records the file in batch_file with its counts. */
static int record_file(db *c, const struct file_spec *fs, const char *batch, const char *hex,
		       const struct import_file *res)
{
	char n[4][24];
	const char *params[7] = {batch, fs->name, hex, n[0], n[1], n[2], n[3]};

	snprintf(n[0], sizeof(n[0]), "%ld", res->data_rows);
	snprintf(n[1], sizeof(n[1]), "%ld", res->inserted);
	snprintf(n[2], sizeof(n[2]), "%ld", res->updated);
	snprintf(n[3], sizeof(n[3]), "%ld", res->appended);
	return file_exec(
		c, fs->name,
		"INSERT INTO cruscotto.batch_file (batch_id, file, sha256, data_rows, "
		"rows_inserted, rows_updated, rows_appended) VALUES ($1::bigint, $2::text, "
		"$3::text, $4::integer, $5::integer, $6::integer, $7::integer)",
		7, params, NULL);
}

/* Loads one file: identical-file check, header, COPY into staging, the
 * checks, the INSERT and its batch_file row. Writes *res on success. */
static int load_file(db *c, const char *path, const struct file_spec *fs, const char *batch,
		     struct import_file *res)
{
	char hex[65], names[256] = "{", *sql = NULL, msg[900];
	struct import_file fr;
	const char *params[1];
	long long nrows = 0, ins = 0, upd = 0;
	long err_line = 0;
	struct header h = {0};
	struct source src = {.fd = -1};
	rows *r = NULL;
	int rc, i;

	memset(&fr, 0, sizeof(fr));
	rc = source_open(&src, path, fs->name);
	if (rc)
		goto out;
	rc = read_header(&src, fs, &h);
	if (rc)
		goto out;
	rc = file_exec_built(c, fs->name, stage_sql(fs), 0, NULL, NULL);
	if (rc)
		goto out;
	sql = copy_sql(fs, &h);
	if (!sql) {
		rc = err_set(ERR_FAIL, "%s: out of memory", fs->name);
		goto out;
	}
	rc = db_copy_in(c, sql, source_read, &src, &err_line);
	if (rc && src.failed)
		goto out; /* the file's own error, already naming it */
	if (rc) {
		/* COPY's own message, at the physical line the server counted */
		snprintf(msg, sizeof(msg), "%s", err_last());
		if (err_line > 0)
			rc = err_set(rc, "%s:%ld: %s", fs->name, err_line, msg);
		else
			rc = err_set(rc, "%s: %s", fs->name, msg);
		goto out;
	}
	rc = source_digest(&src, hex);
	if (rc)
		goto out;
	rc = check_identical(c, fs->name, hex);
	if (rc)
		goto out;
	rc = file_exec_built(c, fs->name, rec_sql(fs), 0, NULL, NULL);
	if (rc)
		goto out;
	rc = file_exec(c, fs->name, "SELECT count(*) FROM pg_temp.import_rec", 0, NULL, &r);
	if (rc || (rc = rows_get_long(r, 0, 0, &nrows)) != 0)
		goto out;
	rows_free(r);
	r = NULL;
	for (i = 0; i < h.ncols; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? "," : "",
			 fs->cols[h.col[i]].name);
	snprintf(names + strlen(names), sizeof(names) - strlen(names), "}");
	params[0] = names;
	rc = file_exec_built(c, fs->name, check_sql(fs), 1, params, &r);
	if (rc)
		goto out;
	if (r->nrows) {
		rc = rule_error(fs, &h, r);
		goto out;
	}
	rows_free(r);
	r = NULL;
	params[0] = batch;
	rc = file_exec_built(c, fs->name, insert_sql(fs), 1, params, &r);
	if (rc || (rc = rows_get_long(r, 0, 0, &ins)) != 0 ||
	    (rc = rows_get_long(r, 0, 1, &upd)) != 0)
		goto out;
	snprintf(fr.name, sizeof(fr.name), "%s", fs->name);
	fr.data_rows = (long)nrows;
	fr.inserted = fs->upsert ? (long)ins : 0;
	fr.updated = fs->upsert ? (long)upd : 0;
	fr.appended = fs->upsert ? 0 : (long)ins;
	rc = record_file(c, fs, batch, hex, &fr);
	if (rc)
		goto out;
	/* the next file's staging tables take the same names */
	rc = file_exec(c, fs->name, "DROP TABLE pg_temp.import_stage, pg_temp.import_rec", 0, NULL,
		       NULL);
	if (rc)
		goto out;
	*res = fr;
out:
	source_close(&src);
	free(sql);
	rows_free(r);
	return rc;
}

/* Keeps the `size` smallest names seen, sorted (readdir's order is the
 * file system's). */
static void keep_ignored(struct import_summary *sum, const char *name)
{
	const int size = (int)(sizeof(sum->ignored) / sizeof(sum->ignored[0]));
	int n = sum->nignored < size ? sum->nignored : size, i;

	sum->nignored++;
	for (i = n; i > 0 && strcmp(sum->ignored[i - 1], name) > 0; i--)
		if (i < size)
			memcpy(sum->ignored[i], sum->ignored[i - 1], sizeof(sum->ignored[i]));
	if (i < size)
		snprintf(sum->ignored[i], sizeof(sum->ignored[i]), "%.*s",
			 (int)sizeof(sum->ignored[i]) - 1, name);
}

/* Which known files the folder holds, and the names of the others (hidden
 * entries aside). */
static int scan_dir(const char *dir, int present[NSPECS], struct import_summary *sum)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int i, any = 0;

	if (!d)
		return err_set(ERR_FAIL, "cannot open folder %s: %s", dir, strerror(errno));
	for (i = 0; i < NSPECS; i++)
		present[i] = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < NSPECS && strcmp(e->d_name, specs[i].name) != 0; i++)
			;
		if (i < NSPECS)
			present[i] = any = 1;
		else
			keep_ignored(sum, e->d_name);
	}
	closedir(d);
	if (!any)
		return err_set(ERR_FAIL,
			       "%s holds none of the interchange files (policies.csv, "
			       "agreements.csv, ...: see docs/IMPORT.md)",
			       dir);
	return 0;
}

/* Refuses a database that `cruscotto init` has not brought to this binary's
 * schema: the checks above rely on its helper functions and triggers. */
static int check_schema(db *c)
{
	int version = 0, rc;
	rows *r = NULL;

	/* schema_db_version's query names the version table, so it cannot run
	 * where the schema was never created */
	rc = db_exec(c, "SELECT to_regclass('cruscotto.schema_version') IS NOT NULL", 0, NULL, &r);
	if (rc == 0 && strcmp(rows_get(r, 0, 0), "t") == 0)
		rc = schema_db_version(c, &version);
	rows_free(r);
	if (rc)
		return rc;
	if (version == 0)
		return err_set(ERR_FAIL,
			       "the database has no cruscotto schema: run `cruscotto init` "
			       "first");
	if (version < schema_binary_version())
		return err_set(
			ERR_FAIL,
			"the database has schema version %d, older than this cruscotto's %d: "
			"run `cruscotto init` to upgrade it",
			version, schema_binary_version());
	if (version > schema_binary_version())
		return err_set(
			ERR_FAIL,
			"the database has schema version %d, newer than this cruscotto's %d: "
			"use a newer cruscotto",
			version, schema_binary_version());
	return 0;
}

static void progress(FILE *f, const char *name, int tty)
{
	if (!f)
		return;
	if (tty)
		fprintf(f, "\rloading %s ...\033[K", name);
	else
		fprintf(f, "loading %s ...\n", name);
	fflush(f);
}

int import_run(db *c, const char *dir, const struct import_options *opt, struct import_summary *out)
{
	static const struct import_options defaults = {0};
	struct import_summary sum;
	char path[PATH_MAX], batch[24] = "", *source = NULL;
	const char *params[1];
	int present[NSPECS], i, rc, tty, open = 0;
	rows *r = NULL;
	FILE *prog;

	if (!opt)
		opt = &defaults;
	prog = opt->progress;
	tty = prog && isatty(fileno(prog));
	memset(&sum, 0, sizeof(sum));
	rc = scan_dir(dir, present, &sum);
	if (rc)
		goto out;
	rc = check_schema(c);
	if (rc)
		goto out;
	source = realpath(dir, NULL);
	rc = db_begin(c);
	if (rc)
		goto out;
	open = 1;
	/* one import at a time: the identical-file check must see the batches
	 * of an import running alongside */
	rc = db_exec(c, "SELECT pg_advisory_xact_lock(hashtext('cruscotto.import'))", 0, NULL, &r);
	if (rc)
		goto out;
	rows_free(r);
	r = NULL;
	params[0] = source ? source : dir;
	rc = db_exec(c, "INSERT INTO cruscotto.batch (source) VALUES ($1::text) RETURNING id", 1,
		     params, &r);
	if (rc)
		goto out;
	snprintf(batch, sizeof(batch), "%s", rows_get(r, 0, 0));
	rows_free(r);
	r = NULL;
	/* read by the history trigger, for this transaction only */
	params[0] = batch;
	rc = db_exec(c, "SELECT set_config('cruscotto.batch_id', $1::text, true)", 1, params, &r);
	if (rc)
		goto out;
	for (i = 0; i < NSPECS; i++) {
		if (!present[i])
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, specs[i].name) >=
		    sizeof(path)) {
			rc = err_set(ERR_FAIL, "%s: path too long", specs[i].name);
			goto out;
		}
		progress(prog, specs[i].name, tty);
		rc = load_file(c, path, &specs[i], batch, &sum.files[sum.nfiles]);
		if (rc)
			goto out;
		sum.nfiles++;
	}
	open = 0;
	rc = opt->dry_run ? db_rollback(c) : db_commit(c);
	if (rc)
		goto out;
	/* fresh statistics, so that the next run's indicator queries are
	 * planned for the data just loaded rather than for empty tables */
	if (!opt->dry_run)
		rc = db_exec(c,
			     "ANALYZE policy, neighbourhood, agreement, agreement_area, ex_ante,"
			     " signatory, signature, project, finance, milestone, meeting,"
			     " attendance, resource, survey, response, org_event, target, weight",
			     0, NULL, NULL);
	if (rc)
		goto out;
	sum.batch_id = opt->dry_run ? 0 : atol(batch);
	*out = sum;
out:
	if (tty)
		fprintf(prog, "\r\033[K");
	if (rc && open)
		rc = fail(c, rc);
	rows_free(r);
	free(source);
	return rc;
}
