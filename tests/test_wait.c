// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The waits on sockets (poll, ppoll, select, pselect6, epoll_ctl,
 * epoll_wait, epoll_pwait), end to end: tests/helpers/wait_calls waits on
 * a listener with a connection pending, a client that may write, a UDP
 * socket that gets a datagram, a connection whose peer closes, and a pipe.
 *
 * Against strace in one run: sockscope's text lines are strace's for
 * every wait that involves a socket, byte for byte (as
 * tests/lib/strace_lines.h normalises them), and the waits on the pipe
 * alone are in strace's trace only: those whose descriptors are all the
 * pipe, and the epoll_wait on the instance that holds only the pipe
 * (maxevents 7). Then the JSON of the same waits, and their notes.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

#define WAIT_CALLS	"poll,ppoll,select,pselect6,epoll_wait,epoll_pwait," \
			"epoll_ctl"

FIXTURE(wait) {
	struct scratch tmp;	/* path[0]: strace's trace */
	char helper[4096];
	char *out, *err;
	struct lines strace, ours;
};

FIXTURE_SETUP(wait)
{
	REQUIRE_E2E();
	ASSERT_EQ(0, netns_enter_fresh());
	ASSERT_EQ(0, build_path(self->helper, sizeof(self->helper),
				"tests/helpers/wait_calls"));
	ASSERT_EQ(0, scratch_make(&self->tmp));
}

FIXTURE_TEARDOWN(wait)
{
	lines_free(&self->strace);
	lines_free(&self->ours);
	free(self->out);
	free(self->err);
	scratch_remove(&self->tmp);
}

/* A wait on the pipe alone: not a socket's. */
static bool pipe_alone(const char *line)
{
	return (strstr(line, "<pipe:[") && !strstr(line, "<socket:[")) ||
	       (strstr(line, "epoll_wait(") && strstr(line, "], 7, "));
}

static bool on_socket(const char *line)
{
	return !pipe_alone(line);
}

static int pipe_waits(const char *text)
{
	const char *p, *end;
	char line[1024];
	int n = 0;

	for (p = text; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (end - p >= (long)sizeof(line))
			continue;
		memcpy(line, p, end - p);
		line[end - p] = '\0';
		n += pipe_alone(line);
	}
	return n;
}

TEST_F_TIMEOUT(wait, waits_read_as_strace_reads_them, 60)
{
	char *opts[] = { "--no-explain", "-e", "%wait", NULL };
	char *strace[] = {
		"-f", "-y", "-e", "trace=" WAIT_CALLS, self->helper, NULL,
	};
	char *text;

	if (access("/usr/bin/strace", X_OK))
		SKIP(return, "strace is not installed");
	text = tracer_run_over_strace(opts, strace, self->tmp.path[0],
				      &self->out, &self->err);
	ASSERT_NE(NULL, text) {
		TH_LOG("%s", self->err ? self->err : "no strace trace");
	}
	/* poll, ppoll and pselect6 on the pipe; epoll_ctl adding it twice;
	 * the epoll_wait on the pipe's own instance. */
	EXPECT_EQ(6, pipe_waits(text));
	parse_strace_lines(&self->strace, text, on_socket);
	free(text);
	parse_our_lines(&self->ours, self->out, "wait_calls");
	ASSERT_EQ(1, self->strace.n);
	EXPECT_EQ(19, self->strace.t[0].n);
	EXPECT_EQ(0, lines_compare(&self->strace, &self->ours));
}

/* The first JSON line of the helper's call name with text with in it. */
static bool find_json(const char *out, const char *name, const char *with,
		      const char **line, const char **end)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\"name\":\"%s\"", name);
	for (p = out; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (memmem(p, e - p, key, strlen(key)) &&
		    memmem(p, e - p, with, strlen(with))) {
			*line = p;
			*end = e;
			return true;
		}
	}
	return false;
}

static bool contains(const char *line, const char *end, const char *s)
{
	return memmem(line, end - line, s, strlen(s)) != NULL;
}

TEST_F_TIMEOUT(wait, json_and_notes_say_what_became_ready, 60)
{
	char *opts[] = { "-j", NULL };
	char *cmd[] = { self->helper, NULL };
	const char *l, *e;

	ASSERT_EQ(0, tracer_run(opts, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(5, count_of(self->out, "\"name\":\"poll\""));
	EXPECT_EQ(3, count_of(self->out, "\"name\":\"ppoll\""));
	EXPECT_EQ(1, count_of(self->out, "\"name\":\"select\""));
	EXPECT_EQ(2, count_of(self->out, "\"name\":\"pselect6\""));
	EXPECT_EQ(1, count_of(self->out, "\"name\":\"epoll_wait\""));
	EXPECT_EQ(2, count_of(self->out, "\"name\":\"epoll_pwait\""));
	EXPECT_EQ(5, count_of(self->out, "\"name\":\"epoll_ctl\""));

	ASSERT_TRUE(find_json(self->out, "poll", "\"nfds\":3", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"args\":{\"fds\":[{\"fd\":3,\"events\":[\"POLLIN\"],\"revents\":[\"POLLIN\"]},{\"fd\":4,\"events\":[\"POLLIN\",\"POLLOUT\"],\"revents\":[\"POLLOUT\"]},{\"fd\":6,\"events\":[\"POLLIN\"],\"revents\":[]}],\"nfds\":3,\"timeout\":1000}"));
	EXPECT_TRUE(jis(l, e, "note", "fd 3 is readable: a new connection waits in its accept queue, so accept() will not block; fd 4 is writable: its send buffer has room"));

	ASSERT_TRUE(find_json(self->out, "poll", "\"timeout\":5", &l, &e));
	EXPECT_EQ(0, jnum(l, e, "ret"));
	EXPECT_TRUE(contains(l, e, "\"note\":\"the timeout ran out: nothing it waits for became ready; it waited 0.0"));

	ASSERT_TRUE(find_json(self->out, "select", "\"ret\":2", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"readfds\":[3,6],\"writefds\":[4],\"exceptfds\":null,\"ready\":{\"readfds\":[3],\"writefds\":[4],\"exceptfds\":null},\"timeout\":{\"tv_sec\":2,\"tv_usec\":0},\"left\":{\"tv_sec\":1,\"tv_usec\":"));

	ASSERT_TRUE(find_json(self->out, "pselect6", "SIGINT", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"sigmask\":[\"SIGINT\"]"));

	ASSERT_TRUE(find_json(self->out, "epoll_ctl", "EEXIST", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"args\":{\"epfd\":8,\"op\":\"EPOLL_CTL_ADD\",\"fd\":4,\"event\":{\"events\":[\"EPOLLIN\",\"EPOLLOUT\",\"EPOLLET\"],\"data\":78187493520}}"));
	ASSERT_TRUE(find_json(self->out, "epoll_ctl", "\"ret\":0", &l, &e));
	EXPECT_TRUE(jis(l, e, "note", "fd 3 joins epoll fd 8's interest list: epoll_wait() reports it when it is readable"));

	ASSERT_TRUE(find_json(self->out, "epoll_wait", "\"ret\":2", &l, &e));
	EXPECT_TRUE(contains(l, e, "\"events\":[{\"events\":[\"EPOLLIN\"],\"data\":3},{\"events\":[\"EPOLLOUT\"],\"data\":78187493520}],\"maxevents\":8,\"timeout\":100"));
	/* The data it was given at epoll_ctl names each socket. */
	EXPECT_TRUE(jis(l, e, "note", "fd 3 is readable: a new connection waits in its accept queue, so accept() will not block; fd 4 is writable: its send buffer has room"));

	ASSERT_TRUE(find_json(self->out, "poll", "\"fd\":5,", &l, &e));
	ASSERT_TRUE(find_json(self->out, "poll", "\"revents\":[\"POLLIN\"]}],\"nfds\":1,\"timeout\":1000", &l, &e));
	EXPECT_TRUE(jis(l, e, "note", "fd 5 is readable: a datagram waits in its receive queue"));
	ASSERT_TRUE(find_json(self->out, "poll", "POLLRDHUP", &l, &e));
	EXPECT_TRUE(jis(l, e, "note", "fd 10 is readable: the peer's FIN arrived, so read() returns 0 (end of the stream) once the data before it is read"));
}

/*
 * A server already in epoll_wait() when sockscope starts (-p PID): the
 * wait that ends when a client connects is shown whole, from the
 * arguments still in its registers.
 */
TEST_F_TIMEOUT(wait, a_wait_begun_before_tracing_is_shown_whole, 60)
{
	char *argv[] = { self->helper, "idle", NULL };
	struct sockaddr_in a;
	char pid[16], want[512], *opts[] = { "-p", pid, NULL };
	struct proc server = {}, tracer = {};
	int cli;
	char *seen;

	ASSERT_EQ(0, proc_spawn_epoll_server(&server, argv, &a));
	snprintf(pid, sizeof(pid), "%d", server.pid);
	ASSERT_EQ(0, tracer_start(&tracer, opts));
	cli = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cli, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(0, proc_wait(&server, 5000));
	close(cli);
	ASSERT_EQ(0, tracer_stop(&tracer, &self->out));
	seen = text_lines_of(self->out, server.pid);
	snprintf(want, sizeof(want),
		 "[%d wait_calls] epoll_wait(8, [{events=EPOLLIN, data={u32=3, u64=3}}], 8, -1) = 1\n",
		 server.pid);
	EXPECT_EQ(1, count_of(seen, want)) {
		TH_LOG("%s", seen);
	}
	/* Its note, right under it; the server's accept() follows. */
	snprintf(want, sizeof(want),
		 "epoll_wait(8, [{events=EPOLLIN, data={u32=3, u64=3}}], 8, -1) = 1\n"
		 "    # this wait began before tracing did (its arguments are the ones it entered with); 1 ready whose epoll_ctl() came before tracing: each event's data is what the program registered with it, usually its descriptor\n");
	EXPECT_EQ(1, count_of(self->out, want)) {
		TH_LOG("%s", self->out);
	}
	free(seen);
	proc_cleanup(&server);
	proc_cleanup(&tracer);
}

/*
 * -T on a wait, on a UNIX socket: a poll whose 150 ms timeout runs out
 * says so and how long it took, in the call's <...> and in its note; the
 * next, once a byte came, is ready at once. The same program's sendfile
 * and splice from a file into a pipe touch no socket and are not shown.
 */
TEST_F_TIMEOUT(wait, duration_of_a_wait_on_a_unix_socket, 60)
{
	char *opts[] = { "-T", "-e", "%wait,%file-io", NULL };
	char *cmd[] = {
		"/usr/bin/python3", "-c",
		"import socket, select, os, tempfile\n"
		"a, b = socket.socketpair()\n"
		"p = select.poll(); p.register(b.fileno(), select.POLLIN)\n"
		"assert p.poll(150) == []\n"
		"a.send(b'x')\n"
		"assert p.poll(1000) == [(b.fileno(), select.POLLIN)]\n"
		"os.write(b.fileno(), b'yz')\n"
		"assert os.read(a.fileno(), 2) == b'yz'\n"
		"f = tempfile.TemporaryFile()\n"
		"f.write(b'data'); f.flush()\n"
		"r, w = os.pipe()\n"
		"assert os.sendfile(w, f.fileno(), 0, 2) == 2\n"
		"assert os.splice(f.fileno(), w, 2, offset_src=2) == 2\n"
		"assert os.read(r, 4) == b'data'\n",
		NULL,
	};
	const char *timeout = "] poll([{fd=4, events=POLLIN}], 1, 150) = 0 (Timeout) <";
	const char *at, *note;
	double took = 0, said = 0;

	if (access(cmd[0], X_OK))
		SKIP(return, "no /usr/bin/python3");
	ASSERT_EQ(0, tracer_run(opts, cmd, &self->out, &self->err)) {
		TH_LOG("%s", self->err);
	}
	at = strstr(self->out, timeout);
	ASSERT_NE(NULL, at) {
		TH_LOG("%s", self->out);
	}
	EXPECT_EQ(1, sscanf(at + strlen(timeout), "%lf>", &took));
	/* The harness compares integers: microseconds. */
	EXPECT_LE(150000, (long)(took * 1e6));
	EXPECT_GT(5000000, (long)(took * 1e6));
	note = strstr(at, "\n    # the timeout ran out: nothing it waits for became ready; it waited ");
	ASSERT_NE(NULL, note);
	EXPECT_EQ(1, sscanf(strstr(note, "waited ") + 7, "%lf s\n", &said));
	/* The note rounds to the millisecond. */
	EXPECT_GT(600, labs((long)(said * 1e6) - (long)(took * 1e6))) {
		TH_LOG("took %f, said %f", took, said);
	}
	EXPECT_EQ(1, count_of(self->out, "] poll([{fd=4, events=POLLIN}], 1, 1000) = 1 ([{fd=4, revents=POLLIN}]) <"));
	EXPECT_EQ(1, count_of(self->out, "\n    # fd 4 is readable"));
	EXPECT_EQ(1, count_of(self->out, "] write(4, ..., 2) = 2 <"));
	EXPECT_EQ(1, count_of(self->out, "] read(3, ..., 2) = 2 <"));
	EXPECT_EQ(0, count_of(self->out, "sendfile("));
	EXPECT_EQ(0, count_of(self->out, "splice("));
	EXPECT_EQ(1, count_of(self->err, "sockscope: 4 calls, 0 failed, 0 lost\n"));
}

TEST_HARNESS_MAIN
