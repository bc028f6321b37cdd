// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lessons, run as a learner runs them (sockscope lesson udp|tcp, and
 * with --python): exit status 0, and every teaching point of "What this
 * trace showed" present, each number in it checked against the trace
 * above it and the programs' own output (ports, pids, byte counts, the
 * handshake time, state sequences, how many connections). Needs root
 * and BTF; the --python runs also need python3.
 *
 * Each lesson runs in a fresh network namespace. Some points are also
 * checked against the kernel after the run: the namespace's counters in
 * /proc/net/snmp (only datagrams went, no TCP segment), the bytes a
 * recvfrom(MSG_TRUNC) returned, the client's TIME_WAIT and its timer in
 * /proc/net/tcp (docs/claims.md rows 116, 117, 121).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <sys/wait.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/paths.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

struct lesson {
	char *out, *err;
	int status;
	char *trace;		/* the annotated trace */
	char *printed;		/* "What the programs printed:" */
	char *points;		/* "What this trace showed:" */
};

static void lesson_run(struct lesson *l, const char *name, bool python)
{
	char *args[] = { "lesson", (char *)name, python ? "--python" : NULL,
			 NULL };

	memset(l, 0, sizeof(*l));
	l->status = tracer_run(args, NULL, &l->out, &l->err);
	l->printed = text_section(l->out, "\nWhat the programs printed:\n");
	l->points = text_section(l->out, "\nWhat this trace showed:\n");
	l->trace = lesson_trace(l->out);
	if (l->status)
		TH_LOG("sockscope lesson %s exited %d:\n%s\n%s", name, l->status,
		       l->out, l->err);
}

static void lesson_free(struct lesson *l)
{
	free(l->out);
	free(l->err);
	free(l->trace);
	free(l->printed);
	free(l->points);
}

/*
 * Runs lesson name (with --python or not): its first line must be title,
 * its exit status 0, and check must find the rest as it should be.
 */
static void lesson_check(const char *name, bool python, const char *title,
			 void (*check)(const struct lesson *l))
{
	struct lesson l;

	lesson_run(&l, name, python);
	EXPECT_EQ(0, strncmp(l.out, title, strlen(title)));
	ASSERT_EQ(0, l.status);
	check(&l);
	lesson_free(&l);
}

/* The point numbered n, without "  n. ", must be want. */
static bool point_is(const struct lesson *l, int n, const char *want)
{
	char head[16], line[2048];
	const char *p;

	snprintf(head, sizeof(head), "  %d. ", n);
	p = strstr(l->points, head);
	if (p && (p == l->points || p[-1] == '\n')) {
		const char *end = strchrnul(p, '\n');

		p += strlen(head);
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		if (!strcmp(line, want))
			return true;
	}
	TH_LOG("point %d should be\n  %s\nthe points are:\n%s", n, want,
	       l->points);
	return false;
}

#define EXPECT_POINT(l, n, ...) do {					\
	char want_[1024];						\
	snprintf(want_, sizeof(want_), __VA_ARGS__);			\
	EXPECT_TRUE(point_is(l, n, want_));				\
} while (0)

/* The programs printed this line (printf-style) as they ran. */
#define EXPECT_PRINTED(l, ...) do {					\
	char line_[1024];						\
	snprintf(line_, sizeof(line_), __VA_ARGS__);			\
	EXPECT_NE(NULL, strstr((l)->printed, line_)) {			\
		TH_LOG("%s", (l)->printed);				\
	}								\
} while (0)

static int count_points(const struct lesson *l)
{
	int n = 0;

	for (const char *p = l->points; *p; p = strchrnul(p, '\n'),
	     p += *p ? 1 : 0)
		n += p[0] == ' ' && p[1] == ' ' && p[2] >= '1' && p[2] <= '9';
	return n;
}

/* The port the server said it listens on ("... 127.0.0.1:P (proto)"). */
static long server_port(const struct lesson *l, const char *proto)
{
	const char *p = strstr(l->printed, "server| listening on 127.0.0.1:");
	char format[64];
	long port = -1;

	ASSERT_NE(NULL, p) {
		TH_LOG("%s", l->out);
	}
	snprintf(format, sizeof(format),
		 "server| listening on 127.0.0.1:%%ld (%s)", proto);
	ASSERT_EQ(1, sscanf(p, format, &port));
	return port;
}

/* The number after key in the note under the first line with a and b. */
static long note_number(const struct lesson *l, const char *a,
			const char *b, const char *key)
{
	char note[2048];
	const char *p;

	ASSERT_TRUE(note_under(l->trace, a, b, note, sizeof(note)));
	p = text_after(note, key);
	ASSERT_NE(NULL, p) {
		TH_LOG("%s", note);
	}
	return atol(p);
}

/* Sum and count of the return values of pid's successful calls of a
 * kind ("] sendto(") in the trace. */
static void calls_of(const char *trace, long pid, const char *call,
		     long *n, long *bytes)
{
	char who[32], line[2048];
	const char *ret;

	*n = *bytes = 0;
	pid_tag(who, pid);
	for_each_line(p, end, trace) {
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		ret = strrchr(line, '=');
		if (strstr(line, who) && strstr(line, call) && ret &&
		    atol(ret + 1) > 0) {
			(*n)++;
			*bytes += atol(ret + 1);
		}
	}
}

/* --- UDP --------------------------------------------------------------- */

static void check_udp(const struct lesson *l)
{
	long port, server, client = -1, cport, n, bytes, rn, rbytes;
	char line[2048], who[32];
	const char *p;

	port = server_port(l, "udp");
	ASSERT_TRUE(line_with(l->trace, "] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0",
			      NULL, line, sizeof(line)));
	server = pid_in(line);
	/* The client: whoever else sends. */
	for (p = strstr(l->trace, "] sendto("); p; p = strstr(p + 1, "] sendto(")) {
		long pid = pid_in(line_start(l->trace, p));

		if (pid != server) {
			client = pid;
			break;
		}
	}
	ASSERT_LT(0, client) {
		TH_LOG("%s", l->trace);
	}
	cport = note_number(l, pid_tag(who, client), "] sendto(",
			    "the kernel chose 0.0.0.0:");

	EXPECT_POINT(l, 1, "socket(AF_INET, SOCK_DGRAM, 0): protocol 0 let the kernel choose IPPROTO_UDP.");
	EXPECT_POINT(l, 2, "The server owns 127.0.0.1:%ld: the IP address names the host; UDP and port %ld name the server process.",
		     port, port);
	EXPECT_POINT(l, 3, "The client never called bind(): its first sendto() made the kernel choose port %ld for it.",
		     cport);
	calls_of(l->trace, client, "] sendto(", &n, &bytes);
	calls_of(l->trace, server, "] recvfrom(", &rn, &rbytes);
	/* "hello", "你好，服务器" (18 bytes) and "stop". */
	EXPECT_EQ(3, n);
	EXPECT_EQ(27, bytes);
	EXPECT_POINT(l, 4, "The client sent %ld datagrams (%ld bytes); the server's %ld recvfrom() calls got %ld bytes: each datagram arrived whole, one recvfrom() per sendto().",
		     n, bytes, rn, rbytes);
	EXPECT_POINT(l, 5, "No handshake, no connection states, no close sequence: UDP is connectionless.");
	EXPECT_POINT(l, 6, "\"你好，服务器\" is 6 characters but 18 bytes: sockets carry bytes, and UTF-8 needs 3 bytes for each of these characters.");
	EXPECT_EQ(6, count_points(l));
	/* What the trace said is what the programs saw. */
	EXPECT_PRINTED(l, "  server| from 127.0.0.1:%ld: hello\n", cport);
	EXPECT_PRINTED(l, "  client| reply: 你好，服务器\n");
	EXPECT_NULL(strstr(l->trace, "] tcp "));
}

TEST_TIMEOUT(lesson_udp, 60)
{
	REQUIRE_E2E();
	ENTER_NETNS();
	lesson_check("udp", false, "Lesson: the UDP chat, call by call\n",
		     check_udp);
}

/*
 * The Python lessons run without HOME, as a bare CI shell may: Python then
 * looks its user up at start-up, and those lookups (NSS) open sockets of
 * their own before the chat's; the lesson must still find the chat's.
 */
TEST_TIMEOUT(lesson_udp_python, 60)
{
	REQUIRE_E2E();
	REQUIRE_PYTHON();
	ENTER_NETNS();
	unsetenv("HOME");
	lesson_check("udp", true,
		     "Lesson: the UDP chat, call by call (the article's Python programs)\n",
		     check_udp);
}

/* The namespace's counter name of the "prefix:" lines of /proc/net/snmp
 * (a fresh namespace's start at 0), or -1. */
static long snmp(const char *prefix, const char *name)
{
	char *text = slurp("/proc/net/snmp"), *head, *vals, *h, *v;
	long value = -1;

	head = text ? strstr(text, prefix) : NULL;
	vals = head ? strstr(head + 1, prefix) : NULL;
	if (!vals)
		goto out;
	h = strtok_r(head, " \n", &head);
	v = strtok_r(vals, " \n", &vals);
	while (h && v && strcmp(h, name)) {
		h = strtok_r(NULL, " \n", &head);
		v = strtok_r(NULL, " \n", &vals);
	}
	if (h && v)
		value = atol(v);
out:
	free(text);
	return value;
}

/* UTF-8 characters in s: bytes that do not continue one. */
static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * Rows 116 and 117. Connectionless: every IP packet the lesson's
 * namespace sent was one of its datagrams (Ip OutRequests = Udp
 * OutDatagrams), no TCP segment went, and no state change was traced.
 * Bytes: the kernel handed the server the message in one recvfrom() of
 * 18 bytes (MSG_TRUNC: the datagram's real length), and those bytes are
 * 6 UTF-8 characters.
 */
TEST_TIMEOUT(lesson_udp_kernel_sent_datagrams_of_bytes, 60)
{
	const char *msg = "你好，服务器";
	char line[2048], want[256];
	struct lesson l;

	REQUIRE_E2E();
	ENTER_NETNS();
	lesson_run(&l, "udp", false);
	ASSERT_EQ(0, l.status);
	EXPECT_LT(0, snmp("Udp:", "OutDatagrams"));
	EXPECT_EQ(snmp("Udp:", "OutDatagrams"), snmp("Ip:", "OutRequests"));
	EXPECT_EQ(snmp("Udp:", "OutDatagrams"), snmp("Udp:", "InDatagrams"));
	EXPECT_EQ(0, snmp("Tcp:", "OutSegs"));
	EXPECT_EQ(0, snmp("Tcp:", "ActiveOpens"));
	EXPECT_NULL(strstr(l.trace, "] tcp "));
	EXPECT_POINT(&l, 5, "No handshake, no connection states, no close sequence: UDP is connectionless.");

	/* The one receive of the message: the whole datagram, 18 bytes. */
	snprintf(want, sizeof(want),
		 "udp_chat_server] recvfrom(3, \"%s\", 1024, MSG_TRUNC, {AF_INET, 127.0.0.1:",
		 msg);
	EXPECT_EQ(1, count_of(l.trace, want));
	ASSERT_TRUE(line_with(l.trace, want, NULL, line, sizeof(line)));
	EXPECT_EQ(0, strcmp(line + strlen(line) - 6, ") = 18")) {
		TH_LOG("%s", line);
	}
	EXPECT_EQ(18, (int)strlen(msg));
	EXPECT_EQ(6, utf8_chars(msg));
	EXPECT_POINT(&l, 6, "\"你好，服务器\" is 6 characters but 18 bytes: sockets carry bytes, and UTF-8 needs 3 bytes for each of these characters.");
	lesson_free(&l);
}

/* --- TCP --------------------------------------------------------------- */

/*
 * The state changes of pid's lines that have filter, joined as
 * "A -> B -> C": the first change's old state, then each new one.
 */
static void states_in(const char *trace, long pid, const char *filter,
		      char *out, size_t size)
{
	char who[32], line[2048], from[32], to[32];
	const char *arrow;

	*out = '\0';
	pid_tag(who, pid);
	for_each_line(p, end, trace) {
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		arrow = strstr(line, "): ");
		if (!strstr(line, who) || !strstr(line, filter) || !arrow ||
		    !strstr(line, "] tcp ") ||
		    sscanf(arrow, "): %31s -> %31s", from, to) != 2)
			continue;
		if (!*out)
			snprintf(out, size, "%s", from);
		snprintf(out + strlen(out), size - strlen(out), " -> %s", to);
	}
}

static void check_tcp(const struct lesson *l)
{
	long port, server, c1, c2 = -1, backlog, most, cport, n, bytes;
	char line[2048], who[32], filter[128], seq[512];
	char handshake[32];
	const char *p;
	int accepts = 0, connects2 = 0;

	port = server_port(l, "tcp");
	ASSERT_TRUE(line_with(l->trace, "] listen(3, ", NULL, line,
			      sizeof(line)));
	server = pid_in(line);
	ASSERT_EQ(1, sscanf(strstr(line, "] listen(3, "), "] listen(3, %ld)",
			    &backlog));
	most = note_number(l, "] listen(3, ", NULL, "; up to ");

	/* The chat's connects (not a user lookup's, over AF_UNIX). */
	ASSERT_TRUE(line_with(l->trace, "] connect(3, {AF_INET, ", NULL, line,
			      sizeof(line)));
	c1 = pid_in(line);
	cport = note_number(l, pid_tag(who, c1), "] connect(3, {AF_INET, ",
			    "the kernel chose this end: 127.0.0.1:");
	snprintf(filter, sizeof(filter),
		 "tcp 127.0.0.1:%ld -> 127.0.0.1:%ld (fd 3): SYN_SENT -> ESTABLISHED after ",
		 cport, port);
	ASSERT_TRUE(line_with(l->trace, pid_tag(who, c1), filter, line,
			      sizeof(line))) {
		TH_LOG("no line with %s", filter);
	}
	ASSERT_EQ(1, sscanf(strstr(line, " after ") + 7, "%31s", handshake));

	/* Connections: accepted by the server, made by the clients. */
	/* accept(), or accept4() as Python calls it. */
	for (p = l->trace; (p = strstr(p, "] accept")); p++) {
		const char *bol = line_start(l->trace, p);
		const char *eol = strchrnul(p, '\n');

		if (pid_in(bol) == server && !memmem(bol, eol - bol, "= -1", 4))
			accepts++;
	}
	for (p = l->trace; (p = strstr(p, "] connect(3, {AF_INET, ")); p++) {
		long pid = pid_in(line_start(l->trace, p));

		if (pid == c1)
			continue;
		if (c2 < 0)
			c2 = pid;
		connects2 += pid == c2;
	}
	EXPECT_EQ(3, accepts);
	EXPECT_EQ(2, connects2);

	EXPECT_POINT(l, 1, "socket(AF_INET, SOCK_STREAM, 0): protocol 0 let the kernel choose IPPROTO_TCP.");
	EXPECT_POINT(l, 2, "The server listens on 127.0.0.1:%ld with backlog %ld; the kernel queues up to %ld connections for accept(): its queue is full only when it holds more than %ld.",
		     port, backlog, most, backlog);
	/* A fresh namespace's somaxconn (4096) does not clamp 5; the
	 * kernel queues one more than the backlog (test_explain counts
	 * them). */
	EXPECT_EQ(backlog + 1, most);
	EXPECT_POINT(l, 3, "accept() returned a new descriptor for each of the %d connections, while the listening socket kept listening.",
		     accepts);
	EXPECT_POINT(l, 4, "connect() is the handshake: SYN_SENT -> ESTABLISHED took %s ms; the kernel chose the client's port %ld.",
		     handshake, cport);
	/* The first client closes first: its whole life, then TIME_WAIT. */
	states_in(l->trace, c1, "(fd 3): ", seq, sizeof(seq));
	EXPECT_STREQ("CLOSE -> SYN_SENT -> ESTABLISHED -> FIN_WAIT1 -> FIN_WAIT2 -> CLOSE",
		     seq);
	EXPECT_POINT(l, 5, "The client closed first; its socket went %s, and now waits in TIME_WAIT (60 s).",
		     seq);
	/* Its connection on the server, once accepted (fd 4). */
	snprintf(filter, sizeof(filter), "-> 127.0.0.1:%ld (fd 4): ", cport);
	states_in(l->trace, server, filter, seq, sizeof(seq));
	EXPECT_STREQ("ESTABLISHED -> CLOSE_WAIT -> LAST_ACK -> CLOSE", seq);
	/* Before accept() it had no descriptor: born on the listener. */
	EXPECT_POINT(l, 6, "On the server, that connection went LISTEN -> SYN_RECV -> %s: born on the listening socket, then the peer's FIN first, then its own.",
		     seq);
	EXPECT_POINT(l, 7, "With --reconnect, every message cost its own connection: %d connections, each with a handshake and a close.",
		     connects2);
	EXPECT_EQ(7, count_points(l));

	/* The programs saw the same ports. */
	EXPECT_PRINTED(l, "  server| connected: 127.0.0.1:%ld\n", cport);
	EXPECT_PRINTED(l, "  client| reply: 你好，服务器\n");
	/* Both clients' bytes got through. */
	calls_of(l->trace, c1, "] sendto(", &n, &bytes);
	EXPECT_EQ(2, n);
	EXPECT_EQ(25, bytes);	/* "hello\n" and "你好，服务器\n" */
	/* Every connection's handshake on the server's side is the
	 * server's, though it ran in softirq context. */
	for (p = l->trace; (p = strstr(p, ": LISTEN -> SYN_RECV\n")); p++) {
		const char *bol = line_start(l->trace, p);

		EXPECT_EQ(server, pid_in(bol)) {
			TH_LOG("%.*s", (int)(p - bol) + 20, bol);
		}
	}
	EXPECT_EQ(3, count_of(l->trace, ": LISTEN -> SYN_RECV\n"));
	/* The states the lesson promises to name. */
	EXPECT_NE(NULL, strstr(l->trace, "SYN_SENT -> ESTABLISHED"));
	EXPECT_NE(NULL, strstr(l->trace, "ESTABLISHED -> FIN_WAIT1"));
	EXPECT_NE(NULL, strstr(l->trace, "in TIME_WAIT for 60 s"));
}

TEST_TIMEOUT(lesson_tcp, 60)
{
	REQUIRE_E2E();
	ENTER_NETNS();
	lesson_check("tcp", false,
		     "Lesson: the TCP chat: handshake, data, close\n",
		     check_tcp);
}

TEST_TIMEOUT(lesson_tcp_python, 60)
{
	REQUIRE_E2E();
	REQUIRE_PYTHON();
	ENTER_NETNS();
	unsetenv("HOME");
	lesson_check("tcp", true,
		     "Lesson: the TCP chat: handshake, data, close (the article's Python programs)\n",
		     check_tcp);
}

/*
 * The TIME_WAIT socket of the connection from local port lport to rport
 * in /proc/net/tcp (state 06): its timer's kind (3: TIME_WAIT) and time
 * left in clock ticks (USER_HZ, 100 a second). False if there is none.
 */
static bool time_wait_of(long lport, long rport, int *timer, long *left)
{
	char *text = slurp("/proc/net/tcp"), *save = NULL;
	unsigned int lp, rp, st, tr;
	unsigned long when;
	bool found = false;

	for (char *row = text ? strtok_r(text, "\n", &save) : NULL; row;
	     row = strtok_r(NULL, "\n", &save)) {
		if (sscanf(row, " %*u: %*x:%x %*x:%x %x %*x:%*x %x:%lx", &lp,
			   &rp, &st, &tr, &when) != 5 ||
		    lp != lport || rp != rport || st != 6)
			continue;
		*timer = (int)tr;
		*left = (long)when;
		found = true;
	}
	free(text);
	return found;
}

/*
 * Row 121: the point says the client's socket now waits in TIME_WAIT for
 * 60 s; the kernel holds it: /proc/net/tcp of the lesson's namespace has
 * the connection from the client's port in TIME_WAIT, its timer the
 * TIME_WAIT one with at most 60 s left (and more than 30: the lesson
 * ended seconds ago).
 */
TEST_TIMEOUT(lesson_tcp_client_held_in_time_wait, 60)
{
	char line[2048], who[32], seq[512];
	long port, c1, cport, left = -1;
	struct lesson l;
	int timer = -1;

	REQUIRE_E2E();
	ENTER_NETNS();
	lesson_run(&l, "tcp", false);
	ASSERT_EQ(0, l.status);
	port = server_port(&l, "tcp");
	ASSERT_TRUE(line_with(l.trace, "] connect(3, {AF_INET, ", NULL, line,
			      sizeof(line)));
	c1 = pid_in(line);
	cport = note_number(&l, pid_tag(who, c1), "] connect(3, {AF_INET, ",
			    "the kernel chose this end: 127.0.0.1:");
	ASSERT_TRUE(time_wait_of(cport, port, &timer, &left)) {
		char *tcp = slurp("/proc/net/tcp");

		TH_LOG("no 127.0.0.1:%ld -> :%ld in TIME_WAIT:\n%s", cport,
		       port, tcp);
		free(tcp);
	}
	EXPECT_EQ(3, timer);
	EXPECT_GE(6000, left);
	EXPECT_LT(3000, left);
	states_in(l.trace, c1, "(fd 3): ", seq, sizeof(seq));
	EXPECT_POINT(&l, 5, "The client closed first; its socket went %s, and now waits in TIME_WAIT (60 s).",
		     seq);
	lesson_free(&l);
}

/* Whether user uid can run the example programs where they are built. */
static bool examples_run_as(uid_t uid)
{
	char path[PATH_MAX];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/examples/udp_chat_server",
		 build_dir());
	pid = fork();
	if (pid == 0)
		_exit(setgid(uid) || setuid(uid) || access(path, X_OK));
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/*
 * "sudo sockscope lesson udp": the programs run as the user who typed it
 * (SUDO_UID), who cannot open root's files: the lesson must still work.
 */
TEST_TIMEOUT(lesson_as_the_sudo_user, 60)
{
	REQUIRE_E2E();
	if (!examples_run_as(65534))
		SKIP(return, "uid 65534 cannot run the examples in %s",
		     build_dir());
	ENTER_NETNS();
	setenv("SUDO_UID", "65534", 1);
	setenv("SUDO_GID", "65534", 1);
	lesson_check("udp", false, "Lesson: the UDP chat, call by call\n",
		     check_udp);
}

TEST_HARNESS_MAIN
