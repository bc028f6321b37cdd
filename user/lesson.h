/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_LESSON_H
#define SOCKSCOPE_LESSON_H

/* The hidden subcommand that runs a lesson's programs under the tracer. */
#include <stdbool.h>
#include <stddef.h>

#define LESSON_RUNNER	"__lesson-run"

/*
 * "sockscope lesson udp|tcp|all [--python] [--save FILE]": trace the
 * example chat programs, run unattended with scripted messages, and end
 * with the lesson's key points as this trace showed them.
 */
int lesson_main(int argc, char **argv);

/* The runner: starts the server, runs the clients, records their output
 * and pids in a file for the lesson. */
int lesson_runner_main(int argc, char **argv);

/* Where the example program NAME is: build/examples/NAME beside our own
 * binary, or examples/python/NAME.py with python; for an installed
 * binary, in LIBEXECDIR/sockscope, found from its own directory (see
 * lesson_run.c). */
void example_program_path(char *buf, size_t size, const char *name,
			  bool python);

#endif
