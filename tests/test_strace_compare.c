// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The correctness bar: what sockscope's JSON says about each socket call
 * is what strace says about it.
 *
 * One run, in a fresh network namespace:
 *
 *	sockscope -j -o OUT.jsonl -e <the 17 calls> -- strace -f -qq -y
 *		-o STRACE.txt -e trace=<the 17 calls> -e signal=none
 *		tests/helpers/sockcalls
 *
 * (the file-style calls and the waits have tests of their own:
 * test_fileio, test_mmsg, test_wait)
 *
 * sockscope traces strace and everything below it; strace traces the
 * helper, its thread and its child. Both traces are parsed into one
 * canonical form per call and compared per thread, in order: call name,
 * fd, family, type, flags, protocol, socketpair's fds, addresses (family,
 * ip, port, flowinfo, scope_id, path, nl_pid, nl_groups, raw bytes),
 * addrlen, backlog, len, how, level, optname, int option values, and the
 * return value with its errno name. The number of calls per thread must
 * match exactly, and every record sockscope emits must belong to a thread
 * strace traced, or to strace itself: strace makes socket calls of its
 * own, which its trace does not show -- to print a link-local
 * sin6_scope_id as if_nametoindex("lo"), it calls if_nametoindex(), which
 * opens and closes an AF_UNIX socket.
 *
 * Normalisations (presentation, not values):
 *  1. Closes of descriptors that are not sockets are dropped from strace's
 *     trace (sockscope reports close only for sockets). strace runs with
 *     -y so that it says itself what each descriptor was at the call:
 *     "close(3<socket:[1234]>)" is kept, "close(3</etc/ld.so.cache>)",
 *     "close(3<pipe:[5]>)" and "close(999)" (EBADF) are not. The <...>
 *     decorations are then removed everywhere.
 *  2. Numbers strace prints for values without a name, in hex with a
 *     comment ("0x4d2 <* AF_??? *>", with <* *> for the comment markers),
 *     are compared as the decimal numbers sockscope's JSON gives; where
 *     strace prints a number with its name in the comment ("0xcc
 *     <* AX25_P_IP *>"), the name is compared. Arguments that are a C int
 *     (family, protocol, how, level, optname) are compared as that int:
 *     strace's "0xffffffff" and "4294967295" are JSON's -1.
 *  3. Flags are compared as sets: strace's "A|B", "0" and JSON's
 *     ["A","B"], []; leftover bits as one number on both sides.
 *     socket()'s "SOCK_STREAM|SOCK_CLOEXEC" is JSON's type and flags;
 *     with no type name, strace's number is the type and the flags are
 *     the named ones: "0x4d <* SOCK_??? *>" (77) is "type":77,"flags":[],
 *     "SOCK_CLOEXEC|0x10" is "type":16,"flags":["SOCK_CLOEXEC"].
 *  4. accept() has no flags argument; JSON gives "flags":[], strace
 *     nothing: taken as [].
 *  5. Addresses: strace's NULL, and a pointer it does not decode because
 *     there is no address to show (a failed call, an address length of 0
 *     written back, fewer than 2 bytes), are JSON's null, and so is
 *     JSON's {"family":null,"hex":...} for fewer than 2 bytes; an
 *     address of a family alone, {sa_family=AF_INET}, is JSON's "hex":""
 *     (AF_UNIX's is the unnamed address, below). The values
 *     in htons()/htonl() are the numbers inside; IP addresses are
 *     compared after inet_pton, so only the address counts, not its
 *     spelling; strace's unnamed AF_UNIX address {sa_family=AF_UNIX} is
 *     JSON's "path":""; sun_path=@"x" is "@x"; nl_groups (hex in strace)
 *     is a number; sa_data="..." is the same bytes as JSON's "hex" (the
 *     bytes after the family); a link-local sin6_scope_id strace prints
 *     as if_nametoindex("lo") is that interface's number.
 *  6. sendmsg/recvmsg: len is the sum of strace's iov_len values, the
 *     address is msg_name. For a failed recvmsg strace shows only
 *     {msg_namelen=N}, so len is not compared there.
 *  7. Option values: strace's [N] is JSON's "value":N; SO_ERROR's value
 *     strace names as an errno ([ECONNREFUSED]), compared as its number.
 *     Values that are not one int (structs, short buffers) have no
 *     "value" in JSON and are not [N] in strace.
 *  8. Return values: "= 3" is "ret":3; "= -1 EAGAIN (Resource ...)" is
 *     "ret":-1,"errno":"EAGAIN" (strace's message is not compared).
 *  9. socketpair's protocol: strace 6.1 prints it as a bare number for
 *     every family ("socketpair(AF_INET, SOCK_STREAM, 0, ...)"), while
 *     DESIGN.md has JSON name it as socket()'s is named ("IPPROTO_IP");
 *     compared as numbers.
 * 10. AF_PACKET's protocol: strace's htons(ETH_P_ALL) is JSON's
 *     "ETH_P_ALL".
 *
 * Needs root, a kernel with BTF and strace; skips without them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "lib/netns.h"
#include "lib/paths.h"
#include "lib/proc.h"

#include "fuzz/utf8_ref.h"

#define RUN_TIMEOUT_MS	90000
#define CANON_MAX	1024
#define MAX_THREADS	16
#define MAX_ARGS	8
#define MAX_LOGGED	60

#define TRACED_CALLS	"socket,socketpair,bind,listen,accept,accept4," \
			"connect,sendto,recvfrom,sendmsg,recvmsg,shutdown," \
			"getsockname,getpeername,setsockopt,getsockopt,close"

static const char *const call_names[] = {
	"socket", "socketpair", "bind", "listen", "accept", "accept4",
	"connect", "sendto", "recvfrom", "sendmsg", "recvmsg", "shutdown",
	"getsockname", "getpeername", "setsockopt", "getsockopt", "close",
};

#define N_CALLS	(sizeof(call_names) / sizeof(call_names[0]))

/* --- small string tools --------------------------------------------------- */

struct span {
	const char *p;
	size_t n;
};

static struct span span_of(const char *s)
{
	return (struct span){ s, strlen(s) };
}

static struct span span_trim(struct span s)
{
	while (s.n && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && isspace((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool span_is(struct span s, const char *lit)
{
	return s.n == strlen(lit) && !memcmp(s.p, lit, s.n);
}

static bool span_starts(struct span s, const char *lit)
{
	size_t n = strlen(lit);

	return s.n >= n && !memcmp(s.p, lit, n);
}

/* A NUL-terminated copy of s into buf (truncated to fit). */
static char *span_str(struct span s, char *buf, size_t size)
{
	size_t n = s.n < size - 1 ? s.n : size - 1;

	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

/* The text between the first open and the last close: "f(x)" -> "x". */
static bool span_inside(struct span s, char open, char close,
			struct span *in)
{
	const char *a = memchr(s.p, open, s.n);
	const char *b = s.p + s.n;

	while (b > s.p && b[-1] != close)
		b--;
	if (!a || b <= a + 1)
		return false;
	*in = (struct span){ a + 1, (size_t)(b - 1 - (a + 1)) };
	return true;
}

/*
 * Splits s at the commas outside brackets, parentheses, braces and
 * quoted strings; returns the number of parts (at most max).
 */
static int split_top(struct span s, struct span *out, int max)
{
	size_t i, start = 0;
	bool quoted = false;
	int depth = 0, n = 0;

	for (i = 0; i <= s.n; i++) {
		char c = i < s.n ? s.p[i] : ',';

		if (quoted) {
			if (c == '\\')
				i++;
			else if (c == '"')
				quoted = false;
			continue;
		}
		if (c == '"')
			quoted = true;
		else if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}')
			depth--;
		else if (c == ',' && depth <= 0 && n < max) {
			out[n++] = span_trim((struct span){ s.p + start,
							    i - start });
			start = i + 1;
		}
	}
	if (n == 1 && !out[0].n)
		return 0;
	return n;
}

/* The value of hex digit c, or -1. */
static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_octal(int c)
{
	return c >= '0' && c <= '7';
}

/* What "\\c" stands for, for c a letter, a quote or a backslash. */
static int c_escape(int c)
{
	static const char map[] = "n\nt\tr\rv\vf\fa\ab\b";
	const char *m;

	for (m = map; *m; m += 2)
		if (*m == c)
			return m[1];
	return c;
}

/* strace's C string literal (quotes included) as bytes; -1 if not one. */
static int c_unquote(struct span s, unsigned char *out, size_t max)
{
	const char *p, *end = s.p + s.n - 1;
	size_t n = 0;
	int v, k;

	if (s.n < 2 || s.p[0] != '"' || *end != '"')
		return -1;
	for (p = s.p + 1; p < end && n < max; p++) {
		if (*p != '\\' || p + 1 == end) {
			out[n++] = *p;
			continue;
		}
		p++;
		if (*p == 'x') {
			for (v = 0, k = 0; k < 2 && hex_digit(p[1]) >= 0; k++)
				v = v * 16 + hex_digit(*++p);
		} else if (is_octal(*p)) {
			for (v = *p - '0', k = 1; k < 3 && is_octal(p[1]); k++)
				v = v * 8 + *++p - '0';
		} else {
			v = c_escape(*p);
		}
		out[n++] = v;
	}
	return n;
}

static void hex_of(const unsigned char *b, size_t n, char *out, size_t size)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < size; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* Bytes as readable text: printable ASCII as is, others as \xHH. */
static void text_of(const unsigned char *b, size_t n, char *out, size_t size)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len + 5 < size; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
			out[len++] = b[i];
		else
			len += sprintf(out + len, "\\x%02x", b[i]);
	}
	out[len] = '\0';
}

static char *read_text_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				break;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* --- canonical form of one call ------------------------------------------- */

/* The fields compared, in the order the canonical form lists them. */
enum field {
	F_FD, F_FAMILY, F_TYPE, F_LEN, F_FLAGS, F_PROTOCOL, F_FDS, F_ADDR,
	F_ADDRLEN, F_BACKLOG, F_HOW, F_LEVEL, F_OPTNAME, F_VALUE, F_COUNT,
};

static const char *const field_names[F_COUNT] = {
	"fd", "family", "type", "len", "flags", "protocol", "fds", "addr",
	"addrlen", "backlog", "how", "level", "optname", "value",
};

struct fields {
	bool have[F_COUNT];
	char val[F_COUNT][320];
	char ret[96];
	bool failed;
	char extra[256];	/* what could not be understood */
};

static __attribute__((format(printf, 3, 4)))
void set_field(struct fields *f, enum field k, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->val[k], sizeof(f->val[k]), fmt, ap);
	va_end(ap);
	f->have[k] = true;
}

static void note_extra(struct fields *f, const char *what, struct span s)
{
	size_t len = strlen(f->extra);

	snprintf(f->extra + len, sizeof(f->extra) - len, " ?%s=%.*s", what,
		 (int)s.n, s.p);
}

/* The protocols sockscope may name in socketpair (normalisation 9). */
static const struct {
	const char *name;
	int value;
} ip_protocols[] = {
	{ "IPPROTO_IP", 0 }, { "IPPROTO_ICMP", 1 }, { "IPPROTO_TCP", 6 },
	{ "IPPROTO_UDP", 17 }, { "IPPROTO_IPV6", 41 },
	{ "IPPROTO_SCTP", 132 }, { "IPPROTO_UDPLITE", 136 },
	{ "IPPROTO_RAW", 255 }, { "IPPROTO_MPTCP", 262 },
};

static void protocol_as_number(char *val, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(ip_protocols) / sizeof(ip_protocols[0]); i++)
		if (!strcmp(val, ip_protocols[i].name)) {
			snprintf(val, size, "%d", ip_protocols[i].value);
			return;
		}
}

/* "bind fd=3 addr={AF_INET ip=127.0.0.1 port=80} addrlen=16 = 0" */
static void canon_build(const char *name, struct fields *f, char *out)
{
	size_t len;
	int k;

	/* A failed recvmsg: strace shows no iovs (normalisation 6). */
	if (!strcmp(name, "recvmsg") && f->failed)
		f->have[F_LEN] = false;
	if (!strcmp(name, "socketpair") && f->have[F_PROTOCOL])
		protocol_as_number(f->val[F_PROTOCOL],
				   sizeof(f->val[F_PROTOCOL]));
	len = snprintf(out, CANON_MAX, "%s", name);
	for (k = 0; k < F_COUNT; k++)
		if (f->have[k] && len < CANON_MAX)
			len += snprintf(out + len, CANON_MAX - len, " %s=%s",
					field_names[k], f->val[k]);
	if (len < CANON_MAX)
		snprintf(out + len, CANON_MAX - len, "%s = %s", f->extra,
			 f->ret);
}

/* A socket address, whichever tracer decoded it. */
struct sa_canon {
	char family[48];
	char ip[INET6_ADDRSTRLEN];
	long long port, flowinfo, scope_id, nl_pid, nl_groups;
	bool have_ip, have_port, have_flowinfo, have_scope_id;
	bool have_nl_pid, have_nl_groups, have_path, have_hex;
	char path[300];
	char hex[300];
	char extra[128];
};

/* Normalisation 5: the address, not its spelling. */
static void canon_ip(struct sa_canon *a, const char *ip)
{
	unsigned char bin[16];

	a->have_ip = true;
	if (inet_pton(AF_INET, ip, bin) == 1)
		inet_ntop(AF_INET, bin, a->ip, sizeof(a->ip));
	else if (inet_pton(AF_INET6, ip, bin) == 1)
		inet_ntop(AF_INET6, bin, a->ip, sizeof(a->ip));
	else
		snprintf(a->ip, sizeof(a->ip), "%s", ip);
}

static void sa_format(const struct sa_canon *a, char *out, size_t size)
{
	size_t len = snprintf(out, size, "{%s", a->family);

#define SA_ADD(cond, ...)						\
	do {								\
		if ((cond) && len < size)				\
			len += snprintf(out + len, size - len, __VA_ARGS__); \
	} while (0)
	SA_ADD(a->have_ip, " ip=%s", a->ip);
	SA_ADD(a->have_port, " port=%lld", a->port);
	SA_ADD(a->have_flowinfo, " flowinfo=%lld", a->flowinfo);
	SA_ADD(a->have_scope_id, " scope_id=%lld", a->scope_id);
	SA_ADD(a->have_path, " path=\"%s\"", a->path);
	SA_ADD(a->have_nl_pid, " nl_pid=%lld", a->nl_pid);
	SA_ADD(a->have_nl_groups, " nl_groups=%lld", a->nl_groups);
	SA_ADD(a->have_hex, " hex=%s", a->hex);
	SA_ADD(true, "%s}", a->extra);
#undef SA_ADD
}

/* --- strace's side -------------------------------------------------------- */

/*
 * The name in a comment from start ("<* AX25_P_IP *>") up to end, into
 * out; false when it names nothing ("<* AF_??? *>").
 */
static bool strace_comment_name(const char *start, const char *end,
				char *out, size_t size)
{
	struct span in = { start + 2, (size_t)(end - start - 2) };
	const char *close = memmem(in.p, in.n, "*/", 2);

	if (!close)
		return false;
	in = span_trim((struct span){ in.p, (size_t)(close - in.p) });
	if (!in.n || memchr(in.p, '?', in.n))
		return false;
	span_str(in, out, size);
	return true;
}

/*
 * A value strace prints as a name or a number: the name, or the number in
 * decimal (normalisation 2: "0x4d2 <comment>" is 1234).
 */
static void strace_scalar(struct span s, char *out, size_t size)
{
	char buf[128], *end;
	unsigned long long u;
	const char *comment;
	long long v;

	s = span_trim(s);
	/* Normalisation 10: AF_PACKET's "htons(ETH_P_ALL)". */
	if (span_starts(s, "htons(") && s.p[s.n - 1] == ')')
		s = (struct span){ s.p + 6, s.n - 7 };
	comment = memmem(s.p, s.n, "/*", 2);
	if (comment && strace_comment_name(comment, s.p + s.n, out, size))
		return;
	if (comment)
		s = span_trim((struct span){ s.p, (size_t)(comment - s.p) });
	span_str(s, buf, sizeof(buf));
	errno = 0;
	if (buf[0] == '-') {
		v = strtoll(buf, &end, 0);
		if (*end || errno)
			goto name;
		snprintf(out, size, "%lld", v);
		return;
	}
	u = strtoull(buf, &end, 0);
	if (!*buf || *end || errno)
		goto name;
	snprintf(out, size, "%llu", u);
	return;
name:
	snprintf(out, size, "%s", buf);
}

/* A number strace printed unsigned, as the C int it is: "4294967295" is
 * "-1"; names and other numbers stay. */
static void as_c_int(char *val, size_t size)
{
	unsigned long long u;
	char *end;

	if (!isdigit((unsigned char)val[0]))
		return;
	errno = 0;
	u = strtoull(val, &end, 10);
	if (!*end && !errno && u <= 0xffffffffULL)
		snprintf(val, size, "%d", (int)(unsigned int)u);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Flag names and leftover numbers as a sorted set: "[A,B,16]". */
static void flags_format(char **names, int n, unsigned long long bits,
			 char *out, size_t size)
{
	size_t len;
	int i;

	qsort(names, n, sizeof(*names), cmp_str);
	len = snprintf(out, size, "[");
	for (i = 0; i < n && len < size; i++)
		len += snprintf(out + len, size - len, "%s%s", i ? "," : "",
				names[i]);
	if (bits && len < size)
		len += snprintf(out + len, size - len, "%s%llu", n ? "," : "",
				bits);
	if (len < size)
		snprintf(out + len, size - len, "]");
}

/*
 * strace's "A|B|0x10 <comment>" or "0". With type_out, socket()'s type:
 * a token that is no flag name is the type, and the number then a flag;
 * with no such token the number (0 if none) is the type.
 */
static void strace_flags(struct span s, char *out, size_t size,
			 char *type_out, size_t type_size)
{
	unsigned long long bits = 0;
	char tok[64][64], *names[64], buf[64];
	bool type_named = false;
	size_t start = 0, k;
	int n = 0;

	for (k = 0; k <= s.n; k++) {
		struct span t;

		if (k < s.n && s.p[k] != '|')
			continue;
		t = (struct span){ s.p + start, k - start };
		start = k + 1;
		strace_scalar(t, buf, sizeof(buf));
		if (isdigit((unsigned char)buf[0])) {
			bits |= strtoull(buf, NULL, 10);
		} else if (type_out && strcmp(buf, "SOCK_CLOEXEC") &&
			   strcmp(buf, "SOCK_NONBLOCK")) {
			snprintf(type_out, type_size, "%s", buf);
			type_named = true;
		} else if (n < 64) {
			snprintf(tok[n], sizeof(tok[n]), "%s", buf);
			names[n] = tok[n];
			n++;
		}
	}
	if (type_out && !type_named) {
		snprintf(type_out, type_size, "%llu", bits);
		bits = 0;
	}
	flags_format(names, n, bits, out, size);
}

/* "htons(8000)" -> 8000; a plain number as itself. */
static long long strace_wrapped_number(struct span s)
{
	struct span in;
	char buf[64];

	if (span_inside(s, '(', ')', &in))
		s = in;
	return strtoll(span_str(s, buf, sizeof(buf)), NULL, 0);
}

/* The string inside "f(..., "x", ...)", as text. */
static void strace_quoted_in(struct span s, char *out, size_t size)
{
	const char *q = memchr(s.p, '"', s.n), *e;
	unsigned char bytes[256];
	int n;

	out[0] = '\0';
	if (!q)
		return;
	e = memchr(q + 1, '"', s.p + s.n - (q + 1));
	if (!e)
		return;
	n = c_unquote((struct span){ q, (size_t)(e + 1 - q) }, bytes,
		      sizeof(bytes));
	if (n >= 0)
		text_of(bytes, n, out, size);
}

static void strace_sa_item(struct sa_canon *a, struct span item)
{
	const char *eq = memchr(item.p, '=', item.n);
	unsigned char bytes[256];
	struct span key, val;
	char buf[256];
	int n;

	if (span_starts(item, "inet_pton(")) {
		strace_quoted_in(item, buf, sizeof(buf));
		canon_ip(a, buf);
		return;
	}
	if (!eq)
		goto unknown;
	key = span_trim((struct span){ item.p, (size_t)(eq - item.p) });
	val = span_trim((struct span){ eq + 1, item.n - (eq + 1 - item.p) });
	if (span_is(key, "sa_family")) {
		strace_scalar(val, a->family, sizeof(a->family));
	} else if (span_is(key, "sin_port") || span_is(key, "sin6_port")) {
		a->port = strace_wrapped_number(val);
		a->have_port = true;
	} else if (span_is(key, "sin_addr")) {
		strace_quoted_in(val, buf, sizeof(buf));
		canon_ip(a, buf);
	} else if (span_is(key, "sin6_flowinfo")) {
		a->flowinfo = strace_wrapped_number(val);
		a->have_flowinfo = true;
	} else if (span_is(key, "sin6_scope_id")) {
		if (span_starts(val, "if_nametoindex(")) {
			strace_quoted_in(val, buf, sizeof(buf));
			a->scope_id = if_nametoindex(buf);
		} else {
			a->scope_id = strace_wrapped_number(val);
		}
		a->have_scope_id = true;
	} else if (span_is(key, "sun_path")) {
		bool abstract = span_starts(val, "@");

		n = c_unquote((struct span){ val.p + abstract,
					     val.n - abstract },
			      bytes, sizeof(bytes));
		if (n < 0)
			goto unknown;
		a->path[0] = abstract ? '@' : '\0';
		text_of(bytes, n, a->path + abstract,
			sizeof(a->path) - abstract);
		a->have_path = true;
	} else if (span_is(key, "nl_pid")) {
		a->nl_pid = strace_wrapped_number(val);
		a->have_nl_pid = true;
	} else if (span_is(key, "nl_groups")) {
		a->nl_groups = strtoll(span_str(val, buf, sizeof(buf)), NULL,
				       16);
		a->have_nl_groups = true;
	} else if (span_is(key, "sa_data")) {
		n = c_unquote(val, bytes, sizeof(bytes));
		if (n < 0)
			goto unknown;
		hex_of(bytes, n, a->hex, sizeof(a->hex));
		a->have_hex = true;
	} else {
		goto unknown;
	}
	return;
unknown:
	n = strlen(a->extra);
	snprintf(a->extra + n, sizeof(a->extra) - n, " ?%.*s", (int)item.n,
		 item.p);
}

/* An address argument: {...}, NULL, or a pointer strace did not decode. */
static void strace_addr(struct span s, char *out, size_t size)
{
	struct sa_canon a = { .family = "?" };
	struct span in, items[MAX_ARGS];
	int n, i;

	s = span_trim(s);
	if (span_is(s, "NULL") || span_starts(s, "0x")) {
		snprintf(out, size, "null");
		return;
	}
	if (s.n < 2 || s.p[0] != '{' || !span_inside(s, '{', '}', &in)) {
		snprintf(out, size, "?%.*s", (int)s.n, s.p);
		return;
	}
	n = split_top(in, items, MAX_ARGS);
	for (i = 0; i < n; i++)
		strace_sa_item(&a, items[i]);
	/* Normalisation 5: a family alone; AF_UNIX's is the unnamed
	 * address. */
	if (!strcmp(a.family, "AF_UNIX") && !a.have_path && !a.have_hex) {
		a.path[0] = '\0';
		a.have_path = true;
	} else if (n == 1 && !a.extra[0]) {
		a.hex[0] = '\0';
		a.have_hex = true;
	}
	sa_format(&a, out, size);
}

/* "[1]" -> 1; "[ECONNREFUSED]" -> 111 (normalisation 7). */
static bool strace_optval(struct span s, char *out, size_t size)
{
	char buf[64];
	int err;

	s = span_trim(s);
	if (s.n < 3 || s.p[0] != '[' || s.p[s.n - 1] != ']' ||
	    memchr(s.p, ',', s.n))
		return false;
	strace_scalar((struct span){ s.p + 1, s.n - 2 }, buf, sizeof(buf));
	if (isdigit((unsigned char)buf[0]) || buf[0] == '-') {
		snprintf(out, size, "%s", buf);
		return true;
	}
	for (err = 1; err < 4096; err++) {
		const char *name = strerrorname_np(err);

		if (name && !strcmp(name, buf)) {
			snprintf(out, size, "%d", err);
			return true;
		}
	}
	snprintf(out, size, "%s", buf);
	return true;
}

/* socketpair's "[3, 4]" (descriptors, decorations gone). */
static bool strace_fdpair(struct span s, char *out, size_t size)
{
	struct span in, fds[2];
	char a[32], b[32];

	s = span_trim(s);
	if (!span_starts(s, "[") || !span_inside(s, '[', ']', &in) ||
	    split_top(in, fds, 2) != 2)
		return false;
	strace_scalar(fds[0], a, sizeof(a));
	strace_scalar(fds[1], b, sizeof(b));
	snprintf(out, size, "[%s,%s]", a, b);
	return true;
}

/* sendmsg/recvmsg's msghdr: len from the iovs, addr from msg_name. */
static void strace_msghdr(struct span s, struct fields *f)
{
	struct span in, items[MAX_ARGS], iovs[64], iov_in, parts[2];
	long long len = 0;
	int n, i, k, m;

	s = span_trim(s);
	set_field(f, F_ADDR, "null");
	/* A msghdr the kernel could not read: no iovs, no name. */
	if (span_is(s, "NULL") || span_starts(s, "0x"))
		return;
	if (!span_starts(s, "{") || !span_inside(s, '{', '}', &in)) {
		note_extra(f, "msghdr", s);
		return;
	}
	n = split_top(in, items, MAX_ARGS);
	for (i = 0; i < n; i++) {
		if (span_starts(items[i], "msg_name=")) {
			strace_addr((struct span){ items[i].p + 9,
						   items[i].n - 9 },
				    f->val[F_ADDR], sizeof(f->val[F_ADDR]));
		} else if (span_starts(items[i], "msg_iov=") &&
			   span_inside(items[i], '[', ']', &iov_in)) {
			m = split_top(iov_in, iovs, 64);
			for (k = 0; k < m; k++) {
				struct span body;

				if (!span_inside(iovs[k], '{', '}', &body) ||
				    split_top(body, parts, 2) != 2 ||
				    !span_starts(parts[1], "iov_len="))
					continue;
				len += strace_wrapped_number((struct span){
					parts[1].p + 8, parts[1].n - 8 });
			}
			set_field(f, F_LEN, "%lld", len);
		}
	}
}

/* How strace shows each argument of each call. */
enum arg_kind {
	A_END,
	A_SCALAR,	/* a name or a number */
	A_INT,		/* a name or a number that is a C int */
	A_SOCKTYPE,	/* socket()'s type|flags: type and flags */
	A_FLAGS,	/* A|B or 0 */
	A_NOFLAGS,	/* accept: no argument, flags [] */
	A_ADDR,		/* {...}, NULL or a pointer */
	A_FDPAIR,	/* [3, 4] */
	A_MSGHDR,	/* {msg_name=..., msg_iov=[...], ...}: len and addr */
	A_OPTVAL,	/* [N] */
};

struct strace_arg {
	int index;
	enum arg_kind kind;
	enum field field;
};

struct strace_shape {
	const char *name;
	struct strace_arg args[6];
};

#define ARG(i, kind, field)	{ i, A_##kind, F_##field }
#define ARGS_END		{ -1, A_END, 0 }

static const struct strace_shape shapes[] = {
	{ "socket", { ARG(0, INT, FAMILY), ARG(1, SOCKTYPE, TYPE),
		      ARG(2, INT, PROTOCOL), ARGS_END } },
	{ "socketpair", { ARG(0, INT, FAMILY), ARG(1, SOCKTYPE, TYPE),
			  ARG(2, INT, PROTOCOL), ARG(3, FDPAIR, FDS),
			  ARGS_END } },
	{ "bind", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
		    ARG(2, SCALAR, ADDRLEN), ARGS_END } },
	{ "connect", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
		       ARG(2, SCALAR, ADDRLEN), ARGS_END } },
	{ "listen", { ARG(0, SCALAR, FD), ARG(1, SCALAR, BACKLOG),
		      ARGS_END } },
	{ "accept", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
		      ARG(-1, NOFLAGS, FLAGS), ARGS_END } },
	{ "accept4", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
		       ARG(3, FLAGS, FLAGS), ARGS_END } },
	{ "sendto", { ARG(0, SCALAR, FD), ARG(2, SCALAR, LEN),
		      ARG(3, FLAGS, FLAGS), ARG(4, ADDR, ADDR), ARGS_END } },
	{ "recvfrom", { ARG(0, SCALAR, FD), ARG(2, SCALAR, LEN),
			ARG(3, FLAGS, FLAGS), ARG(4, ADDR, ADDR),
			ARGS_END } },
	{ "sendmsg", { ARG(0, SCALAR, FD), ARG(1, MSGHDR, LEN),
		       ARG(2, FLAGS, FLAGS), ARGS_END } },
	{ "recvmsg", { ARG(0, SCALAR, FD), ARG(1, MSGHDR, LEN),
		       ARG(2, FLAGS, FLAGS), ARGS_END } },
	{ "shutdown", { ARG(0, SCALAR, FD), ARG(1, INT, HOW),
			ARGS_END } },
	{ "getsockname", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
			   ARGS_END } },
	{ "getpeername", { ARG(0, SCALAR, FD), ARG(1, ADDR, ADDR),
			   ARGS_END } },
	{ "setsockopt", { ARG(0, SCALAR, FD), ARG(1, INT, LEVEL),
			  ARG(2, INT, OPTNAME), ARG(3, OPTVAL, VALUE),
			  ARGS_END } },
	{ "getsockopt", { ARG(0, SCALAR, FD), ARG(1, INT, LEVEL),
			  ARG(2, INT, OPTNAME), ARG(3, OPTVAL, VALUE),
			  ARGS_END } },
	{ "close", { ARG(0, SCALAR, FD), ARGS_END } },
};

static const struct strace_shape *shape_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (!strcmp(shapes[i].name, name))
			return &shapes[i];
	return NULL;
}

static void strace_arg(const struct strace_arg *a, struct span v,
		       struct fields *f)
{
	char *out = f->val[a->field];
	size_t size = sizeof(f->val[a->field]);

	f->have[a->field] = true;
	switch (a->kind) {
	case A_END:
		break;
	case A_SCALAR:
		strace_scalar(v, out, size);
		break;
	case A_INT:
		strace_scalar(v, out, size);
		as_c_int(out, size);
		break;
	case A_SOCKTYPE:
		strace_flags(v, f->val[F_FLAGS], sizeof(f->val[F_FLAGS]),
			     out, size);
		f->have[F_FLAGS] = true;
		break;
	case A_FLAGS:
		strace_flags(v, out, size, NULL, 0);
		break;
	case A_NOFLAGS:
		snprintf(out, size, "[]");
		break;
	case A_ADDR:
		strace_addr(v, out, size);
		break;
	case A_FDPAIR:
		f->have[a->field] = strace_fdpair(v, out, size);
		break;
	case A_MSGHDR:
		f->have[a->field] = false;
		strace_msghdr(v, f);
		break;
	case A_OPTVAL:
		f->have[a->field] = strace_optval(v, out, size);
		break;
	}
}

/* "0", "3", "-1 EAGAIN (Resource temporarily unavailable)" */
static void strace_ret(struct span s, struct fields *f)
{
	char buf[64], *sp;

	span_str(span_trim(s), buf, sizeof(buf));
	f->failed = buf[0] == '-' || buf[0] == '?';
	sp = strchr(buf, ' ');
	if (f->failed && sp) {
		sp = strtok(sp + 1, " ");
		snprintf(f->ret, sizeof(f->ret), "-1 %s", sp ? sp : "?");
	} else {
		strace_scalar(span_of(buf), f->ret, sizeof(f->ret));
	}
}

/* Removes -y's "<...>" after descriptor numbers, outside strings. */
static void strip_decorations(char *s)
{
	bool quoted = false;
	char *w = s, *r = s;
	int depth;

	while (*r) {
		if (quoted) {
			if (*r == '\\' && r[1])
				*w++ = *r++;
			else if (*r == '"')
				quoted = false;
			*w++ = *r++;
			continue;
		}
		if (*r == '"')
			quoted = true;
		if (*r == '<' && r > s && isdigit((unsigned char)r[-1])) {
			for (depth = 0; *r; r++) {
				depth += *r == '<';
				depth -= *r == '>';
				if (!depth)
					break;
			}
			if (*r)
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* --- one traced call, from either side ------------------------------------ */

struct call {
	char name[16];
	char *raw;		/* the line as the tracer wrote it */
	char canon[CANON_MAX];
};

struct thread_calls {
	int tid;
	int pid;		/* as sockscope reports it; 0 if unknown */
	char comm[32];
	struct call *calls;
	int n, cap;
};

struct trace {
	struct thread_calls threads[MAX_THREADS];
	int n;
	int lost;		/* sockscope's "lost" records */
	int bad_lines;		/* lines that could not be parsed */
};

static struct thread_calls *thread_of(struct trace *t, int tid)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->threads[i].tid == tid)
			return &t->threads[i];
	if (t->n == MAX_THREADS)
		return NULL;
	t->threads[t->n].tid = tid;
	return &t->threads[t->n++];
}

static struct call *add_call(struct trace *t, int tid, const char *name,
			     const char *raw)
{
	struct thread_calls *th = thread_of(t, tid);
	struct call *c;

	if (!th)
		return NULL;
	if (th->n == th->cap) {
		int cap = th->cap ? th->cap * 2 : 64;

		c = realloc(th->calls, cap * sizeof(*c));
		if (!c)
			return NULL;
		th->calls = c;
		th->cap = cap;
	}
	c = &th->calls[th->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->raw = strdup(raw);
	return c;
}

static void trace_free(struct trace *t)
{
	int i, k;

	for (i = 0; i < t->n; i++) {
		for (k = 0; k < t->threads[i].n; k++)
			free(t->threads[i].calls[k].raw);
		free(t->threads[i].calls);
	}
	memset(t, 0, sizeof(*t));
}

/* --- reading strace's trace ----------------------------------------------- */

/* A call whose line was cut by another thread's ("<unfinished ...>"). */
struct unfinished {
	int tid;
	char *head;
};

/* "name(args) = ret", decorations already gone, into c. */
static void strace_call(struct call *c, char *text)
{
	const struct strace_shape *shape = shape_of(c->name);
	struct span all = span_of(text), args, ret, parts[MAX_ARGS];
	struct fields f = { 0 };
	const char *open = strchr(text, '('), *p;
	int depth = 0, n, i;
	bool quoted = false;

	/* The closing parenthesis of the call, then " = ret". */
	for (p = open; p && *p; p++) {
		if (quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = false;
		} else if (*p == '"') {
			quoted = true;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && !--depth) {
			break;
		}
	}
	if (!shape || !p || !*p || !strchr(p, '=')) {
		snprintf(c->canon, sizeof(c->canon), "?unparsed: %s", text);
		return;
	}
	args = (struct span){ open + 1, (size_t)(p - open - 1) };
	ret = (struct span){ strchr(p, '=') + 1, 0 };
	ret.n = all.p + all.n - ret.p;
	n = split_top(args, parts, MAX_ARGS);
	strace_ret(ret, &f);
	for (i = 0; shape->args[i].kind != A_END; i++) {
		const struct strace_arg *a = &shape->args[i];

		if (a->index < 0) {
			strace_arg(a, span_of(""), &f);
			continue;
		}
		if (a->index < n)
			strace_arg(a, parts[a->index], &f);
		else
			note_extra(&f, field_names[a->field],
				   span_of("missing"));
	}
	canon_build(c->name, &f, c->canon);
}

/*
 * Normalisation 1: a close stays only if strace -y showed a socket.
 * Returns whether the call belongs in the comparison.
 */
static bool strace_keep(const char *name, const char *text)
{
	const char *arg = strchr(text, '(');

	if (strcmp(name, "close"))
		return true;
	return arg && !strncmp(arg + 1 + strspn(arg + 1, "0123456789"),
			       "<socket:[", 9);
}

static void strace_line(struct trace *t, int tid, char *text)
{
	char name[16];
	size_t n = strcspn(text, "(");
	struct call *c;

	if (!text[n] || n >= sizeof(name)) {
		if (strncmp(text, "+++", 3) && strncmp(text, "---", 3))
			t->bad_lines++;
		return;
	}
	memcpy(name, text, n);
	name[n] = '\0';
	if (!strace_keep(name, text))
		return;
	c = add_call(t, tid, name, text);
	if (!c)
		return;
	strip_decorations(text);
	strace_call(c, text);
}

static struct unfinished *unfinished_of(struct unfinished *u, int n,
					int tid)
{
	int i;

	for (i = 0; i < n; i++)
		if (u[i].tid == tid)
			return &u[i];
	return NULL;
}

static int parse_strace(struct trace *t, char *text)
{
	static const char cut[] = " <unfinished ...>";
	struct unfinished pend[MAX_THREADS] = { 0 }, *u;
	char *line, *save = NULL, *rest, *joined;
	int npend = 0, tid, i, err = 0;
	size_t len;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		tid = strtol(line, &rest, 10);
		rest += strspn(rest, " ");
		len = strlen(rest);
		u = unfinished_of(pend, npend, tid);
		if (len >= sizeof(cut) - 1 &&
		    !strcmp(rest + len - (sizeof(cut) - 1), cut)) {
			if (!u && npend < MAX_THREADS)
				u = &pend[npend++];
			if (!u) {
				err = -ENOSPC;
				break;
			}
			free(u->head);
			u->tid = tid;
			u->head = strndup(rest, len - (sizeof(cut) - 1));
			continue;
		}
		if (!strncmp(rest, "<... ", 5) && strstr(rest, " resumed>")) {
			if (!u || !u->head) {
				t->bad_lines++;
				continue;
			}
			rest = strstr(rest, " resumed>") + 9;
			if (asprintf(&joined, "%s%s", u->head, rest) < 0) {
				err = -ENOMEM;
				break;
			}
			free(u->head);
			u->head = NULL;
			strace_line(t, tid, joined);
			free(joined);
			continue;
		}
		strace_line(t, tid, rest);
	}
	for (i = 0; i < npend; i++)
		free(pend[i].head);
	return err;
}

/* --- a minimal JSON reader ------------------------------------------------ */

enum json_type { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct json {
	enum json_type type;
	long long num;		/* J_NUM (saturated), J_BOOL */
	bool integral;		/* J_NUM without fraction or exponent */
	char *str;		/* J_STR, NUL-terminated; J_NUM as written */
	size_t len;		/* J_STR bytes; J_ARR, J_OBJ members */
	char **keys;		/* J_OBJ */
	struct json *items;	/* J_ARR, J_OBJ */
};

struct json_reader {
	const char *p;
	int depth;
};

static void json_free(struct json *v)
{
	size_t i;

	if (v->type == J_ARR || v->type == J_OBJ) {
		for (i = 0; i < v->len; i++) {
			json_free(&v->items[i]);
			if (v->keys)
				free(v->keys[i]);
		}
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	memset(v, 0, sizeof(*v));
}

static void json_skip_space(struct json_reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' ||
	       *r->p == '\r')
		r->p++;
}

/* The 4 hex digits of a \\u escape, or -1. */
static int hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		if (hex_digit(p[i]) < 0)
			return -1;
		v = v * 16 + hex_digit(p[i]);
	}
	return v;
}

/* What "\\c" stands for in JSON (not \\u), or -1. */
static int json_escape(int c)
{
	static const char map[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *m;

	for (m = map; *m; m += 2)
		if (*m == c)
			return m[1];
	return -1;
}

/* A string literal at r->p (on its opening quote). */
static int json_string(struct json_reader *r, char **out, size_t *out_len)
{
	const char *p = r->p + 1;
	char *buf = malloc(strlen(p) + 1);
	size_t n = 0;
	int cp, lo;

	if (!buf)
		return -ENOMEM;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			goto bad;
		if (*p != '\\') {
			buf[n++] = *p++;
			continue;
		}
		p++;
		if (*p != 'u') {
			cp = json_escape(*p++);
			if (cp < 0)
				goto bad;
			buf[n++] = cp;
			continue;
		}
		cp = hex4(p + 1);
		if (cp < 0)
			goto bad;
		p += 5;
		/* A surrogate pair. */
		if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' &&
		    p[1] == 'u' && (lo = hex4(p + 2)) >= 0xdc00 &&
		    lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			p += 6;
		}
		n += ref_utf8_encode(cp, (unsigned char *)buf + n);
	}
	if (*p != '"')
		goto bad;
	buf[n] = '\0';
	r->p = p + 1;
	*out = buf;
	*out_len = n;
	return 0;
bad:
	free(buf);
	return -EINVAL;
}

static int json_value(struct json_reader *r, struct json *v);

/* An array or object at r->p (on its opening bracket). */
static int json_members(struct json_reader *r, struct json *v, bool object)
{
	char close = object ? '}' : ']';
	size_t cap = 0;
	int err;

	v->type = object ? J_OBJ : J_ARR;
	r->p++;
	json_skip_space(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		if (v->len == cap) {
			cap = cap ? cap * 2 : 8;
			v->items = realloc(v->items, cap * sizeof(*v->items));
			if (object)
				v->keys = realloc(v->keys,
						  cap * sizeof(*v->keys));
			if (!v->items || (object && !v->keys))
				return -ENOMEM;
		}
		memset(&v->items[v->len], 0, sizeof(*v->items));
		json_skip_space(r);
		if (object) {
			size_t klen;

			if (*r->p != '"')
				return -EINVAL;
			err = json_string(r, &v->keys[v->len], &klen);
			if (err)
				return err;
			json_skip_space(r);
			if (*r->p++ != ':') {
				v->len++;
				return -EINVAL;
			}
		}
		err = json_value(r, &v->items[v->len]);
		v->len++;
		if (err)
			return err;
		json_skip_space(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p++ != close)
			return -EINVAL;
		return 0;
	}
}

/* Numbers of any size: the text is kept, the value saturates. */
static int json_number(struct json_reader *r, struct json *v)
{
	char *end;

	v->type = J_NUM;
	v->num = strtoll(r->p, &end, 10);
	if (end == r->p || (*r->p == '-' && end == r->p + 1))
		return -EINVAL;
	v->integral = *end != '.' && *end != 'e' && *end != 'E';
	if (!v->integral)
		strtod(r->p, &end);
	v->str = strndup(r->p, end - r->p);
	if (!v->str)
		return -ENOMEM;
	v->len = end - r->p;
	r->p = end;
	return 0;
}

static int json_value(struct json_reader *r, struct json *v)
{
	int err = -EINVAL;

	if (++r->depth > 32)
		return -E2BIG;
	json_skip_space(r);
	if (*r->p == '{' || *r->p == '[') {
		err = json_members(r, v, *r->p == '{');
	} else if (*r->p == '"') {
		v->type = J_STR;
		err = json_string(r, &v->str, &v->len);
	} else if (*r->p == '-' || isdigit((unsigned char)*r->p)) {
		err = json_number(r, v);
	} else if (!strncmp(r->p, "true", 4) || !strncmp(r->p, "false", 5)) {
		v->type = J_BOOL;
		v->num = *r->p == 't';
		r->p += v->num ? 4 : 5;
		err = 0;
	} else if (!strncmp(r->p, "null", 4)) {
		v->type = J_NULL;
		r->p += 4;
		err = 0;
	}
	r->depth--;
	return err;
}

/* One whole JSON text: 0, or -errno (v is then freed). */
static int json_parse(const char *text, struct json *v)
{
	struct json_reader r = { .p = text };
	int err;

	memset(v, 0, sizeof(*v));
	err = json_value(&r, v);
	json_skip_space(&r);
	if (!err && *r.p)
		err = -EINVAL;
	if (err)
		json_free(v);
	return err;
}

static const struct json *json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (i = 0; i < obj->len; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

/* --- reading sockscope's trace -------------------------------------------- */

/* A name or a number. */
static void json_scalar(const struct json *v, char *out, size_t size)
{
	if (v->type == J_STR)
		snprintf(out, size, "%s", v->str);
	else if (v->type == J_NUM && v->integral)
		snprintf(out, size, "%s", v->str);
	else if (v->type == J_NULL)
		snprintf(out, size, "null");
	else
		snprintf(out, size, "?json-type-%d", v->type);
}

static void json_flags(const struct json *v, char *out, size_t size)
{
	unsigned long long bits = 0;
	char *names[64];
	size_t i;
	int n = 0;

	if (v->type != J_ARR) {
		json_scalar(v, out, size);
		return;
	}
	for (i = 0; i < v->len && n < 64; i++) {
		if (v->items[i].type == J_STR)
			names[n++] = v->items[i].str;
		else if (v->items[i].type == J_NUM)
			bits |= v->items[i].num;
	}
	flags_format(names, n, bits, out, size);
}

static void json_addr(const struct json *v, char *out, size_t size)
{
	struct sa_canon a = { 0 };
	const struct json *m;
	size_t i;

	m = json_get(v, "family");
	/* Normalisation 5: fewer than 2 bytes, no address to show. */
	if (v->type == J_NULL || (m && m->type == J_NULL)) {
		snprintf(out, size, "null");
		return;
	}
	if (v->type != J_OBJ) {
		snprintf(out, size, "?json-type-%d", v->type);
		return;
	}
	if (m)
		json_scalar(m, a.family, sizeof(a.family));
	else
		snprintf(a.family, sizeof(a.family), "?");
	for (i = 0; i < v->len; i++) {
		const char *k = v->keys[i];
		const struct json *x = &v->items[i];
		size_t len;

		if (!strcmp(k, "family"))
			continue;
		if (!strcmp(k, "ip") && x->type == J_STR) {
			canon_ip(&a, x->str);
		} else if (!strcmp(k, "path") && x->type == J_STR) {
			text_of((unsigned char *)x->str, x->len, a.path,
				sizeof(a.path));
			a.have_path = true;
		} else if (!strcmp(k, "hex") && x->type == J_STR) {
			snprintf(a.hex, sizeof(a.hex), "%s", x->str);
			a.have_hex = true;
		} else if (x->type == J_NUM && !strcmp(k, "port")) {
			a.port = x->num;
			a.have_port = true;
		} else if (x->type == J_NUM && !strcmp(k, "flowinfo")) {
			a.flowinfo = x->num;
			a.have_flowinfo = true;
		} else if (x->type == J_NUM && !strcmp(k, "scope_id")) {
			a.scope_id = x->num;
			a.have_scope_id = true;
		} else if (x->type == J_NUM && !strcmp(k, "nl_pid")) {
			a.nl_pid = x->num;
			a.have_nl_pid = true;
		} else if (x->type == J_NUM && !strcmp(k, "nl_groups")) {
			a.nl_groups = x->num;
			a.have_nl_groups = true;
		} else {
			len = strlen(a.extra);
			snprintf(a.extra + len, sizeof(a.extra) - len, " ?%s",
				 k);
		}
	}
	sa_format(&a, out, size);
}

static void json_field(struct fields *f, const char *key,
		       const struct json *v)
{
	char buf[64];
	int k;

	for (k = 0; k < F_COUNT; k++)
		if (!strcmp(field_names[k], key))
			break;
	if (k == F_COUNT) {
		json_scalar(v, buf, sizeof(buf));
		note_extra(f, key, span_of(buf));
		return;
	}
	f->have[k] = true;
	switch (k) {
	case F_FLAGS:
		json_flags(v, f->val[k], sizeof(f->val[k]));
		break;
	case F_ADDR:
		json_addr(v, f->val[k], sizeof(f->val[k]));
		break;
	case F_FDS:
		if (v->type == J_ARR && v->len == 2 &&
		    v->items[0].type == J_NUM && v->items[1].type == J_NUM)
			set_field(f, k, "[%lld,%lld]", v->items[0].num,
				  v->items[1].num);
		else
			set_field(f, k, "?fds");
		break;
	default:
		json_scalar(v, f->val[k], sizeof(f->val[k]));
		break;
	}
}

static void json_call(struct call *c, const struct json *rec)
{
	const struct json *ret = json_get(rec, "ret");
	const struct json *err = json_get(rec, "errno");
	const struct json *args = json_get(rec, "args");
	struct fields f = { 0 };
	char name[64];
	size_t i;

	if (err && err->type != J_NULL) {
		json_scalar(err, name, sizeof(name));
		snprintf(f.ret, sizeof(f.ret), "%lld %s",
			 ret && ret->type == J_NUM ? ret->num : 0, name);
		f.failed = true;
	} else if (ret && ret->type == J_NUM) {
		snprintf(f.ret, sizeof(f.ret), "%lld", ret->num);
	} else {
		snprintf(f.ret, sizeof(f.ret), "?no-ret");
	}
	if (!args || args->type != J_OBJ)
		note_extra(&f, "args", span_of("missing"));
	for (i = 0; args && args->type == J_OBJ && i < args->len; i++)
		json_field(&f, args->keys[i], &args->items[i]);
	canon_build(c->name, &f, c->canon);
}

static void json_line(struct trace *t, const char *line)
{
	const struct json *kind, *tid, *pid, *name, *comm;
	struct thread_calls *th;
	struct json rec;
	struct call *c;

	if (json_parse(line, &rec)) {
		t->bad_lines++;
		return;
	}
	kind = json_get(&rec, "kind");
	tid = json_get(&rec, "tid");
	pid = json_get(&rec, "pid");
	name = json_get(&rec, "name");
	comm = json_get(&rec, "comm");
	if (!kind || kind->type != J_STR)
		t->bad_lines++;
	else if (!strcmp(kind->str, "lost"))
		t->lost++;
	else if (strcmp(kind->str, "syscall"))
		;	/* kernel events: not strace's business */
	else if (!tid || tid->type != J_NUM || !pid || pid->type != J_NUM ||
		 !name || name->type != J_STR)
		t->bad_lines++;
	else if ((c = add_call(t, tid->num, name->str, line))) {
		json_call(c, &rec);
		th = thread_of(t, tid->num);
		th->pid = pid->num;
		if (comm && comm->type == J_STR)
			snprintf(th->comm, sizeof(th->comm), "%s", comm->str);
	}
	json_free(&rec);
}

static void parse_jsonl(struct trace *t, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		json_line(t, line);
}

/* --- comparing ------------------------------------------------------------ */

/*
 * Lines up two threads' calls by name (longest common subsequence), so a
 * missing or extra call shows as itself instead of shifting the rest.
 * pair[i] is the index in b matched with a[i], or -1.
 */
static int align(const struct thread_calls *a, const struct thread_calls *b,
		 int *pair)
{
	int n = a->n, m = b->n, i, k;
	int *lcs = calloc((size_t)(n + 1) * (m + 1), sizeof(int));

	if (!lcs)
		return -ENOMEM;
#define L(i, k)	lcs[(size_t)(i) * (m + 1) + (k)]
	for (i = n - 1; i >= 0; i--)
		for (k = m - 1; k >= 0; k--)
			L(i, k) = !strcmp(a->calls[i].name, b->calls[k].name) ?
				  L(i + 1, k + 1) + 1 :
				  (L(i + 1, k) > L(i, k + 1) ? L(i + 1, k) :
							       L(i, k + 1));
	for (i = 0; i < n; i++)
		pair[i] = -1;
	for (i = 0, k = 0; i < n && k < m;) {
		if (!strcmp(a->calls[i].name, b->calls[k].name)) {
			pair[i++] = k++;
		} else if (L(i + 1, k) >= L(i, k + 1)) {
			i++;
		} else {
			k++;
		}
	}
#undef L
	free(lcs);
	return 0;
}

static int logged;

static __attribute__((format(printf, 1, 2))) void log_limited(const char *fmt,
							      ...)
{
	va_list ap;

	if (logged++ == MAX_LOGGED)
		TH_LOG("... (more differences not shown)");
	if (logged > MAX_LOGGED)
		return;
	va_start(ap, fmt);
	th_vlog(fmt, ap);
	va_end(ap);
}

/* Compares one thread's calls; returns the number of differences. */
static int compare_thread(const struct thread_calls *st,
			  const struct thread_calls *ss)
{
	static const struct call none = { .raw = "(nothing)" };
	int *pair = calloc(st->n + 1, sizeof(int));
	int i, k = 0, diffs = 0;

	if (!pair || align(st, ss, pair)) {
		free(pair);
		return 1;
	}
	for (i = 0; i <= st->n; i++) {
		int upto = i < st->n && pair[i] >= 0 ? pair[i] :
			   (i == st->n ? ss->n : k);

		for (; k < upto; k++, diffs++)
			log_limited("tid %d: only sockscope has call %d:\n"
				    "  strace:    %s\n  sockscope: %s",
				    st->tid, k + 1, none.raw,
				    ss->calls[k].raw);
		if (i == st->n)
			break;
		if (pair[i] < 0) {
			diffs++;
			log_limited("tid %d: only strace has call %d:\n"
				    "  strace:    %s\n  sockscope: %s",
				    st->tid, i + 1, st->calls[i].raw,
				    none.raw);
			continue;
		}
		if (strcmp(st->calls[i].canon, ss->calls[k].canon)) {
			diffs++;
			log_limited("tid %d: call %d differs:\n"
				    "  strace:    %s\n  sockscope: %s\n"
				    "  compared:  %s\n        vs:  %s",
				    st->tid, i + 1, st->calls[i].raw,
				    ss->calls[k].raw, st->calls[i].canon,
				    ss->calls[k].canon);
		}
		k++;
	}
	free(pair);
	return diffs;
}

static bool traces_call(const struct trace *t, const char *name)
{
	int i, k;

	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->threads[i].n; k++)
			if (!strcmp(t->threads[i].calls[k].name, name))
				return true;
	return false;
}

/* --- the run -------------------------------------------------------------- */

static const char *skip_reason(void)
{
	static const char *const dirs[] = { "/usr/bin", "/bin",
					    "/usr/local/bin", "/usr/sbin" };
	char path[64];
	size_t i;

	if (geteuid() != 0)
		return "needs root to load BPF programs";
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "kernel has no BTF";
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/strace", dirs[i]);
		if (!access(path, X_OK))
			return NULL;
	}
	return "strace is not installed";
}

FIXTURE(compare) {
	char dir[64];
	char jsonl[128];
	char strace_out[128];
	struct trace strace, sockscope;
	struct proc run;
};

FIXTURE_SETUP(compare)
{
	const char *why = skip_reason();

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, netns_enter_fresh());
	snprintf(self->dir, sizeof(self->dir), "/tmp/sockscope-compare.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->jsonl, sizeof(self->jsonl), "%s/out.jsonl", self->dir);
	snprintf(self->strace_out, sizeof(self->strace_out), "%s/strace.txt",
		 self->dir);
}

FIXTURE_TEARDOWN(compare)
{
	proc_cleanup(&self->run);
	trace_free(&self->strace);
	trace_free(&self->sockscope);
	if (!self->dir[0])
		return;
	unlink(self->jsonl);
	unlink(self->strace_out);
	rmdir(self->dir);
}

/* Runs sockscope over strace over the helper; returns the exit status. */
static int run_both(FIXTURE_DATA(compare) *self)
{
	char sockscope[4096], helper[4096], *err = NULL;
	char *argv[] = {
		sockscope, "-j", "-o", self->jsonl, "-e", TRACED_CALLS, "--",
		"strace", "-f", "-qq", "-y", "-o", self->strace_out,
		"-e", "trace=" TRACED_CALLS, "-e", "signal=none", helper, NULL,
	};
	int status;

	if (build_path(sockscope, sizeof(sockscope), "sockscope") ||
	    build_path(helper, sizeof(helper), "tests/helpers/sockcalls"))
		return -ENAMETOOLONG;
	/* Under SANITIZE=1: LeakSanitizer cannot run under ptrace. */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	status = proc_spawn(&self->run, argv);
	if (status)
		return status;
	status = proc_wait(&self->run, RUN_TIMEOUT_MS);
	if (status && proc_read_all_err(&self->run, &err, 1000) >= 0) {
		TH_LOG("sockscope/strace/sockcalls said:\n%s", err);
		free(err);
	}
	return status;
}

TEST_F_TIMEOUT(compare, strace_and_sockscope_agree, 120)
{
	const struct thread_calls *st, *ss;
	int i, k, diffs = 0, main_pid = 0;
	bool thread_seen = false, child_seen = false;
	char *text;

	ASSERT_EQ(0, run_both(self));

	text = read_text_file(self->strace_out);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, parse_strace(&self->strace, text));
	free(text);
	text = read_text_file(self->jsonl);
	ASSERT_NE(NULL, text);
	parse_jsonl(&self->sockscope, text);
	free(text);

	EXPECT_EQ(0, self->strace.bad_lines);
	EXPECT_EQ(0, self->sockscope.bad_lines);
	EXPECT_EQ(0, self->sockscope.lost);
	for (i = 0; i < (int)N_CALLS; i++)
		EXPECT_TRUE(traces_call(&self->strace, call_names[i])) {
			TH_LOG("strace saw no %s call", call_names[i]);
		}

	/* The helper's main thread, its second thread, its child. */
	ASSERT_EQ(3, self->strace.n);
	for (i = 0; i < self->sockscope.n; i++) {
		ss = &self->sockscope.threads[i];
		if (ss->tid == self->strace.threads[0].tid)
			main_pid = ss->pid;
	}
	ASSERT_EQ(self->strace.threads[0].tid, main_pid);

	for (i = 0; i < self->strace.n; i++) {
		st = &self->strace.threads[i];
		ss = NULL;
		for (k = 0; k < self->sockscope.n; k++)
			if (self->sockscope.threads[k].tid == st->tid)
				ss = &self->sockscope.threads[k];
		EXPECT_NE(NULL, ss) {
			TH_LOG("sockscope reported nothing for tid %d",
			       st->tid);
		}
		if (!ss)
			continue;
		thread_seen |= ss->pid == main_pid && ss->tid != main_pid;
		child_seen |= ss->pid != main_pid;
		diffs += compare_thread(st, ss);
		EXPECT_EQ(st->n, ss->n) {
			TH_LOG("tid %d: strace saw %d calls, sockscope %d",
			       st->tid, st->n, ss->n);
		}
	}
	EXPECT_TRUE(thread_seen);
	EXPECT_TRUE(child_seen);

	/* Every other record is strace's own (see the top). */
	for (k = 0; k < self->sockscope.n; k++) {
		ss = &self->sockscope.threads[k];
		for (i = 0; i < self->strace.n; i++)
			if (self->strace.threads[i].tid == ss->tid)
				break;
		if (i == self->strace.n && !strcmp(ss->comm, "strace")) {
			TH_LOG("strace's own calls, left out: %d, first: %s",
			       ss->n, ss->calls[0].raw);
			continue;
		}
		EXPECT_LT(i, self->strace.n) {
			TH_LOG("sockscope traced %d calls of tid %d (%s), "
			       "which strace did not trace; first: %s",
			       ss->n, ss->tid, ss->comm, ss->calls[0].raw);
		}
	}
	EXPECT_EQ(0, diffs);
}

/*
 * The lines of the calls of comm in a text trace, without the timestamp
 * and "[pid comm] " (malloc'd, one per line): as strace -o writes them.
 */
static char *text_calls_of(const char *trace, const char *comm)
{
	char tag[64];
	size_t n = 0, cap = strlen(trace) + 1;
	char *out = calloc(1, cap);
	const char *p, *end, *at;

	snprintf(tag, sizeof(tag), " %s] ", comm);
	for (p = trace; out && *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		at = memmem(p, end - p, tag, strlen(tag));
		if (!at)
			continue;
		at += strlen(tag);
		memcpy(out + n, at, end - at);
		n += end - at;
		out[n++] = '\n';
	}
	return out;
}

/*
 * Option values strace shows as a structure or as a string (SO_LINGER,
 * the socket timeouts), at every length, and SO_ERROR's as an errno name:
 * sockscope's text lines are strace's, byte for byte, in one run of both
 * over the same process.
 */
TEST_F_TIMEOUT(compare, struct_option_values_as_strace_shows_them, 60)
{
	char sockscope[4096], helper[4096], *out = NULL, *err = NULL;
	char *argv[] = {
		sockscope, "--no-explain", "-e", "setsockopt,getsockopt", "--",
		"strace", "-qq", "-o", self->strace_out,
		"-e", "trace=setsockopt,getsockopt", "-e", "signal=none", helper,
		NULL,
	};
	char *strace_text, *seen;
	const char *exited;

	ASSERT_EQ(0, build_path(sockscope, sizeof(sockscope), "sockscope"));
	ASSERT_EQ(0, build_path(helper, sizeof(helper),
				"tests/helpers/sockopts"));
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	ASSERT_EQ(0, proc_spawn(&self->run, argv));
	proc_read_all(&self->run, &out, RUN_TIMEOUT_MS);
	proc_read_all_err(&self->run, &err, 1000);
	ASSERT_EQ(0, proc_wait(&self->run, RUN_TIMEOUT_MS)) {
		TH_LOG("%s", err);
	}
	strace_text = read_text_file(self->strace_out);
	ASSERT_NE(NULL, strace_text);
	exited = strstr(strace_text, "+++ exited");
	if (exited)
		*(char *)exited = '\0';
	seen = text_calls_of(out, "sockopts");
	ASSERT_NE(NULL, seen);
	/* Among them structures, strings, pointers and errno names. */
	EXPECT_NE(NULL, strstr(seen, "{l_onoff=1, l_linger=0}, 8) = 0"));
	EXPECT_NE(NULL, strstr(seen, "{l_onoff=1, l_linger=\"\\x07\\x00\"}, [6]) = 0"));
	EXPECT_NE(NULL, strstr(seen, "\"\\5\\0\\0\\0\\0\\0\\0\\0\\220\\320\\3\\0\\0\\0\\0\\0\", 16) = 0"));
	EXPECT_NE(NULL, strstr(seen, "\"..., 40) = 0"));
	EXPECT_NE(NULL, strstr(seen, "[12 => 8]) = 0"));
	EXPECT_NE(NULL, strstr(seen, "SO_ERROR, [ECONNREFUSED], [4]) = 0"));
	EXPECT_NE(NULL, strstr(seen, "SO_ERROR, [0], [4]) = 0"));
	EXPECT_STREQ(strace_text, seen);
	free(strace_text);
	free(seen);
	free(out);
	free(err);
}

TEST_HARNESS_MAIN
