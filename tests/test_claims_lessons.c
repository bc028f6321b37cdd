// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Notes the lessons lean on, and notes the kernel refuted, provoked for
 * real and checked twice: the Python program asserts what the kernel did
 * (SO_TYPE, the packets a raw socket got, the listener's accept queue in
 * /proc/net/tcp and TcpExtListenOverflows, TCP_INFO states), and the
 * test checks sockscope's exact lines.
 *
 *  - listen(fd, B) queues B+1 connections: the next SYN overflows it
 *    (docs/claims.md row 118, the TCP lesson's point 2);
 *  - socket(AF_INET, SOCK_RAW, IPPROTO_UDP) is a raw socket, not a UDP
 *    one: no port, a copy of every UDP packet that arrives, and it
 *    writes the UDP header itself;
 *  - socket(AF_UNIX, SOCK_RAW) is made a SOCK_DGRAM socket;
 *  - with -e naming calls that do not make sockets (shutdown), the
 *    state changes of a server's connections keep their owner.
 *
 * The lessons' own points (rows 116, 117, 121) are in test_lessons, the
 * lab's (124, 134, 140, 142) in test_lab. Needs root, BTF and python3;
 * every test runs in a fresh network namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "lib/fmt.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/tracer_run.h"

/* Python: until(cond, what) waits for cond() for up to 10 s. */
#define PY_UNTIL							\
	"import time\n"							\
	"def until(cond, what):\n"					\
	"    for i in range(2000):\n"					\
	"        if cond():\n"						\
	"            return\n"						\
	"        time.sleep(0.005)\n"					\
	"    raise SystemExit('never: ' + what)\n"

#define REQUIRE_E2E_PYTHON_NETNS() do {				\
	REQUIRE_E2E();						\
	REQUIRE_PYTHON3();					\
	ENTER_NETNS();						\
} while (0)

#define ASSERT_TRACED(opts, program, out, err)				\
	ASSERT_EQ(0, trace_python(opts, program, out, err)) {		\
		TH_LOG("%s\n%s", *(out), *(err));			\
	}

#define EXPECT_ONCE(out, text)						\
	EXPECT_EQ(1, count_of(out, text)) {				\
		TH_LOG("%s in:\n%s", text, out);			\
	}

/* The number the program printed after "key " (a port). */
static long printed(const char *out, const char *key)
{
	char tag[64];

	snprintf(tag, sizeof(tag), "\n%s ", key);
	return number_after(out, tag);
}

/*
 * Row 118: listen(fd, 2) then three connects: each handshake completes,
 * and the listener's accept queue (rx_queue of its LISTEN row in
 * /proc/net/tcp) holds 3. A fourth SYN finds it full
 * (sk_acceptq_is_full(): more than 2): the kernel drops it
 * (TcpExtListenOverflows +1), and the queue still holds 3.
 */
TEST_TIMEOUT(listen_queue_holds_backlog_plus_one, 30)
{
	const char *program =
		PY_UNTIL
		"import socket\n"
		"def ext(name):\n"
		"    rows = [l.split() for l in open('/proc/net/netstat') if l.startswith('TcpExt:')]\n"
		"    return int(rows[1][rows[0].index(name)])\n"
		"def queued():\n"
		"    for row in open('/proc/net/tcp').readlines()[1:]:\n"
		"        f = row.split()\n"
		"        if f[3] == '0A' and int(f[1].split(':')[1], 16) == port:\n"
		"            return int(f[4].split(':')[1], 16)\n"
		"l = socket.socket()\n"
		"l.bind(('127.0.0.1', 0))\n"
		"port = l.getsockname()[1]\n"
		"print('\\nport', port, flush=True)\n"
		"l.listen(2)\n"
		"cs = [socket.create_connection(('127.0.0.1', port)) for i in range(3)]\n"
		"until(lambda: queued() == 3, 'three queued')\n"
		"assert ext('ListenOverflows') == 0\n"
		"c = socket.socket()\n"
		"c.setblocking(False)\n"
		"c.connect_ex(('127.0.0.1', port))\n"
		"until(lambda: ext('ListenOverflows') >= 1, 'an overflow')\n"
		"assert queued() == 3, queued()\n";
	char *opts[] = { NULL };
	char *out = NULL, *err = NULL;
	long port;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(opts, program, &out, &err);
	port = printed(out, "port");
	ASSERT_LT(0, port);
	EXPECT_ONCE(out, FMT("] listen(3, 2) = 0\n    # fd 3 now listens on 127.0.0.1:%ld: the kernel completes handshakes by itself and queues the connections for accept(); up to 3 may wait: the queue is full only when it holds more than 2; the state changes just above happened during this call\n",
			     port));
	free(out);
	free(err);
}

/*
 * A raw IP socket of protocol IPPROTO_UDP (SO_TYPE: SOCK_RAW) gets a copy
 * of a datagram sent to a UDP socket, IP header and all, while the UDP
 * socket still gets it; and the UDP header it writes itself reaches that
 * UDP socket from the port it wrote. socket(AF_UNIX, SOCK_RAW) is
 * SOCK_DGRAM to the kernel (unix_create()): SO_TYPE says so, and two
 * sends are two datagrams. An IPPROTO_RAW socket has IP_HDRINCL on: the IP
 * header it writes takes a datagram to the UDP socket; nothing arrives
 * for it, though the other raw socket got a copy.
 */
TEST_TIMEOUT(raw_sockets_are_what_the_kernel_made, 30)
{
	const char *program =
		"import socket, struct\n"
		"r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)\n"
		"assert r.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_RAW\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0))\n"
		"port = u.getsockname()[1]\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"s.sendto(b'hi', ('127.0.0.1', port))\n"
		"assert u.recv(10) == b'hi'\n"
		"pkt = r.recv(100)\n"
		"ihl = (pkt[0] & 15) * 4\n"
		"assert pkt[9] == socket.IPPROTO_UDP, pkt\n"
		"assert struct.unpack('!H', pkt[ihl + 2:ihl + 4])[0] == port, pkt\n"
		"assert pkt[ihl + 8:] == b'hi', pkt\n"
		"r.sendto(struct.pack('!HHHH', 9, port, 8 + 3, 0) + b'raw', ('127.0.0.1', 0))\n"
		"assert u.recvfrom(10) == (b'raw', ('127.0.0.1', 9))\n"
		"x = socket.socket(socket.AF_UNIX, socket.SOCK_RAW)\n"
		"assert x.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_DGRAM\n"
		"t = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
		"t.bind(b'\\0sockscope-raw-unix')\n"
		"x.sendto(b'ab', b'\\0sockscope-raw-unix')\n"
		"x.sendto(b'cd', b'\\0sockscope-raw-unix')\n"
		"assert t.recv(100) == b'ab'\n"
		"w = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)\n"
		"assert w.getsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL) == 1\n"
		"udp = struct.pack('!HHHH', 7, port, 8 + 3, 0) + b'hdr'\n"
		"ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 1, 0, 64,\n"
		"                 socket.IPPROTO_UDP, 0, socket.inet_aton('127.0.0.1'),\n"
		"                 socket.inet_aton('127.0.0.1'))\n"
		"w.sendto(ip + udp, ('127.0.0.1', 0))\n"
		"assert u.recvfrom(10) == (b'hdr', ('127.0.0.1', 7))\n"
		"while not r.recv(100).endswith(b'hdr'):\n"
		"    pass\n"
		"w.setblocking(False)\n"
		"try:\n"
		"    w.recv(100); raise SystemExit('IPPROTO_RAW received')\n"
		"except BlockingIOError:\n"
		"    pass\n";
	char *opts[] = { NULL };
	char *out = NULL, *err = NULL;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(opts, program, &out, &err);
	EXPECT_ONCE(out, "] socket(AF_INET, SOCK_RAW|SOCK_CLOEXEC, IPPROTO_UDP) = 3\n    # fd 3 is a new raw IP socket (SOCK_RAW: no port; it gets a copy of each arriving IPPROTO_UDP packet, and writes that protocol's header itself when it sends)\n");
	EXPECT_ONCE(out, "] socket(AF_UNIX, SOCK_RAW|SOCK_CLOEXEC, 0) = 6\n    # fd 6 is a new Unix datagram socket (local to this machine: named by a path, or by an abstract name, not by an IP address and port); the kernel made this SOCK_RAW a SOCK_DGRAM socket\n");
	EXPECT_ONCE(out, "] socket(AF_INET, SOCK_RAW|SOCK_CLOEXEC, IPPROTO_RAW) = 8\n    # fd 8 is a new raw IP socket (SOCK_RAW, IPPROTO_RAW: it only sends, and writes each packet's IP header itself)\n");
	/* No socket of theirs is called UDP but the two UDP ones. */
	EXPECT_EQ(2, count_of(out, "is a new UDP socket"));
	free(out);
	free(err);
}

/*
 * -e shutdown: listen(), connect() and accept() are not traced, so no
 * call names the sockets. The kernel's own events still do: listen()
 * moves the socket CLOSE -> LISTEN in the owner's context, and the
 * connections born on it are the owner's. Every state change of the
 * accepted connection is shown, with the owner's pid and name, and none
 * has an unknown owner. The program checks the states with TCP_INFO.
 * The listener's close names its port, though the kernel has freed it.
 */
TEST_TIMEOUT(only_some_calls_traced_keeps_event_owners, 30)
{
	const char *program =
		PY_UNTIL
		"import os, socket\n"
		"ESTABLISHED, FIN_WAIT2, CLOSE_WAIT = 1, 5, 8\n"
		"def state(s):\n"
		"    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]\n"
		"l = socket.socket()\n"
		"l.bind(('127.0.0.1', 0))\n"
		"l.listen(1)\n"
		"c = socket.create_connection(l.getsockname())\n"
		"a, _ = l.accept()\n"
		"assert state(a) == ESTABLISHED\n"
		"print('\\nports', l.getsockname()[1], c.getsockname()[1], 'pid', os.getpid(), flush=True)\n"
		"a.shutdown(socket.SHUT_WR)\n"
		"assert c.recv(10) == b''\n"
		"assert state(c) == CLOSE_WAIT, state(c)\n"
		"until(lambda: state(a) == FIN_WAIT2, 'FIN_WAIT2')\n"
		"c.close()\n"
		"assert a.recv(10) == b''\n"
		"l.close()\n";
	char *opts[] = { "-e", "shutdown", NULL };
	char *out = NULL, *err = NULL;
	long server, client, pid;
	const char *p;

	REQUIRE_E2E_PYTHON_NETNS();
	ASSERT_TRACED(opts, program, &out, &err);
	p = strstr(out, "\nports ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(3, sscanf(p, "\nports %ld %ld pid %ld", &server, &client,
			    &pid));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld: CLOSE -> LISTEN\n",
			     pid, server));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld: LISTEN -> SYN_RECV\n",
			     pid, server, client));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld: SYN_RECV -> ESTABLISHED after ",
			     pid, server, client));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld: ESTABLISHED -> FIN_WAIT1 after ",
			     pid, server, client));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld (fd 5): FIN_WAIT1 -> FIN_WAIT2 after ",
			     pid, server, client));
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld -> 127.0.0.1:%ld: ESTABLISHED -> CLOSE_WAIT\n",
			     pid, client, server));
	/* The listener's port is freed before its LISTEN -> CLOSE: the
	 * line names it as its CLOSE -> LISTEN did. */
	EXPECT_ONCE(out, FMT("[%ld python3] tcp 127.0.0.1:%ld: LISTEN -> CLOSE\n",
			     pid, server));
	EXPECT_EQ(0, count_of(out, " ?] "));
	EXPECT_EQ(0, count_of(out, "] tcp : "));
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
