/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Formatters: decoded values written into a strbuf, as strace-like text or
 * as JSON. The names come from names.h.
 *
 * Unknown values in text are printed exactly as strace 6.1 prints them: a
 * hex number with the family of names it should have had in a comment,
 * "0x2e <* AF_??? *>" (here <* and *> stand for the comment's slash-star
 * and star-slash), and leftover
 * flag bits after the known ones, "SOCK_CLOEXEC|0x10". In JSON an unknown
 * value is a plain number.
 */
#ifndef SOCKSCOPE_FORMAT_H
#define SOCKSCOPE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "events.h"
#include "names.h"
#include "strbuf.h"

/*
 * Flags as strace prints them: the names of the set bits, in table order,
 * joined by '|', then any leftover bits as one hex number:
 * "MSG_PEEK|0x10000000". Only leftover bits: "0x10000000 <* MSG_??? *>",
 * the comment naming the prefix of the table's first name. flags 0:
 * zero_text ("0" when NULL).
 */
void format_flags_text(struct strbuf *sb, const struct name_entry *tab,
		       unsigned long flags, const char *zero_text);

/* ["MSG_DONTWAIT","MSG_NOSIGNAL"], [] for 0, leftover bits as a number. */
void format_flags_json(struct strbuf *sb, const struct name_entry *tab,
		       unsigned long flags);

/* name, or value as "0x3 <* unknown *>" ("0 <* ... *>" for 0). */
void format_xval_text(struct strbuf *sb, const char *name,
		      unsigned int value, const char *unknown);

/* "AF_INET"; "0x2e <* AF_??? *>". */
void format_family_text(struct strbuf *sb, int family);

/*
 * socket()'s type with its flags: "SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK".
 * When the low 4 bits name no type, the whole value is printed as flags:
 * "0x4d <* SOCK_??? *>" (77), "SOCK_CLOEXEC|0x10", "0".
 */
void format_socktype_text(struct strbuf *sb, int type);

/*
 * Two JSON members (no braces), "type":"SOCK_DGRAM","flags":["SOCK_CLOEXEC"],
 * split as strace splits the text. When the low 4 bits (SOCK_TYPE_BITS)
 * name a type, the other bits are flags, leftover bits a number among
 * them: SOCK_DGRAM|0x10000 is "type":"SOCK_DGRAM","flags":[65536]. When
 * they do not, the type is the number of every bit no flag names and the
 * flags are the named ones: 77 (0x4d) is "type":77,"flags":[], and
 * SOCK_CLOEXEC|0x10 is "type":16,"flags":["SOCK_CLOEXEC"].
 */
void format_socktype_json(struct strbuf *sb, int type);

/*
 * The protocol as strace prints it for that family: "IPPROTO_TCP",
 * "0x3 <* IPPROTO_??? *>", "NETLINK_ROUTE", "htons(ETH_P_ALL)", "5" (AF_UNIX
 * and other families without names: unsigned decimal), ...
 */
void format_protocol_text(struct strbuf *sb, int family, int protocol);

/*
 * The protocol in JSON: its name as a string (see protocol_name), or the
 * number. For AF_PACKET, the number is the Ethernet protocol the name
 * would stand for, as strace shows it inside htons(): the low 16 bits in
 * host byte order (4660 for htons(0x1234)).
 */
void format_protocol_json(struct strbuf *sb, int family, int protocol);

/* "SHUT_WR"; "0x3 <* SHUT_??? *>". */
void format_shut_text(struct strbuf *sb, int how);

/* "SOL_SOCKET"; "0x2 <* SOL_?? *>" (strace writes two '?' here). */
void format_level_text(struct strbuf *sb, int level);

/*
 * An option name at that level, for getsockopt (get) or setsockopt:
 * "SO_REUSEADDR"; "0x3e8 <* SO_??? *>"; unsigned decimal when the level
 * has no option names.
 */
void format_sockopt_text(struct strbuf *sb, int level, int optname,
			 bool get);

/*
 * "ECONNREFUSED (Connection refused)"; "(errno 41)" for a number with no
 * name, as strace prints it after "= -1 ". strace prints "= ? " instead of
 * "= -1 " before the restart codes (see errno_is_restart).
 */
void format_errno_text(struct strbuf *sb, int err);

/*
 * A socket address from its raw bytes: captured bytes were read (the BPF
 * side copies at most 128), addrlen is the length the program passed or the
 * kernel reported. Only min(captured, addrlen) bytes are used; any length
 * and any bytes are safe.
 *
 * Text:
 *	{AF_INET, 127.0.0.1:8000}
 *	{AF_INET6, [::1]:8000}		", flowinfo=N" and ", scope_id=N"
 *					follow when not 0
 *	{AF_UNIX, "/tmp/chat.sock"}	path up to its first NUL, escaped
 *					like format_text_bytes
 *	{AF_UNIX, @"name"}		abstract: every byte of the name
 *	{AF_UNIX, ""}			unnamed (addrlen 2)
 *	{AF_NETLINK, pid=0, groups=00000000}	groups as strace prints
 *					them ("%#08x": 0x000011 for 0x11)
 *	{AF_PACKET, hex=0008...}	any other family, or one too short
 *	{0x2e <* AF_??? *>, hex=...}	for its struct: the bytes after the
 *					family, lowercase hex; a family
 *					with no name as format_family_text
 *					writes it
 *	{hex=02}			fewer than 2 bytes: no family
 *	NULL				addrlen 0, or negative as the
 *					kernel's int (2^31 or more)
 *
 * JSON (the "addr" objects of DESIGN.md):
 *	{"family":"AF_INET","ip":"127.0.0.1","port":8000}
 *	{"family":"AF_INET6","ip":"::1","port":8000,"flowinfo":0,"scope_id":0}
 *	{"family":"AF_UNIX","path":"/tmp/chat.sock"}  abstract "@name",
 *						      unnamed ""
 *	{"family":"AF_NETLINK","nl_pid":0,"nl_groups":0}
 *	{"family":"AF_PACKET","hex":"..."}, {"family":46,"hex":"..."}
 *	{"family":null,"hex":"02"}		fewer than 2 bytes
 *	null					addrlen 0 or negative
 *
 * Returns 0 when the address was decoded field by field, -ENODATA when it
 * was written as NULL/null or as raw bytes.
 */
int format_sockaddr_text(struct strbuf *sb, const void *addr, size_t captured,
			 size_t addrlen);
int format_sockaddr_json(struct strbuf *sb, const void *addr, size_t captured,
			 size_t addrlen);

/*
 * The text of the last socket address written through it, kept with the
 * bytes and lengths it was made from: a program sends to, or hears from,
 * the same peer many times in a row. Kept only for an address of up to
 * 28 bytes (a sockaddr_in6) whose text fits. Zeroed, it holds nothing.
 */
struct sockaddr_cache {
	bool valid;
	size_t captured, addrlen;
	unsigned char raw[28];
	size_t text_len;
	char text[96];
};

/* format_sockaddr_text(sb, addr, captured, addrlen), through c when c is
 * not NULL: the same text, copied when c holds it. */
void format_sockaddr_text_cached(struct strbuf *sb, struct sockaddr_cache *c,
				 const void *addr, size_t captured,
				 size_t addrlen);

/* The same for format_sockaddr_json. A cache keeps one form: the JSON
 * one needs a cache of its own. */
void format_sockaddr_json_cached(struct strbuf *sb, struct sockaddr_cache *c,
				 const void *addr, size_t captured,
				 size_t addrlen);

/*
 * The endpoint an AF_INET or AF_INET6 sockaddr names, from the captured
 * bytes of it: its family, its address (16 bytes, an IPv4 one in the
 * first 4, the rest 0) and its port. false, with addr all 0, for another
 * family or too few bytes.
 */
bool sockaddr_inet(const void *sa, size_t captured, int *family,
		   unsigned char addr[16], unsigned int *port);

/*
 * A JSON string literal, quotes included, that is valid JSON for any
 * bytes: valid UTF-8 is copied as is; '"' and '\\' are escaped; \b \f \n
 * \r \t by letter; other control characters and DEL as \u00XX. A byte that
 * is not part of valid UTF-8 becomes \u00XX too: the code point with the
 * byte's value (0xff -> \u00ff), so the text stays readable but is not
 * byte-exact -- the "hex" of a payload is.
 */
void format_json_string(struct strbuf *sb, const void *bytes, size_t n);

/*
 * A strace-style quoted string: printable ASCII as is; \" \\ \t \n \v \f
 * \r; any other byte in octal, as short as possible ("\0", "\33", "\377")
 * unless the next byte is an octal digit ('0'..'7'), then three digits
 * ("\0001"). Only the n bytes given are looked at: the caller truncates
 * (strace shows 32 bytes, then "..." after the closing quote).
 *
 * keep_utf8: valid multi-byte UTF-8 sequences are copied as they are
 * ("你好" instead of "\344\275\240\345\245\275"), except C1 controls
 * (U+0080..U+009F), which stay escaped. strace has no such mode.
 */
void format_text_bytes(struct strbuf *sb, const void *bytes, size_t n,
		       bool keep_utf8);

/* Whether the bytes are valid UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). NUL bytes are valid. */
bool is_valid_utf8(const void *bytes, size_t n);

/*
 * A name a process gave itself (its comm: prctl PR_SET_NAME takes any
 * bytes), made safe to print on a terminal: valid UTF-8 is kept; control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 become '?'. Reads
 * at most n bytes, up to a NUL; out has room for n + 1. Returns the
 * length written.
 */
size_t format_printable_name(char *out, const void *name, size_t n);

/*
 * The printable form of the last process name asked for, kept with the
 * raw bytes it was made from: records come in runs from one process, so
 * most find their name made already, and the 16 bytes compared cost less
 * than looking at each. Zeroed, a cache is ready: it holds the empty
 * name, which is what 16 NUL bytes give.
 */
struct comm_cache {
	char raw[SOCKSCOPE_COMM_LEN];
	char name[SOCKSCOPE_COMM_LEN + 1];
	size_t len;			/* strlen(name) */
};

/* Makes c hold comm and its printable form (the slow path of
 * format_comm_cached). */
void comm_cache_fill(struct comm_cache *c,
		     const char comm[SOCKSCOPE_COMM_LEN]);

/*
 * format_printable_name(out, comm, SOCKSCOPE_COMM_LEN) of the comm's
 * SOCKSCOPE_COMM_LEN bytes, kept in c: returns c->name, its length in
 * c->len. Good until c is used again.
 */
static inline const char *format_comm_cached(struct comm_cache *c,
					     const char *comm)
{
	if (memcmp(c->raw, comm, SOCKSCOPE_COMM_LEN))
		comm_cache_fill(c, comm);
	return c->name;
}

/* Lowercase hex, no separators: "00ff10". */
void format_hex(struct strbuf *sb, const void *bytes, size_t n);

/*
 * An IP address as inet_ntop writes it: "127.0.0.1" for AF_INET (4 bytes
 * at addr), "::1" for AF_INET6 (16 bytes). Nothing for any other family.
 */
void format_ip(struct strbuf *sb, int family, const void *addr);

/*
 * Nanoseconds as milliseconds with three decimals, byte for byte what
 * printf("%.3f", ns / 1e6) writes: "0.087", "1234.500".
 */
void format_ms(struct strbuf *sb, unsigned long long ns);

#endif
