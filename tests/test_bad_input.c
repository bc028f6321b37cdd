// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Bad input, everywhere: each gets one clear line and a defined exit
 * status, and nothing else.
 *
 *  - every option of the real binary with a bad value: status 2 (usage);
 *  - values that are only found bad when used (a pid with no process, an
 *    output path that cannot be written, a user that does not exist):
 *    status 1 (needs root and BTF);
 *  - records of any shape and saved traces of any content: the fuzz
 *    corpus (tests/fuzz/corpus/, crash regressions included), replayed
 *    through the same checks the fuzzers make (tests/fuzz/checks.h);
 *  - the chat programs fed binary input and a 1 MB line, and left by
 *    their peer in the middle of a conversation.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/tracer_run.h"

#include "fuzz/checks.h"

#define SEE_HELP	"; see sockscope --help\n"
#define EXIT_MS		10000
#define LINE_MS		5000

/* Run argv[0] to the end with stdin closed: status, stdout, stderr. */
static int run(char *const argv[], char **out, char **err)
{
	return proc_capture(argv, out, err, EXIT_MS);
}

static char *sockscope_path(void)
{
	static char path[4096];

	build_path(path, sizeof(path), "sockscope");
	return path;
}

/* --- options with bad values: status 2 ----------------------------------- */

struct usage_case {
	const char *args[6];
	const char *message;
};

static const struct usage_case usage_cases[] = {
	{ { "-p", "-5" }, "sockscope: bad pid '-5': expected a positive number" SEE_HELP },
	{ { "-p", "0" }, "sockscope: bad pid '0': expected a positive number" SEE_HELP },
	{ { "-p", "4294967297" }, "sockscope: bad pid '4294967297': expected a positive number" SEE_HELP },
	{ { "--pid=99999999999999999999" }, "sockscope: bad pid '99999999999999999999': expected a positive number" SEE_HELP },
	{ { "-p", "1", "-p", "" }, "sockscope: bad pid list ''" SEE_HELP },
	{ { "--payload=99999999999999999999" }, "sockscope: bad --payload size '99999999999999999999': expected 1 to 256 bytes" SEE_HELP },
	{ { "--payload=-1" }, "sockscope: bad --payload size '-1': expected 1 to 256 bytes" SEE_HELP },
	{ { "--ringbuf-size=2147483648" }, "sockscope: bad --ringbuf-size '2147483648': expected a power of 2 from 4096" SEE_HELP },
	{ { "-e", "open" }, "sockscope: unknown syscall 'open' in -e; known: socket, socketpair, bind, listen, accept, accept4, connect, sendto, recvfrom, sendmsg, recvmsg, shutdown, getsockname, getpeername, setsockopt, getsockopt, close, read, write, readv, writev, sendfile, splice, sendmmsg, recvmmsg, poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_ctl, and the groups %net, %file-io and %wait\n" },
	{ { "-e", "bind", "-e", "connect" }, "sockscope: -e given twice" SEE_HELP },
	{ { "-c", "" }, "sockscope: empty command name for -c" SEE_HELP },
	{ { "-o", "a", "-o", "b" }, "sockscope: -o given twice" SEE_HELP },
	{ { "-o", "" }, "sockscope: empty value for -o" SEE_HELP },
	{ { "--payload", "--payload" }, "sockscope: --payload given twice" SEE_HELP },
	{ { "-u", "a", "-u", "b", "--", "true" }, "sockscope: -u given twice" SEE_HELP },
	{ { "-u", "nobody" }, "sockscope: -u needs a command to run" SEE_HELP },
	{ { "-j", "--diagram", "--", "true" }, "sockscope: --diagram draws for a terminal, -j writes JSON: use one, send the JSON to a file with -o, or --save the trace and run 'sockscope diagram FILE'" SEE_HELP },
	{ { "-p", "1", "--", "true" }, "sockscope: give either a command or -p/-c, not both" SEE_HELP },
	/* Regressions found by fuzz_options: a long option's missing value
	 * was named by its number as a character ("-\001"); control
	 * characters in an argument went to the terminal as they were. */
	{ { "--ringbuf-size" }, "sockscope: option '--ringbuf-size' is unknown or needs a value" SEE_HELP },
	{ { "--json=1" }, "sockscope: option '--json=1' is unknown or needs a value" SEE_HELP },
	{ { "-e", "bind,\033[2J" }, "sockscope: unknown syscall '?[2J' in -e; known: socket, socketpair, bind, listen, accept, accept4, connect, sendto, recvfrom, sendmsg, recvmsg, shutdown, getsockname, getpeername, setsockopt, getsockopt, close, read, write, readv, writev, sendfile, splice, sendmmsg, recvmmsg, poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_ctl, and the groups %net, %file-io and %wait\n" },
	{ { "-c", "\xc2\x9b" "31m_and_more_than_15" }, "sockscope: command name '??31m_and_more_than_15' is longer than the kernel's 15 characters" SEE_HELP },
	{ { "-\n" }, "sockscope: option '-?' is unknown or needs a value" SEE_HELP },
};

TEST(every_bad_option_value_gets_one_line_and_status_2)
{
	for (size_t i = 0; i < sizeof(usage_cases) / sizeof(usage_cases[0]); i++) {
		const struct usage_case *c = &usage_cases[i];
		char *argv[8] = { sockscope_path() }, *out, *err;
		int n = 1;

		for (int a = 0; a < 6 && c->args[a]; a++)
			argv[n++] = (char *)c->args[a];
		EXPECT_EQ(2, run(argv, &out, &err)) {
			TH_LOG("case %zu: %s %s", i, c->args[0],
			       c->args[1] ? c->args[1] : "");
		}
		EXPECT_STREQ(c->message, err);
		EXPECT_STREQ("", out);
		free(out);
		free(err);
	}
}

/* A long argument is echoed cut short, between two characters. */
TEST(long_arguments_are_cut_between_characters)
{
	char list[400], expected[256], *out, *err;
	char *argv[] = { sockscope_path(), "-p", list, NULL };

	memset(list, '1', 63);
	memcpy(list + 63, "\xe4\xbd\xa0", 3);	/* a character on byte 64 */
	memset(list + 66, '2', 300);
	list[366] = '\0';
	snprintf(expected, sizeof(expected),
		 "sockscope: -p list too long: '%.63s...'" SEE_HELP, list);
	EXPECT_EQ(2, run(argv, &out, &err));
	EXPECT_STREQ(expected, err);
	free(out);
	free(err);
}

/* --- values found bad when used: status 1 -------------------------------- */

/* A pid with no process now: one that just exited and was reaped. */
static pid_t free_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

TEST_TIMEOUT(values_found_bad_when_used_get_one_line_and_status_1, 60)
{
	char dir[] = "/tmp/sockscope-bad-XXXXXX", pid[16], pidmsg[80];
	char dirmsg[128], *out, *err;
	struct {
		char *args[6];
		const char *message;
	} cases[] = {
		{ { "-p", pid }, pidmsg },
		{ { "-p", "2147483647" }, "sockscope: no process with pid 2147483647\n" },
		{ { "-o", "/proc/nonexistent/trace.txt" }, "sockscope: cannot write the trace to '/proc/nonexistent/trace.txt': No such file or directory\n" },
		{ { "-o", dir }, dirmsg },
		{ { "-u", "no_such_user_x", "--", "true" }, "sockscope: no such user 'no_such_user_x' for -u\n" },
	};

	REQUIRE_E2E();
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(pid, sizeof(pid), "%d", free_pid());
	snprintf(pidmsg, sizeof(pidmsg), "sockscope: no process with pid %s\n",
		 pid);
	snprintf(dirmsg, sizeof(dirmsg),
		 "sockscope: cannot write the trace to '%s': Is a directory\n",
		 dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[8] = { sockscope_path() };
		int n = 1;

		for (int a = 0; a < 6 && cases[i].args[a]; a++)
			argv[n++] = cases[i].args[a];
		EXPECT_EQ(1, run(argv, &out, &err)) {
			TH_LOG("case %zu: %s %s", i, cases[i].args[0],
			       cases[i].args[1]);
		}
		EXPECT_STREQ(cases[i].message, err);
		EXPECT_STREQ("", out);
		free(out);
		free(err);
	}
	rmdir(dir);
}

/* --- records and saved traces of any shape: the fuzz corpus -------------- */

typedef const char *(*check_fn)(const uint8_t *data, size_t size);

static char *slurp(const char *path, size_t *size)
{
	char *buf = NULL;
	FILE *f = fopen(path, "rb"), *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, size);
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Every file of tests/fuzz/corpus/TARGET through its check; how many. */
static int replay_corpus(const char *target, check_fn check)
{
	char dir[4096], path[8192];
	struct dirent *de;
	int files = 0;
	size_t size;
	DIR *d;

	if (source_path(dir, sizeof(dir), "tests/fuzz/corpus"))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, target);
	d = opendir(path);
	if (!d) {
		TH_LOG("no corpus in %s", path);
		return -1;
	}
	while ((de = readdir(d))) {
		const char *err;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, target,
			 de->d_name);
		data = slurp(path, &size);
		if (!data)
			continue;
		err = check((const uint8_t *)data, size);
		EXPECT_NULL(err) {
			TH_LOG("%s/%s: %s", target, de->d_name, err);
		}
		free(data);
		files++;
	}
	closedir(d);
	return files;
}

FIXTURE(corpus) {
};

FIXTURE_VARIANT(corpus) {
	const char *target;
	check_fn check;
	int at_least;		/* seeds make_corpus writes */
};

FIXTURE_VARIANT_ADD(corpus, record) {
	.target = "record", .check = check_record_input, .at_least = 30,
};

FIXTURE_VARIANT_ADD(corpus, reader) {
	.target = "reader", .check = check_reader_input, .at_least = 9,
};

FIXTURE_VARIANT_ADD(corpus, replay) {
	.target = "replay", .check = check_replay_input, .at_least = 12,
};

FIXTURE_VARIANT_ADD(corpus, sockaddr) {
	.target = "sockaddr", .check = check_sockaddr_input, .at_least = 18,
};

FIXTURE_VARIANT_ADD(corpus, escape) {
	.target = "escape", .check = check_escape_input, .at_least = 15,
};

FIXTURE_VARIANT_ADD(corpus, options) {
	.target = "options", .check = check_options_input, .at_least = 20,
};

FIXTURE_SETUP(corpus)
{
}

FIXTURE_TEARDOWN(corpus)
{
}

TEST_F_TIMEOUT(corpus, every_file_passes_the_fuzz_checks, 120)
{
	EXPECT_LE(variant->at_least, replay_corpus(variant->target,
						     variant->check));
}

/* What a process names itself, made printable: UTF-8 kept, controls not. */
TEST(printable_names)
{
	static const struct { const char *name, *shown; } cases[] = {
		{ "udp_chat_server", "udp_chat_server" },
		{ "\033[2J\a\x7f", "?[2J??" },
		{ "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8", "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8" },
		{ "\xc2\x9b" "31m", "??31m" },		/* C1 CSI */
		{ "ab\xe6\x9c", "ab??" },		/* cut by the kernel */
		{ "\xff\xfe", "??" },
	};
	char out[SOCKSCOPE_COMM_LEN + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_printable_name(out, cases[i].name, SOCKSCOPE_COMM_LEN);
		EXPECT_STREQ(cases[i].shown, out);
	}
	/* 16 bytes without a NUL: only n are read. */
	format_printable_name(out, "0123456789abcdefXYZ", SOCKSCOPE_COMM_LEN);
	EXPECT_STREQ("0123456789abcdef", out);
}

/* A record a process shaped: its name cannot reach the terminal as
 * control sequences (found by fuzz_record). */
TEST(record_with_control_characters_in_its_name)
{
	struct syscall_record r = {
		.hdr = { .ts_ns = 2000, .pid = 7, .tid = 8,
			 .kind = EVENT_SYSCALL, .size = sizeof(r),
			 .comm = "\033]0;evil\a\xff\xfe\x9b" },
		.ret = 0,
		.call = CALL_CLOSE,
		.args = { 3 },
	};
	struct render_opts ro = { .start_ns = 1000 };
	struct strbuf sb;

	ASSERT_EQ(0, record_validate(&r, sizeof(r)));
	sb_init(&sb);
	render_syscall_text(&sb, &r, &ro);
	EXPECT_STREQ("0.000001 [7/8 ?]0;evil????] close(3) = 0\n", sb.buf);
	sb_free(&sb);
}

/* The return value of a record is any 64-bit number: the most negative
 * one has no negation (undefined behaviour, found by fuzz_record). */
TEST(record_with_the_most_negative_return_value)
{
	struct syscall_record r = {
		.hdr = { .ts_ns = 2000, .pid = 7, .tid = 7,
			 .kind = EVENT_SYSCALL, .size = sizeof(r),
			 .comm = "x" },
		.ret = INT64_MIN,
		.call = CALL_SOCKET,
		.args = { 2, 1, 0 },
	};
	struct render_opts ro = { .start_ns = 1000 };
	struct strbuf sb;

	ASSERT_EQ(0, record_validate(&r, sizeof(r)));
	sb_init(&sb);
	render_syscall_text(&sb, &r, &ro);
	EXPECT_STREQ("0.000001 [7 x] socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = -9223372036854775808\n",
		     sb.buf);
	sb_free(&sb);
}

/* Shapes validation refuses: kind 0, a name without its NUL. */
TEST(records_of_no_kind_and_unterminated_names_are_refused)
{
	struct kernel_record k = {
		.hdr = { .kind = 0, .size = sizeof(k), .comm = "x" },
	};
	struct syscall_record r = {
		.hdr = { .kind = EVENT_SYSCALL, .size = sizeof(r) },
		.call = CALL_CLOSE,
	};

	EXPECT_EQ(-EINVAL, record_validate(&k, sizeof(k)));
	memset(r.hdr.comm, 'a', sizeof(r.hdr.comm));
	EXPECT_EQ(-EINVAL, record_validate(&r, sizeof(r)));
	r.hdr.comm[15] = '\0';
	EXPECT_EQ(0, record_validate(&r, sizeof(r)));
}

/* --- the chat programs --------------------------------------------------- */

FIXTURE(chat) {
	struct proc server, client;
	char port[8];
};

FIXTURE_VARIANT(chat) {
	bool tcp;
};

FIXTURE_VARIANT_ADD(chat, udp) {
	.tcp = false,
};

FIXTURE_VARIANT_ADD(chat, tcp) {
	.tcp = true,
};

FIXTURE_SETUP(chat)
{
	char path[4096], line[128];
	char *argv[] = { path, "--echo", "--port", "0", NULL };
	unsigned int port;

	netns_enter_fresh();
	build_path(path, sizeof(path), variant->tcp ?
		   "examples/tcp_chat_server" : "examples/udp_chat_server");
	ASSERT_EQ(0, proc_spawn(&self->server, argv));
	ASSERT_LT(0, proc_read_line(&self->server, line, sizeof(line),
				    LINE_MS));
	ASSERT_EQ(1, sscanf(line, "listening on 127.0.0.1:%u", &port)) {
		TH_LOG("server said: %s", line);
	}
	snprintf(self->port, sizeof(self->port), "%u", port);
}

FIXTURE_TEARDOWN(chat)
{
	proc_cleanup(&self->client);
	proc_cleanup(&self->server);
}

#define START_CLIENT() do {						\
	char path_[4096];						\
	char *argv_[] = { path_, "--port", self->port, NULL };		\
									\
	build_path(path_, sizeof(path_), variant->tcp ?			\
		   "examples/tcp_chat_client" :				\
		   "examples/udp_chat_client");				\
	ASSERT_EQ(0, proc_spawn(&self->client, argv_));			\
} while (0)

static const char *prog(bool tcp, const char *side)
{
	static char name[32];

	snprintf(name, sizeof(name), "%s_chat_%s", tcp ? "tcp" : "udp",
		 side);
	return name;
}

/*
 * Lines of random bytes (every value but '\n': NUL, 0xff, ESC, '\r'...)
 * come back exactly as they were sent.
 */
TEST_F_TIMEOUT(chat, binary_lines_come_back_exact, 60)
{
	unsigned int seed = 42;
	char line[2048], reply[2048], *err;
	ssize_t n;

	START_CLIENT();
	for (int i = 0; i < 200; i++) {
		size_t len = 1 + rand_r(&seed) % 1000;

		for (size_t j = 0; j < len; j++) {
			line[j] = rand_r(&seed) % 255;
			if (line[j] == '\n')
				line[j] = (char)0xff;
		}
		line[len] = '\n';
		ASSERT_EQ(0, proc_write_n(&self->client, line, len + 1));
		ASSERT_EQ((ssize_t)len + 7,
			  proc_read_line(&self->client, reply, sizeof(reply),
					 LINE_MS)) {
			proc_read_all_err(&self->client, &err, 100);
			TH_LOG("line %d: client said: %s", i, err);
		}
		ASSERT_EQ(0, memcmp("reply: ", reply, 7));
		ASSERT_EQ(0, memcmp(line, reply + 7, len)) {
			TH_LOG("line %d differs", i);
		}
		/* The server printed it as it came ("from ADDR: ..."). */
		n = proc_read_line(&self->server, reply, sizeof(reply),
				   LINE_MS);
		if (n > 0 && !strncmp(reply, "connected: ", 11))
			n = proc_read_line(&self->server, reply,
					   sizeof(reply), LINE_MS);
		ASSERT_LT((ssize_t)len, n);
		ASSERT_EQ(0, memcmp(line, reply + n - len, len));
	}
	proc_close_stdin(&self->client);
	EXPECT_EQ(0, proc_wait(&self->client, EXIT_MS));
	proc_read_all_err(&self->client, &err, 1000);
	EXPECT_STREQ("", err);
	free(err);
}

/* A 1 MB line: one clear line on stderr; the chat goes on. */
TEST_F_TIMEOUT(chat, megabyte_line_is_refused_and_the_chat_goes_on, 60)
{
	size_t big = 1024 * 1024;
	char *line = malloc(big + 1), reply[128], expected[160], *err;

	ASSERT_NE(NULL, line);
	START_CLIENT();
	memset(line, 'x', big);
	line[big] = '\n';
	ASSERT_EQ(0, proc_write_n(&self->client, line, big + 1));
	ASSERT_EQ(0, proc_write(&self->client, "after\n"));
	ASSERT_LT(0, proc_read_line(&self->client, reply, sizeof(reply),
				    LINE_MS));
	EXPECT_STREQ("reply: after", reply);
	proc_close_stdin(&self->client);
	EXPECT_EQ(0, proc_wait(&self->client, EXIT_MS));
	proc_read_all_err(&self->client, &err, 1000);
	if (variant->tcp)
		snprintf(expected, sizeof(expected),
			 "tcp_chat_client: message too long (1048576 bytes, at most 65536)\n");
	else
		snprintf(expected, sizeof(expected),
			 "udp_chat_client: message too long for one UDP datagram (1048576 bytes, at most 65507)\n");
	EXPECT_STREQ(expected, err);
	free(err);
	free(line);
}

/*
 * The server is killed in the middle of the conversation: the client's
 * next message gets one line saying what happened, and status 1.
 */
TEST_F_TIMEOUT(chat, server_vanishes, 60)
{
	char reply[128], expected[200], *err, *out;

	START_CLIENT();
	ASSERT_EQ(0, proc_write(&self->client, "hello\n"));
	ASSERT_LT(0, proc_read_line(&self->client, reply, sizeof(reply),
				    LINE_MS));
	EXPECT_STREQ("reply: hello", reply);
	proc_kill(&self->server, SIGKILL);
	ASSERT_EQ(128 + SIGKILL, proc_wait(&self->server, EXIT_MS));
	ASSERT_EQ(0, proc_write(&self->client, "are you there?\n"));
	EXPECT_EQ(1, proc_wait(&self->client, EXIT_MS));
	proc_read_all(&self->client, &out, 1000);
	proc_read_all_err(&self->client, &err, 1000);
	if (variant->tcp)
		snprintf(expected, sizeof(expected),
			 "%s: connection closed by 127.0.0.1:%s before it replied\n",
			 prog(true, "client"), self->port);
	else
		snprintf(expected, sizeof(expected),
			 "%s: message refused by 127.0.0.1:%s (ICMP port unreachable): is the server running?\n",
			 prog(false, "client"), self->port);
	EXPECT_STREQ(expected, err);
	EXPECT_STREQ("", out);
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
