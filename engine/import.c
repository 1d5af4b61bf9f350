/* import: a folder of CSV files (the interchange format of docs/IMPORT.md) into the
 * database, all or nothing.
 *
 * Each file is read once, in one pass that checks it as strict RFC 4180
 * (libcsv), hashes it and streams it by COPY into a staging table of text
 * columns. One INSERT per file then stores it and holds it to its rules at
 * once: the forms the casts would accept are refused by a guard in that
 * statement, every other rule by the schema's constraints and triggers. Only
 * when the INSERT fails is the file searched, with one query, for its first
 * broken rule. A fact file skips the staging table: one COPY streams it
 * straight into its table, its values' forms checked on the way, and only
 * when that is refused is it read again through staging (load_direct).
 * The only part of a file read here before COPY is its header
 * line, which decides the COPY column list and so must be checked against
 * the known columns before any of it reaches SQL text. */
#include "import.h"

#include "code.h"
#include "err.h"
#include "sha256.h"
#include "utf8.h"
#include "schema.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	int digits;	       /* numbers: at most this many digits before the point */
	int lines;	       /* text that may span lines: a CR LF inside it is a newline */
};

#define MAX_COLS 9

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

/* A survey's, an org event's or an evidence record's policy must be its
 * agreement's (docs/IMPORT.md). */
#define SAME_POLICY_SQL                                                                            \
	"SELECT r._line, 'policy_code', r.policy_code,"                                            \
	" 'is not the policy of agreement ' || a.code || ' (' || a.policy_code || ')', 21"         \
	" FROM pg_temp.import_rec r JOIN cruscotto.agreement a ON a.code = r.agreement_code"       \
	" WHERE r.policy_code <> a.policy_code"

/* evidence.csv: the constraints of schema 007 that no column rule states. A
 * title is one line of 1-200 characters (not bytes), a summary 1-4000
 * characters with no control character but newline and tab, a control
 * character named by its code point and position; and a record belongs to
 * an agreement, a neighbourhood or (neither) the whole policy. */
#define EVIDENCE_SQL                                                                               \
	"SELECT r._line, 'title', r.title, 'has ' || char_length(r.title) || ' characters, more"   \
	" than 200', 20 FROM pg_temp.import_rec r WHERE char_length(r.title) > 200 UNION ALL"      \
	" SELECT r._line, 'title', r.title, 'holds control character ' || x.c || ' (a title is"    \
	" one line of plain text)', 21 FROM pg_temp.import_rec r CROSS JOIN LATERAL (SELECT"       \
	" cruscotto.control_at(r.title, '[\\x01-\\x1f\\x7f-\\x9f]') AS c) x WHERE r.title ~"       \
	" '[\\x01-\\x1f\\x7f-\\x9f]' UNION ALL"                                                    \
	" SELECT r._line, 'summary', r.summary, 'has ' || char_length(r.summary) || ' characters," \
	" more than 4000', 20 FROM pg_temp.import_rec r WHERE char_length(r.summary) > 4000"       \
	" UNION ALL SELECT r._line, 'summary', r.summary, 'holds control character ' || x.c ||"    \
	" ' (only newline and tab may be used)', 21 FROM pg_temp.import_rec r CROSS JOIN LATERAL"  \
	" (SELECT cruscotto.control_at(r.summary, '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]') AS c) x"  \
	" WHERE r.summary ~ '[\\x01-\\x08\\x0b-\\x1f\\x7f-\\x9f]' UNION ALL"                       \
	" SELECT r._line, 'neighbourhood_code', r.neighbourhood_code, 'must be empty when"         \
	" agreement_code is set (a record belongs to an agreement, a neighbourhood or the whole"   \
	" policy)', 22 FROM pg_temp.import_rec r WHERE r.agreement_code IS NOT NULL AND"           \
	" r.neighbourhood_code IS NOT NULL UNION ALL " SAME_POLICY_SQL

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
/* Text that may span lines, written by RFC 4180 writers with CR LF inside
 * the quotes: stored with LF (docs/DECISIONS.md). */
#define LINES(n, req)                                                                              \
	{                                                                                          \
		.name = n, .type = T_TEXT, .required = req, .lines = 1                             \
	}
#define REF(n, req, table, what)                                                                   \
	{                                                                                          \
		.name = n, .type = T_CODE, .required = req, .ref = table, .ref_what = what         \
	}
#define ENUM(n, req, vals, dflt)                                                                   \
	{                                                                                          \
		.name = n, .type = T_ENUM, .required = req, .values = vals, .def = dflt            \
	}
#define NUMBER(n, t, req, rng, msg, dflt, dig)                                                     \
	{                                                                                          \
		.name = n, .type = t, .required = req, .range = rng, .range_msg = msg,             \
		.def = dflt, .digits = dig                                                         \
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
		  NUMBER("volunteer_hour_value_eur", T_NUM, R, "v >= 0", "must be >= 0", NULL, 6),
		  NUMBER("min_cell", T_INT, O, "v >= 1", "must be >= 1", "'5'", 6)}},
	{.name = "neighbourhoods.csv",
	 .table = "neighbourhood",
	 .upsert = 1,
	 .key = {"code"},
	 .cols = {CODE("code"), TEXT("name", R),
		  NUMBER("population", T_BIGINT, R, "v >= 0", "must be >= 0", NULL, 9)}},
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
		  NUMBER("score", T_INT, R, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL, 9),
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
		  NUMBER("amount_eur", T_NUM, R, NULL, NULL, NULL, 12)}},
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
		  NUMBER("hours", T_NUM, R, "v > 0", "must be > 0", NULL, 6)}},
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
		  NUMBER("quantity", T_NUM, R, "v >= 0", "must be >= 0", NULL, 12)}},
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
		  NUMBER("score", T_INT, O, "v BETWEEN 1 AND 5", "is out of range 1-5", NULL, 9)}},
	{.name = "org_events.csv",
	 .table = "org_event",
	 .extra = SAME_POLICY_SQL,
	 .cols = {REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"), DATE("occurred_on", R),
		  ENUM("kind", R, "new_solution,process_change,new_method,training", NULL),
		  TEXT("department", R),
		  NUMBER("quantity", T_INT, O, "v >= 1", "must be >= 1", "'1'", 6),
		  TEXT("description", O)}},
	{.name = "evidence.csv",
	 .table = "evidence",
	 .upsert = 1,
	 .key = {"code"},
	 /* the constraints of schema 007 that no column rule states: a title
	  * is one line of 1-200 characters, a summary 1-4000 characters with no
	  * control character but newline and tab, and a record belongs to an
	  * agreement, a neighbourhood or (neither) the whole policy */
	 .extra = EVIDENCE_SQL,
	 .cols = {CODE("code"), REF("policy_code", R, "policy", "a policy"),
		  REF("agreement_code", O, "agreement", "an agreement"),
		  REF("neighbourhood_code", O, "neighbourhood", "a neighbourhood"),
		  DATE("recorded_on", R),
		  ENUM("kind", R, "focus_group,interview,observation,document", NULL),
		  TEXT("title", R), LINES("summary", R),
		  NUMBER("participants", T_INT, O, "v >= 1", "must be >= 1", NULL, 6)}},
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
		 " r.level, 21 FROM pg_temp.import_rec r"
		 " WHERE r.level IN ('agreement', 'neighbourhood', 'policy')"
		 " AND EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code = r.indicator)"
		 " AND NOT EXISTS (SELECT 1 FROM cruscotto.catalogue k WHERE k.code ="
		 " r.indicator AND k.level = r.level) UNION ALL"
		 " SELECT r._line, 'indicator', r.indicator, 'is neutral and takes no target', 22"
		 " FROM pg_temp.import_rec r JOIN cruscotto.catalogue k ON k.code = r.indicator"
		 " AND k.level = r.level WHERE k.polarity = 'neutral'",
	 .cols = {REF("policy_code", R, "policy", "a policy"), TEXT("indicator", R),
		  ENUM("level", R, "agreement,neighbourhood,policy", NULL),
		  NUMBER("target", T_NUM, R, NULL, NULL, NULL, 12),
		  NUMBER("amber_ratio", T_NUM, O, "v > 0 AND v <= 1", "must be in (0,1]", "'0.8'",
			 9)}},
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
		  NUMBER("weight", T_NUM, R, "v >= 0", "must be >= 0", NULL, 6)}},
};

#undef TEXT
#undef CODE
#undef DATE
#undef LINES
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

/* Writes `v` for an error message: as is when it is plain, else quoted with C
 * escapes, so that the message stays one line whatever the file holds; cut to
 * 40 bytes (on a UTF-8 boundary), and to what `size` holds (at most size - 1
 * characters, quotes and "..." included), "..." saying it was cut. */
static void show_value(const char *v, char *buf, size_t size)
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

/* One pass over a file. Every byte is read once, here: the header checked,
 * the rows COPY loads, the SHA-256 recorded and the RFC 4180 check are the
 * same bytes, even if the file is rewritten while it is being imported.
 *
 * PostgreSQL's CSV reader is lenient: a quote inside an unquoted field opens
 * a quoted section there, which silently swallows the records after it until
 * the next quote. So the bytes also go through libcsv in strict mode, which
 * refuses that, and counts the records; the count must be what COPY loaded. */
struct source {
	const char *name;
	int fd;
	char head[4096]; /* the first bytes, read before COPY starts: the header */
	size_t head_len, head_sent;
	sha256 *md;
	struct csv_parser csv;
	int csv_open;
	long line;     /* physical line being read, from 1 */
	long rec_line; /* line where the record being read started */
	int rec_ended; /* the last record has ended: the next starts a new one */
	int nfield;    /* fields ended in the record being read */
	long records;  /* records ended, the header included */
	int col;       /* bytes of the line so far */
	int marker;    /* the line so far is a prefix of "\.\r" */
	int failed;    /* the stream set the error: it is the file's error as it is */
	/* a COPY straight into the file's table (load_direct): the form each
	 * header column's values must have, checked as they stream by */
	enum type form[MAX_COLS];
	int nform;   /* header columns checked: 0 when not loading directly */
	int cut;     /* the field being read no longer fits libcsv's buffer */
	int refused; /* a value of another form: the stream stopped to load again */
};

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

/* libcsv's callbacks: only the shape is kept, not the values. */
static void csv_field(void *field, size_t len, void *arg)
{
	struct source *s = arg;

	/* a value cut short is longer than any date or number of the format */
	if (s->records > 0 && s->nfield < s->nform &&
	    (s->cut ? s->form[s->nfield] != T_TEXT : !form_ok(s->form[s->nfield], field, len)))
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
 * when it leads to a file inside `dir`. source_close() releases the source,
 * after a failure too. */
static int source_open(struct source *s, const char *dir, const char *path, const char *name)
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

static void source_close(struct source *s)
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
	if (s->refused)
		return err_set(ERR_FAIL, "%s: a value of another form than DATA.md's", s->name);
	return (long)n;
}

/* The SHA-256 of everything read, as lowercase hex; once, at the end. */
static int source_digest(struct source *s, char hex[65])
{
	if (sha256_final(s->md, hex) != 0)
		return err_set(ERR_FAIL, "%s: cannot compute its SHA-256", s->name);
	return 0;
}

/* Checks the header line, in the file's first bytes: up to the first newline, less a
 * UTF-8 BOM and a trailing \r, split on ','. Names must be the spec's own,
 * unquoted, each once, and every required column must be there. */
static int read_header(const struct source *src, const struct file_spec *fs, struct header *out)
{
	/* a header quoted in a message is cut to 64 characters: the file may be
	 * anything, not a CSV file at all */
	char buf[sizeof(src->head)], shown[65], known[512] = "";
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
	fprintf(f, "CREATE TEMP TABLE import_stage (_ord bigint GENERATED ALWAYS AS IDENTITY "
		   "(CACHE 10000)");
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

/* Writes ", VALUE AS name" for a column of the staging table s: '' made
 * NULL (an empty field is NULL, quoted or not), and in text that may span
 * lines a CR LF made LF, so that the rules and the INSERT read the value as
 * it is stored. */
static void staged_value(FILE *f, const struct column *c)
{
	if (c->lines)
		fprintf(f, ", nullif(replace(s.\"%s\", E'\\r\\n', E'\\n'), '') AS \"%s\"", c->name,
			c->name);
	else
		fprintf(f, ", nullif(s.\"%s\", '') AS \"%s\"", c->name, c->name);
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
		staged_value(f, &fs->cols[i]);
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

/* The rules a single value is held to, in the order they are judged. */
enum rule {
	RU_REQUIRED, /* required and empty */
	RU_BLANK,    /* required text of blanks only */
	RU_FORM,     /* not a code, a date, an integer, a number, one of the values */
	RU_DATE,     /* of the form YYYY-MM-DD, not a day that exists */
	RU_LARGE,    /* a number with more than `digits` digits before the point */
	RU_DECIMALS, /* a number with more than MAX_DECIMALS digits after it */
	RU_RANGE,    /* a number outside the column's range */
	RU_COUNT,
};

/* A rule's place among a column's rules in check_sql (the references come
 * next, at 6, then keys, date order and the file's own rules). */
static const int rule_prio[RU_COUNT] = {1, 2, 2, 3, 3, 4, 5};

#define MAX_DECIMALS 12
#define INT_RE "'^[+-]?[0-9]+$'"
#define NUM_RE "'^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$'"

/* The regular expression of a number column's form. */
static const char *number_re(enum type t)
{
	return t == T_NUM ? NUM_RE : INT_RE;
}

/* Writes the number of digits before the point of `v`, a number of the
 * form, as SQL: leading zeros and the sign do not count. */
static void int_digits(FILE *f, const char *v)
{
	fprintf(f, "length(ltrim(split_part(ltrim(%s, '+-'), '.', 1), '0'))", v);
}

/* Writes `range` (a condition on `v`) with each `v` read as the number the
 * SQL text `v` holds. */
static void range_expr(FILE *f, const char *range, const char *v)
{
	const char *p;

	for (p = range; *p; p++) {
		int word = (p == range || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) &&
			   !(p[1] == '_' || (p[1] >= 'a' && p[1] <= 'z'));

		if (*p == 'v' && word)
			fprintf(f, "(%s)::numeric", v);
		else
			fputc(*p, f);
	}
}

/* Writes the SQL condition that is true when the value `v` (SQL text, NULL
 * for an empty field) breaks `rule` of column `c`; false or NULL otherwise,
 * and "" (nothing written, returns 0) when the rule does not apply to the
 * column. Every condition is safe on any text: a cast is only reached by a
 * value whose form and size the cast accepts. */
static int rule_cond(FILE *f, const struct column *c, enum rule rule, const char *v)
{
	int number = c->type == T_INT || c->type == T_BIGINT || c->type == T_NUM;
	const char *re = number ? number_re(c->type) : NULL;

	switch (rule) {
	case RU_REQUIRED:
		if (!c->required)
			return 0;
		fprintf(f, "%s IS NULL", v);
		return 1;
	case RU_BLANK:
		if (!c->required || c->type != T_TEXT)
			return 0;
		fprintf(f, "%s !~ '\\S'", v);
		return 1;
	case RU_FORM:
		switch (c->type) {
		case T_TEXT:
			return 0;
		case T_CODE:
			fprintf(f, "(%s !~ " CODE_SQL_PATTERN " OR length(%s) > %d)", v, v, CODE_MAX);
			return 1;
		case T_DATE:
			fprintf(f, "%s !~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$'", v);
			return 1;
		case T_ENUM:
			fprintf(f, "%s <> ALL ('{%s}'::text[])", v, c->values);
			return 1;
		default:
			fprintf(f, "%s !~ %s", v, re);
			return 1;
		}
	case RU_DATE:
		if (c->type != T_DATE)
			return 0;
		fprintf(f, "NOT cruscotto.date_ok(%s)", v);
		return 1;
	case RU_LARGE:
		if (!number)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s THEN ", v, re);
		int_digits(f, v);
		fprintf(f, " > %d END", c->digits);
		return 1;
	case RU_DECIMALS:
		if (c->type != T_NUM)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s THEN length(split_part(%s, '.', 2)) > %d END", v, re,
			v, MAX_DECIMALS);
		return 1;
	case RU_RANGE:
		if (!c->range)
			return 0;
		fprintf(f, "CASE WHEN %s ~ %s AND ", v, re);
		int_digits(f, v);
		fprintf(f, " <= %d", c->digits);
		if (c->type == T_NUM)
			fprintf(f, " AND length(split_part(%s, '.', 2)) <= %d", v, MAX_DECIMALS);
		fprintf(f, " THEN NOT (");
		range_expr(f, c->range, v);
		fprintf(f, ") END");
		return 1;
	default:
		break;
	}
	return 0;
}

/* What the error says for `rule` of column `c` (after COLUMN VALUE). */
static void rule_msg(FILE *f, const struct column *c, enum rule rule)
{
	size_t j;

	switch (rule) {
	case RU_REQUIRED:
		fprintf(f, "is required");
		break;
	case RU_BLANK:
		fprintf(f, "is blank");
		break;
	case RU_FORM:
		if (c->type == T_CODE)
			fprintf(f, "is not a code (1-64 characters among A-Z a-z 0-9 _ . -)");
		else if (c->type == T_DATE)
			fprintf(f, "is not of the form YYYY-MM-DD");
		else if (c->type == T_NUM)
			fprintf(f, "is not a number");
		else if (c->type == T_ENUM) {
			/* "a,b,c" is both the array literal and, spaced, the message */
			fprintf(f, "is not one of ");
			for (j = 0; c->values[j]; j++)
				if (c->values[j] == ',')
					fputs(", ", f);
				else
					fputc(c->values[j], f);
		} else
			fprintf(f, "is not an integer");
		break;
	case RU_DATE:
		fprintf(f, "is not a date");
		break;
	case RU_LARGE:
		fprintf(f, "is too large");
		break;
	case RU_DECIMALS:
		fprintf(f, "has more than %d decimals", MAX_DECIMALS);
		break;
	case RU_RANGE:
		fprintf(f, "%s", c->range_msg ? c->range_msg : "");
		break;
	default:
		break;
	}
}

/* rule_cond, into *cond (caller frees): 1 when the rule applies, 0 when it
 * does not (nothing allocated), -1 when out of memory. */
static int rule_str(const struct column *c, enum rule rule, const char *v, char **cond)
{
	size_t len = 0;
	FILE *f;
	int applies;

	*cond = NULL;
	f = open_memstream(cond, &len);
	if (!f)
		return -1;
	applies = rule_cond(f, c, rule, v);
	if (fclose(f) != 0) {
		free(*cond);
		*cond = NULL;
		return -1;
	}
	if (!applies) {
		free(*cond);
		*cond = NULL;
	}
	return applies;
}

/* Every rule of docs/IMPORT.md for this file as one query over the staging records,
 * returning the first broken one: lowest line, then leftmost column of the
 * header ($1, the header's names), then the order the rules are written in
 * (a value's form before its size and range, before what it refers to). Run
 * only when the file is known to break a rule, to name the first one. */
static char *check_sql(const struct file_spec *fs)
{
	static const char from[] = "FROM pg_temp.import_rec r";
	char *buf = NULL, v[80];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j, first = 1, nkey;
	enum rule ru;

	if (!f)
		return NULL;
	fprintf(f, "SELECT e._line, e.col, e.val, e.rule FROM (");
	for (i = 0; fs->cols[i].name; i++) {
		const struct column *c = &fs->cols[i];
		const char *n = c->name;

		snprintf(v, sizeof(v), "r.\"%s\"", n);
		for (ru = 0; ru < RU_COUNT; ru++) {
			char *cond = NULL, *msg = NULL;
			size_t mlen = 0;
			FILE *mf = open_memstream(&msg, &mlen);
			int applies = mf ? rule_str(c, ru, v, &cond) : -1;

			if (mf && applies > 0)
				rule_msg(mf, c, ru);
			if (!mf || fclose(mf) != 0 || applies < 0) {
				free(cond);
				free(msg);
				fclose(f);
				free(buf);
				return NULL;
			}
			if (applies)
				branch(f, &first,
				       "SELECT r._line, '%s'::text, %s::text, '%s'::text, %d %s "
				       "WHERE %s",
				       n, ru == RU_REQUIRED ? "NULL" : v, msg, rule_prio[ru], from,
				       cond);
			free(cond);
			free(msg);
		}
		if (c->ref)
			branch(f, &first,
			       "SELECT r._line, '%s', r.\"%s\", 'does not name %s', 6 %s WHERE "
			       "r.\"%s\" ~ " CODE_SQL_PATTERN " AND length(r.\"%s\") <= %d"
			       " AND NOT EXISTS (SELECT 1 FROM cruscotto.%s t "
			       "WHERE t.code = r.\"%s\")",
			       n, n, c->ref_what, from, n, n, CODE_MAX, c->ref, n);
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
			       "WHERE CASE WHEN cruscotto.date_ok(r.\"%s\") AND "
			       "cruscotto.date_ok(r.\"%s\") THEN r.\"%s\"::date < r.\"%s\"::date "
			       "END",
			       fs->order[j], fs->order[j], fs->order[i], fs->order[i], 10 + j - i,
			       from, fs->order[j], fs->order[i], fs->order[j], fs->order[i]);
	if (fs->extra)
		branch(f, &first, "%s", fs->extra);
	fprintf(f, ") e(_line, col, val, rule, prio) ORDER BY e._line, "
		   "array_position($1::text[], e.col), e.prio LIMIT 1");
	return sql_end(f, &buf);
}

/* The value a column is stored as: its cast, with the default of docs/IMPORT.md
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

/* Writes the guard of the statements that store staged records `r`: a
 * condition that is true for a record, or raises (cruscotto.import_refuse)
 * when one of its dates, integers or numbers has another form than
 * DATA.md's. Returns 0, or -1 when out of memory. */
static int guard(FILE *f, const struct file_spec *fs)
{
	char v[80];
	int i, any = 0;

	fprintf(f, "CASE WHEN ");
	for (i = 0; fs->cols[i].name; i++) {
		char *cond = NULL;
		int applies;

		if (fs->cols[i].type == T_TEXT || fs->cols[i].type == T_CODE ||
		    fs->cols[i].type == T_ENUM)
			continue;
		snprintf(v, sizeof(v), "r.\"%s\"", fs->cols[i].name);
		applies = rule_str(&fs->cols[i], RU_FORM, v, &cond);
		if (applies < 0)
			return -1;
		if (applies)
			fprintf(f, "%s(%s)", any++ ? " OR " : "", cond);
		free(cond);
	}
	fprintf(f, "%s THEN cruscotto.import_refuse() ELSE true END", any ? "" : "false");
	return 0;
}

/* The INSERT of the staged rows, with a guard that refuses (through
 * cruscotto.import_refuse) a date, an integer or a number of another form
 * than docs/IMPORT.md's, which the casts would read ("2016-1-5", " 5", "1e5",
 * "NaN"). Every other rule is one the INSERT fails on by itself: a cast that
 * fails (2019-02-30, a number of a million digits), or a constraint or
 * trigger of the schema (required, code, enumeration, blank text, range,
 * bound, reference, key). So a file that breaks no rule is checked in the
 * scan that stores it, with no query per rule; one that breaks any is then
 * searched for its first broken rule.
 *
 * Entities are upserted: a known key is updated only when a value differs,
 * so an unchanged row keeps its batch and leaves no history; the statement
 * returns (inserted, updated), xmax = 0 telling an inserted row from an
 * updated one. Facts are appended, all of them or none. $1 is the batch. */
static char *insert_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j, n;

	if (!f)
		return NULL;
	if (fs->upsert)
		fprintf(f, "WITH w AS (");
	fprintf(f, "INSERT INTO cruscotto.%s AS t (", fs->table);
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, "\"%s\", ", fs->cols[i].name);
	fprintf(f, "batch_id) SELECT ");
	for (i = 0; fs->cols[i].name; i++) {
		insert_expr(f, &fs->cols[i]);
		fprintf(f, ", ");
	}
	fprintf(f, "$1::bigint FROM (SELECT s._ord");
	for (i = 0; fs->cols[i].name; i++)
		staged_value(f, &fs->cols[i]);
	fprintf(f, " FROM pg_temp.import_stage s) r WHERE ");
	if (guard(f, fs) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	/* a serial id follows the file's order */
	if (!fs->upsert && !fs->key[0])
		fprintf(f, " ORDER BY r._ord");
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
		fprintf(f, ") RETURNING (t.xmax = 0) AS ins) SELECT count(*) FILTER (WHERE "
			   "w.ins), count(*) FILTER (WHERE NOT w.ins) FROM w");
	}
	return sql_end(f, &buf);
}

/* The upsert of insert_sql for a table whose indexes are being built again
 * (no unique index for ON CONFLICT to lean on): one statement that updates,
 * by a join on the key, the rows whose key the table holds and a value
 * differs, and inserts the others. The same guard, the same rules, the same
 * result (inserted, updated); every staged row goes through the guard, as
 * the INSERT reads them all. $1 is the batch. */
static char *split_upsert_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j, n;

	if (!f)
		return NULL;
	fprintf(f, "WITH n AS MATERIALIZED (SELECT ");
	for (i = 0; fs->cols[i].name; i++) {
		fprintf(f, "%s", i ? ", " : "");
		insert_expr(f, &fs->cols[i]);
		fprintf(f, " AS \"%s\"", fs->cols[i].name);
	}
	fprintf(f, " FROM (SELECT s._ord");
	for (i = 0; fs->cols[i].name; i++)
		staged_value(f, &fs->cols[i]);
	fprintf(f, " FROM pg_temp.import_stage s) r WHERE ");
	if (guard(f, fs) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fprintf(f, "), ");
	fprintf(f, "u AS (UPDATE cruscotto.%s AS t SET ", fs->table);
	for (i = 0; fs->cols[i].name; i++)
		if (!is_key(fs, fs->cols[i].name))
			fprintf(f, "\"%s\" = n.\"%s\", ", fs->cols[i].name, fs->cols[i].name);
	fprintf(f, "batch_id = $1::bigint FROM n WHERE ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "t.\"%s\" = n.\"%s\" AND ", fs->key[j], fs->key[j]);
	fprintf(f, "ROW(");
	for (i = 0, n = 0; fs->cols[i].name; i++)
		if (!is_key(fs, fs->cols[i].name))
			fprintf(f, "%st.\"%s\"", n++ ? ", " : "", fs->cols[i].name);
	fprintf(f, ") IS DISTINCT FROM ROW(");
	for (i = 0, n = 0; fs->cols[i].name; i++)
		if (!is_key(fs, fs->cols[i].name))
			fprintf(f, "%sn.\"%s\"", n++ ? ", " : "", fs->cols[i].name);
	fprintf(f, ") RETURNING 1), i AS (INSERT INTO cruscotto.%s (", fs->table);
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, "\"%s\", ", fs->cols[i].name);
	fprintf(f, "batch_id) SELECT ");
	for (i = 0; fs->cols[i].name; i++)
		fprintf(f, "n.\"%s\", ", fs->cols[i].name);
	fprintf(f, "$1::bigint FROM n WHERE NOT EXISTS (SELECT 1 FROM cruscotto.%s x WHERE ",
		fs->table);
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%sx.\"%s\" = n.\"%s\"", j ? " AND " : "", fs->key[j], fs->key[j]);
	fprintf(f, ") RETURNING 1) SELECT (SELECT count(*) FROM i), (SELECT count(*) FROM u)");
	return sql_end(f, &buf);
}

/* For an upserted file: a row whose key an earlier row of the file holds.
 * ON CONFLICT refuses a key met twice only when the first row changed
 * something, so a repeated key is looked for first. */
static char *repeat_sql(const struct file_spec *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int j;

	if (!f)
		return NULL;
	fprintf(f, "SELECT 1 FROM pg_temp.import_stage s WHERE ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%ss.\"%s\" <> ''", j ? " AND " : "", fs->key[j]);
	fprintf(f, " GROUP BY ");
	for (j = 0; fs->key[j]; j++)
		fprintf(f, "%ss.\"%s\"", j ? ", " : "", fs->key[j]);
	fprintf(f, " HAVING count(*) > 1 LIMIT 1");
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

/* Names the first rule the staged file breaks, once its INSERT (or the
 * repeated-key check) has refused it: builds the records with their physical
 * lines and runs check_sql. `why` is the database's own refusal, reported
 * when no rule of the file explains it. Always returns an error. */
static int first_error(db *c, const struct file_spec *fs, const struct header *h, const char *why)
{
	char names[256] = "{", msg[900];
	const char *params[1] = {names};
	rows *r = NULL;
	int rc, i;

	snprintf(msg, sizeof(msg), "%s", why);
	rc = file_exec_built(c, fs->name, rec_sql(fs), 0, NULL, NULL);
	if (rc)
		goto out;
	for (i = 0; i < h->ncols; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? "," : "",
			 fs->cols[h->col[i]].name);
	snprintf(names + strlen(names), sizeof(names) - strlen(names), "}");
	rc = file_exec_built(c, fs->name, check_sql(fs), 1, params, &r);
	if (rc)
		goto out;
	if (r->nrows)
		rc = rule_error(fs, h, r);
	else
		rc = err_set(ERR_FAIL, "%s: %s", fs->name, msg);
out:
	rows_free(r);
	return rc;
}

/* Appends of fewer rows keep their indexes: rebuilding costs more than a
 * few row-by-row updates. */
#define REBUILD_MIN 1000

/* Runs `pre` 'cruscotto.TABLE' `post` for the file's table, the name bound. */
static int table_call(db *c, const struct file_spec *fs, const char *pre, const char *post)
{
	char sql[128], table[64];
	const char *params[1] = {table};
	rows *r = NULL;
	int rc;

	snprintf(sql, sizeof(sql), "%s$1::regclass%s", pre, post);
	snprintf(table, sizeof(table), "cruscotto.%s", fs->table);
	rc = file_exec(c, fs->name, sql, 1, params, &r);
	rows_free(r);
	return rc;
}

/* Whether writing `nrows` rows to the file's table should rebuild its
 * indexes: when the table holds fewer rows than that (counted no further)
 * and no foreign key refers to it (a key it needs could not be dropped). */
static int rebuild_wanted(db *c, const struct file_spec *fs, long long nrows, int *out)
{
	char sql[320], n[24];
	const char *params[1] = {n};
	long long held = 0;
	rows *r = NULL;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT count(*), EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contype = 'f' AND "
		 "k.confrelid = 'cruscotto.%s'::regclass) FROM (SELECT 1 FROM cruscotto.%s LIMIT "
		 "$1::bigint) s",
		 fs->table, fs->table);
	snprintf(n, sizeof(n), "%lld", nrows);
	rc = file_exec(c, fs->name, sql, 1, params, &r);
	if (rc == 0)
		rc = rows_get_long(r, 0, 0, &held);
	if (rc == 0)
		*out = held < nrows && strcmp(rows_get(r, 0, 1), "f") == 0;
	rows_free(r);
	return rc;
}

/* Loads one file through staging: COPY into a staging table (with the RFC
 * 4180 check and the SHA-256 in the same pass), identical-file check, then
 * the INSERT, which holds the file to its rules as it stores it (a
 * savepoint undoes it when it refuses, and the first broken rule is then
 * looked for). Writes *res and the file's SHA-256 in hex on success. */
static int load_staged(db *c, const struct file_spec *fs, const struct header *h,
		       struct source *src, const char *batch, char hex[65], struct import_file *res)
{
	char *sql = NULL, msg[900];
	struct import_file fr;
	const char *params[1];
	long long nrows = 0, ins = 0, upd = 0;
	long err_line = 0;
	rows *r = NULL;
	int rc, rebuild = 0;

	memset(&fr, 0, sizeof(fr));
	rc = file_exec_built(c, fs->name, stage_sql(fs), 0, NULL, NULL);
	if (rc)
		goto out;
	sql = copy_sql(fs, h);
	if (!sql) {
		rc = err_set(ERR_FAIL, "%s: out of memory", fs->name);
		goto out;
	}
	rc = db_copy_in_rows(c, sql, source_read, src, &err_line, &nrows);
	if (rc && src->failed)
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
	rc = source_digest(src, hex);
	if (rc)
		goto out;
	rc = check_identical(c, fs->name, hex);
	if (rc)
		goto out;
	/* the header is a record too */
	if (nrows != (src->records > 0 ? src->records - 1 : 0)) {
		rc = err_set(ERR_FAIL,
			     "%s: the file holds %ld records but PostgreSQL's COPY read %lld: "
			     "nothing imported",
			     fs->name, src->records > 0 ? src->records - 1 : 0, nrows);
		goto out;
	}
	rc = file_exec(c, fs->name, "SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	if (fs->upsert) {
		rc = file_exec_built(c, fs->name, repeat_sql(fs), 0, NULL, &r);
		if (rc)
			goto out;
		if (r->nrows) {
			rc = first_error(c, fs, h, "a key is repeated");
			goto out;
		}
		rows_free(r);
		r = NULL;
	}
	/* a large load into a table that holds fewer rows: its indexes are
	 * built again after the INSERT rather than updated row by row */
	if (nrows >= REBUILD_MIN) {
		rc = rebuild_wanted(c, fs, nrows, &rebuild);
		if (rc == 0 && rebuild)
			rc = table_call(c, fs, "SELECT cruscotto.import_indexes_drop(", ")");
		if (rc)
			goto out;
	}
	params[0] = batch;
	free(sql);
	sql = fs->upsert && rebuild ? split_upsert_sql(fs) : insert_sql(fs);
	if (!sql) {
		rc = err_set(ERR_FAIL, "%s: out of memory", fs->name);
		goto out;
	}
	rc = db_exec(c, sql, 1, params, fs->upsert ? &r : NULL);
	if (rc == 0 && rebuild) {
		rows *done = NULL;

		rc = db_exec(c, "SELECT cruscotto.import_indexes_restore()", 0, NULL, &done);
		rows_free(done);
	}
	if (rc == ERR_FAIL) {
		/* the rule broken is named from the records as they were staged */
		snprintf(msg, sizeof(msg), "%s", err_last());
		rc = db_exec(c, "ROLLBACK TO SAVEPOINT import_file", 0, NULL, NULL);
		rc = rc ? err_set(rc, "%s: %s", fs->name, msg) : first_error(c, fs, h, msg);
		goto out;
	}
	if (rc) {
		snprintf(msg, sizeof(msg), "%s", err_last());
		rc = err_set(rc, "%s: %s", fs->name, msg);
		goto out;
	}
	if (fs->upsert &&
	    ((rc = rows_get_long(r, 0, 0, &ins)) != 0 || (rc = rows_get_long(r, 0, 1, &upd)) != 0))
		goto out;
	if (!fs->upsert)
		ins = nrows;
	rc = file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	snprintf(fr.name, sizeof(fr.name), "%s", fs->name);
	fr.data_rows = (long)nrows;
	fr.inserted = fs->upsert ? (long)ins : 0;
	fr.updated = fs->upsert ? (long)upd : 0;
	fr.appended = fs->upsert ? 0 : (long)ins;
	/* the next file's staging table takes the same name */
	rc = file_exec(c, fs->name, "DROP TABLE pg_temp.import_stage", 0, NULL, NULL);
	if (rc)
		goto out;
	*res = fr;
out:
	free(sql);
	rows_free(r);
	return rc;
}

/* Whether a file can be COPYed straight into its table (load_direct): an
 * appended fact file whose values are stored as written, without a default
 * for an empty field, a CR LF to rewrite or a rule of its own over other
 * tables. */
static int direct_ok(const struct file_spec *fs)
{
	int i;

	if (fs->upsert || fs->extra)
		return 0;
	for (i = 0; fs->cols[i].name; i++)
		if (fs->cols[i].def || fs->cols[i].lines)
			return 0;
	return 1;
}

/* COPY of the file straight into its table: the header's columns, an empty
 * field NULL quoted or not, batch_id taken from the import's setting (its
 * default, schema 010). */
static char *direct_sql(const struct file_spec *fs, const struct header *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	if (!f)
		return NULL;
	fprintf(f, "COPY cruscotto.%s (", fs->table);
	for (i = 0; i < h->ncols; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", fs->cols[h->col[i]].name);
	fprintf(f, ") FROM STDIN (FORMAT csv, HEADER true, FORCE_NULL (");
	for (i = 0; i < h->ncols; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", fs->cols[h->col[i]].name);
	fprintf(f, "))");
	return sql_end(f, &buf);
}

/* The rows a file holds, estimated from its size and its first bytes (the
 * header line left out). */
static long long rows_estimate(const struct source *src, long long size)
{
	long long lines = 0;
	size_t i;

	for (i = 0; i < src->head_len; i++)
		lines += src->head[i] == '\n';
	if (src->head_len < sizeof(src->head) - 1 || lines < 2)
		return lines > 0 ? lines - 1 : 0;
	return size * lines / (long long)src->head_len - 1;
}

/* Undoes what a file did since its savepoint, and the savepoint. */
static int file_undo(db *c, const struct file_spec *fs)
{
	int rc = file_exec(c, fs->name, "ROLLBACK TO SAVEPOINT import_file", 0, NULL, NULL);

	return rc ? rc : file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
}

/* Loads a fact file (direct_ok, a regular file of `size` bytes) by one COPY
 * straight into its table, the fastest PostgreSQL stores rows: the values'
 * forms are checked here as they stream by (form_ok), every other rule is
 * the table's (a cast, a constraint, a trigger, the primary key). Returns 0
 * with *res and the file's SHA-256 in hex when the file is stored, 1 when a
 * value or the database refused it (all undone: the caller loads the file
 * again through staging, which names the first broken rule), else an
 * error: the file's own (RFC 4180, read) or the database's. */
static int load_direct(db *c, const struct file_spec *fs, const struct header *h,
		       struct source *src, long long size, char hex[65], struct import_file *res)
{
	char *sql = NULL, msg[900];
	long long nrows = 0, est = rows_estimate(src, size);
	long err_line = 0;
	int rc, i, rebuild = 0;

	for (i = 0; i < h->ncols; i++)
		src->form[i] = fs->cols[h->col[i]].type;
	src->nform = h->ncols;
	rc = file_exec(c, fs->name, "SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	if (est >= REBUILD_MIN) {
		rc = rebuild_wanted(c, fs, est, &rebuild);
		if (rc == 0 && rebuild)
			rc = table_call(c, fs, "SELECT cruscotto.import_indexes_drop(", ")");
		if (rc)
			goto out;
	}
	sql = direct_sql(fs, h);
	if (!sql) {
		rc = err_set(ERR_FAIL, "%s: out of memory", fs->name);
		goto out;
	}
	rc = db_copy_in_rows(c, sql, source_read, src, &err_line, &nrows);
	if (rc && src->failed)
		goto out; /* the file's own error, already naming it */
	if (rc == 0 && rebuild) {
		rows *done = NULL;

		rc = db_exec(c, "SELECT cruscotto.import_indexes_restore()", 0, NULL, &done);
		rows_free(done);
	}
	if (rc == ERR_FAIL || (rc && src->refused)) {
		rc = file_undo(c, fs);
		if (rc == 0)
			rc = 1;
		goto out;
	}
	if (rc) {
		snprintf(msg, sizeof(msg), "%s", err_last());
		rc = err_set(rc, "%s: %s", fs->name, msg);
		goto out;
	}
	rc = source_digest(src, hex);
	if (rc == 0)
		rc = check_identical(c, fs->name, hex);
	if (rc)
		goto out;
	/* the header is a record too */
	if (nrows != (src->records > 0 ? src->records - 1 : 0)) {
		rc = err_set(ERR_FAIL,
			     "%s: the file holds %ld records but PostgreSQL's COPY read %lld: "
			     "nothing imported",
			     fs->name, src->records > 0 ? src->records - 1 : 0, nrows);
		goto out;
	}
	rc = file_exec(c, fs->name, "RELEASE SAVEPOINT import_file", 0, NULL, NULL);
	if (rc)
		goto out;
	memset(res, 0, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", fs->name);
	res->data_rows = (long)nrows;
	res->appended = (long)nrows;
out:
	free(sql);
	return rc;
}

/* Loads one file: its header, then the file by load_direct when it can
 * (read again through staging when that refuses it) or by load_staged, and
 * its batch_file row. Writes *res on success. */
static int load_file(db *c, const char *dir, const char *path, const struct file_spec *fs,
		     const char *batch, struct import_file *res)
{
	char hex[65];
	struct import_file fr;
	struct header h = {0};
	struct source src = {.fd = -1};
	struct stat st;
	int rc, staged = 1;

	memset(&fr, 0, sizeof(fr));
	rc = source_open(&src, dir, path, fs->name);
	if (rc == 0)
		rc = read_header(&src, fs, &h);
	if (rc)
		goto out;
	/* a regular file only: a pipe cannot be read a second time */
	if (direct_ok(fs) && fstat(src.fd, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = load_direct(c, fs, &h, &src, (long long)st.st_size, hex, &fr);
		staged = rc == 1;
		if (staged) {
			source_close(&src);
			rc = source_open(&src, dir, path, fs->name);
			if (rc == 0)
				rc = read_header(&src, fs, &h);
		}
		if (rc)
			goto out;
	}
	if (staged)
		rc = load_staged(c, fs, &h, &src, batch, hex, &fr);
	if (rc == 0)
		rc = record_file(c, fs, batch, hex, &fr);
	if (rc == 0)
		*res = fr;
out:
	source_close(&src);
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
	/* the checks rely on the schema's helper functions and triggers */
	rc = schema_check(c);
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
		rc = load_file(c, dir, path, &specs[i], batch, &sum.files[sum.nfiles]);
		if (rc)
			goto out;
		sum.nfiles++;
	}
	/* fresh statistics, so that the next run's indicator queries are
	 * planned for the data just loaded rather than for empty tables; in the
	 * transaction, so that a failure there leaves nothing stored, like any
	 * other, and a committed import is a finished one */
	if (!opt->dry_run) {
		char analyze[512] = "ANALYZE ";

		for (i = 0; i < NSPECS; i++)
			if (present[i])
				snprintf(analyze + strlen(analyze),
					 sizeof(analyze) - strlen(analyze), "%scruscotto.%s",
					 strlen(analyze) > 8 ? ", " : "", specs[i].table);
		rc = db_exec(c, analyze, 0, NULL, NULL);
		if (rc)
			goto out;
	}
	open = 0;
	rc = opt->dry_run ? db_rollback(c) : db_commit(c);
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
