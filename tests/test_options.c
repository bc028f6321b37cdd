// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The command line: every option, and one clear line for bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "calls.h"
#include "options.h"

/* Parse a NULL-terminated argument list; the error text lands in err.
 * The options point into argv, so it outlives the call. */
static int parse(struct options *o, char *err, size_t size, ...)
{
	static char *argv[32];
	int argc = 1, ret;
	va_list ap;
	FILE *f;

	memset(argv, 0, sizeof(argv));
	argv[0] = "sockscope";
	va_start(ap, size);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	f = fmemopen(err, size, "w");
	if (!f)
		return -1;
	ret = options_parse(o, argc, argv, f);
	fclose(f);
	return ret;
}

TEST(defaults)
{
	struct options o;
	char err[512] = "";

	ASSERT_EQ(0, parse(&o, err, sizeof(err), NULL));
	EXPECT_EQ(0, o.npids);
	EXPECT_EQ(0, o.ncomms);
	EXPECT_FALSE(o.json);
	EXPECT_FALSE(o.follow);
	EXPECT_EQ(0, o.payload);
	EXPECT_NULL(o.command);
	EXPECT_TRUE(options_want_call(&o, CALL_CLOSE));
	EXPECT_STREQ("", err);
}

TEST(every_option)
{
	struct options o;
	char err[512] = "";

	ASSERT_EQ(0, parse(&o, err, sizeof(err), "-p", "12,34", "--pid", "56",
			   "-c", "udp_chat_server", "--comm=nc", "-f", "-j",
			   "-o", "/tmp/x", "-e", "bind,connect", "-x", "-T",
			   "-t", "--payload=32", "-v", NULL));
	ASSERT_EQ(3, o.npids);
	EXPECT_EQ(12, o.pids[0]);
	EXPECT_EQ(34, o.pids[1]);
	EXPECT_EQ(56, o.pids[2]);
	ASSERT_EQ(2, o.ncomms);
	EXPECT_STREQ("udp_chat_server", o.comms[0]);
	EXPECT_STREQ("nc", o.comms[1]);
	EXPECT_TRUE(o.follow);
	EXPECT_TRUE(o.json);
	EXPECT_STREQ("/tmp/x", o.output);
	EXPECT_TRUE(options_want_call(&o, CALL_BIND));
	EXPECT_TRUE(options_want_call(&o, CALL_CONNECT));
	EXPECT_FALSE(options_want_call(&o, CALL_SOCKET));
	EXPECT_TRUE(o.failed_only);
	EXPECT_TRUE(o.duration);
	EXPECT_TRUE(o.wallclock);
	EXPECT_EQ(32, o.payload);
	EXPECT_TRUE(o.verbose);
}

TEST(payload_default_size)
{
	struct options o;
	char err[512] = "";

	ASSERT_EQ(0, parse(&o, err, sizeof(err), "--payload", NULL));
	EXPECT_EQ(64, o.payload);
}

TEST(command_after_options)
{
	struct options o;
	char err[512] = "";

	ASSERT_EQ(0, parse(&o, err, sizeof(err), "-j", "--", "ls", "-l",
			   NULL));
	ASSERT_NE(NULL, o.command);
	EXPECT_STREQ("ls", o.command[0]);
	EXPECT_STREQ("-l", o.command[1]);
	EXPECT_NULL(o.command[2]);
	EXPECT_TRUE(o.follow);
	/* Options after the command belong to it. */
	ASSERT_EQ(0, parse(&o, err, sizeof(err), "ls", "-j", NULL));
	EXPECT_FALSE(o.json);
	EXPECT_STREQ("-j", o.command[1]);
}

struct bad_case {
	const char *args[4];
	const char *message;
};

static const struct bad_case bad_cases[] = {
	{ { "-p", "0" }, "sockscope: bad pid '0': expected a positive number; see sockscope --help\n" },
	{ { "-p", "-5" }, "sockscope: bad pid '-5': expected a positive number; see sockscope --help\n" },
	{ { "-p", "12x" }, "sockscope: bad pid '12x': expected a positive number; see sockscope --help\n" },
	{ { "-p", "99999999999" }, "sockscope: bad pid '99999999999': expected a positive number; see sockscope --help\n" },
	{ { "-p", "," }, "sockscope: bad pid list ','; see sockscope --help\n" },
	{ { "-c", "" }, "sockscope: empty command name for -c; see sockscope --help\n" },
	{ { "-c", "a_very_long_command_name" }, "sockscope: command name 'a_very_long_command_name' is longer than the kernel's 15 characters; see sockscope --help\n" },
	{ { "-e", "bind,frobnicate" }, "sockscope: unknown syscall 'frobnicate' in -e; known: socket, socketpair, bind, listen, accept, accept4, connect, sendto, recvfrom, sendmsg, recvmsg, shutdown, getsockname, getpeername, setsockopt, getsockopt, close, read, write, readv, writev, sendfile, splice, sendmmsg, recvmmsg, poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, epoll_ctl, and the groups %net, %file-io and %wait\n" },
	{ { "-e", "," }, "sockscope: empty syscall list for -e; see sockscope --help\n" },
	{ { "--payload=0" }, "sockscope: bad --payload size '0': expected 1 to 256 bytes; see sockscope --help\n" },
	{ { "--payload=257" }, "sockscope: bad --payload size '257': expected 1 to 256 bytes; see sockscope --help\n" },
	{ { "--payload=1", "--payload=2" }, "sockscope: --payload given twice; see sockscope --help\n" },
	{ { "-o", "a", "-o", "b" }, "sockscope: -o given twice; see sockscope --help\n" },
	{ { "-o", "" }, "sockscope: empty value for -o; see sockscope --help\n" },
	{ { "-u", "nobody" }, "sockscope: -u needs a command to run; see sockscope --help\n" },
	{ { "-p", "1", "ls" }, "sockscope: give either a command or -p/-c, not both; see sockscope --help\n" },
	{ { "--bogus" }, "sockscope: option '--bogus' is unknown or needs a value; see sockscope --help\n" },
	{ { "-Q" }, "sockscope: option '-Q' is unknown or needs a value; see sockscope --help\n" },
	{ { "-p" }, "sockscope: option '-p' is unknown or needs a value; see sockscope --help\n" },
	{ { "--ringbuf-size", "5000" }, "sockscope: bad --ringbuf-size '5000': expected a power of 2 from 4096; see sockscope --help\n" },
};

TEST(bad_input_gets_one_line_and_status_2)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char err[512] = "";
		struct options o;

		EXPECT_EQ(2, parse(&o, err, sizeof(err), c->args[0], c->args[1],
				   c->args[2], c->args[3], NULL)) {
			TH_LOG("case %zu: %s", i, c->args[0]);
		}
		EXPECT_STREQ(c->message, err);
	}
}

TEST(help_mentions_usage_and_examples)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ASSERT_NE(NULL, f);
	options_print_help(f);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "USAGE: sockscope [options] [-- command [args...]]"));
	EXPECT_NE(NULL, strstr(text, "EXAMPLES:"));
	EXPECT_NE(NULL, strstr(text, "shows other\n"));
	free(text);
}

TEST_HARNESS_MAIN
