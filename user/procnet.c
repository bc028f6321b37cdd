// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Reading the kernel's socket tables and descriptors from /proc. */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "procnet.h"
#include "sockdiag.h"

static const struct {
	const char *path;
	int protocol, family;
} tables[] = {
	{ "/proc/net/tcp", IPPROTO_TCP, AF_INET },
	{ "/proc/net/tcp6", IPPROTO_TCP, AF_INET6 },
	{ "/proc/net/udp", IPPROTO_UDP, AF_INET },
	{ "/proc/net/udp6", IPPROTO_UDP, AF_INET6 },
};

/* "0100007F:1F40": the address as the kernel stores it, 32-bit words in
 * host order, then the port in hex. */
static int parse_endpoint(const char *s, int family, __u8 *addr,
			  unsigned int *port)
{
	int words = family == AF_INET ? 1 : 4;
	unsigned int w;

	for (int i = 0; i < words; i++) {
		if (sscanf(s + 8 * i, "%8x", &w) != 1)
			return -EINVAL;
		memcpy(addr + 4 * i, &w, 4);
	}
	return sscanf(s + 8 * words, ":%x", port) == 1 ? 0 : -EINVAL;
}

static int parse_line(const char *line, int family, struct proc_sock *ps)
{
	char local[64], remote[64];
	unsigned int state;

	if (sscanf(line, " %*d: %63s %63s %x %*s %*s %*s %*s %*s %lu",
		   local, remote, &state, &ps->inode) != 4)
		return -EINVAL;
	ps->family = family;
	ps->state = state;
	if (parse_endpoint(local, family, ps->saddr, &ps->sport) ||
	    parse_endpoint(remote, family, ps->daddr, &ps->dport))
		return -EINVAL;
	return 0;
}

/* Walk /proc/net's tables; stop at the first socket match() accepts. */
static int scan_proc_net(bool (*match)(const struct proc_sock *,
				       const void *),
			 const void *arg, struct proc_sock *out)
{
	char line[512];

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		FILE *f = fopen(tables[t].path, "re");

		if (!f)
			continue;
		if (!fgets(line, sizeof(line), f)) {	/* the heading */
			fclose(f);
			continue;
		}
		while (fgets(line, sizeof(line), f)) {
			struct proc_sock ps = { .protocol = tables[t].protocol };

			if (parse_line(line, tables[t].family, &ps) ||
			    !ps.inode || !match(&ps, arg))
				continue;
			*out = ps;
			fclose(f);
			return 0;
		}
		fclose(f);
	}
	return -ENOENT;
}

/* sock_diag first, as ss does; /proc/net where it cannot be used. */
static int scan(bool (*match)(const struct proc_sock *, const void *),
		const void *arg, struct proc_sock *out)
{
	int ret = sockdiag_find(match, arg, out);

	if (ret == 0 || ret == -ENOENT)
		return ret;
	return scan_proc_net(match, arg, out);
}

struct port_query {
	int protocol;
	unsigned int port;
};

static bool port_matches(const struct proc_sock *ps, const void *arg)
{
	const struct port_query *q = arg;

	/* TIME_WAIT entries (6) have no owner: not the holder. */
	return ps->protocol == q->protocol && ps->sport == q->port &&
	       ps->state != 6;
}

int procnet_find_port(int protocol, unsigned int port, struct proc_sock *out)
{
	struct port_query q = { protocol, port };

	return scan(port_matches, &q, out);
}

static bool inode_matches(const struct proc_sock *ps, const void *arg)
{
	return ps->inode == *(const unsigned long *)arg;
}

int procnet_find_inode(unsigned long inode, struct proc_sock *out)
{
	return scan(inode_matches, &inode, out);
}

int proc_socket_fds(pid_t pid, void (*fn)(int fd, unsigned long inode,
					  void *ctx), void *ctx)
{
	char path[320], link[64];
	struct dirent *d;
	unsigned long inode;
	DIR *dir;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%lu]", &inode) == 1)
			fn(atoi(d->d_name), inode, ctx);
	}
	closedir(dir);
	return 0;
}

struct owner_query {
	unsigned long inode;
	int fd;
};

static void owner_fd(int fd, unsigned long inode, void *ctx)
{
	struct owner_query *q = ctx;

	if (inode == q->inode && q->fd < 0)
		q->fd = fd;
}

static void read_comm(pid_t pid, char comm[SOCKSCOPE_COMM_LEN])
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	comm[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(comm, SOCKSCOPE_COMM_LEN, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

int proc_inode_owner(unsigned long inode, pid_t *pid, int *fd,
		     char comm[SOCKSCOPE_COMM_LEN])
{
	struct owner_query q = { .inode = inode };
	struct dirent *d;
	DIR *dir = opendir("/proc");

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p <= 0)
			continue;
		q.fd = -1;
		proc_socket_fds(p, owner_fd, &q);
		if (q.fd >= 0) {
			*pid = p;
			*fd = q.fd;
			read_comm(p, comm);
			closedir(dir);
			return 0;
		}
	}
	closedir(dir);
	return -ENOENT;
}
