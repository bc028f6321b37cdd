/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_JSON_SCAN_H
#define SOCKSCOPE_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* A member of a JSON object: its key and its value, as written (a string
 * value keeps its quotes). Pointers into the scanned text. */
struct json_member {
	const char *key;		/* without quotes, escapes not undone */
	size_t key_len;
	const char *value;
	size_t value_len;
};

/*
 * Check that text[0..len) is exactly one JSON object (surrounding white
 * space allowed; nesting at most 64 deep) and list its top-level members,
 * at most max of them. Returns how many there are, or -1 if the text is
 * not valid JSON or not an object.
 */
int json_scan_object(const char *text, size_t len, struct json_member *m,
		     int max);

/* The member called key, or NULL. */
const struct json_member *json_find(const struct json_member *m, int n,
				    const char *key);

/* A string value without escapes, copied without its quotes into out
 * (NUL-terminated). 0, or -1 if it is not such a string or too long. */
int json_plain_string(const struct json_member *m, char *out, size_t size);

/* A string value with its escapes undone (\uXXXX as UTF-8, surrogate
 * pairs joined), appended to out. 0, or -1 if it is not a string. */
int json_string(const struct json_member *m, struct strbuf *out);

/* A non-negative integer value. 0, or -1. */
int json_u64(const struct json_member *m, unsigned long long *out);

#endif
