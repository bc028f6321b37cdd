// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The teaching layer end to end: what the notes under each call say the
 * kernel decided (the protocol for protocol 0, the ephemeral port, the
 * clamped backlog), failures with their evidence (the RST behind
 * ECONNREFUSED, who holds a port, EAGAIN, how long a call waited), the
 * TCP state machine of a whole connection, kernel events attributed to
 * the process and descriptor that own the socket even in softirq context
 * (and never to a traced process when the socket is another's, at a freed
 * socket's address), descriptor reuse, conversations between processes,
 * UDP drops, and --no-explain. Needs root and BTF.
 *
 * Each test runs sockscope on tests/helpers/teach_tcp or teach_udp in a
 * fresh network namespace, with the text trace in a file (-o) and the
 * same trace as JSON (--save, which is the -j output plus "raw"), so the
 * helpers' own "teach: ..." lines are all that reach stdout.
 */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/fmt.h"
#include "lib/json_fields.h"
#include "lib/require.h"
#include "lib/teach.h"
#include "lib/trace_capture.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Says which line of the JSON trace a check was about. */
#define LOG_LINE(line, end)	TH_LOG("%.*s", (int)((end) - (line)), line)

/* A teach helper's traced run: the trace, and the helper's own numbers. */
struct run {
	const char *text, *json;	/* the text trace, its JSON twin */
	const char *out, *err;		/* what sockscope and helper said */
	pid_t pid;			/* the helper's: first in the trace */
	long port;			/* its "teach: port P", or -1 */
	struct trace t;
};

/* Traces cmd with opts; sockscope must exit 0. */
static void run_teach(struct run *r, char *const opts[], char *const cmd[])
{
	memset(r, 0, sizeof(*r));
	trace_run(&r->t, opts, cmd);
	r->text = r->t.text;
	r->json = r->t.json;
	r->out = r->t.out;
	r->err = r->t.err;
	ASSERT_EQ(0, r->t.status) {
		TH_LOG("sockscope exited %d; stdout:\n%s\nstderr:\n%s",
		       r->t.status, r->out, r->err);
	}
	r->pid = pid_in(r->text);
	r->port = number_after(r->out, "teach: port ");
}

static void run_free(struct run *r)
{
	trace_free(&r->t);
}

/* The first "teach: ROLE PID port PORT" line of the run: both numbers. */
static void peer_of(const struct run *r, const char *role, long *pid,
		    long *port)
{
	ASSERT_EQ(1, teach_peers(r->out, role, pid, port, 1)) {
		TH_LOG("no \"teach: %s PID port PORT\" in:\n%s", role, r->out);
	}
}

/* --- the text trace ------------------------------------------------ */

enum match { WHOLE, START, PART };

/* Whether the note under call is want (WHOLE), starts with it, or has
 * it; says what it saw when not. */
static bool note_matches(const char *text, const char *call, enum match how,
			 const char *want)
{
	static const char during[] =
		"; the state changes just above happened during this call";
	char *note = note_of(text, call), *cut;
	bool ok = false;

	/* Whether a state change fell inside the call is a matter of
	 * timing: that clause is not compared. */
	if (note && (cut = strstr(note, during)))
		memmove(cut, cut + strlen(during),
			strlen(cut + strlen(during)) + 1);
	if (note) {
		if (how == WHOLE)
			ok = !strcmp(note, want);
		else if (how == START)
			ok = !strncmp(note, want, strlen(want));
		else
			ok = strstr(note, want) != NULL;
	}
	if (!ok)
		TH_LOG("under the line\n  %s\nwanted a note %s\n  %s\nbut %s\n  %s",
		       call, how == WHOLE ? "equal to" :
		       how == START ? "starting with" : "containing", want,
		       note ? "it is" : "there is no such line; the trace:",
		       note ? note : text);
	free(note);
	return ok;
}

#define EXPECT_NOTE(text, call, how, want) \
	EXPECT_TRUE(note_matches(text, call, how, want))

/*
 * How many rows of the "sockets seen:" summary in err start so (up to the
 * local address; up to the protocol column when local is "").
 */
static int summary_rows(const char *err, long pid, const char *comm, int fd,
			const char *proto, const char *local)
{
	char row[256];

	if (*local)
		snprintf(row, sizeof(row), "%8ld %-15.15s %4d  %-13s %-22s ",
			 pid, comm, fd, proto, local);
	else
		snprintf(row, sizeof(row), "%8ld %-15.15s %4d  %s ", pid, comm,
			 fd, proto);
	return count_of(err, row);
}

/* --- the JSON trace -------------------------------------------------- */

/* Appends s to a malloc'd string. */
static void append(char **buf, const char *s)
{
	size_t len = *buf ? strlen(*buf) : 0;

	*buf = realloc(*buf, len + strlen(s) + 1);
	strcpy(*buf + len, s);
}

/*
 * pid's TCP state changes in order, each "FD:OLD>NEW " (FD "-" when
 * the event carries none), with comm checked against want_comm.
 */
static char *states_of(const char *json, pid_t pid, const char *want_comm)
{
	char *seq = strdup(""), item[96], fd[16], old[32], new[32];

	for_each_line(line, end, json) {
		if (!jis(line, end, "kind", "tcp_state") ||
		    jnum(line, end, "pid") != pid)
			continue;
		if (!jfield(line, end, "fd", fd, sizeof(fd)))
			strcpy(fd, "-");
		jfield(line, end, "old", old, sizeof(old));
		jfield(line, end, "new", new, sizeof(new));
		snprintf(item, sizeof(item), "%s:%s>%s ", fd, old, new);
		append(&seq, item);
		EXPECT_TRUE(jis(line, end, "comm", want_comm)) {
			TH_LOG("not %s's: %.*s", want_comm, (int)(end - line),
			       line);
		}
	}
	return seq;
}

/*
 * One connection of "teach_tcp conn", the client closing first: each
 * end's state changes in order, each owned by its process.
 */
static void expect_one_connection(const char *json, long client,
				  pid_t server)
{
	char *seq;

	seq = states_of(json, client, "teach_client");
	EXPECT_STREQ("4:CLOSE>SYN_SENT 4:SYN_SENT>ESTABLISHED 4:ESTABLISHED>FIN_WAIT1 4:FIN_WAIT1>FIN_WAIT2 4:FIN_WAIT2>CLOSE ",
		     seq);
	free(seq);
	seq = states_of(json, server, "teach_tcp");
	EXPECT_STREQ("3:CLOSE>LISTEN -:LISTEN>SYN_RECV -:SYN_RECV>ESTABLISHED 4:ESTABLISHED>CLOSE_WAIT 4:CLOSE_WAIT>LAST_ACK 4:LAST_ACK>CLOSE 3:LISTEN>CLOSE ",
		     seq);
	free(seq);
}

/* A call of the traced helper, and the note it must have. */
struct call_note {
	const char *call;	/* after "[PID COMM] " */
	const char *note;	/* the whole note */
};

/* Each call of the helper comm (pid r->pid) has its whole note. */
static void expect_notes(const struct run *r, const char *comm,
			 const struct call_note *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		EXPECT_NOTE(r->text, FMT("[%d %s] %s", r->pid, comm,
					 rows[i].call),
			    WHOLE, rows[i].note);
}

/* --- what the kernel chose ------------------------------------------ */

/* socket() with protocol 0 leaves the choice to the kernel. */
static const struct call_note protocol_notes[] = {
	{ "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3",
	  "fd 3 is a new TCP socket (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream); protocol 0 let the kernel choose IPPROTO_TCP" },
	{ "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 4",
	  "fd 4 is a new UDP socket (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee); protocol 0 let the kernel choose IPPROTO_UDP" },
	/* Asked for by name: nothing was left to the kernel. */
	{ "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 5",
	  "fd 5 is a new TCP socket (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream)" },
};

TEST_TIMEOUT(protocol_zero_names_the_protocol_the_kernel_chose, 60)
{
	char *cmd[] = { teach_tcp(), "protocol", NULL };
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	expect_notes(&r, "teach_tcp", protocol_notes,
		     ARRAY_SIZE(protocol_notes));

	/* The JSON says the same in "note". */
	EXPECT_EQ(1, count_of(r.json, "\"name\":\"socket\",\"ret\":4,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\",\"flags\":[],\"protocol\":\"IPPROTO_IP\"},\"note\":\"fd 4 is a new UDP socket (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee); protocol 0 let the kernel choose IPPROTO_UDP\"")) {
		TH_LOG("JSON:\n%s", r.json);
	}
	run_free(&r);
}

/*
 * The ephemeral ports come from net.ipv4.ip_local_port_range, which the
 * notes read where the process is: a range of 20 ports set in the test's
 * own network namespace (a per-namespace sysctl), and every port the
 * kernel chose is in it.
 */
#define RANGE_LO	40000
#define RANGE_HI	40019

/* 0 when this namespace's range is RANGE_LO..RANGE_HI. */
static int set_port_range(void)
{
	char *value;
	int ret;

	if (spill("/proc/sys/net/ipv4/ip_local_port_range", "40000 40019\n"))
		return -1;
	value = slurp("/proc/sys/net/ipv4/ip_local_port_range");
	ret = value && !strcmp(value, "40000\t40019\n") ? 0 : -1;
	free(value);
	return ret;
}

/* An unbound UDP socket's first sendto: the port getsockname reports;
 * and the server's bind to port 0. */
TEST_TIMEOUT(udp_autobind_names_the_ephemeral_port, 60)
{
	char *cmd[] = { teach_udp(), "wait", NULL };
	long sender, sport;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, set_port_range());
	run_teach(&r, NULL, cmd);
	ASSERT_LT(0, r.port);
	peer_of(&r, "sender", &sender, &sport);
	ASSERT_LT(0, sender);
	EXPECT_LE(RANGE_LO, sport);
	EXPECT_GE(RANGE_HI, sport);
	EXPECT_LE(RANGE_LO, r.port);
	EXPECT_GE(RANGE_HI, r.port);

	EXPECT_NOTE(r.text,
		    FMT("[%ld teach_sender] sendto(4, ..., 5, 0, {AF_INET, 127.0.0.1:%ld}, 16) = 5",
			sender, r.port),
		    WHOLE,
		    FMT("one datagram of 5 bytes: it arrives whole or not at all; this first send bound the socket: the kernel chose 0.0.0.0:%ld (an ephemeral port from net.ipv4.ip_local_port_range, 40000-40019)",
			sport));
	EXPECT_NOTE(r.text,
		    FMT("[%d teach_udp] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0",
			r.pid),
		    PART,
		    FMT("; port 0 asked the kernel to choose: it chose %ld from net.ipv4.ip_local_port_range, 40000-40019",
			r.port));
	run_free(&r);
}

/* A TCP connect without bind: the ephemeral port of this end. */
TEST_TIMEOUT(tcp_connect_names_the_ephemeral_port, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	long client, cport;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	ASSERT_EQ(0, set_port_range());
	run_teach(&r, NULL, cmd);
	ASSERT_LT(0, r.port);
	peer_of(&r, "client", &client, &cport);
	ASSERT_LT(0, client);
	EXPECT_LE(RANGE_LO, cport);
	EXPECT_GE(RANGE_HI, cport);

	EXPECT_NOTE(r.text,
		    FMT("[%ld teach_client] connect(4, {AF_INET, 127.0.0.1:%ld}, 16) = 0",
			client, r.port),
		    START,
		    FMT("TCP three-way handshake with 127.0.0.1:%ld done (SYN, SYN-ACK, ACK): a connection; the kernel chose this end: 127.0.0.1:%ld (an ephemeral port from net.ipv4.ip_local_port_range, 40000-40019, as the socket was not bound)",
			r.port, cport));
	run_free(&r);
}

/*
 * bind()'s EACCES for a port: below net.ipv4.ip_unprivileged_port_start,
 * which the note reads where the process is. Set to 2000 in the test's
 * namespace, a process without CAP_NET_BIND_SERVICE (nobody) may not
 * bind 1500 and may bind 2500 (the program checks both); and the note
 * states 2000, not the usual 1024.
 */
TEST_TIMEOUT(bind_eacces_names_the_privileged_ports, 60)
{
	char *opts[] = { "-u", "nobody", "-e", "bind", NULL };
	const char *program =
		"import socket, errno\n"
		"s = socket.socket()\n"
		"try:\n"
		"    s.bind(('127.0.0.1', 1500))\n"
		"    raise SystemExit('bound 1500')\n"
		"except PermissionError as e:\n"
		"    assert e.errno == errno.EACCES\n"
		"t = socket.socket()\n"
		"t.bind(('127.0.0.1', 2500))\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ENTER_NETNS();
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/ip_unprivileged_port_start",
			   "2000\n"));
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(1, count_of(out, ", {AF_INET, 127.0.0.1:1500}, 16) = -1 EACCES (Permission denied)\n    # port 1500 is below net.ipv4.ip_unprivileged_port_start (2000): binding it needs CAP_NET_BIND_SERVICE, which root has\n")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, ", {AF_INET, 127.0.0.1:2500}, 16) = 0\n"));
	free(out);
	free(err);
}

/*
 * SO_REUSEADDR, as the notes say it, tried: for TCP, a port an earlier
 * connection that had it (accepted from a listener that had it) holds in
 * TIME_WAIT is taken by bind() with it and refused without it; a port a
 * connection without it holds in TIME_WAIT (the client's) is refused
 * even with it; a port a socket listens on is refused even with it;
 * for UDP, two sockets that both set it bind one port, a third that does
 * not is refused. The program checks what the kernel did.
 */
TEST_TIMEOUT(so_reuseaddr_does_what_the_notes_say, 60)
{
	char *opts[] = { "-e", "setsockopt,bind", NULL };
	const char *program =
		"import socket, errno\n"
		"def sock(kind, reuse):\n"
		"    s = socket.socket(socket.AF_INET, kind)\n"
		"    if reuse:\n"
		"        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
		"    return s\n"
		"def refused(s, port):\n"
		"    try:\n"
		"        s.bind(('127.0.0.1', port))\n"
		"    except OSError as e:\n"
		"        return e.errno == errno.EADDRINUSE\n"
		"    return False\n"
		"T, U = socket.SOCK_STREAM, socket.SOCK_DGRAM\n"
		"lsn = sock(T, True); lsn.bind(('127.0.0.1', 45000)); lsn.listen()\n"
		"assert refused(sock(T, True), 45000)\n"
		"cli = socket.create_connection(('127.0.0.1', 45000))\n"
		"srv, _ = lsn.accept()\n"
		"srv.close(); cli.recv(1); cli.close()\n"
		"c2 = socket.create_connection(('127.0.0.1', 45000))\n"
		"s2, _ = lsn.accept()\n"
		"cport = c2.getsockname()[1]\n"
		"c2.close(); s2.recv(1); s2.close(); lsn.close()\n"
		"assert refused(sock(T, True), cport)\n"
		"assert refused(sock(T, False), 45000)\n"
		"again = sock(T, True); again.bind(('127.0.0.1', 45000))\n"
		"a = sock(U, True); a.bind(('127.0.0.1', 45001))\n"
		"b = sock(U, True); b.bind(('127.0.0.1', 45001))\n"
		"assert refused(sock(U, False), 45001)\n";
	const char *tcp = ", SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n    # SO_REUSEADDR: bind() may take a port that earlier connections still hold in TIME_WAIT, if they had it set too (an accepted socket has its listener's); a port a socket listens on stays taken\n";
	const char *udp = ", SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n    # SO_REUSEADDR: other UDP sockets that set it too may bind this same address and port\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ENTER_NETNS();
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	/* The listener, the socket refused its port, the one refused the
	 * client's port, the one bound anew. */
	EXPECT_EQ(4, count_of(out, tcp)) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(2, count_of(out, udp));
	/* Refused: the listener's port, the client's TIME_WAIT port, the
	 * server's TIME_WAIT port without the option, the UDP port without
	 * it. */
	EXPECT_EQ(8, count_of(out, "] bind("));
	EXPECT_EQ(4, count_of(out, "}, 16) = -1 EADDRINUSE (Address already in use)\n"));
	EXPECT_EQ(4, count_of(out, "}, 16) = 0\n"));
	free(out);
	free(err);
}

/* SO_RCVBUF: the kernel keeps twice the value, a value over
 * net.core.rmem_max counts as rmem_max, and 1 gets the minimum of a few
 * KiB (the program checks all three). */
TEST_TIMEOUT(so_rcvbuf_is_doubled, 60)
{
	char *opts[] = { "-e", "setsockopt,getsockopt", NULL };
	const char *program =
		"import socket\n"
		"mx = int(open('/proc/sys/net/core/rmem_max').read())\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)\n"
		"assert s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == 8192\n"
		"s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, mx + 1000)\n"
		"assert s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) == 2 * mx\n"
		"s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)\n"
		"assert 2048 < s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) < 16384\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(1, count_of(out, "] setsockopt(3, SOL_SOCKET, SO_RCVBUF, [4096], 4) = 0\n    # the receive buffer size: the kernel keeps twice the value, for its bookkeeping (getsockopt reads that back); a value over net.core.rmem_max counts as that, and it never keeps less than SOCK_MIN_RCVBUF (a few KiB)\n")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, "] getsockopt(3, SOL_SOCKET, SO_RCVBUF, [8192], [4]) = 0\n"));
	EXPECT_EQ(3, count_of(out, "# the receive buffer size: the kernel keeps twice the value"));
	free(out);
	free(err);
}

/*
 * An active close, as the kernel does it and the note says: the full
 * socket goes to CLOSE from FIN_WAIT2 as a small timewait socket takes
 * over; before the peer's FIN that one is in FIN_WAIT2 for at most
 * net.ipv4.tcp_fin_timeout (set to 30 s in the test's namespace), then
 * in TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN). The program reads both
 * timers from /proc/net/tcp (type 3, in 1/100 s).
 */
TEST_TIMEOUT(time_wait_lasts_sixty_seconds, 60)
{
	char *opts[] = { "-e", "close", NULL };
	const char *program =
		"import socket, time\n"
		"def timer(port, state):\n"
		"    time.sleep(0.2)\n"
		"    rows = [l.split() for l in open('/proc/net/tcp').readlines()[1:]]\n"
		"    tw = [r for r in rows if r[3] == state and\n"
		"          int(r[1].split(':')[1], 16) == port]\n"
		"    assert len(tw) == 1, (state, rows)\n"
		"    kind, when = tw[0][5].split(':')\n"
		"    assert kind == '03', tw\n"
		"    return int(when, 16)\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"port = cli.getsockname()[1]\n"
		"cli.close()\n"
		"assert 2000 < timer(port, '05') <= 3000\n"
		"srv.close()\n"
		"assert 5000 < timer(port, '06') <= 6000\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ENTER_NETNS();
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/tcp_fin_timeout", "30\n"));
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(1, count_of(out, ": FIN_WAIT2 -> CLOSE\n    # the kernel hands the connection to a small timewait socket, which waits for the peer's FIN if it has not come (up to net.ipv4.tcp_fin_timeout, 30 s) and then stays in TIME_WAIT for 60 s, holding its address and port pair: a connect() from the same port to the same peer fails with EADDRNOTAVAIL, unless TCP timestamps let the kernel tell the new connection's packets from the old one's\n")) {
		TH_LOG("%s", out);
	}
	free(out);
	free(err);
}

/*
 * close() with data unread: the kernel sends RST, not FIN (tcp_close()),
 * and the peer's next receive fails with ECONNRESET; the notes of both
 * say so. The program checks what the kernel did.
 */
TEST_TIMEOUT(close_with_unread_data_resets, 60)
{
	char *opts[] = { NULL };
	const char *program =
		"import socket, errno, time\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.sendall(b'never read')\n"
		"time.sleep(0.1)\n"
		"srv.close()\n"
		"time.sleep(0.1)\n"
		"try:\n"
		"    cli.recv(10)\n"
		"    raise SystemExit('no reset')\n"
		"except ConnectionResetError as e:\n"
		"    assert e.errno == errno.ECONNRESET\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ENTER_NETNS();
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	EXPECT_EQ(1, count_of(out, " closed: the kernel sends FIN (RST instead, when data came that the program never read) and finishes the connection on its own")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, ", 10, 0, NULL, NULL) = -1 ECONNRESET (Connection reset by peer)\n    # the peer reset the connection (it sent RST): for example it closed the socket with data it had not read, or aborted it (SO_LINGER 0)\n"));
	EXPECT_EQ(1, count_of(out, "\n    # a reset (RST) arrived: the peer refuses or aborts this connection\n"));
	free(out);
	free(err);
}

/*
 * Receives, shutdowns and a refused UNIX connect whose notes depend on
 * what the kernel did, each checked by the program: a datagram that
 * exactly fills the buffer may have been longer (not "whole"), one cut
 * by recvmsg says so, a larger buffer gets it whole; a TCP receive of 0
 * bytes (it returns once a byte is there) is not the end of the stream; SHUT_RD on TCP still lets queued
 * and later data be read; SHUT_WR on UDP makes sends fail with EPIPE; a
 * UNIX path with no listener refuses; a flag option set to 0 is off.
 */
TEST_TIMEOUT(receive_and_shutdown_notes_follow_the_kernel, 60)
{
	char *opts[] = { NULL };
	const char *program =
		"import socket, errno, time, os, tempfile, ctypes\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0))\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"for n in (8, 4, 100):\n"
		"    v.sendto(b'12345678', u.getsockname())\n"
		"assert u.recvfrom(8)[0] == b'12345678'\n"
		"data, anc, flags, addr = u.recvmsg(4)\n"
		"assert data == b'1234' and flags & socket.MSG_TRUNC\n"
		"assert u.recvfrom(100)[0] == b'12345678'\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.send(b'before'); time.sleep(0.05)\n"
		"assert libc.recv(srv.fileno(), ctypes.create_string_buffer(1), 0, 0) == 0\n"
		"srv.shutdown(socket.SHUT_RD)\n"
		"assert srv.recv(100) == b'before'\n"
		"assert srv.recv(100) == b''\n"
		"cli.send(b'after'); time.sleep(0.05)\n"
		"assert srv.recv(100) == b'after'\n"
		"v.connect(u.getsockname()); v.shutdown(socket.SHUT_WR)\n"
		"try:\n"
		"    v.send(b'x'); raise SystemExit('sent')\n"
		"except BrokenPipeError:\n"
		"    pass\n"
		"path = tempfile.mktemp()\n"
		"x = socket.socket(socket.AF_UNIX); x.bind(path)\n"
		"y = socket.socket(socket.AF_UNIX)\n"
		"try:\n"
		"    y.connect(path); raise SystemExit('connected')\n"
		"except ConnectionRefusedError:\n"
		"    pass\n"
		"os.unlink(path)\n"
		"cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)\n"
		"w = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"w.bind(('127.0.0.1', 0)); w.connect(w.getsockname())\n"
		"w.shutdown(socket.SHUT_RD)\n"
		"assert w.recv(10) == b''\n"
		"w.setblocking(False)\n"
		"try:\n"
		"    w.recv(10); raise SystemExit('no EAGAIN')\n"
		"except BlockingIOError:\n"
		"    pass\n";
	static const char *const notes[] = {
		"recvfrom(3, ..., 8, 0, {AF_INET, 127.0.0.1:",
		"\n    # a datagram of 8 bytes, as many as the buffer holds: a longer one would have been cut to this (MSG_TRUNC would tell)",
		"\n    # a datagram cut to the 4 bytes the buffers hold: the rest is lost (msg_flags has MSG_TRUNC)",
		"recvfrom(3, ..., 100, 0, {AF_INET, 127.0.0.1:",
		"\n    # one whole datagram of 8 bytes",
		"\n    # a receive of 0 bytes returns 0: it says nothing of the stream",
		", SHUT_RD) = 0\n    # reading is shut down in this socket only: what is queued can still be read, a receive with nothing queued returns 0 at once, and the peer, not told, may still send\n",
		", SHUT_WR) = 0\n    # no more sending: a send now fails with EPIPE, and the peer is not told (UDP has no FIN)\n",
		") = -1 ECONNREFUSED (Connection refused)\n    # nobody listens on that path: the socket file is there, but no socket listens on it\n",
		", SOL_TCP, TCP_NODELAY, [0], 4) = 0\n    # 0: the option is off\n",
		", SHUT_RD) = 0\n    # reading is shut down in this socket only: what is queued can still be read, a blocking receive with nothing queued returns 0 at once (a non-blocking one fails with EAGAIN), and the peer, not told, may still send\n",
		", 10, 0, NULL, NULL) = 0\n    # 0 bytes: this socket was shut down for reading (shutdown()): with nothing queued a receive returns 0, as a queued datagram of 0 bytes would\n",
	};
	char *out = NULL, *err = NULL;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	ENTER_NETNS();
	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s", err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(notes); i++)
		EXPECT_EQ(1, count_of(out, notes[i])) {
			TH_LOG("%s in:\n%s", notes[i], out);
		}
	/* Neither the receive of 0 bytes nor the SHUT_RD socket's empty
	 * read is the peer's close. */
	EXPECT_EQ(1, count_of(out, ", 100, 0, NULL, NULL) = 0\n    # 0 bytes: this socket was shut down for reading (shutdown()), and nothing was queued\n"));
	EXPECT_EQ(0, count_of(out, "# 0 bytes: the peer closed its side")) {
		TH_LOG("%s", out);
	}
	free(out);
	free(err);
}

/*
 * listen(fd, 1000000): clamped to somaxconn, this namespace's own. And
 * the accept queue's length, counted: listen(fd, 5), 10 connects that
 * the helper does not accept until they are done; the kernel queued 6
 * (sk_acceptq_is_full(): more than the backlog), and the note says so.
 */
TEST_TIMEOUT(listen_backlog_clamped_to_somaxconn, 60)
{
	char *cmd[] = { teach_tcp(), "backlog", NULL };
	const char *call;
	struct run r;
	int somaxconn;
	char *value;

	REQUIRE_E2E();
	ENTER_NETNS();
	/* Per namespace: the host's value is not touched. */
	ASSERT_EQ(0, spill("/proc/sys/net/core/somaxconn", "64\n"));
	value = slurp("/proc/sys/net/core/somaxconn");
	somaxconn = atoi(value);
	free(value);
	ASSERT_EQ(64, somaxconn);

	run_teach(&r, NULL, cmd);
	call = FMT("[%d teach_tcp] listen(3, 1000000) = 0", r.pid);
	EXPECT_NOTE(r.text, call, PART,
		    FMT("; up to %d may wait: the queue is full only when it holds more than %d (backlog 1000000 clamped to net.core.somaxconn)",
			somaxconn + 1, somaxconn));
	EXPECT_NOTE(r.text, call, START, "fd 3 now listens on 127.0.0.1:");
	/* Under the limit: taken as asked, and nothing said of a clamp. */
	call = FMT("[%d teach_tcp] listen(4, 5) = 0", r.pid);
	EXPECT_NOTE(r.text, call, PART,
		    "; up to 6 may wait: the queue is full only when it holds more than 5");
	EXPECT_FALSE(note_matches(r.text, call, PART, "clamped"));
	/* What the kernel did: 6 of the 10 connections were queued. */
	EXPECT_NE(NULL, strstr(r.out, "teach: queued 6\n")) {
		TH_LOG("%s", r.out);
	}
	run_free(&r);
}

/* --- the TCP state machine ----------------------------------------- */

/*
 * One connection, the client closing first: every state change of both
 * ends, in order, attributed to the process and descriptor that own it.
 * The server's first two changes happen before accept(): no descriptor
 * holds the socket yet, so they carry none.
 */
/* The time of pid's first state change from old to new, or -1. */
static long long state_ts(const char *json, long pid, const char *old,
			  const char *new)
{
	for_each_line(line, end, json) {
		char ts[32];

		if (jis(line, end, "kind", "tcp_state") &&
		    jnum(line, end, "pid") == pid && jis(line, end, "old", old) &&
		    jis(line, end, "new", new) &&
		    jfield(line, end, "ts_ns", ts, sizeof(ts)))
			return atoll(ts);
	}
	return -1;
}

TEST_TIMEOUT(tcp_states_of_a_whole_connection, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	long client, cport;
	const char *call;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	peer_of(&r, "client", &client, &cport);
	ASSERT_LT(0, client);

	expect_one_connection(r.json, client, r.pid);
	/* Nobody else's. */
	EXPECT_EQ(12, count_of(r.json, "\"kind\":\"tcp_state\""));

	/* Each change on the wire names the right ends. */
	for_each_line(line, end, r.json) {
		long sport, dport, pid;

		if (!jis(line, end, "kind", "tcp_state"))
			continue;
		sport = jnum(line, end, "sport");
		dport = jnum(line, end, "dport");
		pid = jnum(line, end, "pid");
		if (!sport || !dport)
			continue;
		if (pid == client) {
			EXPECT_TRUE(sport == cport && dport == r.port) {
				LOG_LINE(line, end);
			}
		} else {
			EXPECT_TRUE(sport == r.port && dport == cport) {
				LOG_LINE(line, end);
			}
		}
	}

	/* The text: the active close ends in TIME_WAIT, said so. */
	call = FMT("[%ld teach_client] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld (fd 4): FIN_WAIT2 -> CLOSE after ",
		   client, cport, r.port);
	EXPECT_NE(NULL, strstr(r.text, call)) {
		TH_LOG("no line starting %s in\n%s", call, r.text);
	}
	EXPECT_EQ(1, count_of(r.text, "    # the kernel hands the connection to a small timewait socket, which waits for the peer's FIN if it has not come (up to net.ipv4.tcp_fin_timeout, 60 s) and then stays in TIME_WAIT for 60 s, holding its address and port pair: a connect() from the same port to the same peer fails with EADDRNOTAVAIL, unless TCP timestamps let the kernel tell the new connection's packets from the old one's\n"));
	/* The server's socket for the connection is made when the
	 * client's ACK comes, after the client is ESTABLISHED. */
	EXPECT_LT(state_ts(r.json, client, "SYN_SENT", "ESTABLISHED"),
		  state_ts(r.json, r.pid, "LISTEN", "SYN_RECV"));
	EXPECT_EQ(1, count_of(r.text, "    # the client's ACK, the handshake's last segment, arrived: the kernel makes the connection's own socket from the listening one (the SYN before it got a SYN-ACK from a small request socket)\n"));
	/* And the summary gives each end its final state. */
	EXPECT_LT(0, summary_rows(r.err, client, "teach_client", 4, "TCP", ""));
	EXPECT_EQ(1, count_of(r.err, "  TIME_WAIT\n")) {
		TH_LOG("%s", r.err);
	}
	run_free(&r);
}

/* connect() to a port nobody listens on: the RST, then ECONNREFUSED. */
TEST_TIMEOUT(econnrefused_shows_the_reset, 60)
{
	char *cmd[] = { teach_tcp(), "refused", NULL };
	long reset_at = -1, connect_at = -1, i = 0;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);

	for_each_line(line, end, r.json) {
		i++;
		if (jis(line, end, "kind", "tcp_reset")) {
			EXPECT_EQ(-1, reset_at);
			reset_at = i;
			EXPECT_EQ(r.pid, jnum(line, end, "pid"));
			EXPECT_EQ(3, jnum(line, end, "fd"));
			EXPECT_EQ(1, jnum(line, end, "dport"));
			EXPECT_TRUE(jis(line, end, "direction", "received")) {
				LOG_LINE(line, end);
			}
		}
		if (jis(line, end, "name", "connect")) {
			connect_at = i;
			EXPECT_EQ(-1, jnum(line, end, "ret"));
			EXPECT_TRUE(jis(line, end, "errno", "ECONNREFUSED"));
		}
	}
	EXPECT_LT(0, reset_at) {
		TH_LOG("no tcp_reset in\n%s", r.json);
	}
	EXPECT_LT(reset_at, connect_at);

	EXPECT_NOTE(r.text,
		    FMT("[%d teach_tcp] connect(3, {AF_INET, 127.0.0.1:1}, 16) = -1 ECONNREFUSED (Connection refused)",
			r.pid),
		    START,
		    "nobody listens there: the peer's kernel answered the SYN with a reset (RST), the reset received just above");
	EXPECT_EQ(1, count_of(r.text, " -> 127.0.0.1:1 (fd 3): reset received\n"
			      "    # a reset (RST) arrived: the peer refuses or aborts this connection\n"));
	/* The local end is shown though the port was already given back. */
	EXPECT_EQ(1, count_of(r.text, " -> 127.0.0.1:1 (fd 3): SYN_SENT -> CLOSE after "));
	/* The reset, and SYN_SENT -> CLOSE. */
	EXPECT_EQ(2, count_of(r.text, FMT("[%d teach_tcp] tcp 127.0.0.1:", r.pid)));
	run_free(&r);
}

/* --- socket identity --------------------------------------------------- */

/* fd 5 is a TCP client, closed; then a UDP socket gets fd 5. */
TEST_TIMEOUT(fd_reuse_follows_the_new_socket, 60)
{
	char *cmd[] = { teach_tcp(), "reuse", NULL };
	const char *close5, *sendto5, *after;
	long uport, tport, chosen = -1;
	struct run r;
	char *note;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	uport = number_after(r.out, "teach: udp port ");
	tport = number_after(r.out, "teach: tcp port ");
	ASSERT_LT(0, uport);
	ASSERT_LT(0, tport);

	close5 = FMT("[%d teach_tcp] close(5) = 0", r.pid);
	EXPECT_NOTE(r.text, close5, START,
		    "fd 5 closed: the kernel sends FIN (RST instead, when data came that the program never read) and finishes the connection on its own");
	EXPECT_NOTE(r.text,
		    FMT("[%d teach_tcp] socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5",
			r.pid),
		    START, "fd 5 is a new UDP socket");
	/* A datagram, not stream bytes; and this socket was never bound. */
	sendto5 = FMT("[%d teach_tcp] sendto(5, ..., 5, 0, {AF_INET, 127.0.0.1:%ld}, 16) = 5",
		      r.pid, uport);
	EXPECT_NOTE(r.text, sendto5, START,
		    "one datagram of 5 bytes: it arrives whole or not at all; this first send bound the socket: the kernel chose 0.0.0.0:");
	note = note_of(r.text, sendto5);
	if (note)
		chosen = number_after(note, "0.0.0.0:");
	free(note);
	/* Closing it frees the UDP port, not the TCP one. */
	after = strstr(r.text, sendto5);
	ASSERT_NE(NULL, after);
	EXPECT_NOTE(after, close5, WHOLE,
		    FMT("fd 5 closed: UDP port %ld is free again", chosen));

	/* The TCP socket's five state changes said fd 5, all before the
	 * reuse; no kernel event said fd 5 after it. */
	after = strstr(r.json, "\"name\":\"socket\",\"ret\":5,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_DGRAM\"");
	ASSERT_NE(NULL, after);
	EXPECT_EQ(0, count_of(after, "\"fd\":5,\"family\":")) {
		TH_LOG("%s", after);
	}
	EXPECT_EQ(5, count_of(r.json, "\"fd\":5,\"family\":\"AF_INET\""));

	/* Two sockets had fd 5: both in the summary. */
	EXPECT_EQ(1, summary_rows(r.err, r.pid, "teach_tcp", 5, "TCP",
				  FMT("127.0.0.1:%ld", tport))) {
		TH_LOG("%s", r.err);
	}
	EXPECT_EQ(1, summary_rows(r.err, r.pid, "teach_tcp", 5, "UDP",
				  FMT("0.0.0.0:%ld", chosen))) {
		TH_LOG("%s", r.err);
	}
	run_free(&r);
}

/*
 * The server's LISTEN -> SYN_RECV -> ESTABLISHED happen in softirq
 * context, while the client's process is current: they belong to the
 * server all the same. Four clients one after the other, each a new
 * process, so freed kernel sockets get reused.
 */
TEST_TIMEOUT(softirq_events_belong_to_the_listening_process, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "4", NULL };
	long pids[4], ports[4];
	int handshakes = 0;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	ASSERT_EQ(4, teach_peers(r.out, "client", pids, ports, 4));

	for_each_line(line, end, r.json) {
		long pid = jnum(line, end, "pid");
		long sport = jnum(line, end, "sport");
		long dport = jnum(line, end, "dport");

		if (!jis(line, end, "kind", "tcp_state"))
			continue;
		if (jis(line, end, "new", "SYN_RECV") ||
		    (jis(line, end, "old", "SYN_RECV") &&
		     jis(line, end, "new", "ESTABLISHED"))) {
			handshakes++;
			EXPECT_EQ(r.pid, pid) {
				TH_LOG("the server's handshake given to another process: %.*s",
				       (int)(end - line), line);
			}
			EXPECT_TRUE(jis(line, end, "comm", "teach_tcp")) {
				LOG_LINE(line, end);
			}
			EXPECT_EQ(r.port, sport);
			continue;
		}
		/* A client's own changes: that client's. */
		for (int i = 0; i < 4; i++) {
			if (sport != ports[i] || dport != r.port)
				continue;
			EXPECT_EQ(pids[i], pid) {
				LOG_LINE(line, end);
			}
		}
	}
	EXPECT_EQ(8, handshakes);
	run_free(&r);
}

/*
 * Sockets of processes that are not traced, made while tracing goes on,
 * on the CPU where the traced ones were freed: the kernel reuses the
 * freed sockets' memory for them, and none of their events may show up
 * as the traced processes' (nor at all: they are not traced).
 */
static void churn(int n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int l, c, a;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(l, 64));
	ASSERT_EQ(0, getsockname(l, (struct sockaddr *)&sin, &len));
	for (int i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(c, (struct sockaddr *)&sin, sizeof(sin)));
		a = accept(l, NULL, NULL);
		ASSERT_LE(0, a);
		close(c);
		close(a);
		close(socket(AF_INET, SOCK_DGRAM, 0));
	}
	close(l);
}

TEST_TIMEOUT(untraced_sockets_reusing_freed_ones_are_not_shown, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", "1500", NULL };
	long client = -1;
	struct trace t;
	char line[256];
	cpu_set_t one;
	ssize_t n;

	REQUIRE_E2E();
	ENTER_NETNS();
	/* Everyone on one CPU: its free lists are where sockets come from. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(one), &one));
	ASSERT_EQ(0, trace_start(&t, NULL, cmd));
	while ((n = proc_read_line(&t.proc, line, sizeof(line), 30000)) >= 0 &&
	       strcmp(line, "teach: done"))
		sscanf(line, "teach: client %ld", &client);
	ASSERT_LE(0, n);
	ASSERT_LT(0, client);
	churn(50);
	EXPECT_EQ(0, trace_finish(&t));

	expect_one_connection(t.json, client, pid_in(t.text));
	EXPECT_EQ(12, count_of(t.json, "\"kind\":\"tcp_state\"")) {
		TH_LOG("%s", t.text);
	}
	trace_free(&t);
}

/* --- failures with evidence ------------------------------------------ */

TEST_TIMEOUT(eaddrinuse_names_who_holds_the_port, 60)
{
	char *cmd[] = { teach_tcp(), "inuse", NULL };
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	ASSERT_LT(0, r.port);
	EXPECT_NOTE(r.text,
		    FMT("[%d teach_tcp] bind(4, {AF_INET, 127.0.0.1:%ld}, 16) = -1 EADDRINUSE (Address already in use)",
			r.pid, r.port),
		    WHOLE,
		    FMT("that address and port are taken: another socket is bound there (see SO_REUSEADDR); TCP port %ld is held by teach_tcp (pid %d, fd 3)",
			r.port, r.pid));
	run_free(&r);
}

#define EAGAIN_NOTE "nothing ready yet, and the call may not wait (a non-blocking socket, MSG_DONTWAIT, or a timeout ran out): try again later; poll() says when"

/* MSG_DONTWAIT, then a SOCK_NONBLOCK socket: the same explanation. */
static const struct call_note eagain_notes[] = {
	{ "recvfrom(3, ..., 64, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
	  EAGAIN_NOTE },
	{ "recvfrom(4, ..., 64, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)",
	  EAGAIN_NOTE },
};

TEST_TIMEOUT(eagain_is_explained, 60)
{
	char *cmd[] = { teach_udp(), "eagain", NULL };
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	expect_notes(&r, "teach_udp", eagain_notes, ARRAY_SIZE(eagain_notes));
	run_free(&r);
}

/* The sender sleeps 0.3 s: the blocked recvfrom says it waited. */
TEST_TIMEOUT(blocked_recvfrom_says_how_long_it_waited, 60)
{
	char *cmd[] = { teach_udp(), "wait", NULL };
	long sender, sport;
	double waited = -1;
	const char *call;
	struct run r;
	char *note;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	ASSERT_LT(0, r.port);
	peer_of(&r, "sender", &sender, &sport);
	call = FMT("[%d teach_udp] recvfrom(3, ..., 64, 0, {AF_INET, 127.0.0.1:%ld}, [16]) = 5",
		   r.pid, sport);
	EXPECT_NOTE(r.text, call, START,
		    "one whole datagram of 5 bytes; it waited ");
	note = note_of(r.text, call);
	ASSERT_NE(NULL, note);
	ASSERT_EQ(1, sscanf(note, "one whole datagram of 5 bytes; it waited %lf s for data",
			    &waited)) {
		TH_LOG("%s", note);
	}
	/* About the sender's 0.3 s sleep (the receiver may start waiting
	 * a little after the sender started sleeping). */
	EXPECT_TRUE(waited >= 0.25 && waited < 3.0) {
		TH_LOG("waited %.3f s: %s", waited, note);
	}
	free(note);
	run_free(&r);
}

/* --- conversations ------------------------------------------------------ */

TEST_TIMEOUT(receive_and_accept_name_the_other_process, 60)
{
	char *udp[] = { teach_udp(), "wait", NULL };
	char *tcp[] = { teach_tcp(), "conn", "1", NULL };
	long sender, sport, client, cport;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, udp);
	peer_of(&r, "sender", &sender, &sport);
	EXPECT_NOTE(r.text,
		    FMT("[%d teach_udp] recvfrom(3, ..., 64, 0, {AF_INET, 127.0.0.1:%ld}, [16]) = 5",
			r.pid, sport),
		    PART, FMT("; sent by teach_sender (pid %ld), ", sender));
	run_free(&r);

	run_teach(&r, NULL, tcp);
	peer_of(&r, "client", &client, &cport);
	EXPECT_NOTE(r.text, FMT("[%d teach_tcp] accept(3, NULL, NULL) = 4", r.pid),
		    START,
		    FMT("a new connection from 127.0.0.1:%ld: fd 4 is a new socket for this one conversation; fd 3 keeps listening; the connect() made by teach_client (pid %ld), ",
			cport, client));
	/* And the stream's bytes, each way. */
	EXPECT_NOTE(r.text,
		    FMT("[%d teach_tcp] recvfrom(4, ..., 16, 0, NULL, NULL) = 4",
			r.pid),
		    PART, FMT("; sent by teach_client (pid %ld), ", client));
	EXPECT_NOTE(r.text,
		    FMT("[%ld teach_client] recvfrom(4, ..., 16, 0, NULL, NULL) = 4",
			client),
		    PART, FMT("; sent by teach_tcp (pid %d), ", r.pid));
	EXPECT_LT(0, r.port);
	run_free(&r);
}

/* --- kernel events ------------------------------------------------------ */

/* The Udp RcvbufErrors counter of this namespace. */
static long rcvbuf_errors(void)
{
	char *snmp = slurp("/proc/net/snmp"), *vals;
	long v = -1;

	vals = strstr(snmp, "\nUdp: ");
	if (vals)
		vals = strstr(vals + 1, "\nUdp: ");
	/* InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors */
	if (vals)
		sscanf(vals, "\nUdp: %*d %*d %*d %*d %ld", &v);
	free(snmp);
	return v;
}

/*
 * 64 datagrams of 1000 bytes into the smallest receive buffer, unread:
 * the kernel drops most of them (ENOMEM, counted as RcvbufErrors), each
 * one a udp_drop event of the receiver's socket, though the sender's
 * process is current when it happens.
 */
TEST_TIMEOUT(udp_drops_are_the_receivers, 60)
{
	char *cmd[] = { teach_udp(), "drop", "64", NULL };
	long sender, received, drops = 0, counted;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, NULL, cmd);
	counted = rcvbuf_errors();
	sender = number_after(r.out, "teach: sender ");
	received = number_after(r.out, "teach: received ");
	ASSERT_LT(0, sender);
	ASSERT_LE(0, received);
	EXPECT_NE(NULL, strstr(r.err, ", 0 lost\n"));

	for_each_line(line, end, r.json) {
		if (!jis(line, end, "kind", "udp_drop"))
			continue;
		drops++;
		EXPECT_TRUE(jnum(line, end, "pid") == r.pid &&
			    jis(line, end, "comm", "teach_udp") &&
			    jnum(line, end, "fd") == 3 &&
			    jnum(line, end, "sport") == r.port &&
			    jnum(line, end, "error") == -12) {
			LOG_LINE(line, end);
		}
	}
	EXPECT_LT(0, drops);
	EXPECT_EQ(64 - received, drops);
	EXPECT_EQ(counted, drops);

	EXPECT_EQ(drops, count_of(r.text,
		  FMT("[%d teach_udp] udp 127.0.0.1:%ld (fd 3): datagram dropped (ENOMEM)\n"
		      "    # a datagram for this socket was dropped: its receive buffer was full, and UDP has no flow control to slow the sender\n",
		      r.pid, r.port)));
	run_free(&r);
}

/* --- turning it off ------------------------------------------------------ */

TEST_TIMEOUT(no_explain_gives_no_notes_and_no_kernel_events, 60)
{
	char *cmd[] = { teach_tcp(), "conn", "1", NULL };
	char *text_opts[] = { "--no-explain", NULL };
	char *json_opts[] = { "--no-explain", "-j", NULL };
	const char *call;
	struct run r;

	REQUIRE_E2E();
	ENTER_NETNS();
	run_teach(&r, text_opts, cmd);
	call = FMT("[%ld teach_client] connect(4, {AF_INET, 127.0.0.1:%ld}, 16) = 0",
		   number_after(r.out, "teach: client "), r.port);
	EXPECT_NE(NULL, find_line(r.text, call)) {
		TH_LOG("%s", r.text);
	}
	EXPECT_EQ(0, count_of(r.text, "    # "));
	EXPECT_EQ(0, count_of(r.text, "] tcp "));
	EXPECT_EQ(0, count_of(r.json, "\"note\""));
	EXPECT_EQ(0, count_of(r.json, "\"kind\":\"tcp_state\""));
	/* No sockets table either: it is part of the teaching. */
	EXPECT_EQ(0, count_of(r.err, "sockets seen:"));
	run_free(&r);

	run_teach(&r, json_opts, cmd);
	EXPECT_LT(0, count_of(r.text, "\"kind\":\"syscall\""));
	EXPECT_EQ(0, count_of(r.text, "\"note\""));
	EXPECT_EQ(count_of(r.text, "\"kind\":"),
		  count_of(r.text, "\"kind\":\"syscall\"")) {
		TH_LOG("%s", r.text);
	}
	run_free(&r);
}

TEST_HARNESS_MAIN
