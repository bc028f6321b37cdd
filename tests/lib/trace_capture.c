// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* One traced run of a command, captured whole. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "trace_capture.h"
#include "tracer_run.h"

#define MAX_OPTS	32

int trace_start(struct trace *t, char *const opts[], char *const command[])
{
	char *argv[MAX_OPTS + 5];
	int err, n = 0;

	memset(t, 0, sizeof(*t));
	t->status = -1;
	err = scratch_make(&t->files);
	if (err) {
		TH_LOG("no scratch directory: %s", strerror(-err));
		return -1;
	}
	for (int i = 0; opts && opts[i] && n < MAX_OPTS; i++)
		argv[n++] = opts[i];
	argv[n++] = "-o";
	argv[n++] = trace_text_path(t);
	argv[n++] = "--save";
	argv[n++] = trace_json_path(t);
	argv[n] = NULL;
	if (tracer_spawn(&t->proc, argv, command)) {
		TH_LOG("sockscope did not start");
		return -1;
	}
	t->running = true;
	return 0;
}

int trace_finish(struct trace *t)
{
	if (t->running)
		t->status = tracer_collect(&t->proc, &t->out, &t->err);
	t->running = false;
	if (!t->out)
		t->out = strdup("");
	if (!t->err)
		t->err = strdup("");
	t->text = slurp(trace_text_path(t));
	t->json = slurp(trace_json_path(t));
	return t->status;
}

int trace_run(struct trace *t, char *const opts[], char *const command[])
{
	trace_start(t, opts, command);
	return trace_finish(t);
}

void trace_free(struct trace *t)
{
	if (t->running)
		proc_cleanup(&t->proc);
	t->running = false;
	free(t->text);
	free(t->json);
	free(t->out);
	free(t->err);
	t->text = t->json = t->out = t->err = NULL;
	scratch_remove(&t->files);
}
