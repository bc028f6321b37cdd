/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Running build/sockscope from the end-to-end tests. */
#ifndef SOCKSCOPE_TESTS_TRACER_RUN_H
#define SOCKSCOPE_TESTS_TRACER_RUN_H

#include <sys/types.h>
#include <unistd.h>

#include "proc.h"

/* Why end-to-end tests cannot run here (not root, no BTF), or NULL. */
const char *e2e_skip_reason(void);

/*
 * Start sockscope (system-wide or filtered mode) with these options, a
 * NULL-terminated list, and wait until its programs are attached. 0, or
 * -1 after logging what it printed.
 */
int tracer_start(struct proc *tracer, char *const opts[]);

/*
 * Stop it with SIGINT; *out gets all it wrote on stdout (malloc'd).
 * Returns its exit status.
 */
int tracer_stop(struct proc *tracer, char **out);

/*
 * Run "sockscope OPTS -- COMMAND" to the end; *out and *err get its
 * standard output and error (malloc'd). Returns its exit status.
 */
int tracer_run(char *const opts[], char *const command[], char **out,
	       char **err);

/*
 * One run of sockscope and strace, for tests that compare them: "sockscope
 * OPTS -- strace -qq -o TRACE -e signal=none STRACE_ARGS...", where
 * STRACE_ARGS end with the program strace runs. *out and *err get what
 * sockscope wrote; the result is strace's trace, read back (malloc'd), or
 * NULL when sockscope failed or the trace cannot be read (then *err says
 * why, or is NULL).
 */
char *tracer_run_over_strace(char *const opts[], char *const strace_args[],
			     const char *trace, char **out, char **err);

/*
 * tracer_run() in two halves, for a test that reads sockscope's output,
 * or acts, while it runs. tracer_spawn starts "sockscope OPTS -- COMMAND"
 * (COMMAND may be NULL) with its stdin closed: 0, or -1.
 * tracer_collect reads the rest of its output into *out and *err
 * (malloc'd), waits for it and cleans p up: its exit status.
 */
int tracer_spawn(struct proc *p, char *const opts[], char *const command[]);
int tracer_collect(struct proc *p, char **out, char **err);

/* The Python the experiments run (require.h: REQUIRE_PYTHON3). */
#define PYTHON3	"/usr/bin/python3"

/* tracer_run() of "python3 -c PROGRAM": sockscope's exit status. */
int trace_python(char *const opts[], const char *program, char **out,
		 char **err);

/*
 * The text lines of one process (pid, or pid/tid), in order, without the
 * leading timestamp, joined with '\n' (malloc'd).
 */
char *text_lines_of(const char *out, pid_t pid);

/*
 * The JSON lines whose "pid" is pid, in order, with the varying
 * "ts_ns" and "duration_ns" values replaced by 0 (malloc'd).
 */
char *json_lines_of(const char *out, pid_t pid);

#endif
