// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Finding or mounting tracefs, which attaching syscall tracepoints needs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include "tracefs.h"

#define TRACEFS_MAGIC	0x74726163
#define TRACEFS_DIR	"/sys/kernel/tracing"
#define DEBUGFS_TRACING	"/sys/kernel/debug/tracing"

static int is_tracefs(const char *dir)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

int tracefs_ensure(void)
{
	int err;

	/* libbpf looks in the debugfs location first when it exists. */
	if (access(DEBUGFS_TRACING, F_OK) == 0 || is_tracefs(TRACEFS_DIR))
		return 0;
	if (mount("tracefs", TRACEFS_DIR, "tracefs", 0, NULL) == 0)
		return 0;
	err = errno;
	fprintf(stderr,
		"sockscope: tracefs is not mounted and mounting it at %s failed (%s); try: sudo mount -t tracefs tracefs %s\n",
		TRACEFS_DIR, strerror(err), TRACEFS_DIR);
	return -err;
}

bool tracefs_event_has_field(const char *event, const char *field)
{
	const char *dir = access(DEBUGFS_TRACING, F_OK) == 0 ? DEBUGFS_TRACING :
							       TRACEFS_DIR;
	char path[256], line[512], want[96];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/%s/format", dir, event);
	snprintf(want, sizeof(want), " %s;", field);
	f = fopen(path, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "\tfield:", 7) && strstr(line, want);
	if (f)
		fclose(f);
	return found;
}
