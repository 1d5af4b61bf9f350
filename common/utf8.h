/* utf8: the one UTF-8 check of cruscotto, for whatever has not been through
 * PostgreSQL's encoding check (CSV headers, request paths). */
#ifndef CR_UTF8_H
#define CR_UTF8_H

#include <stddef.h>

/* True when the `n` bytes at `s` are well-formed UTF-8 as RFC 3629 defines
 * it: no overlong form (C0 AF for '/'), no surrogate (ED A0 80), nothing
 * above U+10FFFF (F4 90 80 80), no sequence cut short. NUL bytes count as
 * characters: pass strlen(s) for a C string. */
int utf8_valid(const char *s, size_t n);

#endif
