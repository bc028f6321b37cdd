/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The claims tests' experiment: a Python program traced by sockscope in a
 * fresh network namespace, and its notes counted. For a test's body, after
 * harness.h (the helpers log with TH_LOG).
 */
#ifndef SOCKSCOPE_TESTS_EXPERIMENT_H
#define SOCKSCOPE_TESTS_EXPERIMENT_H

#include <stdlib.h>

#include "harness.h"
#include "require.h"
#include "trace_text.h"
#include "tracer_run.h"

/*
 * The text trace of "sockscope OPTS -- python3 -c PROGRAM" (malloc'd);
 * *status gets sockscope's exit status, which is the program's when it
 * fails. What the program said on stderr is logged when it failed.
 */
static inline char *trace_of(char *const opts[], const char *program, int *status)
{
	char *cmd[] = { PYTHON3, "-c", (char *)program, NULL };
	char *out = NULL, *err = NULL;

	*status = tracer_run(opts, cmd, &out, &err);
	if (*status)
		TH_LOG("sockscope exited %d:\n%s", *status, err);
	free(err);
	return out;
}

/*
 * One experiment, in a test's body: skips without root, BTF or python3;
 * in a fresh network namespace, runs the shell command setup (when not
 * NULL), then traces program, which must exit 0; out gets the trace.
 */
#define EXPERIMENT(out, setup, opts, program) do {		\
	int status_;						\
								\
	REQUIRE_E2E();						\
	REQUIRE_PYTHON3();					\
	ENTER_NETNS();						\
	if (setup)						\
		ASSERT_EQ(0, system(setup));			\
	out = trace_of(opts, program, &status_);		\
	ASSERT_EQ(0, status_);					\
} while (0)

/* text is in the trace n times; the trace is logged when not. */
#define EXPECT_SEEN(n, out, text) \
	EXPECT_EQ(n, count_of(out, text)) { TH_LOG("%s\nin:\n%s", text, out); }

#endif
