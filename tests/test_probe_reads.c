// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The teaching layer's tests (test_explain) once more, with the kernel's
 * structures read by helper calls (SOCKSCOPE_PROBE_READS=1), the way
 * sockscope reads them on a kernel without bpf_rdonly_cast (before 6.2):
 * both ways must give the same notes, socket names and kernel events.
 * Its output is test_explain's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 16], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	(void)argc;
	if (n <= 0) {
		fprintf(stderr, "test_probe_reads: cannot find itself: %s\n",
			strerror(errno));
		return 1;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/test_explain", self);
	if (setenv("SOCKSCOPE_PROBE_READS", "1", 1))
		return 1;
	argv[0] = path;
	execv(path, argv);
	fprintf(stderr, "test_probe_reads: cannot run %s: %s\n", path,
		strerror(errno));
	return 1;
}
