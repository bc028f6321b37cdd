// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's smoke run: every workload once, tiny counts, untraced
 * and under sockscope. Then the workloads whose point is what sockscope
 * records of them: file_writes (nothing: not a socket in its loop) and
 * tcp_stream (every write and read). These check that the bench works
 * and measures what it says, not how fast anything is (timings are for
 * "make bench", never for tests).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_capture.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

/* A workload's result line (bench/bench.h), field by field. */
struct result {
	unsigned long long iters, calls, elapsed_ns, first_call_ns, end_ns;
	double ns_per_iter, ns_per_call;
	long maxrss_kb;
};

#define RESULT_FIELDS	8

/* The line of workload name in out, read into r: how many fields were
 * read in order (RESULT_FIELDS when the line is whole), 0 without it. */
static int read_result(const char *out, const char *name, struct result *r)
{
	char head[64];
	const char *line;

	snprintf(head, sizeof(head), "%s iters=", name);
	line = strstr(out, head);
	if (!line)
		return 0;
	return sscanf(line + strlen(name),
		      " iters=%llu calls=%llu elapsed_ns=%llu ns_per_iter=%lf"
		      " ns_per_call=%lf first_call_ns=%llu end_ns=%llu"
		      " maxrss_kb=%ld",
		      &r->iters, &r->calls, &r->elapsed_ns, &r->ns_per_iter,
		      &r->ns_per_call, &r->first_call_ns, &r->end_ns,
		      &r->maxrss_kb);
}

/*
 * "sockscope -j -o FILE -- build/bench/NAME COUNT": the JSON in t->text,
 * the workload's own result line alone in t->out, read into r. Whether
 * sockscope exited 0 and the line is whole; if not, says what was seen.
 */
static bool trace_workload(struct trace *t, const char *name, char *count,
			   struct result *r)
{
	char rel[64], path[4096];
	char *opts[] = { "-j", NULL };
	char *cmd[] = { path, count, NULL };

	snprintf(rel, sizeof(rel), "bench/%s", name);
	build_path(path, sizeof(path), rel);
	if (trace_run(t, opts, cmd) == 0 &&
	    read_result(t->out, name, r) == RESULT_FIELDS)
		return true;
	TH_LOG("sockscope exited %d; %s printed: %s\nsockscope said:\n%s",
	       t->status, name, t->out, t->err);
	return false;
}

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

/*
 * file_writes writes to /dev/null and a pipe and reads the pipe: sockscope
 * sees those calls and drops them in the kernel, so the traced run
 * records no call at all, while the workload reports all it made.
 */
TEST_TIMEOUT(file_writes_is_not_traced, 60)
{
	struct trace t = {};
	struct result r;

	REQUIRE_E2E();
	ASSERT_TRUE(trace_workload(&t, "file_writes", "1000", &r));
	EXPECT_EQ(1000, r.iters);
	EXPECT_EQ(3000, r.calls);
	EXPECT_EQ(0, count_of(t.text, "\"name\":\"write\""));
	EXPECT_EQ(0, count_of(t.text, "\"name\":\"read\""));
	EXPECT_EQ(0, count_of(t.text, "\"kind\":\"syscall\"")) {
		TH_LOG("sockscope recorded:\n%s", t.text);
	}
	EXPECT_EQ(1, count_of(t.err, "sockscope: 0 calls, 0 failed, 0 lost")) {
		TH_LOG("sockscope said:\n%s", t.err);
	}
	trace_free(&t);
}

/*
 * tcp_stream's loop writes to and reads from its TCP socket, and that is
 * all it writes or reads on a socket (its result goes to a pipe): one
 * record for each write and each read it counts, none lost.
 */
TEST_TIMEOUT(tcp_stream_has_each_write_and_read_traced, 60)
{
	struct trace t = {};
	struct result r;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_TRUE(trace_workload(&t, "tcp_stream", "1000", &r));
	EXPECT_EQ(1000, r.iters);
	ASSERT_LE(2000, r.calls);
	EXPECT_EQ(1000, count_of(t.text, "\"name\":\"write\""));
	EXPECT_EQ(r.calls - 1000, count_of(t.text, "\"name\":\"read\""));
	EXPECT_EQ(1, count_of(t.err, " failed, 0 lost\n")) {
		TH_LOG("sockscope said:\n%s", t.err);
	}
	trace_free(&t);
}

TEST_HARNESS_MAIN
