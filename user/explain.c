// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The teaching notes under each call and kernel event: what it asked of
 * the kernel and what the kernel decided, in the sockets article's terms.
 * Short on purpose: one or two sentences, never a wall of text.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "calls.h"
#include "explain.h"
#include "render.h"
#include "format.h"
#include "names.h"
#include "netns_sysctl.h"
#include "procnet.h"

#define MS(ns)		((double)(ns) / 1e6)

/* The kernel's restart codes (include/linux/errno.h), not in libc's. */
#define ERESTARTSYS	512
#define ERESTARTNOHAND	514
#define ERESTART_RESTARTBLOCK	516

const char *sock_kind(int family, int type, int protocol)
{
	if (family == AF_INET || family == AF_INET6) {
		/* Whatever its protocol: no port, no TCP or UDP of the
		 * kernel's, whole packets of that protocol. */
		if (type == SOCK_RAW)
			return "raw IP";
		if (protocol == IPPROTO_TCP ||
		    (protocol == 0 && type == SOCK_STREAM))
			return "TCP";
		if (protocol == IPPROTO_UDP ||
		    (protocol == 0 && type == SOCK_DGRAM))
			return "UDP";
		if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6)
			return "ICMP";
		return "IP";
	}
	if (family == AF_UNIX) {
		if (type == SOCK_STREAM)
			return "Unix stream";
		/* unix_create() makes SOCK_RAW a SOCK_DGRAM socket. */
		if (type == SOCK_DGRAM || type == SOCK_RAW)
			return "Unix datagram";
		return "Unix seqpacket";
	}
	if (family == AF_NETLINK)
		return "netlink";
	if (family == AF_PACKET)
		return "packet";
	return "socket";
}

void format_endpoint(struct strbuf *sb, int family, const __u8 *addr,
		     unsigned int port)
{
	if (family != AF_INET && family != AF_INET6) {
		sb_add(sb, "?");
		return;
	}
	if (family == AF_INET6)
		sb_addc(sb, '[');
	format_ip(sb, family, addr);
	sb_add(sb, family == AF_INET6 ? "]:" : ":");
	sb_addu(sb, port);
}

/*
 * The notes are written piece by piece rather than with sb_addf: the
 * reader makes one for every record, and printf's machinery was most of
 * its cost. These add the pieces most of them share.
 */

/* "fd 3" */
static void say_fd(struct strbuf *sb, long long fd)
{
	sb_add(sb, "fd ");
	sb_addi(sb, fd);
}

/* "1 byte", "6 bytes" */
static void say_bytes(struct strbuf *sb, long long n)
{
	sb_addi(sb, n);
	sb_add(sb, n == 1 ? " byte" : " bytes");
}

/* "UDP port 8000" */
static void say_port(struct strbuf *sb, const char *kind, unsigned int port)
{
	sb_add(sb, kind);
	sb_add(sb, " port ");
	sb_addu(sb, port);
}

static bool is_inet(const struct sock_entry *e)
{
	return e && e->info_valid &&
	       (e->info.family == AF_INET || e->info.family == AF_INET6);
}

static const char *kind_of(const struct sock_entry *e)
{
	if (!e)
		return "socket";
	return sock_kind(e->family, e->type, e->protocol);
}

static bool is_tcp(const struct sock_entry *e)
{
	return !strcmp(kind_of(e), "TCP");
}

static void local_of(struct strbuf *sb, const struct sock_entry *e)
{
	format_endpoint(sb, e->info.family, e->info.saddr, e->info.sport);
}

static void peer_of(struct strbuf *sb, const struct sock_entry *e)
{
	format_endpoint(sb, e->info.family, e->info.daddr, e->info.dport);
}

static bool addr_is_any(const struct sock_entry *e)
{
	static const __u8 zero[16];

	return !memcmp(e->info.saddr, zero,
		       e->info.family == AF_INET ? 4 : 16);
}

/* IPv4-mapped IPv6 (::ffff:a.b.c.d): an IPv4 peer on an IPv6 socket. */
static bool peer_is_v4_mapped(const struct sock_entry *e)
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return e->info.family == AF_INET6 &&
	       !memcmp(e->info.daddr, prefix, sizeof(prefix));
}

static __u64 call_ns(const struct syscall_record *r)
{
	return r->hdr.ts_ns - r->enter_ns;
}

bool explain_common_error(struct strbuf *sb, int err, int fd)
{
	switch (err) {
	case EBADF:
		if (fd < 0) {
			sb_add(sb, "a descriptor is not open");
			return true;
		}
		say_fd(sb, fd);
		sb_add(sb, " is not an open descriptor");
		return true;
	case ENOTSOCK:
		say_fd(sb, fd);
		sb_add(sb, " is open, but not a socket");
		return true;
	case EFAULT:
		sb_add(sb, "a pointer argument points outside the program's memory");
		return true;
	case EINTR:
		sb_add(sb, "a signal interrupted the call before it finished");
		return true;
	/* The kernel's own codes, seen at syscall exit: the signal is then
	 * handled, and the program sees EINTR or the call runs again. */
	case ERESTARTSYS:
		sb_add(sb, "a signal came while the call waited: after its handler the program gets EINTR, or the call runs again if the handler has SA_RESTART");
		return true;
	case ERESTARTNOHAND:
	case ERESTART_RESTARTBLOCK:
		sb_add(sb, "a signal came while the call waited: the program gets EINTR if a handler ran, else the call runs again");
		return true;
	case EAGAIN:
		sb_add(sb, "nothing ready yet, and the call may not wait (a non-blocking socket, MSG_DONTWAIT, or a timeout ran out): try again later; poll() says when");
		return true;
	case EPIPE:
		sb_add(sb, "this side cannot send: the socket is shut down for writing, the connection is over (the peer closed it, then reset it), or a TCP socket never connected");
		return true;
	case ECONNRESET:
		sb_add(sb, "the peer reset the connection (it sent RST): for example it closed the socket with data it had not read, or aborted it (SO_LINGER 0)");
		return true;
	case ENOTCONN:
		sb_add(sb, "the socket is not connected: it has no peer yet, or its connection is over (connect() gives it one; a TCP server gets connected sockets from accept())");
		return true;
	}
	return false;
}

/* What a raw IP socket of protocol proto gets and sends (raw_v4_input(),
 * rawv6_rcv(): a copy of each arriving packet of its protocol). */
static void say_raw(struct strbuf *sb, int family, int proto)
{
	const char *name = protocol_name(family, proto);

	if (proto == IPPROTO_RAW) {
		sb_add(sb, " (SOCK_RAW, IPPROTO_RAW: it only sends, and writes each packet's IP header itself)");
		return;
	}
	sb_add(sb, " (SOCK_RAW: no port; it gets a copy of each arriving ");
	sb_add(sb, name ? name : "packet of its protocol");
	sb_add(sb, name ? " packet" : "");
	sb_add(sb, ", and writes that protocol's header itself when it sends)");
}

static void explain_socket(struct strbuf *sb, const struct syscall_record *r,
			   const struct sock_entry *e)
{
	int family = (int)r->args[0], type = (int)r->args[1] & 0xf;
	int proto = (int)r->args[2];
	const char *kind;

	if (r->ret < 0) {
		if (-r->ret == EAFNOSUPPORT)
			sb_add(sb, "this kernel has no such address family");
		else if (-r->ret == EPROTONOSUPPORT)
			sb_add(sb, "this family has no such protocol for this socket type");
		else if (-r->ret == EINVAL)
			sb_add(sb, "unknown socket type or flags, or a protocol number out of range");
		else if (-r->ret == ESOCKTNOSUPPORT)
			sb_add(sb, "this family has no sockets of this type");
		else
			explain_common_error(sb, (int)-r->ret, -1);
		return;
	}
	if (e && e->info_valid)
		proto = e->info.protocol;
	kind = sock_kind(family, type, proto);
	say_fd(sb, r->ret);
	sb_add(sb, " is a new ");
	sb_add(sb, kind);
	sb_add(sb, " socket");
	if (!strcmp(kind, "TCP"))
		sb_add(sb, " (SOCK_STREAM: a connection-oriented, reliable, ordered byte stream)");
	else if (!strcmp(kind, "UDP"))
		sb_add(sb, " (SOCK_DGRAM: separate datagrams, connectionless, no delivery or order guarantee)");
	else if (!strcmp(kind, "raw IP"))
		say_raw(sb, family, proto);
	else if (family == AF_UNIX)
		sb_add(sb, " (local to this machine: named by a path, or by an abstract name, not by an IP address and port)");
	if (family == AF_UNIX && type == SOCK_RAW)
		sb_add(sb, "; the kernel made this SOCK_RAW a SOCK_DGRAM socket");
	if ((int)r->args[2] == 0 && (family == AF_INET || family == AF_INET6) &&
	    e && e->info_valid) {
		const char *name = protocol_name(family, proto);

		sb_add(sb, "; protocol 0 let the kernel choose ");
		sb_add(sb, name ? name : "its default");
	}
	if (family == AF_INET6)
		sb_add(sb, "; IPv6");
}

/* " from net.ipv4.ip_local_port_range, 32768-60999", as the process's
 * namespace has it (nothing when it cannot be read). */
static void say_port_range(struct strbuf *sb, const struct sock_entry *e,
			   pid_t pid)
{
	unsigned int lo, hi;

	if (!netns_port_range(e->info.netns, pid, &lo, &hi))
		return;
	sb_add(sb, " from net.ipv4.ip_local_port_range, ");
	sb_addu(sb, lo);
	sb_addc(sb, '-');
	sb_addu(sb, hi);
}

/* The port in the sockaddr the call was given (bind, connect), if its
 * first 4 bytes were captured. */
static bool asked_port(const struct syscall_record *r, unsigned int *port)
{
	if (!(r->have & HAVE_ADDR) || r->addr_captured < 4)
		return false;
	*port = r->addr[2] << 8 | r->addr[3];
	return true;
}

/* bind()'s EACCES: for an IP port, the namespace's privileged ports
 * (inet_port_requires_bind_service()); for a path, its directories. */
static void explain_bind_eacces(struct strbuf *sb,
				const struct syscall_record *r)
{
	unsigned int port = 0, start;
	int family = -1;

	if (asked_port(r, &port))
		family = r->addr[0] | r->addr[1] << 8;
	if (family == AF_UNIX) {
		sb_add(sb, "permission denied on the path: a directory on it may not be searched, or the last one not written to");
		return;
	}
	if ((family == AF_INET || family == AF_INET6) &&
	    r->sock.valid &&
	    netns_unprivileged_port_start(r->sock.netns, r->hdr.pid, &start)) {
		if (port && port < start) {
			sb_add(sb, "port ");
			sb_addu(sb, port);
			sb_add(sb, " is below net.ipv4.ip_unprivileged_port_start (");
			sb_addu(sb, start);
			sb_add(sb, "): binding it needs CAP_NET_BIND_SERVICE, which root has");
			return;
		}
		sb_add(sb, "permission denied, though the port is not privileged (net.ipv4.ip_unprivileged_port_start is ");
		sb_addu(sb, start);
		sb_add(sb, "): a security policy refused it (an LSM such as SELinux or AppArmor, or a cgroup's BPF program that chose EACCES)");
		return;
	}
	sb_add(sb, "permission denied: a privileged port (below net.ipv4.ip_unprivileged_port_start) needs CAP_NET_BIND_SERVICE");
}

/* A ping socket's "port" is the id of its echo requests; ping_get_port()
 * lets another ping socket take the same one, and picks it from the
 * whole 16-bit range, not ip_local_port_range. */
static void explain_bind_ping(struct strbuf *sb,
			      const struct syscall_record *r,
			      const struct sock_entry *e, int fd)
{
	unsigned int port;

	say_fd(sb, fd);
	sb_add(sb, " (ICMP) is bound to ");
	local_of(sb, e);
	sb_add(sb, ": its echo requests carry ICMP id ");
	sb_addu(sb, e->info.sport);
	sb_add(sb, ", which another ping socket can bind too");
	if (asked_port(r, &port) && !port) {
		sb_add(sb, "; id 0 asked the kernel to choose: it chose ");
		sb_addu(sb, e->info.sport);
	}
}

static void explain_bind(struct strbuf *sb, const struct syscall_record *r,
			 struct sock_entry *e)
{
	int fd = (int)r->args[0];
	unsigned int port;

	if (r->ret < 0) {
		int err = (int)-r->ret;

		if (err == EADDRINUSE)
			sb_add(sb, "that address and port are taken: another socket is bound there (see SO_REUSEADDR)");
		else if (err == EACCES)
			explain_bind_eacces(sb, r);
		else if (err == EPERM && is_inet(e))
			sb_add(sb, "a security policy refused it: a cgroup's BPF program (it refuses with EPERM unless it chose another error), or an LSM");
		else if (err == EINVAL)
			sb_add(sb, "the socket is already bound (connect() or a first send binds it too), the address length is wrong, or an IPv6 link-local address names no interface (scope id)");
		else if (err == EADDRNOTAVAIL)
			sb_add(sb, "no interface of this host has that address");
		else
			explain_common_error(sb, err, fd);
		return;
	}
	if (!is_inet(e)) {
		say_fd(sb, fd);
		sb_add(sb, " now has a name others can reach it by");
		return;
	}
	if (!strcmp(kind_of(e), "ICMP")) {
		explain_bind_ping(sb, r, e, fd);
		return;
	}
	say_fd(sb, fd);
	sb_add(sb, " (");
	sb_add(sb, kind_of(e));
	sb_add(sb, ") now owns ");
	local_of(sb, e);
	sb_add(sb, ": the IP address names the host, ");
	say_port(sb, kind_of(e), e->info.sport);
	sb_add(sb, " names this process");
	if (addr_is_any(e))
		sb_add(sb, "; the any-address means every address of this host");
	if (asked_port(r, &port) && !port) {
		sb_add(sb, "; port 0 asked the kernel to choose: it chose ");
		sb_addu(sb, e->info.sport);
		say_port_range(sb, e, r->hdr.pid);
	}
}

static void explain_listen(struct strbuf *sb, const struct syscall_record *r,
			   struct sock_entry *e)
{
	int backlog = (int)r->args[1];

	if (r->ret < 0) {
		if (-r->ret == EOPNOTSUPP)
			sb_add(sb, "only connection-oriented sockets (TCP, Unix stream) listen; datagram sockets (UDP, Unix datagram) just receive");
		else
			explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	say_fd(sb, (int)r->args[0]);
	sb_add(sb, " now listens");
	if (is_inet(e)) {
		sb_add(sb, " on ");
		local_of(sb, e);
	}
	sb_add(sb, ": the kernel completes handshakes by itself and queues the connections for accept()");
	/* sk_acceptq_is_full(): more than sk_max_ack_backlog waiting. */
	if (e && e->info_valid) {
		sb_add(sb, "; up to ");
		sb_addu(sb, e->info.backlog + 1);
		sb_add(sb, " may wait: the queue is full only when it holds more than ");
		sb_addu(sb, e->info.backlog);
		if (backlog > 0 && e->info.backlog < (unsigned int)backlog) {
			sb_add(sb, " (backlog ");
			sb_addi(sb, backlog);
			sb_add(sb, " clamped to net.core.somaxconn)");
		}
	}
}

static void explain_accept(struct strbuf *sb, const struct syscall_record *r,
			   struct sock_entry *e)
{
	if (r->ret < 0) {
		if (-r->ret == EAGAIN)
			sb_add(sb, "no connection is waiting, and the listening socket is non-blocking, or its receive timeout (SO_RCVTIMEO) ran out");
		else if (-r->ret == EINVAL)
			sb_add(sb, "the socket is not listening (call listen() first), or accept4() was given unknown flags");
		else
			explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	sb_add(sb, "a new connection");
	if (is_inet(e)) {
		sb_add(sb, " from ");
		peer_of(sb, e);
	}
	sb_add(sb, ": ");
	say_fd(sb, r->ret);
	sb_add(sb, " is a new socket for this one conversation; ");
	say_fd(sb, (int)r->args[0]);
	sb_add(sb, " keeps listening");
	if (is_inet(e) && peer_is_v4_mapped(e))
		sb_add(sb, "; an IPv4 client on an IPv6 socket shows as ::ffff:a.b.c.d");
	if (call_ns(r) > WAITED_NS)
		sb_addf(sb, "; accept waited %.3f s for it", MS(call_ns(r)) / 1e3);
}

static bool chose_local_port(const struct sock_entry *e,
			     const struct sock_entry *before)
{
	return is_inet(e) && e->info.sport &&
	       (!before || !before->info_valid || !before->info.sport);
}

static void explain_connect(struct strbuf *sb, const struct syscall_record *r,
			    struct sock_entry *e,
			    const struct sock_entry *before)
{
	int err = r->ret < 0 ? (int)-r->ret : 0;

	if (err == ECONNREFUSED && e && e->family == AF_UNIX) {
		sb_add(sb, "nobody listens on that path: the socket file is there, but no socket listens on it");
		return;
	}
	if (err == ECONNREFUSED) {
		if (e && e->last_reset_ns && e->last_reset_ns <= r->hdr.ts_ns)
			sb_add(sb, "nobody listens there: the peer's kernel answered the SYN with a reset (RST), the reset received just above");
		else
			sb_add(sb, "refused: the peer's kernel answered the SYN with a reset (RST), or a router said the port is unreachable (ICMP)");
		return;
	}
	if (err == EINPROGRESS) {
		sb_add(sb, "non-blocking: the handshake goes on without waiting; poll() for writing, then read SO_ERROR");
		return;
	}
	if (err == ETIMEDOUT) {
		sb_add(sb, "no answer to the SYN, even after retransmits");
		return;
	}
	/* fib_props[]: no route is ENETUNREACH, an unreachable route
	 * EHOSTUNREACH; icmp_err_convert[]: so are ICMP host unreachable
	 * and administratively prohibited, which abort a SYN_SENT socket. */
	if (err == ENETUNREACH) {
		sb_add(sb, "no route to that address: the routing table has none for it");
		return;
	}
	if (err == EHOSTUNREACH) {
		sb_add(sb, "that host cannot be reached: a route marks it unreachable, or a router said so (ICMP)");
		return;
	}
	/* fib_props[]: a prohibit route is EACCES; ip4_datagram_connect():
	 * a broadcast address without SO_BROADCAST. */
	if (err == EACCES && is_inet(e)) {
		sb_add(sb, "not allowed: a route prohibits that address, it is a broadcast address and SO_BROADCAST is off, or a security policy refused it");
		return;
	}
	if (err) {
		explain_common_error(sb, err, (int)r->args[0]);
		return;
	}
	if (!is_inet(e)) {
		sb_add(sb, "connected");
		return;
	}
	if (is_tcp(e)) {
		sb_add(sb, "TCP three-way handshake with ");
		peer_of(sb, e);
		sb_add(sb, " done (SYN, SYN-ACK, ACK): a connection");
	} else {
		sb_add(sb, "UDP connect sends nothing: it only fixes the peer to ");
		peer_of(sb, e);
	}
	if (chose_local_port(e, before)) {
		sb_add(sb, "; the kernel chose this end: ");
		local_of(sb, e);
		sb_add(sb, " (an ephemeral port");
		say_port_range(sb, e, r->hdr.pid);
		sb_add(sb, ", as the socket was not bound)");
	}
}

static void explain_send(struct strbuf *sb, const struct syscall_record *r,
			 struct sock_entry *e, const struct sock_entry *before)
{
	if (r->ret < 0) {
		if (-r->ret == EMSGSIZE)
			sb_add(sb, "too big for one datagram");
		else if (-r->ret == EAGAIN)
			sb_add(sb, "the socket's send buffer is full and the call may not wait (non-blocking, or MSG_DONTWAIT): the receiver has not caught up; poll() says when there is room");
		else if (-r->ret == EDESTADDRREQ)
			sb_add(sb, "no destination: give an address, or connect() first");
		else if (-r->ret == ECONNREFUSED)
			sb_add(sb, "an earlier datagram was refused: the peer's port is closed (ICMP port unreachable)");
		else
			explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	if (is_tcp(e)) {
		say_bytes(sb, r->ret);
		sb_add(sb, " into the TCP stream: the kernel delivers them in order and resends what is lost");
	} else if (e && !strcmp(kind_of(e), "UDP")) {
		sb_add(sb, "one datagram of ");
		say_bytes(sb, r->ret);
		sb_add(sb, ": it arrives whole or not at all");
	} else {
		say_bytes(sb, r->ret);
		sb_add(sb, " sent");
	}
	if (chose_local_port(e, before)) {
		sb_add(sb, "; this first send bound the socket: the kernel chose ");
		local_of(sb, e);
		sb_add(sb, " (an ephemeral port");
		say_port_range(sb, e, r->hdr.pid);
		sb_addc(sb, ')');
	}
}

/*
 * A datagram received. Whole when the buffer had room to spare, or when
 * MSG_TRUNC says its real size (recvfrom's flag: the size is returned;
 * recvmsg's msg_flags: it was cut); a datagram that filled the buffer
 * exactly, with neither, may have been longer.
 */
static void explain_datagram(struct strbuf *sb, const struct syscall_record *r,
			     __u64 len, bool trunc, bool flat)
{
	__u64 got = (__u64)r->ret;

	if (flat && trunc && got > len) {
		sb_add(sb, "one datagram of ");
		say_bytes(sb, got);
		sb_add(sb, ", larger than the ");
		sb_addu(sb, len);
		sb_add(sb, "-byte buffer: the rest was cut off (MSG_TRUNC gives the real size)");
	} else if (!flat && trunc) {
		sb_add(sb, "a datagram cut to the ");
		say_bytes(sb, got);
		sb_add(sb, " the buffers hold: the rest is lost (msg_flags has MSG_TRUNC)");
	} else if (got < len || (flat && trunc) ||
		   (r->call == CALL_RECVMSG && (r->have & HAVE_MSG))) {
		sb_add(sb, "one whole datagram of ");
		say_bytes(sb, got);
	} else {
		sb_add(sb, "a datagram of ");
		say_bytes(sb, got);
		sb_add(sb, ", as many as the buffer holds: a longer one would have been cut to this (MSG_TRUNC would tell)");
	}
}

static void explain_recv(struct strbuf *sb, const struct syscall_record *r,
			 struct sock_entry *e)
{
	bool flat = r->call == CALL_RECVFROM || r->call == CALL_READ;
	__u64 len = flat ? r->args[2] : r->msg_len;
	bool trunc = r->call == CALL_RECVFROM ? (r->args[3] & MSG_TRUNC) :
		     r->call == CALL_RECVMSG ? (r->msg_flags & MSG_TRUNC) : 0;

	if (r->ret < 0) {
		if (-r->ret == ECONNREFUSED)
			sb_add(sb, "a datagram sent earlier was refused: nobody listens on the peer's port (ICMP port unreachable)");
		else
			explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		if (-r->ret == EAGAIN && call_ns(r) > WAITED_NS)
			sb_addf(sb, "; it waited %.3f s first (SO_RCVTIMEO)",
				MS(call_ns(r)) / 1e3);
		return;
	}
	/* ip_recv_error(): a copy of what was sent, the error in a cmsg. */
	if (r->call == CALL_RECVMSG && (r->args[2] & MSG_ERRQUEUE)) {
		sb_add(sb, "an error report from the error queue (MSG_ERRQUEUE): the error is in the control messages, and the data (");
		say_bytes(sb, r->ret);
		sb_add(sb, ") is a copy of what this socket sent that it is about");
		return;
	}
	if (is_tcp(e)) {
		if (r->ret == 0 && !len) {
			sb_add(sb, "a receive of 0 bytes returns 0: it says nothing of the stream");
		} else if (r->ret == 0 && e->read_shut) {
			sb_add(sb, "0 bytes: this socket was shut down for reading (shutdown()), and nothing was queued");
		} else if (r->ret == 0) {
			sb_add(sb, "0 bytes: the peer closed its side (end of the stream)");
		} else {
			say_bytes(sb, r->ret);
			sb_add(sb, " from the stream: TCP keeps the order of bytes, not message boundaries");
		}
	} else if (e && !strcmp(kind_of(e), "UDP") && r->ret == 0 &&
		   e->read_shut) {
		sb_add(sb, "0 bytes: this socket was shut down for reading (shutdown()): with nothing queued a receive returns 0, as a queued datagram of 0 bytes would");
	} else if (e && !strcmp(kind_of(e), "UDP")) {
		explain_datagram(sb, r, len, trunc, flat);
	} else {
		say_bytes(sb, r->ret);
		sb_add(sb, " received");
	}
	if (call_ns(r) > WAITED_NS)
		sb_addf(sb, "; it waited %.3f s for data", MS(call_ns(r)) / 1e3);
}

/* What a file-style call is, on a socket, in the socket calls' terms. */
static void explain_file_style(struct strbuf *sb,
			       const struct syscall_record *r)
{
	static const char *const same[CALL_MAX] = {
		[CALL_WRITE] = "write() is send() with no flags",
		[CALL_READ] = "read() is recv() with no flags",
		[CALL_WRITEV] = "writev() is sendmsg() with these buffers and no address or flags",
		[CALL_READV] = "readv() is recvmsg() with these buffers and no flags",
	};

	if (r->ret < 0 || !same[r->call])
		return;
	sb_add(sb, sb->len ? "; for a socket, " : "for a socket, ");
	sb_add(sb, same[r->call]);
}

/*
 * sendfile and splice: bytes moved between a socket and another file
 * inside the kernel, never copied through the program's memory.
 */
static void explain_kernel_copy(struct strbuf *sb,
				const struct syscall_record *r,
				struct sock_entry *e)
{
	bool out = call_sends(r);
	int other = (int)r->args[r->call == CALL_SENDFILE ? (out ? 1 : 0) :
					 (out ? 0 : 2)];

	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, call_socket_fd(r));
		return;
	}
	if (!(r->have & HAVE_AUX0))
		return;
	if (r->ret == 0 && !r->args[r->call == CALL_SENDFILE ? 3 : 4]) {
		sb_add(sb, "a move of 0 bytes returns 0: it says nothing of what is left");
		return;
	}
	if (r->ret == 0) {
		sb_add(sb, "0 bytes: nothing was left to move");
		return;
	}
	/* One end of a splice is always a pipe. */
	const char *other_kind = r->call == CALL_SPLICE ? "the pipe " : "";

	say_bytes(sb, r->ret);
	sb_add(sb, " from ");
	if (out) {
		sb_add(sb, other_kind);
		say_fd(sb, other);
		sb_add(sb, " into the ");
		sb_add(sb, kind_of(e));
		sb_add(sb, " socket");
	} else {
		sb_add(sb, "the ");
		sb_add(sb, kind_of(e));
		sb_add(sb, " socket into ");
		sb_add(sb, other_kind);
		say_fd(sb, other);
	}
	sb_add(sb, ", moved inside the kernel: the bytes never pass through the program's memory");
}

/* sendmmsg/recvmmsg: many messages in one call. */
static void explain_mmsg(struct strbuf *sb, const struct syscall_record *r,
			 struct sock_entry *e)
{
	bool send = r->call == CALL_SENDMMSG;
	bool dgram = e && !strcmp(kind_of(e), "UDP");

	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	sb_addi(sb, r->ret);
	sb_add(sb, dgram ? (r->ret == 1 ? " datagram" : " datagrams") :
		   (r->ret == 1 ? " message" : " messages"));
	sb_addf(sb, " (%llu bytes) %s in one call: each is what one %s would %s, batched to save system calls",
		record_mmsg_bytes(r), send ? "sent" : "received",
		send ? "sendmsg()" : "recvmsg()", send ? "send" : "receive");
	if (!send && call_ns(r) > WAITED_NS)
		sb_addf(sb, "; it waited %.3f s for data", MS(call_ns(r)) / 1e3);
}

/* SHUT_WR on a datagram socket whose protocol has no FIN to send. */
static void say_shut_wr_untold(struct strbuf *sb, const char *kind)
{
	sb_add(sb, "no more sending: a send now fails with EPIPE, and the peer is not told (");
	sb_add(sb, kind);
	sb_add(sb, " has no FIN)");
}

/* shutdown(): TCP and UDP shut a direction down in this socket only
 * (only TCP's SHUT_WR tells the peer, with FIN); a UNIX stream's peer is
 * told of either. */
static void explain_shutdown(struct strbuf *sb,
			     const struct syscall_record *r,
			     const struct sock_entry *e)
{
	const char *kind = e ? kind_of(e) : "socket";
	bool inet = is_inet(e);

	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	switch ((int)r->args[1]) {
	case SHUT_RD:
		/* udp_recvmsg(): a non-blocking receive finds no data and
		 * fails before it looks at the shutdown. */
		if (inet && !strcmp(kind, "UDP"))
			sb_add(sb, "reading is shut down in this socket only: what is queued can still be read, a blocking receive with nothing queued returns 0 at once (a non-blocking one fails with EAGAIN), and the peer, not told, may still send");
		else if (inet)
			sb_add(sb, "reading is shut down in this socket only: what is queued can still be read, a receive with nothing queued returns 0 at once, and the peer, not told, may still send");
		else if (!strcmp(kind, "Unix stream") ||
			 !strcmp(kind, "Unix seqpacket"))
			sb_add(sb, "reading is shut down: what is queued can still be read, then a receive returns 0, and the peer is told: its sends fail with EPIPE");
		else if (!strcmp(kind, "Unix datagram"))
			sb_add(sb, "reading is shut down: what is queued can still be read, then a blocking receive returns 0 at once (a non-blocking one fails with EAGAIN), and a peer's sends to it fail with EPIPE");
		else
			sb_add(sb, "reading is shut down on this socket: what a receive then does depends on the protocol");
		break;
	case SHUT_WR:
		if (!strcmp(kind, "TCP"))
			sb_add(sb, "no more sending: the kernel sends FIN, and the peer reads end of stream; receiving still works");
		else if (!strcmp(kind, "UDP") || !strcmp(kind, "ICMP"))
			say_shut_wr_untold(sb, kind);
		else if (!strcmp(kind, "Unix stream") ||
			 !strcmp(kind, "Unix seqpacket"))
			sb_add(sb, "no more sending: a send now fails with EPIPE, and the peer reads end of stream; receiving still works");
		else if (!strcmp(kind, "Unix datagram"))
			sb_add(sb, "no more sending: a send now fails with EPIPE, and the peer is not told; receiving still works");
		else if (!strcmp(kind, "raw IP"))
			/* raw_sendmsg() builds its packet without
			 * sock_alloc_send_skb(), which checks SEND_SHUTDOWN;
			 * only IP_HDRINCL sends go through it. */
			sb_add(sb, "sending is marked shut down, but the kernel still sends what this raw socket sends (unless it writes its own IP header: then EPIPE); the peer is not told");
		else
			sb_add(sb, "sending is shut down on this socket: what a send and the peer then see depends on the protocol");
		break;
	case SHUT_RDWR:
		/* tcp_rcv_state_process(): data after RCV_SHUTDOWN in
		 * FIN_WAIT1/2 is TCPAbortOnData, a reset; UDP queues on. */
		if (!strcmp(kind, "TCP"))
			sb_add(sb, "no more sending or receiving: the kernel sends FIN and a send fails with EPIPE; what is queued can still be read, then a receive returns 0, and data the peer sends later gets a reset (RST)");
		else if (!strcmp(kind, "UDP"))
			sb_add(sb, "no more sending: a send fails with EPIPE, and the peer is not told (UDP has no FIN); datagrams queued or still arriving can be read");
		else
			sb_add(sb, "no more sending or receiving: what is queued can still be read, then a receive returns 0, and the peer's sends fail with EPIPE");
		sb_add(sb, "; the descriptor stays open until close()");
		break;
	}
}

static void explain_sockname(struct strbuf *sb,
			     const struct syscall_record *r,
			     struct sock_entry *e)
{
	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		return;
	}
	if (!is_inet(e))
		return;
	if (r->call == CALL_GETSOCKNAME) {
		sb_add(sb, "the kernel says ");
		say_fd(sb, (int)r->args[0]);
		sb_add(sb, " is bound to ");
		local_of(sb, e);
	} else {
		say_fd(sb, (int)r->args[0]);
		sb_add(sb, " is connected to ");
		peer_of(sb, e);
	}
}

static void explain_sockopt(struct strbuf *sb,
			    const struct syscall_record *r,
			    const struct sock_entry *e)
{
	int level = (int)r->args[1], opt = (int)r->args[2];

	if (r->ret < 0) {
		if (-r->ret == ENOPROTOOPT) {
			sb_add(sb, "no such option at this level");
			if (e) {
				sb_add(sb, " for a ");
				sb_add(sb, kind_of(e));
				sb_add(sb, " socket");
			}
		} else {
			explain_common_error(sb, (int)-r->ret, (int)r->args[0]);
		}
		return;
	}
	if (r->call != CALL_SETSOCKOPT)
		return;
	/* A flag option set to 0 turns it off: say so, not what it does. */
	if ((r->have & HAVE_OPTVAL) && r->addr_captured >= 4 &&
	    r->args[4] == 4 && !(r->addr[0] | r->addr[1] | r->addr[2] |
				 r->addr[3]) &&
	    ((level == SOL_SOCKET && opt == SO_REUSEADDR) ||
	     (level == IPPROTO_TCP && opt == 1) ||
	     (level == IPPROTO_IP && opt == 11))) {
		sb_add(sb, "0: the option is off");
		return;
	}
	if (level == IPPROTO_IPV6 && opt == 26 && (r->have & HAVE_OPTVAL) &&
	    r->addr_captured >= 4 && r->args[4] == 4 &&
	    !(r->addr[0] | r->addr[1] | r->addr[2] | r->addr[3])) {
		sb_add(sb, "IPV6_V6ONLY 0: this IPv6 socket takes IPv4 connections too (their addresses show as ::ffff:a.b.c.d)");
		return;
	}
	/* inet_csk_bind_conflict() and udp_lib_lport_inuse(). */
	if (level == SOL_SOCKET && opt == SO_REUSEADDR && e &&
	    !strcmp(kind_of(e), "UDP"))
		sb_add(sb, "SO_REUSEADDR: other UDP sockets that set it too may bind this same address and port");
	else if (level == SOL_SOCKET && opt == SO_REUSEADDR)
		sb_add(sb, "SO_REUSEADDR: bind() may take a port that earlier connections still hold in TIME_WAIT, if they had it set too (an accepted socket has its listener's); a port a socket listens on stays taken");
	else if (level == SOL_SOCKET && (opt == SO_RCVTIMEO || opt == 66))
		sb_add(sb, "a receive timeout: a receive that waits longer fails with EAGAIN");
	else if (level == SOL_SOCKET && opt == SO_RCVBUF)
		sb_add(sb, "the receive buffer size: the kernel keeps twice the value, for its bookkeeping (getsockopt reads that back); a value over net.core.rmem_max counts as that, and it never keeps less than SOCK_MIN_RCVBUF (a few KiB)");
	else if (level == IPPROTO_TCP && opt == 1)
		sb_add(sb, "TCP_NODELAY: small writes go out at once (no Nagle delay)");
	else if (level == IPPROTO_IP && opt == 11)
		sb_add(sb, "IP_RECVERR: ICMP errors (such as port unreachable) are reported to this socket");
	else if (level == IPPROTO_IPV6 && opt == 26)
		sb_add(sb, "IPV6_V6ONLY: this IPv6 socket does not take IPv4 connections");
}

static void explain_close(struct strbuf *sb, const struct syscall_record *r,
			  struct sock_entry *e)
{
	int fd = (int)r->args[0];

	if (r->ret < 0) {
		explain_common_error(sb, (int)-r->ret, fd);
		return;
	}
	say_fd(sb, fd);
	sb_add(sb, " closed");
	if (r->sock.valid && r->sock.other_refs) {
		sb_add(sb, ", but not its socket: another descriptor (from dup() or fork()) still refers to it");
		return;
	}
	if (e && e->listening) {
		sb_add(sb, ": no new connections on this port");
		return;
	}
	if (is_tcp(e) && r->sock.valid &&
	    (r->sock.state == TCP_ESTABLISHED ||
	     r->sock.state == TCP_CLOSE_WAIT)) {
		sb_add(sb, ": the kernel sends FIN (RST instead, when data came that the program never read) and finishes the connection on its own, whatever the program does next");
		return;
	}
	/* Only UDP: a ping socket's echo id is not held for it alone (a
	 * second one binds the same id), and a raw socket has no port. */
	if (is_inet(e) && !strcmp(kind_of(e), "UDP") && e->info.sport) {
		sb_add(sb, ": ");
		say_port(sb, kind_of(e), e->info.sport);
		sb_add(sb, " is free again");
	}
}

void explain_call(struct strbuf *sb, const struct syscall_record *r,
		  const struct sock_entry *ce, const struct sock_entry *before)
{
	struct sock_entry *e = (struct sock_entry *)ce;

	/* The kernel fails with -1..-4095; a record with less (made up, or
	 * replayed from a file) gets no note: every -r->ret below is safe. */
	if (r->ret < -4095)
		return;
	if (r->sock.valid)
		netns_sysctl_seen(r->sock.netns, r->hdr.pid);
	if (r->have & RESUMED) {
		sb_add(sb, "this call began before tracing did, so its arguments were not seen");
		if ((r->call == CALL_ACCEPT || r->call == CALL_ACCEPT4) &&
		    r->ret >= 0) {
			sb_add(sb, "; it returned ");
			say_fd(sb, r->ret);
			sb_add(sb, ", a new socket for the connection");
			if (is_inet(e)) {
				sb_add(sb, " from ");
				peer_of(sb, e);
			}
		}
		return;
	}
	switch (r->call) {
	case CALL_SOCKET:
		explain_socket(sb, r, e);
		break;
	case CALL_SOCKETPAIR:
		if (r->ret == 0 && (r->have & HAVE_AUX0)) {
			sb_add(sb, "two connected sockets, ");
			say_fd(sb, r->aux0);
			sb_add(sb, " and ");
			say_fd(sb, r->aux1);
			sb_add(sb, ": what one sends, the other receives");
		}
		break;
	case CALL_BIND:
		explain_bind(sb, r, e);
		break;
	case CALL_LISTEN:
		explain_listen(sb, r, e);
		break;
	case CALL_ACCEPT:
	case CALL_ACCEPT4:
		explain_accept(sb, r, e);
		break;
	case CALL_CONNECT:
		explain_connect(sb, r, e, before);
		break;
	case CALL_SENDTO:
	case CALL_SENDMSG:
		explain_send(sb, r, e, before);
		break;
	case CALL_RECVFROM:
	case CALL_RECVMSG:
		explain_recv(sb, r, e);
		break;
	case CALL_WRITE:
	case CALL_WRITEV:
		explain_send(sb, r, e, before);
		explain_file_style(sb, r);
		break;
	case CALL_READ:
	case CALL_READV:
		explain_recv(sb, r, e);
		explain_file_style(sb, r);
		break;
	case CALL_SENDFILE:
	case CALL_SPLICE:
		explain_kernel_copy(sb, r, e);
		break;
	case CALL_SENDMMSG:
	case CALL_RECVMMSG:
		explain_mmsg(sb, r, e);
		break;
	case CALL_SHUTDOWN:
		explain_shutdown(sb, r, e);
		break;
	case CALL_GETSOCKNAME:
	case CALL_GETPEERNAME:
		explain_sockname(sb, r, e);
		break;
	case CALL_SETSOCKOPT:
	case CALL_GETSOCKOPT:
		explain_sockopt(sb, r, e);
		break;
	case CALL_CLOSE:
		explain_close(sb, r, e);
		break;
	}
}

static const char *state_note(int from, int to)
{
	if (to == TCP_SYN_SENT)
		return "connect(): the kernel sends a SYN to open the connection";
	if (from == TCP_SYN_SENT && to == TCP_ESTABLISHED)
		return "the peer answered SYN-ACK and the kernel ACKed it: handshake done";
	/* A SYN makes only a request sock (no state change); the final
	 * ACK makes the child socket, cloned from the listener. */
	if (from == TCP_LISTEN && to == TCP_SYN_RECV)
		return "the client's ACK, the handshake's last segment, arrived: the kernel makes the connection's own socket from the listening one (the SYN before it got a SYN-ACK from a small request socket)";
	if (from == TCP_SYN_RECV && to == TCP_ESTABLISHED)
		return "the new connection is set up: it waits in the accept queue for accept()";
	if (from == TCP_ESTABLISHED && to == TCP_FIN_WAIT1)
		return "this side closed: the kernel sent FIN";
	if (from == TCP_FIN_WAIT1 && to == TCP_FIN_WAIT2)
		return "the peer ACKed our FIN; its own FIN is still to come";
	if (from == TCP_FIN_WAIT1 && to == TCP_CLOSE)
		return "the connection ended before the peer acknowledged our FIN: a reset (RST) came, or the kernel gave up resending the FIN";
	if (from == TCP_FIN_WAIT1 && to == TCP_CLOSING)
		return "both sides closed at once: the peer's FIN crossed ours, and this side waits for the ACK of its own FIN";
	if (from == TCP_ESTABLISHED && to == TCP_CLOSE_WAIT)
		return "the peer closed its side (FIN received): once what it sent is read, reads return 0";
	if (from == TCP_CLOSE_WAIT && to == TCP_LAST_ACK)
		return "this side closed too: FIN sent, waiting for the last ACK";
	if (from == TCP_LAST_ACK && to == TCP_CLOSE)
		return "the last ACK arrived: the connection is gone";
	if (from == TCP_SYN_SENT && to == TCP_CLOSE)
		return "the handshake failed: refused (RST) or no answer";
	if (from == TCP_LISTEN && to == TCP_CLOSE)
		return "the listening socket is closed";
	if (to == TCP_LISTEN)
		return "listen(): this socket now accepts connections";
	if (to == TCP_CLOSE)
		return "the connection is gone";
	return NULL;
}

/*
 * An active close's full socket goes to CLOSE as tcp_time_wait() hands
 * the connection to a small timewait socket: from FIN_WAIT2 (which waits
 * for the peer's FIN, up to tcp_fin_timeout, when it has not come) or
 * from CLOSING (both FINs are in). A reset just before is an abort.
 */
static bool to_time_wait(struct strbuf *sb, const struct kernel_record *k,
			 const struct sock_entry *e)
{
	unsigned int fin_timeout;

	if (k->new_state != TCP_CLOSE ||
	    (k->old_state != TCP_FIN_WAIT2 && k->old_state != TCP_CLOSING))
		return false;
	if (socktable_reset_ended(e, k)) {
		sb_add(sb, "a reset (RST) ended the connection: it does not wait in TIME_WAIT");
		return true;
	}
	sb_add(sb, "the kernel hands the connection to a small timewait socket, which");
	if (k->old_state == TCP_FIN_WAIT2) {
		sb_add(sb, " waits for the peer's FIN if it has not come");
		if (netns_fin_timeout(k->sock.netns, k->hdr.pid, &fin_timeout)) {
			sb_add(sb, " (up to net.ipv4.tcp_fin_timeout, ");
			sb_addu(sb, fin_timeout);
			sb_add(sb, " s)");
		}
		sb_add(sb, " and then");
	}
	sb_add(sb, " stays in TIME_WAIT for 60 s, holding its address and port pair: a connect() from the same port to the same peer fails with EADDRNOTAVAIL, unless TCP timestamps let the kernel tell the new connection's packets from the old one's");
	return true;
}

/*
 * __sk_mem_raise_allocated() could not charge memory to the socket: over
 * the protocol's limit (net.ipv4.tcp_mem, udp_mem: one for the whole
 * host, not per namespace) or over its cgroup's. detail is the direction
 * (SK_MEM_SEND 0, SK_MEM_RECV 1). UDP drops a datagram it cannot charge
 * (in 6.18 with no udp_fail_queue_rcv_skb event and no MemErrors).
 */
static void explain_buf_limit(struct strbuf *sb, const struct kernel_record *k)
{
	bool udp = k->sock.protocol == IPPROTO_UDP;

	if (udp && k->detail == 1) {
		sb_add(sb, "a datagram for this socket was dropped: UDP's memory limit (net.ipv4.udp_mem, or the cgroup's) was reached");
		return;
	}
	sb_add(sb, k->detail == 1 ? "arriving data could not be charged to this socket: " :
	       "data to send could not be charged to this socket: ");
	if (udp)
		sb_add(sb, "UDP's memory limit (net.ipv4.udp_mem, or the cgroup's) was reached");
	else if (k->sock.protocol == IPPROTO_TCP)
		sb_add(sb, "TCP's memory limit (net.ipv4.tcp_mem, or the cgroup's) was reached");
	else
		sb_add(sb, "the protocol's memory limit, or the cgroup's, was reached");
}

void explain_kernel(struct strbuf *sb, const struct kernel_record *k,
		    const struct sock_entry *e, __u64 ns_in_old)
{
	const char *note;

	switch (k->hdr.kind) {
	case EVENT_TCP_STATE:
		if (to_time_wait(sb, k, e))
			break;
		note = state_note(k->old_state, k->new_state);
		if (note)
			sb_add(sb, note);
		break;
	case EVENT_TCP_RETRANSMIT:
		sb_add(sb, "a segment was not acknowledged in time, so the kernel sent it again: TCP retransmits lost data");
		break;
	case EVENT_TCP_RECEIVE_RESET:
		sb_add(sb, "a reset (RST) arrived: the peer refuses or aborts this connection");
		break;
	case EVENT_TCP_SEND_RESET:
		sb_add(sb, "the kernel sent a reset (RST): it aborts the connection");
		break;
	case EVENT_UDP_DROP:
		/* __udp_queue_rcv_skb(): -ENOMEM counts as RcvbufErrors,
		 * anything else (-ENOBUFS) as MemErrors. */
		if (k->detail == -ENOMEM)
			sb_add(sb, "a datagram for this socket was dropped: its receive buffer was full, and UDP has no flow control to slow the sender");
		else if (k->detail == -ENOBUFS)
			sb_add(sb, "a datagram for this socket was dropped: UDP's memory limit (net.ipv4.udp_mem, or the cgroup's) was reached");
		else
			sb_add(sb, "a datagram for this socket was dropped before the program could read it");
		break;
	case EVENT_RCVQUEUE_FULL:
		sb_add(sb, "the receive queue is full: an arriving packet was dropped");
		break;
	case EVENT_BUF_LIMIT:
		explain_buf_limit(sb, k);
		break;
	}
}

void explain_port_holder(struct strbuf *sb, const struct syscall_record *r,
			 const struct sock_entry *e, struct socktable *t,
			 bool use_proc)
{
	char comm[SOCKSCOPE_COMM_LEN];
	struct sock_entry *holder;
	struct proc_sock ps;
	unsigned int port;
	int protocol, fd;
	pid_t pid;

	if (r->call != CALL_BIND || r->ret != -EADDRINUSE || !e ||
	    !asked_port(r, &port))
		return;
	protocol = e->info_valid ? e->info.protocol : e->protocol;
	if (!protocol)
		protocol = e->type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
	holder = socktable_port_holder(t, e, protocol, port);
	if (holder) {
		sb_addf(sb, "; %s port %u is held by %s (pid %d, fd %d)",
			sock_kind(e->family, e->type, protocol), port,
			holder->comm, holder->pid, holder->fd);
		return;
	}
	if (!use_proc || procnet_find_port(protocol, port, &ps) ||
	    proc_inode_owner(ps.inode, &pid, &fd, comm))
		return;
	sb_addf(sb, "; %s port %u is held by %s (pid %d, fd %d)",
		sock_kind(e->family, e->type, protocol), port, comm, pid, fd);
}
