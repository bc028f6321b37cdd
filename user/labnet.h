/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lab's network: two fresh, randomly named network namespaces, the
 * sender's and the receiver's, joined by a veth pair with private IPv4
 * addresses, lo up in both. Nothing outside the two namespaces is made or
 * changed, and labnet_destroy() removes them (and with them the veth pair,
 * its qdiscs and tc programs).
 */
#ifndef SOCKSCOPE_LABNET_H
#define SOCKSCOPE_LABNET_H

#include <stdbool.h>
#include <stddef.h>

enum lab_side { LAB_SENDER, LAB_RECEIVER };

#define LABNET_NS_PREFIX	"sockscope-lab-"

struct labnet {
	char ns[2][40];		/* "sockscope-lab-1a2b3c-snd", "-rcv" */
	char ifname[2][16];	/* "veth-snd", "veth-rcv" */
	char addr[2][16];	/* "10.199.0.1", "10.199.0.2" */
	int ifindex[2];		/* inside its namespace */
	int nsfd[2];		/* open /run/netns/NAME, or -1 */
	bool made[2];		/* the namespace exists: destroy removes it */
};

/*
 * Make both namespaces and the link. 0, or -errno after writing one line
 * to err (what failed and what to do); whatever was made is removed again.
 */
int labnet_create(struct labnet *n, char *err, size_t errlen);

/* Remove both namespaces (and everything in them). Idempotent. */
void labnet_destroy(struct labnet *n);

/*
 * Run argv[0] (found on PATH) inside the namespace of side, its output
 * kept. Returns its exit status (0 on success), or -errno when it could
 * not run; on failure err holds its first line of output, or why it could
 * not run. err may be NULL.
 */
int labnet_run(const struct labnet *n, enum lab_side side,
	       const char *const argv[], char *err, size_t errlen);

/*
 * Move the calling thread into side's namespace; labnet_leave() goes back
 * to the namespace it was in before. 0 or -errno.
 */
int labnet_enter(const struct labnet *n, enum lab_side side, int *saved_fd);
int labnet_leave(int saved_fd);

/* The kernel's protocol counters of one namespace, as nstat names them:
 * "TcpRetransSegs", "UdpInCsumErrors", "TcpExtTCPOFOQueue". */
#define LAB_COUNTERS_MAX	512

struct lab_counters {
	unsigned int n;
	char name[LAB_COUNTERS_MAX][48];
	unsigned long long value[LAB_COUNTERS_MAX];
};

/* Read /proc/net/snmp and /proc/net/netstat of side's namespace. 0 or
 * -errno. */
int labnet_read_counters(const struct labnet *n, enum lab_side side,
			 struct lab_counters *c);

/* The counter's value, or 0 when this kernel has no such counter. */
unsigned long long lab_counter(const struct lab_counters *c,
			       const char *name);

/* Whether iproute2's ip and tc can be run. */
bool labnet_tools_present(void);

#endif
