/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_NETNS_SYSCTL_H
#define SOCKSCOPE_NETNS_SYSCTL_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * The kernel's network settings a note states, as they are where the
 * traced process is: net.* sysctls are per network namespace, and a
 * process in another one (a container, the lab's namespaces) may have
 * other values than sockscope's own. Read when a note needs them, not
 * assumed: a test changes them in a namespace of its own and reads the
 * note.
 */

/*
 * The namespace is known by its inode (struct sock_info's netns); it is
 * read from sockscope's own namespace when it is that one, else through
 * process pid while pid is still in it. false when neither can be, or
 * when netns is 0 (not known).
 */

/*
 * A record of a socket in namespace netns, by pid: the first of each
 * namespace has its values read then, while a process is surely there
 * (a short-lived one may be gone by the time a note needs them).
 */
void netns_sysctl_seen(unsigned int netns, pid_t pid);

/* net.ipv4.ip_local_port_range: true and lo..hi. */
bool netns_port_range(unsigned int netns, pid_t pid, unsigned int *lo,
		      unsigned int *hi);

/* net.ipv4.ip_unprivileged_port_start. */
bool netns_unprivileged_port_start(unsigned int netns, pid_t pid,
				   unsigned int *port);

/* net.ipv4.tcp_fin_timeout, in seconds. */
bool netns_fin_timeout(unsigned int netns, pid_t pid, unsigned int *seconds);

#endif
