// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Where the tests find the built programs and the source tree. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

#define DEFAULT_BUILD_DIR	"build"

static char build[PATH_MAX];

static __attribute__((format(printf, 3, 4)))
int format_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return (size_t)n < size ? 0 : -ENAMETOOLONG;
}

static void strip_trailing_slashes(char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
}

/* <build> from /proc/self/exe, if this binary is <build>/tests/<name>. */
static bool build_dir_from_exe(char *buf, size_t size)
{
	char exe[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	slash = strrchr(exe, '/');
	if (!slash || strcmp(slash + 1, "tests"))
		return false;
	*slash = '\0';
	return !format_path(buf, size, "%s", *exe ? exe : "/");
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

const char *build_dir(void)
{
	const char *env;

	if (build[0])
		return build;
	env = getenv("SOCKSCOPE_BUILD");
	if (env && *env)
		format_path(build, sizeof(build), "%s", env);
	else if (!build_dir_from_exe(build, sizeof(build)) ||
		 same_file(build, DEFAULT_BUILD_DIR))
		strcpy(build, DEFAULT_BUILD_DIR);
	strip_trailing_slashes(build);
	return build;
}

int build_path(char *buf, size_t size, const char *rel)
{
	return format_path(buf, size, "%s/%s", build_dir(), rel);
}

static bool is_dot_name(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

int source_path(char *buf, size_t size, const char *rel)
{
	char parent[PATH_MAX], *slash;
	const char *base;

	if (format_path(parent, sizeof(parent), "%s", build_dir()))
		return -ENAMETOOLONG;
	base = strrchr(parent, '/');
	base = base ? base + 1 : parent;
	if (is_dot_name(base) && !realpath(build_dir(), parent))
		return -errno;
	slash = strrchr(parent, '/');
	if (!slash)		/* the build directory is in the current one */
		return format_path(buf, size, "%s", rel);
	if (slash == parent)
		return format_path(buf, size, "/%s", rel);
	*slash = '\0';
	return format_path(buf, size, "%s/%s", parent, rel);
}
