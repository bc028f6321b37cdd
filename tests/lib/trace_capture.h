/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One traced run of a command, captured whole: the text trace (-o FILE),
 * the same trace as JSON (--save FILE, the -j output plus "raw"), and what
 * sockscope and the command printed. With the trace in files, the
 * command's own output is all that reaches stdout.
 */
#ifndef SOCKSCOPE_TESTS_TRACE_CAPTURE_H
#define SOCKSCOPE_TESTS_TRACE_CAPTURE_H

#include <stdbool.h>

#include "files.h"
#include "proc.h"

struct trace {
	char *text;		/* the -o file (JSON if opts have -j) */
	char *json;		/* the --save file */
	char *out, *err;	/* sockscope's stdout and stderr */
	int status;		/* its exit status, -1 when it did not run */
	struct scratch files;	/* the two files, until trace_free() */
	struct proc proc;	/* from trace_start() to trace_finish() */
	bool running;
};

/* The files written with -o and --save, until trace_free(). */
#define trace_text_path(t)	((t)->files.path[0])
#define trace_json_path(t)	((t)->files.path[1])

/*
 * Starts "sockscope OPTS -o TEXT --save JSON -- COMMAND" (opts may be
 * NULL); the test may read its stdout from t->proc while it runs. 0, or
 * -1 with t->status -1 (and said why).
 */
int trace_start(struct trace *t, char *const opts[], char *const command[]);

/*
 * Waits for the end of a run trace_start began, and fills in t: returns
 * sockscope's exit status, also in t->status. Every string of t is set
 * (maybe ""), whatever happened.
 */
int trace_finish(struct trace *t);

/* trace_start, then trace_finish. */
int trace_run(struct trace *t, char *const opts[], char *const command[]);

/* Frees the strings and removes the files. */
void trace_free(struct trace *t);

#endif
