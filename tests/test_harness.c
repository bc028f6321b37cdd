// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Tests of the test harness and of tests/lib.
 *
 * The harness is tested from outside: this program runs itself again with
 * TH_SELFTEST_INNER set, selecting "inner_" tests that pass, fail, skip,
 * time out and crash on purpose, and checks the exact TAP it prints and
 * its exit code. Without TH_SELFTEST_INNER the inner tests are left out.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"

#define INNER_ENV	"TH_SELFTEST_INNER"
#define TRACE_ENV	"TH_SELFTEST_TRACE"
#define INNER_PREFIX	"inner_"

/* Appends a line to the file named by $TH_SELFTEST_TRACE, if set. */
static __attribute__((format(printf, 1, 2))) void trace(const char *fmt, ...)
{
	const char *path = getenv(TRACE_ENV);
	va_list ap;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

/* --- inner tests: failing, skipping, crashing on purpose ------------- */

FIXTURE(inner_result) {
	int unused;
};

TEST_F(inner_result, passes)
{
	printf("quiet on success\n");
	EXPECT_EQ(1, 1);
}

TEST_F(inner_result, expect_goes_on)
{
	EXPECT_EQ(1, 2);
	EXPECT_STREQ("a", "b\n") {
		TH_LOG("more about it");
	}
	printf("still running\n");
}

TEST_F(inner_result, assert_stops)
{
	size_t len = 3;

	ASSERT_EQ(0, len) {
		TH_LOG("len was %zu", len);
	}
	printf("not reached\n");
}

TEST_F(inner_result, messages)
{
	unsigned long big = ULONG_MAX;
	const char *none = NULL;
	int neg = -1;

	EXPECT_EQ(neg, big);
	EXPECT_GE(neg, 0u);
	EXPECT_NE(NULL, none);
	EXPECT_TRUE(none);
	EXPECT_FALSE(neg);
	EXPECT_STRNE("x", "x");
	EXPECT_STREQ(NULL, "tab\there");
}

TEST_F(inner_result, fail_then_skip)
{
	EXPECT_TRUE(0);
	SKIP(return, "too late");
}

TEST_F(inner_result, skips)
{
	printf("quiet on skip\n");
	SKIP(return, "needs %s", "a unicorn");
	printf("not reached\n");
}

FIXTURE(inner_fx) {
	int value;
};

FIXTURE_VARIANT(inner_fx) {
	int value;
	const char *label;
};

FIXTURE_VARIANT_ADD(inner_fx, one) {
	.value = 1,
	.label = "first",
};

FIXTURE_VARIANT_ADD(inner_fx, two) {
	.value = 2,
	.label = "second",
};

FIXTURE_SETUP(inner_fx)
{
	self->value = variant->value * 10;
	printf("setup %s\n", variant->label);
}

FIXTURE_TEARDOWN(inner_fx)
{
	printf("teardown %d\n", self->value);
}

TEST_F(inner_fx, is_one)
{
	ASSERT_EQ(1, variant->value);
	printf("body passed\n");
}

FIXTURE(inner_setup_skip) {
	int unused;
};

FIXTURE_SETUP(inner_setup_skip)
{
	trace("setup");
	SKIP(return, "setup says no");
}

FIXTURE_TEARDOWN(inner_setup_skip)
{
	trace("teardown");
}

TEST_F(inner_setup_skip, body)
{
	trace("body");
}

FIXTURE(inner_setup_fail) {
	int unused;
};

FIXTURE_SETUP(inner_setup_fail)
{
	trace("setup");
	ASSERT_EQ(0, 1);
	trace("setup went on");
}

FIXTURE_TEARDOWN(inner_setup_fail)
{
	trace("teardown");
}

TEST_F(inner_setup_fail, body)
{
	trace("body");
}

/* Leaves a grandchild behind, which the timeout must kill too. */
static void fork_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	trace("%d", (int)getpid());
	trace("%d", (int)pid);
}

TEST_TIMEOUT(inner_timeout, 1)
{
	fork_sleeper();
	printf("waiting\n");
	sleep(30);
}

TEST(inner_hang)
{
	fork_sleeper();
	sleep(30);
}

TEST(inner_crash)
{
	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);
	printf("about to crash\n");
	abort();
}

TEST(inner_exit)
{
	printf("exiting\n");
	exit(3);
}

TEST(inner_forked_expect)
{
	pid_t pid = fork();

	if (pid == 0) {
		EXPECT_EQ(1, 2);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("parent done\n");
}

TEST(inner_forked_assert)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		ASSERT_EQ(1, 2);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("child exit %d\n", WEXITSTATUS(status));
}

/* --- running the inner tests ------------------------------------------- */

static char *self_exe(void)
{
	static char path[PATH_MAX];
	ssize_t n;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n < 0)
		return "/proc/self/exe";
	path[n] = '\0';
	return path;
}

/* Replaces "<this file>:<line>:" with "FILE:N:", in place. */
static void normalize_locations(char *s)
{
	const char *file = __FILE__;
	size_t len = strlen(file);
	char *r = s, *w = s, *d;

	while (*r) {
		if (!strncmp(r, file, len) && r[len] == ':' &&
		    isdigit((unsigned char)r[len + 1])) {
			for (d = r + len + 1; isdigit((unsigned char)*d); d++)
				;
			memcpy(w, "FILE:N", 6);
			w += 6;
			r = d;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

static bool process_gone(pid_t pid)
{
	char path[64], buf[512], *paren;
	FILE *f;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	paren = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return paren && paren[1] == ' ' && paren[2] == 'Z';
}

static bool process_gone_within(pid_t pid, int timeout_ms)
{
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		if (process_gone(pid))
			return true;
		usleep(10000);
	}
	return process_gone(pid);
}

FIXTURE(nested) {
	char trace[64];
	char *out;
	int status;
};

FIXTURE_SETUP(nested)
{
	int fd;

	strcpy(self->trace, "/tmp/sockscope-harness-XXXXXX");
	fd = mkstemp(self->trace);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, setenv(TRACE_ENV, self->trace, 1));
	ASSERT_EQ(0, setenv(INNER_ENV, "1", 1));
}

FIXTURE_TEARDOWN(nested)
{
	unlink(self->trace);
	free(self->out);
}

/*
 * Runs this program on the inner tests with the options given (a NULL-
 * terminated list); its stdout, with locations normalized, goes to
 * self->out and its exit status to self->status.
 */
static void run_nested(FIXTURE_DATA(nested) *self, ...)
{
	char *argv[16];
	struct proc p;
	ssize_t len;
	va_list ap;
	int n = 0;

	argv[n++] = self_exe();
	va_start(ap, self);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	len = proc_read_all(&p, &self->out, 20000);
	self->status = proc_wait(&p, 10000);
	proc_cleanup(&p);
	ASSERT_LE(0, len);
	normalize_locations(self->out);
}

/* The trace file's contents. */
static char *read_trace(FIXTURE_DATA(nested) *self)
{
	static char buf[256];
	size_t n;
	FILE *f;

	f = fopen(self->trace, "r");
	if (!f)
		return "";
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The two pids fork_sleeper traced: the test's and its grandchild's. */
static void read_traced_pids(FIXTURE_DATA(nested) *self, pid_t pids[2])
{
	int a = 0, b = 0;

	ASSERT_EQ(2, sscanf(read_trace(self), "%d %d", &a, &b));
	pids[0] = a;
	pids[1] = b;
}

TEST_F(nested, reports_pass_fail_and_skip)
{
	run_nested(self, "-t", "inner_result.", NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..6\n"
		"#  RUN  inner_result.passes\n"
		"ok 1 inner_result.passes\n"
		"#  RUN  inner_result.expect_goes_on\n"
		"# FILE:N:expected (1) == seen (2): 1 vs 2\n"
		"# FILE:N:expected (\"a\") == seen (\"b\\n\"): "
		"\"a\" vs \"b\\n\"\n"
		"# more about it\n"
		"# still running\n"
		"not ok 2 inner_result.expect_goes_on\n"
		"#  RUN  inner_result.assert_stops\n"
		"# FILE:N:expected (0) == seen (len): 0 vs 3\n"
		"# len was 3\n"
		"not ok 3 inner_result.assert_stops\n"
		"#  RUN  inner_result.messages\n"
		"# FILE:N:expected (neg) == seen (big): "
		"-1 vs 18446744073709551615\n"
		"# FILE:N:expected (neg) >= seen (0u): -1 vs 0\n"
		"# FILE:N:expected (NULL) != seen (none): NULL vs NULL\n"
		"# FILE:N:expected (none) to be true: NULL\n"
		"# FILE:N:expected (neg) to be false: -1\n"
		"# FILE:N:expected (\"x\") != seen (\"x\"): \"x\" vs \"x\"\n"
		"# FILE:N:expected (NULL) == seen (\"tab\\there\"): "
		"(null) vs \"tab\\there\"\n"
		"not ok 4 inner_result.messages\n"
		"#  RUN  inner_result.fail_then_skip\n"
		"# FILE:N:expected (0) to be true: 0\n"
		"not ok 5 inner_result.fail_then_skip\n"
		"#  RUN  inner_result.skips\n"
		"ok 6 inner_result.skips # SKIP needs a unicorn\n"
		"# Totals: pass:1 fail:4 xfail:0 xpass:0 skip:1 error:0\n",
		self->out);
}

TEST_F(nested, exits_0_when_all_pass)
{
	run_nested(self, "-t", "inner_result.passes", NULL);
	EXPECT_EQ(0, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..1\n"
		"#  RUN  inner_result.passes\n"
		"ok 1 inner_result.passes\n"
		"# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
}

TEST_F(nested, exits_0_when_some_pass_and_some_skip)
{
	run_nested(self, "-t", "inner_result.passes", "-t",
		   "inner_result.skips", NULL);
	EXPECT_EQ(0, self->status);
	EXPECT_TRUE(strstr(self->out, "\n# Totals: pass:1 fail:0 xfail:0 "
				      "xpass:0 skip:1 error:0\n"));
}

TEST_F(nested, names_variants_and_tears_down_after_assert)
{
	run_nested(self, "-t", "inner_fx.", NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..2\n"
		"#  RUN  inner_fx.one.is_one\n"
		"ok 1 inner_fx.one.is_one\n"
		"#  RUN  inner_fx.two.is_one\n"
		"# setup second\n"
		"# FILE:N:expected (1) == seen (variant->value): 1 vs 2\n"
		"# teardown 20\n"
		"not ok 2 inner_fx.two.is_one\n"
		"# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
}

TEST_F(nested, skip_in_setup_skips_body_and_exits_4)
{
	run_nested(self, "-t", "inner_setup_skip.", NULL);
	EXPECT_EQ(4, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..1\n"
		"#  RUN  inner_setup_skip.body\n"
		"ok 1 inner_setup_skip.body # SKIP setup says no\n"
		"# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0\n",
		self->out);
	EXPECT_STREQ("setup\nteardown\n", read_trace(self));
}

TEST_F(nested, assert_in_setup_skips_body_and_teardown)
{
	run_nested(self, "-t", "inner_setup_fail.", NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..1\n"
		"#  RUN  inner_setup_fail.body\n"
		"# FILE:N:expected (0) == seen (1): 0 vs 1\n"
		"not ok 1 inner_setup_fail.body\n"
		"# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
	EXPECT_STREQ("setup\n", read_trace(self));
}

TEST_F(nested, timeout_kills_the_process_group)
{
	pid_t pids[2];

	run_nested(self, "-t", "global.inner_timeout", NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..1\n"
		"#  RUN  global.inner_timeout\n"
		"# waiting\n"
		"# timeout after 1 s\n"
		"not ok 1 global.inner_timeout\n"
		"# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
	read_traced_pids(self, pids);
	EXPECT_TRUE(process_gone_within(pids[0], 2000));
	EXPECT_TRUE(process_gone_within(pids[1], 2000));
}

static bool trace_has_lines(FIXTURE_DATA(nested) *self, int lines,
			    int timeout_ms)
{
	const char *c;
	int waited, n;

	for (waited = 0; waited <= timeout_ms; waited += 10) {
		n = 0;
		for (c = read_trace(self); *c; c++)
			n += *c == '\n';
		if (n >= lines)
			return true;
		usleep(10000);
	}
	return false;
}

TEST_F(nested, sigterm_kills_the_running_test)
{
	char *argv[] = { self_exe(), "-t", "global.inner_hang", NULL };
	struct proc p;
	pid_t pids[2];

	ASSERT_EQ(0, proc_spawn(&p, argv));
	ASSERT_TRUE(trace_has_lines(self, 2, 5000));
	read_traced_pids(self, pids);
	proc_kill(&p, SIGTERM);
	EXPECT_EQ(128 + SIGTERM, proc_wait(&p, 5000));
	proc_cleanup(&p);
	EXPECT_TRUE(process_gone_within(pids[0], 2000));
	EXPECT_TRUE(process_gone_within(pids[1], 2000));
}

TEST_F(nested, reports_signals_and_exit_codes)
{
	run_nested(self, "-t", "global.inner_crash", "-t", "global.inner_exit",
		   NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..2\n"
		"#  RUN  global.inner_crash\n"
		"# about to crash\n"
		"# killed by signal SIGABRT\n"
		"not ok 1 global.inner_crash\n"
		"#  RUN  global.inner_exit\n"
		"# exiting\n"
		"# exited with status 3\n"
		"not ok 2 global.inner_exit\n"
		"# Totals: pass:0 fail:2 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
}

TEST_F(nested, failures_in_forked_processes_count)
{
	run_nested(self, "-t", "global.inner_forked_", NULL);
	EXPECT_EQ(1, self->status);
	EXPECT_STREQ(
		"TAP version 13\n"
		"1..2\n"
		"#  RUN  global.inner_forked_expect\n"
		"# FILE:N:expected (1) == seen (2): 1 vs 2\n"
		"# parent done\n"
		"not ok 1 global.inner_forked_expect\n"
		"#  RUN  global.inner_forked_assert\n"
		"# FILE:N:expected (1) == seen (2): 1 vs 2\n"
		"# child exit 1\n"
		"not ok 2 global.inner_forked_assert\n"
		"# Totals: pass:0 fail:2 xfail:0 xpass:0 skip:0 error:0\n",
		self->out);
}

TEST_F(nested, lists_and_filters)
{
	run_nested(self, "-l", "-t", "inner_fx", "-t", "inner_result",
		   "-T", "inner_result.messages", "-T", "skip", NULL);
	EXPECT_EQ(0, self->status);
	EXPECT_STREQ(
		"inner_result.passes\n"
		"inner_result.expect_goes_on\n"
		"inner_result.assert_stops\n"
		"inner_fx.one.is_one\n"
		"inner_fx.two.is_one\n",
		self->out);
}

TEST_F(nested, help_and_bad_options)
{
	run_nested(self, "-h", NULL);
	EXPECT_EQ(0, self->status);
	EXPECT_EQ(0, strncmp("usage: ", self->out, 7));
	free(self->out);
	self->out = NULL;

	run_nested(self, "-x", NULL);
	EXPECT_EQ(2, self->status);
	EXPECT_STREQ("", self->out);
}

TEST_F(nested, plain_run_leaves_out_the_scenarios)
{
	ASSERT_EQ(0, unsetenv(INNER_ENV));
	run_nested(self, "-l", NULL);
	EXPECT_EQ(0, self->status);
	EXPECT_NULL(strstr(self->out, INNER_PREFIX));
	EXPECT_TRUE(strstr(self->out, "\nnested.lists_and_filters\n"));
	EXPECT_EQ(0, strncmp("global.", self->out, 7));
}

/* --- the checks themselves ----------------------------------------- */

TEST(comparisons_mix_integer_types)
{
	enum { RED, GREEN } colour = GREEN;
	uint64_t huge = UINT64_MAX;
	unsigned int three = 3;
	long long minus = -1;
	size_t zero = 0;
	bool yes = true;
	char c = 'x';
	int arr[2];

	ASSERT_EQ(0, zero);
	ASSERT_LT(minus, three);
	ASSERT_GT(huge, minus);
	ASSERT_NE(minus, huge);
	ASSERT_LE(3, three);
	ASSERT_GE(3, three);
	ASSERT_EQ('x', c);
	ASSERT_TRUE(yes);
	ASSERT_FALSE(!yes);
	ASSERT_EQ(GREEN, colour);
	ASSERT_EQ(&arr[0], arr);
	ASSERT_NE(NULL, arr);
	ASSERT_NULL((void *)0);
	ASSERT_STREQ("abc", "abc");
	ASSERT_STRNE("abc", "abd");
	ASSERT_STRNE(NULL, "abc");
}

TEST(checks_evaluate_operands_once)
{
	int calls = 0;

	EXPECT_EQ(1, ++calls);
	ASSERT_EQ(1, calls);
	ASSERT_STREQ("b", (calls++, "b"));
	ASSERT_EQ(2, calls);
	ASSERT_TRUE(calls++);
	ASSERT_EQ(3, calls);
}

TEST(message_block_runs_only_on_failure)
{
	bool ran = false;

	EXPECT_EQ(1, 1) {
		ran = true;
	}
	ASSERT_FALSE(ran);
}

FIXTURE(zeroed) {
	int number;
	char text[16];
};

FIXTURE_VARIANT(zeroed) {
	int number;
	const char *name;
};

TEST_F(zeroed, self_and_variant_start_zeroed)
{
	ASSERT_EQ(0, self->number);
	ASSERT_EQ(0, self->text[15]);
	ASSERT_NE(NULL, variant);
	ASSERT_EQ(0, variant->number);
	ASSERT_NULL(variant->name);
}

/* --- tests/lib/proc.c ------------------------------------------------ */

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 +
	       (now.tv_nsec - since->tv_nsec) / 1000000;
}

TEST(proc_echo_line_then_end_of_file)
{
	char *argv[] = { "/bin/echo", "hello", "world", NULL };
	char line[64];
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(11, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("hello world", line);
	EXPECT_EQ(-ENODATA, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_EQ(0, proc_wait(&p, 5000));
	EXPECT_EQ(0, proc_wait(&p, 5000));
	proc_cleanup(&p);
	proc_cleanup(&p);
}

TEST(proc_cat_round_trip_and_timeout)
{
	char *argv[] = { "cat", NULL };
	struct timespec start;
	char line[64];
	struct proc p;
	long ms;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	ASSERT_EQ(0, proc_write(&p, "one\ntwo\nthr"));
	EXPECT_EQ(3, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("one", line);
	EXPECT_EQ(3, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("two", line);

	clock_gettime(CLOCK_MONOTONIC, &start);
	EXPECT_EQ(-ETIMEDOUT, proc_read_line(&p, line, sizeof(line), 200));
	ms = elapsed_ms(&start);
	EXPECT_LE(190, ms);
	EXPECT_GT(3000, ms);

	ASSERT_EQ(0, proc_write_n(&p, "ee\nfour", 7));
	EXPECT_EQ(5, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("three", line);
	proc_close_stdin(&p);
	EXPECT_EQ(4, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("four", line);
	EXPECT_EQ(-ENODATA, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_EQ(0, proc_wait(&p, 5000));
	proc_cleanup(&p);
}

TEST(proc_long_line_is_consumed)
{
	char *argv[] = { "sh", "-c", "printf 'abcdefghij\\nok\\n'", NULL };
	char line[5];
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(-E2BIG, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_EQ(2, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("ok", line);
	proc_cleanup(&p);
}

TEST(proc_exit_status)
{
	char *argv[] = { "sh", "-c", "exit 7", NULL };
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(7, proc_wait(&p, 5000));
	proc_cleanup(&p);
}

TEST(proc_signal_status_and_wait_timeout)
{
	char *argv[] = { "sleep", "30", NULL };
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(-ETIMEDOUT, proc_wait(&p, 100));
	proc_kill(&p, SIGTERM);
	EXPECT_EQ(128 + SIGTERM, proc_wait(&p, 5000));
	proc_kill(&p, SIGTERM);
	proc_cleanup(&p);
}

TEST(proc_cleanup_kills_a_running_program)
{
	char *argv[] = { "sleep", "30", NULL };
	struct proc p;
	int ret, err;
	pid_t pid;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	pid = p.pid;
	proc_cleanup(&p);
	ret = kill(pid, 0);
	err = errno;
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ESRCH, err);
}

TEST(proc_missing_program)
{
	char *absolute[] = { "/nonexistent/sockscope-no-such-program", NULL };
	char *on_path[] = { "sockscope-no-such-program", NULL };
	struct proc p;

	EXPECT_EQ(-ENOENT, proc_spawn(&p, absolute));
	proc_cleanup(&p);
	/* A PATH entry we may not search would make it -EACCES. */
	ASSERT_EQ(0, setenv("PATH", "/usr/bin:/bin", 1));
	EXPECT_EQ(-ENOENT, proc_spawn(&p, on_path));
	proc_cleanup(&p);
	EXPECT_EQ(-EACCES, proc_spawn(&p, (char *[]){ "/dev/null", NULL }));
	proc_cleanup(&p);
}

TEST(proc_cleanup_on_zeroed_struct)
{
	struct proc p;
	char line[8];

	memset(&p, 0, sizeof(p));
	proc_cleanup(&p);
	proc_kill(&p, SIGKILL);
	EXPECT_EQ(-EBADF, proc_read_line(&p, line, sizeof(line), 0));
	EXPECT_EQ(-ECHILD, proc_wait(&p, 0));
	/* fd 0 of this process must have survived */
	EXPECT_LE(0, fcntl(STDIN_FILENO, F_GETFD));
}

TEST(proc_read_all_both_streams)
{
	char *argv[] = { "sh", "-c", "echo out; echo err >&2; printf tail",
			 NULL };
	struct proc p;
	char *out = NULL, *err = NULL;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(8, proc_read_all(&p, &out, 5000));
	EXPECT_STREQ("out\ntail", out);
	EXPECT_EQ(4, proc_read_all_err(&p, &err, 5000));
	EXPECT_STREQ("err\n", err);
	EXPECT_EQ(0, proc_wait(&p, 5000));
	free(out);
	free(err);
	proc_cleanup(&p);
}

TEST(proc_read_all_stops_at_timeout)
{
	char *argv[] = { "sh", "-c", "echo early; exec sleep 30", NULL };
	char *out = NULL;
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(6, proc_read_all(&p, &out, 300));
	EXPECT_STREQ("early\n", out);
	EXPECT_EQ(-ETIMEDOUT, proc_wait(&p, 0));
	free(out);
	proc_cleanup(&p);
}

TEST(proc_stderr_err_line)
{
	char *argv[] = { "sh", "-c", "echo oops >&2", NULL };
	char line[16];
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(4, proc_read_err_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("oops", line);
	EXPECT_EQ(-ENODATA, proc_read_line(&p, line, sizeof(line), 5000));
	proc_cleanup(&p);
}

TEST(proc_explicit_environment)
{
	char *argv[] = { "/bin/sh", "-c", "echo \"$GREETING-${HOME:-unset}\"",
			 NULL };
	char *envp[] = { "GREETING=hi", NULL };
	char line[64];
	struct proc p;

	ASSERT_EQ(0, proc_spawn_env(&p, argv, envp));
	EXPECT_EQ(8, proc_read_line(&p, line, sizeof(line), 5000));
	EXPECT_STREQ("hi-unset", line);
	proc_cleanup(&p);
}

TEST(proc_big_outputs_do_not_block)
{
	/* Both streams well past a pipe's 64 KiB. */
	char *argv[] = { "sh", "-c", "seq 1 50000 >&2; seq 1 50000; echo end",
			 NULL };
	char *out = NULL;
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	EXPECT_EQ(0, proc_wait(&p, 10000));
	EXPECT_EQ(288894 + 4, proc_read_all(&p, &out, 5000));
	EXPECT_STREQ("49999\n50000\nend\n", out + 288894 + 4 - 16);
	free(out);
	proc_cleanup(&p);
}

TEST(proc_write_to_exited_program_is_epipe)
{
	char *argv[] = { "true", NULL };
	struct proc p;

	ASSERT_EQ(0, proc_spawn(&p, argv));
	ASSERT_EQ(0, proc_wait(&p, 5000));
	EXPECT_EQ(-EPIPE, proc_write(&p, "anyone there?\n"));
	proc_cleanup(&p);
}

/* --- tests/lib/paths.c and tests/lib/netns.c -------------------------- */

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

TEST(paths_find_this_binary_and_source)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, unsetenv("SOCKSCOPE_BUILD"));
	ASSERT_EQ(0, build_path(path, sizeof(path), "tests/test_harness"));
	EXPECT_TRUE(same_file("/proc/self/exe", path)) {
		TH_LOG("build_path gave %s", path);
	}
	ASSERT_EQ(0, source_path(path, sizeof(path), "tests/test_harness.c"));
	EXPECT_EQ(0, access(path, R_OK)) {
		TH_LOG("source_path gave %s", path);
	}
	EXPECT_EQ(-ENAMETOOLONG, build_path(path, 8, "tests/test_harness"));
}

TEST(paths_work_from_another_directory)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, unsetenv("SOCKSCOPE_BUILD"));
	ASSERT_EQ(0, chdir("/"));
	EXPECT_EQ('/', build_dir()[0]);
	ASSERT_EQ(0, build_path(path, sizeof(path), "tests/test_harness"));
	EXPECT_TRUE(same_file("/proc/self/exe", path)) {
		TH_LOG("build_path gave %s", path);
	}
	ASSERT_EQ(0, source_path(path, sizeof(path), "tests/harness.h"));
	EXPECT_EQ(0, access(path, R_OK)) {
		TH_LOG("source_path gave %s", path);
	}
}

TEST(paths_follow_the_environment)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, setenv("SOCKSCOPE_BUILD", "/srv/out/build/", 1));
	EXPECT_STREQ("/srv/out/build", build_dir());
	ASSERT_EQ(0, build_path(path, sizeof(path), "examples/udp_chat"));
	EXPECT_STREQ("/srv/out/build/examples/udp_chat", path);
	ASSERT_EQ(0, source_path(path, sizeof(path), "examples/python/x.py"));
	EXPECT_STREQ("/srv/out/examples/python/x.py", path);
}

static bool link_is_up(const char *name)
{
	struct ifreq ifr;
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return false;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ret = ioctl(fd, SIOCGIFFLAGS, &ifr);
	close(fd);
	return !ret && (ifr.ifr_flags & IFF_UP);
}

static ino_t netns_inode(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : st.st_ino;
}

/* Binds a socket of the type to the loopback address, port 0: the port. */
static int bind_loopback(int family, int type)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof(ss);
	int fd, port = -1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
	}
	fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	if (!bind(fd, (struct sockaddr *)&ss, sizeof(ss)) &&
	    !getsockname(fd, (struct sockaddr *)&ss, &len))
		port = ntohs(family == AF_INET ? in->sin_port : in6->sin6_port);
	close(fd);
	return port;
}

TEST(netns_fresh_has_loopback_up)
{
	ino_t before = netns_inode();
	int ret;

	if (geteuid() != 0)
		SKIP(return, "needs root for a network namespace");
	ret = netns_enter_fresh();
	if (ret == -EPERM)
		SKIP(return, "not allowed to create a network namespace");
	ASSERT_EQ(0, ret);
	EXPECT_NE(before, netns_inode());
	EXPECT_TRUE(link_is_up("lo"));
	EXPECT_LT(0, bind_loopback(AF_INET, SOCK_DGRAM));
	EXPECT_LT(0, bind_loopback(AF_INET, SOCK_STREAM));
}

TEST(netns_ipv6_loopback)
{
	int ret;

	if (geteuid() != 0)
		SKIP(return, "needs root for a network namespace");
	ret = netns_enter_fresh();
	if (ret == -EPERM)
		SKIP(return, "not allowed to create a network namespace");
	ASSERT_EQ(0, ret);
	if (!ipv6_loopback_available())
		SKIP(return, "no IPv6 loopback here");
	EXPECT_LT(0, bind_loopback(AF_INET6, SOCK_STREAM));
}

TEST(netns_unprivileged_gets_eperm)
{
	/* Dropping to nobody drops CAP_SYS_ADMIN as well. */
	if (geteuid() == 0 && setresuid(65534, 65534, 65534))
		SKIP(return, "cannot drop root: %s", strerror(errno));
	EXPECT_EQ(-EPERM, netns_enter_fresh());
}

/* Plain runs leave the inner tests out; TH_SELFTEST_INNER runs only them. */
int main(int argc, char **argv)
{
	char **args;
	int i, ret;

	if (getenv(INNER_ENV))
		return test_harness_run(argc, argv);
	args = calloc(argc + 3, sizeof(*args));
	if (!args)
		return 1;
	for (i = 0; i < argc; i++)
		args[i] = argv[i];
	args[argc] = "-T";
	args[argc + 1] = INNER_PREFIX;
	ret = test_harness_run(argc + 2, args);
	free(args);
	return ret;
}
