// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The number-to-name tables (user/names.c): against the system headers,
 * against glibc's strerror(), and against strace itself -- the helper
 * tests/helpers/strace_calls makes socket calls with many values under
 * strace, and every decoded argument must read as strace printed it.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "format.h"
#include "harness.h"
#include "helpers/strace_calls.h"
#include "lib/paths.h"
#include "lib/proc.h"
#include "names.h"
#include "render.h"
#include "strbuf.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A value and the name of its header macro. */
struct want {
	long value;
	const char *name;
};

#define W(x)	{ (x), #x }

/* --- against the headers --------------------------------------------- */

static const struct want want_families[] = {
	W(AF_UNSPEC), W(AF_UNIX), W(AF_INET), W(AF_AX25), W(AF_IPX),
	W(AF_APPLETALK), W(AF_NETROM), W(AF_BRIDGE), W(AF_ATMPVC), W(AF_X25),
	W(AF_INET6), W(AF_ROSE), W(AF_DECnet), W(AF_NETBEUI), W(AF_SECURITY),
	W(AF_KEY), W(AF_NETLINK), W(AF_PACKET), W(AF_ASH), W(AF_ECONET),
	W(AF_ATMSVC), W(AF_RDS), W(AF_SNA), W(AF_IRDA), W(AF_PPPOX),
	W(AF_WANPIPE), W(AF_LLC), W(AF_IB), W(AF_MPLS), W(AF_CAN), W(AF_TIPC),
	W(AF_BLUETOOTH), W(AF_IUCV), W(AF_RXRPC), W(AF_ISDN), W(AF_PHONET),
	W(AF_IEEE802154), W(AF_CAIF), W(AF_ALG), W(AF_NFC), W(AF_VSOCK),
	W(AF_KCM), W(AF_QIPCRTR), W(AF_SMC), W(AF_XDP), W(AF_MCTP),
};

TEST(families_match_headers)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want_families); i++)
		EXPECT_STREQ(want_families[i].name,
			     family_name(want_families[i].value));
	EXPECT_EQ(AF_MAX, (int)ARRAY_SIZE(want_families));
	EXPECT_NULL(family_name(AF_MAX));
	EXPECT_NULL(family_name(-1));
	EXPECT_NULL(family_name(65536 + AF_INET));
}

TEST(family_by_name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want_families); i++)
		EXPECT_EQ(want_families[i].value,
			  family_by_name(want_families[i].name));
	EXPECT_EQ(AF_INET, family_by_name("inet"));
	EXPECT_EQ(AF_INET6, family_by_name("PF_INET6"));
	EXPECT_EQ(AF_INET6, family_by_name("af_inet6"));
	EXPECT_EQ(AF_UNIX, family_by_name("AF_LOCAL"));
	EXPECT_EQ(AF_UNIX, family_by_name("AF_FILE"));
	EXPECT_EQ(AF_UNIX, family_by_name("unix"));
	EXPECT_EQ(AF_DECnet, family_by_name("AF_DECNET"));
	EXPECT_EQ(-1, family_by_name("AF_NOPE"));
	EXPECT_EQ(-1, family_by_name("AF_"));
	EXPECT_EQ(-1, family_by_name(""));
	EXPECT_EQ(-1, family_by_name("AF_INET "));
}

TEST(socket_types)
{
	static const struct want types[] = {
		W(SOCK_STREAM), W(SOCK_DGRAM), W(SOCK_RAW), W(SOCK_RDM),
		W(SOCK_SEQPACKET), W(SOCK_DCCP), W(SOCK_PACKET),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		EXPECT_STREQ(types[i].name, socktype_name(types[i].value));
	EXPECT_NULL(socktype_name(0));
	EXPECT_NULL(socktype_name(7));
	EXPECT_NULL(socktype_name(SOCK_STREAM | SOCK_CLOEXEC));
	EXPECT_EQ(SOCK_CLOEXEC, (int)sock_flag_names[0].value);
	EXPECT_STREQ("SOCK_CLOEXEC", sock_flag_names[0].name);
	EXPECT_EQ(SOCK_NONBLOCK, (int)sock_flag_names[1].value);
	EXPECT_STREQ("SOCK_NONBLOCK", sock_flag_names[1].name);
	EXPECT_NULL(sock_flag_names[2].name);
}

TEST(msg_flags_match_headers)
{
	static const struct want flags[] = {
		W(MSG_OOB), W(MSG_PEEK), W(MSG_DONTROUTE), W(MSG_CTRUNC),
		W(MSG_PROXY), W(MSG_TRUNC), W(MSG_DONTWAIT), W(MSG_EOR),
		W(MSG_WAITALL), W(MSG_FIN), W(MSG_SYN), W(MSG_CONFIRM),
		W(MSG_RST), W(MSG_ERRQUEUE), W(MSG_NOSIGNAL), W(MSG_MORE),
		W(MSG_WAITFORONE), W(MSG_BATCH), W(MSG_ZEROCOPY),
		W(MSG_FASTOPEN), W(MSG_CMSG_CLOEXEC),
	};
	unsigned long seen = 0;
	const struct name_entry *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		const char *want = flags[i].name;

		/* glibc's MSG_PROXY is the kernel's MSG_PROBE */
		if (flags[i].value == MSG_PROXY)
			want = "MSG_PROBE";
		EXPECT_STREQ(want, name_lookup(msg_flag_names, flags[i].value));
	}
	/* one bit each, no bit twice, in ascending order like strace */
	for (e = msg_flag_names; e->name; e++) {
		EXPECT_EQ(1, __builtin_popcountl(e->value)) {
			TH_LOG("%s", e->name);
		}
		EXPECT_EQ(0UL, seen & e->value);
		EXPECT_GT(e->value, seen);
		seen |= e->value;
	}
	EXPECT_EQ(0x80000000UL, msg_flag_names[23].value);
	EXPECT_NULL(msg_flag_names[24].name);
}

TEST(shutdown_names)
{
	EXPECT_STREQ("SHUT_RD", shut_name(SHUT_RD));
	EXPECT_STREQ("SHUT_WR", shut_name(SHUT_WR));
	EXPECT_STREQ("SHUT_RDWR", shut_name(SHUT_RDWR));
	EXPECT_NULL(shut_name(3));
	EXPECT_NULL(shut_name(-1));
}

TEST(protocols_match_headers)
{
	static const struct want ip[] = {
		W(IPPROTO_IP), W(IPPROTO_ICMP), W(IPPROTO_IGMP),
		W(IPPROTO_IPIP), W(IPPROTO_TCP), W(IPPROTO_EGP), W(IPPROTO_PUP),
		W(IPPROTO_UDP), W(IPPROTO_IDP), W(IPPROTO_TP), W(IPPROTO_DCCP),
		W(IPPROTO_IPV6), W(IPPROTO_ROUTING), W(IPPROTO_FRAGMENT),
		W(IPPROTO_RSVP), W(IPPROTO_GRE), W(IPPROTO_ESP), W(IPPROTO_AH),
		W(IPPROTO_ICMPV6), W(IPPROTO_NONE), W(IPPROTO_DSTOPTS),
		W(IPPROTO_MTP), W(IPPROTO_BEETPH), W(IPPROTO_ENCAP),
		W(IPPROTO_PIM), W(IPPROTO_COMP),
		{ 115, "IPPROTO_L2TP" },	/* not in glibc's headers */
		W(IPPROTO_SCTP), W(IPPROTO_MH), W(IPPROTO_UDPLITE),
		W(IPPROTO_MPLS), W(IPPROTO_ETHERNET), W(IPPROTO_RAW),
		W(IPPROTO_MPTCP),
	};
	static const struct want nl[] = {
		W(NETLINK_ROUTE), W(NETLINK_USERSOCK), W(NETLINK_FIREWALL),
		W(NETLINK_SOCK_DIAG), W(NETLINK_NFLOG), W(NETLINK_XFRM),
		W(NETLINK_SELINUX), W(NETLINK_ISCSI), W(NETLINK_AUDIT),
		W(NETLINK_FIB_LOOKUP), W(NETLINK_CONNECTOR),
		W(NETLINK_NETFILTER), W(NETLINK_IP6_FW), W(NETLINK_DNRTMSG),
		W(NETLINK_KOBJECT_UEVENT), W(NETLINK_GENERIC),
		W(NETLINK_SCSITRANSPORT), W(NETLINK_ECRYPTFS), W(NETLINK_RDMA),
		W(NETLINK_CRYPTO), W(NETLINK_SMC),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ip); i++) {
		EXPECT_STREQ(ip[i].name, protocol_name(AF_INET, ip[i].value));
		EXPECT_STREQ(ip[i].name, protocol_name(AF_INET6, ip[i].value));
	}
	for (i = 0; i < ARRAY_SIZE(nl); i++)
		EXPECT_STREQ(nl[i].name,
			     protocol_name(AF_NETLINK, nl[i].value));
	EXPECT_NULL(protocol_name(AF_INET, 3));
	EXPECT_NULL(protocol_name(AF_INET, -1));
	EXPECT_NULL(protocol_name(AF_NETLINK, 17));
	EXPECT_NULL(protocol_name(AF_UNIX, 0));
	EXPECT_NULL(protocol_name(AF_VSOCK, 0));
	EXPECT_NULL(protocol_name(-1, 0));
}

TEST(packet_protocols_are_network_order)
{
	static const struct want eth[] = {
		W(ETH_P_ALL), W(ETH_P_IP), W(ETH_P_ARP), W(ETH_P_IPV6),
		W(ETH_P_8021Q), W(ETH_P_802_3), W(ETH_P_LOOP), W(ETH_P_BPQ),
		W(ETH_P_AF_IUCV), W(ETH_P_802_3_MIN), W(ETH_P_PAE),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(eth); i++) {
		EXPECT_STREQ(eth[i].name, eth_proto_name(eth[i].value));
		EXPECT_STREQ(eth[i].name,
			     protocol_name(AF_PACKET, htons(eth[i].value)));
	}
	/* only the low 16 bits count, as in the kernel */
	EXPECT_STREQ("ETH_P_IP", protocol_name(AF_PACKET,
					       0x70000 | htons(ETH_P_IP)));
	/* host order by mistake: 0x0081 has no name */
	EXPECT_NULL(protocol_name(AF_PACKET, ETH_P_8021Q));
	EXPECT_NULL(protocol_name(AF_PACKET, 0));
	/* in strace 6.1's table: neither of these */
	EXPECT_NULL(eth_proto_name(0x8892));	/* ETH_P_PROFINET */
	EXPECT_NULL(eth_proto_name(0x88A4));	/* ETH_P_ETHERCAT */
}

TEST(other_family_protocols)
{
	EXPECT_STREQ("BTPROTO_L2CAP", protocol_name(AF_BLUETOOTH, 0));
	EXPECT_STREQ("BTPROTO_RFCOMM", protocol_name(AF_BLUETOOTH, 3));
	EXPECT_STREQ("CAN_RAW", protocol_name(AF_CAN, 1));
	EXPECT_STREQ("CAN_J1939", protocol_name(AF_CAN, 7));
	EXPECT_NULL(protocol_name(AF_CAN, 0));
	EXPECT_STREQ("CAN_BCM", protocol_name(AF_IRDA, 2));
	EXPECT_STREQ("AF_INET6", protocol_name(AF_RXRPC, 10));
	EXPECT_STREQ("AX25_P_IP", protocol_name(AF_AX25, 0xcc));
	EXPECT_STREQ("SMCPROTO_SMC6", protocol_name(AF_SMC, 1));
	EXPECT_EQ(PROTO_DECIMAL, family_protocols(AF_UNIX)->style);
	EXPECT_EQ(PROTO_HTONS, family_protocols(AF_PACKET)->style);
	EXPECT_EQ(PROTO_HEX_COMMENT, family_protocols(AF_AX25)->style);
	EXPECT_STREQ("IPPROTO_???", family_protocols(AF_INET6)->unknown);
}

/* --- socket options -------------------------------------------------- */

struct want_opt {
	int level, optname;
	const char *name;
};

#define WO(level, x)	{ (level), (x), #x }

static const struct want_opt want_opts[] = {
	WO(SOL_SOCKET, SO_DEBUG), WO(SOL_SOCKET, SO_REUSEADDR),
	WO(SOL_SOCKET, SO_TYPE), WO(SOL_SOCKET, SO_ERROR),
	WO(SOL_SOCKET, SO_BROADCAST), WO(SOL_SOCKET, SO_SNDBUF),
	WO(SOL_SOCKET, SO_RCVBUF), WO(SOL_SOCKET, SO_KEEPALIVE),
	WO(SOL_SOCKET, SO_LINGER), WO(SOL_SOCKET, SO_REUSEPORT),
	WO(SOL_SOCKET, SO_PEERCRED), WO(SOL_SOCKET, SO_RCVTIMEO_OLD),
	WO(SOL_SOCKET, SO_SNDTIMEO_OLD), WO(SOL_SOCKET, SO_BINDTODEVICE),
	WO(SOL_SOCKET, SO_ACCEPTCONN), WO(SOL_SOCKET, SO_MARK),
	WO(SOL_SOCKET, SO_PROTOCOL), WO(SOL_SOCKET, SO_DOMAIN),
	WO(SOL_SOCKET, SO_INCOMING_CPU), WO(SOL_SOCKET, SO_COOKIE),
	WO(SOL_SOCKET, SO_ZEROCOPY), WO(SOL_SOCKET, SO_RCVTIMEO_NEW),
	WO(SOL_SOCKET, SO_BUF_LOCK), WO(SOL_SOCKET, SO_RCVMARK),
	WO(SOL_IP, IP_TOS), WO(SOL_IP, IP_TTL), WO(SOL_IP, IP_HDRINCL),
	WO(SOL_IP, IP_PKTINFO), WO(SOL_IP, IP_RECVERR), WO(SOL_IP, IP_MTU),
	WO(SOL_IP, IP_FREEBIND), WO(SOL_IP, IP_TRANSPARENT),
	WO(SOL_IP, IP_BIND_ADDRESS_NO_PORT), WO(SOL_IP, IP_RECVERR_RFC4884),
	WO(SOL_IP, IP_MULTICAST_IF), WO(SOL_IP, IP_ADD_MEMBERSHIP),
	WO(SOL_IP, MCAST_JOIN_GROUP), WO(SOL_IP, MCAST_MSFILTER),
	WO(SOL_IP, IP_UNICAST_IF),
	WO(SOL_IPV6, IPV6_ADDRFORM), WO(SOL_IPV6, IPV6_2292PKTINFO),
	WO(SOL_IPV6, IPV6_UNICAST_HOPS), WO(SOL_IPV6, IPV6_MULTICAST_LOOP),
	WO(SOL_IPV6, IPV6_V6ONLY), WO(SOL_IPV6, IPV6_RECVPKTINFO),
	WO(SOL_IPV6, IPV6_TCLASS), WO(SOL_IPV6, IPV6_FREEBIND),
	WO(SOL_IPV6, IPV6_ROUTER_ALERT_ISOLATE),
	WO(SOL_TCP, TCP_NODELAY), WO(SOL_TCP, TCP_MAXSEG),
	WO(SOL_TCP, TCP_CORK), WO(SOL_TCP, TCP_KEEPIDLE),
	WO(SOL_TCP, TCP_KEEPINTVL), WO(SOL_TCP, TCP_KEEPCNT),
	WO(SOL_TCP, TCP_INFO), WO(SOL_TCP, TCP_CONGESTION),
	WO(SOL_TCP, TCP_USER_TIMEOUT), WO(SOL_TCP, TCP_FASTOPEN),
	WO(SOL_TCP, TCP_NOTSENT_LOWAT), WO(SOL_TCP, TCP_ULP),
	WO(SOL_TCP, TCP_INQ), WO(SOL_TCP, TCP_TX_DELAY),
	WO(SOL_UDP, UDP_CORK), WO(SOL_UDP, UDP_ENCAP),
	WO(SOL_UDP, UDP_NO_CHECK6_TX), WO(SOL_UDP, UDP_SEGMENT),
	WO(SOL_UDP, UDP_GRO),
	WO(SOL_PACKET, PACKET_ADD_MEMBERSHIP), WO(SOL_PACKET, PACKET_RX_RING),
	WO(SOL_PACKET, PACKET_VERSION), WO(SOL_PACKET, PACKET_FANOUT),
	WO(SOL_PACKET, PACKET_IGNORE_OUTGOING),
	WO(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP),
	WO(SOL_NETLINK, NETLINK_PKTINFO), WO(SOL_NETLINK, NETLINK_EXT_ACK),
	WO(SOL_NETLINK, NETLINK_GET_STRICT_CHK),
};

TEST(sockopts_match_headers)
{
	const struct want_opt *w;

	for (w = want_opts; w < want_opts + ARRAY_SIZE(want_opts); w++) {
		EXPECT_STREQ(w->name, sockopt_name(w->level, w->optname));
		EXPECT_STREQ(w->name, getsockopt_name(w->level, w->optname));
	}
}

TEST(sockopt_names_by_direction)
{
	EXPECT_STREQ("SO_ATTACH_FILTER", sockopt_name(SOL_SOCKET, 26));
	EXPECT_STREQ("SO_GET_FILTER", getsockopt_name(SOL_SOCKET, 26));
	EXPECT_STREQ("IPT_SO_SET_REPLACE", sockopt_name(SOL_IP, 64));
	EXPECT_STREQ("IPT_SO_GET_INFO", getsockopt_name(SOL_IP, 64));
	EXPECT_NULL(sockopt_name(SOL_IP, 66));
	EXPECT_STREQ("IPT_SO_GET_REVISION_MATCH", getsockopt_name(SOL_IP, 66));
	EXPECT_STREQ("EBT_SO_SET_COUNTERS", sockopt_name(SOL_IP, 129));
	EXPECT_STREQ("IP6T_SO_GET_REVISION_TARGET",
		     getsockopt_name(SOL_IPV6, 69));
	EXPECT_NULL(sockopt_name(SOL_IPV6, 69));
	EXPECT_NULL(sockopt_name(SOL_SOCKET, 0));
	EXPECT_NULL(sockopt_name(SOL_SOCKET, 54));
	EXPECT_NULL(sockopt_name(SOL_SOCKET, 76));
	EXPECT_NULL(sockopt_name(SOL_TCP, 38));
	EXPECT_NULL(sockopt_name(SOL_ICMPV6, 1));
	EXPECT_NULL(sockopt_name(2, 1));
}

TEST(levels)
{
	static const struct want levels[] = {
		W(SOL_IP), W(SOL_SOCKET), W(SOL_TCP), W(SOL_UDP), W(SOL_IPV6),
		W(SOL_ICMPV6), W(SOL_RAW),
		{ 132, "SOL_SCTP" }, { 136, "SOL_UDPLITE" },	/* no macros */
		W(SOL_DECNET), W(SOL_X25), W(SOL_PACKET), W(SOL_ATM),
		W(SOL_AAL), W(SOL_IRDA), W(SOL_NETBEUI), W(SOL_LLC),
		W(SOL_DCCP), W(SOL_NETLINK), W(SOL_TIPC), W(SOL_RXRPC),
		W(SOL_PPPOL2TP), W(SOL_BLUETOOTH), W(SOL_PNPIPE), W(SOL_RDS),
		W(SOL_IUCV), W(SOL_CAIF), W(SOL_ALG), W(SOL_NFC), W(SOL_KCM),
		W(SOL_TLS), W(SOL_XDP),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(levels); i++)
		EXPECT_STREQ(levels[i].name, sol_name(levels[i].value));
	EXPECT_STREQ("AF_VSOCK", sol_name(40));	/* as strace 6.1 */
	EXPECT_NULL(sol_name(2));
	EXPECT_NULL(sol_name(-1));
	EXPECT_STREQ("SO_???", sockopt_unknown(SOL_SOCKET));
	EXPECT_STREQ("IPV6_???", sockopt_unknown(SOL_IPV6));
	EXPECT_NULL(sockopt_unknown(SOL_ICMPV6));
	EXPECT_NULL(sockopt_unknown(2));
}

/* --- errno, TCP states ----------------------------------------------- */

static const struct want want_errnos[] = {
	W(EPERM), W(ENOENT), W(ESRCH), W(EINTR), W(EIO), W(ENXIO), W(E2BIG),
	W(ENOEXEC), W(EBADF), W(ECHILD), W(EAGAIN), W(ENOMEM), W(EACCES),
	W(EFAULT), W(ENOTBLK), W(EBUSY), W(EEXIST), W(EXDEV), W(ENODEV),
	W(ENOTDIR), W(EISDIR), W(EINVAL), W(ENFILE), W(EMFILE), W(ENOTTY),
	W(ETXTBSY), W(EFBIG), W(ENOSPC), W(ESPIPE), W(EROFS), W(EMLINK),
	W(EPIPE), W(EDOM), W(ERANGE), W(EDEADLK), W(ENAMETOOLONG), W(ENOLCK),
	W(ENOSYS), W(ENOTEMPTY), W(ELOOP), W(ENOMSG), W(EIDRM), W(ECHRNG),
	W(EL2NSYNC), W(EL3HLT), W(EL3RST), W(ELNRNG), W(EUNATCH), W(ENOCSI),
	W(EL2HLT), W(EBADE), W(EBADR), W(EXFULL), W(ENOANO), W(EBADRQC),
	W(EBADSLT), W(EBFONT), W(ENOSTR), W(ENODATA), W(ETIME), W(ENOSR),
	W(ENONET), W(ENOPKG), W(EREMOTE), W(ENOLINK), W(EADV), W(ESRMNT),
	W(ECOMM), W(EPROTO), W(EMULTIHOP), W(EDOTDOT), W(EBADMSG),
	W(EOVERFLOW), W(ENOTUNIQ), W(EBADFD), W(EREMCHG), W(ELIBACC),
	W(ELIBBAD), W(ELIBSCN), W(ELIBMAX), W(ELIBEXEC), W(EILSEQ),
	W(ERESTART), W(ESTRPIPE), W(EUSERS), W(ENOTSOCK), W(EDESTADDRREQ),
	W(EMSGSIZE), W(EPROTOTYPE), W(ENOPROTOOPT), W(EPROTONOSUPPORT),
	W(ESOCKTNOSUPPORT), W(EOPNOTSUPP), W(EPFNOSUPPORT), W(EAFNOSUPPORT),
	W(EADDRINUSE), W(EADDRNOTAVAIL), W(ENETDOWN), W(ENETUNREACH),
	W(ENETRESET), W(ECONNABORTED), W(ECONNRESET), W(ENOBUFS), W(EISCONN),
	W(ENOTCONN), W(ESHUTDOWN), W(ETOOMANYREFS), W(ETIMEDOUT),
	W(ECONNREFUSED), W(EHOSTDOWN), W(EHOSTUNREACH), W(EALREADY),
	W(EINPROGRESS), W(ESTALE), W(EUCLEAN), W(ENOTNAM), W(ENAVAIL),
	W(EISNAM), W(EREMOTEIO), W(EDQUOT), W(ENOMEDIUM), W(EMEDIUMTYPE),
	W(ECANCELED), W(ENOKEY), W(EKEYEXPIRED), W(EKEYREVOKED),
	W(EKEYREJECTED), W(EOWNERDEAD), W(ENOTRECOVERABLE), W(ERFKILL),
	W(EHWPOISON),
};

TEST(errno_names_match_headers)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want_errnos); i++) {
		EXPECT_STREQ(want_errnos[i].name,
			     errno_name(want_errnos[i].value));
		EXPECT_EQ(want_errnos[i].value,
			  errno_by_name(want_errnos[i].name));
	}
	/* aliases get the name strace prints */
	EXPECT_STREQ("EAGAIN", errno_name(EWOULDBLOCK));
	EXPECT_STREQ("EDEADLK", errno_name(EDEADLOCK));
	EXPECT_STREQ("EOPNOTSUPP", errno_name(ENOTSUP));
	EXPECT_EQ(-1, errno_by_name("EWOULDBLOCK"));
	EXPECT_EQ(-1, errno_by_name("nope"));
}

TEST(errno_messages_match_strerror)
{
	int err, named = 0;

	for (err = 1; err <= 133; err++) {
		if (err == 41 || err == 58) {
			EXPECT_NULL(errno_name(err));
			EXPECT_NULL(errno_message(err));
			continue;
		}
		EXPECT_STREQ(strerror(err), errno_message(err)) {
			TH_LOG("errno %d (%s)", err, errno_name(err));
		}
		named++;
	}
	EXPECT_EQ(131, named);
	EXPECT_EQ((int)ARRAY_SIZE(want_errnos), named);
	EXPECT_NULL(errno_name(0));
	EXPECT_NULL(errno_message(0));
	EXPECT_NULL(errno_name(134));
	EXPECT_NULL(errno_name(-1));
	EXPECT_NULL(errno_name(4095));
}

TEST(kernel_errnos)
{
	static const struct want kernel[] = {
		{ 512, "ERESTARTSYS" }, { 513, "ERESTARTNOINTR" },
		{ 514, "ERESTARTNOHAND" }, { 515, "ENOIOCTLCMD" },
		{ 516, "ERESTART_RESTARTBLOCK" }, { 517, "EPROBE_DEFER" },
		{ 518, "EOPENSTALE" }, { 521, "EBADHANDLE" },
		{ 522, "ENOTSYNC" }, { 523, "EBADCOOKIE" },
		{ 524, "ENOTSUPP" }, { 525, "ETOOSMALL" },
		{ 526, "ESERVERFAULT" }, { 527, "EBADTYPE" },
		{ 528, "EJUKEBOX" }, { 529, "EIOCBQUEUED" },
		{ 530, "ERECALLCONFLICT" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernel); i++) {
		EXPECT_STREQ(kernel[i].name, errno_name(kernel[i].value));
		EXPECT_EQ(kernel[i].value, errno_by_name(kernel[i].name));
	}
	EXPECT_STREQ("To be restarted if SA_RESTART is set",
		     errno_message(512));
	EXPECT_STREQ("To be restarted", errno_message(513));
	EXPECT_STREQ("To be restarted if no handler", errno_message(514));
	EXPECT_STREQ("Interrupted by signal", errno_message(516));
	EXPECT_STREQ("Unknown error 524", errno_message(524));
	EXPECT_NULL(errno_name(519));
	EXPECT_NULL(errno_name(520));
	EXPECT_NULL(errno_name(531));
	EXPECT_TRUE(errno_is_restart(512));
	EXPECT_TRUE(errno_is_restart(516));
	EXPECT_FALSE(errno_is_restart(515));
	EXPECT_FALSE(errno_is_restart(EINTR));
}

TEST(tcp_states)
{
	static const struct want states[] = {
		W(TCP_ESTABLISHED), W(TCP_SYN_SENT), W(TCP_SYN_RECV),
		W(TCP_FIN_WAIT1), W(TCP_FIN_WAIT2), W(TCP_TIME_WAIT),
		W(TCP_CLOSE), W(TCP_CLOSE_WAIT), W(TCP_LAST_ACK),
		W(TCP_LISTEN), W(TCP_CLOSING),
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		EXPECT_STREQ(states[i].name,
			     tcp_state_full_name(states[i].value));
		EXPECT_STREQ(states[i].name + 4,
			     tcp_state_name(states[i].value));
	}
	EXPECT_STREQ("NEW_SYN_RECV", tcp_state_name(12));
	EXPECT_STREQ("TCP_BOUND_INACTIVE", tcp_state_full_name(13));
	EXPECT_NULL(tcp_state_name(0));
	EXPECT_NULL(tcp_state_name(14));
	EXPECT_NULL(tcp_state_full_name(-1));
}

TEST(name_to_value)
{
	unsigned long v = 0;

	EXPECT_EQ(0, name_to_value(msg_flag_names, "MSG_NOSIGNAL", &v));
	EXPECT_EQ((unsigned long)MSG_NOSIGNAL, v);
	EXPECT_EQ(-ENOENT, name_to_value(msg_flag_names, "MSG_NOPE", &v));
	EXPECT_NULL(name_lookup(msg_flag_names, 0));
}

/* --- against strace -------------------------------------------------- */

/* Which part of each of strace's lines a case compares. */
enum case_part {
	PART_CALL,	/* the call up to its ')' */
	PART_RESULT,	/* what follows " = " */
	PART_FAMILY,	/* the value of the address's sa_family= */
};

/*
 * Calls for the helper, one a line, and for each the text strace must
 * print in that part of its line.
 */
struct strace_case {
	struct strbuf cmds, want;
	size_t n;
	enum case_part part;
};

static void case_init(struct strace_case *c, enum case_part part)
{
	sb_init(&c->cmds);
	sb_init(&c->want);
	c->n = 0;
	c->part = part;
}

static void case_free(struct strace_case *c)
{
	sb_free(&c->cmds);
	sb_free(&c->want);
}

/* The helper's command and the expected text, both ending in '\n'. */
static void case_add(struct strace_case *c, const char *cmd,
		     const struct strbuf *want)
{
	sb_add(&c->cmds, cmd);
	sb_addc(&c->cmds, '\n');
	sb_add(&c->want, want->buf);
	sb_addc(&c->want, '\n');
	c->n++;
}

static int write_file(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (sb->len && fwrite(sb->buf, 1, sb->len, f) != sb->len)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

/*
 * Runs the helper under strace; the trace goes to out. 0, the helper's or
 * strace's exit status, or -ENOENT when strace is not installed.
 */
static int run_strace(const char *cmds, const char *out)
{
	char helper[PATH_MAX];
	char *argv[] = {
		"strace", "-qq", "-o", (char *)out, "-e",
		"trace=socket,socketpair,setsockopt,getsockopt,shutdown,"
		"accept4,sendto,recvfrom,sendmsg,recvmsg,listen,connect",
		helper, (char *)cmds, NULL
	};

	if (build_path(helper, sizeof(helper), "tests/helpers/strace_calls"))
		return -ENAMETOOLONG;
	/* Under SANITIZE=1: LeakSanitizer cannot run under ptrace. */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	return proc_run(argv, 100000);
}

/* What follows key in s, up to the next ',' or '}': s is cut there. */
static const char *value_after(char *s, const char *key)
{
	char *v = strstr(s, key);

	if (!v)
		return s;
	v += strlen(key);
	v[strcspn(v, ",}")] = '\0';
	return v;
}

/* The part of a trace line that is compared; the line is cut to it. */
static const char *trace_part(char *line, enum case_part part)
{
	char *eq = strstr(line, " = ");
	char *end;

	if (part == PART_FAMILY)
		return value_after(line, "{sa_family=");
	if (!eq)
		return line;
	if (part == PART_RESULT)
		return eq + 3;
	end = eq;
	while (end > line && end[-1] == ' ')
		end--;
	*end = '\0';
	return line;
}

/* Compares the trace in path with c's expected lines; the mismatches. */
static int compare_trace(const char *path, const struct strace_case *c)
{
	char line[1024], *want = c->want.buf, *nl;
	int mismatches = 0;
	size_t lines = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && want && *want) {
		const char *seen;

		line[strcspn(line, "\n")] = '\0';
		nl = strchr(want, '\n');
		*nl = '\0';
		seen = trace_part(line, c->part);
		if (strcmp(want, seen) && mismatches++ < 20)
			TH_LOG("strace: %s\n#     us: %s", seen, want);
		*nl = '\n';
		want = nl + 1;
		lines++;
	}
	fclose(f);
	if (lines != c->n) {
		TH_LOG("strace printed %zu calls, we made %zu", lines, c->n);
		mismatches++;
	}
	return mismatches;
}

static void check_against_strace(struct strace_case *c)
{
	char cmds[] = "/tmp/sockscope-names-XXXXXX";
	char out[sizeof(cmds) + 6];
	int fd, ret;

	fd = mkstemp(cmds);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(out, sizeof(out), "%s.trace", cmds);
	ASSERT_EQ(0, write_file(cmds, &c->cmds));
	ret = run_strace(cmds, out);
	unlink(cmds);
	if (ret == -ENOENT) {
		unlink(out);
		SKIP(return, "strace is not installed");
	}
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, compare_trace(out, c));
	unlink(out);
}

static void add_socket(struct strace_case *c, int family, int type,
		       int protocol)
{
	struct strbuf want;
	char cmd[64];

	sb_init(&want);
	sb_add(&want, "socket(");
	format_family_text(&want, family);
	sb_add(&want, ", ");
	format_socktype_text(&want, type);
	sb_add(&want, ", ");
	format_protocol_text(&want, family, protocol);
	sb_addc(&want, ')');
	snprintf(cmd, sizeof(cmd), "socket %d %d %d", family, type, protocol);
	case_add(c, cmd, &want);
	sb_free(&want);
}

/* An invalid type (SOCK_MAX is 11) makes socket() fail before the family
 * or protocol is looked at, so nothing is created. */
#define BAD_TYPE	0xb

TEST_TIMEOUT(strace_socket_families_and_types, 60)
{
	static const int types[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 15, 0x10, 0x800, 0x80000,
		0x80801, 0x80002, 0x800 | 0x10, 0x10000 | 2,
		0x10000 | 0x80000 | 2, -1, 0x7fffffff,
	};
	struct strace_case c;
	size_t i;
	int f;

	case_init(&c, PART_CALL);
	for (f = -1; f <= 50; f++)
		add_socket(&c, f, BAD_TYPE, 0);
	add_socket(&c, 0x7fff, BAD_TYPE, 0);
	add_socket(&c, 65536 + AF_INET, BAD_TYPE, 0);
	add_socket(&c, 0x7fffffff, BAD_TYPE, 0);
	add_socket(&c, (int)0x80000000, BAD_TYPE, 0);
	/* AF_UNSPEC: no socket is created whatever the type */
	for (i = 0; i < ARRAY_SIZE(types); i++)
		add_socket(&c, AF_UNSPEC, types[i], 0);
	check_against_strace(&c);
	case_free(&c);
}

/*
 * Every value of the type bits (SOCK_TYPE_BITS) with flags named,
 * unknown, or both: named type bits take the rest as flags, others make
 * the whole value flags ("0x4d <* SOCK_??? *>" for 77).
 */
TEST_TIMEOUT(strace_socket_type_bits, 60)
{
	static const unsigned int flags[] = {
		0, SOCK_NONBLOCK, SOCK_CLOEXEC, SOCK_CLOEXEC | SOCK_NONBLOCK,
		0x10, 0x40, 0x10000, 0x40000000, 0x80000000,
		0x40 | SOCK_CLOEXEC, 0x7ffffff0,
	};
	struct strace_case c;
	unsigned int t;
	size_t i;

	case_init(&c, PART_CALL);
	for (t = 0; t <= SOCK_TYPE_BITS; t++)
		for (i = 0; i < ARRAY_SIZE(flags); i++)
			add_socket(&c, AF_UNSPEC, (int)(t | flags[i]), 0);
	/* refused by the kernel (EINVAL): no socket is created */
	add_socket(&c, AF_INET, 77, 0);
	add_socket(&c, AF_INET, 77 | SOCK_CLOEXEC, 0);
	add_socket(&c, AF_UNIX, 77 | SOCK_NONBLOCK, 0);
	check_against_strace(&c);
	case_free(&c);
}

TEST_TIMEOUT(strace_protocols, 120)
{
	static const int families[] = { 99, 1234, -1 };
	static const int extra[] = {
		0x7fffffff, (int)0x80000000, 0x10000, 0x10006,
	};
	struct strace_case c;
	size_t i;
	int f, p;

	case_init(&c, PART_CALL);
	/* every family, those with no protocol names too */
	for (f = 0; f <= AF_MAX + (int)ARRAY_SIZE(families); f++) {
		int family = f <= AF_MAX ? f : families[f - AF_MAX - 1];

		if (family == AF_PACKET)
			continue;
		for (p = -2; p <= 300; p++)
			add_socket(&c, family, BAD_TYPE, p);
		for (i = 0; i < ARRAY_SIZE(extra); i++)
			add_socket(&c, family, BAD_TYPE, extra[i]);
	}
	for (p = 0; p <= 0xffff; p++)
		add_socket(&c, AF_PACKET, BAD_TYPE, htons(p));
	add_socket(&c, AF_PACKET, BAD_TYPE, 0x12345);
	add_socket(&c, AF_PACKET, BAD_TYPE, -1);
	check_against_strace(&c);
	case_free(&c);
}

static void add_sockopt(struct strace_case *c, int level, int optname,
			bool get)
{
	struct strbuf want;
	char cmd[64];

	sb_init(&want);
	sb_addf(&want, "%ssockopt(-1, ", get ? "get" : "set");
	format_level_text(&want, level);
	sb_add(&want, ", ");
	format_sockopt_text(&want, level, optname, get);
	sb_add(&want, get ? ", NULL, NULL)" : ", NULL, 0)");
	snprintf(cmd, sizeof(cmd), "%ssockopt %d %d", get ? "get" : "set",
		 level, optname);
	case_add(c, cmd, &want);
	sb_free(&want);
}

TEST_TIMEOUT(strace_levels_and_options, 120)
{
	static const int levels[] = {
		2, 284, 1000, 0x10000, 0x7fffffff, (int)0x80000000,
	};
	static const int extra[] = {
		2048, 4096, 0x10000, 0x7fffffff, (int)0x80000000,
	};
	struct strace_case c;
	size_t i, k;
	int l, o;

	case_init(&c, PART_CALL);
	for (l = -1; l <= 300; l++) {
		add_sockopt(&c, l, 1, false);
		add_sockopt(&c, l, 1, true);
	}
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		add_sockopt(&c, levels[i], 1, false);
		add_sockopt(&c, levels[i], 1, true);
	}
	/* every option number of every level that has a name, and two
	 * that have none */
	for (l = -1; l <= 300; l++) {
		if (!sol_name(l) && l != 2 && l != 284)
			continue;
		for (o = -2; o <= 300; o++) {
			add_sockopt(&c, l, o, false);
			add_sockopt(&c, l, o, true);
		}
		for (k = 0; k < ARRAY_SIZE(extra); k++) {
			add_sockopt(&c, l, extra[k], false);
			add_sockopt(&c, l, extra[k], true);
		}
	}
	check_against_strace(&c);
	case_free(&c);
}

/* A call whose one decoded argument is a flags word. */
struct flags_call {
	const char *name, *before, *after;
	const struct name_entry *tab;
};

static const struct flags_call flag_calls[] = {
	{ "sendto", "sendto(-1, NULL, 0, ", ", NULL, 0)", msg_flag_names },
	{ "recvfrom", "recvfrom(-1, NULL, 0, ", ", NULL, NULL)",
	  msg_flag_names },
	{ "accept4", "accept4(-1, NULL, NULL, ", ")", sock_flag_names },
	{ "sendmsg", "sendmsg(-1, NULL, ", ")", msg_flag_names },
	{ "recvmsg", "recvmsg(-1, NULL, ", ")", msg_flag_names },
};

static void add_flags_call(struct strace_case *c,
			   const struct flags_call *call, unsigned int flags)
{
	struct strbuf want;
	char cmd[64];

	sb_init(&want);
	sb_add(&want, call->before);
	format_flags_text(&want, call->tab, flags, "0");
	sb_add(&want, call->after);
	snprintf(cmd, sizeof(cmd), "%s %d", call->name, (int)flags);
	case_add(c, cmd, &want);
	sb_free(&want);
}

static void add_shutdown(struct strace_case *c, int how)
{
	struct strbuf want;
	char cmd[64];

	sb_init(&want);
	sb_add(&want, "shutdown(-1, ");
	format_shut_text(&want, how);
	sb_addc(&want, ')');
	snprintf(cmd, sizeof(cmd), "shutdown %d", how);
	case_add(c, cmd, &want);
	sb_free(&want);
}

TEST_TIMEOUT(strace_flags_and_shutdown, 60)
{
	static const unsigned int extra[] = {
		0, 0x40 | 0x4000, 0x10000000, 0x2 | 0x10000000, 0x100000,
		0xffffffff, 0x80000000, 0x8000000, 0x40000000, 0x80800,
		0x80801, 0x1, 0x7fffffff,
	};
	struct strace_case c;
	unsigned int bit;
	size_t i, k;
	int how;

	case_init(&c, PART_CALL);
	for (k = 0; k < ARRAY_SIZE(flag_calls); k++) {
		for (bit = 0; bit < 32; bit++)
			add_flags_call(&c, &flag_calls[k], 1u << bit);
		for (i = 0; i < ARRAY_SIZE(extra); i++)
			add_flags_call(&c, &flag_calls[k], extra[i]);
	}
	for (how = -2; how <= 5; how++)
		add_shutdown(&c, how);
	add_shutdown(&c, 0x10000);
	add_shutdown(&c, 0x7fffffff);
	add_shutdown(&c, (int)0x80000000);
	check_against_strace(&c);
	case_free(&c);
}

TEST_TIMEOUT(strace_errnos, 60)
{
	struct strace_case c;
	struct strbuf want;
	char cmd[32];
	int err;

	case_init(&c, PART_RESULT);
	sb_init(&want);
	for (err = 1; err <= 4095; err++) {
		if (err > 600 && err < 4090 && err % 256)
			continue;
		sb_reset(&want);
		sb_add(&want, errno_is_restart(err) ? "? " : "-1 ");
		format_errno_text(&want, err);
		snprintf(cmd, sizeof(cmd), "errno %d", err);
		case_add(&c, cmd, &want);
	}
	sb_free(&want);
	check_against_strace(&c);
	case_free(&c);
}

/* --- whole calls, rendered, against strace ---------------------------- */

/*
 * The record the BPF side makes of one of the helper's calls: the
 * arguments as the registers held them; an address pointer with the
 * address's bytes, as read_addr_in captures them.
 */
struct helper_call {
	struct syscall_record r;
	__u8 payload[PAYLOAD_MAX];
};

static void helper_call_init(struct helper_call *x, unsigned int call,
			     const long *args, int nargs)
{
	memset(x, 0, sizeof(*x));
	x->r.hdr.kind = EVENT_SYSCALL;
	x->r.hdr.size = sizeof(x->r);
	x->r.call = call;
	x->r.ret = -EBADF;
	for (int i = 0; i < nargs; i++)
		x->r.args[i] = (__u64)args[i];
}

static void helper_call_addr(struct helper_call *x, const void *bytes,
			     size_t n, socklen_t len)
{
	x->r.addr_len = len;
	x->r.addr_captured = len < SOCKADDR_MAX ? len : SOCKADDR_MAX;
	memcpy(x->r.addr, bytes, n < SOCKADDR_MAX ? n : SOCKADDR_MAX);
	x->r.have |= HAVE_ADDR;
}

/* Our text of the call, from its name to its ')', as c->part wants it. */
static void add_rendered(struct strace_case *c, const char *cmd,
			 const struct helper_call *x)
{
	static const struct render_opts ro;
	struct strbuf line, want;
	char *call, *eq;

	sb_init(&line);
	sb_init(&want);
	render_syscall_text(&line, &x->r, &ro);
	call = strstr(line.buf, "] ") + 2;
	eq = strstr(call, " = ");
	*eq = '\0';
	sb_add(&want, c->part == PART_FAMILY ? value_after(call, "{") : call);
	case_add(c, cmd, &want);
	sb_free(&want);
	sb_free(&line);
}

/* "connect LEN HEX" for the helper, and its record. */
static void add_connect(struct strace_case *c, const void *addr, size_t n,
			int len)
{
	long args[] = { -1, (long)STRACE_CALLS_ADDR, (socklen_t)len };
	struct helper_call x;
	struct strbuf cmd;

	sb_init(&cmd);
	sb_addf(&cmd, "connect %d ", len);
	format_hex(&cmd, addr, n);
	helper_call_init(&x, CALL_CONNECT, args, 3);
	helper_call_addr(&x, addr, n, len);
	add_rendered(c, cmd.buf, &x);
	sb_free(&cmd);
}

/* The call with these arguments; the helper's command gives those from
 * index from on (the others are its fixed -1s and NULLs). */
static void add_rendered_args(struct strace_case *c, unsigned int call,
			      const long *args, int nargs, int from)
{
	struct helper_call x;
	char cmd[96];
	int n, i;

	n = snprintf(cmd, sizeof(cmd), "%s", call_name(call));
	for (i = from; i < nargs && (call != CALL_SOCKETPAIR || i < 3); i++)
		n += snprintf(cmd + n, sizeof(cmd) - n, " %ld", args[i]);
	helper_call_init(&x, call, args, nargs);
	add_rendered(c, cmd, &x);
}

/*
 * Calls as sockscope's text shows them, which must be strace's line
 * itself: buffers and msghdrs that are NULL, descriptors and backlogs of
 * any int.
 */
TEST_TIMEOUT(strace_null_pointers_and_ints, 60)
{
	static const int fds[] = { -1, -2, 999, 0x7fffffff, (int)0x80000000 };
	static const int backlogs[] = {
		-1, -2, 0, 5, 0x7fffffff, (int)0x80000000,
	};
	static const unsigned int flags[] = { 0, 0x40, 0x10000000 };
	struct strace_case c;
	size_t i, k;

	case_init(&c, PART_CALL);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		long io[] = { -1, 0, 0, flags[i], 0, 0 };
		long msg[] = { -1, 0, flags[i] };

		add_rendered_args(&c, CALL_SENDTO, io, 6, 3);
		add_rendered_args(&c, CALL_RECVFROM, io, 6, 3);
		add_rendered_args(&c, CALL_SENDMSG, msg, 3, 2);
		add_rendered_args(&c, CALL_RECVMSG, msg, 3, 2);
	}
	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		for (k = 0; k < ARRAY_SIZE(backlogs); k++) {
			long args[] = { fds[i], backlogs[k] };

			add_rendered_args(&c, CALL_LISTEN, args, 2, 0);
		}
	}
	check_against_strace(&c);
	case_free(&c);
}

/* socketpair's protocol: strace prints a plain unsigned number, for
 * every family. */
TEST_TIMEOUT(strace_socketpair_protocols, 60)
{
	static const int protocols[] = { 0, 6, 17, 3, -1, 0x7fffffff };
	struct strace_case c;
	size_t i;

	case_init(&c, PART_CALL);
	for (i = 0; i < ARRAY_SIZE(protocols); i++) {
		long inet[] = { AF_INET, SOCK_STREAM, protocols[i], 0 };
		long packet[] = { AF_PACKET, BAD_TYPE, protocols[i], 0 };
		long unix_77[] = { AF_UNIX, 77, protocols[i], 0 };

		add_rendered_args(&c, CALL_SOCKETPAIR, inet, 4, 0);
		add_rendered_args(&c, CALL_SOCKETPAIR, packet, 4, 0);
		add_rendered_args(&c, CALL_SOCKETPAIR, unix_77, 4, 0);
	}
	check_against_strace(&c);
	case_free(&c);
}

/* Addresses strace shows as their pointer: fewer than 2 bytes, or a
 * length negative as an int. */
TEST_TIMEOUT(strace_addresses_not_decoded, 60)
{
	static const int lens[] = { 0, 1, -1, -16, (int)0x80000000 };
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(8000) };
	struct strace_case c;
	size_t i;

	case_init(&c, PART_CALL);
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		add_connect(&c, &sin, sizeof(sin), lens[i]);
	add_connect(&c, &sin, 0, 0);
	check_against_strace(&c);
	case_free(&c);
}

/* An address's family as strace spells it, named or not ("0x2e <* AF_???
 * *>"), in addresses of the family alone and with bytes after it. */
TEST_TIMEOUT(strace_address_families, 60)
{
	static const int lens[] = { 2, 6, 16, 28, 110 };
	unsigned char addr[SOCKADDR_MAX];
	struct strace_case c;
	unsigned int f;
	size_t i;

	case_init(&c, PART_FAMILY);
	for (i = 0; i < sizeof(addr); i++)
		addr[i] = 'a' + i % 26;
	for (f = 0; f <= AF_MAX + 2; f++) {
		unsigned int family = f <= AF_MAX ? f :
				      f == AF_MAX + 1 ? 1234 : 0xffff;

		memcpy(addr, &(sa_family_t){ family }, sizeof(sa_family_t));
		for (i = 0; i < ARRAY_SIZE(lens); i++)
			add_connect(&c, addr, lens[i], lens[i]);
	}
	check_against_strace(&c);
	case_free(&c);
}

TEST_HARNESS_MAIN
