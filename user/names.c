// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The number-to-name tables. Values are written as numbers, not as header
 * macros, so the tables do not depend on which headers this system has
 * (errno, which every libc has, is indexed by <errno.h>'s macros);
 * tests/test_names.c checks them against the headers and against strace.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *name_lookup(const struct name_entry *tab, unsigned long value)
{
	for (; tab->name; tab++)
		if (tab->value == value)
			return tab->name;
	return NULL;
}

int name_to_value(const struct name_entry *tab, const char *name,
		  unsigned long *value)
{
	for (; tab->name; tab++) {
		if (!strcmp(tab->name, name)) {
			*value = tab->value;
			return 0;
		}
	}
	return -ENOENT;
}

/* --- families, types, flags ------------------------------------------ */

static const struct name_entry af_names[] = {
	{ 0, "AF_UNSPEC" },	{ 1, "AF_UNIX" },	{ 2, "AF_INET" },
	{ 3, "AF_AX25" },	{ 4, "AF_IPX" },	{ 5, "AF_APPLETALK" },
	{ 6, "AF_NETROM" },	{ 7, "AF_BRIDGE" },	{ 8, "AF_ATMPVC" },
	{ 9, "AF_X25" },	{ 10, "AF_INET6" },	{ 11, "AF_ROSE" },
	{ 12, "AF_DECnet" },	{ 13, "AF_NETBEUI" },	{ 14, "AF_SECURITY" },
	{ 15, "AF_KEY" },	{ 16, "AF_NETLINK" },	{ 17, "AF_PACKET" },
	{ 18, "AF_ASH" },	{ 19, "AF_ECONET" },	{ 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" },	{ 22, "AF_SNA" },	{ 23, "AF_IRDA" },
	{ 24, "AF_PPPOX" },	{ 25, "AF_WANPIPE" },	{ 26, "AF_LLC" },
	{ 27, "AF_IB" },	{ 28, "AF_MPLS" },	{ 29, "AF_CAN" },
	{ 30, "AF_TIPC" },	{ 31, "AF_BLUETOOTH" },	{ 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" },	{ 34, "AF_ISDN" },	{ 35, "AF_PHONET" },
	{ 36, "AF_IEEE802154" }, { 37, "AF_CAIF" },	{ 38, "AF_ALG" },
	{ 39, "AF_NFC" },	{ 40, "AF_VSOCK" },	{ 41, "AF_KCM" },
	{ 42, "AF_QIPCRTR" },	{ 43, "AF_SMC" },	{ 44, "AF_XDP" },
	{ 45, "AF_MCTP" },
	{ 0, NULL }
};

static const struct name_entry socktype_names[] = {
	{ 1, "SOCK_STREAM" },
	{ 2, "SOCK_DGRAM" },
	{ 3, "SOCK_RAW" },
	{ 4, "SOCK_RDM" },
	{ 5, "SOCK_SEQPACKET" },
	{ 6, "SOCK_DCCP" },
	{ 10, "SOCK_PACKET" },
	{ 0, NULL }
};

/* strace prints SOCK_CLOEXEC before SOCK_NONBLOCK. */
const struct name_entry sock_flag_names[] = {
	{ 0x80000, "SOCK_CLOEXEC" },
	{ 0x800, "SOCK_NONBLOCK" },
	{ 0, NULL }
};

const struct name_entry splice_flag_names[] = {
	{ 0x1, "SPLICE_F_MOVE" },
	{ 0x2, "SPLICE_F_NONBLOCK" },
	{ 0x4, "SPLICE_F_MORE" },
	{ 0x8, "SPLICE_F_GIFT" },
	{ 0, NULL }
};

/* poll's events and revents, and epoll's, in the order strace prints
 * them (ascending). */
const struct name_entry poll_event_names[] = {
	{ 0x1, "POLLIN" },
	{ 0x2, "POLLPRI" },
	{ 0x4, "POLLOUT" },
	{ 0x8, "POLLERR" },
	{ 0x10, "POLLHUP" },
	{ 0x20, "POLLNVAL" },
	{ 0x40, "POLLRDNORM" },
	{ 0x80, "POLLRDBAND" },
	{ 0x100, "POLLWRNORM" },
	{ 0x200, "POLLWRBAND" },
	{ 0x400, "POLLMSG" },
	{ 0x1000, "POLLREMOVE" },
	{ 0x2000, "POLLRDHUP" },
	{ 0, NULL }
};

const struct name_entry epoll_event_names[] = {
	{ 0x1, "EPOLLIN" },
	{ 0x2, "EPOLLPRI" },
	{ 0x4, "EPOLLOUT" },
	{ 0x8, "EPOLLERR" },
	{ 0x10, "EPOLLHUP" },
	{ 0x20, "EPOLLNVAL" },
	{ 0x40, "EPOLLRDNORM" },
	{ 0x80, "EPOLLRDBAND" },
	{ 0x100, "EPOLLWRNORM" },
	{ 0x200, "EPOLLWRBAND" },
	{ 0x400, "EPOLLMSG" },
	{ 0x2000, "EPOLLRDHUP" },
	{ 0x8000000, "EPOLL_URING_WAKE" },
	{ 0x10000000, "EPOLLEXCLUSIVE" },
	{ 0x20000000, "EPOLLWAKEUP" },
	{ 0x40000000, "EPOLLONESHOT" },
	{ 0x80000000, "EPOLLET" },
	{ 0, NULL }
};

const struct name_entry epoll_op_names[] = {
	{ 1, "EPOLL_CTL_ADD" },
	{ 2, "EPOLL_CTL_DEL" },
	{ 3, "EPOLL_CTL_MOD" },
	{ 0, NULL }
};

/* The signals of a signal mask (x86-64 numbers); strace shows them
 * without "SIG" in a set. */
const struct name_entry signal_names[] = {
	{ 1, "SIGHUP" }, { 2, "SIGINT" }, { 3, "SIGQUIT" }, { 4, "SIGILL" },
	{ 5, "SIGTRAP" }, { 6, "SIGABRT" }, { 7, "SIGBUS" }, { 8, "SIGFPE" },
	{ 9, "SIGKILL" }, { 10, "SIGUSR1" }, { 11, "SIGSEGV" },
	{ 12, "SIGUSR2" }, { 13, "SIGPIPE" }, { 14, "SIGALRM" },
	{ 15, "SIGTERM" }, { 16, "SIGSTKFLT" }, { 17, "SIGCHLD" },
	{ 18, "SIGCONT" }, { 19, "SIGSTOP" }, { 20, "SIGTSTP" },
	{ 21, "SIGTTIN" }, { 22, "SIGTTOU" }, { 23, "SIGURG" },
	{ 24, "SIGXCPU" }, { 25, "SIGXFSZ" }, { 26, "SIGVTALRM" },
	{ 27, "SIGPROF" }, { 28, "SIGWINCH" }, { 29, "SIGIO" },
	{ 30, "SIGPWR" }, { 31, "SIGSYS" },
	{ 0, NULL }
};

const struct name_entry msg_flag_names[] = {
	{ 0x1, "MSG_OOB" },
	{ 0x2, "MSG_PEEK" },
	{ 0x4, "MSG_DONTROUTE" },
	{ 0x8, "MSG_CTRUNC" },
	{ 0x10, "MSG_PROBE" },
	{ 0x20, "MSG_TRUNC" },
	{ 0x40, "MSG_DONTWAIT" },
	{ 0x80, "MSG_EOR" },
	{ 0x100, "MSG_WAITALL" },
	{ 0x200, "MSG_FIN" },
	{ 0x400, "MSG_SYN" },
	{ 0x800, "MSG_CONFIRM" },
	{ 0x1000, "MSG_RST" },
	{ 0x2000, "MSG_ERRQUEUE" },
	{ 0x4000, "MSG_NOSIGNAL" },
	{ 0x8000, "MSG_MORE" },
	{ 0x10000, "MSG_WAITFORONE" },
	{ 0x20000, "MSG_SENDPAGE_NOTLAST" },
	{ 0x40000, "MSG_BATCH" },
	{ 0x80000, "MSG_NO_SHARED_FRAGS" },
	{ 0x4000000, "MSG_ZEROCOPY" },
	{ 0x20000000, "MSG_FASTOPEN" },
	{ 0x40000000, "MSG_CMSG_CLOEXEC" },
	{ 0x80000000, "MSG_CMSG_COMPAT" },
	{ 0, NULL }
};

static const struct name_entry shut_names[] = {
	{ 0, "SHUT_RD" },
	{ 1, "SHUT_WR" },
	{ 2, "SHUT_RDWR" },
	{ 0, NULL }
};

const char *family_name(int family)
{
	return name_lookup(af_names, (unsigned int)family);
}

int family_by_name(const char *name)
{
	const struct name_entry *e;
	const char *bare = name;

	if (!strncasecmp(name, "AF_", 3) || !strncasecmp(name, "PF_", 3))
		bare = name + 3;
	if (!strcasecmp(bare, "LOCAL") || !strcasecmp(bare, "FILE"))
		return 1;
	for (e = af_names; e->name; e++)
		if (!strcasecmp(e->name + 3, bare))
			return (int)e->value;
	return -1;
}

const char *socktype_name(int type)
{
	return name_lookup(socktype_names, (unsigned int)type);
}

const char *shut_name(int how)
{
	return name_lookup(shut_names, (unsigned int)how);
}

/* --- protocols ------------------------------------------------------- */

static const struct name_entry ipproto_names[] = {
	{ 0, "IPPROTO_IP" },	{ 1, "IPPROTO_ICMP" },
	{ 2, "IPPROTO_IGMP" },	{ 4, "IPPROTO_IPIP" },
	{ 6, "IPPROTO_TCP" },	{ 8, "IPPROTO_EGP" },
	{ 12, "IPPROTO_PUP" },	{ 17, "IPPROTO_UDP" },
	{ 22, "IPPROTO_IDP" },	{ 29, "IPPROTO_TP" },
	{ 33, "IPPROTO_DCCP" },	{ 41, "IPPROTO_IPV6" },
	{ 43, "IPPROTO_ROUTING" }, { 44, "IPPROTO_FRAGMENT" },
	{ 46, "IPPROTO_RSVP" },	{ 47, "IPPROTO_GRE" },
	{ 50, "IPPROTO_ESP" },	{ 51, "IPPROTO_AH" },
	{ 58, "IPPROTO_ICMPV6" }, { 59, "IPPROTO_NONE" },
	{ 60, "IPPROTO_DSTOPTS" }, { 92, "IPPROTO_MTP" },
	{ 94, "IPPROTO_BEETPH" }, { 98, "IPPROTO_ENCAP" },
	{ 103, "IPPROTO_PIM" },	{ 108, "IPPROTO_COMP" },
	{ 115, "IPPROTO_L2TP" }, { 132, "IPPROTO_SCTP" },
	{ 135, "IPPROTO_MH" },	{ 136, "IPPROTO_UDPLITE" },
	{ 137, "IPPROTO_MPLS" }, { 143, "IPPROTO_ETHERNET" },
	{ 255, "IPPROTO_RAW" },	{ 262, "IPPROTO_MPTCP" },
	{ 0, NULL }
};

static const struct name_entry netlink_proto_names[] = {
	{ 0, "NETLINK_ROUTE" },		{ 1, "NETLINK_UNUSED" },
	{ 2, "NETLINK_USERSOCK" },	{ 3, "NETLINK_FIREWALL" },
	{ 4, "NETLINK_SOCK_DIAG" },	{ 5, "NETLINK_NFLOG" },
	{ 6, "NETLINK_XFRM" },		{ 7, "NETLINK_SELINUX" },
	{ 8, "NETLINK_ISCSI" },		{ 9, "NETLINK_AUDIT" },
	{ 10, "NETLINK_FIB_LOOKUP" },	{ 11, "NETLINK_CONNECTOR" },
	{ 12, "NETLINK_NETFILTER" },	{ 13, "NETLINK_IP6_FW" },
	{ 14, "NETLINK_DNRTMSG" },	{ 15, "NETLINK_KOBJECT_UEVENT" },
	{ 16, "NETLINK_GENERIC" },	{ 18, "NETLINK_SCSITRANSPORT" },
	{ 19, "NETLINK_ECRYPTFS" },	{ 20, "NETLINK_RDMA" },
	{ 21, "NETLINK_CRYPTO" },	{ 22, "NETLINK_SMC" },
	{ 0, NULL }
};

/* Ethernet protocols (linux/if_ether.h), host byte order. */
static const struct name_entry eth_proto_names[] = {
	{ 0x0001, "ETH_P_802_3" },	{ 0x0002, "ETH_P_AX25" },
	{ 0x0003, "ETH_P_ALL" },	{ 0x0004, "ETH_P_802_2" },
	{ 0x0005, "ETH_P_SNAP" },	{ 0x0006, "ETH_P_DDCMP" },
	{ 0x0007, "ETH_P_WAN_PPP" },	{ 0x0008, "ETH_P_PPP_MP" },
	{ 0x0009, "ETH_P_LOCALTALK" },	{ 0x000C, "ETH_P_CAN" },
	{ 0x000D, "ETH_P_CANFD" },	{ 0x000E, "ETH_P_CANXL" },
	{ 0x0010, "ETH_P_PPPTALK" },	{ 0x0011, "ETH_P_TR_802_2" },
	{ 0x0015, "ETH_P_MOBITEX" },	{ 0x0016, "ETH_P_CONTROL" },
	{ 0x0017, "ETH_P_IRDA" },	{ 0x0018, "ETH_P_ECONET" },
	{ 0x0019, "ETH_P_HDLC" },	{ 0x001A, "ETH_P_ARCNET" },
	{ 0x001B, "ETH_P_DSA" },	{ 0x001C, "ETH_P_TRAILER" },
	{ 0x0060, "ETH_P_LOOP" },	{ 0x00F5, "ETH_P_PHONET" },
	{ 0x00F6, "ETH_P_IEEE802154" },	{ 0x00F7, "ETH_P_CAIF" },
	{ 0x00F8, "ETH_P_XDSA" },	{ 0x00F9, "ETH_P_MAP" },
	{ 0x00FA, "ETH_P_MCTP" },	{ 0x0200, "ETH_P_PUP" },
	{ 0x0201, "ETH_P_PUPAT" },	{ 0x0600, "ETH_P_802_3_MIN" },
	{ 0x0800, "ETH_P_IP" },		{ 0x0805, "ETH_P_X25" },
	{ 0x0806, "ETH_P_ARP" },	{ 0x08FF, "ETH_P_BPQ" },
	{ 0x0A00, "ETH_P_IEEEPUP" },	{ 0x0A01, "ETH_P_IEEEPUPAT" },
	{ 0x22EB, "ETH_P_ERSPAN2" },	{ 0x22F0, "ETH_P_TSN" },
	{ 0x4305, "ETH_P_BATMAN" },	{ 0x6000, "ETH_P_DEC" },
	{ 0x6001, "ETH_P_DNA_DL" },	{ 0x6002, "ETH_P_DNA_RC" },
	{ 0x6003, "ETH_P_DNA_RT" },	{ 0x6004, "ETH_P_LAT" },
	{ 0x6005, "ETH_P_DIAG" },	{ 0x6006, "ETH_P_CUST" },
	{ 0x6007, "ETH_P_SCA" },	{ 0x6558, "ETH_P_TEB" },
	{ 0x8035, "ETH_P_RARP" },	{ 0x809B, "ETH_P_ATALK" },
	{ 0x80F3, "ETH_P_AARP" },	{ 0x8100, "ETH_P_8021Q" },
	{ 0x8137, "ETH_P_IPX" },	{ 0x86DD, "ETH_P_IPV6" },
	{ 0x8808, "ETH_P_PAUSE" },	{ 0x8809, "ETH_P_SLOW" },
	{ 0x883E, "ETH_P_WCCP" },	{ 0x8847, "ETH_P_MPLS_UC" },
	{ 0x8848, "ETH_P_MPLS_MC" },	{ 0x884c, "ETH_P_ATMMPOA" },
	{ 0x8863, "ETH_P_PPP_DISC" },	{ 0x8864, "ETH_P_PPP_SES" },
	{ 0x886c, "ETH_P_LINK_CTL" },	{ 0x8884, "ETH_P_ATMFATE" },
	{ 0x888E, "ETH_P_PAE" },	{ 0x8899, "ETH_P_REALTEK" },
	{ 0x88A2, "ETH_P_AOE" },	{ 0x88A8, "ETH_P_8021AD" },
	{ 0x88B5, "ETH_P_802_EX1" },	{ 0x88BE, "ETH_P_ERSPAN" },
	{ 0x88C7, "ETH_P_PREAUTH" },	{ 0x88CA, "ETH_P_TIPC" },
	{ 0x88CC, "ETH_P_LLDP" },	{ 0x88E3, "ETH_P_MRP" },
	{ 0x88E5, "ETH_P_MACSEC" },	{ 0x88E7, "ETH_P_8021AH" },
	{ 0x88F5, "ETH_P_MVRP" },	{ 0x88F7, "ETH_P_1588" },
	{ 0x88F8, "ETH_P_NCSI" },	{ 0x88FB, "ETH_P_PRP" },
	{ 0x8902, "ETH_P_CFM" },	{ 0x8906, "ETH_P_FCOE" },
	{ 0x890D, "ETH_P_TDLS" },	{ 0x8914, "ETH_P_FIP" },
	{ 0x8915, "ETH_P_IBOE" },	{ 0x8917, "ETH_P_80221" },
	{ 0x892F, "ETH_P_HSR" },	{ 0x894F, "ETH_P_NSH" },
	{ 0x9000, "ETH_P_LOOPBACK" },	{ 0x9100, "ETH_P_QINQ1" },
	{ 0x9200, "ETH_P_QINQ2" },	{ 0x9300, "ETH_P_QINQ3" },
	{ 0xDADA, "ETH_P_EDSA" },	{ 0xDADB, "ETH_P_DSA_8021Q" },
	{ 0xE001, "ETH_P_DSA_A5PSW" },	{ 0xED3E, "ETH_P_IFE" },
	{ 0xFBFB, "ETH_P_AF_IUCV" },
	{ 0, NULL }
};

static const struct name_entry ax25_proto_names[] = {
	{ 0x01, "AX25_P_ROSE" },	{ 0x06, "AX25_P_VJCOMP" },
	{ 0x07, "AX25_P_VJUNCOMP" },	{ 0x08, "AX25_P_SEGMENT" },
	{ 0xc3, "AX25_P_TEXNET" },	{ 0xc4, "AX25_P_LQ" },
	{ 0xca, "AX25_P_ATALK" },	{ 0xcb, "AX25_P_ATALK_ARP" },
	{ 0xcc, "AX25_P_IP" },		{ 0xcd, "AX25_P_ARP" },
	{ 0xce, "AX25_P_FLEXNET" },	{ 0xcf, "AX25_P_NETROM" },
	{ 0xf0, "AX25_P_TEXT" },
	{ 0, NULL }
};

static const struct name_entry can_proto_names[] = {
	{ 1, "CAN_RAW" },	{ 2, "CAN_BCM" },	{ 3, "CAN_TP16" },
	{ 4, "CAN_TP20" },	{ 5, "CAN_MCNET" },	{ 6, "CAN_ISOTP" },
	{ 7, "CAN_J1939" },
	{ 0, NULL }
};

static const struct name_entry bt_proto_names[] = {
	{ 0, "BTPROTO_L2CAP" },	{ 1, "BTPROTO_HCI" },
	{ 2, "BTPROTO_SCO" },	{ 3, "BTPROTO_RFCOMM" },
	{ 4, "BTPROTO_BNEP" },	{ 5, "BTPROTO_CMTP" },
	{ 6, "BTPROTO_HIDP" },	{ 7, "BTPROTO_AVDTP" },
	{ 0, NULL }
};

static const struct name_entry isdn_proto_names[] = {
	{ 0x00, "ISDN_P_BASE" },	{ 0x01, "ISDN_P_TE_S0" },
	{ 0x02, "ISDN_P_NT_S0" },	{ 0x03, "ISDN_P_TE_E1" },
	{ 0x04, "ISDN_P_NT_E1" },	{ 0x10, "ISDN_P_LAPD_TE" },
	{ 0x11, "ISDN_P_LAPD_NT" },	{ 0x21, "ISDN_P_B_RAW" },
	{ 0x22, "ISDN_P_B_HDLC" },	{ 0x23, "ISDN_P_B_X75SLP" },
	{ 0x24, "ISDN_P_B_L2DTMF" },	{ 0x25, "ISDN_P_B_L2DSP" },
	{ 0x26, "ISDN_P_B_L2DSPHDLC" },
	{ 0, NULL }
};

static const struct name_entry phonet_proto_names[] = {
	{ 0, "PN_PROTO_TRANSPORT" },	{ 1, "PN_PROTO_PHONET" },
	{ 2, "PN_PROTO_PIPE" },
	{ 0, NULL }
};

static const struct name_entry caif_proto_names[] = {
	{ 0, "CAIFPROTO_AT" },		{ 1, "CAIFPROTO_DATAGRAM" },
	{ 2, "CAIFPROTO_DATAGRAM_LOOP" }, { 3, "CAIFPROTO_UTIL" },
	{ 4, "CAIFPROTO_RFM" },		{ 5, "CAIFPROTO_DEBUG" },
	{ 0, NULL }
};

static const struct name_entry nfc_proto_names[] = {
	{ 0, "NFC_SOCKPROTO_RAW" },	{ 1, "NFC_SOCKPROTO_LLCP" },
	{ 0, NULL }
};

static const struct name_entry kcm_proto_names[] = {
	{ 0, "KCMPROTO_CONNECTED" },
	{ 0, NULL }
};

static const struct name_entry smc_proto_names[] = {
	{ 0, "SMCPROTO_SMC" },		{ 1, "SMCPROTO_SMC6" },
	{ 0, NULL }
};

/*
 * strace 6.1 names AF_IRDA's protocols 1..7 with the CAN table and
 * AF_RXRPC's with the family names; we print what it prints.
 */
static const struct family_protocols protocol_tables[] = {
	{ 2, PROTO_NAME, ipproto_names, "IPPROTO_???" },
	{ 3, PROTO_HEX_COMMENT, ax25_proto_names, "AX25_P_???" },
	{ 10, PROTO_NAME, ipproto_names, "IPPROTO_???" },
	{ 16, PROTO_NAME, netlink_proto_names, "NETLINK_???" },
	{ 17, PROTO_HTONS, eth_proto_names, "ETH_P_???" },
	{ 23, PROTO_NAME, can_proto_names, "IRDAPROTO_???" },
	{ 29, PROTO_NAME, can_proto_names, "CAN_???" },
	{ 31, PROTO_NAME, bt_proto_names, "BTPROTO_???" },
	{ 33, PROTO_NAME, af_names, "AF_???" },
	{ 34, PROTO_NAME, isdn_proto_names, "ISDN_P_???" },
	{ 35, PROTO_NAME, phonet_proto_names, "PN_PROTO_???" },
	{ 37, PROTO_NAME, caif_proto_names, "CAIFPROTO_???" },
	{ 39, PROTO_NAME, nfc_proto_names, "NFC_SOCKPROTO_???" },
	{ 41, PROTO_NAME, kcm_proto_names, "KCMPROTO_???" },
	{ 43, PROTO_NAME, smc_proto_names, "SMCPROTO_???" },
};

static const struct family_protocols protocol_decimal = {
	-1, PROTO_DECIMAL, NULL, NULL
};

const struct family_protocols *family_protocols(int family)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(protocol_tables); i++)
		if (protocol_tables[i].family == family)
			return &protocol_tables[i];
	return &protocol_decimal;
}

const char *eth_proto_name(unsigned int ethertype)
{
	return name_lookup(eth_proto_names, ethertype);
}

/* The low 16 bits of an AF_PACKET protocol, read in network byte order. */
static unsigned int packet_ethertype(int protocol)
{
	unsigned int p = (unsigned int)protocol;

	return ((p & 0xff) << 8) | ((p >> 8) & 0xff);
}

const char *protocol_name(int family, int protocol)
{
	const struct family_protocols *fp = family_protocols(family);

	if (!fp->names)
		return NULL;
	if (fp->style == PROTO_HTONS)
		return eth_proto_name(packet_ethertype(protocol));
	return name_lookup(fp->names, (unsigned int)protocol);
}

/* --- socket options -------------------------------------------------- */

static const struct name_entry so_names[] = {
	{ 1, "SO_DEBUG" },			{ 2, "SO_REUSEADDR" },
	{ 3, "SO_TYPE" },			{ 4, "SO_ERROR" },
	{ 5, "SO_DONTROUTE" },			{ 6, "SO_BROADCAST" },
	{ 7, "SO_SNDBUF" },			{ 8, "SO_RCVBUF" },
	{ 9, "SO_KEEPALIVE" },			{ 10, "SO_OOBINLINE" },
	{ 11, "SO_NO_CHECK" },			{ 12, "SO_PRIORITY" },
	{ 13, "SO_LINGER" },			{ 14, "SO_BSDCOMPAT" },
	{ 15, "SO_REUSEPORT" },			{ 16, "SO_PASSCRED" },
	{ 17, "SO_PEERCRED" },			{ 18, "SO_RCVLOWAT" },
	{ 19, "SO_SNDLOWAT" },			{ 20, "SO_RCVTIMEO_OLD" },
	{ 21, "SO_SNDTIMEO_OLD" },
	{ 22, "SO_SECURITY_AUTHENTICATION" },
	{ 23, "SO_SECURITY_ENCRYPTION_TRANSPORT" },
	{ 24, "SO_SECURITY_ENCRYPTION_NETWORK" },
	{ 25, "SO_BINDTODEVICE" },
	{ 27, "SO_DETACH_FILTER" },		{ 28, "SO_PEERNAME" },
	{ 29, "SO_TIMESTAMP_OLD" },		{ 30, "SO_ACCEPTCONN" },
	{ 31, "SO_PEERSEC" },			{ 32, "SO_SNDBUFFORCE" },
	{ 33, "SO_RCVBUFFORCE" },		{ 34, "SO_PASSSEC" },
	{ 35, "SO_TIMESTAMPNS_OLD" },		{ 36, "SO_MARK" },
	{ 37, "SO_TIMESTAMPING_OLD" },		{ 38, "SO_PROTOCOL" },
	{ 39, "SO_DOMAIN" },			{ 40, "SO_RXQ_OVFL" },
	{ 41, "SO_WIFI_STATUS" },		{ 42, "SO_PEEK_OFF" },
	{ 43, "SO_NOFCS" },			{ 44, "SO_LOCK_FILTER" },
	{ 45, "SO_SELECT_ERR_QUEUE" },		{ 46, "SO_BUSY_POLL" },
	{ 47, "SO_MAX_PACING_RATE" },		{ 48, "SO_BPF_EXTENSIONS" },
	{ 49, "SO_INCOMING_CPU" },		{ 50, "SO_ATTACH_BPF" },
	{ 51, "SO_ATTACH_REUSEPORT_CBPF" },
	{ 52, "SO_ATTACH_REUSEPORT_EBPF" },
	{ 53, "SO_CNX_ADVICE" },		{ 55, "SO_MEMINFO" },
	{ 56, "SO_INCOMING_NAPI_ID" },		{ 57, "SO_COOKIE" },
	{ 59, "SO_PEERGROUPS" },		{ 60, "SO_ZEROCOPY" },
	{ 61, "SO_TXTIME" },			{ 62, "SO_BINDTOIFINDEX" },
	{ 63, "SO_TIMESTAMP_NEW" },		{ 64, "SO_TIMESTAMPNS_NEW" },
	{ 65, "SO_TIMESTAMPING_NEW" },		{ 66, "SO_RCVTIMEO_NEW" },
	{ 67, "SO_SNDTIMEO_NEW" },
	{ 68, "SO_DETACH_REUSEPORT_BPF" },
	{ 69, "SO_PREFER_BUSY_POLL" },		{ 70, "SO_BUSY_POLL_BUDGET" },
	{ 71, "SO_NETNS_COOKIE" },		{ 72, "SO_BUF_LOCK" },
	{ 73, "SO_RESERVE_MEM" },		{ 74, "SO_TXREHASH" },
	{ 75, "SO_RCVMARK" },
	{ 0, NULL }
};

/* The kernel uses 26 for both; strace names it by direction. */
static const struct name_entry so_set_names[] = {
	{ 26, "SO_ATTACH_FILTER" },
	{ 0, NULL }
};

static const struct name_entry so_get_names[] = {
	{ 26, "SO_GET_FILTER" },
	{ 0, NULL }
};

static const struct name_entry ip_names[] = {
	{ 1, "IP_TOS" },			{ 2, "IP_TTL" },
	{ 3, "IP_HDRINCL" },			{ 4, "IP_OPTIONS" },
	{ 5, "IP_ROUTER_ALERT" },		{ 6, "IP_RECVOPTS" },
	{ 7, "IP_RETOPTS" },			{ 8, "IP_PKTINFO" },
	{ 9, "IP_PKTOPTIONS" },			{ 10, "IP_MTU_DISCOVER" },
	{ 11, "IP_RECVERR" },			{ 12, "IP_RECVTTL" },
	{ 13, "IP_RECVTOS" },			{ 14, "IP_MTU" },
	{ 15, "IP_FREEBIND" },			{ 16, "IP_IPSEC_POLICY" },
	{ 17, "IP_XFRM_POLICY" },		{ 18, "IP_PASSSEC" },
	{ 19, "IP_TRANSPARENT" },		{ 20, "IP_ORIGDSTADDR" },
	{ 21, "IP_MINTTL" },			{ 22, "IP_NODEFRAG" },
	{ 23, "IP_CHECKSUM" },
	{ 24, "IP_BIND_ADDRESS_NO_PORT" },
	{ 25, "IP_RECVFRAGSIZE" },		{ 26, "IP_RECVERR_RFC4884" },
	{ 32, "IP_MULTICAST_IF" },		{ 33, "IP_MULTICAST_TTL" },
	{ 34, "IP_MULTICAST_LOOP" },		{ 35, "IP_ADD_MEMBERSHIP" },
	{ 36, "IP_DROP_MEMBERSHIP" },		{ 37, "IP_UNBLOCK_SOURCE" },
	{ 38, "IP_BLOCK_SOURCE" },
	{ 39, "IP_ADD_SOURCE_MEMBERSHIP" },
	{ 40, "IP_DROP_SOURCE_MEMBERSHIP" },	{ 41, "IP_MSFILTER" },
	{ 42, "MCAST_JOIN_GROUP" },		{ 43, "MCAST_BLOCK_SOURCE" },
	{ 44, "MCAST_UNBLOCK_SOURCE" },		{ 45, "MCAST_LEAVE_GROUP" },
	{ 46, "MCAST_JOIN_SOURCE_GROUP" },
	{ 47, "MCAST_LEAVE_SOURCE_GROUP" },
	{ 48, "MCAST_MSFILTER" },		{ 49, "IP_MULTICAST_ALL" },
	{ 50, "IP_UNICAST_IF" },
	{ 0, NULL }
};

/* Netfilter (iptables, arptables, ebtables) control options. */
static const struct name_entry ip_set_names[] = {
	{ 64, "IPT_SO_SET_REPLACE" },
	{ 65, "IPT_SO_SET_ADD_COUNTERS" },
	{ 96, "ARPT_SO_SET_REPLACE" },
	{ 97, "ARPT_SO_SET_ADD_COUNTERS" },
	{ 128, "EBT_SO_SET_ENTRIES" },		{ 129, "EBT_SO_SET_COUNTERS" },
	{ 0, NULL }
};

static const struct name_entry ip_get_names[] = {
	{ 64, "IPT_SO_GET_INFO" },		{ 65, "IPT_SO_GET_ENTRIES" },
	{ 66, "IPT_SO_GET_REVISION_MATCH" },
	{ 67, "IPT_SO_GET_REVISION_TARGET" },
	{ 96, "ARPT_SO_GET_INFO" },		{ 97, "ARPT_SO_GET_ENTRIES" },
	{ 99, "ARPT_SO_GET_REVISION_TARGET" },
	{ 128, "EBT_SO_GET_INFO" },		{ 129, "EBT_SO_GET_ENTRIES" },
	{ 130, "EBT_SO_GET_INIT_INFO" },
	{ 131, "EBT_SO_GET_INIT_ENTRIES" },
	{ 0, NULL }
};

static const struct name_entry ipv6_names[] = {
	{ 1, "IPV6_ADDRFORM" },			{ 2, "IPV6_2292PKTINFO" },
	{ 3, "IPV6_2292HOPOPTS" },		{ 4, "IPV6_2292DSTOPTS" },
	{ 5, "IPV6_2292RTHDR" },		{ 6, "IPV6_2292PKTOPTIONS" },
	{ 7, "IPV6_CHECKSUM" },			{ 8, "IPV6_2292HOPLIMIT" },
	{ 9, "IPV6_NEXTHOP" },			{ 10, "IPV6_AUTHHDR" },
	{ 11, "IPV6_FLOWINFO" },		{ 16, "IPV6_UNICAST_HOPS" },
	{ 17, "IPV6_MULTICAST_IF" },		{ 18, "IPV6_MULTICAST_HOPS" },
	{ 19, "IPV6_MULTICAST_LOOP" },		{ 20, "IPV6_ADD_MEMBERSHIP" },
	{ 21, "IPV6_DROP_MEMBERSHIP" },		{ 22, "IPV6_ROUTER_ALERT" },
	{ 23, "IPV6_MTU_DISCOVER" },		{ 24, "IPV6_MTU" },
	{ 25, "IPV6_RECVERR" },			{ 26, "IPV6_V6ONLY" },
	{ 27, "IPV6_JOIN_ANYCAST" },		{ 28, "IPV6_LEAVE_ANYCAST" },
	{ 29, "IPV6_MULTICAST_ALL" },
	{ 30, "IPV6_ROUTER_ALERT_ISOLATE" },
	{ 31, "IPV6_RECVERR_RFC4884" },		{ 32, "IPV6_FLOWLABEL_MGR" },
	{ 33, "IPV6_FLOWINFO_SEND" },		{ 34, "IPV6_IPSEC_POLICY" },
	{ 35, "IPV6_XFRM_POLICY" },		{ 36, "IPV6_HDRINCL" },
	{ 42, "MCAST_JOIN_GROUP" },		{ 43, "MCAST_BLOCK_SOURCE" },
	{ 44, "MCAST_UNBLOCK_SOURCE" },		{ 45, "MCAST_LEAVE_GROUP" },
	{ 46, "MCAST_JOIN_SOURCE_GROUP" },
	{ 47, "MCAST_LEAVE_SOURCE_GROUP" },
	{ 48, "MCAST_MSFILTER" },		{ 49, "IPV6_RECVPKTINFO" },
	{ 50, "IPV6_PKTINFO" },			{ 51, "IPV6_RECVHOPLIMIT" },
	{ 52, "IPV6_HOPLIMIT" },		{ 53, "IPV6_RECVHOPOPTS" },
	{ 54, "IPV6_HOPOPTS" },			{ 55, "IPV6_RTHDRDSTOPTS" },
	{ 56, "IPV6_RECVRTHDR" },		{ 57, "IPV6_RTHDR" },
	{ 58, "IPV6_RECVDSTOPTS" },		{ 59, "IPV6_DSTOPTS" },
	{ 60, "IPV6_RECVPATHMTU" },		{ 61, "IPV6_PATHMTU" },
	{ 62, "IPV6_DONTFRAG" },		{ 63, "IPV6_USE_MIN_MTU" },
	{ 66, "IPV6_RECVTCLASS" },		{ 67, "IPV6_TCLASS" },
	{ 70, "IPV6_AUTOFLOWLABEL" },		{ 72, "IPV6_ADDR_PREFERENCES" },
	{ 73, "IPV6_MINHOPCOUNT" },		{ 74, "IPV6_ORIGDSTADDR" },
	{ 75, "IPV6_TRANSPARENT" },		{ 76, "IPV6_UNICAST_IF" },
	{ 77, "IPV6_RECVFRAGSIZE" },		{ 78, "IPV6_FREEBIND" },
	{ 0, NULL }
};

static const struct name_entry ipv6_set_names[] = {
	{ 64, "IP6T_SO_SET_REPLACE" },
	{ 65, "IP6T_SO_SET_ADD_COUNTERS" },
	{ 0, NULL }
};

static const struct name_entry ipv6_get_names[] = {
	{ 64, "IP6T_SO_GET_INFO" },		{ 65, "IP6T_SO_GET_ENTRIES" },
	{ 68, "IP6T_SO_GET_REVISION_MATCH" },
	{ 69, "IP6T_SO_GET_REVISION_TARGET" },
	{ 0, NULL }
};

static const struct name_entry tcp_names[] = {
	{ 1, "TCP_NODELAY" },			{ 2, "TCP_MAXSEG" },
	{ 3, "TCP_CORK" },			{ 4, "TCP_KEEPIDLE" },
	{ 5, "TCP_KEEPINTVL" },			{ 6, "TCP_KEEPCNT" },
	{ 7, "TCP_SYNCNT" },			{ 8, "TCP_LINGER2" },
	{ 9, "TCP_DEFER_ACCEPT" },		{ 10, "TCP_WINDOW_CLAMP" },
	{ 11, "TCP_INFO" },			{ 12, "TCP_QUICKACK" },
	{ 13, "TCP_CONGESTION" },		{ 14, "TCP_MD5SIG" },
	{ 15, "TCP_COOKIE_TRANSACTIONS" },
	{ 16, "TCP_THIN_LINEAR_TIMEOUTS" },
	{ 17, "TCP_THIN_DUPACK" },		{ 18, "TCP_USER_TIMEOUT" },
	{ 19, "TCP_REPAIR" },			{ 20, "TCP_REPAIR_QUEUE" },
	{ 21, "TCP_QUEUE_SEQ" },		{ 22, "TCP_REPAIR_OPTIONS" },
	{ 23, "TCP_FASTOPEN" },			{ 24, "TCP_TIMESTAMP" },
	{ 25, "TCP_NOTSENT_LOWAT" },		{ 26, "TCP_CC_INFO" },
	{ 27, "TCP_SAVE_SYN" },			{ 28, "TCP_SAVED_SYN" },
	{ 29, "TCP_REPAIR_WINDOW" },		{ 30, "TCP_FASTOPEN_CONNECT" },
	{ 31, "TCP_ULP" },			{ 32, "TCP_MD5SIG_EXT" },
	{ 33, "TCP_FASTOPEN_KEY" },
	{ 34, "TCP_FASTOPEN_NO_COOKIE" },
	{ 35, "TCP_ZEROCOPY_RECEIVE" },		{ 36, "TCP_INQ" },
	{ 37, "TCP_TX_DELAY" },
	{ 0, NULL }
};

static const struct name_entry udp_names[] = {
	{ 1, "UDP_CORK" },			{ 100, "UDP_ENCAP" },
	{ 101, "UDP_NO_CHECK6_TX" },		{ 102, "UDP_NO_CHECK6_RX" },
	{ 103, "UDP_SEGMENT" },			{ 104, "UDP_GRO" },
	{ 0, NULL }
};

static const struct name_entry raw_names[] = {
	{ 1, "ICMP_FILTER" },
	{ 0, NULL }
};

static const struct name_entry packet_names[] = {
	{ 1, "PACKET_ADD_MEMBERSHIP" },		{ 2, "PACKET_DROP_MEMBERSHIP" },
	{ 3, "PACKET_RECV_OUTPUT" },		{ 5, "PACKET_RX_RING" },
	{ 6, "PACKET_STATISTICS" },		{ 7, "PACKET_COPY_THRESH" },
	{ 8, "PACKET_AUXDATA" },		{ 9, "PACKET_ORIGDEV" },
	{ 10, "PACKET_VERSION" },		{ 11, "PACKET_HDRLEN" },
	{ 12, "PACKET_RESERVE" },		{ 13, "PACKET_TX_RING" },
	{ 14, "PACKET_LOSS" },			{ 15, "PACKET_VNET_HDR" },
	{ 16, "PACKET_TX_TIMESTAMP" },		{ 17, "PACKET_TIMESTAMP" },
	{ 18, "PACKET_FANOUT" },		{ 19, "PACKET_TX_HAS_OFF" },
	{ 20, "PACKET_QDISC_BYPASS" },		{ 21, "PACKET_ROLLOVER_STATS" },
	{ 22, "PACKET_FANOUT_DATA" },
	{ 23, "PACKET_IGNORE_OUTGOING" },
	{ 0, NULL }
};

static const struct name_entry netlink_opt_names[] = {
	{ 1, "NETLINK_ADD_MEMBERSHIP" },
	{ 2, "NETLINK_DROP_MEMBERSHIP" },
	{ 3, "NETLINK_PKTINFO" },
	{ 4, "NETLINK_BROADCAST_ERROR" },
	{ 5, "NETLINK_NO_ENOBUFS" },		{ 6, "NETLINK_RX_RING" },
	{ 7, "NETLINK_TX_RING" },
	{ 8, "NETLINK_LISTEN_ALL_NSID" },
	{ 9, "NETLINK_LIST_MEMBERSHIPS" },	{ 10, "NETLINK_CAP_ACK" },
	{ 11, "NETLINK_EXT_ACK" },
	{ 12, "NETLINK_GET_STRICT_CHK" },
	{ 0, NULL }
};

/* Option names of the other levels strace 6.1 decodes. */
static const struct name_entry vsock_opt_names[] = {
	{ 0, "SO_VM_SOCKETS_BUFFER_SIZE" },
	{ 1, "SO_VM_SOCKETS_BUFFER_MIN_SIZE" },
	{ 2, "SO_VM_SOCKETS_BUFFER_MAX_SIZE" },
	{ 3, "SO_VM_SOCKETS_PEER_HOST_VM_ID" },	{ 5, "SO_VM_SOCKETS_TRUSTED" },
	{ 6, "SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD" },
	{ 7, "SO_VM_SOCKETS_NONBLOCK_TXRX" },
	{ 8, "SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW" },
	{ 0, NULL }
};

static const struct name_entry can_raw_opt_names[] = {
	{ 1, "CAN_RAW_FILTER" },		{ 2, "CAN_RAW_ERR_FILTER" },
	{ 3, "CAN_RAW_LOOPBACK" },		{ 4, "CAN_RAW_RECV_OWN_MSGS" },
	{ 5, "CAN_RAW_FD_FRAMES" },		{ 6, "CAN_RAW_JOIN_FILTERS" },
	{ 0, NULL }
};

static const struct name_entry sctp_opt_names[] = {
	{ 0, "SCTP_RTOINFO" },			{ 1, "SCTP_ASSOCINFO" },
	{ 2, "SCTP_INITMSG" },			{ 3, "SCTP_NODELAY" },
	{ 4, "SCTP_AUTOCLOSE" },
	{ 5, "SCTP_SET_PEER_PRIMARY_ADDR" },	{ 6, "SCTP_PRIMARY_ADDR" },
	{ 7, "SCTP_ADAPTATION_LAYER" },		{ 8, "SCTP_DISABLE_FRAGMENTS" },
	{ 9, "SCTP_PEER_ADDR_PARAMS" },
	{ 10, "SCTP_DEFAULT_SEND_PARAM" },	{ 11, "SCTP_EVENTS" },
	{ 12, "SCTP_I_WANT_MAPPED_V4_ADDR" },	{ 13, "SCTP_MAXSEG" },
	{ 14, "SCTP_STATUS" },
	{ 15, "SCTP_GET_PEER_ADDR_INFO" },	{ 16, "SCTP_DELAYED_SACK" },
	{ 17, "SCTP_CONTEXT" },
	{ 18, "SCTP_FRAGMENT_INTERLEAVE" },
	{ 19, "SCTP_PARTIAL_DELIVERY_POINT" },	{ 20, "SCTP_MAX_BURST" },
	{ 21, "SCTP_AUTH_CHUNK" },		{ 22, "SCTP_HMAC_IDENT" },
	{ 23, "SCTP_AUTH_KEY" },		{ 24, "SCTP_AUTH_ACTIVE_KEY" },
	{ 25, "SCTP_AUTH_DELETE_KEY" },		{ 26, "SCTP_PEER_AUTH_CHUNKS" },
	{ 27, "SCTP_LOCAL_AUTH_CHUNKS" },	{ 28, "SCTP_GET_ASSOC_NUMBER" },
	{ 29, "SCTP_GET_ASSOC_ID_LIST" },	{ 30, "SCTP_AUTO_ASCONF" },
	{ 31, "SCTP_PEER_ADDR_THLDS" },		{ 32, "SCTP_RECVRCVINFO" },
	{ 33, "SCTP_RECVNXTINFO" },		{ 34, "SCTP_DEFAULT_SNDINFO" },
	{ 35, "SCTP_AUTH_DEACTIVATE_KEY" },	{ 36, "SCTP_REUSE_PORT" },
	{ 37, "SCTP_PEER_ADDR_THLDS_V2" },
	{ 100, "SCTP_SOCKOPT_BINDX_ADD" },
	{ 101, "SCTP_SOCKOPT_BINDX_REM" },	{ 102, "SCTP_SOCKOPT_PEELOFF" },
	{ 103, "SCTP_GET_PEER_ADDRS_NUM_OLD" },
	{ 104, "SCTP_GET_PEER_ADDRS_OLD" },
	{ 105, "SCTP_GET_LOCAL_ADDRS_NUM_OLD" },
	{ 106, "SCTP_GET_LOCAL_ADDRS_OLD" },
	{ 107, "SCTP_SOCKOPT_CONNECTX_OLD" },	{ 108, "SCTP_GET_PEER_ADDRS" },
	{ 109, "SCTP_GET_LOCAL_ADDRS" },
	{ 110, "SCTP_SOCKOPT_CONNECTX" },
	{ 111, "SCTP_SOCKOPT_CONNECTX3" },	{ 112, "SCTP_GET_ASSOC_STATS" },
	{ 113, "SCTP_PR_SUPPORTED" },		{ 114, "SCTP_DEFAULT_PRINFO" },
	{ 115, "SCTP_PR_ASSOC_STATUS" },
	{ 116, "SCTP_PR_STREAM_STATUS" },
	{ 117, "SCTP_RECONFIG_SUPPORTED" },
	{ 118, "SCTP_ENABLE_STREAM_RESET" },	{ 119, "SCTP_RESET_STREAMS" },
	{ 120, "SCTP_RESET_ASSOC" },		{ 121, "SCTP_ADD_STREAMS" },
	{ 122, "SCTP_SOCKOPT_PEELOFF_FLAGS" },
	{ 123, "SCTP_STREAM_SCHEDULER" },
	{ 124, "SCTP_STREAM_SCHEDULER_VALUE" },
	{ 125, "SCTP_INTERLEAVING_SUPPORTED" },	{ 126, "SCTP_SENDMSG_CONNECT" },
	{ 127, "SCTP_EVENT" },
	{ 128, "SCTP_ASCONF_SUPPORTED" },	{ 129, "SCTP_AUTH_SUPPORTED" },
	{ 130, "SCTP_ECN_SUPPORTED" },
	{ 131, "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE" },
	{ 132, "SCTP_REMOTE_UDP_ENCAPS_PORT" },
	{ 133, "SCTP_PLPMTUD_PROBE_INTERVAL" },
	{ 0, NULL }
};

static const struct name_entry ipx_opt_names[] = {
	{ 1, "IPX_TYPE" },
	{ 0, NULL }
};

static const struct name_entry ax25_opt_names[] = {
	{ 1, "AX25_WINDOW" },			{ 2, "AX25_T1" },
	{ 3, "AX25_N2" },			{ 4, "AX25_T3" },
	{ 5, "AX25_T2" },			{ 6, "AX25_BACKOFF" },
	{ 7, "AX25_EXTSEQ" },			{ 8, "AX25_PIDINCL" },
	{ 9, "AX25_IDLE" },			{ 10, "AX25_PACLEN" },
	{ 12, "AX25_IAMDIGI" },			{ 25, "SO_BINDTODEVICE" },
	{ 0, NULL }
};

static const struct name_entry irda_opt_names[] = {
	{ 1, "IRLMP_ENUMDEVICES" },		{ 2, "IRLMP_IAS_SET" },
	{ 3, "IRLMP_IAS_QUERY" },		{ 4, "IRLMP_HINTS_SET" },
	{ 5, "IRLMP_QOS_SET" },			{ 6, "IRLMP_QOS_GET" },
	{ 7, "IRLMP_MAX_SDU_SIZE" },		{ 8, "IRLMP_IAS_GET" },
	{ 9, "IRLMP_IAS_DEL" },			{ 10, "IRLMP_HINT_MASK_SET" },
	{ 11, "IRLMP_WAITDEVICE" },
	{ 0, NULL }
};

static const struct name_entry llc_opt_names[] = {
	{ 0, "LLC_OPT_UNKNOWN" },		{ 1, "LLC_OPT_RETRY" },
	{ 2, "LLC_OPT_SIZE" },			{ 3, "LLC_OPT_ACK_TMR_EXP" },
	{ 4, "LLC_OPT_P_TMR_EXP" },		{ 5, "LLC_OPT_REJ_TMR_EXP" },
	{ 6, "LLC_OPT_BUSY_TMR_EXP" },		{ 7, "LLC_OPT_TX_WIN" },
	{ 8, "LLC_OPT_RX_WIN" },		{ 9, "LLC_OPT_PKTINFO" },
	{ 0, NULL }
};

static const struct name_entry dccp_opt_names[] = {
	{ 1, "DCCP_SOCKOPT_PACKET_SIZE" },	{ 2, "DCCP_SOCKOPT_SERVICE" },
	{ 3, "DCCP_SOCKOPT_CHANGE_L" },		{ 4, "DCCP_SOCKOPT_CHANGE_R" },
	{ 5, "DCCP_SOCKOPT_GET_CUR_MPS" },
	{ 6, "DCCP_SOCKOPT_SERVER_TIMEWAIT" },
	{ 10, "DCCP_SOCKOPT_SEND_CSCOV" },
	{ 11, "DCCP_SOCKOPT_RECV_CSCOV" },
	{ 12, "DCCP_SOCKOPT_AVAILABLE_CCIDS" },	{ 13, "DCCP_SOCKOPT_CCID" },
	{ 14, "DCCP_SOCKOPT_TX_CCID" },		{ 15, "DCCP_SOCKOPT_RX_CCID" },
	{ 16, "DCCP_SOCKOPT_QPOLICY_ID" },
	{ 17, "DCCP_SOCKOPT_QPOLICY_TXQLEN" },
	{ 128, "DCCP_SOCKOPT_CCID_RX_INFO" },
	{ 192, "DCCP_SOCKOPT_CCID_TX_INFO" },
	{ 0, NULL }
};

static const struct name_entry tipc_opt_names[] = {
	{ 127, "TIPC_IMPORTANCE" },		{ 128, "TIPC_SRC_DROPPABLE" },
	{ 129, "TIPC_DEST_DROPPABLE" },		{ 130, "TIPC_CONN_TIMEOUT" },
	{ 131, "TIPC_NODE_RECVQ_DEPTH" },
	{ 132, "TIPC_SOCK_RECVQ_DEPTH" },	{ 133, "TIPC_MCAST_BROADCAST" },
	{ 134, "TIPC_MCAST_REPLICAST" },	{ 135, "TIPC_GROUP_JOIN" },
	{ 136, "TIPC_GROUP_LEAVE" },		{ 137, "TIPC_SOCK_RECVQ_USED" },
	{ 138, "TIPC_NODELAY" },
	{ 0, NULL }
};

static const struct name_entry rxrpc_opt_names[] = {
	{ 1, "RXRPC_SECURITY_KEY" },		{ 2, "RXRPC_SECURITY_KEYRING" },
	{ 3, "RXRPC_EXCLUSIVE_CONNECTION" },
	{ 4, "RXRPC_MIN_SECURITY_LEVEL" },
	{ 5, "RXRPC_UPGRADEABLE_SERVICE" },	{ 6, "RXRPC_SUPPORTED_CMSG" },
	{ 0, NULL }
};

static const struct name_entry pppol2tp_opt_names[] = {
	{ 1, "PPPOL2TP_SO_DEBUG" },		{ 2, "PPPOL2TP_SO_RECVSEQ" },
	{ 3, "PPPOL2TP_SO_SENDSEQ" },		{ 4, "PPPOL2TP_SO_LNSMODE" },
	{ 5, "PPPOL2TP_SO_REORDERTO" },
	{ 0, NULL }
};

static const struct name_entry bt_opt_names[] = {
	{ 4, "BT_SECURITY" },			{ 7, "BT_DEFER_SETUP" },
	{ 8, "BT_FLUSHABLE" },			{ 9, "BT_POWER" },
	{ 10, "BT_CHANNEL_POLICY" },		{ 11, "BT_VOICE" },
	{ 12, "BT_SNDMTU" },			{ 13, "BT_RCVMTU" },
	{ 0, NULL }
};

static const struct name_entry pnpipe_opt_names[] = {
	{ 1, "PNPIPE_ENCAP" },			{ 2, "PNPIPE_IFINDEX" },
	{ 3, "PNPIPE_HANDLE" },			{ 4, "PNPIPE_INITSTATE" },
	{ 0, NULL }
};

static const struct name_entry rds_opt_names[] = {
	{ 1, "RDS_CANCEL_SENT_TO" },		{ 2, "RDS_GET_MR" },
	{ 3, "RDS_FREE_MR" },			{ 4, "RDS_BARRIER" },
	{ 5, "RDS_RECVERR" },			{ 6, "RDS_CONG_MONITOR" },
	{ 7, "RDS_GET_MR_FOR_DEST" },		{ 8, "SO_RDS_TRANSPORT" },
	{ 10, "SO_RDS_MSG_RXPATH_LATENCY" },	{ 29, "SO_TIMESTAMP_OLD" },
	{ 0, NULL }
};

static const struct name_entry iucv_opt_names[] = {
	{ 128, "SO_IPRMDATA_MSG" },		{ 2048, "SO_MSGSIZE" },
	{ 4096, "SO_MSGLIMIT" },
	{ 0, NULL }
};

static const struct name_entry caif_opt_names[] = {
	{ 127, "CAIFSO_LINK_SELECT" },		{ 128, "CAIFSO_REQ_PARAM" },
	{ 129, "CAIFSO_RSP_PARAM" },
	{ 0, NULL }
};

static const struct name_entry alg_opt_names[] = {
	{ 1, "ALG_SET_KEY" },			{ 2, "ALG_SET_IV" },
	{ 3, "ALG_SET_OP" },			{ 4, "ALG_SET_AEAD_ASSOCLEN" },
	{ 5, "ALG_SET_AEAD_AUTHSIZE" },		{ 6, "ALG_SET_DRBG_ENTROPY" },
	{ 0, NULL }
};

static const struct name_entry nfc_opt_names[] = {
	{ 0, "NFC_LLCP_RW" },			{ 1, "NFC_LLCP_MIUX" },
	{ 2, "NFC_LLCP_REMOTE_MIU" },		{ 3, "NFC_LLCP_REMOTE_LTO" },
	{ 4, "NFC_LLCP_REMOTE_RW" },
	{ 0, NULL }
};

static const struct name_entry kcm_opt_names[] = {
	{ 1, "KCM_RECV_DISABLE" },
	{ 0, NULL }
};

static const struct name_entry tls_opt_names[] = {
	{ 1, "TLS_TX" },			{ 2, "TLS_RX" },
	{ 0, NULL }
};

static const struct name_entry xdp_opt_names[] = {
	{ 1, "XDP_MMAP_OFFSETS" },		{ 2, "XDP_RX_RING" },
	{ 3, "XDP_TX_RING" },			{ 4, "XDP_UMEM_REG" },
	{ 5, "XDP_UMEM_FILL_RING" },
	{ 6, "XDP_UMEM_COMPLETION_RING" },	{ 7, "XDP_STATISTICS" },
	{ 8, "XDP_OPTIONS" },
	{ 0, NULL }
};

/*
 * A level: its name, the option names both directions share, those only
 * setsockopt or only getsockopt uses, and strace's comment for an unknown
 * option. Levels without option names print options in decimal.
 */
struct sol_level {
	int level;
	const char *name;
	const struct name_entry *opts, *set_opts, *get_opts;
	const char *unknown;
};

/* strace 6.1 prints level 40 (SOL_VSOCK) as AF_VSOCK. */
static const struct sol_level sol_levels[] = {
	{ 0, "SOL_IP", ip_names, ip_set_names, ip_get_names, "IP_???" },
	{ 1, "SOL_SOCKET", so_names, so_set_names, so_get_names, "SO_???" },
	{ 6, "SOL_TCP", tcp_names, NULL, NULL, "TCP_???" },
	{ 17, "SOL_UDP", udp_names, NULL, NULL, "UDP_???" },
	{ 40, "AF_VSOCK", vsock_opt_names, NULL, NULL, "SO_VM_???" },
	{ 41, "SOL_IPV6", ipv6_names, ipv6_set_names, ipv6_get_names,
	  "IPV6_???" },
	{ .level = 58, .name = "SOL_ICMPV6" },
	{ .level = 100, .name = "SOL_CAN_BASE" },
	{ 101, "SOL_CAN_RAW", can_raw_opt_names, NULL, NULL, "CAN_RAW_???" },
	{ 132, "SOL_SCTP", sctp_opt_names, NULL, NULL, "SCTP_???" },
	{ .level = 136, .name = "SOL_UDPLITE" },
	{ 255, "SOL_RAW", raw_names, NULL, NULL, "RAW_???" },
	{ 256, "SOL_IPX", ipx_opt_names, NULL, NULL, "IPX_???" },
	{ 257, "SOL_AX25", ax25_opt_names, NULL, NULL, "AX25_???" },
	{ .level = 258, .name = "SOL_ATALK" },
	{ .level = 259, .name = "SOL_NETROM" },
	{ .level = 260, .name = "SOL_ROSE" },
	{ .level = 261, .name = "SOL_DECNET" },
	{ .level = 262, .name = "SOL_X25" },
	{ 263, "SOL_PACKET", packet_names, NULL, NULL, "PACKET_???" },
	{ .level = 264, .name = "SOL_ATM" },
	{ .level = 265, .name = "SOL_AAL" },
	{ 266, "SOL_IRDA", irda_opt_names, NULL, NULL, "IRLMP_???" },
	{ .level = 267, .name = "SOL_NETBEUI" },
	{ 268, "SOL_LLC", llc_opt_names, NULL, NULL, "LLC_OPT_???" },
	{ 269, "SOL_DCCP", dccp_opt_names, NULL, NULL, "DCCP_SOCKOPT_???" },
	{ 270, "SOL_NETLINK", netlink_opt_names, NULL, NULL, "NETLINK_???" },
	{ 271, "SOL_TIPC", tipc_opt_names, NULL, NULL, "TIPC_???" },
	{ 272, "SOL_RXRPC", rxrpc_opt_names, NULL, NULL, "RXRPC_???" },
	{ 273, "SOL_PPPOL2TP", pppol2tp_opt_names, NULL, NULL,
	  "PPPOL2TP_SO_???" },
	{ 274, "SOL_BLUETOOTH", bt_opt_names, NULL, NULL, "BT_???" },
	{ 275, "SOL_PNPIPE", pnpipe_opt_names, NULL, NULL, "PNPIPE_???" },
	{ 276, "SOL_RDS", rds_opt_names, NULL, NULL, "RDS_???" },
	{ 277, "SOL_IUCV", iucv_opt_names, NULL, NULL, "SO_???" },
	{ 278, "SOL_CAIF", caif_opt_names, NULL, NULL, "CAIFSO_???" },
	{ 279, "SOL_ALG", alg_opt_names, NULL, NULL, "ALG_???" },
	{ 280, "SOL_NFC", nfc_opt_names, NULL, NULL, "NFC_LLCP_???" },
	{ 281, "SOL_KCM", kcm_opt_names, NULL, NULL, "KCM_???" },
	{ 282, "SOL_TLS", tls_opt_names, NULL, NULL, "TLS_???" },
	{ 283, "SOL_XDP", xdp_opt_names, NULL, NULL, "XDP_???" },
};

static const struct sol_level *sol_find(int level)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sol_levels); i++)
		if (sol_levels[i].level == level)
			return &sol_levels[i];
	return NULL;
}

const char *sol_name(int level)
{
	const struct sol_level *l = sol_find(level);

	return l ? l->name : NULL;
}

static const char *sockopt_lookup(int level, int optname, bool get)
{
	const struct sol_level *l = sol_find(level);
	const struct name_entry *dir;
	const char *name;

	if (!l || !l->opts)
		return NULL;
	name = name_lookup(l->opts, (unsigned int)optname);
	if (name)
		return name;
	dir = get ? l->get_opts : l->set_opts;
	return dir ? name_lookup(dir, (unsigned int)optname) : NULL;
}

const char *sockopt_name(int level, int optname)
{
	return sockopt_lookup(level, optname, false);
}

const char *getsockopt_name(int level, int optname)
{
	return sockopt_lookup(level, optname, true);
}

const char *sockopt_unknown(int level)
{
	const struct sol_level *l = sol_find(level);

	return l ? l->unknown : NULL;
}

/*
 * Options whose value is not an int, though it may be 4 bytes or more:
 * strace decodes these as structures or strings, so no "value" is shown.
 */
struct level_opt {
	int level, optname;
};

static const struct level_opt non_int_opts[] = {
	{ 1, 13 },	/* SOL_SOCKET SO_LINGER: struct linger */
	{ 1, 17 },	/* SO_PEERCRED: struct ucred */
	{ 1, 20 },	/* SO_RCVTIMEO_OLD: struct timeval */
	{ 1, 21 },	/* SO_SNDTIMEO_OLD */
	{ 1, 25 },	/* SO_BINDTODEVICE: a name */
	{ 1, 26 },	/* SO_ATTACH_FILTER: struct sock_fprog */
	{ 1, 28 },	/* SO_PEERNAME: an address */
	{ 1, 31 },	/* SO_PEERSEC: a string */
	{ 1, 51 },	/* SO_ATTACH_REUSEPORT_CBPF */
	{ 1, 66 },	/* SO_RCVTIMEO_NEW: struct __kernel_sock_timeval */
	{ 1, 67 },	/* SO_SNDTIMEO_NEW */
	{ 0, 4 },	/* SOL_IP IP_OPTIONS: bytes */
	{ 0, 32 },	/* IP_MULTICAST_IF: struct in_addr or ip_mreqn */
	{ 0, 35 },	/* IP_ADD_MEMBERSHIP: struct ip_mreq(n) */
	{ 0, 36 },	/* IP_DROP_MEMBERSHIP */
	{ 41, 20 },	/* SOL_IPV6 IPV6_ADD_MEMBERSHIP: struct ipv6_mreq */
	{ 41, 21 },	/* IPV6_DROP_MEMBERSHIP */
	{ 6, 11 },	/* SOL_TCP TCP_INFO: struct tcp_info */
	{ 6, 13 },	/* TCP_CONGESTION: a name */
	{ 6, 14 },	/* TCP_MD5SIG: struct tcp_md5sig */
	{ 6, 31 },	/* TCP_ULP: a name */
};

bool sockopt_value_is_int(int level, int optname)
{
	for (size_t i = 0; i < sizeof(non_int_opts) / sizeof(non_int_opts[0]);
	     i++)
		if (non_int_opts[i].level == level &&
		    non_int_opts[i].optname == optname)
			return false;
	return true;
}

/* --- errno ----------------------------------------------------------- */

struct errno_text {
	const char *name, *message;
};

/* Messages are glibc's strerror() texts. 41 and 58 have no name. */
static const struct errno_text errno_texts[] = {
	[EPERM] = { "EPERM", "Operation not permitted" },
	[ENOENT] = { "ENOENT", "No such file or directory" },
	[ESRCH] = { "ESRCH", "No such process" },
	[EINTR] = { "EINTR", "Interrupted system call" },
	[EIO] = { "EIO", "Input/output error" },
	[ENXIO] = { "ENXIO", "No such device or address" },
	[E2BIG] = { "E2BIG", "Argument list too long" },
	[ENOEXEC] = { "ENOEXEC", "Exec format error" },
	[EBADF] = { "EBADF", "Bad file descriptor" },
	[ECHILD] = { "ECHILD", "No child processes" },
	[EAGAIN] = { "EAGAIN", "Resource temporarily unavailable" },
	[ENOMEM] = { "ENOMEM", "Cannot allocate memory" },
	[EACCES] = { "EACCES", "Permission denied" },
	[EFAULT] = { "EFAULT", "Bad address" },
	[ENOTBLK] = { "ENOTBLK", "Block device required" },
	[EBUSY] = { "EBUSY", "Device or resource busy" },
	[EEXIST] = { "EEXIST", "File exists" },
	[EXDEV] = { "EXDEV", "Invalid cross-device link" },
	[ENODEV] = { "ENODEV", "No such device" },
	[ENOTDIR] = { "ENOTDIR", "Not a directory" },
	[EISDIR] = { "EISDIR", "Is a directory" },
	[EINVAL] = { "EINVAL", "Invalid argument" },
	[ENFILE] = { "ENFILE", "Too many open files in system" },
	[EMFILE] = { "EMFILE", "Too many open files" },
	[ENOTTY] = { "ENOTTY", "Inappropriate ioctl for device" },
	[ETXTBSY] = { "ETXTBSY", "Text file busy" },
	[EFBIG] = { "EFBIG", "File too large" },
	[ENOSPC] = { "ENOSPC", "No space left on device" },
	[ESPIPE] = { "ESPIPE", "Illegal seek" },
	[EROFS] = { "EROFS", "Read-only file system" },
	[EMLINK] = { "EMLINK", "Too many links" },
	[EPIPE] = { "EPIPE", "Broken pipe" },
	[EDOM] = { "EDOM", "Numerical argument out of domain" },
	[ERANGE] = { "ERANGE", "Numerical result out of range" },
	[EDEADLK] = { "EDEADLK", "Resource deadlock avoided" },
	[ENAMETOOLONG] = { "ENAMETOOLONG", "File name too long" },
	[ENOLCK] = { "ENOLCK", "No locks available" },
	[ENOSYS] = { "ENOSYS", "Function not implemented" },
	[ENOTEMPTY] = { "ENOTEMPTY", "Directory not empty" },
	[ELOOP] = { "ELOOP", "Too many levels of symbolic links" },
	[ENOMSG] = { "ENOMSG", "No message of desired type" },
	[EIDRM] = { "EIDRM", "Identifier removed" },
	[ECHRNG] = { "ECHRNG", "Channel number out of range" },
	[EL2NSYNC] = { "EL2NSYNC", "Level 2 not synchronized" },
	[EL3HLT] = { "EL3HLT", "Level 3 halted" },
	[EL3RST] = { "EL3RST", "Level 3 reset" },
	[ELNRNG] = { "ELNRNG", "Link number out of range" },
	[EUNATCH] = { "EUNATCH", "Protocol driver not attached" },
	[ENOCSI] = { "ENOCSI", "No CSI structure available" },
	[EL2HLT] = { "EL2HLT", "Level 2 halted" },
	[EBADE] = { "EBADE", "Invalid exchange" },
	[EBADR] = { "EBADR", "Invalid request descriptor" },
	[EXFULL] = { "EXFULL", "Exchange full" },
	[ENOANO] = { "ENOANO", "No anode" },
	[EBADRQC] = { "EBADRQC", "Invalid request code" },
	[EBADSLT] = { "EBADSLT", "Invalid slot" },
	[EBFONT] = { "EBFONT", "Bad font file format" },
	[ENOSTR] = { "ENOSTR", "Device not a stream" },
	[ENODATA] = { "ENODATA", "No data available" },
	[ETIME] = { "ETIME", "Timer expired" },
	[ENOSR] = { "ENOSR", "Out of streams resources" },
	[ENONET] = { "ENONET", "Machine is not on the network" },
	[ENOPKG] = { "ENOPKG", "Package not installed" },
	[EREMOTE] = { "EREMOTE", "Object is remote" },
	[ENOLINK] = { "ENOLINK", "Link has been severed" },
	[EADV] = { "EADV", "Advertise error" },
	[ESRMNT] = { "ESRMNT", "Srmount error" },
	[ECOMM] = { "ECOMM", "Communication error on send" },
	[EPROTO] = { "EPROTO", "Protocol error" },
	[EMULTIHOP] = { "EMULTIHOP", "Multihop attempted" },
	[EDOTDOT] = { "EDOTDOT", "RFS specific error" },
	[EBADMSG] = { "EBADMSG", "Bad message" },
	[EOVERFLOW] = { "EOVERFLOW", "Value too large for defined data type" },
	[ENOTUNIQ] = { "ENOTUNIQ", "Name not unique on network" },
	[EBADFD] = { "EBADFD", "File descriptor in bad state" },
	[EREMCHG] = { "EREMCHG", "Remote address changed" },
	[ELIBACC] = { "ELIBACC", "Can not access a needed shared library" },
	[ELIBBAD] = { "ELIBBAD", "Accessing a corrupted shared library" },
	[ELIBSCN] = { "ELIBSCN", ".lib section in a.out corrupted" },
	[ELIBMAX] = { "ELIBMAX",
		"Attempting to link in too many shared libraries" },
	[ELIBEXEC] = { "ELIBEXEC", "Cannot exec a shared library directly" },
	[EILSEQ] = { "EILSEQ",
		"Invalid or incomplete multibyte or wide character" },
	[ERESTART] = { "ERESTART",
		"Interrupted system call should be restarted" },
	[ESTRPIPE] = { "ESTRPIPE", "Streams pipe error" },
	[EUSERS] = { "EUSERS", "Too many users" },
	[ENOTSOCK] = { "ENOTSOCK", "Socket operation on non-socket" },
	[EDESTADDRREQ] = { "EDESTADDRREQ", "Destination address required" },
	[EMSGSIZE] = { "EMSGSIZE", "Message too long" },
	[EPROTOTYPE] = { "EPROTOTYPE", "Protocol wrong type for socket" },
	[ENOPROTOOPT] = { "ENOPROTOOPT", "Protocol not available" },
	[EPROTONOSUPPORT] = { "EPROTONOSUPPORT", "Protocol not supported" },
	[ESOCKTNOSUPPORT] = { "ESOCKTNOSUPPORT", "Socket type not supported" },
	[EOPNOTSUPP] = { "EOPNOTSUPP", "Operation not supported" },
	[EPFNOSUPPORT] = { "EPFNOSUPPORT", "Protocol family not supported" },
	[EAFNOSUPPORT] = { "EAFNOSUPPORT",
		"Address family not supported by protocol" },
	[EADDRINUSE] = { "EADDRINUSE", "Address already in use" },
	[EADDRNOTAVAIL] = { "EADDRNOTAVAIL",
		"Cannot assign requested address" },
	[ENETDOWN] = { "ENETDOWN", "Network is down" },
	[ENETUNREACH] = { "ENETUNREACH", "Network is unreachable" },
	[ENETRESET] = { "ENETRESET", "Network dropped connection on reset" },
	[ECONNABORTED] = { "ECONNABORTED", "Software caused connection abort" },
	[ECONNRESET] = { "ECONNRESET", "Connection reset by peer" },
	[ENOBUFS] = { "ENOBUFS", "No buffer space available" },
	[EISCONN] = { "EISCONN", "Transport endpoint is already connected" },
	[ENOTCONN] = { "ENOTCONN", "Transport endpoint is not connected" },
	[ESHUTDOWN] = { "ESHUTDOWN",
		"Cannot send after transport endpoint shutdown" },
	[ETOOMANYREFS] = { "ETOOMANYREFS",
		"Too many references: cannot splice" },
	[ETIMEDOUT] = { "ETIMEDOUT", "Connection timed out" },
	[ECONNREFUSED] = { "ECONNREFUSED", "Connection refused" },
	[EHOSTDOWN] = { "EHOSTDOWN", "Host is down" },
	[EHOSTUNREACH] = { "EHOSTUNREACH", "No route to host" },
	[EALREADY] = { "EALREADY", "Operation already in progress" },
	[EINPROGRESS] = { "EINPROGRESS", "Operation now in progress" },
	[ESTALE] = { "ESTALE", "Stale file handle" },
	[EUCLEAN] = { "EUCLEAN", "Structure needs cleaning" },
	[ENOTNAM] = { "ENOTNAM", "Not a XENIX named type file" },
	[ENAVAIL] = { "ENAVAIL", "No XENIX semaphores available" },
	[EISNAM] = { "EISNAM", "Is a named type file" },
	[EREMOTEIO] = { "EREMOTEIO", "Remote I/O error" },
	[EDQUOT] = { "EDQUOT", "Disk quota exceeded" },
	[ENOMEDIUM] = { "ENOMEDIUM", "No medium found" },
	[EMEDIUMTYPE] = { "EMEDIUMTYPE", "Wrong medium type" },
	[ECANCELED] = { "ECANCELED", "Operation canceled" },
	[ENOKEY] = { "ENOKEY", "Required key not available" },
	[EKEYEXPIRED] = { "EKEYEXPIRED", "Key has expired" },
	[EKEYREVOKED] = { "EKEYREVOKED", "Key has been revoked" },
	[EKEYREJECTED] = { "EKEYREJECTED", "Key was rejected by service" },
	[EOWNERDEAD] = { "EOWNERDEAD", "Owner died" },
	[ENOTRECOVERABLE] = { "ENOTRECOVERABLE", "State not recoverable" },
	[ERFKILL] = { "ERFKILL", "Operation not possible due to RF-kill" },
	[EHWPOISON] = { "EHWPOISON", "Memory page has hardware error" },
};

/*
 * Codes the kernel uses internally (include/linux/errno.h). strace prints
 * its own text for the restart codes and glibc's "Unknown error N" for the
 * rest; 519 (ENOPARAM) and 520 have no name in strace 6.1.
 */
static const struct {
	int err;
	struct errno_text text;
} kernel_errno_texts[] = {
	{ 512, { "ERESTARTSYS", "To be restarted if SA_RESTART is set" } },
	{ 513, { "ERESTARTNOINTR", "To be restarted" } },
	{ 514, { "ERESTARTNOHAND", "To be restarted if no handler" } },
	{ 515, { "ENOIOCTLCMD", "Unknown error 515" } },
	{ 516, { "ERESTART_RESTARTBLOCK", "Interrupted by signal" } },
	{ 517, { "EPROBE_DEFER", "Unknown error 517" } },
	{ 518, { "EOPENSTALE", "Unknown error 518" } },
	{ 521, { "EBADHANDLE", "Unknown error 521" } },
	{ 522, { "ENOTSYNC", "Unknown error 522" } },
	{ 523, { "EBADCOOKIE", "Unknown error 523" } },
	{ 524, { "ENOTSUPP", "Unknown error 524" } },
	{ 525, { "ETOOSMALL", "Unknown error 525" } },
	{ 526, { "ESERVERFAULT", "Unknown error 526" } },
	{ 527, { "EBADTYPE", "Unknown error 527" } },
	{ 528, { "EJUKEBOX", "Unknown error 528" } },
	{ 529, { "EIOCBQUEUED", "Unknown error 529" } },
	{ 530, { "ERECALLCONFLICT", "Unknown error 530" } },
};

static const struct errno_text *errno_find(int err)
{
	size_t i;

	if (err > 0 && (size_t)err < ARRAY_SIZE(errno_texts))
		return errno_texts[err].name ? &errno_texts[err] : NULL;
	for (i = 0; i < ARRAY_SIZE(kernel_errno_texts); i++)
		if (kernel_errno_texts[i].err == err)
			return &kernel_errno_texts[i].text;
	return NULL;
}

const char *errno_name(int err)
{
	const struct errno_text *t = errno_find(err);

	return t ? t->name : NULL;
}

const char *errno_message(int err)
{
	const struct errno_text *t = errno_find(err);

	return t ? t->message : NULL;
}

int errno_by_name(const char *name)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(errno_texts); i++)
		if (errno_texts[i].name && !strcmp(errno_texts[i].name, name))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(kernel_errno_texts); i++)
		if (!strcmp(kernel_errno_texts[i].text.name, name))
			return kernel_errno_texts[i].err;
	return -1;
}

bool errno_is_restart(int err)
{
	return (err >= 512 && err <= 514) || err == 516;
}

/* --- TCP states ------------------------------------------------------ */

static const char *const tcp_states[][2] = {
	[1] = { "TCP_ESTABLISHED", "ESTABLISHED" },
	[2] = { "TCP_SYN_SENT", "SYN_SENT" },
	[3] = { "TCP_SYN_RECV", "SYN_RECV" },
	[4] = { "TCP_FIN_WAIT1", "FIN_WAIT1" },
	[5] = { "TCP_FIN_WAIT2", "FIN_WAIT2" },
	[6] = { "TCP_TIME_WAIT", "TIME_WAIT" },
	[7] = { "TCP_CLOSE", "CLOSE" },
	[8] = { "TCP_CLOSE_WAIT", "CLOSE_WAIT" },
	[9] = { "TCP_LAST_ACK", "LAST_ACK" },
	[10] = { "TCP_LISTEN", "LISTEN" },
	[11] = { "TCP_CLOSING", "CLOSING" },
	[12] = { "TCP_NEW_SYN_RECV", "NEW_SYN_RECV" },
	[13] = { "TCP_BOUND_INACTIVE", "BOUND_INACTIVE" },
};

const char *tcp_state_full_name(int state)
{
	if (state <= 0 || (size_t)state >= ARRAY_SIZE(tcp_states))
		return NULL;
	return tcp_states[state][0];
}

const char *tcp_state_name(int state)
{
	if (state <= 0 || (size_t)state >= ARRAY_SIZE(tcp_states))
		return NULL;
	return tcp_states[state][1];
}
