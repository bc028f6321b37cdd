/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* printf into a buffer, for building the lines a test looks for. */
#ifndef SOCKSCOPE_TESTS_FMT_H
#define SOCKSCOPE_TESTS_FMT_H

#include <stddef.h>

/* vsnprintf into buf (size bytes); returns buf. */
__attribute__((format(printf, 3, 4)))
char *fmt(char *buf, size_t size, const char *format, ...);

/*
 * printf into a buffer of its own (a compound literal), which lasts to
 * the end of the enclosing block.
 */
#define FMT(...)	fmt((char[2048]){ 0 }, 2048, __VA_ARGS__)

#endif
