// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* strace's text trace and sockscope's, in one form (strace_lines.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "strace_lines.h"

#define LINE_MAX_LEN	1024

static struct thread_lines *thread_of(struct lines *l, long tid)
{
	for (int i = 0; i < l->n; i++)
		if (l->t[i].tid == tid)
			return &l->t[i];
	if (l->n == 4)
		return NULL;
	l->t[l->n].tid = tid;
	return &l->t[l->n++];
}

static void add_line(struct lines *l, long tid, const char *text)
{
	struct thread_lines *t = thread_of(l, tid);

	if (t && t->n < MAX_LINES)
		t->line[t->n++] = strdup(text);
}

void lines_free(struct lines *l)
{
	for (int i = 0; i < l->n; i++)
		for (int k = 0; k < l->t[i].n; k++)
			free(l->t[i].line[k]);
	memset(l, 0, sizeof(*l));
}

/* strace -y's "<socket:[123]>", "</tmp/x>(deleted)": removed. */
static void strip_decorations(char *s)
{
	char *out = s, *p = s;
	bool quoted = false;

	while (*p) {
		if (quoted) {
			if (*p == '\\' && p[1])
				*out++ = *p++;
			else if (*p == '"')
				quoted = false;
			*out++ = *p++;
			continue;
		}
		if (*p == '"')
			quoted = true;
		if (*p == '<' && p > s && isdigit((unsigned char)p[-1])) {
			p = strchr(p, '>');
			if (!p)
				break;
			p++;
			if (!strncmp(p, "(deleted)", 9))
				p += 9;
			continue;
		}
		*out++ = *p++;
	}
	*out = '\0';
}

/* "x)                 = 3" -> "x) = 3". */
static void unpad_result(char *s)
{
	char *eq = strstr(s, " = "), *from = eq;

	while (eq && from > s && from[-1] == ' ')
		from--;
	if (eq && from < eq)
		memmove(from, eq, strlen(eq) + 1);
}

/* A failed call's unread buffer: strace's address is our "...". */
static void hide_addresses(char *s)
{
	char *p = s, *q;

	if (!strstr(s, ") = -1 "))
		return;
	while ((p = strstr(p, "0x"))) {
		for (q = p + 2; isxdigit((unsigned char)*q); q++)
			;
		memmove(p + 3, q, strlen(q) + 1);
		memcpy(p, "...", 3);
		p += 3;
	}
}

/* strace -f -o: "TID call(...) = N"; lines keep() refuses are counted
 * in l->other. */
void parse_strace_lines(struct lines *l, char *text,
			bool (*keep)(const char *line))
{
	char *save = NULL, *line, *sp;
	long tid;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		tid = strtol(line, &sp, 10);
		if (sp == line || *sp != ' ' || !strchr(sp, '('))
			continue;
		/* strace pads the pid to 5 columns. */
		while (*sp == ' ')
			sp++;
		if (!keep(sp)) {
			l->other++;
			continue;
		}
		strip_decorations(sp);
		unpad_result(sp);
		hide_addresses(sp);
		add_line(l, tid, sp);
	}
}

/* Bytes of 0x80 and more as strace writes them: "\344". */
static void octal_escapes(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 5 < size; in++) {
		unsigned char c = *in;

		if (c < 0x80) {
			out[n++] = c;
			continue;
		}
		n += snprintf(out + n, size - n, "\\%o", c);
	}
	out[n] = '\0';
}

/* Our text: "0.001 [PID/TID comm] call(...) = N" for comm. */
void parse_our_lines(struct lines *l, const char *text, const char *comm)
{
	char tag[64], line[LINE_MAX_LEN], esc[LINE_MAX_LEN * 4];
	const char *p, *end, *at, *open;
	long tid;

	snprintf(tag, sizeof(tag), " %s] ", comm);
	for (p = text; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		at = memmem(p, end - p, tag, strlen(tag));
		open = memchr(p, '[', end - p);
		if (!at || !open || end - at >= LINE_MAX_LEN)
			continue;
		tid = strtol(open + 1, (char **)&open, 10);
		if (*open == '/')
			tid = strtol(open + 1, NULL, 10);
		at += strlen(tag);
		memcpy(line, at, end - at);
		line[end - at] = '\0';
		octal_escapes(line, esc, sizeof(esc));
		add_line(l, tid, esc);
	}
}

int lines_compare(const struct lines *st, const struct lines *ss)
{
	int diffs = 0;

	for (int i = 0; i < st->n && i < ss->n; i++) {
		const struct thread_lines *a = &st->t[i], *b = &ss->t[i];

		if (a->tid != b->tid || a->n != b->n) {
			TH_LOG("thread %d: strace has tid %ld with %d calls, sockscope tid %ld with %d",
			       i, a->tid, a->n, b->tid, b->n);
			diffs++;
		}
		for (int k = 0; k < a->n && k < b->n; k++) {
			if (!strcmp(a->line[k], b->line[k]))
				continue;
			if (diffs++ < 10)
				TH_LOG("tid %ld, call %d:\n#  strace: %s\n#      us: %s",
				       a->tid, k, a->line[k], b->line[k]);
		}
	}
	return diffs + (st->n != ss->n);
}
