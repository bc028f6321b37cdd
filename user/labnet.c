// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lab's network: two namespaces and a veth pair, made with iproute2's
 * ip, and the namespaces' protocol counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "labnet.h"

#define NETNS_RUN_DIR	"/run/netns"

static const char *const side_tag[2] = { "snd", "rcv" };

/* Run argv in the namespace nsfd (-1: our own), its output into out. */
static int run_in(int nsfd, const char *const argv[], char *out, size_t len)
{
	int pipefd[2], status;
	size_t used = 0;
	ssize_t got;
	pid_t pid;

	if (out && len)
		out[0] = '\0';
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET)) {
			dprintf(pipefd[1], "cannot enter the namespace: %s",
				strerror(errno));
			_exit(126);
		}
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	while (out && used + 1 < len &&
	       (got = read(pipefd[0], out + used, len - 1 - used)) > 0)
		used += got;
	if (out && len) {
		out[used] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	/* Whatever did not fit is read and dropped, so it cannot block. */
	while (read(pipefd[0], &(char){ 0 }, 1) > 0)
		;
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int labnet_run(const struct labnet *n, enum lab_side side,
	       const char *const argv[], char *err, size_t errlen)
{
	char buf[512];
	int ret = run_in(n->nsfd[side], argv, buf, sizeof(buf));

	if (ret && err && errlen)
		snprintf(err, errlen, "%s", buf[0] ? buf : "failed");
	return ret;
}

bool labnet_tools_present(void)
{
	const char *const ip[] = { "ip", "-V", NULL };
	const char *const tc[] = { "tc", "-V", NULL };

	return run_in(-1, ip, NULL, 0) == 0 && run_in(-1, tc, NULL, 0) == 0;
}

static void fail(char *err, size_t errlen, const char *what,
		 const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", what, why);
}

static int make_namespace(struct labnet *n, enum lab_side side, char *err,
			  size_t errlen)
{
	const char *const add[] = { "ip", "netns", "add", n->ns[side], NULL };
	char path[128], out[256];
	int ret;

	ret = run_in(-1, add, out, sizeof(out));
	if (ret) {
		fail(err, errlen, "cannot make a network namespace (ip netns add)",
		     out[0] ? out : "failed");
		return ret < 0 ? ret : -EIO;
	}
	n->made[side] = true;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", n->ns[side]);
	n->nsfd[side] = open(path, O_RDONLY | O_CLOEXEC);
	if (n->nsfd[side] < 0) {
		ret = -errno;
		fail(err, errlen, path, strerror(errno));
		return ret;
	}
	return 0;
}

/* One ip command in side's namespace; a failure says which step. */
static int ip_step(struct labnet *n, enum lab_side side,
		   const char *const argv[], const char *what, char *err,
		   size_t errlen)
{
	char out[512];
	int ret = labnet_run(n, side, argv, out, sizeof(out));

	if (ret) {
		fail(err, errlen, what, out);
		return ret < 0 ? ret : -EIO;
	}
	return 0;
}

static int configure_side(struct labnet *n, enum lab_side side, char *err,
			  size_t errlen)
{
	char cidr[24];
	const char *const lo[] = { "ip", "link", "set", "lo", "up", NULL };
	const char *const addr[] = { "ip", "addr", "add", cidr, "dev",
				     n->ifname[side], NULL };
	const char *const up[] = { "ip", "link", "set", n->ifname[side],
				   "up", NULL };
	int saved, ret;

	snprintf(cidr, sizeof(cidr), "%s/24", n->addr[side]);
	ret = ip_step(n, side, lo, "cannot bring lo up", err, errlen);
	if (!ret)
		ret = ip_step(n, side, addr, "cannot address the veth link",
			      err, errlen);
	if (!ret)
		ret = ip_step(n, side, up, "cannot bring the veth link up",
			      err, errlen);
	if (ret)
		return ret;
	ret = labnet_enter(n, side, &saved);
	if (ret)
		return ret;
	n->ifindex[side] = (int)if_nametoindex(n->ifname[side]);
	labnet_leave(saved);
	return n->ifindex[side] ? 0 : -ENODEV;
}

int labnet_create(struct labnet *n, char *err, size_t errlen)
{
	const char *const veth[] = { "ip", "link", "add", n->ifname[0],
				     "type", "veth", "peer", "name",
				     n->ifname[1], "netns", n->ns[1], NULL };
	unsigned char rnd[3];
	int ret;

	memset(n, 0, sizeof(*n));
	n->nsfd[0] = n->nsfd[1] = -1;
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		fail(err, errlen, "cannot name the namespaces",
		     strerror(errno));
		return -EIO;
	}
	for (int s = 0; s < 2; s++) {
		snprintf(n->ns[s], sizeof(n->ns[s]),
			 LABNET_NS_PREFIX "%02x%02x%02x-%s", rnd[0], rnd[1],
			 rnd[2], side_tag[s]);
		snprintf(n->ifname[s], sizeof(n->ifname[s]), "veth-%s",
			 side_tag[s]);
		snprintf(n->addr[s], sizeof(n->addr[s]), "10.199.0.%d", s + 1);
	}
	ret = make_namespace(n, LAB_SENDER, err, errlen);
	if (!ret)
		ret = make_namespace(n, LAB_RECEIVER, err, errlen);
	/* Made inside the sender's namespace, its peer in the receiver's:
	 * the host's own namespace never sees either end. */
	if (!ret)
		ret = ip_step(n, LAB_SENDER, veth,
			      "cannot make a veth pair (is veth in this kernel?)",
			      err, errlen);
	if (!ret)
		ret = configure_side(n, LAB_SENDER, err, errlen);
	if (!ret)
		ret = configure_side(n, LAB_RECEIVER, err, errlen);
	if (ret)
		labnet_destroy(n);
	return ret;
}

void labnet_destroy(struct labnet *n)
{
	for (int s = 0; s < 2; s++) {
		const char *const del[] = { "ip", "netns", "delete", n->ns[s],
					    NULL };

		if (n->nsfd[s] >= 0)
			close(n->nsfd[s]);
		n->nsfd[s] = -1;
		if (n->made[s])
			run_in(-1, del, NULL, 0);
		n->made[s] = false;
	}
}

int labnet_enter(const struct labnet *n, enum lab_side side, int *saved_fd)
{
	*saved_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*saved_fd < 0)
		return -errno;
	if (setns(n->nsfd[side], CLONE_NEWNET)) {
		int err = -errno;

		close(*saved_fd);
		*saved_fd = -1;
		return err;
	}
	return 0;
}

int labnet_leave(int saved_fd)
{
	int err = 0;

	if (saved_fd < 0)
		return -EBADF;
	if (setns(saved_fd, CLONE_NEWNET))
		err = -errno;
	close(saved_fd);
	return err;
}

/* Pairs of lines "Tcp: Name1 Name2" / "Tcp: 1 2", as snmp and netstat
 * both write them. */
static void read_counter_file(const char *path, struct lab_counters *c)
{
	char names[8192], values[8192];
	FILE *f = fopen(path, "re");

	while (f && fgets(names, sizeof(names), f) &&
	       fgets(values, sizeof(values), f)) {
		char *np, *vp, *prefix_end = strchr(names, ':');
		char *nsave, *vsave, *name, *val;
		int plen;

		if (!prefix_end)
			continue;
		plen = (int)(prefix_end - names);
		np = prefix_end + 1;
		vp = strchr(values, ':');
		if (!vp)
			continue;
		vp++;
		for (name = strtok_r(np, " \n", &nsave),
		     val = strtok_r(vp, " \n", &vsave);
		     name && val && c->n < LAB_COUNTERS_MAX;
		     name = strtok_r(NULL, " \n", &nsave),
		     val = strtok_r(NULL, " \n", &vsave)) {
			snprintf(c->name[c->n], sizeof(c->name[c->n]),
				 "%.*s%s", plen, names, name);
			c->value[c->n++] = strtoull(val, NULL, 10);
		}
	}
	if (f)
		fclose(f);
}

int labnet_read_counters(const struct labnet *n, enum lab_side side,
			 struct lab_counters *c)
{
	int saved, err;

	c->n = 0;
	err = labnet_enter(n, side, &saved);
	if (err)
		return err;
	read_counter_file("/proc/thread-self/net/snmp", c);
	read_counter_file("/proc/thread-self/net/netstat", c);
	return labnet_leave(saved);
}

unsigned long long lab_counter(const struct lab_counters *c,
			       const char *name)
{
	for (unsigned int i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return c->value[i];
	return 0;
}
