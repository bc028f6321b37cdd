// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's smoke run: every workload once, tiny counts, untraced
 * and under sockscope. It checks that the bench works, not how fast
 * anything is (timings are for "make bench", never for tests).
 */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/tracer_run.h"

TEST_TIMEOUT(bench_smoke_runs, 120)
{
	char script[4096], *out = NULL, *err = NULL;
	char *argv[] = { script, "--smoke", NULL };
	struct proc p = {};
	int status;

	REQUIRE_E2E();
	source_path(script, sizeof(script), "bench/run.sh");
	ASSERT_EQ(0, proc_spawn(&p, argv));
	proc_close_stdin(&p);
	proc_read_all(&p, &out, 100000);
	proc_read_all_err(&p, &err, 5000);
	status = proc_wait(&p, 10000);
	EXPECT_EQ(0, status) {
		TH_LOG("bench/run.sh --smoke said:\n%s\n%s", out, err);
	}
	free(out);
	free(err);
	proc_cleanup(&p);
}

TEST_HARNESS_MAIN
