/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sockscope's test harness: kselftest conventions, written from scratch.
 * Header-only; a test program includes it, defines its tests and ends
 * with TEST_HARNESS_MAIN.
 *
 * Argument order: every comparison takes (expected, seen).
 *
 *	ASSERT_EQ(0, close(fd));
 *	EXPECT_STREQ("hello", line);
 *	ASSERT_NE(NULL, p);
 *
 * ASSERT_* stops the test (the fixture teardown still runs); EXPECT_*
 * records the failure and goes on. Either may be followed by a block that
 * runs only when the check fails, to say more:
 *
 *	ASSERT_EQ(0, ret) {
 *		TH_LOG("bind: %s", strerror(errno));
 *	}
 *
 * The comparisons: ASSERT_EQ/NE/LT/LE/GT/GE, ASSERT_TRUE, ASSERT_FALSE,
 * ASSERT_NULL, ASSERT_STREQ, ASSERT_STRNE, and EXPECT_* for each. They
 * take integers of any type (signed and unsigned compare by value, so
 * ASSERT_EQ(-1, some_size_t) fails) and pointers; not floating point.
 * Each operand is evaluated once.
 *
 * Tests, run in source order:
 *
 *	TEST(name) { ... }
 *	TEST_TIMEOUT(name, seconds) { ... }
 *
 *	FIXTURE(fx) { fields };
 *	FIXTURE_VARIANT(fx) { fields };			optional
 *	FIXTURE_VARIANT_ADD(fx, vname) { .field = ..., };
 *	FIXTURE_SETUP(fx) { self->field = variant->field; }	optional
 *	FIXTURE_TEARDOWN(fx) { ... }			optional
 *	TEST_F(fx, name) { ... uses self and variant ... }
 *	TEST_F_TIMEOUT(fx, name, seconds) { ... }
 *
 * In SETUP, TEARDOWN and TEST_F, self is a FIXTURE_DATA(fx) * (zeroed
 * before setup) and variant a const FIXTURE_VARIANT(fx) *. A fixture with
 * no FIXTURE_VARIANT_ADD runs once, with variant pointing at zeroes. The
 * teardown runs whenever the setup returned (normally or by SKIP), however
 * the test body ended; a failed ASSERT in the setup skips both the body
 * and the teardown. Names: fx.vname.name, fx.name without variants,
 * global.name for TEST.
 *
 *	TH_LOG(fmt, ...)		a diagnostic line
 *	SKIP(statement, fmt, ...)	mark the test skipped, then run
 *					statement (usually return)
 *
 * Each test runs in a forked child, leader of its own process group, with
 * stdin on /dev/null and stdout and stderr captured; after a timeout
 * (default 30 s) the whole group is killed, and once the test ends any
 * process left in its group is killed too. The captured output is shown
 * (each line behind "# ") only when the test fails. ASSERT and EXPECT work
 * in processes the test forks as well: a failure there fails the test.
 *
 * Output is TAP 13 with kselftest's "# Totals:" line; the exit code is 1
 * if a test failed, else 4 if none passed and some skipped, else 0.
 * Options: -l list the tests, -t NAME run those whose full name contains
 * NAME, -T NAME leave out those whose full name contains NAME (both
 * repeatable), -h help.
 */
#ifndef SOCKSCOPE_HARNESS_H
#define SOCKSCOPE_HARNESS_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TH_DEFAULT_TIMEOUT	30

#define TH_UNUSED	__attribute__((unused))
#define TH_CONSTRUCTOR	__attribute__((constructor))

/* --- registration --------------------------------------------------- */

struct th_fixture;

struct th_test {
	const char *name;
	struct th_fixture *fixture;
	void (*run)(void *self, const void *variant);
	size_t self_size;
	int timeout;
	int line;
	struct th_test *next;
};

struct th_variant {
	const char *name;
	const void *data;
	int line;
	struct th_variant *next;
};

struct th_fixture {
	const char *name;
	void (*setup)(void *self, const void *variant);
	void (*teardown)(void *self, const void *variant);
	struct th_variant *variants;
	struct th_test *tests;
	int line;
	bool registered;
	struct th_fixture *next;
};

static TH_UNUSED struct th_fixture th_global = { .name = "global" };
static TH_UNUSED struct th_fixture *th_fixtures;

/* What a fixture without variants sees through its variant pointer. */
static TH_UNUSED union {
	char bytes[65536];
	long double align_ld;
	void *align_ptr;
	long long align_ll;
} th_zero_variant;

static TH_UNUSED struct th_variant th_no_variant = {
	.data = &th_zero_variant,
};

/*
 * Constructors run in source order with every compiler we use; keeping
 * each list sorted by line makes that order certain.
 */
#define th_insert_by_line(head, item) do {				\
	__typeof__(head) *th_pos_ = &(head);				\
									\
	while (*th_pos_ && (*th_pos_)->line <= (item)->line)		\
		th_pos_ = &(*th_pos_)->next;				\
	(item)->next = *th_pos_;					\
	*th_pos_ = (item);						\
} while (0)

static TH_UNUSED void th_register_fixture(struct th_fixture *f)
{
	if (f->registered)
		return;
	f->registered = true;
	th_insert_by_line(th_fixtures, f);
}

static TH_UNUSED void th_register_test(struct th_test *t)
{
	th_register_fixture(t->fixture);
	th_insert_by_line(t->fixture->tests, t);
}

static TH_UNUSED void th_register_variant(struct th_fixture *f,
					  struct th_variant *v)
{
	th_register_fixture(f);
	th_insert_by_line(f->variants, v);
}

#define TEST(test)	TEST_TIMEOUT(test, TH_DEFAULT_TIMEOUT)

#define TEST_TIMEOUT(test, seconds)					\
	static void th_body_global_##test(void);			\
	static void th_run_global_##test(void *self TH_UNUSED,		\
					 const void *variant TH_UNUSED)	\
	{								\
		th_body_global_##test();				\
	}								\
	static struct th_test th_test_global_##test = {			\
		.name = #test,						\
		.fixture = &th_global,					\
		.run = th_run_global_##test,				\
		.timeout = (seconds),					\
		.line = __LINE__,					\
	};								\
	static TH_CONSTRUCTOR void th_add_test_global_##test(void)	\
	{								\
		th_register_test(&th_test_global_##test);		\
	}								\
	static void th_body_global_##test(void)

#define FIXTURE_DATA(fx)	struct th_fx_data_##fx
#define FIXTURE_VARIANT(fx)	struct th_fx_variant_##fx

#define FIXTURE(fx)							\
	FIXTURE_VARIANT(fx);						\
	static struct th_fixture th_fixture_##fx = {			\
		.name = #fx,						\
		.line = __LINE__,					\
	};								\
	static TH_CONSTRUCTOR void th_add_fixture_##fx(void)	\
	{								\
		th_register_fixture(&th_fixture_##fx);			\
	}								\
	FIXTURE_DATA(fx)

#define FIXTURE_VARIANT_ADD(fx, vname)					\
	static const FIXTURE_VARIANT(fx) th_vdata_##fx##_##vname;	\
	static struct th_variant th_variant_##fx##_##vname = {		\
		.name = #vname,						\
		.data = &th_vdata_##fx##_##vname,			\
		.line = __LINE__,					\
	};								\
	static TH_CONSTRUCTOR void th_add_variant_##fx##_##vname(void)	\
	{								\
		th_register_variant(&th_fixture_##fx,			\
				    &th_variant_##fx##_##vname);	\
	}								\
	static const FIXTURE_VARIANT(fx) th_vdata_##fx##_##vname =

/* Defines th_<phase>_<fx>() and hooks it into the fixture. */
#define TH_FIXTURE_PHASE(fx, phase)					\
	static void th_##phase##_##fx(FIXTURE_DATA(fx) *self,		\
				      const FIXTURE_VARIANT(fx) *variant); \
	static void th_##phase##_any_##fx(void *self, const void *variant) \
	{								\
		th_##phase##_##fx(self, variant);			\
	}								\
	static TH_CONSTRUCTOR void th_add_##phase##_##fx(void)	\
	{								\
		th_fixture_##fx.phase = th_##phase##_any_##fx;		\
	}								\
	static void th_##phase##_##fx(FIXTURE_DATA(fx) *self TH_UNUSED,	\
			const FIXTURE_VARIANT(fx) *variant TH_UNUSED)

#define FIXTURE_SETUP(fx)	TH_FIXTURE_PHASE(fx, setup)
#define FIXTURE_TEARDOWN(fx)	TH_FIXTURE_PHASE(fx, teardown)

#define TEST_F(fx, test)	TEST_F_TIMEOUT(fx, test, TH_DEFAULT_TIMEOUT)

#define TEST_F_TIMEOUT(fx, test, seconds)				\
	static void th_body_##fx##_##test(FIXTURE_DATA(fx) *self,	\
			const FIXTURE_VARIANT(fx) *variant);		\
	static void th_run_##fx##_##test(void *self, const void *variant) \
	{								\
		th_body_##fx##_##test(self, variant);			\
	}								\
	static struct th_test th_test_##fx##_##test = {			\
		.name = #test,						\
		.fixture = &th_fixture_##fx,				\
		.run = th_run_##fx##_##test,				\
		.self_size = sizeof(FIXTURE_DATA(fx)),			\
		.timeout = (seconds),					\
		.line = __LINE__,					\
	};								\
	static TH_CONSTRUCTOR void th_add_test_##fx##_##test(void)	\
	{								\
		th_register_test(&th_test_##fx##_##test);		\
	}								\
	static void th_body_##fx##_##test(FIXTURE_DATA(fx) *self TH_UNUSED, \
			const FIXTURE_VARIANT(fx) *variant TH_UNUSED)

/* --- state of the running test --------------------------------------- */

/* Shared memory: written by the test and anything it forks. */
struct th_result {
	int failed;
	int skipped;
	char reason[256];
};

static TH_UNUSED struct {
	struct th_result *result;
	jmp_buf env;
	bool in_test;
	pid_t test_pid;
} th_state;

static TH_UNUSED void th_mark_failed(void)
{
	if (th_state.result)
		th_state.result->failed = 1;
}

/*
 * Ends the running test after a failed ASSERT: back to the harness in the
 * test's own thread, out of a thread or process the test started.
 */
static TH_UNUSED __attribute__((noreturn)) void th_abort_test(void)
{
	fflush(stdout);
	fflush(stderr);
	if (!th_state.in_test || getpid() != th_state.test_pid)
		_exit(1);
	if (syscall(SYS_gettid) != th_state.test_pid)
		pthread_exit(NULL);
	longjmp(th_state.env, 1);
}

/*
 * Inside a test, diagnostics go to the captured output bare; the harness
 * adds "# " when it shows them.
 */
static TH_UNUSED void th_vlog(const char *fmt, va_list ap)
{
	fflush(stdout);
	flockfile(stderr);
	if (!th_state.in_test)
		fputs("# ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

static TH_UNUSED __attribute__((format(printf, 1, 2)))
void th_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	th_vlog(fmt, ap);
	va_end(ap);
}

#define TH_LOG(fmt, ...)	th_log(fmt, ##__VA_ARGS__)

static TH_UNUSED __attribute__((format(printf, 1, 2)))
void th_skip(const char *fmt, ...)
{
	struct th_result *r = th_state.result;
	va_list ap;
	char *c;

	if (!r)
		return;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	for (c = r->reason; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	r->skipped = 1;
}

#define SKIP(statement, fmt, ...) do {					\
	th_skip(fmt, ##__VA_ARGS__);					\
	statement;							\
} while (0)

/* --- checks ----------------------------------------------------------- */

enum th_kind { TH_SIGNED, TH_UNSIGNED, TH_POINTER };

#define TH_KIND(x) _Generic((x),					\
	_Bool: TH_UNSIGNED,						\
	char: (CHAR_MIN < 0 ? TH_SIGNED : TH_UNSIGNED),			\
	signed char: TH_SIGNED,						\
	short: TH_SIGNED,						\
	int: TH_SIGNED,							\
	long: TH_SIGNED,						\
	long long: TH_SIGNED,						\
	unsigned char: TH_UNSIGNED,					\
	unsigned short: TH_UNSIGNED,					\
	unsigned int: TH_UNSIGNED,					\
	unsigned long: TH_UNSIGNED,					\
	unsigned long long: TH_UNSIGNED,				\
	default: TH_POINTER)

/* An operand: its value (the controlling expression of _Generic is not
 * evaluated, so x is evaluated once), how to read it, and its source. */
struct th_value {
	enum th_kind kind;
	uintmax_t bits;
	const char *text;
};

#define TH_VALUE(x, text)						\
	((struct th_value){ TH_KIND(x), (uintmax_t)(x), text })

enum th_op { TH_OP_EQ, TH_OP_NE, TH_OP_LT, TH_OP_LE, TH_OP_GT, TH_OP_GE };
enum th_want { TH_WANT_TRUE, TH_WANT_FALSE, TH_WANT_NULL };

static TH_UNUSED bool th_is_negative(const struct th_value *v)
{
	return v->kind == TH_SIGNED && (intmax_t)v->bits < 0;
}

/* Orders two operands by their mathematical values: -1, 0 or 1. */
static TH_UNUSED int th_order(const struct th_value *a,
			      const struct th_value *b)
{
	bool a_neg = th_is_negative(a), b_neg = th_is_negative(b);

	if (a_neg != b_neg)
		return a_neg ? -1 : 1;
	if (a_neg)
		return ((intmax_t)a->bits > (intmax_t)b->bits) -
		       ((intmax_t)a->bits < (intmax_t)b->bits);
	return (a->bits > b->bits) - (a->bits < b->bits);
}

static TH_UNUSED const char *th_format(char *buf, size_t size,
				       const struct th_value *v)
{
	if (v->kind == TH_SIGNED)
		snprintf(buf, size, "%jd", (intmax_t)v->bits);
	else if (v->kind == TH_UNSIGNED)
		snprintf(buf, size, "%ju", v->bits);
	else if (v->bits)
		snprintf(buf, size, "0x%jx", v->bits);
	else
		snprintf(buf, size, "NULL");
	return buf;
}

/* Returns true, after reporting, when the comparison fails. */
static TH_UNUSED bool th_check_cmp(const char *file, int line,
				   enum th_op op, struct th_value expected,
				   struct th_value seen)
{
	static const char *const op_text[] = {
		[TH_OP_EQ] = "==", [TH_OP_NE] = "!=", [TH_OP_LT] = "<",
		[TH_OP_LE] = "<=", [TH_OP_GT] = ">", [TH_OP_GE] = ">=",
	};
	int order = th_order(&expected, &seen);
	char e[32], s[32];
	bool ok;

	switch (op) {
	case TH_OP_EQ:
		ok = order == 0;
		break;
	case TH_OP_NE:
		ok = order != 0;
		break;
	case TH_OP_LT:
		ok = order < 0;
		break;
	case TH_OP_LE:
		ok = order <= 0;
		break;
	case TH_OP_GT:
		ok = order > 0;
		break;
	default:
		ok = order >= 0;
		break;
	}
	if (ok)
		return false;
	th_mark_failed();
	th_log("%s:%d:expected (%s) %s seen (%s): %s vs %s", file, line,
	       expected.text, op_text[op], seen.text,
	       th_format(e, sizeof(e), &expected),
	       th_format(s, sizeof(s), &seen));
	return true;
}

static TH_UNUSED bool th_check_want(const char *file, int line,
				    enum th_want want, struct th_value seen)
{
	static const char *const want_text[] = {
		[TH_WANT_TRUE] = "true", [TH_WANT_FALSE] = "false",
		[TH_WANT_NULL] = "NULL",
	};
	char s[32];

	if ((seen.bits != 0) == (want == TH_WANT_TRUE))
		return false;
	th_mark_failed();
	th_log("%s:%d:expected (%s) to be %s: %s", file, line, seen.text,
	       want_text[want], th_format(s, sizeof(s), &seen));
	return true;
}

/* Writes s as a C string literal, or (null). */
static TH_UNUSED void th_put_quoted(FILE *out, const char *s)
{
	if (!s) {
		fputs("(null)", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static TH_UNUSED bool th_check_str(const char *file, int line, bool want_eq,
				   const char *expected, const char *e_text,
				   const char *seen, const char *s_text)
{
	bool eq = expected && seen ? !strcmp(expected, seen) :
				     expected == seen;

	if (eq == want_eq)
		return false;
	th_mark_failed();
	fflush(stdout);
	flockfile(stderr);
	if (!th_state.in_test)
		fputs("# ", stderr);
	fprintf(stderr, "%s:%d:expected (%s) %s seen (%s): ", file, line,
		e_text, want_eq ? "==" : "!=", s_text);
	th_put_quoted(stderr, expected);
	fputs(" vs ", stderr);
	th_put_quoted(stderr, seen);
	fputc('\n', stderr);
	funlockfile(stderr);
	return true;
}

/* Runs after the optional block that follows a failed check. */
static TH_UNUSED int th_after_failure(bool fatal)
{
	if (fatal)
		th_abort_test();
	return 0;
}

/*
 * Each check is a for statement whose body (the optional block, or the
 * empty statement) runs only on failure; ASSERT then ends the test.
 */
#define TH_FAILING(check, fatal)					\
	for (int th_failed_ = (check); th_failed_;			\
	     th_failed_ = th_after_failure(fatal))

#define TH_CMP(op, e, e_text, s, s_text, fatal)				\
	TH_FAILING(th_check_cmp(__FILE__, __LINE__, TH_OP_##op,		\
				TH_VALUE(e, e_text),			\
				TH_VALUE(s, s_text)), fatal)

#define TH_WANT(want, x, x_text, fatal)					\
	TH_FAILING(th_check_want(__FILE__, __LINE__, TH_WANT_##want,	\
				 TH_VALUE(x, x_text)), fatal)

#define TH_STR(want_eq, e, e_text, s, s_text, fatal)			\
	TH_FAILING(th_check_str(__FILE__, __LINE__, want_eq,		\
				(e), e_text, (s), s_text), fatal)

#define ASSERT_EQ(expected, seen) \
	TH_CMP(EQ, expected, #expected, seen, #seen, true)
#define ASSERT_NE(expected, seen) \
	TH_CMP(NE, expected, #expected, seen, #seen, true)
#define ASSERT_LT(expected, seen) \
	TH_CMP(LT, expected, #expected, seen, #seen, true)
#define ASSERT_LE(expected, seen) \
	TH_CMP(LE, expected, #expected, seen, #seen, true)
#define ASSERT_GT(expected, seen) \
	TH_CMP(GT, expected, #expected, seen, #seen, true)
#define ASSERT_GE(expected, seen) \
	TH_CMP(GE, expected, #expected, seen, #seen, true)
#define ASSERT_TRUE(x)		TH_WANT(TRUE, x, #x, true)
#define ASSERT_FALSE(x)		TH_WANT(FALSE, x, #x, true)
#define ASSERT_NULL(x)		TH_WANT(NULL, x, #x, true)
#define ASSERT_STREQ(expected, seen) \
	TH_STR(true, expected, #expected, seen, #seen, true)
#define ASSERT_STRNE(expected, seen) \
	TH_STR(false, expected, #expected, seen, #seen, true)

#define EXPECT_EQ(expected, seen) \
	TH_CMP(EQ, expected, #expected, seen, #seen, false)
#define EXPECT_NE(expected, seen) \
	TH_CMP(NE, expected, #expected, seen, #seen, false)
#define EXPECT_LT(expected, seen) \
	TH_CMP(LT, expected, #expected, seen, #seen, false)
#define EXPECT_LE(expected, seen) \
	TH_CMP(LE, expected, #expected, seen, #seen, false)
#define EXPECT_GT(expected, seen) \
	TH_CMP(GT, expected, #expected, seen, #seen, false)
#define EXPECT_GE(expected, seen) \
	TH_CMP(GE, expected, #expected, seen, #seen, false)
#define EXPECT_TRUE(x)		TH_WANT(TRUE, x, #x, false)
#define EXPECT_FALSE(x)		TH_WANT(FALSE, x, #x, false)
#define EXPECT_NULL(x)		TH_WANT(NULL, x, #x, false)
#define EXPECT_STREQ(expected, seen) \
	TH_STR(true, expected, #expected, seen, #seen, false)
#define EXPECT_STRNE(expected, seen) \
	TH_STR(false, expected, #expected, seen, #seen, false)

/* --- running one test, in the child ------------------------------------ */

/* Calls fn; false when an ASSERT inside it ended it early. */
static TH_UNUSED bool th_call_guarded(void (*fn)(void *, const void *),
				      void *self, const void *variant)
{
	if (setjmp(th_state.env))
		return false;
	fn(self, variant);
	return true;
}

static TH_UNUSED void th_run_phases(const struct th_test *t,
				    const void *variant)
{
	const struct th_fixture *f = t->fixture;
	void *self = calloc(1, t->self_size ? t->self_size : 1);
	bool setup_returned;

	if (!self) {
		th_mark_failed();
		th_log("out of memory for the fixture");
		return;
	}
	th_state.in_test = true;
	setup_returned = !f->setup || th_call_guarded(f->setup, self, variant);
	if (setup_returned && !th_state.result->failed &&
	    !th_state.result->skipped)
		th_call_guarded(t->run, self, variant);
	if (setup_returned && f->teardown)
		th_call_guarded(f->teardown, self, variant);
	th_state.in_test = false;
	free(self);
}

static TH_UNUSED sigset_t th_saved_sigmask;
static TH_UNUSED const int th_forwarded_signals[] = {
	SIGINT, SIGTERM, SIGHUP,
};

static TH_UNUSED char th_stdout_buf[BUFSIZ];

static TH_UNUSED __attribute__((noreturn))
void th_child(const struct th_test *t, const void *variant, int capture_fd)
{
	size_t i;
	int fd;

	setpgid(0, 0);
	for (i = 0; i < sizeof(th_forwarded_signals) / sizeof(int); i++)
		signal(th_forwarded_signals[i], SIG_DFL);
	sigprocmask(SIG_SETMASK, &th_saved_sigmask, NULL);

	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	dup2(capture_fd, STDOUT_FILENO);
	dup2(capture_fd, STDERR_FILENO);
	close(capture_fd);
	/* A new buffer resets the stream, so line buffering takes effect. */
	setvbuf(stdout, th_stdout_buf, _IOLBF, sizeof(th_stdout_buf));

	th_state.test_pid = getpid();
	th_run_phases(t, variant);
	fflush(stdout);
	fflush(stderr);
	_exit(0);
}

/* --- running one test, in the parent ----------------------------------- */

enum th_outcome { TH_PASS, TH_FAIL, TH_SKIP };

static TH_UNUSED volatile sig_atomic_t th_child_pgid;

/* SIGINT, SIGTERM, SIGHUP: take the running test's group down with us. */
static TH_UNUSED void th_on_fatal_signal(int sig)
{
	if (th_child_pgid > 0)
		kill(-th_child_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static TH_UNUSED int th_capture_open(void)
{
	FILE *f;
	int fd;

	fd = memfd_create("th-capture", MFD_CLOEXEC);
	if (fd >= 0)
		return fd;
	f = tmpfile();
	if (!f)
		return -1;
	fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 0);
	fclose(f);
	return fd;
}

/* Shows what the test printed, each line behind "# ". */
static TH_UNUSED void th_dump_capture(int fd)
{
	bool line_start = true;
	char buf[4096];
	off_t off = 0;
	ssize_t n, i;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		for (i = 0; i < n; i++) {
			if (line_start)
				fputs("# ", stdout);
			putchar(buf[i]);
			line_start = buf[i] == '\n';
		}
		off += n;
	}
	if (!line_start)
		putchar('\n');
}

static TH_UNUSED long th_ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * Waits, leaving it unreaped, for the child to exit; false on timeout.
 * SIGCHLD is blocked in the parent, so sigtimedwait sleeps until it.
 */
static TH_UNUSED bool th_wait_exit(pid_t pid, int seconds)
{
	struct timespec deadline, left;
	siginfo_t info;
	sigset_t chld;
	long ms;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds;
	for (;;) {
		memset(&info, 0, sizeof(info));
		if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT))
			return true;
		if (info.si_pid == pid)
			return true;
		ms = th_ms_until(&deadline);
		if (ms <= 0)
			return false;
		left.tv_sec = ms / 1000;
		left.tv_nsec = (ms % 1000) * 1000000;
		sigtimedwait(&chld, NULL, &left);
	}
}

static TH_UNUSED const char *th_signal_name(char *buf, size_t size, int sig)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev) {
		snprintf(buf, size, "SIG%s", abbrev);
		return buf;
	}
#endif
	snprintf(buf, size, "%d", sig);
	return buf;
}

/* Reads the verdict from how the child ended and what it recorded. */
static TH_UNUSED enum th_outcome th_judge(int status, bool timed_out,
					  int timeout)
{
	char sig[32];

	if (timed_out) {
		printf("# timeout after %d s\n", timeout);
		return TH_FAIL;
	}
	if (WIFSIGNALED(status)) {
		printf("# killed by signal %s\n",
		       th_signal_name(sig, sizeof(sig), WTERMSIG(status)));
		return TH_FAIL;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status)) {
		printf("# exited with status %d\n", WEXITSTATUS(status));
		return TH_FAIL;
	}
	if (th_state.result->failed)
		return TH_FAIL;
	return th_state.result->skipped ? TH_SKIP : TH_PASS;
}

static TH_UNUSED enum th_outcome th_run_test(const struct th_test *t,
					     const struct th_variant *v)
{
	enum th_outcome outcome;
	bool timed_out;
	int capture_fd, status = 0;
	pid_t pid;

	memset(th_state.result, 0, sizeof(*th_state.result));
	capture_fd = th_capture_open();
	if (capture_fd < 0) {
		printf("# cannot capture the test's output: %s\n",
		       strerror(errno));
		return TH_FAIL;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("# fork: %s\n", strerror(errno));
		close(capture_fd);
		return TH_FAIL;
	}
	if (pid == 0)
		th_child(t, v->data, capture_fd);

	setpgid(pid, pid);
	th_child_pgid = pid;
	timed_out = !th_wait_exit(pid, t->timeout);
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
	th_child_pgid = 0;

	if (timed_out || WIFSIGNALED(status) || th_state.result->failed ||
	    (WIFEXITED(status) && WEXITSTATUS(status)))
		th_dump_capture(capture_fd);
	outcome = th_judge(status, timed_out, t->timeout);
	close(capture_fd);
	return outcome;
}

/* --- the program -------------------------------------------------------- */

struct th_options {
	bool list;
	const char **include;
	int n_include;
	const char **exclude;
	int n_exclude;
};

/* Walks every fixture, variant (or none) and test, in order. */
struct th_iter {
	struct th_fixture *f;
	struct th_variant *v;
	struct th_test *t;
	char name[512];
};

static TH_UNUSED struct th_variant *th_first_variant(struct th_fixture *f)
{
	return f->variants ? f->variants : &th_no_variant;
}

static TH_UNUSED bool th_iter_step(struct th_iter *it)
{
	if (!it->f) {
		it->f = th_fixtures;
		if (!it->f)
			return false;
		it->v = th_first_variant(it->f);
		it->t = it->f->tests;
	} else {
		it->t = it->t->next;
	}
	while (!it->t) {
		it->v = it->v->next;
		if (!it->v) {
			it->f = it->f->next;
			if (!it->f)
				return false;
			it->v = th_first_variant(it->f);
		}
		it->t = it->f->tests;
	}
	if (it->v->name)
		snprintf(it->name, sizeof(it->name), "%s.%s.%s", it->f->name,
			 it->v->name, it->t->name);
	else
		snprintf(it->name, sizeof(it->name), "%s.%s", it->f->name,
			 it->t->name);
	return true;
}

static TH_UNUSED bool th_matches_any(const char *name, const char **subs,
				     int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strstr(name, subs[i]))
			return true;
	return false;
}

static TH_UNUSED bool th_selected(const struct th_options *o,
				  const char *name)
{
	if (o->n_include && !th_matches_any(name, o->include, o->n_include))
		return false;
	return !th_matches_any(name, o->exclude, o->n_exclude);
}

/* Advances to the next test that the options select. */
static TH_UNUSED bool th_iter_next(struct th_iter *it,
				   const struct th_options *o)
{
	while (th_iter_step(it))
		if (th_selected(o, it->name))
			return true;
	return false;
}

static TH_UNUSED void th_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [-l] [-t NAME]... [-T NAME]...\n"
		"  -l       list the tests, do not run them\n"
		"  -t NAME  run only tests whose full name contains NAME\n"
		"  -T NAME  leave out tests whose full name contains NAME\n"
		"  -h       this help\n"
		"Full names are fixture.variant.test, fixture.test or "
		"global.test.\n", prog);
}

/* -1 to go on, else the exit code. */
static TH_UNUSED int th_parse_options(struct th_options *o, int argc,
				      char **argv)
{
	int opt;

	o->include = calloc(argc, sizeof(*o->include));
	o->exclude = calloc(argc, sizeof(*o->exclude));
	if (!o->include || !o->exclude) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	while ((opt = getopt(argc, argv, "hlt:T:")) != -1) {
		switch (opt) {
		case 'l':
			o->list = true;
			break;
		case 't':
			o->include[o->n_include++] = optarg;
			break;
		case 'T':
			o->exclude[o->n_exclude++] = optarg;
			break;
		case 'h':
			th_usage(stdout, argv[0]);
			return 0;
		default:
			th_usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		th_usage(stderr, argv[0]);
		return 2;
	}
	return -1;
}

/* The parent blocks SIGCHLD (see th_wait_exit) and forwards kills. */
static TH_UNUSED int th_prepare_parent(void)
{
	sigset_t chld;
	size_t i;

	th_state.result = mmap(NULL, sizeof(*th_state.result),
			       PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (th_state.result == MAP_FAILED) {
		th_state.result = NULL;
		return -errno;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &th_saved_sigmask);
	for (i = 0; i < sizeof(th_forwarded_signals) / sizeof(int); i++)
		signal(th_forwarded_signals[i], th_on_fatal_signal);
	return 0;
}

static TH_UNUSED void th_list(const struct th_options *opts)
{
	struct th_iter it = { 0 };

	while (th_iter_next(&it, opts))
		printf("%s\n", it.name);
}

/* Runs the selected tests, printing TAP; returns the exit code. */
static TH_UNUSED int th_run_all(const struct th_options *opts)
{
	int n = 0, pass = 0, fail = 0, skip = 0;
	struct th_iter it = { 0 };

	while (th_iter_next(&it, opts))
		n++;
	printf("TAP version 13\n1..%d\n", n);
	n = 0;
	memset(&it, 0, sizeof(it));
	while (th_iter_next(&it, opts)) {
		n++;
		printf("#  RUN  %s\n", it.name);
		switch (th_run_test(it.t, it.v)) {
		case TH_PASS:
			pass++;
			printf("ok %d %s\n", n, it.name);
			break;
		case TH_SKIP:
			skip++;
			printf("ok %d %s # SKIP%s%s\n", n, it.name,
			       *th_state.result->reason ? " " : "",
			       th_state.result->reason);
			break;
		default:
			fail++;
			printf("not ok %d %s\n", n, it.name);
			break;
		}
		fflush(stdout);
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       pass, fail, skip);
	fflush(stdout);
	if (fail)
		return 1;
	return !pass && skip ? 4 : 0;
}

/* What TEST_HARNESS_MAIN calls; for programs with a main of their own. */
static TH_UNUSED int test_harness_run(int argc, char **argv)
{
	struct th_options opts = { 0 };
	int ret;

	ret = th_parse_options(&opts, argc, argv);
	if (ret >= 0)
		goto out_free_options;
	if (opts.list) {
		th_list(&opts);
		ret = 0;
		goto out_free_options;
	}
	ret = th_prepare_parent();
	if (ret) {
		fprintf(stderr, "%s: shared memory: %s\n", argv[0],
			strerror(-ret));
		ret = 1;
		goto out_free_options;
	}
	ret = th_run_all(&opts);
out_free_options:
	free(opts.include);
	free(opts.exclude);
	return ret;
}

#define TEST_HARNESS_MAIN						\
	int main(int argc, char **argv)					\
	{								\
		return test_harness_run(argc, argv);			\
	}

#endif
