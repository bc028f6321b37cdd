/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reference UTF-8, for the tests: decoding, validity and encoding written
 * apart from user/format.c on purpose (a check that shared the code it
 * checks could not fail). Header-only (static functions), for the fuzz
 * targets and the tests alike.
 */
#ifndef SOCKSCOPE_FUZZ_UTF8_REF_H
#define SOCKSCOPE_FUZZ_UTF8_REF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The code point of the UTF-8 sequence at p, and its length in *len; -1
 * (and *len 1) when no valid sequence starts there: a stray continuation
 * byte, a cut-short, overlong or surrogate form, or above U+10FFFF.
 */
static inline long ref_utf8_decode(const unsigned char *p, size_t avail,
				   size_t *len)
{
	static const long min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, i;
	long cp;

	*len = 1;
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return -1;
	}
	if (avail < n)
		return -1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min_for_len[n] || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = n;
	return cp;
}

static inline bool ref_utf8_valid(const void *bytes, size_t n)
{
	const unsigned char *p = bytes;
	size_t i = 0, len;

	while (i < n) {
		if (ref_utf8_decode(p + i, n - i, &len) < 0)
			return false;
		i += len;
	}
	return true;
}

/* Appends code point cp to out as UTF-8 (out has room for 4 bytes). */
static inline size_t ref_utf8_encode(long cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

#endif
