// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A net.* sysctl as a traced process sees it. /proc/sys/net answers for
 * the network namespace of the task that opens the file, so a value of
 * another namespace is read by a short-lived thread that joins it with
 * setns() (a namespace is joined per thread; the reader's own thread
 * stays where it is). Values are kept per namespace (its inode), read
 * once: a busy process's notes ask again and again, and a sysctl changed
 * during a trace is not seen until the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns_sysctl.h"

#define CACHED	8

/* The cache knows a sysctl by its path's address: one string each. */
static const char RANGE_PATH[] = "/proc/sys/net/ipv4/ip_local_port_range";
static const char UNPRIV_PATH[] =
	"/proc/sys/net/ipv4/ip_unprivileged_port_start";
static const char FIN_TIMEOUT_PATH[] = "/proc/sys/net/ipv4/tcp_fin_timeout";

struct sysctl_read {
	const char *path;
	int nsfd;			/* -1: read here */
	unsigned int v[2];
	int n;				/* numbers read */
};

static void read_numbers(struct sysctl_read *q)
{
	FILE *f = fopen(q->path, "re");

	q->n = 0;
	if (!f)
		return;
	q->n = fscanf(f, "%u %u", &q->v[0], &q->v[1]);
	if (q->n < 0)
		q->n = 0;
	fclose(f);
}

static void *read_in_namespace(void *arg)
{
	struct sysctl_read *q = arg;

	if (setns(q->nsfd, CLONE_NEWNET) == 0)
		read_numbers(q);
	return NULL;
}

/* The inode of pid's network namespace (0: the process is gone). */
static ino_t netns_of(const char *ns_path)
{
	struct stat st;

	return stat(ns_path, &st) ? 0 : st.st_ino;
}

static bool read_sysctl(unsigned int netns, pid_t pid, const char *path,
			unsigned int v[2], int want)
{
	static struct {
		ino_t ns;
		const char *path;
		unsigned int v[2];
	} cache[3 * CACHED];
	static unsigned int next;
	static ino_t own;
	struct sysctl_read q = { .path = path, .nsfd = -1 };
	char ns_path[64];
	pthread_t thread;

	if (!netns)
		return false;
	for (unsigned int i = 0; i < 3 * CACHED; i++)
		if (cache[i].ns == netns && cache[i].path == path) {
			memcpy(v, cache[i].v, sizeof(cache[i].v));
			return true;
		}
	if (!own)
		own = netns_of("/proc/self/ns/net");
	snprintf(ns_path, sizeof(ns_path), "/proc/%d/ns/net", (int)pid);
	if (netns == own) {
		read_numbers(&q);
	} else if (netns_of(ns_path) == netns) {
		q.nsfd = open(ns_path, O_RDONLY | O_CLOEXEC);
		if (q.nsfd < 0)
			return false;
		if (!pthread_create(&thread, NULL, read_in_namespace, &q))
			pthread_join(thread, NULL);
		close(q.nsfd);
	}
	if (q.n < want)
		return false;
	cache[next % (3 * CACHED)].ns = netns;
	cache[next % (3 * CACHED)].path = path;
	memcpy(cache[next % (3 * CACHED)].v, q.v, sizeof(q.v));
	next++;
	memcpy(v, q.v, sizeof(q.v));
	return true;
}

void netns_sysctl_seen(unsigned int netns, pid_t pid)
{
	static unsigned int last;
	unsigned int v[2];

	if (!netns || netns == last)
		return;
	last = netns;
	read_sysctl(netns, pid, RANGE_PATH, v, 2);
	read_sysctl(netns, pid, UNPRIV_PATH, v, 1);
	read_sysctl(netns, pid, FIN_TIMEOUT_PATH, v, 1);
}

bool netns_port_range(unsigned int netns, pid_t pid, unsigned int *lo,
		      unsigned int *hi)
{
	unsigned int v[2];

	if (!read_sysctl(netns, pid, RANGE_PATH, v, 2))
		return false;
	*lo = v[0];
	*hi = v[1];
	return true;
}

bool netns_unprivileged_port_start(unsigned int netns, pid_t pid,
				   unsigned int *port)
{
	unsigned int v[2];

	if (!read_sysctl(netns, pid, UNPRIV_PATH, v, 1))
		return false;
	*port = v[0];
	return true;
}

bool netns_fin_timeout(unsigned int netns, pid_t pid, unsigned int *seconds)
{
	unsigned int v[2];

	if (!read_sysctl(netns, pid, FIN_TIMEOUT_PATH, v, 1))
		return false;
	*seconds = v[0];
	return true;
}
