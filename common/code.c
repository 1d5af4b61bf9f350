#include "code.h"

#include <string.h>

int code_valid(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

	return n >= 1 && n <= CODE_MAX && s[n] == '\0';
}
