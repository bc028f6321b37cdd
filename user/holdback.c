// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Records held back for a moment, in order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "holdback.h"

struct held {
	size_t size;
	unsigned char data[];
};

int holdback_push(struct holdback *h, const void *data, size_t size)
{
	struct held *r;

	if (h->head == h->n)
		h->head = h->n = 0;
	if (h->n == h->cap && h->head) {
		/* Those let go make room at the front. */
		memmove(h->q, h->q + h->head,
			holdback_count(h) * sizeof(h->q[0]));
		h->n -= h->head;
		h->head = 0;
	}
	if (h->n == h->cap) {
		unsigned int cap = h->cap ? 2 * h->cap : 64;
		struct held **q = realloc(h->q, cap * sizeof(q[0]));

		if (!q)
			return -ENOMEM;
		h->q = q;
		h->cap = cap;
	}
	r = malloc(sizeof(*r) + size);
	if (!r)
		return -ENOMEM;
	r->size = size;
	memcpy(r->data, data, size);
	h->q[h->n++] = r;
	h->bytes += size;
	return 0;
}

const void *holdback_at(const struct holdback *h, unsigned int i,
			size_t *size)
{
	const struct held *r = h->q[h->head + i];

	*size = r->size;
	return r->data;
}

void holdback_pop(struct holdback *h)
{
	struct held *r = h->q[h->head++];

	h->bytes -= r->size;
	h->looked = 0;
	free(r);
}

void holdback_free(struct holdback *h)
{
	while (holdback_count(h))
		holdback_pop(h);
	free(h->q);
	memset(h, 0, sizeof(*h));
}
