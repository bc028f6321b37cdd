// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Looking things up in sockscope's text output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_text.h"

#define NOTE_HEAD	"    # "

const char *line_start(const char *text, const char *p)
{
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

/* A line without its leading timestamp ("0.004610 "). */
static const char *after_time(const char *line, const char *end)
{
	const char *p = line;

	while (p < end && ((*p >= '0' && *p <= '9') || *p == '.'))
		p++;
	return p > line && p < end && *p == ' ' ? p + 1 : line;
}

const char *find_line(const char *text, const char *want)
{
	size_t n = strlen(want);

	for_each_line(line, end, text) {
		const char *body = after_time(line, end);

		if ((size_t)(end - body) == n && !strncmp(body, want, n))
			return line;
	}
	return NULL;
}

/* The note on the line after line, or NULL when that is no note. */
static const char *note_after(const char *line)
{
	line = strchrnul(line, '\n');
	if (!*line || strncmp(line + 1, NOTE_HEAD, strlen(NOTE_HEAD)))
		return NULL;
	return line + 1 + strlen(NOTE_HEAD);
}

/* The line from p to its end into buf, cut to size - 1 bytes. */
static void copy_line(char *buf, size_t size, const char *p)
{
	const char *end = strchrnul(p, '\n');
	size_t n = end - p < (long)size - 1 ? (size_t)(end - p) : size - 1;

	memcpy(buf, p, n);
	buf[n] = '\0';
}

char *note_of(const char *text, const char *call)
{
	const char *line = find_line(text, call), *note;

	if (!line)
		return NULL;
	note = note_after(line);
	if (!note)
		return strdup("");
	return strndup(note, strchrnul(note, '\n') - note);
}

/* The first line that has a and b, copied into line; NULL if none. */
static const char *line_having(const char *text, const char *a,
			       const char *b, char *line, size_t size)
{
	for_each_line(p, end, text) {
		copy_line(line, size, p);
		if (strstr(line, a) && (!b || strstr(line, b)))
			return p;
	}
	return NULL;
}

bool line_with(const char *text, const char *a, const char *b, char *line,
	       size_t size)
{
	return line_having(text, a, b, line, size) != NULL;
}

bool note_under(const char *text, const char *a, const char *b, char *note,
		size_t size)
{
	char line[2048];
	const char *p = line_having(text, a, b, line, sizeof(line));

	if (!p || !(p = note_after(p)))
		return false;
	copy_line(note, size, p);
	return true;
}

int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p;
	     p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

long pid_in(const char *text)
{
	const char *p = strchr(text, '[');

	return p ? atol(p + 1) : -1;
}

const char *pid_tag(char *buf, long pid)
{
	sprintf(buf, "[%ld ", pid);
	return buf;
}

const char *text_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? p + strlen(key) : NULL;
}

long number_after(const char *text, const char *key)
{
	const char *p = text_after(text, key);

	return p ? atol(p) : -1;
}

char *text_section(const char *out, const char *head)
{
	const char *p = text_after(out, head), *end;

	if (!p)
		return strdup("");
	end = strstr(p, "\n\n");
	return strndup(p, end ? (size_t)(end + 1 - p) : strlen(p));
}

char *lesson_trace(const char *out)
{
	const char *start = out, *end;

	while (*start && !(*start >= '0' && *start <= '9')) {
		start = strchrnul(start, '\n');
		if (*start)
			start++;
	}
	end = strstr(start, "\nWhat the programs printed:\n");
	if (!end)
		return strdup("");
	return strndup(start, end - start);
}
