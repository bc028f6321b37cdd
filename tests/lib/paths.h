/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Where the tests find the built programs and the source tree. */
#ifndef SOCKSCOPE_TESTS_PATHS_H
#define SOCKSCOPE_TESTS_PATHS_H

#include <stddef.h>

/*
 * The build directory: $SOCKSCOPE_BUILD if set; else the directory two
 * levels above this test binary (<build>/tests/test_x), given as "build"
 * when that is ./build; else "build".
 */
const char *build_dir(void);

/* "<build>/rel" into buf: 0, or -ENAMETOOLONG. */
int build_path(char *buf, size_t size, const char *rel);

/* The source tree (the build directory's parent) + "/rel": 0 or -errno. */
int source_path(char *buf, size_t size, const char *rel);

#endif
