// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The formatters (user/format.c) and the output buffer (user/strbuf.c):
 * exact text and JSON for each kind of value, socket addresses of every
 * family and length read from untrusted bytes (next to an unmapped page,
 * so an over-read crashes), every JSON string checked by a small JSON
 * parser written here, and strace's own quoting of every byte compared
 * with ours.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "format.h"
#include "fuzz/utf8_ref.h"
#include "harness.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "names.h"
#include "strbuf.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The text a formatter call writes into a fresh buffer. */
#define FORMATTED(sb, call) ({			\
	sb_reset(&(sb));			\
	call;					\
	(sb).buf ? (sb).buf : "";		\
})

/* --- a small JSON parser, to check what we write --------------------- */

struct json_parser {
	const unsigned char *p, *end;
	unsigned cps[4096];	/* code points of the last string parsed */
	size_t ncps;
};

static bool json_value(struct json_parser *j);

static int json_hex4(const unsigned char *p)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static bool json_push(struct json_parser *j, unsigned cp)
{
	if (j->ncps == ARRAY_SIZE(j->cps))
		return false;
	j->cps[j->ncps++] = cp;
	return true;
}

static bool json_escape(struct json_parser *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	int v;

	if (j->p >= j->end)
		return false;
	e = *j->p ? strchr(from, *j->p) : NULL;
	if (e) {
		j->p++;
		return json_push(j, (unsigned char)to[e - from]);
	}
	if (*j->p != 'u' || j->end - j->p < 5)
		return false;
	v = json_hex4(j->p + 1);
	j->p += 5;
	/* we never write surrogates, paired or not */
	return v >= 0 && (v < 0xd800 || v > 0xdfff) && json_push(j, v);
}

/* A string literal; its code points are left in j->cps. */
static bool json_string(struct json_parser *j)
{
	long cp;
	size_t len;

	j->ncps = 0;
	if (j->p >= j->end || *j->p++ != '"')
		return false;
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\') {
			j->p++;
			if (!json_escape(j))
				return false;
			continue;
		}
		cp = ref_utf8_decode(j->p, j->end - j->p, &len);
		if (cp < 0x20 || !json_push(j, cp))	/* -1: not UTF-8 */
			return false;
		j->p += len;
	}
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static bool json_number(struct json_parser *j)
{
	const unsigned char *start;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	start = j->p;
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	if (j->p == start || (*start == '0' && j->p - start > 1))
		return false;
	return true;
}

static bool json_word(struct json_parser *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

/* An object ('{') or array ('['): members separated by ','. */
static bool json_members(struct json_parser *j, char close, bool keys)
{
	j->p++;
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (keys && (!json_string(j) || !json_word(j, ":")))
			return false;
		if (!json_value(j) || j->p >= j->end)
			return false;
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool json_value(struct json_parser *j)
{
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return json_members(j, '}', true);
	case '[':
		return json_members(j, ']', false);
	case '"':
		return json_string(j);
	case 't':
		return json_word(j, "true");
	case 'f':
		return json_word(j, "false");
	case 'n':
		return json_word(j, "null");
	default:
		return json_number(j);
	}
}

/* Whether s (n bytes) is exactly one JSON value, without whitespace. */
static bool is_json(struct json_parser *j, const char *s, size_t n)
{
	j->p = (const unsigned char *)s;
	j->end = j->p + n;
	return json_value(j) && j->p == j->end;
}

TEST(json_checker_checks)
{
	static const char *const good[] = {
		"\"\"", "\"a\\u00ffb\"", "{}", "[]", "[1,-2,\"x\"]", "null",
		"{\"a\":{\"b\":[true,false,null]}}", "\"\xe4\xbd\xa0\"",
	};
	static const char *const bad[] = {
		"", "\"", "\"\x01\"", "\"\xff\"", "\"\\x\"", "\"\\u00g0\"",
		"\"\\ud800\"", "{\"a\"}", "[1,]", "01", "{\"a\":1,}", "nul",
		"\"a\"b", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"", "-",
	};
	struct json_parser j;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		EXPECT_TRUE(is_json(&j, good[i], strlen(good[i]))) {
			TH_LOG("%s", good[i]);
		}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_FALSE(is_json(&j, bad[i], strlen(bad[i]))) {
			TH_LOG("%s", bad[i]);
		}
}

/* --- strbuf ---------------------------------------------------------- */

TEST(strbuf_grows_and_stays_terminated)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	EXPECT_NULL(sb.buf);
	EXPECT_EQ(0UL, sb.len);
	sb_reset(&sb);
	sb_add(&sb, "");
	ASSERT_NE(NULL, sb.buf);
	EXPECT_STREQ("", sb.buf);
	for (i = 0; i < 10000; i++)
		sb_addc(&sb, 'a' + i % 26);
	EXPECT_EQ(10000UL, sb.len);
	EXPECT_EQ(10000UL, strlen(sb.buf));
	EXPECT_LT(sb.len, sb.cap);
	EXPECT_EQ('a', sb.buf[0]);
	EXPECT_EQ('a' + 9999 % 26, sb.buf[9999]);
	sb_reset(&sb);
	EXPECT_EQ(0UL, sb.len);
	EXPECT_STREQ("", sb.buf);
	sb_addn(&sb, "x\0y", 3);
	EXPECT_EQ(3UL, sb.len);
	EXPECT_EQ(0, memcmp(sb.buf, "x\0y", 4));
	sb_addn(&sb, NULL, 0);
	EXPECT_EQ(3UL, sb.len);
	sb_free(&sb);
	EXPECT_NULL(sb.buf);
	EXPECT_EQ(0UL, sb.cap);
}

TEST(strbuf_addf)
{
	struct strbuf sb;
	char big[5000];

	sb_init(&sb);
	sb_addf(&sb, "%d-%s", 42, "x");
	EXPECT_STREQ("42-x", sb.buf);
	/* longer than what is left, and than the first allocation */
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_addf(&sb, "[%s]", big);
	EXPECT_EQ(4UL + 5001, sb.len);
	EXPECT_EQ(sb.len, strlen(sb.buf));
	EXPECT_EQ(']', sb.buf[sb.len - 1]);
	EXPECT_EQ('b', sb.buf[5]);
	sb_reset(&sb);
	sb_addf(&sb, "%s", "");
	EXPECT_STREQ("", sb.buf);
	sb_add(&sb, "ab");
	sb_addf(&sb, "%c", 'c');
	EXPECT_STREQ("abc", sb.buf);
	sb_free(&sb);
}

TEST(strbuf_out_of_memory_exits)
{
	struct rlimit lim = { 64 << 20, 64 << 20 };
	char msg[128] = "";
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

#if defined(__SANITIZE_ADDRESS__)
	SKIP(return, "address space limits and ASan do not mix");
#endif
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct strbuf sb;

		dup2(pipefd[1], 2);
		setrlimit(RLIMIT_AS, &lim);
		sb_init(&sb);
		sb_addf(&sb, "%*s", 256 << 20, "");
		_exit(0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], msg, sizeof(msg) - 1);
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(1, WEXITSTATUS(status));
	ASSERT_LT(0, n);
	msg[n] = '\0';
	EXPECT_STREQ("sockscope: out of memory\n", msg);
}

/* The number appenders, at their edges, against printf. */
TEST(strbuf_numbers)
{
	static const unsigned long long u[] = {
		0, 1, 9, 10, 99, 100, 4294967295ULL, 4294967296ULL,
		999999999999999999ULL, 1000000000000000000ULL,
		9223372036854775807ULL, 9223372036854775808ULL,
		18446744073709551615ULL,
	};
	static const long long i[] = {
		0, 1, -1, 9, -9, 10, -10, 2147483647LL, -2147483648LL,
		9223372036854775807LL, -9223372036854775807LL - 1,
	};
	unsigned long long v, x = 0x9e3779b97f4a7c15ULL;
	char want[64];
	struct strbuf sb;
	size_t k;

	sb_init(&sb);
	EXPECT_STREQ("0", FORMATTED(sb, sb_addu(&sb, 0)));
	EXPECT_STREQ("18446744073709551615",
		     FORMATTED(sb, sb_addu(&sb, ULLONG_MAX)));
	EXPECT_STREQ("-9223372036854775808",
		     FORMATTED(sb, sb_addi(&sb, LLONG_MIN)));
	EXPECT_STREQ("9223372036854775807",
		     FORMATTED(sb, sb_addi(&sb, LLONG_MAX)));
	EXPECT_STREQ("0", FORMATTED(sb, sb_addhex(&sb, 0)));
	EXPECT_STREQ("0xffffffffffffffff",
		     FORMATTED(sb, sb_addhex(&sb, ULLONG_MAX)));
	EXPECT_STREQ("000345", FORMATTED(sb, sb_addu_zpad(&sb, 345, 6)));
	EXPECT_STREQ("1234567", FORMATTED(sb, sb_addu_zpad(&sb, 1234567, 6)));
	EXPECT_STREQ("00", FORMATTED(sb, sb_addu_zpad(&sb, 0, 2)));
	EXPECT_STREQ("0", FORMATTED(sb, sb_addu_zpad(&sb, 0, 0)));
	/* A width past 20 digits is cut to 20. */
	EXPECT_STREQ("00000000000000000007",
		     FORMATTED(sb, sb_addu_zpad(&sb, 7, 99)));
	for (k = 0; k < ARRAY_SIZE(u); k++) {
		snprintf(want, sizeof(want), "%llu", u[k]);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addu(&sb, u[k])));
		snprintf(want, sizeof(want), "%#llx", u[k]);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addhex(&sb, u[k])));
		snprintf(want, sizeof(want), "%06llu", u[k]);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addu_zpad(&sb, u[k], 6)));
	}
	for (k = 0; k < ARRAY_SIZE(i); k++) {
		snprintf(want, sizeof(want), "%lld", i[k]);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addi(&sb, i[k])));
	}
	/* Each side of every power of ten, where the digits' count
	 * changes. */
	for (v = 1, k = 0; k < 19; k++, v *= 10) {
		for (unsigned long long w = v - 1; w <= v; w++) {
			snprintf(want, sizeof(want), "%llu", w);
			EXPECT_STREQ(want, FORMATTED(sb, sb_addu(&sb, w)));
			snprintf(want, sizeof(want), "%lld", -(long long)w);
			EXPECT_STREQ(want, FORMATTED(sb,
				sb_addi(&sb, -(long long)w)));
			snprintf(want, sizeof(want), "%08llu", w);
			EXPECT_STREQ(want, FORMATTED(sb,
				sb_addu_zpad(&sb, w, 8)));
		}
	}
	snprintf(want, sizeof(want), "%llu", 10000000000000000000ULL);
	EXPECT_STREQ(want, FORMATTED(sb,
		sb_addu(&sb, 10000000000000000000ULL)));
	/* Random values of every magnitude (xorshift64, shifted 0..63). */
	for (k = 0; k < 100000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> (k % 64);
		snprintf(want, sizeof(want), "%llu", v);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addu(&sb, v)));
		snprintf(want, sizeof(want), "%lld", (long long)v);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addi(&sb, (long long)v)));
		snprintf(want, sizeof(want), "%lld", -(long long)(v >> 1));
		EXPECT_STREQ(want, FORMATTED(sb,
			sb_addi(&sb, -(long long)(v >> 1))));
		snprintf(want, sizeof(want), "%#llx", v);
		EXPECT_STREQ(want, FORMATTED(sb, sb_addhex(&sb, v)));
	}
	/* Appended after what is there, and terminated. */
	sb_reset(&sb);
	sb_add(&sb, "x=");
	sb_addi(&sb, -42);
	sb_addc(&sb, ',');
	sb_addu(&sb, 7);
	EXPECT_STREQ("x=-42,7", sb.buf);
	EXPECT_EQ(7UL, sb.len);
	sb_free(&sb);
}

/* sb_put_u, sb_put_i and sb_put_u_zpad of v against printf: the digits,
 * and the end they return is the end of what printf writes. */
static void expect_cursor_numbers(unsigned long long v)
{
	char want[64], got[64], *end;

	memset(got, 'x', sizeof(got));
	end = sb_put_u(got, v);
	*end = '\0';
	snprintf(want, sizeof(want), "%llu", v);
	EXPECT_STREQ(want, got);
	end = sb_put_i(got, -(long long)(v >> 1));
	*end = '\0';
	snprintf(want, sizeof(want), "%lld", -(long long)(v >> 1));
	EXPECT_STREQ(want, got);
	end = sb_put_u_zpad(got, v, 12);
	*end = '\0';
	snprintf(want, sizeof(want), "%012llu", v);
	EXPECT_STREQ(want, got);
}

/* The cursor writers each side of 2^32 (where the 64-bit divisions hand
 * over to 32-bit ones) and of every power of ten. */
TEST(strbuf_cursor_numbers)
{
	static const unsigned long long u[] = {
		0, 4294967295ULL, 4294967296ULL, 4294967299ULL,
		4294967300ULL, 429496729600ULL, 18446744073709551615ULL,
	};
	unsigned long long v;
	char got[32];
	size_t k;

	for (k = 0; k < ARRAY_SIZE(u); k++)
		expect_cursor_numbers(u[k]);
	for (v = 1, k = 0; k < 20; k++, v *= 10) {
		expect_cursor_numbers(v - 1);
		expect_cursor_numbers(v);
	}
	*sb_put_i(got, LLONG_MIN) = '\0';
	EXPECT_STREQ("-9223372036854775808", got);
}

/* Every add grows the buffer when it must, at every length around the
 * capacity, and leaves it terminated; sb_claim and sb_commit too. */
TEST(strbuf_inline_adds_at_the_capacity_edge)
{
	static const char digits[] = "0123456";
	struct strbuf sb;
	size_t start, n, k;
	char *p;

	for (start = 250; start < 260; start++) {
		for (n = 0; n < 10; n++) {
			sb_init(&sb);
			for (k = 0; k < start; k++)
				sb_addc(&sb, 'a');
			switch (n < 8 ? n % 4 : 4) {
			case 0:
				sb_addn(&sb, digits, n);
				break;
			case 1:
				for (k = 0; k < n; k++)
					sb_addc(&sb, '0' + k);
				break;
			case 2:
				p = sb_claim(&sb, n);
				for (k = 0; k < n; k++)
					p[k] = '0' + k;
				sb_commit(&sb, n);
				break;
			case 3:
				sb_add(&sb, digits + 7 - n);
				break;
			case 4:
				/* A cursor over a claimed piece, as the
				 * text line's head is written: numbers
				 * then a byte, committed at its end. */
				p = sb_claim(&sb, 20 + 1);
				p = sb_put_u(p, n == 8 ? 1234567 : 12345678);
				/* n: the 7 or 8 digits and the byte */
				*p++ = 'z';
				sb_commit_to(&sb, p);
				EXPECT_STREQ(n == 8 ? "1234567z" :
					     "12345678z", sb.buf + start);
				break;
			}
			ASSERT_EQ(start + n, sb.len);
			EXPECT_LT(sb.len, sb.cap);
			EXPECT_EQ('\0', sb.buf[sb.len]);
			EXPECT_EQ(sb.len, strlen(sb.buf));
			sb_free(&sb);
		}
	}
	/* sb_claim on an empty buffer allocates; committing 0 terminates. */
	sb_init(&sb);
	p = sb_claim(&sb, 0);
	ASSERT_NE(NULL, p);
	sb_commit(&sb, 0);
	EXPECT_STREQ("", sb.buf);
	sb_free(&sb);
}

/* --- flags and values ------------------------------------------------ */

TEST(flags_text)
{
	static const struct name_entry multi[] = {
		{ 0x3, "BOTH" }, { 0x1, "ONE" }, { 0, "ZERO" }, { 0, NULL }
	};
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("0", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0, "0")));
	EXPECT_STREQ("0", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0, NULL)));
	EXPECT_STREQ("none", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0, "none")));
	EXPECT_STREQ("MSG_DONTWAIT|MSG_NOSIGNAL", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0x4040, "0")));
	EXPECT_STREQ("MSG_PEEK|0x10000000", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0x10000002, "0")));
	EXPECT_STREQ("0x10000000 /* MSG_??? */", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0x10000000, "0")));
	EXPECT_STREQ("MSG_CMSG_CLOEXEC", FORMATTED(sb,
		format_flags_text(&sb, msg_flag_names, 0x40000000, "0")));
	/* as strace 6.1 printed sendto(..., -1, ...) */
	EXPECT_STREQ("MSG_OOB|MSG_PEEK|MSG_DONTROUTE|MSG_CTRUNC|MSG_PROBE|"
		     "MSG_TRUNC|MSG_DONTWAIT|MSG_EOR|MSG_WAITALL|MSG_FIN|"
		     "MSG_SYN|MSG_CONFIRM|MSG_RST|MSG_ERRQUEUE|MSG_NOSIGNAL|"
		     "MSG_MORE|MSG_WAITFORONE|MSG_SENDPAGE_NOTLAST|MSG_BATCH|"
		     "MSG_NO_SHARED_FRAGS|MSG_ZEROCOPY|MSG_FASTOPEN|"
		     "MSG_CMSG_CLOEXEC|MSG_CMSG_COMPAT|0x1bf00000",
		     FORMATTED(sb, format_flags_text(&sb, msg_flag_names,
						     0xffffffff, "0")));
	EXPECT_STREQ("SOCK_CLOEXEC|SOCK_NONBLOCK", FORMATTED(sb,
		format_flags_text(&sb, sock_flag_names, 0x80800, "0")));
	EXPECT_STREQ("SOCK_CLOEXEC|0x1", FORMATTED(sb,
		format_flags_text(&sb, sock_flag_names, 0x80001, "0")));
	EXPECT_STREQ("0x1 /* SOCK_??? */", FORMATTED(sb,
		format_flags_text(&sb, sock_flag_names, 1, "0")));
	/* multi-bit entries match only whole; entries of 0 never */
	EXPECT_STREQ("BOTH", FORMATTED(sb,
		format_flags_text(&sb, multi, 3, "0")));
	EXPECT_STREQ("ONE|0x4", FORMATTED(sb,
		format_flags_text(&sb, multi, 5, "0")));
	/* no '_' in the first name: no comment */
	EXPECT_STREQ("0x8", FORMATTED(sb,
		format_flags_text(&sb, multi, 8, "0")));
	sb_free(&sb);
}

TEST(flags_json)
{
	struct json_parser j;
	struct strbuf sb;
	unsigned int bit;

	sb_init(&sb);
	EXPECT_STREQ("[]", FORMATTED(sb,
		format_flags_json(&sb, msg_flag_names, 0)));
	EXPECT_STREQ("[\"MSG_DONTWAIT\",\"MSG_NOSIGNAL\"]", FORMATTED(sb,
		format_flags_json(&sb, msg_flag_names, 0x4040)));
	EXPECT_STREQ("[\"MSG_PEEK\",268435456]", FORMATTED(sb,
		format_flags_json(&sb, msg_flag_names, 0x10000002)));
	EXPECT_STREQ("[268435456]", FORMATTED(sb,
		format_flags_json(&sb, msg_flag_names, 0x10000000)));
	EXPECT_STREQ("[\"SOCK_CLOEXEC\",\"SOCK_NONBLOCK\"]", FORMATTED(sb,
		format_flags_json(&sb, sock_flag_names, 0x80800)));
	for (bit = 0; bit < 32; bit++) {
		FORMATTED(sb, format_flags_json(&sb, msg_flag_names,
						0xffffffffu >> bit));
		EXPECT_TRUE(is_json(&j, sb.buf, sb.len)) {
			TH_LOG("%s", sb.buf);
		}
	}
	sb_free(&sb);
}

TEST(single_values_text)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("X", FORMATTED(sb, format_xval_text(&sb, "X", 5, "Y")));
	EXPECT_STREQ("0 /* X_??? */", FORMATTED(sb,
		format_xval_text(&sb, NULL, 0, "X_???")));
	EXPECT_STREQ("0x5", FORMATTED(sb,
		format_xval_text(&sb, NULL, 5, NULL)));
	EXPECT_STREQ("AF_INET", FORMATTED(sb, format_family_text(&sb, 2)));
	EXPECT_STREQ("AF_UNIX", FORMATTED(sb, format_family_text(&sb, 1)));
	EXPECT_STREQ("0x2e /* AF_??? */", FORMATTED(sb,
		format_family_text(&sb, 46)));
	EXPECT_STREQ("0xffffffff /* AF_??? */", FORMATTED(sb,
		format_family_text(&sb, -1)));
	EXPECT_STREQ("SHUT_WR", FORMATTED(sb, format_shut_text(&sb, 1)));
	EXPECT_STREQ("0x3 /* SHUT_??? */", FORMATTED(sb,
		format_shut_text(&sb, 3)));
	EXPECT_STREQ("SOL_IP", FORMATTED(sb, format_level_text(&sb, 0)));
	EXPECT_STREQ("SOL_TCP", FORMATTED(sb, format_level_text(&sb, 6)));
	EXPECT_STREQ("0x2 /* SOL_?? */", FORMATTED(sb,
		format_level_text(&sb, 2)));
	EXPECT_STREQ("0xffffffff /* SOL_?? */", FORMATTED(sb,
		format_level_text(&sb, -1)));
	sb_free(&sb);
}

TEST(sockopts_text)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("SO_REUSEADDR", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_SOCKET, SO_REUSEADDR, false)));
	EXPECT_STREQ("SO_ATTACH_FILTER", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_SOCKET, 26, false)));
	EXPECT_STREQ("SO_GET_FILTER", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_SOCKET, 26, true)));
	EXPECT_STREQ("TCP_NODELAY", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_TCP, 1, true)));
	EXPECT_STREQ("0 /* IP_??? */", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_IP, 0, false)));
	EXPECT_STREQ("0x3e8 /* IP_??? */", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_IP, 1000, false)));
	EXPECT_STREQ("0xffffffff /* IP_??? */", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_IP, -1, false)));
	EXPECT_STREQ("0x42 /* IP_??? */", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_IP, 66, false)));
	EXPECT_STREQ("IPT_SO_GET_REVISION_MATCH", FORMATTED(sb,
		format_sockopt_text(&sb, SOL_IP, 66, true)));
	EXPECT_STREQ("1000", FORMATTED(sb,
		format_sockopt_text(&sb, 2, 1000, false)));
	EXPECT_STREQ("4294967295", FORMATTED(sb,
		format_sockopt_text(&sb, 58, -1, true)));
	EXPECT_STREQ("0x3e8 /* SO_VM_??? */", FORMATTED(sb,
		format_sockopt_text(&sb, 40, 1000, false)));
	sb_free(&sb);
}

TEST(socket_types_text_and_json)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("SOCK_STREAM", FORMATTED(sb,
		format_socktype_text(&sb, SOCK_STREAM)));
	EXPECT_STREQ("SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK", FORMATTED(sb,
		format_socktype_text(&sb, SOCK_STREAM | SOCK_NONBLOCK |
					  SOCK_CLOEXEC)));
	EXPECT_STREQ("SOCK_DGRAM|SOCK_NONBLOCK", FORMATTED(sb,
		format_socktype_text(&sb, SOCK_DGRAM | SOCK_NONBLOCK)));
	EXPECT_STREQ("SOCK_DGRAM|0x10000 /* SOCK_??? */", FORMATTED(sb,
		format_socktype_text(&sb, SOCK_DGRAM | 0x10000)));
	EXPECT_STREQ("SOCK_DGRAM|SOCK_CLOEXEC|0x10000", FORMATTED(sb,
		format_socktype_text(&sb, SOCK_DGRAM | 0x10000 |
					  SOCK_CLOEXEC)));
	EXPECT_STREQ("SOCK_CLOEXEC|0x10", FORMATTED(sb,
		format_socktype_text(&sb, 0x10 | SOCK_CLOEXEC)));
	EXPECT_STREQ("0", FORMATTED(sb, format_socktype_text(&sb, 0)));
	EXPECT_STREQ("0x7 /* SOCK_??? */", FORMATTED(sb,
		format_socktype_text(&sb, 7)));
	EXPECT_STREQ("SOCK_PACKET", FORMATTED(sb,
		format_socktype_text(&sb, 10)));
	EXPECT_STREQ("SOCK_CLOEXEC|SOCK_NONBLOCK|0xfff7f7ff", FORMATTED(sb,
		format_socktype_text(&sb, -1)));
	EXPECT_STREQ("\"type\":\"SOCK_STREAM\",\"flags\":[\"SOCK_CLOEXEC\","
		     "\"SOCK_NONBLOCK\"]", FORMATTED(sb,
		format_socktype_json(&sb, SOCK_STREAM | SOCK_NONBLOCK |
					  SOCK_CLOEXEC)));
	EXPECT_STREQ("\"type\":\"SOCK_DGRAM\",\"flags\":[]", FORMATTED(sb,
		format_socktype_json(&sb, SOCK_DGRAM)));
	EXPECT_STREQ("\"type\":7,\"flags\":[]", FORMATTED(sb,
		format_socktype_json(&sb, 7)));
	EXPECT_STREQ("\"type\":16,\"flags\":[\"SOCK_CLOEXEC\"]", FORMATTED(sb,
		format_socktype_json(&sb, 0x10 | SOCK_CLOEXEC)));
	EXPECT_STREQ("\"type\":\"SOCK_DGRAM\",\"flags\":[\"SOCK_CLOEXEC\","
		     "65536]", FORMATTED(sb,
		format_socktype_json(&sb, SOCK_DGRAM | 0x10000 |
					  SOCK_CLOEXEC)));
	EXPECT_STREQ("\"type\":0,\"flags\":[]", FORMATTED(sb,
		format_socktype_json(&sb, 0)));
	EXPECT_STREQ("\"type\":0,\"flags\":[\"SOCK_CLOEXEC\","
		     "\"SOCK_NONBLOCK\"]", FORMATTED(sb,
		format_socktype_json(&sb, SOCK_CLOEXEC | SOCK_NONBLOCK)));
	EXPECT_STREQ("\"type\":4294440959,\"flags\":[\"SOCK_CLOEXEC\","
		     "\"SOCK_NONBLOCK\"]", FORMATTED(sb,
		format_socktype_json(&sb, -1)));
	sb_free(&sb);
}

/*
 * 77 is 0x4d: its low 4 bits (0xd) name no type, so strace prints the
 * whole value as flags, none of them named; JSON gives it as the type.
 */
TEST(socket_type_77)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("0x4d /* SOCK_??? */", FORMATTED(sb,
		format_socktype_text(&sb, 77)));
	EXPECT_STREQ("\"type\":77,\"flags\":[]", FORMATTED(sb,
		format_socktype_json(&sb, 77)));
	EXPECT_STREQ("SOCK_CLOEXEC|SOCK_NONBLOCK|0x4d", FORMATTED(sb,
		format_socktype_text(&sb, 77 | SOCK_CLOEXEC | SOCK_NONBLOCK)));
	EXPECT_STREQ("\"type\":77,\"flags\":[\"SOCK_CLOEXEC\","
		     "\"SOCK_NONBLOCK\"]", FORMATTED(sb,
		format_socktype_json(&sb, 77 | SOCK_CLOEXEC | SOCK_NONBLOCK)));
	sb_free(&sb);
}

TEST(protocols_text_and_json)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("IPPROTO_IP", FORMATTED(sb,
		format_protocol_text(&sb, AF_INET, 0)));
	EXPECT_STREQ("IPPROTO_TCP", FORMATTED(sb,
		format_protocol_text(&sb, AF_INET6, IPPROTO_TCP)));
	EXPECT_STREQ("0x3 /* IPPROTO_??? */", FORMATTED(sb,
		format_protocol_text(&sb, AF_INET, 3)));
	EXPECT_STREQ("NETLINK_ROUTE", FORMATTED(sb,
		format_protocol_text(&sb, AF_NETLINK, 0)));
	EXPECT_STREQ("0x11 /* NETLINK_??? */", FORMATTED(sb,
		format_protocol_text(&sb, AF_NETLINK, 17)));
	EXPECT_STREQ("0", FORMATTED(sb,
		format_protocol_text(&sb, AF_UNIX, 0)));
	EXPECT_STREQ("5", FORMATTED(sb,
		format_protocol_text(&sb, AF_UNIX, 5)));
	EXPECT_STREQ("4294967295", FORMATTED(sb,
		format_protocol_text(&sb, -1, -1)));
	EXPECT_STREQ("htons(ETH_P_ALL)", FORMATTED(sb,
		format_protocol_text(&sb, AF_PACKET, htons(3))));
	EXPECT_STREQ("htons(0x1234 /* ETH_P_??? */)", FORMATTED(sb,
		format_protocol_text(&sb, AF_PACKET, htons(0x1234))));
	EXPECT_STREQ("htons(0 /* ETH_P_??? */)", FORMATTED(sb,
		format_protocol_text(&sb, AF_PACKET, 0)));
	EXPECT_STREQ("htons(0x4523 /* ETH_P_??? */)", FORMATTED(sb,
		format_protocol_text(&sb, AF_PACKET, 0x12345)));
	EXPECT_STREQ("0xcc /* AX25_P_IP */", FORMATTED(sb,
		format_protocol_text(&sb, AF_AX25, 0xcc)));
	EXPECT_STREQ("0 /* AX25_P_??? */", FORMATTED(sb,
		format_protocol_text(&sb, AF_AX25, 0)));
	EXPECT_STREQ("AF_INET", FORMATTED(sb,
		format_protocol_text(&sb, AF_RXRPC, 2)));
	EXPECT_STREQ("BTPROTO_HCI", FORMATTED(sb,
		format_protocol_text(&sb, AF_BLUETOOTH, 1)));
	EXPECT_STREQ("\"IPPROTO_TCP\"", FORMATTED(sb,
		format_protocol_json(&sb, AF_INET, 6)));
	EXPECT_STREQ("\"ETH_P_ALL\"", FORMATTED(sb,
		format_protocol_json(&sb, AF_PACKET, htons(3))));
	EXPECT_STREQ("0", FORMATTED(sb,
		format_protocol_json(&sb, AF_UNIX, 0)));
	EXPECT_STREQ("3", FORMATTED(sb,
		format_protocol_json(&sb, AF_INET, 3)));
	EXPECT_STREQ("-1", FORMATTED(sb,
		format_protocol_json(&sb, AF_UNIX, -1)));
	/* AF_PACKET: the Ethernet protocol, as inside strace's htons() */
	EXPECT_STREQ("4660", FORMATTED(sb,
		format_protocol_json(&sb, AF_PACKET, htons(0x1234))));
	EXPECT_STREQ("17699", FORMATTED(sb,
		format_protocol_json(&sb, AF_PACKET, 0x12345)));
	EXPECT_STREQ("0", FORMATTED(sb,
		format_protocol_json(&sb, AF_PACKET, 0)));
	sb_free(&sb);
}

TEST(errno_text)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("ECONNREFUSED (Connection refused)", FORMATTED(sb,
		format_errno_text(&sb, ECONNREFUSED)));
	EXPECT_STREQ("EAGAIN (Resource temporarily unavailable)",
		     FORMATTED(sb, format_errno_text(&sb, EWOULDBLOCK)));
	EXPECT_STREQ("(errno 41)", FORMATTED(sb, format_errno_text(&sb, 41)));
	EXPECT_STREQ("(errno 4095)", FORMATTED(sb,
		format_errno_text(&sb, 4095)));
	EXPECT_STREQ("ERESTARTSYS (To be restarted if SA_RESTART is set)",
		     FORMATTED(sb, format_errno_text(&sb, 512)));
	EXPECT_STREQ("ENOTSUPP (Unknown error 524)", FORMATTED(sb,
		format_errno_text(&sb, 524)));
	sb_free(&sb);
}

/* --- socket addresses ------------------------------------------------ */

/*
 * A copy of n bytes that ends where an inaccessible page begins: reading
 * one byte too many is a crash, not a silent bug.
 */
struct guarded {
	unsigned char *map;
	size_t page;
};

static void *guard_copy(struct guarded *g, const void *src, size_t n)
{
	unsigned char *end;

	if (!g->map) {
		g->page = sysconf(_SC_PAGESIZE);
		g->map = mmap(NULL, 2 * g->page, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (g->map == MAP_FAILED ||
		    mprotect(g->map + g->page, g->page, PROT_NONE))
			abort();
	}
	end = g->map + g->page;
	if (n)
		memcpy(end - n, src, n);
	return end - n;
}

static void guard_free(struct guarded *g)
{
	if (g->map)
		munmap(g->map, 2 * g->page);
	g->map = NULL;
}

struct addr_case {
	const char *text, *json;
	int ret;
};

/* Formats the address both ways from guarded memory and checks them. */
static void check_addr(const void *addr, size_t captured, size_t addrlen,
		       const struct addr_case *want)
{
	struct guarded g = { 0 };
	struct json_parser j;
	struct strbuf sb;
	const void *p = guard_copy(&g, addr, captured);

	sb_init(&sb);
	EXPECT_EQ(want->ret, format_sockaddr_text(&sb, p, captured, addrlen));
	EXPECT_STREQ(want->text, sb.buf);
	sb_reset(&sb);
	EXPECT_EQ(want->ret, format_sockaddr_json(&sb, p, captured, addrlen));
	EXPECT_STREQ(want->json, sb.buf);
	EXPECT_TRUE(is_json(&j, sb.buf, sb.len));
	sb_free(&sb);
	guard_free(&g);
}

static struct sockaddr_in make_sin(const char *ip, int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};

	inet_pton(AF_INET, ip, &sin.sin_addr);
	return sin;
}

TEST(sockaddr_inet)
{
	struct sockaddr_in sin = make_sin("127.0.0.1", 8000);
	unsigned char big[128] = { 0 };
	const struct addr_case ok = {
		"{AF_INET, 127.0.0.1:8000}",
		"{\"family\":\"AF_INET\",\"ip\":\"127.0.0.1\",\"port\":8000}",
		0
	};

	check_addr(&sin, sizeof(sin), sizeof(sin), &ok);
	/* longer than the struct: still decoded, as the kernel does */
	memcpy(big, &sin, sizeof(sin));
	check_addr(big, sizeof(big), 200, &ok);
	check_addr(big, 16, 128, &ok);
	/* sin_zero is not looked at */
	memset(sin.sin_zero, 0x55, sizeof(sin.sin_zero));
	check_addr(&sin, sizeof(sin), sizeof(sin), &ok);

	sin = make_sin("0.0.0.0", 0);
	check_addr(&sin, sizeof(sin), sizeof(sin), &(struct addr_case){
		"{AF_INET, 0.0.0.0:0}",
		"{\"family\":\"AF_INET\",\"ip\":\"0.0.0.0\",\"port\":0}", 0 });
	sin = make_sin("255.255.255.255", 65535);
	check_addr(&sin, sizeof(sin), sizeof(sin), &(struct addr_case){
		"{AF_INET, 255.255.255.255:65535}",
		"{\"family\":\"AF_INET\",\"ip\":\"255.255.255.255\","
		"\"port\":65535}", 0 });
}

/* The endpoint the diagram and the conversation matcher take from a
 * captured sockaddr: IPv4, IPv6, and neither. */
TEST(sockaddr_inet_endpoint)
{
	struct sockaddr_in sin = make_sin("10.1.2.3", 8000);
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(53) };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned char a[16], want[16] = { 10, 1, 2, 3 };
	unsigned int port = 0;
	int family = -1;

	ASSERT_TRUE(sockaddr_inet(&sin, sizeof(sin), &family, a, &port));
	EXPECT_EQ(AF_INET, family);
	EXPECT_EQ(8000U, port);
	EXPECT_EQ(0, memcmp(a, want, 16));
	inet_pton(AF_INET6, "::1", &sin6.sin6_addr);
	ASSERT_TRUE(sockaddr_inet(&sin6, sizeof(sin6), &family, a, &port));
	EXPECT_EQ(AF_INET6, family);
	EXPECT_EQ(53U, port);
	EXPECT_EQ(0, memcmp(a, &sin6.sin6_addr, 16));
	/* Too short for its family, or not inet: no endpoint, addr 0. */
	EXPECT_FALSE(sockaddr_inet(&sin6, 23, &family, a, &port));
	EXPECT_FALSE(sockaddr_inet(&sin, 7, &family, a, &port));
	EXPECT_FALSE(sockaddr_inet(&sun, sizeof(sun), &family, a, &port));
	memset(want, 0, sizeof(want));
	EXPECT_EQ(0, memcmp(a, want, 16));
}

TEST(sockaddr_inet_too_short)
{
	struct sockaddr_in sin = make_sin("1.2.3.4", 258);

	check_addr(&sin, sizeof(sin), 15, &(struct addr_case){
		"{AF_INET, hex=01020102030400000000000000}",
		"{\"family\":\"AF_INET\",\"hex\":\"01020102030400000000000000\"}",
		-ENODATA });
	/* the program said 16, but only 8 bytes could be read */
	check_addr(&sin, 8, 16, &(struct addr_case){
		"{AF_INET, hex=010201020304}",
		"{\"family\":\"AF_INET\",\"hex\":\"010201020304\"}", -ENODATA });
	check_addr(&sin, 2, 2, &(struct addr_case){
		"{AF_INET, hex=}",
		"{\"family\":\"AF_INET\",\"hex\":\"\"}", -ENODATA });
	check_addr(&sin, 1, 16, &(struct addr_case){
		"{hex=02}", "{\"family\":null,\"hex\":\"02\"}", -ENODATA });
	check_addr(&sin, 0, 16, &(struct addr_case){
		"{hex=}", "{\"family\":null,\"hex\":\"\"}", -ENODATA });
	check_addr(&sin, 16, 0, &(struct addr_case){
		"NULL", "null", -ENODATA });
	check_addr(NULL, 0, 0, &(struct addr_case){
		"NULL", "null", -ENODATA });
	/* connect(fd, &sin, -1): negative as the kernel's int, not read */
	check_addr(&sin, 16, 0xffffffff, &(struct addr_case){
		"NULL", "null", -ENODATA });
	check_addr(&sin, 16, 0x80000000, &(struct addr_case){
		"NULL", "null", -ENODATA });
	check_addr(&sin, 16, 0x7fffffff, &(struct addr_case){
		"{AF_INET, 1.2.3.4:258}",
		"{\"family\":\"AF_INET\",\"ip\":\"1.2.3.4\",\"port\":258}",
		0 });
}

static struct sockaddr_in6 make_sin6(const char *ip, int port,
				     unsigned flowinfo, unsigned scope)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_flowinfo = htonl(flowinfo),
		.sin6_scope_id = scope,
	};

	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	return sin6;
}

TEST(sockaddr_inet6)
{
	struct sockaddr_in6 s = make_sin6("::1", 8000, 0, 0);

	check_addr(&s, sizeof(s), sizeof(s), &(struct addr_case){
		"{AF_INET6, [::1]:8000}",
		"{\"family\":\"AF_INET6\",\"ip\":\"::1\",\"port\":8000,"
		"\"flowinfo\":0,\"scope_id\":0}", 0 });
	s = make_sin6("fe80::1", 443, 5, 2);
	check_addr(&s, sizeof(s), sizeof(s), &(struct addr_case){
		"{AF_INET6, [fe80::1]:443, flowinfo=5, scope_id=2}",
		"{\"family\":\"AF_INET6\",\"ip\":\"fe80::1\",\"port\":443,"
		"\"flowinfo\":5,\"scope_id\":2}", 0 });
	/* 24 bytes: the RFC 2133 struct, without sin6_scope_id */
	check_addr(&s, sizeof(s), 24, &(struct addr_case){
		"{AF_INET6, [fe80::1]:443, flowinfo=5}",
		"{\"family\":\"AF_INET6\",\"ip\":\"fe80::1\",\"port\":443,"
		"\"flowinfo\":5,\"scope_id\":0}", 0 });
	s = make_sin6("::ffff:127.0.0.1", 8000, 0, 0);
	check_addr(&s, sizeof(s), sizeof(s), &(struct addr_case){
		"{AF_INET6, [::ffff:127.0.0.1]:8000}",
		"{\"family\":\"AF_INET6\",\"ip\":\"::ffff:127.0.0.1\","
		"\"port\":8000,\"flowinfo\":0,\"scope_id\":0}", 0 });
	s = make_sin6("2001:db8::ff00:42:8329", 1, 0xfffff, 0xffffffff);
	check_addr(&s, sizeof(s), sizeof(s), &(struct addr_case){
		"{AF_INET6, [2001:db8::ff00:42:8329]:1, flowinfo=1048575, "
		"scope_id=4294967295}",
		"{\"family\":\"AF_INET6\",\"ip\":\"2001:db8::ff00:42:8329\","
		"\"port\":1,\"flowinfo\":1048575,\"scope_id\":4294967295}", 0 });
	s = make_sin6("::", 0, 0, 0);
	check_addr(&s, 23, 28, &(struct addr_case){
		"{AF_INET6, hex=000000000000000000000000000000000000000000}",
		"{\"family\":\"AF_INET6\",\"hex\":"
		"\"000000000000000000000000000000000000000000\"}", -ENODATA });
}

static size_t make_sun(struct sockaddr_un *sun, const void *path, size_t n)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	return offsetof(struct sockaddr_un, sun_path) + n;
}

TEST(sockaddr_unix)
{
	struct sockaddr_un sun;
	size_t len;

	len = make_sun(&sun, "/tmp/chat.sock", 15);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, \"/tmp/chat.sock\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/chat.sock\"}", 0 });
	/* the whole struct, as programs often pass */
	check_addr(&sun, sizeof(sun), sizeof(sun), &(struct addr_case){
		"{AF_UNIX, \"/tmp/chat.sock\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/chat.sock\"}", 0 });
	/* no NUL counted in addrlen */
	check_addr(&sun, len - 1, len - 1, &(struct addr_case){
		"{AF_UNIX, \"/tmp/chat.sock\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/chat.sock\"}", 0 });
	len = make_sun(&sun, "/tmp/chat.sock", 7);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, \"/tmp/ch\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/ch\"}", 0 });
	len = make_sun(&sun, "/tmp/a \"b\"\n\\", 13);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, \"/tmp/a \\\"b\\\"\\n\\\\\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/a \\\"b\\\"\\n\\\\\"}",
		0 });
	len = make_sun(&sun, "/tmp/\xe4\xbd\xa0", 9);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, \"/tmp/\\344\\275\\240\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"/tmp/\xe4\xbd\xa0\"}", 0 });
}

TEST(sockaddr_unix_abstract_and_unnamed)
{
	struct sockaddr_un sun;
	size_t len;

	len = make_sun(&sun, "\0abs\0x", 6);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, @\"abs\\0x\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"@abs\\u0000x\"}", 0 });
	len = make_sun(&sun, "\0chat", 5);
	check_addr(&sun, len, len, &(struct addr_case){
		"{AF_UNIX, @\"chat\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"@chat\"}", 0 });
	check_addr(&sun, 3, 3, &(struct addr_case){
		"{AF_UNIX, @\"\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"@\"}", 0 });
	/* unnamed: getsockname of an unbound socket reports 2 bytes */
	check_addr(&sun, 2, 2, &(struct addr_case){
		"{AF_UNIX, \"\"}",
		"{\"family\":\"AF_UNIX\",\"path\":\"\"}", 0 });
}

TEST(sockaddr_unix_full_path)
{
	struct sockaddr_un sun;
	unsigned char big[128];
	struct strbuf want_text, want_json;
	char path[109];

	memset(path, 'a', 108);
	path[108] = '\0';
	make_sun(&sun, path, 108);
	sb_init(&want_text);
	sb_init(&want_json);
	sb_addf(&want_text, "{AF_UNIX, \"%s\"}", path);
	sb_addf(&want_json, "{\"family\":\"AF_UNIX\",\"path\":\"%s\"}", path);
	check_addr(&sun, sizeof(sun), sizeof(sun), &(struct addr_case){
		want_text.buf, want_json.buf, 0 });
	/* more than sun_path: at most 108 bytes of path */
	memset(big, 'a', sizeof(big));
	memcpy(big, &sun, 2);
	check_addr(big, sizeof(big), sizeof(big), &(struct addr_case){
		want_text.buf, want_json.buf, 0 });
	/* abstract names fill all 107 bytes too */
	big[2] = '\0';
	sb_reset(&want_text);
	sb_reset(&want_json);
	sb_addf(&want_text, "{AF_UNIX, @\"%.107s\"}", path);
	sb_addf(&want_json, "{\"family\":\"AF_UNIX\",\"path\":\"@%.107s\"}",
		path);
	check_addr(big, sizeof(big), 1000, &(struct addr_case){
		want_text.buf, want_json.buf, 0 });
	sb_free(&want_text);
	sb_free(&want_json);
}

TEST(sockaddr_netlink)
{
	struct sockaddr_nl nl = {
		.nl_family = AF_NETLINK, .nl_pid = 1234, .nl_groups = 0x11,
	};

	check_addr(&nl, sizeof(nl), sizeof(nl), &(struct addr_case){
		"{AF_NETLINK, pid=1234, groups=0x000011}",
		"{\"family\":\"AF_NETLINK\",\"nl_pid\":1234,\"nl_groups\":17}",
		0 });
	nl.nl_pid = 0;
	nl.nl_groups = 0;
	check_addr(&nl, sizeof(nl), sizeof(nl), &(struct addr_case){
		"{AF_NETLINK, pid=0, groups=00000000}",
		"{\"family\":\"AF_NETLINK\",\"nl_pid\":0,\"nl_groups\":0}", 0 });
	nl.nl_pid = 0xffffffff;
	nl.nl_groups = 0xffffffff;
	check_addr(&nl, sizeof(nl), sizeof(nl), &(struct addr_case){
		"{AF_NETLINK, pid=4294967295, groups=0xffffffff}",
		"{\"family\":\"AF_NETLINK\",\"nl_pid\":4294967295,"
		"\"nl_groups\":4294967295}", 0 });
	check_addr(&nl, 8, 8, &(struct addr_case){
		"{AF_NETLINK, hex=0000ffffffff}",
		"{\"family\":\"AF_NETLINK\",\"hex\":\"0000ffffffff\"}",
		-ENODATA });
}

TEST(sockaddr_other_families)
{
	unsigned char ll[20] = {
		17, 0, 0x08, 0x00, 1, 0, 0, 0, 1, 0, 0, 6, 1, 2, 3, 4, 5, 6
	};
	unsigned char raw[16] = { 99, 0, 1, 2, 0xff, 'a' };

	check_addr(ll, sizeof(ll), sizeof(ll), &(struct addr_case){
		"{AF_PACKET, hex=080001000000010000060102030405060000}",
		"{\"family\":\"AF_PACKET\",\"hex\":"
		"\"080001000000010000060102030405060000\"}", -ENODATA });
	check_addr(raw, 6, 6, &(struct addr_case){
		"{0x63 /* AF_??? */, hex=0102ff61}",
		"{\"family\":99,\"hex\":\"0102ff61\"}", -ENODATA });
	raw[0] = 0;
	check_addr(raw, 4, 4, &(struct addr_case){
		"{AF_UNSPEC, hex=0102}",
		"{\"family\":\"AF_UNSPEC\",\"hex\":\"0102\"}", -ENODATA });
	/* family is 16 bits: 0x0102 is not AF_INET */
	raw[0] = 2;
	raw[1] = 1;
	check_addr(raw, 4, 4, &(struct addr_case){
		"{0x102 /* AF_??? */, hex=0102}",
		"{\"family\":258,\"hex\":\"0102\"}", -ENODATA });
	raw[0] = 0xff;
	raw[1] = 0xff;
	check_addr(raw, 2, 2, &(struct addr_case){
		"{0xffff /* AF_??? */, hex=}",
		"{\"family\":65535,\"hex\":\"\"}", -ENODATA });
}

/* Printable ASCII only: nothing a terminal would act on. */
static bool is_printable_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

/* Every family, every length, random bytes, captured and addrlen apart. */
TEST(sockaddr_any_bytes_any_length)
{
	static const size_t addrlens[] = { 0, 1, 2, 3, 128, 1 << 20 };
	struct guarded g = { 0 };
	unsigned char bytes[128];
	struct json_parser j;
	struct strbuf sb;
	unsigned int family, seed = 1;
	size_t len, i, k;

	sb_init(&sb);
	for (family = 0; family <= 50; family++) {
		for (len = 0; len <= sizeof(bytes); len++) {
			for (i = 0; i < sizeof(bytes); i++)
				bytes[i] = rand_r(&seed);
			bytes[0] = family;
			bytes[1] = family == 50 ? 0xff : 0;
			for (k = 0; k <= ARRAY_SIZE(addrlens); k++) {
				size_t addrlen = k < ARRAY_SIZE(addrlens) ?
						 addrlens[k] : len;
				const void *p = guard_copy(&g, bytes, len);

				sb_reset(&sb);
				format_sockaddr_text(&sb, p, len, addrlen);
				ASSERT_TRUE(is_printable_ascii(sb.buf,
							       sb.len)) {
					TH_LOG("%s", sb.buf);
				}
				sb_reset(&sb);
				format_sockaddr_json(&sb, p, len, addrlen);
				ASSERT_TRUE(is_json(&j, sb.buf, sb.len)) {
					TH_LOG("family %u len %zu: %s", family,
					       len, sb.buf);
				}
			}
		}
	}
	sb_free(&sb);
	guard_free(&g);
}

/* --- strings ---------------------------------------------------------- */

static const char *text_of(struct strbuf *sb, const char *s, size_t n,
			   bool keep_utf8)
{
	return FORMATTED(*sb, format_text_bytes(sb, s, n, keep_utf8));
}

#define TEXT(sb, lit, keep)	text_of(&(sb), lit, sizeof(lit) - 1, keep)

TEST(text_bytes_like_strace)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("\"\"", TEXT(sb, "", false));
	EXPECT_STREQ("\"hi\\n\"", TEXT(sb, "hi\n", false));
	/* each of these as strace 6.1 printed it */
	EXPECT_STREQ("\"\\18\\0017\\09\\0370\\1777\\200a\\33[\"",
		     TEXT(sb, "\1" "8\1" "7\0" "9\x1f" "0\x7f" "7\x80" "a\x1b[",
			  false));
	EXPECT_STREQ("\"\\7\\10\\t\\n\\v\\f\\r\\33~ \"",
		     TEXT(sb, "\a\b\t\n\v\f\r\x1b~ ", false));
	EXPECT_STREQ("\"\\0001\\0a\"", TEXT(sb, "\0" "1\0a", false));
	EXPECT_STREQ("\"hello\\0world\\1\\177\\377\\\"\\\\\\t\\r\\n\\v\\f\\0\"",
		     TEXT(sb, "hello\0world\1\x7f\xff\"\\\t\r\n\v\f\0", false));
	EXPECT_STREQ("\"\\344\\275\\240\\345\\245\\275\"",
		     TEXT(sb, "\xe4\xbd\xa0\xe5\xa5\xbd", false));
	/* the byte after the last one does not count */
	EXPECT_STREQ("\"\\1\"", text_of(&sb, "\1" "7", 1, false));
	EXPECT_STREQ("\"\\0017\"", text_of(&sb, "\1" "7", 2, false));
	EXPECT_STREQ("\"\\0\\0\\0\"", TEXT(sb, "\0\0\0", false));
	EXPECT_STREQ("\"\\0000\"", TEXT(sb, "\0" "0", false));
	sb_free(&sb);
}

TEST(text_bytes_keep_utf8)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("\"\xe4\xbd\xa0\xe5\xa5\xbd\"",
		     TEXT(sb, "\xe4\xbd\xa0\xe5\xa5\xbd", true));
	EXPECT_STREQ("\"caf\xc3\xa9\\n\"", TEXT(sb, "caf\xc3\xa9\n", true));
	EXPECT_STREQ("\"\xf0\x9f\x98\x80\"", TEXT(sb, "\xf0\x9f\x98\x80", true));
	EXPECT_STREQ("\"\xc2\xa0\"", TEXT(sb, "\xc2\xa0", true));
	/* C1 controls stay escaped */
	EXPECT_STREQ("\"\\302\\200\"", TEXT(sb, "\xc2\x80", true));
	EXPECT_STREQ("\"\\302\\237\"", TEXT(sb, "\xc2\x9f", true));
	/* not UTF-8: invalid, cut short, overlong, surrogate, too big */
	EXPECT_STREQ("\"\\3771\"", TEXT(sb, "\xff" "1", true));
	EXPECT_STREQ("\"\\344\\275\"", TEXT(sb, "\xe4\xbd", true));
	EXPECT_STREQ("\"\\344\\275a\"", TEXT(sb, "\xe4\xbd" "a", true));
	EXPECT_STREQ("\"\\300\\257\"", TEXT(sb, "\xc0\xaf", true));
	EXPECT_STREQ("\"\\355\\240\\200\"", TEXT(sb, "\xed\xa0\x80", true));
	EXPECT_STREQ("\"\\364\\220\\200\\200\"",
		     TEXT(sb, "\xf4\x90\x80\x80", true));
	EXPECT_STREQ("\"\\200\xe4\xbd\xa0\"", TEXT(sb, "\x80\xe4\xbd\xa0", true));
	/* a sequence the end of the buffer cuts: escaped */
	EXPECT_STREQ("\"a\\344\\275\"", text_of(&sb, "a\xe4\xbd\xa0", 3, true));
	sb_free(&sb);
}

static const char *json_of(struct strbuf *sb, const char *s, size_t n)
{
	return FORMATTED(*sb, format_json_string(sb, s, n));
}

#define JSON(sb, lit)	json_of(&(sb), lit, sizeof(lit) - 1)

TEST(json_string_exact)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("\"\"", JSON(sb, ""));
	EXPECT_STREQ("\"hello\"", JSON(sb, "hello"));
	EXPECT_STREQ("\"a\\\"b\\\\c/d\"", JSON(sb, "a\"b\\c/d"));
	EXPECT_STREQ("\"\\b\\f\\n\\r\\t\"", JSON(sb, "\b\f\n\r\t"));
	EXPECT_STREQ("\"\\u0000\\u0001\\u001b\\u001f\\u007f\"",
		     JSON(sb, "\0\1\x1b\x1f\x7f"));
	EXPECT_STREQ("\"\xe4\xbd\xa0\xe5\xa5\xbd\"",
		     JSON(sb, "\xe4\xbd\xa0\xe5\xa5\xbd"));
	EXPECT_STREQ("\"\xc2\x80\"", JSON(sb, "\xc2\x80"));
	EXPECT_STREQ("\"\\u00ff\"", JSON(sb, "\xff"));
	EXPECT_STREQ("\"\\u00c3\"", JSON(sb, "\xc3"));
	EXPECT_STREQ("\"\\u00c3(\"", JSON(sb, "\xc3("));
	EXPECT_STREQ("\"\\u00ed\\u00a0\\u0080\"", JSON(sb, "\xed\xa0\x80"));
	EXPECT_STREQ("\"\\u00c0\\u00af\"", JSON(sb, "\xc0\xaf"));
	EXPECT_STREQ("\"\\u00f4\\u0090\\u0080\\u0080\"",
		     JSON(sb, "\xf4\x90\x80\x80"));
	EXPECT_STREQ("\"\xf0\x9f\x98\x80!\"", JSON(sb, "\xf0\x9f\x98\x80!"));
	sb_free(&sb);
}

/* Every byte alone reads back as the code point of the same value. */
TEST(json_string_every_byte)
{
	struct json_parser j;
	struct strbuf sb;
	unsigned char c;
	int b;

	sb_init(&sb);
	for (b = 0; b < 256; b++) {
		c = b;
		json_of(&sb, (const char *)&c, 1);
		ASSERT_TRUE(is_json(&j, sb.buf, sb.len)) {
			TH_LOG("byte %#x: %s", b, sb.buf);
		}
		EXPECT_EQ(1UL, j.ncps);
		EXPECT_EQ((unsigned)b, j.cps[0]);
	}
	sb_free(&sb);
}

/*
 * Runs of plain ASCII are checked sixteen bytes at a time, and a tail of
 * fewer by the sixteen that end the string: every byte at every place of
 * runs of 15 to 40 bytes reads as it reads alone, the rest as is.
 */
TEST(json_string_every_byte_in_a_long_run)
{
	static const int lens[] = { 15, 16, 17, 19, 31, 32, 33, 40 };
	static const char as[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char s[40], want[96], alone[16];
	struct strbuf sb;
	int b, at, n;

	sb_init(&sb);
	for (b = 0; b < 256; b++) {
		s[0] = b;
		json_of(&sb, s, 1);
		/* Its escape, without the quotes. */
		n = snprintf(alone, sizeof(alone), "%.*s", (int)sb.len - 2,
			     sb.buf + 1);
		for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
			int len = lens[k];

			for (at = 0; at < len; at++) {
				memset(s, 'a', sizeof(s));
				s[at] = b;
				json_of(&sb, s, len);
				snprintf(want, sizeof(want), "\"%.*s%.*s%.*s\"",
					 at, as, n, alone, len - at - 1, as);
				ASSERT_STREQ(want, sb.buf) {
					TH_LOG("byte %#x at %d of %d", b, at,
					       len);
				}
			}
		}
	}
	sb_free(&sb);
}

TEST(json_string_every_pair)
{
	struct json_parser j;
	unsigned char s[3];
	struct strbuf sb;
	size_t len;
	long cp;
	int a, b;

	sb_init(&sb);
	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			s[0] = a;
			s[1] = b;
			s[2] = 0x80;
			json_of(&sb, (const char *)s, 3);
			ASSERT_TRUE(is_json(&j, sb.buf, sb.len)) {
				TH_LOG("%02x %02x: %s", a, b, sb.buf);
			}
			/* a valid 2-byte character comes out whole */
			cp = ref_utf8_decode(s, 2, &len);
			if (cp >= 0 && len == 2)
				EXPECT_EQ((unsigned)cp, j.cps[0]);
		}
	}
	sb_free(&sb);
}

/* Encodes code points back into UTF-8. */
static size_t utf8_encode(const unsigned *cps, size_t n, unsigned char *out)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		unsigned c = cps[i];

		if (c < 0x80) {
			out[len++] = c;
		} else if (c < 0x800) {
			out[len++] = 0xc0 | c >> 6;
			out[len++] = 0x80 | (c & 0x3f);
		} else if (c < 0x10000) {
			out[len++] = 0xe0 | c >> 12;
			out[len++] = 0x80 | (c >> 6 & 0x3f);
			out[len++] = 0x80 | (c & 0x3f);
		} else {
			out[len++] = 0xf0 | c >> 18;
			out[len++] = 0x80 | (c >> 12 & 0x3f);
			out[len++] = 0x80 | (c >> 6 & 0x3f);
			out[len++] = 0x80 | (c & 0x3f);
		}
	}
	return len;
}

/*
 * Random strings, many of them valid UTF-8: always valid JSON, and valid
 * UTF-8 reads back byte for byte.
 */
TEST(json_string_round_trip)
{
	static const char *const pieces[] = {
		"a", "\"", "\\", "\n", "\0", "\x7f", "\xc3\xa9", "\xe4\xbd\xa0",
		"\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xc2\x80", "\xff",
		"\xe4\xbd", "\xed\xa0\x80",
	};
	unsigned char s[64], back[4 * 64];
	unsigned int seed = 7;
	struct json_parser j;
	struct strbuf sb;
	size_t n, len;
	int round;

	sb_init(&sb);
	for (round = 0; round < 20000; round++) {
		n = 0;
		while (n < sizeof(s) - 4 && rand_r(&seed) % 16) {
			const char *p = pieces[rand_r(&seed) %
					       (round % 2 ? 11 : 14)];
			size_t k = *p ? strlen(p) : 1;

			memcpy(s + n, p, k);
			n += k;
		}
		json_of(&sb, (const char *)s, n);
		ASSERT_TRUE(is_json(&j, sb.buf, sb.len)) {
			TH_LOG("%s", sb.buf);
		}
		if (!is_valid_utf8(s, n))
			continue;
		len = utf8_encode(j.cps, j.ncps, back);
		ASSERT_EQ(n, len);
		ASSERT_EQ(0, memcmp(s, back, n));
	}
	sb_free(&sb);
}

TEST(utf8_validity)
{
	static const struct {
		const char *s;
		bool valid;
	} cases[] = {
		{ "", true }, { "abc", true }, { "\xc3\xa9", true },
		{ "\xe4\xbd\xa0\xe5\xa5\xbd", true }, { "\xed\x9f\xbf", true },
		{ "\xee\x80\x80", true }, { "\xf4\x8f\xbf\xbf", true },
		{ "\xe0\xa0\x80", true }, { "\xf0\x90\x80\x80", true },
		{ "\xff", false }, { "\x80", false }, { "\xc2", false },
		{ "\xc0\xaf", false }, { "\xc1\xbf", false },
		{ "\xe0\x9f\xbf", false }, { "\xed\xa0\x80", false },
		{ "\xed\xbf\xbf", false }, { "\xf0\x8f\xbf\xbf", false },
		{ "\xf4\x90\x80\x80", false }, { "\xf5\x80\x80\x80", false },
		{ "\xe4\xbd", false }, { "a\xe4\xbd\xa0\xe5", false },
		{ "\xf8\x88\x80\x80\x80", false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT_EQ(cases[i].valid,
			  is_valid_utf8(cases[i].s, strlen(cases[i].s))) {
			TH_LOG("case %zu", i);
		}
	EXPECT_TRUE(is_valid_utf8("\0\0", 2));
	EXPECT_TRUE(is_valid_utf8(NULL, 0));
}

/* Every sequence of up to three bytes, against the reference decoder. */
TEST(utf8_validity_exhaustive)
{
	unsigned char s[3];
	unsigned int v;
	size_t n, i, len;
	bool ref;

	for (n = 1; n <= 3; n++) {
		for (v = 0; v < 1u << (8 * n); v++) {
			for (i = 0; i < n; i++)
				s[i] = v >> (8 * i);
			ref = true;
			for (i = 0; i < n; i += len) {
				if (ref_utf8_decode(s + i, n - i, &len) < 0) {
					ref = false;
					break;
				}
			}
			if (is_valid_utf8(s, n) != ref) {
				ASSERT_EQ(ref, is_valid_utf8(s, n)) {
					TH_LOG("%zu bytes %06x", n, v);
				}
			}
		}
	}
}

TEST(hex)
{
	struct strbuf sb;

	sb_init(&sb);
	EXPECT_STREQ("", FORMATTED(sb, format_hex(&sb, "", 0)));
	EXPECT_STREQ("00ff10ab", FORMATTED(sb,
		format_hex(&sb, "\x00\xff\x10\xab", 4)));
	EXPECT_STREQ("68690a", FORMATTED(sb, format_hex(&sb, "hi\n", 3)));
	sb_free(&sb);
}

/*
 * The comm cache gives what format_printable_name gives, whether the name
 * was made just now or kept: names that change, come back, repeat, and
 * differ only after their NUL.
 */
TEST(comm_cache_matches_printable_name)
{
	static const char names[][SOCKSCOPE_COMM_LEN] = {
		"udp_flood", "udp_flood", "udp_chat_server", "udp_flood",
		"\033[2J\a\x7f", "\xe6\x9c\x8d\xe5\x8a\xa1",
		"ab\xe6\x9c", "\xc2\x9b" "31m",
		{ '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
		  'a', 'b', 'c', 'd', 'e', 'f' },	/* no NUL */
		{ 'a', 'b', '\0', 'x' },		/* junk after it */
		"ab", "", "\xe6\x9c\x8d\xe5\x8a\xa1", "",
	};
	struct comm_cache c = { 0 };
	char want[SOCKSCOPE_COMM_LEN + 1];
	const char *got;
	size_t len;

	/* Zeroed, it is the empty name's. */
	EXPECT_STREQ("", c.name);
	EXPECT_EQ(0, c.len);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		len = format_printable_name(want, names[i],
					    SOCKSCOPE_COMM_LEN);
		got = format_comm_cached(&c, names[i]);
		EXPECT_STREQ(want, got) {
			TH_LOG("name %zu", i);
		}
		EXPECT_EQ(len, c.len);
		EXPECT_EQ(0, memcmp(c.raw, names[i], SOCKSCOPE_COMM_LEN));
	}
	EXPECT_STREQ("0123456789abcdef", format_comm_cached(&c, names[8]));
}

/* One address written by form and by cached through c (and through no
 * cache), which must give the same bytes. */
static void expect_cached_form(int (*form)(struct strbuf *, const void *,
					   size_t, size_t),
			       void (*cached)(struct strbuf *,
					      struct sockaddr_cache *,
					      const void *, size_t, size_t),
			       struct sockaddr_cache *c, const void *addr,
			       size_t captured, size_t addrlen,
			       struct strbuf *want, struct strbuf *got)
{
	sb_reset(want);
	sb_reset(got);
	sb_add(got, "x");		/* not at the buffer's start */
	form(want, addr, captured, addrlen);
	cached(got, c, addr, captured, addrlen);
	EXPECT_STREQ(want->buf, got->buf + 1) {
		TH_LOG("%zu bytes of %zu, %s", captured, addrlen, want->buf);
	}
	/* Without a cache, as form. */
	sb_reset(got);
	cached(got, NULL, addr, captured, addrlen);
	EXPECT_STREQ(want->buf, got->buf);
}

/*
 * The sockaddr cache gives what format_sockaddr_text gives, and a JSON one
 * what format_sockaddr_json gives: the same address again, a port or
 * length changed, bytes after the length, an address too long to keep,
 * no bytes at all, and back.
 */
TEST(sockaddr_cache_matches_uncached)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(8000),
				 .sin_addr.s_addr = htonl(0x7f000001) };
	struct sockaddr_in b = a;
	struct sockaddr_in6 c6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(53),
				   .sin6_flowinfo = htonl(7),
				   .sin6_scope_id = 2 };
	struct sockaddr_un un = { .sun_family = AF_UNIX,
				  .sun_path = "/tmp/a_path_longer_than_28" };
	const struct { const void *addr; size_t captured, addrlen; } calls[] = {
		{ &a, sizeof(a), sizeof(a) },
		{ &a, sizeof(a), sizeof(a) },
		{ &b, sizeof(b), sizeof(b) },		/* port 8001 */
		{ &a, sizeof(a), sizeof(a) },
		{ &a, sizeof(a), 8 },			/* shorter: raw */
		{ &a, 8, sizeof(a) },			/* fewer captured */
		{ &a, sizeof(a), 0 },			/* NULL */
		{ &a, 0, 0 },
		{ &a, 0, sizeof(a) },
		{ &c6, sizeof(c6), sizeof(c6) },
		{ &c6, sizeof(c6), sizeof(c6) },
		{ &un, sizeof(un), sizeof(un) },	/* not kept */
		{ &un, sizeof(un), sizeof(un) },
		{ NULL, 0, 16 },
		{ &a, sizeof(a), sizeof(a) },
	};
	struct sockaddr_cache cache = { 0 }, json_cache = { 0 };
	struct strbuf want, got;

	b.sin_port = htons(8001);
	sb_init(&want);
	sb_init(&got);
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		expect_cached_form(format_sockaddr_text,
				   format_sockaddr_text_cached, &cache,
				   calls[i].addr, calls[i].captured,
				   calls[i].addrlen, &want, &got);
		/* The JSON form, through a cache of its own. */
		expect_cached_form(format_sockaddr_json,
				   format_sockaddr_json_cached, &json_cache,
				   calls[i].addr, calls[i].captured,
				   calls[i].addrlen, &want, &got);
	}
	sb_free(&want);
	sb_free(&got);
}

/* IPv4 is written here, not by inet_ntop: every octet in every place. */
TEST(ip_like_inet_ntop)
{
	unsigned char a[16];
	char want[INET6_ADDRSTRLEN];
	struct strbuf sb;
	unsigned int v, pos;

	sb_init(&sb);
	for (pos = 0; pos < 4; pos++) {
		for (v = 0; v < 256; v++) {
			memcpy(a, "\x0a\x01\x02\x03", 4);
			a[pos] = v;
			inet_ntop(AF_INET, a, want, sizeof(want));
			EXPECT_STREQ(want, FORMATTED(sb,
				format_ip(&sb, AF_INET, a)));
		}
	}
	inet_pton(AF_INET6, "::ffff:127.0.0.1", a);
	EXPECT_STREQ("::ffff:127.0.0.1",
		     FORMATTED(sb, format_ip(&sb, AF_INET6, a)));
	inet_pton(AF_INET6, "fe80::1:2", a);
	EXPECT_STREQ("fe80::1:2", FORMATTED(sb, format_ip(&sb, AF_INET6, a)));
	EXPECT_STREQ("", FORMATTED(sb, format_ip(&sb, AF_UNIX, a)));
	sb_free(&sb);
}

/* format_ms against printf("%.3f", ns / 1e6): every value up to 2 ms,
 * every half-way value up to 10 s, and values spread over all 64 bits. */
TEST(ms_like_printf)
{
	unsigned long long ns, x = 0x9e3779b97f4a7c15ULL;
	char want[64];
	struct strbuf sb;
	int k;

	sb_init(&sb);
	for (ns = 0; ns < 2000000; ns++) {
		snprintf(want, sizeof(want), "%.3f", ns / 1e6);
		sb_reset(&sb);
		format_ms(&sb, ns);
		if (strcmp(want, sb.buf)) {
			ASSERT_STREQ(want, sb.buf) {
				TH_LOG("ns %llu", ns);
			}
		}
	}
	for (ns = 500; ns < 10000000000ULL; ns += 1000 * 997) {
		snprintf(want, sizeof(want), "%.3f", ns / 1e6);
		EXPECT_STREQ(want, FORMATTED(sb, format_ms(&sb, ns)));
	}
	for (k = 0; k < 200000; k++) {
		/* xorshift64, shifted right by 0..63: every magnitude */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ns = x >> (k % 64);
		snprintf(want, sizeof(want), "%.3f", ns / 1e6);
		sb_reset(&sb);
		format_ms(&sb, ns);
		if (strcmp(want, sb.buf)) {
			ASSERT_STREQ(want, sb.buf) {
				TH_LOG("ns %llu", ns);
			}
		}
	}
	for (ns = (1ULL << 50) - 3000; ns < (1ULL << 50) + 3000; ns++) {
		snprintf(want, sizeof(want), "%.3f", ns / 1e6);
		EXPECT_STREQ(want, FORMATTED(sb, format_ms(&sb, ns)));
	}
	EXPECT_STREQ("0.000", FORMATTED(sb, format_ms(&sb, 0)));
	EXPECT_STREQ("0.087", FORMATTED(sb, format_ms(&sb, 87400)));
	snprintf(want, sizeof(want), "%.3f", ULLONG_MAX / 1e6);
	EXPECT_STREQ(want, FORMATTED(sb, format_ms(&sb, ULLONG_MAX)));
	sb_free(&sb);
}

/* --- against strace --------------------------------------------------- */

/*
 * Writes one "send HEX" line per payload for tests/helpers/strace_calls,
 * runs it under strace -s 4096 and compares strace's string argument with
 * ours. The payloads: every byte alone, and every byte followed by each
 * character where strace's octal escapes change ('0', '7', '8', NUL, 'a').
 */
static void add_payload(struct strbuf *cmds, struct strbuf *want,
			const unsigned char *p, size_t n)
{
	sb_add(cmds, "send ");
	format_hex(cmds, p, n);
	sb_addc(cmds, '\n');
	sb_add(want, "sendto(-1, ");
	format_text_bytes(want, p, n, false);
	sb_addf(want, ", %zu, 0, NULL, 0)\n", n);
}

static int run_strace_send(const char *cmds, const char *out)
{
	char helper[PATH_MAX];
	char *argv[] = {
		"strace", "-qq", "-s", "4096", "-o", (char *)out,
		"-e", "trace=sendto", helper, (char *)cmds, NULL
	};

	if (build_path(helper, sizeof(helper), "tests/helpers/strace_calls"))
		return -ENAMETOOLONG;
	/* Under SANITIZE=1: LeakSanitizer cannot run under ptrace. */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	return proc_run(argv, 60000);
}

/* The trace, each line cut at " = ", padding dropped, into sb. */
static int read_trace(const char *path, struct strbuf *sb)
{
	char line[8192], *eq;
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		eq = strstr(line, " = ");
		if (eq) {
			while (eq > line && eq[-1] == ' ')
				eq--;
			*eq = '\0';
		}
		line[strcspn(line, "\n")] = '\0';
		sb_add(sb, line);
		sb_addc(sb, '\n');
	}
	fclose(f);
	return 0;
}

/* Lines that differ (the first few are logged), or 1 if the counts do. */
static int count_line_mismatches(const char *want, const char *seen)
{
	const char *w_end, *s_end;
	int bad = 0;

	while (*want && *seen) {
		w_end = strchrnul(want, '\n');
		s_end = strchrnul(seen, '\n');
		if (w_end - want != s_end - seen ||
		    memcmp(want, seen, w_end - want)) {
			if (bad++ < 10)
				TH_LOG("strace: %.*s\n#     us: %.*s",
				       (int)(s_end - seen), seen,
				       (int)(w_end - want), want);
		}
		want = *w_end ? w_end + 1 : w_end;
		seen = *s_end ? s_end + 1 : s_end;
	}
	if (*want || *seen) {
		TH_LOG("strace printed %s lines than we expected",
		       *seen ? "more" : "fewer");
		bad++;
	}
	return bad;
}

TEST_TIMEOUT(text_bytes_match_strace, 60)
{
	static const unsigned char next[] = { '0', '7', '8', '\0', 'a' };
	char cmdpath[] = "/tmp/sockscope-format-XXXXXX";
	char out[sizeof(cmdpath) + 6];
	struct strbuf cmds, want, seen;
	unsigned char p[300];
	size_t i, k;
	int fd, ret;

	sb_init(&cmds);
	sb_init(&want);
	sb_init(&seen);
	for (i = 0; i < 256; i++) {
		p[0] = i;
		add_payload(&cmds, &want, p, 1);
		for (k = 0; k < ARRAY_SIZE(next); k++) {
			p[1] = next[k];
			add_payload(&cmds, &want, p, 2);
		}
	}
	for (i = 0; i < 256; i++)
		p[i] = i;
	add_payload(&cmds, &want, p, 256);
	add_payload(&cmds, &want, (const unsigned char *)"", 0);
	fd = mkstemp(cmdpath);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)cmds.len, write(fd, cmds.buf, cmds.len));
	close(fd);
	snprintf(out, sizeof(out), "%s.trace", cmdpath);
	ret = run_strace_send(cmdpath, out);
	unlink(cmdpath);
	if (ret == -ENOENT)
		SKIP(goto out, "strace is not installed");
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, read_trace(out, &seen));
	EXPECT_EQ(0, count_line_mismatches(want.buf, seen.buf));
out:
	unlink(out);
	sb_free(&cmds);
	sb_free(&want);
	sb_free(&seen);
}

TEST_HARNESS_MAIN
