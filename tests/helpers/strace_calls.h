/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What a test needs to know of tests/helpers/strace_calls. */
#ifndef SOCKSCOPE_STRACE_CALLS_H
#define SOCKSCOPE_STRACE_CALLS_H

/*
 * The page connect's address is read from, mapped at this fixed address
 * so that a test knows the pointer strace prints when it does not decode
 * the address ("connect(-1, 0x5eed0000, 1)").
 */
#define STRACE_CALLS_ADDR	0x5eed0000UL

#endif
