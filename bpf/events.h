/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The record layout shared by the BPF programs and the reader: the ABI
 * between the two sides. Fixed-width types only, explicit padding, sizes
 * checked at compile time.
 */
#ifndef SOCKSCOPE_EVENTS_H
#define SOCKSCOPE_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SOCKSCOPE_COMM_LEN	16
#define SOCKADDR_MAX		128	/* sizeof(struct sockaddr_storage) */
#define PAYLOAD_MAX		256	/* --payload=N caps N here */
#define PAYLOAD_DEFAULT		64
/* readv/writev: the first N bytes of each iovec, 2 * N in all. */
#define PAYLOAD_IOV_MAX		(2 * PAYLOAD_MAX)
/* Words of 64 bits in the traced-process bitmap: one bit for each process
 * id up to 2^22, the kernel's PID_MAX_LIMIT on 64-bit machines. */
#define TRACED_PID_WORDS	(4194304 / 64)

enum event_kind {
	EVENT_SYSCALL = 1,
	EVENT_TCP_STATE,		/* sock:inet_sock_set_state (TCP) */
	EVENT_TCP_RETRANSMIT,		/* tcp:tcp_retransmit_skb */
	EVENT_TCP_SEND_RESET,		/* tcp:tcp_send_reset */
	EVENT_TCP_RECEIVE_RESET,	/* tcp:tcp_receive_reset */
	EVENT_UDP_DROP,			/* udp:udp_fail_queue_rcv_skb */
	EVENT_RCVQUEUE_FULL,		/* sock:sock_rcvqueue_full */
	EVENT_BUF_LIMIT,		/* sock:sock_exceed_buf_limit */
	EVENT_KIND_MAX,
};

/* The socket calls sockscope decodes; numbering is ours, not the kernel's. */
enum sock_call {
	CALL_SOCKET = 1,
	CALL_SOCKETPAIR,
	CALL_BIND,
	CALL_LISTEN,
	CALL_ACCEPT,
	CALL_ACCEPT4,
	CALL_CONNECT,
	CALL_SENDTO,
	CALL_RECVFROM,
	CALL_SENDMSG,
	CALL_RECVMSG,
	CALL_SHUTDOWN,
	CALL_GETSOCKNAME,
	CALL_GETPEERNAME,
	CALL_SETSOCKOPT,
	CALL_GETSOCKOPT,
	CALL_CLOSE,
	/* The file-style calls, traced on socket descriptors only. */
	CALL_READ,
	CALL_WRITE,
	CALL_READV,
	CALL_WRITEV,
	CALL_SENDFILE,
	CALL_SPLICE,
	CALL_SENDMMSG,
	CALL_RECVMMSG,
	/* The waits, traced when a descriptor they wait for is a socket. */
	CALL_POLL,
	CALL_PPOLL,
	CALL_SELECT,
	CALL_PSELECT6,
	CALL_EPOLL_WAIT,
	CALL_EPOLL_PWAIT,
	CALL_EPOLL_CTL,
	CALL_MAX,
};

/* Every record starts with this header. */
struct event_header {
	__u64 ts_ns;			/* bpf_ktime_get_ns() at syscall exit */
	__u32 pid;			/* tgid */
	__u32 tid;
	__u16 kind;			/* enum event_kind */
	__u16 size;			/* whole record, header included */
	/* Records this CPU failed to deliver since its previous record:
	 * the reader reports the loss where it happened. */
	__u32 lost_before;
	char comm[SOCKSCOPE_COMM_LEN];
};

/*
 * The kernel socket behind a descriptor, or behind a kernel event, read
 * from struct sock: what the kernel decided (protocol, local address and
 * port, state, backlog). Addresses in network byte order, IPv4 in the
 * first 4 bytes; ports in host byte order.
 */
struct sock_info {
	__u64 sk;			/* kernel address: identity only */
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u8 state;			/* TCP_* (kernel numbering) */
	__u8 valid;			/* 0: no socket was found */
	__u16 sport;
	__u16 dport;
	__u32 backlog;			/* sk_max_ack_backlog */
	__u8 saddr[16];
	__u8 daddr[16];
	/* Its network namespace's inode (what /proc/PID/ns/net names):
	 * where the notes read the sysctls they state. */
	__u32 netns;
	/* close: other references to the socket's file (another descriptor,
	 * from dup() or fork(), keeps the socket open); 0 otherwise. */
	__u32 other_refs;
};

/* syscall_record.have: which of the captured fields are valid. */
#define HAVE_ADDR	(1u << 0)	/* addr[], addr_len */
#define HAVE_ADDR_LEN	(1u << 1)	/* addr_len alone (e.g. read back) */
#define HAVE_AUX0	(1u << 2)
#define HAVE_AUX1	(1u << 3)
#define HAVE_MSG	(1u << 4)	/* msg_len, msg_flags, iov_count */
#define HAVE_PAYLOAD	(1u << 5)
#define ADDR_FAULT	(1u << 6)	/* the address could not be read */
#define RESUMED		(1u << 7)	/* began before tracing: no args */
#define HAVE_OPTVAL	(1u << 8)	/* addr[]: the option value's bytes */
#define HAVE_IOV	(1u << 9)	/* addr[]: struct iovec[], iov_count */
#define HAVE_OFF_IN	(1u << 10)	/* addr[0..7]: an offset, see below */
#define HAVE_OFF_OUT	(1u << 11)	/* addr[8..15] */
#define HAVE_MMSG	(1u << 12)	/* payload: struct mmsg_entry[] */
#define HAVE_TIMEOUT	(1u << 13)	/* addr[0..15]: struct timespec */
#define HAVE_LEFT	(1u << 14)	/* addr[16..31]: the time left */
#define HAVE_SIGMASK	(1u << 15)	/* addr[32..39]: a sigset_t */

/* syscall_record.extra. A poll or epoll wait that began before tracing
 * did, shown whole: its arguments were still in its registers. */
#define EXTRA_BEGAN_BEFORE	(1u << 0)

/* setsockopt/getsockopt: bytes of the option value kept in addr[] (as
 * many as strace shows of a value it prints as a string). */
#define OPTVAL_MAX	32

/* readv/writev: the iovecs kept in addr[] (16 bytes each). */
#define IOV_KEPT	(SOCKADDR_MAX / 16)

/*
 * The waits. poll/ppoll: the payload is the struct pollfd array as the
 * call left it (revents filled in), at most WAIT_POLLFDS of them.
 * select/pselect6: the payload is the three fd_sets (read, write,
 * except; WAIT_SET_BYTES each, so fds below 256) as passed, then the three
 * as returned; aux0 bit i (0..5) says set i was there. epoll_wait and
 * epoll_pwait: the payload is the struct epoll_event array the kernel
 * filled (12 bytes each, packed), at most WAIT_EVENTS. epoll_ctl:
 * addr[40..51] is the struct epoll_event passed (HAVE_OFF_IN).
 * Timeouts: addr[0..15] as passed (HAVE_TIMEOUT), addr[16..31] what the
 * kernel left in it (HAVE_LEFT); a signal mask: addr[32..39]
 * (HAVE_SIGMASK); pselect6's mask pointer: addr[48..55], its size aux1
 * (HAVE_AUX1: the pair was read).
 */
#define WAIT_PAYLOAD	512
#define WAIT_POLLFDS	(WAIT_PAYLOAD / 8)
#define WAIT_SET_BYTES	32
#define WAIT_EVENTS	32
#define EPOLL_EVENT_SIZE 12

/* sendmmsg/recvmmsg: the messages a record describes, and the bytes of
 * each one's address it keeps (a struct sockaddr_in6 is 28). */
#define MMSG_KEPT	8
#define MMSG_NAME_MAX	32

/*
 * One message of sendmmsg/recvmmsg, in the record's payload area: its
 * address (msg_name: recvmmsg's as the kernel filled it), the sum of its
 * iov lengths, and what the kernel reported (msg_len: the bytes sent or
 * received; recvmmsg's msg_flags), for the messages the call handled.
 */
struct mmsg_entry {
	__u64 iov_len;			/* sum of the iov lengths */
	__u32 namelen;			/* msg_namelen */
	__u32 len;			/* msg_len */
	__u32 iovlen;			/* msg_iovlen */
	__u32 flags;			/* msg_flags */
	__u16 name_captured;		/* bytes valid in name[] */
	__u8 has_name;			/* msg_name was not NULL */
	__u8 iov_ok;			/* iov_len could be summed */
	__u32 pad;
	__u8 name[MMSG_NAME_MAX];
};

/*
 * One finished system call: arguments as passed, the return value as the
 * kernel gave it (a negative errno on failure), and what was read from the
 * caller's memory. The payload, payload_len bytes, follows the struct.
 *
 * aux0/aux1: socketpair: the two descriptors; setsockopt/getsockopt: the
 * option value (when it is an int) and the option length; accept, accept4,
 * recvfrom, recvmsg, getsockname, getpeername, getsockopt: aux1 is the
 * length the caller offered (addr_len is what the kernel wrote back).
 * setsockopt/getsockopt with HAVE_OPTVAL: addr[] holds the first
 * addr_captured bytes of the option value (at most OPTVAL_MAX).
 *
 * readv/writev with HAVE_IOV: addr[] holds the first IOV_KEPT iovecs
 * (addr_captured bytes), iov_count the count given, msg_len the sum of
 * the iov lengths; the payload is the first aux1 (HAVE_AUX1) bytes of
 * each iovec, one after the other, at most PAYLOAD_IOV_MAX in all
 * (readv: of the bytes read). sendfile: HAVE_OFF_IN, *offset
 * at entry; HAVE_OFF_OUT, *offset at exit. splice: *off_in and *off_out
 * at entry. sendfile and splice: aux0 (HAVE_AUX0) is the descriptor of
 * the two that is the socket the sock_info describes.
 *
 * sendmmsg/recvmmsg with HAVE_MMSG: the payload is a struct mmsg_entry
 * for each of the first MMSG_KEPT messages; with HAVE_MSG, msg_len is
 * the bytes of all the messages handled; recvmmsg with HAVE_TIMEOUT:
 * addr[] holds *timeout at entry.
 */
struct syscall_record {
	struct event_header hdr;
	__u64 enter_ns;
	__s64 ret;
	__u64 args[6];
	__u64 msg_len;			/* sum of iov lengths */
	__u16 call;			/* enum sock_call */
	__u16 have;			/* HAVE_* */
	__u32 addr_len;			/* socklen given or reported */
	__s32 aux0;
	__s32 aux1;
	__u32 msg_flags;		/* recvmsg: msg_flags on return */
	__u32 iov_count;		/* msg_iovlen; readv/writev: iovcnt */
	__u16 addr_captured;		/* bytes valid in addr[] */
	__u16 payload_len;		/* bytes in payload[] */
	__u32 extra;			/* EXTRA_* */
	/* The socket the call worked on (the new one for socket and
	 * accept), read at syscall exit; for close, at entry. */
	struct sock_info sock;
	__u8 addr[SOCKADDR_MAX];
	/* followed by payload_len bytes of payload */
};

/*
 * Something the kernel did on its own: a TCP state change, a retransmit,
 * a reset, a dropped datagram. It may run in softirq context, so the
 * header's pid and comm are of whatever task was current: the reader
 * attributes the event by sock.sk, and owner_pid is the traced process
 * known to hold the socket (0 if none is known).
 */
struct kernel_record {
	struct event_header hdr;
	struct sock_info sock;		/* state: the new state */
	__u32 owner_pid;
	__u8 old_state;			/* EVENT_TCP_STATE */
	__u8 new_state;
	__u16 pad;
	__s32 detail;			/* UDP drop: the error; reset: reason */
	__u32 pad2;
};

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct event_header) == 40, "event_header ABI");
_Static_assert(sizeof(struct sock_info) == 64, "sock_info ABI");
_Static_assert(sizeof(struct syscall_record) == 336, "syscall_record ABI");
_Static_assert(sizeof(struct kernel_record) == 120, "kernel_record ABI");
_Static_assert(sizeof(struct mmsg_entry) == 64, "mmsg_entry ABI");
#endif

#endif /* SOCKSCOPE_EVENTS_H */
