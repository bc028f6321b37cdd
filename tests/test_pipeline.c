// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The pipeline end to end: build/sockscope loads its BPF programs,
 * attaches to the socket syscall tracepoints and prints the calls this
 * test and the chat programs make, exactly. Needs root and BTF.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/tracer_run.h"

TEST_TIMEOUT(socket_calls_are_decoded, 60)
{
	struct proc tracer = {};
	char expected[4096], *out, *seen;
	int fd_udp, fd_tcp6, fd_unix, bad_family, bad_proto;
	pid_t me = getpid();

	REQUIRE_E2E();
	ASSERT_EQ(0, tracer_start(&tracer, NULL));

	fd_udp = socket(AF_INET, SOCK_DGRAM, 0);
	fd_tcp6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	fd_unix = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
	bad_family = socket(12345, SOCK_STREAM, 0);
	bad_proto = socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP);
	ASSERT_EQ(-1, bad_family);
	ASSERT_EQ(-1, bad_proto);

	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	seen = text_lines_of(out, me);
	snprintf(expected, sizeof(expected),
		 "[%1$d test_pipeline] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = %2$d\n"
		 "[%1$d test_pipeline] socket(AF_INET6, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = %3$d\n"
		 "[%1$d test_pipeline] socket(AF_UNIX, SOCK_SEQPACKET|SOCK_NONBLOCK, 0) = %4$d\n"
		 "[%1$d test_pipeline] socket(0x3039 /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)\n"
		 "[%1$d test_pipeline] socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP) = -1 EPROTONOSUPPORT (Protocol not supported)\n",
		 me, fd_udp, fd_tcp6, fd_unix);
	EXPECT_STREQ(expected, seen);
	free(seen);
	free(out);
	proc_cleanup(&tracer);
}

/* The chat programs' calls appear under their own pid, and -e keeps just
 * the calls asked for. */
TEST_TIMEOUT(chat_programs_are_traced, 60)
{
	struct proc tracer = {}, server = {}, client = {};
	char srv_path[4096], cli_path[4096], line[256], port[16];
	char expected[4096], *out, *seen;
	char *srv_argv[] = { srv_path, "--port", "0", "--echo", NULL };
	char *cli_argv[] = { cli_path, "--port", port, NULL };
	char *opts[] = { "-e", "socket,sendto,recvfrom,close", NULL };

	REQUIRE_E2E();
	ENTER_NETNS();
	build_path(srv_path, sizeof(srv_path), "examples/udp_chat_server");
	build_path(cli_path, sizeof(cli_path), "examples/udp_chat_client");
	ASSERT_EQ(0, tracer_start(&tracer, opts));

	ASSERT_EQ(0, proc_spawn(&server, srv_argv));
	ASSERT_LT(0, proc_read_line(&server, line, sizeof(line), 5000));
	ASSERT_EQ(1, sscanf(line, "listening on 127.0.0.1:%15[0-9] (udp)", port));
	ASSERT_EQ(0, proc_spawn(&client, cli_argv));
	ASSERT_EQ(0, proc_write(&client, "hello\n"));
	proc_close_stdin(&client);
	ASSERT_LT(0, proc_read_line(&client, line, sizeof(line), 5000));
	ASSERT_STREQ("reply: hello", line);
	ASSERT_EQ(0, proc_wait(&client, 5000));

	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	seen = text_lines_of(out, client.pid);
	snprintf(expected, sizeof(expected),
		 "[%1$d udp_chat_client] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
		 "[%1$d udp_chat_client] sendto(3, ..., 5, 0, {AF_INET, 127.0.0.1:%2$s}, 16) = 5\n"
		 "[%1$d udp_chat_client] recvfrom(3, ..., 1024, MSG_TRUNC, NULL, NULL) = 5\n"
		 "[%1$d udp_chat_client] close(3) = 0\n",
		 client.pid, port);
	EXPECT_STREQ(expected, seen);
	free(seen);
	free(out);
	proc_cleanup(&server);
	proc_cleanup(&client);
	proc_cleanup(&tracer);
}

/* Without the capabilities, one clear line and exit status 1. */
TEST(unprivileged_gets_clear_error)
{
	char *out = NULL, *err = NULL;

	if (geteuid() == 0) {
		/* Drop to nobody in this test child. */
		ASSERT_EQ(0, setgid(65534));
		ASSERT_EQ(0, setuid(65534));
	}
	EXPECT_EQ(1, tracer_run(NULL, NULL, &out, &err));
	EXPECT_STREQ("sockscope: needs root or CAP_BPF+CAP_PERFMON; try: sudo sockscope\n",
		     err);
	EXPECT_STREQ("", out);
	free(out);
	free(err);
}

TEST(bad_option_is_usage_error)
{
	char *opts[] = { "--no-such-option", NULL };
	char *out = NULL, *err = NULL;

	EXPECT_EQ(2, tracer_run(opts, NULL, &out, &err));
	EXPECT_STREQ("sockscope: option '--no-such-option' is unknown or needs a value; see sockscope --help\n",
		     err);
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
