// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The kernel-event notes and the readiness notes (docs/claims.md rows 85,
 * 92, 95, 98-101, 104, 107-109, 111), each provoked for real and checked
 * twice: the program asserts what the kernel did (states read with
 * TCP_INFO and in /proc/net/tcp, counters in /proc/net/snmp, drops in
 * /proc/net/icmp and /proc/net/udp, poll's revents, SO_ERROR, epoll's
 * events and data), and the test checks sockscope's exact note lines.
 *
 *  - a simultaneous close: both FINs held back on lo (a token bucket
 *    per htb class, u32 sorting segments with FIN and pure ACKs into
 *    them), then the FINs let through with the ACKs still held, so both
 *    ends sit in CLOSING; then the ACKs, and both are in TIME_WAIT;
 *  - close() with data unread: the kernel sends RST (TcpOutRsts) and
 *    both ends go from ESTABLISHED to CLOSE (TcpEstabResets);
 *  - a full receive queue (sock:sock_rcvqueue_full), on a ping socket:
 *    raw sockets drop before the tracepoint, UDP has its own;
 *  - a memory limit (sock:sock_exceed_buf_limit): the cgroup's, as
 *    tcp_mem and udp_mem are not per namespace (cgroup v1's
 *    memory.kmem.tcp limit, which counts every protocol's sockets);
 *  - POLLERR, POLLHUP (closed both ways; never connected), TCP POLLIN,
 *    POLLPRI; epoll level- and edge-triggered; an epoll_ctl made before
 *    tracing, with data that is not the descriptor.
 *
 * A UDP drop with an error other than ENOMEM or ENOBUFS (row 97) cannot
 * be provoked: the udp_fail_queue_rcv_skb tracepoint passes the return
 * of __udp_enqueue_schedule_skb(), which is -ENOMEM or -ENOBUFS.
 *
 * Needs root and BTF; every test runs in a fresh network namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/fmt.h"
#include "lib/proc.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define TC	"/usr/sbin/tc"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* sockscope -- python3 -c PROGRAM [ARG1 [ARG2]]: its exit status. */
static int trace_python_args(const char *program, const char *arg1,
			     const char *arg2, char **out, char **err)
{
	char *opts[] = { NULL };
	char *cmd[] = { PYTHON3, "-c", (char *)program, (char *)arg1,
			(char *)arg2, NULL };

	return tracer_run(opts, cmd, out, err);
}

/* What every test here needs: root and BTF, python3, a namespace. */
#define REQUIRE_E2E_PYTHON_NETNS() do {				\
	REQUIRE_E2E();						\
	REQUIRE_PYTHON3();					\
	ENTER_NETNS();						\
} while (0)

/* trace_python_args() must succeed; else says what sockscope printed. */
#define ASSERT_TRACED(program, arg1, arg2, out, err)			\
	ASSERT_EQ(0, trace_python_args(program, arg1, arg2, out, err)) {	\
		TH_LOG("%s\n%s", *(out), *(err));			\
	}

/* Each of the n texts stands once in out. */
static void expect_each_once(const char *out, const char *const texts[],
			     size_t n)
{
	for (size_t i = 0; i < n; i++)
		EXPECT_EQ(1, count_of(out, texts[i])) {
			TH_LOG("%s in:\n%s", texts[i], out);
		}
}

/*
 * Row 85 (and CLOSING -> CLOSE, row 84): a simultaneous close, held
 * still. lo's root is an htb whose class 1:1 takes segments with FIN and
 * 1:2 pure ACKs (u32 on the TCP flags), each class a token bucket of a
 * byte a second: a UDP datagram to port 9 (10) empties it, the next
 * waits there, and what comes after waits behind it. Both ends shut down
 * for writing: both FINs wait, both ends are in FIN_WAIT1. The FINs'
 * bucket made fast (a datagram kicking it),
 * each FIN reaches an end that has sent its own: both go to CLOSING and
 * stay there, their ACKs held (TCP_INFO and /proc/net/tcp say 11, 0B).
 * Then the ACKs: both ends go to TIME_WAIT (7 for the full socket; 06).
 */
TEST_TIMEOUT(simultaneous_close_goes_through_closing, 60)
{
	const char *program =
		"import socket, subprocess, time\n"
		"FIN_WAIT1, CLOSE, CLOSING = 4, 7, 11\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"def tc(*a):\n"
		"    subprocess.run(('" TC "',) + a, check=True)\n"
		"def state(s):\n"
		"    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]\n"
		"def proc_states(port):\n"
		"    rows = [l.split() for l in open('/proc/net/tcp').readlines()[1:]]\n"
		"    return sorted(r[3] for r in rows if port in\n"
		"                  (int(r[1].split(':')[1], 16), int(r[2].split(':')[1], 16))\n"
		"                  and r[2] != '00000000:0000')\n"
		"def until(want):\n"
		"    for i in range(1000):\n"
		"        if (state(a), state(b)) == (want, want):\n"
		"            return\n"
		"        time.sleep(0.005)\n"
		"    raise SystemExit('not both %d: %d %d' % (want, state(a), state(b)))\n"
		"def bucket(verb, band, rate, burst):\n"
		"    tc('qdisc', verb, 'dev', 'lo', 'parent', '1:%d' % band, 'handle',\n"
		"       '%d:' % (band * 10), 'tbf', 'rate', rate, 'burst', burst,\n"
		"       'limit', '100000')\n"
		"    u.sendto(b'x' * 1400, ('127.0.0.1', 8 + band))\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"a = socket.create_connection(lsn.getsockname())\n"
		"b, _ = lsn.accept()\n"
		"port = a.getsockname()[1]\n"
		"for band in (1, 2):\n"
		"    bucket('add', band, '8bit', '1600')\n"
		"    u.sendto(b'x' * 1400, ('127.0.0.1', 8 + band))\n"
		"a.shutdown(socket.SHUT_WR)\n"
		"b.shutdown(socket.SHUT_WR)\n"
		"assert (state(a), state(b)) == (FIN_WAIT1, FIN_WAIT1)\n"
		"bucket('change', 1, '1gbit', '100000')\n"
		"until(CLOSING)\n"
		"assert proc_states(port) == ['0B', '0B'], proc_states(port)\n"
		"bucket('change', 2, '1gbit', '100000')\n"
		"until(CLOSE)\n"
		"assert proc_states(port) == ['06', '06'], proc_states(port)\n";
	static const char *const setup[] = {
		"qdisc add dev lo root handle 1: htb default 3",
		"class add dev lo parent 1: classid 1:1 htb rate 10gbit",
		"class add dev lo parent 1: classid 1:2 htb rate 10gbit",
		"class add dev lo parent 1: classid 1:3 htb rate 10gbit",
		/* FIN set; only ACK set (offset 33: the flags, no IP options) */
		"filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 6 0xff match u8 0x01 0x01 at 33 flowid 1:1",
		"filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 6 0xff match u8 0x10 0xff at 33 flowid 1:2",
		"filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff match ip dport 9 0xffff flowid 1:1",
		"filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff match ip dport 10 0xffff flowid 1:2",
	};
	const char *closing = "\n    # both sides closed at once: the peer's FIN crossed ours, and this side waits for the ACK of its own FIN\n";
	const char *gone = ": CLOSING -> CLOSE after ";
	const char *tw = "\n    # the kernel hands the connection to a small timewait socket, which stays in TIME_WAIT for 60 s, holding its address and port pair: a connect() from the same port to the same peer fails with EADDRNOTAVAIL, unless TCP timestamps let the kernel tell the new connection's packets from the old one's\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E_PYTHON_NETNS();
	if (access(TC, X_OK))
		SKIP(return, "no " TC);
	for (size_t i = 0; i < ARRAY_SIZE(setup); i++)
		if (system(FMT(TC " %s 2>/dev/null", setup[i])))
			SKIP(return, "tc cannot: %s", setup[i]);
	ASSERT_TRACED(program, NULL, NULL, &out, &err);
	/* a is fd 5, b fd 6 (u 3, the listener 4). */
	for (int fd = 5; fd <= 6; fd++) {
		EXPECT_EQ(1, count_of(out, FMT(" (fd %d): FIN_WAIT1 -> CLOSING after ", fd))) {
			TH_LOG("%s", out);
		}
		EXPECT_EQ(1, count_of(out, FMT(" (fd %d)%s", fd, gone)));
	}
	EXPECT_EQ(2, count_of(out, closing));
	EXPECT_EQ(2, count_of(out, tw));
	/* Each note right under its line. */
	EXPECT_EQ(2, count_of(out, FMT(" in FIN_WAIT1%s", closing)));
	EXPECT_EQ(2, count_of(out, FMT(" in CLOSING%s", tw)));
	free(out);
	free(err);
}

/*
 * Rows 92 and 95: close() with data unread sends RST (TcpOutRsts rises
 * by 1), and both ends go straight from ESTABLISHED to CLOSE
 * (TcpEstabResets by 2): no TIME_WAIT, nothing left in /proc/net/tcp,
 * and the peer's receive fails with ECONNRESET.
 */
TEST_TIMEOUT(reset_ends_the_connection_at_both_ends, 60)
{
	const char *program =
		"import socket, errno, select\n"
		"def tcp_mib():\n"
		"    lines = [l.split() for l in open('/proc/net/snmp') if l.startswith('Tcp:')]\n"
		"    return dict(zip(lines[0][1:], map(int, lines[1][1:])))\n"
		"def rows(port):\n"
		"    return [l for l in open('/proc/net/tcp').readlines()[1:]\n"
		"            if ':%04X ' % port in l]\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"port = cli.getsockname()[1]\n"
		"before = tcp_mib()\n"
		"cli.sendall(b'never read')\n"
		"assert select.select([srv], [], [], 5)[0] == [srv]\n"
		"srv.close()\n"
		"try:\n"
		"    cli.recv(10)\n"
		"    raise SystemExit('no reset')\n"
		"except ConnectionResetError as e:\n"
		"    assert e.errno == errno.ECONNRESET\n"
		"after = tcp_mib()\n"
		"assert after['OutRsts'] - before['OutRsts'] == 1, (before, after)\n"
		"assert after['EstabResets'] - before['EstabResets'] == 2, (before, after)\n"
		"assert rows(port) == [], rows(port)\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(program, NULL, NULL, &out, &err);
	/* srv (fd 5) closes: its kernel sends the reset; cli (fd 4) gets it. */
	EXPECT_EQ(1, count_of(out, " (fd 5): reset sent\n    # the kernel sent a reset (RST): it aborts the connection\n")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, " (fd 4): reset received\n    # a reset (RST) arrived: the peer refuses or aborts this connection\n"));
	for (int fd = 4; fd <= 5; fd++)
		EXPECT_EQ(1, count_of(out, FMT(" (fd %d): ESTABLISHED -> CLOSE after ", fd)));
	EXPECT_EQ(2, count_of(out, " in ESTABLISHED\n    # the connection is gone\n"));
	EXPECT_EQ(0, count_of(out, "stays in TIME_WAIT"));
	free(out);
	free(err);
}

/*
 * Python for the drop tests: mib(PREFIX) is a line pair of /proc/net/snmp
 * as a dict; drops(FILE) sums the drops column of /proc/net/FILE; drain(s)
 * reads what waits in s and says how many; until(cond) waits for cond
 * (up to 10 s).
 */
#define COUNTING							\
	"import time\n"							\
	"def mib(prefix):\n"						\
	"    lines = [l.split() for l in open('/proc/net/snmp') if l.startswith(prefix)]\n" \
	"    return dict(zip(lines[0][1:], map(int, lines[1][1:])))\n"	\
	"def drops(name):\n"						\
	"    rows = [l.split() for l in open('/proc/net/' + name).readlines()[1:]]\n" \
	"    return sum(int(x[-1]) for x in rows)\n"			\
	"def drain(s):\n"						\
	"    n = 0\n"							\
	"    s.setblocking(False)\n"					\
	"    try:\n"							\
	"        while True:\n"						\
	"            s.recv(2000)\n"					\
	"            n += 1\n"						\
	"    except BlockingIOError:\n"					\
	"        return n\n"						\
	"def until(cond):\n"						\
	"    for i in range(2000):\n"					\
	"        if cond():\n"						\
	"            return\n"						\
	"        time.sleep(0.005)\n"					\
	"    raise SystemExit('timed out')\n"

/*
 * Row 98: a ping socket (allowed by ping_group_range, set in the test's
 * namespace) with the smallest receive buffer, sent 20 echo requests
 * before it reads: the replies that find the buffer full are dropped
 * (sock_queue_rcv_skb), and /proc/net/icmp counts them. One note for
 * each drop the kernel counted.
 */
TEST_TIMEOUT(full_receive_queue_drops_what_arrives, 60)
{
	const char *program =
		"import socket, struct\n"
		COUNTING
		"p = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)\n"
		"p.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)\n"
		"for seq in range(20):\n"
		"    echo = struct.pack('!BBHHH', 8, 0, 0, 0, seq) + b'x' * 1000\n"
		"    p.sendto(echo, ('127.0.0.1', 0))\n"
		"until(lambda: mib('Icmp:')['InEchoReps'] == 20)\n"
		"got = 0\n"
		"def all_counted():\n"
		"    global got\n"
		"    got += drain(p)\n"
		"    return got + drops('icmp') == 20\n"
		"until(all_counted)\n"
		"dropped = drops('icmp')\n"
		"assert got >= 1 and dropped >= 1, (got, dropped)\n"
		"print('drops', dropped)\n";
	char *out = NULL, *err = NULL;
	long drops;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/ping_group_range", "0 0\n"));
	ASSERT_TRACED(program, NULL, NULL, &out, &err);
	drops = number_after(out, "drops ");
	ASSERT_LT(0, drops) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(drops, count_of(out, " (fd 3): receive queue full, packet dropped\n    # the receive queue is full: an arriving packet was dropped\n")) {
		TH_LOG("%s", out);
	}
	free(out);
	free(err);
}

#define MEMCG_V1	"/sys/fs/cgroup/memory"

/*
 * Row 99: a memory limit that is not the protocol's. tcp_mem and udp_mem
 * are the host's (not in a namespace's /proc/sys), so the limit is a
 * cgroup's: v1's memory.kmem.tcp.limit_in_bytes (64 KiB), which charges
 * the sockets of every protocol made in the cgroup. A UDP socket there
 * gets 100 datagrams: those that cannot be charged are dropped, counted
 * in /proc/net/udp's drops, not as RcvbufErrors (the buffer had room),
 * and the host's UDP memory (sockstat, in pages) is far below udp_mem.
 * One note for each drop.
 */
TEST_TIMEOUT(cgroup_memory_limit_drops_datagrams, 60)
{
	const char *program =
		"import socket, os, sys\n"
		COUNTING
		"cg, udp_mem = sys.argv[1], int(sys.argv[2].split()[0])\n"
		"open(cg + '/cgroup.procs', 'w').write(str(os.getpid()))\n"
		"r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"r.bind(('127.0.0.1', 0))\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"delivered = mib('Ip:')['InDelivers']\n"
		"for i in range(100):\n"
		"    s.sendto(b'x' * 1000, r.getsockname())\n"
		"until(lambda: mib('Ip:')['InDelivers'] - delivered == 100)\n"
		"got = 0\n"
		"def all_counted():\n"
		"    global got\n"
		"    got += drain(r)\n"
		"    return got + drops('udp') == 100\n"
		"until(all_counted)\n"
		"dropped = drops('udp')\n"
		"pages = [l.split() for l in open('/proc/net/sockstat') if l.startswith('UDP:')][0]\n"
		"assert 0 < got < 100, (got, dropped)\n"
		"assert mib('Udp:')['RcvbufErrors'] == 0, mib('Udp:')\n"
		"assert int(pages[pages.index('mem') + 1]) < udp_mem, (pages, udp_mem)\n"
		"print('drops', dropped)\n";
	char cg[96], *udp_mem, *out = NULL, *err = NULL;
	long drops;
	int status;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	if (access(MEMCG_V1 "/memory.kmem.tcp.limit_in_bytes", W_OK))
		SKIP(return, "no cgroup v1 memory.kmem.tcp limit here");
	/* The host's: a fresh namespace has no udp_mem. */
	udp_mem = slurp("/proc/sys/net/ipv4/udp_mem");
	ENTER_NETNS();
	snprintf(cg, sizeof(cg), MEMCG_V1 "/sockscope-claims-%d", getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	ASSERT_EQ(0, spill(FMT("%s/memory.kmem.tcp.limit_in_bytes", cg), "65536\n"));
	status = trace_python_args(program, cg, udp_mem, &out, &err);
	rmdir(cg);
	ASSERT_EQ(0, status) {
		TH_LOG("%s\n%s", out, err);
	}
	drops = number_after(out, "drops ");
	ASSERT_LT(0, drops);
	EXPECT_EQ(drops, count_of(out, " (fd 3): memory limit reached\n    # a datagram for this socket was dropped: UDP's memory limit (net.ipv4.udp_mem, or the cgroup's) was reached\n")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, count_of(out, "its receive buffer was full"));
	free(udp_mem);
	free(out);
	free(err);
}

/*
 * Rows 100, 101, 104, 107: poll's revents, and what the notes make of
 * them, against what the kernel says next. A TCP socket never connected
 * polls as hung up (it has no peer: ENOTCONN); a refused non-blocking
 * connect has POLLERR, and SO_ERROR says ECONNREFUSED, once; bytes that
 * came are in the receive queue (FIONREAD); an urgent byte alone gives
 * POLLPRI, and recv(MSG_OOB) reads it; after both FINs, POLLHUP, and the
 * socket reads end of stream and may not send (EPIPE).
 */
TEST_TIMEOUT(poll_notes_say_what_the_kernel_reports, 60)
{
	const char *program =
		"import socket, select, errno, fcntl, termios, struct\n"
		"def inq(s):\n"
		"    return struct.unpack('i', fcntl.ioctl(s.fileno(), termios.FIONREAD, b'\\0' * 4))[0]\n"
		"def revents(s, events):\n"
		"    p = select.poll()\n"
		"    p.register(s, events)\n"
		"    r = p.poll(1000)\n"
		"    assert len(r) == 1, r\n"
		"    return r[0][1]\n"
		"fresh = socket.socket()\n"
		"assert revents(fresh, select.POLLOUT) == select.POLLOUT | select.POLLHUP\n"
		"try:\n"
		"    fresh.getpeername()\n"
		"    raise SystemExit('a peer')\n"
		"except OSError as e:\n"
		"    assert e.errno == errno.ENOTCONN\n"
		"closed = socket.socket()\n"
		"closed.bind(('127.0.0.1', 0))\n"
		"c = socket.socket()\n"
		"c.setblocking(False)\n"
		"assert c.connect_ex(closed.getsockname()) == errno.EINPROGRESS\n"
		"assert revents(c, select.POLLOUT) & select.POLLERR\n"
		"assert c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ECONNREFUSED\n"
		"assert c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"a = socket.create_connection(lsn.getsockname())\n"
		"b, _ = lsn.accept()\n"
		"a.send(b'hello')\n"
		"assert revents(b, select.POLLIN) == select.POLLIN\n"
		"assert inq(b) == 5 and b.recv(10) == b'hello'\n"
		"a.send(b'!', socket.MSG_OOB)\n"
		"assert revents(b, select.POLLIN | select.POLLPRI) == select.POLLPRI\n"
		"assert b.recv(1, socket.MSG_OOB) == b'!'\n"
		"a.shutdown(socket.SHUT_WR)\n"
		"assert b.recv(10) == b''\n"
		"b.shutdown(socket.SHUT_WR)\n"
		"assert revents(a, select.POLLIN) & select.POLLHUP\n"
		"assert a.recv(10) == b''\n"
		"try:\n"
		"    a.send(b'x')\n"
		"    raise SystemExit('sent')\n"
		"except BrokenPipeError:\n"
		"    pass\n";
	static const char *const notes[] = {
		"([{fd=3, revents=POLLOUT|POLLHUP}])\n    # fd 3 hung up: it is not connected (TCP says so of a socket with no connection)\n",
		"([{fd=5, revents=POLLOUT|POLLERR|POLLHUP}])\n    # fd 5 has an error waiting (SO_ERROR says which)\n",
		"([{fd=8, revents=POLLIN}])\n    # fd 8 is readable: bytes arrived in its receive queue\n",
		"([{fd=8, revents=POLLPRI}])\n    # fd 8 has urgent data (MSG_OOB)\n",
		"([{fd=7, revents=POLLIN|POLLHUP}])\n    # fd 7 hung up: the connection is closed both ways\n",
	};
	char *out = NULL, *err = NULL;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(program, NULL, NULL, &out, &err);
	expect_each_once(out, notes, ARRAY_SIZE(notes));
	EXPECT_EQ(5, count_of(out, "] poll("));
	free(out);
	free(err);
}

/*
 * Rows 108, 109: epoll_ctl ADD, level- and edge-triggered, tried. Before
 * a byte comes, neither instance reports the socket; the one waiting for
 * writable reports its connected socket at once. A byte comes: both
 * report it. Still unread (no change): the level-triggered one reports
 * it again, the EPOLLET one does not; a second byte (a change): it does.
 */
TEST_TIMEOUT(epoll_reports_readable_and_edges_once, 60)
{
	const char *program =
		"import socket, select\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"a = socket.create_connection(lsn.getsockname())\n"
		"b, _ = lsn.accept()\n"
		"level, edge, out = select.epoll(), select.epoll(), select.epoll()\n"
		"level.register(b, select.EPOLLIN)\n"
		"edge.register(b, select.EPOLLIN | select.EPOLLET)\n"
		"out.register(a, select.EPOLLOUT)\n"
		"IN = [(b.fileno(), select.EPOLLIN)]\n"
		"assert level.poll(0) == [] and edge.poll(0) == []\n"
		"assert out.poll(0) == [(a.fileno(), select.EPOLLOUT)]\n"
		"a.send(b'x')\n"
		"assert level.poll(1) == IN and edge.poll(1) == IN\n"
		"assert level.poll(0) == IN and edge.poll(0) == []\n"
		"a.send(b'y')\n"
		"assert edge.poll(1) == IN\n"
		"assert b.recv(10) == b'xy'\n";
	/* a is fd 4, b fd 5; the instances level 6, edge 7, out 8. */
	static const char *const notes[] = {
		") = 0\n    # fd 5 joins epoll fd 6's interest list: epoll_wait() reports it when it is readable\n",
		") = 0\n    # fd 5 joins epoll fd 7's interest list: epoll_wait() reports it when it is readable (EPOLLET: once per change, not while it stays so)\n",
		") = 0\n    # fd 4 joins epoll fd 8's interest list: epoll_wait() reports it when it is writable\n",
	};
	const char *timeout = "\n    # the timeout ran out: nothing it waits for became ready\n";
	const char *readable = "\n    # fd 5 is readable: bytes arrived in its receive queue\n";
	char *out = NULL, *err = NULL;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(program, NULL, NULL, &out, &err);
	expect_each_once(out, notes, ARRAY_SIZE(notes));
	EXPECT_EQ(1, count_of(out, FMT("epoll_wait(6, [], 1023, 0) = 0%s", timeout)));
	EXPECT_EQ(2, count_of(out, FMT("epoll_wait(7, [], 1023, 0) = 0%s", timeout)));
	EXPECT_EQ(1, count_of(out, "}}], 1023, 0) = 1\n    # fd 4 is writable: its send buffer has room\n"));
	EXPECT_EQ(3, count_of(out, FMT("}}], 1023, 1000) = 1%s", readable)));
	EXPECT_EQ(2, count_of(out, FMT("epoll_wait(7, [{events=EPOLLIN, data={u32=5, u64=")));
	EXPECT_EQ(2, count_of(out, FMT("epoll_wait(6, [{events=EPOLLIN, data={u32=5, u64=")));
	EXPECT_EQ(4, count_of(out, readable));
	free(out);
	free(err);
}

/*
 * Row 111: the program registered its listener with epoll_ctl before
 * sockscope started (-p PID), with data that is not the descriptor; each
 * epoll_wait returns that data (the program checks), and the notes say
 * so: the first wait also began before tracing, the second did not.
 */
TEST_TIMEOUT(epoll_data_registered_before_tracing, 60)
{
	const char *program =
		"import socket, ctypes\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"class Event(ctypes.Structure):\n"
		"    _pack_ = 1\n"
		"    _fields_ = [('events', ctypes.c_uint32), ('data', ctypes.c_uint64)]\n"
		"DATA = 0x5eed0000abcd\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"ep = libc.epoll_create1(0)\n"
		"assert libc.epoll_ctl(ep, 1, lsn.fileno(), ctypes.byref(Event(1, DATA))) == 0\n"
		"print('port', lsn.getsockname()[1], flush=True)\n"
		"for i in range(2):\n"
		"    got = Event()\n"
		"    assert libc.epoll_wait(ep, ctypes.byref(got), 1, -1) == 1\n"
		"    assert (got.events, got.data) == (1, DATA), (got.events, got.data)\n"
		"    lsn.accept()[0].close()\n";
	char *argv[] = { PYTHON3, "-c", (char *)program, NULL };
	struct sockaddr_in addr;
	char pid[16], *opts[] = { "-p", pid, NULL };
	struct proc prog = {}, tracer = {};
	const char *line_end = "[{events=EPOLLIN, data={u32=43981, u64=104372000304077}}], 1, -1) = 1\n    # ";
	const char *ready = "1 ready whose epoll_ctl() came before tracing: each event's data is what the program registered with it, usually its descriptor\n";
	char *out = NULL;
	int cli[2];

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_EQ(0, proc_spawn_epoll_server(&prog, argv, &addr));
	snprintf(pid, sizeof(pid), "%d", prog.pid);
	ASSERT_EQ(0, tracer_start(&tracer, opts));
	for (int i = 0; i < 2; i++) {
		cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(cli[i], (struct sockaddr *)&addr,
				     sizeof(addr)));
	}
	EXPECT_EQ(0, proc_wait(&prog, 5000));
	close(cli[0]);
	close(cli[1]);
	ASSERT_EQ(0, tracer_stop(&tracer, &out));
	EXPECT_EQ(2, count_of(out, FMT("%s", line_end))) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, FMT("%sthis wait began before tracing did (its arguments are the ones it entered with); %s", line_end, ready)));
	EXPECT_EQ(1, count_of(out, FMT("%s%s", line_end, ready)));
	free(out);
	proc_cleanup(&prog);
	proc_cleanup(&tracer);
}

TEST_HARNESS_MAIN
