// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Network namespaces for tests, so they cannot collide on ports. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"

static int link_up(const char *name)
{
	struct ifreq ifr;
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ret = -errno;
		goto out_close_fd;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		ret = -errno;
out_close_fd:
	close(fd);
	return ret;
}

int netns_enter_fresh(void)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	return link_up("lo");
}

bool ipv6_loopback_available(void)
{
	struct sockaddr_in6 addr = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	bool ok;
	int fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = !bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	return ok;
}
