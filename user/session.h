/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_SESSION_H
#define SOCKSCOPE_SESSION_H

#include "options.h"
#include "reader.h"

/* Called once tracing is over, before the reader goes: lessons read the
 * socket table from it. */
typedef void (*session_hook)(struct reader *rd, void *ctx);

/* SIGINT and SIGTERM end the session; SIGPIPE is ignored. */
void session_setup_signals(void);

/* Whether SIGINT or SIGTERM came. */
bool session_interrupted(void);

/*
 * Trace as the options say, until Ctrl-C or the command ends. Returns the
 * exit status: the command's, or 0, or 1 on errors (said on stderr).
 */
int session_run(const struct options *o, session_hook after, void *ctx);

#endif
