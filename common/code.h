/* code: the identifiers of policies, agreements, organisations, surveys and
 * indicators — 1 to 64 characters of [A-Za-z0-9_.-], the `code` domain of
 * schema/001_base.sql (as version 3 of the schema writes its check). */
#ifndef CR_CODE_H
#define CR_CODE_H

/* The longest code, in bytes. */
#define CODE_MAX 64

/* The domain's check as a PostgreSQL regular expression literal, for the
 * import's set-based checks (with length() <= CODE_MAX beside it: a bounded
 * repetition {1,64} costs PostgreSQL's engine 64 states). */
#define CODE_SQL_PATTERN "'^[A-Za-z0-9_.-]+$'"

/* True when `s` is a code. */
int code_valid(const char *s);

#endif
