/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Network namespaces for tests, so they cannot collide on ports. */
#ifndef SOCKSCOPE_TESTS_NETNS_H
#define SOCKSCOPE_TESTS_NETNS_H

#include <stdbool.h>

/*
 * Moves the calling process into a fresh network namespace with lo up.
 * Returns 0; -EPERM when not privileged (the caller then uses the host's
 * loopback with port 0); another -errno when the kernel cannot do it.
 * Call it from inside a test: each test is its own process.
 */
int netns_enter_fresh(void);

/* Whether IPv6 loopback is usable here: a socket binds to [::1]:0. */
bool ipv6_loopback_available(void);

#endif
