// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The claims of the notes on naming, connecting and shutting down
 * (docs/claims.md rows 14, 24-26, 35, 37-39, 41, 65, 73, 77, 77.2), each
 * provoked: a Unix socket is reached by its path or abstract name; a UDP
 * datagram reaches the socket bound to its port, and one bound to the
 * any-address gets it on every address of the namespace; an IPv6
 * listener takes an IPv4 client as ::ffff:a.b.c.d unless IPV6_V6ONLY;
 * a non-blocking connect stays in SYN_SENT until poll() says writable
 * and SO_ERROR tells the end; a SYN nobody answers ends in ETIMEDOUT
 * after retransmits (TcpExt counters); no route is ENETUNREACH and an
 * unreachable route EHOSTUNREACH; an ICMP port unreachable for a SYN is
 * ECONNREFUSED with no reset, host unreachable or administratively
 * prohibited EHOSTUNREACH, and a prohibit route EACCES; a UDP connect
 * sends nothing (Udp/Ip counters); SHUT_RDWR as TCP, UDP and Unix do it;
 * a socketpair's two ends. Needs root and BTF.
 *
 * Each test runs "sockscope -- python3 -c PROGRAM" in a fresh network
 * namespace: the program asserts what the kernel did, the test the exact
 * note lines. Unanswered SYNs go out of a veth, v0 (192.0.2.1/24), to
 * 192.0.2.2, a permanent neighbour whose MAC nobody has: v1, the other
 * end, drops them. Nothing leaves the namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/files.h"
#include "lib/fmt.h"
#include "lib/netns.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define IP		"/usr/sbin/ip"

/* Root, BTF and python3, and a fresh network namespace to run in. */
#define REQUIRE_E2E_IN_NETNS() do {				\
	REQUIRE_E2E();						\
	REQUIRE_PYTHON3();					\
	ENTER_NETNS();						\
} while (0)

#define REQUIRE_IP() do {					\
	if (access(IP, X_OK))					\
		SKIP(return, "no " IP);				\
} while (0)

/*
 * sockscope OPTS -- python3 -c PROGRAM, which must exit 0 (the program
 * asserts what the kernel did): the trace and what the program printed
 * (malloc'd).
 */
static char *traced(char *const opts[], const char *program)
{
	char *out = NULL, *err = NULL;

	ASSERT_EQ(0, trace_python(opts, program, &out, &err)) {
		TH_LOG("%s\n%s", out, err);
	}
	free(err);
	return out;
}

/* Runs an ip(8) command line in this namespace: its exit status. */
static int ip(const char *args)
{
	return system(FMT(IP " %s >/dev/null", args));
}

/*
 * v0 (192.0.2.1/24) and v1 up, 192.0.2.2 a permanent neighbour on v0
 * with a MAC no interface has: what is sent to it reaches v1, which
 * drops it (not its MAC, and it forwards nothing). 0 when all went.
 */
static int veth_with_silent_peer(void)
{
	return ip("link add v0 type veth peer name v1") ||
	       ip("link set v0 up") || ip("link set v1 up") ||
	       ip("addr add 192.0.2.1/24 dev v0") ||
	       ip("neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent");
}

/* Python: the counters of /proc/net/snmp or /proc/net/netstat. */
#define PY_COUNTERS							\
	"def counters(path, proto):\n"					\
	"    rows = [l.split() for l in open(path)\n"			\
	"            if l.startswith(proto + ':')]\n"			\
	"    return dict(zip(rows[0][1:], map(int, rows[1][1:])))\n"

/* How many times each want[i] is in out: 1 each; logs out when not. */
static bool each_once(const char *out, const char *const want[], size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		if (count_of(out, want[i]) == 1)
			continue;
		TH_LOG("wanted once (seen %d):\n%s", count_of(out, want[i]),
		       want[i]);
		ok = false;
	}
	if (!ok)
		TH_LOG("the trace:\n%s", out);
	return ok;
}

#define EXPECT_EACH_ONCE(out, want) \
	EXPECT_TRUE(each_once(out, want, ARRAY_SIZE(want)))

/*
 * How many times line (a call and its note, without the final '\n') is
 * in out, ended by '\n' or by the clause that says state changes fell
 * inside the call, which is a matter of timing.
 */
static int count_call(const char *out, const char *line)
{
	return count_of(out, FMT("%s\n", line)) +
	       count_of(out, FMT("%s; the state changes just above happened during this call\n",
				 line));
}

/*
 * Rows 14 and 26: a Unix socket bound to a path makes a socket file
 * there, and another socket connects by that path; one bound to an
 * abstract name makes no file, and a datagram sent to the name arrives.
 */
TEST_TIMEOUT(unix_sockets_are_reached_by_their_path_or_abstract_name, 60)
{
	char *opts[] = { "-e", "socket,bind", NULL };
	struct scratch s;
	char *out;

	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, scratch_make(&s));
	const char *program = FMT(
		"import socket, os, stat\n"
		"path = '%s'\n"
		"s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen()\n"
		"assert stat.S_ISSOCK(os.stat(path).st_mode)\n"
		"c = socket.socket(socket.AF_UNIX); c.connect(path)\n"
		"a, _ = s.accept(); c.send(b'by path')\n"
		"assert a.recv(100) == b'by path'\n"
		"t = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
		"t.bind('\\0sockscope-claims')\n"
		"assert t.getsockname() == b'\\0sockscope-claims'\n"
		"assert not os.path.exists('sockscope-claims')\n"
		"u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
		"u.sendto(b'by name', '\\0sockscope-claims')\n"
		"assert t.recv(100) == b'by name'\n"
		"os.unlink(path)\n", s.path[0]);
	const char *want[] = {
		"] socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3\n    # fd 3 is a new Unix stream socket (local to this machine: named by a path, or by an abstract name, not by an IP address and port)\n",
		FMT("] bind(3, {AF_UNIX, \"%s\"}, %zu) = 0\n    # fd 3 now has a name others can reach it by\n",
		    s.path[0], strlen(s.path[0]) + 3),
		"] socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC, 0) = 6\n    # fd 6 is a new Unix datagram socket (local to this machine: named by a path, or by an abstract name, not by an IP address and port)\n",
		"] bind(6, {AF_UNIX, @\"sockscope-claims\"}, 19) = 0\n    # fd 6 now has a name others can reach it by\n",
	};

	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, want);
	EXPECT_EQ(4, count_of(out, "(local to this machine: named by a path, or by an abstract name, not by an IP address and port)\n"));
	scratch_remove(&s);
	free(out);
}

/*
 * Rows 24 and 25: a datagram to 127.0.0.1:45100 reaches the socket bound
 * there; a socket bound to 0.0.0.0:45102 receives what is sent to
 * 127.0.0.1 and to 198.51.100.1, a second address of the namespace (on
 * lo); a datagram to 198.51.100.1:45100 finds no socket (the one on
 * 127.0.0.1 does not take it): the kernel answers ICMP port unreachable,
 * which the connected sender reads as ECONNREFUSED.
 */
TEST_TIMEOUT(udp_port_and_any_address_deliver_to_the_bound_socket, 60)
{
	char *opts[] = { "-e", "bind", NULL };
	const char *program =
		"import socket\n"
		"def udp():\n"
		"    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"    s.settimeout(10)\n"
		"    return s\n"
		"r = udp(); r.bind(('127.0.0.1', 45100))\n"
		"a = udp(); a.bind(('0.0.0.0', 45102))\n"
		"s = udp()\n"
		"s.sendto(b'to 45100', ('127.0.0.1', 45100))\n"
		"s.sendto(b'via 127.0.0.1', ('127.0.0.1', 45102))\n"
		"s.sendto(b'via 198.51.100.1', ('198.51.100.1', 45102))\n"
		"assert r.recv(100) == b'to 45100'\n"
		"got = sorted([a.recv(100), a.recv(100)])\n"
		"assert got == [b'via 127.0.0.1', b'via 198.51.100.1'], got\n"
		"q = udp(); q.connect(('198.51.100.1', 45100))\n"
		"q.send(b'not for r')\n"
		"try:\n"
		"    q.recv(100); raise SystemExit('an answer')\n"
		"except ConnectionRefusedError:\n"
		"    pass\n";
	const char *want[] = {
		"] bind(3, {AF_INET, 127.0.0.1:45100}, 16) = 0\n    # fd 3 (UDP) now owns 127.0.0.1:45100: the IP address names the host, UDP port 45100 names this process\n",
		"] bind(4, {AF_INET, 0.0.0.0:45102}, 16) = 0\n    # fd 4 (UDP) now owns 0.0.0.0:45102: the IP address names the host, UDP port 45102 names this process; the any-address means every address of this host\n",
	};
	char *out;

	REQUIRE_IP();
	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, ip("addr add 198.51.100.1/32 dev lo"));
	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, want);
	free(out);
}

/*
 * Rows 35 and 73: an IPv6 listener with IPV6_V6ONLY 1 refuses an IPv4
 * client (ECONNREFUSED); with 0 it accepts one, whose address accept()
 * gives as ::ffff:127.0.0.1.
 */
TEST_TIMEOUT(ipv6_listener_takes_ipv4_as_mapped_unless_v6only, 60)
{
	char *opts[] = { "-e", "setsockopt,accept,accept4", NULL };
	const char *program =
		"import socket\n"
		"def listener(v6only, port):\n"
		"    s = socket.socket(socket.AF_INET6)\n"
		"    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)\n"
		"    s.bind(('::', port)); s.listen()\n"
		"    return s\n"
		"only = listener(1, 45200)\n"
		"try:\n"
		"    socket.create_connection(('127.0.0.1', 45200))\n"
		"    raise SystemExit('an IPv4 client got in')\n"
		"except ConnectionRefusedError:\n"
		"    pass\n"
		"both = listener(0, 45201)\n"
		"c = socket.create_connection(('127.0.0.1', 45201))\n"
		"a, peer = both.accept()\n"
		"assert peer[:2] == ('::ffff:127.0.0.1', c.getsockname()[1]), peer\n"
		"print('client port', peer[1])\n";
	const char *opt_notes[] = {
		"] setsockopt(3, SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0\n    # IPV6_V6ONLY: this IPv6 socket does not take IPv4 connections\n",
		"] setsockopt(4, SOL_IPV6, IPV6_V6ONLY, [0], 4) = 0\n    # IPV6_V6ONLY 0: this IPv6 socket takes IPv4 connections too (their addresses show as ::ffff:a.b.c.d)\n",
	};
	char *out;
	long port;

	REQUIRE_E2E_IN_NETNS();
	if (!ipv6_loopback_available())
		SKIP(return, "no IPv6 loopback");
	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, opt_notes);
	port = number_after(out, "client port ");
	ASSERT_LT(0, port);
	EXPECT_EQ(1, count_of(out, FMT("] accept4(4, {AF_INET6, [::ffff:127.0.0.1]:%ld}, [28], SOCK_CLOEXEC) = 6\n    # a new connection from [::ffff:127.0.0.1]:%ld: fd 6 is a new socket for this one conversation; fd 4 keeps listening; an IPv4 client on an IPv6 socket shows as ::ffff:a.b.c.d\n",
				       port, port))) {
		TH_LOG("%s", out);
	}
	free(out);
}

/*
 * Row 37: a non-blocking connect returns EINPROGRESS with the socket in
 * SYN_SENT; unanswered, poll() does not say writable; on loopback poll()
 * says writable once it is over, and SO_ERROR gives 0 for a listener and
 * ECONNREFUSED for a closed port.
 */
TEST_TIMEOUT(nonblocking_connect_ends_when_poll_says_writable, 60)
{
	char *opts[] = { "-e", "connect", NULL };
	const char *program =
		"import socket, select, errno\n"
		"def state(s):\n"
		"    port = s.getsockname()[1]\n"
		"    rows = [l.split() for l in open('/proc/net/tcp').readlines()[1:]]\n"
		"    return [r[3] for r in rows if int(r[1].split(':')[1], 16) == port]\n"
		"def start(addr):\n"
		"    s = socket.socket(); s.setblocking(False)\n"
		"    assert s.connect_ex(addr) == errno.EINPROGRESS\n"
		"    return s\n"
		"def result(s):\n"
		"    p = select.poll(); p.register(s, select.POLLOUT)\n"
		"    assert p.poll(10000)\n"
		"    return s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)\n"
		"c = start(('192.0.2.2', 7))\n"
		"assert state(c) == ['02']\n"
		"p = select.poll(); p.register(c, select.POLLOUT)\n"
		"assert p.poll(0) == []\n"
		"c.close()\n"
		"lsn = socket.create_server(('127.0.0.1', 45300))\n"
		"assert result(start(('127.0.0.1', 45300))) == 0\n"
		"assert result(start(('127.0.0.1', 45301))) == errno.ECONNREFUSED\n";
	const char *note = "\n    # non-blocking: the handshake goes on without waiting; poll() for writing, then read SO_ERROR";
	char *out;

	REQUIRE_IP();
	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, veth_with_silent_peer());
	out = traced(opts, program);
	EXPECT_EQ(3, count_call(out, FMT(") = -1 EINPROGRESS (Operation now in progress)%s", note))) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(1, count_of(out, "] connect(3, {AF_INET, 192.0.2.2:7}, 16) = -1 EINPROGRESS"));
	EXPECT_EQ(1, count_of(out, "127.0.0.1:45300}, 16) = -1 EINPROGRESS"));
	EXPECT_EQ(1, count_of(out, "127.0.0.1:45301}, 16) = -1 EINPROGRESS"));
	free(out);
}

/*
 * Row 38: a blocking connect whose SYNs v1 drops, with
 * net.ipv4.tcp_syn_retries 1 in the namespace, fails with ETIMEDOUT in a
 * few seconds: the kernel resent the SYN (TcpExtTCPSynRetrans) and gave
 * up on the timer (TcpExtTCPAbortOnTimeout); sockscope shows each resend.
 */
TEST_TIMEOUT(unanswered_syn_times_out_after_retransmits, 60)
{
	char *opts[] = { "-e", "connect", NULL };
	const char *program =
		"import socket, errno\n"
		PY_COUNTERS
		"before = counters('/proc/net/netstat', 'TcpExt')\n"
		"c = socket.socket()\n"
		"try:\n"
		"    c.connect(('192.0.2.2', 7))\n"
		"    raise SystemExit('connected')\n"
		"except TimeoutError as e:\n"
		"    assert e.errno == errno.ETIMEDOUT\n"
		"after = counters('/proc/net/netstat', 'TcpExt')\n"
		"d = {k: after[k] - before[k] for k in after}\n"
		"assert d['TCPSynRetrans'] >= 1 and d['TCPAbortOnTimeout'] == 1, d\n"
		"print('syn retransmits', d['TCPSynRetrans'])\n";
	char *out;
	long resent;

	REQUIRE_IP();
	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, veth_with_silent_peer());
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/tcp_syn_retries", "1\n"));
	out = traced(opts, program);
	EXPECT_EQ(1, count_call(out, "] connect(3, {AF_INET, 192.0.2.2:7}, 16) = -1 ETIMEDOUT (Connection timed out)\n    # no answer to the SYN, even after retransmits")) {
		TH_LOG("%s", out);
	}
	resent = number_after(out, "syn retransmits ");
	ASSERT_LE(1, resent);
	EXPECT_EQ(resent, count_of(out, "\n    # a segment was not acknowledged in time, so the kernel sent it again: TCP retransmits lost data\n")) {
		TH_LOG("%s", out);
	}
	free(out);
}

/*
 * Rows 39 and 39.1: in a namespace with only lo, a connect to 192.0.2.9
 * has no route (ENETUNREACH); one to 198.51.100.1 under an unreachable
 * route fails with EHOSTUNREACH (an ICMP host unreachable does too: the
 * next test); one under a prohibit route with EACCES, and so does a UDP
 * connect to a broadcast address until SO_BROADCAST is on.
 */
TEST_TIMEOUT(no_route_and_unreachable_route_fail_the_connect, 60)
{
	char *opts[] = { "-e", "connect", NULL };
	const char *program =
		"import socket, errno\n"
		"def fails(addr, want):\n"
		"    try:\n"
		"        socket.socket().connect(addr)\n"
		"    except OSError as e:\n"
		"        assert e.errno == want, e\n"
		"        return\n"
		"    raise SystemExit('connected')\n"
		"fails(('192.0.2.9', 7), errno.ENETUNREACH)\n"
		"fails(('198.51.100.1', 7), errno.EHOSTUNREACH)\n"
		"fails(('203.0.113.5', 7), errno.EACCES)\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"try:\n"
		"    u.connect(('10.199.8.255', 9)); raise SystemExit('connected')\n"
		"except PermissionError:\n"
		"    pass\n"
		"u.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)\n"
		"u.connect(('10.199.8.255', 9))\n";
	const char *want[] = {
		"] connect(3, {AF_INET, 192.0.2.9:7}, 16) = -1 ENETUNREACH (Network is unreachable)\n    # no route to that address: the routing table has none for it\n",
		"] connect(3, {AF_INET, 198.51.100.1:7}, 16) = -1 EHOSTUNREACH (No route to host)\n    # that host cannot be reached: a route marks it unreachable, or a router said so (ICMP)\n",
		"] connect(3, {AF_INET, 203.0.113.5:7}, 16) = -1 EACCES (Permission denied)\n    # not allowed: a route prohibits that address, it is a broadcast address and SO_BROADCAST is off, or a security policy refused it\n",
		"] connect(3, {AF_INET, 10.199.8.255:9}, 16) = -1 EACCES (Permission denied)\n    # not allowed: a route prohibits that address, it is a broadcast address and SO_BROADCAST is off, or a security policy refused it\n",
		"] connect(3, {AF_INET, 10.199.8.255:9}, 16) = 0\n",
	};
	char *out;

	REQUIRE_IP();
	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, ip("route add unreachable 198.51.100.0/24"));
	ASSERT_EQ(0, ip("route add prohibit 203.0.113.0/24"));
	ASSERT_EQ(0, ip("addr add 10.199.8.1/24 brd + dev lo"));
	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, want);
	free(out);
}

/*
 * Row 77.2 (and 39's ICMP): a "router", a thread on v1, answers each SYN
 * to 192.0.2.2 with an ICMP destination unreachable from 192.0.2.254.
 * Port unreachable (code 3) makes connect() fail with ECONNREFUSED with
 * no TCP segment received (Tcp InSegs still, Icmp InDestUnreachs + 1):
 * no reset; host unreachable (1) and administratively prohibited (13)
 * give EHOSTUNREACH. A prohibit route is not a refusal: EACCES.
 */
TEST_TIMEOUT(icmp_unreachable_for_a_syn_fails_the_connect, 60)
{
	char *opts[] = { "-e", "connect", NULL };
	const char *program =
		"import socket, struct, threading, errno\n"
		PY_COUNTERS
		"def csum(b):\n"
		"    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))\n"
		"    s = (s >> 16) + (s & 0xffff)\n"
		"    return ~(s + (s >> 16)) & 0xffff\n"
		"def with_csum(b, at):\n"
		"    return b[:at] + struct.pack('!H', csum(b)) + b[at + 2:]\n"
		"def router(tap, code):\n"
		"    while True:\n"
		"        f = tap.recv(2048)\n"
		"        if f[23] == 6 and f[47] & 0x02:\n"
		"            break\n"
		"    icmp = with_csum(struct.pack('!BBHI', 3, code, 0, 0) + f[14:42], 2)\n"
		"    ip = with_csum(struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp),\n"
		"                   0, 0, 64, 1, 0, socket.inet_aton('192.0.2.254'),\n"
		"                   socket.inet_aton('192.0.2.1')), 10)\n"
		"    tap.send(f[6:12] + f[0:6] + b'\\x08\\x00' + ip + icmp)\n"
		"    tap.close()\n"
		"def refused(code, want):\n"
		"    tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))\n"
		"    tap.bind(('v1', 0x0800))\n"
		"    r = threading.Thread(target=router, args=(tap, code)); r.start()\n"
		"    tcp, icmp = counters('/proc/net/snmp', 'Tcp'), counters('/proc/net/snmp', 'Icmp')\n"
		"    try:\n"
		"        socket.socket().connect(('192.0.2.2', 7))\n"
		"        raise SystemExit('connected')\n"
		"    except OSError as e:\n"
		"        assert e.errno == want, (code, e)\n"
		"    r.join()\n"
		"    assert counters('/proc/net/snmp', 'Tcp')['InSegs'] == tcp['InSegs']\n"
		"    assert counters('/proc/net/snmp', 'Icmp')['InDestUnreachs'] == icmp['InDestUnreachs'] + 1\n"
		"refused(3, errno.ECONNREFUSED)\n"
		"refused(1, errno.EHOSTUNREACH)\n"
		"refused(13, errno.EHOSTUNREACH)\n"
		"try:\n"
		"    socket.socket().connect(('198.51.100.1', 7))\n"
		"    raise SystemExit('connected')\n"
		"except PermissionError as e:\n"
		"    assert e.errno == errno.EACCES\n";
	char *out;

	REQUIRE_IP();
	REQUIRE_E2E_IN_NETNS();
	ASSERT_EQ(0, veth_with_silent_peer());
	ASSERT_EQ(0, ip("route add prohibit 198.51.100.0/24"));
	/* A failed router gives up in 7 s, not two minutes. */
	ASSERT_EQ(0, spill("/proc/sys/net/ipv4/tcp_syn_retries", "2\n"));
	out = traced(opts, program);
	EXPECT_EQ(1, count_call(out, "] connect(4, {AF_INET, 192.0.2.2:7}, 16) = -1 ECONNREFUSED (Connection refused)\n    # refused: the peer's kernel answered the SYN with a reset (RST), or a router said the port is unreachable (ICMP)")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, count_of(out, "reset (RST) arrived"));
	EXPECT_EQ(2, count_call(out, "] connect(4, {AF_INET, 192.0.2.2:7}, 16) = -1 EHOSTUNREACH (No route to host)\n    # that host cannot be reached: a route marks it unreachable, or a router said so (ICMP)"));
	EXPECT_EQ(1, count_of(out, "] connect(3, {AF_INET, 198.51.100.1:7}, 16) = -1 EACCES (Permission denied)\n"));
	free(out);
}

/*
 * Row 41: connect() on a UDP socket moves neither Udp OutDatagrams nor
 * Ip OutRequests, to a port nobody listens on as to one a socket has; a
 * send() after it goes to the fixed peer, which sees it come from this
 * socket's address, and moves each counter by one.
 */
TEST_TIMEOUT(udp_connect_sends_nothing, 60)
{
	char *opts[] = { "-e", "connect", NULL };
	const char *program =
		"import socket\n"
		PY_COUNTERS
		"def sent():\n"
		"    return (counters('/proc/net/snmp', 'Udp')['OutDatagrams'],\n"
		"            counters('/proc/net/snmp', 'Ip')['OutRequests'])\n"
		"r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"r.bind(('127.0.0.1', 45400))\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"s.bind(('127.0.0.1', 45401))\n"
		"before = sent()\n"
		"s.connect(('127.0.0.1', 45402))\n"
		"s.connect(('127.0.0.1', 45400))\n"
		"assert sent() == before, (before, sent())\n"
		"s.send(b'to the fixed peer')\n"
		"assert sent() == (before[0] + 1, before[1] + 1)\n"
		"assert r.recvfrom(100) == (b'to the fixed peer', ('127.0.0.1', 45401))\n";
	const char *want[] = {
		"] connect(4, {AF_INET, 127.0.0.1:45402}, 16) = 0\n    # UDP connect sends nothing: it only fixes the peer to 127.0.0.1:45402\n",
		"] connect(4, {AF_INET, 127.0.0.1:45400}, 16) = 0\n    # UDP connect sends nothing: it only fixes the peer to 127.0.0.1:45400\n",
	};
	char *out;

	REQUIRE_E2E_IN_NETNS();
	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, want);
	free(out);
}

/*
 * Row 65: shutdown(SHUT_RDWR), tried on each kind. TCP: the peer reads
 * end of stream (FIN), a send fails with EPIPE, what was queued is still
 * read, then 0; data the peer sends later gets a reset
 * (TcpExtTCPAbortOnData + 1, ECONNRESET). UDP: a send fails with EPIPE;
 * what was queued and what comes later is read. Unix: queued data, then
 * 0; the peer's send fails with EPIPE. Each descriptor is still open
 * (fstat) until close().
 */
TEST_TIMEOUT(shutdown_rdwr_does_what_each_kind_does, 60)
{
	char *opts[] = { "-e", "shutdown", NULL };
	const char *program =
		"import socket, errno, os, select\n"
		PY_COUNTERS
		"def readable(s):\n"
		"    assert select.select([s], [], [], 10)[0]\n"
		"def epipe(s):\n"
		"    try:\n"
		"        s.send(b'x')\n"
		"    except BrokenPipeError:\n"
		"        return True\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.send(b'queued'); readable(srv)\n"
		"srv.shutdown(socket.SHUT_RDWR)\n"
		"assert cli.recv(100) == b''\n"
		"assert epipe(srv)\n"
		"assert srv.recv(100) == b'queued' and srv.recv(100) == b''\n"
		"aborts = counters('/proc/net/netstat', 'TcpExt')['TCPAbortOnData']\n"
		"cli.send(b'later'); readable(srv)\n"
		"try:\n"
		"    srv.recv(100); raise SystemExit('no reset')\n"
		"except ConnectionResetError:\n"
		"    pass\n"
		"assert counters('/proc/net/netstat', 'TcpExt')['TCPAbortOnData'] == aborts + 1\n"
		"os.fstat(srv.fileno())\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(('127.0.0.1', 0))\n"
		"u.connect(v.getsockname()); v.connect(u.getsockname())\n"
		"v.send(b'queued'); readable(u)\n"
		"u.shutdown(socket.SHUT_RDWR)\n"
		"assert epipe(u)\n"
		"assert u.recv(100) == b'queued'\n"
		"v.send(b'later')\n"
		"assert u.recv(100) == b'later'\n"
		"os.fstat(u.fileno())\n"
		"a, b = socket.socketpair()\n"
		"b.send(b'queued'); a.shutdown(socket.SHUT_RDWR)\n"
		"assert a.recv(100) == b'queued' and a.recv(100) == b''\n"
		"assert epipe(b) and b.recv(100) == b''\n"
		"os.fstat(a.fileno())\n";
	/* TCP's: the FIN it sends may change the state during the call,
	 * which its note then says after these words. */
	const char *want[] = {
		", SHUT_RDWR) = 0\n    # no more sending or receiving: the kernel sends FIN and a send fails with EPIPE; what is queued can still be read, then a receive returns 0, and data the peer sends later gets a reset (RST); the descriptor stays open until close()",
		", SHUT_RDWR) = 0\n    # no more sending: a send fails with EPIPE, and the peer is not told (UDP has no FIN); datagrams queued or still arriving can be read; the descriptor stays open until close()\n",
		", SHUT_RDWR) = 0\n    # no more sending or receiving: what is queued can still be read, then a receive returns 0, and the peer's sends fail with EPIPE; the descriptor stays open until close()\n",
	};
	char *out;

	REQUIRE_E2E_IN_NETNS();
	out = traced(opts, program);
	EXPECT_EACH_ONCE(out, want);
	free(out);
}

/* Row 77: what one end of a socketpair sends, the other receives, both
 * ways. */
TEST_TIMEOUT(socketpair_ends_talk_to_each_other, 60)
{
	char *opts[] = { "-e", "socketpair", NULL };
	const char *program =
		"import socket\n"
		"a, b = socket.socketpair()\n"
		"a.send(b'to b'); assert b.recv(100) == b'to b'\n"
		"b.send(b'to a'); assert a.recv(100) == b'to a'\n";
	char *out;

	REQUIRE_E2E();
	REQUIRE_PYTHON3();
	out = traced(opts, program);
	EXPECT_EQ(1, count_of(out, "] socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0, [3, 4]) = 0\n    # two connected sockets, fd 3 and fd 4: what one sends, the other receives\n")) {
		TH_LOG("%s", out);
	}
	free(out);
}

TEST_HARNESS_MAIN
