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

enum event_kind {
	EVENT_SYSCALL = 1,
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

/* syscall_record.have: which of the captured fields are valid. */
#define HAVE_ADDR	(1u << 0)	/* addr[], addr_len */
#define HAVE_ADDR_LEN	(1u << 1)	/* addr_len alone (e.g. read back) */
#define HAVE_AUX0	(1u << 2)
#define HAVE_AUX1	(1u << 3)
#define HAVE_MSG	(1u << 4)	/* msg_len, msg_flags, iov_count */
#define HAVE_PAYLOAD	(1u << 5)
#define ADDR_FAULT	(1u << 6)	/* the address could not be read */

/*
 * One finished system call: arguments as passed, the return value as the
 * kernel gave it (a negative errno on failure), and what was read from the
 * caller's memory. The payload, payload_len bytes, follows the struct.
 *
 * aux0/aux1: socketpair: the two descriptors; setsockopt/getsockopt: the
 * option value (when it is an int) and the option length; accept, accept4,
 * recvfrom, recvmsg, getsockname, getpeername: aux1 is the address length
 * the caller offered (addr_len is what the kernel wrote back).
 */
struct syscall_record {
	struct event_header hdr;
	__u64 enter_ns;
	__s64 ret;
	__u64 args[6];
	__u64 msg_len;			/* sendmsg/recvmsg: sum of iov lengths */
	__u16 call;			/* enum sock_call */
	__u16 have;			/* HAVE_* */
	__u32 addr_len;			/* socklen given or reported */
	__s32 aux0;
	__s32 aux1;
	__u32 msg_flags;		/* recvmsg: msg_flags on return */
	__u32 iov_count;		/* sendmsg/recvmsg: msg_iovlen */
	__u16 addr_captured;		/* bytes valid in addr[] */
	__u16 payload_len;		/* bytes in payload[] */
	__u32 pad;
	__u8 addr[SOCKADDR_MAX];
	/* followed by payload_len bytes of payload */
};

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct event_header) == 40, "event_header ABI");
_Static_assert(sizeof(struct syscall_record) == 272, "syscall_record ABI");
#endif

#endif /* SOCKSCOPE_EVENTS_H */
