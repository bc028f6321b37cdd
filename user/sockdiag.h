/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_SOCKDIAG_H
#define SOCKSCOPE_SOCKDIAG_H

#include <stdbool.h>

struct proc_sock;

/*
 * Ask the kernel for its TCP and UDP sockets (IPv4 and IPv6) over
 * NETLINK_SOCK_DIAG, as ss does, and stop at the first one match()
 * accepts: 0 and *out; -ENOENT when none does; another -errno when
 * sock_diag cannot be used (the caller may then read /proc/net).
 */
int sockdiag_find(bool (*match)(const struct proc_sock *, const void *),
		  const void *arg, struct proc_sock *out);

#endif
