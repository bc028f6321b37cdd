// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Fields of one line of sockscope's JSON output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_fields.h"

bool jfield(const char *line, const char *end, const char *key, char *buf,
	    size_t size)
{
	char pat[64];
	const char *p, *v;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = memmem(line, end - line, pat, strlen(pat));
	if (!p)
		return false;
	p += strlen(pat);
	if (*p == '"') {
		v = ++p;
		while (p < end && *p != '"')
			p += *p == '\\' ? 2 : 1;
	} else {
		v = p;
		while (p < end && *p != ',' && *p != '}')
			p++;
	}
	n = p - v < (long)size - 1 ? (size_t)(p - v) : size - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return true;
}

long jnum(const char *line, const char *end, const char *key)
{
	char buf[32];

	return jfield(line, end, key, buf, sizeof(buf)) ? atol(buf) : -1;
}

bool jis(const char *line, const char *end, const char *key,
	 const char *want)
{
	char buf[256];

	return jfield(line, end, key, buf, sizeof(buf)) && !strcmp(buf, want);
}
