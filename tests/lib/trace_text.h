/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Looking things up in sockscope's text output: lines, the notes under
 * them ("    # ..."), pids, numbers after a key, counts, and the parts of
 * a lesson's output.
 */
#ifndef SOCKSCOPE_TESTS_TRACE_TEXT_H
#define SOCKSCOPE_TESTS_TRACE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * Each line of text in turn: line is where it starts, end its '\n' (or
 * the final '\0'). The lines are not NUL-terminated.
 */
#define for_each_line(line, end, text)					\
	for (const char *line = (text), *end = strchrnul(line, '\n');	\
	     *line; line = *end ? end + 1 : end, end = strchrnul(line, '\n'))

/* The start of the line of text that p points into. */
const char *line_start(const char *text, const char *p);

/* The first line that is exactly want after its timestamp, or NULL. */
const char *find_line(const char *text, const char *want);

/*
 * The note under the line that is exactly call after its timestamp
 * (malloc'd, "" when it has none), or NULL when there is no such line.
 */
char *note_of(const char *text, const char *call);

/*
 * Whether a line has both a and b (b may be NULL); the first such one
 * is copied into line, cut to size - 1 bytes.
 */
bool line_with(const char *text, const char *a, const char *b, char *line,
	       size_t size);

/*
 * Whether the first line that has a and b (b may be NULL) has a note
 * under it; the note is copied into note, cut to size - 1 bytes.
 */
bool note_under(const char *text, const char *a, const char *b, char *note,
		size_t size);

/* How many times needle occurs in hay, not overlapping. */
int count_of(const char *hay, const char *needle);

/*
 * The pid of the first "[PID comm]" in text: of the line "0.001 [PID
 * comm] ...", or of the first call of a trace. -1 without one.
 */
long pid_in(const char *text);

/* "[PID " into buf (at least 24 bytes), for finding pid's lines. */
const char *pid_tag(char *buf, long pid);

/* What follows the first key in text, or NULL without one. */
const char *text_after(const char *text, const char *key);

/* The number right after the first key in text, or -1 without one. */
long number_after(const char *text, const char *key);

/*
 * The text after the line head, up to and with the line before the next
 * empty line (malloc'd); "" without head.
 */
char *text_section(const char *out, const char *head);

/*
 * The trace in the output of "sockscope lesson": from its first
 * timestamped line to just before "What the programs printed:", its
 * lines each with their '\n' (malloc'd); "" without that heading.
 */
char *lesson_trace(const char *out);

#endif
