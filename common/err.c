#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char err_buf[1024];

int err_set(int code, const char *fmt, ...)
{
	char buf[sizeof(err_buf)];
	va_list ap;

	/* formatted aside first: the arguments may include err_last() itself,
	 * when a caller adds where the failure happened */
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	memcpy(err_buf, buf, sizeof(err_buf));
	return code;
}

const char *err_last(void)
{
	return err_buf;
}

void err_clear(void)
{
	err_buf[0] = '\0';
}
