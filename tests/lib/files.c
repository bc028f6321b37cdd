// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Whole files in and out, and a scratch directory for one test. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

int scratch_make(struct scratch *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->dir, access("/dev/shm", W_OK) ?
	       "/tmp/sockscope-test-XXXXXX" : "/dev/shm/sockscope-test-XXXXXX");
	if (!mkdtemp(s->dir)) {
		int err = -errno;

		*s->dir = '\0';
		return err;
	}
	for (int i = 0; i < SCRATCH_FILES; i++)
		snprintf(s->path[i], sizeof(s->path[i]), "%s/%d", s->dir, i);
	return 0;
}

void scratch_remove(struct scratch *s)
{
	if (!*s->dir)
		return;
	for (int i = 0; i < SCRATCH_FILES; i++)
		unlink(s->path[i]);
	rmdir(s->dir);
	*s->dir = '\0';
}

char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char chunk[4096], *buf = NULL;
	size_t len = 0, n;

	if (!f)
		return strdup("");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		return strdup("");
	buf[len] = '\0';
	return buf;
}

int spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}
