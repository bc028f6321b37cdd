/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * strace's text trace and sockscope's, as per-thread lists of lines in
 * one form, for tests that compare them line for line. Normalisations
 * (presentation, not values): strace's -y decorations and the spaces it
 * pads " = " with are removed; sockscope's UTF-8 (kept readable) is
 * written in strace's octal escapes; a buffer sockscope does not show is
 * "...", where strace prints the address of a buffer a failed call did
 * not read or fill.
 */
#ifndef SOCKSCOPE_TESTS_STRACE_LINES_H
#define SOCKSCOPE_TESTS_STRACE_LINES_H

#include <stdbool.h>

#define MAX_LINES	128
#define MAX_THREADS	4

/* One thread's calls, as normalised lines. */
struct thread_lines {
	long tid;
	int n;
	char *line[MAX_LINES];
};

struct lines {
	int n;
	struct thread_lines t[MAX_THREADS];
	int other;	/* strace lines that keep() refused */
};

/*
 * strace -f -o's "TID call(...) = N" lines (text is changed), those that
 * keep() accepts; and sockscope's text lines of the processes named comm.
 */
void parse_strace_lines(struct lines *l, char *text,
			bool (*keep)(const char *line));
void parse_our_lines(struct lines *l, const char *text, const char *comm);
void lines_free(struct lines *l);

/* The lines of both that differ, logged (the first 10); their number,
 * and 1 more for each thread whose count of lines differs. */
int lines_compare(const struct lines *strace, const struct lines *ours);

#endif
