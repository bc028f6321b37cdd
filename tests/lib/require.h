/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an end-to-end test needs, checked at its start: each skips the
 * test (and returns from it) when the need is not met, so they are
 * macros, for the test's own body.
 */
#ifndef SOCKSCOPE_TESTS_REQUIRE_H
#define SOCKSCOPE_TESTS_REQUIRE_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "netns.h"
#include "tracer_run.h"

/* Root and BTF, to load sockscope's BPF programs. */
#define REQUIRE_E2E() do {					\
	const char *why_ = e2e_skip_reason();			\
	if (why_)						\
		SKIP(return, "%s", why_);			\
} while (0)

/* A fresh network namespace: every network test runs in its own. */
#define ENTER_NETNS() do {					\
	int err_ = netns_enter_fresh();				\
	if (err_)						\
		SKIP(return, "no fresh network namespace: %s",	\
		     strerror(-err_));				\
} while (0)

/* python3, for the Python programs of the lessons. */
#define REQUIRE_PYTHON() do {					\
	if (system("python3 -c pass >/dev/null 2>&1"))		\
		SKIP(return, "python3 is missing");		\
} while (0)

/* PYTHON3 itself (tracer_run.h), for programs run with its path. */
#define REQUIRE_PYTHON3() do {					\
	if (access(PYTHON3, X_OK))				\
		SKIP(return, "no " PYTHON3);			\
} while (0)

#endif
