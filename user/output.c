// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Writing a trace to standard output or a file, in batches. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

int output_open(struct output *out, const char *path)
{
	sb_init(&out->buf);
	out->error = 0;
	out->fd = STDOUT_FILENO;
	out->name = "standard output";
	if (!path)
		return 0;
	/* Never follow a symlink planted where the trace goes. */
	out->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		       O_CLOEXEC, 0600);
	if (out->fd < 0) {
		fprintf(stderr, "sockscope: cannot write the trace to '%s': %s\n",
			path, strerror(errno));
		return -errno;
	}
	out->name = path;
	return 0;
}

int output_flush(struct output *out)
{
	size_t off = 0;
	ssize_t n;

	while (off < out->buf.len && !out->error && out->fd >= 0) {
		n = write(out->fd, out->buf.buf + off, out->buf.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			out->error = n < 0 ? errno : EIO;
			break;
		}
		off += n;
	}
	sb_reset(&out->buf);
	return out->error;
}

void output_close(struct output *out)
{
	output_flush(out);
	if (out->fd > STDERR_FILENO)
		close(out->fd);
	out->fd = -1;
	sb_free(&out->buf);
}
