// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Writes the seed corpus of the fuzz targets: records as the BPF side
 * makes them for each socket call (addresses of each family, payloads,
 * failures, the kernel's restart codes) and for each kernel event; UDP
 * and TCP conversations as record streams for the reader, and as saved
 * traces for replay; socket addresses of every family the decoder knows
 * and some it does not; tricky strings; command lines. The input layouts
 * are described in checks.h.
 *
 *   make_corpus DIR     writes DIR/record/..., DIR/sockaddr/..., ...
 *
 * `make fuzz-corpus` runs it into tests/fuzz/corpus/; the files are kept
 * in git so that the fuzzers and the corpus replay in test_bad_input start
 * from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "events.h"

static const char *top;

static void write_file(const char *target, const char *name,
		       const void *data, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", top, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* --- records ------------------------------------------------------------- */

struct rec {
	struct syscall_record r;
	__u8 payload[PAYLOAD_MAX];
};

static void rec_init(struct rec *x, unsigned int call, long long ret)
{
	memset(x, 0, sizeof(*x));
	x->r.sock.sk = 0xffff888001234000ULL;
	x->r.sock.family = AF_INET;
	x->r.sock.type = SOCK_DGRAM;
	x->r.sock.protocol = IPPROTO_UDP;
	x->r.sock.valid = 1;
	x->r.hdr.ts_ns = 5123456789ULL;
	x->r.hdr.pid = 4242;
	x->r.hdr.tid = 4242;
	x->r.hdr.kind = EVENT_SYSCALL;
	strcpy(x->r.hdr.comm, "udp_chat_client");
	x->r.enter_ns = 5123400000ULL;
	x->r.call = call;
	x->r.ret = ret;
}

static void rec_addr(struct rec *x, const void *sa, size_t len)
{
	memcpy(x->r.addr, sa, len > SOCKADDR_MAX ? SOCKADDR_MAX : len);
	x->r.addr_len = len;
	x->r.addr_captured = len > SOCKADDR_MAX ? SOCKADDR_MAX : len;
	x->r.have |= HAVE_ADDR;
}

static void rec_payload(struct rec *x, const void *p, size_t len)
{
	memcpy(x->payload, p, len);
	x->r.payload_len = len;
	x->r.have |= HAVE_PAYLOAD;
}

/* Mode byte 0 (the record as it is), then the record. */
static void rec_write(struct rec *x, const char *name)
{
	unsigned char buf[1 + sizeof(*x)];
	size_t n = sizeof(x->r) + x->r.payload_len;

	x->r.hdr.size = n;
	buf[0] = 0;
	memcpy(buf + 1, x, n);
	write_file("record", name, buf, n + 1);
}

static struct sockaddr_in sin_of(const char *ip, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

static struct sockaddr_in6 sin6_of(const char *ip, int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };

	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	return sin6;
}

static void records(void)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 8000);
	struct sockaddr_in6 sin6 = sin6_of("::1", 8000);
	struct sockaddr_un sun = { .sun_family = AF_UNIX,
				   .sun_path = "/tmp/chat.sock" };
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	static const char utf8[] = "你好，服务器";
	static const unsigned char binary[] = { 0, 0xff, 1, '\n', 'A' };
	struct rec x;

	rec_init(&x, CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK;
	x.r.args[2] = IPPROTO_TCP;
	rec_write(&x, "socket-inet-tcp");

	rec_init(&x, CALL_SOCKET, -EAFNOSUPPORT);
	x.r.args[0] = 12345;
	x.r.args[1] = SOCK_STREAM | 0x10;
	rec_write(&x, "socket-bogus-family");

	rec_init(&x, CALL_SOCKET, 4);
	x.r.args[0] = AF_NETLINK;
	x.r.args[1] = SOCK_RAW;
	x.r.args[2] = NETLINK_ROUTE;
	rec_write(&x, "socket-netlink");

	rec_init(&x, CALL_SOCKET, 5);
	x.r.args[0] = AF_PACKET;
	x.r.args[1] = SOCK_RAW;
	x.r.args[2] = htons(ETH_P_ALL);
	rec_write(&x, "socket-packet");

	rec_init(&x, CALL_SOCKETPAIR, 0);
	x.r.args[0] = AF_UNIX;
	x.r.args[1] = SOCK_STREAM;
	x.r.args[3] = 0x7ffd0000;
	x.r.aux0 = 3;
	x.r.aux1 = 4;
	x.r.have = HAVE_AUX0 | HAVE_AUX1;
	rec_write(&x, "socketpair");

	rec_init(&x, CALL_BIND, 0);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = sizeof(sin);
	rec_addr(&x, &sin, sizeof(sin));
	rec_write(&x, "bind-inet");

	rec_init(&x, CALL_BIND, -EADDRINUSE);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = sizeof(sun);
	rec_addr(&x, &sun, sizeof(sun));
	rec_write(&x, "bind-unix-in-use");

	rec_init(&x, CALL_BIND, -EFAULT);
	x.r.args[0] = 3;
	x.r.args[1] = 0x10;
	x.r.args[2] = 16;
	x.r.have = ADDR_FAULT;
	rec_write(&x, "bind-fault");

	rec_init(&x, CALL_LISTEN, 0);
	x.r.args[0] = 3;
	x.r.args[1] = 5;
	rec_write(&x, "listen");

	rec_init(&x, CALL_ACCEPT, 4);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = 0x7ffd0100;
	x.r.aux1 = 128;
	x.r.have = HAVE_AUX1 | HAVE_ADDR_LEN;
	rec_addr(&x, &sin, sizeof(sin));
	rec_write(&x, "accept-inet");

	rec_init(&x, CALL_ACCEPT4, -512);	/* ERESTARTSYS */
	x.r.args[0] = 3;
	x.r.args[3] = SOCK_CLOEXEC;
	rec_write(&x, "accept4-restart");

	rec_init(&x, CALL_CONNECT, -ECONNREFUSED);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = sizeof(sin6);
	sin6.sin6_flowinfo = htonl(7);
	sin6.sin6_scope_id = 2;
	rec_addr(&x, &sin6, sizeof(sin6));
	rec_write(&x, "connect-inet6-refused");

	rec_init(&x, CALL_SENDTO, sizeof(utf8) - 1);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = sizeof(utf8) - 1;
	x.r.args[4] = 0x7ffd0100;
	x.r.args[5] = sizeof(sin);
	rec_addr(&x, &sin, sizeof(sin));
	rec_payload(&x, utf8, 8);
	rec_write(&x, "sendto-utf8-truncated");

	rec_init(&x, CALL_RECVFROM, sizeof(binary));
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = 1024;
	x.r.args[3] = MSG_TRUNC | MSG_DONTWAIT;
	x.r.args[4] = 0x7ffd0100;
	x.r.args[5] = 0x7ffd0200;
	x.r.aux1 = 128;
	x.r.have = HAVE_AUX1 | HAVE_ADDR_LEN;
	rec_addr(&x, &sin, sizeof(sin));
	rec_payload(&x, binary, sizeof(binary));
	rec_write(&x, "recvfrom-binary");

	rec_init(&x, CALL_SENDMSG, 20);
	x.r.args[0] = 5;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = MSG_NOSIGNAL;
	x.r.msg_len = 20;
	x.r.iov_count = 1;
	x.r.have = HAVE_MSG;
	rec_addr(&x, &snl, sizeof(snl));
	rec_payload(&x, "\x14\0\0\0\x12\0\x01\x03", 8);
	rec_write(&x, "sendmsg-netlink");

	rec_init(&x, CALL_RECVMSG, 300);
	x.r.args[0] = 4;
	x.r.args[1] = 0x7ffd0000;
	x.r.msg_len = 4096;
	x.r.iov_count = 2;
	x.r.msg_flags = MSG_TRUNC | MSG_CTRUNC;
	x.r.aux1 = 16;
	x.r.have = HAVE_MSG | HAVE_AUX1 | HAVE_ADDR_LEN;
	rec_addr(&x, &sin6, sizeof(sin6));
	memset(x.payload, 'z', PAYLOAD_MAX);
	x.payload[0] = 0xc2;		/* a C1 control: U+0085 */
	x.payload[1] = 0x85;
	rec_payload(&x, x.payload, PAYLOAD_MAX);
	rec_write(&x, "recvmsg-full-payload");

	rec_init(&x, CALL_SHUTDOWN, 0);
	x.r.args[0] = 3;
	x.r.args[1] = SHUT_WR;
	rec_write(&x, "shutdown");

	rec_init(&x, CALL_GETSOCKNAME, 0);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = 0x7ffd0100;
	x.r.aux1 = 110;
	x.r.have = HAVE_AUX1 | HAVE_ADDR_LEN;
	memcpy(sun.sun_path, "\0abstract\n\033[31m", 16);
	rec_addr(&x, &sun, 2 + 16);
	rec_write(&x, "getsockname-abstract");

	rec_init(&x, CALL_GETPEERNAME, -ENOTCONN);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffd0000;
	x.r.args[2] = 0x7ffd0100;
	x.r.aux1 = 16;
	x.r.have = HAVE_AUX1;
	rec_write(&x, "getpeername-notconn");

	rec_init(&x, CALL_SETSOCKOPT, 0);
	x.r.args[0] = 3;
	x.r.args[1] = SOL_SOCKET;
	x.r.args[2] = SO_REUSEADDR;
	x.r.args[3] = 0x7ffd0000;
	x.r.args[4] = 4;
	x.r.aux0 = 1;
	x.r.aux1 = 4;
	x.r.have = HAVE_AUX0 | HAVE_AUX1;
	rec_write(&x, "setsockopt-reuseaddr");

	rec_init(&x, CALL_GETSOCKOPT, 0);
	x.r.args[0] = 3;
	x.r.args[1] = IPPROTO_TCP;
	x.r.args[2] = TCP_NODELAY;
	x.r.args[3] = 0x7ffd0000;
	x.r.args[4] = 0x7ffd0100;
	x.r.aux0 = 0;
	x.r.aux1 = 4;
	x.r.have = HAVE_AUX0 | HAVE_AUX1;
	rec_write(&x, "getsockopt-nodelay");

	rec_init(&x, CALL_CLOSE, 0);
	x.r.args[0] = 3;
	x.r.hdr.tid = 4243;		/* another thread */
	x.r.hdr.lost_before = 17;
	memcpy(x.r.hdr.comm, "\033]0;evil\a\xff\xfe\x9b", 13);
	rec_write(&x, "close-thread-lost-comm");

	/* Shapes that validation must refuse: short, size mismatch. */
	rec_init(&x, CALL_CLOSE, 0);
	x.r.hdr.size = 40;
	write_file("record", "short-header", "\0", 1);
	{
		unsigned char buf[1 + 40];

		buf[0] = 0;
		memcpy(buf + 1, &x, 40);
		write_file("record", "header-only", buf, sizeof(buf));
	}
	/* Regression: ret INT64_MIN was negated before its range check
	 * (undefined behaviour in render_return). */
	rec_init(&x, CALL_SOCKET, (long long)(-0x7fffffffffffffffLL - 1));
	rec_write(&x, "regress-ret-int64-min");

	/* Mode 1: patched into a valid record of any call. */
	write_file("record", "patched-zeroes", "\1", 1);
}

/* --- kernel events ------------------------------------------------------- */

static struct kernel_record kevent(unsigned int kind, __u64 sk, __u32 owner)
{
	struct kernel_record k = {
		.hdr = { .ts_ns = 5200000000ULL, .pid = 0, .tid = 0,
			 .kind = kind, .size = sizeof(k), .comm = "swapper/1" },
		.sock = { .sk = sk, .family = AF_INET, .type = SOCK_STREAM,
			  .protocol = IPPROTO_TCP, .valid = 1, .sport = 54321,
			  .dport = 8000 },
		.owner_pid = owner,
	};

	inet_pton(AF_INET, "127.0.0.1", k.sock.saddr);
	inet_pton(AF_INET, "127.0.0.1", k.sock.daddr);
	return k;
}

static void kevent_write(const struct kernel_record *k, const char *name)
{
	unsigned char buf[1 + sizeof(*k)];

	buf[0] = 0;
	memcpy(buf + 1, k, sizeof(*k));
	write_file("record", name, buf, sizeof(buf));
}

static void kernel_events(void)
{
	struct kernel_record k;

	k = kevent(EVENT_TCP_STATE, 0xffff888001235000ULL, 200);
	k.old_state = 2;	/* SYN_SENT */
	k.new_state = 1;	/* ESTABLISHED */
	kevent_write(&k, "kernel-tcp-state");
	k.old_state = 99;
	k.new_state = 0;
	memcpy(k.hdr.comm, "\033[2Jx\x9b\xff", 8);
	kevent_write(&k, "kernel-tcp-state-unknown-states");
	k = kevent(EVENT_TCP_RETRANSMIT, 0xffff888001235000ULL, 0);
	k.sock.family = AF_INET6;
	inet_pton(AF_INET6, "::1", k.sock.saddr);
	inet_pton(AF_INET6, "fe80::1", k.sock.daddr);
	kevent_write(&k, "kernel-retransmit-inet6");
	k = kevent(EVENT_TCP_SEND_RESET, 0xffff888001235000ULL, 200);
	kevent_write(&k, "kernel-reset-sent");
	k = kevent(EVENT_TCP_RECEIVE_RESET, 0xffff888001235000ULL, 200);
	kevent_write(&k, "kernel-reset-received");
	k = kevent(EVENT_UDP_DROP, 0xffff888001234000ULL, 100);
	k.sock.type = SOCK_DGRAM;
	k.sock.protocol = IPPROTO_UDP;
	k.detail = -ENOMEM;
	kevent_write(&k, "kernel-udp-drop");
	k = kevent(EVENT_RCVQUEUE_FULL, 0xffff888001234000ULL, 100);
	k.sock.family = AF_UNIX;
	kevent_write(&k, "kernel-rcvqueue-full-unix");
	k = kevent(EVENT_BUF_LIMIT, 0, 0);
	k.sock.family = 12345;
	kevent_write(&k, "kernel-buf-limit-odd-family");
	/* Kinds that validation must refuse. */
	k = kevent(0, 0, 0);
	kevent_write(&k, "kernel-kind-0");
	k = kevent(EVENT_KIND_MAX, 0, 0);
	kevent_write(&k, "kernel-kind-max");
}

/* --- conversations: record streams and saved traces ---------------------- */

#define SK_SERVER	0xffff888001234000ULL
#define SK_CLIENT	0xffff888001235000ULL
#define SK_CONN		0xffff888001236000ULL

struct stream {
	unsigned char bytes[16384];
	size_t len;
	char saved[65536];		/* replay: one line per record */
	size_t saved_len;
	__u64 ts;
};

static void stream_start(struct stream *st)
{
	st->len = 0;
	st->ts = 5100000000ULL;
	st->saved_len = snprintf(st->saved, sizeof(st->saved),
		"{\"kind\":\"trace_start\",\"ts_ns\":5000000000,\"pid\":0,\"tid\":0,\"comm\":\"\",\"abi\":2,\"version\":\"0.1.0\",\"realtime_ns\":1700000005000000000}\n");
}

/* Append a record: 2 bytes of length, the bytes; and its saved line. */
static void stream_add(struct stream *st, void *rec, size_t n)
{
	struct event_header *h = rec;
	const unsigned char *p = rec;

	h->ts_ns = st->ts += 40000;
	h->size = n;
	if (h->kind == EVENT_SYSCALL)
		((struct syscall_record *)rec)->enter_ns = h->ts_ns - 15000;
	st->bytes[st->len++] = n & 0xff;
	st->bytes[st->len++] = n >> 8;
	memcpy(st->bytes + st->len, rec, n);
	st->len += n;
	st->saved_len += snprintf(st->saved + st->saved_len,
				  sizeof(st->saved) - st->saved_len,
				  "{\"kind\":\"%s\",\"raw\":\"",
				  h->kind == EVENT_SYSCALL ? "syscall" :
				  "tcp_state");
	for (size_t i = 0; i < n; i++)
		st->saved_len += snprintf(st->saved + st->saved_len,
					  sizeof(st->saved) - st->saved_len,
					  "%02x", p[i]);
	st->saved_len += snprintf(st->saved + st->saved_len,
				  sizeof(st->saved) - st->saved_len, "\"}\n");
}

static void call_add(struct stream *st, struct rec *x)
{
	stream_add(st, x, sizeof(x->r) + x->r.payload_len);
}

/* Reader options to run the streams with: text; JSON; JSON with -x;
 * text without notes, with -T and -t (READER_* in checks.h). */
static const unsigned char variants[] = { 0x00, 0x01, 0x03, 0x1c };

/* Write the stream for the reader with these option bits, and (once)
 * the saved trace for replay. */
static void stream_write(struct stream *st, const char *name,
			 unsigned char bits)
{
	unsigned char buf[1 + sizeof(st->bytes)];
	char file[64];

	buf[0] = bits;
	memcpy(buf + 1, st->bytes, st->len);
	snprintf(file, sizeof(file), "%s-%02x", name, bits);
	write_file("reader", file, buf, 1 + st->len);
	write_file("replay", name, st->saved, st->saved_len);
}

static void as_process(struct rec *x, __u32 pid, const char *comm, __u64 sk,
		       int type, int protocol)
{
	x->r.hdr.pid = x->r.hdr.tid = pid;
	strncpy(x->r.hdr.comm, comm, sizeof(x->r.hdr.comm) - 1);
	x->r.sock.sk = sk;
	x->r.sock.type = type;
	x->r.sock.protocol = protocol;
	inet_pton(AF_INET, "127.0.0.1", x->r.sock.saddr);
}

/* client: the client's command name; name: the files' name. */
static void udp_conversation(const char *client_comm, const char *name)
{
	struct sockaddr_in server = sin_of("127.0.0.1", 8000);
	struct sockaddr_in client = sin_of("127.0.0.1", 54321);
	static struct stream st;
	struct rec x;

#define SERVER(call, ret) (rec_init(&x, call, ret), \
	as_process(&x, 100, "udp_chat_server", SK_SERVER, SOCK_DGRAM, \
		   IPPROTO_UDP))
#define CLIENT(call, ret) (rec_init(&x, call, ret), \
	as_process(&x, 200, client_comm, SK_CLIENT, SOCK_DGRAM, \
		   IPPROTO_UDP))
	stream_start(&st);
	SERVER(CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_DGRAM;
	call_add(&st, &x);
	SERVER(CALL_BIND, 0);
	x.r.args[0] = 3;
	x.r.args[2] = sizeof(server);
	rec_addr(&x, &server, sizeof(server));
	x.r.sock.sport = 8000;
	call_add(&st, &x);
	CLIENT(CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_DGRAM;
	call_add(&st, &x);
	CLIENT(CALL_SENDTO, 5);
	x.r.args[0] = 3;
	x.r.args[2] = 5;
	x.r.args[5] = sizeof(server);
	rec_addr(&x, &server, sizeof(server));
	rec_payload(&x, "hello", 5);
	x.r.sock.sport = 54321;		/* the kernel chose it */
	call_add(&st, &x);
	SERVER(CALL_RECVFROM, 5);
	x.r.args[0] = 3;
	x.r.args[2] = 1024;
	x.r.args[3] = MSG_TRUNC;
	x.r.aux1 = 128;
	x.r.have |= HAVE_AUX1 | HAVE_ADDR_LEN;
	rec_addr(&x, &client, sizeof(client));
	rec_payload(&x, "hello", 5);
	x.r.sock.sport = 8000;
	call_add(&st, &x);
	SERVER(CALL_SENDTO, 5);
	x.r.args[0] = 3;
	x.r.args[2] = 5;
	x.r.args[5] = sizeof(client);
	x.r.hdr.lost_before = 2;
	rec_addr(&x, &client, sizeof(client));
	rec_payload(&x, "hello", 5);
	x.r.sock.sport = 8000;
	call_add(&st, &x);
	CLIENT(CALL_RECVFROM, -EAGAIN);
	x.r.args[0] = 3;
	x.r.args[2] = 1024;
	call_add(&st, &x);
	CLIENT(CALL_CLOSE, 0);
	x.r.args[0] = 3;
	call_add(&st, &x);
	SERVER(CALL_BIND, -EADDRINUSE);		/* a second server */
	x.r.hdr.pid = x.r.hdr.tid = 300;
	x.r.args[0] = 3;
	x.r.args[2] = sizeof(server);
	rec_addr(&x, &server, sizeof(server));
	call_add(&st, &x);
	for (size_t i = 0; i < sizeof(variants); i++)
		stream_write(&st, name, variants[i]);
}

static void tcp_conversation(void)
{
	struct sockaddr_in server = sin_of("127.0.0.1", 8000);
	struct sockaddr_in client = sin_of("127.0.0.1", 54321);
	static struct stream st;
	struct kernel_record k;
	struct rec x;

#define TSERVER(call, ret) (rec_init(&x, call, ret), \
	as_process(&x, 100, "tcp_chat_server", SK_SERVER, SOCK_STREAM, \
		   IPPROTO_TCP))
#define TCLIENT(call, ret) (rec_init(&x, call, ret), \
	as_process(&x, 200, "tcp_chat_client", SK_CLIENT, SOCK_STREAM, \
		   IPPROTO_TCP))
	stream_start(&st);
	TSERVER(CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_STREAM;
	call_add(&st, &x);
	TSERVER(CALL_SETSOCKOPT, 0);
	x.r.args[0] = 3;
	x.r.args[1] = SOL_SOCKET;
	x.r.args[2] = SO_REUSEADDR;
	x.r.args[4] = 4;
	x.r.aux0 = 1;
	x.r.aux1 = 4;
	x.r.have = HAVE_AUX0 | HAVE_AUX1;
	call_add(&st, &x);
	TSERVER(CALL_BIND, 0);
	x.r.args[0] = 3;
	x.r.args[2] = sizeof(server);
	rec_addr(&x, &server, sizeof(server));
	x.r.sock.sport = 8000;
	call_add(&st, &x);
	TSERVER(CALL_LISTEN, 0);
	x.r.args[0] = 3;
	x.r.args[1] = 5;
	x.r.sock.sport = 8000;
	x.r.sock.state = 10;
	x.r.sock.backlog = 5;
	call_add(&st, &x);
	TCLIENT(CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_STREAM;
	call_add(&st, &x);
	k = kevent(EVENT_TCP_STATE, SK_CLIENT, 200);
	k.sock.sport = 0;
	k.old_state = 7;
	k.new_state = 2;
	stream_add(&st, &k, sizeof(k));
	k.sock.sport = 54321;
	k.old_state = 2;
	k.new_state = 1;
	stream_add(&st, &k, sizeof(k));
	TCLIENT(CALL_CONNECT, 0);
	x.r.args[0] = 3;
	x.r.args[2] = sizeof(server);
	rec_addr(&x, &server, sizeof(server));
	x.r.sock.sport = 54321;
	x.r.sock.dport = 8000;
	x.r.sock.state = 1;
	call_add(&st, &x);
	TSERVER(CALL_ACCEPT4, 4);
	x.r.args[0] = 3;
	x.r.args[3] = SOCK_CLOEXEC;
	x.r.aux1 = 128;
	x.r.have = HAVE_AUX1 | HAVE_ADDR_LEN;
	rec_addr(&x, &client, sizeof(client));
	x.r.sock.sk = SK_CONN;
	x.r.sock.sport = 8000;
	x.r.sock.dport = 54321;
	x.r.sock.state = 1;
	call_add(&st, &x);
	TCLIENT(CALL_SENDTO, 6);
	x.r.args[0] = 3;
	x.r.args[2] = 6;
	rec_payload(&x, "hello\n", 6);
	call_add(&st, &x);
	TSERVER(CALL_RECVFROM, 6);
	x.r.args[0] = 4;
	x.r.args[2] = 1024;
	x.r.sock.sk = SK_CONN;
	rec_payload(&x, "hello\n", 6);
	call_add(&st, &x);
	k = kevent(EVENT_TCP_RETRANSMIT, SK_CONN, 100);
	stream_add(&st, &k, sizeof(k));
	TCLIENT(CALL_SHUTDOWN, 0);
	x.r.args[0] = 3;
	x.r.args[1] = SHUT_WR;
	call_add(&st, &x);
	k = kevent(EVENT_TCP_STATE, SK_CLIENT, 200);
	k.old_state = 1;
	k.new_state = 4;
	stream_add(&st, &k, sizeof(k));
	TCLIENT(CALL_CLOSE, 0);
	x.r.args[0] = 3;
	call_add(&st, &x);
	k = kevent(EVENT_TCP_RECEIVE_RESET, SK_CONN, 100);
	stream_add(&st, &k, sizeof(k));
	TSERVER(CALL_CLOSE, 0);
	x.r.args[0] = 4;
	x.r.sock.sk = SK_CONN;
	call_add(&st, &x);
	TSERVER(CALL_CLOSE, 0);
	x.r.args[0] = 3;
	call_add(&st, &x);
	for (size_t i = 0; i < sizeof(variants); i++)
		stream_write(&st, "tcp-chat", variants[i]);
	/* The same, patched: pids and sockets folded. */
	stream_write(&st, "tcp-chat-patched", 0x20);
}

/* Lines replay must refuse, one by one, saying why. */
static void bad_replay_lines(void)
{
	static const struct { const char *name, *text; } t[] = {
		{ "bad-not-json", "hello\n" },
		{ "bad-truncated", "{\"kind\":\"syscall\",\"raw\":\"0102\n" },
		{ "bad-no-kind", "{\"raw\":\"00\"}\n" },
		{ "bad-abi", "{\"kind\":\"trace_start\",\"ts_ns\":1,\"abi\":1}\n" },
		{ "bad-odd-hex", "{\"kind\":\"syscall\",\"raw\":\"abc\"}\n" },
		{ "bad-upper-hex", "{\"kind\":\"syscall\",\"raw\":\"AB\"}\n" },
		{ "bad-lost", "{\"kind\":\"lost\",\"count\":-1}\n" },
		{ "lost-huge", "{\"kind\":\"lost\",\"ts_ns\":18446744073709551615,\"count\":18446744073709551615}\n" },
		{ "bad-deep", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n" },
		{ "bad-escapes", "{\"kind\":\"sys\\u0000call\",\"raw\":\"\\ud800\"}\n" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		write_file("replay", t[i].name, t[i].text, strlen(t[i].text));
}

/* --- socket addresses ---------------------------------------------------- */

/* 4 bytes of addrlen, then the bytes captured. */
static void sa_write(const char *name, const void *sa, size_t captured,
		     unsigned int addrlen)
{
	unsigned char buf[4 + 256];

	buf[0] = addrlen;
	buf[1] = addrlen >> 8;
	buf[2] = addrlen >> 16;
	buf[3] = addrlen >> 24;
	memcpy(buf + 4, sa, captured);
	write_file("sockaddr", name, buf, 4 + captured);
}

static void sockaddrs(void)
{
	struct sockaddr_in sin = sin_of("192.168.1.20", 443);
	struct sockaddr_in6 sin6 = sin6_of("fe80::1", 8000);
	struct sockaddr_in6 mapped = sin6_of("::ffff:10.0.0.1", 53);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK, .nl_pid = 1234,
				   .nl_groups = 0x11 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = 2, .sll_halen = 6 };
	unsigned char raw[128];

	sa_write("inet", &sin, sizeof(sin), sizeof(sin));
	sa_write("inet-short", &sin, 8, 8);
	sa_write("inet-captured-less", &sin, 6, sizeof(sin));
	sin6.sin6_scope_id = 2;
	sin6.sin6_flowinfo = htonl(0x12345);
	sa_write("inet6-scope", &sin6, sizeof(sin6), sizeof(sin6));
	sa_write("inet6-no-scope-id", &sin6, 24, 24);
	sa_write("inet6-mapped", &mapped, sizeof(mapped), sizeof(mapped));
	strcpy(sun.sun_path, "/tmp/chat.sock");
	sa_write("unix-path", &sun, 2 + 15, 2 + 15);
	memset(sun.sun_path, 'p', sizeof(sun.sun_path));
	sa_write("unix-no-nul", &sun, sizeof(sun), sizeof(sun));
	memcpy(sun.sun_path, "\0name\0with\"nul\\", 16);
	sa_write("unix-abstract", &sun, 2 + 16, 2 + 16);
	sa_write("unix-unnamed", &sun, 2, 2);
	memcpy(sun.sun_path, "\xe4\xbd\xa0\n\t\x7f\x01" "7", 8);
	sa_write("unix-escapes", &sun, 2 + 8, 2 + 8);
	sa_write("netlink", &snl, sizeof(snl), sizeof(snl));
	sa_write("packet", &sll, sizeof(sll), sizeof(sll));
	memset(raw, 0xab, sizeof(raw));
	raw[0] = 42;
	raw[1] = 0;
	sa_write("unknown-family", raw, sizeof(raw), sizeof(raw));
	sa_write("storage-oversized", raw, sizeof(raw), 1000);
	sa_write("one-byte", raw, 1, 1);
	sa_write("null", raw, 0, 0);
	raw[0] = 0xff;
	raw[1] = 0xff;
	sa_write("family-65535", raw, 16, 16);
}

/* --- strings ------------------------------------------------------------- */

static void strings(void)
{
	static const struct { const char *name; const char *s; size_t n; } t[] = {
		{ "ascii", "hello, world", 12 },
		{ "chinese", "你好，服务器", 18 },
		{ "binary", "\0\377\1\nA", 5 },
		{ "nul-then-digit", "\0" "1\0" "8\1" "7", 6 },
		{ "quotes", "\"\\\"'\\\\", 6 },
		{ "controls", "\t\n\v\f\r\b\033\177", 8 },
		{ "c1", "\xc2\x80\xc2\x9f\xc2\xa0", 6 },
		{ "overlong", "\xc0\x80\xe0\x80\xaf\xf0\x80\x80\xaf", 9 },
		{ "surrogate", "\xed\xa0\x80\xed\xbf\xbf", 6 },
		{ "above-max", "\xf4\x90\x80\x80\xf5\x80\x80\x80", 8 },
		{ "emoji", "\xf0\x9f\x98\x80", 4 },
		{ "cut-short", "\xe4\xbd", 2 },
		{ "stray-continuation", "\x80\xbf" "a", 3 },
		{ "bidi-and-bom", "\xe2\x80\xae" "abc" "\xef\xbb\xbf", 9 },
		{ "empty", "", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		write_file("escape", t[i].name, t[i].s, t[i].n);
}

/* --- command lines ------------------------------------------------------- */

static void command_lines(void)
{
	static const struct { const char *name; const char *s; size_t n; } t[] = {
#define ARGS(name, s) { name, s, sizeof(s) - 1 }
		ARGS("pids", "-p\0" "1,2,3\0-f"),
		ARGS("pid-long", "--pid=42"),
		ARGS("comm", "-c\0udp_chat_server\0-c\0tcp_chat_client"),
		ARGS("calls", "-e\0bind,connect,accept4"),
		ARGS("json-output", "-j\0-o\0/tmp/trace.jsonl\0-x\0-T\0-t"),
		ARGS("payload", "--payload=256"),
		ARGS("payload-default", "--payload\0-v"),
		ARGS("ringbuf", "--ringbuf-size\0" "4096"),
		ARGS("ringbuf-missing", "--ringbuf-size"),
		ARGS("command", "-u\0nobody\0--\0ls\0-l"),
		ARGS("command-bare", "build/examples/udp_chat_client\0--port\0" "9"),
		ARGS("cluster", "-fjxTtv"),
		ARGS("no-value-given-one", "--json=1"),
		ARGS("unknown", "--bogus\0-Q"),
		ARGS("twice", "-o\0a\0-o\0b"),
		ARGS("help", "-h\0-V"),
		/* Regressions: an empty -p list after a good one read
		 * arg[-1]; a long option's missing value printed its
		 * number as a character; arguments with control
		 * characters were echoed raw. */
		ARGS("regress-empty-pid-list", "-p\0" "1\0-p\0"),
		ARGS("regress-long-option-value", "--json=1\0--payload=x"),
		ARGS("regress-control-chars", "-e\0bind,\n\033[2J\0-Q"),
		ARGS("regress-c1-and-latin1",
		     "-c\0\xc2\x9b" "31m_0123456789abcdef\0-e\0\xff"),
	};

	char cut[3 + 63 + 3 + 250];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		write_file("options", t[i].name, t[i].s, t[i].n);
	/* Regression: a long argument echoed in a message was cut in the
	 * middle of a UTF-8 character. */
	memcpy(cut, "-p\0", 3);
	memset(cut + 3, '1', 63);
	memcpy(cut + 66, "\xe4\xbd\xa0", 3);
	memset(cut + 69, '2', 250);
	write_file("options", "regress-cut-utf8", cut, sizeof(cut));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus DIR\n");
		return 2;
	}
	top = argv[1];
	mkdir(top, 0755);
	records();
	kernel_events();
	udp_conversation("udp_chat_client", "udp-chat");
	/* Regression: a name with control characters reached the terminal
	 * through the notes of the other side ("sent by ..."). */
	udp_conversation("\033[2J\033]0;x\a\xc2\x9b", "udp-chat-evil-name");
	tcp_conversation();
	bad_replay_lines();
	sockaddrs();
	strings();
	command_lines();
	return 0;
}
