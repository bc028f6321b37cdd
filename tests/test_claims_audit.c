// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Notes an audit of docs/claims.md found with no test, or tested in part,
 * each tried on the kernel (rows 5, 34.1, 44, 53, 62.1, 63.1, 64, 64.1,
 * 76.1, 84, 84.1): what shutdown() does to Unix, raw IP and ICMP sockets
 * and to their peers; "sent by" and "made by" name the process that
 * really sent the bytes or made the connect; recvmmsg gets what recvmsg
 * would; poll() says when EAGAIN's socket is ready; the rest of a cut
 * datagram is lost; a TCP socket still receives after SHUT_WR; a ping
 * socket's echo id is not its alone; TIME_WAIT holds the address and port
 * pair; a reset ends FIN_WAIT1.
 *
 * Each test traces a Python program (sockscope -- python3 -c PROGRAM) in a
 * fresh network namespace. The program asserts what the kernel did and
 * exits 1 when it did otherwise; the test then checks the whole note lines
 * under its calls. Needs root, BTF and python3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/trace_text.h"
#include "lib/experiment.h"

/* Python: e(f) is the errno name f() failed with, or what it returned. */
#define PY_ERR								\
	"import socket, errno, select, os\n"			\
	"def e(f):\n"							\
	"    try:\n"							\
	"        return f()\n"						\
	"    except OSError as x:\n"					\
	"        return errno.errorcode[x.errno]\n"

/*
 * Row 63.1. SHUT_RD on a Unix socket: what is queued is still read, then
 * a receive returns 0 (a stream's or seqpacket's even when it may not
 * wait; a datagram socket's non-blocking one fails with EAGAIN), and the
 * peer's sends fail with EPIPE (the note said "no more receiving").
 */
TEST_TIMEOUT(unix_shut_rd_reads_what_is_queued_and_the_peer_gets_epipe, 60)
{
	const char *program = PY_ERR
		"for t in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):\n"
		"    a, b = socket.socketpair(socket.AF_UNIX, t)\n"
		"    assert b.send(b'queued') == 6\n"
		"    a.shutdown(socket.SHUT_RD)\n"
		"    assert a.recv(100) == b'queued'\n"
		"    assert a.recv(100) == b''\n"
		"    nb = e(lambda: a.recv(100, socket.MSG_DONTWAIT))\n"
		"    assert nb == ('EAGAIN' if t == socket.SOCK_DGRAM else b''), nb\n"
		"    assert e(lambda: b.send(b'more')) == 'EPIPE'\n"
		"    a.close(); b.close()\n";
	char *opts[] = { "-e", "shutdown", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(2, out, "SHUT_RD) = 0\n    # reading is shut down: what is queued can still be read, then a receive returns 0, and the peer is told: its sends fail with EPIPE\n");
	EXPECT_SEEN(1, out, "SHUT_RD) = 0\n    # reading is shut down: what is queued can still be read, then a blocking receive returns 0 at once (a non-blocking one fails with EAGAIN), and a peer's sends to it fail with EPIPE\n");
	free(out);
}

/*
 * Row 64.1. SHUT_WR on Unix, ICMP and raw IP sockets. Unix: the socket's
 * own sends fail with EPIPE, it still receives, and a stream's or
 * seqpacket's peer reads end of stream while a datagram socket's peer is
 * not told (it finds nothing). ICMP: EPIPE, nothing arrives. Raw IP: the
 * send still goes out (a raw socket of the same protocol gets it), except
 * with IP_HDRINCL (EPIPE). The note said "the peer reads end of stream;
 * receiving still works" for all of them.
 */
TEST_TIMEOUT(shut_wr_per_kind_of_socket, 60)
{
	const char *program = PY_ERR
		"for t in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):\n"
		"    a, b = socket.socketpair(socket.AF_UNIX, t)\n"
		"    a.shutdown(socket.SHUT_WR)\n"
		"    assert e(lambda: a.send(b'x')) == 'EPIPE'\n"
		"    peer = e(lambda: b.recv(100, socket.MSG_DONTWAIT))\n"
		"    assert peer == ('EAGAIN' if t == socket.SOCK_DGRAM else b''), peer\n"
		"    assert b.send(b'back') == 4 and a.recv(100) == b'back'\n"
		"    a.close(); b.close()\n"
		"p = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)\n"
		"p.connect(('127.0.0.1', 0))\n"
		"p.shutdown(socket.SHUT_WR)\n"
		"assert e(lambda: p.send(b'\\x08\\0\\0\\0\\0\\0\\0\\0')) == 'EPIPE'\n"
		"assert e(lambda: p.recv(100, socket.MSG_DONTWAIT)) == 'EAGAIN'\n"
		"r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)\n"
		"s.connect(('127.0.0.1', 0))\n"
		"s.shutdown(socket.SHUT_WR)\n"
		"assert s.send(b'still') == 5\n"
		"assert r.recv(100)[20:] == b'still'\n"
		"s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)\n"
		"assert e(lambda: s.send(b'\\x45' + b'\\0' * 19)) == 'EPIPE'\n";
	char *opts[] = { "-e", "shutdown", NULL };
	char *out;

	EXPERIMENT(out, "sysctl -qw net.ipv4.ping_group_range='0 0'", opts,
		   program);
	EXPECT_SEEN(2, out, "SHUT_WR) = 0\n    # no more sending: a send now fails with EPIPE, and the peer reads end of stream; receiving still works\n");
	EXPECT_SEEN(1, out, "SHUT_WR) = 0\n    # no more sending: a send now fails with EPIPE, and the peer is not told; receiving still works\n");
	EXPECT_SEEN(1, out, "SHUT_WR) = 0\n    # no more sending: a send now fails with EPIPE, and the peer is not told (ICMP has no FIN)\n");
	EXPECT_SEEN(1, out, "SHUT_WR) = 0\n    # sending is marked shut down, but the kernel still sends what this raw socket sends (unless it writes its own IP header: then EPIPE); the peer is not told\n");
	free(out);
}

/* The pid of the n-th line (from 1) that has text, or -1. */
static long pid_of_nth(const char *out, const char *text, int n)
{
	const char *p = out;

	while ((p = strstr(p, text)) && --n > 0)
		p += strlen(text);
	return p ? pid_in(line_start(out, p)) : -1;
}

/*
 * Row 105.1. "sent by COMM (pid P)" names the process that sent the bytes
 * received, and "the connect() made by COMM (pid P)" the one whose
 * connect() accept() returned: two children in turn each send a datagram
 * of the same size from their own port, then each connect; the parent's
 * receives get A's datagram then B's (payload and source port checked),
 * and its accepts A's connection then B's (the peer's port, which each
 * child reported through a pipe).
 */
TEST_TIMEOUT(sent_by_and_made_by_name_the_right_process, 60)
{
	const char *program = PY_ERR
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0))\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"ports = []\n"
		"for name in (b'from-A', b'from-B'):\n"
		"    r, w = os.pipe()\n"
		"    if os.fork() == 0:\n"
		"        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"        s.bind(('127.0.0.1', 0))\n"
		"        s.sendto(name, u.getsockname())\n"
		"        c = socket.create_connection(lsn.getsockname())\n"
		"        os.write(w, b'%d %d' % (s.getsockname()[1], c.getsockname()[1]))\n"
		"        os._exit(0)\n"
		"    os.close(w)\n"
		"    ports.append([int(x) for x in os.read(r, 100).split()])\n"
		"    os.wait()\n"
		"for name, (dport, cport) in zip((b'from-A', b'from-B'), ports):\n"
		"    data, src = u.recvfrom(100)\n"
		"    assert data == name and src[1] == dport, (data, src, dport)\n"
		"    c, peer = lsn.accept()\n"
		"    assert peer[1] == cport, (peer, cport)\n";
	char *opts[] = { "-e", "sendto,recvfrom,connect,accept,accept4", NULL };
	char want[256], *out;
	long pid[2];

	EXPERIMENT(out, NULL, opts, program);
	for (int i = 0; i < 2; i++) {
		pid[i] = pid_of_nth(out, ", 6, 0, {AF_INET, 127.0.0.1:", i + 1);
		ASSERT_LT(0, pid[i]);
		EXPECT_EQ(pid[i], pid_of_nth(out, "] connect(", i + 1));
		snprintf(want, sizeof(want), "; sent by python3 (pid %ld), ",
			 pid[i]);
		EXPECT_EQ(1, count_of(out, want));
	}
	ASSERT_NE(pid[0], pid[1]);
	/* In order: the first receive names A, the second B. */
	for (int i = 0; i < 2; i++) {
		char *note;
		const char *p = out;

		for (int k = 0; k <= i && p; k++)
			if ((p = strstr(p, "] recvfrom(")))
				p++;
		ASSERT_NE(NULL, p);
		note = strchr(p, '\n');
		snprintf(want, sizeof(want),
			 "\n    # one whole datagram of 6 bytes; sent by python3 (pid %ld), ",
			 pid[i]);
		EXPECT_EQ(0, strncmp(note, want, strlen(want))) {
			TH_LOG("%s\nin:\n%s", want, out);
		}
		p = out;
		for (int k = 0; k <= i && p; k++)
			if ((p = strstr(p, "] accept")))
				p++;
		ASSERT_NE(NULL, p);
		note = strchr(p, '\n');
		snprintf(want, sizeof(want),
			 "the connect() made by python3 (pid %ld), ", pid[i]);
		EXPECT_NE(NULL, strstr(note, want));
		EXPECT_EQ(note + 1 + strcspn(note + 1, "\n"),
			  strstr(note, " ms earlier\n") + 11) {
			TH_LOG("%s\nin:\n%s", want, out);
		}
	}
	free(out);
}

/*
 * Row 62.1. recvmmsg: three datagrams sent, one blocking recvmmsg(2) of
 * three (it waits for all three) gets three messages, each the datagram one recvmsg gets (the same three sent again
 * and read by three recvmsg), and Udp InDatagrams counts 3 either way.
 */
TEST_TIMEOUT(recvmmsg_receives_what_recvmsg_would, 60)
{
	const char *program = PY_ERR
		"import ctypes\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"class iovec(ctypes.Structure):\n"
		"    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]\n"
		"class msghdr(ctypes.Structure):\n"
		"    _fields_ = [('name', ctypes.c_void_p), ('namelen', ctypes.c_uint32),\n"
		"                ('iov', ctypes.POINTER(iovec)), ('iovlen', ctypes.c_size_t),\n"
		"                ('control', ctypes.c_void_p), ('controllen', ctypes.c_size_t),\n"
		"                ('flags', ctypes.c_int)]\n"
		"class mmsghdr(ctypes.Structure):\n"
		"    _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]\n"
		"def snmp(field):\n"
		"    rows = [l.split() for l in open('/proc/net/snmp') if l.startswith('Udp:')]\n"
		"    return int(rows[1][rows[0].index(field)])\n"
		"rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"rx.bind(('127.0.0.1', 0))\n"
		"tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"sent = [b'abc', b'defg', b'hijkl']\n"
		"def send_all():\n"
		"    for d in sent:\n"
		"        tx.sendto(d, rx.getsockname())\n"
		"send_all()\n"
		"bufs = [ctypes.create_string_buffer(100) for _ in range(3)]\n"
		"iovs = [iovec(ctypes.cast(b, ctypes.c_void_p), 100) for b in bufs]\n"
		"msgs = (mmsghdr * 3)()\n"
		"for m, v in zip(msgs, iovs):\n"
		"    m.hdr.iov = ctypes.pointer(v); m.hdr.iovlen = 1\n"
		"before = snmp('InDatagrams')\n"
		"n = libc.recvmmsg(rx.fileno(), msgs, 3, 0, None)\n"
		"assert n == 3, (n, ctypes.get_errno())\n"
		"batch = [bufs[i].raw[:msgs[i].len] for i in range(3)]\n"
		"assert snmp('InDatagrams') == before + 3\n"
		"send_all()\n"
		"before = snmp('InDatagrams')\n"
		"one = [rx.recvmsg(100)[0] for _ in range(3)]\n"
		"assert snmp('InDatagrams') == before + 3\n"
		"assert batch == one == sent, (batch, one)\n";
	char *opts[] = { "-e", "recvmmsg", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "\n    # 3 datagrams (12 bytes) received in one call: each is what one recvmsg() would receive, batched to save system calls\n");
	free(out);
}

/*
 * Rows 5 and 44, whole. EAGAIN's "try again later; poll() says when": a
 * non-blocking UDP receive with nothing queued fails with EAGAIN, poll()
 * then says not readable, and once a datagram is sent says POLLIN and the
 * receive gets it. A send's "poll() says when there is room": a
 * non-blocking TCP sender whose peer does not read fills its buffers
 * until EAGAIN, poll() says not writable; once the peer read everything,
 * poll() says POLLOUT and a send succeeds.
 */
TEST_TIMEOUT(poll_says_when_an_eagain_socket_is_ready, 60)
{
	const char *program = PY_ERR
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0)); u.setblocking(False)\n"
		"assert e(lambda: u.recv(100)) == 'EAGAIN'\n"
		"p = select.poll(); p.register(u, select.POLLIN)\n"
		"assert p.poll(0) == []\n"
		"u.sendto(b'now', u.getsockname())\n"
		"assert p.poll(5000) == [(u.fileno(), select.POLLIN)]\n"
		"assert u.recv(100) == b'now'\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.setblocking(False)\n"
		"total = 0\n"
		"while True:\n"
		"    n = e(lambda: cli.send(b'x' * 65536))\n"
		"    if n == 'EAGAIN':\n"
		"        break\n"
		"    total += n\n"
		"w = select.poll(); w.register(cli, select.POLLOUT)\n"
		"assert w.poll(0) == []\n"
		"got = 0\n"
		"while got < total:\n"
		"    got += len(srv.recv(1 << 20))\n"
		"assert w.poll(5000) == [(cli.fileno(), select.POLLOUT)]\n"
		"assert cli.send(b'room') == 4\n";
	char *opts[] = { "-e", "sendto,recvfrom", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)\n    # nothing ready yet, and the call may not wait (a non-blocking socket, MSG_DONTWAIT, or a timeout ran out): try again later; poll() says when\n");
	EXPECT_SEEN(1, out, ", 65536, 0, NULL, 0) = -1 EAGAIN (Resource temporarily unavailable)\n    # the socket's send buffer is full and the call may not wait (non-blocking, or MSG_DONTWAIT): the receiver has not caught up; poll() says when there is room\n");
	free(out);
}

/*
 * Row 53, whole. "a datagram cut to the N bytes the buffers hold: the rest
 * is lost": a recvmsg of 3 bytes gets the first 3 of a 6-byte datagram
 * with MSG_TRUNC, and the next recvmsg gets the next datagram, not the
 * rest; then nothing is queued.
 */
TEST_TIMEOUT(rest_of_a_cut_datagram_is_lost, 60)
{
	const char *program = PY_ERR
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0))\n"
		"u.sendto(b'abcdef', u.getsockname())\n"
		"u.sendto(b'next', u.getsockname())\n"
		"data, _, flags, _ = u.recvmsg(3)\n"
		"assert data == b'abc' and flags & socket.MSG_TRUNC, (data, flags)\n"
		"data, _, flags, _ = u.recvmsg(100)\n"
		"assert data == b'next' and not flags & socket.MSG_TRUNC, (data, flags)\n"
		"assert e(lambda: u.recv(100, socket.MSG_DONTWAIT)) == 'EAGAIN'\n";
	char *opts[] = { "-e", "recvmsg", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "= 3\n    # a datagram cut to the 3 bytes the buffers hold: the rest is lost (msg_flags has MSG_TRUNC)");
	EXPECT_SEEN(1, out, "= 4\n    # one whole datagram of 4 bytes");
	free(out);
}

/*
 * Row 64, whole. TCP SHUT_WR: the peer reads end of stream (its receive
 * returns 0), this socket's send fails with EPIPE, and "receiving still
 * works": the peer's reply arrives.
 */
TEST_TIMEOUT(tcp_receives_after_shut_wr, 60)
{
	const char *program = PY_ERR
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.shutdown(socket.SHUT_WR)\n"
		"assert srv.recv(100) == b''\n"
		"assert e(lambda: cli.send(b'x')) == 'EPIPE'\n"
		"assert srv.send(b'reply') == 5\n"
		"assert cli.recv(100) == b'reply'\n";
	char *opts[] = { "-e", "shutdown", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "SHUT_WR) = 0\n    # no more sending: the kernel sends FIN, and the peer reads end of stream; receiving still works\n");
	free(out);
}

/*
 * Rows 27.1 and 76.1. bind() of a ping socket said "now owns ADDR: ...
 * ICMP port P names this process", and close() "ICMP port P is free
 * again", as for UDP; but the kernel never held the socket's ICMP echo id
 * for it alone: while it is open, a second ping socket binds the same id.
 * What the id is, is checked: a raw ICMP socket sees the echo request
 * carry it. The close note now says nothing of a port; a UDP socket's
 * still does (the port binds again after close).
 */
TEST_TIMEOUT(ping_echo_id_is_not_the_sockets_alone, 60)
{
	const char *program = PY_ERR
		"def ping():\n"
		"    return socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)\n"
		"a = ping(); a.bind(('127.0.0.1', 0))\n"
		"ident = a.getsockname()[1]\n"
		"b = ping(); b.bind(('127.0.0.1', ident))\n"
		"assert b.getsockname() == a.getsockname()\n"
		"raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)\n"
		"a.sendto(b'\\x08\\0\\0\\0\\0\\0\\0\\0ping', ('127.0.0.1', 0))\n"
		"icmp = raw.recv(100)[20:]\n"
		"assert icmp[0] == 8 and int.from_bytes(icmp[4:6], 'big') == ident, icmp\n"
		"b.close(); a.close()\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0)); port = u.getsockname()[1]\n"
		"u.close()\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', port))\n";
	char *opts[] = { NULL };
	char *out;

	EXPERIMENT(out, "sysctl -qw net.ipv4.ping_group_range='0 0'", opts,
		   program);
	EXPECT_SEEN(0, out, "ICMP port");
	EXPECT_SEEN(1, out, "] bind(3, {AF_INET, 127.0.0.1:0}, 16) = 0\n    # fd 3 (ICMP) is bound to 127.0.0.1:");
	EXPECT_SEEN(1, out, ", which another ping socket can bind too; id 0 asked the kernel to choose: it chose ");
	EXPECT_SEEN(1, out, ", which another ping socket can bind too\n");
	EXPECT_SEEN(1, out, "] close(4) = 0\n    # fd 4 closed\n");
	EXPECT_SEEN(1, out, "] close(3) = 0\n    # fd 3 closed\n");
	/* The UDP socket, and the second one at the program's exit. */
	EXPECT_SEEN(2, out, "] close(3) = 0\n    # fd 3 closed: UDP port ");
	EXPECT_SEEN(2, out, " is free again\n");
	free(out);
}

/* Python: the state (hex, as in /proc/net/tcp) of the TCP sockets whose
 * local port is port. */
#define PY_TCP_STATES							\
	"def states(port):\n"						\
	"    rows = [l.split() for l in open('/proc/net/tcp').readlines()[1:]]\n" \
	"    return [r[3] for r in rows if int(r[1].split(':')[1], 16) == port]\n"

/*
 * Row 84, its TIME_WAIT reason. While the active closer's connection is in
 * TIME_WAIT ('06' in /proc/net/tcp), a socket bound to the same port
 * (SO_REUSEADDR on both) connects to the same peer: with
 * net.ipv4.tcp_timestamps 0 it fails with EADDRNOTAVAIL; with timestamps
 * (the old connection used them) it succeeds and takes the pair over (the
 * port's only socket is ESTABLISHED). The note said "so stray packets
 * cannot confuse a new connection on the same ports", the reason and not
 * what the kernel does.
 */
TEST_TIMEOUT(time_wait_holds_the_address_and_port_pair, 60)
{
	const char *program = PY_ERR PY_TCP_STATES
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"def client(port):\n"
		"    c = socket.socket()\n"
		"    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
		"    c.bind(('127.0.0.1', port))\n"
		"    return c\n"
		"def time_wait():\n"
		"    cli = client(0)\n"
		"    cli.connect(lsn.getsockname())\n"
		"    srv, _ = lsn.accept()\n"
		"    port = cli.getsockname()[1]\n"
		"    cli.close()\n"
		"    assert srv.recv(10) == b''\n"
		"    srv.close()\n"
		"    while states(port) != ['06']:\n"
		"        select.select([], [], [], 0.01)\n"
		"    return port\n"
		"port = time_wait()\n"
		"again = client(port)\n"
		"assert e(lambda: again.connect(lsn.getsockname())) == 'EADDRNOTAVAIL'\n"
		"assert states(port) == ['06']\n"
		"again.close()\n"
		"open('/proc/sys/net/ipv4/tcp_timestamps', 'w').write('1')\n"
		"port = time_wait()\n"
		"again = client(port)\n"
		"again.connect(lsn.getsockname())\n"
		"assert states(port) == ['01'], states(port)\n";
	char *opts[] = { "-e", "close", NULL };
	char *out;

	EXPERIMENT(out, "sysctl -qw net.ipv4.tcp_timestamps=0", opts, program);
	/* The event line may end with "after T ms in FIN_WAIT2". */
	EXPECT_SEEN(2, out, ": FIN_WAIT2 -> CLOSE");
	EXPECT_SEEN(2, out, "\n    # the kernel hands the connection to a small timewait socket, which waits for the peer's FIN if it has not come (up to net.ipv4.tcp_fin_timeout, 60 s) and then stays in TIME_WAIT for 60 s, holding its address and port pair: a connect() from the same port to the same peer fails with EADDRNOTAVAIL, unless TCP timestamps let the kernel tell the new connection's packets from the old one's\n");
	free(out);
}

/*
 * Row 84.1. FIN_WAIT1 -> CLOSE after a reset: the client's FIN waits
 * behind data the server does not read (its window is full), so the
 * client stays in FIN_WAIT1 ('04'); the server closes with data unread,
 * which sends a reset: the client's receive fails with ECONNRESET and its
 * socket is gone from /proc/net/tcp. The kernel giving up resending the
 * FIN (tcp_orphan_retries) is not provoked here.
 */
TEST_TIMEOUT(reset_in_fin_wait1_ends_the_connection, 60)
{
	const char *program = PY_ERR PY_TCP_STATES
		"lsn = socket.socket()\n"
		"lsn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)\n"
		"lsn.bind(('127.0.0.1', 0)); lsn.listen()\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"port = cli.getsockname()[1]\n"
		"cli.setblocking(False)\n"
		"while e(lambda: cli.send(b'x' * 65536)) != 'EAGAIN':\n"
		"    pass\n"
		"cli.shutdown(socket.SHUT_WR)\n"
		"assert states(port) == ['04'], states(port)\n"
		"srv.close()\n"
		"cli.setblocking(True)\n"
		"assert e(lambda: cli.recv(10)) == 'ECONNRESET'\n"
		"assert states(port) == [], states(port)\n";
	char *opts[] = { "-e", "shutdown", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	/* Event lines may end with "after T ms in STATE". */
	EXPECT_SEEN(1, out, ": ESTABLISHED -> FIN_WAIT1");
	EXPECT_SEEN(1, out, ": FIN_WAIT1 -> CLOSE");
	EXPECT_SEEN(1, out, "\n    # the connection ended before the peer acknowledged our FIN: a reset (RST) came, or the kernel gave up resending the FIN\n");
	free(out);
}

TEST_HARNESS_MAIN
