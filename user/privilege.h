/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_PRIVILEGE_H
#define SOCKSCOPE_PRIVILEGE_H

#include <stdbool.h>

/* Whether this process may load and attach tracing BPF programs: root's
 * CAP_SYS_ADMIN, or CAP_BPF together with CAP_PERFMON. */
bool can_trace(void);

#endif
