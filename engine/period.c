#include "period.h"

#include "err.h"

#include <stdio.h>
#include <string.h>

int period_parse(const char *text, struct period *out)
{
	int year, quarter, len = 0;

	if (sscanf(text, "%4d-Q%1d%n", &year, &quarter, &len) != 2 || len != 7 ||
	    strlen(text) != 7 || text[0] < '0' || text[0] > '9')
		return err_set(ERR_USAGE, "period %s is not of the form YYYY-Qn (e.g. 2018-Q4)",
			       text);
	if (year < 1900 || quarter < 1 || quarter > 4)
		return err_set(ERR_USAGE,
			       "period %s: the year must be 1900-9999 and the quarter 1-4", text);
	out->year = year;
	out->quarter = quarter;
	return 0;
}

void period_format(struct period p, char *buf)
{
	snprintf(buf, 8, "%04u-Q%u", (unsigned)p.year % 10000u, (unsigned)p.quarter % 10u);
}

void period_start(struct period p, char *buf)
{
	snprintf(buf, 11, "%04u-%02u-01", (unsigned)p.year % 10000u,
		 ((unsigned)(p.quarter - 1) & 3u) * 3u + 1u);
}

void period_end(struct period p, char *buf)
{
	static const char *const ends[] = {"03-31", "06-30", "09-30", "12-31"};

	snprintf(buf, 11, "%04u-%s", (unsigned)p.year % 10000u, ends[(p.quarter - 1) & 3]);
}

struct period period_back(struct period p, int n)
{
	int q = p.year * 4 + (p.quarter - 1) - n;

	p.year = q / 4;
	p.quarter = q % 4 + 1;
	return p;
}

int period_of_date(const char *date, struct period *out)
{
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return err_set(ERR_FAIL, "%s is not a date", date);
	out->year = y;
	out->quarter = (m - 1) / 3 + 1;
	return 0;
}

int period_cmp(struct period a, struct period b)
{
	return (a.year * 4 + a.quarter) - (b.year * 4 + b.quarter);
}
