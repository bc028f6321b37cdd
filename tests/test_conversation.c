// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Records come at a call's end, so a receive's record can come before
 * the record of the send it took: the reader holds the receive back until
 * the send comes, and its note still names the sender. Fed to the reader
 * as the ring buffer would give them; no root needed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "harness.h"
#include "options.h"
#include "reader.h"

#define MS	1000000ULL

struct rec {
	struct syscall_record r;
};

struct fixture {
	struct options o;
	struct output out;
	struct reader rd;
	__u64 now;
};

static __u64 mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static void setup(struct fixture *f)
{
	char *argv[] = { "sockscope", NULL };

	memset(f, 0, sizeof(*f));
	options_parse(&f->o, 1, argv, stderr);
	f->o.explain = true;
	output_open(&f->out, NULL);
	reader_init(&f->rd, &f->o, &f->out, NULL);
	f->rd.live = true;
	f->now = mono_now();
	reader_start(&f->rd, f->now);
}

static void teardown(struct fixture *f)
{
	sb_free(&f->out.buf);
	reader_free(&f->rd);
}

static void end(struct sock_info *si, int type, const char *ip,
		unsigned int sport, unsigned int dport)
{
	si->valid = 1;
	si->family = AF_INET;
	si->type = type;
	si->protocol = type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
	si->state = type == SOCK_DGRAM ? 7 : 1;	/* CLOSE, ESTABLISHED */
	si->sport = sport;
	si->dport = dport;
	inet_pton(AF_INET, ip, si->saddr);
	if (dport)
		inet_pton(AF_INET, ip, si->daddr);
}

/* A call of pid on fd 3 (socket sk), from enter to end (ms after now). */
static void call(struct fixture *f, struct rec *x, pid_t pid,
		 const char *comm, unsigned int call, long long ret,
		 double enter, double at)
{
	memset(x, 0, sizeof(*x));
	x->r.hdr.kind = EVENT_SYSCALL;
	x->r.hdr.size = sizeof(x->r);
	x->r.hdr.pid = x->r.hdr.tid = pid;
	strcpy(x->r.hdr.comm, comm);
	x->r.hdr.ts_ns = f->now + at * MS;
	x->r.enter_ns = f->now + enter * MS;
	x->r.call = call;
	x->r.ret = ret;
	x->r.args[0] = 3;
	x->r.args[2] = ret > 0 ? ret : 64;
	x->r.sock.sk = pid;
}

static void addr(struct rec *x, unsigned int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	memcpy(x->r.addr, &sin, sizeof(sin));
	x->r.addr_captured = x->r.addr_len = sizeof(sin);
	x->r.have |= HAVE_ADDR;
}

static void feed(struct fixture *f, struct rec *x)
{
	reader_handle(&f->rd, &x->r, sizeof(x->r), NULL);
}

/* The lines of the output that contain s. */
static int lines_with(const char *out, const char *s)
{
	int n = 0;

	for (const char *p = out; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/* Two UDP sockets on 127.0.0.1, bound: 40000 (pid 100), 5000 (pid 200). */
static void two_udp_sockets(struct fixture *f)
{
	struct rec x;

	call(f, &x, 100, "sender", CALL_BIND, 0, 0, 0.01);
	end(&x.r.sock, SOCK_DGRAM, "127.0.0.1", 40000, 0);
	addr(&x, 40000);
	feed(f, &x);
	call(f, &x, 200, "receiver", CALL_BIND, 0, 0, 0.02);
	end(&x.r.sock, SOCK_DGRAM, "127.0.0.1", 5000, 0);
	addr(&x, 5000);
	feed(f, &x);
}

/* The receiver's recvfrom of 5 bytes from port `from`, the sender's
 * sendto of 5 bytes to 5000. */
static void udp_receive(struct fixture *f, struct rec *x, unsigned int from,
			double enter, double at)
{
	call(f, x, 200, "receiver", CALL_RECVFROM, 5, enter, at);
	end(&x->r.sock, SOCK_DGRAM, "127.0.0.1", 5000, 0);
	addr(x, from);
}

static void udp_send(struct fixture *f, struct rec *x, double enter,
		     double at)
{
	call(f, x, 100, "sender", CALL_SENDTO, 5, enter, at);
	end(&x->r.sock, SOCK_DGRAM, "127.0.0.1", 40000, 0);
	addr(x, 5000);
}

/* A call of the connection 127.0.0.1:40000 (client, pid 100) <->
 * 127.0.0.1:5000 (server, pid 200), fed. */
static void tcp_call(struct fixture *f, bool client, unsigned int nr,
		     long long ret, double enter, double at)
{
	struct rec x;

	call(f, &x, client ? 100 : 200, client ? "client" : "server", nr, ret,
	     enter, at);
	end(&x.r.sock, SOCK_STREAM, "127.0.0.1", client ? 40000 : 5000,
	    client ? 5000 : 40000);
	feed(f, &x);
}

TEST(a_receive_before_its_send_still_names_the_sender)
{
	struct fixture f;
	struct rec recv, send;
	const char *out;

	setup(&f);
	two_udp_sockets(&f);
	/* The receive ended at 1.0 ms; the send began at 0.9 ms and
	 * ended at 1.2 ms, so its record comes second. */
	udp_receive(&f, &recv, 40000, 0.1, 1.0);
	udp_send(&f, &send, 0.9, 1.2);
	feed(&f, &recv);
	/* Held back: nothing of it is written yet. */
	EXPECT_EQ(1, holdback_count(&f.rd.hold));
	EXPECT_EQ(0, lines_with(f.out.buf.buf, "recvfrom("));
	feed(&f, &send);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	/* Still in the order the records came. */
	out = strstr(f.out.buf.buf, "0.001000 ");
	ASSERT_TRUE(out);
	EXPECT_STREQ("0.001000 [200 receiver] recvfrom(3, NULL, 5, 0, {AF_INET, 127.0.0.1:40000}, NULL) = 5\n"
		     "    # a datagram of 5 bytes, as many as the buffer holds: a longer one would have been cut to this (MSG_TRUNC would tell); sent by sender (pid 100), 0.100 ms earlier\n"
		     "0.001200 [100 sender] sendto(3, NULL, 5, 0, {AF_INET, 127.0.0.1:5000}, 0) = 5\n"
		     "    # one datagram of 5 bytes: it arrives whole or not at all\n",
		     out);
	teardown(&f);
}

TEST(a_receive_whose_send_never_comes_waits_200_ms_at_most)
{
	struct fixture f;
	struct rec recv, other;

	setup(&f);
	two_udp_sockets(&f);
	/* Just ended: it waits, and what comes after it waits too. */
	udp_receive(&f, &recv, 40000, 0.1, 1.0);
	feed(&f, &recv);
	call(&f, &other, 100, "sender", CALL_GETSOCKNAME, 0, 2, 2.1);
	end(&other.r.sock, SOCK_DGRAM, "127.0.0.1", 40000, 0);
	feed(&f, &other);
	reader_release(&f.rd, false);
	EXPECT_EQ(2, holdback_count(&f.rd.hold));
	EXPECT_EQ(0, lines_with(f.out.buf.buf, "recvfrom("));
	teardown(&f);
}

TEST(a_receive_that_ended_200_ms_ago_waits_no_more)
{
	struct fixture f;
	struct rec recv, other;

	setup(&f);
	f.now -= 201 * MS;
	reader_start(&f.rd, f.now);
	two_udp_sockets(&f);
	udp_receive(&f, &recv, 40000, 0.1, 0.2);
	feed(&f, &recv);
	call(&f, &other, 100, "sender", CALL_GETSOCKNAME, 0, 0.3, 0.4);
	end(&other.r.sock, SOCK_DGRAM, "127.0.0.1", 40000, 0);
	feed(&f, &other);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	EXPECT_EQ(1, lines_with(f.out.buf.buf, "[200 receiver] recvfrom(3, "));
	EXPECT_EQ(1, lines_with(f.out.buf.buf, "[100 sender] getsockname(3, "));
	EXPECT_EQ(0, lines_with(f.out.buf.buf, "sent by"));
	teardown(&f);
}

TEST(the_end_of_a_trace_lets_all_go)
{
	struct fixture f;
	struct rec recv;

	setup(&f);
	two_udp_sockets(&f);
	udp_receive(&f, &recv, 40000, 0.1, 1.0);
	feed(&f, &recv);
	EXPECT_EQ(1, holdback_count(&f.rd.hold));
	reader_release(&f.rd, true);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	EXPECT_EQ(1, lines_with(f.out.buf.buf, "[200 receiver] recvfrom(3, "));
	teardown(&f);
}

/* From a sender nobody traces (no socket of the trace holds its port),
 * nothing waits. */
TEST(a_datagram_from_outside_the_trace_is_not_held)
{
	struct fixture f;
	struct rec recv;

	setup(&f);
	two_udp_sockets(&f);
	udp_receive(&f, &recv, 41234, 0.1, 1.0);
	feed(&f, &recv);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	EXPECT_EQ(1, lines_with(f.out.buf.buf, "[200 receiver] recvfrom(3, "));
	teardown(&f);
}

/* A stream's bytes are taken from its sends in order: 10 bytes sent,
 * read as 4 and 6, both name the sender; 3 more bytes sent twice, read
 * as 6 at once, name the first of them. */
TEST(a_stream_names_the_sender_of_each_part)
{
	struct fixture f;
	const char *out;

	setup(&f);
	tcp_call(&f, true, CALL_CONNECT, 0, 0, 0.1);
	/* EAGAIN: the server's socket becomes known. */
	tcp_call(&f, false, CALL_RECVFROM, -11, 0, 0.1);
	tcp_call(&f, true, CALL_SENDTO, 10, 1, 1.1);
	tcp_call(&f, false, CALL_RECVFROM, 4, 1, 1.5);
	tcp_call(&f, false, CALL_RECVFROM, 6, 1.6, 1.7);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	tcp_call(&f, true, CALL_SENDTO, 3, 2, 2.1);
	tcp_call(&f, true, CALL_SENDTO, 3, 2.2, 2.3);
	tcp_call(&f, false, CALL_RECVFROM, 6, 1.6, 2.5);
	out = strstr(f.out.buf.buf, "0.001500 ");
	ASSERT_TRUE(out);
	EXPECT_STREQ("0.001500 [200 server] recvfrom(3, NULL, 4, 0, NULL, NULL) = 4\n"
		     "    # 4 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by client (pid 100), 0.400 ms earlier\n"
		     "0.001700 [200 server] recvfrom(3, NULL, 6, 0, NULL, NULL) = 6\n"
		     "    # 6 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by client (pid 100), 0.600 ms earlier\n"
		     "0.002100 [100 client] sendto(3, NULL, 3, 0, NULL, 0) = 3\n"
		     "    # 3 bytes into the TCP stream: the kernel delivers them in order and resends what is lost\n"
		     "0.002300 [100 client] sendto(3, NULL, 3, 0, NULL, 0) = 3\n"
		     "    # 3 bytes into the TCP stream: the kernel delivers them in order and resends what is lost\n"
		     "0.002500 [200 server] recvfrom(3, NULL, 6, 0, NULL, NULL) = 6\n"
		     "    # 6 bytes from the stream: TCP keeps the order of bytes, not message boundaries; sent by client (pid 100), 0.400 ms earlier\n",
		     out);
	/* And with all taken, a fourth read waits for a send to come. */
	tcp_call(&f, false, CALL_RECVFROM, 1, 2.6, 2.7);
	EXPECT_EQ(1, holdback_count(&f.rd.hold));
	teardown(&f);
}

/* An accept's record may come before its connect's. */
TEST(an_accept_before_its_connect_names_the_client)
{
	struct fixture f;
	struct rec lsn, acc, con;

	setup(&f);
	call(&f, &lsn, 200, "server", CALL_LISTEN, 0, 0, 0.1);
	end(&lsn.r.sock, SOCK_STREAM, "127.0.0.1", 5000, 0);
	lsn.r.sock.state = 10;			/* LISTEN */
	feed(&f, &lsn);
	call(&f, &con, 100, "client", CALL_SOCKET, 3, 0, 0.2);
	end(&con.r.sock, SOCK_STREAM, "127.0.0.1", 0, 0);
	con.r.sock.state = 7;
	feed(&f, &con);
	call(&f, &acc, 200, "server", CALL_ACCEPT, 4, 0.5, 1.0);
	end(&acc.r.sock, SOCK_STREAM, "127.0.0.1", 5000, 40000);
	acc.r.sock.sk = 300;
	call(&f, &con, 100, "client", CALL_CONNECT, 0, 0.6, 1.1);
	end(&con.r.sock, SOCK_STREAM, "127.0.0.1", 40000, 5000);
	/* The client's port is its own from connect() on: a socket with
	 * no port yet may be the one. */
	feed(&f, &acc);
	EXPECT_EQ(1, holdback_count(&f.rd.hold));
	feed(&f, &con);
	EXPECT_EQ(0, holdback_count(&f.rd.hold));
	EXPECT_EQ(1, lines_with(f.out.buf.buf, "; the connect() made by client (pid 100), 0.400 ms earlier"));
	teardown(&f);
}

/* In a picture, a datagram taken before its send's record came is not
 * drawn as lost. */
TEST(a_diagram_does_not_lose_a_datagram_received_first)
{
	struct fixture f;
	struct diagram d;
	struct rec recv, send;
	int lost = 0, arrows = 0;

	setup(&f);
	diagram_init(&d);
	f.rd.diagram = &d;
	two_udp_sockets(&f);
	udp_receive(&f, &recv, 40000, 0.1, 1.0);
	udp_send(&f, &send, 0.9, 1.2);
	feed(&f, &recv);
	feed(&f, &send);
	reader_release(&f.rd, true);
	diagram_finish(&d);
	for (int i = 0; i < d.nsteps; i++) {
		arrows += d.steps[i].kind == STEP_ARROW;
		lost += d.steps[i].lost;
	}
	EXPECT_EQ(1, arrows);
	EXPECT_EQ(0, lost);
	diagram_free(&d);
	teardown(&f);
}

TEST_HARNESS_MAIN
