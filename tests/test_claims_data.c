// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The notes about how data moves through sockets, each tried on the
 * kernel (docs/claims.md rows 12, 13, 47, 48, 51, 54-62, 69, 71, 72, 76):
 * a TCP stream keeps the order of bytes but not the sends' boundaries; a
 * UDP datagram is received one per call, whole (reassembled from IP
 * fragments) or not at all (dropped whole when the receive buffer is
 * full); MSG_TRUNC gives a cut datagram's real size; SO_RCVTIMEO makes a
 * receive fail with EAGAIN after the set time; write/read/writev/readv on
 * a socket do what send/recv/sendmsg/recvmsg with no flags do; a sendfile
 * or splice of 0 bytes; sendfile and splice move bytes the program has no
 * room for; sendmmsg sends separate datagrams; TCP_NODELAY sends small
 * writes that Nagle holds back; IP_RECVERR queues the ICMP error; a
 * closed UDP socket's port can be bound again, unless another descriptor
 * keeps the socket open.
 *
 * Each test traces a Python program (sockscope -- python3 -c PROGRAM) in a
 * fresh network namespace. The program asserts what the kernel did (the
 * bytes and datagrams received, errno, counters of /proc/net/snmp, the
 * socket's TCP_INFO and queues) and exits 1 when the kernel did otherwise;
 * the test then checks the whole note lines under its calls. Needs root,
 * BTF and python3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "lib/require.h"
#include "lib/trace_text.h"
#include "lib/experiment.h"
#include "lib/tracer_run.h"

/*
 * Rows 12, 47, 55. TCP is connection-oriented (a socket that never
 * connected cannot receive: ENOTCONN) and a byte stream: two sends are
 * read back by one receive, in order, and one send by two receives. The
 * program waits until all the bytes are queued (FIONREAD) before reading.
 */
TEST_TIMEOUT(stream_reads_ignore_send_boundaries, 60)
{
	const char *program =
		"import socket, errno, select, fcntl, termios, struct\n"
		"def queued(s):\n"
		"    return struct.unpack('i', fcntl.ioctl(s, termios.FIONREAD, b'\\0' * 4))[0]\n"
		"lone = socket.socket()\n"
		"try:\n"
		"    lone.recv(1); raise SystemExit('received without a connection')\n"
		"except OSError as e:\n"
		"    assert e.errno == errno.ENOTCONN, e\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.send(b'hello'); cli.send(b'world')\n"
		"while queued(srv) < 10:\n"
		"    select.select([srv], [], [], 1)\n"
		"assert srv.recv(100) == b'helloworld'\n"
		"cli.send(b'0123456789')\n"
		"while queued(srv) < 10:\n"
		"    select.select([srv], [], [], 1)\n"
		"assert srv.recv(4) == b'0123'\n"
		"assert srv.recv(100) == b'456789'\n";
	char *opts[] = { NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(3, out, " is a new TCP socket (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream)");
	EXPECT_SEEN(1, out, "] recvfrom(3, ..., 1, 0, NULL, NULL) = -1 ENOTCONN (Transport endpoint is not connected)\n    # the socket is not connected: it has no peer yet, or its connection is over (connect() gives it one; a TCP server gets connected sockets from accept())\n");
	EXPECT_SEEN(2, out, "] sendto(5, ..., 5, 0, NULL, 0) = 5\n    # 5 bytes into the TCP stream: the kernel delivers them in order and resends what is lost\n");
	EXPECT_SEEN(1, out, "] sendto(5, ..., 10, 0, NULL, 0) = 10\n    # 10 bytes into the TCP stream: the kernel delivers them in order and resends what is lost\n");
	EXPECT_SEEN(1, out, "] recvfrom(6, ..., 100, 0, NULL, NULL) = 10\n    # 10 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by ");
	EXPECT_SEEN(1, out, "] recvfrom(6, ..., 4, 0, NULL, NULL) = 4\n    # 4 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by ");
	EXPECT_SEEN(1, out, "] recvfrom(6, ..., 100, 0, NULL, NULL) = 6\n    # 6 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by ");
	free(out);
}

/*
 * One byte is "1 byte", in every note that counts bytes: a TCP send and
 * the receive that gets it (the kernel carried exactly one: the program
 * checks), a UDP datagram of one byte, its receive, a write and a read.
 */
TEST_TIMEOUT(one_byte_is_said_in_the_singular, 60)
{
	const char *program =
		"import socket, os\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"assert cli.send(b'x') == 1 and srv.recv(100) == b'x'\n"
		"assert os.write(cli.fileno(), b'y') == 1\n"
		"assert os.read(srv.fileno(), 100) == b'y'\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"u.bind(('127.0.0.1', 0))\n"
		"assert u.sendto(b'z', u.getsockname()) == 1\n"
		"assert u.recvfrom(100)[0] == b'z'\n";
	static const char *const notes[] = {
		"\n    # 1 byte into the TCP stream: the kernel delivers them in order and resends what is lost",
		"\n    # 1 byte from the stream: TCP keeps the order of bytes, not message boundaries",
		"\n    # one datagram of 1 byte: it arrives whole or not at all",
		"\n    # one whole datagram of 1 byte",
	};
	char *opts[] = { "-e", "sendto,recvfrom,write,read", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(2, out, notes[0]);
	EXPECT_SEEN(2, out, notes[1]);
	EXPECT_SEEN(1, out, notes[2]);
	EXPECT_SEEN(1, out, notes[3]);
	EXPECT_SEEN(0, out, " 1 bytes");
	free(out);
}

/*
 * Rows 13, 48. UDP: one unconnected socket sends to two receivers; two
 * datagrams to one are received one per call. With lo's MTU at 1500, a
 * datagram of 60000 bytes goes as IP fragments and is received whole, in
 * one call (Ip ReasmOKs +1); the receive buffer then full (SO_RCVBUF at
 * its minimum), the next two, of 10 and 60000 bytes, are dropped whole
 * (Udp RcvbufErrors +2, and a udp_drop event each): nothing of them is
 * queued. That sendto() succeeded for both is the missing delivery
 * guarantee.
 */
TEST_TIMEOUT(datagrams_arrive_one_per_receive_whole_or_not_at_all, 60)
{
	const char *program =
		"import socket, time, fcntl, termios, struct\n"
		"def snmp(proto, field):\n"
		"    rows = [l.split() for l in open('/proc/net/snmp') if l.startswith(proto)]\n"
		"    return int(rows[1][rows[0].index(field)])\n"
		"def until(cond):\n"
		"    end = time.monotonic() + 5\n"
		"    while not cond():\n"
		"        assert time.monotonic() < end, 'waited 5 s'\n"
		"        time.sleep(0.001)\n"
		"def queued(s):\n"
		"    return struct.unpack('i', fcntl.ioctl(s, termios.FIONREAD, b'\\0' * 4))[0]\n"
		"a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))\n"
		"b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('127.0.0.1', 0))\n"
		"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"s.sendto(b'hello', a.getsockname()); s.sendto(b'world', a.getsockname())\n"
		"s.sendto(b'other', b.getsockname())\n"
		"assert a.recv(100) == b'hello' and a.recv(100) == b'world'\n"
		"assert b.recv(100) == b'other'\n"
		"a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)\n"
		"reasm, drops = snmp('Ip:', 'ReasmOKs'), snmp('Udp:', 'RcvbufErrors')\n"
		"assert s.sendto(b'x' * 60000, a.getsockname()) == 60000\n"
		"until(lambda: queued(a))\n"
		"assert queued(a) == 60000 and snmp('Ip:', 'ReasmOKs') == reasm + 1\n"
		"assert s.sendto(b'y' * 10, a.getsockname()) == 10\n"
		"assert s.sendto(b'z' * 60000, a.getsockname()) == 60000\n"
		"until(lambda: snmp('Udp:', 'RcvbufErrors') == drops + 2)\n"
		"assert a.recv(65536) == b'x' * 60000\n"
		"a.setblocking(False)\n"
		"try:\n"
		"    a.recv(65536); raise SystemExit('more was queued')\n"
		"except BlockingIOError:\n"
		"    pass\n";
	char *opts[] = { NULL };
	char *out;

	EXPERIMENT(out, "ip link set dev lo mtu 1500", opts, program);
	EXPECT_SEEN(3, out, " is a new UDP socket (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee)");
	EXPECT_SEEN(1, out, "}, 16) = 5\n    # one datagram of 5 bytes: it arrives whole or not at all; this first send bound the socket");
	EXPECT_SEEN(2, out, "}, 16) = 5\n    # one datagram of 5 bytes: it arrives whole or not at all\n");
	EXPECT_SEEN(2, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = 5\n    # one whole datagram of 5 bytes\n");
	EXPECT_SEEN(1, out, "] recvfrom(4, ..., 100, 0, NULL, NULL) = 5\n    # one whole datagram of 5 bytes\n");
	EXPECT_SEEN(2, out, "}, 16) = 60000\n    # one datagram of 60000 bytes: it arrives whole or not at all\n");
	EXPECT_SEEN(1, out, "}, 16) = 10\n    # one datagram of 10 bytes: it arrives whole or not at all\n");
	EXPECT_SEEN(2, out, " (fd 3): datagram dropped");
	EXPECT_SEEN(1, out, "] recvfrom(3, ..., 65536, 0, NULL, NULL) = 60000\n    # one whole datagram of 60000 bytes\n");
	free(out);
}

/*
 * Row 54. recv(4, MSG_TRUNC) of an 8-byte datagram returns 8 with the
 * first 4 bytes in the buffer, and the next receive gets the next
 * datagram: the rest was cut off.
 */
TEST_TIMEOUT(msg_trunc_gives_the_real_size_of_a_cut_datagram, 60)
{
	const char *program =
		"import socket\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"v.sendto(b'12345678', u.getsockname()); v.sendto(b'next', u.getsockname())\n"
		"buf = bytearray(4)\n"
		"assert u.recv_into(buf, 4, socket.MSG_TRUNC) == 8 and buf == b'1234'\n"
		"assert u.recv(100) == b'next'\n";
	char *opts[] = { "-e", "recvfrom", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "] recvfrom(3, ..., 4, MSG_TRUNC, NULL, NULL) = 8\n    # one datagram of 8 bytes, larger than the 4-byte buffer: the rest was cut off (MSG_TRUNC gives the real size)\n");
	EXPECT_SEEN(1, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = 4\n    # one whole datagram of 4 bytes\n");
	free(out);
}

/*
 * Rows 51, 69. SO_RCVTIMEO of 0.3 s: a receive with nothing to read
 * fails with EAGAIN (the program checks errno, and its own clock: at
 * least 0.3 s); the note states the time the call took, about 0.3 s.
 */
TEST_TIMEOUT(receive_timeout_fails_with_eagain_after_the_set_time, 60)
{
	const char *program =
		"import socket, errno, time, struct\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
		"u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 0, 300000))\n"
		"t = time.monotonic()\n"
		"try:\n"
		"    u.recv(100); raise SystemExit('received')\n"
		"except BlockingIOError as e:\n"
		"    assert e.errno == errno.EAGAIN\n"
		"assert time.monotonic() - t >= 0.3\n";
	static const char eagain[] =
		"] recvfrom(3, ..., 100, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)\n"
		"    # nothing ready yet, and the call may not wait (a non-blocking socket, MSG_DONTWAIT, or a timeout ran out): try again later; poll() says when; it waited ";
	char *opts[] = { "-e", "setsockopt,recvfrom", NULL };
	double waited = -1;
	const char *note;
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, ", 16) = 0\n    # a receive timeout: a receive that waits longer fails with EAGAIN\n");
	note = text_after(out, eagain);
	ASSERT_NE(NULL, note) {
		TH_LOG("no EAGAIN after a wait in:\n%s", out);
	}
	EXPECT_EQ(1, sscanf(note, "%lf s first (SO_RCVTIMEO)\n", &waited));
	EXPECT_TRUE(waited >= 0.299 && waited < 3.0) {
		TH_LOG("waited %.3f s, not about 0.3 s:\n%s", waited, out);
	}
	free(out);
}

/*
 * Rows 56-59. On a connected UDP socket, write() and send() each send
 * one datagram with the same bytes, writev() and sendmsg() one datagram
 * of the buffers joined; read() and recv() of 2 bytes each take a whole
 * datagram and drop its rest (no MSG_PEEK, no MSG_TRUNC); readv() fills
 * its buffers from one datagram as recvmsg() does (whose msg_flags say
 * MSG_TRUNC). No flags: on a TCP socket shut for writing, write() fails
 * with EPIPE and raises SIGPIPE, as send() with flags 0 does and
 * send(MSG_NOSIGNAL) does not (the program sees SIGPIPE pending).
 */
TEST_TIMEOUT(file_calls_on_sockets_are_send_and_recv_without_flags, 60)
{
	const char *program =
		"import socket, os, signal\n"
		"signal.signal(signal.SIGPIPE, lambda n, f: None)\n"
		"signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPIPE})\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.connect(u.getsockname())\n"
		"fu, fv = u.fileno(), v.fileno()\n"
		"os.write(fv, b'one'); v.send(b'one')\n"
		"assert u.recv(100) == b'one' and os.read(fu, 100) == b'one'\n"
		"os.writev(fv, [b'ab', b'cd']); v.sendmsg([b'ab', b'cd'])\n"
		"assert u.recv(100) == b'abcd' and os.read(fu, 100) == b'abcd'\n"
		"for i in range(2):\n"
		"    v.send(b'123456'); v.send(b'next')\n"
		"assert os.read(fu, 2) == b'12' and os.read(fu, 100) == b'next'\n"
		"assert u.recv(2) == b'12' and u.recv(100) == b'next'\n"
		"for i in range(2):\n"
		"    v.send(b'abcdef')\n"
		"x, y = bytearray(2), bytearray(2)\n"
		"assert os.readv(fu, [x, y]) == 4 and x + y == b'abcd'\n"
		"n, anc, flags, addr = u.recvmsg_into([x, y])\n"
		"assert n == 4 and x + y == b'abcd' and flags & socket.MSG_TRUNC\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"cli.shutdown(socket.SHUT_WR)\n"
		"def sigpipe(send):\n"
		"    try:\n"
		"        send(); raise SystemExit('sent')\n"
		"    except BrokenPipeError:\n"
		"        pass\n"
		"    if signal.SIGPIPE not in signal.sigpending():\n"
		"        return False\n"
		"    signal.sigwait({signal.SIGPIPE})\n"
		"    return True\n"
		"assert sigpipe(lambda: os.write(cli.fileno(), b'x'))\n"
		"assert sigpipe(lambda: cli.send(b'x'))\n"
		"assert not sigpipe(lambda: cli.send(b'x', socket.MSG_NOSIGNAL))\n";
	char *opts[] = { NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "] write(4, ..., 3) = 3\n    # one datagram of 3 bytes: it arrives whole or not at all; for a socket, write() is send() with no flags\n");
	EXPECT_SEEN(1, out, "] sendto(4, ..., 3, 0, NULL, 0) = 3\n    # one datagram of 3 bytes: it arrives whole or not at all\n");
	EXPECT_SEEN(1, out, "] read(3, ..., 100) = 3\n    # one whole datagram of 3 bytes; for a socket, read() is recv() with no flags\n");
	EXPECT_SEEN(1, out, "] writev(4, [{iov_base=..., iov_len=2}, {iov_base=..., iov_len=2}], 2) = 4\n    # one datagram of 4 bytes: it arrives whole or not at all; for a socket, writev() is sendmsg() with these buffers and no address or flags\n");
	/* "abcd", and the datagram after the one cut to 2 bytes. */
	EXPECT_SEEN(2, out, "] read(3, ..., 100) = 4\n    # one whole datagram of 4 bytes; for a socket, read() is recv() with no flags\n");
	EXPECT_SEEN(1, out, "] read(3, ..., 2) = 2\n    # a datagram of 2 bytes, as many as the buffer holds: a longer one would have been cut to this (MSG_TRUNC would tell); for a socket, read() is recv() with no flags\n");
	EXPECT_SEEN(1, out, "] readv(3, [{iov_base=..., iov_len=2}, {iov_base=..., iov_len=2}], 2) = 4\n    # a datagram of 4 bytes, as many as the buffer holds: a longer one would have been cut to this (MSG_TRUNC would tell); for a socket, readv() is recvmsg() with these buffers and no flags\n");
	EXPECT_SEEN(1, out, "] write(6, ..., 1) = -1 EPIPE (Broken pipe)\n");
	EXPECT_SEEN(1, out, "] sendto(6, ..., 1, 0, NULL, 0) = -1 EPIPE (Broken pipe)\n");
	free(out);
}

/*
 * Row 60. sendfile of 0 bytes returns 0 with the file's 10 bytes still
 * to send (then sent); at the file's end it returns 0 with nothing left;
 * splice from a TCP socket returns 0 once the peer closed and its bytes
 * are read.
 */
TEST_TIMEOUT(moves_of_zero_bytes_say_why, 60)
{
	const char *program =
		"import socket, os, tempfile\n"
		"f = tempfile.TemporaryFile()\n"
		"f.write(b'ten bytes!'); f.flush()\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"assert os.sendfile(cli.fileno(), f.fileno(), 0, 0) == 0\n"
		"assert os.sendfile(cli.fileno(), f.fileno(), 10, 100) == 0\n"
		"assert os.sendfile(cli.fileno(), f.fileno(), 0, 100) == 10\n"
		"cli.close()\n"
		"pr, pw = os.pipe()\n"
		"assert os.splice(srv.fileno(), pw, 100) == 10\n"
		"assert os.splice(srv.fileno(), pw, 100) == 0\n"
		"assert os.read(pr, 100) == b'ten bytes!'\n";
	char *opts[] = { "-e", "sendfile,splice", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "] sendfile(5, 3, [0], 0) = 0\n    # a move of 0 bytes returns 0: it says nothing of what is left\n");
	EXPECT_SEEN(1, out, "] sendfile(5, 3, [10], 100) = 0\n    # 0 bytes: nothing was left to move\n");
	EXPECT_SEEN(1, out, "] splice(6, NULL, 7, NULL, 100, 0) = 0\n    # 0 bytes: nothing was left to move\n");
	free(out);
}

/*
 * Row 61. With its address space limited so that it cannot hold 8 MiB
 * (the program checks that a buffer of 8 MiB fails), the program moves
 * an 8 MiB file through a TCP connection with sendfile and splice, and
 * the copy it gets is the file (SHA-256): the bytes never were in its
 * memory. Every call that moved bytes says so.
 */
TEST_TIMEOUT(sendfile_and_splice_move_bytes_the_program_cannot_hold, 60)
{
	const char *program =
		"import socket, os, resource, hashlib, tempfile, select\n"
		"N = 8 << 20\n"
		"d = tempfile.mkdtemp(dir='/dev/shm')\n"
		"src, dst = d + '/src', d + '/dst'\n"
		"data = os.urandom(N)\n"
		"with open(src, 'wb') as f:\n"
		"    f.write(data)\n"
		"digest = hashlib.sha256(data).digest()\n"
		"del data\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"cli = socket.create_connection(lsn.getsockname())\n"
		"srv, _ = lsn.accept()\n"
		"cli.setblocking(False)\n"
		"fin = os.open(src, os.O_RDONLY)\n"
		"fout = os.open(dst, os.O_WRONLY | os.O_CREAT, 0o600)\n"
		"pr, pw = os.pipe()\n"
		"vm = [l for l in open('/proc/self/status') if l.startswith('VmSize:')]\n"
		"limit = int(vm[0].split()[1]) * 1024 + N // 2\n"
		"old = resource.getrlimit(resource.RLIMIT_AS)\n"
		"resource.setrlimit(resource.RLIMIT_AS, (limit, old[1]))\n"
		"try:\n"
		"    bytearray(N); raise SystemExit('the program could hold the bytes')\n"
		"except MemoryError:\n"
		"    pass\n"
		"sent = got = 0\n"
		"while got < N:\n"
		"    if sent < N:\n"
		"        try:\n"
		"            sent += os.sendfile(cli.fileno(), fin, sent, N - sent)\n"
		"        except BlockingIOError:\n"
		"            pass\n"
		"    n = os.splice(srv.fileno(), pw, 1 << 16)\n"
		"    got += n\n"
		"    while n:\n"
		"        n -= os.splice(pr, fout, n)\n"
		"resource.setrlimit(resource.RLIMIT_AS, old)\n"
		"assert (sent, got) == (N, N)\n"
		"with open(dst, 'rb') as f:\n"
		"    assert hashlib.sha256(f.read()).digest() == digest\n"
		"os.unlink(src); os.unlink(dst); os.rmdir(d)\n";
	static const char inside[] =
		", moved inside the kernel: the bytes never pass through the program's memory";
	char *opts[] = { "-e", "sendfile,splice", NULL };
	int sendfiles, splices;
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	sendfiles = count_of(out, "] sendfile(4, 6, ") -
		    count_of(out, ") = -1 EAGAIN (Resource temporarily unavailable)\n");
	splices = count_of(out, "] splice(5, NULL, 9, NULL, 65536, 0) = ");
	EXPECT_LT(0, sendfiles);
	EXPECT_LT(0, splices);
	EXPECT_EQ(sendfiles, count_of(out, "bytes from fd 6 into the TCP socket, moved inside the kernel")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(splices, count_of(out, " bytes from the TCP socket into the pipe fd 9, moved inside the kernel"));
	EXPECT_EQ(sendfiles + splices, count_of(out, inside));
	free(out);
}

/*
 * Row 62. sendmmsg of 3 messages on a connected UDP socket: the kernel
 * counts 3 datagrams sent (Udp OutDatagrams +3), as for 3 sendmsg()
 * calls, and the receiver gets 3 datagrams, each one message, the same
 * as those of the 3 sendmsg() calls.
 */
TEST_TIMEOUT(sendmmsg_sends_one_datagram_per_message, 60)
{
	const char *program =
		"import socket, ctypes\n"
		"def snmp(proto, field):\n"
		"    rows = [l.split() for l in open('/proc/net/snmp') if l.startswith(proto)]\n"
		"    return int(rows[1][rows[0].index(field)])\n"
		"class iovec(ctypes.Structure):\n"
		"    _fields_ = [('base', ctypes.c_char_p), ('len', ctypes.c_size_t)]\n"
		"class msghdr(ctypes.Structure):\n"
		"    _fields_ = [('name', ctypes.c_void_p), ('namelen', ctypes.c_uint),\n"
		"                ('iov', ctypes.POINTER(iovec)), ('iovlen', ctypes.c_size_t),\n"
		"                ('control', ctypes.c_void_p), ('controllen', ctypes.c_size_t),\n"
		"                ('flags', ctypes.c_int)]\n"
		"class mmsghdr(ctypes.Structure):\n"
		"    _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]\n"
		"libc = ctypes.CDLL(None, use_errno=True)\n"
		"u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('127.0.0.1', 0))\n"
		"v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.connect(u.getsockname())\n"
		"texts = [b'one', b'two!', b'three']\n"
		"iov = (iovec * 3)(*[iovec(t, len(t)) for t in texts])\n"
		"msgs = (mmsghdr * 3)()\n"
		"for i in range(3):\n"
		"    msgs[i].hdr.iov = ctypes.pointer(iov[i]); msgs[i].hdr.iovlen = 1\n"
		"out = snmp('Udp:', 'OutDatagrams')\n"
		"assert libc.sendmmsg(v.fileno(), msgs, 3, 0) == 3\n"
		"assert [m.len for m in msgs] == [3, 4, 5]\n"
		"assert snmp('Udp:', 'OutDatagrams') == out + 3\n"
		"for t in texts:\n"
		"    v.sendmsg([t])\n"
		"assert snmp('Udp:', 'OutDatagrams') == out + 6\n"
		"got = [u.recv(100) for i in range(6)]\n"
		"assert got == texts * 2, got\n";
	char *opts[] = { "-e", "sendmmsg,sendmsg,recvfrom", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "}], 3, 0) = 3\n    # 3 datagrams (12 bytes) sent in one call: each is what one sendmsg() would send, batched to save system calls\n");
	EXPECT_SEEN(2, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = 3\n    # one whole datagram of 3 bytes\n");
	EXPECT_SEEN(2, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = 4\n    # one whole datagram of 4 bytes\n");
	EXPECT_SEEN(2, out, "] recvfrom(3, ..., 100, 0, NULL, NULL) = 5\n    # one whole datagram of 5 bytes\n");
	free(out);
}

/*
 * Row 71. The receiver delays its ACKs (TCP_QUICKACK 0). With
 * TCP_NODELAY, each of 5 writes of 1 byte is sent at once: nothing is
 * left unsent after each (SIOCOUTQNSD 0), 5 segments (TCP_INFO's
 * tcpi_segs_out). Without it, Nagle holds the writes after the first
 * until its ACK (1, 2, 3, 4 bytes unsent); the ACK may come in between
 * on a loaded machine, so the program tries that up to 5 times.
 */
TEST_TIMEOUT(tcp_nodelay_sends_what_nagle_holds_back, 60)
{
	const char *program =
		"import socket, struct, fcntl\n"
		"SIOCOUTQNSD = 0x894B\n"
		"def unsent(s):\n"
		"    return struct.unpack('i', fcntl.ioctl(s, SIOCOUTQNSD, b'\\0' * 4))[0]\n"
		"def segs_out(s):\n"
		"    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)\n"
		"    return struct.unpack_from('I', info, 136)[0]\n"
		"lsn = socket.create_server(('127.0.0.1', 0))\n"
		"def small_writes(nodelay):\n"
		"    cli = socket.create_connection(lsn.getsockname())\n"
		"    srv, _ = lsn.accept()\n"
		"    srv.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 0)\n"
		"    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, nodelay)\n"
		"    segs, held = segs_out(cli), []\n"
		"    for i in range(5):\n"
		"        cli.send(b'x')\n"
		"        held.append(unsent(cli))\n"
		"    return held, segs_out(cli) - segs\n"
		"assert small_writes(1) == ([0] * 5, 5)\n"
		"for i in range(5):\n"
		"    held, segs = small_writes(0)\n"
		"    if held[1:] == [1, 2, 3, 4]:\n"
		"        break\n"
		"else:\n"
		"    raise SystemExit('Nagle never held a write back')\n";
	char *opts[] = { "-e", "setsockopt", NULL };
	int off;
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, ", SOL_TCP, TCP_NODELAY, [1], 4) = 0\n    # TCP_NODELAY: small writes go out at once (no Nagle delay)\n");
	off = count_of(out, ", SOL_TCP, TCP_NODELAY, [0], 4) = 0\n    # 0: the option is off\n");
	EXPECT_TRUE(off >= 1 && off <= 5) {
		TH_LOG("%d times off:\n%s", off, out);
	}
	free(out);
}

/*
 * Row 72. Two unconnected UDP sockets send to a closed port; the one
 * with IP_RECVERR gets the ICMP error: POLLERR, then recvmsg(MSG_ERRQUEUE)
 * returns a copy of its datagram and a sock_extended_err (ECONNREFUSED,
 * from ICMP, type 3 code 3); after another one, its next sendto fails
 * with ECONNREFUSED. The one without it is told nothing (SO_ERROR 0, its
 * next sendto succeeds).
 */
TEST_TIMEOUT(ip_recverr_reports_icmp_errors_to_the_socket, 60)
{
	const char *program =
		"import socket, select, struct, errno\n"
		"IP_RECVERR = 11\n"
		"plain = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"told = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"told.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)\n"
		"closed = ('127.0.0.1', 9)\n"
		"plain.sendto(b'lost', closed)\n"
		"told.sendto(b'nobody', closed)\n"
		"p = select.poll(); p.register(told, select.POLLERR)\n"
		"assert p.poll(5000)\n"
		"data, anc, flags, addr = told.recvmsg(100, 512, socket.MSG_ERRQUEUE)\n"
		"assert data == b'nobody' and flags & socket.MSG_ERRQUEUE\n"
		"level, kind, err = anc[0]\n"
		"assert (level, kind) == (socket.IPPROTO_IP, IP_RECVERR)\n"
		"ee_errno, origin, icmp_type, icmp_code = struct.unpack_from('IBBB', err)\n"
		"assert (ee_errno, origin, icmp_type, icmp_code) == (errno.ECONNREFUSED, 2, 3, 3)\n"
		"told.sendto(b'again', closed)\n"
		"assert p.poll(5000)\n"
		"try:\n"
		"    told.sendto(b'later', closed); raise SystemExit('no error')\n"
		"except ConnectionRefusedError:\n"
		"    pass\n"
		"assert plain.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0\n"
		"plain.sendto(b'fine', closed)\n";
	char *opts[] = { "-e", "setsockopt,sendto,recvmsg", NULL };
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	EXPECT_SEEN(1, out, "] setsockopt(4, SOL_IP, IP_RECVERR, [1], 4) = 0\n    # IP_RECVERR: ICMP errors (such as port unreachable) are reported to this socket\n");
	EXPECT_SEEN(1, out, ", MSG_ERRQUEUE) = 6\n    # an error report from the error queue (MSG_ERRQUEUE): the error is in the control messages, and the data (6 bytes) is a copy of what this socket sent that it is about\n");
	EXPECT_SEEN(1, out, "] sendto(4, ..., 5, 0, {AF_INET, 127.0.0.1:9}, 16) = -1 ECONNREFUSED (Connection refused)\n    # an earlier datagram was refused: the peer's port is closed (ICMP port unreachable)\n");
	EXPECT_SEEN(2, out, "] sendto(3, ..., 4, 0, {AF_INET, 127.0.0.1:9}, 16) = 4\n");
	free(out);
}

/*
 * Row 76. A UDP socket's port, taken while it is bound (EADDRINUSE), is
 * bound by another socket right after its close(); but when a dup() of
 * the descriptor is left, close() does not close the socket and the port
 * stays taken, and the note says so, until the last descriptor closes.
 */
TEST_TIMEOUT(closed_udp_port_is_free_unless_a_descriptor_is_left, 60)
{
	const char *program =
		"import socket, os, errno\n"
		"def taken(port):\n"
		"    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		"    try:\n"
		"        s.bind(('127.0.0.1', port))\n"
		"        return False\n"
		"    except OSError as e:\n"
		"        assert e.errno == errno.EADDRINUSE\n"
		"        return True\n"
		"    finally:\n"
		"        s.close()\n"
		"a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('127.0.0.1', 0))\n"
		"port = a.getsockname()[1]\n"
		"assert taken(port)\n"
		"a.close()\n"
		"assert not taken(port)\n"
		"b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('127.0.0.1', port))\n"
		"copy = os.dup(b.fileno())\n"
		"b.close()\n"
		"assert taken(port)\n"
		"os.close(copy)\n"
		"assert not taken(port)\n";
	char *opts[] = { "-e", "socket,bind,close", NULL };
	char free_again[128];
	long port;
	char *out;

	EXPERIMENT(out, NULL, opts, program);
	port = number_after(out, "(UDP) now owns 127.0.0.1:");
	ASSERT_LT(0, port);
	snprintf(free_again, sizeof(free_again),
		 "] close(3) = 0\n    # fd 3 closed: UDP port %ld is free again\n",
		 port);
	/* The first socket, and the two that bound the port to try it. */
	EXPECT_SEEN(3, out, free_again);
	EXPECT_SEEN(1, out, "] close(3) = 0\n    # fd 3 closed, but not its socket: another descriptor (from dup() or fork()) still refers to it\n");
	EXPECT_SEEN(2, out, ", 16) = -1 EADDRINUSE (Address already in use)\n");
	free(out);
}

TEST_HARNESS_MAIN
