/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_PROCNET_H
#define SOCKSCOPE_PROCNET_H

#include <stdbool.h>
#include <sys/types.h>

#include "events.h"

/*
 * What the kernel says about sockets: its TCP and UDP sockets from
 * sock_diag (or /proc/net/{tcp,tcp6,udp,udp6} without it), and each
 * process's descriptors from /proc/PID/fd.
 * Used for sockets sockscope did not see being made: the holder of a port
 * a bind() could not get, and sockets open before tracing began.
 */
struct proc_sock {
	unsigned long inode;
	int protocol;			/* IPPROTO_TCP or IPPROTO_UDP */
	int family;			/* AF_INET or AF_INET6 */
	__u8 saddr[16], daddr[16];
	unsigned int sport, dport;
	int state;			/* TCP_* as the kernel numbers them */
};

/* The socket bound to protocol/port (for TCP: listening or connected),
 * 0 and *out, or -ENOENT. */
int procnet_find_port(int protocol, unsigned int port, struct proc_sock *out);

/* The socket with this inode. 0 and *out, or -ENOENT. */
int procnet_find_inode(unsigned long inode, struct proc_sock *out);

/* A process holding the socket inode: its pid, fd and command name.
 * 0, or -ENOENT. */
int proc_inode_owner(unsigned long inode, pid_t *pid, int *fd,
		     char comm[SOCKSCOPE_COMM_LEN]);

/* Call fn for every socket descriptor of pid: fd and inode. */
int proc_socket_fds(pid_t pid, void (*fn)(int fd, unsigned long inode,
					  void *ctx), void *ctx);

#endif
