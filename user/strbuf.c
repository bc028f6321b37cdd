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

/* "00" to "99", two characters each. */
static const char two_digits[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

/* 10^0 to 10^19: every power of ten an unsigned long long holds. */
static const unsigned long long pow10[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/*
 * How many decimal digits v has (1 for 0, 20 at most). Knowing it first
 * lets the digits be written straight into the buffer, with no copy
 * after. A number of b bits has about b * log10(2) digits, and
 * 1233 / 4096 is log10(2) a little rounded up: t is the digit count or
 * one more, which the one comparison settles. No division is needed.
 */
static unsigned int decimal_width(unsigned long long v)
{
	unsigned long long x = v | 1;	/* clzll(0) is undefined */
	unsigned int t = (64 - __builtin_clzll(x)) * 1233 >> 12;

	return t + 1 - (x < pow10[t]);
}

/*
 * The decimal digits of v, written backwards so that they end at end.
 * Two digits per division: they are the slow part. Below 2^32 (pids,
 * fds, lengths, microseconds: nearly every number) the divisions are
 * 32-bit ones, a multiply and a shift, not the 64-bit multiply's longer
 * sequence.
 */
static void digits_before(char *end, unsigned long long v)
{
	unsigned int w;

	while (v > 0xffffffffULL) {
		end -= 2;
		memcpy(end, &two_digits[2 * (v % 100)], 2);
		v /= 100;
	}
	w = (unsigned int)v;
	while (w >= 100) {
		unsigned int q = w / 100;

		end -= 2;
		memcpy(end, &two_digits[2 * (w - q * 100)], 2);
		w = q;
	}
	if (w >= 10)
		memcpy(end - 2, &two_digits[2 * w], 2);
	else
		end[-1] = '0' + w;
}

char *sb_put_u(char *p, unsigned long long v)
{
	unsigned int n = decimal_width(v);

	digits_before(p + n, v);
	return p + n;
}

char *sb_put_u_zpad(char *p, unsigned long long v, unsigned int width)
{
	unsigned int n = decimal_width(v), zeros;

	if (width > 20)
		width = 20;
	zeros = width > n ? width - n : 0;
	/* zeros + n is 20 at most: 20 zeros, a copy of a known size that
	 * takes a few moves (a loop would become a call of memset), then
	 * the digits over the last n of the zeros + n kept. */
	memcpy(p, "00000000000000000000", 20);
	digits_before(p + zeros + n, v);
	return p + zeros + n;
}

void sb_addu(struct strbuf *sb, unsigned long long v)
{
	sb_commit_to(sb, sb_put_u(sb_claim(sb, 20), v));
}

char *sb_put_i(char *p, long long v)
{
	/* Negated as unsigned: LLONG_MIN has no positive long long. */
	if (v < 0) {
		*p++ = '-';
		return sb_put_u(p, 0ULL - (unsigned long long)v);
	}
	return sb_put_u(p, v);
}

void sb_addi(struct strbuf *sb, long long v)
{
	sb_commit_to(sb, sb_put_i(sb_claim(sb, 21), v));
}

void sb_addu_zpad(struct strbuf *sb, unsigned long long v, unsigned int width)
{
	sb_commit_to(sb, sb_put_u_zpad(sb_claim(sb, 20), v, width));
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
