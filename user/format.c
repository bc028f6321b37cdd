// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "format.h"

/* --- flags and single values ----------------------------------------- */

/* A name from our tables as a JSON string: none needs escaping. */
static void add_json_name(struct strbuf *sb, const char *name)
{
	sb_addc(sb, '"');
	sb_add(sb, name);
	sb_addc(sb, '"');
}

/* "MSG_???" for a table whose first name is "MSG_OOB". */
static void add_unknown_comment(struct strbuf *sb, const struct name_entry *tab)
{
	const char *us = tab->name ? strchr(tab->name, '_') : NULL;

	if (!us)
		return;
	sb_add(sb, " /* ");
	sb_addn(sb, tab->name, us - tab->name + 1);
	sb_add(sb, "??? */");
}

void format_flags_text(struct strbuf *sb, const struct name_entry *tab,
		       unsigned long flags, const char *zero_text)
{
	const struct name_entry *e;
	bool named = false;

	if (!flags) {
		sb_add(sb, zero_text ? zero_text : "0");
		return;
	}
	for (e = tab; flags && e->name; e++) {
		if (!e->value || (flags & e->value) != e->value)
			continue;
		if (named)
			sb_addc(sb, '|');
		sb_add(sb, e->name);
		flags &= ~e->value;
		named = true;
	}
	if (!flags)
		return;
	if (named)
		sb_addc(sb, '|');
	sb_addhex(sb, flags);
	if (!named)
		add_unknown_comment(sb, tab);
}

void format_flags_json(struct strbuf *sb, const struct name_entry *tab,
		       unsigned long flags)
{
	const struct name_entry *e;
	bool first = true;

	sb_addc(sb, '[');
	/* Once every bit is named, no entry is left to match. */
	for (e = tab; flags && e->name; e++) {
		if (!e->value || (flags & e->value) != e->value)
			continue;
		if (!first)
			sb_addc(sb, ',');
		add_json_name(sb, e->name);
		flags &= ~e->value;
		first = false;
	}
	if (flags) {
		if (!first)
			sb_addc(sb, ',');
		sb_addu(sb, flags);
	}
	sb_addc(sb, ']');
}

void format_xval_text(struct strbuf *sb, const char *name,
		      unsigned int value, const char *unknown)
{
	if (name) {
		sb_add(sb, name);
		return;
	}
	sb_addhex(sb, value);
	if (unknown) {
		sb_add(sb, " /* ");
		sb_add(sb, unknown);
		sb_add(sb, " */");
	}
}

/* --- socket(), shutdown(), socket options, errno ---------------------- */

void format_family_text(struct strbuf *sb, int family)
{
	format_xval_text(sb, family_name(family), family, "AF_???");
}

void format_socktype_text(struct strbuf *sb, int type)
{
	unsigned int t = (unsigned int)type;
	const char *name = socktype_name(t & SOCK_TYPE_BITS);

	if (!name) {
		format_flags_text(sb, sock_flag_names, t, "0");
		return;
	}
	sb_add(sb, name);
	t &= ~SOCK_TYPE_BITS;
	if (t) {
		sb_addc(sb, '|');
		format_flags_text(sb, sock_flag_names, t, "0");
	}
}

/* The bits of type that are not one of the named SOCK_* flags. */
static unsigned int socktype_unflagged(unsigned int t)
{
	const struct name_entry *e;

	for (e = sock_flag_names; e->name; e++)
		t &= ~e->value;
	return t;
}

void format_socktype_json(struct strbuf *sb, int type)
{
	unsigned int t = (unsigned int)type, flags;
	const char *name = socktype_name(t & SOCK_TYPE_BITS);

	sb_add(sb, "\"type\":");
	if (name) {
		add_json_name(sb, name);
		flags = t & ~SOCK_TYPE_BITS;
	} else {
		/* As strace: every bit no flag names is the type. */
		sb_addu(sb, socktype_unflagged(t));
		flags = t & ~socktype_unflagged(t);
	}
	sb_add(sb, ",\"flags\":");
	format_flags_json(sb, sock_flag_names, flags);
}

void format_protocol_text(struct strbuf *sb, int family, int protocol)
{
	const struct family_protocols *fp = family_protocols(family);
	const char *name = protocol_name(family, protocol);
	unsigned int p = (unsigned int)protocol;

	switch (fp->style) {
	case PROTO_DECIMAL:
		sb_addu(sb, p);
		break;
	case PROTO_NAME:
		format_xval_text(sb, name, p, fp->unknown);
		break;
	case PROTO_HEX_COMMENT:
		/* Always the number, the name in the comment. */
		format_xval_text(sb, NULL, p, name ? name : fp->unknown);
		break;
	case PROTO_HTONS:
		sb_add(sb, "htons(");
		format_xval_text(sb, name, ntohs((uint16_t)p), fp->unknown);
		sb_addc(sb, ')');
		break;
	}
}

void format_protocol_json(struct strbuf *sb, int family, int protocol)
{
	const char *name = protocol_name(family, protocol);

	if (name)
		add_json_name(sb, name);
	else if (family_protocols(family)->style == PROTO_HTONS)
		sb_addu(sb, ntohs((uint16_t)protocol));
	else
		sb_addi(sb, protocol);
}

void format_shut_text(struct strbuf *sb, int how)
{
	format_xval_text(sb, shut_name(how), how, "SHUT_???");
}

void format_level_text(struct strbuf *sb, int level)
{
	format_xval_text(sb, sol_name(level), level, "SOL_??");
}

void format_sockopt_text(struct strbuf *sb, int level, int optname,
			 bool get)
{
	const char *unknown = sockopt_unknown(level);
	const char *name;

	if (!unknown) {
		sb_addu(sb, (unsigned int)optname);
		return;
	}
	name = get ? getsockopt_name(level, optname)
		   : sockopt_name(level, optname);
	format_xval_text(sb, name, optname, unknown);
}

void format_errno_text(struct strbuf *sb, int err)
{
	const char *name = errno_name(err);

	if (name) {
		sb_add(sb, name);
		sb_add(sb, " (");
		sb_add(sb, errno_message(err));
		sb_addc(sb, ')');
	} else {
		sb_add(sb, "(errno ");
		sb_addi(sb, err);
		sb_addc(sb, ')');
	}
}

/* --- socket addresses ------------------------------------------------ */

enum sa_kind { SA_NULL, SA_RAW, SA_INET, SA_INET6, SA_UNIX, SA_NETLINK };

/* A socket address taken apart; bytes point into the caller's buffer. */
struct sa_fields {
	enum sa_kind kind;
	int family;			/* -1 when not even that was there */
	unsigned char ip[16];		/* 4 bytes for AF_INET */
	unsigned int port, flowinfo, scope_id;
	unsigned int nl_pid, nl_groups;
	bool abstract;
	const unsigned char *bytes;	/* path, abstract name or raw bytes */
	size_t nbytes;
};

#define SUN_PATH_MAX	sizeof(((struct sockaddr_un *)0)->sun_path)
#define SIN6_LEN_NO_SCOPE	24	/* sockaddr_in6 without sin6_scope_id */

static void sa_raw(struct sa_fields *f, const unsigned char *p, size_t len)
{
	f->kind = SA_RAW;
	if (len < sizeof(sa_family_t)) {
		f->family = -1;
		f->bytes = p;
		f->nbytes = len;
		return;
	}
	f->bytes = p + sizeof(sa_family_t);
	f->nbytes = len - sizeof(sa_family_t);
}

static void sa_inet(struct sa_fields *f, const unsigned char *p)
{
	struct sockaddr_in sin;

	memcpy(&sin, p, sizeof(sin));
	f->kind = SA_INET;
	f->port = ntohs(sin.sin_port);
	memcpy(f->ip, &sin.sin_addr, 4);
}

static void sa_inet6(struct sa_fields *f, const unsigned char *p, size_t len)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	memcpy(&sin6, p, len < sizeof(sin6) ? len : sizeof(sin6));
	f->kind = SA_INET6;
	f->port = ntohs(sin6.sin6_port);
	f->flowinfo = ntohl(sin6.sin6_flowinfo);
	f->scope_id = sin6.sin6_scope_id;
	memcpy(f->ip, &sin6.sin6_addr, 16);
}

static void sa_unix(struct sa_fields *f, const unsigned char *p, size_t len)
{
	const unsigned char *path = p + sizeof(sa_family_t);
	size_t plen = len - sizeof(sa_family_t);
	const unsigned char *nul;

	if (plen > SUN_PATH_MAX)
		plen = SUN_PATH_MAX;
	f->kind = SA_UNIX;
	if (plen && path[0] == '\0') {
		f->abstract = true;
		f->bytes = path + 1;
		f->nbytes = plen - 1;
		return;
	}
	nul = memchr(path, '\0', plen);
	f->bytes = path;
	f->nbytes = nul ? (size_t)(nul - path) : plen;
}

static void sa_netlink(struct sa_fields *f, const unsigned char *p)
{
	uint32_t pid, groups;

	/* struct sockaddr_nl: family, pad (2 bytes), pid, groups */
	memcpy(&pid, p + 4, sizeof(pid));
	memcpy(&groups, p + 8, sizeof(groups));
	f->kind = SA_NETLINK;
	f->nl_pid = pid;
	f->nl_groups = groups;
}

static int sa_parse(struct sa_fields *f, const void *addr, size_t captured,
		    size_t addrlen)
{
	size_t len = captured < addrlen ? captured : addrlen;
	const unsigned char *p = addr;
	sa_family_t family;

	memset(f, 0, sizeof(*f));
	/* The kernel takes the length as an int: one that is negative
	 * there is no address (the call fails with EINVAL). */
	if (!addrlen || addrlen > INT_MAX) {
		f->kind = SA_NULL;
		return -ENODATA;
	}
	if (!p)
		len = 0;
	sa_raw(f, p, len);
	if (len < sizeof(family))
		return -ENODATA;
	memcpy(&family, p, sizeof(family));
	f->family = family;
	if (family == AF_INET && len >= sizeof(struct sockaddr_in))
		sa_inet(f, p);
	else if (family == AF_INET6 && len >= SIN6_LEN_NO_SCOPE)
		sa_inet6(f, p, len);
	else if (family == AF_UNIX)
		sa_unix(f, p, len);
	else if (family == AF_NETLINK && len >= 12)
		sa_netlink(f, p);
	return f->kind == SA_RAW ? -ENODATA : 0;
}

static void sa_text(struct strbuf *sb, const struct sa_fields *f)
{
	switch (f->kind) {
	case SA_INET:
		format_ip(sb, AF_INET, f->ip);
		sb_addc(sb, ':');
		sb_addu(sb, f->port);
		break;
	case SA_INET6:
		sb_addc(sb, '[');
		format_ip(sb, AF_INET6, f->ip);
		sb_add(sb, "]:");
		sb_addu(sb, f->port);
		if (f->flowinfo) {
			sb_add(sb, ", flowinfo=");
			sb_addu(sb, f->flowinfo);
		}
		if (f->scope_id) {
			sb_add(sb, ", scope_id=");
			sb_addu(sb, f->scope_id);
		}
		break;
	case SA_UNIX:
		if (f->abstract)
			sb_addc(sb, '@');
		format_text_bytes(sb, f->bytes, f->nbytes, false);
		break;
	case SA_NETLINK:
		sb_addf(sb, "pid=%u, groups=%#08x", f->nl_pid, f->nl_groups);
		break;
	default:
		sb_add(sb, "hex=");
		format_hex(sb, f->bytes, f->nbytes);
		break;
	}
}

int format_sockaddr_text(struct strbuf *sb, const void *addr, size_t captured,
			 size_t addrlen)
{
	struct sa_fields f;
	int ret = sa_parse(&f, addr, captured, addrlen);

	if (f.kind == SA_NULL) {
		sb_add(sb, "NULL");
		return ret;
	}
	sb_addc(sb, '{');
	if (f.family >= 0) {
		format_family_text(sb, f.family);
		sb_add(sb, ", ");
	}
	sa_text(sb, &f);
	sb_addc(sb, '}');
	return ret;
}

/* The address in one form (form: format_sockaddr_text or _json), through
 * c, which keeps that form only. */
static void sockaddr_cached(struct strbuf *sb, struct sockaddr_cache *c,
			    const void *addr, size_t captured, size_t addrlen,
			    int (*form)(struct strbuf *sb, const void *addr,
					size_t captured, size_t addrlen))
{
	/* sa_parse() reads len bytes: they, with the two lengths, make
	 * the text. */
	size_t len = captured < addrlen ? captured : addrlen, at = sb->len;

	if (!c || !addr || len > sizeof(c->raw)) {
		form(sb, addr, captured, addrlen);
		return;
	}
	if (c->valid && c->captured == captured && c->addrlen == addrlen &&
	    !memcmp(c->raw, addr, len)) {
		sb_addn(sb, c->text, c->text_len);
		return;
	}
	form(sb, addr, captured, addrlen);
	c->valid = sb->len - at <= sizeof(c->text);
	if (!c->valid)
		return;
	c->captured = captured;
	c->addrlen = addrlen;
	memcpy(c->raw, addr, len);
	c->text_len = sb->len - at;
	memcpy(c->text, sb->buf + at, c->text_len);
}

void format_sockaddr_text_cached(struct strbuf *sb, struct sockaddr_cache *c,
				 const void *addr, size_t captured,
				 size_t addrlen)
{
	sockaddr_cached(sb, c, addr, captured, addrlen, format_sockaddr_text);
}

void format_sockaddr_json_cached(struct strbuf *sb, struct sockaddr_cache *c,
				 const void *addr, size_t captured,
				 size_t addrlen)
{
	sockaddr_cached(sb, c, addr, captured, addrlen, format_sockaddr_json);
}

/* The UNIX path as JSON: abstract names get their '@'. */
static void sa_json_path(struct strbuf *sb, const struct sa_fields *f)
{
	unsigned char name[SUN_PATH_MAX + 1];

	if (!f->abstract) {
		format_json_string(sb, f->bytes, f->nbytes);
		return;
	}
	name[0] = '@';
	memcpy(name + 1, f->bytes, f->nbytes);
	format_json_string(sb, name, f->nbytes + 1);
}

static void sa_json(struct strbuf *sb, const struct sa_fields *f)
{
	switch (f->kind) {
	case SA_INET:
	case SA_INET6:
		sb_add(sb, ",\"ip\":\"");
		format_ip(sb, f->kind == SA_INET ? AF_INET : AF_INET6, f->ip);
		sb_add(sb, "\",\"port\":");
		sb_addu(sb, f->port);
		if (f->kind == SA_INET)
			break;
		sb_add(sb, ",\"flowinfo\":");
		sb_addu(sb, f->flowinfo);
		sb_add(sb, ",\"scope_id\":");
		sb_addu(sb, f->scope_id);
		break;
	case SA_UNIX:
		sb_add(sb, ",\"path\":");
		sa_json_path(sb, f);
		break;
	case SA_NETLINK:
		sb_addf(sb, ",\"nl_pid\":%u,\"nl_groups\":%u", f->nl_pid,
			f->nl_groups);
		break;
	default:
		sb_add(sb, ",\"hex\":\"");
		format_hex(sb, f->bytes, f->nbytes);
		sb_addc(sb, '"');
		break;
	}
}

int format_sockaddr_json(struct strbuf *sb, const void *addr, size_t captured,
			 size_t addrlen)
{
	struct sa_fields f;
	int ret = sa_parse(&f, addr, captured, addrlen);
	const char *name;

	if (f.kind == SA_NULL) {
		sb_add(sb, "null");
		return ret;
	}
	name = f.family >= 0 ? family_name(f.family) : NULL;
	sb_add(sb, "{\"family\":");
	if (name)
		add_json_name(sb, name);
	else if (f.family >= 0)
		sb_addi(sb, f.family);
	else
		sb_add(sb, "null");
	sa_json(sb, &f);
	sb_addc(sb, '}');
	return ret;
}

bool sockaddr_inet(const void *sa, size_t captured, int *family,
		   unsigned char addr[16], unsigned int *port)
{
	const unsigned char *b = sa;

	memset(addr, 0, 16);
	if (captured < 8)
		return false;
	*family = b[0] | b[1] << 8;
	*port = b[2] << 8 | b[3];
	if (*family == AF_INET) {
		memcpy(addr, b + 4, 4);
		return true;
	}
	if (*family == AF_INET6 && captured >= 24) {
		memcpy(addr, b + 8, 16);
		return true;
	}
	return false;
}

/* --- strings and bytes ----------------------------------------------- */

/*
 * The length of the valid multi-byte UTF-8 sequence at p (2..4), or 0 if
 * there is none (p[0] is ASCII, a stray continuation byte, an overlong or
 * surrogate form, above U+10FFFF, or cut short by the end).
 */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (avail < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* U+0080..U+009F, the C1 controls: 0xc2 0x80..0x9f. */
static bool utf8_is_c1(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] < 0xa0;
}

bool is_valid_utf8(const void *bytes, size_t n)
{
	const unsigned char *p = bytes;
	size_t i = 0, len;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_seq_len(p + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return true;
}

/* "\u00XX": a byte as a JSON escape of the code point of that value. */
static void json_escape_u00(struct strbuf *sb, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";
	char *p = sb_claim(sb, 6);

	memcpy(p, "\\u00", 4);
	p[4] = digits[c >> 4];
	p[5] = digits[c & 0xf];
	sb_commit(sb, 6);
}

static void json_escape_ascii(struct strbuf *sb, unsigned char c)
{
	switch (c) {
	case '"':
		sb_add(sb, "\\\"");
		break;
	case '\\':
		sb_add(sb, "\\\\");
		break;
	case '\b':
		sb_add(sb, "\\b");
		break;
	case '\f':
		sb_add(sb, "\\f");
		break;
	case '\n':
		sb_add(sb, "\\n");
		break;
	case '\r':
		sb_add(sb, "\\r");
		break;
	case '\t':
		sb_add(sb, "\\t");
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			json_escape_u00(sb, c);
		else
			sb_addc(sb, c);
		break;
	}
}

/* Printable ASCII but '"' and '\\': copied as is, in JSON and in strace's
 * quoting alike. */
static bool is_plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Sixteen bytes, compared all at once: GCC's vector extension, which
 * becomes SSE2 on x86-64 and NEON on arm64. */
typedef unsigned char bytes16 __attribute__((vector_size(16)));
typedef unsigned long long words2 __attribute__((vector_size(16)));

/* Whether all 16 bytes at p are plain ASCII. */
static bool plain16(const unsigned char *p)
{
	bytes16 x, ok;
	words2 w;

	memcpy(&x, p, sizeof(x));
	ok = (bytes16)((x >= 0x20) & (x < 0x7f) & (x != '"') & (x != '\\'));
	memcpy(&w, &ok, sizeof(w));
	return (w[0] & w[1]) == ~0ULL;
}

/*
 * How many bytes from p[i] on are plain ASCII (up to n): sixteen at a
 * time while they all are. Fewer than 16 left after a run of at least 16
 * (a note's tail): the 16 that end at n are looked at at once, those
 * before j being plain already; then, or when one is not, byte by byte.
 */
static size_t plain_run(const unsigned char *p, size_t i, size_t n)
{
	size_t j = i;

	while (n - j >= 16 && plain16(p + j))
		j += 16;
	if (j < n && n - j < 16 && n - i >= 16 && plain16(p + n - 16))
		return n - i;
	while (j < n && is_plain_ascii(p[j]))
		j++;
	return j - i;
}

void format_json_string(struct strbuf *sb, const void *bytes, size_t n)
{
	const unsigned char *p = bytes;
	size_t i = 0, len;

	sb_addc(sb, '"');
	while (i < n) {
		/* Most strings are plain ASCII: copy each run at once. */
		len = plain_run(p, i, n);
		if (len) {
			sb_addn(sb, p + i, len);
			i += len;
			continue;
		}
		if (p[i] < 0x80) {
			json_escape_ascii(sb, p[i++]);
			continue;
		}
		len = utf8_seq_len(p + i, n - i);
		if (len) {
			sb_addn(sb, p + i, len);
			i += len;
		} else {
			json_escape_u00(sb, p[i++]);
		}
	}
	sb_addc(sb, '"');
}

/* A byte in octal after a backslash: "\0", "\33", "\377", or always three
 * digits ("\000") when the next byte is an octal digit. */
static void text_escape_octal(struct strbuf *sb, unsigned char c,
			      bool three)
{
	char *p = sb_claim(sb, 4);
	size_t n = 0;

	p[n++] = '\\';
	if (three || c >= 0100)
		p[n++] = '0' + (c >> 6);
	if (three || c >= 010)
		p[n++] = '0' + (c >> 3 & 7);
	p[n++] = '0' + (c & 7);
	sb_commit(sb, n);
}

/* One byte the way strace quotes it; next is the following byte or -1. */
static void text_escape_byte(struct strbuf *sb, unsigned char c, int next)
{
	switch (c) {
	case '"':
	case '\\':
		sb_addc(sb, '\\');
		sb_addc(sb, c);
		return;
	case '\t':
		sb_add(sb, "\\t");
		return;
	case '\n':
		sb_add(sb, "\\n");
		return;
	case '\v':
		sb_add(sb, "\\v");
		return;
	case '\f':
		sb_add(sb, "\\f");
		return;
	case '\r':
		sb_add(sb, "\\r");
		return;
	}
	if (c >= 0x20 && c < 0x7f)
		sb_addc(sb, c);
	else
		text_escape_octal(sb, c, next >= '0' && next <= '7');
}

void format_text_bytes(struct strbuf *sb, const void *bytes, size_t n,
		       bool keep_utf8)
{
	const unsigned char *p = bytes;
	size_t i = 0, len;

	sb_addc(sb, '"');
	while (i < n) {
		len = plain_run(p, i, n);
		if (len) {
			sb_addn(sb, p + i, len);
			i += len;
			continue;
		}
		if (keep_utf8 && p[i] >= 0x80) {
			len = utf8_seq_len(p + i, n - i);
			if (len && !utf8_is_c1(p + i)) {
				sb_addn(sb, p + i, len);
				i += len;
				continue;
			}
		}
		text_escape_byte(sb, p[i], i + 1 < n ? p[i + 1] : -1);
		i++;
	}
	sb_addc(sb, '"');
}

size_t format_printable_name(char *out, const void *name, size_t n)
{
	const unsigned char *p = name;
	size_t i = 0, o = 0, len;

	while (i < n && p[i]) {
		if (p[i] >= 0x80) {
			len = utf8_seq_len(p + i, strnlen(name, n) - i);
			if (len && !utf8_is_c1(p + i)) {
				memcpy(out + o, p + i, len);
				o += len;
				i += len;
				continue;
			}
		}
		out[o++] = p[i] < 0x20 || p[i] >= 0x7f ? '?' : p[i];
		i++;
	}
	out[o] = '\0';
	return o;
}

void comm_cache_fill(struct comm_cache *c,
		     const char comm[SOCKSCOPE_COMM_LEN])
{
	memcpy(c->raw, comm, sizeof(c->raw));
	c->len = format_printable_name(c->name, comm, sizeof(c->raw));
}

void format_hex(struct strbuf *sb, const void *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = bytes;
	size_t i, chunk;
	char *out;

	/* Written straight into the buffer, a bounded chunk at a time so
	 * that 2 * chunk cannot overflow. */
	while (n) {
		chunk = n < 4096 ? n : 4096;
		out = sb_claim(sb, 2 * chunk);
		for (i = 0; i < chunk; i++) {
			out[2 * i] = digits[p[i] >> 4];
			out[2 * i + 1] = digits[p[i] & 0xf];
		}
		sb_commit(sb, 2 * chunk);
		p += chunk;
		n -= chunk;
	}
}

void format_ip(struct strbuf *sb, int family, const void *addr)
{
	const unsigned char *a = addr;
	char ip[INET6_ADDRSTRLEN];
	char *out, *p;

	if (family == AF_INET6) {
		if (inet_ntop(AF_INET6, addr, ip, sizeof(ip)))
			sb_add(sb, ip);
		return;
	}
	if (family != AF_INET)
		return;
	/* "%u.%u.%u.%u", as inet_ntop writes it: at most 15 bytes. */
	out = p = sb_claim(sb, 15);
	for (int i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		if (a[i] >= 100)
			*p++ = '0' + a[i] / 100;
		if (a[i] >= 10)
			*p++ = '0' + a[i] / 10 % 10;
		*p++ = '0' + a[i] % 10;
	}
	sb_commit(sb, p - out);
}

void format_ms(struct strbuf *sb, unsigned long long ns)
{
	unsigned long long us = ns / 1000;
	unsigned int rest = ns % 1000;

	/*
	 * printf rounds the double ns / 1e6 to three decimals, that is to
	 * the microsecond. Below 2^50 ns (13 days) the double is within
	 * 2^-23 ms of the exact quotient, and the exact quotient is at
	 * least 1e-6 ms from a half-way point unless rest is exactly 500:
	 * both round the same way. The half-way and huge cases, where the
	 * double's own error decides, are left to printf.
	 */
	if (rest == 500 || ns >= 1ULL << 50) {
		sb_addf(sb, "%.3f", ns / 1e6);
		return;
	}
	us += rest > 500;
	sb_addu(sb, us / 1000);
	sb_addc(sb, '.');
	sb_addu_zpad(sb, us % 1000, 3);
}
