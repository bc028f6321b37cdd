/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef SOCKSCOPE_HOLDBACK_H
#define SOCKSCOPE_HOLDBACK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Records held back, in the order they came, copied out of the ring
 * buffer: the reader keeps a receive that waits for the record of its
 * send (and whatever came after it) here for a moment.
 */
struct holdback {
	struct held **q;
	unsigned int head, n, cap;	/* q[head..n-1] are held */
	size_t bytes;
	/* 0: the oldest is yet to be asked whether it waits; else it waits,
	 * and the held ones before this index were looked at for it. */
	unsigned int looked;
};

/* 0, or -ENOMEM (then nothing is held back: the caller goes on). */
int holdback_push(struct holdback *h, const void *data, size_t size);

static inline unsigned int holdback_count(const struct holdback *h)
{
	return h->n - h->head;
}

/* The i-th held record, 0 the oldest. */
const void *holdback_at(const struct holdback *h, unsigned int i,
			size_t *size);

/* The oldest is let go. */
void holdback_pop(struct holdback *h);

void holdback_free(struct holdback *h);

#endif
