/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Every number-to-name table of sockscope, in one place, used by both the
 * text and the JSON output.
 *
 * Names are spelled as strace 6.1 prints them (the kernel headers'
 * spelling), and each table holds exactly the values strace 6.1 names:
 * tests/test_names.c runs strace on real calls and compares. Where strace
 * 6.1 knows no name for a value that newer headers define (SO_PASSPIDFD,
 * TCP_AO_*, ENOPARAM, ETH_P_PROFINET, ...), neither do we, so our text
 * output matches strace's on this system.
 *
 * A lookup returns NULL for a value with no name; the formatters in
 * format.h then print the number the way strace does.
 */
#ifndef SOCKSCOPE_NAMES_H
#define SOCKSCOPE_NAMES_H

#include <stdbool.h>
/* TCP_ESTABLISHED (1) ... TCP_CLOSING (11): the kernel's TCP state numbers
 * (include/net/tcp_states.h), which glibc's enum repeats. */
#include <netinet/tcp.h>

struct name_entry {
	unsigned long value;
	const char *name;
};

/* Tables end with an entry whose name is NULL. */
const char *name_lookup(const struct name_entry *tab, unsigned long value);

/* The value named name (exact match): 0 and *value, or -ENOENT. */
int name_to_value(const struct name_entry *tab, const char *name,
		  unsigned long *value);

/* Flag tables, in the order strace prints the flags. */
extern const struct name_entry msg_flag_names[];	/* MSG_* */
extern const struct name_entry sock_flag_names[];	/* SOCK_CLOEXEC, ... */
extern const struct name_entry splice_flag_names[];	/* SPLICE_F_* */
extern const struct name_entry poll_event_names[];	/* POLL* */
extern const struct name_entry epoll_event_names[];	/* EPOLL* */

/* Tables looked up by value. */
extern const struct name_entry epoll_op_names[];	/* EPOLL_CTL_* */
extern const struct name_entry signal_names[];		/* SIGHUP, ... */

/* accept4's flags are the socket type flags. */
#define accept4_flag_names sock_flag_names

/* Bits of socket()'s type argument that hold the type (SOCK_TYPE_MASK). */
#define SOCK_TYPE_BITS	0xfu

/* "AF_INET" or NULL; AF_UNIX is spelled AF_UNIX (not AF_LOCAL). */
const char *family_name(int family);

/*
 * The family called name, or -1: "AF_INET", "PF_INET" or "INET", in any
 * case; AF_LOCAL and AF_FILE are AF_UNIX.
 */
int family_by_name(const char *name);

/* The type without its flags ("SOCK_STREAM"), or NULL. */
const char *socktype_name(int type);

/*
 * The protocol as strace names it for that family, or NULL when it has no
 * name (the formatter then prints a number):
 *   AF_INET, AF_INET6	"IPPROTO_IP" for 0, "IPPROTO_TCP", ...
 *   AF_NETLINK		"NETLINK_ROUTE" for 0, ...
 *   AF_PACKET		the Ethernet protocol in the low 16 bits, read in
 *			network byte order: "ETH_P_ALL" for htons(ETH_P_ALL)
 *			(strace prints htons(ETH_P_ALL); see
 *			format_protocol_text)
 *   AF_BLUETOOTH, AF_CAN, AF_AX25, AF_ISDN, AF_PHONET, AF_CAIF, AF_NFC,
 *   AF_KCM, AF_SMC	their protocol names; AF_RXRPC: a family name
 *			("AF_INET"), and AF_IRDA: CAN names for 1..7, both
 *			as strace 6.1 prints them
 *   others (AF_UNIX)	NULL
 */
const char *protocol_name(int family, int protocol);

/*
 * How strace prints the protocol of a family (<...> stands for a C comment):
 */
enum proto_style {
	PROTO_DECIMAL,		/* 5 (unsigned) */
	PROTO_NAME,		/* IPPROTO_TCP; 0x3 <IPPROTO_???> */
	PROTO_HEX_COMMENT,	/* 0xcc <AX25_P_IP>; 0 <AX25_P_???> */
	PROTO_HTONS,		/* htons(ETH_P_IP); htons(0x1234 <ETH_P_???>) */
};

struct family_protocols {
	int family;
	enum proto_style style;
	const struct name_entry *names;
	const char *unknown;	/* "IPPROTO_???" */
};

/* The entry for family; one with style PROTO_DECIMAL if it has none. */
const struct family_protocols *family_protocols(int family);

/* Ethernet protocol (host byte order) to "ETH_P_IP", or NULL. */
const char *eth_proto_name(unsigned int ethertype);

/* shutdown's how: "SHUT_WR" or NULL. */
const char *shut_name(int how);

/* Socket option levels: "SOL_SOCKET", "SOL_IP" (0), "SOL_TCP" (6), ... */
const char *sol_name(int level);

/*
 * The option name for setsockopt at that level, or NULL: SO_* for
 * SOL_SOCKET; IP_*, MCAST_* and the netfilter IPT_SO_SET_* ... for
 * SOL_IP; IPV6_*, TCP_*, UDP_*; and the names of every other level strace
 * 6.1 decodes (SOL_PACKET, SOL_NETLINK, SOL_RAW, SOL_SCTP, SOL_TLS,
 * SOL_BLUETOOTH, SOL_ALG, SOL_XDP, ...).
 */
const char *sockopt_name(int level, int optname);

/*
 * The same for getsockopt, which strace names differently where the
 * kernel reuses a number: SO_GET_FILTER (not SO_ATTACH_FILTER) and the
 * netfilter IPT_SO_GET_* ... names.
 */
const char *getsockopt_name(int level, int optname);

/*
 * What strace writes in the comment after an unknown option number at
 * that level ("IP_???"), or NULL when strace prints the option as a plain
 * decimal number (an unknown level, or a level we have no names for).
 */
const char *sockopt_unknown(int level);

/* Whether an option's value is an int (else a structure or a string,
 * which strace decodes as such): SO_LINGER is not, SO_REUSEADDR is. */
bool sockopt_value_is_int(int level, int optname);

/* "ECONNREFUSED" and "Connection refused", or NULL. */
const char *errno_name(int err);
const char *errno_message(int err);

/* The errno called name ("ECONNREFUSED"), or -1. */
int errno_by_name(const char *name);

/*
 * The kernel's restart codes (ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND,
 * ERESTART_RESTARTBLOCK) never reach the program: the syscall is restarted
 * or fails with EINTR once the signal is handled. strace prints their
 * return value as "?": "accept(3, ...) = ? ERESTARTSYS (To be restarted
 * if SA_RESTART is set)".
 */
bool errno_is_restart(int err);

/*
 * TCP states as the kernel numbers them (TCP_ESTABLISHED = 1, ...,
 * TCP_NEW_SYN_RECV = 12, TCP_BOUND_INACTIVE = 13): "ESTABLISHED" without
 * the prefix, or "TCP_ESTABLISHED" with it; NULL if unknown.
 */
const char *tcp_state_name(int state);
const char *tcp_state_full_name(int state);

#endif
