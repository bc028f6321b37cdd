// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sockscope: trace the socket calls of programs with eBPF and print them
 * decoded, strace-like, with teaching notes, or as JSON lines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "diagram.h"
#include "diagram_cli.h"
#include "lab.h"
#include "lesson.h"
#include "options.h"
#include "replay.h"
#include "session.h"

static bool verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* A trace, then its sequence diagram on stdout. */
static int run_with_diagram(struct options *o)
{
	struct diagram d;
	int ret;

	diagram_init(&d);
	if (!d.steps) {
		fprintf(stderr, "sockscope: out of memory\n");
		return 1;
	}
	o->diagram_into = &d;
	ret = session_run(o, NULL, NULL);
	diagram_finish(&d);
	printf("\n");
	diagram_print(&d);
	diagram_free(&d);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	int ret;

	/* Subcommands; a program called so runs as "sockscope -- replay". */
	if (argc > 1 && !strcmp(argv[1], "replay"))
		return replay_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "diagram"))
		return diagram_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "lesson")) {
		libbpf_set_print(libbpf_print);
		return lesson_main(argc - 1, argv + 1);
	}
	if (argc > 1 && !strcmp(argv[1], "lab")) {
		libbpf_set_print(libbpf_print);
		return lab_main(argc - 1, argv + 1);
	}
	if (argc > 1 && !strcmp(argv[1], LAB_RUNNER))
		return lab_runner_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], LESSON_RUNNER))
		return lesson_runner_main(argc - 1, argv + 1);
	ret = options_parse(&o, argc, argv, stderr);
	if (ret)
		return ret;
	if (o.help) {
		options_print_help(stdout);
		return 0;
	}
	if (o.version) {
		printf("sockscope %s\n", SOCKSCOPE_VERSION);
		return 0;
	}
	verbose = o.verbose;
	libbpf_set_print(libbpf_print);
	session_setup_signals();
	if (o.diagram)
		return run_with_diagram(&o);
	return session_run(&o, NULL, NULL);
}
