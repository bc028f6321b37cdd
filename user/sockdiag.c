// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The kernel's TCP and UDP sockets, from NETLINK_SOCK_DIAG (as ss reads). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "procnet.h"
#include "sockdiag.h"

static int send_dump(int fd, int family, int protocol)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.req = {
			.sdiag_family = family,
			.sdiag_protocol = protocol,
			.idiag_states = ~0u,	/* every state */
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

static void to_proc_sock(const struct inet_diag_msg *m, int protocol,
			 struct proc_sock *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->inode = m->idiag_inode;
	ps->protocol = protocol;
	ps->family = m->idiag_family;
	ps->state = m->idiag_state;
	ps->sport = ntohs(m->id.idiag_sport);
	ps->dport = ntohs(m->id.idiag_dport);
	memcpy(ps->saddr, m->id.idiag_src, sizeof(ps->saddr));
	memcpy(ps->daddr, m->id.idiag_dst, sizeof(ps->daddr));
}

/* Read one dump's answers: 0 and *out on a match, 1 when the dump ended
 * without one, -errno on failure. */
static int read_dump(int fd, int protocol,
		     bool (*match)(const struct proc_sock *, const void *),
		     const void *arg, struct proc_sock *out)
{
	long buf[8192 / sizeof(long)];
	struct nlmsghdr *h;
	int found = 1;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			struct proc_sock ps;

			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EPROTO;
			if (found == 0 || h->nlmsg_len <
			    NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			to_proc_sock(NLMSG_DATA(h), protocol, &ps);
			if (ps.inode && match(&ps, arg)) {
				*out = ps;
				found = 0;	/* read the rest of the dump */
			}
		}
	}
}

int sockdiag_find(bool (*match)(const struct proc_sock *, const void *),
		  const void *arg, struct proc_sock *out)
{
	static const int kinds[][2] = {
		{ AF_INET, IPPROTO_TCP }, { AF_INET6, IPPROTO_TCP },
		{ AF_INET, IPPROTO_UDP }, { AF_INET6, IPPROTO_UDP },
	};
	int fd, ret = -ENOENT;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		ret = send_dump(fd, kinds[i][0], kinds[i][1]);
		if (!ret)
			ret = read_dump(fd, kinds[i][1], match, arg, out);
		if (ret <= 0)
			break;
		ret = -ENOENT;
	}
	close(fd);
	return ret;
}
