/* err: the calling thread's last error message.
 *
 * A failing function sets the message once, where the failure happens, and
 * returns a negative code; callers pass the code up unchanged and only the
 * outermost caller (main, the HTTP handler) prints err_last(). */
#ifndef CR_ERR_H
#define CR_ERR_H

/* Error codes returned by every fallible function (0 = ok). */
enum {
	ERR_FAIL = -1,	   /* any failure not listed below */
	ERR_USAGE = -2,	   /* bad command line: main exits with 2 */
	ERR_NOTFOUND = -3, /* an unknown policy, agreement, period, revision */
	ERR_DB = -4,	   /* the database could not be reached or went away */
};

/* Formats the message (printf-style) into the thread's buffer and returns
 * `code`, so that a failure reads `return err_set(ERR_FAIL, "...", ...)`.
 * The arguments may include err_last(), to say where a failure happened. */
int err_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The thread's last message ("" when none); valid until the next err_set. */
const char *err_last(void);

/* Forgets the last message. */
void err_clear(void);

#endif
