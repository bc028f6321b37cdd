// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The record decoder without BPF: records built by hand, rendered as text
 * and JSON, compared exactly; and the checks that refuse bad records.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "format.h"
#include "harness.h"
#include "render.h"

static struct render_opts ro = { .start_ns = 1000000000ULL };

struct rec {
	struct syscall_record r;
	__u8 payload[PAYLOAD_MAX];
};

static void init(struct rec *x, unsigned int call, long long ret)
{
	memset(x, 0, sizeof(*x));
	x->r.hdr.ts_ns = 1001500000ULL;	/* 1.5 ms after the start */
	x->r.hdr.pid = x->r.hdr.tid = 42;
	x->r.hdr.kind = EVENT_SYSCALL;
	x->r.hdr.size = sizeof(x->r);
	strcpy(x->r.hdr.comm, "chat");
	x->r.enter_ns = 1001400000ULL;
	x->r.call = call;
	x->r.ret = ret;
}

static void set_in4(struct rec *x, const char *ip, unsigned int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &sin.sin_addr);
	memcpy(x->r.addr, &sin, sizeof(sin));
	x->r.addr_captured = sizeof(sin);
	x->r.addr_len = sizeof(sin);
	x->r.have |= HAVE_ADDR;
}

static char *text(struct rec *x)
{
	struct strbuf sb;

	sb_init(&sb);
	render_syscall_text(&sb, &x->r, &ro);
	return sb.buf;
}

static char *json(struct rec *x, const char *note)
{
	struct strbuf sb;

	sb_init(&sb);
	render_syscall_json(&sb, &x->r, &ro, note);
	return sb.buf;
}

#define CHECK_TEXT(x, expected) do {		\
	char *s_ = text(x);			\
	EXPECT_STREQ(expected, s_);		\
	free(s_);				\
} while (0)

#define CHECK_JSON(x, note, expected) do {	\
	char *s_ = json(x, note);		\
	EXPECT_STREQ(expected, s_);		\
	free(s_);				\
} while (0)

#define PREFIX "0.001500 [42 chat] "
#define JHEAD "{\"kind\":\"syscall\",\"ts_ns\":1001500000,\"pid\":42,\"tid\":42,\"comm\":\"chat\","

TEST(socket_text_and_json)
{
	struct rec x;

	init(&x, CALL_SOCKET, 3);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_STREAM | SOCK_CLOEXEC;
	x.r.args[2] = 0;
	CHECK_TEXT(&x, PREFIX "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"socket\",\"ret\":3,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"flags\":[\"SOCK_CLOEXEC\"],\"protocol\":\"IPPROTO_IP\"}}\n");
	CHECK_JSON(&x, "a note \"quoted\"", JHEAD "\"name\":\"socket\",\"ret\":3,\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"flags\":[\"SOCK_CLOEXEC\"],\"protocol\":\"IPPROTO_IP\"},\"note\":\"a note \\\"quoted\\\"\"}\n");
}

/* A type whose low 4 bits name none: strace's text, the whole of it as
 * JSON's type. socketpair shares the decoder. */
TEST(socket_of_type_77)
{
	struct rec x;

	init(&x, CALL_SOCKET, -EINVAL);
	x.r.args[0] = AF_INET;
	x.r.args[1] = 77;
	x.r.args[2] = 0;
	CHECK_TEXT(&x, PREFIX "socket(AF_INET, 0x4d /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"socket\",\"ret\":-1,\"errno\":\"EINVAL\",\"args\":{\"family\":\"AF_INET\",\"type\":77,\"flags\":[],\"protocol\":\"IPPROTO_IP\"}}\n");
	x.r.call = CALL_SOCKETPAIR;
	x.r.args[0] = AF_UNIX;
	x.r.args[3] = 0x7ffc0000;
	CHECK_TEXT(&x, PREFIX "socketpair(AF_UNIX, 0x4d /* SOCK_??? */, 0, 0x7ffc0000) = -1 EINVAL (Invalid argument)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"socketpair\",\"ret\":-1,\"errno\":\"EINVAL\",\"args\":{\"family\":\"AF_UNIX\",\"type\":77,\"flags\":[],\"protocol\":0}}\n");
}

TEST(failure_has_errno_name_and_message)
{
	struct rec x;

	init(&x, CALL_CONNECT, -ECONNREFUSED);
	x.r.args[0] = 3;
	x.r.args[2] = 16;
	set_in4(&x, "127.0.0.1", 8000);
	CHECK_TEXT(&x, PREFIX "connect(3, {AF_INET, 127.0.0.1:8000}, 16) = -1 ECONNREFUSED (Connection refused)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"connect\",\"ret\":-1,\"errno\":\"ECONNREFUSED\",\"args\":{\"fd\":3,\"addr\":{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":8000},\"addrlen\":16}}\n");
}

/*
 * As strace: an address of fewer than 2 bytes, or with a length negative
 * as an int, is shown as its pointer (JSON: null, or the byte without a
 * family); a NULL buffer as NULL. An unnamed family as strace spells it.
 */
TEST(what_strace_does_not_decode)
{
	struct rec x;

	init(&x, CALL_CONNECT, -EBADF);
	x.r.args[0] = -1;
	x.r.args[1] = 0x7ffc0000;
	x.r.args[2] = 0xffffffff;
	set_in4(&x, "127.0.0.1", 8000);
	x.r.addr_len = 0xffffffff;
	CHECK_TEXT(&x, PREFIX "connect(-1, 0x7ffc0000, -1) = -1 EBADF (Bad file descriptor)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"connect\",\"ret\":-1,\"errno\":\"EBADF\",\"args\":{\"fd\":-1,\"addr\":null,\"addrlen\":-1}}\n");
	x.r.args[2] = x.r.addr_len = 1;
	x.r.addr_captured = 1;
	CHECK_TEXT(&x, PREFIX "connect(-1, 0x7ffc0000, 1) = -1 EBADF (Bad file descriptor)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"connect\",\"ret\":-1,\"errno\":\"EBADF\",\"args\":{\"fd\":-1,\"addr\":{\"family\":null,\"hex\":\"02\"},\"addrlen\":1}}\n");
	x.r.args[2] = x.r.addr_len = 0;
	x.r.addr_captured = 0;
	CHECK_TEXT(&x, PREFIX "connect(-1, 0x7ffc0000, 0) = -1 EBADF (Bad file descriptor)\n");
	x.r.args[2] = x.r.addr_len = x.r.addr_captured = 6;
	memcpy(x.r.addr, "\x2e\x00\x01\x02\x03\x04", 6);
	CHECK_TEXT(&x, PREFIX "connect(-1, {0x2e /* AF_??? */, hex=01020304}, 6) = -1 EBADF (Bad file descriptor)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"connect\",\"ret\":-1,\"errno\":\"EBADF\",\"args\":{\"fd\":-1,\"addr\":{\"family\":46,\"hex\":\"01020304\"},\"addrlen\":6}}\n");

	init(&x, CALL_SENDTO, -EBADF);
	x.r.args[0] = -1;
	CHECK_TEXT(&x, PREFIX "sendto(-1, NULL, 0, 0, NULL, 0) = -1 EBADF (Bad file descriptor)\n");
	x.r.args[1] = 0x7ffc0000;
	CHECK_TEXT(&x, PREFIX "sendto(-1, ..., 0, 0, NULL, 0) = -1 EBADF (Bad file descriptor)\n");
}

/* socketpair's protocol is a plain number in strace's text, a name in
 * JSON as socket()'s. */
TEST(socketpair_protocol)
{
	struct rec x;

	init(&x, CALL_SOCKETPAIR, -EOPNOTSUPP);
	x.r.args[0] = AF_INET;
	x.r.args[1] = SOCK_STREAM;
	x.r.args[2] = IPPROTO_TCP;
	x.r.args[3] = 0x7ffc0000;
	CHECK_TEXT(&x, PREFIX "socketpair(AF_INET, SOCK_STREAM, 6, 0x7ffc0000) = -1 EOPNOTSUPP (Operation not supported)\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"socketpair\",\"ret\":-1,\"errno\":\"EOPNOTSUPP\",\"args\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"flags\":[],\"protocol\":\"IPPROTO_TCP\"}}\n");
	x.r.args[2] = 0xffffffff;
	CHECK_TEXT(&x, PREFIX "socketpair(AF_INET, SOCK_STREAM, 4294967295, 0x7ffc0000) = -1 EOPNOTSUPP (Operation not supported)\n");
}

TEST(restart_code_is_question_mark)
{
	struct rec x;

	init(&x, CALL_ACCEPT, -512);
	x.r.args[0] = 3;
	x.r.args[1] = 0x7ffc0000;
	x.r.args[2] = 0x7ffc0100;
	x.r.aux1 = 16;
	x.r.have = HAVE_AUX1;
	CHECK_TEXT(&x, PREFIX "accept(3, 0x7ffc0000, [16]) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n");
}

TEST(accept_length_before_and_after)
{
	struct rec x;

	init(&x, CALL_ACCEPT4, 4);
	x.r.args[0] = 3;
	x.r.args[1] = 0x1000;
	x.r.args[2] = 0x2000;
	x.r.args[3] = SOCK_NONBLOCK;
	x.r.aux1 = 128;
	set_in4(&x, "10.1.2.3", 54321);
	x.r.have |= HAVE_AUX1 | HAVE_ADDR_LEN;
	CHECK_TEXT(&x, PREFIX "accept4(3, {AF_INET, 10.1.2.3:54321}, [128 => 16], SOCK_NONBLOCK) = 4\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"accept4\",\"ret\":4,\"args\":{\"fd\":3,\"addr\":{\"family\":\"AF_INET\",\"ip\":\"10.1.2.3\",\"port\":54321},\"flags\":[\"SOCK_NONBLOCK\"]}}\n");
}

TEST(sendto_with_payload)
{
	struct rec x;

	init(&x, CALL_SENDTO, 6);
	x.r.args[0] = 3;
	x.r.args[2] = 6;
	x.r.args[3] = MSG_DONTWAIT;
	x.r.args[5] = 16;
	set_in4(&x, "127.0.0.1", 8000);
	memcpy(x.payload, "hi\n\0\377A", 6);
	x.r.payload_len = 4;
	x.r.have |= HAVE_PAYLOAD;
	x.r.hdr.size = sizeof(x.r) + 4;
	CHECK_TEXT(&x, PREFIX "sendto(3, \"hi\\n\\0\"..., 6, MSG_DONTWAIT, {AF_INET, 127.0.0.1:8000}, 16) = 6\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"sendto\",\"ret\":6,\"args\":{\"fd\":3,\"len\":6,\"flags\":[\"MSG_DONTWAIT\"],\"addr\":{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":8000}},\"data\":{\"hex\":\"68690a00\",\"text\":\"hi\\n\\u0000\",\"truncated\":true}}\n");
}

TEST(recvmsg_and_unix_address)
{
	struct rec x;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	init(&x, CALL_RECVMSG, 5);
	x.r.args[0] = 4;
	x.r.args[2] = 0;
	strcpy(sun.sun_path, "/tmp/chat.sock");
	memcpy(x.r.addr, &sun, 2 + 15);
	x.r.addr_captured = 17;
	x.r.addr_len = 17;
	x.r.aux1 = 110;
	x.r.msg_len = 1024;
	x.r.iov_count = 1;
	x.r.msg_flags = MSG_TRUNC;
	x.r.have = HAVE_ADDR | HAVE_ADDR_LEN | HAVE_AUX1 | HAVE_MSG;
	CHECK_TEXT(&x, PREFIX "recvmsg(4, {msg_name={AF_UNIX, \"/tmp/chat.sock\"}, msg_namelen=17, msg_iov=..., msg_iovlen=1, msg_len=1024, msg_flags=MSG_TRUNC}, 0) = 5\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"recvmsg\",\"ret\":5,\"args\":{\"fd\":4,\"len\":1024,\"flags\":[],\"addr\":{\"family\":\"AF_UNIX\",\"path\":\"/tmp/chat.sock\"}}}\n");
}

TEST(sockopt_int_and_struct_values)
{
	struct rec x;

	init(&x, CALL_SETSOCKOPT, 0);
	x.r.args[0] = 3;
	x.r.args[1] = SOL_SOCKET;
	x.r.args[2] = SO_REUSEADDR;
	x.r.args[3] = 0x5000;
	x.r.args[4] = 4;
	x.r.aux0 = 1;
	x.r.aux1 = 4;
	x.r.have = HAVE_AUX0 | HAVE_AUX1;
	CHECK_TEXT(&x, PREFIX "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"setsockopt\",\"ret\":0,\"args\":{\"fd\":3,\"level\":\"SOL_SOCKET\",\"optname\":\"SO_REUSEADDR\",\"value\":1}}\n");
	/* SO_LINGER holds a struct linger: no int value. */
	x.r.args[2] = SO_LINGER;
	x.r.args[4] = 8;
	CHECK_TEXT(&x, PREFIX "setsockopt(3, SOL_SOCKET, SO_LINGER, 0x5000, 8) = 0\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"setsockopt\",\"ret\":0,\"args\":{\"fd\":3,\"level\":\"SOL_SOCKET\",\"optname\":\"SO_LINGER\"}}\n");
}

TEST(thread_prefix_duration_and_resumed)
{
	struct rec x;

	ro.duration = true;
	init(&x, CALL_SHUTDOWN, 0);
	x.r.hdr.tid = 43;
	x.r.args[0] = 5;
	x.r.args[1] = SHUT_WR;
	CHECK_TEXT(&x, "0.001500 [42/43 chat] shutdown(5, SHUT_WR) = 0 <0.000100>\n");
	ro.duration = false;
	init(&x, CALL_ACCEPT, 7);
	x.r.have = RESUMED;
	CHECK_TEXT(&x, PREFIX "<... accept resumed> = 7\n");
	CHECK_JSON(&x, NULL, JHEAD "\"name\":\"accept\",\"ret\":7,\"args\":{},\"resumed\":true}\n");
}

/*
 * The text line's head (time, "[pid/tid comm] ", the call's name and its
 * '(') is written at one cursor over room claimed once: against the same
 * head put together by render_time and printf, for the longest pid, tid
 * and name, a name with control characters ('?'), huge times, and a line that starts at every
 * length around the buffer's first capacity (256), so the claim grows the
 * buffer under it or just does not.
 */
TEST(line_head_at_one_cursor)
{
	static const __u64 ts[] = {
		1001500000ULL, 1000000000ULL, 999ULL,
		1000000000ULL + 4294967296ULL * 1000000000ULL + 999999999ULL,
		~0ULL,
	};
	static const char *const comms[] = {
		"chat", "0123456789abcde", "a\tb\033", "",
	};
	char name[SOCKSCOPE_COMM_LEN + 1];
	struct strbuf sb, want;
	struct rec x;
	size_t start, k, c;

	sb_init(&want);
	for (k = 0; k < 2 * sizeof(ts) / sizeof(ts[0]); k++) {
		/* Each time twice: relative, then as --wallclock shows it
		 * (render_time before the cursor's piece). */
		ro.wallclock = k >= sizeof(ts) / sizeof(ts[0]);
		for (c = 0; c < sizeof(comms) / sizeof(comms[0]); c++) {
			init(&x, CALL_CLOSE, 0);
			x.r.args[0] = 5;
			x.r.hdr.ts_ns = ts[k % (sizeof(ts) / sizeof(ts[0]))];
			x.r.enter_ns = 0;
			x.r.hdr.pid = c & 1 ? 4294967295U : 42;
			x.r.hdr.tid = c & 2 ? 4294967294U : x.r.hdr.pid;
			memset(x.r.hdr.comm, 0, sizeof(x.r.hdr.comm));
			strcpy(x.r.hdr.comm, comms[c]);
			/* The slow path: render_time, then printf. */
			sb_reset(&want);
			render_time(&want, x.r.hdr.ts_ns, &ro);
			sb_addf(&want, "[%u", x.r.hdr.pid);
			if (x.r.hdr.tid != x.r.hdr.pid)
				sb_addf(&want, "/%u", x.r.hdr.tid);
			format_printable_name(name, x.r.hdr.comm,
					      sizeof(x.r.hdr.comm));
			sb_addf(&want, " %s] close(5) = 0\n", name);
			for (start = 180; start < 260; start++) {
				sb_init(&sb);
				for (size_t i = 0; i < start; i++)
					sb_addc(&sb, 'a');
				render_syscall_text(&sb, &x.r, &ro);
				ASSERT_EQ(start + want.len, sb.len);
				EXPECT_STREQ(want.buf, sb.buf + start);
				sb_free(&sb);
			}
		}
	}
	ro.wallclock = false;
	sb_free(&want);
}

/* The note is copied by its known length: the same "    # ...\n" at
 * every length around the capacity, and nothing for an empty note. */
TEST(note_text_by_its_length)
{
	struct strbuf sb, note;
	size_t start;

	sb_init(&note);
	sb_init(&sb);
	render_note_text(&sb, &note);
	EXPECT_EQ(0UL, sb.len);
	sb_add(&note, "fd 3 closed");
	for (start = 230; start < 260; start++) {
		sb_free(&sb);
		for (size_t i = 0; i < start; i++)
			sb_addc(&sb, 'a');
		render_note_text(&sb, &note);
		ASSERT_EQ(start + 18, sb.len);
		EXPECT_STREQ("    # fd 3 closed\n", sb.buf + start);
	}
	sb_free(&sb);
	sb_free(&note);
}

TEST(validate_refuses_bad_records)
{
	struct rec x;

	init(&x, CALL_SOCKET, 3);
	EXPECT_EQ(0, record_validate(&x.r, sizeof(x.r)));
	EXPECT_EQ(-EINVAL, record_validate(&x.r, sizeof(x.r) - 1));
	EXPECT_EQ(-EINVAL, record_validate(&x.r, 10));
	x.r.call = CALL_MAX;
	EXPECT_EQ(-EINVAL, record_validate(&x.r, sizeof(x.r)));
	init(&x, CALL_SOCKET, 3);
	x.r.addr_captured = SOCKADDR_MAX + 1;
	EXPECT_EQ(-EINVAL, record_validate(&x.r, sizeof(x.r)));
	init(&x, CALL_SOCKET, 3);
	x.r.payload_len = 8;	/* says 8 bytes follow; none do */
	EXPECT_EQ(-EINVAL, record_validate(&x.r, sizeof(x.r)));
	init(&x, CALL_SOCKET, 3);
	x.r.hdr.kind = 99;
	EXPECT_EQ(-EINVAL, record_validate(&x.r, sizeof(x.r)));
}

TEST(kernel_event_text_and_json)
{
	struct kernel_record k = {};
	struct event_owner o = { .pid = 42, .fd = 3, .comm = "chat" };
	struct strbuf sb;

	k.hdr.ts_ns = 1002000000ULL;
	k.hdr.kind = EVENT_TCP_STATE;
	k.hdr.size = sizeof(k);
	k.sock.family = AF_INET;
	k.sock.sport = 41234;
	k.sock.dport = 8000;
	inet_pton(AF_INET, "127.0.0.1", k.sock.saddr);
	inet_pton(AF_INET, "127.0.0.1", k.sock.daddr);
	k.old_state = 2;	/* SYN_SENT */
	k.new_state = 1;	/* ESTABLISHED */
	EXPECT_EQ(0, record_validate(&k, sizeof(k)));
	sb_init(&sb);
	render_kernel_text(&sb, &k, &o, 50000, &ro);
	EXPECT_STREQ("0.002000 [42 chat] tcp 127.0.0.1:41234 -> 127.0.0.1:8000 (fd 3): SYN_SENT -> ESTABLISHED after 0.050 ms in SYN_SENT\n",
		     sb.buf);
	sb_reset(&sb);
	render_kernel_json(&sb, &k, &o, 50000, "done");
	EXPECT_STREQ("{\"kind\":\"tcp_state\",\"ts_ns\":1002000000,\"pid\":42,\"tid\":42,\"comm\":\"chat\",\"fd\":3,\"family\":\"AF_INET\",\"saddr\":\"127.0.0.1\",\"sport\":41234,\"daddr\":\"127.0.0.1\",\"dport\":8000,\"old\":\"SYN_SENT\",\"new\":\"ESTABLISHED\",\"ms_in_old\":0.050,\"note\":\"done\"}\n",
		     sb.buf);
	sb_free(&sb);
}

TEST_HARNESS_MAIN
