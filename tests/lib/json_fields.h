/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Fields of one line of sockscope's JSON output, the line given as
 * [line, end). Each reads the first "key": in the line; our lines have no
 * escaped quotes in the fields the tests read.
 */
#ifndef SOCKSCOPE_TESTS_JSON_FIELDS_H
#define SOCKSCOPE_TESTS_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

/* The value of key, a string without its quotes, into buf; false if
 * absent. */
bool jfield(const char *line, const char *end, const char *key, char *buf,
	    size_t size);

/* The value of key as a number; -1 if absent. */
long jnum(const char *line, const char *end, const char *key);

/* Whether key is there with the value want. */
bool jis(const char *line, const char *end, const char *key,
	 const char *want);

#endif
