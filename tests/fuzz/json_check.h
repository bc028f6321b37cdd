/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A strict JSON (RFC 8259) validator for checking sockscope's output; the
 * reference UTF-8 the checks compare the formatters against is in
 * utf8_ref.h. Written apart from user/format.c on purpose: a check that
 * shared the code it checks could not fail.
 *
 * Strict means: UTF-8 only, no control characters in strings, escapes as
 * the RFC lists them, a \u surrogate only as a high-low pair, numbers
 * without leading zeros, nothing after the value but whitespace; and,
 * beyond the RFC, no key twice in one object.
 *
 * Header-only (static functions), so that both the libFuzzer targets and
 * tests/test_bad_input.c compile it without their own build rules.
 */
#ifndef SOCKSCOPE_FUZZ_JSON_CHECK_H
#define SOCKSCOPE_FUZZ_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "utf8_ref.h"

/* --- the validator ------------------------------------------------------- */

#define JSON_MAX_DEPTH	64
#define JSON_MAX_KEYS	64	/* per object, for the duplicate check */

struct json_parser {
	const unsigned char *p, *end;
	const char *error;	/* what is wrong, NULL while all is well */
	size_t error_at;	/* offset of the problem */
	const unsigned char *start;
	int depth;
	/* A decoded string (when the caller wants it), UTF-8. */
	unsigned char *decoded;
	size_t decoded_len, decoded_cap;
};

static inline bool json_fail(struct json_parser *jp, const char *what)
{
	if (!jp->error) {
		jp->error = what;
		jp->error_at = jp->p - jp->start;
	}
	return false;
}

static inline void json_skip_ws(struct json_parser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' ||
				   *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static inline bool json_literal(struct json_parser *jp, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(jp->end - jp->p) < n || memcmp(jp->p, word, n))
		return json_fail(jp, "bad literal");
	jp->p += n;
	return true;
}

static inline bool json_digits(struct json_parser *jp)
{
	const unsigned char *from = jp->p;

	while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
		jp->p++;
	return jp->p > from || json_fail(jp, "digit expected");
}

static inline bool json_number(struct json_parser *jp)
{
	if (jp->p < jp->end && *jp->p == '-')
		jp->p++;
	if (jp->p < jp->end && *jp->p == '0')
		jp->p++;
	else if (!json_digits(jp))
		return false;
	if (jp->p < jp->end && *jp->p == '.') {
		jp->p++;
		if (!json_digits(jp))
			return false;
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (!json_digits(jp))
			return false;
	}
	return true;
}

static inline int json_hex4(const unsigned char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static inline void json_keep(struct json_parser *jp, const void *b, size_t n)
{
	if (!jp->decoded)
		return;
	if (jp->decoded_len + n > jp->decoded_cap) {
		json_fail(jp, "decoded string too long for the check");
		return;
	}
	memcpy(jp->decoded + jp->decoded_len, b, n);
	jp->decoded_len += n;
}

/* One \u escape (jp->p at the 'u'): a BMP character or a surrogate pair. */
static inline bool json_unicode_escape(struct json_parser *jp)
{
	unsigned char out[4];
	long cp;
	int lo;

	if (jp->end - jp->p < 5 || (cp = json_hex4(jp->p + 1)) < 0)
		return json_fail(jp, "bad \\u escape");
	jp->p += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return json_fail(jp, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (jp->end - jp->p < 6 || jp->p[0] != '\\' ||
		    jp->p[1] != 'u' || (lo = json_hex4(jp->p + 2)) < 0 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return json_fail(jp, "high surrogate without a low one");
		jp->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	json_keep(jp, out, ref_utf8_encode(cp, out));
	return true;
}

static inline bool json_escape(struct json_parser *jp)
{
	static const char from[] = "\"\\/bfnrt";
	static const char to[] = "\"\\/\b\f\n\r\t";
	const char *e;

	jp->p++;		/* the backslash */
	if (jp->p >= jp->end)
		return json_fail(jp, "string ends in a backslash");
	if (*jp->p == 'u')
		return json_unicode_escape(jp);
	e = *jp->p ? strchr(from, *jp->p) : NULL;
	if (!e)
		return json_fail(jp, "unknown escape");
	json_keep(jp, &to[e - from], 1);
	jp->p++;
	return true;
}

/* A string (jp->p at its opening quote); its raw bytes in *raw, *rawlen. */
static inline bool json_string(struct json_parser *jp,
			       const unsigned char **raw, size_t *rawlen)
{
	size_t len;

	jp->p++;
	*raw = jp->p;
	for (;;) {
		if (jp->p >= jp->end)
			return json_fail(jp, "unterminated string");
		if (*jp->p == '"')
			break;
		if (*jp->p == '\\') {
			if (!json_escape(jp))
				return false;
			continue;
		}
		if (*jp->p < 0x20)
			return json_fail(jp, "control character in a string");
		if (ref_utf8_decode(jp->p, jp->end - jp->p, &len) < 0)
			return json_fail(jp, "invalid UTF-8 in a string");
		json_keep(jp, jp->p, len);
		jp->p += len;
	}
	*rawlen = jp->p - *raw;
	jp->p++;
	return true;
}

static bool json_value(struct json_parser *jp);

static inline bool json_object(struct json_parser *jp)
{
	const unsigned char *keys[JSON_MAX_KEYS];
	size_t key_lens[JSON_MAX_KEYS];
	int nkeys = 0;

	jp->p++;
	json_skip_ws(jp);
	if (jp->p < jp->end && *jp->p == '}') {
		jp->p++;
		return true;
	}
	for (;;) {
		const unsigned char *key;
		size_t klen;

		json_skip_ws(jp);
		if (jp->p >= jp->end || *jp->p != '"')
			return json_fail(jp, "key expected");
		if (!json_string(jp, &key, &klen))
			return false;
		for (int i = 0; i < nkeys; i++)
			if (key_lens[i] == klen && !memcmp(keys[i], key, klen))
				return json_fail(jp, "duplicate key");
		if (nkeys == JSON_MAX_KEYS)
			return json_fail(jp, "too many keys for the check");
		keys[nkeys] = key;
		key_lens[nkeys++] = klen;
		json_skip_ws(jp);
		if (jp->p >= jp->end || *jp->p != ':')
			return json_fail(jp, "':' expected");
		jp->p++;
		if (!json_value(jp))
			return false;
		json_skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == '}') {
			jp->p++;
			return true;
		}
		return json_fail(jp, "',' or '}' expected");
	}
}

static inline bool json_array(struct json_parser *jp)
{
	jp->p++;
	json_skip_ws(jp);
	if (jp->p < jp->end && *jp->p == ']') {
		jp->p++;
		return true;
	}
	for (;;) {
		if (!json_value(jp))
			return false;
		json_skip_ws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == ']') {
			jp->p++;
			return true;
		}
		return json_fail(jp, "',' or ']' expected");
	}
}

static bool json_value(struct json_parser *jp)
{
	const unsigned char *raw;
	size_t rawlen;
	bool ok;

	json_skip_ws(jp);
	if (jp->p >= jp->end)
		return json_fail(jp, "value expected");
	if (++jp->depth > JSON_MAX_DEPTH)
		return json_fail(jp, "nested too deeply");
	switch (*jp->p) {
	case '{':
		ok = json_object(jp);
		break;
	case '[':
		ok = json_array(jp);
		break;
	case '"':
		ok = json_string(jp, &raw, &rawlen);
		break;
	case 't':
		ok = json_literal(jp, "true");
		break;
	case 'f':
		ok = json_literal(jp, "false");
		break;
	case 'n':
		ok = json_literal(jp, "null");
		break;
	default:
		if (*jp->p == '-' || (*jp->p >= '0' && *jp->p <= '9'))
			ok = json_number(jp);
		else
			ok = json_fail(jp, "unexpected character");
		break;
	}
	jp->depth--;
	return ok;
}

/*
 * Whether s[0..n) is exactly one JSON value, with optional whitespace
 * around it. NULL when it is; else what is wrong, and *at its offset.
 */
static inline const char *json_check(const void *s, size_t n, size_t *at)
{
	struct json_parser jp = { .p = s, .end = (const unsigned char *)s + n,
				  .start = s };

	if (json_value(&jp)) {
		json_skip_ws(&jp);
		if (jp.p != jp.end)
			json_fail(&jp, "text after the value");
	}
	if (at)
		*at = jp.error_at;
	return jp.error;
}

/*
 * Decode the JSON string literal s[0..n) (quotes included) into out
 * (cap bytes). Returns NULL and the length in *outlen, or what is wrong.
 */
static inline const char *json_decode_string(const void *s, size_t n,
					     unsigned char *out, size_t cap,
					     size_t *outlen)
{
	struct json_parser jp = { .p = s, .end = (const unsigned char *)s + n,
				  .start = s, .decoded = out,
				  .decoded_cap = cap };
	const unsigned char *raw;
	size_t rawlen;

	if (!n || *jp.p != '"')
		return "not a string";
	if (json_string(&jp, &raw, &rawlen) && jp.p != jp.end)
		json_fail(&jp, "text after the string");
	*outlen = jp.decoded_len;
	return jp.error;
}

#endif
