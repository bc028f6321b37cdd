/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The lab's link impaired by tc BPF, for kernels without netem: chosen
 * packets of the lab's traffic are dropped, duplicated, reordered or
 * damaged (bpf/impair.bpf.c).
 *
 * A candidate is a UDP or TCP packet (IPv4 or IPv6) to cfg.port with at
 * least one byte of payload; nothing else is touched. Candidates are
 * numbered 0, 1, 2, ... in the order the program sees them, and number i
 * is chosen when a hash of (seed, i) mod 100 is below rate_pct: the same
 * seed and the same packets give the same choices.
 */
#ifndef SOCKSCOPE_IMPAIR_H
#define SOCKSCOPE_IMPAIR_H

#include <stddef.h>

#include "labnet.h"

enum impair_kind {
	IMPAIR_DROP = 1,
	IMPAIR_DUPLICATE,
	IMPAIR_REORDER,
	IMPAIR_CORRUPT,
};

struct impair_config {
	enum impair_kind kind;
	unsigned int rate_pct;		/* 0..100: share of candidates chosen */
	unsigned int seed;
	unsigned short port;		/* candidates' destination port */
};

struct impair_counts {
	unsigned long long candidates;	/* candidates the program saw */
	unsigned long long impaired;	/* chosen ones it acted on */
};

struct impair;

/*
 * Attach to n's link as cfg->kind needs: drop and corrupt on the
 * receiver's ingress (veth-rcv), corrupt with the sender's tx checksum
 * offload turned off; duplicate and reorder on the sender's egress
 * (veth-snd), reorder with an htb root qdisc there, a fast and a slow
 * lane.
 * 0 and *out set, or -errno after writing one line to err (what failed and
 * what to do); nothing is left attached then.
 */
int impair_attach(struct impair **out, const struct labnet *n,
		  const struct impair_config *cfg, char *err, size_t errlen);

/* The program's counts so far. 0 or -errno. */
int impair_read_counts(const struct impair *im, struct impair_counts *c);

/*
 * Undo what impair_attach did, in namespaces that still exist, and free
 * im. Safe after labnet_destroy(), and with NULL.
 */
void impair_detach(struct impair *im);

/* One line: how the kind is done. */
const char *impair_describe(enum impair_kind kind);

#endif
