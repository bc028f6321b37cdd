/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_SOCKTABLE_H
#define SOCKSCOPE_SOCKTABLE_H

#include <stdbool.h>
#include <sys/types.h>

#include "events.h"

/*
 * The sockets seen in a trace: each process's descriptor table (fd ->
 * socket), built from the calls, and the kernel socket behind each, so
 * that every call and every kernel event says which socket it is about.
 * Entries stay after close, for the summary; a closed descriptor number
 * that is reused gets a new entry.
 */
struct sock_entry {
	pid_t pid;
	int fd;				/* -1 once closed */
	int last_fd;			/* the descriptor it had */
	char comm[SOCKSCOPE_COMM_LEN];
	int family, type, protocol;	/* as the kernel has them */
	struct sock_info info;		/* latest seen */
	bool info_valid;
	bool listening;
	int state;			/* TCP state, 0 if unknown */
	bool time_wait;			/* closed actively: in TIME_WAIT */
	bool read_shut;			/* shutdown(SHUT_RD or SHUT_RDWR) */
	bool autobound;			/* the kernel chose its port */
	int asked_protocol;		/* socket()'s protocol argument */
	int asked_backlog;		/* listen()'s backlog argument */
	__u64 handshake_ns;		/* SYN_SENT -> ESTABLISHED */
	unsigned int accepted;		/* connections accepted on it */
	char history[200];		/* "CLOSE -> SYN_SENT -> ..." */
	/* The endpoints as the kernel events last showed them (a port is
	 * given back before the move to CLOSE is reported). */
	__u8 ev_saddr[16], ev_daddr[16];
	unsigned int ev_sport, ev_dport;
	__u64 state_since_ns;
	__u64 opened_ns, closed_ns;
	unsigned long long bytes_out, bytes_in, calls, failed;
	unsigned long long sends, receives;	/* that moved data */
	unsigned long long retransmits, resets;
	__u64 last_reset_ns;		/* a reset was received then */
	/* private */
	struct sock_entry *fd_next, *sk_next;
};

struct socktable;

struct socktable *socktable_new(void);
void socktable_free(struct socktable *t);

struct sock_entry *socktable_by_fd(struct socktable *t, pid_t pid, int fd);
struct sock_entry *socktable_by_sk(struct socktable *t, __u64 sk);

/*
 * Apply a finished call to the table: new sockets for socket, socketpair
 * and accept; close ends one; every call updates what is known of its
 * socket. Returns the socket the call was on (NULL if none is known).
 * *before gets a copy of that entry as it was before the call (for
 * "the kernel chose a port on this send"), when before is not NULL.
 */
struct sock_entry *socktable_apply_call(struct socktable *t,
					const struct syscall_record *r,
					struct sock_entry *before);

/*
 * Apply a kernel event: the entry it is about (by kernel socket, else the
 * listening socket that will accept it), or NULL. A TCP state change sets
 * *ns_in_old to how long the socket was in the old state (0 if unknown).
 */
struct sock_entry *socktable_apply_kernel(struct socktable *t,
					  const struct kernel_record *k,
					  __u64 *ns_in_old);

/* How many closed sockets were forgotten to keep memory flat. */
unsigned long long socktable_forgotten(const struct socktable *t);

/* Every entry, in the order they were created. */
unsigned int socktable_count(const struct socktable *t);
struct sock_entry *socktable_at(struct socktable *t, unsigned int i);

/* A traced socket other than self bound to the same protocol and port. */
struct sock_entry *socktable_port_holder(struct socktable *t,
					 const struct sock_entry *self,
					 int protocol, unsigned int port);

struct proc_sock;

/* A socket that was open before tracing began, as /proc describes it. */
struct sock_entry *socktable_add_existing(struct socktable *t, pid_t pid,
					  int fd, const char *comm,
					  const struct proc_sock *ps);

/* Fill in the endpoints a kernel event lacks from what is known of its
 * socket (a socket moving to CLOSE has already given its port back). */
void socktable_complete_event(const struct sock_entry *e,
			      struct sock_info *si);

/* The command name of a traced process, from its sockets; NULL if none. */
const char *socktable_comm(struct socktable *t, pid_t pid);

/* Whether a reset received just before k (a state change) ended e. */
bool socktable_reset_ended(const struct sock_entry *e,
			   const struct kernel_record *k);

#endif
