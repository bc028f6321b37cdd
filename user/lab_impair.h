/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Impairing the lab's link: netem where the kernel has it, else tc BPF. */
#ifndef SOCKSCOPE_LAB_IMPAIR_H
#define SOCKSCOPE_LAB_IMPAIR_H

#include <stdbool.h>
#include <stddef.h>

#include "lab.h"
#include "labnet.h"

struct impair;

struct lab_impair {
	enum lab_method method;		/* as used: netem or bpf */
	bool netem_missing;		/* auto looked for netem: none */
	struct impair *bpf;		/* the BPF program, when used */
};

/*
 * Impair the sender-to-receiver direction of n's link as what says, on
 * rate percent of packets (BPF: of the data packets to LAB_PORT, chosen
 * by seed). LAB_METHOD_AUTO probes for netem first. 0, or -errno after
 * writing one line to err.
 */
int lab_impair_apply(struct lab_impair *li, struct labnet *n,
		     enum lab_impairment what, unsigned int rate,
		     unsigned int seed, enum lab_method method, char *err,
		     size_t errlen);

/* What the BPF program counted; left alone for netem. */
void lab_impair_counts(const struct lab_impair *li,
		       unsigned long long *candidates,
		       unsigned long long *impaired);

void lab_impair_remove(struct lab_impair *li);

#endif
