// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The file-style calls on sockets (read, write, readv, writev, sendfile,
 * splice), end to end: tests/helpers/fileio_calls makes them on TCP, UDP
 * and UNIX sockets, and on a pipe and a regular file.
 *
 * Against strace, in one run (sockscope traces strace, strace traces the
 * helper): per thread, in order, sockscope's text lines are strace's lines
 * for the calls on sockets, byte for byte (as tests/lib/strace_lines.h
 * normalises them), and the calls on the pipe and the file are in
 * strace's trace only.
 *
 * Then the JSON of the same calls, field by field; the -e groups; the
 * bytes of every path in the sockets table; and a real program, socat.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/json_fields.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/strace_lines.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"


#define FILE_CALLS	"read,write,readv,writev,sendfile,splice"

static bool on_socket(const char *line)
{
	return strstr(line, "<socket:[") != NULL;
}

/* The calls in strace's trace on the helper's pipe and file alone. */
static int not_socket_calls(const char *text)
{
	const char *p, *end;
	int n = 0;

	for (p = text; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (!memmem(p, end - p, "<socket:[", 9) &&
		    (memmem(p, end - p, "<pipe:[", 7) ||
		     memmem(p, end - p, "</tmp/sockscope-fileio-", 23)))
			n++;
	}
	return n;
}

FIXTURE(fileio) {
	struct scratch tmp;	/* path[0]: strace's trace */
	char *out, *err;
	struct lines strace, ours;
};

FIXTURE_SETUP(fileio)
{
	REQUIRE_E2E();
	ASSERT_EQ(0, netns_enter_fresh());
	ASSERT_EQ(0, scratch_make(&self->tmp));
}

FIXTURE_TEARDOWN(fileio)
{
	lines_free(&self->strace);
	lines_free(&self->ours);
	free(self->out);
	free(self->err);
	scratch_remove(&self->tmp);
}

static int run_helper(FIXTURE_DATA(fileio) *self, char *const opts[])
{
	char helper[4096];
	char *cmd[] = { helper, NULL };

	if (build_path(helper, sizeof(helper), "tests/helpers/fileio_calls"))
		return -1;
	return tracer_run(opts, cmd, &self->out, &self->err);
}

/* One run of both; path: NULL, or sockscope's test-only option that
 * takes read and write from their syscall tracepoints. */
static void compare_with_strace(FIXTURE_DATA(fileio) *self, char *path)
{
	char helper[4096], *text;
	char *opts[] = { "--no-explain", "--payload=32", "-e", "%file-io",
			 path, NULL };
	char *strace[] = {
		"-f", "-y", "-s", "32", "-e", "trace=" FILE_CALLS, helper, NULL,
	};

	if (access("/usr/bin/strace", X_OK))
		SKIP(return, "strace is not installed");
	ASSERT_EQ(0, build_path(helper, sizeof(helper),
				"tests/helpers/fileio_calls"));
	text = tracer_run_over_strace(opts, strace, self->tmp.path[0],
				      &self->out, &self->err);
	ASSERT_NE(NULL, text) {
		TH_LOG("%s", self->err ? self->err : "no strace trace");
	}
	/* A write, a read and a readv on the file, two writes and two
	 * reads on the pipe: strace saw them, sockscope did not (the
	 * lines match). */
	EXPECT_EQ(7, not_socket_calls(text));
	parse_strace_lines(&self->strace, text, on_socket);
	free(text);
	parse_our_lines(&self->ours, self->out, "fileio_calls");

	/* The helper's main thread and its second thread. */
	ASSERT_EQ(2, self->strace.n);
	ASSERT_EQ(2, self->ours.n);
	/* 32 calls on sockets in the main thread, 4 in the second. */
	EXPECT_EQ(32, self->strace.t[0].n);
	EXPECT_EQ(4, self->strace.t[1].n);
	EXPECT_EQ(0, lines_compare(&self->strace, &self->ours));
}

/* Where the kernel has them (6.3 and later), read, write, readv and
 * writev come from the socket layer's tracepoints. */
TEST_F_TIMEOUT(fileio, socket_calls_read_as_strace_reads_them, 90)
{
	compare_with_strace(self, NULL);
}

/* Elsewhere, and with -T, from their syscall tracepoints. */
TEST_F_TIMEOUT(fileio, socket_calls_from_syscall_tracepoints_too, 90)
{
	compare_with_strace(self, "--io-via-syscalls");
}

static bool contains(const char *line, const char *end, const char *s)
{
	return memmem(line, end - line, s, strlen(s)) != NULL;
}

/* The first JSON line of the helper's with this name and this text in
 * it, as [*line, *end); false if there is none. */
static bool find_json(const char *out, const char *name, const char *with,
		      const char **line, const char **end)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\"name\":\"%s\"", name);
	for (p = out; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (memmem(p, e - p, "\"comm\":\"fileio_calls\"", 21) &&
		    memmem(p, e - p, key, strlen(key)) &&
		    (!with || memmem(p, e - p, with, strlen(with)))) {
			*line = p;
			*end = e;
			return true;
		}
	}
	return false;
}

TEST_F_TIMEOUT(fileio, json_gives_each_calls_arguments, 60)
{
	char *opts[] = { "-j", "--payload=32", NULL };
	const char *l, *e;

	ASSERT_EQ(0, run_helper(self, opts)) {
		TH_LOG("%s", self->err);
	}
	/* Every call on a socket, none on the pipe or the file. */
	EXPECT_EQ(10, count_of(self->out, "\"name\":\"write\""));
	EXPECT_EQ(12, count_of(self->out, "\"name\":\"read\""));
	EXPECT_EQ(4, count_of(self->out, "\"name\":\"writev\""));
	EXPECT_EQ(5, count_of(self->out, "\"name\":\"readv\""));
	EXPECT_EQ(3, count_of(self->out, "\"name\":\"sendfile\""));
	EXPECT_EQ(2, count_of(self->out, "\"name\":\"splice\""));

	ASSERT_TRUE(find_json(self->out, "write", "\"hello\\n\"", &l, &e));
	EXPECT_EQ(6, jnum(l, e, "ret"));
	EXPECT_EQ(6, jnum(l, e, "len"));
	EXPECT_TRUE(jis(l, e, "truncated", "false"));
	EXPECT_TRUE(jis(l, e, "note", "6 bytes into the TCP stream: the kernel delivers them in order and resends what is lost; for a socket, write() is send() with no flags"));

	ASSERT_TRUE(find_json(self->out, "read", "\"你好, 世界\\n\"", &l, &e));
	EXPECT_EQ(15, jnum(l, e, "ret"));
	EXPECT_TRUE(jis(l, e, "hex", "e4bda0e5a5bd2c20e4b896e7958c0a"));

	ASSERT_TRUE(find_json(self->out, "readv", "\"ret\":46", &l, &e));
	EXPECT_EQ(103, jnum(l, e, "len"));	/* 3 + 100 */
	EXPECT_EQ(2, jnum(l, e, "iovcnt"));
	EXPECT_TRUE(contains(l, e, "\"iov\":[{\"len\":3,\"data\":{\"hex\":\"616230\",\"text\":\"ab0\",\"truncated\":false}},{\"len\":100,\"data\":{\"hex\":\"3132333435363738396162636465666768696a6b6c6d6e6f7071727374757677\",\"text\":\"123456789abcdefghijklmnopqrstuvw\",\"truncated\":true}}]}"));

	ASSERT_TRUE(find_json(self->out, "writev", "\"ret\":46", &l, &e));
	EXPECT_EQ(46, jnum(l, e, "len"));
	EXPECT_EQ(3, jnum(l, e, "iovcnt"));
	EXPECT_TRUE(contains(l, e, "{\"len\":0,\"data\":{\"hex\":\"\",\"text\":\"\",\"truncated\":false}}"));

	ASSERT_TRUE(find_json(self->out, "sendfile", "\"ret\":10", &l, &e));
	EXPECT_EQ(4, jnum(l, e, "out_fd"));
	EXPECT_EQ(11, jnum(l, e, "in_fd"));
	EXPECT_EQ(0, jnum(l, e, "offset"));
	EXPECT_EQ(100, jnum(l, e, "len"));
	EXPECT_TRUE(jis(l, e, "note", "10 bytes from fd 11 into the TCP socket, moved inside the kernel: the bytes never pass through the program's memory"));
	ASSERT_TRUE(find_json(self->out, "sendfile", "\"ret\":5", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"offset\":null"));

	ASSERT_TRUE(find_json(self->out, "splice", "\"in_fd\":5", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"in_fd\":5,\"off_in\":null,\"out_fd\":10,\"off_out\":null,\"len\":4096,\"flags\":[\"SPLICE_F_MOVE\",\"SPLICE_F_MORE\"]"));
	EXPECT_TRUE(contains(l, e, "\"note\":\"9 bytes from the TCP socket into the pipe fd 10, moved inside the kernel: the bytes never pass through the program's memory"));

	ASSERT_TRUE(find_json(self->out, "write", "EPIPE", &l, &e));
	EXPECT_EQ(-1, jnum(l, e, "ret"));
	EXPECT_TRUE(jis(l, e, "text", "x"));
	ASSERT_TRUE(find_json(self->out, "read", "\"ret\":0", &l, &e));
	EXPECT_TRUE(jis(l, e, "note", "0 bytes: the peer closed its side (end of the stream); for a socket, read() is recv() with no flags"));
}

TEST_F_TIMEOUT(fileio, groups_choose_the_calls, 60)
{
	char *file_io[] = { "-j", "-e", "%file-io", NULL };
	char *net[] = { "-j", "-e", "%net", NULL };
	int file_calls;

	ASSERT_EQ(0, run_helper(self, file_io));
	file_calls = count_of(self->out, "\"kind\":\"syscall\"");
	EXPECT_EQ(36, file_calls);
	EXPECT_EQ(0, count_of(self->out, "\"name\":\"socket\""));
	free(self->out);
	free(self->err);
	self->out = self->err = NULL;

	ASSERT_EQ(0, run_helper(self, net));
	/* The same, and the socket calls: 4 socket(), 1 socketpair, ... */
	EXPECT_EQ(4, count_of(self->out, "\"name\":\"socket\""));
	EXPECT_EQ(1, count_of(self->out, "\"name\":\"socketpair\""));
	EXPECT_EQ(1, count_of(self->out, "\"name\":\"shutdown\""));
	EXPECT_EQ(file_calls, count_of(self->out, "\"name\":\"read") +
		  count_of(self->out, "\"name\":\"write") +
		  count_of(self->out, "\"name\":\"sendfile\"") +
		  count_of(self->out, "\"name\":\"splice\""));
}

TEST_F_TIMEOUT(fileio, sockets_table_counts_every_path, 60)
{
	char *opts[] = { NULL };

	ASSERT_EQ(0, run_helper(self, opts));
	/*
	 * TCP, the writing end: write 6 + 15 + 7 + 44 + 9, writev 46,
	 * sendfile 10 + 5, splice 9 = 151 bytes in 9 calls that moved data;
	 * the reading end the same 151 with read, readv and splice.
	 */
	EXPECT_EQ(1, count_of(self->err, "     151        0 ")) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, count_of(self->err, "       0      151 "));
	/* UDP: 12 + 46 each way; UNIX: 4 + 46 + 15 + 46. */
	EXPECT_EQ(1, count_of(self->err, "      58        0 "));
	EXPECT_EQ(1, count_of(self->err, "       0       58 "));
	EXPECT_EQ(1, count_of(self->err, "     111        0 "));
	EXPECT_EQ(1, count_of(self->err, "       0      111 "));
}

/*
 * A real program: socat copies a file into a TCP connection with read()
 * and write(). Only the write to the socket is traced, whole.
 */
TEST_F_TIMEOUT(fileio, socat_writes_a_file_into_tcp, 60)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char file[] = "/tmp/sockscope-socat-XXXXXX", from[64], to[64];
	char *opts[] = { "-e", "%file-io", "--payload", NULL };
	char *cmd[] = { "socat", "-u", from, to, NULL };
	socklen_t len = sizeof(sin);
	char got[64] = "";
	int lsn, conn, fd;

	if (access("/usr/bin/socat", X_OK))
		SKIP(return, "socat is not installed (make deps installs it)");
	fd = mkstemp(file);
	ASSERT_LE(0, fd);
	ASSERT_EQ(19, write(fd, "socat carried this\n", 19));
	close(fd);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, lsn);
	ASSERT_EQ(0, bind(lsn, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(lsn, 1));
	ASSERT_EQ(0, getsockname(lsn, (struct sockaddr *)&sin, &len));
	snprintf(from, sizeof(from), "OPEN:%s", file);
	snprintf(to, sizeof(to), "TCP:127.0.0.1:%u", ntohs(sin.sin_port));

	/* The connection waits in the backlog until it is accepted. */
	EXPECT_EQ(0, tracer_run(opts, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	unlink(file);
	conn = accept(lsn, NULL, NULL);
	ASSERT_LE(0, conn);
	EXPECT_EQ(19, read(conn, got, sizeof(got) - 1));
	EXPECT_STREQ("socat carried this\n", got);
	close(conn);
	close(lsn);

	EXPECT_EQ(1, count_of(self->out, "] write(")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, ", \"socat carried this\\n\", 19) = 19\n"));
	EXPECT_EQ(1, count_of(self->out, "    # 19 bytes into the TCP stream: the kernel delivers them in order and resends what is lost; for a socket, write() is send() with no flags\n"));
	/* socat read the file: not a socket, not traced. */
	EXPECT_EQ(0, count_of(self->out, "] read("));
}

/*
 * Python's socket.makefile(): a file object over a socket. Its writes
 * are send() calls and its reads recv_into(), so the trace shows them
 * as sendto and recvfrom, with the data.
 */
TEST_F_TIMEOUT(fileio, python_makefile_is_traced_end_to_end, 60)
{
	char *opts[] = { "--payload", "-e", "%net", NULL };
	char *cmd[] = {
		"/usr/bin/python3", "-c",
		"import socket\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"out = cli.makefile('wb')\n"
		"out.write(b'line one\\n')\n"
		"out.flush()\n"
		"assert srv.makefile('rb').readline() == b'line one\\n'\n",
		NULL,
	};

	if (access(cmd[0], X_OK))
		SKIP(return, "no /usr/bin/python3");
	ASSERT_EQ(0, tracer_run(opts, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, count_of(self->out, ", \"line one\\n\", 9, 0, NULL, 0) = 9\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, count_of(self->out, ", \"line one\\n\", 8192, 0, NULL, NULL) = 9\n"));
	EXPECT_EQ(1, count_of(self->out, "    # 9 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by python3 (pid "));
}

/*
 * Calls that stop before the socket layer: a read of 0 bytes (the kernel
 * returns at once, "to match SYS5"), a readv whose iovec is at a bad
 * address and a writev of more than 1024 buffers (refused as the iovec is
 * read in). From the socket layer's tracepoints (the default where the
 * kernel has them, 6.3 on) they are not seen, as README says; -T takes the
 * syscall tracepoints and shows them as strace does. A write of 0 bytes
 * does reach sock_sendmsg(), and is seen both ways.
 */
TEST_F_TIMEOUT(fileio, calls_that_stop_before_the_socket_layer, 60)
{
	char *quick[] = { "--no-explain", "-e", "%file-io", NULL };
	char *timed[] = { "--no-explain", "-T", "-e", "%file-io", NULL };
	char *cmd[] = {
		"/usr/bin/python3", "-c",
		"import socket, os, ctypes\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"a, b = socket.socketpair()\n"
		"os.write(a.fileno(), b'')\n"
		"os.write(a.fileno(), b'x')\n"
		"os.read(b.fileno(), 0)\n"
		"assert libc.readv(b.fileno(), ctypes.c_void_p(8), 1) == -1\n"
		"iov = (ctypes.c_char * 16)()\n"
		"assert libc.writev(a.fileno(), iov, 2000) == -1\n"
		"assert os.read(b.fileno(), 1) == b'x'\n",
		NULL,
	};
	static const char *const both[] = {
		"] write(3, ..., 0) = 0", "] write(3, ..., 1) = 1",
		"] read(4, ..., 1) = 1",
	};
	static const char *const timed_only[] = {
		"] read(4, ..., 0) = 0 <",
		"] readv(4, 0x8, 1) = -1 EFAULT (Bad address) <",
		", ...], 2000) = -1 EINVAL (Invalid argument) <",
	};

	if (access(cmd[0], X_OK))
		SKIP(return, "no /usr/bin/python3");
	ASSERT_EQ(0, tracer_run(quick, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	for (size_t i = 0; i < 3; i++)
		EXPECT_EQ(1, count_of(self->out, both[i])) {
			TH_LOG("%s: %s", both[i], self->out);
		}
	/* sockscope mounted tracefs; a kernel before 6.3 has no such
	 * event, and then the syscall tracepoints see these calls too. */
	if (access("/sys/kernel/tracing/events/sock/sock_recv_length/format",
		   F_OK)) {
		EXPECT_EQ(1, count_of(self->out, "] read(4, ..., 0) = 0\n"));
		EXPECT_EQ(1, count_of(self->err, "sockscope: 6 calls, 2 failed, 0 lost\n"));
	} else {
		EXPECT_EQ(0, count_of(self->out, "read(4, ..., 0)"));
		EXPECT_EQ(0, count_of(self->out, "readv("));
		EXPECT_EQ(0, count_of(self->out, "writev("));
		EXPECT_EQ(1, count_of(self->err, "sockscope: 3 calls, 0 failed, 0 lost\n"));
	}

	free(self->out);
	free(self->err);
	ASSERT_EQ(0, tracer_run(timed, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	for (size_t i = 0; i < 3; i++) {
		EXPECT_EQ(1, count_of(self->out, both[i])) {
			TH_LOG("%s: %s", both[i], self->out);
		}
		EXPECT_EQ(1, count_of(self->out, timed_only[i])) {
			TH_LOG("%s: %s", timed_only[i], self->out);
		}
	}
	EXPECT_EQ(1, count_of(self->out, "] writev(3, [{iov_base=..., iov_len=0}, "));
	EXPECT_EQ(1, count_of(self->err, "sockscope: 6 calls, 2 failed, 0 lost\n"));
}

TEST_HARNESS_MAIN
