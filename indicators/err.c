#include "err.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char err_buf[1024];

int err_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
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
