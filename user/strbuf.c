// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define SB_MIN_CAP	256

static void sb_die_oom(void)
{
	fputs("sockscope: out of memory\n", stderr);
	exit(1);
}

void sb_grow(struct strbuf *sb, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > SIZE_MAX - sb->len - 1)
		sb_die_oom();
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return;
	cap = sb->cap ? sb->cap : SB_MIN_CAP;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(sb->buf, cap);
	if (!p)
		sb_die_oom();
	sb->buf = p;
	sb->cap = cap;
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/*
 * The decimal digits of v, written backwards so that they end at end;
 * returns where they start. 20 bytes hold any unsigned long long.
 */
/* "00" to "99", two characters each. */
static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static char *digits_before(char *end, unsigned long long v)
{
	/* Two digits per 64-bit division: they are the slow part. */
	while (v >= 100) {
		end -= 2;
		memcpy(end, &two_digits[2 * (v % 100)], 2);
		v /= 100;
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, &two_digits[2 * v], 2);
		return end;
	}
	*--end = '0' + v;
	return end;
}

void sb_addu(struct strbuf *sb, unsigned long long v)
{
	char tmp[20], *end = tmp + sizeof(tmp);
	char *p = digits_before(end, v);

	sb_addn(sb, p, end - p);
}

void sb_addi(struct strbuf *sb, long long v)
{
	char tmp[21], *end = tmp + sizeof(tmp);
	/* Negated as unsigned: LLONG_MIN has no positive long long. */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
				       (unsigned long long)v;
	char *p = digits_before(end, u);

	if (v < 0)
		*--p = '-';
	sb_addn(sb, p, end - p);
}

void sb_addu_zpad(struct strbuf *sb, unsigned long long v, unsigned int width)
{
	char tmp[20], *end = tmp + sizeof(tmp);
	char *p = digits_before(end, v);

	if (width > sizeof(tmp))
		width = sizeof(tmp);
	while ((size_t)(end - p) < width)
		*--p = '0';
	sb_addn(sb, p, end - p);
}

void sb_addhex(struct strbuf *sb, unsigned long long v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[2 + 16], *end = tmp + sizeof(tmp), *p = end;

	/* printf's '#' adds no "0x" to a zero. */
	if (!v) {
		sb_addc(sb, '0');
		return;
	}
	for (; v; v >>= 4)
		*--p = digits[v & 0xf];
	*--p = 'x';
	*--p = '0';
	sb_addn(sb, p, end - p);
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	sb_grow(sb, 0);
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sb->cap - sb->len) {
		sb_grow(sb, n);
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += n;
}
