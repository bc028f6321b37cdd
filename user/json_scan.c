// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A small strict JSON scanner: enough to read saved traces back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json_scan.h"

#define MAX_DEPTH	64

struct scan {
	const char *p, *end;
	int depth;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
				 *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static bool take(struct scan *s, char c)
{
	skip_ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool scan_string(struct scan *s)
{
	if (s->p >= s->end || *s->p != '"')
		return false;
	s->p++;
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = *s->p;

		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++s->p >= s->end)
				return false;
			if (*s->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (s->p + i >= s->end ||
					    !is_hex(s->p[i]))
						return false;
				s->p += 4;
			} else if (!strchr("\"\\/bfnrt", *s->p)) {
				return false;
			}
		}
		s->p++;
	}
	if (s->p >= s->end)
		return false;
	s->p++;
	return true;
}

static bool scan_digits(struct scan *s)
{
	const char *start = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start;
}

static bool scan_number(struct scan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!scan_digits(s))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!scan_digits(s))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!scan_digits(s))
			return false;
	}
	return true;
}

static bool scan_word(struct scan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n))
		return false;
	s->p += n;
	return true;
}

static bool scan_value(struct scan *s);

static bool scan_members(struct scan *s, struct json_member *m, int max,
			 int *count)
{
	if (take(s, '}'))
		return true;
	do {
		const char *key, *key_end, *value;

		skip_ws(s);
		key = s->p;
		if (!scan_string(s))
			return false;
		key_end = s->p;
		if (!take(s, ':'))
			return false;
		skip_ws(s);
		value = s->p;
		if (!scan_value(s))
			return false;
		if (m && *count < max) {
			m[*count].key = key + 1;
			m[*count].key_len = key_end - key - 2;
			m[*count].value = value;
			m[*count].value_len = s->p - value;
		}
		(*count)++;
	} while (take(s, ','));
	return take(s, '}');
}

static bool scan_elements(struct scan *s)
{
	if (take(s, ']'))
		return true;
	do {
		skip_ws(s);
		if (!scan_value(s))
			return false;
	} while (take(s, ','));
	return take(s, ']');
}

static bool scan_value(struct scan *s)
{
	int count = 0;
	bool ok;

	skip_ws(s);
	if (s->p >= s->end)
		return false;
	switch (*s->p) {
	case '{':
	case '[':
		if (++s->depth > MAX_DEPTH)
			return false;
		s->p++;
		ok = s->p[-1] == '{' ? scan_members(s, NULL, 0, &count) :
				       scan_elements(s);
		s->depth--;
		return ok;
	case '"':
		return scan_string(s);
	case 't':
		return scan_word(s, "true");
	case 'f':
		return scan_word(s, "false");
	case 'n':
		return scan_word(s, "null");
	default:
		return scan_number(s);
	}
}

int json_scan_object(const char *text, size_t len, struct json_member *m,
		     int max)
{
	struct scan s = { .p = text, .end = text + len };
	int count = 0;

	if (!take(&s, '{'))
		return -1;
	s.depth = 1;
	if (!scan_members(&s, m, max, &count))
		return -1;
	skip_ws(&s);
	return s.p == s.end ? count : -1;
}

const struct json_member *json_find(const struct json_member *m, int n,
				    const char *key)
{
	size_t len = strlen(key);

	for (int i = 0; i < n; i++)
		if (m[i].key_len == len && !memcmp(m[i].key, key, len))
			return &m[i];
	return NULL;
}

int json_plain_string(const struct json_member *m, char *out, size_t size)
{
	size_t n;

	if (!m || m->value_len < 2 || m->value[0] != '"')
		return -1;
	n = m->value_len - 2;
	if (n >= size || memchr(m->value + 1, '\\', n))
		return -1;
	memcpy(out, m->value + 1, n);
	out[n] = '\0';
	return 0;
}

int json_u64(const struct json_member *m, unsigned long long *out)
{
	char buf[32], *end;

	if (!m || !m->value_len || m->value_len >= sizeof(buf) ||
	    m->value[0] < '0' || m->value[0] > '9')
		return -1;
	memcpy(buf, m->value, m->value_len);
	buf[m->value_len] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

static void add_utf8(struct strbuf *out, unsigned int cp)
{
	if (cp < 0x80) {
		sb_addc(out, cp);
	} else if (cp < 0x800) {
		sb_addc(out, 0xc0 | cp >> 6);
		sb_addc(out, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		sb_addc(out, 0xe0 | cp >> 12);
		sb_addc(out, 0x80 | (cp >> 6 & 0x3f));
		sb_addc(out, 0x80 | (cp & 0x3f));
	} else {
		sb_addc(out, 0xf0 | cp >> 18);
		sb_addc(out, 0x80 | (cp >> 12 & 0x3f));
		sb_addc(out, 0x80 | (cp >> 6 & 0x3f));
		sb_addc(out, 0x80 | (cp & 0x3f));
	}
}

static unsigned int hex4(const char *p)
{
	char buf[5];

	memcpy(buf, p, 4);
	buf[4] = '\0';
	return strtoul(buf, NULL, 16);
}

int json_string(const struct json_member *m, struct strbuf *out)
{
	const char *p, *end;
	unsigned int cp, lo;

	if (!m || m->value_len < 2 || m->value[0] != '"')
		return -1;
	p = m->value + 1;
	end = m->value + m->value_len - 1;
	while (p < end) {
		if (*p != '\\') {
			sb_addc(out, *p++);
			continue;
		}
		p++;		/* the scanner checked every escape */
		switch (*p) {
		case 'b': sb_addc(out, '\b'); break;
		case 'f': sb_addc(out, '\f'); break;
		case 'n': sb_addc(out, '\n'); break;
		case 'r': sb_addc(out, '\r'); break;
		case 't': sb_addc(out, '\t'); break;
		case 'u':
			cp = hex4(p + 1);
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && end - p > 6 &&
			    p[1] == '\\' && p[2] == 'u') {
				lo = hex4(p + 3);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
					p += 6;
				}
			}
			add_utf8(out, cp);
			break;
		default:
			sb_addc(out, *p);
		}
		p++;
	}
	return 0;
}
