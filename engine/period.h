/* period: calendar quarters written YYYY-Qn, and their as-of dates. */
#ifndef CR_PERIOD_H
#define CR_PERIOD_H

struct period {
	int year;
	int quarter; /* 1-4 */
};

/* Parses "YYYY-Qn" (year 1900-9999); returns 0 and *out, or ERR_USAGE with
 * a message saying what is wrong. */
int period_parse(const char *text, struct period *out);

/* Writes "YYYY-Qn" into buf (at least 8 bytes). */
void period_format(struct period p, char *buf);

/* Writes the first / last day (the as-of date) as YYYY-MM-DD into buf (at
 * least 11 bytes). */
void period_start(struct period p, char *buf);
void period_end(struct period p, char *buf);

/* The quarter `n` quarters before p (n may be negative). */
struct period period_back(struct period p, int n);

/* The quarter that contains a YYYY-MM-DD date; returns 0 or ERR_FAIL. */
int period_of_date(const char *date, struct period *out);

/* Negative, 0 or positive as a is before, equal to or after b. */
int period_cmp(struct period a, struct period b);

#endif
