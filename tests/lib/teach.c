// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The teaching layer's helper programs, from the tests' side. */
#include <stdio.h>
#include <string.h>

#include "paths.h"
#include "teach.h"

char *teach_tcp(void)
{
	static char path[4096];

	build_path(path, sizeof(path), "tests/helpers/teach_tcp");
	return path;
}

char *teach_udp(void)
{
	static char path[4096];

	build_path(path, sizeof(path), "tests/helpers/teach_udp");
	return path;
}

int teach_peers(const char *out, const char *role, long pids[],
		long ports[], int n)
{
	char head[32];
	const char *p;
	int i = 0;

	snprintf(head, sizeof(head), "teach: %s ", role);
	for (p = strstr(out, head); p && i < n; p = strstr(p + 1, head)) {
		if (sscanf(p + strlen(head), "%ld port %ld", &pids[i],
			   &ports[i]) != 2)
			break;
		i++;
	}
	return i;
}
